//! Which operations share generated code, decided from the model alone so
//! that naming and emission only carry it out.
//!
//! - Error enums: operations that document exactly the same errors use one
//!   enum (each keeps its own name, as an alias). An enum with
//!   three derives per operation was a sixth of what checking Microsoft
//!   Graph's crate cost. Errors with headers are the operation's own: their
//!   docs name its header struct.
//! - Decoders: operations whose answers are read alike use one function.
//!   A closure per operation was 13% of Graph's module tokens, and a
//!   closure type each for the compiler to check.

use std::collections::HashMap;

use crate::model::*;

pub fn share(api: &mut Api) {
    let errors_of = error_enums(&api.operations);
    let (decoder_of, decoders) = decoders(&api.operations, &errors_of);
    api.sharing = Sharing { errors_of, decoder_of, decoders };
}

/// The enum is kept by the operation whose id sorts first, not the first
/// met, so that reordering paths moves no enum.
fn error_enums(ops: &[Operation]) -> Vec<Option<usize>> {
    let shares =
        |op: &Operation| !op.errors.is_empty() && op.errors.iter().all(|o| o.headers.is_empty());
    let mut owner: HashMap<&[Outcome], usize> = HashMap::new();
    for (i, op) in ops.iter().enumerate().filter(|(_, op)| shares(op)) {
        let kept = owner.entry(&op.errors).or_insert(i);
        if op.id < ops[*kept].id {
            *kept = i;
        }
    }
    ops.iter()
        .enumerate()
        .map(|(i, op)| {
            let kept = *owner.get(op.errors.as_slice()).filter(|_| shares(op))?;
            (kept != i).then_some(kept)
        })
        .collect()
}

/// What an operation's decoder does, from the model: two operations have
/// equal keys exactly when their decoders would be written alike.
#[derive(PartialEq, Eq, Hash)]
struct DecoderKey {
    success: SuccessKey,
    /// The operation whose error enum the decoder builds; `None` when no
    /// error is documented.
    errors: Option<usize>,
}

#[derive(PartialEq, Eq, Hash)]
enum SuccessKey {
    /// Several answers, in a success enum of the operation's own.
    Own(usize),
    /// None documented: any 2xx is bytes.
    Undocumented,
    /// One answer at this status, with a body read this way (or none). A
    /// JSON body's type is the decoder's type parameter.
    One(StatusKey, Option<BodyRead>),
}

impl DecoderKey {
    fn new(i: usize, op: &Operation, errors_of: &[Option<usize>]) -> Self {
        let success = match op.success.as_slice() {
            [] => SuccessKey::Undocumented,
            [one] => SuccessKey::One(one.status, one.content.as_ref().map(|c| c.kind.read())),
            _ => SuccessKey::Own(i),
        };
        let errors = (!op.errors.is_empty()).then(|| errors_of[i].unwrap_or(i));
        DecoderKey { success, errors }
    }

    fn generic(&self) -> bool {
        matches!(self.success, SuccessKey::One(_, Some(BodyRead::Json)))
    }
}

/// Per operation its shared decoder, and the shared decoders: only those
/// with more than one user, numbered in the order of their first.
/// Operations that stream their answer read it as it comes, and share none.
fn decoders(
    ops: &[Operation],
    errors_of: &[Option<usize>],
) -> (Vec<Option<usize>>, Vec<SharedDecoder>) {
    let mut first_with: HashMap<DecoderKey, usize> = HashMap::new();
    let mut groups: Vec<SharedDecoder> = Vec::new();
    let mut group_of: Vec<Option<usize>> = Vec::with_capacity(ops.len());
    for (i, op) in ops.iter().enumerate() {
        if op.streams() {
            group_of.push(None);
            continue;
        }
        let key = DecoderKey::new(i, op, errors_of);
        let generic = key.generic();
        let g = *first_with.entry(key).or_insert_with(|| {
            groups.push(SharedDecoder { first: i, users: 0, generic });
            groups.len() - 1
        });
        groups[g].users += 1;
        group_of.push(Some(g));
    }
    let mut number: Vec<Option<usize>> = vec![None; groups.len()];
    let mut shared = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        if group.users > 1 {
            number[g] = Some(shared.len());
            shared.push(*group);
        }
    }
    let decoder_of = group_of.into_iter().map(|g| g.and_then(|g| number[g])).collect();
    (decoder_of, shared)
}

#[cfg(test)]
mod tests {
    use crate::testing::{analyzed, spec};

    /// Per operation: the one whose error enum it uses and its shared
    /// decoder; then the shared decoders.
    fn sharing(paths: &str, components: &str) -> String {
        let api = analyzed(&spec(paths, components));
        let id = |i: usize| api.operations[i].id.as_str();
        let mut out = String::new();
        for i in 0..api.operations.len() {
            let errors = api.sharing.errors_of(i).map_or("own".into(), |o| format!("of {}", id(o)));
            let decoder = api.sharing.decoder_of(i).map_or("own".into(), |d| format!("#{d}"));
            out += &format!("{}: errors {errors}, decoder {decoder}\n", id(i));
        }
        for (n, d) in api.sharing.decoders.iter().enumerate() {
            out +=
                &format!("#{n}: from {}, {} users, generic {}\n", id(d.first), d.users, d.generic);
        }
        out
    }

    const ERROR: &str = "Error: {type: object, properties: {code: {type: integer}}}";

    #[test]
    fn operations_answering_alike_share_errors_and_a_generic_decoder() {
        let paths = "
/a: {get: {operationId: a, responses: {'200': {description: ok, content: {application/json: {schema: {type: string}}}}, '404': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}}}}
/b: {get: {operationId: b, responses: {'200': {description: ok, content: {application/json: {schema: {type: integer}}}}, '404': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}}}}
/c: {get: {operationId: c, responses: {'201': {description: ok}, '404': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}}}}
";
        insta::assert_snapshot!(sharing(paths, &format!("schemas:\n  {ERROR}")), @r"
        a: errors own, decoder #0
        b: errors of a, decoder #0
        c: errors of a, decoder own
        #0: from a, 2 users, generic true
        ");
    }

    #[test]
    fn errors_that_differ_in_docs_or_carry_headers_are_an_operations_own() {
        let paths = "
/a: {get: {operationId: a, responses: {'200': {description: ok}, '404': {description: not found}}}}
/b: {get: {operationId: b, responses: {'200': {description: ok}, '404': {description: gone}}}}
/c: {get: {operationId: c, responses: {'200': {description: ok}, '404': {description: not found, headers: {X-Why: {schema: {type: string}}}}}}}
/d: {get: {operationId: d, responses: {'200': {description: ok}, '404': {description: not found, headers: {X-Why: {schema: {type: string}}}}}}}
";
        insta::assert_snapshot!(sharing(paths, "schemas: {}"), @r"
        a: errors own, decoder own
        b: errors own, decoder own
        c: errors own, decoder own
        d: errors own, decoder own
        ");
    }

    #[test]
    fn streams_and_several_successes_have_decoders_of_their_own() {
        let paths = "
/a: {get: {operationId: a, responses: {'200': {description: ok, content: {application/octet-stream: {schema: {type: string, format: binary}}}}}}}
/b: {get: {operationId: b, responses: {'200': {description: ok, content: {application/octet-stream: {schema: {type: string, format: binary}}}}}}}
/c: {get: {operationId: c, responses: {'200': {description: ok}, '202': {description: later}}}}
/d: {get: {operationId: d, responses: {'200': {description: ok}, '202': {description: later}}}}
/e: {get: {operationId: e, responses: {'204': {description: done}}}}
/f: {get: {operationId: f, responses: {'204': {description: done}}}}
";
        insta::assert_snapshot!(sharing(paths, "schemas: {}"), @r"
        a: errors own, decoder own
        b: errors own, decoder own
        c: errors own, decoder own
        d: errors own, decoder own
        e: errors own, decoder #0
        f: errors own, decoder #0
        #0: from e, 2 users, generic false
        ");
    }
}

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
//! - Parameter structs: operations that set the same optional parameters
//!   and page alike use one struct, with its setters (each keeps its own
//!   name, as an alias). Microsoft Graph's 6,934 are 918 distinct ones;
//!   their setters were the largest part of checking its crate after
//!   decoding.

use std::collections::HashMap;

use super::pages::normal;
use crate::model::*;

pub fn share(api: &mut Api) {
    let errors_of = error_enums(&api.operations);
    let (decoder_of, decoders) = decoders(&api.operations, &errors_of);
    let params_of = params_structs(&api.operations, &api.types);
    api.sharing = Sharing { errors_of, decoder_of, decoders, params_of };
}

/// What makes two operations' parameter structs the same: each optional
/// parameter as its setter sends and documents it, and how the call pages.
/// Types are compared as what they stand for, through aliases: each
/// operation's `$select` enum is a place of its own, an alias of the one
/// definition they share.
#[derive(PartialEq, Eq, Hash)]
struct ParamsKey<'a> {
    params: Vec<SetterKey<'a>>,
    paging: Option<(&'a PageStyle, &'a str, Ty)>,
}

/// One optional parameter: name, place, type, docs, and `explode`,
/// `deepObject` and `deprecated`.
#[derive(PartialEq, Eq, Hash)]
struct SetterKey<'a>(&'a str, ParamLocation, Ty, Option<&'a str>, [bool; 3]);

/// `ty` with every alias replaced by what it stands for.
fn unaliased(ty: &Ty, types: &[TypeDef]) -> Ty {
    let mut ty = ty.clone();
    // Alias cycles are broken before sharing; the bound is for safety.
    for _ in 0..32 {
        match &ty {
            Ty::Named(id) => match &types[id.0].kind {
                TypeKind::Alias(target) => ty = target.clone(),
                _ => return ty,
            },
            Ty::List(inner) => return Ty::List(Box::new(unaliased(inner, types))),
            Ty::Map(inner) => return Ty::Map(Box::new(unaliased(inner, types))),
            Ty::Nullable(inner) => return Ty::Nullable(Box::new(unaliased(inner, types))),
            _ => return ty,
        }
    }
    ty
}

impl<'a> ParamsKey<'a> {
    /// `None` for an operation without such a struct, or whose required
    /// parameters could take an optional one's Rust name (names are minted
    /// per operation from all of its parameters).
    fn of(op: &'a Operation, types: &[TypeDef]) -> Option<Self> {
        let params: Vec<_> = op
            .params
            .iter()
            .filter(|p| p.has_setter())
            .map(|p| {
                let flags = [p.explode, p.deep_object, p.deprecated];
                let ty = unaliased(&p.ty, types);
                SetterKey(p.name.as_str(), p.location, ty, p.docs.as_deref(), flags)
            })
            .collect();
        if params.is_empty() && op.paging.is_none() {
            return None;
        }
        let optional: Vec<String> = params.iter().map(|p| normal(p.0)).collect();
        let clash = op
            .params
            .iter()
            .filter(|p| !p.has_setter())
            .any(|p| optional.contains(&normal(&p.name)));
        let paging =
            op.paging.as_ref().map(|p| (&p.style, p.items.as_str(), unaliased(&p.item, types)));
        (!clash).then_some(ParamsKey { params, paging })
    }
}

/// Per operation: the one whose struct of parameters its call uses.
fn params_structs(ops: &[Operation], types: &[TypeDef]) -> Vec<Option<usize>> {
    kept_by_first_id(ops, ops.iter().map(|op| ParamsKey::of(op, types)).collect())
}

/// Per operation with a key: the operation of equal key that keeps the
/// shared item, `None` for the keeper itself. The keeper is the operation
/// whose id sorts first, not the first met, so reordering paths moves none.
fn kept_by_first_id<K: Eq + std::hash::Hash>(
    ops: &[Operation],
    keys: Vec<Option<K>>,
) -> Vec<Option<usize>> {
    let mut owner: HashMap<&K, usize> = HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        let Some(key) = key else { continue };
        let kept = owner.entry(key).or_insert(i);
        if ops[i].id < ops[*kept].id {
            *kept = i;
        }
    }
    keys.iter()
        .enumerate()
        .map(|(i, key)| {
            let kept = *owner.get(key.as_ref()?)?;
            (kept != i).then_some(kept)
        })
        .collect()
}

/// Per operation: the one whose error enum it uses.
fn error_enums(ops: &[Operation]) -> Vec<Option<usize>> {
    let shares =
        |op: &Operation| !op.errors.is_empty() && op.errors.iter().all(|o| o.headers.is_empty());
    kept_by_first_id(ops, ops.iter().map(|op| shares(op).then_some(op.errors.as_slice())).collect())
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

    /// Per operation: the one whose parameter struct its call uses.
    fn params(paths: &str) -> Vec<Option<String>> {
        let api = analyzed(&spec(paths, "schemas: {}"));
        let of = |i: usize| api.sharing.params_of(i).map(|o| api.operations[o].id.clone());
        (0..api.operations.len()).map(of).collect()
    }

    #[test]
    fn operations_setting_the_same_parameters_share_a_struct() {
        // Each `$select` is an inline enum of its own place: the same one
        // through the aliases dedup leaves.
        let select = "{name: $select, in: query, description: Select properties, schema: {type: array, items: {type: string, enum: [id, name]}}}";
        let paths = format!("
/b: {{get: {{operationId: b, parameters: [{select}], responses: {{'204': {{description: ok}}}}}}}}
/a/{{id}}: {{get: {{operationId: a, parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}, {select}], responses: {{'204': {{description: ok}}}}}}}}
/c: {{get: {{operationId: c, parameters: [{{name: $select, in: query, description: other words, schema: {{type: array, items: {{type: string, enum: [id, name]}}}}}}], responses: {{'204': {{description: ok}}}}}}}}
/d: {{get: {{operationId: d, parameters: [{{name: select, in: query, required: true, schema: {{type: string}}}}, {select}], responses: {{'204': {{description: ok}}}}}}}}
/e: {{get: {{operationId: e, responses: {{'204': {{description: ok}}}}}}}}
");
        let of = params(&paths);
        // `a` sorts first and keeps the struct whatever the path order;
        // other docs are another struct; a required parameter whose Rust
        // name the optional one's could take keeps its own; none, none.
        assert_eq!(of, [Some("a".to_string()), None, None, None, None]);
    }

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

//! Analysis: facts about the whole model that no single schema knows.
//!
//! - inline types that are structurally identical (same shape, same docs)
//!   become one type: real specs repeat the same inline object or enum in
//!   many places (Microsoft Graph repeats each `$select` list per operation);
//! - which fields must be boxed because they close a cycle of by-value
//!   containment (`struct A { b: Option<B> }`, `struct B { a: Option<A> }`);
//! - which operations share an error enum or a decoder (`sharing`);
//! - in words, where each type the spec does not describe comes from
//!   (`describe`).

pub mod customize;
mod describe;
mod features;
pub(crate) mod pages;
pub mod select;
mod sharing;

use crate::model::*;

use std::collections::HashMap;

pub fn analyze(api: &mut Api) {
    break_alias_cycles(api);
    dedup(api);
    mark_boxed(api);
    pages::detect(api);
    sharing::share(api);
    features::features(api);
    describe::describe(api);
}

/// An alias that stands, through other aliases, lists and maps, for itself
/// (`X: {$ref: X}`, `A` -> `B` -> `A`, `X: {type: array, items: X}`) has no
/// Rust type: `pub type X = Vec<X>;` does not compile. Every alias on such a
/// cycle becomes any JSON value, which is what such a schema admits.
fn break_alias_cycles(api: &mut Api) {
    fn aliased(kind: &TypeKind) -> Option<TypeId> {
        let TypeKind::Alias(ty) = kind else { return None };
        let mut ty = ty;
        while let Ty::Map(inner) | Ty::List(inner) | Ty::Nullable(inner) = ty {
            ty = inner;
        }
        match ty {
            Ty::Named(id) => Some(*id),
            _ => None,
        }
    }
    // 0: not seen, 1: on the current walk, 2: done. Each alias points to at
    // most one type, so each walk is a path, and the whole pass is linear.
    let mut state = vec![0u8; api.types.len()];
    let mut cyclic = Vec::new();
    for start in 0..api.types.len() {
        let mut path = Vec::new();
        let mut at = Some(TypeId(start));
        while let Some(id) = at {
            match state[id.0] {
                2 => break,
                1 => {
                    let from = path.iter().position(|p| *p == id).unwrap_or(0);
                    cyclic.extend_from_slice(&path[from..]);
                    break;
                }
                _ => {}
            }
            state[id.0] = 1;
            path.push(id);
            at = aliased(&api.types[id.0].kind);
        }
        for id in path {
            state[id.0] = 2;
        }
    }
    for id in cyclic {
        api.types[id.0].kind = TypeKind::Alias(Ty::Json);
    }
}

/// Rewrites every type reference through `f`.
fn map_ty(ty: &mut Ty, f: &impl Fn(TypeId) -> TypeId) {
    match ty {
        Ty::Named(id) => *id = f(*id),
        Ty::Nullable(t) | Ty::List(t) | Ty::Map(t) => map_ty(t, f),
        _ => {}
    }
}

fn map_kind(kind: &mut TypeKind, f: &impl Fn(TypeId) -> TypeId) {
    kind.members_mut().into_iter().for_each(|t| map_ty(t, f));
}

/// Hash-consing of inline types. Children are allocated after their parents
/// (see `lower::inline`), so walking ids downwards classifies every child
/// before its parent; a parent's key uses its children's classes, so two
/// parents with equal children compare equal whichever copy each points to.
///
/// Sharing code must not share names: a place's type keeps its own name
/// whatever else the spec holds, so adding or removing an operation never
/// renames another's types. Each class keeps one definition, on the member
/// whose place sorts first (not the first met, so reordering paths changes
/// nothing), and every other member becomes an alias of it, referenced under
/// its own name. (Aliases take part in the classes, so that parents holding
/// alike aliases compare equal, but stay as they are.)
fn dedup(api: &mut Api) {
    let n = api.types.len();
    let mut class: Vec<usize> = (0..n).collect();
    let mut seen: HashMap<(TypeKind, Option<String>, bool), usize> = HashMap::new();
    for id in (0..n).rev() {
        let def = &api.types[id];
        if !matches!(def.name, NameHint::Place(_)) {
            continue;
        }
        let mut kind = def.kind.clone();
        map_kind(&mut kind, &|t| TypeId(class[t.0]));
        let key = (kind, def.docs.clone(), def.deprecated);
        match seen.get(&key) {
            Some(&c) => class[id] = c,
            None => {
                seen.insert(key, id);
            }
        }
    }
    let place = |id: usize| match &api.types[id].name {
        NameHint::Place(parts) => parts.as_slice(),
        _ => &[],
    };
    let mut canonical: HashMap<usize, usize> = HashMap::new();
    for (id, c) in class.iter().enumerate() {
        let kept = canonical.entry(*c).or_insert(id);
        if place(id) < place(*kept) {
            *kept = id;
        }
    }
    for (id, c) in class.iter().enumerate() {
        let kept = canonical[c];
        // An alias is no code to share: it stays an alias of what it names.
        if kept != id && !matches!(api.types[id].kind, TypeKind::Alias(_)) {
            api.types[id].kind = TypeKind::Alias(Ty::Named(TypeId(kept)));
        }
    }
}

/// The named types a type expression contains by value (not behind a Vec or map).
fn by_value(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Nullable(inner) => by_value(inner, out),
        _ => {}
    }
}

fn by_value_edges(def: &TypeDef) -> Vec<TypeId> {
    let mut out = Vec::new();
    match &def.kind {
        TypeKind::Struct(s) => {
            s.fields.iter().filter(|f| !f.boxed).for_each(|f| by_value(&f.ty, &mut out))
        }
        TypeKind::Alias(t) => by_value(t, &mut out),
        TypeKind::Union(u) => {
            u.variants.iter().filter(|v| !v.boxed).for_each(|v| by_value(&v.ty, &mut out))
        }
        TypeKind::Enum(_) => {}
    }
    out
}

/// A field or variant is boxed when its type leads back, by value, to the
/// type that holds it.
fn mark_boxed(api: &mut Api) {
    for owner in 0..api.types.len() {
        let members = match &api.types[owner].kind {
            TypeKind::Struct(s) => s.fields.len(),
            TypeKind::Union(u) => u.variants.len(),
            _ => continue,
        };
        for m in 0..members {
            let mut start = Vec::new();
            match &api.types[owner].kind {
                TypeKind::Struct(s) => by_value(&s.fields[m].ty, &mut start),
                TypeKind::Union(u) => by_value(&u.variants[m].ty, &mut start),
                _ => {}
            }
            if reaches(api, start, TypeId(owner)) {
                match &mut api.types[owner].kind {
                    TypeKind::Struct(s) => s.fields[m].boxed = true,
                    TypeKind::Union(u) => u.variants[m].boxed = true,
                    _ => {}
                }
            }
        }
    }
}

fn reaches(api: &Api, mut stack: Vec<TypeId>, goal: TypeId) -> bool {
    let mut seen = vec![false; api.types.len()];
    while let Some(id) = stack.pop() {
        if id == goal {
            return true;
        }
        if std::mem::replace(&mut seen[id.0], true) {
            continue;
        }
        stack.extend(by_value_edges(&api.types[id.0]));
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::testing::{analyzed, model, spec};

    fn check(paths: &str, components: &str) -> String {
        model(&analyzed(&spec(paths, components)))
    }

    #[test]
    fn inline_types_alike_share_one_definition_under_their_own_names() {
        let paths = "
/a: {get: {operationId: a, responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {n: {type: integer}}}}}}}}}
/b: {get: {operationId: b, responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {n: {type: integer}}}}}}}}}
/c: {get: {operationId: c, responses: {'200': {description: ok, content: {application/json: {schema: {type: object, description: other words, properties: {n: {type: integer}}}}}}}}}
";
        let components = "schemas:
  One: {type: object, properties: {n: {type: integer}}}
  Two: {type: object, properties: {n: {type: integer}}}
";
        insta::assert_snapshot!(check(paths, components), @r"
        #0 One = {n?: Int(I64)}
        #1 Two = {n?: Int(I64)}
        #2 a.Response = {n?: Int(I64)}
        #3 b.Response = #2
        #4 c.Response = {n?: Int(I64)}
        a GET /a () -> [Code(200) application/json as json #2] ! []
        b GET /b () -> [Code(200) application/json as json #3] ! []
        c GET /c () -> [Code(200) application/json as json #4] ! []
        ");
    }

    #[test]
    fn a_cycle_of_by_value_fields_is_boxed_once() {
        let components = "schemas:
  A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}, many: {type: array, items: {$ref: '#/components/schemas/A'}}}}
  B: {type: object, properties: {a: {$ref: '#/components/schemas/A'}}}
  Node: {type: object, properties: {next: {$ref: '#/components/schemas/Node'}}}
";
        insta::assert_snapshot!(check("{}", components), @r"
        #0 A = {b?: Box #1, many?: [#0]}
        #1 B = {a?: #0}
        #2 Node = {next?: Box #2}
        ");
    }

    #[test]
    fn aliases_of_themselves_become_json() {
        let paths = "
/p: {post: {operationId: p, requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/In'}}}}, responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Out'}}}}}}}
";
        let components = "schemas:
  In: {type: object, properties: {inner: {$ref: '#/components/schemas/Inner'}}}
  Inner: {type: object, properties: {x: {type: string, nullable: true}}}
  Out: {type: object, properties: {x: {type: string}}}
  Loop: {$ref: '#/components/schemas/Loop2'}
  Loop2: {type: array, items: {$ref: '#/components/schemas/Loop'}}
";
        insta::assert_snapshot!(check(paths, components), @r"
        #0 In = {inner?: #1}
        #1 Inner = {x?: String | null}
        #2 Out = {x?: String}
        #3 Loop = Json
        #4 Loop2 = Json
        p POST /p () body application/json -> [Code(200) application/json as json #2] ! []
        ");
    }
}

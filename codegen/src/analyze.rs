//! Stage 4, analyze: facts about the whole model that no single schema knows.
//!
//! - which fields must be boxed because they close a cycle of by-value
//!   containment (`struct A { b: Option<B> }`, `struct B { a: Option<A> }`);
//! - which types can reach a request body, where absent and null differ.

use crate::model::*;

pub fn analyze(api: &mut Api) {
    mark_boxed(api);
    mark_in_request(api);
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
        TypeKind::Struct(s) => s.fields.iter().filter(|f| !f.boxed).for_each(|f| by_value(&f.ty, &mut out)),
        TypeKind::Alias(t) => by_value(t, &mut out),
        TypeKind::Union(u) => u.variants.iter().filter(|v| !v.boxed).for_each(|v| by_value(&v.ty, &mut out)),
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

fn all_named(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Nullable(t) | Ty::List(t) | Ty::Map(t) => all_named(t, out),
        _ => {}
    }
}

fn mark_in_request(api: &mut Api) {
    let mut stack = Vec::new();
    for op in &api.operations {
        if let Some(Body { kind: BodyKind::Json(ty) | BodyKind::Form(ty), .. }) = &op.body {
            all_named(ty, &mut stack);
        }
    }
    while let Some(id) = stack.pop() {
        let def = &mut api.types[id.0];
        if std::mem::replace(&mut def.in_request, true) {
            continue;
        }
        match &def.kind {
            TypeKind::Struct(s) => {
                s.fields.iter().for_each(|f| all_named(&f.ty, &mut stack));
                if let Some(a) = &s.additional {
                    all_named(a, &mut stack);
                }
            }
            TypeKind::Alias(t) => all_named(t, &mut stack),
            TypeKind::Union(u) => u.variants.iter().for_each(|v| all_named(&v.ty, &mut stack)),
            TypeKind::Enum(_) => {}
        }
    }
}

//! What a spec update does to the generated module: the public Rust
//! surface of each version (`surface`), compared item by item.
//!
//! This stage comes after the pipeline: it runs the stages up to naming on
//! each version, and borrows emit's spelling of types so that what it
//! reports is what the module declares.

pub mod surface;

use std::path::Path;

use serde_json::Value;

use crate::{config, input, Result, Selection};
pub use surface::{Item, Kind, Member, Surface};

/// The surface of the whole API of a document (as `input::as_read` gives
/// it), with the user's settings beside `file`.
pub fn surface_of(document: Value, file: &Path) -> Result<Surface> {
    let settings = config::for_spec(file)?;
    let doc = input::from_value(document, file)?;
    let (api, names) = crate::named(doc, &Selection::default(), &settings, &mut |_| {})?;
    Ok(surface::surface(&api, &names))
}

/// The operations of a document, as `(path, method)` in document order.
pub fn operations(document: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(paths) = document.get("paths").and_then(Value::as_object) else { return out };
    for (path, item) in paths {
        for method in crate::input::parse::METHODS {
            if item.get(method).is_some_and(Value::is_object) {
                out.push((path.clone(), method.to_string()));
            }
        }
    }
    out
}

/// The document without one operation (and without its path item, when
/// that was its only one).
pub fn without_operation(document: &Value, path: &str, method: &str) -> Value {
    let mut out = document.clone();
    if let Some(paths) = out.get_mut("paths").and_then(Value::as_object_mut) {
        if let Some(item) = paths.get_mut(path).and_then(Value::as_object_mut) {
            item.remove(method);
            let left = crate::input::parse::METHODS.iter().any(|m| item.contains_key(*m));
            if !left {
                paths.remove(path);
            }
        }
    }
    out
}

/// The document with its paths in the reverse order.
pub fn paths_reversed(document: &Value) -> Value {
    let mut out = document.clone();
    if let Some(Value::Object(paths)) = out.get_mut("paths") {
        let reversed: serde_json::Map<String, Value> =
            std::mem::take(paths).into_iter().rev().collect();
        *paths = reversed;
    }
    out
}

/// A public name that changed though what it names did not go away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    /// The item's key (see `Item::key`), and the member's wire name if a
    /// member was renamed.
    pub key: String,
    pub member: Option<String>,
    pub before: String,
    pub after: String,
}

/// Names in `before` that `after` spells differently, among the items both
/// have and no operation in `touched` owns: their own names, their members'
/// names, and the types their members and answers are declared with (which
/// name other items). What a spec change that touched only those operations
/// must leave alone. An alias may come to name another definition: that is
/// sharing, not a name.
pub fn renamed(before: &Surface, after: &Surface, touched: &[String]) -> Vec<Renamed> {
    let mut out = Vec::new();
    for (key, old) in &before.items {
        let Some(new) = after.items.get(key) else { continue };
        if old.operation.as_ref().is_some_and(|op| touched.contains(op)) {
            continue;
        }
        if old.path != new.path {
            out.push(Renamed {
                key: key.clone(),
                member: None,
                before: old.path.clone(),
                after: new.path.clone(),
            });
        }
        let mut members = vec![(old.members(), new.members())];
        if let (
            Kind::Method { setters: a, ok: ok_a, err: err_a, .. },
            Kind::Method { setters: b, ok: ok_b, err: err_b, .. },
        ) = (&old.kind, &new.kind)
        {
            members.push((a, b));
            for (what, before, after) in [("answer", ok_a, ok_b), ("error", err_a, err_b)] {
                if before != after {
                    out.push(Renamed {
                        key: key.clone(),
                        member: Some(format!("({what} type)")),
                        before: before.clone(),
                        after: after.clone(),
                    });
                }
            }
        }
        // A member's type names other items: it must name them as before.
        for (a, b) in members {
            for m in a {
                let Some(n) = b.iter().find(|n| n.wire == m.wire) else { continue };
                for (before, after) in [(&m.name, &n.name), (&m.ty, &n.ty)] {
                    if before != after {
                        out.push(Renamed {
                            key: key.clone(),
                            member: Some(m.wire.clone()),
                            before: before.clone(),
                            after: after.clone(),
                        });
                    }
                }
            }
        }
    }
    out
}

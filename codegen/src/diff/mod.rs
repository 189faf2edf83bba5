//! What a spec update does to the generated module, on two axes: the wire
//! (`wire`: what a client that followed the old contract may now get
//! wrong) and the Rust source (`rust`: what code written against the old
//! module may no longer compile), each finding with a severity, its JSON
//! pointers in both specs and its Rust path; then a suggested semver bump
//! (`report`).
//!
//! This stage comes after the pipeline: it runs the stages up to naming on
//! each version, and borrows emit's spelling of types so that what it
//! reports is what the module declares.

pub mod report;
pub mod rust;
pub mod surface;
pub mod wire;
pub mod witness;

use std::path::Path;

use serde_json::Value;

use crate::model::{Api, TypeId, TypeKind};
use crate::name::Names;
use crate::{config, input, Result, Selection};
pub use report::Report;
pub use surface::{Item, Kind, Member, Surface};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Axis {
    Wire,
    Rust,
}

/// Ordered from worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Breaking,
    MayBreak,
    Safe,
}

/// One thing a spec update changed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    pub axis: Axis,
    /// The check: oasdiff's id where one fits, `rust-...` for the Rust axis.
    pub id: &'static str,
    pub severity: Severity,
    /// JSON pointers in the old and the new spec.
    pub old: Option<String>,
    pub new: Option<String>,
    /// The Rust item it concerns, in the module: `Client::get_pet`,
    /// `types::Pet::name`.
    pub rust: Option<String>,
    pub message: String,
    /// For a breaking Rust finding checked by a witness (see `witness`):
    /// `confirmed`, or what the witness did instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub witness: Option<String>,
    /// For a wire finding: the operation it was found in (`GET /pets/{}`).
    /// A schema several operations share is found in each; the report
    /// lists it once.
    #[serde(skip)]
    pub operation: Option<String>,
}

/// One version of a spec, read as far as naming.
pub struct Version {
    pub api: Api,
    pub names: Names,
    pub surface: Surface,
    /// `info.version`.
    pub version: String,
}

impl Version {
    /// The version of a document (as `input::as_read` gives it), with the
    /// user's settings beside `file`.
    pub fn read(document: Value, file: &Path) -> Result<Version> {
        let settings = config::for_spec(file)?;
        let doc = input::from_value(document, file)?;
        let (api, names) = crate::named(doc, &Selection::default(), &settings, &mut |_| {})?;
        let surface = surface::surface(&api, &names);
        let version = api.version.clone();
        Ok(Version { api, names, surface, version })
    }

    /// `Client::<method>` of operation `i`.
    pub(crate) fn method(&self, i: usize) -> String {
        format!("Client::{}", self.names.ops[i].method)
    }

    /// The type an alias stands for, through aliases of named types.
    pub(crate) fn definition(&self, mut id: TypeId) -> TypeId {
        for _ in 0..16 {
            match &self.api.types[id.0].kind {
                TypeKind::Alias(crate::model::Ty::Named(next)) => id = *next,
                _ => break,
            }
        }
        id
    }

    pub(crate) fn type_path(&self, id: TypeId) -> String {
        format!("types::{}", self.names.types[id.0].ident)
    }

    /// `types::<Struct>::<field>` of the property `wire` of the struct `id`
    /// is (or is an alias of), by `id`'s own name.
    pub(crate) fn field(&self, id: TypeId, wire: &str) -> Option<String> {
        let def = self.definition(id);
        let TypeKind::Struct(s) = &self.api.types[def.0].kind else { return None };
        let i = s.fields.iter().position(|f| f.name == wire)?;
        Some(format!("{}::{}", self.type_path(id), self.names.types[def.0].members[i]))
    }
}

/// Both axes of the change from `old` to `new`.
pub fn compare(old: &Version, new: &Version) -> Report {
    let mut findings = wire::compare(old, new);
    findings.extend(rust::compare(&old.surface, &new.surface));
    Report::new(findings, &old.version, &new.version)
}

/// The surface of the whole API of a document (as `input::as_read` gives
/// it), with the user's settings beside `file`.
pub fn surface_of(document: Value, file: &Path) -> Result<Surface> {
    Version::read(document, file).map(|v| v.surface)
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

//! Selection: keep only the operations a user asked for, and only the
//! types they reach.
//!
//! A service that calls five endpoints of Microsoft Graph (11,000 operations,
//! 46 MB of Rust) should not compile all of it. Operations are chosen by tag
//! or by `operationId`; every type no kept operation reaches (through its
//! parameters, bodies, answers and headers, and from there through fields,
//! variants, items and aliases) is dropped, and the survivors keep their
//! relative order, so a slice's output is a stable subset of the whole.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};
use crate::model::*;
use crate::pointer::Pointer;

/// Which operations to generate. Empty: all of them, and every type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Operations with any of these tags.
    pub tags: Vec<String>,
    /// Operations with these `operationId`s (or, for operations without one,
    /// the `method path` the model names them by, e.g. `get /users/{id}`).
    pub operations: Vec<String>,
}

impl Selection {
    pub fn is_all(&self) -> bool {
        self.tags.is_empty() && self.operations.is_empty()
    }

    /// What the slice holds, for the module's docs.
    fn describe(&self) -> String {
        let list = |items: &[String]| {
            items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
        };
        let mut parts = Vec::new();
        if !self.tags.is_empty() {
            parts.push(format!("the operations tagged {}", list(&self.tags)));
        }
        if !self.operations.is_empty() {
            parts.push(format!("the operations {}", list(&self.operations)));
        }
        format!("A part of this API: {}, and the types they use.", parts.join(" and "))
    }
}

/// The selection file beside a spec (`NAME.select.yaml`), which makes a
/// vendored spec in the workspace generate as a slice on every run.
pub fn beside(spec: &Path) -> Option<PathBuf> {
    let stem = spec.file_stem()?.to_str()?;
    ["yaml", "yml", "json"]
        .iter()
        .map(|ext| spec.with_file_name(format!("{stem}.select.{ext}")))
        .find(|p| p.is_file())
}

/// Is this file a selection rather than a spec?
pub fn is_selection_file(path: &Path) -> bool {
    path.file_stem().and_then(|s| s.to_str()).is_some_and(|s| s.ends_with(".select"))
}

/// Reads a selection file: `tags` and `operations`, each a list of strings.
pub fn read(path: &Path) -> Result<Selection> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::new(ErrorKind::Io, &Pointer::root(), format!("cannot read file: {e}")).in_file(path)
    })?;
    let value = crate::input::parse::parse_text(&text, path).map_err(|e| e.in_file(path))?;
    from_value(&value).map_err(|e| e.in_file(path))
}

fn from_value(value: &Value) -> Result<Selection> {
    const SUPPORTED: &str = "a map with `tags` and `operations`, each a list of strings";
    let root = Pointer::root();
    let map = value.as_object().ok_or_else(|| {
        Error::invalid(&root, "a selection must be a map").with_supported(SUPPORTED)
    })?;
    let mut selection = Selection::default();
    for (key, list) in map {
        let at = root.push(key);
        let into = match key.as_str() {
            "tags" => &mut selection.tags,
            "operations" => &mut selection.operations,
            other => {
                return Err(
                    Error::invalid(&at, format!("unknown key `{other}`")).with_supported(SUPPORTED)
                )
            }
        };
        let items = list
            .as_array()
            .ok_or_else(|| Error::invalid(&at, "not a list").with_supported(SUPPORTED))?;
        for (i, item) in items.iter().enumerate() {
            let item = item.as_str().ok_or_else(|| {
                Error::invalid(&at.index(i), "not a string").with_supported(SUPPORTED)
            })?;
            into.push(item.to_string());
        }
    }
    if selection.is_all() {
        return Err(Error::invalid(&root, "the selection names no tag and no operation")
            .with_supported(SUPPORTED));
    }
    Ok(selection)
}

pub fn select(api: &mut Api, selection: &Selection) -> Result<()> {
    if selection.is_all() {
        return Ok(());
    }
    check_known(api, selection)?;
    api.part_of = Some(selection.describe());
    api.operations.retain(|op| {
        op.tags.iter().any(|t| selection.tags.contains(t)) || selection.operations.contains(&op.id)
    });
    let keep = reachable(api);
    // Old id -> new id, in arena order.
    let mut new_id = vec![None; api.types.len()];
    for (n, old) in keep.iter().enumerate() {
        new_id[*old] = Some(TypeId(n));
    }
    let old_types = std::mem::take(&mut api.types);
    api.types = old_types
        .into_iter()
        .enumerate()
        .filter(|(i, _)| new_id[*i].is_some())
        .map(|(_, t)| t)
        .collect();
    let renumber = |ty: &mut Ty| {
        visit_mut(ty, &mut |id| *id = new_id[id.0].expect("reachable types are kept"))
    };
    for t in &mut api.types {
        t.kind.members_mut().into_iter().for_each(renumber);
    }
    for op in &mut api.operations {
        op_tys_mut(op).into_iter().for_each(renumber);
    }
    Ok(())
}

/// A tag or operation id that matches nothing is a typo, not an empty slice.
fn check_known(api: &Api, selection: &Selection) -> Result<()> {
    let tags: BTreeSet<&str> =
        api.operations.iter().flat_map(|op| op.tags.iter().map(String::as_str)).collect();
    for tag in &selection.tags {
        if !tags.contains(tag.as_str()) {
            return Err(unknown("tag", tag, tags.iter().copied()));
        }
    }
    for id in &selection.operations {
        if !api.operations.iter().any(|op| &op.id == id) {
            return Err(unknown("operation", id, api.operations.iter().map(|op| op.id.as_str())));
        }
    }
    Ok(())
}

fn unknown<'a>(what: &str, name: &str, known: impl Iterator<Item = &'a str>) -> Error {
    let known: Vec<&str> = known.collect();
    let mut list: Vec<String> = known.iter().take(20).map(|k| format!("`{k}`")).collect();
    if known.len() > 20 {
        list.push(format!("and {} more", known.len() - 20));
    }
    let have = if list.is_empty() {
        format!("it has no {what}s")
    } else {
        format!("it has {}", list.join(", "))
    };
    Error::new(
        ErrorKind::Invalid,
        &Pointer::root(),
        format!("no {what} `{name}` in this spec; {have}"),
    )
}

/// Ids of the types the operations reach, ascending.
fn reachable(api: &Api) -> Vec<usize> {
    let mut seen = vec![false; api.types.len()];
    let mut stack: Vec<TypeId> = Vec::new();
    let push = |ty: &Ty, stack: &mut Vec<TypeId>| visit(ty, &mut |id| stack.push(id));
    for op in &api.operations {
        for ty in op_tys(op) {
            push(ty, &mut stack);
        }
    }
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut seen[id.0], true) {
            continue;
        }
        for ty in api.types[id.0].kind.members() {
            push(ty, &mut stack);
        }
    }
    seen.iter().enumerate().filter(|(_, s)| **s).map(|(i, _)| i).collect()
}

pub(crate) fn visit(ty: &Ty, f: &mut impl FnMut(TypeId)) {
    match ty {
        Ty::Named(id) => f(*id),
        Ty::Map(inner) | Ty::List(inner) | Ty::Nullable(inner) => visit(inner, f),
        _ => {}
    }
}

fn visit_mut(ty: &mut Ty, f: &mut impl FnMut(&mut TypeId)) {
    match ty {
        Ty::Named(id) => f(id),
        Ty::Map(inner) | Ty::List(inner) | Ty::Nullable(inner) => visit_mut(inner, f),
        _ => {}
    }
}

/// Every type expression an operation mentions.
pub(crate) fn op_tys(op: &Operation) -> Vec<&Ty> {
    let mut out: Vec<&Ty> = op.params.iter().map(|p| &p.ty).collect();
    out.extend(op.body.iter().flat_map(|b| b.choices().flat_map(|(_, k)| k.tys())));
    for outcome in op.success.iter().chain(&op.errors) {
        out.extend(outcome.content.as_ref().and_then(|c| c.kind.ty()));
        out.extend(outcome.headers.iter().map(|h| &h.ty));
    }
    out.extend(op.paging.as_ref().map(|p| &p.item));
    out
}

fn op_tys_mut(op: &mut Operation) -> Vec<&mut Ty> {
    let mut out: Vec<&mut Ty> = op.params.iter_mut().map(|p| &mut p.ty).collect();
    if let Some(b) = op.body.as_mut() {
        out.extend(b.kind.tys_mut());
        out.extend(b.others.iter_mut().flat_map(|(_, k)| k.tys_mut()));
    }
    for outcome in op.success.iter_mut().chain(&mut op.errors) {
        out.extend(outcome.content.iter_mut().flat_map(|c| c.kind.tys_mut()));
        out.extend(outcome.headers.iter_mut().map(|h| &mut h.ty));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{lowered, model, spec};

    const PATHS: &str = "
/pets: {get: {operationId: listPets, tags: [pets], responses: {'200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}}}}}
/owners: {get: {operationId: listOwners, tags: [owners], responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Owner'}}}}}}}
";
    const COMPONENTS: &str = "schemas:
  Pet: {type: object, properties: {tag: {$ref: '#/components/schemas/Tag'}}}
  Tag: {type: object, properties: {n: {type: string}}}
  Owner: {type: object, properties: {pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}
  Unused: {type: object}
";

    fn check(tags: &[&str], operations: &[&str]) -> Result<String> {
        let mut api = lowered(&spec(PATHS, COMPONENTS));
        let selection = Selection {
            tags: tags.iter().map(|s| s.to_string()).collect(),
            operations: operations.iter().map(|s| s.to_string()).collect(),
        };
        select(&mut api, &selection)?;
        Ok(format!("{}{}\n", model(&api), api.part_of.unwrap_or_default()))
    }

    #[test]
    fn a_slice_keeps_its_operations_and_what_they_reach_renumbered() {
        insta::assert_snapshot!(check(&["pets"], &[]).unwrap(), @r"
        #0 Pet = {tag?: #1}
        #1 Tag = {n?: String}
        listPets GET /pets () -> [Code(200) application/json as json [#0]] ! []
        A part of this API: the operations tagged `pets`, and the types they use.
        ");
        insta::assert_snapshot!(check(&[], &["listOwners"]).unwrap(), @r"
        #0 Pet = {tag?: #1}
        #1 Tag = {n?: String}
        #2 Owner = {pets?: [#0]}
        listOwners GET /owners () -> [Code(200) application/json as json #2] ! []
        A part of this API: the operations `listOwners`, and the types they use.
        ");
    }

    #[test]
    fn no_selection_keeps_everything() {
        let all = check(&[], &[]).unwrap();
        assert!(all.contains("Unused") && all.contains("listOwners"), "{all}");
    }

    #[test]
    fn an_unknown_tag_or_operation_lists_what_there_is() {
        let e = check(&["cats"], &[]).unwrap_err();
        insta::assert_snapshot!(e.message, @r"
        no tag `cats` in this spec; it has `owners`, `pets`
        ");
        let e = check(&[], &["listCats"]).unwrap_err();
        insta::assert_snapshot!(e.message, @r"
        no operation `listCats` in this spec; it has `listPets`, `listOwners`
        ");
    }
}

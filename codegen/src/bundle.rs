//! External `$ref`s (`pets.yaml#/Pet`, `./common.json`) are resolved by
//! bundling: each referenced file, found relative to the file that refers to
//! it, is parsed once and placed in the document under `#/x-bundled/<path>`,
//! and the `$ref` is rewritten to point there. Refs inside a bundled file are
//! rewritten the same way, relative to that file. After this stage every
//! `$ref` is local, so the rest of the pipeline knows one kind of reference.
//!
//! A file that does not exist, or a remote URL, is an error at the `$ref`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};
use crate::pointer::Pointer;
use crate::walk::Step;

/// Where bundled files go in the document.
pub const BUNDLED: &str = "x-bundled";

pub fn bundle(doc: &mut Value, file: &Path) -> Result<()> {
    // Nearly every spec is one file. Finding that out without building a
    // pointer for every object (which only an error here would use) is a
    // fraction of the walk that rewrites (GitHub: loading 675 -> 404 M
    // instructions).
    if !has_external_ref(doc) {
        return Ok(());
    }
    let mut files: BTreeMap<String, Value> = BTreeMap::new();
    let base = file.parent().unwrap_or(Path::new("")).to_path_buf();
    let root_dir = base.clone();
    rewrite(doc, &base, &root_dir, None, &Pointer::root(), &mut files)?;
    if files.is_empty() {
        return Ok(());
    }
    if let Value::Object(root) = doc {
        root.insert(BUNDLED.into(), Value::Object(files.into_iter().collect()));
    }
    Ok(())
}

/// Whether some `$ref` in `doc` names another file (stops at the first).
fn has_external_ref(doc: &mut Value) -> bool {
    let found = crate::walk::objects(doc, &(), &|_, _| (), &mut |map, _| match map.get("$ref") {
        Some(Value::String(r)) if !r.starts_with('#') => Err(()),
        _ => Ok(()),
    });
    found.is_err()
}

/// Rewrites the refs in `v`, which belongs to the file bundled under `key`
/// (`None`: the main document) and whose directory is `dir`.
fn rewrite(
    v: &mut Value,
    dir: &Path,
    root_dir: &Path,
    key: Option<&str>,
    at: &Pointer,
    files: &mut BTreeMap<String, Value>,
) -> Result<()> {
    let child = |p: &Pointer, step: Step<'_>| match step {
        Step::Key(k) => p.push(k),
        Step::Index(i) => p.index(i),
    };
    crate::walk::objects(v, at, &child, &mut |map, at| {
        let Some(Value::String(r)) = map.get_mut("$ref") else { return Ok(()) };
        let (file_part, fragment) = r.split_once('#').map_or((r.as_str(), ""), |(f, frag)| (f, frag));
        let new_ref = if file_part.is_empty() {
            // Local to its own file: inside a bundled file, local means under its key.
            key.map(|k| format!("{}{}", Pointer::root().push(BUNDLED).push(k), fragment))
        } else {
            Some(external(file_part, fragment, dir, root_dir, &at.push("$ref"), files)?)
        };
        if let Some(n) = new_ref {
            *r = n;
        }
        Ok(())
    })
}

/// Loads (once) the file a `$ref` names and returns the local ref for it.
fn external(
    file_part: &str,
    fragment: &str,
    dir: &Path,
    root_dir: &Path,
    at: &Pointer,
    files: &mut BTreeMap<String, Value>,
) -> Result<String> {
    if file_part.contains("://") {
        return Err(Error::unsupported(at, "remote $ref", "references to files beside the spec, and local references")
            .with_message(format!("remote $ref `{file_part}` is not fetched")));
    }
    let path: PathBuf = dir.join(file_part);
    let key = path
        .strip_prefix(root_dir)
        .unwrap_or(&path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let local = format!("{}{}", Pointer::root().push(BUNDLED).push(&key), fragment);
    if files.contains_key(&key) {
        return Ok(local);
    }
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error::new(
            ErrorKind::Reference,
            at,
            format!("external $ref `{file_part}`: cannot read {}: {e}", path.display()),
        )
        .with_supported("references to files that exist beside the spec, and local references")
    })?;
    // Reserve the key first: files that refer to each other terminate.
    files.insert(key.clone(), Value::Null);
    let mut value = crate::load::parse_text(&text, &path).map_err(|e| e.in_file(&path))?;
    let file_dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    rewrite(&mut value, &file_dir, root_dir, Some(&key), &Pointer::root(), files).map_err(|e| e.in_file(&path))?;
    files.insert(key, value);
    Ok(local)
}

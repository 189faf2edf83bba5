//! External `$ref`s (`pets.yaml#/Pet`, `./common.json`) are resolved by
//! bundling: each referenced file, found relative to the file that refers to
//! it, is parsed once and placed in the document under `#/x-bundled/<path>`,
//! and the `$ref` is rewritten to point there. Refs inside a bundled file are
//! rewritten the same way, relative to that file. After this stage every
//! `$ref` is local, so the rest of the pipeline knows one kind of reference.
//!
//! A file that does not exist, or a remote URL, is an error at the `$ref`.
//!
//! A spec is input from a vendor, and its refs must not read the machine:
//! a referenced file must lie inside a root folder (by default the folder of
//! the spec given to codegen, so files it includes may refer to each other
//! with `../` while they stay inside), be a regular file (a FIFO would block
//! forever, `/dev/zero` never ends), and be at most `MAX_FILE` bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::walk::Step;
use crate::error::{Error, ErrorKind, Result};
use crate::pointer::Pointer;

/// Where bundled files go in the document: a layout no stage after this
/// one reads (see `own_name`).
const BUNDLED: &str = "x-bundled";

/// The key under which a part brought in from another file sat in that
/// file (`Pet` for `pets.yaml#/Pet`), for naming it as its author did;
/// `None` for a part of the spec's own file.
pub fn own_name(pointer: &Pointer) -> Option<String> {
    let (file, inside) = origin(pointer)?;
    Some(inside.last().cloned().unwrap_or(file)).filter(|name| !name.is_empty())
}

/// The file a part brought in from another file came from, as the spec
/// named it, and the part's place inside it (`shared/pets.yaml`, `["Pet"]`);
/// `None` for a part of the spec's own file.
pub fn origin(pointer: &Pointer) -> Option<(String, Vec<String>)> {
    let mut segments = pointer.segments();
    if segments.next().as_deref() != Some(BUNDLED) {
        return None;
    }
    let file = segments.next()?;
    Some((file, segments.collect()))
}

/// The largest file a `$ref` may name (the largest real specs are ~60 MB).
pub const MAX_FILE: u64 = 128 * 1024 * 1024;

/// Bundles the files `doc` (read from `file`) refers to; they must lie
/// inside `root`, or inside `file`'s folder when `root` is `None`.
pub fn bundle(doc: &mut Value, file: &Path, root: Option<&Path>) -> Result<()> {
    // Nearly every spec is one file. Finding that out without building a
    // pointer for every object (which only an error here would use) is a
    // fraction of the walk that rewrites (GitHub: loading 675 -> 404 M
    // instructions).
    if !has_external_ref(doc) {
        return Ok(());
    }
    let mut files: BTreeMap<String, Value> = BTreeMap::new();
    let folder = |p: &Path| {
        Some(p).filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf()
    };
    let base = folder(file.parent().unwrap_or(Path::new("")));
    let canonical = |dir: &Path| {
        dir.canonicalize().map_err(|e| {
            Error::new(
                ErrorKind::Io,
                &Pointer::root(),
                format!("cannot find the folder {}: {e}", dir.display()),
            )
        })
    };
    let base = canonical(&base)?;
    let root_dir = match root {
        Some(root) => canonical(root)?,
        None => base.clone(),
    };
    rewrite(doc, &base, &root_dir, None, &Pointer::root(), &mut files)?;
    if files.is_empty() {
        return Ok(());
    }
    if let Value::Object(root) = doc {
        root.insert(BUNDLED.into(), Value::Object(files.into_iter().collect()));
    }
    Ok(())
}

/// Whether some `$ref` in `doc` names another file, or is no string at all
/// (stops at the first): either needs the walk that knows where it is.
fn has_external_ref(doc: &mut Value) -> bool {
    let found = super::walk::objects(doc, &(), &|_, _| (), &mut |map, _| match map.get("$ref") {
        Some(Value::String(r)) if r.starts_with('#') => Ok(()),
        None => Ok(()),
        Some(_) => Err(()),
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
    super::walk::objects(v, at, &child, &mut |map, at| {
        let r = match map.get_mut("$ref") {
            Some(Value::String(r)) => r,
            None => return Ok(()),
            // `{$ref: 7}` would otherwise be read as a schema that allows anything.
            Some(other) => {
                return Err(Error::invalid(
                    &at.push("$ref"),
                    crate::error::says::ref_not_string(other),
                ))
            }
        };
        let (file_part, fragment) =
            r.split_once('#').map_or((r.as_str(), ""), |(f, frag)| (f, frag));
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
        return Err(Error::unsupported(
            at,
            "remote $ref",
            "references to files beside the spec, and local references",
        )
        .with_message(format!("remote $ref `{file_part}` is not fetched")));
    }
    let named: PathBuf = dir.join(file_part);
    let path = inside(&named, file_part, root_dir, at)?;
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
    let text = read_bounded(&path).map_err(|why| {
        Error::new(
            ErrorKind::Reference,
            at,
            format!("external $ref `{file_part}`: cannot read {}: {why}", path.display()),
        )
        .with_supported("references to files that exist beside the spec, and local references")
    })?;
    // Reserve the key first: files that refer to each other terminate.
    files.insert(key.clone(), Value::Null);
    let mut value = super::parse::parse_text(&text, &path).map_err(|e| e.in_file(&path))?;
    let file_dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    rewrite(&mut value, &file_dir, root_dir, Some(&key), &Pointer::root(), files)
        .map_err(|e| e.in_file(&path))?;
    files.insert(key, value);
    Ok(local)
}

/// The real path of `named` (links and `..` resolved), if it lies inside
/// `root` and is a regular file of at most `MAX_FILE` bytes.
fn inside(named: &Path, file_part: &str, root: &Path, at: &Pointer) -> Result<PathBuf> {
    let refused = |why: String| {
        Error::new(ErrorKind::Reference, at, format!("external $ref `{file_part}`: {why}"))
            .with_supported("references to regular files inside the spec's folder (or the folder given as --ref-root)")
    };
    let real = named
        .canonicalize()
        .map_err(|e| refused(format!("cannot read {}: {e}", named.display())))?;
    if !real.starts_with(root) {
        return Err(refused(format!(
            "{} is outside {}, the folder refs may read",
            real.display(),
            root.display()
        )));
    }
    let meta = std::fs::metadata(&real)
        .map_err(|e| refused(format!("cannot read {}: {e}", real.display())))?;
    if !meta.is_file() {
        return Err(refused(format!("{} is not a regular file", real.display())));
    }
    if meta.len() > MAX_FILE {
        return Err(refused(format!(
            "{} is {} bytes, more than the {MAX_FILE} a ref may read",
            real.display(),
            meta.len()
        )));
    }
    Ok(real)
}

/// The file as text, reading at most `MAX_FILE` bytes whatever its size
/// said when it was looked at.
fn read_bounded(path: &Path) -> std::result::Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(format!("more than {MAX_FILE} bytes"));
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())
}

//! Stage 1, load: bytes -> `serde_json::Value` -> (overlay, bundle, upgrade,
//! repair) -> a document whose parts are read as `openapiv3` types on demand.
//!
//! YAML and JSON are both read through the same `Value`, so everything later
//! sees one shape. Only the `Value` is kept: `$ref`s may point anywhere in it,
//! and a whole `openapiv3::OpenAPI` beside it would more than double the
//! memory a large spec takes (Microsoft Graph: 360 MB more). Lowering reads
//! one schema or path item at a time with `part`, which also says exactly
//! where a part is not valid OpenAPI.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};
use crate::overlay;
use crate::pointer::Pointer;

/// A parsed spec, as a 3.0 document (3.1 is rewritten; see `upgrade`).
#[derive(Debug)]
pub struct Document {
    pub file: PathBuf,
    /// The `openapi` version the document declares.
    pub version: String,
    pub raw: Value,
    /// `info`, the one part every later stage needs.
    pub info: openapiv3::Info,
}

/// Reads `path`, applies the overlay beside it (`NAME.overlay.yaml`) if there
/// is one, and checks that the result is an OpenAPI 3 document.
pub fn load_file(path: &Path) -> Result<Document> {
    let text = read(path)?;
    let mut raw = parse_text(&text, path).map_err(|e| e.in_file(path))?;
    drop(text);
    if let Some(overlay_path) = overlay::beside(path) {
        let overlay_text = read(&overlay_path)?;
        let overlay = parse_text(&overlay_text, &overlay_path).map_err(|e| e.in_file(&overlay_path))?;
        overlay::apply(&mut raw, &overlay).map_err(|e| e.in_file(&overlay_path))?;
    }
    crate::bundle::bundle(&mut raw, path).map_err(|e| e.in_file(path))?;
    from_value(raw, path)
}

/// Parses a spec held in memory; `name` is only used in messages and to
/// choose YAML or JSON when the text itself does not tell.
pub fn load_str(text: &str, name: &Path) -> Result<Document> {
    let raw = parse_text(text, name).map_err(|e| e.in_file(name))?;
    from_value(raw, name)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        Error::new(ErrorKind::Io, &Pointer::root(), format!("cannot read file: {e}")).in_file(path)
    })
}

/// JSON is tried first when the file says `.json` or starts with `{`;
/// everything else is YAML (which is also a superset of JSON).
pub fn parse_text(text: &str, name: &Path) -> Result<Value> {
    let looks_json = name.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{');
    if looks_json {
        return serde_json::from_str(text).map_err(|e| {
            let mut err = Error::new(ErrorKind::Syntax, &Pointer::root(), format!("invalid JSON: {e}"));
            err.location = Some((e.line(), e.column()));
            err
        });
    }
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let mut err = Error::new(ErrorKind::Syntax, &Pointer::root(), format!("invalid YAML: {e}"));
        err.location = e.location().map(|l| (l.line(), l.column()));
        err
    })?;
    // `<<: *anchor` merge keys are YAML 1.1; specs in the wild use them.
    yaml.apply_merge().map_err(|e| {
        Error::new(ErrorKind::Syntax, &Pointer::root(), format!("invalid YAML merge key: {e}"))
    })?;
    yaml_to_json(yaml, &Pointer::root())
}

/// YAML allows non-string keys (`200:` is an integer); OpenAPI keys are strings.
fn yaml_to_json(v: serde_yaml::Value, at: &Pointer) -> Result<Value> {
    use serde_yaml::Value as Y;
    Ok(match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f).map(Value::Number).ok_or_else(|| {
                    Error::new(ErrorKind::Syntax, at, format!("number {n} has no JSON form"))
                })?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, &at.index(i)))
                .collect::<Result<_>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_string(),
                    other => {
                        return Err(Error::new(
                            ErrorKind::Syntax,
                            at,
                            format!("mapping key {other:?} is not a string"),
                        ))
                    }
                };
                let child = at.push(&key);
                out.insert(key, yaml_to_json(v, &child)?);
            }
            Value::Object(out)
        }
        Y::Tagged(t) => yaml_to_json(t.value, at)?,
    })
}

fn from_value(mut raw: Value, file: &Path) -> Result<Document> {
    check_version(&raw).map_err(|e| e.in_file(file))?;
    let declared = raw.get("openapi").and_then(Value::as_str).unwrap_or_default().to_string();
    crate::upgrade::to_3_0(&mut raw);
    crate::repair::repair(&mut raw);
    let root = Pointer::root();
    let info = match raw.get("info") {
        Some(info) => part(info, &root.push("info")),
        None => Err(Error::new(ErrorKind::Invalid, &root, "not valid OpenAPI 3.0: missing field `info`")),
    };
    let info = info.map_err(|e| e.in_file(file))?;
    Ok(Document { file: file.to_path_buf(), version: declared, raw, info })
}

/// A part that may be a `$ref` instead. Read by hand rather than as
/// `ReferenceOr<T>`: an untagged enum hides where inside `T` an error is.
pub fn ref_or<T: serde::de::DeserializeOwned>(value: &Value, at: &Pointer) -> Result<openapiv3::ReferenceOr<T>> {
    match value.get("$ref") {
        Some(Value::String(reference)) => Ok(openapiv3::ReferenceOr::Reference { reference: reference.clone() }),
        _ => part(value, at).map(openapiv3::ReferenceOr::Item),
    }
}

/// A path item: as `ref_or`, but an error inside an operation is traced to
/// the parameter, request body or response it is in, which openapiv3's
/// flattened and untagged types would otherwise hide.
pub fn path_item(value: &Value, at: &Pointer) -> Result<openapiv3::ReferenceOr<openapiv3::PathItem>> {
    use openapiv3::{Parameter, RequestBody, Response};
    ref_or(value, at).map_err(|whole| {
        let Some(item) = value.as_object() else { return whole };
        let each = |list: Option<&Value>, at: &Pointer| -> Result<()> {
            for (i, p) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
                ref_or::<Parameter>(p, &at.push("parameters").index(i))?;
            }
            Ok(())
        };
        let located = each(item.get("parameters"), at).and_then(|()| {
            for method in ["get", "put", "post", "delete", "options", "head", "patch", "trace"] {
                let Some(op) = item.get(method) else { continue };
                let op_at = at.push(method);
                each(op.get("parameters"), &op_at)?;
                if let Some(body) = op.get("requestBody") {
                    ref_or::<RequestBody>(body, &op_at.push("requestBody"))?;
                }
                for (code, r) in op.get("responses").and_then(Value::as_object).into_iter().flatten() {
                    ref_or::<Response>(r, &op_at.push("responses").push(code))?;
                }
            }
            Ok(())
        });
        located.err().unwrap_or(whole)
    })
}

/// One part of the document (at `at`) read as the `openapiv3` type its
/// position calls for, or an error that says where inside it it is not.
pub fn part<T: serde::de::DeserializeOwned>(value: &Value, at: &Pointer) -> Result<T> {
    // Tracking the path costs a string per map key; valid parts, nearly all
    // of them, are read without it (Microsoft Graph: lowering 715 -> 634 ms),
    // and only a part that fails is read again to say where.
    if let Ok(item) = T::deserialize(value) {
        return Ok(item);
    }
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let mut pointer = at.clone();
        for seg in e.path().iter() {
            pointer = match seg {
                serde_path_to_error::Segment::Seq { index } => pointer.index(*index),
                serde_path_to_error::Segment::Map { key } => pointer.push(key),
                _ => pointer,
            };
        }
        Error::new(ErrorKind::Invalid, &pointer, format!("not valid OpenAPI 3.0: {}", e.inner()))
    })
}

fn check_version(raw: &Value) -> Result<()> {
    let root = Pointer::root();
    let obj = raw
        .as_object()
        .ok_or_else(|| Error::invalid(&root, "the document is not an object").with_supported("OpenAPI 3.0.x and 3.1.x"))?;
    if let Some(v) = obj.get("swagger") {
        return Err(Error::unsupported(
            &root.push("swagger"),
            "Swagger 2.0",
            "OpenAPI 3.0.x and 3.1.x; convert Swagger 2.0 documents to OpenAPI 3 first",
        )
        .with_message(format!("Swagger {} is not OpenAPI 3", v.as_str().unwrap_or("2.0"))));
    }
    let at = root.push("openapi");
    match obj.get("openapi") {
        None => Err(Error::invalid(&root, "no `openapi` field: this is not an OpenAPI 3 document")
            .with_supported("OpenAPI 3.0.x and 3.1.x")),
        Some(Value::String(v)) if v.starts_with("3.0") || v.starts_with("3.1") => Ok(()),
        Some(Value::String(v)) => Err(Error::unsupported(&at, "OpenAPI version", "OpenAPI 3.0.x and 3.1.x")
            .with_message(format!("OpenAPI {v} is not supported"))),
        Some(other) => Err(Error::invalid(&at, format!("`openapi` must be a version string, not {other}"))
            .with_supported("OpenAPI 3.0.x and 3.1.x")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Document> {
        load_str(text, Path::new("spec.yaml"))
    }

    #[test]
    fn integer_response_keys_become_strings() {
        let doc = load(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n",
        )
        .unwrap();
        assert!(doc.raw.pointer("/paths/~1a/get/responses/200").is_some());
    }

    #[test]
    fn swagger_2_is_refused_with_a_pointer() {
        let e = load("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert_eq!(e.pointer.to_string(), "#/swagger");
        assert!(e.to_string().contains("convert Swagger 2.0"), "{e}");
    }

    #[test]
    fn a_document_without_info_is_refused_at_load() {
        let e = load("openapi: 3.0.3\npaths: {}\n").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert!(e.message.contains("missing field `info`"), "{e}");
        let e = load("openapi: 3.0.3\ninfo: {title: 7}\npaths: {}\n").unwrap_err();
        assert_eq!(e.pointer.to_string(), "#/info/title", "{e}");
    }

    #[test]
    fn optional_top_level_parts_may_be_null() {
        let doc = load("openapi: 3.0.3\ninfo: {title: t, version: '1'}\nsecurity: null\nservers: null\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n")
            .unwrap();
        let api = crate::lower::lower(&doc).unwrap();
        assert!(api.servers.is_empty());
        assert_eq!(api.operations[0].security, Vec::<Vec<String>>::new());
    }

    #[test]
    fn yaml_syntax_errors_have_a_line() {
        let e = load("openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Syntax);
        assert!(e.location.is_some());
    }

    #[test]
    fn invalid_documents_say_where() {
        // Parts are read as OpenAPI when lowering reaches them.
        let doc = load("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n")
            .unwrap();
        let e = crate::lower::lower(&doc).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert_eq!(e.pointer.to_string(), "#/paths/~1a/get/responses", "{e}");
        let doc = load("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: x, in: query, required: maybe}\n      responses:\n        '200': {description: ok}\n")
            .unwrap();
        let e = crate::lower::lower(&doc).unwrap_err();
        assert_eq!(e.pointer.to_string(), "#/paths/~1a/get/parameters/0", "{e}");
        let doc = load("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: [1]}\n")
            .unwrap();
        let e = crate::lower::lower(&doc).unwrap_err();
        assert_eq!(e.pointer.to_string(), "#/paths/~1a/get/responses/200/description", "{e}");
    }
}

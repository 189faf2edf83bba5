//! Stage 1, load: bytes -> `serde_json::Value` -> (overlay) -> `openapiv3::OpenAPI`.
//!
//! YAML and JSON are both read through the same `Value`, so everything later
//! sees one shape. The raw `Value` is kept beside the typed document: `$ref`s
//! may point anywhere in it, not only into `components`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};
use crate::overlay;
use crate::pointer::Pointer;

/// A parsed spec: the typed view and the raw tree it came from.
#[derive(Debug)]
pub struct Document {
    pub file: PathBuf,
    /// The `openapi` version the document declares (3.1 documents are
    /// rewritten to 3.0 before `api` is read; see `upgrade`).
    pub version: String,
    pub raw: Value,
    pub api: openapiv3::OpenAPI,
}

/// Reads `path`, applies the overlay beside it (`NAME.overlay.yaml`) if there
/// is one, and parses the result as OpenAPI 3.0.
pub fn load_file(path: &Path) -> Result<Document> {
    let text = read(path)?;
    let mut raw = parse_text(&text, path).map_err(|e| e.in_file(path))?;
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
    let api: openapiv3::OpenAPI = match serde_path_to_error::deserialize(&raw) {
        Ok(api) => api,
        Err(e) => {
            let shallow = check::<openapiv3::OpenAPI>(&raw, &Pointer::root())
                .expect_err("failed above")
                .with_pointer(path_to_pointer(e.path()));
            return Err(locate(&raw).unwrap_or(shallow).in_file(file));
        }
    };
    Ok(Document { file: file.to_path_buf(), version: declared, raw, api })
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

/// Deserializes one part of the document on its own, for its error's location.
fn check<T: serde::de::DeserializeOwned>(value: &Value, at: &Pointer) -> Result<()> {
    serde_path_to_error::deserialize::<_, T>(value).map(|_| ()).map_err(|e| {
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

/// openapiv3 flattens its maps, which hides where an error is; checking the
/// parts one by one, innermost first, finds it again.
fn locate(raw: &Value) -> Option<Error> {
    use openapiv3::{Operation, Parameter, ReferenceOr, RequestBody, Response, Schema, SecurityScheme};
    let root = Pointer::root();
    let first = |candidates: Vec<Option<Error>>| candidates.into_iter().flatten().next();
    let entries = |v: Option<&Value>| -> Vec<(String, Value)> {
        v.and_then(Value::as_object).map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default()
    };
    for (path, item) in entries(raw.get("paths")) {
        let item_at = root.push("paths").push(&path);
        for (key, value) in entries(Some(&item)) {
            let at = item_at.push(&key);
            let found = match key.as_str() {
                "parameters" => first(
                    value.as_array().into_iter().flatten().enumerate()
                        .map(|(i, p)| check::<ReferenceOr<Parameter>>(p, &at.index(i)).err())
                        .collect(),
                ),
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => {
                    let mut inner: Vec<Option<Error>> = value
                        .get("parameters").and_then(Value::as_array).into_iter().flatten().enumerate()
                        .map(|(i, p)| check::<ReferenceOr<Parameter>>(p, &at.push("parameters").index(i)).err())
                        .collect();
                    if let Some(body) = value.get("requestBody") {
                        inner.push(check::<ReferenceOr<RequestBody>>(body, &at.push("requestBody")).err());
                    }
                    for (code, r) in entries(value.get("responses")) {
                        inner.push(check::<ReferenceOr<Response>>(&r, &at.push("responses").push(&code)).err());
                    }
                    first(inner).or_else(|| check::<Operation>(&value, &at).err())
                }
                _ => None,
            };
            if found.is_some() {
                return found;
            }
        }
    }
    let components = raw.get("components");
    let section = |name: &str| entries(components.and_then(|c| c.get(name)));
    let at = |kind: &str, name: &str| root.push("components").push(kind).push(name);
    let mut found: Vec<Option<Error>> = Vec::new();
    found.extend(section("schemas").iter().map(|(n, v)| check::<ReferenceOr<Schema>>(v, &at("schemas", n)).err()));
    found.extend(section("parameters").iter().map(|(n, v)| check::<ReferenceOr<Parameter>>(v, &at("parameters", n)).err()));
    found.extend(section("responses").iter().map(|(n, v)| check::<ReferenceOr<Response>>(v, &at("responses", n)).err()));
    found.extend(section("requestBodies").iter().map(|(n, v)| check::<ReferenceOr<RequestBody>>(v, &at("requestBodies", n)).err()));
    found.extend(section("securitySchemes").iter().map(|(n, v)| check::<ReferenceOr<SecurityScheme>>(v, &at("securitySchemes", n)).err()));
    first(found)
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> Pointer {
    use serde_path_to_error::Segment;
    path.iter().fold(Pointer::root(), |p, seg| match seg {
        Segment::Seq { index } => p.index(*index),
        Segment::Map { key } => p.push(key),
        Segment::Enum { variant } => p.push(variant),
        Segment::Unknown => p,
    })
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
    fn yaml_syntax_errors_have_a_line() {
        let e = load("openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Syntax);
        assert!(e.location.is_some());
    }

    #[test]
    fn invalid_documents_say_where() {
        let e = load("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n")
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert_eq!(e.pointer.to_string(), "#/paths/~1a/get/responses", "{e}");
    }
}

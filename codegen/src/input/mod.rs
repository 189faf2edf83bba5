//! Input: bytes -> `serde_json::Value` -> (overlay, bundle, upgrade,
//! repair) -> a document whose parts are read as `openapiv3` types on demand.
//!
//! YAML and JSON are both read through the same `Value`, so everything later
//! sees one shape. Only the `Value` is kept: `$ref`s may point anywhere in it,
//! and a whole `openapiv3::OpenAPI` beside it would more than double the
//! memory a large spec takes (Microsoft Graph: 360 MB more). Lowering reads
//! one schema or path item at a time with `part`, which also says exactly
//! where a part is not valid OpenAPI.
//!
//! A JSON spec's path items are not even parsed into the `Value`: they are
//! kept as their JSON text (`Raw`) and each is read straight into
//! `openapiv3` when lowering reaches it. Path items are most of a large spec
//! (Microsoft Graph: 17.4 of 20.3 MB) and are read once, in order; as a
//! `Value` they took about nine times their size in memory.

pub mod bundle;
pub mod overlay;
pub mod parse;
pub mod repair;
pub mod upgrade;
pub mod walk;

use std::cell::OnceCell;
use std::path::{Path, PathBuf};

use serde::de::{MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use parse::{json_error, parse_text, without_bom, Budget, Seed, Step};

use crate::pointer::Pointer;
use serde::de::DeserializeSeed;

/// A parsed spec, as a 3.0 document (3.1 is rewritten; see `upgrade`).
#[derive(Debug)]
pub struct Document {
    pub file: PathBuf,
    /// The `openapi` version the document declares.
    pub version: String,
    pub raw: Raw,
    /// `info`, the one part every later stage needs.
    pub info: openapiv3::Info,
}

/// The document as parsed: a `Value`, except that the path items of a JSON
/// spec may be held as text (see the module docs). Passes that rewrite the
/// whole document (overlay, bundle, upgrade) first put them back into the
/// tree with `tree_mut`; the common case, a single-file 3.0 JSON spec with
/// no overlay, never does.
#[derive(Debug)]
pub struct Raw {
    value: Value,
    /// The path items, in document order, when `value` has no `paths`.
    paths: Option<Vec<PathText>>,
}

#[derive(Debug)]
struct PathText {
    key: String,
    text: Box<RawValue>,
    /// Parsed (and repaired) only when a `$ref` points into this item.
    value: OnceCell<Value>,
}

/// A path item as the document holds it.
pub enum PathSource<'a> {
    Value(&'a Value),
    Text(&'a RawValue),
}

impl From<Value> for Raw {
    fn from(value: Value) -> Self {
        Raw { value, paths: None }
    }
}

impl Raw {
    /// The value at a JSON pointer (`/components/schemas/Pet`), as `Value::pointer`.
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        let Some(paths) = &self.paths else { return self.value.pointer(pointer) };
        let Some(rest) = pointer.strip_prefix("/paths/") else {
            return self.value.pointer(pointer);
        };
        let (key, rest) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let key = key.replace("~1", "/").replace("~0", "~");
        let item = paths.iter().find(|p| p.key == key)?;
        let value = item.value.get_or_init(|| {
            // Valid JSON: it was checked when the document was parsed.
            let mut value = serde_json::from_str(item.text.get()).unwrap_or(Value::Null);
            repair::repair(&mut value);
            value
        });
        value.pointer(rest)
    }

    /// The entries of `paths`, in document order (none if there is no such
    /// map), or an error at `at` if `paths` is not a map.
    pub fn path_items(&self, at: &Pointer) -> Result<Vec<(&str, PathSource<'_>)>> {
        if let Some(paths) = &self.paths {
            return Ok(paths.iter().map(|p| (p.key.as_str(), PathSource::Text(&p.text))).collect());
        }
        match self.value.get("paths") {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Object(map)) => {
                Ok(map.iter().map(|(k, v)| (k.as_str(), PathSource::Value(v))).collect())
            }
            Some(other) => Err(Error::invalid(
                at,
                format!(
                    "not valid OpenAPI 3.0: expected a map, found {}",
                    crate::error::says::kind_of(other)
                ),
            )),
        }
    }

    /// `tree_mut`, after checking the path items held as text for repeated
    /// keys (which a `Value` would drop silently, as it would an operation).
    fn whole_tree(&mut self) -> Result<&mut Value> {
        for p in self.paths.iter().flatten() {
            let at = Pointer::root().push("paths").push(&p.key);
            parse::check_json_keys(p.text.get(), &at)
                .map_err(|e| Error::new(ErrorKind::Syntax, &at, format!("invalid JSON: {e}")))?;
        }
        Ok(self.tree_mut())
    }

    /// The whole document as one tree, with any path items held as text
    /// parsed back into it.
    pub fn tree_mut(&mut self) -> &mut Value {
        if let Some(paths) = self.paths.take() {
            let items = paths.into_iter().map(|p| {
                let value = p
                    .value
                    .into_inner()
                    .unwrap_or_else(|| serde_json::from_str(p.text.get()).unwrap_or(Value::Null));
                (p.key, value)
            });
            if let Value::Object(root) = &mut self.value {
                root.insert("paths".into(), Value::Object(items.collect()));
            }
        }
        &mut self.value
    }

    /// The whole document as one tree.
    pub fn into_tree(mut self) -> Value {
        self.tree_mut();
        self.value
    }

    /// The document without its path items when they are held as text.
    pub fn tree(&self) -> &Value {
        &self.value
    }

    /// Whether a path item held as text has a `$ref` to another file. Read
    /// off the text, which may also find one in an example (data): that only
    /// costs the spec the slower whole-tree load.
    fn paths_refer_outside(&self) -> bool {
        let Some(paths) = &self.paths else { return false };
        paths.iter().any(|p| {
            let text = p.text.get();
            text.match_indices("\"$ref\"").any(|(i, m)| {
                let after = text[i + m.len()..].trim_start();
                let Some(value) = after.strip_prefix(':') else { return false };
                value.trim_start().strip_prefix('"').is_some_and(|r| !r.starts_with('#'))
            })
        })
    }
}

/// Reads `path`, applies the overlay beside it (`NAME.overlay.yaml`) if there
/// is one, and checks that the result is an OpenAPI 3 document.
pub fn load_file(path: &Path) -> Result<Document> {
    load_file_within(path, None)
}

/// `load_file`, with external `$ref`s allowed to read files anywhere inside
/// `ref_root` rather than only inside the spec's own folder.
pub fn load_file_within(path: &Path, ref_root: Option<&Path>) -> Result<Document> {
    from_raw(read_bundled(path, ref_root)?, path)
}

/// The document as codegen reads it, before anything is rewritten for
/// lowering: the overlay applied and external `$ref`s bundled, with the
/// version it declares. What a judge of the generated client (a mock
/// server) must be given, so that both read the same contract.
pub fn as_read(path: &Path, ref_root: Option<&Path>) -> Result<Value> {
    let raw = read_bundled(path, ref_root)?;
    check_version(&raw.value).map_err(|e| e.in_file(path))?;
    Ok(raw.into_tree())
}

fn read_bundled(path: &Path, ref_root: Option<&Path>) -> Result<Raw> {
    let text = read(path)?;
    let mut raw = parse_document(&text, path).map_err(|e| e.in_file(path))?;
    drop(text);
    if let Some(overlay_path) = overlay::beside(path) {
        let overlay_text = read(&overlay_path)?;
        let overlay =
            parse_text(&overlay_text, &overlay_path).map_err(|e| e.in_file(&overlay_path))?;
        let tree = raw.whole_tree().map_err(|e| e.in_file(path))?;
        overlay::apply(tree, &overlay).map_err(|e| e.in_file(&overlay_path))?;
    }
    if raw.paths_refer_outside() {
        raw.whole_tree().map_err(|e| e.in_file(path))?;
    }
    bundle::bundle(&mut raw.value, path, ref_root).map_err(|e| e.in_file(path))?;
    Ok(raw)
}

/// Parses a spec held in memory; `name` is only used in messages and to
/// choose YAML or JSON when the text itself does not tell.
pub fn load_str(text: &str, name: &Path) -> Result<Document> {
    let raw = parse_document(text, name).map_err(|e| e.in_file(name))?;
    from_raw(raw, name)
}

/// A document already read (see `as_read`), perhaps changed since: `file`
/// names it in messages.
pub fn from_value(value: Value, file: &Path) -> Result<Document> {
    from_raw(Raw::from(value), file)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        Error::new(ErrorKind::Io, &Pointer::root(), format!("cannot read file: {e}")).in_file(path)
    })
}

/// A whole spec: as `parse_text`, except that a JSON object's path items are
/// kept as text.
fn parse_document(text: &str, name: &Path) -> Result<Raw> {
    let text = without_bom(text);
    if !text.trim_start().starts_with('{') {
        return parse_text(text, name).map(Raw::from);
    }
    let budget = Budget::new(parse::value_budget(text.len()), false);
    let mut de = serde_json::Deserializer::from_str(text);
    let raw = serde::Deserializer::deserialize_map(&mut de, TopLevel(&budget))
        .and_then(|raw| de.end().map(|()| raw));
    raw.map_err(json_error)
}

/// Reads the top-level object, keeping the entries of `paths` as text when
/// it is an object (anything else is left in the tree for lowering to
/// report).
struct TopLevel<'b>(&'b Budget);

impl<'de> Visitor<'de> for TopLevel<'_> {
    type Value = Raw;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an OpenAPI document (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Raw, A::Error> {
        use serde::de::Error as _;
        let mut value = Map::new();
        let mut paths = None;
        let repeated = |key: &str| {
            A::Error::custom(crate::error::says::duplicate_key(key, &Pointer::root().push(key)))
        };
        while let Some(key) = map.next_key::<String>()? {
            if value.contains_key(&key) || (key == "paths" && paths.is_some()) {
                return Err(repeated(&key));
            }
            if key != "paths" {
                self.0.path.borrow_mut().push(Step::Key(key.clone()));
                let item = map.next_value_seed(Seed(self.0));
                self.0.path.borrow_mut().pop();
                value.insert(key, item?);
                continue;
            }
            let text: &RawValue = map.next_value()?;
            match path_texts(text.get()) {
                Ok(Some(items)) => paths = Some(items),
                Ok(None) => {
                    let mut de = serde_json::Deserializer::from_str(text.get());
                    value.insert(key, Seed(self.0).deserialize(&mut de).map_err(A::Error::custom)?);
                }
                Err(e) => return Err(A::Error::custom(e)),
            }
        }
        Ok(Raw { value: Value::Object(value), paths })
    }
}

/// The entries of a `paths` object as text, in order; `None` if it is not
/// an object (lowering reports that), an error if a path is there twice.
fn path_texts(text: &str) -> std::result::Result<Option<Vec<PathText>>, String> {
    struct Items;
    impl<'de> Visitor<'de> for Items {
        type Value = Option<Vec<PathText>>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("the paths object")
        }
        fn visit_map<A: MapAccess<'de>>(
            self,
            mut map: A,
        ) -> std::result::Result<Self::Value, A::Error> {
            use serde::de::Error as _;
            let mut items = Vec::new();
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key.clone()) {
                    return Err(A::Error::custom(crate::error::says::duplicate_key(
                        &key,
                        &Pointer::root().push("paths").push(&key),
                    )));
                }
                let text: Box<RawValue> = map.next_value()?;
                items.push(PathText { key, text, value: OnceCell::new() });
            }
            Ok(Some(items))
        }
    }
    // JSON text: only an object starts with `{`.
    if !text.trim_start().starts_with('{') {
        return Ok(None);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    serde::Deserializer::deserialize_map(&mut de, Items).map_err(|e| e.to_string())
}

fn from_raw(mut raw: Raw, file: &Path) -> Result<Document> {
    check_version(&raw.value).map_err(|e| e.in_file(file))?;
    let declared = raw.value.get("openapi").and_then(Value::as_str).unwrap_or_default().to_string();
    if !declared.starts_with("3.0") {
        upgrade::to_3_0(raw.whole_tree().map_err(|e| e.in_file(file))?);
    }
    // Path items held as text are repaired when they are read.
    repair::repair(&mut raw.value);
    let root = Pointer::root();
    let info = match raw.value.get("info") {
        Some(info) => part(info, &root.push("info")),
        None => Err(Error::new(
            ErrorKind::Invalid,
            &root,
            "not valid OpenAPI 3.0: missing field `info`",
        )),
    };
    let info = info.map_err(|e| e.in_file(file))?;
    Ok(Document { file: file.to_path_buf(), version: declared, raw, info })
}

/// A part that may be a `$ref` instead. Read by hand rather than as
/// `ReferenceOr<T>`: an untagged enum hides where inside `T` an error is.
pub fn ref_or<T: serde::de::DeserializeOwned>(
    value: &Value,
    at: &Pointer,
) -> Result<openapiv3::ReferenceOr<T>> {
    match value.get("$ref") {
        Some(Value::String(reference)) => {
            Ok(openapiv3::ReferenceOr::Reference { reference: reference.clone() })
        }
        Some(other) => {
            Err(Error::invalid(&at.push("$ref"), crate::error::says::ref_not_string(other)))
        }
        _ => part(value, at).map(openapiv3::ReferenceOr::Item),
    }
}

/// A path item: as `ref_or`, but an error inside an operation is traced to
/// the parameter, request body or response it is in, which openapiv3's
/// flattened and untagged types would otherwise hide.
pub fn path_item(
    value: &Value,
    at: &Pointer,
) -> Result<openapiv3::ReferenceOr<openapiv3::PathItem>> {
    use openapiv3::{Parameter, RequestBody, Response};
    // openapiv3 drops a response whose key is no status (`abc`, `-1`) without a word.
    for method in parse::METHODS {
        let responses =
            value.get(method).and_then(|op| op.get("responses")).and_then(Value::as_object);
        for key in responses.into_iter().flat_map(|r| r.keys()) {
            if !parse::is_status_key(key) {
                let at = at.push(method).push("responses").push(key);
                return Err(Error::invalid(&at, crate::error::says::not_a_status(key)));
            }
        }
    }
    ref_or(value, at).map_err(|whole| {
        let Some(item) = value.as_object() else { return whole };
        let each = |list: Option<&Value>, at: &Pointer| -> Result<()> {
            for (i, p) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
                ref_or::<Parameter>(p, &at.push("parameters").index(i))?;
            }
            Ok(())
        };
        let located = each(item.get("parameters"), at).and_then(|()| {
            for method in parse::METHODS {
                let Some(op) = item.get(method) else { continue };
                let op_at = at.push(method);
                each(op.get("parameters"), &op_at)?;
                if let Some(body) = op.get("requestBody") {
                    ref_or::<RequestBody>(body, &op_at.push("requestBody"))?;
                }
                for (code, r) in
                    op.get("responses").and_then(Value::as_object).into_iter().flatten()
                {
                    ref_or::<Response>(r, &op_at.push("responses").push(code))?;
                }
            }
            Ok(())
        });
        located.err().unwrap_or(whole)
    })
}

/// A path item held as text: read straight into `openapiv3`, with no `Value`
/// in between. Only an item that fails to read is parsed as a `Value`,
/// repaired, and read again by `path_item`, which says where it is invalid.
pub fn path_item_text(
    text: &RawValue,
    at: &Pointer,
) -> Result<openapiv3::ReferenceOr<openapiv3::PathItem>> {
    /// Only the `$ref` of a path item; the rest is skipped unread.
    #[derive(serde::Deserialize)]
    struct RefOnly {
        #[serde(rename = "$ref")]
        reference: Option<Value>,
    }
    // openapiv3's maps would keep the last of a repeated key silently.
    parse::check_json_keys(text.get(), at)
        .map_err(|e| Error::new(ErrorKind::Syntax, at, format!("invalid JSON: {e}")))?;
    let reference = serde_json::from_str::<RefOnly>(text.get()).ok().and_then(|r| r.reference);
    if reference.is_none() {
        if let Ok(item) = with_stack(|| serde_json::from_str(text.get())) {
            return Ok(openapiv3::ReferenceOr::Item(item));
        }
    }
    let mut value: Value = serde_json::from_str(text.get())
        .map_err(|e| Error::invalid(at, format!("invalid JSON: {e}")))?;
    repair::repair(&mut value);
    path_item(&value, at)
}

/// One part of the document (at `at`) read as the `openapiv3` type its
/// position calls for, or an error that says where inside it it is not.
pub fn part<T: serde::de::DeserializeOwned>(value: &Value, at: &Pointer) -> Result<T> {
    with_stack(|| part_in(value, at))
}

/// Reading an `openapiv3` part recurses several frames per nesting level
/// (serde buffers flattened and untagged types): a schema nested as deep as
/// a document may be overflowed a 2 MiB thread stack in a debug build, an
/// abort with no error. With less than `READ_STACK` left, the read runs on
/// a new stack segment of twice that (`stacker`, as rustc does). The
/// main thread and codegen's own threads have that much; a caller's small
/// thread pays a segment per read.
pub(crate) fn with_stack<T>(read: impl FnOnce() -> T) -> T {
    stacker::maybe_grow(READ_STACK, 2 * READ_STACK, read)
}

const READ_STACK: usize = 4 * 1024 * 1024;

fn part_in<T: serde::de::DeserializeOwned>(value: &Value, at: &Pointer) -> Result<T> {
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

/// `3.0.N` or `3.1.N` (or just `3.0`, `3.1`): `3.0.999-evil` is not a version.
fn is_supported_version(v: &str) -> bool {
    let Some(rest) = v.strip_prefix("3.0").or_else(|| v.strip_prefix("3.1")) else { return false };
    rest.is_empty()
        || rest
            .strip_prefix('.')
            .is_some_and(|n| !n.is_empty() && n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit()))
}

fn check_version(raw: &Value) -> Result<()> {
    let root = Pointer::root();
    let obj = raw.as_object().ok_or_else(|| {
        Error::invalid(&root, "the document is not an object")
            .with_supported("OpenAPI 3.0.x and 3.1.x")
    })?;
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
        Some(Value::String(v)) if is_supported_version(v) => Ok(()),
        Some(Value::String(v)) => {
            Err(Error::unsupported(&at, "OpenAPI version", "OpenAPI 3.0.x and 3.1.x")
                .with_message(format!("OpenAPI {v} is not supported")))
        }
        Some(other) => {
            Err(Error::invalid(&at, format!("`openapi` must be a version string, not {other}"))
                .with_supported("OpenAPI 3.0.x and 3.1.x"))
        }
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

    /// Every fixture and vendored spec, as JSON: path items read from text
    /// lower to the same model as the same document read as one tree.
    #[test]
    fn path_items_read_from_text_lower_as_the_tree_does() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut seen = 0;
        for dir in ["tests/specs", "specs"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let file = entry.unwrap().path();
                let name = file.file_name().unwrap().to_string_lossy().to_string();
                let spec = name.ends_with(".yaml") || name.ends_with(".json");
                if !spec || name.contains(".overlay.") || name.contains(".select.") {
                    continue;
                }
                let text = std::fs::read_to_string(&file).unwrap();
                let value = parse_text(&text, &file).unwrap();
                let json = serde_json::to_string_pretty(&value).unwrap();
                let from_text = load_str(&json, Path::new("spec.json")).unwrap();
                let declared_3_0 = from_text.version.starts_with("3.0");
                assert_eq!(from_text.raw.paths.is_some(), declared_3_0, "{name}");
                let from_tree = from_raw(Raw::from(value), Path::new("spec.json")).unwrap();
                assert!(from_tree.raw.paths.is_none());
                let lowered = |doc: &Document| format!("{:?}", crate::lower::lower(doc));
                assert_eq!(lowered(&from_text), lowered(&from_tree), "{name}");
                seen += 1;
            }
        }
        assert!(seen >= 8, "only {seen} specs");
    }

    #[test]
    fn path_items_held_as_text_are_found_by_ref_and_repaired() {
        let doc = load_str(
            r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
              "paths": {
                "/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema":
                    {"type": "object", "properties": {"yes": true, "no": false, "p": {"type": "string", "pattern": 7}}}}}}}}},
                "/b": {"get": {"responses": {"200": {"$ref": "#/paths/~1a/get/responses/200"}}}},
                "/c": {"$ref": "#/paths/~1b"}
              }}"##,
            Path::new("spec.json"),
        )
        .unwrap();
        assert!(doc.raw.paths.is_some());
        let api = crate::lower::lower(&doc).unwrap();
        assert_eq!(api.operations.len(), 3);
        let answer = |i: usize| format!("{:?}", api.operations[i].success);
        assert_eq!(answer(0), answer(1));
        assert_eq!(answer(1), answer(2));
        // The boolean property schemas and the numeric pattern were repaired.
        let ty = api
            .types
            .iter()
            .find(|t| format!("{:?}", t.kind).contains("\"yes\""))
            .expect("the answer's type");
        assert!(!format!("{:?}", ty.kind).contains("\"no\""), "{ty:?}");
    }

    #[test]
    fn path_items_held_as_text_say_where_they_are_invalid() {
        let doc = load_str(
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
              "paths": {"/a": {"get": {"parameters": [{"name": "x", "in": "query", "required": "maybe"}],
                                       "responses": {"200": {"description": "ok"}}}}}}"#,
            Path::new("spec.json"),
        )
        .unwrap();
        let e = crate::lower::lower(&doc).unwrap_err();
        assert_eq!(e.pointer.to_string(), "#/paths/~1a/get/parameters/0", "{e}");
        let doc = load_str(
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": [1]}"#,
            Path::new("spec.json"),
        )
        .unwrap();
        let e = crate::lower::lower(&doc).unwrap_err();
        assert_eq!(e.pointer.to_string(), "#/paths", "{e}");
        assert!(e.message.contains("expected a map, found a sequence"), "{e}");
    }

    #[test]
    fn an_error_early_in_many_path_items_stops_their_reader() {
        // More items than the reader may run ahead, and a dangling `$ref` in the second.
        let items: Vec<String> = (0..100)
            .map(|i| {
                let answer = if i == 1 {
                    r##"{"$ref": "#/components/responses/Nope"}"##
                } else {
                    r#"{"description": "ok"}"#
                };
                format!(r#""/p{i}": {{"get": {{"responses": {{"200": {answer}}}}}}}"#)
            })
            .collect();
        let text = format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{{}}}}}"#,
            items.join(",")
        );
        let doc = load_str(&text, Path::new("spec.json")).unwrap();
        let e = crate::lower::lower(&doc).unwrap_err();
        assert_eq!(e.pointer.to_string(), "#/paths/~1p1/get/responses/200/$ref", "{e}");
    }

    #[test]
    fn a_path_item_ref_to_another_file_loads_the_whole_tree() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(dir.join("answer.json"), r#"{"description": "from another file"}"#).unwrap();
        let spec = dir.join("spec.json");
        std::fs::write(
            &spec,
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
               "paths": {"/a": {"get": {"responses": {"200": {"$ref": "answer.json"}}}}}}"#,
        )
        .unwrap();
        let doc = load_file(&spec).unwrap();
        assert!(doc.raw.paths.is_none());
        assert!(crate::lower::lower(&doc).is_ok());
    }
}

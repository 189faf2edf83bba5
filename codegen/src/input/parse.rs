//! Text -> `serde_json::Value`, by the same rules for YAML and JSON:
//!
//! - a key twice in one object is an error at its pointer (`serde_json::Value`
//!   keeps the last silently, and an operation vanished; YAML refused);
//! - integers beyond 64 bits are read as floats in both (JSON did, YAML
//!   refused the whole spec), as real specs carry such bounds;
//! - YAML keys that are numbers or booleans (`200:`) become strings, and
//!   `<<` merge keys are applied;
//! - the document may not expand to more values than its text can hold
//!   without aliases (a 1.3 MB YAML file with two levels of aliases expanded
//!   past 8 GB), nor nest deeper than `MAX_DEPTH`.
//!
//! Values are built straight from the parser's events, with no
//! `serde_yaml::Value` in between.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::path::Path;

use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::{says, Error, ErrorKind, Result as CodegenResult};
use crate::pointer::Pointer;

/// JSON is tried first when the file says `.json` or starts with `{`;
/// everything else is YAML (which is also a superset of JSON).
pub fn parse_text(text: &str, name: &Path) -> CodegenResult<Value> {
    let text = without_bom(text);
    if looks_json(text, name) {
        let budget = Budget::new(value_budget(text.len()), false);
        let mut de = serde_json::Deserializer::from_str(text);
        return Seed(&budget)
            .deserialize(&mut de)
            .and_then(|v| de.end().map(|()| v))
            .map_err(json_error);
    }
    let yaml_error = |message: String, location: Option<serde_yaml::Location>| {
        let mut err =
            Error::new(ErrorKind::Syntax, &Pointer::root(), format!("invalid YAML: {message}"));
        err.location = location.map(|l| (l.line(), l.column()));
        err
    };
    if flow_depth_exceeds(text, 1024) {
        return Err(yaml_error("`[` and `{` nest more than 1024 deep".into(), None));
    }
    // `<<: *anchor` merge keys are YAML 1.1; specs in the wild use them.
    let budget = Budget::new(value_budget(text.len()), true);
    Seed(&budget)
        .deserialize(serde_yaml::Deserializer::from_str(text))
        .map_err(|e| yaml_error(e.to_string(), e.location()))
}

/// A UTF-8 byte order mark says nothing to a parser but "invalid".
pub(super) fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn looks_json(text: &str, name: &Path) -> bool {
    name.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{')
}

pub(super) fn json_error(e: serde_json::Error) -> Error {
    let mut err = Error::new(ErrorKind::Syntax, &Pointer::root(), format!("invalid JSON: {e}"));
    err.location = Some((e.line(), e.column()));
    err
}

/// How deeply a document may nest. The parsers stop at 128 levels; this
/// bounds what overlays may build on top (`overlay.rs`).
pub const MAX_DEPTH: usize = 256;

/// The most values a text of `len` bytes may expand to: each value takes at
/// least a byte of text unless an alias repeats it, and a little slack is
/// left for small files that use aliases as intended.
pub fn value_budget(len: usize) -> usize {
    len.saturating_mul(2).saturating_add(100_000)
}

/// One step from the root towards the value being read.
pub(crate) enum Step<K> {
    Key(K),
    Index(usize),
}

/// The JSON pointer of `path` followed by `key`.
fn pointer_of<K: AsRef<str>>(base: &Pointer, path: &[Step<K>], key: &str) -> String {
    let mut pointer = base.clone();
    for step in path {
        pointer = match step {
            Step::Key(k) => pointer.push(k.as_ref()),
            Step::Index(i) => pointer.index(*i),
        };
    }
    pointer.push(key).to_string()
}

/// What a parse of one document keeps track of.
pub struct Budget {
    left: Cell<usize>,
    /// The keys from the root to the value being read, for error pointers.
    pub(crate) path: RefCell<Vec<Step<String>>>,
    /// Apply YAML `<<` merge keys (in JSON `<<` is just a key).
    merge_keys: bool,
}

impl Budget {
    pub fn new(values: usize, merge_keys: bool) -> Self {
        Budget { left: Cell::new(values), path: RefCell::new(Vec::new()), merge_keys }
    }

    fn take<E: serde::de::Error>(&self) -> Result<(), E> {
        match self.left.get().checked_sub(1) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => Err(E::custom(
                "the document expands to more values than its size allows (YAML aliases repeating aliases?)",
            )),
        }
    }
}

/// Reads one value (and everything in it) within the budget.
#[derive(Clone, Copy)]
pub struct Seed<'b>(pub &'b Budget);

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::from(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::from(v))
    }

    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Value, E> {
        self.visit_f64(v as f64)
    }

    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Value, E> {
        self.visit_f64(v as f64)
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        self.0.take()?;
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("the number {v} has no JSON form")))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::String(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_newtype_struct<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.0.take()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            self.0.path.borrow_mut().push(Step::Index(items.len()));
            let item = seq.next_element_seed(self);
            self.0.path.borrow_mut().pop();
            match item? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.0.take()?;
        let mut out = Map::new();
        let mut merged = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if self.0.merge_keys && key == "<<" {
                merged.push(map.next_value_seed(self)?);
                continue;
            }
            self.0.path.borrow_mut().push(Step::Key(key));
            let value = map.next_value_seed(self);
            let Some(Step::Key(key)) = self.0.path.borrow_mut().pop() else { return value };
            match out.entry(key) {
                serde_json::map::Entry::Vacant(slot) => {
                    slot.insert(value?);
                }
                serde_json::map::Entry::Occupied(first) => {
                    let at = pointer_of(&Pointer::root(), &self.0.path.borrow(), first.key());
                    return Err(A::Error::custom(says::duplicate_key(first.key(), &at)));
                }
            }
        }
        // `<<: *base` or `<<: [*a, *b]`: keys the map does not set itself
        // come from the merged maps, earlier ones first.
        for value in merged {
            let maps = match value {
                Value::Array(items) => items,
                other => vec![other],
            };
            for m in maps {
                let Value::Object(m) = m else {
                    return Err(A::Error::custom(
                        "a YAML merge key (`<<`) takes a map or a list of maps",
                    ));
                };
                for (k, v) in m {
                    out.entry(k).or_insert(v);
                }
            }
        }
        Ok(Value::Object(out))
    }
}

/// A map key as text: YAML keys may be numbers (`200:`), booleans or null.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = String;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map key that is a string, a number or a boolean")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<String, E> {
        Ok("null".to_string())
    }
}

/// The deepest any `[` or `{` nesting goes in `text`, read naively (quotes
/// and comments are not skipped, so this can only over-count).
/// serde_yaml's parser takes time quadratic in the depth of flow
/// collections before its own limit stops it (80,000 `[`: 67 s), so a
/// text far past that limit is refused before it is parsed.
pub fn flow_depth_exceeds(text: &str, limit: usize) -> bool {
    let mut depth: usize = 0;
    for b in text.bytes() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// Walks `text`'s JSON and fails at the first key repeated within one
/// object, saying where: for JSON held as text and read straight into
/// typed structs, whose maps would keep the last silently.
pub fn check_json_keys(text: &str, at: &Pointer) -> Result<(), String> {
    let keys = KeysOnly { base: at.clone(), path: RefCell::new(Vec::new()) };
    let mut de = serde_json::Deserializer::from_str(text);
    // The line and column serde_json adds would count from the start of `text`, not the file.
    DeserializeSeed::deserialize(&keys, &mut de).map_err(|e| {
        let text = e.to_string();
        text.rsplit_once(" at line ").map_or(text.clone(), |(message, _)| message.to_string())
    })
}

type Key<'de> = std::borrow::Cow<'de, str>;

struct KeysOnly<'de> {
    base: Pointer,
    path: RefCell<Vec<Step<Key<'de>>>>,
}

/// The keys of a path item that hold an operation.
pub const METHODS: [&str; 8] =
    ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// A key of an operation's `responses`: `200`, `4XX`, `default`, or an extension.
pub fn is_status_key(key: &str) -> bool {
    let b = key.as_bytes();
    let code = b.len() == 3 && (b'1'..=b'5').contains(&b[0]);
    let digits = code && b[1].is_ascii_digit() && b[2].is_ascii_digit();
    let range = code && b[1..].eq_ignore_ascii_case(b"XX");
    digits || range || key == "default" || key.starts_with("x-")
}

impl KeysOnly<'_> {
    /// At the keys of an operation's `responses` (a path item's text is read
    /// here from its root: `get`, `responses`).
    fn in_responses(&self) -> bool {
        matches!(self.path.borrow().as_slice(), [Step::Key(method), Step::Key(r)]
            if r == "responses" && METHODS.contains(&method.as_ref()))
    }

    /// Inside an example, a default or an extension: data, where a `$ref`
    /// key is just a key.
    fn in_data(&self) -> bool {
        self.path.borrow().iter().any(|s| matches!(s, Step::Key(k) if super::walk::is_data(k)))
    }
}

impl<'de> DeserializeSeed<'de> for &KeysOnly<'de> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for &KeysOnly<'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        loop {
            self.path.borrow_mut().push(Step::Index(i));
            let item = seq.next_element_seed(self);
            self.path.borrow_mut().pop();
            if item?.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Most objects have a handful of keys, where a list beats a set; a
        // wide one moves to a set so that the check stays linear.
        let mut few: Vec<Key<'de>> = Vec::new();
        let mut many: std::collections::HashSet<Key<'de>> = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if few.contains(&key) || many.contains(&key) {
                return Err(A::Error::custom(says::duplicate_key(
                    &key,
                    &pointer_of(&self.base, &self.path.borrow(), &key),
                )));
            }
            if self.in_responses() && !is_status_key(&key) {
                let at = pointer_of(&self.base, &self.path.borrow(), &key);
                return Err(A::Error::custom(format!("{}, at {at}", says::not_a_status(&key))));
            }
            if key == "$ref" && !self.in_data() {
                if let Some(other) = map.next_value::<Option<Value>>()?.filter(|v| !v.is_string()) {
                    let at = pointer_of(&self.base, &self.path.borrow(), "$ref");
                    return Err(A::Error::custom(format!(
                        "{}, at {at}",
                        says::ref_not_string(&other)
                    )));
                }
                few.push(key);
                continue;
            }
            self.path.borrow_mut().push(Step::Key(key));
            let value = map.next_value_seed(self);
            let Some(Step::Key(key)) = self.path.borrow_mut().pop() else { return value };
            value?;
            if many.is_empty() && few.len() < 32 {
                few.push(key);
            } else {
                many.extend(few.drain(..));
                many.insert(key);
            }
        }
        Ok(())
    }
}

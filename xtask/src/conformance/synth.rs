//! The cases of one spec, read from the document the mock server serves
//! (never from codegen's model, which is what is judged): for every
//! operation, documented status and media type, a call with only the
//! required arguments and one with all of them, from the spec's examples
//! where it has them and otherwise values made to satisfy the schema.

use serde_json::{json, Map, Value};

/// One call to make, and what to ask the mock server for.
#[derive(Clone, Debug)]
pub struct Case {
    pub id: usize,
    /// `get /pets/{id}`, as the harness names operations.
    pub op: String,
    pub operation_id: Option<String>,
    pub status: String,
    /// Empty when the answer has no body.
    pub media: String,
    /// `required` or `all` arguments.
    pub args_mode: &'static str,
    /// Asks for a body made up from the schema rather than the example.
    pub dynamic: bool,
    pub args: Map<String, Value>,
    /// The media type of the request body sent, if any.
    pub body_media: Option<String>,
    /// The schema of the answer asked for, if it has one.
    pub schema: Option<Value>,
    /// Why no request can satisfy the operation's parameters, if none can.
    pub unsatisfiable: Option<String>,
}

/// Statuses that cannot be asked for one by one (`4XX`, `default`).
#[derive(Default, Debug)]
pub struct NotRun {
    pub ranges: usize,
    pub multipart: usize,
    /// Answers of operations whose path key has a fragment
    /// (`/#Action=AddPermission`, as AWS specs tell operations on one path
    /// apart): clients never send a fragment, and Prism routes by it, so
    /// no request can reach such an operation.
    pub fragments: usize,
    /// Dynamic calls for a media type without a schema: Prism makes
    /// dynamic answers from schemas only, and without one answers 500 or
    /// another status.
    pub schemaless: usize,
}

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// JSON, in its `+json` and `/json` forms (`application/problem+json`,
/// `text/json`).
pub fn is_json(media: &str) -> bool {
    let m = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m.ends_with("/json")
}

pub fn is_form(media: &str) -> bool {
    media.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded")
}

/// `v`, or what its local `$ref`s lead to (bundling made every one local);
/// a `$ref` that leads nowhere is returned as it is.
pub fn deref<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
    for _ in 0..32 {
        let Some(r) = v.get("$ref").and_then(Value::as_str) else { return v };
        let Some(pointer) = r.strip_prefix('#') else { return v };
        let pointer = percent_encoding::percent_decode_str(pointer).decode_utf8_lossy();
        let Some(target) = doc.pointer(&pointer) else { return v };
        v = target;
    }
    v
}

/// Does `value` satisfy `schema` (of `doc`)? The check that decides which
/// examples a case may use (see `Synth::fits`).
pub fn satisfies(doc: &Value, value: &Value, schema: &Value) -> bool {
    Synth { doc, unsatisfiable: Default::default() }.fits(value, schema)
}

pub fn cases(doc: &Value, dynamic_calls: usize) -> (Vec<Case>, NotRun) {
    let mut out = Vec::new();
    let mut not_run = NotRun::default();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return (out, not_run);
    };
    let s = Synth { doc, unsatisfiable: Default::default() };
    for (path, item) in paths {
        let item = s.deref(item);
        for method in METHODS {
            let Some(op) = item.get(method).filter(|o| o.is_object()) else { continue };
            let key = format!("{method} {path}");
            let fragment = path.contains('#');
            let params = s.params(item, op);
            let (body, multipart) = s.body(op);
            let args = |all: bool| {
                let mut a = Map::new();
                for p in &params {
                    if all || p.required {
                        a.insert(format!("{} {}", p.location, p.name), p.value(&s, all));
                    }
                }
                if let Some(b) = &body {
                    if all || b.required {
                        a.insert("body ".into(), b.value(&s, all));
                    }
                }
                a
            };
            s.unsatisfiable.borrow_mut().clear();
            let (required_args, all_args) = (args(false), args(true));
            let unsatisfiable = s.unsatisfiable.borrow().first().cloned();
            let Some(responses) = s.deref(op.get("responses").unwrap_or(&Value::Null)).as_object()
            else {
                continue;
            };
            for (status, response) in responses {
                if status.len() != 3 || !status.bytes().all(|b| b.is_ascii_digit()) {
                    not_run.ranges += 1;
                    continue;
                }
                let response = s.deref(response);
                // A 204, 205 or 304 has no body, whatever the spec says.
                let bodiless = ["204", "205", "304"].contains(&status.as_str());
                let medias: Vec<String> = match response.get("content").and_then(Value::as_object) {
                    Some(c) if !c.is_empty() && !bodiless => c.keys().cloned().collect(),
                    _ => vec![String::new()],
                };
                for media in medias {
                    if multipart {
                        not_run.multipart += 1;
                        continue;
                    }
                    if fragment {
                        not_run.fragments += 1;
                        continue;
                    }
                    let schema = response
                        .get("content")
                        .and_then(|c| c.get(&media))
                        .and_then(|m| m.get("schema"))
                        .cloned();
                    let dynamic_calls = if schema.is_none() && !media.is_empty() {
                        not_run.schemaless += dynamic_calls;
                        0
                    } else {
                        dynamic_calls
                    };
                    let runs = [(false, &required_args, "required"), (false, &all_args, "all")]
                        .into_iter()
                        .chain((0..dynamic_calls).map(|k| {
                            if k % 2 == 0 {
                                (true, &all_args, "all")
                            } else {
                                (true, &required_args, "required")
                            }
                        }));
                    for (dynamic, args, args_mode) in runs {
                        out.push(Case {
                            id: out.len(),
                            op: key.clone(),
                            operation_id: op
                                .get("operationId")
                                .and_then(Value::as_str)
                                .map(str::to_string),
                            status: status.clone(),
                            media: media.clone(),
                            args_mode,
                            dynamic,
                            args: args.clone(),
                            body_media: body.as_ref().map(|b| b.media.clone()),
                            schema: schema.clone(),
                            unsatisfiable: unsatisfiable.clone(),
                        });
                    }
                }
            }
        }
    }
    (out, not_run)
}

struct Param<'a> {
    location: String,
    name: String,
    required: bool,
    example: Option<Value>,
    schema: Option<&'a Value>,
}

impl<'a> Param<'a> {
    fn value(&self, s: &Synth<'a>, all: bool) -> Value {
        match (&self.example, self.schema) {
            (Some(e), Some(schema)) if s.fits(e, schema) => e.clone(),
            (Some(e), None) => e.clone(),
            (_, Some(schema)) => {
                // In a path or query, `5` is text that an integer branch and a
                // string branch both accept, which a `oneOf` refuses: a union
                // with a string branch is given a string.
                let d = s.deref(schema);
                let string_branch = ["oneOf", "anyOf"]
                    .iter()
                    .filter_map(|k| d.get(*k).and_then(Value::as_array))
                    .flatten()
                    .find(|b| type_of(s.deref(b)) == Some("string"));
                s.value(string_branch.unwrap_or(schema), all, &mut Vec::new())
            }
            (None, None) => Value::String("x".into()),
        }
    }
}

struct BodyArg<'a> {
    media: String,
    required: bool,
    example: Option<Value>,
    schema: Option<&'a Value>,
    text: bool,
}

impl BodyArg<'_> {
    fn value(&self, s: &Synth, all: bool) -> Value {
        let v = match (&self.example, self.schema) {
            (Some(e), Some(schema)) if s.fits(e, schema) => e.clone(),
            (Some(e), None) => e.clone(),
            (_, Some(schema)) => s.value(schema, all, &mut Vec::new()),
            (None, None) => json!({}),
        };
        match (self.text, v) {
            (true, Value::String(t)) => Value::String(t),
            (true, other) => Value::String(other.to_string()),
            (false, v) => v,
        }
    }
}

struct Synth<'a> {
    doc: &'a Value,
    /// Schemas no value can satisfy, met while making arguments (an
    /// `enum` of strings on a list).
    unsatisfiable: std::cell::RefCell<Vec<String>>,
}

impl<'a> Synth<'a> {
    fn deref(&self, v: &'a Value) -> &'a Value {
        deref(self.doc, v)
    }

    /// Path-item parameters, overridden by the operation's of the same
    /// name and location.
    fn params(&self, item: &'a Value, op: &'a Value) -> Vec<Param<'a>> {
        let mut out: Vec<Param> = Vec::new();
        for list in [item.get("parameters"), op.get("parameters")].into_iter().flatten() {
            for p in list.as_array().into_iter().flatten() {
                let p = self.deref(p);
                let (Some(name), Some(location)) =
                    (p.get("name").and_then(Value::as_str), p.get("in").and_then(Value::as_str))
                else {
                    continue;
                };
                let content_schema = p
                    .get("content")
                    .and_then(Value::as_object)
                    .and_then(|c| c.values().next())
                    .and_then(|m| m.get("schema"));
                let schema = p.get("schema").or(content_schema);
                let param = Param {
                    location: location.to_string(),
                    name: name.to_string(),
                    required: location == "path"
                        || p.get("required").and_then(Value::as_bool).unwrap_or(false),
                    example: example_of(p),
                    schema,
                };
                out.retain(|q| !(q.name == param.name && q.location == param.location));
                out.push(param);
            }
        }
        out
    }

    /// The request body in the media type the client sends (JSON, else a
    /// form, else the first); whether it is multipart.
    fn body(&self, op: &'a Value) -> (Option<BodyArg<'a>>, bool) {
        let Some(body) = op.get("requestBody").map(|b| self.deref(b)) else {
            return (None, false);
        };
        let Some(content) = body.get("content").and_then(Value::as_object) else {
            return (None, false);
        };
        // As the client chooses: concrete JSON, a form, a JSON range, any
        // concrete type, the first.
        let concrete = |m: &str| !m.contains('*');
        let chosen = content
            .iter()
            .find(|(m, _)| is_json(m) && concrete(m))
            .or_else(|| content.iter().find(|(m, _)| is_form(m)))
            .or_else(|| content.iter().find(|(m, _)| is_json(m)))
            .or_else(|| content.iter().find(|(m, _)| concrete(m)))
            .or_else(|| content.iter().next());
        let Some((media, m)) = chosen else { return (None, false) };
        if media.starts_with("multipart/") {
            return (None, true);
        }
        let text = !is_json(media) && !is_form(media);
        let arg = BodyArg {
            media: media.clone(),
            required: body.get("required").and_then(Value::as_bool).unwrap_or(false),
            example: example_of(m),
            schema: m.get("schema"),
            text,
        };
        (Some(arg), false)
    }

    /// A value the schema accepts: its example, default or first enum
    /// value where it has one, else one made from its type and bounds.
    /// `all`: every property of objects, not only the required ones.
    ///
    /// `seen` holds the `$ref`s being made: a schema met again inside
    /// itself gives the least it can (an empty list, no optional
    /// properties), so recursive schemas end.
    fn value(&self, schema: &'a Value, all: bool, seen: &mut Vec<&'a str>) -> Value {
        let reference = schema.get("$ref").and_then(Value::as_str);
        let again = reference.is_some_and(|r| seen.contains(&r));
        if seen.len() > 48 {
            return Value::Null;
        }
        if let Some(r) = reference {
            seen.push(r);
        }
        let v = self.made(self.deref(schema), all && !again, again, seen);
        if reference.is_some() {
            seen.pop();
        }
        v
    }

    /// Does `example` satisfy the schema? Vendors' examples are often a
    /// single value for a list, a number as text, a date-time in a date
    /// field or an object without a required property; a value the schema
    /// refuses would judge the spec, not the client, so such an example
    /// gives way to a value made from the schema.
    fn fits(&self, example: &Value, schema: &'a Value) -> bool {
        self.fits_within(example, schema, 0)
    }

    fn fits_within(&self, v: &Value, schema: &'a Value, depth: usize) -> bool {
        // Deep enough: what is left is taken on trust.
        if depth > 32 {
            return true;
        }
        let schema = self.deref(schema);
        let fits = |v: &Value, s: &'a Value| self.fits_within(v, s, depth + 1);
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            if !(values.contains(v) || v.is_null() && nullable(schema)) {
                return false;
            }
        }
        let members = |key: &str| schema.get(key).and_then(Value::as_array);
        if members("allOf").is_some_and(|m| !m.iter().all(|m| fits(v, m))) {
            return false;
        }
        if members("anyOf").is_some_and(|m| !m.iter().any(|m| fits(v, m))) {
            return false;
        }
        if members("oneOf").is_some_and(|m| m.iter().filter(|m| fits(v, m)).count() != 1) {
            return false;
        }
        let t = type_of(schema)
            .or_else(|| schema.get("properties").map(|_| "object"))
            .or_else(|| schema.get("items").map(|_| "array"));
        let Some(t) = t else { return true };
        match v {
            Value::Null => nullable(schema) || t == "null",
            Value::Bool(_) => t == "boolean",
            Value::Number(n) => {
                let integral = n.is_i64() || n.is_u64();
                (t == "number" || (t == "integer" && integral))
                    && n.as_f64().is_some_and(|x| within(x, schema))
            }
            Value::String(text) => t == "string" && string_fits(text, schema),
            Value::Array(items) => {
                let count = |key: &str| schema.get(key).and_then(Value::as_u64);
                t == "array"
                    && count("minItems").is_none_or(|n| items.len() as u64 >= n)
                    && count("maxItems").is_none_or(|n| items.len() as u64 <= n)
                    && schema.get("items").is_none_or(|i| items.iter().all(|v| fits(v, i)))
            }
            Value::Object(o) => {
                let required = schema.get("required").and_then(Value::as_array);
                let properties = schema.get("properties").and_then(Value::as_object);
                t == "object"
                    && required.into_iter().flatten().filter_map(Value::as_str).all(|r| {
                        o.contains_key(r)
                            // A server sets what is read-only.
                            || properties.and_then(|p| p.get(r)).is_some_and(|p| {
                                self.deref(p).get("readOnly") == Some(&Value::Bool(true))
                            })
                    })
                    && properties
                        .into_iter()
                        .flatten()
                        .all(|(name, p)| o.get(name).is_none_or(|value| fits(value, p)))
            }
        }
    }

    fn made(&self, schema: &'a Value, all: bool, again: bool, seen: &mut Vec<&'a str>) -> Value {
        for key in ["const", "example", "default"] {
            if let Some(v) = schema.get(key).filter(|v| key == "const" || self.fits(v, schema)) {
                return v.clone();
            }
        }
        if let Some(v) = schema
            .get("examples")
            .and_then(Value::as_array)
            .and_then(|e| e.first())
            .filter(|v| self.fits(v, schema))
        {
            return v.clone();
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            match values.iter().find(|v| !v.is_null() && self.fits(v, schema)) {
                Some(v) => return v.clone(),
                None => self.unsatisfiable.borrow_mut().push(format!(
                    "no value of its `enum` ({}) is of its type",
                    Value::Array(values.clone())
                )),
            }
        }
        if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
            let mut merged = Map::new();
            let mut other = None;
            // A member that only annotates (a description beside a `$ref`)
            // adds no value.
            for m in members.iter().filter(|m| !annotation_only(self.deref(m))) {
                match self.value(m, all, seen) {
                    Value::Object(o) => merged.extend(o),
                    v => other = other.or(Some(v)),
                }
            }
            let own = self.object(schema, all, seen);
            merged.extend(own);
            return match other {
                Some(v) if merged.is_empty() => v,
                _ => Value::Object(merged),
            };
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(branches) = schema.get(key).and_then(Value::as_array) {
                // Properties beside the union belong to every branch.
                let mut made = |b: &'a Value| {
                    let mut v = self.value(b, all, seen);
                    if let Value::Object(o) = &mut v {
                        o.extend(self.object(schema, all, seen));
                    }
                    v
                };
                let candidates = branches.iter().filter(|b| type_of(self.deref(b)) != Some("null"));
                // A `oneOf` refuses a value two branches accept: the first
                // branch whose value fits it alone, else the first.
                let mut first = None;
                for b in candidates {
                    let v = made(b);
                    let fitting = branches.iter().filter(|o| self.fits(&v, o)).count();
                    if key == "anyOf" || fitting <= 1 {
                        return v;
                    }
                    first.get_or_insert(v);
                }
                if let Some(v) = first {
                    // Branches alike in what they require, none closed to
                    // the others' properties (portfoliooptimizer's alpha).
                    self.unsatisfiable.borrow_mut().push(format!(
                        "every value made for its oneOf fits more than one branch ({v})"
                    ));
                    return v;
                }
                if let Some(v) = branches.first().map(&mut made) {
                    return v;
                }
            }
        }
        match type_of(schema) {
            Some("string") => string(schema),
            Some("integer") => integer(schema),
            Some("number") => number(schema),
            Some("boolean") => Value::Bool(true),
            Some("array") => {
                // Two items where the schema allows: a server cannot tell a
                // one-item list in a query or form (`a=1`) from a scalar.
                let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
                let max = schema.get("maxItems").and_then(Value::as_u64).unwrap_or(u64::MAX);
                let unique = schema.get("uniqueItems") == Some(&Value::Bool(true));
                let item_schema = schema.get("items");
                let distinct: Vec<Value> = item_schema
                    .map(|i| self.deref(i))
                    .and_then(|i| i.get("enum"))
                    .and_then(Value::as_array)
                    .map(|e| e.iter().filter(|v| !v.is_null()).cloned().collect())
                    .unwrap_or_default();
                let wanted = match (again, unique && distinct.len() < 2) {
                    (true, _) => min,
                    (false, true) => min.max(1),
                    (false, false) => min.max(2),
                };
                let n = wanted.min(max) as usize;
                if unique && distinct.len() >= n {
                    return Value::Array(distinct.into_iter().take(n).collect());
                }
                let item = item_schema.map(|i| self.value(i, all, seen)).unwrap_or(json!("x"));
                // Unique items made from one value: told apart where they can be.
                let nth = |i: usize| match (&item, unique) {
                    (Value::String(t), true) if i > 0 => json!(format!("{t}{i}")),
                    (Value::Number(x), true) if i > 0 => x.as_i64().map_or_else(
                        || json!(x.as_f64().unwrap_or(0.0) + i as f64),
                        |x| json!(x + i as i64),
                    ),
                    _ => item.clone(),
                };
                Value::Array((0..n).map(nth).collect())
            }
            Some("null") => Value::Null,
            _ if ["properties", "additionalProperties", "type", "required", "minProperties"]
                .iter()
                .any(|k| schema.get(*k).is_some()) =>
            {
                Value::Object(self.object(schema, all, seen))
            }
            // No type: anything goes; a string is what most servers take.
            _ => json!("x"),
        }
    }

    fn object(&self, schema: &'a Value, all: bool, seen: &mut Vec<&'a str>) -> Map<String, Value> {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut out = Map::new();
        for (name, p) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
            let p_schema = self.deref(p);
            // A server sets read-only properties; a request does not send them.
            if p_schema.get("readOnly").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            if all || required.contains(&name.as_str()) {
                out.insert(name.clone(), self.value(p, all, seen));
            }
        }
        let extra = schema.get("additionalProperties").filter(|a| a.is_object());
        // A required name the schema does not describe (spotify's `uris`)
        // is still required.
        for name in required {
            let properties = schema.get("properties").and_then(Value::as_object);
            let described = properties.is_some_and(|p| p.contains_key(name));
            let folded = |n: &str| n.to_ascii_lowercase().replace(['_', '-'], "");
            // xero's FileObject requires `id` and describes `Id`: one name
            // or the other is a mistake, and a client keeps the described.
            if let Some(other) = properties
                .into_iter()
                .flat_map(|p| p.keys())
                .find(|p| !described && folded(p) == folded(name))
            {
                self.unsatisfiable
                    .borrow_mut()
                    .push(format!("it requires `{name}` and describes `{other}`"));
            }
            if !out.contains_key(name) && !described {
                let v = extra.map_or(json!("x"), |a| self.value(a, all, seen));
                out.insert(name.to_string(), v);
            }
        }
        // A map that must have entries gets them.
        let min = schema.get("minProperties").and_then(Value::as_u64).unwrap_or(0) as usize;
        for i in 0..min.saturating_sub(out.len()) {
            let v = extra.map_or(json!("x"), |a| self.value(a, all, seen));
            out.insert(format!("key{i}"), v);
        }
        out
    }
}

/// A schema that says nothing of the value: no type, no structure.
fn annotation_only(schema: &Value) -> bool {
    const SHAPES: [&str; 14] = [
        "$ref",
        "type",
        "properties",
        "additionalProperties",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "enum",
        "const",
        "format",
        "pattern",
        "required",
        "not",
    ];
    !SHAPES.iter().any(|k| schema.get(*k).is_some())
}

/// A parameter's or media type's own example.
fn example_of(v: &Value) -> Option<Value> {
    if let Some(e) = v.get("example") {
        return Some(e.clone());
    }
    let examples = v.get("examples")?.as_object()?;
    examples.values().find_map(|e| e.get("value").cloned())
}

/// The schema's type; of a 3.1 list of types, the first that is not null.
fn type_of(schema: &Value) -> Option<&str> {
    match schema.get("type")? {
        Value::String(t) => Some(t),
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ => None,
    }
}

fn nullable(schema: &Value) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true))
        || schema.get("type").and_then(Value::as_array).is_some_and(|t| t.contains(&json!("null")))
}

/// Is `x` inside the schema's bounds (3.0 or 3.1 style) and its format's range?
fn within(x: f64, schema: &Value) -> bool {
    let num = |key: &str| schema.get(key).and_then(Value::as_f64);
    let exclusive = |key: &str| schema.get(key) == Some(&Value::Bool(true));
    let low = match num("minimum") {
        Some(m) if exclusive("exclusiveMinimum") => x > m,
        Some(m) => x >= m,
        None => true,
    };
    let high = match num("maximum") {
        Some(m) if exclusive("exclusiveMaximum") => x < m,
        Some(m) => x <= m,
        None => true,
    };
    let low31 = num("exclusiveMinimum").is_none_or(|m| x > m);
    let high31 = num("exclusiveMaximum").is_none_or(|m| x < m);
    let ranged = match schema.get("format").and_then(Value::as_str) {
        Some("int32") => (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&x),
        Some("uint32") => (0.0..=f64::from(u32::MAX)).contains(&x),
        // Prism holds `int64` to what a JavaScript number keeps exactly
        // (`@stoplight/http-spec`, `keywords/format.js`: MAX_SAFE_INTEGER).
        Some("int64") => x.abs() <= 9_007_199_254_740_991.0,
        _ => true,
    };
    low && high && low31 && high31 && ranged
}

/// Does `text` satisfy the string schema's lengths, pattern and the
/// formats a mock server checks? A pattern Rust's `regex` cannot read
/// (lookaround, backreferences) is taken on trust.
fn string_fits(text: &str, schema: &Value) -> bool {
    let len = text.chars().count() as u64;
    let count = |key: &str| schema.get(key).and_then(Value::as_u64);
    let lengths =
        count("minLength").is_none_or(|n| len >= n) && count("maxLength").is_none_or(|n| len <= n);
    let pattern = schema
        .get("pattern")
        .and_then(Value::as_str)
        .and_then(|p| regex::Regex::new(p).ok())
        .is_none_or(|p| p.is_match(text));
    let format = match schema.get("format").and_then(Value::as_str).unwrap_or("") {
        "date" => text.len() == 10 && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
        "date-time" => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
        "uuid" => {
            text.len() == 36
                && text.char_indices().all(|(i, c)| {
                    if [8, 13, 18, 23].contains(&i) {
                        c == '-'
                    } else {
                        c.is_ascii_hexdigit()
                    }
                })
        }
        "email" => text.contains('@'),
        _ => true,
    };
    lengths && pattern && format
}

fn string(schema: &Value) -> Value {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let by_format = match format {
        "date-time" => Some("2024-01-02T03:04:05Z"),
        "date" => Some("2024-01-02"),
        "time" => Some("03:04:05Z"),
        "uuid" => Some("123e4567-e89b-42d3-a456-426614174000"),
        "email" => Some("user@example.com"),
        "uri" | "url" | "iri" => Some("https://example.com/a"),
        "uri-reference" | "iri-reference" => Some("/a"),
        "hostname" | "idn-hostname" => Some("example.com"),
        "ipv4" => Some("192.0.2.1"),
        "ipv6" => Some("2001:db8::1"),
        "byte" => Some("eA=="),
        "duration" => Some("P1D"),
        _ => None,
    };
    if let Some(v) = by_format {
        return json!(v);
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        if let Some(v) = matching(pattern, schema) {
            return Value::String(v);
        }
    }
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(1) as usize;
    let max = schema.get("maxLength").and_then(Value::as_u64).map(|m| m as usize);
    let n = min.max(1).min(max.unwrap_or(usize::MAX)).max(min);
    Value::String("x".repeat(n))
}

/// A string matching an ECMAScript-style pattern, made by `rand_regex`
/// with a fixed seed, checked against the pattern and the length bounds.
fn matching(pattern: &str, schema: &Value) -> Option<String> {
    use rand::{RngExt, SeedableRng};
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = schema.get("maxLength").and_then(Value::as_u64).unwrap_or(u64::MAX) as usize;
    let check = regex::Regex::new(pattern).ok()?;
    let hir = printable(regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?);
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    // Short repeats first; longer ones where the length bounds ask for them
    // (`^st-[a-zA-Z0-9]+$` of exactly 26 characters).
    let mut repeats = vec![8, min as u32, max.min(256) as u32];
    repeats.dedup();
    repeats.into_iter().filter(|r| *r > 0).find_map(|repeat| {
        let generator = rand_regex::Regex::with_hir(hir.clone(), repeat).ok()?;
        (0..64)
            .map(|_| rng.sample::<String, _>(&generator))
            .find(|s| (min..=max).contains(&s.chars().count()) && check.is_match(s))
    })
}

/// The pattern with its anchors and word boundaries removed (a string made
/// from what is left matches the whole pattern, which matches anywhere in
/// a value) and every class narrowed to printable ASCII where it has such
/// characters: a negated class (`[^:\s]`) otherwise yields characters
/// that an ECMAScript engine reads differently (`\s` holds U+FEFF there)
/// or that a query string must escape.
fn printable(hir: regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange};
    use regex_syntax::hir::{Hir, HirKind};
    match hir.into_kind() {
        HirKind::Look(_) | HirKind::Empty => Hir::empty(),
        HirKind::Literal(l) => Hir::literal(l.0),
        HirKind::Class(Class::Unicode(c)) => {
            let mut narrow = c.clone();
            narrow.intersect(&ClassUnicode::new([ClassUnicodeRange::new(' ', '~')]));
            Hir::class(Class::Unicode(if narrow.ranges().is_empty() { c } else { narrow }))
        }
        HirKind::Class(Class::Bytes(c)) => {
            let mut narrow = c.clone();
            narrow.intersect(&ClassBytes::new([ClassBytesRange::new(b' ', b'~')]));
            Hir::class(Class::Bytes(if narrow.ranges().is_empty() { c } else { narrow }))
        }
        HirKind::Repetition(mut r) => {
            r.sub = Box::new(printable(*r.sub));
            Hir::repetition(r)
        }
        HirKind::Capture(mut c) => {
            c.sub = Box::new(printable(*c.sub));
            Hir::capture(c)
        }
        HirKind::Concat(parts) => Hir::concat(parts.into_iter().map(printable).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.into_iter().map(printable).collect()),
    }
}

fn integer(schema: &Value) -> Value {
    let (lo, hi) = bounds(schema);
    let mut v = 1.0_f64.max(lo.unwrap_or(f64::MIN)).min(hi.unwrap_or(f64::MAX));
    if let Some(m) = schema.get("multipleOf").and_then(Value::as_f64).filter(|m| *m > 0.0) {
        v = (v / m).ceil() * m;
    }
    json!(v.ceil() as i64)
}

fn number(schema: &Value) -> Value {
    // `type: number, format: int32` asks for an integer.
    if schema.get("format").and_then(Value::as_str).is_some_and(|f| f.starts_with("int")) {
        return integer(schema);
    }
    let (lo, hi) = bounds(schema);
    let v = 1.5_f64.max(lo.unwrap_or(f64::MIN)).min(hi.unwrap_or(f64::MAX));
    json!(v)
}

/// Inclusive bounds, from 3.0 (`exclusiveMinimum: true`) or 3.1
/// (`exclusiveMinimum: 3`) keywords.
fn bounds(schema: &Value) -> (Option<f64>, Option<f64>) {
    let bound = |key: &str, exclusive: &str, step: f64| match (
        schema.get(key).and_then(Value::as_f64),
        schema.get(exclusive),
    ) {
        (Some(b), Some(Value::Bool(true))) => Some(b + step),
        (Some(b), _) => Some(b),
        (None, Some(v)) => v.as_f64().map(|b| b + step),
        (None, None) => None,
    };
    (bound("minimum", "exclusiveMinimum", 1.0), bound("maximum", "exclusiveMaximum", -1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn made(doc: &Value, schema: Value) -> Value {
        let s = Synth { doc, unsatisfiable: Default::default() };
        s.value(&schema, true, &mut Vec::new())
    }

    #[test]
    fn values_satisfy_their_schemas() {
        let doc = json!({ "components": { "schemas": {
            "Node": { "type": "object", "required": ["next"], "properties": {
                "next": { "$ref": "#/components/schemas/Node" } } },
            "Map": { "type": "object", "minProperties": 1, "additionalProperties": { "type": "integer" } },
        } } });
        let sid = made(&doc, json!({ "type": "string", "pattern": "^DC[0-9a-fA-F]{32}$" }));
        let sid = sid.as_str().unwrap();
        assert!(sid.starts_with("DC") && sid.len() == 34, "{sid}");
        // Two items, so that a query or form list is not a scalar; distinct where unique.
        assert_eq!(
            made(&doc, json!({ "type": "array", "items": { "type": "boolean" } })),
            json!([true, true])
        );
        let unique =
            json!({ "type": "array", "uniqueItems": true, "items": { "enum": ["a", "b", "c"] } });
        assert_eq!(made(&doc, unique), json!(["a", "b"]));
        // A recursive schema ends; a map that must have entries has them.
        let node = made(&doc, json!({ "$ref": "#/components/schemas/Node" }));
        assert!(node["next"].is_object(), "{node}");
        assert_eq!(made(&doc, json!({ "$ref": "#/components/schemas/Map" })), json!({ "key0": 1 }));
        // A member that only annotates adds nothing: the map stays a map.
        let annotated =
            json!({ "allOf": [{ "$ref": "#/components/schemas/Map" }, { "description": "d" }] });
        assert_eq!(made(&doc, annotated), json!({ "key0": 1 }));
        // Examples and enums of the wrong type are not used.
        let listed = json!({ "type": "array", "example": "live", "enum": ["live"], "items": { "type": "string" } });
        assert_eq!(made(&doc, listed), json!(["x", "x"]));
        // Nor examples that break the format or miss a required property.
        let date = json!({ "type": "string", "format": "date", "example": "2025-10-15T13:51:36Z" });
        assert_eq!(made(&doc, date), json!("2024-01-02"));
        let partial = json!({ "type": "object", "required": ["a"], "example": { "b": 1 },
            "properties": { "a": { "type": "integer" }, "b": { "type": "integer" } } });
        assert_eq!(made(&doc, partial), json!({ "a": 1, "b": 1 }));
        // An int64 example past 2^53 is one Prism refuses.
        let big =
            json!({ "type": "integer", "format": "int64", "example": 2339264502380679700_u64 });
        assert_eq!(made(&doc, big), json!(1));
        // Unique items are told apart.
        let unique = json!({ "type": "array", "uniqueItems": true, "minItems": 2, "items": { "type": "integer" } });
        assert_eq!(made(&doc, unique), json!([1, 2]));
        // An example two branches of a oneOf take is no example of it.
        let both = json!({ "oneOf": [{ "type": "object" }, { "type": "object" }], "example": {} });
        assert!(!satisfies(&doc, &json!({}), &both));
        // A oneOf gets a value only one branch takes (1 is also a number).
        let one = json!({ "oneOf": [{ "type": "integer" }, { "type": "number" }] });
        assert_eq!(made(&doc, one), json!(1.5));
        // A required name without a schema is there all the same.
        let undescribed =
            json!({ "type": "object", "required": ["uris"], "additionalProperties": true });
        assert_eq!(made(&doc, undescribed), json!({ "uris": "x" }));
        // Negated classes, anchors inside alternations, and `\s` (wider in
        // ECMAScript) still give a matching, printable value.
        for pattern in [
            r"^arn:aws[^:\s]*:[^:\s]*:[^:\s]*:[0-9]{12}:[^\s]+$",
            r"(^[a-z0-9]{4,7}$|^AppConfig\.[A-Za-z0-9]{9,40}$)",
            r"^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:recording-configuration/[a-zA-Z0-9-]+$",
            r"^=.*",
            r"^st-[a-zA-Z0-9]+$",
        ] {
            let v = made(&doc, json!({ "type": "string", "pattern": pattern }));
            let v = v.as_str().unwrap();
            assert!(regex::Regex::new(pattern).unwrap().is_match(v), "{pattern}: {v:?}");
            assert!(v.chars().all(|c| (' '..='~').contains(&c)), "{pattern}: {v:?}");
        }
        // Longer than the default repeats give, where the bounds say so.
        let exact = json!({ "type": "string", "pattern": "^st-[a-zA-Z0-9]+$",
            "minLength": 26, "maxLength": 26 });
        assert_eq!(made(&doc, exact).as_str().map(str::len), Some(26));
    }

    #[test]
    fn cases_cover_every_status_and_media_type_and_skip_what_cannot_be_asked() {
        let doc = json!({ "paths": {
            "/a/{id}": { "get": { "parameters": [
                { "name": "id", "in": "path", "schema": { "type": "integer", "minimum": 5 } },
                { "name": "q", "in": "query", "schema": { "type": "string" } } ],
                "responses": {
                    "200": { "content": {
                        "application/json": { "schema": { "type": "object" } }, "text/csv": {} } },
                    "404": { "description": "gone" },
                    "5XX": { "description": "range" } } } },
            "/#Action=X": { "get": { "responses": { "200": { "description": "ok" } } } },
        } });
        let (cases, not_run) = cases(&doc, 1);
        // 3 answers x (required, all, one dynamic call), but no dynamic
        // call for the CSV, which has no schema to make one from.
        assert_eq!(cases.len(), 8);
        assert_eq!((not_run.ranges, not_run.fragments, not_run.schemaless), (1, 1, 1));
        let required = &cases[0];
        assert_eq!(
            (required.status.as_str(), required.media.as_str()),
            ("200", "application/json")
        );
        assert_eq!(Value::Object(required.args.clone()), json!({ "path id": 5 }));
        assert_eq!(Value::Object(cases[1].args.clone()), json!({ "path id": 5, "query q": "x" }));
    }

    #[test]
    fn a_union_parameter_with_a_string_branch_is_given_a_string() {
        let doc = json!({ "paths": { "/w/{id}": { "get": {
            "parameters": [{ "name": "id", "in": "path", "required": true,
                "schema": { "oneOf": [{ "type": "integer" }, { "type": "string" }] } }],
            "responses": { "200": { "description": "ok" } } } } } });
        let (cases, _) = cases(&doc, 0);
        assert_eq!(cases[0].args["path id"], json!("x"));
    }

    #[test]
    fn a_ref_is_a_uri_fragment() {
        let doc = json!({ "paths": {
            "/jobs/{id}": { "get": { "responses": { "401": {
                "content": { "application/problem+json": {} } } } } },
            "/account": { "get": { "responses": {
                "401": { "$ref": "#/paths/~1jobs~1%7Bid%7D/get/responses/401" } } } } } });
        let (cases, _) = cases(&doc, 0);
        assert!(cases.iter().all(|c| c.media == "application/problem+json"), "{cases:?}");
    }
}

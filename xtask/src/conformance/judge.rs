//! Whether one case passed: the mock server found nothing wrong with the
//! request, answered the status asked for, and the client decoded the
//! answer into the variant the spec gives for that status and media type,
//! keeping every field the body had.

use serde_json::{json, Value};

use super::synth::{is_form, is_json, Case};

/// Where Prism's own answers (not the spec's) say what went wrong.
const PRISM_ERROR: &str = "https://stoplight.io/prism/errors#";

/// What the client documents, from its harness.
pub struct Answers {
    /// (operation, status, media type, variant) for every documented answer.
    pub answers: Vec<[String; 4]>,
    /// A slice of the spec: operations outside it are not called.
    pub slice: bool,
}

impl Answers {
    /// What `runner answers MODULE` prints.
    pub fn from_json(v: &Value) -> Option<Answers> {
        let answers = v["answers"]
            .as_array()?
            .iter()
            .map(|row| {
                let cell = |i: usize| row[i].as_str().map(str::to_string);
                Some([cell(0)?, cell(1)?, cell(2)?, cell(3)?])
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Answers { answers, slice: v["slice"].as_bool()? })
    }
}

pub struct Verdict {
    pub op: String,
    pub operation_id: Option<String>,
    pub status: String,
    pub media: String,
    pub args_mode: &'static str,
    pub dynamic: bool,
    pub pass: bool,
    /// False when the case says nothing of the client: the mock server
    /// could not answer it, or the operation is outside a slice.
    pub judged: bool,
    /// What failed, in words shared by every spec that fails alike.
    pub cause: String,
    /// This case's particulars: the message, the body.
    pub detail: String,
}

impl Verdict {
    pub fn to_json(&self) -> Value {
        json!({
            "op": self.op,
            "operation_id": self.operation_id,
            "status": self.status,
            "media": self.media,
            "args": self.args_mode,
            "dynamic": self.dynamic,
            "pass": self.pass,
            "judged": self.judged,
            "cause": self.cause,
            "detail": self.detail,
        })
    }
}

enum Finding {
    Pass,
    Fail(String, String),
    /// Not the client's doing (see `Verdict::judged`).
    NotJudged(String, String),
}

fn verdict(c: &Case, finding: Finding) -> Verdict {
    let (pass, judged, cause, detail) = match finding {
        Finding::Pass => (true, true, String::new(), String::new()),
        Finding::Fail(cause, detail) => (false, true, cause, detail),
        Finding::NotJudged(cause, detail) => (false, false, cause, detail),
    };
    Verdict {
        op: c.op.clone(),
        operation_id: c.operation_id.clone(),
        status: c.status.clone(),
        media: c.media.clone(),
        args_mode: c.args_mode,
        dynamic: c.dynamic,
        pass,
        judged,
        cause,
        detail,
    }
}

/// What Prism cannot read, when every violation it found in a request is
/// of that kind (`None` when one is the client's to answer for). Each is
/// in Prism 5.16's code or in the OpenAPI specification:
/// - a list in a form body is read as a list only where an `encoding`
///   gives its style; without one Prism keeps the last of repeated keys;
/// - a body of another media type is checked as if it were JSON;
/// - a query list or object whose schema is `nullable` is not split
///   (`deserializers/style/form.js` tests `schema.type === 'array'`, and
///   Prism has made the type `["array", "null"]`);
/// - a list of objects in a query has no serialization OpenAPI defines,
///   so what any client sends is read as a list of strings;
/// - an empty form body (no field set) is read as no body;
/// - a value its own message lists as allowed is refused (a path list
///   whose enum mixes strings and numbers; by hand, the same path makes
///   Prism throw in `deserializers/style/simple.js`);
/// - a required query parameter whose name has characters a query
///   escapes (`filter[tag]`) is looked for percent-encoded;
/// - `Accept` and `Content-Type` header parameters, which OpenAPI says to
///   ignore (the client sets both), are checked against their schemas,
///   and required.
fn request_limit(c: &Case, violations: &[Value]) -> Option<&'static str> {
    let form = c.body_media.as_deref().is_some_and(is_form);
    let other_media = c.body_media.as_deref().is_some_and(|m| !is_json(m) && !is_form(m));
    // A form with no field set is an empty body, which Prism takes for no
    // body at all.
    let empty_form = form && c.args.get("body ").is_some_and(|b| b == &json!({}));
    let limit = |v: &Value| -> Option<&'static str> {
        // `["request", "query", ...]` in a header, `["query", ...]` in a 422.
        let mut at: &[Value] = v["location"].as_array()?;
        if at.first().is_some_and(|l| l == "request") {
            at = &at[1..];
        }
        let message = v["message"].as_str().unwrap_or("");
        if at.is_empty() && message == "Body parameter is required" && empty_form {
            return Some("mock: reads an empty form body as none");
        }
        // Prism refusing a value its own message lists as allowed (firebrowse's
        // path list `01,01`, whose enum mixes strings and numbers).
        let listed = message.split_once("allowed values: ").is_some_and(|(_, allowed)| {
            let text = match sent(c, at) {
                Some(Value::String(t)) => t,
                Some(Value::Null) | None => return false,
                Some(other) => other.to_string(),
            };
            allowed.split(", ").any(|a| a == text)
        });
        if v["code"] == "enum" && listed {
            return Some("mock: refuses a value its enum lists");
        }
        match at.first().and_then(Value::as_str)? {
            "body" if form && message.contains("must be array") => {
                Some("mock: reads a list in a form body only with an `encoding` style")
            }
            "body" if other_media => {
                Some("mock: checks a body that is not JSON against a JSON schema")
            }
            "header"
                if at.get(1).and_then(Value::as_str).is_some_and(|h| {
                    h.eq_ignore_ascii_case("accept") || h.eq_ignore_ascii_case("content-type")
                }) || ["'accept'", "'content-type'"]
                    .iter()
                    .any(|h| message.to_ascii_lowercase().ends_with(&format!("property {h}"))) =>
            {
                Some("mock: checks an Accept or Content-Type parameter OpenAPI says to ignore")
            }
            // Prism looks for the name percent-encoded, and finds what was
            // sent decoded (`filter[tag]`).
            "query" if v["code"] == "required" && message.contains('%') => {
                Some("mock: misses a query parameter whose name has characters to escape")
            }
            "query" if message.ends_with(",null") => {
                Some("mock: does not split a nullable list or object in a query")
            }
            "query" if at.len() > 2 && message.ends_with("must be object") => {
                Some("spec: a list of objects in a query has no serialization OpenAPI defines")
            }
            _ => None,
        }
    };
    let limits: Vec<Option<&'static str>> = violations.iter().map(limit).collect();
    match limits.first() {
        Some(Some(first)) if limits.iter().all(Option::is_some) => Some(first),
        _ => None,
    }
}

/// The argument a violation's location (`["path", "code", "0"]`) names,
/// item by item into lists; Prism writes parameter names in lower case.
fn sent(c: &Case, at: &[Value]) -> Option<Value> {
    let (place, name) = (at.first()?.as_str()?, at.get(1)?.as_str()?);
    let key = format!("{place} {name}");
    let arg = c.args.iter().find(|(k, _)| k.eq_ignore_ascii_case(&key)).map(|(_, v)| v)?;
    let index = at.get(2).and_then(Value::as_str).and_then(|i| i.parse::<usize>().ok());
    Some(match (arg, index) {
        (Value::Array(items), Some(i)) => items.get(i)?.clone(),
        (v, _) => v.clone(),
    })
}

/// A request Prism refused for schemas the harness made no value for.
fn unsatisfiable(c: &Case, found: &str) -> Finding {
    Finding::NotJudged(
        "spec: no value made satisfies the operation's schemas".into(),
        format!("{}; {}", c.unsatisfiable.as_deref().unwrap_or(""), excerpt(found)),
    )
}

/// A case not run again because the mock server died while it, or one
/// like it (same operation, status, media type and mode), was in flight.
pub fn killed_mock(c: &Case) -> Verdict {
    verdict(
        c,
        Finding::NotJudged(
            "mock: died while this case or one like it was in flight".into(),
            String::new(),
        ),
    )
}

pub fn missing(c: &Case, why: &str) -> Verdict {
    verdict(c, Finding::Fail("runner: no outcome".into(), why.to_string()))
}

pub fn judge(c: &Case, outcome: &Value, answers: &Answers, doc: &Value) -> Verdict {
    verdict(c, finding(c, outcome, answers, doc))
}

fn finding(c: &Case, o: &Value, answers: &Answers, doc: &Value) -> Finding {
    let fail = |cause: &str, detail: String| Finding::Fail(cause.to_string(), detail);
    let mock = |cause: &str, detail: String| Finding::NotJudged(format!("mock: {cause}"), detail);
    if let Some(why) = o["unbuilt"].as_str() {
        if answers.slice && !answers.answers.iter().any(|a| a[0] == c.op) {
            return Finding::NotJudged("outside the slice".into(), String::new());
        }
        return fail(&format!("client: {why}"), String::new());
    }
    if let Some(arg) = o["argument"].as_str() {
        return fail(
            "argument: the client's type refuses a value the schema allows",
            format!("{arg} {} {}: {}", o["path"], o["value"], o["message"]),
        );
    }
    let raw = &o["raw"];
    let Some(status) = raw["status"].as_u64() else {
        let error = o["error"].as_str().unwrap_or("").to_string();
        let kind = o["error_kind"].as_str().unwrap_or("?");
        // The mock server died under an earlier case (Prism runs out of
        // stack on some recursive schemas).
        if connection_failed(o) {
            return mock("the connection failed", error);
        }
        // What no HTTP client can send (a header name with a quote in it).
        if kind == "invalid-request" && error.contains("is not a valid header name") {
            return Finding::NotJudged("spec: a parameter HTTP cannot carry".into(), error);
        }
        // A form body is fields: a spec whose form schema is a string or
        // a list gives nothing a client can encode.
        if kind == "invalid-request" && error.contains("a form body must be an object") {
            return Finding::NotJudged("spec: a form body that is not an object".into(), error);
        }
        return fail(&format!("call failed: {kind}"), error);
    };
    let body_text = raw["body"].as_str().unwrap_or("");
    let body: Option<Value> = serde_json::from_str(body_text).ok();
    if let Some(kind) =
        body.as_ref().and_then(|b| b["type"].as_str()).and_then(|t| t.strip_prefix(PRISM_ERROR))
    {
        let b = body.as_ref().expect("parsed");
        let validation = b["validation"].as_array().map(Vec::as_slice).unwrap_or_default();
        let first = validation.first();
        let at = first
            .and_then(|v| v["location"].as_array())
            .and_then(|l| l.first())
            .and_then(Value::as_str);
        // What Prism found, in its words: where, and what is wrong there.
        let found: Vec<String> = validation
            .iter()
            .map(|v| {
                let location: Vec<String> = v["location"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|l| l.as_str().map_or(l.to_string(), str::to_string))
                    .collect();
                format!("{}: {}", location.join("."), v["message"].as_str().unwrap_or("?"))
            })
            .collect();
        let body_text = if found.is_empty() { body_text } else { &found.join("; ") };
        if at.is_some() && kind != "UNKNOWN" && kind != "NO_COMPLEX_OBJECT_TEXT" {
            if let Some(limit) = request_limit(c, validation) {
                return Finding::NotJudged(limit.into(), excerpt(body_text));
            }
        }
        return match (kind, at) {
            ("UNKNOWN", _) => mock("failed making an answer", excerpt(body_text)),
            ("NO_COMPLEX_OBJECT_TEXT", _) => {
                mock("cannot write an object in this media type", excerpt(body_text))
            }
            (_, Some("response")) => mock("its own answer violates the spec", excerpt(body_text)),
            (_, Some(_)) if c.unsatisfiable.is_some() => unsatisfiable(c, body_text),
            (_, Some(at)) => fail(
                &format!(
                    "request rejected: {kind}: {at} ({})",
                    first.map_or("?", |v| v["code"].as_str().unwrap_or("?"))
                ),
                excerpt(body_text),
            ),
            (_, None) => fail(&format!("request rejected: {kind}"), excerpt(body_text)),
        };
    }
    // Violations Prism did not make an error of: its own answer's, or
    // (rarely) the request's.
    // A warning (a deprecated parameter sent) is no violation; a header
    // that does not parse counts as one.
    let violations = raw["headers"]["sl-violations"].as_str().map(|v| {
        let found: Option<Vec<Value>> = serde_json::from_str(v).ok();
        let errors: Option<Vec<Value>> =
            found.map(|f| f.into_iter().filter(|f| f["severity"] != "Warning").collect());
        (v, errors)
    });
    if let Some((v, errors)) = violations.filter(|(_, e)| e.as_ref().is_none_or(|e| !e.is_empty()))
    {
        let request: Vec<Value> = errors
            .unwrap_or_default()
            .into_iter()
            .filter(|f| f["location"][0] == "request")
            .collect();
        if let Some(limit) = request_limit(c, &request) {
            return Finding::NotJudged(limit.into(), excerpt(v));
        }
        if c.unsatisfiable.is_some() && !request.is_empty() {
            return unsatisfiable(c, v);
        }
        return match request.first() {
            Some(f) => fail(
                &format!(
                    "request rejected: {} ({})",
                    f["location"][1].as_str().unwrap_or("?"),
                    f["code"].as_str().unwrap_or("?")
                ),
                excerpt(v),
            ),
            None => mock("its own answer violates the spec", excerpt(v)),
        };
    }
    if status.to_string() != c.status {
        // A JavaScript exception's name as the type: Prism itself failed.
        let crashed = status == 500
            && body
                .as_ref()
                .and_then(|b| b["type"].as_str())
                .is_some_and(|t| t.ends_with("Error") && !t.contains('/'));
        if crashed {
            return mock("failed making an answer", excerpt(body_text));
        }
        return fail(
            "status: not the one asked for",
            format!("asked {}, got {status}: {}", c.status, excerpt(body_text)),
        );
    }
    let documented: Vec<&[String; 4]> =
        answers.answers.iter().filter(|a| a[0] == c.op && a[1] == c.status).collect();
    if documented.is_empty() {
        return fail("client: the status is not documented in the client", String::new());
    }
    let Some(expected) = documented.iter().find(|a| a[2] == c.media) else {
        let medias: Vec<&str> = documented.iter().map(|a| a[2].as_str()).collect();
        return fail(
            "client: the media type is not one the client reads",
            format!("{} not in {medias:?}", c.media),
        );
    };
    if let Some(e) = o["error"].as_str() {
        let kind = o["error_kind"].as_str().unwrap_or("?");
        // A client may refuse what breaks the schema: the spec's example
        // (`"string"` for a date-time) or a value Prism made (a negative
        // `uint32`). Prism checks its answers, but not every format.
        let broken = c
            .schema
            .as_ref()
            .zip(body.as_ref())
            .is_some_and(|(schema, body)| !super::synth::satisfies(doc, body, schema));
        // Neither schema nor example: Prism's answer is empty.
        let nothing = c.schema.is_none() && !c.dynamic && body_text.is_empty();
        if nothing && kind == "decode" {
            return Finding::NotJudged(
                "spec: a JSON answer with neither schema nor example (Prism sends it empty)".into(),
                e.to_string(),
            );
        }
        if broken && kind == "decode" {
            return mock(
                "its answer does not satisfy the schema",
                format!("{e}; body: {}", excerpt(body_text)),
            );
        }
        return fail(&format!("decode: {kind}"), format!("{e}; body: {}", excerpt(body_text)));
    }
    let variant = o["variant"].as_str().unwrap_or("");
    if variant != expected[3] {
        return fail("decode: another variant", format!("expected {}, got {variant}", expected[3]));
    }
    if o["decoded"] == false {
        return fail(
            "decode: a documented error body was not read",
            format!(
                "{}; body: {}",
                o["unread"].as_str().unwrap_or("not of the documented type"),
                excerpt(body_text)
            ),
        );
    }
    if let (Some(typed), Some(body)) = (o.get("typed"), &body) {
        let mut lost = Vec::new();
        dropped(body, typed, &mut Vec::new(), &mut lost);
        // Only what the schema names: a spec's own examples often carry
        // properties it does not, which a typed client rightly skips.
        let lost: Vec<String> = lost
            .into_iter()
            .filter(|at| c.schema.as_ref().is_some_and(|s| declared(doc, s, at, 0)))
            .map(|at| format!("/{}", at.join("/")))
            .collect();
        if !lost.is_empty() {
            return fail(
                "decode: fields lost when the typed value is encoded again",
                format!("{}; body: {}", lost.join(", "), excerpt(body_text)),
            );
        }
    }
    Finding::Pass
}

/// The connection broke mid-answer (rather than being refused): the
/// case was in flight when the mock server died.
pub fn in_flight_at_death(o: &Value) -> bool {
    connection_failed(o) && !o["error"].as_str().unwrap_or("").contains("Connection refused")
}

/// A call that got no answer because the connection failed: the mock
/// server died, in practice.
pub fn connection_failed(o: &Value) -> bool {
    let error = o["error"].as_str().unwrap_or("");
    o["error_kind"] == "other"
        && ["Connection refused", "connection closed", "Connection reset"]
            .iter()
            .any(|m| error.contains(m))
}

/// Paths in `raw` that `typed` does not have. Absent and `null` are the
/// same to a typed client (`Option`); scalars are not compared, since a
/// client may write a value in another form (`1.0` as `1`, a date-time in
/// UTC).
fn dropped(raw: &Value, typed: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match (raw, typed) {
        (Value::Object(r), Value::Object(t)) => {
            for (k, v) in r {
                at.push(k.clone());
                match t.get(k) {
                    None if v.is_null() => {}
                    None => out.push(at.clone()),
                    Some(tv) => dropped(v, tv, at, out),
                }
                at.pop();
            }
        }
        (Value::Array(r), Value::Array(t)) if r.len() == t.len() => {
            for (i, (rv, tv)) in r.iter().zip(t).enumerate() {
                at.push(i.to_string());
                dropped(rv, tv, at, out);
                at.pop();
            }
        }
        (Value::Array(_), _) | (Value::Object(_), _) => out.push(at.clone()),
        _ => {}
    }
}

/// Does `schema` name the value at `path` (property names and list
/// indexes), through `$ref`s, any member or branch of `allOf`, `oneOf` and
/// `anyOf`, `items` and a schema for `additionalProperties`?
fn declared(doc: &Value, schema: &Value, path: &[String], depth: usize) -> bool {
    let schema = super::synth::deref(doc, schema);
    if schema.get("$ref").is_some() {
        return false;
    }
    let Some((first, rest)) = path.split_first() else { return true };
    if depth > 64 {
        return false;
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        let members = schema.get(key).and_then(Value::as_array).into_iter().flatten();
        if members.into_iter().any(|m| declared(doc, m, path, depth + 1)) {
            return true;
        }
    }
    if let Some(p) = schema.get("properties").and_then(|p| p.get(first)) {
        return declared(doc, p, rest, depth + 1);
    }
    if let (Some(items), true) = (schema.get("items"), first.parse::<usize>().is_ok()) {
        return declared(doc, items, rest, depth + 1);
    }
    match schema.get("additionalProperties") {
        Some(a) if a.is_object() => declared(doc, a, rest, depth + 1),
        _ => false,
    }
}

fn excerpt(text: &str) -> String {
    const MAX: usize = 300;
    if text.len() <= MAX {
        return text.to_string();
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} bytes)", &text[..end], text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(dynamic: bool) -> Case {
        Case {
            id: 0,
            op: "get /pets".into(),
            operation_id: None,
            status: "200".into(),
            media: "application/json".into(),
            args_mode: "all",
            dynamic,
            args: Default::default(),
            body_media: None,
            schema: Some(
                json!({ "type": "object", "properties": { "name": { "type": "string" } } }),
            ),
            unsatisfiable: None,
        }
    }

    fn answers() -> Answers {
        let row = ["get /pets", "200", "application/json", "Ok"].map(String::from);
        Answers { answers: vec![row], slice: false }
    }

    fn outcome(body: &str, typed: Value) -> Value {
        json!({ "raw": { "status": 200, "headers": {}, "body": body }, "variant": "Ok",
                "decoded": true, "typed": typed })
    }

    #[test]
    fn a_field_the_schema_names_must_survive_and_one_it_does_not_may_go() {
        let doc = json!({});
        let kept = outcome(r#"{"name":"a","extra":1}"#, json!({ "name": "a" }));
        assert!(judge(&case(false), &kept, &answers(), &doc).pass);
        let lost = outcome(r#"{"name":"a"}"#, json!({}));
        let v = judge(&case(true), &lost, &answers(), &doc);
        assert!(!v.pass && v.judged, "{}", v.cause);
        assert!(v.detail.starts_with("/name"), "{}", v.detail);
    }

    #[test]
    fn the_mock_servers_own_failures_are_not_the_clients() {
        let doc = json!({});
        let prism = |kind: &str, at: &str| {
            let body = json!({ "type": format!("{PRISM_ERROR}{kind}"),
                "validation": [{ "location": [at], "code": "type", "message": "m" }] });
            json!({ "raw": { "status": 422, "headers": {}, "body": body.to_string() } })
        };
        let rejected =
            judge(&case(false), &prism("UNPROCESSABLE_ENTITY", "query"), &answers(), &doc);
        assert!(!rejected.pass && rejected.judged);
        assert_eq!(rejected.cause, "request rejected: UNPROCESSABLE_ENTITY: query (type)");
        let own = judge(&case(false), &prism("VIOLATIONS", "response"), &answers(), &doc);
        assert!(!own.pass && !own.judged, "{}", own.cause);
        let wrong = outcome("{}", json!({}));
        let mut other = wrong.clone();
        other["variant"] = json!("Created");
        assert!(!judge(&case(false), &other, &answers(), &doc).pass);
        assert!(judge(&case(false), &wrong, &answers(), &doc).pass);
    }

    #[test]
    fn what_prism_cannot_read_is_not_judged_and_what_it_can_is() {
        let doc = json!({});
        let header = |violations: Value| {
            let headers = json!({ "sl-violations": violations.to_string() });
            json!({ "raw": { "status": 200, "headers": headers, "body": "{}" } })
        };
        let nullable = json!([{ "location": ["request", "query", "fields"], "code": "type",
            "message": "Request query parameter fields must be array,null" }]);
        let v = judge(&case(false), &header(nullable.clone()), &answers(), &doc);
        assert!(!v.judged, "{}", v.cause);
        assert_eq!(v.cause, "mock: does not split a nullable list or object in a query");
        // One violation that is the client's makes the case fail.
        let mut mixed = nullable.as_array().unwrap().clone();
        mixed.push(json!({ "location": ["request", "query", "limit"], "code": "type",
            "message": "Request query parameter limit must be integer" }));
        let v = judge(&case(false), &header(Value::Array(mixed)), &answers(), &doc);
        assert!(v.judged && !v.pass, "{}", v.cause);
        // The same limit in a 422, where locations do not start at `request`.
        let mut form = case(false);
        form.body_media = Some("application/x-www-form-urlencoded".into());
        let body = json!({ "type": format!("{PRISM_ERROR}UNPROCESSABLE_ENTITY"),
            "validation": [{ "location": ["body", "participants"], "code": "type",
                "message": "Request body property participants must be array" }] });
        let rejected = json!({ "raw": { "status": 422, "headers": {}, "body": body.to_string() } });
        let v = judge(&form, &rejected, &answers(), &doc);
        assert!(!v.judged, "{}", v.cause);
        assert!(judge(&case(false), &rejected, &answers(), &doc).judged);
        // A value Prism refuses while listing it as allowed is Prism's.
        let mut listed = case(false);
        listed.args.insert("path code".into(), json!(["01", "77"]));
        let enum_of = |i: &str| {
            json!([{ "location": ["request", "path", "code", i], "code": "enum",
                "message": "Request path parameter code must be equal to one of the allowed values: 01, 9" }])
        };
        assert!(!judge(&listed, &header(enum_of("0")), &answers(), &doc).judged);
        assert!(judge(&listed, &header(enum_of("1")), &answers(), &doc).judged);
        // An empty form is no body to Prism; a missing JSON body is the client's.
        let none = json!([{ "location": ["request"], "code": "required",
            "message": "Body parameter is required" }]);
        form.args.insert("body ".into(), json!({}));
        assert!(!judge(&form, &header(none.clone()), &answers(), &doc).judged);
        assert!(judge(&case(false), &header(none), &answers(), &doc).judged);
    }

    #[test]
    fn a_warning_is_no_violation() {
        let doc = json!({});
        let mut warned = outcome(r#"{"name":"a"}"#, json!({ "name": "a" }));
        warned["raw"]["headers"]["sl-violations"] = json!(json!([{ "location": ["request", "query", "ip"],
            "severity": "Warning", "code": "deprecated", "message": "Query param ip is deprecated" }])
        .to_string());
        assert!(judge(&case(false), &warned, &answers(), &doc).pass);
    }

    #[test]
    fn a_decode_failure_on_an_answer_that_breaks_the_schema_is_not_the_clients() {
        let doc = json!({});
        let mut c = case(false);
        c.schema = Some(json!({ "type": "object", "properties": {
            "at": { "type": "string", "format": "date-time" } } }));
        let refused = |at: &str| {
            let body = json!({ "at": at }).to_string();
            json!({ "raw": { "status": 200, "headers": {}, "body": body },
                "error": "does not match the spec at `at`", "error_kind": "decode" })
        };
        let v = judge(&c, &refused("string"), &answers(), &doc);
        assert!(!v.judged, "{}", v.cause);
        let v = judge(&c, &refused("2024-01-02T03:04:05Z"), &answers(), &doc);
        assert!(v.judged && !v.pass, "{}", v.cause);
    }
}

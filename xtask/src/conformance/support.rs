//! What the harnesses `codegen::emit::harness` writes call: building
//! arguments from JSON, sending a call, and saying what came back. Written
//! by `cargo xtask conformance` into each crate it builds, as
//! `src/harness_support.rs`. Verdicts are the judge's, not this file's: it
//! reports what happened, as JSON.

use serde_json::{json, Map, Value};

use crate::runtime::{Bytes, Call, Error, HeaderMap, Split, StatusCode};

/// The arguments of one call, keyed `LOCATION NAME` (`query limit`), and
/// `body ` for the body.
pub type Args = Map<String, Value>;

/// One call, sent.
pub type Run<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Outcome> + Send + 'a>>;

/// What happened, as the judge reads it.
pub type Outcome = Value;

/// The variant an answer decoded into and its value, encoded again.
pub struct Typed {
    variant: &'static str,
    value: Option<Value>,
    /// A documented error's body, when the answer had one of its type.
    decoded: bool,
}

pub fn json<T: serde::Serialize>(variant: &'static str, value: &T) -> Typed {
    Typed { variant, value: Some(encode(value)), decoded: true }
}

pub fn json_opt<T: serde::Serialize>(variant: &'static str, value: &Option<T>) -> Typed {
    Typed { variant, value: value.as_ref().map(encode), decoded: value.is_some() }
}

pub fn other(variant: &'static str, decoded: bool) -> Typed {
    Typed { variant, value: None, decoded }
}

fn encode<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_else(|e| json!({ "$harness": format!("cannot encode: {e}") }))
}

/// A call the harness does not make (say why).
pub fn unbuilt(why: &str) -> Outcome {
    json!({ "unbuilt": why })
}

pub fn arg<T: serde::de::DeserializeOwned>(a: &Args, location: &str, name: &str) -> Result<T, Outcome> {
    match a.get(&format!("{location} {name}")) {
        Some(v) => from(v, location, name),
        None => Err(json!({ "argument": format!("{location} {name}"), "message": "missing" })),
    }
}

pub fn opt<T: serde::de::DeserializeOwned>(
    a: &Args,
    location: &str,
    name: &str,
) -> Result<Option<T>, Outcome> {
    match a.get(&format!("{location} {name}")) {
        Some(v) => from(v, location, name).map(Some),
        None => Ok(None),
    }
}

fn from<T: serde::de::DeserializeOwned>(v: &Value, location: &str, name: &str) -> Result<T, Outcome> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        json!({
            "argument": format!("{location} {name}"),
            "path": e.path().to_string(),
            "message": e.inner().to_string(),
            "value": v,
        })
    })
}

/// Sends `call` with the extra headers `h` and reports the raw answer and
/// what the client decoded it into.
pub async fn finish<T: Send, E: Send, P: crate::runtime::Params>(
    call: Call<'_, T, E, P>,
    h: &[(String, String)],
    ok: fn(&T) -> Typed,
    err: fn(&E) -> Typed,
) -> Outcome {
    let call = h.iter().fold(call, |call, (name, value)| call.header(name, value));
    let (raw, decoded) = match call.split() {
        Split::Whole(send, decode) => match send.await {
            Ok(raw) => {
                let raw = raw.into_body();
                (Some(raw.clone()), decode(raw))
            }
            Err(e) => (None, Err(e)),
        },
        // Streamed: the decoder reads the body, so only an error keeps it.
        Split::Streaming(call) => (None, call.await),
    };
    let mut out = Map::new();
    let raw = raw.or_else(|| decoded.as_ref().err().and_then(|e| e.raw_response()).cloned());
    match (&raw, &decoded) {
        (Some(raw), _) => {
            out.insert("raw".into(), raw_json(raw.status(), raw.headers(), Some(raw.body())));
        }
        // Streamed: status and headers, the body was the caller's.
        (None, Ok(streamed)) => {
            out.insert("raw".into(), raw_json(streamed.status(), streamed.headers(), None));
        }
        (None, Err(_)) => {}
    }
    let typed = match &decoded {
        Ok(response) => Some(ok(response.body())),
        Err(Error::Api(e)) => Some(err(&e.body)),
        Err(other) => {
            out.insert("error".into(), Value::String(other.to_string()));
            out.insert("error_kind".into(), Value::String(error_kind(other).into()));
            None
        }
    };
    if let Some(t) = typed {
        out.insert("variant".into(), Value::String(t.variant.into()));
        out.insert("decoded".into(), Value::Bool(t.decoded));
        if let Some(v) = t.value {
            out.insert("typed".into(), v);
        }
        if let Err(Error::Api(e)) = &decoded {
            if let Some(why) = e.unread.as_ref() {
                let why = format!("{}: {}", why.path, why.message);
                out.insert("unread".into(), Value::String(why));
            }
        }
    }
    Value::Object(out)
}

fn raw_json(status: StatusCode, headers: &HeaderMap, body: Option<&Bytes>) -> Value {
    let headers: Map<String, Value> = headers
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), Value::String(String::from_utf8_lossy(v.as_bytes()).into())))
        .collect();
    json!({
        "status": status.as_u16(),
        "headers": headers,
        "body": body.map(|b| String::from_utf8_lossy(b)),
    })
}

fn error_kind<E>(e: &Error<E>) -> &'static str {
    match e {
        Error::InvalidRequest(_) => "invalid-request",
        Error::Timeout(_) => "timeout",
        Error::UnexpectedStatus(_) => "unexpected-status",
        Error::UnexpectedContentType(_) => "unexpected-content-type",
        Error::Decode(_) => "decode",
        _ => "other",
    }
}

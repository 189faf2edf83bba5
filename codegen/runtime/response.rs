//! Answers read whole: `RawResponse` as received, `Response<T>` typed,
//! and typed headers.

use super::*;

pub(crate) fn media_type(headers: &HeaderMap) -> Option<String> {
    let ct = headers.get(reqwest::header::CONTENT_TYPE)?.to_str().ok()?;
    Some(ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

/// Whether the answer's media type is `pattern` (a type or a range),
/// parameters aside on both sides: a spec's
/// `application/vnd.wl.warning+json; type=collection` is what a server
/// sends as `application/vnd.wl.warning+json`.
pub(crate) fn media_type_is(headers: &HeaderMap, pattern: &str) -> bool {
    let Some(actual) = media_type(headers) else { return false };
    let pattern = pattern.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match pattern.split_once('/') {
        Some(("*", "*")) => true,
        Some((kind, "*")) => actual.split('/').next() == Some(kind),
        _ => actual == pattern,
    }
}

/// A whole HTTP answer: status, headers and the body as received.
///
/// Boxed inside, so that errors carrying it stay small.
#[derive(Clone)]
pub struct RawResponse(Box<RawParts>);

#[derive(Clone)]
struct RawParts {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl RawResponse {
    /// An answer as received (for tests of code that handles errors).
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        RawResponse(Box::new(RawParts { status, headers, body }))
    }

    /// The status the server answered.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// Every header of the answer.
    pub fn headers(&self) -> &HeaderMap {
        &self.0.headers
    }

    /// The body as received, unread.
    pub fn body(&self) -> &Bytes {
        &self.0.body
    }

    /// The headers the spec declares for this answer, typed.
    pub fn headers_as<H: FromHeaders>(&self) -> H {
        H::from_headers(&self.0.headers)
    }

    /// The `Content-Type` without parameters, lower-cased.
    pub fn media_type(&self) -> Option<String> {
        media_type(&self.0.headers)
    }

    /// Does the `Content-Type` match `pattern` (`text/csv`, `text/*`, `*/*`)?
    pub fn media_type_is(&self, pattern: &str) -> bool {
        media_type_is(&self.0.headers, pattern)
    }

    /// Reads the body as JSON; on failure, says where in the body it failed.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, DecodeError> {
        let de = &mut serde_json::Deserializer::from_slice(&self.0.body);
        serde_path_to_error::deserialize(de).map_err(|e| DecodeError {
            path: e.path().to_string(),
            message: e.inner().to_string(),
            response: self.clone(),
        })
    }

    /// Reads the body as UTF-8 text.
    pub fn text(&self) -> Result<String, DecodeError> {
        String::from_utf8(self.0.body.to_vec()).map_err(|e| DecodeError {
            path: ".".into(),
            message: e.to_string(),
            response: self.clone(),
        })
    }

    #[doc(hidden)]
    pub fn into_response<T>(self, body: T) -> Response<T> {
        let RawParts { status, headers, .. } = *self.0;
        Response { status, headers, body }
    }

    // One call per match arm of a generated decoder: a `?` and a wrap per arm,
    // times every status of every operation, was a large share of what
    // borrow-checking a big generated crate cost. Variants come in as `fn`
    // pointers (a tuple variant is a function), so nothing is instantiated
    // per variant.

    #[doc(hidden)]
    pub fn ok_with<T, E>(self, body: T) -> Result<Response<T>, Error<E>> {
        Ok(self.into_response(body))
    }

    #[doc(hidden)]
    pub fn ok_json<T: serde::de::DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        let body = self.json_answer()?;
        Ok(self.into_response(body))
    }

    #[doc(hidden)]
    pub fn ok_json_as<B: serde::de::DeserializeOwned, T, E>(
        self,
        wrap: fn(B) -> T,
    ) -> Result<Response<T>, Error<E>> {
        let body = self.json_answer()?;
        Ok(self.into_response(wrap(body)))
    }

    /// A documented JSON answer. A body that does not decode is a
    /// `Decode` error when it says it is JSON (or says nothing), and an
    /// `UnexpectedContentType` when it says it is something else (a
    /// gateway's HTML page): the error names what went wrong. A body that
    /// decodes is taken whatever its `Content-Type`, as sloppy servers send.
    fn json_answer<B: serde::de::DeserializeOwned, E>(&self) -> Result<B, Error<E>> {
        self.json().map_err(|e| match self.media_type() {
            Some(media) if !is_json(&media) => Error::UnexpectedContentType(self.clone()),
            _ => Error::Decode(e),
        })
    }

    #[doc(hidden)]
    pub fn ok_text<E>(self) -> Result<Response<String>, Error<E>> {
        let body = self.text()?;
        Ok(self.into_response(body))
    }

    #[doc(hidden)]
    pub fn ok_text_as<T, E>(self, wrap: fn(String) -> T) -> Result<Response<T>, Error<E>> {
        let body = self.text()?;
        Ok(self.into_response(wrap(body)))
    }

    #[doc(hidden)]
    pub fn ok_bytes<E>(self) -> Result<Response<Bytes>, Error<E>> {
        let body = self.body().clone();
        Ok(self.into_response(body))
    }

    #[doc(hidden)]
    pub fn ok_bytes_as<T, E>(self, wrap: fn(Bytes) -> T) -> Result<Response<T>, Error<E>> {
        let body = self.body().clone();
        Ok(self.into_response(wrap(body)))
    }

    // A documented error status is that error whatever its body: a proxy's
    // HTML page or an empty 404 is still the 404. Its variant's body is
    // `None` when the answer has none of the documented type (empty,
    // another media type, or not decodable); the raw answer stays in
    // `ApiError::response`, and why it did not decode in `unread`.

    #[doc(hidden)]
    pub fn err_json<B: serde::de::DeserializeOwned, T, E>(
        self,
        wrap: fn(Option<B>) -> E,
    ) -> Result<T, Error<E>> {
        let read = match self.readable_as(is_json) {
            true => self.json().map(Some),
            false => Ok(None),
        };
        self.api_error_read(wrap, read)
    }

    #[doc(hidden)]
    pub fn err_text<T, E>(self, wrap: fn(Option<String>) -> E) -> Result<T, Error<E>> {
        let read = match self.readable_as(|media| media.starts_with("text/")) {
            true => self.text().map(Some),
            false => Ok(None),
        };
        self.api_error_read(wrap, read)
    }

    #[doc(hidden)]
    pub fn err_bytes<T, E>(self, wrap: fn(Option<Bytes>) -> E) -> Result<T, Error<E>> {
        let body = (!self.body().is_empty()).then(|| self.body().clone());
        self.api_error(wrap(body))
    }

    #[doc(hidden)]
    pub fn api_error<T, E>(self, body: E) -> Result<T, Error<E>> {
        Err(Error::Api(Box::new(ApiError { body, response: self, unread: None })))
    }

    fn api_error_read<B, T, E>(
        self,
        wrap: fn(Option<B>) -> E,
        read: Result<Option<B>, DecodeError>,
    ) -> Result<T, Error<E>> {
        let (body, unread) = match read {
            Ok(body) => (body, None),
            Err(e) => (None, Some(e)),
        };
        Err(Error::Api(Box::new(ApiError { body: wrap(body), response: self, unread })))
    }

    /// A body that is there, of a media type `fits` accepts (or of none said).
    fn readable_as(&self, fits: impl Fn(&str) -> bool) -> bool {
        !self.body().is_empty() && self.media_type().is_none_or(|m| fits(&m))
    }

    #[doc(hidden)]
    pub fn unexpected_status<T, E>(self) -> Result<T, Error<E>> {
        Err(Error::UnexpectedStatus(self))
    }

    #[doc(hidden)]
    pub fn unexpected_content_type<T, E>(self) -> Result<T, Error<E>> {
        Err(Error::UnexpectedContentType(self))
    }
}

/// Long bodies are cut in `Debug`, and credentials never shown.
impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 512;
        let text = String::from_utf8_lossy(&self.0.body[..self.0.body.len().min(SHOWN)]);
        let mut headers = self.0.headers.clone();
        for h in [reqwest::header::SET_COOKIE, reqwest::header::AUTHORIZATION] {
            if headers.contains_key(&h) {
                headers.insert(h, reqwest::header::HeaderValue::from_static("***"));
            }
        }
        f.debug_struct("RawResponse")
            .field("status", &self.0.status)
            .field("headers", &headers)
            .field("body", &text)
            .field("body_len", &self.0.body.len())
            .finish()
    }
}

/// A type the declared headers of an answer are read into (generated per
/// operation and status, e.g. `GetDataExportAcceptedHeaders`).
pub trait FromHeaders {
    /// Each declared header that is present and parses as its type.
    fn from_headers(headers: &HeaderMap) -> Self;
}

/// A header's value as a scalar type.
pub trait FromHeaderValue: Sized {
    /// `None` when `value` is not one.
    fn from_header_value(value: &str) -> Option<Self>;
}

macro_rules! header_from_str {
    ($($t:ty),*) => {$(
        impl FromHeaderValue for $t {
            fn from_header_value(value: &str) -> Option<Self> {
                value.trim().parse().ok()
            }
        }
    )*};
}

header_from_str!(String, bool, i32, i64, u32, u64, f32, f64, chrono::NaiveDate, uuid::Uuid);

impl FromHeaderValue for chrono::DateTime<chrono::Utc> {
    fn from_header_value(value: &str) -> Option<Self> {
        // RFC 3339 as the schema says, or the HTTP date servers often send.
        let value = value.trim();
        chrono::DateTime::parse_from_rfc3339(value)
            .or_else(|_| chrono::DateTime::parse_from_rfc2822(value))
            .ok()
            .map(|d| d.with_timezone(&chrono::Utc))
    }
}

/// A declared header, if present, readable and of its type.
#[doc(hidden)]
pub fn typed_header<T: FromHeaderValue>(headers: &HeaderMap, name: &str) -> Option<T> {
    T::from_header_value(headers.get(name)?.to_str().ok()?)
}

/// A successful answer: the typed body, with status and headers at hand.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    /// An answer made by hand, for tests of code that takes one: the body
    /// as typed, with the status and headers a server would have sent.
    pub fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Response { status, headers, body }
    }

    /// The status the server answered.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Every header of the answer.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// A header as text, if present and readable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The `Location` header (where a job or a created resource can be found).
    pub fn location(&self) -> Option<&str> {
        self.header("location")
    }

    /// How long the server asks the caller to wait (`Retry-After`, seconds or HTTP date).
    pub fn retry_after(&self) -> Option<Duration> {
        retry_after(&self.headers)
    }

    /// The headers the spec declares for this answer, typed (the operation's
    /// `...Headers` struct for the status).
    pub fn headers_as<H: FromHeaders>(&self) -> H {
        H::from_headers(&self.headers)
    }

    /// The typed body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The typed body, without status and headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Status, headers and typed body.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// `application/json`, `application/problem+json`, `text/json`, ...
fn is_json(media: &str) -> bool {
    media == "application/json" || media.ends_with("+json") || media.ends_with("/json")
}

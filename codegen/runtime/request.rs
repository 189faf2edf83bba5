//! Requests as generated methods build them: path, query, headers,
//! cookies and body, each value checked before anything is sent.

use super::*;

/// Everything but RFC 3986 unreserved characters is escaped in a path
/// segment, so a value can never change which path is requested.
const PATH_SEGMENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

pub(crate) const COOKIE_VALUE: &percent_encoding::AsciiSet =
    &percent_encoding::CONTROLS.add(b' ').add(b'"').add(b',').add(b';').add(b'\\').add(b'%');

/// A path parameter, percent-encoded as one segment.
pub fn path_segment<V: ParamValue + ?Sized>(value: &V) -> String {
    percent_encoding::utf8_percent_encode(&value.to_param(), PATH_SEGMENT).to_string()
}

#[derive(Debug)]
pub(crate) enum Body {
    Raw(&'static str, Bytes),
    Multipart(Multipart),
}

/// A request being assembled by a generated method.
#[derive(Debug)]
pub struct Request {
    pub(crate) method: Method,
    /// The operation id and path template, for tracing.
    pub(crate) operation: &'static str,
    pub(crate) template: &'static str,
    pub(crate) accept: &'static str,
    pub(crate) path: String,
    /// A whole URL in place of the base URL, `path` and `query`: a next
    /// page's, checked to be on the API's origin.
    pub(crate) url: Option<reqwest::Url>,
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) cookies: Vec<(&'static str, String)>,
    pub(crate) body: Option<Body>,
    /// The first problem found while building; reported before anything is sent.
    pub(crate) error: Option<String>,
    /// The header the operation declares for an idempotency key.
    pub(crate) idempotency: Option<&'static str>,
    /// Whether the answer may be an event stream that reconnects, which
    /// needs the request kept to send it again.
    pub(crate) resumable: bool,
}

impl Request {
    /// A request to a path without parameters: the path is its template.
    pub fn fixed(
        method: Method,
        operation: &'static str,
        template: &'static str,
        accept: &'static str,
    ) -> Self {
        Request::new(method, operation, template, accept, template.to_owned())
    }

    /// `accept` lists the media types the operation documents for its
    /// answers (sent as `Accept`, so that a server that negotiates answers
    /// one of them); empty when it documents none.
    pub fn new(
        method: Method,
        operation: &'static str,
        template: &'static str,
        accept: &'static str,
        path: String,
    ) -> Self {
        // A path parameter of `.` or `..` would move the call to another
        // path of the API once the URL is resolved (`/files/..` is `/`).
        // Every other character that could do so is percent-encoded.
        let error = path.split('/').any(|segment| segment == "." || segment == "..").then(|| {
            format!("a path parameter of `{template}` is `.` or `..`, which would change the path")
        });
        Request {
            method,
            operation,
            template,
            accept,
            path,
            url: None,
            query: Vec::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            error,
            idempotency: None,
            resumable: false,
        }
    }

    /// The answer may be an event stream, which the caller may ask to
    /// reconnect: the call keeps a copy of the request.
    pub fn resumable(&mut self) {
        self.resumable = true;
    }

    /// The value of a query parameter that was set (the last, if several).
    pub(crate) fn query_value(&self, name: &str) -> Option<&str> {
        self.query.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The query parameter `name` set to `value` alone.
    pub(crate) fn set_query(&mut self, name: &'static str, value: String) {
        self.query.retain(|(k, _)| k != name);
        self.query.push((Cow::Borrowed(name), value));
    }

    /// Sends to `url` as it is: its query is the server's, not this request's.
    pub(crate) fn set_url(&mut self, url: reqwest::Url) {
        self.query.clear();
        self.url = Some(url);
    }

    /// A copy to send again; `None` for a multipart body, which is a stream.
    pub(crate) fn duplicate(&self) -> Option<Request> {
        let body = match &self.body {
            None => None,
            Some(Body::Raw(media, bytes)) => Some(Body::Raw(media, bytes.clone())),
            Some(Body::Multipart(_)) => return None,
        };
        Some(Request {
            method: self.method.clone(),
            operation: self.operation,
            template: self.template,
            accept: self.accept,
            path: self.path.clone(),
            url: self.url.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            cookies: self.cookies.clone(),
            body,
            error: self.error.clone(),
            idempotency: self.idempotency,
            resumable: false,
        })
    }

    pub(crate) fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    pub fn query<V: ParamValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        self.query.push((Cow::Borrowed(name), value.to_param().into_owned()));
    }

    /// An array: `a=1&a=2` when exploded, else `a=1,2`.
    pub fn query_list<V: ParamValue>(&mut self, name: &'static str, values: &[V], explode: bool) {
        if explode {
            for v in values {
                self.query(name, v);
            }
        } else {
            self.query.push((Cow::Borrowed(name), comma_joined(values)));
        }
    }

    // The `_opt` forms take an optional parameter as the method got it and
    // send nothing for `None`, so that each generated method passes it on in
    // one statement.

    pub fn query_opt<V: ParamValue>(&mut self, name: &'static str, value: Option<V>) {
        if let Some(value) = value {
            self.query(name, &value);
        }
    }

    pub fn query_list_opt<V: ParamValue>(
        &mut self,
        name: &'static str,
        values: Option<&[V]>,
        explode: bool,
    ) {
        if let Some(values) = values {
            self.query_list(name, values, explode);
        }
    }

    pub fn query_object_opt<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: Option<&T>,
        explode: bool,
        deep: bool,
    ) {
        if let Some(value) = value {
            self.query_object(name, value, explode, deep);
        }
    }

    pub fn header_opt<V: ParamValue>(&mut self, name: &'static str, value: Option<V>) {
        if let Some(value) = value {
            self.header(name, &value);
        }
    }

    pub fn header_list_opt<V: ParamValue>(&mut self, name: &'static str, values: Option<&[V]>) {
        if let Some(values) = values {
            self.header_list(name, values);
        }
    }

    /// The header the operation declares for an idempotency key (see
    /// `ClientCore::set_idempotent_retries`), set by the call's own
    /// `idempotency_key`, or made by the client.
    pub fn declare_idempotency_key(&mut self, name: &'static str) {
        self.idempotency = Some(name);
    }

    /// A required idempotency key header, given to the method.
    pub fn idempotency_key<V: ParamValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        self.idempotency = Some(name);
        self.header(name, value);
    }

    pub fn cookie_opt<V: ParamValue>(&mut self, name: &'static str, value: Option<V>) {
        if let Some(value) = value {
            self.cookie(name, &value);
        }
    }

    /// Values that cannot be a header (CR, LF, other controls) fail the call
    /// before anything is sent.
    pub fn header<V: ParamValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        let name = match reqwest::header::HeaderName::from_bytes(name.as_bytes()) {
            Ok(n) => n,
            Err(_) => return self.fail(format!("`{name}` is not a valid header name")),
        };
        match header_value(&value.to_param(), false) {
            Ok(v) => {
                self.headers.append(name, v);
            }
            Err(_) => self.fail(format!(
                "the value for header `{name}` contains characters a header cannot hold"
            )),
        }
    }

    pub fn header_list<V: ParamValue>(&mut self, name: &'static str, values: &[V]) {
        self.header(name, comma_joined(values).as_str());
    }

    pub fn cookie<V: ParamValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        self.cookies.push((name, value.to_param().into_owned()));
    }

    pub fn json<T: serde::Serialize + ?Sized>(&mut self, content_type: &'static str, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(Body::Raw(content_type, Bytes::from(bytes))),
            Err(e) => self.fail(format!("the request body cannot be serialized: {e}")),
        }
    }

    pub fn raw_body(&mut self, content_type: &'static str, body: Bytes) {
        self.body = Some(Body::Raw(content_type, body));
    }

    /// `application/x-www-form-urlencoded`; nested objects cannot be encoded
    /// and fail the call before sending.
    /// An `application/x-www-form-urlencoded` body, as OpenAPI encodes
    /// form fields by default (`style: form, explode: true`): a scalar is one
    /// pair, an array one pair per item, an object one pair per property;
    /// anything deeper is sent as JSON text, and absent values are left out.
    pub fn form<T: serde::Serialize + ?Sized>(&mut self, content_type: &'static str, body: &T) {
        match form_pairs(body)
            .and_then(|pairs| serde_urlencoded::to_string(pairs).map_err(|e| e.to_string()))
        {
            Ok(text) => self.body = Some(Body::Raw(content_type, Bytes::from(text))),
            Err(e) => self.fail(format!("the request body cannot be form-encoded: {e}")),
        }
    }

    pub fn multipart(&mut self, form: Multipart) {
        self.body = Some(Body::Multipart(form));
    }

    /// An object or array in the query: `style: form` (one pair per property
    /// when exploded, else `name=k1,v1,k2,v2`) or `style: deepObject`
    /// (`name[key]=value`). Values that are themselves objects go as JSON.
    pub fn query_object<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        explode: bool,
        deep: bool,
    ) {
        let value = match serde_json::to_value(value) {
            Ok(v) => v,
            Err(e) => {
                return self.fail(format!("query parameter `{name}` cannot be serialized: {e}"))
            }
        };
        match value {
            serde_json::Value::Object(map) if deep => {
                for (k, v) in map.iter().filter(|(_, v)| !v.is_null()) {
                    self.query
                        .push((Cow::Owned(format!("{name}[{k}]")), v.to_param().into_owned()));
                }
            }
            serde_json::Value::Object(map) if explode => {
                for (k, v) in map.iter().filter(|(_, v)| !v.is_null()) {
                    self.query.push((Cow::Owned(k.clone()), v.to_param().into_owned()));
                }
            }
            serde_json::Value::Object(map) => {
                let joined: Vec<String> = map
                    .iter()
                    .filter(|(_, v)| !v.is_null())
                    .flat_map(|(k, v)| [k.clone(), v.to_param().into_owned()])
                    .collect();
                self.query.push((Cow::Borrowed(name), joined.join(",")));
            }
            serde_json::Value::Array(items) => {
                let items: Vec<String> = items.iter().map(|v| v.to_param().into_owned()).collect();
                self.query_list(name, &items, explode);
            }
            serde_json::Value::Null => {}
            other => self.query(name, &other),
        }
    }
}

/// `a,b,c`: arrays in `style: form` without explode, and in headers.
fn comma_joined<V: ParamValue>(values: &[V]) -> String {
    values.iter().map(|v| v.to_param().into_owned()).collect::<Vec<_>>().join(",")
}

/// How a parameter value is written into a path, query, header or cookie.
pub trait ParamValue {
    fn to_param(&self) -> Cow<'_, str>;
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn to_param(&self) -> Cow<'_, str> {
        (**self).to_param()
    }
}

impl ParamValue for str {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for String {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn to_param(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}

display_param!(bool, i32, i64, u32, u64, f32, f64, chrono::NaiveDate, uuid::Uuid);

impl ParamValue for chrono::DateTime<chrono::Utc> {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

impl ParamValue for serde_json::Value {
    fn to_param(&self) -> Cow<'_, str> {
        match self {
            serde_json::Value::String(s) => Cow::Borrowed(s),
            other => Cow::Owned(other.to_string()),
        }
    }
}

/// The pairs of a form body (see `Request::form`).
fn form_pairs<T: serde::Serialize + ?Sized>(body: &T) -> Result<Vec<(String, String)>, String> {
    use serde_json::Value;
    let value = serde_json::to_value(body).map_err(|e| e.to_string())?;
    let Value::Object(fields) = value else {
        return Err("a form body must be an object".into());
    };
    let mut pairs = Vec::new();
    for (key, value) in fields {
        match value {
            Value::Null => {}
            Value::Array(items) => {
                let items = items.into_iter().filter(|v| !v.is_null());
                pairs.extend(items.map(|v| (key.clone(), v.to_param().into_owned())));
            }
            Value::Object(properties) => {
                let properties = properties.into_iter().filter(|(_, v)| !v.is_null());
                pairs.extend(properties.map(|(k, v)| (k, v.to_param().into_owned())));
            }
            scalar => pairs.push((key, scalar.to_param().into_owned())),
        }
    }
    Ok(pairs)
}

/// A header value, checked (no control characters), and marked sensitive
/// when it carries a credential so that it is never logged.
pub(crate) fn header_value(
    value: &str,
    sensitive: bool,
) -> Result<reqwest::header::HeaderValue, reqwest::header::InvalidHeaderValue> {
    let mut v = reqwest::header::HeaderValue::from_str(value)?;
    v.set_sensitive(sensitive);
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_with_line_breaks_are_refused() {
        assert!(header_value("a\r\nInjected: yes", false).is_err());
        assert!(header_value("a\nb", false).is_err());
        assert!(header_value("\0", false).is_err());
        let ok = header_value("Bearer abc", true).unwrap();
        assert!(ok.is_sensitive());
        assert!(!header_value("plain", false).unwrap().is_sensitive());
    }

    #[test]
    fn form_arrays_are_one_pair_per_item_and_objects_one_per_property() {
        let body = serde_json::json!({
            "name": "a b",
            "tags": ["x", "y&z"],
            "none": null,
            "count": 2,
            "flags": [true, null, false],
            "filter": {"kind": "cat", "age": 3},
            "deep": [[1, 2]],
        });
        let mut request = Request::fixed(Method::POST, "f", "/f", "");
        request.form("application/x-www-form-urlencoded", &body);
        assert_eq!(request.error, None);
        let Some(Body::Raw(_, bytes)) = &request.body else { panic!("a raw body") };
        assert_eq!(
            std::str::from_utf8(bytes).unwrap(),
            "name=a+b&tags=x&tags=y%26z&count=2&flags=true&flags=false&kind=cat&age=3&deep=%5B1%2C2%5D"
        );
    }

    #[test]
    fn path_segments_are_percent_encoded() {
        assert_eq!(path_segment("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
        assert_eq!(path_segment("%2e%2e"), "%252e%252e");
        assert_eq!(path_segment("ok-1_2.3~"), "ok-1_2.3~");
    }

    #[test]
    fn a_dot_segment_from_a_parameter_is_refused_before_sending() {
        let request = |id: &str| {
            let path = ["/files/", &path_segment(id), "/meta"].concat();
            Request::new(Method::GET, "getFile", "/files/{id}/meta", "", path)
        };
        for id in [".", ".."] {
            let error = request(id).error.expect("refused");
            assert!(error.contains("`/files/{id}/meta`"), "{error}");
        }
        for id in ["...", ".hidden", "a..b", "%2e%2e"] {
            assert_eq!(request(id).error, None, "{id}");
        }
    }
}

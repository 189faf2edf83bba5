//! The runtime every generated client module shares: building requests,
//! applying credentials, sending, and reading answers into typed results.
//!
//! Generated methods stay small because the work is here, written once.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

pub use bytes::Bytes;
/// The HTTP client the generated clients use, so that callers build a
/// [`reqwest::Client`] for `with_http_client` (or fetch a pre-signed download
/// URL) with the very version this crate was built with.
pub use reqwest;
/// Parts for `multipart/form-data` bodies (`multipart::Part::bytes(...)`).
pub use reqwest::multipart;
/// A `multipart/form-data` body: build the parts the operation documents.
pub use reqwest::multipart::Form as Multipart;
pub use reqwest::header::HeaderMap;
pub use reqwest::{Method, StatusCode};

// ---------------------------------------------------------------------------
// Secrets and credentials

/// A credential that never shows itself in `Debug` or `Display` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(\"***\")")
    }
}

/// Where an API key goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyLocation {
    Header,
    Query,
    Cookie,
}

/// How one security scheme of the spec is satisfied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth2 and OpenID Connect access tokens).
    Bearer(Secret),
    /// `Authorization: Basic ...`.
    Basic { username: String, password: Secret },
    /// An API key in a header, query parameter or cookie.
    ApiKey { location: KeyLocation, name: &'static str, value: Secret },
    /// OAuth2 access tokens fetched (and refreshed) with client credentials.
    ClientCredentials(ClientCredentials),
}

/// OAuth2 client credentials (RFC 6749, section 4.4): an access token is
/// fetched from the token endpoint when first needed, cached and shared by
/// clones of the client, and fetched again shortly before it expires or
/// when the API answers 401 to it (the call is then sent once more).
#[derive(Clone)]
pub struct ClientCredentials(std::sync::Arc<ClientCredentialsInner>);

struct ClientCredentialsInner {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    scopes: Vec<String>,
    cached: tokio::sync::Mutex<Option<CachedToken>>,
}

struct CachedToken {
    token: Secret,
    /// When to fetch a new one; `None` when the server did not say.
    refresh_at: Option<std::time::Instant>,
}

impl ClientCredentials {
    /// `scopes` are requested as one space-separated `scope`; none leaves the
    /// choice to the server.
    pub fn new(token_url: impl Into<String>, client_id: impl Into<String>, client_secret: impl Into<String>, scopes: &[&str]) -> Self {
        ClientCredentials(std::sync::Arc::new(ClientCredentialsInner {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            cached: tokio::sync::Mutex::new(None),
        }))
    }

    /// The cached token, or a new one. Holding the lock while fetching means
    /// concurrent calls wait for one fetch instead of each making their own.
    async fn token(&self, http: &reqwest::Client, timeout: Option<Duration>) -> Result<Secret, AuthError> {
        let mut cached = self.0.cached.lock().await;
        if let Some(c) = cached.as_ref() {
            if c.refresh_at.is_none_or(|at| std::time::Instant::now() < at) {
                return Ok(c.token.clone());
            }
        }
        let fresh = self.fetch(http, timeout).await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    /// Forgets `rejected` (unless another call already replaced it).
    async fn invalidate(&self, rejected: &Secret) {
        let mut cached = self.0.cached.lock().await;
        if cached.as_ref().is_some_and(|c| &c.token == rejected) {
            *cached = None;
        }
    }

    /// One token request, within the same whole-call timeout as the call
    /// that needs it: a token endpoint that hangs must not hang the call.
    async fn fetch(&self, http: &reqwest::Client, timeout: Option<Duration>) -> Result<CachedToken, AuthError> {
        let inner = &self.0;
        let mut form = vec![("grant_type", "client_credentials".to_string())];
        if !inner.scopes.is_empty() {
            form.push(("scope", inner.scopes.join(" ")));
        }
        let body = serde_urlencoded::to_string(&form).unwrap_or_default();
        let fail = |message: String, response: Option<RawResponse>| AuthError { message, response };
        let mut builder = http.post(&inner.token_url);
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        let request = builder
            .basic_auth(&inner.client_id, Some(inner.client_secret.expose()))
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(body)
            .build()
            .map_err(|e| fail(format!("invalid token URL: {e}"), None))?;
        let failed = |what: &str, e: Failure| fail(format!("token endpoint {what}: {}", e.describe()), None);
        let incoming = send(http, request, TOKEN_BODY_LIMIT).await.map_err(|e| failed("unreachable", e))?;
        let raw = incoming.read_whole().await.map_err(|e| failed("answer not read", e))?;
        if !raw.status().is_success() {
            return Err(fail(format!("token endpoint answered {}", raw.status()), Some(raw)));
        }
        let json: serde_json::Value = match serde_json::from_slice(raw.body()) {
            Ok(v) => v,
            Err(e) => return Err(fail(format!("token endpoint answer is not JSON: {e}"), Some(raw))),
        };
        let Some(token) = json.get("access_token").and_then(|t| t.as_str()) else {
            return Err(fail("token endpoint answer has no `access_token`".into(), Some(raw)));
        };
        // Refresh a little early (a tenth of the lifetime, at most 30 s), so
        // a token does not expire between the check and the server.
        // The lifetime is the server's word: one too long to add to the clock
        // is taken as "no expiry given".
        let refresh_at = json.get("expires_in").and_then(|v| v.as_u64()).and_then(|secs| {
            let life = Duration::from_secs(secs);
            std::time::Instant::now().checked_add(life - (life / 10).min(Duration::from_secs(30)))
        });
        Ok(CachedToken { token: Secret::new(token), refresh_at })
    }
}

impl PartialEq for ClientCredentials {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for ClientCredentials {}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.0.token_url)
            .field("client_id", &self.0.client_id)
            .field("client_secret", &self.0.client_secret)
            .field("scopes", &self.0.scopes)
            .finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------
// The client core

/// What every generated method returns: the call, to be awaited. The
/// request is built (and its body serialized) when the method is called; it
/// is sent when the future is first polled. The future borrows the client,
/// not the arguments.
pub type Call<'a, T, E> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Response<T>, Error<E>>> + Send + 'a>>;

/// Connection settings shared by every generated `Client`.
#[derive(Clone, Debug)]
pub struct ClientCore {
    http: reqwest::Client,
    base_url: String,
    credentials: BTreeMap<&'static str, Credential>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    body_limit: usize,
}

/// A dead or unreachable host fails a call after this long.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// A whole call (connect, send, headers and the whole body) fails after
/// this long, unless the client or the call says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The most of an answer's body that is read into memory, unless the client
/// says otherwise ([`ClientCore::set_body_limit`]): a server, or whatever
/// stands between it and the client, cannot make a call take unbounded
/// memory. Bodies handed over as a [`ByteStream`] are not buffered and have
/// no limit (the call's timeout still applies while they are read).
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024 * 1024;

/// The most of a token endpoint's answer that is read.
const TOKEN_BODY_LIMIT: usize = 1024 * 1024;

/// The settings the runtime's own HTTP client is built with, for callers who
/// build their own for `with_http_client`: no redirect is followed (a
/// redirect is the API's answer, returned to the caller; following one would
/// take the call's credentials to wherever it points), no `Referer` is sent
/// (it would carry query-string API keys), and `connect_timeout` applies.
pub fn http_client_builder(connect_timeout: Duration) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
}

fn http_client(connect_timeout: Duration) -> reqwest::Client {
    http_client_builder(connect_timeout).build().unwrap_or_default()
}

/// When a call is sent again, and how long to wait before each attempt.
///
/// By default a call is retried after a connection failure or a 429, 502,
/// 503 or 504 answer, if its method is idempotent (GET, HEAD, PUT, DELETE,
/// OPTIONS, TRACE): at most 3 attempts in all, within 30 s, waiting what
/// `Retry-After` asks (up to `max_retry_after`) or else an exponential
/// backoff with jitter. A POST or PATCH is only retried when
/// `retry_non_idempotent` is set, since the first attempt may have taken
/// effect. Bodies that are streams (multipart forms) are never sent twice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; `1` never retries.
    pub max_attempts: u32,
    /// The wait before the first retry; it doubles with each retry.
    pub initial_backoff: Duration,
    /// The longest backoff between attempts.
    pub max_backoff: Duration,
    /// A `Retry-After` longer than this is not waited for: the answer is
    /// returned (its error's `retry_after()` says how long the server asked).
    pub max_retry_after: Duration,
    /// No retry starts once this much time has passed since the first attempt.
    pub max_elapsed: Duration,
    /// Retry POST and PATCH too.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(30),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// The wait before retry number `retry` (1-based): exponential, capped,
    /// with "equal jitter" (between half and all of it) so that clients that
    /// failed together do not come back together.
    fn backoff(&self, retry: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)));
        let capped = exp.min(self.max_backoff);
        let jittered = capped.as_secs_f64() * (0.5 + fastrand::f64() * 0.5);
        Duration::try_from_secs_f64(jittered).unwrap_or(capped)
    }
}

/// Statuses that say "try again": rate limited, or a gateway or the service
/// briefly unavailable.
const RETRY_STATUSES: [u16; 4] = [429, 502, 503, 504];

impl ClientCore {
    pub fn new(base_url: String) -> Self {
        ClientCore {
            http: http_client(DEFAULT_CONNECT_TIMEOUT),
            base_url,
            credentials: BTreeMap::new(),
            retry: RetryPolicy::default(),
            timeout: Some(DEFAULT_TIMEOUT),
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }

    /// `http` should follow no redirects ([`http_client_builder`] builds one
    /// that does not): one that does would send the call's credentials
    /// wherever a server points it. An answer it fetched from another
    /// origin is refused ([`Error::Redirected`]) rather than returned.
    pub fn set_http_client(&mut self, http: reqwest::Client) {
        self.http = http;
    }

    /// The most of a body read into memory (default [`DEFAULT_BODY_LIMIT`]).
    pub fn set_body_limit(&mut self, bytes: usize) {
        self.body_limit = bytes;
    }

    pub fn set_connect_timeout(&mut self, timeout: Duration) {
        self.http = http_client(timeout);
    }

    pub fn set_timeout(&mut self, timeout: Option<Duration>) {
        self.timeout = timeout;
    }

    pub fn set_retry(&mut self, policy: RetryPolicy) {
        self.retry = policy;
    }

    pub fn set_credential(&mut self, scheme: &'static str, credential: Credential) {
        self.credentials.insert(scheme, credential);
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends `request`, authenticated by the first of `security`'s
    /// alternatives whose schemes all have credentials, retrying as the
    /// policy allows, and reads the whole answer. One `tracing` span per
    /// call carries the operation, method, path template (never the filled
    /// path or query, which may hold secrets), attempt, status and latency.
    pub async fn execute<E>(&self, request: Request, security: &[&[&'static str]]) -> Result<RawResponse, Error<E>> {
        let span = call_span(&request);
        let inner = span.clone();
        let call = async move { self.execute_in(request, security, inner).await?.read().await };
        tracing::Instrument::instrument(call, span).await
    }

    /// Builds the future a generated method returns: it sends `request`
    /// with [`Self::execute`] when first polled and hands the answer to
    /// `decode`, the operation's status-and-media-type match.
    ///
    /// One generic future here, instead of an `async fn` per operation,
    /// is what keeps a crate of thousands of operations cheap to check:
    /// each method is a plain function and a plain decoder, with no state
    /// machine of its own to type-check and borrow-check.
    pub fn call<'a, T: Send + 'a, E: Send + 'a>(
        &'a self,
        request: Request,
        security: &'static [&'static [&'static str]],
        decode: fn(RawResponse) -> Result<Response<T>, Error<E>>,
    ) -> Call<'a, T, E> {
        Box::pin(async move { decode(self.execute(request, security).await?) })
    }

    /// As [`Self::execute`], but the body is left unread: for operations
    /// whose answers may be files, which [`Incoming::into_stream`] hands to
    /// the caller as they arrive.
    pub async fn execute_streaming<E>(&self, request: Request, security: &[&[&'static str]]) -> Result<Incoming, Error<E>> {
        let span = call_span(&request);
        tracing::Instrument::instrument(self.execute_in(request, security, span.clone()), span).await
    }

    async fn execute_in<E>(&self, request: Request, security: &[&[&'static str]], span: tracing::Span) -> Result<Incoming, Error<E>> {
        let idempotent = matches!(request.method.as_str(), "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE");
        let may_retry = idempotent || self.retry.retry_non_idempotent;
        let chosen: &[&'static str] = security
            .iter()
            .find(|alternative| alternative.iter().all(|s| self.credentials.contains_key(s)))
            .copied()
            .unwrap_or_default();
        // Tokens from a provider, fetched before building the request.
        let mut fetched = None;
        for scheme in chosen {
            if let Credential::ClientCredentials(provider) = &self.credentials[scheme] {
                fetched = Some((provider, provider.token(&self.http, self.timeout).await.map_err(Error::Auth)?));
            }
        }
        let mut request = self.prepare(request, chosen, fetched.as_ref().map(|(_, t)| t))?;
        let started = std::time::Instant::now();
        let mut attempt = 1;
        let mut refreshed = false;
        loop {
            // A request whose body is a stream cannot be cloned: one attempt only.
            let (current, next) = match request.try_clone() {
                Some(copy) => (copy, Some(request)),
                None => (request, None),
            };
            span.record("attempt", attempt);
            let outcome = send(&self.http, current, self.body_limit).await;
            // A rejected provider token: a new one, and the call once more.
            let rejected = matches!(&outcome, Ok(raw) if raw.status() == StatusCode::UNAUTHORIZED);
            let (next, again) = if rejected && !refreshed && fetched.is_some() { (None, next) } else { (next, None) };
            if let (Some((provider, token)), Some(mut again)) = (&fetched, again) {
                provider.invalidate(token).await;
                let token = provider.token(&self.http, self.timeout).await.map_err(Error::Auth)?;
                again.headers_mut().insert(reqwest::header::AUTHORIZATION, bearer(&token)?);
                tracing::info!(attempt, "access token rejected; sending again with a new one");
                fetched = fetched.map(|(p, _)| (p, token));
                refreshed = true;
                request = again;
                attempt += 1;
                continue;
            }
            let asked_wait = match &outcome {
                Ok(raw) if RETRY_STATUSES.contains(&raw.status().as_u16()) => Some(retry_after(raw.headers())),
                Err(Failure::Http(e)) if e.is_connect() => Some(None),
                _ => None,
            };
            let retry = match (asked_wait, next) {
                (Some(asked), Some(next)) if may_retry && attempt < self.retry.max_attempts => {
                    let delay = asked.unwrap_or_else(|| self.retry.backoff(attempt));
                    let within = asked.is_none_or(|d| d <= self.retry.max_retry_after)
                        && started.elapsed().saturating_add(delay) <= self.retry.max_elapsed;
                    within.then_some((delay, next))
                }
                _ => None,
            };
            let Some((delay, next)) = retry else {
                span.record("latency_ms", started.elapsed().as_millis() as u64);
                return match outcome {
                    Ok(raw) => {
                        span.record("status", raw.status().as_u16());
                        Ok(raw)
                    }
                    Err(e) => Err(e.into_error()),
                };
            };
            let why = match &outcome {
                Ok(raw) => raw.status().to_string(),
                Err(_) => "connection failed".to_string(),
            };
            tracing::info!(attempt, delay_ms = delay.as_millis() as u64, %why, "retrying");
            tokio::time::sleep(delay).await;
            request = next;
            attempt += 1;
        }
    }

    /// Everything but sending: credentials, cookies, URL, body, timeout.
    fn prepare<E>(&self, request: Request, chosen: &[&'static str], fetched: Option<&Secret>) -> Result<reqwest::Request, Error<E>> {
        let Request { method, path, mut query, mut headers, mut cookies, body, error, .. } = request;
        if let Some(message) = error {
            return Err(Error::InvalidRequest(message));
        }
        let mut basic = None;
        for scheme in chosen {
            match &self.credentials[scheme] {
                Credential::Bearer(token) => {
                    headers.insert(reqwest::header::AUTHORIZATION, bearer(token)?);
                }
                Credential::ClientCredentials(_) => {
                    if let Some(token) = fetched {
                        headers.insert(reqwest::header::AUTHORIZATION, bearer(token)?);
                    }
                }
                Credential::Basic { username, password } => basic = Some((username, password)),
                Credential::ApiKey { location, name, value } => match location {
                    KeyLocation::Header => {
                        let v = header_value(value.expose(), true)
                            .map_err(|_| Error::InvalidRequest(format!("the key for `{scheme}` is not a valid header value")))?;
                        let n = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                            .map_err(|_| Error::InvalidRequest(format!("`{name}` is not a valid header name")))?;
                        headers.insert(n, v);
                    }
                    KeyLocation::Query => query.push((Cow::Borrowed(*name), value.expose().to_string())),
                    KeyLocation::Cookie => cookies.push((*name, value.expose().to_string())),
                },
            }
        }
        if !cookies.is_empty() {
            let joined = cookies
                .iter()
                .map(|(n, v)| format!("{n}={}", percent_encoding::utf8_percent_encode(v, COOKIE_VALUE)))
                .collect::<Vec<_>>()
                .join("; ");
            let value = header_value(&joined, true).map_err(|_| Error::InvalidRequest("invalid cookie".into()))?;
            headers.insert(reqwest::header::COOKIE, value);
        }

        let mut url = reqwest::Url::parse(&format!("{}{}", self.base_url.trim_end_matches('/'), path))
            .map_err(|e| Error::InvalidRequest(format!("invalid URL from base `{}`: {e}", self.base_url)))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query.iter().map(|(k, v)| (k.as_ref(), v.as_str())));
        }

        let mut builder = self.http.request(method, url).headers(headers);
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some((username, password)) = basic {
            builder = builder.basic_auth(username, Some(password.expose()));
        }
        match body {
            Some(Body::Raw(content_type, bytes)) => {
                builder = builder.header(reqwest::header::CONTENT_TYPE, content_type).body(bytes);
            }
            Some(Body::Multipart(form)) => builder = builder.multipart(form),
            None => {}
        }
        builder.build().map_err(|e| Error::InvalidRequest(format!("the request cannot be built: {e}")))
    }
}

/// `Authorization: Bearer <token>`, marked sensitive.
fn bearer<E>(token: &Secret) -> Result<reqwest::header::HeaderValue, Error<E>> {
    header_value(&format!("Bearer {}", token.expose()), true)
        .map_err(|_| Error::InvalidRequest("the access token is not a valid header value".into()))
}

/// Why an attempt got no answer the caller may have.
#[derive(Debug)]
enum Failure {
    Http(reqwest::Error),
    /// A client from `with_http_client` followed a redirect to this origin.
    Redirected(String),
    TooLarge { limit: usize, status: StatusCode, headers: HeaderMap },
}

impl Failure {
    fn into_error<E>(self) -> Error<E> {
        match self {
            Failure::Http(e) => transport(e),
            Failure::Redirected(origin) => Error::Redirected(origin),
            Failure::TooLarge { limit, status, headers } => {
                Error::BodyTooLarge { limit, response: RawResponse::new(status, headers, Bytes::new()) }
            }
        }
    }

    fn describe(self) -> String {
        match self {
            Failure::Http(e) if e.is_timeout() => "timed out".to_string(),
            Failure::Http(e) => causes(&e.without_url()),
            Failure::Redirected(origin) => format!("redirected to {origin}, which is not followed"),
            Failure::TooLarge { limit, .. } => format!("the answer is larger than {limit} bytes"),
        }
    }
}

/// One attempt, up to the answer's headers. The answer must come from the
/// origin the request was sent to: a client of the caller's own that
/// follows redirects is refused rather than trusted.
async fn send(http: &reqwest::Client, request: reqwest::Request, limit: usize) -> Result<Incoming, Failure> {
    let origin = request.url().origin();
    let response = http.execute(request).await.map_err(Failure::Http)?;
    if response.url().origin() != origin {
        return Err(Failure::Redirected(response.url().origin().ascii_serialization()));
    }
    Ok(Incoming { status: response.status(), headers: response.headers().clone(), response, limit })
}

/// An error and its causes, outermost first: reqwest's own message alone
/// ("error sending request") hides the cause that says what happened
/// ("message head is too large").
fn causes(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.ends_with(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}

fn call_span(request: &Request) -> tracing::Span {
    tracing::info_span!(
        "http_call",
        operation = request.operation,
        method = %request.method,
        path = request.template,
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    )
}

/// A transport error, told apart from a timeout. The URL is dropped from it:
/// an API key may be in the query.
fn transport<E>(e: reqwest::Error) -> Error<E> {
    let e = e.without_url();
    if e.is_timeout() {
        Error::Timeout(e)
    } else {
        Error::Transport(e)
    }
}

fn header_value(value: &str, sensitive: bool) -> Result<reqwest::header::HeaderValue, reqwest::header::InvalidHeaderValue> {
    let mut v = reqwest::header::HeaderValue::from_str(value)?;
    v.set_sensitive(sensitive);
    Ok(v)
}

// ---------------------------------------------------------------------------
// Requests

/// Everything but RFC 3986 unreserved characters is escaped in a path
/// segment, so a value can never change which path is requested.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

const COOKIE_VALUE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

/// A path parameter, percent-encoded as one segment.
pub fn path_segment<V: ParamValue + ?Sized>(value: &V) -> String {
    percent_encoding::utf8_percent_encode(&value.to_param(), PATH_SEGMENT).to_string()
}

#[derive(Debug)]
enum Body {
    Raw(&'static str, Bytes),
    Multipart(Multipart),
}

/// A request being assembled by a generated method.
#[derive(Debug)]
pub struct Request {
    method: Method,
    /// The operation id and path template, for tracing.
    operation: &'static str,
    template: &'static str,
    path: String,
    query: Vec<(Cow<'static, str>, String)>,
    headers: HeaderMap,
    cookies: Vec<(&'static str, String)>,
    body: Option<Body>,
    /// The first problem found while building; reported before anything is sent.
    error: Option<String>,
}

impl Request {
    /// A request to a path without parameters: the path is its template.
    pub fn fixed(method: Method, operation: &'static str, template: &'static str) -> Self {
        Request::new(method, operation, template, template.to_owned())
    }

    pub fn new(method: Method, operation: &'static str, template: &'static str, path: String) -> Self {
        Request {
            method,
            operation,
            template,
            path,
            query: Vec::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            error: None,
        }
    }

    fn fail(&mut self, message: String) {
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

    pub fn query_list_opt<V: ParamValue>(&mut self, name: &'static str, values: Option<&[V]>, explode: bool) {
        if let Some(values) = values {
            self.query_list(name, values, explode);
        }
    }

    pub fn query_object_opt<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: Option<&T>, explode: bool, deep: bool) {
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
            Err(_) => self.fail(format!("the value for header `{name}` contains characters a header cannot hold")),
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
    pub fn form<T: serde::Serialize + ?Sized>(&mut self, content_type: &'static str, body: &T) {
        match serde_urlencoded::to_string(body) {
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
    pub fn query_object<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T, explode: bool, deep: bool) {
        let value = match serde_json::to_value(value) {
            Ok(v) => v,
            Err(e) => return self.fail(format!("query parameter `{name}` cannot be serialized: {e}")),
        };
        match value {
            serde_json::Value::Object(map) if deep => {
                for (k, v) in map.iter().filter(|(_, v)| !v.is_null()) {
                    self.query.push((Cow::Owned(format!("{name}[{k}]")), v.to_param().into_owned()));
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

display_param!(bool, i32, i64, u32, u64, f32, f64, chrono::NaiveDate, url::Url);

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

// ---------------------------------------------------------------------------
// Responses

/// An answer whose body has not been read yet.
pub struct Incoming {
    status: StatusCode,
    headers: HeaderMap,
    response: reqwest::Response,
    /// The most of the body `read` takes into memory.
    limit: usize,
}

impl Incoming {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Does the `Content-Type` match `pattern` (`text/csv`, `text/*`, `*/*`)?
    pub fn media_type_is(&self, pattern: &str) -> bool {
        media_type_is(&self.headers, pattern)
    }

    /// Reads the whole body (within the call's timeout), up to the client's
    /// body limit.
    pub async fn read<E>(self) -> Result<RawResponse, Error<E>> {
        self.read_whole().await.map_err(Failure::into_error)
    }

    /// The body in memory, refused as soon as it is known to pass the limit:
    /// from its `Content-Length`, else while it arrives, so that a server
    /// sending without end costs at most the limit.
    async fn read_whole(mut self) -> Result<RawResponse, Failure> {
        let limit = self.limit;
        let too_large = |this: Self| Failure::TooLarge { limit, status: this.status, headers: this.headers };
        let declared = self.response.content_length();
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(too_large(self));
        }
        let mut body = bytes::BytesMut::with_capacity(declared.unwrap_or(0) as usize);
        while let Some(chunk) = self.response.chunk().await.map_err(Failure::Http)? {
            if chunk.len() > limit - body.len() {
                return Err(too_large(self));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(RawResponse::new(self.status, self.headers, body.freeze()))
    }

    /// The status and headers, and the body as a stream.
    #[doc(hidden)]
    pub fn into_stream(self) -> (RawResponse, ByteStream) {
        (RawResponse::new(self.status, self.headers, Bytes::new()), ByteStream(Some(self.response)))
    }
}

/// A body that is a file (CSV, binary): read as it arrives, never buffered
/// whole unless asked. The call's timeout covers reading it too; set a longer
/// one (or none) on the client for large downloads.
pub struct ByteStream(Option<reqwest::Response>);

impl ByteStream {
    /// The next piece of the body; `None` at its end.
    pub async fn next_chunk(&mut self) -> std::io::Result<Option<Bytes>> {
        let Some(response) = self.0.as_mut() else { return Ok(None) };
        match response.chunk().await.map_err(io_error)? {
            Some(chunk) => Ok(Some(chunk)),
            None => {
                self.0 = None;
                Ok(None)
            }
        }
    }

    /// The whole body in memory.
    pub async fn collect(mut self) -> std::io::Result<Bytes> {
        let mut all = Vec::new();
        while let Some(chunk) = self.next_chunk().await? {
            all.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(all))
    }

    /// Copies the body into `writer` as it arrives; returns the bytes written.
    pub async fn write_to<W: tokio::io::AsyncWrite + Unpin + ?Sized>(mut self, writer: &mut W) -> std::io::Result<u64> {
        use tokio::io::AsyncWriteExt;
        let mut written = 0;
        while let Some(chunk) = self.next_chunk().await? {
            writer.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        writer.flush().await?;
        Ok(written)
    }

    /// Writes the body to a new file at `path` (replacing one that is there).
    pub async fn write_to_file(self, path: impl AsRef<std::path::Path>) -> std::io::Result<u64> {
        let mut file = tokio::fs::File::create(path).await?;
        self.write_to(&mut file).await
    }
}

/// Any answer's body as a stream, e.g. a pre-signed download URL's.
impl From<reqwest::Response> for ByteStream {
    fn from(response: reqwest::Response) -> Self {
        ByteStream(Some(response))
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() { "ByteStream { .. }" } else { "ByteStream { done }" })
    }
}

/// A body read error as I/O, saying what happened: timeouts are `TimedOut`
/// (reqwest calls them "error decoding response body").
fn io_error(e: reqwest::Error) -> std::io::Error {
    let e = e.without_url();
    if e.is_timeout() {
        return std::io::Error::new(std::io::ErrorKind::TimedOut, "the call's timeout ran out while the body was being read");
    }
    std::io::Error::other(format!("the body could not be read: {}", causes(&e)))
}

fn media_type(headers: &HeaderMap) -> Option<String> {
    let ct = headers.get(reqwest::header::CONTENT_TYPE)?.to_str().ok()?;
    Some(ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

fn media_type_is(headers: &HeaderMap, pattern: &str) -> bool {
    let Some(actual) = media_type(headers) else { return false };
    match pattern.split_once('/') {
        Some(("*", "*")) => true,
        Some((kind, "*")) => actual.split('/').next() == Some(kind),
        _ => actual == pattern.to_ascii_lowercase(),
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
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        RawResponse(Box::new(RawParts { status, headers, body }))
    }

    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.0.headers
    }

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
        let body = self.json()?;
        Ok(self.into_response(body))
    }

    #[doc(hidden)]
    pub fn ok_json_as<B: serde::de::DeserializeOwned, T, E>(self, wrap: fn(B) -> T) -> Result<Response<T>, Error<E>> {
        let body = self.json()?;
        Ok(self.into_response(wrap(body)))
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

    #[doc(hidden)]
    pub fn err_json<B: serde::de::DeserializeOwned, T, E>(self, wrap: fn(B) -> E) -> Result<T, Error<E>> {
        let body = self.json()?;
        self.api_error(wrap(body))
    }

    #[doc(hidden)]
    pub fn err_text<T, E>(self, wrap: fn(String) -> E) -> Result<T, Error<E>> {
        let body = self.text()?;
        self.api_error(wrap(body))
    }

    #[doc(hidden)]
    pub fn err_bytes<T, E>(self, wrap: fn(Bytes) -> E) -> Result<T, Error<E>> {
        let body = self.body().clone();
        self.api_error(wrap(body))
    }

    #[doc(hidden)]
    pub fn api_error<T, E>(self, body: E) -> Result<T, Error<E>> {
        Err(Error::Api(Box::new(ApiError { body, response: self })))
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
    fn from_headers(headers: &HeaderMap) -> Self;
}

/// A header's value as a scalar type.
pub trait FromHeaderValue: Sized {
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

header_from_str!(String, bool, i32, i64, u32, u64, f32, f64, chrono::NaiveDate, url::Url);

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
    pub fn status(&self) -> StatusCode {
        self.status
    }

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

    pub fn body(&self) -> &T {
        &self.body
    }

    pub fn into_body(self) -> T {
        self.body
    }

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

/// `Retry-After` as a wait from now: delay-seconds, or an HTTP date
/// (a date in the past means "now").
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(std::time::SystemTime::now()).unwrap_or(Duration::ZERO))
}

// ---------------------------------------------------------------------------
// Polling asynchronous jobs

/// How [`poll_until`] paces its calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollPolicy {
    /// The wait after the first answer that is not done yet, when the server
    /// does not say (`Retry-After`).
    pub initial_interval: Duration,
    /// Waits the client chooses grow by half each time, up to this.
    pub max_interval: Duration,
    /// No call starts once this much time has passed since the first.
    pub deadline: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(30),
            deadline: Duration::from_secs(15 * 60),
        }
    }
}

/// The shortest wait between polls, whatever `Retry-After` says, so that a
/// server answering `Retry-After: 0` cannot make a client spin.
const MIN_POLL_WAIT: Duration = Duration::from_millis(50);

/// Why [`poll_until`] stopped without the job being done.
#[derive(Debug)]
pub enum PollError<E> {
    /// A status call failed (after the client's own retries).
    Call(Error<E>),
    /// The deadline came first.
    Deadline { polls: u32, elapsed: Duration },
}

impl<E> fmt::Display for PollError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PollError::Call(e) => write!(f, "polling failed: {e}"),
            PollError::Deadline { polls, elapsed } => {
                write!(f, "the job was not done after {polls} polls in {elapsed:?}")
            }
        }
    }
}

impl<E: fmt::Debug> std::error::Error for PollError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PollError::Call(e) => e.source(),
            PollError::Deadline { .. } => None,
        }
    }
}

/// Calls `call` until `done` holds for an answer's body, and returns that
/// answer: for export jobs and other work a server finishes later.
///
/// Between calls it waits what the answer's `Retry-After` asks (a 202 usually
/// says), else a wait that starts at `initial_interval` and grows; it stops
/// with [`PollError::Deadline`] rather than start a wait that would end past
/// the deadline. Errors end polling at once; a failed job is an answer, so
/// let `done` accept failure states too and look at the body. Dropping the
/// future cancels polling.
pub async fn poll_until<S, E, F, Fut, D>(policy: &PollPolicy, mut call: F, mut done: D) -> Result<Response<S>, PollError<E>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Response<S>, Error<E>>>,
    D: FnMut(&S) -> bool,
{
    let started = std::time::Instant::now();
    let mut interval = policy.initial_interval;
    let mut polls = 0;
    loop {
        let response = call().await.map_err(PollError::Call)?;
        polls += 1;
        if done(response.body()) {
            return Ok(response);
        }
        let wait = match response.retry_after() {
            Some(asked) => asked.max(MIN_POLL_WAIT),
            None => {
                let chosen = interval.max(MIN_POLL_WAIT);
                interval = interval.saturating_add(interval / 2).min(policy.max_interval);
                chosen
            }
        };
        if started.elapsed().saturating_add(wait) > policy.deadline {
            return Err(PollError::Deadline { polls, elapsed: started.elapsed() });
        }
        tracing::debug!(polls, wait_ms = wait.as_millis() as u64, "not done yet");
        tokio::time::sleep(wait).await;
    }
}

// ---------------------------------------------------------------------------
// Errors

/// Why a call failed. `E` is the operation's documented error bodies.
#[derive(Debug)]
pub enum Error<E> {
    /// The request could not be built (a header value with a line break,
    /// a body that cannot be serialized, a bad base URL); nothing was sent.
    InvalidRequest(String),
    /// No answer: connection, TLS or protocol failure.
    Transport(reqwest::Error),
    /// The call took longer than its timeout (connecting, waiting for the
    /// answer, or reading its body).
    Timeout(reqwest::Error),
    /// No access token could be had (OAuth2 client credentials); nothing was
    /// sent to the API.
    Auth(AuthError),
    /// A status the spec documents as an error, with its typed body.
    Api(Box<ApiError<E>>),
    /// A status the spec does not document for this operation.
    UnexpectedStatus(RawResponse),
    /// A documented status with a `Content-Type` the spec does not list for it.
    UnexpectedContentType(RawResponse),
    /// A documented answer whose body does not match the spec.
    Decode(DecodeError),
    /// The body of the answer is larger than the client's body limit
    /// (`limit` bytes); `response` has its status and headers, and no body.
    BodyTooLarge { limit: usize, response: RawResponse },
    /// The HTTP client given to `with_http_client` followed a redirect to
    /// another origin (this one); its answer is not returned. The client
    /// the runtime builds follows no redirects.
    Redirected(String),
}

/// Why no access token could be had: the token endpoint's answer, when it
/// gave one (an RFC 6749 error body says why), never the client secret.
#[derive(Debug)]
pub struct AuthError {
    pub message: String,
    pub response: Option<RawResponse>,
}

/// A documented error answer.
#[derive(Debug)]
pub struct ApiError<E> {
    pub body: E,
    pub response: RawResponse,
}

/// A body that did not match: where in it, and why.
#[derive(Debug)]
pub struct DecodeError {
    /// Where in the body decoding failed, e.g. `data.accounts[0].id`.
    pub path: String,
    pub message: String,
    pub response: RawResponse,
}

impl<E> Error<E> {
    /// The HTTP status, when there was an answer.
    pub fn status(&self) -> Option<StatusCode> {
        self.raw_response().map(RawResponse::status).or_else(|| match self {
            Error::Transport(e) | Error::Timeout(e) => e.status(),
            _ => None,
        })
    }

    /// Might the same call succeed if sent again later? True for a failed
    /// connection and for 429, 502, 503 and 504 answers (whatever their
    /// body); false for timeouts (the server may still be working on it),
    /// other statuses, bodies that do not match the spec and requests that
    /// could not be built. Whether a retry is safe also depends on the
    /// method; the client's `RetryPolicy` weighs both.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(e) => e.is_connect(),
            Error::Timeout(_) | Error::InvalidRequest(_) => false,
            _ => self.status().is_some_and(|s| RETRY_STATUSES.contains(&s.as_u16())),
        }
    }

    /// How long the server asked the caller to wait (`Retry-After`), if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        self.raw_response().and_then(|r| retry_after(r.headers()))
    }

    /// The answer as received, when there was one.
    pub fn raw_response(&self) -> Option<&RawResponse> {
        match self {
            Error::Api(e) => Some(&e.response),
            Error::UnexpectedStatus(r) | Error::UnexpectedContentType(r) => Some(r),
            Error::Decode(e) => Some(&e.response),
            Error::Auth(e) => e.response.as_ref(),
            Error::BodyTooLarge { response, .. } => Some(response),
            Error::InvalidRequest(_) | Error::Transport(_) | Error::Timeout(_) | Error::Redirected(_) => None,
        }
    }

    /// The documented error body, if this is a documented error.
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Error::Api(e) => Some(&e.body),
            _ => None,
        }
    }
}

impl<E> From<DecodeError> for Error<E> {
    fn from(e: DecodeError) -> Self {
        Error::Decode(e)
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(m) => write!(f, "invalid request: {m}"),
            Error::Transport(e) => write!(f, "transport error: {}", causes(e)),
            Error::Timeout(e) => write!(f, "timed out: {}", causes(e)),
            Error::Auth(e) => write!(f, "no access token: {}", e.message),
            Error::Api(e) => write!(f, "error response: {}", e.response.status()),
            Error::UnexpectedStatus(r) => write!(f, "unexpected status: {}", r.status()),
            Error::UnexpectedContentType(r) => write!(
                f,
                "unexpected content type `{}` with status {}",
                r.media_type().unwrap_or_default(),
                r.status()
            ),
            Error::Decode(e) => write!(
                f,
                "response body (status {}) does not match the spec at `{}`: {}",
                e.response.status(), e.path, e.message
            ),
            Error::BodyTooLarge { limit, response } => write!(
                f,
                "the body of the answer (status {}) is larger than the limit of {limit} bytes",
                response.status()
            ),
            Error::Redirected(origin) => {
                write!(f, "the HTTP client followed a redirect to {origin}; answers from another origin are refused")
            }
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) | Error::Timeout(e) => Some(e),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------
// Serde helpers for generated types

/// A parameter value that is not a scalar, as JSON text.
pub fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Decodes a tagged union's chosen variant, with the deserializer's error type.
pub fn from_json_value<T: serde::de::DeserializeOwned, E: serde::de::Error>(value: serde_json::Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// A JSON object key as a generated `Deserialize` impl reads it (see
/// `deserialize_struct!`): borrowed from the input when the input allows, so
/// matching field names allocates nothing.
#[doc(hidden)]
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> serde::de::Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// How a struct's `Deserialize` turns what it read into each field: every
/// field is read as `Option<field type>` (`None` when absent); `check` notes
/// the first required field that is missing, and `ready` gives the field's
/// value, `None` only for a missing required field.
#[doc(hidden)]
pub mod field {
    /// Required and not nullable: absent is serde's "missing field" error.
    pub mod required {
        pub fn check<T>(value: &Option<T>, name: &'static str, missing: &mut Option<&'static str>) {
            if value.is_none() && missing.is_none() {
                *missing = Some(name);
            }
        }

        pub fn ready<T>(value: Option<T>) -> Option<T> {
            value
        }
    }

    /// An `Option` field: absent and `null` both read as `None`.
    pub mod optional {
        pub fn check<T>(_: &Option<Option<T>>, _: &'static str, _: &mut Option<&'static str>) {}

        pub fn ready<T>(value: Option<Option<T>>) -> Option<Option<T>> {
            Some(value.flatten())
        }
    }

    /// An `Option<Option<T>>` field: absent is `None`, `null` is `Some(None)`.
    pub mod nullable {
        pub fn check<T>(_: &Option<Option<Option<T>>>, _: &'static str, _: &mut Option<&'static str>) {}

        #[allow(clippy::option_option)]
        pub fn ready<T>(value: Option<Option<Option<T>>>) -> Option<Option<Option<T>>> {
            Some(value.map(Option::flatten))
        }
    }
}

/// A generated struct's `Deserialize` impl: one pass over the object's keys,
/// each field finished by a [`field`] function, unknown keys skipped or kept
/// in the struct's extra map, so a vendor adding a property never breaks an
/// old client.
///
/// This replaces `#[derive(Deserialize)]`, which writes a field enum with its
/// own impl, a sequence visitor and a map visitor per struct; on large
/// generated crates that is most of what the compiler spends.
// A module whose spec has no type of this kind does not call it.
#[allow(unused_macros)]
macro_rules! deserialize_struct {
    ($name:ident $(, $finish:ident($field:ident, $wire:literal))* $(, ..$extra:ident)? $(,)?) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                // Names no generated type can have (they never start with `_`).
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("an object (", stringify!($name), ")"))
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, mut map: __A) -> ::std::result::Result<$name, __A::Error> {
                        $( let mut $field = ::std::option::Option::None; )*
                        $( let mut $extra = ::std::default::Default::default(); )?
                        while let ::std::option::Option::Some(key) = map.next_key::<crate::runtime::Key<'de>>()? {
                            match key.as_str() {
                                $( $wire => $field = ::std::option::Option::Some(map.next_value()?), )*
                                _ => crate::runtime::unknown_key!(map key $($extra)?),
                            }
                        }
                        // One exit for every missing field, not a `?` per field: each
                        // `?` in the struct literal dropped every value read so far,
                        // and checking a struct of 1,000 fields took 9.5 GB.
                        let mut missing = ::std::option::Option::None;
                        $( crate::runtime::field::$finish::check(&$field, $wire, &mut missing); )*
                        match ($( crate::runtime::field::$finish::ready($field), )*) {
                            ($( ::std::option::Option::Some($field), )*) => ::std::result::Result::Ok($name { $( $field, )* $( $extra, )? }),
                            // Unreachable for a struct without fields.
                            #[allow(unreachable_patterns)]
                            _ => ::std::result::Result::Err(<__A::Error as ::serde::de::Error>::missing_field(missing.unwrap_or_default())),
                        }
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use deserialize_struct;

/// The impls of a generated string enum, whose last variant keeps values
/// not known when the client was generated: `Serialize` and `Deserialize`
/// as the wire string, `as_str`, `Display`, and [`ParamValue`] for
/// parameters. Written out per enum they were most of the tokens of a
/// generated module's types (GitHub's spec has 744 such enums).
// A module whose spec has no type of this kind does not call it.
#[allow(unused_macros)]
macro_rules! string_enum {
    ($name:ident, $other:ident $(, $variant:ident = $wire:literal)* $(,)?) => {
        impl ::serde::Serialize for $name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                let value = crate::runtime::enum_value(deserializer)?;
                ::std::result::Result::Ok(match value.as_str() {
                    $( $wire => Self::$variant, )*
                    _ => Self::$other(value.into_string()),
                })
            }
        }

        impl $name {
            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::$other(value) => value,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl crate::runtime::ParamValue for $name {
            fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum;

/// A key the struct has no field for: kept in the extra map when there is one.
// A module whose spec has no type of this kind does not call it.
#[allow(unused_macros)]
macro_rules! unknown_key {
    ($map:ident $key:ident) => {
        crate::runtime::skip_value(&mut $map, $key)?
    };
    ($map:ident $key:ident $extra:ident) => {
        ::std::iter::Extend::extend(&mut $extra, [($key.into_string(), $map.next_value()?)])
    };
}
#[allow(unused_imports)]
pub(crate) use unknown_key;

/// Skips a value the generated type has no field for.
#[doc(hidden)]
pub fn skip_value<'de, A: serde::de::MapAccess<'de>>(map: &mut A, _: Key<'de>) -> Result<(), A::Error> {
    map.next_value::<serde::de::IgnoredAny>().map(drop)
}

/// One attempt of an untagged union: the variant's type, if the value fits it.
#[doc(hidden)]
pub fn try_variant<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> Option<T> {
    T::deserialize(value).ok()
}

/// A string enum's wire value, for its `Deserialize` impl.
#[doc(hidden)]
pub fn enum_value<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Key<'de>, D::Error> {
    serde::Deserialize::deserialize(deserializer)
}

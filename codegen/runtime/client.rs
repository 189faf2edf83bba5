//! The client core every generated `Client` holds: connection settings,
//! credentials, and `execute`, the one place a call is sent, retried and
//! traced.

use super::hook::Hooks;
use super::request::{header_value, Body, COOKIE_VALUE};
use super::retry::RETRY_STATUSES;
use super::*;

/// What every generated method returns: the call, to be awaited, with what
/// this call alone needs set first:
///
/// ```ignore
/// let answer = client.get_data_export("dta_1").header("x-request-id", "42").timeout(None).await?;
/// ```
///
/// The request is built (and its body serialized) when the method is
/// called; it is sent when the call is awaited. The call borrows the
/// client, not the arguments.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, T, E, P = NoParams> {
    core: &'a ClientCore,
    request: Request,
    security: &'static [&'static [&'static str]],
    decode: Decode<T, E>,
    timeout: Option<Option<Duration>>,
    retry: Option<RetryPolicy>,
    /// The operation's optional parameters, set on the call by name and
    /// added to the request when it is sent.
    params: P,
}

/// The optional parameters of an operation (`types::FindPetsParams`), set
/// on its call with one method each (`.limit(10)`), so that a parameter a
/// spec adds later breaks no call written before it.
pub trait Params: Send {
    /// Adds the parameters that were set to `request`.
    fn apply(self, request: &mut Request);
}

/// The parameters of an operation that has no optional ones.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoParams;

impl Params for NoParams {
    fn apply(self, _: &mut Request) {}
}

/// The header an idempotency key goes in where the operation declares none.
const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// How a call's answer is read: whole, by the operation's status match, or
/// as it arrives, for operations whose answers may be files.
enum Decode<T, E> {
    Whole(fn(RawResponse) -> Result<Response<T>, Error<E>>),
    Streaming(fn(Incoming) -> Answer<T, E>),
}

/// The future of a streaming operation's decoder, and of a whole call.
#[doc(hidden)]
pub type Answer<T, E> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<Response<T>, Error<E>>> + Send + 'static>,
>;

impl<'a, T, E, P> Call<'a, T, E, P> {
    /// A header for this call alone, in place of one of the same name the
    /// call would send (credentials are still added by the client). A name
    /// or value no header can carry fails the call before it is sent.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = match reqwest::header::HeaderName::from_bytes(name.as_bytes()) {
            Ok(name) => name,
            Err(_) => {
                self.request.fail(format!("`{name}` is not a valid header name"));
                return self;
            }
        };
        match header_value(value, false) {
            Ok(value) => {
                self.request.headers.insert(name, value);
            }
            Err(_) => {
                self.request.fail(format!("the value of `{name}` is not a valid header value"))
            }
        }
        self
    }

    /// The whole-call timeout for this call (`None`: no limit), in place of
    /// the client's.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = Some(timeout.into());
        self
    }

    /// The retry policy for this call, in place of the client's
    /// ([`RetryPolicy::none`] sends it once).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// An idempotency key for this call: sent in the header the operation
    /// declares for one (else `Idempotency-Key`) on every attempt, so the
    /// server runs the call at most once, and retrying it is then safe
    /// whatever its method.
    pub fn idempotency_key(mut self, key: &str) -> Self {
        let name = self.request.idempotency.unwrap_or(IDEMPOTENCY_KEY);
        self.request.idempotency.get_or_insert(IDEMPOTENCY_KEY);
        self.header(name, key)
    }

    /// The call as its two halves, sending and decoding, for a judge that
    /// must see the raw answer the typed one came from (`cargo xtask
    /// conformance`). A streaming call stays whole: its body is read by
    /// its decoder.
    #[doc(hidden)]
    pub fn split(self) -> Split<'a, T, E>
    where
        P: Params,
    {
        let Call { core, mut request, security, decode, timeout, retry, params } = self;
        params.apply(&mut request);
        let params = NoParams;
        match decode {
            Decode::Whole(decode) => {
                let send = Decode::Whole(|raw: RawResponse| Ok(raw.clone().into_response(raw)));
                let send = Call { core, request, security, decode: send, timeout, retry, params };
                Split::Whole(send, decode)
            }
            decode @ Decode::Streaming(_) => {
                Split::Streaming(Call { core, request, security, decode, timeout, retry, params })
            }
        }
    }

    /// The call with the operation's optional parameters, none set yet.
    #[doc(hidden)]
    pub fn with_params<Q: Params>(self, params: Q) -> Call<'a, T, E, Q> {
        let Call { core, request, security, decode, timeout, retry, .. } = self;
        Call { core, request, security, decode, timeout, retry, params }
    }

    /// What the generated setters (`.limit(10)`) write to.
    #[doc(hidden)]
    pub fn params_mut(&mut self) -> &mut P {
        &mut self.params
    }
}

/// A call split by [`Call::split`].
#[doc(hidden)]
pub enum Split<'a, T, E> {
    /// Sends and answers the raw response; the decoder makes it typed.
    Whole(Call<'a, RawResponse, E>, RawDecoder<T, E>),
    Streaming(Call<'a, T, E>),
}

/// A whole call's decoder: the operation's status-and-media-type match.
#[doc(hidden)]
pub type RawDecoder<T, E> = fn(RawResponse) -> Result<Response<T>, Error<E>>;

impl<'a, T, E, P: Params> Call<'a, T, E, P> {
    /// The client with this call's options, the request with its
    /// parameters, and how its answers are read, for calls that send more
    /// than one request (pages). Operations that page read answers whole.
    pub(crate) fn into_parts(self) -> Parts<'a, T, E> {
        let Call { core, mut request, security, decode, timeout, retry, params } = self;
        params.apply(&mut request);
        let core = core.with_options(timeout, retry);
        let decode = match decode {
            Decode::Whole(decode) => decode,
            Decode::Streaming(_) => {
                |_| Err(Error::InvalidRequest("an operation that streams does not page".into()))
            }
        };
        Parts { core, request, security, decode }
    }
}

/// A call taken apart, to send more than one request (pages).
pub(crate) struct Parts<'a, T, E> {
    pub(crate) core: Cow<'a, ClientCore>,
    pub(crate) request: Request,
    pub(crate) security: &'static [&'static [&'static str]],
    pub(crate) decode: fn(RawResponse) -> Result<Response<T>, Error<E>>,
}

impl<'a, T: Send + 'a, E: Send + 'a, P: Params + 'a> std::future::IntoFuture for Call<'a, T, E, P> {
    type Output = Result<Response<T>, Error<E>>;
    type IntoFuture =
        std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        let Call { core, mut request, security, decode, timeout, retry, params } = self;
        params.apply(&mut request);
        Box::pin(async move {
            let core = core.with_options(timeout, retry);
            match decode {
                Decode::Whole(decode) => decode(core.execute(request, security).await?),
                Decode::Streaming(decode) => {
                    let resume =
                        request.resumable.then(|| request.duplicate()).flatten().map(|request| {
                            super::items::Resume { core: core.as_ref().clone(), request, security }
                        });
                    let mut incoming = core.execute_streaming(request, security).await?;
                    incoming.resume = resume;
                    decode(incoming).await
                }
            }
        })
    }
}

/// The settings every generated `Client` takes (its HTTP client, limits,
/// retries, timeouts, headers, hooks), written once here and expanded in
/// each `impl Client`: a crate of many modules would otherwise carry the
/// same methods once per module. The client's field is `core`.
// A crate whose specs have no client (no operations) does not call it.
#[allow(unused_macros)]
macro_rules! client_settings {
    () => {
        /// Sends requests through `http` (your proxies, TLS settings, connection pool).
        /// Build it from [`crate::runtime::http_client_builder`]: a client that follows
        /// redirects takes the credentials with it, and its answers from another origin
        /// are refused ([`crate::runtime::Error::Redirected`]).
        pub fn with_http_client(mut self, http: ::reqwest::Client) -> Self {
            self.core.set_http_client(http);
            self
        }

        /// The most of an answer's body read into memory (default
        /// [`crate::runtime::DEFAULT_BODY_LIMIT`]); a larger one is
        /// [`crate::runtime::Error::BodyTooLarge`]. Files handed over as streams have no limit.
        pub fn with_body_limit(mut self, bytes: usize) -> Self {
            self.core.set_body_limit(bytes);
            self
        }

        /// When calls are retried ([`crate::runtime::RetryPolicy`]; `RetryPolicy::none()`
        /// to never retry). For one call, set it on the call (`.retry(...)`).
        pub fn with_retry(mut self, policy: crate::runtime::RetryPolicy) -> Self {
            self.core.set_retry(policy);
            self
        }

        /// The longest a whole call may take, body included (default
        /// [`crate::runtime::DEFAULT_TIMEOUT`]; `None` for no limit). For one call, set it on the call (`.timeout(...)`).
        pub fn with_timeout(
            mut self,
            timeout: impl ::std::convert::Into<::std::option::Option<::std::time::Duration>>,
        ) -> Self {
            self.core.set_timeout(timeout.into());
            self
        }

        /// The longest connecting may take (default [`crate::runtime::DEFAULT_CONNECT_TIMEOUT`]),
        /// for the runtime's own HTTP client: one given to [`Self::with_http_client`], before
        /// or after, keeps its own.
        pub fn with_connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.core.set_connect_timeout(timeout);
            self
        }

        /// A header sent with every call (a call's own `.header()` wins, credentials win
        /// over both); its value is kept out of `Debug`. A name or value no header can
        /// carry fails every call with [`crate::runtime::Error::InvalidRequest`].
        pub fn with_header(mut self, name: &str, value: &str) -> Self {
            self.core.set_header(name, value);
            self
        }

        /// The `User-Agent` of every call, in place of this crate's `name/version`.
        pub fn with_user_agent(self, agent: &str) -> Self {
            self.with_header("user-agent", agent)
        }

        /// Code of yours around every attempt of every call ([`crate::runtime::Hook`]):
        /// signing, logging, metrics. Hooks run in the order they are added.
        pub fn with_hook(mut self, hook: impl crate::runtime::Hook) -> Self {
            self.core.add_hook(hook);
            self
        }

        /// Operations that declare an idempotency key header (`Idempotency-Key`) get a new
        /// key per call when you pass none, the same on every attempt, and are then retried
        /// like GET, POST included. Off by default.
        pub fn with_idempotent_retries(mut self, on: bool) -> Self {
            self.core.set_idempotent_retries(on);
            self
        }

        /// The base URL requests go to.
        pub fn base_url(&self) -> &str {
            self.core.base_url()
        }
    };
}
pub(crate) use client_settings;

/// Connection settings shared by every generated `Client`.
#[derive(Clone, Debug)]
pub struct ClientCore {
    http: reqwest::Client,
    /// Whether `http` is the runtime's own, which `set_connect_timeout`
    /// rebuilds, rather than the caller's, which it must never replace.
    own_http: bool,
    base_url: String,
    credentials: BTreeMap<&'static str, Credential>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    body_limit: usize,
    /// Sent with every call unless the call sets the same header.
    headers: HeaderMap,
    /// A default header that could not be one: every call fails with it.
    invalid: Option<String>,
    hooks: Hooks,
    /// Operations that declare an idempotency key get one made per call.
    idempotent_retries: bool,
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

impl ClientCore {
    /// A client of `base_url` with no credentials, the default timeouts,
    /// retry policy and body limit, and an HTTP client that follows no
    /// redirects.
    pub fn new(base_url: String) -> Self {
        let mut headers = HeaderMap::new();
        headers.insert(reqwest::header::USER_AGENT, default_user_agent());
        ClientCore {
            http: http_client(DEFAULT_CONNECT_TIMEOUT),
            own_http: true,
            base_url,
            credentials: BTreeMap::new(),
            retry: RetryPolicy::default(),
            timeout: Some(DEFAULT_TIMEOUT),
            body_limit: DEFAULT_BODY_LIMIT,
            headers,
            invalid: None,
            hooks: Hooks::default(),
            idempotent_retries: false,
        }
    }

    /// `http` should follow no redirects ([`http_client_builder`] builds one
    /// that does not): one that does would send the call's credentials
    /// wherever a server points it. An answer it fetched from another
    /// origin is refused ([`Error::Redirected`]) rather than returned.
    /// It keeps its own connect timeout whatever `set_connect_timeout`
    /// says, before or after.
    pub fn set_http_client(&mut self, http: reqwest::Client) {
        self.http = http;
        self.own_http = false;
    }

    /// A header sent with every call (a call's own `.header()` of the same
    /// name wins; credentials win over both). Values are kept out of
    /// `Debug`. A name or value no header can carry fails every call.
    pub fn set_header(&mut self, name: &str, value: &str) {
        let Ok(header) = reqwest::header::HeaderName::from_bytes(name.as_bytes()) else {
            self.invalid.get_or_insert(format!("the client's header `{name}` is not a valid name"));
            return;
        };
        match header_value(value, true) {
            Ok(value) => {
                self.headers.insert(header, value);
            }
            Err(_) => {
                let message = format!("the client's value for header `{header}` is not valid");
                self.invalid.get_or_insert(message);
            }
        }
    }

    /// Adds `hook` after those already added (see [`Hook`]).
    pub fn add_hook(&mut self, hook: impl Hook) {
        self.hooks.push(hook);
    }

    /// Calls to operations that declare an idempotency key header (Stripe's
    /// `Idempotency-Key`) get a new key per call when the caller gives none,
    /// the same on every attempt, and are retried like GET, POST included.
    pub fn set_idempotent_retries(&mut self, on: bool) {
        self.idempotent_retries = on;
    }

    /// The most of a body read into memory (default [`DEFAULT_BODY_LIMIT`]).
    pub fn set_body_limit(&mut self, bytes: usize) {
        self.body_limit = bytes;
    }

    /// How long connecting may take, for the runtime's own HTTP client. A
    /// client given to [`ClientCore::set_http_client`], before or after,
    /// keeps its own (build it with [`http_client_builder`]`(timeout)`).
    pub fn set_connect_timeout(&mut self, timeout: Duration) {
        if self.own_http {
            self.http = http_client(timeout);
        }
    }

    /// How long a whole call may take, reading its body too (`None`: no
    /// limit; default [`DEFAULT_TIMEOUT`]).
    pub fn set_timeout(&mut self, timeout: Option<Duration>) {
        self.timeout = timeout;
    }

    /// Which failures are tried again, how often and how far apart.
    pub fn set_retry(&mut self, policy: RetryPolicy) {
        self.retry = policy;
    }

    /// The credential of the security scheme named `scheme` in the spec,
    /// replacing any it had.
    pub fn set_credential(&mut self, scheme: &'static str, credential: Credential) {
        self.credentials.insert(scheme, credential);
    }

    /// The URL every path is appended to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends `request`, authenticated by the first of `security`'s
    /// alternatives whose schemes all have credentials, retrying as the
    /// policy allows, and reads the whole answer. One `tracing` span per
    /// call carries the operation, method, path template (never the filled
    /// path or query, which may hold secrets), attempt, status and latency.
    pub async fn execute<E>(
        &self,
        request: Request,
        security: &[&[&'static str]],
    ) -> Result<RawResponse, Error<E>> {
        let span = call_span(&request);
        let inner = span.clone();
        let call = async move { self.execute_in(request, security, inner).await?.read().await };
        tracing::Instrument::instrument(call, span).await
    }

    /// The call a generated method returns: when awaited, it sends
    /// `request` with [`Self::execute`] and hands the answer to `decode`,
    /// the operation's status-and-media-type match.
    ///
    /// One generic future here, instead of an `async fn` per operation,
    /// is what keeps a crate of thousands of operations cheap to check:
    /// each method is a plain function and a plain decoder, with no state
    /// machine of its own to type-check and borrow-check.
    /// Options of one call alone: a copy of the client's settings.
    fn with_options(
        &self,
        timeout: Option<Option<Duration>>,
        retry: Option<RetryPolicy>,
    ) -> Cow<'_, ClientCore> {
        match (timeout, retry) {
            (None, None) => Cow::Borrowed(self),
            (timeout, retry) => {
                let mut own = self.clone();
                own.timeout = timeout.unwrap_or(own.timeout);
                own.retry = retry.unwrap_or(own.retry);
                Cow::Owned(own)
            }
        }
    }

    pub fn call<T, E>(
        &self,
        request: Request,
        security: &'static [&'static [&'static str]],
        decode: fn(RawResponse) -> Result<Response<T>, Error<E>>,
    ) -> Call<'_, T, E> {
        let decode = Decode::Whole(decode);
        Call { core: self, request, security, decode, timeout: None, retry: None, params: NoParams }
    }

    /// As [`Self::call`], for operations whose answers may be files: the
    /// body is left unread for `decode`, which streams or reads it.
    pub fn call_streaming<T, E>(
        &self,
        request: Request,
        security: &'static [&'static [&'static str]],
        decode: fn(Incoming) -> Answer<T, E>,
    ) -> Call<'_, T, E> {
        let decode = Decode::Streaming(decode);
        Call { core: self, request, security, decode, timeout: None, retry: None, params: NoParams }
    }

    /// As [`Self::execute`], but the body is left unread: for operations
    /// whose answers may be files, which [`Incoming::into_stream`] hands to
    /// the caller as they arrive.
    pub async fn execute_streaming<E>(
        &self,
        request: Request,
        security: &[&[&'static str]],
    ) -> Result<Incoming, Error<E>> {
        let span = call_span(&request);
        tracing::Instrument::instrument(self.execute_in(request, security, span.clone()), span)
            .await
    }

    async fn execute_in<E>(
        &self,
        mut request: Request,
        security: &[&[&'static str]],
        span: tracing::Span,
    ) -> Result<Incoming, Error<E>> {
        if let Some(message) = &self.invalid {
            return Err(Error::InvalidRequest(message.clone()));
        }
        // One key per logical call, made before the first attempt, so that
        // every retry carries the same one.
        if let Some(name) = request.idempotency.filter(|_| self.idempotent_retries) {
            if !request.headers.contains_key(name) {
                request.header(name, new_idempotency_key().as_str());
            }
        }
        let keyed = request.idempotency.is_some_and(|name| request.headers.contains_key(name));
        let idempotent = keyed
            || matches!(
                request.method.as_str(),
                "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE"
            );
        let may_retry = idempotent || self.retry.retry_non_idempotent;
        let mut info = CallInfo {
            operation: request.operation,
            method: request.method.clone(),
            path: request.template,
            attempt: 1,
        };
        let chosen: &[&'static str] = security
            .iter()
            .find(|alternative| alternative.iter().all(|s| self.credentials.contains_key(s)))
            .copied()
            .unwrap_or_default();
        // Tokens from a provider, fetched before building the request.
        let mut fetched = None;
        for scheme in chosen {
            if let Credential::ClientCredentials(provider) = &self.credentials[scheme] {
                fetched = Some((
                    provider,
                    provider.token(&self.http, self.timeout).await.map_err(Error::Auth)?,
                ));
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
            info.attempt = attempt;
            let outcome = self.send_hooked(&info, current).await?;
            // A rejected provider token: a new one, and the call once more.
            let rejected = matches!(&outcome, Ok(raw) if raw.status() == StatusCode::UNAUTHORIZED);
            let (next, again) = if rejected && !refreshed && fetched.is_some() {
                (None, next)
            } else {
                (next, None)
            };
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
                Ok(raw) if RETRY_STATUSES.contains(&raw.status().as_u16()) => {
                    Some(retry_after(raw.headers()))
                }
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

    /// One attempt, through the hooks.
    async fn send_hooked<E>(
        &self,
        info: &CallInfo,
        mut request: reqwest::Request,
    ) -> Result<Result<Incoming, Failure>, Error<E>> {
        if self.hooks.is_empty() {
            return Ok(send(&self.http, request, self.body_limit).await);
        }
        self.hooks.on_request(info, &mut request).await.map_err(Error::Hook)?;
        let started = std::time::Instant::now();
        let mut outcome = send(&self.http, request, self.body_limit).await;
        if let Ok(incoming) = &mut outcome {
            let headers = std::mem::take(&mut incoming.headers);
            let mut head =
                ResponseHead { status: incoming.status, headers, elapsed: started.elapsed() };
            self.hooks.on_response(info, &mut head).await.map_err(Error::Hook)?;
            incoming.headers = head.headers;
        }
        Ok(outcome)
    }

    /// Everything but sending: credentials, cookies, URL, body, timeout.
    fn prepare<E>(
        &self,
        request: Request,
        chosen: &[&'static str],
        fetched: Option<&Secret>,
    ) -> Result<reqwest::Request, Error<E>> {
        let Request {
            method,
            path,
            url,
            accept,
            mut query,
            mut headers,
            mut cookies,
            body,
            error,
            ..
        } = request;
        if let Some(message) = error {
            return Err(Error::InvalidRequest(message));
        }
        for (name, value) in &self.headers {
            if !headers.contains_key(name) {
                headers.insert(name, value.clone());
            }
        }
        // An `Accept` the operation takes as a parameter wins.
        if !accept.is_empty() && !headers.contains_key(reqwest::header::ACCEPT) {
            let value = header_value(accept, false)
                .map_err(|_| Error::InvalidRequest(format!("`{accept}` is not a valid Accept")))?;
            headers.insert(reqwest::header::ACCEPT, value);
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
                        let v = header_value(value.expose(), true).map_err(|_| {
                            Error::InvalidRequest(format!(
                                "the key for `{scheme}` is not a valid header value"
                            ))
                        })?;
                        let n = reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(
                            |_| {
                                Error::InvalidRequest(format!(
                                    "`{name}` is not a valid header name"
                                ))
                            },
                        )?;
                        headers.insert(n, v);
                    }
                    KeyLocation::Query => {
                        query.push((Cow::Borrowed(*name), value.expose().to_string()))
                    }
                    KeyLocation::Cookie => cookies.push((*name, value.expose().to_string())),
                },
            }
        }
        if !cookies.is_empty() {
            let joined = cookies
                .iter()
                .map(|(n, v)| {
                    format!("{n}={}", percent_encoding::utf8_percent_encode(v, COOKIE_VALUE))
                })
                .collect::<Vec<_>>()
                .join("; ");
            let value = header_value(&joined, true)
                .map_err(|_| Error::InvalidRequest("invalid cookie".into()))?;
            headers.insert(reqwest::header::COOKIE, value);
        }

        // A next page's URL, from the server and checked to be on the API's
        // origin, in place of base URL, path and query.
        let mut url = match url {
            Some(url) => url,
            None => {
                reqwest::Url::parse(&format!("{}{}", self.base_url.trim_end_matches('/'), path))
                    .map_err(|e| {
                        Error::InvalidRequest(format!(
                            "invalid URL from base `{}`: {e}",
                            self.base_url
                        ))
                    })?
            }
        };
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
        builder
            .build()
            .map_err(|e| Error::InvalidRequest(format!("the request cannot be built: {e}")))
    }
}

/// `User-Agent: crate-name/version`, of the crate the runtime is part of.
fn default_user_agent() -> reqwest::header::HeaderValue {
    let agent = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
    reqwest::header::HeaderValue::from_static(agent)
}

/// A random key in the shape of a version 4 UUID: unique, not secret (a
/// server only compares it with the keys it has seen).
fn new_idempotency_key() -> String {
    let (a, b) = (fastrand::u64(..), fastrand::u64(..));
    let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    let a = (a & 0xffff_ffff_ffff_0fff) | 0x4000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

/// `Authorization: Bearer <token>`, marked sensitive.
pub(crate) fn bearer<E>(token: &Secret) -> Result<reqwest::header::HeaderValue, Error<E>> {
    header_value(&format!("Bearer {}", token.expose()), true)
        .map_err(|_| Error::InvalidRequest("the access token is not a valid header value".into()))
}

/// Why an attempt got no answer the caller may have.
#[derive(Debug)]
pub(crate) enum Failure {
    Http(reqwest::Error),
    /// A client from `with_http_client` followed a redirect to this origin.
    Redirected(String),
    TooLarge {
        limit: usize,
        status: StatusCode,
        headers: HeaderMap,
    },
}

impl Failure {
    pub(crate) fn into_error<E>(self) -> Error<E> {
        match self {
            Failure::Http(e) => transport(e),
            Failure::Redirected(origin) => Error::Redirected(origin),
            Failure::TooLarge { limit, status, headers } => Error::BodyTooLarge {
                limit,
                response: RawResponse::new(status, headers, Bytes::new()),
            },
        }
    }

    pub(crate) fn describe(self) -> String {
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
pub(crate) async fn send(
    http: &reqwest::Client,
    request: reqwest::Request,
    limit: usize,
) -> Result<Incoming, Failure> {
    let origin = request.url().origin();
    let response = http.execute(request).await.map_err(Failure::Http)?;
    if response.url().origin() != origin {
        return Err(Failure::Redirected(response.url().origin().ascii_serialization()));
    }
    Ok(Incoming {
        status: response.status(),
        headers: response.headers().clone(),
        response,
        limit,
        resume: None,
    })
}

/// An error and its causes, outermost first: reqwest's own message alone
/// ("error sending request") hides the cause that says what happened
/// ("message head is too large").
pub(crate) fn causes(e: &(dyn std::error::Error + 'static)) -> String {
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
pub(crate) fn transport<E>(e: reqwest::Error) -> Error<E> {
    let e = e.without_url();
    if e.is_timeout() {
        Error::Timeout(e)
    } else {
        Error::Transport(e)
    }
}

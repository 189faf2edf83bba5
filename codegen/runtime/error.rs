//! What a call can fail with.

use super::client::causes;
use super::retry::RETRY_STATUSES;
use super::*;

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
    /// A hook of the client's ([`Hook`]) refused the call.
    Hook(HookError),
    /// Paging stopped: the server gave a page, cursor or next URL it had
    /// given before (the list would never end), a next page on another
    /// origin, or a page whose items are not the spec's.
    Pagination(String),
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
    /// The operation's error variant for the status. Its body is `None` when
    /// the answer had none of the documented type (empty, another media
    /// type, or not decodable); `response` has the answer as received.
    pub body: E,
    pub response: RawResponse,
    /// Why a body of the documented media type did not decode.
    pub unread: Option<DecodeError>,
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
            Error::Timeout(_) | Error::InvalidRequest(_) | Error::Hook(_) => false,
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
            Error::InvalidRequest(_)
            | Error::Transport(_)
            | Error::Timeout(_)
            | Error::Redirected(_)
            | Error::Hook(_)
            | Error::Pagination(_) => None,
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
                e.response.status(),
                e.path,
                e.message
            ),
            Error::BodyTooLarge { limit, response } => write!(
                f,
                "the body of the answer (status {}) is larger than the limit of {limit} bytes",
                response.status()
            ),
            Error::Redirected(origin) => {
                write!(f, "the HTTP client followed a redirect to {origin}; answers from another origin are refused")
            }
            Error::Hook(e) => write!(f, "a hook refused the call: {e}"),
            Error::Pagination(m) => write!(f, "paging stopped: {m}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) | Error::Timeout(e) => Some(e),
            Error::Hook(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

//! Hooks: the caller's own code around every attempt of every call, for
//! signing, logging, metrics or headers computed per request.

use super::*;

/// What a hook returns; an error fails the call with [`Error::Hook`].
pub type HookFuture<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), HookError>> + Send + 'a>>;

/// Why a hook refused a call.
pub type HookError = Box<dyn std::error::Error + Send + Sync>;

/// Code of the caller's that sees (and may change) each request before it is
/// sent and each answer before its body is read. Both methods run once per
/// attempt, so a retried call is signed again. A hook is added with the
/// client's `with_hook`; hooks run in the order they were added.
///
/// ```ignore
/// struct Sign(Secret);
/// impl Hook for Sign {
///     fn on_request<'a>(&'a self, _: &'a CallInfo, request: &'a mut reqwest::Request) -> HookFuture<'a> {
///         Box::pin(async move {
///             let signature = sign(&self.0, request.body().and_then(|b| b.as_bytes()));
///             request.headers_mut().insert("x-signature", signature.parse()?);
///             Ok(())
///         })
///     }
/// }
/// ```
///
/// Requests for OAuth2 tokens are not shown to hooks: they carry the
/// client secret.
pub trait Hook: Send + Sync + 'static {
    /// The request as it will be sent: URL, query, headers, credentials
    /// and body all in place.
    fn on_request<'a>(
        &'a self,
        call: &'a CallInfo,
        request: &'a mut reqwest::Request,
    ) -> HookFuture<'a> {
        let _ = (call, request);
        Box::pin(std::future::ready(Ok(())))
    }

    /// The answer's status and headers, before the body is read; changes to
    /// the headers are what the decoder sees.
    fn on_response<'a>(
        &'a self,
        call: &'a CallInfo,
        response: &'a mut ResponseHead,
    ) -> HookFuture<'a> {
        let _ = (call, response);
        Box::pin(std::future::ready(Ok(())))
    }
}

/// Which call an attempt belongs to.
#[derive(Debug, Clone)]
pub struct CallInfo {
    /// The spec's `operationId` (or `method path` where it has none).
    pub operation: &'static str,
    pub method: Method,
    /// The path template (`/exports/{id}`), never the filled path, which
    /// may hold identifiers or secrets.
    pub path: &'static str,
    /// 1 for the first attempt.
    pub attempt: u32,
}

/// An attempt's answer as a hook sees it.
#[derive(Debug)]
pub struct ResponseHead {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// From sending this attempt to its headers arriving.
    pub elapsed: Duration,
}

/// The hooks of a client, shared by its clones.
#[derive(Clone, Default)]
pub(crate) struct Hooks(Vec<std::sync::Arc<dyn Hook>>);

impl Hooks {
    pub(crate) fn push(&mut self, hook: impl Hook) {
        self.0.push(std::sync::Arc::new(hook));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) async fn on_request(
        &self,
        call: &CallInfo,
        request: &mut reqwest::Request,
    ) -> Result<(), HookError> {
        for hook in &self.0 {
            hook.on_request(call, request).await?;
        }
        Ok(())
    }

    pub(crate) async fn on_response(
        &self,
        call: &CallInfo,
        response: &mut ResponseHead,
    ) -> Result<(), HookError> {
        for hook in &self.0 {
            hook.on_response(call, response).await?;
        }
        Ok(())
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} hook(s)", self.0.len())
    }
}

//! Secrets and credentials: what a client authenticates with, and the
//! OAuth2 client-credentials flow that fetches and caches access tokens.

use super::client::{send, Failure};
use super::*;

/// The most of a token endpoint's answer that is read.
const TOKEN_BODY_LIMIT: usize = 1024 * 1024;

/// A credential that never shows itself in `Debug` or `Display` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`, which then prints as `Secret(..)`.
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
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        scopes: &[&str],
    ) -> Self {
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
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        timeout: Option<Duration>,
    ) -> Result<Secret, AuthError> {
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
    pub(crate) async fn invalidate(&self, rejected: &Secret) {
        let mut cached = self.0.cached.lock().await;
        if cached.as_ref().is_some_and(|c| &c.token == rejected) {
            *cached = None;
        }
    }

    /// One token request, within the same whole-call timeout as the call
    /// that needs it: a token endpoint that hangs must not hang the call.
    async fn fetch(
        &self,
        http: &reqwest::Client,
        timeout: Option<Duration>,
    ) -> Result<CachedToken, AuthError> {
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
        let failed =
            |what: &str, e: Failure| fail(format!("token endpoint {what}: {}", e.describe()), None);
        let incoming =
            send(http, request, TOKEN_BODY_LIMIT).await.map_err(|e| failed("unreachable", e))?;
        let raw = incoming.read_whole().await.map_err(|e| failed("answer not read", e))?;
        if !raw.status().is_success() {
            return Err(fail(format!("token endpoint answered {}", raw.status()), Some(raw)));
        }
        let json: serde_json::Value = match serde_json::from_slice(raw.body()) {
            Ok(v) => v,
            Err(e) => {
                return Err(fail(format!("token endpoint answer is not JSON: {e}"), Some(raw)))
            }
        };
        let Some(token) = json.get("access_token").and_then(|t| t.as_str()) else {
            return Err(fail("token endpoint answer has no `access_token`".into(), Some(raw)));
        };
        let expires_in = json.get("expires_in").and_then(|v| v.as_u64());
        let refresh_at = refresh_at(std::time::Instant::now(), expires_in);
        Ok(CachedToken { token: Secret::new(token), refresh_at })
    }
}

/// When to fetch a new token that lives `expires_in` seconds from `now`: a
/// little early (a tenth of the lifetime, at most 30 s), so that it does not
/// expire between the check and the server. The lifetime is the server's
/// word: one too long to add to the clock is taken as "no expiry given".
fn refresh_at(now: std::time::Instant, expires_in: Option<u64>) -> Option<std::time::Instant> {
    let life = Duration::from_secs(expires_in?);
    now.checked_add(life - (life / 10).min(Duration::from_secs(30)))
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn tokens_are_refreshed_a_tenth_early_and_at_most_thirty_seconds() {
        let now = Instant::now();
        assert_eq!(refresh_at(now, Some(100)), Some(now + Duration::from_secs(90)));
        assert_eq!(refresh_at(now, Some(3600)), Some(now + Duration::from_secs(3570)));
        assert_eq!(refresh_at(now, Some(0)), Some(now));
        assert_eq!(refresh_at(now, None), None);
    }

    #[test]
    fn a_lifetime_past_the_clock_is_no_expiry_not_a_panic() {
        assert_eq!(refresh_at(Instant::now(), Some(u64::MAX)), None);
    }

    #[test]
    fn secrets_do_not_show_themselves() {
        let secret = Secret::new("hunter2");
        assert!(!format!("{secret:?}").contains("hunter2"));
        let credentials =
            ClientCredentials::new("https://auth.example/token", "id", "hunter2", &[]);
        assert!(!format!("{credentials:?}").contains("hunter2"));
    }
}

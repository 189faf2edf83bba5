//! When a call is sent again: the policy, its backoff schedule, and
//! `Retry-After`.

use super::*;

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
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)));
        let capped = exp.min(self.max_backoff);
        let jittered = capped.as_secs_f64() * (0.5 + fastrand::f64() * 0.5);
        Duration::try_from_secs_f64(jittered).unwrap_or(capped)
    }
}

/// Statuses that say "try again": rate limited, or a gateway or the service
/// briefly unavailable.
pub(crate) const RETRY_STATUSES: [u16; 4] = [429, 502, 503, 504];

/// `Retry-After` as a wait from now: delay-seconds, or an HTTP date
/// (a date in the past means "now").
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    wait_from(value, std::time::SystemTime::now())
}

/// A `Retry-After` value as a wait from `now`.
fn wait_from(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{SystemTime, UNIX_EPOCH};

    #[test]
    fn backoff_doubles_up_to_the_cap_with_equal_jitter() {
        let policy = RetryPolicy::default();
        for (retry, full) in [(1, 250), (2, 500), (3, 1000), (6, 8000), (7, 8000), (40, 8000)] {
            let full = Duration::from_millis(full);
            for _ in 0..50 {
                let wait = policy.backoff(retry);
                assert!(wait >= full / 2 && wait <= full, "retry {retry}: {wait:?} of {full:?}");
            }
        }
    }

    #[test]
    fn backoff_of_huge_settings_saturates() {
        let policy = RetryPolicy {
            initial_backoff: Duration::MAX,
            max_backoff: Duration::MAX,
            ..RetryPolicy::default()
        };
        assert!(policy.backoff(u32::MAX) >= Duration::MAX / 2);
    }

    #[test]
    fn retry_after_is_seconds_or_a_date() {
        let now = UNIX_EPOCH + Duration::from_secs(1_445_412_480); // 2015-10-21 07:28:00 GMT
        assert_eq!(wait_from("120", now), Some(Duration::from_secs(120)));
        assert_eq!(wait_from(" 7 ", now), Some(Duration::from_secs(7)));
        let date = "Wed, 21 Oct 2015 07:30:00 GMT";
        assert_eq!(wait_from(date, now), Some(Duration::from_secs(120)));
        // A date in the past means now.
        assert_eq!(wait_from("Wed, 21 Oct 2015 07:00:00 GMT", now), Some(Duration::ZERO));
        for bad in ["", "soon", "-1", "1.5"] {
            assert_eq!(wait_from(bad, now), None, "{bad:?}");
        }
    }

    #[test]
    fn retry_after_that_no_clock_can_hold_does_not_panic() {
        let max = u64::MAX.to_string();
        assert_eq!(wait_from(&max, SystemTime::now()), Some(Duration::from_secs(u64::MAX)));
        assert!(wait_from("Fri, 31 Dec 9999 23:59:59 GMT", SystemTime::now()).is_some());
    }
}

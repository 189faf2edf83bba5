//! Polling asynchronous jobs (data exports) until they are done.

use super::*;

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
pub async fn poll_until<S, E, F, Fut, D>(
    policy: &PollPolicy,
    mut call: F,
    mut done: D,
) -> Result<Response<S>, PollError<E>>
where
    F: FnMut() -> Fut,
    Fut: std::future::IntoFuture<Output = Result<Response<S>, Error<E>>>,
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

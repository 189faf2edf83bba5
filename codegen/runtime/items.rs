//! Answers that are streams of items, read as they arrive: server-sent
//! events (`text/event-stream`) and JSON Lines (`application/x-ndjson`,
//! `application/jsonl`, `application/json-seq`). Both are
//! [`futures_core::Stream`]s and have an inherent `next`, so a loop needs no
//! other crate.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::client::ClientCore;
use super::request::Request;
use super::stream::{io_error, Incoming};
use super::*;

/// The most one event or line may take in memory unless set otherwise
/// (`max_item_size`): a server that never ends an event costs at most this.
pub const DEFAULT_ITEM_LIMIT: usize = 8 * 1024 * 1024;

/// Why a stream of items stopped, or why one item could not be had.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// The connection failed, or the call's timeout ran out, while the body
    /// was being read. The stream ends (unless it reconnects).
    Read(std::io::Error),
    /// The body ended inside an event or a line: the stream was cut short.
    /// The stream ends (unless it reconnects).
    Cut,
    /// One event or line passed `limit` bytes. The stream ends.
    TooLarge { limit: usize },
    /// An item that does not decode into its type. The stream goes on.
    Decode { message: String, data: String },
    /// Reconnecting failed (an answer other than a stream, or no answer).
    /// The stream ends.
    Reconnect(String),
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Read(e) => write!(f, "the stream could not be read: {e}"),
            StreamError::Cut => f.write_str("the stream ended inside an item"),
            StreamError::TooLarge { limit } => {
                write!(f, "an item passed the limit of {limit} bytes")
            }
            StreamError::Decode { message, data } => {
                write!(f, "an item did not decode: {message} (in `{}`)", excerpt(data))
            }
            StreamError::Reconnect(why) => write!(f, "reconnecting failed: {why}"),
        }
    }
}

impl std::error::Error for StreamError {}

fn excerpt(data: &str) -> String {
    let mut end = data.len().min(200);
    while !data.is_char_boundary(end) {
        end -= 1;
    }
    let more = if end < data.len() { "..." } else { "" };
    format!("{}{more}", &data[..end])
}

/// Decodes one item's text into its type: JSON into a schema's type, or
/// the text itself.
#[doc(hidden)]
pub type ItemDecoder<T> = fn(&str) -> Result<T, String>;

#[doc(hidden)]
pub fn item_json<T: serde::de::DeserializeOwned>(data: &str) -> Result<T, String> {
    serde_json::from_str(data).map_err(|e| e.to_string())
}

#[doc(hidden)]
pub fn item_text(data: &str) -> Result<String, String> {
    Ok(data.to_owned())
}

/// One server-sent event: its `data` decoded, and the fields beside it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The `event:` field; `None` for the default type, `message`.
    pub event: Option<String>,
    /// The last event ID the stream has set (`id:`), this event's or an
    /// earlier one's: what a reconnection sends as `Last-Event-ID`.
    pub id: Option<String>,
    /// The `retry:` field of this event: how long the server asks a
    /// reconnecting client to wait.
    pub retry: Option<Duration>,
    /// The `data:` lines, joined with line feeds, decoded.
    pub data: T,
}

/// A `Stream` made of a state and an async step over it: the state is
/// boxed while idle and moved into the step's future while it runs.
pub(crate) struct Pull<'a, S, I> {
    state: PullState<'a, S, I>,
    step: fn(S) -> Step<'a, S, I>,
}

pub(crate) type Step<'a, S, I> = Pin<Box<dyn Future<Output = (S, Option<I>)> + Send + 'a>>;

enum PullState<'a, S, I> {
    Idle(Box<S>),
    Busy(Step<'a, S, I>),
    Done,
}

impl<'a, S, I> Pull<'a, S, I> {
    pub(crate) fn new(state: S, step: fn(S) -> Step<'a, S, I>) -> Self {
        Pull { state: PullState::Idle(Box::new(state)), step }
    }

    /// The state, when no item is being read.
    pub(crate) fn idle(&mut self) -> Option<&mut S> {
        match &mut self.state {
            PullState::Idle(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) async fn next(&mut self) -> Option<I> {
        std::future::poll_fn(|cx| self.poll(cx)).await
    }

    pub(crate) fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Option<I>> {
        loop {
            match std::mem::replace(&mut self.state, PullState::Done) {
                PullState::Idle(s) => self.state = PullState::Busy((self.step)(*s)),
                PullState::Busy(mut step) => {
                    return match step.as_mut().poll(cx) {
                        Poll::Pending => {
                            self.state = PullState::Busy(step);
                            Poll::Pending
                        }
                        Poll::Ready((s, item)) => {
                            if item.is_some() {
                                self.state = PullState::Idle(Box::new(s));
                            }
                            Poll::Ready(item)
                        }
                    };
                }
                PullState::Done => return Poll::Ready(None),
            }
        }
    }
}

impl<S, I> futures_core::Stream for Pull<'_, S, I> {
    type Item = I;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<I>> {
        self.get_mut().poll(cx)
    }
}

/// What sends an event stream's request again, with `Last-Event-ID`.
pub(crate) struct Resume {
    pub(crate) core: ClientCore,
    pub(crate) request: Request,
    pub(crate) security: &'static [&'static [&'static str]],
}

/// A body read line by line as it arrives, each line at most `limit` bytes.
struct Lines {
    body: Option<reqwest::Response>,
    buffer: Vec<u8>,
    /// Where the next line starts in `buffer`.
    start: usize,
    /// A `\r` ended the last line: a `\n` right after it belongs to it.
    after_cr: bool,
    /// Event streams end lines at `\r`, `\n` or `\r\n`; JSON Lines at `\n`.
    cr_ends_line: bool,
    limit: usize,
}

enum Line {
    Text(String),
    /// The body ended; `true` when part of a line was left.
    End {
        partial: Option<String>,
    },
    Failed(StreamError),
}

impl Lines {
    fn new(body: reqwest::Response, cr_ends_line: bool, limit: usize) -> Self {
        Lines {
            body: Some(body),
            buffer: Vec::new(),
            start: 0,
            after_cr: false,
            cr_ends_line,
            limit,
        }
    }

    /// Starts over on a new body, dropping what was left of the old one.
    fn restart(&mut self, body: reqwest::Response) {
        self.body = Some(body);
        self.buffer.clear();
        self.start = 0;
        self.after_cr = false;
    }

    /// Bytes of the line being read so far.
    fn pending(&self) -> usize {
        self.buffer.len() - self.start
    }

    async fn next(&mut self, held: usize) -> Line {
        loop {
            if self.after_cr && self.start < self.buffer.len() {
                if self.buffer[self.start] == b'\n' {
                    self.start += 1;
                }
                self.after_cr = false;
            }
            let rest = &self.buffer[self.start..];
            let end = rest.iter().position(|&b| b == b'\n' || (self.cr_ends_line && b == b'\r'));
            if let Some(i) = end {
                if held.saturating_add(i) > self.limit {
                    return self.too_large();
                }
                let line = String::from_utf8_lossy(&rest[..i]).into_owned();
                self.after_cr = rest[i] == b'\r';
                self.start += i + 1;
                return Line::Text(line);
            }
            if held.saturating_add(self.pending()) > self.limit {
                return self.too_large();
            }
            // Keep the buffer to the line being read.
            if self.start > 0 {
                self.buffer.drain(..self.start);
                self.start = 0;
            }
            let Some(body) = self.body.as_mut() else {
                return Line::End { partial: None };
            };
            match body.chunk().await {
                Ok(Some(chunk)) => self.buffer.extend_from_slice(&chunk),
                Ok(None) => {
                    self.body = None;
                    let partial = (self.pending() > 0)
                        .then(|| String::from_utf8_lossy(&self.buffer[self.start..]).into_owned());
                    self.buffer.clear();
                    self.start = 0;
                    return Line::End { partial };
                }
                Err(e) => {
                    self.body = None;
                    return Line::Failed(StreamError::Read(io_error(e)));
                }
            }
        }
    }

    fn too_large(&mut self) -> Line {
        self.body = None;
        self.buffer.clear();
        self.start = 0;
        Line::Failed(StreamError::TooLarge { limit: self.limit })
    }
}

/// Server-sent events (`text/event-stream`), parsed as the HTML standard
/// says and decoded into `T` one event at a time. The call's timeout covers
/// reading the stream too: for a stream that stays open, set a longer one,
/// or none, on the call (`.timeout(None)`).
pub struct EventStream<T> {
    pull: Pull<'static, EventReader<T>, Result<Event<T>, StreamError>>,
}

struct EventReader<T> {
    lines: Lines,
    decode: ItemDecoder<T>,
    data: String,
    event: Option<String>,
    retry: Option<Duration>,
    last_id: Option<String>,
    /// Whether a line of the event being read has been seen.
    in_event: bool,
    resume: Option<Resume>,
    reconnects: u32,
    /// Whether a stream the server ends between events is reconnected too.
    at_end: bool,
    /// Reconnections made since the last event.
    failures: u32,
    wait: Duration,
    done: bool,
}

impl<T: Send + 'static> EventStream<T> {
    pub(crate) fn new(body: reqwest::Response, decode: ItemDecoder<T>, limit: usize) -> Self {
        let reader = EventReader {
            lines: Lines::new(body, true, limit.min(DEFAULT_ITEM_LIMIT)),
            decode,
            data: String::new(),
            event: None,
            retry: None,
            last_id: None,
            in_event: false,
            resume: None,
            reconnects: 0,
            at_end: false,
            failures: 0,
            wait: Duration::from_secs(3),
            done: false,
        };
        EventStream {
            pull: Pull::new(reader, |mut r| {
                Box::pin(async move {
                    let item = r.next().await;
                    (r, item)
                })
            }),
        }
    }

    pub(crate) fn resumable(mut self, resume: Option<Resume>) -> Self {
        if let Some(r) = self.pull.idle() {
            r.resume = resume;
        }
        self
    }

    /// The most one event may take (default [`DEFAULT_ITEM_LIMIT`], or the
    /// client's body limit when that is smaller); a larger one ends the
    /// stream with [`StreamError::TooLarge`]. Set it before reading.
    pub fn max_item_size(mut self, bytes: usize) -> Self {
        if let Some(r) = self.pull.idle() {
            r.lines.limit = bytes;
        }
        self
    }

    /// When the stream is cut or its connection fails, send the request
    /// again with `Last-Event-ID` (the last `id:` received), up to
    /// `attempts` times in a row, waiting as the server's `retry:` says
    /// (3 s until it says). Off by default. A stream the server ends where
    /// an event ends is over, unless [`reconnect_at_end`](Self::reconnect_at_end)
    /// says otherwise. Set it before reading.
    pub fn reconnect(mut self, attempts: u32) -> Self {
        if let Some(r) = self.pull.idle() {
            r.reconnects = attempts;
        }
        self
    }

    /// With [`reconnect`](Self::reconnect), also reconnect when the server
    /// ends the stream between events, as a browser's `EventSource` does:
    /// for feeds that never end, behind proxies that close idle
    /// connections. The server ends such a stream for good by answering
    /// `204 No Content`; attempts still count in a row, since the last
    /// event. Leave it off for answers that end when they are complete
    /// (a completion's tokens), or the request is sent again.
    pub fn reconnect_at_end(mut self, yes: bool) -> Self {
        if let Some(r) = self.pull.idle() {
            r.at_end = yes;
        }
        self
    }

    /// The next event; `None` once the stream is over.
    pub async fn next(&mut self) -> Option<Result<Event<T>, StreamError>> {
        self.pull.next().await
    }
}

impl<T> futures_core::Stream for EventStream<T> {
    type Item = Result<Event<T>, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().pull.poll(cx)
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventStream { .. }")
    }
}

impl<T> EventReader<T> {
    async fn next(&mut self) -> Option<Result<Event<T>, StreamError>> {
        while !self.done {
            let held = self.data.len();
            match self.lines.next(held).await {
                Line::Text(line) => {
                    if let Some(event) = self.line(&line) {
                        self.failures = 0;
                        return Some(event);
                    }
                }
                Line::End { partial } if partial.is_none() && !self.in_event => {
                    if !self.at_end {
                        self.done = true;
                    } else if let Some(e) = self.cut(None).await {
                        return Some(Err(e));
                    }
                }
                Line::End { .. } => {
                    if let Some(e) = self.cut(Some(StreamError::Cut)).await {
                        return Some(Err(e));
                    }
                }
                Line::Failed(e @ StreamError::TooLarge { .. }) => {
                    self.done = true;
                    return Some(Err(e));
                }
                Line::Failed(e) => {
                    if let Some(e) = self.cut(Some(e)).await {
                        return Some(Err(e));
                    }
                }
            }
        }
        None
    }

    /// One line of the stream; an event when it ends one.
    fn line(&mut self, line: &str) -> Option<Result<Event<T>, StreamError>> {
        if line.is_empty() {
            return self.dispatch();
        }
        self.in_event = true;
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "event" => self.event = Some(value.to_owned()),
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                let wait = Duration::from_millis(value.parse().unwrap_or(u64::MAX));
                self.retry = Some(wait);
                self.wait = wait;
            }
            _ => {}
        }
        None
    }

    fn dispatch(&mut self) -> Option<Result<Event<T>, StreamError>> {
        self.in_event = false;
        let event = self.event.take();
        let retry = self.retry.take();
        if self.data.is_empty() {
            return None;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        Some(match (self.decode)(&data) {
            Ok(decoded) => Ok(Event { event, id: self.last_id.clone(), retry, data: decoded }),
            Err(message) => Err(StreamError::Decode { message, data }),
        })
    }

    /// The stream was cut (`why`), or ended between events (`None`):
    /// reconnect if the caller asked, else end, saying why once.
    async fn cut(&mut self, why: Option<StreamError>) -> Option<StreamError> {
        self.data.clear();
        self.event = None;
        self.in_event = false;
        let Some(resume) = self.resume.as_ref().filter(|_| self.failures < self.reconnects) else {
            self.done = true;
            return why;
        };
        self.failures += 1;
        match &why {
            Some(why) => {
                tracing::info!(attempt = self.failures, %why, "event stream cut; reconnecting")
            }
            None => tracing::info!(attempt = self.failures, "event stream ended; reconnecting"),
        }
        tokio::time::sleep(self.wait).await;
        let mut request = match resume.request.duplicate() {
            Some(request) => request,
            None => {
                self.done = true;
                return Some(StreamError::Reconnect("the request cannot be sent again".into()));
            }
        };
        if let Some(id) = &self.last_id {
            request.header("last-event-id", id);
        }
        match resume.core.execute_streaming::<()>(request, resume.security).await {
            Ok(incoming) if incoming.status() == StatusCode::NO_CONTENT => {
                self.done = true;
                None
            }
            Ok(incoming)
                if incoming.status().is_success()
                    && incoming.media_type_is("text/event-stream") =>
            {
                self.lines.restart(incoming.response);
                None
            }
            Ok(incoming) => {
                self.done = true;
                let status = incoming.status();
                Some(StreamError::Reconnect(format!("the server answered {status}, not a stream")))
            }
            Err(e) => {
                self.done = true;
                Some(StreamError::Reconnect(e.to_string()))
            }
        }
    }
}

/// JSON Lines (`application/x-ndjson`, `application/jsonl`; the record
/// separators of `application/json-seq` are dropped): one item per line,
/// decoded into `T` as it arrives. Blank lines are skipped; a last line
/// without its line feed is an item when it decodes, and [`StreamError::Cut`]
/// when it does not. The call's timeout covers reading the stream too.
pub struct JsonLines<T> {
    pull: Pull<'static, LineReader<T>, Result<T, StreamError>>,
}

struct LineReader<T> {
    lines: Lines,
    decode: ItemDecoder<T>,
    done: bool,
}

impl<T: Send + 'static> JsonLines<T> {
    pub(crate) fn new(body: reqwest::Response, decode: ItemDecoder<T>, limit: usize) -> Self {
        let reader = LineReader {
            lines: Lines::new(body, false, limit.min(DEFAULT_ITEM_LIMIT)),
            decode,
            done: false,
        };
        JsonLines {
            pull: Pull::new(reader, |mut r| {
                Box::pin(async move {
                    let item = r.next().await;
                    (r, item)
                })
            }),
        }
    }

    /// The most one line may take (default [`DEFAULT_ITEM_LIMIT`], or the
    /// client's body limit when that is smaller); a longer one ends the
    /// stream with [`StreamError::TooLarge`]. Set it before reading.
    pub fn max_item_size(mut self, bytes: usize) -> Self {
        if let Some(r) = self.pull.idle() {
            r.lines.limit = bytes;
        }
        self
    }

    /// The next item; `None` once the stream is over.
    pub async fn next(&mut self) -> Option<Result<T, StreamError>> {
        self.pull.next().await
    }
}

impl<T> futures_core::Stream for JsonLines<T> {
    type Item = Result<T, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().pull.poll(cx)
    }
}

impl<T> fmt::Debug for JsonLines<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JsonLines { .. }")
    }
}

impl<T> LineReader<T> {
    async fn next(&mut self) -> Option<Result<T, StreamError>> {
        while !self.done {
            let line = match self.lines.next(0).await {
                Line::Text(line) => line,
                Line::End { partial: None } => {
                    self.done = true;
                    break;
                }
                Line::End { partial: Some(line) } => {
                    self.done = true;
                    let item = self.item(&line)?;
                    return Some(item.map_err(|_| StreamError::Cut));
                }
                Line::Failed(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            if let Some(item) = self.item(&line) {
                return Some(item);
            }
        }
        None
    }

    /// A line's item; `None` for a blank line.
    fn item(&self, line: &str) -> Option<Result<T, StreamError>> {
        let text = line.trim_start_matches('\u{1e}').trim();
        if text.is_empty() {
            return None;
        }
        Some(
            (self.decode)(text)
                .map_err(|message| StreamError::Decode { message, data: text.to_owned() }),
        )
    }
}

impl Incoming {
    /// The status and headers, and the body as server-sent events.
    #[doc(hidden)]
    pub fn into_events<T: Send + 'static>(
        self,
        decode: ItemDecoder<T>,
    ) -> (RawResponse, EventStream<T>) {
        let Incoming { status, headers, response, limit, resume } = self;
        let events = EventStream::new(response, decode, limit).resumable(resume);
        (RawResponse::new(status, headers, Bytes::new()), events)
    }

    /// The status and headers, and the body as JSON Lines.
    #[doc(hidden)]
    pub fn into_lines<T: Send + 'static>(
        self,
        decode: ItemDecoder<T>,
    ) -> (RawResponse, JsonLines<T>) {
        let Incoming { status, headers, response, limit, .. } = self;
        (RawResponse::new(status, headers, Bytes::new()), JsonLines::new(response, decode, limit))
    }
}

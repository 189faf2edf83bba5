//! Lists that page by themselves: a paginated operation's call gives
//! `.pages()` (each page's whole answer) and `.items()` (the items of every
//! page), both [`futures_core::Stream`]s that send the next request when the
//! last page has been taken.

use std::collections::HashSet;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::client::{Call, ClientCore};
use super::items::Pull;
use super::request::Request;
use super::*;

/// How an operation's answers say where the next page is. Pointers are
/// JSON pointers into the page's body (`/meta/next_cursor`; `""` is the
/// body itself).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum PageStyle {
    /// The query parameter `param` set to the value at `next`; none, `null`
    /// or `""` there is the last page.
    Cursor { param: &'static str, next: &'static str },
    /// `param` (Stripe's `starting_after`) set to the last item's `id`
    /// while the boolean at `more` is true.
    HasMore { param: &'static str, more: &'static str },
    /// The URL at `next` (`next`, `@odata.nextLink`), on the API's origin.
    NextUrl { next: &'static str },
    /// The `Link` header's `rel="next"` URL (RFC 8288), on the API's origin.
    Link,
    /// `param` moved on by the items of each page; a page shorter than the
    /// `limit` parameter's value, or empty, is the last.
    Offset { param: &'static str, limit: Option<&'static str> },
    /// `param` counted up from the one asked for (`first` unless set); a
    /// page shorter than the `size` parameter's value, or empty, is the last.
    Page { param: &'static str, size: Option<&'static str>, first: u64 },
}

/// How an operation pages: the style, and where the items are.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub style: PageStyle,
    pub items: &'static str,
}

/// The parameters of a paginated operation: what pages it, and its items'
/// type.
#[doc(hidden)]
pub trait Paged: Params {
    type Item: serde::de::DeserializeOwned + Send + 'static;
    const PAGING: Paging;
}

impl<'a, T: Send + 'a, E: Send + 'a, P: Paged + 'a> Call<'a, T, E, P> {
    /// Every page of the list, each the whole answer (status, headers,
    /// body), starting with the one this call asks for. The stream ends
    /// after the last page or the first error; a server that sends a page
    /// it sent before (the same cursor or next URL, or the same body) ends
    /// it with [`Error::Pagination`] rather than looping.
    pub fn pages(self) -> Pages<'a, T, E> {
        let (pager, decode) = self.pager();
        let state = PagesState { pager, decode };
        Pages {
            pull: Pull::new(state, |mut s| {
                Box::pin(async move {
                    let page = s.pager.next_page().await;
                    let decode = s.decode;
                    (s, page.map(|page| page.and_then(|(raw, _)| decode(raw))))
                })
            }),
        }
    }

    /// The items of every page, in order, as [`Self::pages`] fetches them.
    pub fn items(self) -> PageItems<'a, P::Item, E> {
        let (pager, _) = self.pager();
        let state = ItemsState {
            pager,
            ready: std::collections::VecDeque::new(),
            item: std::marker::PhantomData,
        };
        PageItems {
            pull: Pull::new(state, |mut s| {
                Box::pin(async move {
                    let item = s.next_item().await;
                    (s, item)
                })
            }),
        }
    }

    fn pager(self) -> (Pager<'a, E>, Decoder<T, E>) {
        let super::client::Parts { core, request, security, decode } = self.into_parts();
        // What an error answer is, as the operation decodes it; its typed
        // body is not needed for that.
        let error_of = Box::new(move |raw: RawResponse| match decode(raw) {
            Ok(_) => Error::Pagination("a page answered without a success status".into()),
            Err(e) => e,
        });
        let pager = Pager {
            core,
            request: Some(request),
            security,
            error_of,
            paging: P::PAGING,
            seen: HashSet::new(),
            last_body: None,
            max_pages: None,
            pages: 0,
            failed: None,
            done: false,
        };
        (pager, decode)
    }
}

type Decoder<T, E> = fn(RawResponse) -> Result<Response<T>, Error<E>>;

struct PagesState<'a, T, E> {
    pager: Pager<'a, E>,
    decode: Decoder<T, E>,
}

/// The pages of a paginated call ([`Call::pages`]).
pub struct Pages<'a, T, E> {
    pull: Pull<'a, PagesState<'a, T, E>, Result<Response<T>, Error<E>>>,
}

impl<'a, T: Send + 'a, E: Send + 'a> Pages<'a, T, E> {
    /// The next page; `None` after the last.
    pub async fn next(&mut self) -> Option<Result<Response<T>, Error<E>>> {
        self.pull.next().await
    }

    /// Stop after `n` pages (none is no limit). Set it before reading.
    pub fn max_pages(mut self, n: usize) -> Self {
        if let Some(s) = self.pull.idle() {
            s.pager.max_pages = Some(n);
        }
        self
    }
}

impl<T, E> futures_core::Stream for Pages<'_, T, E> {
    type Item = Result<Response<T>, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().pull.poll(cx)
    }
}

impl<T, E> fmt::Debug for Pages<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pages { .. }")
    }
}

/// The items of every page of a paginated call ([`Call::items`]).
pub struct PageItems<'a, I, E> {
    pull: Pull<'a, ItemsState<'a, I, E>, Result<I, Error<E>>>,
}

impl<'a, I: Send + 'a, E: Send + 'a> PageItems<'a, I, E> {
    /// The next item; `None` after the last page's last.
    pub async fn next(&mut self) -> Option<Result<I, Error<E>>> {
        self.pull.next().await
    }

    /// Stop after `n` pages (none is no limit). Set it before reading.
    pub fn max_pages(mut self, n: usize) -> Self {
        if let Some(s) = self.pull.idle() {
            s.pager.max_pages = Some(n);
        }
        self
    }
}

impl<I, E> futures_core::Stream for PageItems<'_, I, E> {
    type Item = Result<I, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().pull.poll(cx)
    }
}

impl<I, E> fmt::Debug for PageItems<'_, I, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PageItems { .. }")
    }
}

/// Items are read off each page's JSON, not off its typed body.
struct ItemsState<'a, I, E> {
    pager: Pager<'a, E>,
    ready: std::collections::VecDeque<serde_json::Value>,
    item: std::marker::PhantomData<fn() -> I>,
}

/// Where the next request goes.
enum Next {
    /// The query parameter set to this value.
    Query(&'static str, String),
    Url(reqwest::Url),
}

pub(crate) struct Pager<'a, E> {
    core: Cow<'a, ClientCore>,
    /// The request of the next page; `None` after the last.
    request: Option<Request>,
    security: &'static [&'static [&'static str]],
    error_of: Box<dyn Fn(RawResponse) -> Error<E> + Send + Sync + 'a>,
    paging: Paging,
    /// Cursors and URLs already followed.
    seen: HashSet<String>,
    last_body: Option<Bytes>,
    max_pages: Option<usize>,
    pages: usize,
    /// Why the page after the last one taken cannot be had.
    failed: Option<Error<E>>,
    done: bool,
}

impl<E> Pager<'_, E> {
    /// The next page's answer, when it is a success, with its body as JSON.
    async fn next_page(&mut self) -> Option<Result<(RawResponse, serde_json::Value), Error<E>>> {
        if let Some(e) = self.failed.take() {
            return self.fail(e);
        }
        if self.done || self.max_pages.is_some_and(|n| self.pages >= n) {
            return None;
        }
        let request = self.request.take()?;
        let again = request.duplicate();
        let raw = match self.core.execute::<E>(request, self.security).await {
            Ok(raw) => raw,
            Err(e) => return self.fail(e),
        };
        self.pages += 1;
        if !raw.status().is_success() {
            self.done = true;
            // The operation's own decoding says what the error is.
            return Some(Err((self.error_of)(raw)));
        }
        if self.last_body.as_ref() == Some(raw.body()) {
            return self.fail(Error::Pagination(
                "the server answered the same page twice; the list would never end".into(),
            ));
        }
        self.last_body = Some(raw.body().clone());
        let body: serde_json::Value = match raw.json() {
            Ok(body) => body,
            Err(e) => return self.fail(Error::Decode(e)),
        };
        // A next page that cannot be followed fails the call after this
        // page, whose items are new.
        match again.map(|again| self.next_request(again, &raw, &body)) {
            Some(Ok(next)) => self.request = next,
            Some(Err(e)) => self.failed = Some(e),
            None => self.done = true,
        }
        Some(Ok((raw, body)))
    }

    fn fail(&mut self, e: Error<E>) -> Option<Result<(RawResponse, serde_json::Value), Error<E>>> {
        self.done = true;
        self.request = None;
        Some(Err(e))
    }

    /// The request of the page after `raw`; `None` when `raw` is the last.
    fn next_request(
        &mut self,
        mut request: Request,
        raw: &RawResponse,
        body: &serde_json::Value,
    ) -> Result<Option<Request>, Error<E>> {
        let items = body.pointer(self.paging.items).and_then(serde_json::Value::as_array);
        let count = items.map_or(0, Vec::len);
        let next = match self.paging.style {
            // A cursor that is a URL (drchrono's `next` beside a `cursor`
            // parameter) is followed as one: no opaque token starts so.
            PageStyle::Cursor { param, next } => match scalar(body.pointer(next)) {
                Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                    Some(Next::Url(self.on_origin(&url)?))
                }
                Some(cursor) => Some(Next::Query(param, cursor)),
                None => None,
            },
            PageStyle::HasMore { param, more } => {
                let more = body.pointer(more).and_then(serde_json::Value::as_bool) == Some(true);
                let last = items.and_then(|i| i.last()).and_then(|i| scalar(i.get("id")));
                last.filter(|_| more).map(|id| Next::Query(param, id))
            }
            PageStyle::NextUrl { next } => match scalar(body.pointer(next)) {
                Some(url) => Some(Next::Url(self.on_origin(&url)?)),
                None => None,
            },
            PageStyle::Link => match link_next(raw.headers()) {
                Some(url) => Some(Next::Url(self.on_origin(&url)?)),
                None => None,
            },
            PageStyle::Offset { param, limit } => {
                let at = number(&request, param).unwrap_or(0);
                let full = count > 0 && !short_of(&request, limit, count);
                full.then(|| Next::Query(param, (at + count as u64).to_string()))
            }
            PageStyle::Page { param, size, first } => {
                let at = number(&request, param).unwrap_or(first);
                let full = count > 0 && !short_of(&request, size, count);
                full.then(|| Next::Query(param, (at + 1).to_string()))
            }
        };
        let Some(next) = next else { return Ok(None) };
        let key = match &next {
            Next::Query(_, value) => value.clone(),
            Next::Url(url) => url.to_string(),
        };
        if !self.seen.insert(key.clone()) {
            return Err(Error::Pagination(format!(
                "the server gave `{key}` as the next page a second time; the list would never end"
            )));
        }
        match next {
            Next::Query(param, value) => request.set_query(param, value),
            Next::Url(url) => request.set_url(url),
        }
        Ok(Some(request))
    }

    /// A next-page URL, resolved against the base URL, refused unless it is
    /// on the API's origin: the request carries the client's credentials.
    fn on_origin(&self, url: &str) -> Result<reqwest::Url, Error<E>> {
        let base = reqwest::Url::parse(self.core.base_url())
            .map_err(|e| Error::InvalidRequest(format!("invalid base URL: {e}")))?;
        let next = base.join(url).map_err(|e| {
            Error::Pagination(format!("the next page's URL `{url}` is not a URL: {e}"))
        })?;
        if next.origin() != base.origin() {
            return Err(Error::Pagination(format!(
                "the next page is on another origin ({}), where the client's credentials are not sent",
                next.origin().ascii_serialization()
            )));
        }
        Ok(next)
    }
}

impl<I: serde::de::DeserializeOwned, E> ItemsState<'_, I, E> {
    async fn next_item(&mut self) -> Option<Result<I, Error<E>>> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(serde_json::from_value(item).map_err(|e| {
                    Error::Pagination(format!("an item of the page does not match the spec: {e}"))
                }));
            }
            let (_, mut body) = match self.pager.next_page().await? {
                Ok(page) => page,
                Err(e) => return Some(Err(e)),
            };
            let items = body.pointer_mut(self.pager.paging.items).map(serde_json::Value::take);
            match items {
                Some(serde_json::Value::Array(items)) => self.ready.extend(items),
                Some(serde_json::Value::Null) | None => {}
                Some(_) => {
                    self.pager.done = true;
                    let at = self.pager.paging.items;
                    return Some(Err(Error::Pagination(format!(
                        "the page's items (`{at}`) are not a list"
                    ))));
                }
            }
        }
    }
}

/// The number a query parameter of the request was set to.
fn number(request: &Request, param: &str) -> Option<u64> {
    request.query_value(param).and_then(|v| v.parse().ok())
}

/// Whether a page of `count` items is shorter than the size the request
/// asked for (`limit`, `per_page`): the last page.
fn short_of(request: &Request, size: Option<&str>, count: usize) -> bool {
    size.and_then(|s| number(request, s)).is_some_and(|s| (count as u64) < s)
}

/// A cursor, id or URL: a string that is not empty, or a number.
fn scalar(v: Option<&serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The `rel="next"` target of the `Link` headers (RFC 8288).
fn link_next(headers: &HeaderMap) -> Option<String> {
    for value in headers.get_all(reqwest::header::LINK) {
        let Ok(value) = value.to_str() else { continue };
        for link in value.split(',') {
            let Some((target, params)) = link.trim().split_once('>') else { continue };
            let Some(target) = target.trim().strip_prefix('<') else { continue };
            let next = params.split(';').any(|p| {
                let Some((name, value)) = p.split_once('=') else { return false };
                name.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            });
            if next {
                return Some(target.to_string());
            }
        }
    }
    None
}

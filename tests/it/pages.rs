//! Lists that page by themselves, over real HTTP on loopback: each style
//! the generator detects, and servers whose pages never end or lead away.

use fixtures::runtime::Error;
use fixtures::streams::types::{Order, TickHistoryError, TickHistoryResponse200};
use fixtures::streams::Client;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn page(server: &MockServer, route: &str, at: Option<(&str, &str)>, body: serde_json::Value) {
    let mock = Mock::given(method("GET")).and(path(route));
    let mock = match at {
        Some((name, value)) => mock.and(query_param(name, value)),
        None => mock,
    };
    mock.respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(server).await;
}

async fn first_page(server: &MockServer, route: &str, missing: &str, body: serde_json::Value) {
    Mock::given(method("GET"))
        .and(path(route))
        .and(query_param_is_missing(missing))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

fn tick(symbol: &str) -> serde_json::Value {
    json!({"symbol": symbol, "price": 1})
}

async fn collect<T, E: std::fmt::Debug>(
    mut next: impl AsyncFnMut() -> Option<Result<T, Error<E>>>,
) -> (Vec<T>, Option<Error<E>>) {
    let mut items = Vec::new();
    while let Some(item) = next().await {
        match item {
            Ok(item) => items.push(item),
            Err(e) => {
                assert!(next().await.is_none(), "the stream ends after an error");
                return (items, Some(e));
            }
        }
        assert!(items.len() < 1000, "the pages do not end");
    }
    (items, None)
}

#[tokio::test]
async fn a_cursor_is_followed_until_the_page_has_none() {
    let server = MockServer::start().await;
    let meta = |next: Option<&str>| json!({"next_cursor": next});
    first_page(
        &server,
        "/ticks/history",
        "cursor",
        json!({"data": [tick("A"), tick("B")], "meta": meta(Some("c2"))}),
    )
    .await;
    page(
        &server,
        "/ticks/history",
        Some(("cursor", "c2")),
        json!({"data": [tick("C")], "meta": meta(Some("c3"))}),
    )
    .await;
    page(
        &server,
        "/ticks/history",
        Some(("cursor", "c3")),
        json!({"data": [], "meta": meta(None)}),
    )
    .await;
    let client = Client::with_base_url(server.uri());

    let mut items = client.tick_history().limit(2).items();
    let (got, error) = collect(async || items.next().await).await;
    assert!(error.is_none(), "{error:?}");
    let symbols: Vec<_> = got.iter().map(|t| t.symbol.as_str()).collect();
    assert_eq!(symbols, ["A", "B", "C"]);
    // Every request keeps the parameters the call set.
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.url.query().unwrap_or("").contains("limit=2")));

    // Pages are whole answers, typed.
    let mut pages = client.tick_history().pages();
    let (got, error) = collect(async || pages.next().await).await;
    assert!(error.is_none());
    let sizes: Vec<usize> = got.iter().map(|p| p.body().data.len()).collect();
    assert_eq!(sizes, [2, 1, 0]);
    assert!(got.iter().all(|p| p.status() == 200));
    let _: &TickHistoryResponse200 = got[0].body();
}

#[tokio::test]
async fn a_cursor_that_is_a_url_is_followed_as_one() {
    let server = MockServer::start().await;
    let next = format!("{}/ticks/history?cursor=c2&limit=5", server.uri());
    first_page(
        &server,
        "/ticks/history",
        "cursor",
        json!({"data": [tick("A")], "meta": {"next_cursor": next}}),
    )
    .await;
    page(&server, "/ticks/history", Some(("cursor", "c2")), json!({"data": [tick("B")]})).await;
    let client = Client::with_base_url(server.uri());
    let mut items = client.tick_history().items();
    let (got, error) = collect(async || items.next().await).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(got.len(), 2);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[1].url.query(), Some("cursor=c2&limit=5"));
}

#[tokio::test]
async fn a_server_that_always_answers_the_same_cursor_is_stopped() {
    let server = MockServer::start().await;
    // Every page, the first included, says the next one is `again`.
    Mock::given(method("GET"))
        .and(path("/ticks/history"))
        .respond_with(|r: &wiremock::Request| {
            let n = r.url.query().unwrap_or("").len();
            ResponseTemplate::new(200).set_body_json(
                json!({"data": [tick(&n.to_string())], "meta": {"next_cursor": "again"}}),
            )
        })
        .mount(&server)
        .await;
    let client = Client::with_base_url(server.uri());
    let mut items = client.tick_history().items();
    let (got, error) = collect(async || items.next().await).await;
    assert_eq!(got.len(), 2, "the first page and the one at `again`");
    match error {
        Some(Error::Pagination(m)) => assert!(m.contains("`again`"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_error_page_is_the_operations_typed_error_and_ends_the_stream() {
    let server = MockServer::start().await;
    first_page(
        &server,
        "/ticks/history",
        "cursor",
        json!({"data": [tick("A")], "meta": {"next_cursor": "bad"}}),
    )
    .await;
    Mock::given(method("GET"))
        .and(query_param("cursor", "bad"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"detail": "no such cursor"})))
        .mount(&server)
        .await;
    let client = Client::with_base_url(server.uri());
    let mut items = client.tick_history().items();
    let (got, error) = collect(async || items.next().await).await;
    assert_eq!(got.len(), 1);
    match error.as_ref().and_then(Error::api_body) {
        Some(TickHistoryError::BadRequest(Some(p))) => {
            assert_eq!(p.detail.as_deref(), Some("no such cursor"))
        }
        other => panic!("{other:?} from {error:?}"),
    }
}

#[tokio::test]
async fn has_more_pages_start_after_the_last_id() {
    let server = MockServer::start().await;
    let order = |id: &str| json!({"id": id});
    first_page(
        &server,
        "/orders",
        "starting_after",
        json!({"has_more": true, "data": [order("o1"), order("o2")]}),
    )
    .await;
    page(
        &server,
        "/orders",
        Some(("starting_after", "o2")),
        json!({"has_more": false, "data": [order("o3")]}),
    )
    .await;
    let client = Client::with_base_url(server.uri());
    let mut items = client.list_orders().items();
    let (got, error) = collect(async || items.next().await).await;
    assert!(error.is_none(), "{error:?}");
    let ids: Vec<&str> = got.iter().map(|o: &Order| o.id.as_str()).collect();
    assert_eq!(ids, ["o1", "o2", "o3"]);
}

#[tokio::test]
async fn link_headers_lead_to_the_next_page_on_the_same_origin_only() {
    let server = MockServer::start().await;
    let next = format!(
        "<{}/repos?page=2&per_page=1>; rel=\"next\", <{0}/repos?page=9>; rel=\"last\"",
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path("/repos"))
        .and(query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", next)
                .set_body_json(json!([{"id": "r1"}])),
        )
        .mount(&server)
        .await;
    let foreign = "<https://elsewhere.example/repos?page=3>; rel=\"next\"";
    Mock::given(method("GET"))
        .and(path("/repos"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", foreign)
                .set_body_json(json!([{"id": "r2"}])),
        )
        .mount(&server)
        .await;
    let client = Client::with_base_url(server.uri()).with_bearer_token("secret");
    let mut items = client.list_repos().per_page(1).items();
    let (got, error) = collect(async || items.next().await).await;
    let ids: Vec<&str> = got.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["r1", "r2"]);
    match error {
        Some(Error::Pagination(m)) => assert!(m.contains("https://elsewhere.example"), "{m}"),
        other => panic!("the foreign next page is refused: {other:?}"),
    }
    let requests = server.received_requests().await.unwrap();
    // The next URL is sent as the server gave it.
    assert_eq!(requests[1].url.query(), Some("page=2&per_page=1"));
}

#[tokio::test]
async fn next_urls_in_the_body_are_followed() {
    let server = MockServer::start().await;
    let next = format!("{}/audit?$skiptoken=xyz", server.uri());
    first_page(
        &server,
        "/audit",
        "$skiptoken",
        json!({"value": ["a", "b"], "@odata.nextLink": next}),
    )
    .await;
    page(&server, "/audit", Some(("$skiptoken", "xyz")), json!({"value": ["c"]})).await;
    let client = Client::with_base_url(server.uri());
    let mut items = client.list_audit().items();
    let (got, error) = collect(async || items.next().await).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(got, ["a", "b", "c"]);
}

#[tokio::test]
async fn offsets_move_on_by_the_items_and_stop_at_a_short_page() {
    let server = MockServer::start().await;
    first_page(&server, "/search", "offset", json!({"results": ["a", "b"]})).await;
    page(&server, "/search", Some(("offset", "2")), json!({"results": ["c", "d"]})).await;
    page(&server, "/search", Some(("offset", "4")), json!({"results": ["e"]})).await;
    let client = Client::with_base_url(server.uri());
    let mut items = client.search("q").limit(2).items();
    let (got, error) = collect(async || items.next().await).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(got, ["a", "b", "c", "d", "e"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "a short page is the last");
}

#[tokio::test]
async fn a_server_that_ignores_the_page_is_stopped() {
    // The page parameter ignored: the same page again, forever.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/numbers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([1, 2, 3])))
        .mount(&server)
        .await;
    let client = Client::with_base_url(server.uri());
    let mut items = client.list_numbers().items();
    let (got, error) = collect(async || items.next().await).await;
    assert_eq!(got, [1, 2, 3]);
    assert!(matches!(error, Some(Error::Pagination(_))), "{error:?}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].url.query(), Some("page=2"), "page 1 unless the call sets one");
}

#[tokio::test]
async fn max_pages_stops_early_and_x_pagination_is_obeyed() {
    let server = MockServer::start().await;
    first_page(&server, "/feed", "from", json!({"rows": [1], "pinned": [9], "tail": "t2"})).await;
    page(&server, "/feed", Some(("from", "t2")), json!({"rows": [2], "pinned": [9], "tail": "t3"}))
        .await;
    page(&server, "/feed", Some(("from", "t3")), json!({"rows": [3], "pinned": [9]})).await;
    let client = Client::with_base_url(server.uri());
    let mut items = client.feed().items();
    let (got, _) = collect(async || items.next().await).await;
    assert_eq!(got, [1, 2, 3], "the items `x-pagination` names");
    let mut pages = client.feed().pages().max_pages(2);
    let (got, _) = collect(async || pages.next().await).await;
    assert_eq!(got.len(), 2);
}

/// Both are `futures::Stream`s, and `Send`, for the combinators callers use.
#[test]
fn pages_and_items_are_streams() {
    fn is_stream<S: fixtures::runtime::Stream + Send + Unpin>(_: &S) {}
    let client = Client::with_base_url("http://localhost");
    is_stream(&client.tick_history().pages());
    is_stream(&client.tick_history().items());
}

//! OAuth2 client credentials over real HTTP: a token endpoint and the API on
//! one mock server, tokens fetched, cached, refreshed on expiry and on 401.

use std::time::Duration;

use generated::runtime::{ClientCredentials, Error};
use generated::vantage::Client;
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{at, hits};

const EXAMPLE_200: &str = "/paths/~1data_exports~1{data_export_token}/get/responses/200/content/application~1json/example";

fn token(value: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(
        json!({"access_token": value, "token_type": "Bearer", "expires_in": expires_in}),
    )
}

/// The token endpoint answers `first` once, then `then`.
async fn token_endpoint(server: &MockServer, first: ResponseTemplate, then: ResponseTemplate) {
    // `Basic aWQ6aHVudGVyMg==` is `id:hunter2`: client authentication as RFC 6749 prefers.
    let token_request = || {
        Mock::given(method("POST"))
            .and(path("/token"))
            .and(header("authorization", "Basic aWQ6aHVudGVyMg=="))
            .and(body_string_contains("grant_type=client_credentials"))
    };
    token_request().respond_with(first).up_to_n_times(1).with_priority(1).mount(server).await;
    token_request().respond_with(then).with_priority(2).mount(server).await;
}

async fn api_accepts(server: &MockServer, bearer: &str, answer: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path("/data_exports/dta_1"))
        .and(header("authorization", format!("Bearer {bearer}").as_str()))
        .respond_with(answer)
        .mount(server)
        .await;
}

fn client(server: &MockServer) -> Client {
    let credentials =
        ClientCredentials::new(format!("{}/token", server.uri()), "id", "hunter2", &[]);
    Client::with_base_url(server.uri()).with_client_credentials_from(credentials)
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(at("vantage.yaml", EXAMPLE_200))
}

#[tokio::test]
async fn a_token_is_fetched_once_cached_and_fetched_again_when_it_expires() {
    let server = MockServer::start().await;
    token_endpoint(&server, token("tok_a", 1), token("tok_b", 3600)).await;
    api_accepts(&server, "tok_a", ok()).await;
    api_accepts(&server, "tok_b", ok()).await;
    let client = client(&server);

    client.get_data_export("dta_1").await.unwrap();
    client.clone().get_data_export("dta_1").await.unwrap();
    assert_eq!(hits(&server, "/token").await, 1, "clones share the cached token");

    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.get_data_export("dta_1").await.unwrap();
    client.get_data_export("dta_1").await.unwrap();
    assert_eq!(hits(&server, "/token").await, 2, "refreshed once after expiry");
    let bearers: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/data_exports/dta_1")
        .map(|r| r.headers["authorization"].to_str().unwrap().to_string())
        .collect();
    assert_eq!(bearers, ["Bearer tok_a", "Bearer tok_a", "Bearer tok_b", "Bearer tok_b"]);
}

#[tokio::test]
async fn a_token_the_api_rejects_is_replaced_once_and_the_call_sent_again() {
    let server = MockServer::start().await;
    token_endpoint(&server, token("tok_revoked", 3600), token("tok_new", 3600)).await;
    api_accepts(&server, "tok_revoked", ResponseTemplate::new(401)).await;
    api_accepts(&server, "tok_new", ok()).await;
    let response = client(&server).get_data_export("dta_1").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(hits(&server, "/token").await, 2);
    assert_eq!(hits(&server, "/data_exports/dta_1").await, 2);
}

#[tokio::test]
async fn a_401_with_a_fresh_token_too_is_returned_after_one_refresh() {
    let server = MockServer::start().await;
    token_endpoint(&server, token("tok_a", 3600), token("tok_b", 3600)).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let err = client(&server).get_data_export("dta_1").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(hits(&server, "/data_exports/dta_1").await, 2, "one refresh, not a loop");
}

#[tokio::test]
async fn a_token_endpoint_error_is_an_auth_error_that_never_shows_the_secret() {
    let server = MockServer::start().await;
    let refusal = ResponseTemplate::new(401).set_body_json(json!({"error": "invalid_client"}));
    token_endpoint(&server, refusal.clone(), refusal).await;
    let client = client(&server);
    let err = client.get_data_export("dta_1").await.unwrap_err();
    let Error::Auth(auth) = &err else { panic!("expected an auth error, got {err:?}") };
    assert!(
        String::from_utf8_lossy(auth.response.as_ref().unwrap().body()).contains("invalid_client")
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(
        hits(&server, "/data_exports/dta_1").await,
        0,
        "nothing is sent to the API without a token"
    );
    for text in [format!("{err}"), format!("{err:?}"), format!("{client:?}")] {
        assert!(!text.contains("hunter2") && !text.contains("aWQ6aHVudGVyMg=="), "{text}");
    }
}

#[tokio::test]
async fn a_token_endpoint_that_hangs_is_cut_off_by_the_call_timeout() {
    let server = MockServer::start().await;
    let slow = token("tok_a", 3600).set_delay(Duration::from_secs(5));
    token_endpoint(&server, slow.clone(), slow).await;
    let client = client(&server).with_timeout(Duration::from_millis(300));
    let started = std::time::Instant::now();
    let err = client.get_data_export("dta_1").await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3), "waited {:?}", started.elapsed());
    let Error::Auth(auth) = &err else { panic!("expected an auth error, got {err:?}") };
    assert_eq!(auth.message, "token endpoint unreachable: timed out");
    assert!(err.to_string().contains("timed out"), "{err}");
    assert_eq!(hits(&server, "/data_exports/dta_1").await, 0);
}

/// `listShapes` takes a key in the query, or a session cookie together with
/// basic auth; the first alternative whose credentials are all set is used.
async fn shapes_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    server
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    requests.into_iter().next().unwrap()
}

#[tokio::test]
async fn an_api_key_goes_in_the_query_when_the_scheme_says_so() {
    let server = shapes_server().await;
    fixtures::composition::Client::with_base_url(server.uri())
        .with_api_key("k&y=1")
        .list_shapes()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("api_key=k%26y%3D1"));
    assert!(!request.headers.contains_key("authorization"));
}

#[tokio::test]
async fn a_cookie_key_and_basic_auth_are_sent_together() {
    let server = shapes_server().await;
    let client = fixtures::composition::Client::with_base_url(server.uri())
        .with_session("s; 1")
        .with_basic_auth("ann", "pw");
    client.list_shapes().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.headers["cookie"], "session=s%3B%201");
    assert_eq!(request.headers["authorization"], "Basic YW5uOnB3");
    assert_eq!(request.url.query(), None);
    let debug = format!("{client:?}");
    assert!(!debug.contains("pw\"") && !debug.contains("s; 1"), "{debug}");
}

#[tokio::test]
async fn without_every_credential_of_an_alternative_none_is_sent() {
    let server = shapes_server().await;
    // A cookie alone satisfies no alternative (it needs basic auth too).
    fixtures::composition::Client::with_base_url(server.uri())
        .with_session("s")
        .list_shapes()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert!(!request.headers.contains_key("cookie"));
}

#[tokio::test]
async fn a_key_in_the_query_never_shows_in_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = fixtures::composition::Client::with_base_url(uri)
        .with_api_key("k3y-in-query")
        .with_retry(fixtures::runtime::RetryPolicy::none());
    let err = client.list_shapes().await.unwrap_err();
    assert!(matches!(err, fixtures::runtime::Error::Transport(_)), "{err:?}");
    for text in [format!("{err}"), format!("{err:?}")] {
        assert!(!text.contains("k3y-in-query"), "{text}");
    }
}

//! OAuth2 client credentials over real HTTP: a token endpoint and the API on
//! one mock server, tokens fetched, cached, refreshed on expiry and on 401.

use std::time::Duration;

use generated::runtime::{ClientCredentials, Error};
use generated::vantage::Client;
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::at;

const EXAMPLE_200: &str = "/paths/~1data_exports~1{data_export_token}/get/responses/200/content/application~1json/example";

fn token(value: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"access_token": value, "token_type": "Bearer", "expires_in": expires_in}))
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
    let credentials = ClientCredentials::new(format!("{}/token", server.uri()), "id", "hunter2", &[]);
    Client::with_base_url(server.uri()).with_client_credentials_from(credentials)
}

async fn hits(server: &MockServer, route: &str) -> usize {
    server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == route).count()
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
    assert!(String::from_utf8_lossy(auth.response.as_ref().unwrap().body()).contains("invalid_client"));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(hits(&server, "/data_exports/dta_1").await, 0, "nothing is sent to the API without a token");
    for text in [format!("{err}"), format!("{err:?}"), format!("{client:?}")] {
        assert!(!text.contains("hunter2") && !text.contains("aWQ6aHVudGVyMg=="), "{text}");
    }
}

//! Options for one call (headers, timeout, retry policy), set on the call a
//! generated method returns, over real HTTP on loopback.

use std::time::{Duration, Instant};

use generated::runtime::{Error, RetryPolicy};
use generated::vantage::Client;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::at;

const EXAMPLE_200: &str = "/paths/~1data_exports~1{data_export_token}/get/responses/200/content/application~1json/example";

fn vantage(server: &MockServer) -> Client {
    Client::with_base_url(server.uri()).with_access_token("vntg_tkn_abc").with_retry(RetryPolicy {
        initial_backoff: Duration::from_millis(5),
        ..RetryPolicy::default()
    })
}

fn ok_export() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(at("vantage.yaml", EXAMPLE_200))
}

#[tokio::test]
async fn a_header_for_one_call_is_sent_with_that_call_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("prefer", "code=200"))
        .and(header("authorization", "Bearer vntg_tkn_abc"))
        .respond_with(ok_export())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(404)).mount(&server).await;
    let client = vantage(&server);
    client.get_data_export("dta_1").header("Prefer", "code=200").await.unwrap();
    // The next call has no such header.
    assert!(client.get_data_export("dta_1").await.is_err());
}

#[tokio::test]
async fn a_header_no_request_can_carry_fails_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok_export()).expect(0).mount(&server).await;
    let client = vantage(&server);
    let e = client.get_data_export("dta_1").header("x-id", "a\r\nInjected: 1").await.unwrap_err();
    assert!(matches!(&e, Error::InvalidRequest(m) if m.contains("x-id")), "{e}");
    let e = client.get_data_export("dta_1").header("bad name", "v").await.unwrap_err();
    assert!(matches!(&e, Error::InvalidRequest(m) if m.contains("bad name")), "{e}");
}

#[tokio::test]
async fn a_timeout_for_one_call_replaces_the_clients() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok_export().set_delay(Duration::from_millis(400)))
        .mount(&server)
        .await;
    let client = vantage(&server).with_retry(RetryPolicy::none());
    let started = Instant::now();
    let e = client.get_data_export("dta_1").timeout(Duration::from_millis(50)).await.unwrap_err();
    assert!(matches!(e, Error::Timeout(_)), "{e}");
    assert!(started.elapsed() < Duration::from_millis(350), "{:?}", started.elapsed());
    // The client's own timeout (60 s) still holds for the next call.
    client.get_data_export("dta_1").await.unwrap();
}

#[tokio::test]
async fn a_retry_policy_for_one_call_replaces_the_clients() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = vantage(&server);
    let _ = client.get_data_export("dta_1").retry(RetryPolicy::none()).await;
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    let _ = client.get_data_export("dta_1").await;
    assert_eq!(server.received_requests().await.unwrap().len(), 1 + 3, "the client retries");
}

//! Retries, timeouts and misbehaving servers, over real HTTP on loopback:
//! wiremock for well-formed answers, a raw TCP listener for answers no
//! well-behaved server would send (slow or truncated bodies).

use std::time::{Duration, Instant};

use generated::onlyfansapi::types::{
    CreateDataExportRequest, CreateDataExportRequestFileType, CreateDataExportRequestType,
};
use generated::runtime::{Error, RetryPolicy};
use generated::vantage::types::GetDataExportSuccess;
use generated::vantage::Client;
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::at;

const EXAMPLE_200: &str = "/paths/~1data_exports~1{data_export_token}/get/responses/200/content/application~1json/example";

/// Retries without the default waits, so tests stay fast.
fn quick() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

fn vantage(uri: &str) -> Client {
    Client::with_base_url(uri).with_access_token("vntg_tkn_abc")
}

fn ok_export() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(at("vantage.yaml", EXAMPLE_200))
}

/// First `first` (once), then `then` for every later request.
async fn server_answering(first: ResponseTemplate, then: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    crate::support::answer_get_in_turn(&server, None, 1, first, then).await;
    server
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

#[tokio::test]
async fn a_429_is_retried_once_after_the_wait_retry_after_asks() {
    let server =
        server_answering(ResponseTemplate::new(429).insert_header("retry-after", "1"), ok_export())
            .await;
    let started = Instant::now();
    let response = vantage(&server.uri()).get_data_export("dta_1").await.unwrap();
    assert!(matches!(response.body(), GetDataExportSuccess::Ok(_)));
    assert_eq!(requests(&server).await, 2);
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(1), "waited {waited:?}, Retry-After said 1 s");
    assert!(waited < Duration::from_secs(3), "waited {waited:?}: backoff added to Retry-After");
}

#[tokio::test]
async fn gateway_errors_are_retried_up_to_the_attempt_limit_then_returned() {
    let html = ResponseTemplate::new(502)
        .set_body_raw("<html><body>Bad gateway</body></html>", "text/html");
    let server = server_answering(html.clone(), html).await;
    let err =
        vantage(&server.uri()).with_retry(quick()).get_data_export("dta_1").await.unwrap_err();
    assert_eq!(requests(&server).await, 3);
    // An HTML page on 502 is not a decode error: the status is undocumented, the page kept.
    let Error::UnexpectedStatus(raw) = &err else {
        panic!("expected UnexpectedStatus, got {err:?}")
    };
    assert_eq!(raw.status(), 502);
    assert!(String::from_utf8_lossy(raw.body()).contains("Bad gateway"));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_503_then_200_recovers_with_backoff() {
    let server = server_answering(ResponseTemplate::new(503), ok_export()).await;
    let response =
        vantage(&server.uri()).with_retry(quick()).get_data_export("dta_1").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn retries_can_be_switched_off() {
    let server = server_answering(ResponseTemplate::new(503), ok_export()).await;
    let err = vantage(&server.uri())
        .with_retry(RetryPolicy::none())
        .get_data_export("dta_1")
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_returned_not_waited_for() {
    let server = server_answering(
        ResponseTemplate::new(429).insert_header("retry-after", "3600"),
        ok_export(),
    )
    .await;
    let started = Instant::now();
    let err = vantage(&server.uri()).get_data_export("dta_1").await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(requests(&server).await, 1);
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
}

#[tokio::test]
async fn documented_client_errors_are_not_retried() {
    let server = server_answering(
        ResponseTemplate::new(404).set_body_json(json!({"errors": ["no such export"]})),
        ok_export(),
    )
    .await;
    let err =
        vantage(&server.uri()).with_retry(quick()).get_data_export("dta_1").await.unwrap_err();
    assert!(matches!(err, Error::Api(_)));
    assert!(!err.is_retryable());
    assert_eq!(requests(&server).await, 1);
}

fn export_request() -> CreateDataExportRequest {
    CreateDataExportRequest::new(
        CreateDataExportRequestType::ChatMessages,
        "2024-01-01T00:00:00Z".into(),
        "2024-12-31T23:59:59Z".into(),
        CreateDataExportRequestFileType::Csv,
    )
}

#[tokio::test]
async fn a_post_on_503_is_not_retried_unless_the_caller_opts_in() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = generated::onlyfansapi::Client::with_base_url(server.uri())
        .with_bearer_token("t")
        .with_retry(quick());
    let err = client.create_data_export(&export_request()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        requests(&server).await,
        1,
        "a POST may have taken effect: never sent twice by default"
    );

    let opted_in = client.with_retry(RetryPolicy { retry_non_idempotent: true, ..quick() });
    opted_in.create_data_export(&export_request()).await.unwrap_err();
    assert_eq!(requests(&server).await, 1 + 3);
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_a_retryable_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = vantage(&uri).with_retry(quick()).get_data_export("dta_1").await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn slow_headers_time_out_and_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok_export().set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = vantage(&server.uri())
        .with_timeout(Duration::from_millis(300))
        .get_data_export("dta_1")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(!err.is_retryable());
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_timeout_set_on_a_clone_is_for_that_call_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok_export().set_delay(Duration::from_millis(500)))
        .mount(&server)
        .await;
    let client = vantage(&server.uri());
    let err = client
        .clone()
        .with_timeout(Duration::from_millis(100))
        .get_data_export("dta_1")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(client.get_data_export("dta_1").await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_slow_body_times_out() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 64\r\n\r\n";
    let uri =
        crate::support::raw_server(head, &[b"{\"token\":", b"\"dta_1\""], Duration::from_secs(2))
            .await;
    let started = Instant::now();
    let err = vantage(&uri)
        .with_timeout(Duration::from_millis(500))
        .get_data_export("dta_1")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(1900));
}

#[tokio::test]
async fn a_body_cut_short_of_its_content_length_is_a_transport_error() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 64\r\n\r\n";
    let uri = crate::support::raw_server(head, &[b"{\"token\":\"dta_1\""], Duration::ZERO).await;
    let err = vantage(&uri).with_retry(quick()).get_data_export("dta_1").await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(!err.is_retryable());
}

thread_local! {
    /// What `tracing` wrote on this thread.
    static CAPTURED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Writes into this thread's `CAPTURED`.
struct ThreadCapture;

impl std::io::Write for ThreadCapture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        CAPTURED.with(|c| c.borrow_mut().extend_from_slice(buf));
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A global subscriber, installed once: with only a thread-local one, tests
/// running at the same time can leave the callsites' cached interest at
/// "never". Each test reads what its own thread (a current-thread runtime)
/// wrote.
fn capture_tracing() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_writer(|| ThreadCapture)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other global subscriber in the tests");
    });
    CAPTURED.with(|c| c.borrow_mut().clear());
}

#[tokio::test]
async fn each_call_is_a_span_with_operation_template_attempt_and_status_but_no_secrets() {
    capture_tracing();
    let server = server_answering(ResponseTemplate::new(503), ok_export()).await;
    vantage(&server.uri())
        .with_retry(quick())
        .get_data_export("dta_secret_token_value")
        .await
        .unwrap();

    let text = CAPTURED.with(|c| String::from_utf8(c.borrow().clone()).unwrap());
    assert!(text.contains("http_call{operation=\"getDataExport\" method=GET path=\"/data_exports/{data_export_token}\""), "{text}");
    assert!(text.contains("retrying attempt=1"), "{text}");
    let closed = text.lines().find(|l| l.contains("close")).expect("the span closes");
    for field in ["attempt=2", "status=200", "latency_ms="] {
        assert!(closed.contains(field), "{field} missing: {closed}");
    }
    assert!(!text.contains("dta_secret_token_value"), "the filled path is not logged: {text}");
    assert!(!text.contains("vntg_tkn_abc"), "credentials are not logged: {text}");
}

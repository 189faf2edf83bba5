//! Gumloop over real HTTP: one status answers JSON or CSV; errors have no body.

use std::time::{Duration, Instant};

use generated::gumloop::types::{
    ExportStatusError, ExportStatusResponseState, ExportStatusSuccess,
};
use generated::gumloop::Client;
use generated::runtime::Error;
use serde_json::json;
use wiremock::matchers::{header, headers, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::with_base_url(server.uri())
        .with_bearer_token("gl_personal_key")
        .with_x_auth_key("user_123")
}

#[tokio::test]
async fn json_status_with_both_credentials_and_all_query_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/export_status"))
        .and(query_param("user_id", "user_123"))
        .and(query_param("data_export_id", "exp_9"))
        .and(query_param("download", "false"))
        .and(header("authorization", "Bearer gl_personal_key"))
        .and(header("x-auth-key", "user_123"))
        // The media types the operation documents, so that a server that
        // negotiates can send the CSV.
        .and(headers("accept", vec!["application/json", "text/csv"]))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data_export_id": "exp_9",
            "state": "IN_PROGRESS",
            "created_ts": "2025-03-27T20:46:31Z"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let response =
        client(&server).export_status("user_123", "exp_9").download(false).await.unwrap();
    let ExportStatusSuccess::OkJson(status) = response.into_body() else { panic!("expected JSON") };
    assert_eq!(status.state, Some(ExportStatusResponseState::InProgress));
    assert_eq!(status.created_ts.unwrap().to_rfc3339(), "2025-03-27T20:46:31+00:00");
    assert_eq!(status.finished_ts, None);
}

#[tokio::test]
async fn csv_download_is_returned_as_a_stream() {
    let csv = "id,amount\n1,9.99\n2,19.99\n";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/export_status"))
        .and(query_param("download", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(csv, "text/csv; charset=utf-8"))
        .expect(1)
        .mount(&server)
        .await;

    let response = client(&server).export_status("user_123", "exp_9").download(true).await.unwrap();
    assert_eq!(response.header("content-type"), Some("text/csv; charset=utf-8"));
    let ExportStatusSuccess::OkCsv(stream) = response.into_body() else { panic!("expected CSV") };
    assert_eq!(&stream.collect().await.unwrap()[..], csv.as_bytes());
}

#[tokio::test]
async fn a_csv_download_is_read_as_it_arrives_not_buffered_whole() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ncontent-length: 17\r\n\r\n";
    let uri = crate::support::raw_server(
        head,
        &[b"id,amount\n", b"1,9.99\n"],
        Duration::from_millis(800),
    )
    .await;
    let client = Client::with_base_url(uri).with_bearer_token("t");
    let started = Instant::now();
    let response = client.export_status("user_123", "exp_9").download(true).await.unwrap();
    let ExportStatusSuccess::OkCsv(mut stream) = response.into_body() else {
        panic!("expected CSV")
    };
    let first = stream.next_chunk().await.unwrap().unwrap();
    assert_eq!(&first[..], b"id,amount\n");
    assert!(
        started.elapsed() < Duration::from_millis(1400),
        "the first piece waited for the rest: {:?}",
        started.elapsed()
    );

    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("gumloop-stream.csv");
    assert_eq!(stream.write_to_file(&path).await.unwrap(), 7);
    assert_eq!(std::fs::read(&path).unwrap(), b"1,9.99\n");
}

#[tokio::test]
async fn an_oauth_token_alone_sends_no_auth_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer oauth_token"))
        .and(|req: &Request| !req.headers.contains_key("x-auth-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"state": "REQUESTED"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::with_base_url(server.uri()).with_bearer_token("oauth_token");
    let response = client.export_status("u", "e").await.unwrap();
    assert!(
        matches!(response.body(), ExportStatusSuccess::OkJson(s) if s.state == Some(ExportStatusResponseState::Requested))
    );
}

#[tokio::test]
async fn states_added_later_are_kept_not_rejected() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"state": "CANCELLED", "new_field": 1})),
        )
        .mount(&server)
        .await;
    let response = client(&server).export_status("u", "e").await.unwrap();
    let ExportStatusSuccess::OkJson(status) = response.into_body() else { panic!() };
    let state = status.state.unwrap();
    assert_eq!(state, ExportStatusResponseState::Other("CANCELLED".into()));
    assert_eq!(state.as_str(), "CANCELLED");
    assert_eq!(serde_json::to_value(&state).unwrap(), json!("CANCELLED"));
}

#[tokio::test]
async fn documented_bodiless_errors_keep_status_and_raw_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_string("export expired"))
        .mount(&server)
        .await;
    let err = client(&server).export_status("u", "e").await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!(api.body, ExportStatusError::NotFound);
    assert_eq!(api.response.status(), 404);
    assert_eq!(&api.response.body()[..], b"export expired");
    assert_eq!(err.api_body(), Some(&ExportStatusError::NotFound));
}

#[tokio::test]
async fn every_documented_error_status_maps_to_its_variant() {
    for (status, expected) in [
        (400, ExportStatusError::BadRequest),
        (401, ExportStatusError::Unauthorized),
        (403, ExportStatusError::Forbidden),
        (404, ExportStatusError::NotFound),
        (500, ExportStatusError::InternalServerError),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET")).respond_with(ResponseTemplate::new(status)).mount(&server).await;
        let err = client(&server).export_status("u", "e").await.unwrap_err();
        assert_eq!(err.api_body(), Some(&expected), "status {status}");
    }
}

#[tokio::test]
async fn a_content_type_the_spec_does_not_list_is_an_error_with_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("<html>maintenance</html>", "text/html"),
        )
        .mount(&server)
        .await;
    let err = client(&server).export_status("u", "e").await.unwrap_err();
    let Error::UnexpectedContentType(raw) = &err else { panic!("{err:?}") };
    assert_eq!(&raw.body()[..], b"<html>maintenance</html>");
    assert_eq!(err.to_string(), "unexpected content type `text/html` with status 200 OK");
}

#[tokio::test]
async fn header_values_with_line_breaks_are_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let client = Client::with_base_url(server.uri())
        .with_bearer_token("t")
        .with_x_auth_key("user\r\nX-Evil: 1");
    let err = client.export_status("u", "e").await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
}

#[tokio::test]
async fn secrets_never_show_in_debug_output() {
    let client =
        Client::new().with_bearer_token("gl_secret_value").with_x_auth_key("user_secret_value");
    let debug = format!("{client:?}");
    assert!(!debug.contains("secret_value"), "{debug}");
    assert_eq!(client.base_url(), "https://api.gumloop.com/api/v1");
}

//! OnlyFansAPI over real HTTP: both operations send what the spec says and
//! read the spec's own examples.

use generated::onlyfansapi::types::{
    CreateDataExportRequest, CreateDataExportRequestFileType, CreateDataExportRequestType,
};
use generated::onlyfansapi::Client;
use generated::runtime::Error;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::at;

const CREATE_200: &str =
    "/paths/~1api~1data-exports/post/responses/200/content/application~1json/schema/example";
const STATUS_200: &str =
    "/paths/~1api~1data-exports~1{data_export_id}/get/responses/200/content/application~1json/schema/example";

fn client(server: &MockServer) -> Client {
    Client::with_base_url(server.uri()).with_bearer_token("ofapi_test_key")
}

#[tokio::test]
async fn create_data_export_sends_typed_body_and_bearer_and_reads_the_example() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/data-exports"))
        .and(header("authorization", "Bearer ofapi_test_key"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "type": "chat_messages",
            "account_ids": ["acc_abc123", "acc_def456"],
            "start_date": "2024-01-01T00:00:00Z",
            "end_date": "2024-12-31T23:59:59Z",
            "file_type": "csv",
            "options": {"maxChats": 100, "maxMessages": 50000, "skipMassMessages": false},
            "auto_start": true
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(at("onlyfansapi.yaml", CREATE_200)))
        .expect(1)
        .mount(&server)
        .await;

    let options = json!({"maxChats": 100, "maxMessages": 50000, "skipMassMessages": false});
    let mut body = CreateDataExportRequest::new(
        CreateDataExportRequestType::ChatMessages,
        "2024-01-01T00:00:00Z".into(),
        "2024-12-31T23:59:59Z".into(),
        CreateDataExportRequestFileType::Csv,
    );
    body.account_ids = Some(vec!["acc_abc123".into(), "acc_def456".into()]);
    body.options = options.as_object().cloned();
    body.auto_start = Some(true);
    let response = client(&server).create_data_export(&body).await.unwrap();
    assert_eq!(response.status(), 200);
    let data = response.data.as_ref().unwrap();
    assert_eq!(data.id.as_deref(), Some("data_export_abc123xyz789"));
    assert_eq!(data.status.as_deref(), Some("calculating_credits"));
    assert_eq!(data.requires_scraping, Some(true));
    let meta = response.meta.as_ref().unwrap();
    assert_eq!(meta.credits.as_ref().unwrap().balance, Some(9500));
    let limits = meta.rate_limits.as_ref().unwrap();
    assert_eq!(limits.limit_minute, Some(60));
    assert_eq!(limits.limit_day, Some(None), "null in the example");
}

#[tokio::test]
async fn get_data_export_status_reads_progress_from_the_example() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/data-exports/data_export_abc123"))
        .and(query_param("download_url_expires_in", "15"))
        .and(header("authorization", "Bearer ofapi_test_key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(at("onlyfansapi.yaml", STATUS_200)))
        .expect(1)
        .mount(&server)
        .await;

    let response = client(&server)
        .get_data_export_status("data_export_abc123")
        .download_url_expires_in(15)
        .await
        .unwrap();
    let data = response.into_body().data.unwrap();
    assert_eq!(data.progress_percentage, Some(50));
    assert_eq!(data.rows_processed, Some(2500));
    assert_eq!(data.export_columns.as_ref().map(Vec::len), Some(6));
    let accounts = data.accounts.unwrap();
    assert_eq!(accounts[0].display_name.as_deref(), Some("Main Account"));
    assert_eq!(data.completed_at, Some(None), "null in the example");
}

#[tokio::test]
async fn optional_query_parameters_are_left_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/data-exports/x"))
        .and(query_param_is_missing("download_url_expires_in"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server).get_data_export_status("x").await.unwrap();
    assert_eq!(response.data, None);
}

#[tokio::test]
async fn path_values_are_percent_encoded_and_never_change_the_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/data-exports/a%2Fb%3Fc%23d%20e%25f%C3%A9"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).get_data_export_status("a/b?c#d e%fé").await.unwrap();
}

#[tokio::test]
async fn a_status_the_spec_does_not_document_keeps_status_headers_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "7")
                .set_body_string("{\"message\":\"slow down\"}"),
        )
        .mount(&server)
        .await;
    let body = CreateDataExportRequest::new(
        CreateDataExportRequestType::Fans,
        "2024-01-01".into(),
        "2024-02-01".into(),
        CreateDataExportRequestFileType::Xlsx,
    );
    let err = client(&server).create_data_export(&body).await.unwrap_err();
    let Error::UnexpectedStatus(raw) = &err else { panic!("{err:?}") };
    assert_eq!(raw.status(), 429);
    assert_eq!(raw.headers()["retry-after"], "7");
    assert_eq!(&raw.body()[..], b"{\"message\":\"slow down\"}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.to_string(), "unexpected status: 429 Too Many Requests");
}

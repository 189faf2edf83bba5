//! HiEnergy over real HTTP: integer path parameter, date-times, URLs,
//! nullable nested objects, bodiless errors from `components/responses`.

use generated::hienergy::types::{
    GetExportReportError, GetExportReportResponseExportReportType,
    GetExportReportResponseExportStatus,
};
use generated::hienergy::Client;
use generated::runtime::Error;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::with_base_url(server.uri()).with_bearer_token("he_key")
}

#[tokio::test]
async fn completed_report_with_download_url() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/exports/42"))
        .and(header("authorization", "Bearer he_key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "export": {
                "id": 42,
                "report_type": "deals_excel",
                "display_name": "Deals",
                "status": "completed",
                "parameters": {"region": "eu", "limit": 10},
                "filename": "deals.xlsx",
                "download_url": "https://s3.example.com/deals.xlsx?X-Amz-Signature=abc",
                "download_expires_in_seconds": 3600,
                "error_message": null,
                "progress": {"parts_ready": 3, "total_parts": 3},
                "parent_report_id": null,
                "chunked_export": true,
                "created_at": "2025-03-27T20:46:31Z",
                "updated_at": "2025-03-27T20:50:00.123+02:00",
                "started_at": null,
                "completed_at": "2025-03-27T20:49:00Z",
                // RFC 3986 allows this host; the WHATWG URL standard does not.
                "status_url": "http://exports.internal.2/status/42"
            },
            "deduped": false
        })))
        .expect(1)
        .mount(&server)
        .await;

    let report = client(&server).get_export_report(42).await.unwrap().into_body();
    let export = report.export;
    assert_eq!(export.id, 42);
    assert_eq!(export.report_type, GetExportReportResponseExportReportType::DealsExcel);
    assert_eq!(export.status, GetExportReportResponseExportStatus::Completed);
    assert_eq!(
        export.download_url.flatten().as_deref(),
        Some("https://s3.example.com/deals.xlsx?X-Amz-Signature=abc")
    );
    assert_eq!(export.status_url.flatten().as_deref(), Some("http://exports.internal.2/status/42"));
    assert_eq!(export.updated_at.unwrap().to_rfc3339(), "2025-03-27T18:50:00.123+00:00");
    assert_eq!(export.started_at, Some(None), "null, not absent");
    assert_eq!(export.progress.flatten().unwrap().total_parts, Some(3));
    assert_eq!(export.parameters.unwrap()["limit"], 10);
    assert_eq!(report.deduped, Some(false));
}

#[tokio::test]
async fn pending_report_with_nulls_and_an_unknown_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/exports/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "export": {"id": 7, "report_type": "advertisers_csv", "status": "queued", "progress": null, "download_url": null}
        })))
        .mount(&server)
        .await;
    let export = client(&server).get_export_report(7).await.unwrap().into_body().export;
    assert_eq!(export.status, GetExportReportResponseExportStatus::Other("queued".into()));
    assert_eq!(export.progress, Some(None));
    assert_eq!(export.download_url, Some(None));
}

#[tokio::test]
async fn unauthorized_and_not_found_keep_their_bodies() {
    for (status, expected) in
        [(401, GetExportReportError::Unauthorized), (404, GetExportReportError::NotFound)]
    {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({"error": "nope"})))
            .mount(&server)
            .await;
        let err = client(&server).get_export_report(1).await.unwrap_err();
        let Error::Api(api) = &err else { panic!("{err:?}") };
        assert_eq!(api.body, expected);
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(api.response.body()).unwrap(),
            json!({"error": "nope"})
        );
    }
}

#[tokio::test]
async fn a_date_time_that_does_not_parse_is_a_decode_error_naming_the_field() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "export": {"id": 1, "report_type": "deals_excel", "status": "completed", "updated_at": "not a date"}
        })))
        .mount(&server)
        .await;
    let err = client(&server).get_export_report(1).await.unwrap_err();
    let Error::Decode(d) = &err else { panic!("{err:?}") };
    assert_eq!(d.path, "export.updated_at");
}

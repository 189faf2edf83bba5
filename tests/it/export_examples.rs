//! The runnable examples in `generated/examples/`, run against local mock
//! servers: each is compiled into this test binary from its own source, and
//! its `run` is called as its `main` would call it.

use std::time::Duration;

use generated::runtime::{PollError, PollPolicy};
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::hits;

#[allow(dead_code)]
#[path = "../../generated/examples/vantage_export.rs"]
mod vantage_export;

#[allow(dead_code)]
#[path = "../../generated/examples/gumloop_export.rs"]
mod gumloop_export;

#[allow(dead_code)]
#[path = "../../generated/examples/hienergy_export.rs"]
mod hienergy_export;

#[allow(dead_code)]
#[path = "../../generated/examples/onlyfansapi_export.rs"]
mod onlyfansapi_export;

fn fast() -> PollPolicy {
    PollPolicy {
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(50),
        ..PollPolicy::default()
    }
}

/// `first` for the first `n` GETs of `route`, then `then`.
async fn sequence(
    server: &MockServer,
    route: &str,
    n: u64,
    first: ResponseTemplate,
    then: ResponseTemplate,
) {
    crate::support::answer_get_in_turn(server, Some(route), n, first, then).await;
}

#[tokio::test]
async fn vantage_polls_through_202_and_downloads_the_manifest_files() {
    let server = MockServer::start().await;
    let pending = ResponseTemplate::new(202).insert_header("retry-after", "0");
    let done = ResponseTemplate::new(200).set_body_json(json!({
        "token": "dta_1", "status": "completed", "created_at": "2025-03-27T20:46:31Z", "export_type": "cost_report",
        "attributes": {},
        "manifest": {"files": [format!("{}/files/a.csv", server.uri())], "completed_at": null, "valid_until": null}
    }));
    sequence(&server, "/data_exports/dta_1", 2, pending, done).await;
    Mock::given(path("/files/a.csv"))
        .respond_with(ResponseTemplate::new(200).set_body_string("a,b\n1,2\n"))
        .mount(&server)
        .await;

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let client = generated::vantage::Client::with_base_url(server.uri()).with_access_token("t");
    let files = vantage_export::run(&client, "dta_1", dir, &fast()).await.unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(std::fs::read_to_string(&files[0]).unwrap(), "a,b\n1,2\n");
    assert_eq!(hits(&server, "/data_exports/dta_1").await, 3);
}

#[tokio::test]
async fn polling_stops_at_the_deadline() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(202)).mount(&server).await;
    let client = generated::vantage::Client::with_base_url(server.uri()).with_access_token("t");
    let policy = PollPolicy { deadline: Duration::from_millis(200), ..fast() };
    let err =
        generated::runtime::poll_until(&policy, || client.get_data_export("dta_1"), |_| false)
            .await
            .unwrap_err();
    let PollError::Deadline { polls, elapsed } = err else {
        panic!("expected the deadline, got {err:?}")
    };
    assert!(polls >= 2, "{polls} polls");
    // The deadline bounds the waits (none starts that would end past it);
    // the last call may end after it, by as long as a call takes on a
    // loaded machine (205 ms was seen in CI).
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

#[tokio::test]
async fn polling_honours_retry_after_between_polls() {
    let server = MockServer::start().await;
    sequence(
        &server,
        "/data_exports/dta_1",
        1,
        ResponseTemplate::new(202).insert_header("retry-after", "1"),
        ResponseTemplate::new(202),
    )
    .await;
    let client = generated::vantage::Client::with_base_url(server.uri()).with_access_token("t");
    let started = std::time::Instant::now();
    let mut seen = 0;
    generated::runtime::poll_until(
        &fast(),
        || client.get_data_export("dta_1"),
        |_| {
            seen += 1;
            seen == 2
        },
    )
    .await
    .unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After: 1 was not waited for");
}

#[tokio::test]
async fn dropping_the_polling_future_cancels_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(202)).mount(&server).await;
    let client = generated::vantage::Client::with_base_url(server.uri()).with_access_token("t");
    let policy = fast();
    let polling =
        generated::runtime::poll_until(&policy, || client.get_data_export("dta_1"), |_| false);
    assert!(tokio::time::timeout(Duration::from_millis(150), polling).await.is_err());
    let after_drop = hits(&server, "/data_exports/dta_1").await;
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(
        hits(&server, "/data_exports/dta_1").await,
        after_drop,
        "polling went on after the future was dropped"
    );
}

#[tokio::test]
async fn gumloop_polls_the_state_then_downloads_the_csv() {
    let server = MockServer::start().await;
    Mock::given(path("/export_status"))
        .and(query_param("download", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("id,name\n1,x\n", "text/csv"))
        .mount(&server)
        .await;
    let state = |s: &str| {
        ResponseTemplate::new(200).set_body_json(json!({"data_export_id": "e1", "state": s}))
    };
    Mock::given(path("/export_status"))
        .and(query_param_is_missing("download"))
        .respond_with(state("IN_PROGRESS"))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/export_status"))
        .and(query_param_is_missing("download"))
        .respond_with(state("COMPLETED"))
        .with_priority(2)
        .mount(&server)
        .await;

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("gumloop-example.csv");
    let client = generated::gumloop::Client::with_base_url(server.uri())
        .with_bearer_token("t")
        .with_x_auth_key("k");
    let bytes = gumloop_export::run(&client, "u1", "e1", &out, &fast()).await.unwrap();
    assert_eq!(bytes, 12);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "id,name\n1,x\n");
    assert_eq!(hits(&server, "/export_status").await, 3 + 1);
}

#[tokio::test]
async fn gumloop_reports_a_failed_export() {
    let server = MockServer::start().await;
    Mock::given(path("/export_status"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data_export_id": "e1", "state": "FAILED"})),
        )
        .mount(&server)
        .await;
    let client = generated::gumloop::Client::with_base_url(server.uri()).with_bearer_token("t");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("gumloop-example-never-written.csv");
    let err = gumloop_export::run(&client, "u1", "e1", &out, &fast()).await.unwrap_err();
    assert!(err.to_string().contains("Failed"), "{err}");
    assert!(!out.exists());
}

fn hienergy_report(status: &str, download_url: Option<String>) -> serde_json::Value {
    json!({"export": {"id": 7, "report_type": "advertisers_csv", "status": status, "download_url": download_url}})
}

#[tokio::test]
async fn hienergy_polls_the_report_then_downloads_it() {
    let server = MockServer::start().await;
    let url = format!("{}/signed/report.csv", server.uri());
    sequence(
        &server,
        "/exports/7",
        2,
        ResponseTemplate::new(200).set_body_json(hienergy_report("processing", None)),
        ResponseTemplate::new(200).set_body_json(hienergy_report("completed", Some(url))),
    )
    .await;
    Mock::given(path("/signed/report.csv"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x,y\n"))
        .mount(&server)
        .await;

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("hienergy-example.csv");
    let client = generated::hienergy::Client::with_base_url(server.uri()).with_bearer_token("t");
    assert_eq!(hienergy_export::run(&client, 7, &out, &fast()).await.unwrap(), 4);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "x,y\n");
    assert_eq!(hits(&server, "/exports/7").await, 3);
}

#[tokio::test]
async fn onlyfansapi_creates_once_and_polls_to_completion() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/data-exports"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": {"id": "dexp_1", "status": "pending"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let status = |s: &str| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"data": {"id": "dexp_1", "status": s, "total_rows": 42}}))
    };
    sequence(&server, "/api/data-exports/dexp_1", 2, status("processing"), status("completed"))
        .await;

    let client = generated::onlyfansapi::Client::with_base_url(server.uri()).with_bearer_token("t");
    let data = onlyfansapi_export::run(&client, "acct_1", &fast()).await.unwrap();
    assert_eq!((data.status.as_deref(), data.total_rows), (Some("completed"), Some(42)));
    assert_eq!(hits(&server, "/api/data-exports/dexp_1").await, 3);
}

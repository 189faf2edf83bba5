//! Vantage over real HTTP: 200 with the manifest, 202 while pending (with
//! `Location` and `Retry-After`), typed `Errors` bodies, malformed bodies.

use std::time::Duration;

use generated::runtime::Error;
use generated::vantage::types::{
    GetDataExportAcceptedHeaders, GetDataExportError, GetDataExportSuccess,
};
use generated::vantage::Client;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::at;

const EXAMPLE_200: &str = "/paths/~1data_exports~1{data_export_token}/get/responses/200/content/application~1json/example";

fn client(server: &MockServer) -> Client {
    Client::with_base_url(server.uri()).with_access_token("vntg_tkn_abc")
}

#[tokio::test]
async fn completed_export_reads_the_example_manifest() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/data_exports/dta_xprt_964b2adb9bff37fb"))
        .and(header("authorization", "Bearer vntg_tkn_abc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(at("vantage.yaml", EXAMPLE_200)))
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server).get_data_export("dta_xprt_964b2adb9bff37fb").await.unwrap();
    assert_eq!(response.status(), 200);
    let GetDataExportSuccess::Ok(export) = response.into_body() else { panic!("expected 200") };
    assert_eq!(export.status, "completed");
    assert_eq!(export.manifest.files, ["https://example.com/file1.csv"]);
    assert_eq!(export.manifest.valid_until.as_deref(), Some("2025-03-28T20:46:31Z"));
    assert_eq!(export.attributes.get("report_token"), Some(&serde_json::Value::Null));
}

#[tokio::test]
async fn pending_export_is_202_with_location_and_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("location", "https://api.vantage.sh/v2/data_exports/dta_1")
                .insert_header("retry-after", "30"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server).get_data_export("dta_1").await.unwrap();
    assert_eq!(response.body(), &GetDataExportSuccess::Accepted);
    assert_eq!(response.location(), Some("https://api.vantage.sh/v2/data_exports/dta_1"));
    assert_eq!(response.retry_after(), Some(Duration::from_secs(30)));
    // The headers the spec declares for 202, typed.
    let typed: GetDataExportAcceptedHeaders = response.headers_as();
    assert_eq!(typed.location.as_deref(), Some("https://api.vantage.sh/v2/data_exports/dta_1"));
    assert_eq!(typed.retry_after, Some(30));
}

#[tokio::test]
async fn retry_after_may_be_an_http_date() {
    let server = MockServer::start().await;
    let later = httpdate_in(Duration::from_secs(120));
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(202).insert_header("retry-after", later.as_str()))
        .mount(&server)
        .await;
    let wait = client(&server).get_data_export("dta_1").await.unwrap().retry_after().unwrap();
    assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120), "{wait:?}");
}

fn httpdate_in(d: Duration) -> String {
    let t = chrono::Utc::now() + chrono::Duration::from_std(d).unwrap();
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[tokio::test]
async fn errors_bodies_are_typed_by_status() {
    for (status, variant) in [(400, "BadRequest"), (402, "PaymentRequired"), (404, "NotFound")] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({
                "errors": [format!("error {status}")],
                "links": {"self": "https://api.vantage.sh/v2/data_exports/x", "next": null}
            })))
            .mount(&server)
            .await;
        let err = client(&server).get_data_export("x").await.unwrap_err();
        let Error::Api(api) = &err else { panic!("{err:?}") };
        let (name, errors) = match &api.body {
            GetDataExportError::BadRequest(e) => ("BadRequest", e),
            GetDataExportError::PaymentRequired(e) => ("PaymentRequired", e),
            GetDataExportError::NotFound(e) => ("NotFound", e),
            other => panic!("an answer this client does not document: {other:?}"),
        };
        assert_eq!(name, variant);
        let errors = errors.as_ref().expect("the documented body");
        assert_eq!(errors.errors, [format!("error {status}")]);
        assert_eq!(
            errors.links.as_ref().unwrap().self_.as_ref().and_then(Option::as_deref),
            Some("https://api.vantage.sh/v2/data_exports/x")
        );
        assert_eq!(err.status().unwrap().as_u16(), status);
    }
}

#[tokio::test]
async fn a_malformed_body_is_a_decode_error_that_says_where() {
    let server = MockServer::start().await;
    let mut body = at("vantage.yaml", EXAMPLE_200);
    body["manifest"]["files"][0] = json!(42);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .mount(&server)
        .await;
    let err = client(&server).get_data_export("x").await.unwrap_err();
    let Error::Decode(decode) = &err else { panic!("{err:?}") };
    assert_eq!(decode.path, "manifest.files[0]");
    assert!(decode.message.contains("invalid type: integer `42`"), "{}", decode.message);
    assert_eq!(decode.response.status(), 200);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(decode.response.body()).unwrap(), body);
    assert!(err.to_string().contains("at `manifest.files[0]`"), "{err}");
}

#[tokio::test]
async fn a_truncated_body_is_a_decode_error_not_a_panic() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("{\"token\": \"dta", "application/json"),
        )
        .mount(&server)
        .await;
    let err = client(&server).get_data_export("x").await.unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn a_required_field_missing_is_a_decode_error() {
    let server = MockServer::start().await;
    let mut body = at("vantage.yaml", EXAMPLE_200);
    body.as_object_mut().unwrap().remove("manifest");
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .mount(&server)
        .await;
    let err = client(&server).get_data_export("x").await.unwrap_err();
    let Error::Decode(decode) = &err else { panic!("{err:?}") };
    assert!(decode.message.contains("missing field `manifest`"), "{}", decode.message);
}

#[tokio::test]
async fn a_connection_failure_is_a_transport_error() {
    // Bind a port, then free it: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::with_base_url(format!("http://127.0.0.1:{port}"));
    let err = client.get_data_export("x").await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.status().is_none());
}

/// The answer a documented 404 gets, whatever its body.
async fn not_found_with(answer: ResponseTemplate) -> Error<GetDataExportError> {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(answer).mount(&server).await;
    client(&server).get_data_export("x").await.unwrap_err()
}

#[tokio::test]
async fn a_documented_error_status_is_that_error_whatever_its_body() {
    let empty = not_found_with(ResponseTemplate::new(404)).await;
    let html = not_found_with(
        ResponseTemplate::new(404).set_body_raw("<html>Not Found</html>", "text/html"),
    )
    .await;
    let other = not_found_with(ResponseTemplate::new(404).set_body_json(json!({"nope": 1}))).await;
    for e in [&empty, &html, &other] {
        // The README's own match.
        let Error::Api(api) = e else { panic!("a documented error, not {e:?}") };
        assert!(matches!(api.body, GetDataExportError::NotFound(None)), "{e:?}");
    }
    let Error::Api(html) = html else { unreachable!() };
    assert_eq!(html.response.body().as_ref(), b"<html>Not Found</html>");
    assert!(html.unread.is_none());
    // A JSON body that is not the documented one says why.
    let Error::Api(other) = other else { unreachable!() };
    let unread = other.unread.as_ref().expect("why it did not decode");
    assert!(unread.message.contains("errors"), "{unread:?}");
}

#[tokio::test]
async fn a_json_answer_that_does_not_decode_names_its_content_type_when_it_is_not_json() {
    let answer = |template: ResponseTemplate| async move {
        let server = MockServer::start().await;
        Mock::given(method("GET")).respond_with(template).mount(&server).await;
        client(&server).get_data_export("x").await
    };
    let html = answer(ResponseTemplate::new(200).set_body_raw("<html>busy</html>", "text/html"));
    let e = html.await.unwrap_err();
    assert!(matches!(e, Error::UnexpectedContentType(_)), "{e:?}");
    let broken = answer(ResponseTemplate::new(200).set_body_raw("{\"token\":", "application/json"));
    let e = broken.await.unwrap_err();
    assert!(matches!(e, Error::Decode(_)), "{e:?}");
    // A body that decodes is taken whatever it says it is.
    let example = serde_json::to_string(&at("vantage.yaml", EXAMPLE_200)).unwrap();
    let sloppy = answer(ResponseTemplate::new(200).set_body_raw(example, "text/plain"));
    assert!(matches!(sloppy.await.unwrap().into_body(), GetDataExportSuccess::Ok(_)));
}

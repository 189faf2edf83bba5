//! What a user adds to a client: default headers and `User-Agent`, their
//! own HTTP client in any builder order, hooks, idempotency keys, and
//! answers built by hand for their own tests; over real HTTP on loopback.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use generated::runtime::{
    CallInfo, Error, HeaderMap, Hook, HookFuture, Response, ResponseHead, RetryPolicy, StatusCode,
};
use generated::vantage::Client;
use serde_json::json;
use wiremock::matchers::{header, header_exists, method};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::at;

const EXAMPLE_200: &str = "/paths/~1data_exports~1{data_export_token}/get/responses/200/content/application~1json/example";

fn ok_export() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(at("vantage.yaml", EXAMPLE_200))
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy { initial_backoff: Duration::from_millis(5), ..RetryPolicy::default() }
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

fn header_of(request: &Request, name: &str) -> Option<String> {
    request.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

#[tokio::test]
async fn the_user_agent_names_the_crate_and_can_be_replaced() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok_export()).mount(&server).await;
    Client::with_base_url(server.uri()).get_data_export("dta_1").await.unwrap();
    Client::with_base_url(server.uri())
        .with_user_agent("my-service/2.0")
        .get_data_export("dta_1")
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(header_of(&requests[0], "user-agent").as_deref(), Some("generated/0.1.0"));
    assert_eq!(header_of(&requests[1], "user-agent").as_deref(), Some("my-service/2.0"));
}

#[tokio::test]
async fn client_headers_go_with_every_call_and_a_calls_own_wins() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok_export()).mount(&server).await;
    let client = Client::with_base_url(server.uri())
        .with_header("x-tenant", "acme")
        .with_header("x-request-source", "batch")
        .with_access_token("tok");
    client.get_data_export("dta_1").await.unwrap();
    client.get_data_export("dta_1").header("x-tenant", "other").await.unwrap();
    // Credentials are the client's, whatever a default header says.
    Client::with_base_url(server.uri())
        .with_header("authorization", "Bearer forged")
        .with_access_token("tok")
        .get_data_export("dta_1")
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(header_of(&requests[0], "x-tenant").as_deref(), Some("acme"));
    assert_eq!(header_of(&requests[0], "x-request-source").as_deref(), Some("batch"));
    assert_eq!(header_of(&requests[1], "x-tenant").as_deref(), Some("other"));
    assert_eq!(header_of(&requests[2], "authorization").as_deref(), Some("Bearer tok"));
    // Values stay out of Debug: they may be secrets.
    let debug = format!("{:?}", Client::new().with_header("x-api-secret", "s3cr3t"));
    assert!(!debug.contains("s3cr3t"), "{debug}");
}

#[tokio::test]
async fn a_client_header_no_request_can_carry_fails_every_call_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok_export()).expect(0).mount(&server).await;
    let client = Client::with_base_url(server.uri()).with_header("x-id", "a\r\nInjected: 1");
    let e = client.get_data_export("dta_1").await.unwrap_err();
    assert!(matches!(&e, Error::InvalidRequest(m) if m.contains("x-id")), "{e}");
    let e = Client::with_base_url(server.uri())
        .with_header("bad name", "v")
        .get_data_export("dta_1")
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::InvalidRequest(m) if m.contains("bad name")), "{e}");
}

#[tokio::test]
async fn the_users_http_client_survives_any_builder_order() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-from", "users-client"))
        .respond_with(ok_export())
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(418)).mount(&server).await;
    let own = || {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-from", "users-client".parse().unwrap());
        generated::runtime::http_client_builder(Duration::from_secs(1))
            .default_headers(headers)
            .build()
            .unwrap()
    };
    let before = Client::with_base_url(server.uri())
        .with_connect_timeout(Duration::from_secs(2))
        .with_http_client(own());
    let after = Client::with_base_url(server.uri())
        .with_http_client(own())
        .with_connect_timeout(Duration::from_secs(2));
    before.get_data_export("dta_1").await.unwrap();
    after.get_data_export("dta_1").await.unwrap();
}

/// Records what it saw, signs each attempt, and rewrites one answer header.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

impl Hook for Recorder {
    fn on_request<'a>(
        &'a self,
        call: &'a CallInfo,
        request: &'a mut reqwest::Request,
    ) -> HookFuture<'a> {
        Box::pin(async move {
            // Async work (a signing service, say) before the request goes.
            tokio::task::yield_now().await;
            let signature = format!("sig-{}-{}", call.operation, call.attempt);
            request.headers_mut().insert("x-signature", signature.parse()?);
            self.0.lock().unwrap().push(format!(
                "request {} {} {} attempt {} auth={}",
                call.operation,
                call.method,
                call.path,
                call.attempt,
                request.headers().contains_key("authorization"),
            ));
            Ok(())
        })
    }

    fn on_response<'a>(
        &'a self,
        call: &'a CallInfo,
        response: &'a mut ResponseHead,
    ) -> HookFuture<'a> {
        Box::pin(async move {
            self.0.lock().unwrap().push(format!(
                "response {} {} attempt {}",
                call.operation,
                response.status.as_u16(),
                call.attempt
            ));
            response.headers.insert("retry-after", "7".parse()?);
            Ok(())
        })
    }
}

#[tokio::test]
async fn hooks_see_and_change_every_attempt_and_its_answer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-signature", "sig-getDataExport-1"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let hook = Recorder::default();
    let client = Client::with_base_url(server.uri())
        .with_access_token("tok")
        .with_retry(RetryPolicy { max_retry_after: Duration::ZERO, ..fast_retries() })
        .with_hook(hook.clone());
    // The 503 asked nothing; the hook's `Retry-After: 7` is longer than the
    // policy waits, so the rewritten header is what the runtime read.
    let e = client.get_data_export("dta_1").await.unwrap_err();
    assert_eq!(e.retry_after(), Some(Duration::from_secs(7)), "{e}");
    let seen = hook.0.lock().unwrap().clone();
    assert_eq!(
        seen[..2],
        [
            "request getDataExport GET /data_exports/{data_export_token} attempt 1 auth=true",
            "response getDataExport 503 attempt 1",
        ]
    );
}

#[tokio::test]
async fn a_hook_retried_call_is_signed_again() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-signature", "sig-getDataExport-1"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("x-signature", "sig-getDataExport-2"))
        .respond_with(ok_export())
        .mount(&server)
        .await;
    let hook = Recorder::default();
    let client =
        Client::with_base_url(server.uri()).with_retry(fast_retries()).with_hook(hook.clone());
    let answer = client.get_data_export("dta_1").await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.header("retry-after"), Some("7"), "the decoder saw the hook's headers");
    let seen = hook.0.lock().unwrap().len();
    assert_eq!(seen, 4, "two attempts, each seen going and coming");
}

struct Refuse;

impl Hook for Refuse {
    fn on_request<'a>(&'a self, _: &'a CallInfo, _: &'a mut reqwest::Request) -> HookFuture<'a> {
        Box::pin(async { Err("no signing key".into()) })
    }
}

#[tokio::test]
async fn a_hook_that_refuses_fails_the_call_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok_export()).expect(0).mount(&server).await;
    let e = Client::with_base_url(server.uri())
        .with_hook(Refuse)
        .get_data_export("dta_1")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Hook(_)), "{e}");
    assert_eq!(e.to_string(), "a hook refused the call: no signing key");
}

fn fixture_retries() -> fixtures::runtime::RetryPolicy {
    fixtures::runtime::RetryPolicy {
        initial_backoff: Duration::from_millis(5),
        ..fixtures::runtime::RetryPolicy::default()
    }
}

fn pet() -> fixtures::composition::types::CreatePetRequest {
    fixtures::composition::types::CreatePetRequest::new("Tom".into())
}

fn created() -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(json!({"petType": "cat", "name": "Tom"}))
}

#[tokio::test]
async fn a_declared_idempotency_key_makes_posts_safe_to_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(created()).mount(&server).await;
    let client = fixtures::composition::Client::with_base_url(server.uri())
        .with_retry(fixture_retries())
        .with_idempotent_retries(true);
    client.create_pet(&pet()).await.unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "the 503 was retried");
    let key = header_of(&requests[0], "idempotency-key").expect("a key was made");
    assert_eq!(header_of(&requests[1], "idempotency-key"), Some(key.clone()), "the same key");
    assert_eq!(key.len(), 36, "{key}");
    assert_eq!(&key[14..15], "4", "a version 4 UUID's shape: {key}");

    // The next call gets a key of its own; a key the caller gives is used.
    client.create_pet(&pet()).await.unwrap();
    client.create_pet(&pet()).idempotency_key("order-17").await.unwrap();
    let requests = received(&server).await;
    assert_ne!(header_of(&requests[2], "idempotency-key"), Some(key));
    assert_eq!(header_of(&requests[3], "idempotency-key").as_deref(), Some("order-17"));
}

#[tokio::test]
async fn without_opting_in_a_post_gets_no_key_and_no_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client =
        fixtures::composition::Client::with_base_url(server.uri()).with_retry(fixture_retries());
    let e = client.create_pet(&pet()).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(header_of(&requests[0], "idempotency-key"), None);
}

#[tokio::test]
async fn an_idempotency_key_on_one_call_makes_that_post_retryable() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header_exists("idempotency-key"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(header("idempotency-key", "export-2026-12"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": {"id": "dx_1", "status": "pending"}})),
        )
        .mount(&server)
        .await;
    let client = generated::onlyfansapi::Client::with_base_url(server.uri())
        .with_bearer_token("t")
        .with_retry(fast_retries());
    let body = serde_json::from_value(json!({
        "type": "fans", "start_date": "2026-01-01", "end_date": "2026-02-01", "file_type": "csv"
    }))
    .unwrap();
    let answer = client.create_data_export(&body).idempotency_key("export-2026-12").await;
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "retried: {answer:?}");
}

#[test]
fn answers_can_be_built_by_hand_for_the_users_own_tests() {
    use generated::runtime::{ApiError, RawResponse};
    use generated::vantage::types::{GetDataExportError, GetDataExportSuccess};

    let mut headers = HeaderMap::new();
    headers.insert("retry-after", "3".parse().unwrap());
    let answer =
        Response::new(StatusCode::ACCEPTED, headers.clone(), GetDataExportSuccess::Accepted);
    assert_eq!(answer.retry_after(), Some(Duration::from_secs(3)));
    assert!(matches!(answer.body(), GetDataExportSuccess::Accepted));

    let raw = RawResponse::new(StatusCode::NOT_FOUND, headers, "{}".into());
    let e: Error<GetDataExportError> = Error::Api(Box::new(ApiError {
        body: GetDataExportError::NotFound(None),
        response: raw,
        unread: None,
    }));
    assert_eq!(e.status(), Some(StatusCode::NOT_FOUND));
}

#[tokio::test]
async fn a_replaced_schema_decodes_into_the_users_type_and_uuids_are_typed() {
    use fixtures::customized::types::{Money, Order, Status};
    use wiremock::matchers::path;

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/orders/0f9d2a4e-1c3b-4d5e-8f60-718293a4b5c6"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "0F9D2A4E-1C3B-4D5E-8F60-718293A4B5C6",
            "total": {"amount": "12.50", "currency": "EUR"},
            "status": "paid"
        })))
        .mount(&server)
        .await;
    let id: uuid::Uuid = "0f9d2a4e-1c3b-4d5e-8f60-718293a4b5c6".parse().unwrap();
    let order: Order = fixtures::customized::Client::with_base_url(server.uri())
        .get_order(id)
        .await
        .unwrap()
        .into_body();
    assert_eq!(order.id, id);
    let total: &Money = &order.total;
    assert_eq!(total.get("currency").map(String::as_str), Some("EUR"));
    // The derives the settings asked for.
    let mut seen = std::collections::HashSet::new();
    assert!(seen.insert(order.clone()));
    assert!(order.partial_cmp(&order).is_some());
    assert_eq!(order.status, Some(Status::Paid));
}

/// Structs write their own `Serialize` (`serde_struct!`), which reads no
/// `#[serde]` attribute. A derive of the user's that is not the standard
/// library's may read them (a JSON Schema derive reads the wire names), so
/// then serde's derive comes back with its attributes.
#[test]
fn a_derive_that_may_read_serde_attributes_gets_them() {
    let spec = "openapi: 3.0.3
info: {title: Pets, version: '1'}
paths: {}
components:
  schemas:
    Pet:
      type: object
      required: [petName]
      properties:
        petName: {type: string}
        tag: {type: string}
";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pets.yaml");
    std::fs::write(&path, spec).unwrap();
    let module = || codegen::generate_module(&path, "pets").unwrap().source;

    let own = module();
    assert!(own.contains("crate::runtime::serde_struct!(\n        Pet,"), "{own}");
    assert!(!own.contains("#[serde("), "{own}");

    std::fs::write(dir.path().join("pets.codegen.toml"), "derives = [\"Eq\", \"Hash\"]\n").unwrap();
    assert!(!module().contains("#[serde("), "std derives read no serde attribute");

    std::fs::write(dir.path().join("pets.codegen.toml"), "derives = [\"schemars::JsonSchema\"]\n")
        .unwrap();
    let derived = module();
    assert!(
        derived.contains(
            "#[derive(Debug, Clone, PartialEq, ::serde::Serialize, schemars::JsonSchema)]"
        ),
        "{derived}"
    );
    assert!(derived.contains("#[serde(rename = \"petName\")]"), "{derived}");
    assert!(derived.contains("crate::runtime::deserialize_struct!(\n        Pet,"), "{derived}");
}

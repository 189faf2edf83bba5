//! Answers that are streams of items, over real HTTP on loopback: server-sent
//! events and JSON Lines, sent in pieces by a raw TCP server so that lines
//! and events are split where a network splits them, cut, or never end.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use fixtures::runtime::{Event, StreamError};
use fixtures::streams::types::{CompleteRequest, CompleteSuccess, Tick};
use fixtures::streams::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SSE: &str = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
const NDJSON: &str =
    "HTTP/1.1 200 OK\r\ncontent-type: application/x-ndjson\r\nconnection: close\r\n\r\n";

/// A server whose `n`th connection gets `head` and then the `n`th list of
/// pieces (the last list again for every later one), then is closed. It
/// records each request's head.
async fn scripted(
    head: &'static str,
    script: Vec<Vec<Vec<u8>>>,
) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        let mut n = 0;
        while let Ok((mut socket, _)) = listener.accept().await {
            let pieces = script[n.min(script.len() - 1)].clone();
            n += 1;
            let log = log.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let read = socket.read(&mut buf).await.unwrap_or(0);
                log.lock().unwrap().push(String::from_utf8_lossy(&buf[..read]).to_lowercase());
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for piece in pieces {
                    tokio::time::sleep(Duration::from_millis(2)).await;
                    if socket.write_all(&piece).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (uri, seen)
}

fn pieces(parts: &[&str]) -> Vec<Vec<u8>> {
    parts.iter().map(|p| p.as_bytes().to_vec()).collect()
}

fn tick(symbol: &str, price: f64) -> Tick {
    Tick::new(symbol.to_string(), price)
}

async fn all<T>(
    mut next: impl AsyncFnMut() -> Option<Result<T, StreamError>>,
) -> Vec<Result<T, StreamError>> {
    let mut out = Vec::new();
    while let Some(item) = next().await {
        out.push(item);
        assert!(out.len() < 100, "the stream does not end");
    }
    out
}

#[tokio::test]
async fn events_split_anywhere_are_typed_with_their_fields() {
    // Line ends of all three kinds, a comment, a field with no space, an
    // event split inside a line and inside a `\r\n`, and a multi-line data.
    let (uri, seen) = scripted(
        SSE,
        vec![pieces(&[
            ": keep-alive\n\nid: 1\nevent: tick\ndata: {\"symbol\":\"AB\",",
            "\"price\":1.5}\r",
            "\n\r\nretry: 250\ndata:{\"symbol\":\"CD\",\r",
            "\ndata: \"price\":2}\r\r",
        ])],
    )
    .await;
    let response = Client::with_base_url(&uri).watch_ticks("AB").await.unwrap();
    let mut stream = response.into_body();
    let got = all(async || stream.next().await).await;
    let got: Vec<Event<Tick>> = got.into_iter().map(Result::unwrap).collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].data, tick("AB", 1.5));
    assert_eq!(got[0].event.as_deref(), Some("tick"));
    assert_eq!(got[0].id.as_deref(), Some("1"));
    assert_eq!(got[1].data, tick("CD", 2.0));
    assert_eq!(got[1].event, None, "the event type is the event's own");
    assert_eq!(got[1].id.as_deref(), Some("1"), "the last event ID stays until it is set");
    assert_eq!(got[1].retry, Some(Duration::from_millis(250)));
    let request = &seen.lock().unwrap()[0];
    assert!(request.contains("accept: text/event-stream"), "{request}");
}

#[tokio::test]
async fn a_stream_cut_mid_event_says_so_and_ends() {
    let (uri, _) = scripted(
        SSE,
        vec![pieces(&["data: {\"symbol\":\"AB\",\"price\":1}\n\n", "data: {\"symbol\":\"CD\""])],
    )
    .await;
    let mut stream = Client::with_base_url(&uri).watch_ticks("AB").await.unwrap().into_body();
    let got = all(async || stream.next().await).await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].as_ref().unwrap().data, tick("AB", 1.0));
    assert!(matches!(got[1], Err(StreamError::Cut)), "{got:?}");
}

#[tokio::test]
async fn an_event_that_does_not_decode_is_an_error_and_the_stream_goes_on() {
    let (uri, _) = scripted(
        SSE,
        vec![pieces(&["data: {\"symbol\":3}\n\n", "data: {\"symbol\":\"AB\",\"price\":1}\n\n"])],
    )
    .await;
    let mut stream = Client::with_base_url(&uri).watch_ticks("AB").await.unwrap().into_body();
    let got = all(async || stream.next().await).await;
    assert_eq!(got.len(), 2, "{got:?}");
    match &got[0] {
        Err(StreamError::Decode { data, .. }) => assert_eq!(data, "{\"symbol\":3}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(got[1].as_ref().unwrap().data, tick("AB", 1.0));
}

#[tokio::test]
async fn an_event_larger_than_the_limit_ends_the_stream() {
    // 64 KiB of one `data:` line that never ends, in 1 KiB pieces.
    let endless: Vec<Vec<u8>> = std::iter::once(b"data: ".to_vec())
        .chain(std::iter::repeat_n(vec![b'x'; 1024], 64))
        .collect();
    let (uri, _) = scripted(SSE, vec![endless]).await;
    let response = Client::with_base_url(&uri).watch_ticks("AB").await.unwrap();
    let mut stream = response.into_body().max_item_size(4096);
    let got = all(async || stream.next().await).await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(matches!(got[0], Err(StreamError::TooLarge { limit: 4096 })), "{got:?}");
    // Many data lines, each short, count toward the one event too.
    let lines: Vec<Vec<u8>> = std::iter::repeat_n(b"data: 0123456789\n".to_vec(), 400).collect();
    let (uri, _) = scripted(SSE, vec![lines]).await;
    let response = Client::with_base_url(&uri).watch_ticks("AB").await.unwrap();
    let mut stream = response.into_body().max_item_size(4096);
    let got = all(async || stream.next().await).await;
    assert!(matches!(got[..], [Err(StreamError::TooLarge { .. })]), "{got:?}");
}

#[tokio::test]
async fn a_stream_asked_to_reconnect_resumes_from_the_last_event_id() {
    let (uri, seen) = scripted(
        SSE,
        vec![
            pieces(&[
                "retry: 10\nid: 7\ndata: {\"symbol\":\"AB\",\"price\":1}\n\n",
                "data: {\"sym",
            ]),
            pieces(&["id: 8\ndata: {\"symbol\":\"CD\",\"price\":2}\n\n"]),
        ],
    )
    .await;
    let response = Client::with_base_url(&uri).watch_ticks("AB").await.unwrap();
    let mut stream = response.into_body().reconnect(3);
    let got = all(async || stream.next().await).await;
    let ids: Vec<_> = got.iter().map(|e| e.as_ref().unwrap().id.clone().unwrap()).collect();
    assert_eq!(ids, ["7", "8"], "{got:?}");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert!(!seen[0].contains("last-event-id"), "{}", seen[0]);
    assert!(seen[1].contains("last-event-id: 7"), "{}", seen[1]);
    assert!(seen[1].contains("/ticks?symbol=ab"), "the same request again: {}", seen[1]);
}

#[tokio::test]
async fn reconnecting_stops_after_the_attempts_asked_for() {
    // The first connection gives an event, and every later one is cut
    // before its first: attempts count in a row, since the last event.
    let (uri, seen) = scripted(
        SSE,
        vec![
            pieces(&["retry: 1\nid: 1\ndata: {\"symbol\":\"AB\",\"price\":1}\n\ndata: x"]),
            pieces(&["data: x"]),
        ],
    )
    .await;
    let response = Client::with_base_url(&uri).watch_ticks("AB").await.unwrap();
    let mut stream = response.into_body().reconnect(2);
    let got = all(async || stream.next().await).await;
    assert!(matches!(got[..], [Ok(_), Err(StreamError::Cut)]), "{got:?}");
    assert_eq!(seen.lock().unwrap().len(), 3, "the first connection and two more");
}

#[tokio::test]
async fn a_feed_asked_to_reconnect_at_its_end_resumes_until_the_server_says_204() {
    // Each connection ends cleanly, between events, as a proxy closing an
    // idle connection does; the third answers 204, which ends the feed.
    let event = |id: u32| {
        format!("{SSE}retry: 1\nid: {id}\ndata: {{\"symbol\":\"AB\",\"price\":{id}}}\n\n")
            .into_bytes()
    };
    let (uri, seen) = scripted(
        "",
        vec![
            vec![event(1)],
            vec![event(2)],
            pieces(&["HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n"]),
        ],
    )
    .await;
    let response = Client::with_base_url(&uri).watch_ticks("AB").await.unwrap();
    let mut stream = response.into_body().reconnect(3).reconnect_at_end(true);
    let got = all(async || stream.next().await).await;
    let ids: Vec<_> = got.iter().map(|e| e.as_ref().unwrap().id.clone().unwrap()).collect();
    assert_eq!(ids, ["1", "2"], "{got:?}");
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 3, "two streams, then the 204");
        assert!(seen[1].contains("last-event-id: 1"), "{}", seen[1]);
        assert!(seen[2].contains("last-event-id: 2"), "{}", seen[2]);
    }

    // Without it, a clean end is the end: one connection.
    let (uri, seen) = scripted("", vec![vec![event(1)], vec![event(2)]]).await;
    let response = Client::with_base_url(&uri).watch_ticks("AB").await.unwrap();
    let mut stream = response.into_body().reconnect(3);
    let got = all(async || stream.next().await).await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_feed_that_ends_empty_stops_after_the_attempts_asked_for() {
    let empty = format!("{SSE}retry: 1\n: nothing yet\n\n").into_bytes();
    let (uri, seen) = scripted("", vec![vec![empty]]).await;
    let response = Client::with_base_url(&uri).watch_ticks("AB").await.unwrap();
    let mut stream = response.into_body().reconnect(2).reconnect_at_end(true);
    let got = all(async || stream.next().await).await;
    assert!(got.is_empty(), "{got:?}");
    assert_eq!(seen.lock().unwrap().len(), 3, "the first connection and two more");
}

#[tokio::test]
async fn text_events_are_their_text() {
    let (uri, seen) =
        scripted(SSE, vec![pieces(&["data: Hello\ndata: world\n\n", "data: [DONE]\n\n"])]).await;
    let response =
        Client::with_base_url(&uri).complete(&CompleteRequest::new("hi".into())).await.unwrap();
    let CompleteSuccess::OkEventStream(mut stream) = response.into_body() else {
        panic!("answered as an event stream");
    };
    let got = all(async || stream.next().await).await;
    let data: Vec<String> = got.into_iter().map(|e| e.unwrap().data).collect();
    assert_eq!(data, ["Hello\nworld", "[DONE]"]);
    let request = &seen.lock().unwrap()[0];
    assert!(request.contains("accept: application/json, text/event-stream"), "{request}");
}

#[tokio::test]
async fn json_lines_are_typed_items() {
    let (uri, _) = scripted(
        NDJSON,
        vec![pieces(&[
            "{\"symbol\":\"AB\",\"price\":1}\r\n\n{\"symbol\":\"CD\",",
            "\"price\":2}\n\u{1e}{\"symbol\":\"EF\",\"price\":3}\n{\"symbol\":\"GH\",\"price\":4}",
        ])],
    )
    .await;
    let mut lines = Client::with_base_url(&uri).export_ticks().await.unwrap().into_body();
    let got = all(async || lines.next().await).await;
    let got: Vec<Tick> = got.into_iter().map(Result::unwrap).collect();
    let want = [tick("AB", 1.0), tick("CD", 2.0), tick("EF", 3.0), tick("GH", 4.0)];
    assert_eq!(got, want, "a last line without its line feed is an item");
}

#[tokio::test]
async fn json_lines_cut_or_too_long_say_so() {
    let (uri, _) =
        scripted(NDJSON, vec![pieces(&["{\"symbol\":\"AB\",\"price\":1}\n{\"symbol\":\"C"])]).await;
    let mut lines = Client::with_base_url(&uri).export_ticks().await.unwrap().into_body();
    let got = all(async || lines.next().await).await;
    assert!(matches!(got[..], [Ok(_), Err(StreamError::Cut)]), "{got:?}");

    let long: Vec<Vec<u8>> = std::iter::repeat_n(vec![b' '; 1024], 64).collect();
    let (uri, _) = scripted(NDJSON, vec![long]).await;
    let lines = Client::with_base_url(&uri).export_ticks().await.unwrap().into_body();
    let mut lines = lines.max_item_size(2048);
    let got = all(async || lines.next().await).await;
    assert!(matches!(got[..], [Err(StreamError::TooLarge { limit: 2048 })]), "{got:?}");
}

/// Both are `futures::Stream`s, for the combinators callers use.
#[test]
fn streams_are_streams() {
    fn is_stream<S: fixtures::runtime::Stream + Send + Unpin>() {}
    is_stream::<fixtures::runtime::EventStream<Tick>>();
    is_stream::<fixtures::runtime::JsonLines<Tick>>();
}

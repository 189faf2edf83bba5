//! Typed multipart bodies over real HTTP on loopback: what the server
//! receives, part by part, from a generated form struct.

use fixtures::runtime::{Error, FilePart};
use fixtures::streams::types::{UploadAvatarForm, UploadAvatarRequestCrop};
use fixtures::streams::Client;
use wiremock::matchers::{header_regex, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The body's parts: (headers, content) of each, split at the boundary the
/// `Content-Type` names.
fn parts(request: &wiremock::Request) -> Vec<(String, Vec<u8>)> {
    let content_type = request.headers.get("content-type").unwrap().to_str().unwrap();
    let boundary = content_type.split("boundary=").nth(1).unwrap();
    let delimiter = format!("--{boundary}");
    let body = &request.body;
    let mut out = Vec::new();
    let starts: Vec<usize> = body
        .windows(delimiter.len())
        .enumerate()
        .filter(|(_, w)| *w == delimiter.as_bytes())
        .map(|(i, _)| i)
        .collect();
    for pair in starts.windows(2) {
        let part = &body[pair[0] + delimiter.len() + 2..pair[1] - 2];
        let split = part.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&part[..split]).to_lowercase();
        out.push((head, part[split + 4..].to_vec()));
    }
    out
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/avatars"))
        .and(header_regex("content-type", "^multipart/form-data; boundary="))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn every_part_is_sent_as_its_schema_says() {
    let server = server().await;
    let mut form = UploadAvatarForm::new(
        FilePart::bytes(b"\x89PNG...".to_vec()).file_name("me.png").content_type("image/png"),
    );
    form.caption = Some("on holiday".into());
    form.tags = Some(vec!["sea".into(), "sun".into()]);
    form.size = Some(128);
    let mut crop = UploadAvatarRequestCrop::default();
    crop.x = Some(4);
    form.crop = Some(crop);
    form.extras = Some(vec![FilePart::bytes(&b"one"[..]), FilePart::bytes(&b"two"[..])]);
    Client::with_base_url(server.uri()).upload_avatar(form).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let got = parts(&requests[0]);
    let named = |name: &str| -> Vec<&(String, Vec<u8>)> {
        got.iter().filter(|(h, _)| h.contains(&format!("name=\"{name}\""))).collect()
    };
    let image = named("image");
    assert_eq!(image.len(), 1);
    assert!(image[0].0.contains("filename=\"me.png\""), "{}", image[0].0);
    assert!(image[0].0.contains("content-type: image/png"), "{}", image[0].0);
    assert_eq!(image[0].1, b"\x89PNG...");
    assert_eq!(named("caption")[0].1, b"on holiday");
    let tags: Vec<&[u8]> = named("tags").iter().map(|(_, b)| b.as_slice()).collect();
    assert_eq!(tags, [&b"sea"[..], b"sun"], "a list of scalars is one part per item");
    assert_eq!(named("size")[0].1, b"128");
    // The spec's `encoding` types: a JSON type for a structured value, a
    // text type for each text part, a file's default; nothing where the
    // spec's text is no media type.
    let crop = named("crop");
    assert!(crop[0].0.contains("content-type: application/vnd.crop+json"), "{}", crop[0].0);
    assert_eq!(crop[0].1, br#"{"x":4}"#);
    assert!(named("tags").iter().all(|(h, _)| h.contains("content-type: text/x-tag")), "{got:?}");
    assert!(!named("size")[0].0.contains("content-type"), "{}", named("size")[0].0);
    assert!(!named("caption")[0].0.contains("content-type"), "{}", named("caption")[0].0);
    let extras: Vec<&[u8]> = named("extras").iter().map(|(_, b)| b.as_slice()).collect();
    assert_eq!(extras, [&b"one"[..], b"two"]);
    assert!(named("extras").iter().all(|(h, _)| h.contains("content-type: image/webp")), "{got:?}");
    assert_eq!(got.len(), 8, "no part for what was not set");
}

#[tokio::test]
async fn files_are_streamed_from_disk_or_a_stream() {
    let server = server().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("portrait.jpg");
    std::fs::write(&file, vec![7u8; 300_000]).unwrap();
    let form = UploadAvatarForm::new(FilePart::open(&file).await.unwrap());
    Client::with_base_url(server.uri()).upload_avatar(form).await.unwrap();

    let chunks = futures_stream(vec![b"abc".to_vec(), b"def".to_vec()]);
    let mut form = UploadAvatarForm::new(FilePart::stream(chunks).file_name("s.bin"));
    form.caption = Some("streamed".into());
    Client::with_base_url(server.uri()).upload_avatar(form).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let first = parts(&requests[0]);
    assert!(first[0].0.contains("filename=\"portrait.jpg\""), "{}", first[0].0);
    assert!(
        first[0].0.contains("content-type: application/octet-stream"),
        "a file's default (RFC 7578): {}",
        first[0].0
    );
    assert_eq!(first[0].1.len(), 300_000);
    let second = parts(&requests[1]);
    assert_eq!(second[0].1, b"abcdef");
}

#[tokio::test]
async fn a_part_that_cannot_be_sent_fails_before_sending() {
    let server = server().await;
    let form = UploadAvatarForm::new(FilePart::bytes(&b"x"[..]).content_type("not a type"));
    let err = Client::with_base_url(server.uri()).upload_avatar(form).await.unwrap_err();
    match err {
        Error::InvalidRequest(m) => assert!(m.contains("`image`"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// A stream of chunks, as a download or a reader would give them.
fn futures_stream(
    chunks: Vec<Vec<u8>>,
) -> impl fixtures::runtime::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    struct Chunks(std::vec::IntoIter<Vec<u8>>);
    impl fixtures::runtime::Stream for Chunks {
        type Item = Result<Vec<u8>, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.0.next().map(Ok))
        }
    }
    Chunks(chunks.into_iter())
}

/// An operation that accepts several media types: its method sends the
/// default (JSON), and its `_as` method the one the caller chooses.
#[tokio::test]
async fn the_caller_chooses_among_the_media_types_an_operation_accepts() {
    use fixtures::streams::types::{CreateNoteBody, CreateNoteForm, Note};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/notes"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let client = Client::with_base_url(server.uri());
    let note = Note::new("hi there".into());
    client.create_note(Some(&note)).await.unwrap();
    client.create_note_as(Some(CreateNoteBody::Form(&note))).await.unwrap();
    client.create_note_as(Some(CreateNoteBody::Text("plain"))).await.unwrap();
    let mut form = CreateNoteForm::default();
    form.text = Some("in parts".into());
    client.create_note_as(Some(CreateNoteBody::Multipart(form))).await.unwrap();
    client.create_note_as(None).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let sent: Vec<(String, String)> = requests
        .iter()
        .map(|r| {
            let ct = r.headers.get("content-type").map_or("", |v| v.to_str().unwrap());
            (
                ct.split(';').next().unwrap().to_string(),
                String::from_utf8_lossy(&r.body).into_owned(),
            )
        })
        .collect();
    assert_eq!(sent[0], ("application/json".into(), r#"{"text":"hi there"}"#.into()));
    assert_eq!(sent[1], ("application/x-www-form-urlencoded".into(), "text=hi+there".into()));
    assert_eq!(sent[2], ("text/plain".into(), "plain".into()));
    assert_eq!(sent[3].0, "multipart/form-data");
    assert!(sent[3].1.contains("name=\"text\"") && sent[3].1.contains("in parts"), "{}", sent[3].1);
    assert_eq!(sent[4], (String::new(), String::new()), "no body at all");
}

//! Typed `multipart/form-data` bodies: a generated struct per operation
//! (`types::UploadAvatarForm`), whose files are [`FilePart`]s, turned into
//! reqwest's parts when the call is sent.

use super::request::{ParamValue, Request};
use super::*;

/// A file in a multipart body: its content (bytes, or a stream read as it is
/// sent), with the file name and content type the server is told.
pub struct FilePart {
    content: FileContent,
    file_name: Option<String>,
    content_type: Option<String>,
}

enum FileContent {
    Bytes(Bytes),
    Stream(reqwest::Body, Option<u64>),
}

impl FilePart {
    /// A file already in memory.
    pub fn bytes(content: impl Into<Bytes>) -> Self {
        FilePart {
            content: FileContent::Bytes(content.into()),
            file_name: None,
            content_type: None,
        }
    }

    /// A file read as it is sent, never whole in memory: a stream of chunks
    /// (a download, a file read in pieces). Such a body cannot be sent
    /// twice, so the call is not retried.
    pub fn stream<S>(stream: S) -> Self
    where
        S: futures_core::TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        Bytes: From<S::Ok>,
    {
        let body = reqwest::Body::wrap_stream(stream);
        FilePart { content: FileContent::Stream(body, None), file_name: None, content_type: None }
    }

    /// The file at `path`, read as it is sent; its file name is the path's.
    pub async fn open(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let file = tokio::fs::File::open(path).await?;
        let length = file.metadata().await?.len();
        let content = FileContent::Stream(reqwest::Body::from(file), Some(length));
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        Ok(FilePart { content, file_name, content_type: None })
    }

    /// The file name the server is told (`filename=` of the part).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's `Content-Type` (`image/png`); `application/octet-stream`
    /// when none is set, as RFC 7578 says a file part is by default.
    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }

    fn into_part(self) -> Result<multipart::Part, String> {
        let mut part = match self.content {
            FileContent::Bytes(bytes) => {
                let length = bytes.len() as u64;
                multipart::Part::stream_with_length(reqwest::Body::from(bytes), length)
            }
            FileContent::Stream(body, Some(length)) => {
                multipart::Part::stream_with_length(body, length)
            }
            FileContent::Stream(body, None) => multipart::Part::stream(body),
        };
        if let Some(name) = self.file_name {
            part = part.file_name(name);
        }
        let media = self.content_type.as_deref().unwrap_or("application/octet-stream");
        part = part
            .mime_str(media)
            .map_err(|_| format!("`{media}` is not a media type a part can have"))?;
        Ok(part)
    }
}

impl From<Bytes> for FilePart {
    fn from(bytes: Bytes) -> Self {
        FilePart::bytes(bytes)
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::bytes(bytes)
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let content = match &self.content {
            FileContent::Bytes(b) => format!("{} bytes", b.len()),
            FileContent::Stream(_, Some(n)) => format!("a stream of {n} bytes"),
            FileContent::Stream(_, None) => "a stream".to_string(),
        };
        f.debug_struct("FilePart")
            .field("content", &content)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// A typed multipart body: generated for each operation that takes one.
#[doc(hidden)]
pub trait IntoMultipart {
    fn into_multipart(self) -> Result<Multipart, String>;
}

/// The parts of a multipart body, added by a generated `into_multipart`:
/// scalars as text, other values as JSON, files as themselves.
#[doc(hidden)]
pub struct FormParts {
    form: Multipart,
    error: Option<String>,
}

impl Default for FormParts {
    fn default() -> Self {
        FormParts { form: Multipart::new(), error: None }
    }
}

/// The `_as` methods send the part with the media type the spec's
/// `encoding` gives it (a file's own content type still wins).
impl FormParts {
    pub fn text<V: ParamValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        self.text_part(name, value, None);
    }

    pub fn text_as<V: ParamValue + ?Sized>(
        &mut self,
        name: &'static str,
        value: &V,
        media: &'static str,
    ) {
        self.text_part(name, value, Some(media));
    }

    fn text_part<V: ParamValue + ?Sized>(
        &mut self,
        name: &'static str,
        value: &V,
        media: Option<&'static str>,
    ) {
        let text = value.to_param().into_owned();
        self.add(name, |form| {
            let part = multipart::Part::text(text);
            Ok(form.part(name, with_media(part, media)?))
        });
    }

    pub fn texts<V: ParamValue>(&mut self, name: &'static str, values: &[V]) {
        for v in values {
            self.text_part(name, v, None);
        }
    }

    pub fn texts_as<V: ParamValue>(
        &mut self,
        name: &'static str,
        values: &[V],
        media: &'static str,
    ) {
        for v in values {
            self.text_part(name, v, Some(media));
        }
    }

    pub fn json<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.json_as(name, value, "application/json");
    }

    /// `media` is a JSON media type (`application/vnd.api+json`): the
    /// generator gives no other here.
    pub fn json_as<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        media: &'static str,
    ) {
        let json = serde_json::to_string(value).map_err(|e| e.to_string());
        self.add(name, |form| {
            Ok(form.part(name, with_media(multipart::Part::text(json?), Some(media))?))
        });
    }

    pub fn file(&mut self, name: &'static str, file: FilePart) {
        self.add(name, |form| Ok(form.part(name, file.into_part()?)));
    }

    pub fn file_as(&mut self, name: &'static str, mut file: FilePart, media: &'static str) {
        file.content_type.get_or_insert_with(|| media.to_owned());
        self.file(name, file);
    }

    pub fn files(&mut self, name: &'static str, files: Vec<FilePart>) {
        for file in files {
            self.file(name, file);
        }
    }

    pub fn files_as(&mut self, name: &'static str, files: Vec<FilePart>, media: &'static str) {
        for file in files {
            self.file_as(name, file, media);
        }
    }

    fn add(&mut self, name: &str, add: impl FnOnce(Multipart) -> Result<Multipart, String>) {
        if self.error.is_some() {
            return;
        }
        let form = std::mem::take(&mut self.form);
        match add(form) {
            Ok(form) => self.form = form,
            Err(e) => self.error = Some(format!("the part `{name}` cannot be sent: {e}")),
        }
    }

    pub fn finish(self) -> Result<Multipart, String> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.form),
        }
    }
}

fn with_media(part: multipart::Part, media: Option<&str>) -> Result<multipart::Part, String> {
    match media {
        Some(media) => part
            .mime_str(media)
            .map_err(|_| format!("`{media}` is not a media type a part can have")),
        None => Ok(part),
    }
}

impl Request {
    /// A typed multipart body; a part that cannot be sent fails the call
    /// before anything is.
    pub fn multipart_body<F: IntoMultipart>(&mut self, body: F) {
        match body.into_multipart() {
            Ok(form) => self.multipart(form),
            Err(e) => self.fail(e),
        }
    }
}

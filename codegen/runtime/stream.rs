//! Answers whose bodies are read as they arrive: `Incoming` until the
//! status is known, `ByteStream` for files handed to the caller.

use super::client::{causes, Failure};
use super::response::media_type_is;
use super::*;

/// An answer whose body has not been read yet.
pub struct Incoming {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) response: reqwest::Response,
    /// The most of the body `read` takes into memory.
    pub(crate) limit: usize,
    /// How to send the request again, for event streams that reconnect.
    pub(crate) resume: Option<super::items::Resume>,
}

impl Incoming {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Does the `Content-Type` match `pattern` (`text/csv`, `text/*`, `*/*`)?
    pub fn media_type_is(&self, pattern: &str) -> bool {
        media_type_is(&self.headers, pattern)
    }

    /// Reads the whole body (within the call's timeout), up to the client's
    /// body limit.
    pub async fn read<E>(self) -> Result<RawResponse, Error<E>> {
        self.read_whole().await.map_err(Failure::into_error)
    }

    /// The body in memory, refused as soon as it is known to pass the limit:
    /// from its `Content-Length`, else while it arrives, so that a server
    /// sending without end costs at most the limit.
    pub(crate) async fn read_whole(mut self) -> Result<RawResponse, Failure> {
        let limit = self.limit;
        let too_large =
            |this: Self| Failure::TooLarge { limit, status: this.status, headers: this.headers };
        let declared = self.response.content_length();
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(too_large(self));
        }
        let mut body = bytes::BytesMut::with_capacity(declared.unwrap_or(0) as usize);
        while let Some(chunk) = self.response.chunk().await.map_err(Failure::Http)? {
            if chunk.len() > limit - body.len() {
                return Err(too_large(self));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(RawResponse::new(self.status, self.headers, body.freeze()))
    }

    /// The status and headers, and the body as a stream.
    #[doc(hidden)]
    pub fn into_stream(self) -> (RawResponse, ByteStream) {
        (RawResponse::new(self.status, self.headers, Bytes::new()), ByteStream(Some(self.response)))
    }
}

/// A body that is a file (CSV, binary): read as it arrives, never buffered
/// whole unless asked. The call's timeout covers reading it too; set a longer
/// one (or none) on the client for large downloads.
pub struct ByteStream(Option<reqwest::Response>);

impl ByteStream {
    /// The next piece of the body; `None` at its end.
    pub async fn next_chunk(&mut self) -> std::io::Result<Option<Bytes>> {
        let Some(response) = self.0.as_mut() else { return Ok(None) };
        match response.chunk().await.map_err(io_error)? {
            Some(chunk) => Ok(Some(chunk)),
            None => {
                self.0 = None;
                Ok(None)
            }
        }
    }

    /// The whole body in memory.
    pub async fn collect(mut self) -> std::io::Result<Bytes> {
        let mut all = Vec::new();
        while let Some(chunk) = self.next_chunk().await? {
            all.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(all))
    }

    /// Copies the body into `writer` as it arrives; returns the bytes written.
    pub async fn write_to<W: tokio::io::AsyncWrite + Unpin + ?Sized>(
        mut self,
        writer: &mut W,
    ) -> std::io::Result<u64> {
        use tokio::io::AsyncWriteExt;
        let mut written = 0;
        while let Some(chunk) = self.next_chunk().await? {
            writer.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        writer.flush().await?;
        Ok(written)
    }

    /// Writes the body to a new file at `path` (replacing one that is there).
    pub async fn write_to_file(self, path: impl AsRef<std::path::Path>) -> std::io::Result<u64> {
        let mut file = tokio::fs::File::create(path).await?;
        self.write_to(&mut file).await
    }
}

/// Any answer's body as a stream, e.g. a pre-signed download URL's.
impl From<reqwest::Response> for ByteStream {
    fn from(response: reqwest::Response) -> Self {
        ByteStream(Some(response))
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() { "ByteStream { .. }" } else { "ByteStream { done }" })
    }
}

/// A body read error as I/O, saying what happened: timeouts are `TimedOut`
/// (reqwest calls them "error decoding response body").
pub(crate) fn io_error(e: reqwest::Error) -> std::io::Error {
    let e = e.without_url();
    if e.is_timeout() {
        return std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            "the call's timeout ran out while the body was being read",
        );
    }
    std::io::Error::other(format!("the body could not be read: {}", causes(&e)))
}

//! The runtime every generated client module shares: building requests,
//! applying credentials, sending, and reading answers into typed results.
//!
//! Generated methods stay small because the work is here, written once.

mod client;
mod credentials;
mod decode;
mod encode;
mod error;
mod forms;
mod hook;
mod items;
mod pages;
mod poll;
mod request;
mod response;
mod retry;
mod stream;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

// What users of a generated client name.
pub use client::{
    http_client_builder, Call, NoParams, Params, DEFAULT_BODY_LIMIT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_TIMEOUT,
};
pub use credentials::{ClientCredentials, Secret};
pub use error::{ApiError, AuthError, DecodeError, Error};
pub use forms::FilePart;
pub use hook::{CallInfo, Hook, HookError, HookFuture, ResponseHead};
pub use items::{Event, EventStream, JsonLines, StreamError, DEFAULT_ITEM_LIMIT};
pub use pages::{PageItems, Pages};
pub use poll::{poll_until, PollError, PollPolicy};
pub use response::{FromHeaderValue, FromHeaders, RawResponse, Response};
pub use retry::{retry_after, RetryPolicy};
pub use stream::ByteStream;

// What generated code calls: public so that any generated crate compiles
// warning-free whichever parts it uses, hidden from the docs.
#[doc(hidden)]
pub use client::{Answer, ClientCore, RawDecoder, Split};
#[doc(hidden)]
pub use credentials::{Credential, KeyLocation};
#[doc(hidden)]
pub use decode::{
    enum_value, field, from_json_value, json_text, read_extra, read_field, skip_value, try_variant,
    Key,
};
#[doc(hidden)]
pub use encode::{FieldSink, MapFields, StructFields};
#[doc(hidden)]
pub use forms::{FormParts, IntoMultipart};
#[doc(hidden)]
pub use items::{item_json, item_text, ItemDecoder};
#[doc(hidden)]
pub use pages::{PageStyle, Paged, Paging};
#[doc(hidden)]
pub use request::{path_segment, ParamValue, Request};
#[doc(hidden)]
pub use response::typed_header;
#[doc(hidden)]
pub use stream::Incoming;
// The macros generated types expand, for this crate alone; a crate whose
// specs have no struct or no string enum leaves some unused.
#[allow(unused_imports)]
pub(crate) use client::client_settings;
#[allow(unused_imports)]
pub(crate) use decode::{deserialize_struct, string_enum, unknown_key};
#[allow(unused_imports)]
pub(crate) use encode::{serde_struct, serialize_struct};

pub use bytes::Bytes;
/// The `Stream` trait event streams and JSON Lines implement (`futures::StreamExt`
/// works on them).
pub use futures_core::Stream;
/// The HTTP client the generated clients use, so that callers build a
/// [`reqwest::Client`] for `with_http_client` (or fetch a pre-signed download
/// URL) with the very version this crate was built with.
pub use reqwest;
pub use reqwest::header::HeaderMap;
/// Parts for `multipart/form-data` bodies (`multipart::Part::bytes(...)`).
pub use reqwest::multipart;
/// A `multipart/form-data` body: build the parts the operation documents.
pub use reqwest::multipart::Form as Multipart;
pub use reqwest::{Method, StatusCode};

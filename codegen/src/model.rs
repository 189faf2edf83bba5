//! The intermediate model: what the API *means*, in terms that a Rust emitter
//! needs, with no trace of how the spec spelled it (no openapiv3 types) and no
//! Rust tokens. Names here are the spec's own strings; the `name` stage turns
//! them into Rust identifiers.
//!
//! Types live in an arena (`Api::types`) and refer to each other by `TypeId`,
//! so recursive schemas are just ids, and order is settled once, here.

use crate::pointer::Pointer;

#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// Set when only a slice of the API is generated: what it holds.
    pub part_of: Option<String>,
    /// Absolute base URLs, in the spec's order; the first is the default.
    pub servers: Vec<Server>,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    pub security_schemes: Vec<SecurityScheme>,
    /// Which operations share generated code; decided by `analyze`.
    pub sharing: Sharing,
    /// Which Cargo features compile what; decided by `analyze::features`.
    pub features: Features,
}

/// A Cargo feature per tag (operations without one are the group
/// `untagged`): an operation is compiled when a feature of one of its tags
/// is on, and a type when an operation that reaches it is. Indexes are
/// into `groups`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Features {
    /// The tags, sorted, and `untagged` last when some operation has none.
    pub groups: Vec<String>,
    /// Per operation: its groups.
    pub ops: Vec<Gate>,
    /// Per operation: what compiles its error enum, which operations that
    /// answer the same errors share (see `Sharing::errors_of`).
    pub errors: Vec<Gate>,
    /// Per type.
    pub types: Vec<Gate>,
    /// Per shared decoder.
    pub decoders: Vec<Gate>,
    /// Per operation: what compiles its struct of optional parameters,
    /// which operations that set the same ones share (`Sharing::params_of`).
    pub params: Vec<Gate>,
}

impl Features {
    const ALWAYS: &'static Gate = &Gate::Always;

    /// An operation's gate; `Always` when there are no features (a single
    /// file, whose crate declares none).
    pub fn op(&self, i: usize) -> &Gate {
        self.ops.get(i).unwrap_or(Self::ALWAYS)
    }

    pub fn error(&self, i: usize) -> &Gate {
        self.errors.get(i).unwrap_or(Self::ALWAYS)
    }

    pub fn params(&self, i: usize) -> &Gate {
        self.params.get(i).unwrap_or(Self::ALWAYS)
    }

    pub fn ty(&self, i: usize) -> &Gate {
        self.types.get(i).unwrap_or(Self::ALWAYS)
    }

    pub fn decoder(&self, i: usize) -> &Gate {
        self.decoders.get(i).unwrap_or(Self::ALWAYS)
    }
}

/// When an item is compiled.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Gate {
    /// Whatever features are on: a type every group reaches.
    #[default]
    Always,
    /// With the feature `all`: a type no operation reaches, and what it is
    /// made of that no operation reaches either.
    All,
    /// When a feature of one of these groups is on (sorted, not empty).
    Any(Vec<u32>),
}

/// Operations that answer alike share code: Microsoft Graph has 11,422
/// operations and nearly all answer 4XX and 5XX with the same OData error
/// and 2XX with one JSON body. Indexes are into `Api::operations`; empty
/// until `analyze` runs, which reads as "nothing shared".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sharing {
    /// Per operation: the earlier operation whose error enum its errors
    /// use, because it documents exactly the same errors.
    pub errors_of: Vec<Option<usize>>,
    /// Per operation: the shared decoder (an index into `decoders`) that
    /// reads its answers.
    pub decoder_of: Vec<Option<usize>>,
    /// Decoders used by more than one operation, in order of first use.
    pub decoders: Vec<SharedDecoder>,
    /// Per operation: the operation whose struct of optional parameters
    /// its call uses, because it sets the same ones and pages alike.
    pub params_of: Vec<Option<usize>>,
}

impl Sharing {
    pub fn errors_of(&self, op: usize) -> Option<usize> {
        self.errors_of.get(op).copied().flatten()
    }

    pub fn decoder_of(&self, op: usize) -> Option<usize> {
        self.decoder_of.get(op).copied().flatten()
    }

    pub fn params_of(&self, op: usize) -> Option<usize> {
        self.params_of.get(op).copied().flatten()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharedDecoder {
    /// The first operation that uses it, whose answers it is written from.
    pub first: usize,
    /// How many operations use it.
    pub users: usize,
    /// Generic over the success type: the success is one JSON body, whose
    /// type differs from user to user.
    pub generic: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: NameHint,
    pub docs: Option<String>,
    pub kind: TypeKind,
    /// Where the schema sits in the spec (for errors and for readers).
    pub pointer: Pointer,
    /// Where the type comes from, in words, for a type the spec does not
    /// describe ("The 200 `application/json` answer of `getDataExport`.");
    /// decided by `analyze`, after types that are alike have become one.
    pub summary: Option<String>,
    /// Derives the user's settings add (Rust paths, checked when read).
    pub derives: Vec<String>,
    /// `deprecated: true` on the schema.
    pub deprecated: bool,
}

/// Where a type's name comes from. Spec names win collisions over place names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameHint {
    /// The key under `#/components/schemas`.
    Component(String),
    /// The path of names leading to an inline schema, e.g.
    /// `["getDataExportStatus", "Response", "data"]`.
    Place(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum. Generated enums always read values added later.
    Enum(StringEnum),
    /// A named schema that is just another type (`type: string`, an array...).
    Alias(Ty),
    /// `oneOf` / `anyOf`: one of several types. Always reads a value that
    /// matches none of them (kept as JSON) rather than failing.
    Union(Union),
}

impl TypeKind {
    /// The type expressions this type is made of: fields (and the extra
    /// properties' type), variants, or the aliased type.
    pub fn members(&self) -> Vec<&Ty> {
        match self {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(&s.additional).collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(t) => vec![t],
            TypeKind::Enum(_) => Vec::new(),
        }
    }

    pub fn members_mut(&mut self) -> Vec<&mut Ty> {
        match self {
            TypeKind::Struct(s) => {
                s.fields.iter_mut().map(|f| &mut f.ty).chain(&mut s.additional).collect()
            }
            TypeKind::Union(u) => u.variants.iter_mut().map(|v| &mut v.ty).collect(),
            TypeKind::Alias(t) => vec![t],
            TypeKind::Enum(_) => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Union {
    pub variants: Vec<Variant>,
    /// The `discriminator.propertyName`, when every variant has a tag value:
    /// the variant is then chosen by that property, not by trying each.
    pub tag: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    pub ty: Ty,
    /// The discriminator value that selects this variant.
    pub tag_value: Option<String>,
    /// Set by analysis, as for fields.
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties` beside declared properties: the extra entries.
    pub additional: Option<Ty>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// The property name as it appears on the wire.
    pub name: String,
    pub ty: Ty,
    pub required: bool,
    pub nullable: bool,
    pub docs: Option<String>,
    /// Set by analysis: the field closes a cycle of by-value containment.
    pub boxed: bool,
    /// `deprecated: true` on the property's schema.
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StringEnum {
    pub values: Vec<String>,
}

/// A type expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    String,
    Bool,
    Int(IntWidth),
    /// Every `number`, `format: float` too: an `f64` holds every value an
    /// `f32` does, and servers send numbers past an `f32`'s range.
    Float,
    DateTime,
    Date,
    /// `format: uuid`: every RFC 9562 string form reads (hyphenated, simple,
    /// braced, URN, either case).
    Uuid,
    /// A type of the user's in place of a schema (`replace` in the settings):
    /// a Rust type path, checked when the settings were read.
    External(String),
    /// Any JSON value.
    Json,
    /// A free-form or `additionalProperties` object.
    Map(Box<Ty>),
    List(Box<Ty>),
    /// A nullable type in a position where no field flags can say so
    /// (array items, map values, aliases).
    Nullable(Box<Ty>),
    Named(TypeId),
}

impl Ty {
    /// How many lists, maps and nullables are wrapped around the innermost type.
    pub fn nesting(&self) -> usize {
        let mut depth = 0;
        let mut ty = self;
        while let Ty::Map(inner) | Ty::List(inner) | Ty::Nullable(inner) = ty {
            depth += 1;
            ty = inner;
        }
        depth
    }
}

/// The deepest a type expression may nest (`Vec<Vec<...>>`): rustc's
/// recursion limit stops proving `Send` for 64 nested `Vec`s (40 pass).
pub const MAX_TYPE_NESTING: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntWidth {
    I32,
    I64,
    U32,
    U64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, or one made from method and path.
    pub id: String,
    pub method: Method,
    pub path: String,
    pub path_parts: Vec<PathPart>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// The spec's tags, which `select` chooses by.
    pub tags: Vec<String>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub success: Vec<Outcome>,
    pub errors: Vec<Outcome>,
    /// Alternatives; each is a set of scheme names that together satisfy it.
    /// Empty: no auth. An empty alternative: auth is optional.
    pub security: Vec<Vec<String>>,
    pub pointer: Pointer,
    /// What the spec's `x-pagination` says; `Detect` when it says nothing.
    pub paging_hint: PagingHint,
    /// How the operation's lists page; decided by `analyze::pages`.
    pub paging: Option<Paging>,
}

/// An operation's `x-pagination` (set in the spec or an overlay): `false`,
/// or a style with its parameters and pointers, which the detection then
/// does not second-guess.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PagingHint {
    Detect,
    Off,
    Given { style: PageStyle, items: Option<String> },
}

/// How an operation's list answers page: the style, and where in the
/// success body the items are (a JSON pointer; `""` is the body itself),
/// and their type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Paging {
    pub style: PageStyle,
    pub items: String,
    pub item: Ty,
}

/// Where the next page is. Parameters are query parameters' names;
/// pointers are JSON pointers into the success body.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(tag = "style", rename_all = "snake_case", deny_unknown_fields)]
pub enum PageStyle {
    /// `param` set to the value at `next` (`next_cursor`, `nextPageToken`).
    Cursor { param: String, next: String },
    /// `param` (`starting_after`) set to the last item's `id` while `more`
    /// (`has_more`) is true.
    HasMore { param: String, more: String },
    /// The URL at `next` (`next`, `@odata.nextLink`).
    NextUrl { next: String },
    /// The `Link` header's `rel="next"`.
    Link,
    /// `param` moved on by each page's item count.
    Offset { param: String, limit: Option<String> },
    /// `param` counted up by one from `first` (1, or 0 where the
    /// parameter's docs say its pages count from 0) when the call sets none.
    Page {
        param: String,
        size: Option<String>,
        #[serde(default = "first_page")]
        first: u64,
    },
}

fn first_page() -> u64 {
    1
}

impl PageStyle {
    /// The style's name, as `x-pagination` and the codegen report say it.
    pub fn name(&self) -> &'static str {
        match self {
            PageStyle::Cursor { .. } => "cursor",
            PageStyle::HasMore { .. } => "has_more",
            PageStyle::NextUrl { .. } => "next_url",
            PageStyle::Link => "link",
            PageStyle::Offset { .. } => "offset",
            PageStyle::Page { .. } => "page",
        }
    }
}

impl Operation {
    /// The media types the answers document, successes first, each once,
    /// comma-separated for `Accept`; empty when none is documented. A media
    /// type no header can carry (a comma or a control character in it) is
    /// left out. Ranges (`*/*`, `text/*`) come last, and with a lower
    /// weight when a concrete type is there too: the client has a type for
    /// what it names, and bytes for what a range lets in.
    pub fn accept(&self) -> String {
        let mut seen: Vec<&str> = Vec::new();
        for o in self.success.iter().chain(&self.errors) {
            let Some(c) = &o.content else { continue };
            let media = c.media_type.trim();
            let sendable =
                !media.is_empty() && media.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b',');
            if sendable && !seen.iter().any(|m| m.eq_ignore_ascii_case(media)) {
                seen.push(media);
            }
        }
        let (ranges, concrete): (Vec<&str>, Vec<&str>) =
            seen.iter().partition(|m| media_range(m) > 0);
        let weight = if concrete.is_empty() { "" } else { ";q=0.9" };
        let ranges = ranges.iter().map(|r| format!("{r}{weight}"));
        concrete.iter().map(|m| m.to_string()).chain(ranges).collect::<Vec<_>>().join(", ")
    }

    /// Whether a documented success is a file or a stream of items, which
    /// the client hands over as it arrives rather than reading it whole.
    pub fn streams(&self) -> bool {
        self.success.iter().any(|o| o.content.as_ref().is_some_and(|c| c.kind.streams()))
    }

    /// Whether a documented success is an event stream, which may reconnect.
    pub fn has_events(&self) -> bool {
        self.success
            .iter()
            .any(|o| o.content.as_ref().is_some_and(|c| matches!(c.kind, BodyKind::Events(_))))
    }
}

/// How wide a media type is: 0 for a type (`application/json`), 1 for a
/// range within one type (`text/*`, `application/*+json`), 2 for any type
/// (`*/*`). A body is sent as a type, and a type is matched before a range.
pub fn media_range(media: &str) -> u8 {
    match media.trim() {
        m if m.starts_with("*/") => 2,
        m if m.contains('*') => 1,
        _ => 0,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// Index into `Operation::params`.
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: Ty,
    pub docs: Option<String>,
    /// For arrays in the query: repeat the key (`a=1&a=2`) or join with commas;
    /// for objects: one pair per property, or `name=k1,v1,k2,v2`.
    pub explode: bool,
    /// `style: deepObject`: objects as `name[key]=value`.
    pub deep_object: bool,
    pub deprecated: bool,
    /// Where the parameter is declared (the operation, for a path parameter
    /// only the template names).
    pub pointer: Pointer,
}

impl Param {
    /// Stripe's `Idempotency-Key` header: when optional, it is set with the
    /// call's own `idempotency_key` (or made by the client), not a setter.
    pub fn is_idempotency_key(&self) -> bool {
        self.location == ParamLocation::Header && self.name.eq_ignore_ascii_case("idempotency-key")
    }

    /// Set on the call (`.limit(10)`) rather than passed to the method.
    pub fn has_setter(&self) -> bool {
        !self.required && !self.is_idempotency_key()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub media_type: String,
    pub kind: BodyKind,
    pub required: bool,
    pub docs: Option<String>,
    /// The other media types the operation accepts, in the spec's order
    /// (ranges left out: no body is sent as one), for a method that lets
    /// the caller choose.
    pub others: Vec<(String, BodyKind)>,
}

impl Body {
    /// Every media type the body may be sent as, the default first.
    pub fn choices(&self) -> impl Iterator<Item = (&str, &BodyKind)> {
        std::iter::once((self.media_type.as_str(), &self.kind))
            .chain(self.others.iter().map(|(m, k)| (m.as_str(), k)))
    }

    /// The typed multipart form it may be sent as, the default's or another
    /// media type's.
    pub fn form(&self) -> Option<&Form> {
        self.choices().find_map(|(_, k)| match k {
            BodyKind::Multipart(Some(form)) => Some(form),
            _ => None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BodyKind {
    Json(Ty),
    /// `application/x-www-form-urlencoded`, from a typed value.
    Form(Ty),
    /// `multipart/form-data`: typed parts when the schema is an object with
    /// properties, else parts the caller builds.
    Multipart(Option<Form>),
    Text,
    Bytes,
    /// `text/event-stream` answers: server-sent events whose `data` is this
    /// type (`String` when the spec gives none, or a string).
    Events(Ty),
    /// JSON Lines answers (`application/x-ndjson`, `application/jsonl`,
    /// `application/json-seq`): one item of this type per line.
    Lines(Ty),
}

/// A `multipart/form-data` body typed from its schema: one part per
/// property.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Form {
    pub parts: Vec<FormPart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FormPart {
    /// The property's name: the part's name on the wire.
    pub name: String,
    pub required: bool,
    pub docs: Option<String>,
    pub kind: PartKind,
    /// The media type the spec's `encoding` gives the part, when it names
    /// one the part can be sent as.
    pub media: Option<PartMedia>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PartMedia {
    /// A JSON type (`application/json`, `application/vnd.api+json`): the
    /// value is sent as JSON, a scalar too.
    Json(String),
    /// Any other: text parts are sent as their text, files as their bytes.
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PartKind {
    /// A value sent as text: a scalar as itself, anything else as JSON.
    Text(Ty),
    /// A list of scalars: one part per item.
    Texts(Ty),
    /// `format: binary`: a file, with its file name and content type.
    File,
    /// A list of files, one part each.
    Files,
}

/// How a body is read off the wire, whatever type it is decoded into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyRead {
    Json,
    Text,
    Bytes,
}

impl BodyKind {
    /// Whether a success of this kind is handed over as it arrives.
    pub fn streams(&self) -> bool {
        matches!(self, BodyKind::Bytes | BodyKind::Events(_) | BodyKind::Lines(_))
    }

    /// The type a body of this kind is decoded into, if it has one.
    pub fn ty(&self) -> Option<&Ty> {
        match self {
            BodyKind::Json(t) | BodyKind::Form(t) | BodyKind::Events(t) | BodyKind::Lines(t) => {
                Some(t)
            }
            _ => None,
        }
    }

    /// Every type expression the body is made of (a typed multipart body's
    /// parts too).
    pub fn tys(&self) -> Vec<&Ty> {
        match self {
            BodyKind::Multipart(Some(form)) => form
                .parts
                .iter()
                .filter_map(|p| match &p.kind {
                    PartKind::Text(t) | PartKind::Texts(t) => Some(t),
                    PartKind::File | PartKind::Files => None,
                })
                .collect(),
            other => other.ty().into_iter().collect(),
        }
    }

    pub fn tys_mut(&mut self) -> Vec<&mut Ty> {
        match self {
            BodyKind::Json(t) | BodyKind::Form(t) | BodyKind::Events(t) | BodyKind::Lines(t) => {
                vec![t]
            }
            BodyKind::Multipart(Some(form)) => form
                .parts
                .iter_mut()
                .filter_map(|p| match &mut p.kind {
                    PartKind::Text(t) | PartKind::Texts(t) => Some(t),
                    PartKind::File | PartKind::Files => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    pub fn read(&self) -> BodyRead {
        match self {
            BodyKind::Json(_) | BodyKind::Form(_) => BodyRead::Json,
            BodyKind::Text | BodyKind::Events(_) | BodyKind::Lines(_) => BodyRead::Text,
            BodyKind::Bytes | BodyKind::Multipart(_) => BodyRead::Bytes,
        }
    }
}

/// One way an operation can answer: a status (or range) with one media type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Outcome {
    pub status: StatusKey,
    pub docs: Option<String>,
    pub content: Option<Content>,
    /// Headers the spec declares for this answer (the same for every media
    /// type of one status).
    pub headers: Vec<ResponseHeader>,
}

/// A declared response header, read into a typed field when it parses.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResponseHeader {
    /// As the spec spells it; matched case-insensitively.
    pub name: String,
    /// A scalar (string, integer, number, boolean, date-time, date, uri);
    /// anything else is read as text.
    pub ty: Ty,
    pub docs: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Content {
    pub media_type: String,
    pub kind: BodyKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusKey {
    Code(u16),
    /// `2XX` is `Range(2)`.
    Range(u16),
    Default,
}

/// The order a decoder matches statuses in: outcomes (their indexes)
/// grouped by status in spec order, codes first, then ranges, then
/// `default`, so that `404` is matched before `4XX` and both before any.
pub fn match_order(outcomes: &[Outcome]) -> Vec<(StatusKey, Vec<usize>)> {
    let mut groups: Vec<(StatusKey, Vec<usize>)> = Vec::new();
    for (i, o) in outcomes.iter().enumerate() {
        match groups.iter_mut().find(|(s, _)| *s == o.status) {
            Some((_, g)) => g.push(i),
            None => groups.push((o.status, vec![i])),
        }
    }
    groups.sort_by_key(|(s, _)| match s {
        StatusKey::Code(_) => 0,
        StatusKey::Range(_) => 1,
        StatusKey::Default => 2,
    });
    groups
}

impl StatusKey {
    /// An answer rather than an error: 2xx, and 3xx too, since clients
    /// follow no redirect, so a redirect the spec documents (a `303` with
    /// its `Location`) is the typed answer the caller reads.
    pub fn is_success(self) -> bool {
        match self {
            StatusKey::Code(c) => (200..400).contains(&c),
            StatusKey::Range(r) => r == 2 || r == 3,
            StatusKey::Default => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The key under `#/components/securitySchemes`.
    pub name: String,
    pub kind: SecurityKind,
    pub docs: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityKind {
    Bearer,
    Basic,
    ApiKey {
        location: ApiKeyLocation,
        param: String,
    },
    /// OAuth2 or OpenID Connect: the client sends an access token as bearer.
    OAuth2 {
        token_url: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

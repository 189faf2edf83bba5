//! Operations: parameters, path templates, request bodies by media type,
//! responses by status and their headers.

use super::schemas::{nullable_if, scalar_ty, with_default};
use super::*;

impl Lowerer<'_> {
    pub(super) fn operations(&mut self) -> Result<Vec<Operation>> {
        let paths_at = Pointer::root().push("paths");
        // Keys that do not start with `/` are extensions, not paths.
        let items: Vec<(&str, PathSource<'_>)> = self
            .resolver
            .raw()
            .path_items(&paths_at)?
            .into_iter()
            .filter(|(p, _)| p.starts_with('/'))
            .collect();
        // Path items held as text are read into openapiv3 on a second
        // thread, a few ahead of the one lowering them: reading them is
        // 40% of lowering Microsoft Graph, and depends on nothing else.
        std::thread::scope(|scope| {
            let (send, read) = std::sync::mpsc::sync_channel(16);
            let texts: Vec<(&str, &serde_json::value::RawValue)> = items
                .iter()
                .filter_map(|(path, source)| match source {
                    PathSource::Text(text) => Some((*path, *text)),
                    PathSource::Value(_) => None,
                })
                .collect();
            if !texts.is_empty() {
                let paths_at = &paths_at;
                // The main thread's stack, so that reading a deep item needs
                // no new stack segment (see `input::with_stack`).
                let reader = std::thread::Builder::new().stack_size(8 * 1024 * 1024);
                let spawned = reader.spawn_scoped(scope, move || {
                    for (path, text) in texts {
                        // The receiver is gone only when lowering stopped at an error.
                        // Boxed: a path item is kilobytes, and was copied at every move.
                        if send
                            .send(path_item_text(text, &paths_at.push(path)).map(Box::new))
                            .is_err()
                        {
                            return;
                        }
                    }
                });
                // Without the reader, the items below would silently be none.
                if let Err(e) = spawned {
                    return Err(Error::new(
                        crate::error::ErrorKind::Output,
                        paths_at,
                        format!("cannot start a thread to read path items: {e}"),
                    ));
                }
            }
            let mut ops = Vec::new();
            for (path, source) in &items {
                let item_at = paths_at.push(path);
                let item = match source {
                    PathSource::Value(value) => Box::new(path_item(value, &item_at)?),
                    PathSource::Text(_) => read
                        .recv()
                        .map_err(|_| Error::invalid(&item_at, "path item reader stopped"))??,
                };
                let (item, item_at) = self.resolver.item(&item, &item_at, "path item")?;
                for method in Method::ALL {
                    let op = match method {
                        Method::Get => &item.get,
                        Method::Put => &item.put,
                        Method::Post => &item.post,
                        Method::Delete => &item.delete,
                        Method::Options => &item.options,
                        Method::Head => &item.head,
                        Method::Patch => &item.patch,
                        Method::Trace => &item.trace,
                    };
                    if let Some(op) = op {
                        let at = item_at.push(method.as_str().to_ascii_lowercase());
                        self.home = Some(at.clone());
                        let op = self.operation(path, method, op, &item.parameters, &item_at, &at);
                        self.home = None;
                        ops.push(op?);
                    }
                }
            }
            Ok(ops)
        })
    }

    pub(super) fn operation(
        &mut self,
        path: &str,
        method: Method,
        op: &openapiv3::Operation,
        item_params: &[ReferenceOr<Parameter>],
        item_at: &Pointer,
        at: &Pointer,
    ) -> Result<Operation> {
        let id = op
            .operation_id
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| format!("{} {}", method.as_str().to_ascii_lowercase(), path));

        // Path-item parameters apply unless the operation redefines the same (name, in).
        // Borrowed where they are inline: a `Parameter` is over a kilobyte.
        let mut resolved: Vec<(std::borrow::Cow<'_, Parameter>, Pointer)> = Vec::new();
        for (i, p) in op.parameters.iter().enumerate() {
            resolved.push(self.resolver.item(p, &at.push("parameters").index(i), "parameter")?);
        }
        for (i, p) in item_params.iter().enumerate() {
            let (p, p_at) =
                self.resolver.item(p, &item_at.push("parameters").index(i), "parameter")?;
            let d = p.parameter_data_ref();
            let shadowed = resolved.iter().any(|(q, _)| {
                let e = q.parameter_data_ref();
                e.name == d.name && std::mem::discriminant(&**q) == std::mem::discriminant(&*p)
            });
            if !shadowed {
                resolved.push((p, p_at));
            }
        }
        // OpenAPI says to ignore header parameters named `Accept` and
        // `Content-Type`: the client sets both from the media types of the
        // answers and the body. (It says so of `Authorization` too, but
        // specs without a security scheme declare their credentials that
        // way, and a client that dropped it could not authenticate.)
        resolved.retain(|(p, _)| {
            let d = p.parameter_data_ref();
            !(matches!(&**p, Parameter::Header { .. })
                && ["accept", "content-type"].contains(&d.name.to_ascii_lowercase().as_str()))
        });
        let mut params = Vec::with_capacity(resolved.len());
        for (p, p_at) in &resolved {
            params.push(self.param(&id, p, p_at)?);
        }
        let path_parts = path_template(path, &mut params, at);

        let body = match &op.request_body {
            None => None,
            Some(rb) => {
                let (rb, rb_at) =
                    self.resolver.item(rb, &at.push("requestBody"), "request body")?;
                self.body(&id, &rb, &rb_at)?
            }
        };

        let (success, errors) = self.responses(&id, &op.responses, &at.push("responses"))?;

        let security = op
            .security
            .as_ref()
            .or(self.security.as_ref())
            .map(|reqs| reqs.iter().map(|r| r.keys().cloned().collect()).collect())
            .unwrap_or_default();

        Ok(Operation {
            id,
            method,
            path: path.to_string(),
            path_parts,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            tags: op.tags.clone(),
            params,
            body,
            success,
            errors,
            security,
            pointer: at.clone(),
            paging_hint: paging_hint(op.extensions.get("x-pagination"), &at.push("x-pagination"))?,
            paging: None,
        })
    }

    pub(super) fn param(&mut self, op_id: &str, p: &Parameter, at: &Pointer) -> Result<Param> {
        let d = p.parameter_data_ref();
        let deep_object =
            matches!(p, Parameter::Query { style: openapiv3::QueryStyle::DeepObject, .. });
        let (location, explode) = match p {
            Parameter::Query { style, .. } => (
                ParamLocation::Query,
                d.explode.unwrap_or(matches!(
                    style,
                    openapiv3::QueryStyle::Form | openapiv3::QueryStyle::DeepObject
                )),
            ),
            Parameter::Header { .. } => (ParamLocation::Header, d.explode.unwrap_or(false)),
            Parameter::Path { .. } => (ParamLocation::Path, d.explode.unwrap_or(false)),
            Parameter::Cookie { .. } => (ParamLocation::Cookie, d.explode.unwrap_or(true)),
        };
        // A null parameter cannot be sent; nullable only means "may be left out".
        let (ty, _nullable) = match &d.format {
            ParameterSchemaOrContent::Schema(s) => {
                self.ty(s, &at.push("schema"), &shared_place(at, [op_id, &d.name], "", &d.name))?
            }
            // `content` parameters are serialized as the media type says; JSON
            // (nearly always the one given) is what `Ty::Json` sends.
            ParameterSchemaOrContent::Content(content) => match content.first() {
                Some((media, mt)) if is_json(media) => match &mt.schema {
                    Some(s) => self.ty(
                        s,
                        &at.push("content").push(media).push("schema"),
                        &shared_place(at, [op_id, &d.name], "", &d.name),
                    )?,
                    None => (Ty::Json, false),
                },
                _ => (Ty::String, false),
            },
        };
        let default = match &d.format {
            ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => {
                s.schema_data.default.as_ref()
            }
            _ => None,
        };
        Ok(Param {
            name: d.name.clone(),
            location,
            required: d.required || location == ParamLocation::Path,
            ty,
            docs: with_default(d.description.clone(), default),
            explode,
            deep_object,
            deprecated: d.deprecated == Some(true),
            pointer: at.clone(),
        })
    }

    pub(super) fn body(
        &mut self,
        op_id: &str,
        rb: &openapiv3::RequestBody,
        at: &Pointer,
    ) -> Result<Option<Body>> {
        if rb.content.is_empty() {
            return Ok(None);
        }
        // Prefer JSON when the spec offers a choice: it is what the types
        // describe. A range (`application/*+json`, `*/*`) is not a type a
        // body can be sent as: a concrete one is preferred, and a range
        // chosen all the same is sent as the type it stands for.
        let concrete = |m: &str| crate::model::media_range(m) == 0;
        let content = &rb.content;
        let chosen = content
            .iter()
            .find(|(m, _)| is_json(m) && concrete(m))
            .or_else(|| content.iter().find(|(m, _)| is_form(m)))
            .or_else(|| content.iter().find(|(m, _)| is_json(m)))
            .or_else(|| content.iter().find(|(m, _)| concrete(m)))
            .or_else(|| content.first());
        let Some((media, mt)) = chosen else { return Ok(None) };
        let media_at = at.push("content").push(media);
        let kind = self.content_kind(
            media,
            mt,
            &media_at,
            &shared_place(at, [op_id, "Request"], "Request", ""),
        )?;
        let media_type = match media {
            m if concrete(m) => m.clone(),
            m if is_json(m) => "application/json".to_string(),
            _ => "application/octet-stream".to_string(),
        };
        // The others, each lowered as the one chosen would be; their inline
        // schemas are named from their media type too.
        let mut others = Vec::new();
        for (other, mt) in content.iter().filter(|(m, _)| *m != media && concrete(m)) {
            let mut place = shared_place(at, [op_id, "Request"], "Request", "");
            place.push(other.clone());
            let kind = self.content_kind(other, mt, &at.push("content").push(other), &place)?;
            others.push((other.clone(), kind));
        }
        Ok(Some(Body {
            media_type,
            kind,
            required: rb.required,
            docs: rb.description.clone(),
            others,
        }))
    }

    pub(super) fn content_kind(
        &mut self,
        media: &str,
        mt: &openapiv3::MediaType,
        at: &Pointer,
        place: &[String],
    ) -> Result<BodyKind> {
        if is_form(media) {
            let ty = match &mt.schema {
                Some(s) => self.ty(s, &at.push("schema"), place)?.0,
                None => Ty::Map(Box::new(Ty::Json)),
            };
            return Ok(BodyKind::Form(ty));
        }
        if is_multipart(media) {
            return Ok(BodyKind::Multipart(self.form(mt, at, place)?));
        }
        if is_json(media) {
            let ty = match &mt.schema {
                Some(s) => {
                    let (t, nullable) = self.ty(s, &at.push("schema"), place)?;
                    nullable_if(t, nullable)
                }
                None => Ty::Json,
            };
            return Ok(BodyKind::Json(ty));
        }
        let is_binary = matches!(&mt.schema, Some(ReferenceOr::Item(s)) if is_binary_schema(s));
        if media.starts_with("text/") && !is_binary {
            Ok(BodyKind::Text)
        } else {
            Ok(BodyKind::Bytes)
        }
    }

    /// A multipart body's parts, typed from its schema when it is an object
    /// with properties (through `$ref`s): binary strings are files, lists of
    /// them several files, lists of scalars one part per item, and any other
    /// value one text part. Otherwise the caller builds the parts.
    fn form(
        &mut self,
        mt: &openapiv3::MediaType,
        at: &Pointer,
        place: &[String],
    ) -> Result<Option<Form>> {
        let Some(schema) = &mt.schema else { return Ok(None) };
        let (s, s_at) = self.resolver.item(schema, &at.push("schema"), "schema")?;
        let s = s.into_owned();
        let SchemaKind::Type(Type::Object(object)) = &s.schema_kind else { return Ok(None) };
        if object.properties.is_empty() {
            return Ok(None);
        }
        let mut parts = Vec::new();
        for (name, prop) in &object.properties {
            let p_at = s_at.push("properties").push(name);
            let (p, _) = self.resolver.item(prop, &p_at, "schema")?;
            let docs = p.schema_data.description.clone();
            let files = match &p.schema_kind {
                SchemaKind::Type(Type::Array(a)) => match &a.items {
                    Some(items) => is_binary_schema(
                        &self.resolver.item(items, &p_at.push("items"), "schema")?.0,
                    ),
                    None => false,
                },
                _ => false,
            };
            let kind = if is_binary_schema(&p) {
                PartKind::File
            } else if files {
                PartKind::Files
            } else {
                let mut prop_place = place.to_vec();
                prop_place.push(name.clone());
                match self.boxed_ty(prop, &p_at, &prop_place)?.0 {
                    Ty::List(item)
                        if matches!(*item, Ty::String | Ty::Int(_) | Ty::Float | Ty::Bool) =>
                    {
                        PartKind::Texts(*item)
                    }
                    other => PartKind::Text(other),
                }
            };
            let media =
                mt.encoding.get(name).and_then(|e| e.content_type.as_deref()).and_then(part_media);
            parts.push(FormPart {
                name: name.clone(),
                required: object.required.contains(name),
                docs,
                kind,
                media,
            });
        }
        Ok(Some(Form { parts }))
    }

    /// An answer documented as any media type (`*/*`, `application/*`)
    /// whose schema is structured (an object, an array, a composition):
    /// servers that document it so send JSON, and read as bytes its typed
    /// schema would never be used.
    fn structured_wildcard(
        &self,
        media: &str,
        mt: &openapiv3::MediaType,
        at: &Pointer,
    ) -> Result<bool> {
        let essence = media.split(';').next().unwrap_or("").trim();
        if !matches!(essence, "*/*" | "application/*") {
            return Ok(false);
        }
        let Some(schema) = &mt.schema else { return Ok(false) };
        let (s, _) = self.resolver.item(schema, &at.push("schema"), "schema")?;
        Ok(match &s.schema_kind {
            SchemaKind::Type(Type::Object(_) | Type::Array(_)) => true,
            SchemaKind::AllOf { .. } | SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
            SchemaKind::Any(any) => !any.properties.is_empty() || any.items.is_some(),
            _ => false,
        })
    }

    /// An answer that is a stream of items: server-sent events, whose
    /// schema is the type of each event's `data` (as specs write it; an
    /// OpenAPI 3.2 `itemSchema` is moved there when the document is read),
    /// or JSON Lines, whose schema is one line's.
    fn item_stream(
        &mut self,
        media: &str,
        mt: &openapiv3::MediaType,
        at: &Pointer,
        place: &[String],
    ) -> Result<Option<BodyKind>> {
        let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        let events = essence == "text/event-stream";
        let lines = matches!(
            essence.as_str(),
            "application/x-ndjson"
                | "application/ndjson"
                | "application/jsonl"
                | "application/x-jsonlines"
                | "application/jsonlines"
                | "application/json-seq"
        );
        if !events && !lines {
            return Ok(None);
        }
        let item = match &mt.schema {
            Some(s) => {
                let (t, nullable) = self.ty(s, &at.push("schema"), place)?;
                nullable_if(t, nullable)
            }
            None if events => Ty::String,
            None => Ty::Json,
        };
        Ok(Some(if events { BodyKind::Events(item) } else { BodyKind::Lines(item) }))
    }

    pub(super) fn responses(
        &mut self,
        op_id: &str,
        responses: &openapiv3::Responses,
        at: &Pointer,
    ) -> Result<(Vec<Outcome>, Vec<Outcome>)> {
        let mut all: Vec<(StatusKey, String, &ReferenceOr<openapiv3::Response>)> = responses
            .responses
            .iter()
            .map(|(code, r)| {
                let key = match code {
                    openapiv3::StatusCode::Code(c) => StatusKey::Code(*c),
                    openapiv3::StatusCode::Range(r) => StatusKey::Range(*r),
                };
                (key, code.to_string(), r)
            })
            .collect();
        if let Some(d) = &responses.default {
            all.push((StatusKey::Default, "default".to_string(), d));
        }
        // Inline body schemas are named `{Op}Response` when there is just one.
        let resolved: Vec<_> = all
            .iter()
            .map(|(key, label, r)| {
                let (r, r_at) = self.resolver.item(*r, &at.push(label), "response")?;
                Ok((*key, label.clone(), r.into_owned(), r_at))
            })
            .collect::<Result<_>>()?;
        let json_bodies: usize = resolved
            .iter()
            .map(|(_, _, r, _)| r.content.keys().filter(|m| is_json(m)).count())
            .sum();

        let mut success = Vec::new();
        let mut errors = Vec::new();
        for (key, label, r, r_at) in resolved {
            let docs = Some(r.description.clone()).filter(|d| !d.trim().is_empty());
            let headers = self.response_headers(&r, &r_at)?;
            let outcomes = if key.is_success() { &mut success } else { &mut errors };
            // 204, 205 and 304 answers have no body (RFC 9110), whatever a
            // spec documents for them: a client that waited for one would
            // fail every such answer (found by `cargo xtask conformance`).
            let bodiless = matches!(key, StatusKey::Code(204 | 205 | 304));
            if r.content.is_empty() || bodiless {
                outcomes.push(Outcome { status: key, docs, content: None, headers });
                continue;
            }
            let json_here = r.content.keys().filter(|m| is_json(m)).count();
            for (media, mt) in &r.content {
                let mut place = shared_place(&r_at, [op_id, "Response"], "Response", "");
                if json_bodies > 1 && place[0] == op_id {
                    place.push(label.clone());
                    if json_here > 1 {
                        place.push(media.clone());
                    }
                }
                let content_at = r_at.push("content").push(media);
                // A form or multipart *answer* is rare; it is handed over as bytes.
                let kind = if is_form(media) || is_multipart(media) {
                    BodyKind::Bytes
                } else if let Some(kind) = self.item_stream(media, mt, &content_at, &place)? {
                    kind
                } else if self.structured_wildcard(media, mt, &content_at)? {
                    self.content_kind("application/json", mt, &content_at, &place)?
                } else {
                    self.content_kind(media, mt, &content_at, &place)?
                };
                outcomes.push(Outcome {
                    status: key,
                    docs: docs.clone(),
                    content: Some(Content { media_type: media.clone(), kind }),
                    headers: headers.clone(),
                });
            }
        }
        Ok((success, errors))
    }

    /// A response's declared headers; `Content-Type` is the body's business
    /// (OpenAPI says to ignore it here).
    pub(super) fn response_headers(
        &mut self,
        r: &openapiv3::Response,
        at: &Pointer,
    ) -> Result<Vec<ResponseHeader>> {
        let mut out = Vec::new();
        for (name, h) in &r.headers {
            if name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let h_at = at.push("headers").push(name);
            let (h, h_at) = self.resolver.item(h, &h_at, "header")?;
            // Only scalars are typed; a header that is an array or object in
            // the spec is read as its text, and no type is made for it.
            let ty = match &h.format {
                openapiv3::ParameterSchemaOrContent::Schema(schema) => {
                    let (schema, _) = self.resolver.item(schema, &h_at.push("schema"), "schema")?;
                    scalar_ty(&schema.schema_kind).unwrap_or(Ty::String)
                }
                openapiv3::ParameterSchemaOrContent::Content(_) => Ty::String,
            };
            out.push(ResponseHeader { name: name.clone(), ty, docs: h.description.clone() });
        }
        Ok(out)
    }
}

/// `type: string, format: binary`: a file's bytes.
fn is_binary_schema(s: &openapiv3::Schema) -> bool {
    matches!(
        &s.schema_kind,
        SchemaKind::Type(Type::String(st)) if st.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
    )
}

/// An operation's `x-pagination`: `false`, or an object naming the style
/// (`{style: cursor, param: cursor, next: /meta/next_cursor, items: /data}`).
fn paging_hint(value: Option<&serde_json::Value>, at: &Pointer) -> Result<PagingHint> {
    let Some(value) = value else { return Ok(PagingHint::Detect) };
    if value == &serde_json::Value::Bool(false) {
        return Ok(PagingHint::Off);
    }
    let mut value = value.clone();
    let items = match value.as_object_mut().map(|o| o.remove("items")) {
        Some(Some(serde_json::Value::String(items))) => Some(items),
        Some(None) => None,
        _ => return Err(paging_error(at, "`items` is a JSON pointer into the body")),
    };
    let style: PageStyle =
        serde_json::from_value(value).map_err(|e| paging_error(at, &e.to_string()))?;
    let pointers = match &style {
        PageStyle::Cursor { next, .. } | PageStyle::NextUrl { next } => vec![next],
        PageStyle::HasMore { more, .. } => vec![more],
        _ => vec![],
    };
    if let Some(bad) =
        pointers.into_iter().chain(&items).find(|p| !p.is_empty() && !p.starts_with('/'))
    {
        return Err(paging_error(at, &format!("`{bad}` is not a JSON pointer (`/meta/next`)")));
    }
    Ok(PagingHint::Given { style, items })
}

fn paging_error(at: &Pointer, what: &str) -> Error {
    Error::invalid(
        at,
        format!(
            "invalid `x-pagination`: {what}; it is `false`, or `{{style: cursor|has_more|next_url|\
             link|offset|page, ...}}` with `param`, `next`, `more`, `limit` or `size` as the style \
             takes them, and `items`"
        ),
    )
}

/// The media type a part is sent as, from its `encoding.contentType`: the
/// first of the listed types (`image/png, image/jpeg`) that is one type,
/// not a range (`image/*`) nor text that is no media type (the value goes
/// into a string literal either way, never into code).
fn part_media(listed: &str) -> Option<PartMedia> {
    let concrete = |m: &&str| {
        let Some((ty, sub)) = m.split(';').next().unwrap_or("").trim().split_once('/') else {
            return false;
        };
        let token = |t: &str| {
            !t.is_empty()
                && t.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
        };
        token(ty) && token(sub)
    };
    let media = listed.split(',').map(str::trim).find(concrete)?.to_string();
    Some(if is_json(&media) { PartMedia::Json(media) } else { PartMedia::Other(media) })
}

pub(crate) fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json") || essence.ends_with("/json")
}

/// The place an inline schema is named from: `own`, made from the
/// operation, unless the part holding it sits outside the operation (a
/// `$ref` to `#/components/responses/NotFound`, a parameter of the path
/// item) and so is shared by every operation that uses it. Then the part's
/// own place names it (`NotFound` + `role`; the path and `name`), never the
/// first operation that met it: adding or removing an operation must not
/// rename what another one uses.
fn shared_place(at: &Pointer, own: [&str; 2], role: &str, name: &str) -> Vec<String> {
    let s: Vec<String> = at.segments().collect();
    let words =
        |parts: &[&str]| parts.iter().filter(|p| !p.is_empty()).map(|p| p.to_string()).collect();
    match s.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["components", _, key, ..] => words(&[key, role]),
        ["paths", path, "parameters", ..] => words(&[path, name]),
        _ => words(&own),
    }
}

pub(super) fn is_form(media: &str) -> bool {
    media.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded")
}

pub(super) fn is_multipart(media: &str) -> bool {
    media.to_ascii_lowercase().starts_with("multipart/")
}

/// Splits `/a/{id}/b` into literals and parameter references. A template
/// parameter the operation does not declare becomes a required string
/// parameter (specs in the wild forget them); declared path parameters the
/// template never uses are dropped, since there is nowhere to send them.
pub(super) fn path_template(path: &str, params: &mut Vec<Param>, at: &Pointer) -> Vec<PathPart> {
    let mut parts = Vec::new();
    let mut rest = path;
    let mut used = Vec::new();
    while let Some(open) = rest.find('{') {
        let Some(close_rel) = rest[open..].find('}') else { break };
        let close = open + close_rel;
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_string()));
        }
        let name = &rest[open + 1..close];
        let idx =
            match params.iter().position(|p| p.location == ParamLocation::Path && p.name == name) {
                Some(i) => i,
                None => {
                    params.push(Param {
                        name: name.to_string(),
                        location: ParamLocation::Path,
                        required: true,
                        ty: Ty::String,
                        docs: None,
                        explode: false,
                        deep_object: false,
                        deprecated: false,
                        pointer: at.clone(),
                    });
                    params.len() - 1
                }
            };
        if !used.contains(&idx) {
            used.push(idx);
        }
        parts.push(PathPart::Param(idx));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_string()));
    }
    // Path parameters in template order, then required, then optional; a
    // declared path parameter the template never uses is dropped.
    let mut order: Vec<usize> = used;
    let rest_required = (0..params.len())
        .filter(|i| params[*i].location != ParamLocation::Path && params[*i].required);
    let rest_optional = (0..params.len())
        .filter(|i| params[*i].location != ParamLocation::Path && !params[*i].required);
    order.extend(rest_required.chain(rest_optional).collect::<Vec<_>>());
    let mut new_index = vec![usize::MAX; params.len()];
    for (new, old) in order.iter().enumerate() {
        new_index[*old] = new;
    }
    let mut taken: Vec<Option<Param>> = std::mem::take(params).into_iter().map(Some).collect();
    *params =
        order.iter().map(|old| taken[*old].take().expect("each parameter placed once")).collect();
    parts
        .into_iter()
        .map(|p| match p {
            PathPart::Param(i) => PathPart::Param(new_index[i]),
            lit => lit,
        })
        .collect()
}

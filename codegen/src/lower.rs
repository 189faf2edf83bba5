//! Stage 3, lower: the resolved OpenAPI document becomes the model.
//!
//! Every component schema gets a `TypeId` up front, so references (including
//! recursive ones) are just ids. Inline object and enum schemas become types
//! named from where they sit. A schema reached through a `$ref` that is not a
//! component is lowered once, memoized by its pointer.

use std::collections::HashMap;

use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use crate::error::{Error, Result};
use crate::load::Document;
use crate::model::*;
use crate::pointer::Pointer;
use crate::resolve::Resolver;

pub fn lower(doc: &Document) -> Result<Api> {
    let mut lowerer = Lowerer {
        api: &doc.api,
        resolver: Resolver::new(&doc.raw),
        types: Vec::new(),
        by_pointer: HashMap::new(),
    };
    lowerer.components()?;
    let operations = lowerer.operations()?;
    let security_schemes = lowerer.security_schemes()?;
    let info = &doc.api.info;
    Ok(Api {
        title: info.title.clone(),
        version: info.version.clone(),
        description: info.description.clone(),
        servers: servers(&doc.api),
        types: lowerer.types,
        operations,
        security_schemes,
    })
}

struct Lowerer<'a> {
    api: &'a OpenAPI,
    resolver: Resolver<'a>,
    types: Vec<TypeDef>,
    /// Schemas that already have a type: components, and inline schemas
    /// reached by `$ref`.
    by_pointer: HashMap<Pointer, TypeId>,
}

/// A lowered schema is either a plain type expression or needs a named type.
enum Lowered {
    Ty(Ty),
    Kind(TypeKind),
}

fn docs(data: &openapiv3::SchemaData) -> Option<String> {
    data.description.clone().or_else(|| data.title.clone())
}

fn place_with(place: &[String], part: &str) -> Vec<String> {
    let mut p = place.to_vec();
    p.push(part.to_string());
    p
}

impl<'a> Lowerer<'a> {
    fn new_type(&mut self, name: NameHint, docs: Option<String>, pointer: Pointer, kind: TypeKind) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(TypeDef { name, docs, kind, pointer, in_request: false });
        id
    }

    fn components(&mut self) -> Result<()> {
        let Some(components) = &self.api.components else { return Ok(()) };
        let base = Pointer::root().push("components").push("schemas");
        // Reserve first: a schema may refer to one defined later, or to itself.
        let ids: Vec<(TypeId, &String, &ReferenceOr<Schema>)> = components
            .schemas
            .iter()
            .map(|(name, schema)| {
                let ptr = base.push(name);
                let id = self.new_type(
                    NameHint::Component(name.clone()),
                    None,
                    ptr.clone(),
                    TypeKind::Alias(Ty::Json),
                );
                self.by_pointer.insert(ptr, id);
                (id, name, schema)
            })
            .collect();
        for (id, name, schema) in ids {
            let at = base.push(name);
            let place = vec![name.clone()];
            let (kind, docs) = match schema {
                ReferenceOr::Reference { .. } => {
                    let (ty, nullable) = self.ty(schema, &at, &place)?;
                    (TypeKind::Alias(nullable_if(ty, nullable)), None)
                }
                ReferenceOr::Item(s) => {
                    let nullable = s.schema_data.nullable;
                    let kind = match self.schema(s, &at, &place)? {
                        Lowered::Kind(k) => k,
                        Lowered::Ty(t) => TypeKind::Alias(nullable_if(t, nullable)),
                    };
                    (kind, docs(&s.schema_data))
                }
            };
            self.types[id.0].kind = kind;
            self.types[id.0].docs = docs;
        }
        Ok(())
    }

    /// The type of a schema in some position, and whether it may be null.
    fn ty(&mut self, schema: &ReferenceOr<Schema>, at: &Pointer, place: &[String]) -> Result<(Ty, bool)> {
        match schema {
            ReferenceOr::Reference { reference } => {
                let target = self.resolver.target(reference, at)?;
                if let Some(id) = self.by_pointer.get(&target) {
                    return Ok((Ty::Named(*id), false));
                }
                let (resolved, target) = self.resolver.item(schema, at, "schema")?;
                if let Some(id) = self.by_pointer.get(&target) {
                    return Ok((Ty::Named(*id), false));
                }
                let resolved = resolved.into_owned();
                let ty = self.inline(&resolved, &target, place, true)?;
                Ok((ty, resolved.schema_data.nullable))
            }
            ReferenceOr::Item(s) => Ok((self.inline(s, at, place, false)?, s.schema_data.nullable)),
        }
    }

    /// An inline schema: a plain type, or a new type named from `place`.
    /// The new type's id is taken before its children are lowered, so that
    /// parents come before children in the arena (and in the output).
    fn inline(&mut self, s: &Schema, at: &Pointer, place: &[String], memoize: bool) -> Result<Ty> {
        let named = match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) => st.enumeration.iter().any(Option::is_some),
            SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
            SchemaKind::Any(a) => !a.properties.is_empty(),
            _ => false,
        };
        if !named {
            return match self.schema(s, at, place)? {
                Lowered::Ty(t) => Ok(t),
                Lowered::Kind(kind) => {
                    let id = self.new_type(NameHint::Place(place.to_vec()), docs(&s.schema_data), at.clone(), kind);
                    Ok(Ty::Named(id))
                }
            };
        }
        let id = self.new_type(NameHint::Place(place.to_vec()), docs(&s.schema_data), at.clone(), TypeKind::Alias(Ty::Json));
        if memoize {
            self.by_pointer.insert(at.clone(), id);
        }
        self.types[id.0].kind = match self.schema(s, at, place)? {
            Lowered::Kind(kind) => kind,
            Lowered::Ty(t) => TypeKind::Alias(t),
        };
        Ok(Ty::Named(id))
    }

    fn boxed_ty(&mut self, schema: &ReferenceOr<Box<Schema>>, at: &Pointer, place: &[String]) -> Result<(Ty, bool)> {
        match schema {
            ReferenceOr::Reference { reference } => {
                self.ty(&ReferenceOr::Reference { reference: reference.clone() }, at, place)
            }
            ReferenceOr::Item(s) => {
                // Cloning the schema here is cheap next to codegen and keeps one code path.
                self.ty(&ReferenceOr::Item((**s).clone()), at, place)
            }
        }
    }

    fn schema(&mut self, s: &Schema, at: &Pointer, place: &[String]) -> Result<Lowered> {
        match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) => {
                let values: Vec<String> = dedup(st.enumeration.iter().flatten().cloned());
                if !values.is_empty() {
                    return Ok(Lowered::Kind(TypeKind::Enum(StringEnum { values })));
                }
                Ok(Lowered::Ty(match &st.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Ty::DateTime,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Ty::Date,
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "uri" || f == "url" => Ty::Url,
                    _ => Ty::String,
                }))
            }
            SchemaKind::Type(Type::Number(n)) => Ok(Lowered::Ty(Ty::Float(match &n.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => FloatWidth::F32,
                _ => FloatWidth::F64,
            }))),
            SchemaKind::Type(Type::Integer(i)) => Ok(Lowered::Ty(Ty::Int(match &i.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => IntWidth::I32,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "uint32" => IntWidth::U32,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "uint64" => IntWidth::U64,
                _ => IntWidth::I64,
            }))),
            SchemaKind::Type(Type::Boolean(_)) => Ok(Lowered::Ty(Ty::Bool)),
            SchemaKind::Type(Type::Array(a)) => {
                let item = match &a.items {
                    Some(items) => {
                        let (t, nullable) = self.boxed_ty(items, &at.push("items"), &place_with(place, "Item"))?;
                        nullable_if(t, nullable)
                    }
                    None => Ty::Json,
                };
                Ok(Lowered::Ty(Ty::List(Box::new(item))))
            }
            SchemaKind::Type(Type::Object(o)) => {
                self.object(&o.properties, &o.required, o.additional_properties.as_ref(), at, place)
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                // `allOf: [$ref]` is how 3.0 specs attach a description to a reference.
                let (t, nullable) = self.ty(&all_of[0], &at.push("allOf").index(0), place)?;
                Ok(Lowered::Ty(nullable_if(t, nullable)))
            }
            SchemaKind::AllOf { .. } => Err(unsupported_composition(at, "allOf")),
            SchemaKind::OneOf { .. } => Err(unsupported_composition(at, "oneOf")),
            SchemaKind::AnyOf { .. } => Err(unsupported_composition(at, "anyOf")),
            SchemaKind::Not { .. } => Err(Error::unsupported(&at.push("not"), "`not` schemas", "type, properties, items, enum")),
            SchemaKind::Any(any) => {
                if !any.one_of.is_empty() || !any.all_of.is_empty() || !any.any_of.is_empty() {
                    let which = if !any.one_of.is_empty() {
                        "oneOf"
                    } else if !any.all_of.is_empty() {
                        "allOf"
                    } else {
                        "anyOf"
                    };
                    return Err(unsupported_composition(at, which));
                }
                if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
                    return self.object(&any.properties, &any.required, any.additional_properties.as_ref(), at, place);
                }
                match any.typ.as_deref() {
                    None => Ok(Lowered::Ty(Ty::Json)),
                    Some(t) => Err(Error::unsupported(
                        &at.push("type"),
                        format!("schema of type `{t}` with keywords that do not belong to that type"),
                        "the keywords OpenAPI 3.0 defines for each type",
                    )),
                }
            }
        }
    }

    fn object(
        &mut self,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        at: &Pointer,
        place: &[String],
    ) -> Result<Lowered> {
        let additional_ty = match additional {
            None | Some(AdditionalProperties::Any(false)) => None,
            Some(AdditionalProperties::Any(true)) => Some(Ty::Json),
            Some(AdditionalProperties::Schema(s)) => {
                let (t, nullable) = self.ty(s, &at.push("additionalProperties"), &place_with(place, "Value"))?;
                Some(nullable_if(t, nullable))
            }
        };
        if properties.is_empty() {
            // Free-form: `type: object` alone, `properties: {}`, or a typed map.
            return Ok(Lowered::Ty(Ty::Map(Box::new(additional_ty.unwrap_or(Ty::Json)))));
        }
        let mut fields = Vec::with_capacity(properties.len());
        for (name, prop) in properties {
            let prop_at = at.push("properties").push(name);
            let (ty, nullable) = self.boxed_ty(prop, &prop_at, &place_with(place, name))?;
            let docs = match prop {
                ReferenceOr::Item(s) => docs(&s.schema_data),
                ReferenceOr::Reference { .. } => None,
            };
            fields.push(Field {
                name: name.clone(),
                ty,
                required: required.iter().any(|r| r == name),
                nullable,
                docs,
                boxed: false,
            });
        }
        Ok(Lowered::Kind(TypeKind::Struct(Struct { fields, additional: additional_ty })))
    }

    fn operations(&mut self) -> Result<Vec<Operation>> {
        let mut ops = Vec::new();
        let paths_at = Pointer::root().push("paths");
        for (path, item) in &self.api.paths.paths {
            let item_at = paths_at.push(path);
            let (item, item_at) = self.resolver.item(item, &item_at, "path item")?;
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
                    ops.push(self.operation(path, method, op, &item.parameters, &item_at, &at)?);
                }
            }
        }
        Ok(ops)
    }

    fn operation(
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
        let mut resolved: Vec<(Parameter, Pointer)> = Vec::new();
        for (i, p) in op.parameters.iter().enumerate() {
            let (p, p_at) = self.resolver.item(p, &at.push("parameters").index(i), "parameter")?;
            resolved.push((p.into_owned(), p_at));
        }
        for (i, p) in item_params.iter().enumerate() {
            let (p, p_at) = self.resolver.item(p, &item_at.push("parameters").index(i), "parameter")?;
            let d = p.parameter_data_ref();
            let shadowed = resolved.iter().any(|(q, _)| {
                let e = q.parameter_data_ref();
                e.name == d.name && std::mem::discriminant(q) == std::mem::discriminant(&*p)
            });
            if !shadowed {
                resolved.push((p.into_owned(), p_at));
            }
        }
        let mut params = Vec::with_capacity(resolved.len());
        for (p, p_at) in &resolved {
            params.push(self.param(&id, p, p_at)?);
        }
        let path_parts = path_template(path, &mut params);

        let body = match &op.request_body {
            None => None,
            Some(rb) => {
                let (rb, rb_at) = self.resolver.item(rb, &at.push("requestBody"), "request body")?;
                self.body(&id, &rb, &rb_at)?
            }
        };

        let (success, errors) = self.responses(&id, &op.responses, &at.push("responses"))?;

        let security = op
            .security
            .as_ref()
            .or(self.api.security.as_ref())
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
            params,
            body,
            success,
            errors,
            security,
            pointer: at.clone(),
        })
    }

    fn param(&mut self, op_id: &str, p: &Parameter, at: &Pointer) -> Result<Param> {
        let d = p.parameter_data_ref();
        let (location, explode) = match p {
            Parameter::Query { style, .. } => (
                ParamLocation::Query,
                d.explode.unwrap_or(matches!(style, openapiv3::QueryStyle::Form)),
            ),
            Parameter::Header { .. } => (ParamLocation::Header, d.explode.unwrap_or(false)),
            Parameter::Path { .. } => (ParamLocation::Path, d.explode.unwrap_or(false)),
            Parameter::Cookie { .. } => (ParamLocation::Cookie, d.explode.unwrap_or(true)),
        };
        let (ty, nullable) = match &d.format {
            ParameterSchemaOrContent::Schema(s) => {
                self.ty(s, &at.push("schema"), &[op_id.to_string(), d.name.clone()])?
            }
            ParameterSchemaOrContent::Content(_) => {
                return Err(Error::unsupported(
                    &at.push("content"),
                    "parameters described by `content`",
                    "parameters described by `schema`",
                ))
            }
        };
        // A null parameter cannot be sent; nullable only means "may be left out".
        let _ = nullable;
        Ok(Param {
            name: d.name.clone(),
            location,
            required: d.required || location == ParamLocation::Path,
            ty,
            docs: d.description.clone(),
            explode,
        })
    }

    fn body(&mut self, op_id: &str, rb: &openapiv3::RequestBody, at: &Pointer) -> Result<Option<Body>> {
        if rb.content.is_empty() {
            return Ok(None);
        }
        // Prefer JSON when the spec offers a choice: it is what the types describe.
        let chosen = rb
            .content
            .iter()
            .find(|(m, _)| is_json(m))
            .or_else(|| rb.content.iter().find(|(m, _)| media_kind_supported_for_request(m)));
        let Some((media, mt)) = chosen else {
            let (media, _) = rb.content.first().expect("checked non-empty");
            return Err(Error::unsupported(
                &at.push("content").push(media),
                format!("request bodies of type `{media}`"),
                "application/json (and +json), text/*, application/octet-stream and other raw bodies",
            ));
        };
        let media_at = at.push("content").push(media);
        let kind = self.content_kind(media, mt, &media_at, &[op_id.to_string(), "Request".to_string()])?;
        Ok(Some(Body { media_type: media.clone(), kind, required: rb.required, docs: rb.description.clone() }))
    }

    fn content_kind(&mut self, media: &str, mt: &openapiv3::MediaType, at: &Pointer, place: &[String]) -> Result<BodyKind> {
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
        let is_binary = match &mt.schema {
            Some(ReferenceOr::Item(s)) => matches!(
                &s.schema_kind,
                SchemaKind::Type(Type::String(st)) if st.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
            ),
            _ => false,
        };
        if media.starts_with("text/") && !is_binary {
            Ok(BodyKind::Text)
        } else {
            Ok(BodyKind::Bytes)
        }
    }

    fn responses(
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
            let outcomes = if key.is_success() { &mut success } else { &mut errors };
            if r.content.is_empty() {
                outcomes.push(Outcome { status: key, docs, content: None });
                continue;
            }
            let json_here = r.content.keys().filter(|m| is_json(m)).count();
            for (media, mt) in &r.content {
                let mut place = vec![op_id.to_string(), "Response".to_string()];
                if json_bodies > 1 {
                    place.push(label.clone());
                    if json_here > 1 {
                        place.push(media.clone());
                    }
                }
                let kind = self.content_kind(media, mt, &r_at.push("content").push(media), &place)?;
                outcomes.push(Outcome {
                    status: key,
                    docs: docs.clone(),
                    content: Some(Content { media_type: media.clone(), kind }),
                });
            }
        }
        Ok((success, errors))
    }

    fn security_schemes(&mut self) -> Result<Vec<SecurityScheme>> {
        let Some(components) = &self.api.components else { return Ok(Vec::new()) };
        let base = Pointer::root().push("components").push("securitySchemes");
        let mut out = Vec::new();
        for (name, scheme) in &components.security_schemes {
            let (scheme, _) = self.resolver.item(scheme, &base.push(name), "security scheme")?;
            let (kind, docs) = match &*scheme {
                openapiv3::SecurityScheme::HTTP { scheme, description, .. } => {
                    let kind = match scheme.to_ascii_lowercase().as_str() {
                        "bearer" => SecurityKind::Bearer,
                        "basic" => SecurityKind::Basic,
                        // Digest and friends need a challenge round-trip; the
                        // client sends what the caller puts in headers instead.
                        _ => continue,
                    };
                    (kind, description.clone())
                }
                openapiv3::SecurityScheme::APIKey { location, name: param, description, .. } => (
                    SecurityKind::ApiKey {
                        location: match location {
                            openapiv3::APIKeyLocation::Header => ApiKeyLocation::Header,
                            openapiv3::APIKeyLocation::Query => ApiKeyLocation::Query,
                            openapiv3::APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                        },
                        param: param.clone(),
                    },
                    description.clone(),
                ),
                openapiv3::SecurityScheme::OAuth2 { flows, description, .. } => (
                    SecurityKind::OAuth2 {
                        token_url: flows.client_credentials.as_ref().map(|f| f.token_url.clone()),
                    },
                    description.clone(),
                ),
                openapiv3::SecurityScheme::OpenIDConnect { description, .. } => {
                    (SecurityKind::OAuth2 { token_url: None }, description.clone())
                }
            };
            out.push(SecurityScheme { name: name.clone(), kind, docs });
        }
        Ok(out)
    }
}

fn nullable_if(ty: Ty, nullable: bool) -> Ty {
    if nullable && !matches!(ty, Ty::Nullable(_) | Ty::Json) {
        Ty::Nullable(Box::new(ty))
    } else {
        ty
    }
}

fn dedup(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn unsupported_composition(at: &Pointer, which: &str) -> Error {
    Error::unsupported(
        &at.push(which),
        format!("`{which}` with more than one schema"),
        "a single-schema `allOf` (a reference with a description); composition is planned",
    )
}

pub(crate) fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json") || essence.ends_with("/json")
}

fn media_kind_supported_for_request(media: &str) -> bool {
    let m = media.to_ascii_lowercase();
    !(m.starts_with("multipart/") || m.starts_with("application/x-www-form-urlencoded"))
}

/// Splits `/a/{id}/b` into literals and parameter references. A template
/// parameter the operation does not declare becomes a required string
/// parameter (specs in the wild forget them); declared path parameters the
/// template never uses are dropped, since there is nowhere to send them.
fn path_template(path: &str, params: &mut Vec<Param>) -> Vec<PathPart> {
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
        let idx = match params.iter().position(|p| p.location == ParamLocation::Path && p.name == name) {
            Some(i) => i,
            None => {
                params.push(Param {
                    name: name.to_string(),
                    location: ParamLocation::Path,
                    required: true,
                    ty: Ty::String,
                    docs: None,
                    explode: false,
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
    let rest_required = (0..params.len()).filter(|i| params[*i].location != ParamLocation::Path && params[*i].required);
    let rest_optional = (0..params.len()).filter(|i| params[*i].location != ParamLocation::Path && !params[*i].required);
    order.extend(rest_required.chain(rest_optional).collect::<Vec<_>>());
    let mut new_index = vec![usize::MAX; params.len()];
    for (new, old) in order.iter().enumerate() {
        new_index[*old] = new;
    }
    let mut taken: Vec<Option<Param>> = std::mem::take(params).into_iter().map(Some).collect();
    *params = order.iter().map(|old| taken[*old].take().expect("each parameter placed once")).collect();
    parts
        .into_iter()
        .map(|p| match p {
            PathPart::Param(i) => PathPart::Param(new_index[i]),
            lit => lit,
        })
        .collect()
}

fn servers(api: &OpenAPI) -> Vec<Server> {
    api.servers
        .iter()
        .map(|s| {
            let mut url = s.url.clone();
            if let Some(vars) = &s.variables {
                for (name, var) in vars {
                    url = url.replace(&format!("{{{name}}}"), &var.default);
                }
            }
            Server { url, description: s.description.clone() }
        })
        .collect()
}

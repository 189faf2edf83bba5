//! Lowering: the resolved OpenAPI document becomes the model.
//!
//! Every component schema gets a `TypeId` up front, so references (including
//! recursive ones) are just ids. Inline object and enum schemas become types
//! named from where they sit. A schema reached through a `$ref` that is not a
//! component is lowered once, memoized by its pointer.

mod all_of;
mod operations;
pub mod resolve;
mod schemas;
mod security;

use std::collections::HashMap;

use serde_json::Value;

use openapiv3::{
    AdditionalProperties, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use crate::error::{says, Error, Result};
use crate::input::{part, path_item, path_item_text, ref_or, Document, PathSource, Raw};
use crate::model::*;
use crate::pointer::Pointer;
use resolve::Resolver;
use schemas::nullable_if;

pub fn lower(doc: &Document) -> Result<Api> {
    let root = Pointer::root();
    let security = optional_part(&doc.raw, &root.push("security"))?;
    let servers_part: Vec<openapiv3::Server> =
        optional_part(&doc.raw, &root.push("servers"))?.unwrap_or_default();
    let mut lowerer = Lowerer {
        raw: doc.raw.tree(),
        security,
        resolver: Resolver::new(&doc.raw),
        types: Vec::new(),
        by_pointer: HashMap::new(),
        nullable_components: Default::default(),
        following: Vec::new(),
        depth: 0,
        home: None,
    };
    lowerer.components()?;
    let operations = lowerer.operations()?;
    let security_schemes = lowerer.security_schemes()?;
    let info = &doc.info;
    Ok(Api {
        title: info.title.clone(),
        version: info.version.clone(),
        description: info.description.clone(),
        part_of: None,
        servers: servers(&servers_part),
        types: lowerer.types,
        operations,
        security_schemes,
        sharing: Sharing::default(),
        features: Features::default(),
    })
}

/// The part at `at`, if the document has one (`null` counts as none, as
/// it does for openapiv3's optional fields).
fn optional_part<T: serde::de::DeserializeOwned>(raw: &Raw, at: &Pointer) -> Result<Option<T>> {
    raw.pointer(at.as_json_pointer()).filter(|v| !v.is_null()).map(|v| part(v, at)).transpose()
}

/// The entries of the map at `at` (none if there is no such map), in
/// document order.
fn entries<'v>(raw: &'v Value, at: &Pointer) -> Result<Vec<(&'v str, &'v Value)>> {
    match raw.pointer(at.as_json_pointer()) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(map)) => Ok(map.iter().map(|(k, v)| (k.as_str(), v)).collect()),
        Some(other) => Err(Error::invalid(
            at,
            format!("not valid OpenAPI 3.0: expected a map, found {}", says::kind_of(other)),
        )),
    }
}

struct Lowerer<'a> {
    raw: &'a Value,
    /// The document's default security requirements.
    security: Option<Vec<openapiv3::SecurityRequirement>>,
    resolver: Resolver<'a>,
    types: Vec<TypeDef>,
    /// Schemas that already have a type: components, and inline schemas
    /// reached by `$ref`.
    by_pointer: HashMap<Pointer, TypeId>,
    /// Component schemas that say `nullable: true`: every place that refers
    /// to one may be null (GitHub's `nullable-simple-user`), as a field,
    /// item or body, so the `Option` goes where it is used.
    nullable_components: std::collections::HashSet<TypeId>,
    /// The targets of the `$ref`s being lowered, innermost last: a schema
    /// that is no component and refers to itself (`#/x-defs/L`, an array of
    /// `L`) has no type to name, and its inner use is any JSON value.
    following: Vec<Pointer>,
    /// How deeply inline schemas and `$ref`s are nested here (see `MAX_DEPTH`).
    depth: usize,
    /// The operation being lowered: a schema inside it that another
    /// operation reached first by `$ref` is named from here, its home.
    home: Option<Pointer>,
}

/// How deeply schemas may nest, counting each inline schema and each `$ref`
/// followed: lowering recurses once per level, so without a bound a chain
/// of thousands of schemas each referring to the next overflows the stack.
/// Real specs nest a few dozen levels at most.
pub const MAX_DEPTH: usize = 128;

/// Below this much stack left, a level of lowering runs on a new segment
/// of `STACK_SEGMENT` bytes (`stacker`, as rustc does).
const STACK_RED_ZONE: usize = 256 * 1024;
const STACK_SEGMENT: usize = 4 * 1024 * 1024;

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
    fn new_type(
        &mut self,
        name: NameHint,
        docs: Option<String>,
        pointer: Pointer,
        kind: TypeKind,
    ) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name,
            docs,
            kind,
            pointer,
            summary: None,
            derives: Vec::new(),
            deprecated: false,
        });
        id
    }

    fn components(&mut self) -> Result<()> {
        let base = Pointer::root().push("components").push("schemas");
        // Reserve first: a schema may refer to one defined later, or to itself.
        let ids: Vec<(TypeId, &str, &Value)> = entries(self.raw, &base)?
            .into_iter()
            .map(|(name, value)| {
                let ptr = base.push(name);
                let id = self.new_type(
                    NameHint::Component(name.to_string()),
                    None,
                    ptr.clone(),
                    TypeKind::Alias(Ty::Json),
                );
                self.by_pointer.insert(ptr, id);
                if value.get("nullable") == Some(&Value::Bool(true)) {
                    self.nullable_components.insert(id);
                }
                self.types[id.0].deprecated = value.get("deprecated") == Some(&Value::Bool(true));
                (id, name, value)
            })
            .collect();
        for (id, name, value) in ids {
            let at = base.push(name);
            let schema: ReferenceOr<Schema> = ref_or(value, &at)?;
            let place = vec![name.to_string()];
            let (kind, docs) = match &schema {
                ReferenceOr::Reference { .. } => {
                    let (ty, nullable) = self.ty(&schema, &at, &place)?;
                    (TypeKind::Alias(nullable_if(ty, nullable)), None)
                }
                ReferenceOr::Item(s) => {
                    // Nullable is said where the component is used.
                    let kind = match self.schema(s, &at, &place)? {
                        Lowered::Kind(k) => k,
                        Lowered::Ty(t) => TypeKind::Alias(t),
                    };
                    (kind, docs(&s.schema_data))
                }
            };
            self.types[id.0].kind = kind;
            self.types[id.0].docs = docs;
        }
        Ok(())
    }

    /// `step` one level deeper, or an error at the limit.
    fn deeper<T>(&mut self, at: &Pointer, step: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.depth >= MAX_DEPTH {
            return Err(Error::unsupported(
                at,
                "schemas nested too deeply",
                format!("schemas nested up to {MAX_DEPTH} levels deep, `$ref`s included"),
            )
            .with_message(format!("schemas nest more than {MAX_DEPTH} levels deep here")));
        }
        self.depth += 1;
        // A level of lowering takes several frames, large ones in a debug
        // build: 128 levels overflowed a 2 MiB thread stack (an abort, no
        // error). The stack grows on the heap instead, whatever thread
        // codegen runs on.
        let out = stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || step(self));
        self.depth -= 1;
        out
    }
}

/// `ty`, unless it nests deeper than a Rust type may (`MAX_TYPE_NESTING`).
fn nested(ty: Ty, at: &Pointer) -> Result<Ty> {
    if ty.nesting() <= MAX_TYPE_NESTING {
        return Ok(ty);
    }
    Err(Error::unsupported(
        at,
        "arrays or maps nested too deeply",
        format!("arrays and maps nested up to {MAX_TYPE_NESTING} deep"),
    )
    .with_message(format!("arrays and maps nest more than {MAX_TYPE_NESTING} deep here")))
}

fn servers(servers: &[openapiv3::Server]) -> Vec<Server> {
    servers
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

#[cfg(test)]
mod tests {
    use crate::testing::{lowered, model, spec};

    fn check(paths: &str, components: &str) -> String {
        model(&lowered(&spec(paths, components)))
    }

    #[test]
    fn components_first_then_inline_types_named_from_their_place() {
        let paths = "
/pets/{id}:
  get:
    operationId: getPet
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer, format: int64}}
      - {name: fields, in: query, schema: {type: array, items: {type: string}}}
    responses:
      '200':
        description: ok
        content:
          application/json:
            schema:
              type: object
              required: [pet]
              properties:
                pet: {$ref: '#/components/schemas/Pet'}
                seen: {type: string, format: date-time, nullable: true}
      '404': {description: gone}
";
        let components = "schemas:
  Pet:
    type: object
    required: [name]
    properties:
      name: {type: string}
      kind: {type: string, enum: [cat, dog]}
      tags: {type: array, items: {type: object, properties: {t: {type: string}}}}
      extra: {type: object, additionalProperties: {type: integer}}
";
        insta::assert_snapshot!(check(paths, components), @r"
        #0 Pet = {name: String, kind?: #1, tags?: [#2], extra?: {..: Int(I64)}}
        #1 Pet.kind = enum cat | dog
        #2 Pet.tags.Item = {t?: String}
        #3 getPet.Response = {pet: #0, seen?: DateTime | null}
        getPet GET /pets/{id} (Path id: Int(I64), Query fields?: [String]) -> [Code(200) application/json as json #3] ! [Code(404)]
        ");
    }

    #[test]
    fn all_of_merges_and_one_of_with_a_discriminator_is_tagged() {
        let components = "schemas:
  Base: {type: object, required: [id], properties: {id: {type: string}}}
  Cat: {allOf: [{$ref: '#/components/schemas/Base'}, {type: object, properties: {purrs: {type: boolean}}}]}
  Dog: {type: object, properties: {barks: {type: boolean}}}
  Pet:
    oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
    discriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}}
  Maybe: {anyOf: [{$ref: '#/components/schemas/Dog'}, {type: object, nullable: true}]}
";
        insta::assert_snapshot!(check("{}", components), @r"
        #0 Base = {id: String}
        #1 Cat = {id: String, purrs?: Bool}
        #2 Dog = {barks?: Bool}
        #3 Pet = one of by kind (cat: #1, dog: #2)
        #4 Maybe = #2?
        ");
    }

    /// A component that says `nullable: true` may be null wherever it is
    /// used (GitHub's `nullable-simple-user` as `owner`); before, only
    /// inline schemas could (found by `cargo xtask conformance`).
    #[test]
    fn a_nullable_component_is_nullable_where_it_is_used() {
        let components = "schemas:
  User: {type: object, nullable: true, properties: {login: {type: string}}}
  Name: {type: string, nullable: true}
  App: {type: object, required: [owner, name], properties: {owner: {$ref: '#/components/schemas/User'}, name: {$ref: '#/components/schemas/Name'}, users: {type: array, items: {$ref: '#/components/schemas/User'}}}}
";
        insta::assert_snapshot!(check("{}", components), @r"
        #0 User = {login?: String}
        #1 Name = String
        #2 App = {owner: #0 | null, name: #1 | null, users?: [#0?]}
        ");
    }

    #[test]
    fn a_no_content_answer_has_no_body_whatever_the_spec_says() {
        let paths = "
/a:
  delete:
    operationId: del
    responses:
      '204': {description: gone, content: {application/json: {schema: {type: object}}}}
";
        let api = lowered(&spec(paths, "{}"));
        assert_eq!(api.operations[0].success[0].content, None);
    }

    /// A media range is no `Content-Type`: breadcrumbs lists
    /// `application/*+json` first, and the client sent it (found by
    /// `cargo xtask conformance`).
    #[test]
    fn a_body_is_sent_as_a_concrete_media_type() {
        let paths = "
/a:
  post:
    operationId: a
    requestBody: {content: {application/*+json: {schema: {type: object}}, application/json: {schema: {type: object}}}}
    responses: {'200': {description: ok}}
/b:
  post:
    operationId: b
    requestBody: {content: {application/*+json: {schema: {type: object}}}}
    responses: {'200': {description: ok}}
/c:
  post:
    operationId: c
    requestBody: {content: {'*/*': {schema: {type: string, format: binary}}}}
    responses: {'200': {description: ok}}
";
        let api = lowered(&spec(paths, "{}"));
        let media: Vec<&str> =
            api.operations.iter().map(|o| o.body.as_ref().unwrap().media_type.as_str()).collect();
        assert_eq!(media, ["application/json", "application/json", "application/octet-stream"]);
    }

    /// A required name the schema does not describe still needs a field,
    /// or no caller could send it (telnyx, xero; found by `cargo xtask
    /// conformance`). A map already carries it.
    #[test]
    fn a_required_name_without_a_schema_gets_a_field() {
        let components = "schemas:
  Call: {type: object, required: [name, name, timeout], properties: {timeout: {type: integer}}}
  Open: {type: object, required: [name], properties: {a: {type: string}}, additionalProperties: {type: string}}
";
        insta::assert_snapshot!(check("{}", components), @r"
        #0 Call = {timeout: Int(I64), name?: Json}
        #1 Open = {a?: String, ..: String}
        ");
    }

    /// A required read-only property is not sent, and a required
    /// write-only one not received: neither is required of the one type
    /// that serves both (apideck's `id`, found by `cargo xtask conformance`).
    #[test]
    fn required_read_only_and_write_only_properties_are_optional() {
        let components = "schemas:
  Id: {type: string, readOnly: true}
  User: {type: object, required: [id, ref_id, password, name], properties: {id: {type: string, readOnly: true}, ref_id: {$ref: '#/components/schemas/Id'}, password: {type: string, writeOnly: true}, name: {type: string}}}
";
        insta::assert_snapshot!(check("{}", components), @r"
        #0 Id = String
        #1 User = {id?: String, ref_id?: #0, password?: String, name: String}
        ");
    }

    /// The stated type wins over keywords of another type: dataatwork's
    /// `Jobs` is `type: array` with `items` and `properties` (found by
    /// `cargo xtask conformance`).
    #[test]
    fn a_stated_type_wins_over_another_types_keywords() {
        let components = "schemas:
  Jobs: {type: array, items: {type: string}, properties: {links: {type: array, items: {type: string}}}}
  Loose: {properties: {a: {type: string}}, minItems: 1}
";
        insta::assert_snapshot!(check("{}", components), @r"
        #0 Jobs = [String]
        #1 Loose = {a?: String}
        ");
    }

    /// OpenAPI says to ignore `Accept` and `Content-Type` header parameters:
    /// the client sets both (rev.ai declares an `Accept` with an enum, and
    /// sending it beside the negotiated one failed under `conformance`).
    #[test]
    fn accept_and_content_type_parameters_are_ignored_and_authorization_kept() {
        let paths = "
/a:
  get:
    operationId: get
    parameters:
      - {name: Accept, in: header, schema: {type: string, enum: [text/vtt]}}
      - {name: content-type, in: header, schema: {type: string}}
      - {name: Authorization, in: header, required: true, schema: {type: string}}
    responses:
      '200': {description: ok}
";
        insta::assert_snapshot!(check(paths, "schemas: {}"), @"get GET /a (Header Authorization: String) -> [Code(200)] ! []");
    }

    #[test]
    fn parameters_are_ordered_path_then_required_then_optional() {
        let paths = "
/a/{y}/{x}:
  parameters:
    - {name: shared, in: query, schema: {type: string}}
  post:
    operationId: post
    parameters:
      - {name: opt, in: query, schema: {type: boolean}}
      - {name: x, in: path, required: true, schema: {type: string}}
      - {name: req, in: header, required: true, schema: {type: string}}
      - {name: y, in: path, required: true, schema: {type: number, format: float}}
    requestBody:
      content: {application/x-www-form-urlencoded: {schema: {type: object, properties: {f: {type: string}}}}}
    responses:
      '201': {description: made, content: {text/plain: {schema: {type: string}}}}
      4XX: {description: bad}
      default: {description: other}
";
        insta::assert_snapshot!(check(paths, "schemas: {}"), @r"
        #0 post.Request = {f?: String}
        post POST /a/{y}/{x} (Path y: Float, Path x: String, Header req: String, Query opt?: Bool, Query shared?: String) body application/x-www-form-urlencoded -> [Code(201) text/plain as text] ! [Range(4), Default]
        ");
    }

    #[test]
    fn an_answer_of_any_media_type_with_a_structured_schema_is_json() {
        let paths = "
/r:
  get:
    operationId: r
    responses:
      '200': {description: ok, content: {'*/*': {schema: {$ref: '#/components/schemas/R'}}}}
      '201': {description: ok, content: {'*/*': {schema: {type: string, format: binary}}}}
      '202': {description: ok, content: {'application/*': {schema: {type: array, items: {type: integer}}}}}
      '203': {description: ok, content: {'*/*': {}}}
";
        let components = "schemas:\n  R: {type: object, properties: {a: {type: string}}}\n";
        insta::assert_snapshot!(check(paths, components), @r"
        #0 R = {a?: String}
        r GET /r () -> [Code(200) */* as json #0, Code(201) */* as bytes, Code(202) application/* as json [Int(I64)], Code(203) */* as bytes] ! []
        ");
    }
}

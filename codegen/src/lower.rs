//! Stage 3, lower: the resolved OpenAPI document becomes the model.
//!
//! Every component schema gets a `TypeId` up front, so references (including
//! recursive ones) are just ids. Inline object and enum schemas become types
//! named from where they sit. A schema reached through a `$ref` that is not a
//! component is lowered once, memoized by its pointer.

use std::collections::HashMap;

use serde_json::Value;

use openapiv3::{
    AdditionalProperties, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use crate::error::{Error, Result};
use crate::load::{part, path_item, path_item_text, ref_or, Document, PathSource, Raw};
use crate::model::*;
use crate::pointer::Pointer;
use crate::resolve::Resolver;

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
        following: Vec::new(),
        depth: 0,
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
            format!("not valid OpenAPI 3.0: expected a map, found {}", kind_of(other)),
        )),
    }
}

/// Keywords of the schema itself rather than of its values (docs, flags,
/// examples, discriminator, extensions). A merged `allOf` takes these from
/// the outer schema alone, so merging skips them in its members.
fn is_schema_data(key: &str) -> bool {
    matches!(
        key,
        "nullable"
            | "readOnly"
            | "writeOnly"
            | "deprecated"
            | "externalDocs"
            | "example"
            | "title"
            | "description"
            | "discriminator"
            | "default"
    ) || key.starts_with("x-")
}

/// A copy of an `allOf` member with only the keywords merging keeps:
/// Microsoft Graph's base entity carries a discriminator mapping of 1,500
/// entries, which every merge copied and read only to drop it.
fn merged_keywords(v: &Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(k, _)| !is_schema_data(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a sequence",
        Value::Object(_) => "a map",
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
    /// The targets of the `$ref`s being lowered, innermost last: a schema
    /// that is no component and refers to itself (`#/x-defs/L`, an array of
    /// `L`) has no type to name, and its inner use is any JSON value.
    following: Vec<Pointer>,
    /// How deeply inline schemas and `$ref`s are nested here (see `MAX_DEPTH`).
    depth: usize,
}

/// How deeply schemas may nest, counting each inline schema and each `$ref`
/// followed: lowering recurses once per level, so without a bound a chain
/// of thousands of schemas each referring to the next overflows the stack.
/// Real specs nest a few dozen levels at most.
pub const MAX_DEPTH: usize = 128;

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
        self.types.push(TypeDef { name, docs, kind, pointer, in_request: false });
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
    fn ty(
        &mut self,
        schema: &ReferenceOr<Schema>,
        at: &Pointer,
        place: &[String],
    ) -> Result<(Ty, bool)> {
        match schema {
            ReferenceOr::Reference { reference } => self.ty_ref(reference, at, place),
            ReferenceOr::Item(s) => Ok((self.inline(s, at, place)?, s.schema_data.nullable)),
        }
    }

    /// `ty` for the boxed schemas openapiv3 uses in properties and items.
    fn boxed_ty(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        at: &Pointer,
        place: &[String],
    ) -> Result<(Ty, bool)> {
        match schema {
            ReferenceOr::Reference { reference } => self.ty_ref(reference, at, place),
            ReferenceOr::Item(s) => Ok((self.inline(s, at, place)?, s.schema_data.nullable)),
        }
    }

    fn ty_ref(&mut self, reference: &str, at: &Pointer, place: &[String]) -> Result<(Ty, bool)> {
        self.deeper(at, |this| this.ty_ref_in(reference, at, place))
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
        let out = step(self);
        self.depth -= 1;
        out
    }

    fn ty_ref_in(&mut self, reference: &str, at: &Pointer, place: &[String]) -> Result<(Ty, bool)> {
        let target = self.resolver.target(reference, at)?;
        if let Some(id) = self.by_pointer.get(&target) {
            return Ok((Ty::Named(*id), false));
        }
        let as_ref = ReferenceOr::<Schema>::Reference { reference: reference.to_string() };
        let (resolved, target) = self.resolver.item(&as_ref, at, "schema")?;
        if let Some(id) = self.by_pointer.get(&target) {
            return Ok((Ty::Named(*id), false));
        }
        let resolved = resolved.into_owned();
        // A schema from another file is named after its own key there (`Pet`).
        let bundled_name;
        let place = match target.segments().collect::<Vec<_>>().as_slice() {
            [first, .., last] if first == crate::bundle::BUNDLED && !last.is_empty() => {
                bundled_name = [last.clone()];
                &bundled_name[..]
            }
            _ => place,
        };
        if self.following.contains(&target) {
            return Ok((Ty::Json, false));
        }
        self.following.push(target.clone());
        let ty = self.inline(&resolved, &target, place);
        self.following.pop();
        Ok((ty?, resolved.schema_data.nullable))
    }

    /// An inline schema: a plain type, or a new type named from `place`.
    /// The new type's id is taken before its children are lowered, so that
    /// parents come before children in the arena (and in the output), and it
    /// is remembered by pointer, so a schema reached twice (directly and via
    /// a `$ref` or an `allOf` copy) is one type, and recursion ends.
    fn inline(&mut self, s: &Schema, at: &Pointer, place: &[String]) -> Result<Ty> {
        self.deeper(at, |this| this.inline_in(s, at, place))
    }

    fn inline_in(&mut self, s: &Schema, at: &Pointer, place: &[String]) -> Result<Ty> {
        if let Some(id) = self.by_pointer.get(at) {
            return Ok(Ty::Named(*id));
        }
        let merged;
        let s = match &s.schema_kind {
            SchemaKind::AllOf { all_of } => match self.all_of(all_of, &s.schema_data, at)? {
                AllOf::Reference(only) => return Ok(self.ty(only, &at.push("allOf"), place)?.0),
                AllOf::Merged(m) => {
                    merged = *m;
                    &merged
                }
            },
            _ => s,
        };
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
                    let id = self.new_type(
                        NameHint::Place(place.to_vec()),
                        docs(&s.schema_data),
                        at.clone(),
                        kind,
                    );
                    Ok(Ty::Named(id))
                }
            };
        }
        let id = self.new_type(
            NameHint::Place(place.to_vec()),
            docs(&s.schema_data),
            at.clone(),
            TypeKind::Alias(Ty::Json),
        );
        self.by_pointer.insert(at.clone(), id);
        self.types[id.0].kind = match self.schema(s, at, place)? {
            Lowered::Kind(kind) => kind,
            Lowered::Ty(t) => TypeKind::Alias(t),
        };
        Ok(Ty::Named(id))
    }

    fn schema(&mut self, s: &Schema, at: &Pointer, place: &[String]) -> Result<Lowered> {
        match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) if st.enumeration.iter().any(Option::is_some) => {
                let values: Vec<String> = dedup(st.enumeration.iter().flatten().cloned());
                Ok(Lowered::Kind(TypeKind::Enum(StringEnum { values })))
            }
            SchemaKind::Type(
                Type::String(_) | Type::Number(_) | Type::Integer(_) | Type::Boolean(_),
            ) => Ok(Lowered::Ty(
                scalar_ty(&s.schema_kind).expect("strings, numbers and booleans are scalars"),
            )),
            SchemaKind::Type(Type::Array(a)) => {
                Ok(Lowered::Ty(self.list(a.items.as_ref(), at, place)?))
            }
            SchemaKind::Type(Type::Object(o)) => {
                self.object(&o.properties, &o.required, o.additional_properties.as_ref(), at, place)
            }
            SchemaKind::AllOf { all_of } => match self.all_of(all_of, &s.schema_data, at)? {
                AllOf::Reference(only) => {
                    let (t, nullable) = self.ty(only, &at.push("allOf"), place)?;
                    Ok(Lowered::Ty(nullable_if(t, nullable)))
                }
                AllOf::Merged(merged) => self.schema(&merged, at, place),
            },
            SchemaKind::OneOf { one_of } => {
                self.union(one_of, s.schema_data.discriminator.as_ref(), &at.push("oneOf"), place)
            }
            SchemaKind::AnyOf { any_of } => {
                self.union(any_of, s.schema_data.discriminator.as_ref(), &at.push("anyOf"), place)
            }
            SchemaKind::Not { .. } => Ok(Lowered::Ty(Ty::Json)),
            SchemaKind::Any(any) => self.any(s, any, at, place),
        }
    }

    /// openapiv3 files a schema as "any" when its keywords do not fit one
    /// type exactly (`minLength` on an integer, an `enum` of mixed values,
    /// `allOf` beside `properties`). Read it by its `type`, leniently.
    fn any(
        &mut self,
        s: &Schema,
        any: &openapiv3::AnySchema,
        at: &Pointer,
        place: &[String],
    ) -> Result<Lowered> {
        if !any.all_of.is_empty() {
            let merged = self.merge_all_of(&any.all_of, Some(s), &s.schema_data, at)?;
            return self.schema(&merged, at, place);
        }
        let discriminator = s.schema_data.discriminator.as_ref();
        if !any.one_of.is_empty() {
            return self.union(&any.one_of, discriminator, &at.push("oneOf"), place);
        }
        if !any.any_of.is_empty() {
            return self.union(&any.any_of, discriminator, &at.push("anyOf"), place);
        }
        if !any.properties.is_empty()
            || any.typ.as_deref() == Some("object")
            || any.additional_properties.is_some()
        {
            return self.object(
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                at,
                place,
            );
        }
        let format = any.format.as_deref().unwrap_or("");
        Ok(Lowered::Ty(match any.typ.as_deref() {
            Some("string") => {
                let values: Vec<String> =
                    dedup(any.enumeration.iter().filter(|v| !v.is_null()).map(|v| match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    }));
                if !values.is_empty() {
                    return Ok(Lowered::Kind(TypeKind::Enum(StringEnum { values })));
                }
                string_ty(format)
            }
            Some("integer") => integer_ty(format),
            Some("number") => number_ty(format),
            Some("boolean") => Ty::Bool,
            Some("array") => self.list(any.items.as_ref(), at, place)?,
            Some("null") | None => Ty::Json,
            Some(other) => {
                return Err(Error::unsupported(
                    &at.push("type"),
                    "unknown schema type",
                    "string, number, integer, boolean, array, object",
                )
                .with_message(format!("schema type `{other}` is not an OpenAPI type")))
            }
        }))
    }

    /// An array: a list of its items' type (any JSON value when not given).
    fn list(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        at: &Pointer,
        place: &[String],
    ) -> Result<Ty> {
        let item = match items {
            Some(items) => {
                let (t, nullable) =
                    self.boxed_ty(items, &at.push("items"), &place_with(place, "Item"))?;
                nullable_if(t, nullable)
            }
            None => Ty::Json,
        };
        nested(Ty::List(Box::new(item)), at)
    }

    /// What an `allOf` stands for. `allOf: [$ref]` (with members that only
    /// add docs) is how 3.0 documents a reference: it *is* the referenced
    /// type. Anything else is merged into one schema.
    fn all_of<'m>(
        &self,
        members: &'m [ReferenceOr<Schema>],
        data: &openapiv3::SchemaData,
        at: &Pointer,
    ) -> Result<AllOf<'m>> {
        Ok(match sole_structural_member(members) {
            Some(only) => AllOf::Reference(only),
            None => AllOf::Merged(Box::new(self.merge_all_of(members, None, data, at)?)),
        })
    }

    /// `allOf`: every member's keywords in one schema. Members are resolved
    /// (nested `allOf`s flattened), `properties` and `required` are unioned,
    /// other keywords are taken from the first member that has them, and the
    /// outer schema's own description and nullability win.
    fn merge_all_of(
        &self,
        members: &[ReferenceOr<Schema>],
        outer: Option<&Schema>,
        outer_data: &openapiv3::SchemaData,
        at: &Pointer,
    ) -> Result<Schema> {
        use serde_json::{Map, Value};
        let mut acc = Map::new();
        // Every schema reached through a `$ref`, at any depth, is merged
        // once: merging it again adds nothing, and members that share
        // ancestors (a diamond at every level) made a 5.5 KB spec take 92 s.
        let mut seen = std::collections::HashSet::new();
        for (i, m) in members.iter().enumerate() {
            let (value, source) = match m {
                ReferenceOr::Reference { reference } => {
                    let (v, target) =
                        self.resolver.follow(reference, &at.push("allOf").index(i))?;
                    if !seen.insert(target.clone()) {
                        continue;
                    }
                    (merged_keywords(v), target)
                }
                ReferenceOr::Item(s) => {
                    (serde_json::to_value(s).unwrap_or(Value::Null), at.push("allOf").index(i))
                }
            };
            self.merge_value(&mut acc, value, &source, 0, &mut seen)?;
        }
        if let Some(outer) = outer {
            // `allOf` beside its own `properties`: those count as one more member.
            let mut own = serde_json::to_value(outer).unwrap_or(Value::Null);
            if let Some(o) = own.as_object_mut() {
                o.remove("allOf");
            }
            self.merge_value(&mut acc, own, at, 0, &mut seen)?;
        }
        // The schema's own docs and flags are the outer schema's: `merge_value`
        // leaves the members' out.
        let mut merged: Schema = serde_json::from_value(Value::Object(acc)).map_err(|e| {
            Error::invalid(
                &at.push("allOf"),
                format!("the members of this `allOf` do not merge into one schema: {e}"),
            )
        })?;
        merged.schema_data = openapiv3::SchemaData { discriminator: None, ..outer_data.clone() };
        Ok(merged)
    }

    /// Merges one member, which lives at `source` in the document. Its
    /// subschemas are copied as `$ref`s to where they live, so each is lowered
    /// once, at its own pointer, however many `allOf`s include it (and a
    /// member that contains itself ends in a reference, not an endless copy).
    fn merge_value(
        &self,
        acc: &mut serde_json::Map<String, serde_json::Value>,
        value: serde_json::Value,
        source: &Pointer,
        depth: usize,
        seen: &mut std::collections::HashSet<Pointer>,
    ) -> Result<()> {
        use serde_json::Value;
        if depth > 32 {
            return Err(Error::invalid(
                source,
                "`allOf` nests more than 32 levels deep (a cycle?)",
            ));
        }
        let Value::Object(mut obj) = value else { return Ok(()) };
        if let Some(Value::Array(inner)) = obj.remove("allOf") {
            for (i, m) in inner.into_iter().enumerate() {
                let (m, member_source) = match m.get("$ref").and_then(Value::as_str) {
                    Some(r) => {
                        let (v, target) =
                            self.resolver.follow(r, &source.push("allOf").index(i))?;
                        if !seen.insert(target.clone()) {
                            continue;
                        }
                        (merged_keywords(v), target)
                    }
                    None => (m, source.push("allOf").index(i)),
                };
                self.merge_value(acc, m, &member_source, depth + 1, seen)?;
            }
        }
        let as_ref = |ptr: Pointer| {
            let mut r = serde_json::Map::new();
            r.insert("$ref".into(), Value::String(ptr.to_string()));
            Value::Object(r)
        };
        if let Some(Value::Object(props)) = obj.get_mut("properties") {
            for (name, schema) in props.iter_mut() {
                if schema.get("$ref").is_none() {
                    *schema = as_ref(source.push("properties").push(name));
                }
            }
        }
        for key in ["items", "additionalProperties"] {
            if obj.get(key).is_some_and(|v| v.is_object() && v.get("$ref").is_none()) {
                obj.insert(key.into(), as_ref(source.push(key)));
            }
        }
        for (k, v) in obj {
            if is_schema_data(&k) {
                continue;
            }
            match (k.as_str(), acc.get_mut(&k)) {
                ("properties", Some(Value::Object(existing))) => {
                    if let Value::Object(props) = v {
                        existing.extend(props);
                    }
                }
                ("required", Some(Value::Array(existing))) => {
                    for r in v.as_array().into_iter().flatten() {
                        if !existing.contains(r) {
                            existing.push(r.clone());
                        }
                    }
                }
                (_, Some(_)) => {}
                (_, None) => {
                    acc.insert(k, v);
                }
            }
        }
        if acc.contains_key("properties") && !acc.contains_key("type") {
            acc.insert("type".into(), Value::String("object".into()));
        }
        Ok(())
    }

    /// `oneOf` / `anyOf`. A single member, or one member beside `{type: null}`
    /// style placeholders, is just that member.
    fn union(
        &mut self,
        members: &[ReferenceOr<Schema>],
        discriminator: Option<&openapiv3::Discriminator>,
        at: &Pointer,
        place: &[String],
    ) -> Result<Lowered> {
        let mut variants: Vec<Variant> = Vec::with_capacity(members.len());
        let mut any_nullable = false;
        // `anyOf: [{$ref: X}, {type: object, nullable: true}]` is how several
        // generators (Microsoft Graph's above all) spell "X or null" in 3.0,
        // where `nullable` beside a `$ref` is ignored. Read literally, the
        // second member admits any object too, but no API means that, and an
        // untagged enum per property (thousands in Graph) would make every
        // field harder to use and the crate far slower to compile.
        if let [a, b] = members {
            match (is_null_marker(a), is_null_marker(b)) {
                (false, true) => {
                    return Ok(Lowered::Ty(nullable_if(self.ty(a, &at.index(0), place)?.0, true)))
                }
                (true, false) => {
                    return Ok(Lowered::Ty(nullable_if(self.ty(b, &at.index(1), place)?.0, true)))
                }
                _ => {}
            }
        }
        for (i, m) in members.iter().enumerate() {
            let (ty, nullable) =
                self.ty(m, &at.index(i), &place_with(place, &format!("Variant{i}")))?;
            any_nullable |= nullable;
            let tag_value = match (discriminator, m) {
                (Some(d), ReferenceOr::Reference { reference }) => Some(
                    d.mapping
                        .iter()
                        .find(|(_, target)| {
                            *target == reference
                                || reference.rsplit('/').next() == Some(target.as_str())
                        })
                        .map(|(value, _)| value.clone())
                        .unwrap_or_else(|| {
                            reference.rsplit('/').next().unwrap_or(reference).to_string()
                        }),
                ),
                _ => None,
            };
            if !variants.iter().any(|v| v.ty == ty) {
                variants.push(Variant { ty, tag_value, boxed: false });
            }
        }
        if variants.len() == 1 {
            let only = variants.pop().expect("one variant").ty;
            return Ok(Lowered::Ty(nullable_if(only, any_nullable)));
        }
        let tag = discriminator
            .filter(|_| variants.iter().all(|v| v.tag_value.is_some()))
            .map(|d| d.property_name.clone());
        if tag.is_none() {
            variants.iter_mut().for_each(|v| v.tag_value = None);
        }
        Ok(Lowered::Kind(TypeKind::Union(Union { variants, tag })))
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
                let (t, nullable) =
                    self.ty(s, &at.push("additionalProperties"), &place_with(place, "Value"))?;
                Some(nullable_if(t, nullable))
            }
        };
        if properties.is_empty() {
            // Free-form: `type: object` alone, `properties: {}`, or a typed map.
            return Ok(Lowered::Ty(nested(
                Ty::Map(Box::new(additional_ty.unwrap_or(Ty::Json))),
                at,
            )?));
        }
        let mut fields = Vec::with_capacity(properties.len());
        for (name, prop) in properties {
            let prop_at = at.push("properties").push(name);
            let (ty, nullable) = match self.boxed_ty(prop, &prop_at, &place_with(place, name))? {
                // A field says "nullable" with its flag, which keeps absent and null apart.
                (Ty::Nullable(inner), _) => (*inner, true),
                other => other,
            };
            let docs = match prop {
                ReferenceOr::Item(s) => {
                    with_default(docs(&s.schema_data), s.schema_data.default.as_ref())
                }
                // A property copied in by `allOf` keeps its description.
                ReferenceOr::Reference { reference }
                    if !reference.starts_with("#/components/schemas/") =>
                {
                    self.resolver
                        .target(reference, &prop_at)
                        .ok()
                        .and_then(|t| self.resolver.raw().pointer(t.as_json_pointer()))
                        .and_then(|v| v.get("description").or_else(|| v.get("title")))
                        .and_then(|d| d.as_str())
                        .map(str::to_string)
                }
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
                scope.spawn(move || {
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
                        ops.push(self.operation(
                            path,
                            method,
                            op,
                            &item.parameters,
                            &item_at,
                            &at,
                        )?);
                    }
                }
            }
            Ok(ops)
        })
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
        let mut params = Vec::with_capacity(resolved.len());
        for (p, p_at) in &resolved {
            params.push(self.param(&id, p, p_at)?);
        }
        let path_parts = path_template(path, &mut params);

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
        })
    }

    fn param(&mut self, op_id: &str, p: &Parameter, at: &Pointer) -> Result<Param> {
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
                self.ty(s, &at.push("schema"), &[op_id.to_string(), d.name.clone()])?
            }
            // `content` parameters are serialized as the media type says; JSON
            // (nearly always the one given) is what `Ty::Json` sends.
            ParameterSchemaOrContent::Content(content) => match content.first() {
                Some((media, mt)) if is_json(media) => match &mt.schema {
                    Some(s) => self.ty(
                        s,
                        &at.push("content").push(media).push("schema"),
                        &[op_id.to_string(), d.name.clone()],
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
        })
    }

    fn body(
        &mut self,
        op_id: &str,
        rb: &openapiv3::RequestBody,
        at: &Pointer,
    ) -> Result<Option<Body>> {
        if rb.content.is_empty() {
            return Ok(None);
        }
        // Prefer JSON when the spec offers a choice: it is what the types describe.
        let chosen = rb
            .content
            .iter()
            .find(|(m, _)| is_json(m))
            .or_else(|| rb.content.iter().find(|(m, _)| is_form(m)))
            .or_else(|| rb.content.first());
        let Some((media, mt)) = chosen else { return Ok(None) };
        let media_at = at.push("content").push(media);
        let kind =
            self.content_kind(media, mt, &media_at, &[op_id.to_string(), "Request".to_string()])?;
        Ok(Some(Body {
            media_type: media.clone(),
            kind,
            required: rb.required,
            docs: rb.description.clone(),
        }))
    }

    fn content_kind(
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
            return Ok(BodyKind::Multipart);
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
            let headers = self.response_headers(&r, &r_at)?;
            let outcomes = if key.is_success() { &mut success } else { &mut errors };
            if r.content.is_empty() {
                outcomes.push(Outcome { status: key, docs, content: None, headers });
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
                // A form or multipart *answer* is rare; it is handed over as bytes.
                let kind = if is_form(media) || is_multipart(media) {
                    BodyKind::Bytes
                } else {
                    self.content_kind(media, mt, &r_at.push("content").push(media), &place)?
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
    fn response_headers(
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

    fn security_schemes(&mut self) -> Result<Vec<SecurityScheme>> {
        let base = Pointer::root().push("components").push("securitySchemes");
        let mut out = Vec::new();
        for (name, value) in entries(self.raw, &base)? {
            let scheme: ReferenceOr<openapiv3::SecurityScheme> = ref_or(value, &base.push(name))?;
            let (scheme, _) = self.resolver.item(&scheme, &base.push(name), "security scheme")?;
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
                openapiv3::SecurityScheme::APIKey {
                    location, name: param, description, ..
                } => (
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
            out.push(SecurityScheme { name: name.to_string(), kind, docs });
        }
        Ok(out)
    }
}

enum AllOf<'m> {
    Reference(&'m ReferenceOr<Schema>),
    Merged(Box<Schema>),
}

/// The Rust type of a string, number, integer or boolean schema (a string
/// enum's values aside), by `format`.
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

fn scalar_ty(kind: &SchemaKind) -> Option<Ty> {
    Some(match kind {
        SchemaKind::Type(Type::String(st)) => string_ty(match &st.format {
            VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => "date-time",
            VariantOrUnknownOrEmpty::Item(StringFormat::Date) => "date",
            VariantOrUnknownOrEmpty::Unknown(f) => f.as_str(),
            _ => "",
        }),
        SchemaKind::Type(Type::Number(n)) => number_ty(match &n.format {
            VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => "float",
            _ => "",
        }),
        SchemaKind::Type(Type::Integer(i)) => integer_ty(match &i.format {
            VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => "int32",
            VariantOrUnknownOrEmpty::Unknown(f) => f.as_str(),
            _ => "",
        }),
        SchemaKind::Type(Type::Boolean(_)) => Ty::Bool,
        _ => return None,
    })
}

/// `type: string` by `format` (`binary` and `byte` stay strings in JSON).
fn string_ty(format: &str) -> Ty {
    match format {
        "date-time" => Ty::DateTime,
        "date" => Ty::Date,
        "uri" | "url" => Ty::Url,
        _ => Ty::String,
    }
}

fn integer_ty(format: &str) -> Ty {
    Ty::Int(match format {
        "int32" => IntWidth::I32,
        "uint32" => IntWidth::U32,
        "uint64" => IntWidth::U64,
        _ => IntWidth::I64,
    })
}

fn number_ty(format: &str) -> Ty {
    Ty::Float(if format == "float" { FloatWidth::F32 } else { FloatWidth::F64 })
}

/// The one member of an `allOf` that says anything about structure, when
/// that member is a reference and the others only add docs.
fn sole_structural_member(members: &[ReferenceOr<Schema>]) -> Option<&ReferenceOr<Schema>> {
    let structural: Vec<&ReferenceOr<Schema>> = members
        .iter()
        .filter(|m| match m {
            ReferenceOr::Reference { .. } => true,
            ReferenceOr::Item(s) => !matches!(&s.schema_kind, SchemaKind::Any(a) if *a == openapiv3::AnySchema::default()),
        })
        .collect();
    match structural.as_slice() {
        [only @ ReferenceOr::Reference { .. }] => Some(only),
        _ => None,
    }
}

/// The server's default for an absent value is stated in the docs; the
/// client never fills it in, so what was sent and received stays visible.
fn with_default(docs: Option<String>, default: Option<&serde_json::Value>) -> Option<String> {
    let Some(default) = default else { return docs };
    let line = format!("Default: `{default}`.");
    Some(match docs {
        Some(d) if !d.trim().is_empty() => format!("{}\n\n{line}", d.trim_end()),
        _ => line,
    })
}

/// A union member that only says "or null": `nullable: true` with no type
/// but `object` and nothing that constrains the value.
fn is_null_marker(m: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(s) = m else { return false };
    if !s.schema_data.nullable {
        return false;
    }
    match &s.schema_kind {
        SchemaKind::Type(openapiv3::Type::Object(o)) => {
            o.properties.is_empty()
                && o.required.is_empty()
                && o.additional_properties.is_none()
                && o.min_properties.is_none()
                && o.max_properties.is_none()
        }
        SchemaKind::Any(a) => *a == openapiv3::AnySchema::default(),
        _ => false,
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
    // A set beside the list: `Vec::contains` made 200,000 values take 16 s.
    let mut seen = std::collections::HashSet::new();
    values.filter(|v| seen.insert(v.clone())).collect()
}

pub(crate) fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json") || essence.ends_with("/json")
}

fn is_form(media: &str) -> bool {
    media.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded")
}

fn is_multipart(media: &str) -> bool {
    media.to_ascii_lowercase().starts_with("multipart/")
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

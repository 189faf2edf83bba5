//! Schemas to types: references, inline schemas named from where they
//! sit, scalars by `format`, objects, lists, unions and enums.

use super::all_of::AllOf;
use super::*;

impl Lowerer<'_> {
    /// The type of a schema in some position, and whether it may be null.
    pub(super) fn ty(
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
    pub(super) fn boxed_ty(
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

    pub(super) fn ty_ref(
        &mut self,
        reference: &str,
        at: &Pointer,
        place: &[String],
    ) -> Result<(Ty, bool)> {
        self.deeper(at, |this| this.ty_ref_in(reference, at, place))
    }

    pub(super) fn ty_ref_in(
        &mut self,
        reference: &str,
        at: &Pointer,
        place: &[String],
    ) -> Result<(Ty, bool)> {
        let target = self.resolver.target(reference, at)?;
        if let Some(id) = self.by_pointer.get(&target) {
            return Ok((Ty::Named(*id), self.nullable_components.contains(id)));
        }
        let as_ref = ReferenceOr::<Schema>::Reference { reference: reference.to_string() };
        let (resolved, target) = self.resolver.item(&as_ref, at, "schema")?;
        if let Some(id) = self.by_pointer.get(&target) {
            return Ok((Ty::Named(*id), self.nullable_components.contains(id)));
        }
        let resolved = resolved.into_owned();
        // A schema from another file is named after its own key there (`Pet`).
        let own_name = crate::input::bundle::own_name(&target).map(|name| [name]);
        let place = own_name.as_ref().map_or(place, |name| &name[..]);
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
    pub(super) fn inline(&mut self, s: &Schema, at: &Pointer, place: &[String]) -> Result<Ty> {
        self.deeper(at, |this| this.inline_in(s, at, place))
    }

    pub(super) fn inline_in(&mut self, s: &Schema, at: &Pointer, place: &[String]) -> Result<Ty> {
        if let Some(&id) = self.by_pointer.get(at) {
            self.home_place(id, at, place);
            return Ok(Ty::Named(id));
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
                    self.types[id.0].deprecated = s.schema_data.deprecated;
                    // Reached again (a parameter every operation of a path
                    // shares), it is this type, not one more of the same name.
                    self.by_pointer.insert(at.clone(), id);
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
        self.types[id.0].deprecated = s.schema_data.deprecated;
        self.types[id.0].kind = match self.schema(s, at, place)? {
            Lowered::Kind(kind) => kind,
            Lowered::Ty(t) => TypeKind::Alias(t),
        };
        Ok(Ty::Named(id))
    }

    /// A schema inside one operation that another reached first (by a
    /// `$ref` into it) was named from that other one's place: once its own
    /// operation reaches it, it and the types inside it are named from
    /// there instead, whatever the order of operations.
    fn home_place(&mut self, id: TypeId, at: &Pointer, place: &[String]) {
        let Some(home) = &self.home else { return };
        let NameHint::Place(old) = &self.types[id.0].name else { return };
        // Named while lowering this same operation (its first word is the
        // operation's): already at home.
        if old.first() == place.first() || !at.is_within(home) {
            return;
        }
        let old = old.clone();
        for def in &mut self.types {
            if let NameHint::Place(p) = &mut def.name {
                if def.pointer.is_within(at) && p.starts_with(&old) {
                    let rest = p.split_off(old.len());
                    *p = place.iter().cloned().chain(rest).collect();
                }
            }
        }
    }

    pub(super) fn schema(&mut self, s: &Schema, at: &Pointer, place: &[String]) -> Result<Lowered> {
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
    pub(super) fn any(
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
        // Object keywords make an object unless the schema names another
        // type (`type: array` beside `properties`, as dataatwork's `Jobs`):
        // they then apply to no value the schema allows.
        let object_keywords = !any.properties.is_empty() || any.additional_properties.is_some();
        if any.typ.as_deref().map_or(object_keywords, |t| t == "object") {
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
            Some("number") => Ty::Float,
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
    pub(super) fn list(
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

    /// `oneOf` / `anyOf`. A single member, or one member beside `{type: null}`
    /// style placeholders, is just that member.
    pub(super) fn union(
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

    pub(super) fn object(
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
            // What a `$ref` points at, as the spec wrote it.
            let target = match prop {
                ReferenceOr::Reference { reference } => self
                    .resolver
                    .target(reference, &prop_at)
                    .ok()
                    .and_then(|t| self.resolver.raw().pointer(t.as_json_pointer())),
                ReferenceOr::Item(_) => None,
            };
            let docs = match prop {
                ReferenceOr::Item(s) => {
                    with_default(docs(&s.schema_data), s.schema_data.default.as_ref())
                }
                // A property copied in by `allOf` keeps its description.
                ReferenceOr::Reference { reference }
                    if !reference.starts_with("#/components/schemas/") =>
                {
                    target
                        .and_then(|v| v.get("description").or_else(|| v.get("title")))
                        .and_then(|d| d.as_str())
                        .map(str::to_string)
                }
                ReferenceOr::Reference { .. } => None,
            };
            // A required property that is read-only is required in answers
            // only, and a write-only one in requests only (OpenAPI 3.0): one
            // type serves both, so neither is required of it.
            let one_way = match prop {
                ReferenceOr::Item(s) => s.schema_data.read_only || s.schema_data.write_only,
                ReferenceOr::Reference { .. } => {
                    target.is_some_and(|v| v["readOnly"] == true || v["writeOnly"] == true)
                }
            };
            // A component's own deprecation is on its type.
            let deprecated = match prop {
                ReferenceOr::Item(s) => s.schema_data.deprecated,
                ReferenceOr::Reference { reference }
                    if !reference.starts_with("#/components/schemas/") =>
                {
                    target.is_some_and(|v| v["deprecated"] == true)
                }
                ReferenceOr::Reference { .. } => false,
            };
            fields.push(Field {
                name: name.clone(),
                ty,
                required: required.iter().any(|r| r == name) && !one_way,
                nullable,
                docs,
                boxed: false,
                deprecated,
            });
        }
        // A name the schema requires but does not describe (telnyx's
        // `name` of `CreateVerifyProfileCallRequest`) still has to be sent:
        // it gets a field of any JSON value. Optional, since a server that
        // follows the same spec may well leave it out. One that differs
        // from a described property only in case (xero's `name` beside
        // `Name`) is taken to mean it, and the property keeps its name.
        let folded = |n: &str| n.to_ascii_lowercase().replace(['_', '-'], "");
        for name in required {
            let known = fields.iter().any(|f| folded(&f.name) == folded(name));
            if !known && additional_ty.is_none() {
                fields.push(Field {
                    name: name.clone(),
                    ty: Ty::Json,
                    required: false,
                    nullable: false,
                    docs: Some("Required by the spec, which does not describe it.".into()),
                    boxed: false,
                    deprecated: false,
                });
            }
        }
        Ok(Lowered::Kind(TypeKind::Struct(Struct { fields, additional: additional_ty })))
    }
}

/// The Rust type of a string, number, integer or boolean schema (a string
/// enum's values aside), by `format`.
pub(super) fn scalar_ty(kind: &SchemaKind) -> Option<Ty> {
    Some(match kind {
        SchemaKind::Type(Type::String(st)) => string_ty(match &st.format {
            VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => "date-time",
            VariantOrUnknownOrEmpty::Item(StringFormat::Date) => "date",
            VariantOrUnknownOrEmpty::Unknown(f) => f.as_str(),
            _ => "",
        }),
        SchemaKind::Type(Type::Number(_)) => Ty::Float,
        SchemaKind::Type(Type::Integer(i)) => integer_ty(match &i.format {
            VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => "int32",
            VariantOrUnknownOrEmpty::Unknown(f) => f.as_str(),
            _ => "",
        }),
        SchemaKind::Type(Type::Boolean(_)) => Ty::Bool,
        _ => return None,
    })
}

/// `type: string` by `format`. A format gets a Rust type only where that
/// type holds every value the format allows, so that no valid value is
/// ever refused: `date-time` (chrono reads all of RFC 3339) and `date`
/// (`full-date`), `uuid` (the `uuid` crate reads every form RFC 9562
/// writes). `uri` stays a `String`: `url::Url` follows the WHATWG
/// URL standard, which refuses URIs RFC 3986 allows (a host whose last
/// label is all digits). `binary` and `byte` are strings in JSON.
pub(super) fn string_ty(format: &str) -> Ty {
    match format {
        "date-time" => Ty::DateTime,
        "date" => Ty::Date,
        "uuid" => Ty::Uuid,
        _ => Ty::String,
    }
}

pub(super) fn integer_ty(format: &str) -> Ty {
    Ty::Int(match format {
        "int32" => IntWidth::I32,
        "uint32" => IntWidth::U32,
        "uint64" => IntWidth::U64,
        _ => IntWidth::I64,
    })
}

/// The server's default for an absent value is stated in the docs; the
/// client never fills it in, so what was sent and received stays visible.
pub(super) fn with_default(
    docs: Option<String>,
    default: Option<&serde_json::Value>,
) -> Option<String> {
    let Some(default) = default else { return docs };
    let line = format!("Default: `{default}`.");
    Some(match docs {
        Some(d) if !d.trim().is_empty() => format!("{}\n\n{line}", d.trim_end()),
        _ => line,
    })
}

/// A union member that only says "or null": `nullable: true` with no type
/// but `object` and nothing that constrains the value.
pub(super) fn is_null_marker(m: &ReferenceOr<Schema>) -> bool {
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

pub(super) fn nullable_if(ty: Ty, nullable: bool) -> Ty {
    if nullable && !matches!(ty, Ty::Nullable(_) | Ty::Json) {
        Ty::Nullable(Box::new(ty))
    } else {
        ty
    }
}

pub(super) fn dedup(values: impl Iterator<Item = String>) -> Vec<String> {
    // A set beside the list: `Vec::contains` made 200,000 values take 16 s.
    let mut seen = std::collections::HashSet::new();
    values.filter(|v| seen.insert(v.clone())).collect()
}

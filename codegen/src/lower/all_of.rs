//! `allOf`: members merged into one schema, or kept as the one member
//! that says anything about structure.

use super::*;

impl Lowerer<'_> {
    /// What an `allOf` stands for. `allOf: [$ref]` (with members that only
    /// add docs) is how 3.0 documents a reference: it *is* the referenced
    /// type. Anything else is merged into one schema.
    pub(super) fn all_of<'m>(
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
    pub(super) fn merge_all_of(
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
        let merged = crate::input::with_stack(|| serde_json::from_value(Value::Object(acc)));
        let mut merged: Schema = merged.map_err(|e: serde_json::Error| {
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
    pub(super) fn merge_value(
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
}

/// Keywords of the schema itself rather than of its values (docs, flags,
/// examples, discriminator, extensions). A merged `allOf` takes these from
/// the outer schema alone, so merging skips them in its members.
pub(super) fn is_schema_data(key: &str) -> bool {
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
pub(super) fn merged_keywords(v: &Value) -> Value {
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

pub(super) enum AllOf<'m> {
    Reference(&'m ReferenceOr<Schema>),
    Merged(Box<Schema>),
}

/// The one member of an `allOf` that says anything about structure, when
/// that member is a reference and the others only add docs.
pub(super) fn sole_structural_member(
    members: &[ReferenceOr<Schema>],
) -> Option<&ReferenceOr<Schema>> {
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

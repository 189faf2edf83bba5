//! OpenAPI 3.1 reaches the model by being rewritten into the 3.0 shape that
//! `openapiv3` reads, on the raw `serde_json::Value`, before anything else
//! sees it. What 3.1 says differently, and what it becomes:
//!
//! - `type: [T, "null"]` -> `type: T, nullable: true`; several non-null types
//!   -> no `type` (any JSON value); `type: "null"` -> `nullable: true`;
//! - `oneOf`/`anyOf` with a `{type: "null"}` member -> the rest, `nullable: true`;
//! - `const: v` -> `enum: [v]`;
//! - schema `examples: [a, ...]` -> `example: a`;
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` -> `minimum`/`maximum` plus the 3.0 flag;
//! - `prefixItems` (tuples) -> `items: {}` unless `items` is given (a list of JSON values);
//! - `$ref` with sibling keywords -> `allOf: [{$ref}]` beside them (3.0 ignores siblings);
//! - a document without `paths` (webhooks only) -> `paths: {}`: types, no operations;
//! - a media type's `itemSchema` (OpenAPI 3.2, for streams) -> its `schema`: one
//!   line's schema, or for server-sent events the schema of `data` (its
//!   `contentSchema` when it has one).
//!
//! 3.1 documents that still use 3.0's `nullable` keep it. Data positions
//! (`example`, `default`, `enum`, `const`, extensions) are never rewritten.

use serde_json::{Map, Value};

/// Rewrites a 3.1 document in place; returns the version it declared.
pub fn to_3_0(doc: &mut Value) -> Option<String> {
    let obj = doc.as_object_mut()?;
    let version = obj.get("openapi")?.as_str()?.to_string();
    if !version.starts_with("3.1") {
        return None;
    }
    obj.insert("openapi".into(), Value::String("3.0.3".into()));
    obj.entry("paths").or_insert_with(|| Value::Object(Map::new()));
    super::walk::each_object(doc, rewrite_schema);
    Some(version)
}

/// The schema of what a stream's item decodes into: an item shaped as a
/// server-sent event (`data`, and no properties but `event`, `id` and
/// `retry` beside it) is its `data`.
fn item_data(item: Value) -> Value {
    let props = item.get("properties").and_then(Value::as_object);
    let event = props.is_some_and(|p| {
        p.contains_key("data")
            && p.keys().all(|k| matches!(k.as_str(), "data" | "event" | "id" | "retry"))
    });
    if !event {
        return item;
    }
    let data = &item["properties"]["data"];
    data.get("contentSchema").unwrap_or(data).clone()
}

fn is_null_schema(v: &Value) -> bool {
    v.get("type").and_then(Value::as_str) == Some("null")
        && v.as_object().is_some_and(|o| o.len() == 1)
}

fn rewrite_schema(o: &mut Map<String, Value>) {
    if !o.contains_key("schema") {
        if let Some(item) = o.remove("itemSchema") {
            o.insert("schema".into(), item_data(item));
        }
    }
    // `$ref` beside schema keywords: 3.0 would drop the keywords.
    if o.contains_key("$ref") {
        let meaningful = o.keys().any(|k| {
            !matches!(
                k.as_str(),
                "$ref"
                    | "description"
                    | "summary"
                    | "title"
                    | "example"
                    | "examples"
                    | "deprecated"
            ) && !k.starts_with("x-")
        });
        if meaningful {
            let r = o.remove("$ref").expect("checked");
            let mut wrapped = Map::new();
            wrapped.insert("$ref".into(), r);
            o.insert("allOf".into(), Value::Array(vec![Value::Object(wrapped)]));
        }
    }
    match o.get("type").cloned() {
        Some(Value::Array(types)) => {
            let non_null: Vec<Value> =
                types.iter().filter(|t| t.as_str() != Some("null")).cloned().collect();
            if non_null.len() < types.len() {
                o.insert("nullable".into(), Value::Bool(true));
            }
            match non_null.as_slice() {
                [one] => {
                    o.insert("type".into(), one.clone());
                }
                _ => {
                    o.remove("type");
                }
            }
        }
        Some(Value::String(t)) if t == "null" => {
            o.remove("type");
            o.insert("nullable".into(), Value::Bool(true));
        }
        _ => {}
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = o.get_mut(key) {
            let before = members.len();
            members.retain(|m| !is_null_schema(m));
            if members.len() < before {
                o.insert("nullable".into(), Value::Bool(true));
            }
        }
    }
    if let Some(c) = o.remove("const") {
        // A constant says its own type when the schema does not.
        let implied = match &c {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_f64() => Some("number"),
            Value::Number(_) => Some("integer"),
            _ => None,
        };
        if let (Some(t), false) = (implied, o.contains_key("type")) {
            o.insert("type".into(), Value::String(t.into()));
        }
        o.entry("enum").or_insert_with(|| Value::Array(vec![c]));
    }
    if let Some(Value::Array(examples)) = o.get("examples") {
        if let Some(first) = examples.first().cloned() {
            o.entry("example").or_insert(first);
        }
        o.remove("examples");
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(n @ Value::Number(_)) = o.get(exclusive).cloned() {
            o.insert(bound.into(), n);
            o.insert(exclusive.into(), Value::Bool(true));
        }
    }
    if o.remove("prefixItems").is_some() && !o.get("items").is_some_and(Value::is_object) {
        o.insert("items".into(), Value::Object(Map::new()));
    }
    if o.get("items").is_some_and(Value::is_boolean) {
        o.insert("items".into(), Value::Object(Map::new()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn upgrade(schema: Value) -> Value {
        let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {"S": schema}}});
        assert_eq!(to_3_0(&mut doc).as_deref(), Some("3.1.0"));
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(doc["paths"], json!({}));
        doc["components"]["schemas"]["S"].take()
    }

    #[test]
    fn item_schemas_become_schemas_of_one_item() {
        let mut doc = json!({"openapi": "3.1.0", "paths": {"/e": {"get": {"responses": {"200": {
        "description": "ok",
        "content": {
            "text/event-stream": {"itemSchema": {"type": "object", "properties": {
                "event": {"type": "string"},
                "data": {"type": "string", "contentMediaType": "application/json",
                         "contentSchema": {"$ref": "#/components/schemas/Tick"}}}}},
            "application/jsonl": {"itemSchema": {"$ref": "#/components/schemas/Tick"}}
        }}}}}}});
        to_3_0(&mut doc);
        let content = &doc["paths"]["/e"]["get"]["responses"]["200"]["content"];
        let tick = json!({"$ref": "#/components/schemas/Tick"});
        assert_eq!(content["text/event-stream"], json!({"schema": tick}));
        assert_eq!(content["application/jsonl"], json!({"schema": tick}));
    }

    #[test]
    fn type_arrays_with_null_become_nullable() {
        assert_eq!(
            upgrade(json!({"type": ["string", "null"]})),
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(upgrade(json!({"type": ["string", "integer"]})), json!({}));
        assert_eq!(upgrade(json!({"type": "null"})), json!({"nullable": true}));
        assert_eq!(
            upgrade(json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]})),
            json!({"anyOf": [{"$ref": "#/components/schemas/A"}], "nullable": true})
        );
    }

    #[test]
    fn const_examples_bounds_and_tuples() {
        assert_eq!(upgrade(json!({"const": "x"})), json!({"type": "string", "enum": ["x"]}));
        assert_eq!(
            upgrade(json!({"type": "string", "const": "x"})),
            json!({"type": "string", "enum": ["x"]})
        );
        assert_eq!(
            upgrade(json!({"type": "integer", "examples": [3, 4]})),
            json!({"type": "integer", "example": 3})
        );
        assert_eq!(
            upgrade(json!({"type": "number", "exclusiveMinimum": 0})),
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(
            upgrade(json!({"type": "array", "prefixItems": [{"type": "string"}], "items": false})),
            json!({"type": "array", "items": {}})
        );
    }

    #[test]
    fn refs_with_siblings_keep_the_siblings() {
        assert_eq!(
            upgrade(json!({"$ref": "#/components/schemas/A", "nullable": true})),
            json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true})
        );
        assert_eq!(
            upgrade(json!({"$ref": "#/x", "description": "d"})),
            json!({"$ref": "#/x", "description": "d"})
        );
    }

    #[test]
    fn data_and_property_names_are_left_alone() {
        let s = json!({
            "type": "object",
            "properties": {"const": {"type": ["integer", "null"]}, "type": {"type": "string"}},
            "example": {"type": ["a", "null"], "const": 1}
        });
        assert_eq!(
            upgrade(s),
            json!({
                "type": "object",
                "properties": {"const": {"type": "integer", "nullable": true}, "type": {"type": "string"}},
                "example": {"type": ["a", "null"], "const": 1}
            })
        );
    }

    #[test]
    fn example_objects_are_data() {
        let example = json!({"value": {"type": ["a", "null"], "const": 1, "examples": [2]}});
        let mut doc = json!({"openapi": "3.1.0", "paths": {"/a": {"get": {"responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"examples": {"one": example.clone()}}}
        }}}}}});
        to_3_0(&mut doc);
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]
                ["examples"]["one"],
            example
        );
    }

    #[test]
    fn parameter_arrays_are_walked() {
        let mut doc = json!({"openapi": "3.1.0", "paths": {"/a": {"get": {"parameters": [
            {"name": "q", "in": "query", "schema": {"type": ["integer", "null"]}}
        ]}}}});
        to_3_0(&mut doc);
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"][0]["schema"],
            json!({"type": "integer", "nullable": true})
        );
    }

    #[test]
    fn documents_of_other_versions_are_untouched() {
        let mut doc = json!({"openapi": "3.0.3", "paths": {}});
        assert_eq!(to_3_0(&mut doc), None);
        assert_eq!(doc["openapi"], "3.0.3");
    }
}

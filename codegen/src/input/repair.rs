//! Spec defects whose meaning is unambiguous, repaired on the raw document
//! before `openapiv3` reads it (which would otherwise reject the whole spec):
//!
//! - a boolean schema (JSON Schema's `true` / `false`) as a property:
//!   `true` accepts anything (`{}`), `false` means the property never occurs
//!   (it is dropped);
//! - a `pattern` that is not a string (validation only; dropped);
//! - `callbacks` (not generated; a `$ref` there, which 3.0 does not allow,
//!   would otherwise fail the spec).
//!
//! Anything else that is invalid stays an error with its pointer.

use serde_json::{Map, Value};

pub fn repair(doc: &mut Value) {
    super::walk::each_object(doc, repair_object);
}

fn repair_object(map: &mut Map<String, Value>) {
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        props.retain(|_, schema| !matches!(schema, Value::Bool(false)));
        for schema in props.values_mut() {
            if matches!(schema, Value::Bool(true)) {
                *schema = Value::Object(Map::new());
            }
        }
    }
    if map.get("pattern").is_some_and(|p| !p.is_string()) {
        map.remove("pattern");
    }
    if map.contains_key("responses") && map.contains_key("callbacks") {
        map.remove("callbacks");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn boolean_property_schemas_patterns_and_callbacks() {
        let mut doc = json!({
            "properties": {"a": false, "b": true, "c": {"type": "string", "pattern": 0}},
            "example": {"properties": {"a": false}},
            "const": {"properties": {"a": false}},
            "get": {"responses": {}, "callbacks": {"x": "#/components/callbacks/y"}}
        });
        repair(&mut doc);
        assert_eq!(
            doc.clone(),
            json!({
                "properties": {"b": {}, "c": {"type": "string"}},
                "example": {"properties": {"a": false}},
            "const": {"properties": {"a": false}},
                "get": {"responses": {}}
            })
        );
    }

    #[test]
    fn components_named_like_keywords_are_kept() {
        let mut doc =
            json!({"components": {"parameters": {"pattern": {"name": "pattern", "in": "query"}}}});
        let before = doc.clone();
        repair(&mut doc);
        assert_eq!(doc, before);
    }

    #[test]
    fn properties_named_like_keywords_are_schemas_not_maps() {
        let schema = json!({
            "type": "object",
            "properties": {
                "properties": {"type": "object", "readOnly": true, "properties": {"x": true}},
                "pattern": {"type": "string"}
            }
        });
        let mut doc = schema.clone();
        repair(&mut doc);
        let mut expected = schema;
        expected["properties"]["properties"]["properties"]["x"] = json!({});
        assert_eq!(doc, expected);
    }
}

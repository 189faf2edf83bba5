//! OpenAPI Overlay 1.0: corrections to a vendor spec kept beside it, so the
//! vendored file stays byte-for-byte what the vendor published and a spec
//! update is re-vendored without losing our fixes.
//!
//! Supported: `actions` with a JSONPath `target` and either `update` (merged
//! into each selected node) or `remove: true`.

use std::path::{Path, PathBuf};

use serde_json::Value;
use serde_json_path::JsonPath;

use crate::error::{Error, Result};
use crate::pointer::Pointer;

/// `specs/vantage.yaml` -> `specs/vantage.overlay.yaml`, if that file exists.
pub fn beside(spec: &Path) -> Option<PathBuf> {
    let stem = spec.file_stem()?.to_str()?;
    ["yaml", "yml", "json"]
        .iter()
        .map(|ext| spec.with_file_name(format!("{stem}.overlay.{ext}")))
        .find(|p| p.is_file())
}

/// Is this file an overlay rather than a spec?
pub fn is_overlay(path: &Path) -> bool {
    path.file_stem().and_then(|s| s.to_str()).is_some_and(|s| s.ends_with(".overlay"))
}

pub fn apply(doc: &mut Value, overlay: &Value) -> Result<()> {
    let root = Pointer::root();
    if overlay.get("overlay").and_then(Value::as_str).is_none_or(|v| !v.starts_with("1.")) {
        return Err(Error::invalid(&root.push("overlay"), "not an Overlay document")
            .with_supported("OpenAPI Overlay 1.x with `overlay: 1.0.0`"));
    }
    let actions = overlay.get("actions").and_then(Value::as_array).ok_or_else(|| {
        Error::invalid(&root.push("actions"), "an overlay needs an `actions` array")
    })?;
    // What the actions may add in all: an overlay that copies a large update
    // onto every node, action after action, would double the document each time.
    let mut budget = ADDED_MAX;
    for (i, action) in actions.iter().enumerate() {
        let at = root.push("actions").index(i);
        let target = action.get("target").and_then(Value::as_str).ok_or_else(|| {
            Error::invalid(&at.push("target"), "an action needs a JSONPath `target`")
        })?;
        let path = JsonPath::parse(target)
            .map_err(|e| Error::invalid(&at.push("target"), format!("invalid JSONPath: {e}")))?;
        let pointers: Vec<String> =
            path.query_located(doc).locations().map(|loc| loc.to_json_pointer()).collect();
        if pointers.is_empty() {
            return Err(Error::invalid(
                &at.push("target"),
                format!("`{target}` selects nothing in the spec; the vendor may have changed it"),
            ));
        }
        let remove = action.get("remove").and_then(Value::as_bool).unwrap_or(false);
        if remove {
            // Deepest and last first, so earlier pointers stay valid.
            for p in pointers.iter().rev() {
                remove_at(doc, p);
            }
        } else if let Some(update) = action.get("update") {
            let (values, depth) = measure(update);
            for p in &pointers {
                if p.matches('/').count() + depth > super::parse::MAX_DEPTH {
                    return Err(Error::invalid(
                        &at.push("update"),
                        format!(
                            "this update would nest the document more than {} levels deep at `{p}`",
                            super::parse::MAX_DEPTH
                        ),
                    ));
                }
                budget = budget.checked_sub(values).ok_or_else(|| {
                    Error::invalid(
                        &at.push("update"),
                        format!("the overlay's updates add more than {ADDED_MAX} values in all"),
                    )
                })?;
            }
            for p in &pointers {
                if let Some(node) = doc.pointer_mut(p) {
                    merge(node, update);
                }
            }
        } else {
            return Err(Error::invalid(&at, "an action needs `update` or `remove: true`"));
        }
    }
    Ok(())
}

/// The most values an overlay's updates may add to a document, copies onto
/// several targets counted each time (real overlays add a few hundred).
const ADDED_MAX: usize = 1_000_000;

/// How many values `v` holds, and how deep it nests; without recursion.
fn measure(v: &Value) -> (usize, usize) {
    let mut values = 0;
    let mut deepest = 0;
    let mut stack = vec![(v, 1)];
    while let Some((v, depth)) = stack.pop() {
        values += 1;
        deepest = deepest.max(depth);
        match v {
            Value::Array(items) => stack.extend(items.iter().map(|i| (i, depth + 1))),
            Value::Object(map) => stack.extend(map.values().map(|i| (i, depth + 1))),
            _ => {}
        }
    }
    (values, deepest)
}

/// Objects merge key by key; an array gets the update appended; anything
/// else is replaced.
fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(t), Value::Object(u)) => {
            for (k, v) in u {
                match t.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => merge(existing, v),
                    _ => {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(t), u) => t.push(u.clone()),
        (t, u) => *t = u.clone(),
    }
}

fn remove_at(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else { return };
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.shift_remove(&key);
        }
        Some(Value::Array(a)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < a.len() {
                    a.remove(i);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn update_merges_and_remove_removes() {
        let mut doc = json!({"paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}, "x": [1]});
        let overlay = json!({
            "overlay": "1.0.0",
            "actions": [
                {"target": "$.paths['/a'].get.responses", "update": {"202": {"description": "later"}}},
                {"target": "$.x", "remove": true}
            ]
        });
        apply(&mut doc, &overlay).unwrap();
        assert_eq!(doc["paths"]["/a"]["get"]["responses"]["202"]["description"], "later");
        assert_eq!(doc["paths"]["/a"]["get"]["responses"]["200"]["description"], "ok");
        assert!(doc.get("x").is_none());
    }

    #[test]
    fn a_target_that_selects_nothing_is_an_error() {
        let mut doc = json!({"paths": {}});
        let overlay = json!({"overlay": "1.0.0", "actions": [{"target": "$.paths['/gone']", "remove": true}]});
        let e = apply(&mut doc, &overlay).unwrap_err();
        assert_eq!(e.pointer.to_string(), "#/actions/0/target");
    }
}

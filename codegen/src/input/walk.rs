//! The passes that rewrite the raw document before `openapiv3` reads it
//! (`bundle`, `upgrade`, `repair`) all visit it the same way: every object
//! that can be an OpenAPI object or a schema, parents first, never data
//! (examples, defaults, enumerated and constant values, extensions) and
//! never a map of names itself (`properties`, `components.parameters`, ...),
//! whose keys the spec's author chose and may look like keywords.

use serde_json::{Map, Value};

/// Keys whose values are data. (A 3.1 schema's `examples` array is turned
/// into `example` before its children are visited; what remains under
/// `examples` is a map of Example objects, which is data too.)
pub fn is_data(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

/// Keys whose object values map names to objects: the map is not itself an
/// object to rewrite, whatever its keys (`components.parameters.pattern`,
/// `properties.const`); its values are.
pub fn is_name_map(key: &str) -> bool {
    matches!(
        key,
        "properties"
            | "patternProperties"
            | "$defs"
            | "definitions"
            | "schemas"
            | "dependentSchemas"
            | "parameters"
            | "responses"
            | "requestBodies"
            | "headers"
            | "securitySchemes"
            | "links"
            | "callbacks"
            | "paths"
            | "pathItems"
            | "webhooks"
            | "content"
            | "encoding"
            | "variables"
            | "mapping"
            | "scopes"
    )
}

/// One step down from a node: an object key or an array index.
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Calls `visit` on every object of `v` as described above, with a context
/// derived per step by `child` (a JSON pointer for a pass that reports
/// where, `()` for one that does not).
pub fn objects<C, E>(
    v: &mut Value,
    ctx: &C,
    child: &impl Fn(&C, Step<'_>) -> C,
    visit: &mut impl FnMut(&mut Map<String, Value>, &C) -> Result<(), E>,
) -> Result<(), E> {
    match v {
        Value::Object(map) => {
            visit(map, ctx)?;
            for (k, value) in map.iter_mut() {
                if is_data(k) {
                    continue;
                }
                let here = child(ctx, Step::Key(k));
                match value {
                    Value::Object(names) if is_name_map(k) => {
                        for (name, item) in names.iter_mut() {
                            objects(item, &child(&here, Step::Key(name)), child, visit)?;
                        }
                    }
                    _ => objects(value, &here, child, visit)?,
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                objects(item, &child(ctx, Step::Index(i)), child, visit)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// `objects` for a pass that needs no context and cannot fail.
pub fn each_object(v: &mut Value, mut visit: impl FnMut(&mut Map<String, Value>)) {
    let never: Result<(), std::convert::Infallible> = objects(v, &(), &|_, _| (), &mut |map, _| {
        visit(map);
        Ok(())
    });
    let Ok(()) = never;
}

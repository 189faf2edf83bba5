//! A one-line summary of where each type the spec does not describe comes
//! from, so that every type of the crate says something in rustdoc. Made
//! after de-duplication: a type that stands for several alike says where
//! the one kept was.

use std::collections::HashMap;

use crate::model::*;
use crate::pointer::Pointer;

pub fn describe(api: &mut Api) {
    // Keyed as pointers spell them: the path, and the method in lower case.
    let ops: HashMap<(&str, String), &str> = api
        .operations
        .iter()
        .map(|op| ((op.path.as_str(), op.method.as_str().to_ascii_lowercase()), op.id.as_str()))
        .collect();
    let summaries: Vec<Option<String>> =
        api.types.iter().map(|def| undescribed(def).then(|| summary(&def.pointer, &ops))).collect();
    for (def, summary) in api.types.iter_mut().zip(summaries) {
        def.summary = summary;
    }
}

/// No docs, or docs of nothing but blanks.
fn undescribed(def: &TypeDef) -> bool {
    def.docs.as_deref().is_none_or(|d| d.trim().is_empty())
}

/// A type's pointer in words: its place in an operation, in `components`
/// or in another file, then the steps inside the schema; the pointer itself
/// where the place is none of those.
fn summary(pointer: &Pointer, ops: &HashMap<(&str, String), &str>) -> String {
    let (segments, file) = match crate::input::bundle::origin(pointer) {
        Some((file, inside)) => (inside, Some(file)),
        None => (pointer.segments().collect(), None),
    };
    let s: Vec<&str> = segments.iter().map(String::as_str).collect();
    let op = |path: &str, method: &str| match ops.get(&(path, method.to_string())) {
        Some(id) => format!("`{id}`"),
        None => format!("`{} {path}`", method.to_ascii_uppercase()),
    };
    let at_pointer = || format!("The schema at `{pointer}`.");
    let (place, rest): (String, &[&str]) = match (file, s.as_slice()) {
        (Some(file), [name, rest @ ..]) => (format!("the `{name}` schema of `{file}`"), rest),
        (Some(file), []) => (format!("the schema of `{file}`"), &[]),
        (None, ["components", "schemas", name, rest @ ..]) => {
            (format!("the `{name}` schema"), rest)
        }
        (None, ["components", "responses", name, "content", media, "schema", rest @ ..]) => {
            (format!("the `{media}` body of the `{name}` response"), rest)
        }
        (None, ["components", "requestBodies", name, "content", media, "schema", rest @ ..]) => {
            (format!("the `{media}` body of the `{name}` request body"), rest)
        }
        (None, ["components", "parameters", name, "schema", rest @ ..]) => {
            (format!("the `{name}` parameter"), rest)
        }
        (
            None,
            ["paths", path, method, "responses", status, "content", media, "schema", rest @ ..],
        ) => {
            let status = status.to_ascii_uppercase().replace("DEFAULT", "default");
            (format!("the {status} `{media}` answer of {}", op(path, method)), rest)
        }
        (None, ["paths", path, method, "requestBody", "content", media, "schema", rest @ ..]) => {
            (format!("the `{media}` request body of {}", op(path, method)), rest)
        }
        (None, ["paths", path, method, "parameters", _, "schema", rest @ ..]) => {
            (format!("a parameter of {}", op(path, method)), rest)
        }
        _ => return at_pointer(),
    };
    let mut text = place;
    let mut steps = rest.iter();
    while let Some(step) = steps.next() {
        text = match *step {
            "properties" => match steps.next() {
                Some(name) => format!("the `{name}` property of {text}"),
                None => return at_pointer(),
            },
            "items" => format!("an item of {text}"),
            "additionalProperties" => format!("a value of {text}"),
            "allOf" | "oneOf" | "anyOf" => {
                steps.next();
                format!("a member of {text}")
            }
            // Anything else (`not`, an extension): the pointer says it best.
            _ => return at_pointer(),
        };
    }
    let mut chars = text.chars();
    let first = chars.next().map(|c| c.to_ascii_uppercase()).into_iter();
    format!("{}{}.", first.collect::<String>(), chars.as_str())
}

#[cfg(test)]
mod tests {
    use crate::testing::{analyzed, spec};

    fn summaries(paths: &str, components: &str) -> String {
        let api = analyzed(&spec(paths, components));
        api.types
            .iter()
            .map(|t| format!("{}: {}\n", t.pointer, t.summary.as_deref().unwrap_or("(described)")))
            .collect()
    }

    #[test]
    fn types_say_where_they_come_from() {
        let paths = "
/exports/{id}:
  get:
    operationId: getExport
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      - {name: kind, in: query, schema: {type: string, enum: [a, b]}}
    responses:
      '200':
        description: ok
        content:
          application/json:
            schema:
              type: object
              properties:
                data: {type: array, items: {type: object, properties: {n: {type: integer}}}}
                meta: {type: object, additionalProperties: {type: object, properties: {x: {type: string}}}}
      4XX: {description: no, content: {application/json: {schema: {type: object, properties: {e: {type: string}}}}}}
  put:
    requestBody: {content: {application/json: {schema: {type: object, properties: {v: {type: string}}}}}}
    responses: {'204': {description: done}}
";
        let components = "schemas:
  Pet: {type: object, properties: {kind: {type: string, enum: [cat, dog]}}}
  Described: {type: object, description: Its own words.}
";
        insta::assert_snapshot!(summaries(paths, components), @r"
        #/components/schemas/Pet: The `Pet` schema.
        #/components/schemas/Described: (described)
        #/components/schemas/Pet/properties/kind: The `kind` property of the `Pet` schema.
        #/paths/~1exports~1{id}/get/parameters/1/schema: A parameter of `getExport`.
        #/paths/~1exports~1{id}/get/responses/200/content/application~1json/schema: The 200 `application/json` answer of `getExport`.
        #/paths/~1exports~1{id}/get/responses/200/content/application~1json/schema/properties/data/items: An item of the `data` property of the 200 `application/json` answer of `getExport`.
        #/paths/~1exports~1{id}/get/responses/200/content/application~1json/schema/properties/meta/additionalProperties: A value of the `meta` property of the 200 `application/json` answer of `getExport`.
        #/paths/~1exports~1{id}/get/responses/4XX/content/application~1json/schema: The 4XX `application/json` answer of `getExport`.
        #/paths/~1exports~1{id}/put/requestBody/content/application~1json/schema: The `application/json` request body of `put /exports/{id}`.
        ");
    }
}

//! `codegen::diff`: a fixture pair per check, asserting its id and both
//! pointers (as oasdiff's tests do), on both axes; the symmetry audit of
//! the wire checks; and an update with no change finds nothing.

use std::path::Path;

use codegen::diff::{self, Axis, Finding, Severity};

/// One small API with a little of everything the checks look at.
const BASE: &str = r##"openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer}}
        - {name: kind, in: query, schema: {type: string, enum: [cat, dog]}}
      responses:
        '200':
          description: ok
          headers: {X-Rate: {schema: {type: integer}}}
          content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
        '404': {description: gone}
    delete:
      operationId: deletePet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: gone}
  /pets:
    post:
      operationId: createPet
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NewPet'}}}}
      responses:
        '201': {description: created, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
        name: {type: string}
        tag: {type: string}
        status: {type: string, enum: [available, sold]}
        code: {$ref: '#/components/schemas/Code'}
        toy: {oneOf: [{type: string}, {type: integer}]}
    NewPet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        tag: {type: string}
        colour: {type: string, enum: [black, white]}
        note: {type: string, nullable: true}
        toy: {description: what it plays with, oneOf: [{type: string}, {type: integer}, {type: boolean}]}
    Code: {type: integer}
"##;

fn version(text: &str) -> diff::Version {
    let document: serde_json::Value = serde_yaml::from_str(text).unwrap();
    diff::Version::read(document, Path::new("pets.yaml")).unwrap()
}

/// `BASE` with each `(from, to)` replaced; every `from` must be there.
fn edit(changes: &[(&str, &str)]) -> String {
    let mut text = BASE.to_string();
    for (from, to) in changes {
        assert!(text.contains(from), "not in the base spec: {from}");
        text = text.replacen(from, to, 1);
    }
    text
}

/// One check's fixture: the change from the old spec to the new.
struct Case {
    axis: Axis,
    id: &'static str,
    severity: Severity,
    old: Option<&'static str>,
    new: Option<&'static str>,
    /// Edits of `BASE` giving the old spec, then the new.
    before: &'static [(&'static str, &'static str)],
    after: &'static [(&'static str, &'static str)],
}

const GET: &str = "#/paths/~1pets~1{id}/get";
const PET: &str = "#/components/schemas/Pet";
const NEW_PET: &str = "#/components/schemas/NewPet";

macro_rules! case {
    ($axis:ident $id:literal $sev:ident, $old:expr, $new:expr, [$($b:expr),*], [$($a:expr),*]) => {
        Case {
            axis: Axis::$axis,
            id: $id,
            severity: Severity::$sev,
            old: $old,
            new: $new,
            before: &[$($b),*],
            after: &[$($a),*],
        }
    };
}

const LIMIT: &str = "        - {name: limit, in: query, schema: {type: integer}}\n";
const STATUS: &str = "status: {type: string, enum: [available, sold]}";
const COLOUR: &str = "colour: {type: string, enum: [black, white]}";
const PET_TOY: &str = "        toy: {oneOf: [{type: string}, {type: integer}]}\n    NewPet:";

/// Where a list operation goes: before `createPet`.
const POSTS: &str = "  /pets:\n    post:";
/// A list of pets that pages by cursor.
const LIST: &str = "  /pets:\n    get:\n      operationId: listPets\n      parameters:\n        - {name: cursor, in: query, schema: {type: string}}\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {type: object, properties: {items: {type: array, items: {$ref: '#/components/schemas/Pet'}}, next_cursor: {type: string}}}}}\n    post:";
/// The same list, with its pagination turned off.
const UNPAGED: &str = "  /pets:\n    get:\n      operationId: listPets\n      x-pagination: false\n      parameters:\n        - {name: cursor, in: query, schema: {type: string}}\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {type: object, properties: {items: {type: array, items: {$ref: '#/components/schemas/Pet'}}, next_cursor: {type: string}}}}}\n    post:";
/// The same list, of new pets.
const NEW_PETS: &str = "  /pets:\n    get:\n      operationId: listPets\n      parameters:\n        - {name: cursor, in: query, schema: {type: string}}\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {type: object, properties: {items: {type: array, items: {$ref: '#/components/schemas/NewPet'}}, next_cursor: {type: string}}}}}\n    post:";
const LIST_GET: &str = "#/paths/~1pets/get";
/// `deletePet`, alone with its tag, which is a Cargo feature.
const DELETE: &str = "#/paths/~1pets~1{id}/delete";
const DELETE_ID: &str = "      operationId: deletePet\n";
const TAGGED: &str = "      operationId: deletePet\n      tags: [admin]\n";

fn cases() -> Vec<Case> {
    let get = Some(GET);
    vec![
        // Operations.
        case!(Wire "endpoint-added" Safe, None, Some("#/paths/~1pets~1{id}/put"), [],
            [("    delete:\n", "    put:\n      operationId: putPet\n      responses: {'204': {description: ok}}\n    delete:\n")]),
        case!(Wire "api-removed-without-deprecation" Breaking, Some("#/paths/~1pets~1{id}/delete"), None, [],
            [("    delete:\n      operationId: deletePet\n", "    x-delete:\n      operationId: deletePet\n")]),
        case!(Wire "api-path-removed-without-deprecation" Breaking, Some("#/paths/~1pets/post"), None, [],
            [("  /pets:\n    post:", "  /pets:\n    x-post:")]),
        case!(Wire "api-removed-after-deprecation" MayBreak, Some("#/paths/~1pets~1{id}/delete"), None,
            [("      operationId: deletePet\n", "      operationId: deletePet\n      deprecated: true\n")],
            [("    delete:\n      operationId: deletePet\n", "    x-delete:\n      operationId: deletePet\n")]),
        case!(Wire "endpoint-deprecated" Safe, Some("#/paths/~1pets~1{id}/delete"), Some("#/paths/~1pets~1{id}/delete"), [],
            [("      operationId: deletePet\n", "      operationId: deletePet\n      deprecated: true\n")]),
        case!(Wire "endpoint-reactivated" Safe, Some("#/paths/~1pets~1{id}/delete"), Some("#/paths/~1pets~1{id}/delete"),
            [("      operationId: deletePet\n", "      operationId: deletePet\n      deprecated: true\n")], []),
        // Parameters.
        case!(Wire "new-required-request-parameter" Breaking, get, Some("#/paths/~1pets~1{id}/get/parameters/2"), [],
            [(LIMIT, "        - {name: limit, in: query, schema: {type: integer}}\n        - {name: q, in: query, required: true, schema: {type: string}}\n")]),
        case!(Wire "new-optional-request-parameter" Safe, get, Some("#/paths/~1pets~1{id}/get/parameters/2"), [],
            [(LIMIT, "        - {name: limit, in: query, schema: {type: integer}}\n        - {name: q, in: query, schema: {type: string}}\n")]),
        case!(Wire "request-parameter-removed" MayBreak, Some("#/paths/~1pets~1{id}/get/parameters/1"), get, [], [(LIMIT, "")]),
        case!(Wire "request-parameter-became-required" Breaking, Some("#/paths/~1pets~1{id}/get/parameters/1"), Some("#/paths/~1pets~1{id}/get/parameters/1"), [],
            [(LIMIT, "        - {name: limit, in: query, required: true, schema: {type: integer}}\n")]),
        case!(Wire "request-parameter-became-optional" Safe, Some("#/paths/~1pets~1{id}/get/parameters/1"), Some("#/paths/~1pets~1{id}/get/parameters/1"),
            [(LIMIT, "        - {name: limit, in: query, required: true, schema: {type: integer}}\n")], []),
        case!(Wire "request-parameter-type-changed" Breaking, Some("#/paths/~1pets~1{id}/get/parameters/1"), Some("#/paths/~1pets~1{id}/get/parameters/1"), [],
            [(LIMIT, "        - {name: limit, in: query, schema: {type: string}}\n")]),
        case!(Wire "request-parameter-enum-value-removed" Breaking, Some("#/paths/~1pets~1{id}/get/parameters/2"), Some("#/paths/~1pets~1{id}/get/parameters/2"), [],
            [("enum: [cat, dog]", "enum: [cat]")]),
        case!(Wire "request-parameter-enum-value-added" Safe, Some("#/paths/~1pets~1{id}/get/parameters/2"), Some("#/paths/~1pets~1{id}/get/parameters/2"), [],
            [("enum: [cat, dog]", "enum: [cat, dog, bird]")]),
        // Request bodies.
        case!(Wire "added-required-request-body" Breaking, Some("#/paths/~1pets~1{id}/delete"), Some("#/paths/~1pets~1{id}/delete/requestBody/content/application~1json/schema"), [],
            [("      operationId: deletePet\n", "      operationId: deletePet\n      requestBody: {required: true, content: {application/json: {schema: {type: object, properties: {why: {type: string}}}}}}\n")]),
        case!(Wire "added-optional-request-body" Safe, Some("#/paths/~1pets~1{id}/delete"), Some("#/paths/~1pets~1{id}/delete/requestBody/content/application~1json/schema"), [],
            [("      operationId: deletePet\n", "      operationId: deletePet\n      requestBody: {content: {application/json: {schema: {type: object, properties: {why: {type: string}}}}}}\n")]),
        case!(Wire "request-body-removed" MayBreak, Some("#/paths/~1pets/post/requestBody/content/application~1json/schema"), Some("#/paths/~1pets/post"), [],
            [("      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NewPet'}}}}\n", "")]),
        case!(Wire "request-body-became-optional" Safe, Some("#/paths/~1pets/post/requestBody/content/application~1json/schema"), Some("#/paths/~1pets/post/requestBody/content/application~1json/schema"), [],
            [("requestBody: {required: true,", "requestBody: {required: false,")]),
        case!(Wire "request-body-became-required" Breaking, Some("#/paths/~1pets/post/requestBody/content/application~1json/schema"), Some("#/paths/~1pets/post/requestBody/content/application~1json/schema"),
            [("requestBody: {required: true,", "requestBody: {required: false,")], []),
        case!(Wire "request-body-media-type-changed" Breaking, Some("#/paths/~1pets/post/requestBody/content/application~1json/schema"), Some("#/paths/~1pets/post/requestBody/content/application~1x-www-form-urlencoded/schema"), [],
            [("content: {application/json: {schema: {$ref: '#/components/schemas/NewPet'}}}", "content: {application/x-www-form-urlencoded: {schema: {$ref: '#/components/schemas/NewPet'}}}")]),
        case!(Wire "request-body-type-changed" Breaking, Some("#/paths/~1pets/post/requestBody/content/application~1json/schema"), Some("#/paths/~1pets/post/requestBody/content/application~1json/schema"), [],
            [("schema: {$ref: '#/components/schemas/NewPet'}", "schema: {type: array, items: {$ref: '#/components/schemas/NewPet'}}")]),
        // Request properties.
        case!(Wire "new-required-request-property" Breaking, Some(NEW_PET), Some("#/components/schemas/NewPet/properties/age"), [],
            [("      required: [name]\n      properties:\n        name: {type: string}\n", "      required: [name, age]\n      properties:\n        name: {type: string}\n        age: {type: integer}\n")]),
        case!(Wire "new-optional-request-property" Safe, Some(NEW_PET), Some("#/components/schemas/NewPet/properties/age"), [],
            [("      required: [name]\n      properties:\n        name: {type: string}\n", "      required: [name]\n      properties:\n        name: {type: string}\n        age: {type: integer}\n")]),
        case!(Wire "request-property-removed" MayBreak, Some("#/components/schemas/NewPet/properties/note"), Some(NEW_PET), [],
            [("        note: {type: string, nullable: true}\n", "")]),
        case!(Wire "request-property-became-required" Breaking, Some("#/components/schemas/NewPet/properties/tag"), Some("#/components/schemas/NewPet/properties/tag"), [],
            [("      required: [name]\n", "      required: [name, tag]\n")]),
        case!(Wire "request-property-became-optional" Safe, Some("#/components/schemas/NewPet/properties/tag"), Some("#/components/schemas/NewPet/properties/tag"),
            [("      required: [name]\n", "      required: [name, tag]\n")], []),
        case!(Wire "request-property-type-changed" Breaking, Some("#/components/schemas/NewPet/properties/note"), Some("#/components/schemas/NewPet/properties/note"), [],
            [("note: {type: string, nullable: true}", "note: {type: integer, nullable: true}")]),
        case!(Wire "request-property-became-not-nullable" Breaking, Some("#/components/schemas/NewPet/properties/note"), Some("#/components/schemas/NewPet/properties/note"), [],
            [("note: {type: string, nullable: true}", "note: {type: string}")]),
        case!(Wire "request-property-became-nullable" Safe, Some("#/components/schemas/NewPet/properties/note"), Some("#/components/schemas/NewPet/properties/note"),
            [("note: {type: string, nullable: true}", "note: {type: string}")], []),
        case!(Wire "request-property-enum-value-removed" Breaking, Some("#/components/schemas/NewPet/properties/colour"), Some("#/components/schemas/NewPet/properties/colour"), [],
            [(COLOUR, "colour: {type: string, enum: [black]}")]),
        case!(Wire "request-property-enum-value-added" Safe, Some("#/components/schemas/NewPet/properties/colour"), Some("#/components/schemas/NewPet/properties/colour"), [],
            [(COLOUR, "colour: {type: string, enum: [black, white, grey]}")]),
        case!(Wire "request-property-one-of-removed" Breaking, Some("#/components/schemas/NewPet/properties/toy"), Some("#/components/schemas/NewPet/properties/toy"), [],
            [("with, oneOf: [{type: string}, {type: integer}, {type: boolean}]}", "with, oneOf: [{type: string}, {type: integer}]}")]),
        // Response properties.
        case!(Wire "response-required-property-removed" Breaking, Some("#/components/schemas/Pet/properties/id"), Some(PET), [],
            [("      required: [id, name]\n      properties:\n        id: {type: string}\n", "      required: [name]\n      properties:\n")]),
        case!(Wire "response-optional-property-removed" MayBreak, Some("#/components/schemas/Pet/properties/tag"), Some(PET), [],
            [("        tag: {type: string}\n        status", "        status")]),
        case!(Wire "response-optional-property-added" Safe, Some(PET), Some("#/components/schemas/Pet/properties/age"), [],
            [("        id: {type: string}\n", "        id: {type: string}\n        age: {type: integer}\n")]),
        case!(Wire "response-required-property-added" Safe, Some(PET), Some("#/components/schemas/Pet/properties/age"), [],
            [("      required: [id, name]\n      properties:\n        id: {type: string}\n", "      required: [id, name, age]\n      properties:\n        id: {type: string}\n        age: {type: integer}\n")]),
        case!(Wire "response-property-became-optional" Breaking, Some("#/components/schemas/Pet/properties/name"), Some("#/components/schemas/Pet/properties/name"), [],
            [("required: [id, name]", "required: [id]")]),
        case!(Wire "response-property-became-required" Safe, Some("#/components/schemas/Pet/properties/tag"), Some("#/components/schemas/Pet/properties/tag"), [],
            [("required: [id, name]", "required: [id, name, tag]")]),
        case!(Wire "response-property-type-changed" Breaking, Some("#/components/schemas/Pet/properties/tag"), Some("#/components/schemas/Pet/properties/tag"), [],
            [("        tag: {type: string}\n        status", "        tag: {type: integer}\n        status")]),
        case!(Wire "response-property-became-nullable" Breaking, Some("#/components/schemas/Pet/properties/name"), Some("#/components/schemas/Pet/properties/name"), [],
            [("        name: {type: string}\n        tag: {type: string}\n        status", "        name: {type: string, nullable: true}\n        tag: {type: string}\n        status")]),
        case!(Wire "response-property-became-not-nullable" Safe, Some("#/components/schemas/Pet/properties/name"), Some("#/components/schemas/Pet/properties/name"),
            [("        name: {type: string}\n        tag: {type: string}\n        status", "        name: {type: string, nullable: true}\n        tag: {type: string}\n        status")], []),
        case!(Wire "response-property-enum-value-added" MayBreak, Some("#/components/schemas/Pet/properties/status"), Some("#/components/schemas/Pet/properties/status"), [],
            [(STATUS, "status: {type: string, enum: [available, sold, pending]}")]),
        case!(Wire "response-property-enum-value-removed" Safe, Some("#/components/schemas/Pet/properties/status"), Some("#/components/schemas/Pet/properties/status"), [],
            [(STATUS, "status: {type: string, enum: [available]}")]),
        case!(Wire "response-property-one-of-added" MayBreak, Some("#/components/schemas/Pet/properties/toy"), Some("#/components/schemas/Pet/properties/toy"), [],
            [(PET_TOY, "        toy: {oneOf: [{type: string}, {type: integer}, {type: boolean}]}\n    NewPet:")]),
        case!(Wire "response-property-one-of-removed" Safe, Some("#/components/schemas/Pet/properties/toy"), Some("#/components/schemas/Pet/properties/toy"),
            [(PET_TOY, "        toy: {oneOf: [{type: string}, {type: integer}, {type: boolean}]}\n    NewPet:")], []),
        case!(Wire "request-property-one-of-added" Safe, Some("#/components/schemas/NewPet/properties/toy"), Some("#/components/schemas/NewPet/properties/toy"), [],
            [("with, oneOf: [{type: string}, {type: integer}, {type: boolean}]}", "with, oneOf: [{type: string}, {type: integer}, {type: boolean}, {type: number}]}")]),
        // Answers.
        case!(Wire "response-body-type-changed" Breaking, Some("#/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema"), Some("#/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema"), [],
            [("content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}\n        '404'", "content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}\n        '404'")]),
        case!(Wire "response-success-status-removed" Breaking, Some("#/paths/~1pets~1{id}/delete/responses/204"), Some("#/paths/~1pets~1{id}/delete/responses"), [],
            [("        '204': {description: gone}\n", "        '200': {description: gone}\n")]),
        case!(Wire "response-success-status-added" MayBreak, Some("#/paths/~1pets~1{id}/delete/responses"), Some("#/paths/~1pets~1{id}/delete/responses/202"), [],
            [("        '204': {description: gone}\n", "        '204': {description: gone}\n        '202': {description: later}\n")]),
        case!(Wire "response-non-success-status-removed" Safe, Some("#/paths/~1pets~1{id}/get/responses/404"), Some("#/paths/~1pets~1{id}/get/responses"), [],
            [("        '404': {description: gone}\n", "")]),
        case!(Wire "response-non-success-status-added" Safe, Some("#/paths/~1pets~1{id}/get/responses"), Some("#/paths/~1pets~1{id}/get/responses/500"), [],
            [("        '404': {description: gone}\n", "        '404': {description: gone}\n        '500': {description: broken}\n")]),
        case!(Wire "response-media-type-added" MayBreak, Some("#/paths/~1pets~1{id}/get/responses/200"), Some("#/paths/~1pets~1{id}/get/responses/200/content/text~1csv"), [],
            [("content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}\n        '404'", "content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}, text/csv: {schema: {type: string}}}\n        '404'")]),
        case!(Wire "response-media-type-removed" Breaking, Some("#/paths/~1pets~1{id}/get/responses/200/content/text~1csv"), Some("#/paths/~1pets~1{id}/get/responses/200"),
            [("content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}\n        '404'", "content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}, text/csv: {schema: {type: string}}}\n        '404'")], []),
        case!(Wire "response-header-removed" MayBreak, Some("#/paths/~1pets~1{id}/get/responses/200/headers/x-rate"), Some("#/paths/~1pets~1{id}/get/responses/200"), [],
            [("          headers: {X-Rate: {schema: {type: integer}}}\n", "")]),
        case!(Wire "response-header-added" Safe, Some("#/paths/~1pets~1{id}/get/responses/200"), Some("#/paths/~1pets~1{id}/get/responses/200/headers/x-limit"), [],
            [("headers: {X-Rate: {schema: {type: integer}}}", "headers: {X-Rate: {schema: {type: integer}}, X-Limit: {schema: {type: integer}}}")]),
        // The Rust source.
        case!(Rust "rust-fn-removed" Breaking, Some("#/paths/~1pets~1{id}/delete"), None, [],
            [("    delete:\n      operationId: deletePet\n", "    x-delete:\n      operationId: deletePet\n")]),
        case!(Rust "rust-fn-added" Safe, None, Some("#/paths/~1pets~1{id}/put"), [],
            [("    delete:\n", "    put:\n      operationId: putPet\n      responses: {'204': {description: ok}}\n    delete:\n")]),
        case!(Rust "rust-fn-renamed" Breaking, Some("#/paths/~1pets~1{id}/delete"), Some("#/paths/~1pets~1{id}/delete"), [],
            [("operationId: deletePet", "operationId: removePet")]),
        case!(Rust "rust-fn-argument-added" Breaking, get, get, [],
            [(LIMIT, "        - {name: limit, in: query, required: true, schema: {type: integer}}\n")]),
        case!(Rust "rust-fn-argument-removed" Breaking, get, get,
            [(LIMIT, "        - {name: limit, in: query, required: true, schema: {type: integer}}\n")], []),
        case!(Rust "rust-setter-removed" Breaking, get, get, [], [(LIMIT, "")]),
        case!(Rust "rust-setter-added" Safe, get, get, [],
            [(LIMIT, "        - {name: limit, in: query, schema: {type: integer}}\n        - {name: q, in: query, schema: {type: string}}\n")]),
        case!(Rust "rust-setter-changed" Breaking, get, get, [],
            [(LIMIT, "        - {name: limit, in: query, schema: {type: string}}\n")]),
        case!(Rust "rust-fn-answer-type-changed" Breaking, get, get, [],
            [("content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}\n        '404'", "content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}\n        '404'")]),
        case!(Rust "rust-fn-error-type-changed" Breaking, Some("#/paths/~1pets~1{id}/delete"), Some("#/paths/~1pets~1{id}/delete"), [],
            [("        '204': {description: gone}\n", "        '204': {description: gone}\n        '404': {description: missing}\n")]),
        case!(Rust "rust-field-removed" Breaking, Some("#/components/schemas/Pet/properties/tag"), Some(PET), [],
            [("        tag: {type: string}\n        status", "        status")]),
        case!(Rust "rust-field-added" Safe, Some(PET), Some("#/components/schemas/Pet/properties/age"), [],
            [("        id: {type: string}\n", "        id: {type: string}\n        age: {type: integer}\n")]),
        case!(Rust "rust-field-added-required" Breaking, Some(NEW_PET), Some("#/components/schemas/NewPet/properties/age"), [],
            [("      required: [name]\n      properties:\n        name: {type: string}\n", "      required: [name, age]\n      properties:\n        name: {type: string}\n        age: {type: integer}\n")]),
        case!(Rust "rust-field-type-changed" Breaking, Some("#/components/schemas/Pet/properties/name"), Some("#/components/schemas/Pet/properties/name"), [],
            [("required: [id, name]", "required: [id]")]),
        case!(Rust "rust-variant-added" Safe, Some("#/components/schemas/Pet/properties/status"), Some("#/components/schemas/Pet/properties/status"), [],
            [(STATUS, "status: {type: string, enum: [available, sold, pending]}")]),
        case!(Rust "rust-variants-reordered" MayBreak, Some("#/components/schemas/Pet/properties/status"), Some("#/components/schemas/Pet/properties/status"), [],
            [(STATUS, "status: {type: string, enum: [sold, available]}")]),
        case!(Rust "rust-variant-removed" Breaking, Some("#/components/schemas/Pet/properties/status"), Some("#/components/schemas/Pet/properties/status"), [],
            [(STATUS, "status: {type: string, enum: [available]}")]),
        case!(Rust "rust-type-removed" Breaking, Some("#/paths/~1pets~1{id}/get"), None, [],
            [("        '404': {description: gone}\n", "")]),
        case!(Rust "rust-type-added" Safe, None, Some("#/paths/~1pets~1{id}/delete"), [],
            [("        '204': {description: gone}\n", "        '204': {description: gone}\n        '202': {description: later}\n")]),
        case!(Rust "rust-fn-argument-type-changed" Breaking, get, get, [],
            [("        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: limit", "        - {name: id, in: path, required: true, schema: {type: integer}}\n        - {name: limit")]),
        case!(Rust "rust-variant-type-changed" Breaking, get, get, [],
            [("        '404': {description: gone}\n", "        '404': {description: gone, content: {application/json: {schema: {type: object, properties: {why: {type: string}}}}}}\n")]),
        case!(Rust "rust-type-changed" Breaking, Some("#/components/schemas/Code"), Some("#/components/schemas/Code"), [],
            [("    Code: {type: integer}", "    Code: {type: string}")]),
        case!(Rust "rust-type-kind-changed" Breaking, Some("#/components/schemas/Code"), Some("#/components/schemas/Code"), [],
            [("    Code: {type: integer}", "    Code: {type: string, enum: [a, b]}")]),
        case!(Rust "rust-pages-removed" Breaking, Some(LIST_GET), Some(LIST_GET), [(POSTS, LIST)], [(POSTS, UNPAGED)]),
        case!(Rust "rust-pages-added" Safe, Some(LIST_GET), Some(LIST_GET), [(POSTS, UNPAGED)], [(POSTS, LIST)]),
        case!(Rust "rust-page-item-type-changed" Breaking, Some(LIST_GET), Some(LIST_GET), [(POSTS, LIST)], [(POSTS, NEW_PETS)]),
        case!(Rust "rust-feature-removed" Breaking, Some(DELETE), None, [(DELETE_ID, TAGGED)], []),
        case!(Rust "rust-feature-added" Safe, None, Some(DELETE), [], [(DELETE_ID, TAGGED)]),
        case!(Rust "rust-deprecated" Safe, Some("#/paths/~1pets~1{id}/delete"), Some("#/paths/~1pets~1{id}/delete"), [],
            [("      operationId: deletePet\n", "      operationId: deletePet\n      deprecated: true\n")]),
    ]
}

fn show(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "{:?} {} {:?} {:?} -> {:?}: {}",
                f.axis, f.id, f.severity, f.old, f.new, f.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn each_check_reports_its_id_severity_and_both_pointers() {
    for case in cases() {
        let (old, new) = (version(&edit(case.before)), version(&edit(case.after)));
        let report = diff::compare(&old, &new);
        let hit = report.findings.iter().find(|f| {
            f.axis == case.axis
                && f.id == case.id
                && f.old.as_deref() == case.old
                && f.new.as_deref() == case.new
        });
        let Some(hit) = hit else {
            panic!("{}: not found among\n{}", case.id, show(&report.findings));
        };
        assert_eq!(hit.severity, case.severity, "{}", case.id);
        assert!(hit.rust.is_some(), "{}: no Rust path", case.id);
    }
}

#[test]
fn every_wire_check_has_a_fixture_and_a_twin() {
    let ids: Vec<&str> = cases().iter().map(|c| c.id).collect();
    let checks = diff::wire::CHECKS;
    for (id, twin) in checks {
        assert!(ids.contains(id), "{id} has no fixture pair");
        assert!(checks.iter().any(|(c, _)| c == twin), "{id}: its twin {twin} is no check");
    }
    for case in cases().iter().filter(|c| c.axis == Axis::Wire) {
        assert!(checks.iter().any(|(c, _)| *c == case.id), "{} is not in wire::CHECKS", case.id);
    }
}

/// The Rust checks: each is listed with its twin or a reason, and those
/// without a fixture pair are the ones a small spec cannot reach.
#[test]
fn every_rust_check_has_a_twin_or_a_reason() {
    let ids: Vec<&str> = cases().iter().map(|c| c.id).collect();
    let checks = diff::rust::CHECKS;
    let source = include_str!("../../codegen/src/diff/rust.rs");
    for (id, twin) in checks {
        let is_check = |c: &&str| checks.iter().any(|(x, _)| x == c);
        assert!(is_check(twin) || twin.contains(' '), "{id}: twin {twin} is no check");
        // Reached only by renames the spec cannot cause without moving
        // the item (a name from a collision suffix), or by several
        // changes of one method at once.
        let without_fixture = [
            "rust-fn-arguments-reordered",
            "rust-fn-arguments-changed",
            "rust-type-renamed",
            "rust-field-renamed",
            "rust-variant-renamed",
        ];
        assert!(ids.contains(id) || without_fixture.contains(id), "{id} has no fixture pair");
    }
    // Every id the source reports is listed.
    for id in source.split('"').filter(|s| s.starts_with("rust-") && !s.contains(' ')) {
        assert!(checks.iter().any(|(c, _)| *c == id), "{id} is not in rust::CHECKS");
    }
}

#[test]
fn an_unchanged_spec_has_no_findings_and_a_patch_bump() {
    let report = diff::compare(&version(BASE), &version(BASE));
    assert!(report.findings.is_empty(), "{}", show(&report.findings));
    assert_eq!(report.summary(), "diff: 0 breaking, 0 may break, 0 safe; suggested bump: patch");
}

/// GHES 3.16 -> 3.17: a new property identical to an old one and sorting
/// first now keeps the shared definition, and the old one's type and its
/// members' types are aliases of the new one's. Nothing old code names
/// changes (a witness found this: the field's type read as changed).
#[test]
fn a_shared_definition_moving_to_another_place_breaks_nothing() {
    let object = "{type: object, properties: {state: {type: string, enum: [on, off]}}}";
    let old = edit(&[(
        "        tag: {type: string}\n",
        &format!("        tag: {{type: string}}\n        scan: {object}\n"),
    )]);
    let new = edit(&[(
        "        tag: {type: string}\n",
        &format!(
            "        tag: {{type: string}}\n        scan: {object}\n        audit: {object}\n"
        ),
    )]);
    let report = diff::compare(&version(&old), &version(&new));
    let breaking: Vec<_> =
        report.findings.iter().filter(|f| f.severity != Severity::Safe).cloned().collect();
    assert!(breaking.is_empty(), "{}", show(&breaking));
    assert!(
        report.findings.iter().any(|f| f.id == "rust-field-added"),
        "{}",
        show(&report.findings)
    );
}

#[test]
fn a_break_without_a_new_version_is_warned_of_and_bumps_major() {
    let new = edit(&[(
        LIMIT,
        "        - {name: limit, in: query, required: true, schema: {type: integer}}\n",
    )]);
    let report = diff::compare(&version(BASE), &version(&new));
    assert_eq!(report.bump.as_str(), "major");
    assert!(report.warning.as_deref().is_some_and(|w| w.contains("`info.version` is `1`")));
    let markdown = report.markdown("pets");
    assert!(
        markdown.contains("**breaking** `request-parameter-became-required` `Client::get_pet`"),
        "{markdown}"
    );
    let json = report.json();
    assert_eq!(json["summary"]["breaking"], report.count(Severity::Breaking));
    assert_eq!(json["findings"][0]["severity"], "breaking");
}

#[test]
fn an_optional_parameter_added_is_safe_for_rust_callers_too() {
    // oasdiff calls this harmless on the wire; with positional arguments it
    // broke every Rust call. With setters it is a new method, nothing more.
    let new = edit(&[(LIMIT, "        - {name: limit, in: query, schema: {type: integer}}\n        - {name: q, in: query, schema: {type: string}}\n")]);
    let report = diff::compare(&version(BASE), &version(&new));
    assert_eq!(report.count(Severity::Breaking), 0, "{}", show(&report.findings));
    assert_eq!(report.bump.as_str(), "minor");
}

/// Many breaking changes at once, each confirmed by a program that compiles
/// against the old crate and fails against the new one.
#[test]
fn every_breaking_rust_finding_has_a_witness_that_confirms_it() {
    // One more operation in the old spec, removed in the new, and with it
    // its tag's Cargo feature.
    let toys = "  /pets:\n    post:";
    let toys_then_list = format!("  /toys:\n    get:\n      operationId: listToys\n      tags: [toys]\n      responses: {{'200': {{description: ok}}}}\n{LIST}");
    let old = edit(&[(toys, &toys_then_list)]);
    let new = edit(&[
        (LIMIT, "        - {name: limit, in: query, required: true, schema: {type: integer}}\n"),
        ("enum: [cat, dog]", "enum: [cat]"),
        ("        tag: {type: string}\n        status", "        tag: {type: integer}\n        status"),
        (STATUS, "status: {type: string, enum: [available]}"),
        (
            "      required: [name]\n      properties:\n        name: {type: string}\n",
            "      required: [name, age]\n      properties:\n        name: {type: string}\n        age: {type: integer}\n",
        ),
        (
            "content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}\n        '404'",
            "content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}\n        '404'",
        ),
        (
            "        '404': {description: gone}\n",
            "        '404': {description: gone, content: {application/json: {schema: {type: object, properties: {why: {type: string}}}}}}\n",
        ),
        ("operationId: createPet", "operationId: addPet"),
        (POSTS, UNPAGED),
        ("        '204': {description: gone}\n", "        '204': {description: gone}\n        '409': {description: busy}\n"),
    ]);
    let documents: Vec<serde_json::Value> =
        [old.as_str(), new.as_str()].iter().map(|t| serde_yaml::from_str(t).unwrap()).collect();
    let (old, new) = (version(&old), version(&new));
    let mut report = diff::compare(&old, &new);
    let root = crate::support::project_root();
    let work = tempfile::tempdir().unwrap();
    let done = diff::witness::confirm(
        &mut report.findings,
        &old.surface,
        [&documents[0], &documents[1]],
        work.path(),
        &root.join("target/witness"),
    )
    .unwrap();
    let breaking: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.axis == Axis::Rust && f.severity == Severity::Breaking)
        .collect();
    assert!(breaking.len() >= 10, "{}", show(&report.findings));
    assert_eq!(done.without, 0, "{}", show(&report.findings));
    assert!(done.unconfirmed.is_empty(), "{:?}\n{}", done.unconfirmed, show(&report.findings));
    assert_eq!(done.confirmed, breaking.len());
    let ids: Vec<&str> = breaking.iter().map(|f| f.id).collect();
    for id in [
        "rust-fn-removed",
        "rust-fn-renamed",
        "rust-fn-argument-added",
        "rust-setter-removed",
        "rust-fn-answer-type-changed",
        "rust-fn-error-type-changed",
        "rust-field-type-changed",
        "rust-field-added-required",
        "rust-variant-removed",
        "rust-variant-type-changed",
        "rust-pages-removed",
        "rust-feature-removed",
    ] {
        assert!(ids.contains(&id), "{id} not among {ids:?}");
    }
}

/// A body in several media types and a typed form are part of the
/// surface: the `_as` method, its body enum and the form's fields.
#[test]
fn body_choices_and_forms_are_compared() {
    let json = "requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NewPet'}}}}";
    let form = |parts: &str, required: &str| {
        format!(
            "requestBody: {{required: true, content: {{application/json: {{schema: {{$ref: '#/components/schemas/NewPet'}}}}, multipart/form-data: {{schema: {{type: object, required: [{required}], properties: {{{parts}}}}}}}}}}}"
        )
    };
    let photo = "name: {type: string}, photo: {type: string, format: binary}";
    let old = edit(&[(json, &form(&format!("{photo}, tag: {{type: string}}"), "name"))]);
    let new = edit(&[(json, &form(&format!("{photo}, age: {{type: integer}}"), "name, age"))]);
    let report = diff::compare(&version(&old), &version(&new));
    let found = |id: &str, rust: &str| {
        report.findings.iter().find(|f| f.id == id && f.rust.as_deref() == Some(rust))
    };
    let removed = found("rust-field-removed", "types::CreatePetForm::tag");
    assert_eq!(removed.map(|f| f.severity), Some(Severity::Breaking), "{}", show(&report.findings));
    // Users build forms: a new required part breaks `new`.
    let added = found("rust-field-added-required", "types::CreatePetForm::age");
    assert_eq!(added.map(|f| f.severity), Some(Severity::Breaking), "{}", show(&report.findings));

    let one = edit(&[]);
    let report = diff::compare(&version(&old), &version(&one));
    let found = |id: &str, rust: &str| {
        report.findings.iter().any(|f| f.id == id && f.rust.as_deref() == Some(rust))
    };
    assert!(found("rust-fn-removed", "Client::create_pet_as"), "{}", show(&report.findings));
    assert!(found("rust-type-removed", "types::CreatePetBody"), "{}", show(&report.findings));
    assert!(found("rust-type-removed", "types::CreatePetForm"), "{}", show(&report.findings));
}

/// Found by `--witness` on Twilio's and Nexmo's v1 -> v2: an operation
/// moved to another path keeps its method, and a path parameter renamed
/// keeps the argument's place and type; code calling either still compiles.
#[test]
fn a_moved_operation_or_a_renamed_argument_breaks_no_call() {
    let moved = edit(&[("  /pets:\n    post:", "  /v2/pets:\n    post:")]);
    let report = diff::compare(&version(BASE), &version(&moved));
    let rust: Vec<&Finding> = report.findings.iter().filter(|f| f.axis == Axis::Rust).collect();
    assert!(rust.is_empty(), "{}", show(&report.findings));
    assert!(report.findings.iter().any(|f| f.id == "api-path-removed-without-deprecation"));
    let renamed =
        BASE.replace("{id}", "{petId}").replace("{name: id, in: path", "{name: petId, in: path");
    let report = diff::compare(&version(BASE), &version(&renamed));
    assert!(
        !report.findings.iter().any(|f| f.severity == Severity::Breaking),
        "{}",
        show(&report.findings)
    );
}

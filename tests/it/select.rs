//! `--tag` / `--operation`: a slice of an API holds the chosen operations and
//! exactly the types they reach.

use codegen::Selection;

const SPEC: &str = r##"openapi: 3.0.3
info: {title: Zoo, version: '1'}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      tags: [pets]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: kind, in: query, schema: {$ref: '#/components/schemas/Kind'}}
      responses:
        '200':
          description: ok
          headers:
            X-Rate: {schema: {$ref: '#/components/schemas/Rate'}}
          content:
            application/json: {schema: {$ref: '#/components/schemas/Pet'}}
        '404':
          description: no such pet
          content:
            application/json: {schema: {$ref: '#/components/schemas/Problem'}}
  /owners:
    post:
      operationId: createOwner
      tags: [owners]
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                name: {type: string}
                address: {$ref: '#/components/schemas/Address'}
      responses:
        '201': {description: created}
  /stores:
    get:
      tags: [stores]
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Store'}}}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        tags: {type: array, items: {$ref: '#/components/schemas/Tag'}}
        friend: {$ref: '#/components/schemas/Pet'}
        toy: {oneOf: [{$ref: '#/components/schemas/Ball'}, {$ref: '#/components/schemas/Stick'}]}
        notes: {type: object, additionalProperties: {$ref: '#/components/schemas/Note'}}
    Tag: {type: object, properties: {label: {type: string}}}
    Ball: {type: object, properties: {size: {type: integer}}}
    Stick: {type: object, properties: {length: {type: number}}}
    Note: {type: object, properties: {text: {type: string}}}
    Kind: {type: string, enum: [cat, dog]}
    Rate: {type: integer}
    Problem: {type: object, properties: {detail: {type: string}}}
    Address: {type: object, properties: {street: {type: string}}}
    Store: {type: object, properties: {city: {type: string}}}
    Unused: {type: object, properties: {x: {type: string}}}
"##;

fn generate(selection: &Selection) -> codegen::Result<String> {
    let dir = std::env::temp_dir().join(format!("codegen-select-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("zoo.yaml");
    std::fs::write(&path, SPEC).unwrap();
    codegen::generate_selected(&path, "zoo", selection).map(|m| m.source)
}

fn selection(tags: &[&str], operations: &[&str]) -> Selection {
    Selection {
        tags: tags.iter().map(|s| s.to_string()).collect(),
        operations: operations.iter().map(|s| s.to_string()).collect(),
    }
}

/// The names of the types and client methods a module defines.
fn items(source: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            ["pub struct ", "pub enum ", "pub type ", "pub async fn "]
                .iter()
                .find_map(|p| l.strip_prefix(p))
                .map(|rest| rest.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap().to_string())
        })
        .collect()
}

#[test]
fn no_selection_is_the_whole_api() {
    let whole = items(&generate(&Selection::default()).unwrap());
    for name in ["Pet", "Unused", "Store", "get_pet", "create_owner", "Address"] {
        assert!(whole.iter().any(|i| i == name), "{name} missing from {whole:?}");
    }
}

#[test]
fn a_tag_keeps_its_operations_and_everything_they_reach() {
    let slice = items(&generate(&selection(&["pets"], &[])).unwrap());
    // Reached through the answer, its fields (list items, itself, a union,
    // map values), the query parameter, the headers and the error body.
    for name in ["get_pet", "Pet", "Tag", "Ball", "Stick", "Note", "PetToy", "Kind", "GetPetOkHeaders", "Problem"] {
        assert!(slice.iter().any(|i| i == name), "{name} missing from {slice:?}");
    }
    // `Rate` is an alias of a scalar: the header is read as `i64` itself.
    for name in ["create_owner", "Address", "Store", "Unused", "Rate"] {
        assert!(!slice.iter().any(|i| i == name), "{name} should be gone from {slice:?}");
    }
}

#[test]
fn operations_are_chosen_by_id_or_by_method_and_path() {
    let slice = items(&generate(&selection(&[], &["createOwner", "get /stores"])).unwrap());
    for name in ["create_owner", "Address", "Store"] {
        assert!(slice.iter().any(|i| i == name), "{name} missing from {slice:?}");
    }
    for name in ["get_pet", "Pet", "Unused"] {
        assert!(!slice.iter().any(|i| i == name), "{name} should be gone from {slice:?}");
    }
}

#[test]
fn kept_items_read_as_in_the_whole_api() {
    let whole = generate(&Selection::default()).unwrap();
    let slice = generate(&selection(&["pets"], &[])).unwrap();
    let pet = |s: &str| {
        let start = s.find("pub struct Pet {").expect("Pet");
        s[start..start + s[start..].find("\n    }\n").unwrap()].to_string()
    };
    assert_eq!(pet(&slice), pet(&whole));
}

#[test]
fn an_unknown_tag_or_operation_is_an_error_that_lists_what_there_is() {
    let e = generate(&selection(&["pet"], &[])).unwrap_err().to_string();
    assert!(e.contains("no tag `pet` in this spec; it has `owners`, `pets`, `stores`"), "{e}");
    let e = generate(&selection(&[], &["getPets"])).unwrap_err().to_string();
    assert!(e.contains("no operation `getPets`"), "{e}");
    assert!(e.contains("`getPet`"), "{e}");
}

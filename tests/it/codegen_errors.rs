//! Bad input gets a clear error naming the file and the JSON pointer, never a
//! panic and never code.

use std::path::PathBuf;

use codegen::ErrorKind;

/// Writes `text` to a fresh file named `name` and runs codegen on it.
fn generate(name: &str, text: &str) -> (PathBuf, codegen::Error) {
    let dir = tempfile::Builder::new().prefix("codegen-errors-").tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let err = codegen::generate_module(&path, "api").expect_err("the spec is bad");
    (path, err)
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";

#[test]
fn dangling_schema_ref() {
    let (path, e) = generate(
        "dangling.yaml",
        &format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b:\n          $ref: '#/components/schemas/Missing'\n"
        ),
    );
    assert_eq!(e.kind, ErrorKind::Reference);
    assert_eq!(e.pointer.to_string(), "#/components/schemas/A/properties/b/$ref");
    let msg = e.to_string();
    assert!(msg.starts_with(&path.display().to_string()), "{msg}");
    assert!(msg.contains("`#/components/schemas/Missing` points to nothing"), "{msg}");
}

#[test]
fn dangling_response_ref_names_the_status() {
    let (_, e) = generate(
        "dangling-response.json",
        r##"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"},
            "paths": {"/exports/{id}": {"get": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
              "responses": {"200": {"description": "ok"}, "401": {"$ref": "#/components/responses/Unauthorized"}}}}}}"##,
    );
    assert_eq!(e.kind, ErrorKind::Reference);
    assert_eq!(e.pointer.to_string(), "#/paths/~1exports~1{id}/get/responses/401/$ref");
}

#[test]
fn yaml_syntax_error_has_file_and_line() {
    let (path, e) = generate("broken.yaml", &format!("{HEAD}paths:\n  /a: [unclosed\n"));
    assert_eq!(e.kind, ErrorKind::Syntax);
    let (line, _) = e.location.expect("YAML errors have a location");
    assert!(line >= 3, "line {line}");
    let msg = e.to_string();
    assert!(msg.starts_with(&format!("{}:{line}:", path.display())), "{msg}");
    assert!(msg.contains("invalid YAML"), "{msg}");
}

#[test]
fn json_syntax_error_has_file_and_line() {
    let (_, e) = generate("broken.json", "{\"openapi\": \"3.0.3\",\n  \"info\": }");
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert_eq!(e.location.map(|l| l.0), Some(2));
}

#[test]
fn swagger_2_is_not_openapi_3() {
    let (_, e) =
        generate("swagger.yaml", "swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n");
    assert!(matches!(e.kind, ErrorKind::Unsupported { .. }), "{e}");
    assert_eq!(e.pointer.to_string(), "#/swagger");
    assert!(e.to_string().contains("supported: OpenAPI 3.0.x"), "{e}");
}

#[test]
fn a_document_without_openapi_field_is_rejected() {
    let (_, e) = generate("notopenapi.yaml", "name: not a spec\nitems: [1, 2]\n");
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert_eq!(e.pointer.to_string(), "#");
    assert!(e.to_string().contains("no `openapi` field"), "{e}");
}

#[test]
fn an_invalid_operation_says_where() {
    let (_, e) =
        generate("badop.yaml", &format!("{HEAD}paths:\n  /a:\n    get:\n      responses: 7\n"));
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert_eq!(e.pointer.to_string(), "#/paths/~1a/get/responses");
}

#[test]
fn a_missing_external_file_is_an_error_at_the_ref() {
    let (_, e) = generate(
        "external.yaml",
        &format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Pet:\n      $ref: 'pets.yaml#/Pet'\n"
        ),
    );
    assert_eq!(e.kind, ErrorKind::Reference);
    assert_eq!(e.pointer.to_string(), "#/components/schemas/Pet/$ref");
    assert!(e.message.contains("external $ref `pets.yaml`: cannot read"), "{}", e.message);
    assert!(e.message.contains("pets.yaml"), "{}", e.message);
}

#[test]
fn unsupported_features_name_feature_pointer_and_alternative() {
    let (_, e) = generate(
        "remote.yaml",
        &format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Pet:\n      $ref: 'https://example.com/pets.yaml#/Pet'\n"),
    );
    assert_eq!(e.kind, ErrorKind::Unsupported { feature: "remote $ref".into() });
    assert_eq!(e.pointer.to_string(), "#/components/schemas/Pet/$ref");
    assert!(e.supported.as_deref().is_some_and(|s| s.contains("files beside the spec")), "{e}");
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("does-not-exist.yaml");
    let e = codegen::generate_module(&path, "api").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Io);
    assert!(e.to_string().starts_with(&path.display().to_string()), "{e}");
}

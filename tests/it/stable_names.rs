//! A spec update renames nothing it did not touch: with any one operation
//! removed, or the paths in reverse order, every public name that belongs
//! to something still there is what it was.

use codegen::diff::{self, Renamed};

use crate::support::project_root;

fn specs() -> Vec<std::path::PathBuf> {
    let root = project_root();
    ["specs", "tests/specs"]
        .iter()
        .flat_map(|dir| codegen::spec_files(&root.join(dir)).unwrap())
        .collect()
}

fn show(renamed: &[Renamed]) -> String {
    renamed
        .iter()
        .map(|r| match &r.member {
            Some(m) => format!("{} member {m}: {} -> {}", r.key, r.before, r.after),
            None => format!("{}: {} -> {}", r.key, r.before, r.after),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn removing_an_operation_renames_nothing_else() {
    let mut checked = 0;
    for spec in specs() {
        let document = codegen::input::as_read(&spec, None).unwrap();
        let whole = diff::surface_of(document.clone(), &spec).unwrap();
        for (path, method) in diff::operations(&document) {
            let without = diff::without_operation(&document, &path, &method);
            let after = diff::surface_of(without, &spec).unwrap();
            let touched: Vec<String> = whole.operation_at(&path, &method).into_iter().collect();
            assert_eq!(touched.len(), 1, "{}: no item for {method} {path}", spec.display());
            let renamed = diff::renamed(&whole, &after, &touched);
            assert!(
                renamed.is_empty(),
                "{}: without {} renamed:\n{}",
                spec.display(),
                touched[0],
                show(&renamed)
            );
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} operations removed");
}

#[test]
fn reordering_paths_renames_nothing() {
    for spec in specs() {
        let document = codegen::input::as_read(&spec, None).unwrap();
        let whole = diff::surface_of(document.clone(), &spec).unwrap();
        let after = diff::surface_of(diff::paths_reversed(&document), &spec).unwrap();
        let renamed = diff::renamed(&whole, &after, &[]);
        assert!(
            renamed.is_empty(),
            "{}: reversed paths renamed:\n{}",
            spec.display(),
            show(&renamed)
        );
    }
}

/// Parts several operations share (a path item's parameter, a component
/// parameter, response or request body with an inline schema) are named
/// from their own place, not from the first operation that meets them.
#[test]
fn shared_parts_are_named_from_their_own_place() {
    let spec = r##"openapi: 3.0.3
info: {title: Shared, version: '1'}
paths:
  /v1/{name}:
    parameters:
      - {name: view, in: query, schema: {type: string, enum: [basic, full]}}
      - {$ref: '#/components/parameters/alt'}
    get:
      operationId: getThing
      parameters: [{name: name, in: path, required: true, schema: {type: string}}]
      requestBody: {$ref: '#/components/requestBodies/Note'}
      responses: {'404': {$ref: '#/components/responses/NotFound'}}
    delete:
      operationId: deleteThing
      parameters: [{name: name, in: path, required: true, schema: {type: string}}]
      requestBody: {$ref: '#/components/requestBodies/Note'}
      responses: {'404': {$ref: '#/components/responses/NotFound'}}
  /p1:
    get:
      operationId: get-x
      parameters: [{$ref: '#/components/parameters/id'}]
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}}}
  /p2:
    get:
      operationId: getX
      parameters: [{$ref: '#/components/parameters/id'}]
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {b: {type: string}}}}}}}
components:
  parameters:
    alt: {name: alt, in: query, schema: {type: string, enum: [json, proto]}}
    id: {name: id, in: query, schema: {oneOf: [{type: integer}, {type: string}]}}
  requestBodies:
    Note: {content: {application/json: {schema: {type: object, properties: {text: {type: string}}}}}}
  responses:
    NotFound: {description: gone, content: {application/json: {schema: {type: object, properties: {why: {type: string}}}}}}
"##;
    let document: serde_json::Value = serde_yaml::from_str(spec).unwrap();
    let file = std::path::Path::new("shared.yaml");
    let whole = diff::surface_of(document.clone(), file).unwrap();
    // Two operations whose ids make the same names (`get_x`, `GetXResponse`)
    // get their suffixes the same way whichever comes first.
    let reversed = diff::surface_of(diff::paths_reversed(&document), file).unwrap();
    let renamed = diff::renamed(&whole, &reversed, &[]);
    assert!(renamed.is_empty(), "reversed:\n{}", show(&renamed));
    // Removing one of the two that collide takes the other's suffix away:
    // two names can only be told apart by one, which goes when the other
    // does. The rest must not move.
    for (path, method) in
        diff::operations(&document).into_iter().filter(|(p, _)| p.starts_with("/v1"))
    {
        let after =
            diff::surface_of(diff::without_operation(&document, &path, &method), file).unwrap();
        let touched: Vec<String> = whole.operation_at(&path, &method).into_iter().collect();
        assert_eq!(touched.len(), 1, "no item for {method} {path}");
        let renamed = diff::renamed(&whole, &after, &touched);
        assert!(renamed.is_empty(), "without {method} {path}:\n{}", show(&renamed));
    }
    let names: Vec<&str> = whole.items.values().map(|i| i.name()).collect();
    for name in ["Alt", "V1NameView", "NoteRequest", "NotFoundResponse", "Id", "GetXResponse2"] {
        assert!(names.contains(&name), "{name} not among {names:?}");
    }
}

//! A spec is a vendor's input: whatever it says, codegen reads no file
//! outside the spec's folder, waits on no special file, copies no file into
//! an error message, and stops with an error rather than a crash or a hang.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use codegen::ErrorKind;

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n";

/// A fresh folder for one test, removed when the test ends.
fn folder(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new().prefix(&format!("codegen-hostile-{name}-")).tempdir().unwrap()
}

/// A spec whose one schema is `$ref: target`.
fn spec_referring_to(target: &str) -> String {
    format!("{HEAD}components:\n  schemas:\n    Pet:\n      $ref: '{target}'\n")
}

/// Codegen on `spec`, on another thread: a test that would hang fails instead.
/// The bound catches hangs, not slowness: the largest of these documents
/// takes seconds in a debug build, and more on a loaded machine.
fn generate(spec: &Path, ref_root: Option<&Path>) -> codegen::Result<codegen::Module> {
    let (tx, rx) = mpsc::channel();
    let (spec, root) = (spec.to_path_buf(), ref_root.map(Path::to_path_buf));
    std::thread::spawn(move || {
        let _ = tx.send(codegen::generate_selected(
            &spec,
            "api",
            &codegen::Selection::default(),
            root.as_deref(),
        ));
    });
    rx.recv_timeout(Duration::from_secs(90)).expect("codegen answers within 90 s")
}

#[test]
fn refs_to_files_outside_the_specs_folder_are_refused_without_reading_them() {
    let tmp = folder("outside");
    let dir = tmp.path();
    for target in [
        "../../../../../../etc/passwd",
        "/etc/passwd",
        "/proc/self/environ",
        "/dev/zero",
        "/etc/passwd#/root",
    ] {
        let spec = dir.join("spec.yaml");
        std::fs::write(&spec, spec_referring_to(target)).unwrap();
        let e = generate(&spec, None).expect_err(target);
        assert_eq!(e.kind, ErrorKind::Reference, "{target}: {e}");
        assert_eq!(e.pointer.to_string(), "#/components/schemas/Pet/$ref", "{target}");
        let text = e.to_string();
        assert!(
            text.contains("is outside") || text.contains("not a regular file"),
            "{target}: {text}"
        );
        assert!(
            !text.contains("root:x:0"),
            "{target}: the file's content is in the message: {text}"
        );
        assert!(text.len() < 600, "{target}: {text}");
    }
}

#[test]
fn files_inside_the_folder_may_refer_to_each_other_with_dot_dot() {
    let tmp = folder("inside");
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("schemas/pets")).unwrap();
    std::fs::write(
        dir.join("schemas/pets/pet.yaml"),
        "Pet: {type: object, properties: {owner: {$ref: '../owner.yaml#/Owner'}}}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("schemas/owner.yaml"),
        "Owner: {type: object, properties: {name: {type: string}}}\n",
    )
    .unwrap();
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, spec_referring_to("schemas/pets/pet.yaml#/Pet")).unwrap();
    let module = generate(&spec, None).unwrap();
    assert!(module.source.contains("pub struct Owner"), "{}", module.source);
}

#[test]
fn a_file_beside_the_folder_is_read_only_when_the_root_is_widened() {
    let tmp = folder("widened");
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("api")).unwrap();
    std::fs::write(
        dir.join("common.yaml"),
        "Pet: {type: object, properties: {name: {type: string}}}\n",
    )
    .unwrap();
    let spec = dir.join("api/spec.yaml");
    std::fs::write(&spec, spec_referring_to("../common.yaml#/Pet")).unwrap();
    let e = generate(&spec, None).unwrap_err();
    assert!(e.message.contains("is outside"), "{e}");
    assert!(e.supported.as_deref().is_some_and(|s| s.contains("--ref-root")), "{e}");
    assert!(generate(&spec, Some(dir)).unwrap().source.contains("pub struct Pet"));
}

#[test]
fn a_link_inside_the_folder_to_a_file_outside_is_refused() {
    let tmp = folder("link");
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("api")).unwrap();
    std::fs::write(dir.join("secret.yaml"), "Pet: {type: object, description: the secret}\n")
        .unwrap();
    std::os::unix::fs::symlink(dir.join("secret.yaml"), dir.join("api/pet.yaml")).unwrap();
    let spec = dir.join("api/spec.yaml");
    std::fs::write(&spec, spec_referring_to("pet.yaml#/Pet")).unwrap();
    let e = generate(&spec, None).unwrap_err();
    assert!(e.message.contains("is outside"), "{e}");
}

#[test]
fn special_files_are_refused_not_waited_on_or_read_forever() {
    let tmp = folder("fifo");
    let dir = tmp.path();
    let fifo = dir.join("pipe.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, spec_referring_to("pipe.yaml#/Pet")).unwrap();
    let e = generate(&spec, None).unwrap_err();
    assert!(e.message.contains("not a regular file"), "{e}");
    // And a device inside the root (the root widened to all of /dev).
    std::fs::write(&spec, spec_referring_to("/dev/zero")).unwrap();
    let e = generate(&spec, Some(Path::new("/dev"))).unwrap_err();
    assert!(e.message.contains("not a regular file"), "{e}");
}

#[test]
fn a_file_that_is_not_a_spec_is_quoted_in_a_short_excerpt_at_most() {
    let tmp = folder("excerpt");
    let dir = tmp.path();
    let line = "root:x:0:0:root:/root:/bin/bash\n";
    std::fs::write(dir.join("passwd"), line.repeat(500)).unwrap();
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, spec_referring_to("passwd")).unwrap();
    let e = generate(&spec, None).unwrap_err();
    let text = e.to_string();
    assert!(text.len() < 600, "{text}");
    assert!(text.matches("root:x:0").count() <= 2, "{text}");
}

/// Writes `text` as `name` in a fresh folder and generates it.
fn generate_text(name: &str, text: &str) -> codegen::Result<codegen::Module> {
    let tmp = folder(&name.replace('.', "-"));
    let dir = tmp.path();
    let spec = dir.join(name);
    std::fs::write(&spec, text).unwrap();
    generate(&spec, None)
}

fn component(name: &str, schema: &str) -> String {
    format!("{HEAD}components:\n  schemas:\n    {name}: {schema}\n")
}

#[test]
fn a_chain_of_thousands_of_schemas_is_an_error_at_the_depth_limit_not_a_stack_overflow() {
    // Each refers to the next; the thread has the default 2 MiB stack of a test.
    let mut text = format!("{HEAD}x-defs:\n");
    for i in 0..5000 {
        text.push_str(&format!(
            "  N{i}: {{type: object, properties: {{next: {{$ref: '#/x-defs/N{}'}}}}}}\n",
            i + 1
        ));
    }
    text.push_str(
        "  N5000: {type: string}\ncomponents:\n  schemas:\n    X: {$ref: '#/x-defs/N0'}\n",
    );
    let e = generate_text("chain.yaml", &text).unwrap_err();
    assert!(
        matches!(&e.kind, ErrorKind::Unsupported { feature } if feature == "schemas nested too deeply"),
        "{e}"
    );
    assert!(e.pointer.to_string().starts_with("#/x-defs/N"), "{e}");
}

#[test]
fn arrays_nested_deeper_than_rust_can_prove_send_are_an_error() {
    let deep = |n: usize| {
        component(
            "X",
            &format!("{}{{type: string}}{}", "{type: array, items: ".repeat(n), "}".repeat(n)),
        )
    };
    assert!(generate_text("deep32.yaml", &deep(32)).is_ok());
    let e = generate_text("deep64.yaml", &deep(64)).unwrap_err();
    assert!(e.message.contains("nest more than 32 deep"), "{e}");
}

#[test]
fn yaml_aliases_cannot_expand_the_document_past_its_size() {
    let a = vec!["aaaaaaaaaa"; 1000].join(",");
    let b = vec!["*a"; 1000].join(",");
    let c = vec!["*b"; 1000].join(",");
    let text = format!("{HEAD}x-a: &a [{a}]\nx-b: &b [{b}]\nx-c: [{c}]\n");
    let started = std::time::Instant::now();
    let e = generate_text("aliases.yaml", &text).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert!(e.message.contains("expands to more values than its size allows"), "{e}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // Aliases used as intended still work, merge keys included.
    let text = format!(
        "{HEAD}components:\n  schemas:\n    Base: &base {{type: object, properties: {{id: {{type: string}}}}}}\n    Pet:\n      <<: *base\n      description: merged\n"
    );
    assert!(generate_text("merge.yaml", &text).unwrap().source.contains("pub struct Pet"));
}

#[test]
fn deeply_nested_flow_collections_are_refused_at_once() {
    let text = format!("{HEAD}x: {}{}\n", "[".repeat(80_000), "]".repeat(80_000));
    let started = std::time::Instant::now();
    let e = generate_text("flow.yaml", &text).unwrap_err();
    assert!(e.message.contains("nest more than 1024 deep"), "{e}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}

#[test]
fn a_key_twice_in_one_object_is_an_error_with_its_pointer_in_json_as_in_yaml() {
    let op = |id: &str| {
        format!(r#"{{"operationId": "{id}", "responses": {{"200": {{"description": "ok"}}}}}}"#)
    };
    let head = r#""openapi": "3.0.3", "info": {"title": "T", "version": "1"}"#;
    let cases = [
        (
            format!(
                r#"{{{head}, "paths": {{"/a": {{"get": {}, "get": {}}}}}}}"#,
                op("one"),
                op("two")
            ),
            "`get` at #/paths/~1a/get",
        ),
        (
            format!(
                r#"{{{head}, "paths": {{"/a": {{"get": {}}}, "/a": {{"put": {}}}}}}}"#,
                op("one"),
                op("two")
            ),
            "`/a` at #/paths/~1a",
        ),
        (
            format!(
                r#"{{{head}, "paths": {{}}, "components": {{"schemas": {{"A": {{}}, "A": {{}}}}}}}}"#
            ),
            "`A` at #/components/schemas/A",
        ),
        (format!(r#"{{{head}, "paths": {{}}, "paths": {{}}}}"#), "`paths` at #/paths"),
    ];
    for (text, said) in cases {
        let e = generate_text("dup.json", &text).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Syntax, "{e}");
        assert!(e.message.contains(&format!("duplicate key {said}")), "{said}: {e}");
    }
    let yaml = format!("{HEAD}components:\n  schemas:\n    A: {{}}\n    A: {{}}\n");
    let e = generate_text("dup.yaml", &yaml).unwrap_err();
    assert!(e.message.contains("duplicate"), "{e}");
}

#[test]
fn integers_beyond_64_bits_read_alike_in_yaml_and_json() {
    let yaml = component(
        "N",
        "{type: integer, minimum: -12345678901234567890123, maximum: 98765432109876543210}",
    );
    let json = r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {},
        "components": {"schemas": {"N": {"type": "integer", "minimum": -12345678901234567890123, "maximum": 98765432109876543210}}}}"#;
    let types = |source: String| source[source.find("pub mod types").unwrap()..].to_string();
    let from_yaml = types(generate_text("big.yaml", &yaml).unwrap().source);
    let from_json = types(generate_text("big.json", json).unwrap().source);
    assert!(from_yaml.contains("pub type N = i64;"), "{from_yaml}");
    assert_eq!(from_yaml, from_json);
}

#[test]
fn a_byte_order_mark_is_skipped() {
    assert!(generate_text("bom.yaml", &format!("\u{feff}{HEAD}")).is_ok());
    assert!(generate_text("bom.json", "\u{feff}{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"T\", \"version\": \"1\"}, \"paths\": {}}").is_ok());
}

/// Inputs that were quadratic or exponential: each now takes well under a
/// second in a release build (figures in the closing note); a debug test
/// allows ample time but would have needed minutes to hours before. The
/// bound is a guard against those hours, not a speed goal: on a CI machine
/// shared with other builds the debug run has taken 137 s.
#[test]
fn colliding_names_duplicate_ids_long_enums_and_allof_diamonds_stay_fast() {
    let started = std::time::Instant::now();
    // 20,000 operations with one operationId.
    let mut text = format!("{}paths:\n", HEAD.replace("paths: {}\n", ""));
    for i in 0..20_000 {
        text.push_str(&format!("  /p{i}:\n    get:\n      operationId: dup\n      responses: {{'200': {{description: ok}}}}\n"));
    }
    assert!(generate_text("ids.yaml", &text).is_ok());
    // 20,000 schema names that are one name after case conversion.
    let mut text = format!("{HEAD}components:\n  schemas:\n");
    for i in 0..20_000u32 {
        let name: String = "abcdefghijk"
            .chars()
            .enumerate()
            .map(|(k, c)| {
                let sep = ["-", "_", " "][(i / 3u32.pow(k.max(1) as u32 - 1) % 3) as usize];
                if k == 0 {
                    c.to_string()
                } else {
                    format!("{sep}{c}")
                }
            })
            .collect();
        text.push_str(&format!(
            "    '{name}': {{type: object, properties: {{a: {{type: string}}}}}}\n"
        ));
    }
    assert!(generate_text("names.yaml", &text)
        .unwrap()
        .source
        .contains("pub struct ABCDEFGHIJK20000"));
    // 100,000 enum values.
    let values: Vec<String> = (0..100_000).map(|i| format!("v{i}")).collect();
    assert!(generate_text(
        "enum.yaml",
        &component("E", &format!("{{type: string, enum: [{}]}}", values.join(",")))
    )
    .is_ok());
    // allOf diamonds 30 levels deep: each level's two members share every ancestor.
    let mut text = format!("{HEAD}components:\n  schemas:\n");
    for i in 0..29 {
        for x in ["A", "B"] {
            text.push_str(&format!("    {x}{i}: {{allOf: [{{$ref: '#/components/schemas/A{n}'}}, {{$ref: '#/components/schemas/B{n}'}}], properties: {{{x}{i}: {{type: string}}}}}}\n", n = i + 1));
        }
    }
    text.push_str("    A29: {type: object, properties: {x: {type: string}}}\n    B29: {type: object, properties: {y: {type: string}}}\n");
    assert!(generate_text("diamond.yaml", &text).is_ok());
    assert!(started.elapsed() < Duration::from_secs(600), "{:?}", started.elapsed());
}

/// The recursion fixture (`tests/specs/recursion.yaml`) is compiled with the
/// workspace; here, what its self-referring schemas became.
#[test]
fn schemas_that_stand_only_for_themselves_are_any_json_value() {
    let text = std::fs::read_to_string(
        crate::support::project_root().join("tests/fixtures/src/recursion.rs"),
    )
    .unwrap();
    for alias in ["Itself", "LoopA", "LoopB", "Arrays"] {
        assert!(text.contains(&format!("pub type {alias} = ::serde_json::Value;")), "{alias}");
    }
    assert!(text.contains("pub nested: Option<Vec<Vec<::serde_json::Value>>>"), "{text}");
    assert!(text.contains("pub parent: Option<Box<Tree>>"), "{text}");
}

#[test]
fn overlays_cannot_build_a_document_without_bound() {
    let tmp = folder("overlay");
    let dir = tmp.path();
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, format!("{HEAD}x-deep: {{}}\n")).unwrap();
    // Each action nests 100 levels more under the last.
    let mut actions = String::new();
    let mut target = "$['x-deep']".to_string();
    for _ in 0..40 {
        let nested = format!("{}1{}", "{a: ".repeat(100), "}".repeat(100));
        actions.push_str(&format!("  - target: \"{target}\"\n    update: {{d: {nested}}}\n"));
        target.push_str(&format!(".d{}", ".a".repeat(99)));
    }
    std::fs::write(
        dir.join("spec.overlay.yaml"),
        format!("overlay: 1.0.0\ninfo: {{title: o, version: '1'}}\nactions:\n{actions}"),
    )
    .unwrap();
    let e = generate(&spec, None).unwrap_err();
    assert!(e.message.contains("more than 256 levels deep"), "{e}");
    // And one that copies itself onto every node, doubling the document.
    let copy = (0..30)
        .map(|_| "  - target: '$..*'\n    update: {a: {b: [1, 2, 3, 4, 5, 6, 7, 8]}}\n")
        .collect::<String>();
    std::fs::write(
        dir.join("spec.overlay.yaml"),
        format!("overlay: 1.0.0\ninfo: {{title: o, version: '1'}}\nactions:\n{copy}"),
    )
    .unwrap();
    let e = generate(&spec, None).unwrap_err();
    assert!(e.message.contains("add more than"), "{e}");
}

#[test]
fn what_openapiv3_would_take_silently_is_an_error_at_its_place() {
    let json_head = r#""openapi": "3.0.3", "info": {"title": "T", "version": "1"}"#;
    let answer = r#"{"description": "ok"}"#;
    let cases = [
        // A version that is no 3.0 or 3.1 release.
        ("v.yaml", "openapi: 3.0.999-evil\ninfo: {title: T, version: '1'}\npaths: {}\n".to_string(), "#/openapi", "not supported"),
        // A `$ref` that is not a string, in the tree and in path items held as text.
        ("r.yaml", component("A", "{type: object, properties: {b: {$ref: 7}}}"), "#/components/schemas/A/properties/b/$ref", "must be a string"),
        (
            "r.json",
            format!(r#"{{{json_head}, "paths": {{"/a": {{"get": {{"responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {{"$ref": 7}}}}}}}}}}}}}}}}}}"#),
            "#/paths/~1a",
            "`$ref` must be a string, not `7`, at #/paths/~1a/get/responses/200/content/application~1json/schema/$ref",
        ),
        // Response keys that are no status.
        ("s.yaml", format!("{}paths:\n  /a:\n    get:\n      responses:\n        abc: {{description: x}}\n", HEAD.replace("paths: {}\n", "")), "#/paths/~1a/get/responses/abc", "not a status code"),
        ("s.json", format!(r#"{{{json_head}, "paths": {{"/a": {{"get": {{"responses": {{"-1": {answer}}}}}}}}}}}"#), "#/paths/~1a", "`-1` is not a status code"),
    ];
    for (name, text, pointer, said) in cases {
        let e = generate_text(name, &text).unwrap_err();
        assert_eq!(e.pointer.to_string(), pointer, "{name}: {e}");
        assert!(e.message.contains(said), "{name}: {e}");
    }
    // A `$ref` key inside an example is data, and status-like keys elsewhere are names.
    let fine = format!(
        "{}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: object, properties: {{abc: {{type: string}}}}}}\n              example: {{$ref: 7}}\n        4XX: {{description: client}}\n        default: {{description: other}}\n",
        HEAD.replace("paths: {}\n", "")
    );
    assert!(generate_text("fine.yaml", &fine).is_ok());
    let fine_json =
        serde_json::to_string(&serde_yaml::from_str::<serde_json::Value>(&fine).unwrap()).unwrap();
    generate_text("fine.json", &fine_json).unwrap();
}

/// Found by `cargo xtask fuzz-compile`: two bearer schemes named `{2` and
/// `self` made `with_bearer_token__2`, which is not snake case.
#[test]
fn builder_names_made_from_scheme_names_stay_snake_case() {
    let text = format!(
        "{}components:\n  securitySchemes:\n    '{{2': {{type: http, scheme: bearer}}\n    self: {{type: http, scheme: bearer}}\n    k: {{type: apiKey, in: header, name: '9lives'}}\n",
        HEAD
    );
    let source = generate_text("schemes.yaml", &text).unwrap().source;
    for name in ["with_bearer_token_2", "with_bearer_token_self", "with_9lives"] {
        assert!(source.contains(&format!("pub fn {name}(")), "{name}:\n{source}");
    }
    assert!(!source.contains("__"), "{source}");
}

/// Fuzz artifacts of the `structured` target, rendered as the documents
/// they stand for (`cargo xtask fuzz-render`), each refused or generated
/// within bounds.
///
/// `fuzz-structured-oom-faf83958.json`: the input the fuzzer held when its
/// process passed the 2 GiB RSS limit after 86 minutes. Alone it is a
/// self-nesting union that codegen refuses at the nesting bound (27 MB
/// peak, 0.2 s in a release build; 335 MB under the fuzz build's sanitizer).
#[test]
fn fuzz_artifacts_stay_within_bounds() {
    let dir = crate::support::project_root().join("tests/regressions");
    let spec = dir.join("fuzz-structured-oom-faf83958.json");
    let e = generate(&spec, None).unwrap_err();
    assert!(e.message.contains("nest more than 128 levels"), "{e}");
}

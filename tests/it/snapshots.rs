//! The generated module of every spec, locked. A spec change shows up in
//! `cargo insta review` as a diff of generated code.

use crate::support::project_root;

#[test]
fn generated_module_per_spec() {
    let root = project_root();
    insta::glob!("../../specs", "*.{yaml,yml,json}", |path| {
        if codegen::overlay::is_overlay(path) {
            return;
        }
        let module = codegen::workspace_module(&root, path).unwrap_or_else(|e| panic!("{e}"));
        insta::assert_snapshot!(module.source);
    });
}

/// A snapshot whose spec is gone would linger unseen; fail instead.
#[test]
fn no_orphaned_snapshots() {
    let root = project_root();
    let specs: Vec<String> = codegen::spec_files(&root.join("specs"))
        .unwrap()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for entry in std::fs::read_dir(root.join("tests/it/snapshots")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let spec = name
            .strip_prefix("it__snapshots__generated_module_per_spec@")
            .and_then(|s| s.strip_suffix(".snap"))
            .unwrap_or_else(|| panic!("unexpected file in tests/it/snapshots: {name}"));
        assert!(specs.iter().any(|s| s == spec), "snapshot {name} has no spec in specs/");
    }
}

//! The generated module of every spec, locked. A spec change shows up in
//! `cargo insta review` as a diff of generated code.

use crate::support::project_root;

/// One snapshot per spec in `dir`, named `{test}@{file name}`.
fn snapshot_each(test: &str, dir: &str) {
    let root = project_root();
    for spec in codegen::spec_files(&root.join(dir)).unwrap() {
        let module = codegen::workspace_module(&root, &spec).unwrap_or_else(|e| panic!("{e}"));
        let file = spec.file_name().unwrap().to_string_lossy().into_owned();
        insta::with_settings!({ input_file => spec.strip_prefix(&root).unwrap() }, {
            insta::assert_snapshot!(format!("{test}@{file}"), module.source);
        });
    }
}

#[test]
fn generated_module_per_spec() {
    snapshot_each("generated_module_per_spec", "specs");
}

/// Specs written to test the generator (`tests/specs/`), locked the same way.
#[test]
fn fixture_module_per_spec() {
    snapshot_each("fixture_module_per_spec", "tests/specs");
}

/// A snapshot whose spec is gone would linger unseen; fail instead.
#[test]
fn no_orphaned_snapshots() {
    let root = project_root();
    let names = |dir: &str| -> Vec<String> {
        codegen::spec_files(&root.join(dir))
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    };
    let (vendor, fixtures) = (names("specs"), names("tests/specs"));
    for entry in std::fs::read_dir(root.join("tests/it/snapshots")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let name = name
            .strip_suffix(".snap")
            .unwrap_or_else(|| panic!("unexpected file in tests/it/snapshots: {name}"));
        let found = match name.split_once('@') {
            Some(("it__snapshots__generated_module_per_spec", spec)) => {
                vendor.iter().any(|s| s == spec)
            }
            Some(("it__snapshots__fixture_module_per_spec", spec)) => {
                fixtures.iter().any(|s| s == spec)
            }
            _ => false,
        };
        assert!(found, "snapshot {name} has no spec");
    }
}

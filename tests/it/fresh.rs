//! `generated/` must be exactly what codegen writes now.

use std::path::Path;

use crate::support::project_root;

#[test]
fn generated_crate_is_up_to_date() {
    let root = project_root();
    let files = codegen::workspace_crate(&root).unwrap_or_else(|e| panic!("{e}"));
    let stale = codegen::output::sync(&root.join("generated"), &files, Some(Path::new("src")), codegen::Mode::Check)
        .expect("check mode writes nothing and cannot fail on I/O of existing files");
    let diffs: String = stale.iter().map(|s| s.diff.as_str()).collect();
    assert!(stale.is_empty(), "generated/ is stale: run `cargo xtask codegen` and commit.\n{diffs}");
}

#[test]
fn codegen_is_deterministic() {
    let root = project_root();
    let first = codegen::workspace_crate(&root).unwrap();
    let second = codegen::workspace_crate(&root).unwrap();
    assert_eq!(first, second);
}

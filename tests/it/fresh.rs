//! `generated/` must be exactly what codegen writes now.

use std::path::Path;

use crate::support::project_root;

#[test]
fn generated_crates_are_up_to_date() {
    let root = project_root();
    for krate in &codegen::WORKSPACE_CRATES {
        let files = codegen::workspace_crate(&root, krate).unwrap_or_else(|e| panic!("{e}"));
        let stale = codegen::output::sync(
            &root.join(krate.dir),
            &files,
            Some(Path::new("src")),
            codegen::Mode::Check,
        )
        .expect("check mode writes nothing");
        let diffs: String = stale.iter().map(|s| s.diff.as_str()).collect();
        assert!(
            stale.is_empty(),
            "{}/ is stale: run `cargo xtask codegen` and commit.\n{diffs}",
            krate.dir
        );
    }
}

#[test]
fn codegen_is_deterministic() {
    let root = project_root();
    for krate in &codegen::WORKSPACE_CRATES {
        let first = codegen::workspace_crate(&root, krate).unwrap();
        let second = codegen::workspace_crate(&root, krate).unwrap();
        assert_eq!(first, second);
    }
}

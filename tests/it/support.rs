//! Helpers shared by the test modules.

use std::path::PathBuf;

pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ sits in the workspace root").to_path_buf()
}

/// A vendored spec as the generator reads it (overlay applied), as JSON.
pub fn spec(file: &str) -> serde_json::Value {
    codegen::load::load_file(&project_root().join("specs").join(file)).expect("seed specs load").raw
}

/// The value at `pointer` in a spec, which must exist.
pub fn at(file: &str, pointer: &str) -> serde_json::Value {
    spec(file).pointer(pointer).unwrap_or_else(|| panic!("{file} has nothing at {pointer}")).clone()
}

//! What the stages' unit tests share: a small spec in, the model out.

use std::path::Path;

use crate::model::Api;

/// `paths` (YAML, indented as under `paths:`) and `components` (as under
/// `components:`) in a document of their own.
pub fn spec(paths: &str, components: &str) -> String {
    let indent = |text: &str| text.lines().map(|l| format!("  {l}\n")).collect::<String>();
    format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n{}components:\n{}",
        indent(paths),
        indent(components)
    )
}

/// The spec lowered, before any whole-model pass.
pub fn lowered(text: &str) -> Api {
    let doc = crate::input::load_str(text, Path::new("spec.yaml")).unwrap();
    crate::lower::lower(&doc).unwrap()
}

/// The spec lowered and analyzed, as naming receives it.
pub fn analyzed(text: &str) -> Api {
    let mut api = lowered(text);
    crate::analyze::analyze(&mut api);
    api
}

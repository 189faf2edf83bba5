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
            let touched: Vec<String> = whole
                .items
                .values()
                .filter(|i| {
                    i.pointer
                        == codegen::pointer::Pointer::root()
                            .push("paths")
                            .push(&path)
                            .push(&method)
                            .to_string()
                })
                .filter_map(|i| i.operation.clone())
                .take(1)
                .collect();
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

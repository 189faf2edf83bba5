//! `--tag` / `--operation` and `NAME.select.yaml`: a slice of an API holds
//! the chosen operations and exactly the types they reach.

use codegen::Selection;

/// `tests/specs/zoo.yaml`, whose fixture module is the slice its
/// `zoo.select.yaml` names; copied elsewhere here, so that the selection file
/// does not apply unless a test says so.
const SPEC: &str = include_str!("../specs/zoo.yaml");

fn generate(selection: &Selection) -> codegen::Result<String> {
    generate_beside(selection, None)
}

/// Generates the zoo spec from a fresh directory, with `select` as its
/// selection file if given.
fn generate_beside(selection: &Selection, select: Option<&str>) -> codegen::Result<String> {
    let tmp = tempfile::Builder::new().prefix("codegen-select-").tempdir().unwrap();
    let dir = tmp.path();
    let path = dir.join("zoo.yaml");
    std::fs::write(&path, SPEC).unwrap();
    if let Some(text) = select {
        std::fs::write(dir.join("zoo.select.yaml"), text).unwrap();
    }
    codegen::generate_selected(&path, "zoo", selection, None).map(|m| m.source)
}

fn selection(tags: &[&str], operations: &[&str]) -> Selection {
    Selection {
        tags: tags.iter().map(|s| s.to_string()).collect(),
        operations: operations.iter().map(|s| s.to_string()).collect(),
    }
}

/// The names of the types and client methods a module defines.
fn items(source: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            ["pub struct ", "pub enum ", "pub type ", "pub fn "]
                .iter()
                .find_map(|p| l.strip_prefix(p))
                .map(|rest| {
                    rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                        .next()
                        .unwrap()
                        .to_string()
                })
        })
        .collect()
}

#[test]
fn no_selection_is_the_whole_api() {
    let whole = items(&generate(&Selection::default()).unwrap());
    for name in ["Pet", "Unused", "Store", "get_pet", "create_owner", "Address"] {
        assert!(whole.iter().any(|i| i == name), "{name} missing from {whole:?}");
    }
}

#[test]
fn a_tag_keeps_its_operations_and_everything_they_reach() {
    let slice = items(&generate(&selection(&["pets"], &[])).unwrap());
    // Reached through the answer, its fields (list items, itself, a union,
    // map values), the query parameter, the headers and the error body.
    for name in [
        "get_pet",
        "Pet",
        "Tag",
        "Ball",
        "Stick",
        "Note",
        "PetToy",
        "Kind",
        "GetPetOkHeaders",
        "Problem",
    ] {
        assert!(slice.iter().any(|i| i == name), "{name} missing from {slice:?}");
    }
    // `Rate` is an alias of a scalar: the header is read as `i64` itself.
    for name in ["create_owner", "Address", "Store", "Unused", "Rate"] {
        assert!(!slice.iter().any(|i| i == name), "{name} should be gone from {slice:?}");
    }
}

#[test]
fn operations_are_chosen_by_id_or_by_method_and_path() {
    let slice = items(&generate(&selection(&[], &["createOwner", "get /stores"])).unwrap());
    for name in ["create_owner", "Address", "Store"] {
        assert!(slice.iter().any(|i| i == name), "{name} missing from {slice:?}");
    }
    for name in ["get_pet", "Pet", "Unused"] {
        assert!(!slice.iter().any(|i| i == name), "{name} should be gone from {slice:?}");
    }
}

#[test]
fn a_shared_error_enum_belongs_to_an_operation_in_the_slice() {
    // In the whole API `GetPetError` aliases `DeletePetError` (`deletePet`
    // sorts first); without `deletePet` it is an enum.
    let whole = generate(&Selection::default()).unwrap();
    assert!(whole.contains("pub type GetPetError = DeletePetError;"));
    let slice = generate(&selection(&[], &["getPet"])).unwrap();
    assert!(slice.contains("pub enum GetPetError {"), "{slice}");
    assert!(!slice.contains("DeletePetError"), "{slice}");
}

#[test]
fn kept_items_read_as_in_the_whole_api() {
    let whole = generate(&Selection::default()).unwrap();
    let slice = generate(&selection(&["pets"], &[])).unwrap();
    let pet = |s: &str| {
        let start = s.find("pub struct Pet {").expect("Pet");
        s[start..start + s[start..].find("\n    }\n").unwrap()].to_string()
    };
    assert_eq!(pet(&slice), pet(&whole));
}

#[test]
fn an_unknown_tag_or_operation_is_an_error_that_lists_what_there_is() {
    let e = generate(&selection(&["pet"], &[])).unwrap_err().to_string();
    assert!(e.contains("no tag `pet` in this spec; it has `owners`, `pets`, `stores`"), "{e}");
    let e = generate(&selection(&[], &["getPets"])).unwrap_err().to_string();
    assert!(e.contains("no operation `getPets`"), "{e}");
    assert!(e.contains("`getPet`"), "{e}");
}

#[test]
fn a_selection_file_beside_the_spec_slices_it_unless_flags_are_given() {
    let file = "tags: [owners]\n";
    let sliced = items(&generate_beside(&Selection::default(), Some(file)).unwrap());
    assert!(sliced.iter().any(|i| i == "create_owner"), "{sliced:?}");
    assert!(!sliced.iter().any(|i| i == "get_pet"), "{sliced:?}");
    let flags = items(&generate_beside(&selection(&["pets"], &[]), Some(file)).unwrap());
    assert!(
        flags.iter().any(|i| i == "get_pet") && !flags.iter().any(|i| i == "create_owner"),
        "{flags:?}"
    );
}

#[test]
fn a_slice_says_so_in_its_docs() {
    let source = generate(&selection(&["pets"], &["createOwner"])).unwrap();
    assert!(
        source.contains("//! A part of this API: the operations tagged `pets` and the operations `createOwner`, and the types they use."),
        "{}",
        &source[..600]
    );
}

#[test]
fn a_bad_selection_file_says_what_is_wrong_and_where() {
    let e = generate_beside(&Selection::default(), Some("tags: [pets]\nops: [x]\n")).unwrap_err();
    assert!(e.to_string().contains("zoo.select.yaml: #/ops: unknown key `ops`"), "{e}");
    let e = generate_beside(&Selection::default(), Some("tags: [7]\n")).unwrap_err();
    assert!(e.to_string().contains("#/tags/0: not a string"), "{e}");
    let e = generate_beside(&Selection::default(), Some("{}\n")).unwrap_err();
    assert!(e.to_string().contains("names no tag and no operation"), "{e}");
}

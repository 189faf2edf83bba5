//! A spec is a vendor's input: whatever it says, codegen reads no file
//! outside the spec's folder, waits on no special file, copies no file into
//! an error message, and stops with an error rather than a crash or a hang.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use codegen::ErrorKind;

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n";

/// A fresh folder for one test.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codegen-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A spec whose one schema is `$ref: target`.
fn spec_referring_to(target: &str) -> String {
    format!("{HEAD}components:\n  schemas:\n    Pet:\n      $ref: '{target}'\n")
}

/// Codegen on `spec`, on another thread: a test that would hang fails instead.
fn generate(spec: &Path, ref_root: Option<&Path>) -> codegen::Result<codegen::Module> {
    let (tx, rx) = mpsc::channel();
    let (spec, root) = (spec.to_path_buf(), ref_root.map(Path::to_path_buf));
    std::thread::spawn(move || {
        let _ = tx.send(codegen::generate_selected(&spec, "api", &codegen::Selection::default(), root.as_deref()));
    });
    rx.recv_timeout(Duration::from_secs(20)).expect("codegen answers within 20 s")
}

#[test]
fn refs_to_files_outside_the_specs_folder_are_refused_without_reading_them() {
    let dir = folder("outside");
    for target in ["../../../../../../etc/passwd", "/etc/passwd", "/proc/self/environ", "/dev/zero", "/etc/passwd#/root"] {
        let spec = dir.join("spec.yaml");
        std::fs::write(&spec, spec_referring_to(target)).unwrap();
        let e = generate(&spec, None).expect_err(target);
        assert_eq!(e.kind, ErrorKind::Reference, "{target}: {e}");
        assert_eq!(e.pointer.to_string(), "#/components/schemas/Pet/$ref", "{target}");
        let text = e.to_string();
        assert!(text.contains("is outside") || text.contains("not a regular file"), "{target}: {text}");
        assert!(!text.contains("root:x:0"), "{target}: the file's content is in the message: {text}");
        assert!(text.len() < 600, "{target}: {text}");
    }
}

#[test]
fn files_inside_the_folder_may_refer_to_each_other_with_dot_dot() {
    let dir = folder("inside");
    std::fs::create_dir_all(dir.join("schemas/pets")).unwrap();
    std::fs::write(dir.join("schemas/pets/pet.yaml"), "Pet: {type: object, properties: {owner: {$ref: '../owner.yaml#/Owner'}}}\n").unwrap();
    std::fs::write(dir.join("schemas/owner.yaml"), "Owner: {type: object, properties: {name: {type: string}}}\n").unwrap();
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, spec_referring_to("schemas/pets/pet.yaml#/Pet")).unwrap();
    let module = generate(&spec, None).unwrap();
    assert!(module.source.contains("pub struct Owner"), "{}", module.source);
}

#[test]
fn a_file_beside_the_folder_is_read_only_when_the_root_is_widened() {
    let dir = folder("widened");
    std::fs::create_dir_all(dir.join("api")).unwrap();
    std::fs::write(dir.join("common.yaml"), "Pet: {type: object, properties: {name: {type: string}}}\n").unwrap();
    let spec = dir.join("api/spec.yaml");
    std::fs::write(&spec, spec_referring_to("../common.yaml#/Pet")).unwrap();
    let e = generate(&spec, None).unwrap_err();
    assert!(e.message.contains("is outside"), "{e}");
    assert!(e.supported.as_deref().is_some_and(|s| s.contains("--ref-root")), "{e}");
    assert!(generate(&spec, Some(&dir)).unwrap().source.contains("pub struct Pet"));
}

#[test]
fn a_link_inside_the_folder_to_a_file_outside_is_refused() {
    let dir = folder("link");
    std::fs::create_dir_all(dir.join("api")).unwrap();
    std::fs::write(dir.join("secret.yaml"), "Pet: {type: object, description: the secret}\n").unwrap();
    std::os::unix::fs::symlink(dir.join("secret.yaml"), dir.join("api/pet.yaml")).unwrap();
    let spec = dir.join("api/spec.yaml");
    std::fs::write(&spec, spec_referring_to("pet.yaml#/Pet")).unwrap();
    let e = generate(&spec, None).unwrap_err();
    assert!(e.message.contains("is outside"), "{e}");
}

#[test]
fn special_files_are_refused_not_waited_on_or_read_forever() {
    let dir = folder("fifo");
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
    let dir = folder("excerpt");
    let line = "root:x:0:0:root:/root:/bin/bash\n";
    std::fs::write(dir.join("passwd"), line.repeat(500)).unwrap();
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, spec_referring_to("passwd")).unwrap();
    let e = generate(&spec, None).unwrap_err();
    let text = e.to_string();
    assert!(text.len() < 600, "{text}");
    assert!(text.matches("root:x:0").count() <= 2, "{text}");
}

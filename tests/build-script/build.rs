//! Generates the Gumloop client into `OUT_DIR` on every build that needs it.

fn main() {
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs/gumloop.yaml");
    if let Err(e) = codegen::Generator::new(&spec).write_single_file(&out.join("gumloop.rs")) {
        panic!("{e}");
    }
    println!("cargo::rerun-if-changed={}", spec.display());
}

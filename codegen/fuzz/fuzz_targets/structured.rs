//! Documents valid in shape and hostile in content (`codegen::fuzzing`):
//! whatever generates must be Rust that parses, whatever names the spec
//! chose.
#![no_main]

libfuzzer_sys::fuzz_target!(|spec: codegen::fuzzing::Spec| {
    if let Some(module) = codegen::fuzzing::run_spec(&spec) {
        if let Err(e) = syn::parse_file(&module.source) {
            panic!("generated code does not parse: {e}\n{}", module.source);
        }
    }
});

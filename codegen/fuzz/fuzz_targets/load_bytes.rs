//! Any bytes, as a YAML and as a JSON spec, through the whole pipeline: an
//! error is fine, a panic, a hang or unbounded memory is not.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| codegen::fuzzing::run_bytes(data));

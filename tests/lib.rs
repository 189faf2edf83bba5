//! The integration tests live in `it/`. This crate's doctests are the
//! README's examples, so the README cannot drift from the generated code.
#![doc = include_str!("../README.md")]

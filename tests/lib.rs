//! The integration tests live in `it/`; this crate has no code of its own.

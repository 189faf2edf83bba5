//! `cargo xtask`: the project's tasks (`flags.rs` lists them and their
//! flags). `codegen` is here; `corpus`, `bench` and `fuzz` have files of
//! their own.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod children;
mod conformance;
mod corpus;
mod diff;
mod flags;
mod fuzz;
mod pages;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    // `--help` and flag errors print the command's usage; clap exits 0 for
    // help and 2 for a flag it does not know.
    let flags = <flags::Xtask as clap::Parser>::parse();
    let root = project_root();
    let result = match flags.command {
        flags::Command::Codegen(f) => codegen(f),
        flags::Command::Corpus(f) => corpus::run(&root, f),
        flags::Command::CorpusOne(f) => corpus::one(f),
        flags::Command::Bench(f) => bench::run(&root, f),
        flags::Command::BenchOne(f) => bench::one(f),
        flags::Command::Conformance(f) => conformance::run(&root, f),
        flags::Command::ConformanceOne(f) => conformance::one(f),
        flags::Command::Fuzz(f) => fuzz::run(&root, f),
        flags::Command::FuzzCompile(f) => fuzz::compile(&root, f),
        flags::Command::FuzzRender(f) => fuzz::render(f),
        flags::Command::Diff(f) => diff::run(&root, f),
        flags::Command::StableNames(f) => diff::stable_names(&root, f),
        flags::Command::Pages(f) => pages::run(&root, f),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn codegen(flags: flags::Codegen) -> Result<(), String> {
    let flags::Codegen { check, standalone } = flags;
    if standalone.spec.is_some() {
        return codegen::cli::run(check, standalone);
    }
    let mode = if check { codegen::Mode::Check } else { codegen::Mode::Write };
    let started = Instant::now();
    let root = project_root();
    let mut stale = Vec::new();
    for krate in &codegen::WORKSPACE_CRATES {
        let files = codegen::workspace_crate(&root, krate).map_err(|e| e.to_string())?;
        let dir = root.join(krate.dir);
        let changed = codegen::output::sync(&dir, &files, Some(Path::new("src")), mode)
            .map_err(|e| e.to_string())?;
        stale.extend(changed.into_iter().map(|mut s| {
            s.path = Path::new(krate.dir).join(&s.path);
            s
        }));
    }
    if mode == codegen::Mode::Write {
        for module in diff::changelog(&root)? {
            eprintln!("{}: the change of specs/ for `{module}`, diffed", diff::CHANGELOG);
        }
    }
    codegen::cli::report(&stale, mode, "generated/ and tests/fixtures/", started)
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace root")
        .to_path_buf()
}

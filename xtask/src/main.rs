//! `cargo xtask`: the project's tasks (`flags.rs` lists them and their
//! flags). `codegen` is here; `corpus`, `bench` and `fuzz` have files of
//! their own.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod children;
mod conformance;
mod corpus;
mod flags;
mod fuzz;

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
    let flags::Codegen { check, spec, out, tags, operations, ref_root } = flags;
    let selection = codegen::Selection { tags, operations };
    let mode = if check { codegen::Mode::Check } else { codegen::Mode::Write };
    let started = Instant::now();
    match (spec, out) {
        (Some(spec), Some(out)) => {
            let files = codegen::standalone_crate(&spec, &out, &selection, ref_root.as_deref())
                .map_err(|e| e.to_string())?;
            warn_if_huge(&files);
            let stale = codegen::output::sync(&out, &files, Some(Path::new("src")), mode)
                .map_err(|e| e.to_string())?;
            report(&stale, mode, &out.display().to_string(), started)
        }
        (None, None) if selection.is_all() => {
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
            report(&stale, mode, "generated/ and tests/fixtures/", started)
        }
        // clap requires --spec and --out together, and both for a slice.
        _ => Err("--spec and --out go together".into()),
    }
}

/// rustc needs roughly 130 MB of memory per MB of generated Rust to check it
/// (measured: Microsoft Graph beta, 96 MB -> 12.4 GB peak). Past a size where
/// that stops fitting a typical machine, say so while the user can still slice.
fn warn_if_huge(files: &[codegen::File]) {
    const HUGE_MB: usize = 40;
    for f in files {
        let mb = f.contents.len() / 1_000_000;
        if mb >= HUGE_MB {
            eprintln!(
                "note: {} is {mb} MB of Rust; checking it takes about {} GB of memory. \
                 If you use only part of this API, generate that part with --tag or --operation.",
                f.path.display(),
                mb * 130 / 1000
            );
        }
    }
}

fn report(
    stale: &[codegen::Stale],
    mode: codegen::Mode,
    target: &str,
    started: Instant,
) -> Result<(), String> {
    let elapsed = started.elapsed();
    match mode {
        codegen::Mode::Check if !stale.is_empty() => {
            for s in stale {
                eprintln!("{}", s.diff);
            }
            Err(format!(
                "{} file(s) in {target} are stale: run `cargo xtask codegen` and commit",
                stale.len()
            ))
        }
        codegen::Mode::Check => {
            eprintln!("{target} is up to date ({:.0?})", elapsed);
            Ok(())
        }
        codegen::Mode::Write => {
            eprintln!("wrote {} changed file(s) to {target} in {:.0?}", stale.len(), elapsed);
            Ok(())
        }
    }
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace root")
        .to_path_buf()
}

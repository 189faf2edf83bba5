//! `cargo xtask codegen [--check]`, `cargo xtask codegen --spec PATH --out DIR`,
//! `cargo xtask corpus` (see `corpus.rs`) and `cargo xtask bench` (see `bench.rs`).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod corpus;
mod fuzz;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage:
  cargo xtask codegen            regenerate generated/ from specs/
  cargo xtask codegen --check    fail, with a diff, if generated/ is stale
  cargo xtask codegen --spec PATH --out DIR [--check] [--tag TAG]... [--operation ID]... [--ref-root DIR]
                                 generate one spec into a standalone crate at DIR; with
                                 --tag/--operation, only those operations and the types
                                 they use (for a slice of a huge API); external $refs read
                                 files inside the spec's folder, or inside --ref-root DIR
  cargo xtask corpus [--help]    run codegen + cargo check over many real specs, with a report
  cargo xtask bench [--help]     codegen time and memory against the parse floor and progenitor
  cargo xtask fuzz [--help]      the libFuzzer targets of codegen/fuzz, for --minutes N each
  cargo xtask fuzz-compile [--help]  random specs generated and compiled in one batch crate";

fn run(args: &[String]) -> Result<(), String> {
    let (task, rest) = args.split_first().ok_or_else(|| USAGE.to_string())?;
    match task.as_str() {
        "codegen" => codegen(rest),
        "corpus" => corpus::run(&project_root(), rest),
        // The child process of `corpus`: one spec, one JSON line.
        "corpus-one" => corpus::one(rest),
        "bench" => bench::run(&project_root(), rest),
        "fuzz" => fuzz::run(&project_root(), rest),
        "fuzz-compile" => fuzz::compile(&project_root(), rest),
        // The child process of `bench`: one measurement, one JSON line.
        "bench-one" => bench::one(rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown task `{other}`\n{USAGE}")),
    }
}

fn codegen(args: &[String]) -> Result<(), String> {
    let mut check = false;
    let mut spec = None;
    let mut out = None;
    let mut selection = codegen::Selection::default();
    let mut ref_root = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--check" => check = true,
            "--spec" => spec = Some(PathBuf::from(it.next().ok_or("--spec needs a path")?)),
            "--out" => out = Some(PathBuf::from(it.next().ok_or("--out needs a directory")?)),
            "--tag" => selection.tags.push(it.next().ok_or("--tag needs a tag")?.clone()),
            "--operation" => selection
                .operations
                .push(it.next().ok_or("--operation needs an operationId")?.clone()),
            "--ref-root" => {
                ref_root = Some(PathBuf::from(it.next().ok_or("--ref-root needs a directory")?))
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
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
        _ if !selection.is_all() || ref_root.is_some() => {
            Err("--tag, --operation and --ref-root need --spec and --out".into())
        }
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

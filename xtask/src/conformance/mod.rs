//! `cargo xtask conformance`: the generated clients on the wire, judged by a
//! validating mock server no one here wrote (Stoplight Prism).
//!
//! 1. Each spec is generated, with its harness (`codegen::conformance`), in
//!    a child process under a time and memory limit, as `corpus` does.
//! 2. The modules and harnesses are packed into batch crates of one cargo
//!    workspace, each with a runner binary (`runner.rs`), and built.
//! 3. Per spec: Prism serves the document codegen read (overlay applied,
//!    external refs bundled, the version it declares) with `--errors`; the
//!    runner makes every case `synth` lists against it; each outcome is
//!    judged here (`judge`).
//! 4. A report, Markdown and JSON, under the work directory; the last line
//!    printed is `conformance: P of N cases passed (X.X%)`.

mod judge;
mod synth;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::children::{batches, compile, limited, wait_for};
use crate::corpus::{cargo, Progress};

/// The mock server, pinned: a new Prism may judge differently.
const PRISM_PACKAGE: &str = "@stoplight/prism-cli";
const PRISM_VERSION: &str = "5.16.0";

struct Options {
    specs: Vec<(PathBuf, String)>,
    calls: usize,
    jobs: usize,
    timeout: Duration,
    mem_mb: u64,
    min_pass: Option<f64>,
    work: PathBuf,
}

/// One spec's run.
#[derive(Default)]
struct SpecRun {
    spec: String,
    module: String,
    /// Why no case of the spec ran, if none did.
    failed: Option<String>,
    cases: Vec<judge::Verdict>,
    not_run: synth::NotRun,
    millis: u128,
}

pub fn run(root: &Path, flags: crate::flags::Conformance) -> Result<(), String> {
    let opts = options(root, flags)?;
    let started = Instant::now();
    std::fs::create_dir_all(&opts.work).map_err(|e| e.to_string())?;
    let work = opts.work.canonicalize().map_err(|e| e.to_string())?;
    let prism = install_prism(root)?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let gen_dir = work.join("generated");
    let _ = std::fs::remove_dir_all(&gen_dir);
    std::fs::create_dir_all(&gen_dir).map_err(|e| e.to_string())?;

    eprintln!("conformance: generating {} spec(s)", opts.specs.len());
    let mut runs: Vec<SpecRun> = opts
        .specs
        .iter()
        .map(|(_, rel)| SpecRun {
            spec: rel.clone(),
            module: module_name(rel),
            ..Default::default()
        })
        .collect();
    parallel(opts.jobs, runs.len(), |i| {
        let (spec, _) = &opts.specs[i];
        let module = module_name(&opts.specs[i].1);
        generate(&exe, spec, &module, &gen_dir, &opts).err()
    })
    .into_iter()
    .enumerate()
    .for_each(|(i, failed)| runs[i].failed = failed);

    let built = build(root, &work, &gen_dir, &mut runs)?;

    let order: Vec<usize> = (0..runs.len()).filter(|i| runs[*i].failed.is_none()).collect();
    let progress = Progress::new(order.len(), ("conformance", "specs run"), 20);
    let done = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    // Prism is one Node process per spec, and the runner sends many calls
    // at once: a spec at a time per core is what the machine takes.
    parallel(opts.jobs, order.len(), |k| {
        let i = order[k];
        let run = &runs[i];
        let t = Instant::now();
        let outcome = run_spec(&prism, &built[&run.module], &gen_dir, &run.module, &opts);
        results.lock().unwrap().push((i, outcome, t.elapsed().as_millis()));
        progress.tick(done.fetch_add(1, Ordering::SeqCst) + 1);
    });
    progress.finish();
    for (i, outcome, millis) in results.into_inner().unwrap() {
        runs[i].millis = millis;
        match outcome {
            Ok((cases, not_run)) => {
                runs[i].cases = cases;
                runs[i].not_run = not_run;
            }
            Err(e) => runs[i].failed = Some(e),
        }
    }

    let (passed, total) = write_report(&work, &runs, started.elapsed())?;
    let rate = if total == 0 { 0.0 } else { passed as f64 * 100.0 / total as f64 };
    let unjudged: usize = runs.iter().map(|r| r.cases.iter().filter(|v| !v.judged).count()).sum();
    let no_case = runs.iter().filter(|r| r.failed.is_some()).count();
    eprintln!("conformance: report in {}", work.join("report.md").display());
    if unjudged > 0 {
        eprintln!("conformance: {unjudged} case(s) not judged (the mock could not answer them, or outside a slice)");
    }
    if no_case > 0 {
        eprintln!("conformance: {no_case} spec(s) ran no case (see the report)");
    }
    println!("conformance: {passed} of {total} cases passed ({rate:.1}%)");
    match opts.min_pass {
        Some(min) if rate + 1e-9 < min || total == 0 || no_case > 0 => {
            Err(format!("{rate:.1}% of cases passed; --min-pass asks for {min}%"))
        }
        _ => Ok(()),
    }
}

fn options(root: &Path, f: crate::flags::Conformance) -> Result<Options, String> {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let mut specs = Vec::new();
    for s in &f.spec {
        specs.push((s.clone(), s.display().to_string()));
    }
    if f.list.is_some() || f.sample.is_some() {
        let dir = match &f.dir {
            Some(d) => d.clone(),
            None => crate::corpus::fetch_directory(root)?,
        };
        for p in crate::corpus::select_specs(&dir, f.list.as_deref(), f.sample)? {
            let rel = p.strip_prefix(&dir).unwrap_or(&p).display().to_string();
            specs.push((p, rel));
        }
    }
    if specs.is_empty() {
        // The vendored specs and the fixtures written to test the generator.
        for dir in ["specs", "tests/specs"] {
            for p in codegen::spec_files(&root.join(dir)).map_err(|e| e.to_string())? {
                let rel = p.strip_prefix(root).unwrap_or(&p).display().to_string();
                specs.push((p, rel));
            }
        }
    }
    Ok(Options {
        specs,
        calls: f.calls,
        jobs: f.jobs.map_or(cores, |j| j as usize),
        timeout: Duration::from_secs(f.timeout),
        mem_mb: f.mem_mb,
        min_pass: f.min_pass,
        work: f.work.unwrap_or_else(|| root.join("target/conformance/work")),
    })
}

/// A module name unique to the spec's path (`specs/vantage.yaml` ->
/// `m_specs_vantage`).
fn module_name(rel: &str) -> String {
    crate::corpus::module_name(rel)
}

/// Runs `f(0..n)` on `jobs` threads; results in index order.
fn parallel<T: Send>(jobs: usize, n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Option<T>>> = Mutex::new((0..n).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= n {
                    break;
                }
                let r = f(i);
                out.lock().unwrap()[i] = Some(r);
            });
        }
    });
    out.into_inner().unwrap().into_iter().map(|r| r.expect("every index ran")).collect()
}

/// `npm install` Prism into `target/conformance/prism`, once.
///
/// Prism 5.16's command line and its mocker each get their own copy of
/// json-schema-faker from npm (0.5.9 and 0.5.8), so the faker options the
/// command line sets never reach the faker that makes the answers; one
/// copy for both (an npm `overrides`) makes `--no-json-schema-faker-fillProperties`
/// work.
fn install_prism(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("target/conformance/prism");
    let bin = dir.join("node_modules/.bin/prism");
    let manifest = json!({
        "private": true,
        "dependencies": { PRISM_PACKAGE: PRISM_VERSION },
        "overrides": { "json-schema-faker": "0.5.8" },
    })
    .to_string();
    let marker = dir.join("installed.json");
    if bin.is_file() && std::fs::read_to_string(&marker).is_ok_and(|m| m == manifest) {
        return Ok(bin);
    }
    eprintln!(
        "conformance: installing {PRISM_PACKAGE}@{PRISM_VERSION} with npm into {}",
        dir.display()
    );
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("package.json"), &manifest).map_err(|e| e.to_string())?;
    let out = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("cannot run npm (is Node.js installed?): {e}"))?;
    if !out.status.success() || !bin.is_file() {
        return Err(format!(
            "npm install {PRISM_PACKAGE}@{PRISM_VERSION} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    std::fs::write(&marker, manifest).map_err(|e| e.to_string())?;
    Ok(bin)
}

/// Generates one spec in a child process (`xtask conformance-one`).
fn generate(
    exe: &Path,
    spec: &Path,
    module: &str,
    out: &Path,
    opts: &Options,
) -> Result<(), String> {
    let mut child = limited(exe, opts.mem_mb)
        .arg("conformance-one")
        .arg(spec)
        .arg(out)
        .arg(module)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("harness: cannot start the generator: {e}"))?;
    let status = wait_for(&mut child, Duration::from_secs(60))
        .ok_or_else(|| "codegen: timed out after 60 s".to_string())?;
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
    }
    if status.success() {
        Ok(())
    } else {
        Err(format!("codegen: {}", last_line(&stderr)))
    }
}

/// The child process of `conformance`: writes the module, its harness and
/// the document read into `out`.
pub fn one(f: crate::flags::ConformanceOne) -> Result<(), String> {
    let c = codegen::conformance(&f.spec, &f.module).map_err(|e| e.to_string())?;
    let write = |name: String, text: &str| {
        std::fs::write(f.out.join(name), text).map_err(|e| e.to_string())
    };
    write(format!("{}.rs", f.module), &c.module.source)?;
    write(format!("{}.harness.rs", f.module), &c.harness)?;
    write(
        format!("{}.json", f.module),
        &serde_json::to_string(&c.document).map_err(|e| e.to_string())?,
    )
}

fn last_line(text: &str) -> String {
    text.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("(no message)").trim().to_string()
}

/// Builds the batch crates; returns each module's runner binary. A module
/// whose harness does not compile is taken out (its spec fails with the
/// compiler's message) and the rest built again.
fn build(
    root: &Path,
    work: &Path,
    gen_dir: &Path,
    runs: &mut [SpecRun],
) -> Result<BTreeMap<String, PathBuf>, String> {
    let dir = work.join("build");
    let target = root.join("target/conformance/target");
    for round in 1..=3 {
        let ok: Vec<usize> = (0..runs.len()).filter(|i| runs[*i].failed.is_none()).collect();
        if ok.is_empty() {
            return Ok(BTreeMap::new());
        }
        let batches = batches(ok.iter().map(|&i| {
            let file = gen_dir.join(format!("{}.rs", runs[i].module));
            (i, std::fs::metadata(file).map_or(0, |m| m.len() as usize))
        }));
        write_workspace(root, &dir, gen_dir, runs, &batches)?;
        eprintln!(
            "conformance: building {} module(s) in {} crate(s) (round {round})",
            ok.len(),
            batches.len()
        );
        let failures = cargo_build(&dir, &target)?;
        if failures.is_empty() {
            let mut bins = BTreeMap::new();
            for (b, batch) in batches.iter().enumerate() {
                for &i in batch {
                    bins.insert(
                        runs[i].module.clone(),
                        target.join(format!("debug/{}", crate::children::batch_name(b))),
                    );
                }
            }
            return Ok(bins);
        }
        let mut blamed = 0;
        for (file, message) in &failures {
            let stem = Path::new(file).file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let module = stem.trim_end_matches(".harness").trim_start_matches("harness_");
            if let Some(run) = runs.iter_mut().find(|r| r.module == module && r.failed.is_none()) {
                run.failed = Some(format!("build: {file}: {message}"));
                blamed += 1;
            }
        }
        if blamed == 0 {
            let all: Vec<String> = failures.iter().map(|(f, m)| format!("{f}: {m}")).collect();
            return Err(format!(
                "the batch crates do not build, outside any module:\n{}",
                all.join("\n")
            ));
        }
    }
    Err("the batch crates still do not build after three rounds".into())
}

fn write_workspace(
    root: &Path,
    dir: &Path,
    gen_dir: &Path,
    runs: &[SpecRun],
    batches: &[Vec<usize>],
) -> Result<(), String> {
    crate::children::workspace(root, dir, batches.len())?;
    let read =
        |name: String| std::fs::read_to_string(gen_dir.join(name)).map_err(|e| e.to_string());
    for (b, batch) in batches.iter().enumerate() {
        let name = crate::children::batch_name(b);
        let mut modules = Vec::new();
        let mut dispatch = String::new();
        for &i in batch {
            let m = &runs[i].module;
            let h = format!("harness_{m}");
            modules.push(codegen::Module {
                name: m.clone(),
                spec: runs[i].spec.clone(),
                source: read(format!("{m}.rs"))?,
            });
            modules.push(codegen::Module {
                name: h.clone(),
                spec: runs[i].spec.clone(),
                source: format!("#![allow(warnings)]\n{}", read(format!("{m}.harness.rs"))?),
            });
            dispatch.push_str(&format!(
                "(Some(\"answers\"), Some(\"{m}\")) => answers({name}::{h}::ANSWERS, {name}::{h}::SLICE),\n        \
                 (Some(\"run\"), Some(\"{m}\")) => serve({name}::{h}::client(&base), {name}::{h}::call, jobs).await,\n        "
            ));
        }
        modules.push(codegen::Module {
            name: "harness_support".into(),
            spec: "xtask/src/conformance/support.rs".into(),
            source: include_str!("support.rs").to_string(),
        });
        let mut files = codegen::output::crate_files(&name, &Default::default(), &modules, false);
        for f in &mut files {
            if f.path == Path::new("Cargo.toml") {
                // The runner's own async runtime.
                let from = "features = [\"time\", \"sync\", \"fs\", \"io-util\"]";
                if !f.contents.contains(from) {
                    return Err(
                        "the generated manifest no longer names tokio's features as expected"
                            .into(),
                    );
                }
                f.contents = f.contents.replace(from, "features = [\"time\", \"sync\", \"fs\", \"io-util\", \"rt-multi-thread\", \"macros\"]");
            }
        }
        let runner =
            include_str!("runner.rs").replace("BATCH", &name).replace("// DISPATCH", &dispatch);
        files.push(codegen::File { path: PathBuf::from("src/main.rs"), contents: runner });
        codegen::output::sync(&dir.join(&name), &files, None, codegen::Mode::Write)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// `cargo build` of every batch crate; the compiler's errors by file.
fn cargo_build(dir: &Path, target: &Path) -> Result<Vec<(String, String)>, String> {
    let mut cargo = cargo();
    cargo
        .args(["build", "--workspace", "--bins", "--keep-going", "--message-format=json"])
        .arg("--quiet")
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        // Nothing here is debugged: without debug info the batch crates
        // build faster and take a fraction of the disk.
        .env("CARGO_PROFILE_DEV_DEBUG", "0");
    let built = compile(cargo)?;
    if !built.status.success() && built.failures.is_empty() {
        return Err("cargo build of the batch crates failed (see above)".into());
    }
    Ok(built.failures)
}

/// One spec against its own Prism: every case, judged.
fn run_spec(
    prism: &Path,
    runner: &Path,
    gen_dir: &Path,
    module: &str,
    opts: &Options,
) -> Result<(Vec<judge::Verdict>, synth::NotRun), String> {
    let doc_path = gen_dir.join(format!("{module}.json"));
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&doc_path).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let (cases, not_run) = synth::cases(&doc, opts.calls);

    let answers =
        Command::new(runner).args(["answers", module]).output().map_err(|e| e.to_string())?;
    let answers = serde_json::from_slice(&answers.stdout)
        .ok()
        .as_ref()
        .and_then(judge::Answers::from_json)
        .ok_or_else(|| {
            format!(
                "runner answers {module}: {}",
                last_line(&String::from_utf8_lossy(&answers.stderr))
            )
        })?;
    if cases.is_empty() {
        return Ok((Vec::new(), not_run));
    }
    // Prism dies on some schemas (out of stack on recursive ones), and
    // takes the cases in flight with it. Those, and the cases like them
    // (same operation, status, media type and mode), are not run again;
    // the rest run on a new Prism. A spec whose every operation kills
    // Prism stops after `RESTARTS`.
    const RESTARTS: usize = 24;
    let like = |c: &synth::Case| (c.op.clone(), c.status.clone(), c.media.clone(), c.dynamic);
    let mut outcomes = BTreeMap::new();
    let mut note = None;
    let mut killers = std::collections::BTreeSet::new();
    let mut pending: Vec<&synth::Case> = cases.iter().collect();
    for _ in 0..RESTARTS {
        let mut mock = Mock::start(prism, &doc_path)?;
        let (got, why) = send(runner, module, mock.port, &pending, opts)?;
        note = why;
        let died = mock.died();
        outcomes.extend(got);
        if !died {
            break;
        }
        killers.extend(
            pending
                .iter()
                .filter(|c| outcomes.get(&c.id).is_some_and(judge::in_flight_at_death))
                .map(|c| like(c)),
        );
        pending.retain(|c| {
            !killers.contains(&like(c)) && outcomes.get(&c.id).is_none_or(judge::connection_failed)
        });
        if pending.is_empty() {
            break;
        }
    }
    let verdicts = cases
        .iter()
        .map(|c| match outcomes.get(&c.id) {
            Some(o) if !judge::connection_failed(o) => judge::judge(c, o, &answers, &doc),
            _ if killers.contains(&like(c)) => judge::killed_mock(c),
            Some(o) => judge::judge(c, o, &answers, &doc),
            None => judge::missing(c, note.as_deref().unwrap_or("the runner gave no outcome")),
        })
        .collect();
    Ok((verdicts, not_run))
}

/// Makes `cases` with the runner against the mock server on `port`: the
/// outcomes by case, and why some are missing if the runner failed.
fn send(
    runner: &Path,
    module: &str,
    port: u16,
    cases: &[&synth::Case],
    opts: &Options,
) -> Result<(BTreeMap<usize, Value>, Option<String>), String> {
    let base = format!("http://127.0.0.1:{port}");
    let mut child = limited(runner, opts.mem_mb)
        .args(["run", module, &base, "8"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the runner: {e}"))?;
    let mut input = String::new();
    for c in cases {
        let mut prefer = format!("code={}", c.status);
        if c.dynamic {
            prefer.push_str(", dynamic=true");
        }
        let mut headers = vec![json!(["Prefer", prefer])];
        if !c.media.is_empty() {
            headers.push(json!(["Accept", c.media]));
        }
        input.push_str(
            &json!({ "id": c.id, "op": c.op, "args": c.args, "headers": headers }).to_string(),
        );
        input.push('\n');
    }
    let mut stdin = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut outcomes = BTreeMap::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Ok(v) = serde_json::from_str::<Value>(&line) {
                if let Some(id) = v["id"].as_u64() {
                    outcomes.insert(id as usize, v["outcome"].clone());
                }
            }
        }
        outcomes
    });
    let status = wait_for(&mut child, opts.timeout);
    let _ = writer.join();
    let outcomes = reader.join().unwrap_or_default();
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
    }
    let note = match status {
        None => Some(format!("the runner timed out after {} s", opts.timeout.as_secs())),
        Some(s) if !s.success() => Some(format!("the runner failed ({s}): {}", last_line(&stderr))),
        Some(_) => None,
    };
    Ok((outcomes, note))
}

/// A Prism mock server on a free port; stopped when dropped.
struct Mock {
    child: Child,
    port: u16,
}

impl Mock {
    fn start(prism: &Path, doc: &Path) -> Result<Mock, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let mut child = Command::new(prism)
            .args(["mock", "--errors", "-h", "127.0.0.1", "-p", &port.to_string()])
            // Bodies made up from a schema have only the properties it
            // names (no random extra ones, which a typed client rightly
            // skips), so that "every field kept" judges the client; the
            // same run makes the same bodies.
            .args(["--no-json-schema-faker-fillProperties", "--seed", "1", "-v", "warn"])
            .arg(doc)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start Prism: {e}"))?;
        let started = Instant::now();
        loop {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(Mock { child, port });
            }
            if let Ok(Some(status)) = child.try_wait() {
                let mut stderr = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
                }
                return Err(format!("Prism did not start ({status}): {}", last_line(&stderr)));
            }
            if started.elapsed() > Duration::from_secs(90) {
                let _ = child.kill();
                let _ = child.wait();
                return Err("Prism did not start within 90 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Mock {
    fn died(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes `report.md` and `report.json`; returns (passed, total).
fn write_report(work: &Path, runs: &[SpecRun], took: Duration) -> Result<(usize, usize), String> {
    let judged = |r: &SpecRun| r.cases.iter().filter(|v| v.judged).count();
    let total: usize = runs.iter().map(judged).sum();
    let passed: usize = runs.iter().map(|r| r.cases.iter().filter(|v| v.pass).count()).sum();
    let unjudged: usize = runs.iter().map(|r| r.cases.len() - judged(r)).sum();
    let mut md = format!(
        "# Conformance report\n\n{passed} of {total} cases passed ({:.1}%) in {:.0?}, {} spec(s); \
         {unjudged} case(s) not judged; {} spec(s) ran no case.\n\n",
        if total == 0 { 0.0 } else { passed as f64 * 100.0 / total as f64 },
        took,
        runs.len(),
        runs.iter().filter(|r| r.failed.is_some()).count()
    );
    for (title, judged) in [("Failures by cause", true), ("Not judged, by cause", false)] {
        let mut causes: BTreeMap<String, (usize, BTreeMap<String, usize>)> = BTreeMap::new();
        for r in runs {
            for v in r.cases.iter().filter(|v| !v.pass && v.judged == judged) {
                let e = causes.entry(v.cause.clone()).or_default();
                e.0 += 1;
                *e.1.entry(r.spec.clone()).or_default() += 1;
            }
        }
        md.push_str(&format!("## {title}\n\n| cases | specs | cause |\n|---:|---:|---|\n"));
        let mut by_count: Vec<_> = causes.iter().collect();
        by_count.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
        for (cause, (n, specs)) in &by_count {
            md.push_str(&format!("| {n} | {} | {} |\n", specs.len(), cause.replace('|', "\\|")));
        }
        md.push('\n');
    }
    md.push_str("## Specs\n\n| spec | passed | judged | not judged | not run (ranges, multipart, fragments, dynamic without schema) | ms | note |\n|---|---:|---:|---:|---|---:|---|\n");
    for r in runs {
        let p = r.cases.iter().filter(|v| v.pass).count();
        md.push_str(&format!(
            "| {} | {p} | {} | {} | {}, {}, {}, {} | {} | {} |\n",
            r.spec,
            judged(r),
            r.cases.len() - judged(r),
            r.not_run.ranges,
            r.not_run.multipart,
            r.not_run.fragments,
            r.not_run.schemaless,
            r.millis,
            r.failed.as_deref().unwrap_or("").replace('|', "\\|").replace('\n', " ")
        ));
    }
    md.push_str("\n## Failing and unjudged cases\n\n");
    for r in runs {
        let failing: Vec<_> = r.cases.iter().filter(|v| !v.pass).collect();
        if failing.is_empty() {
            continue;
        }
        md.push_str(&format!("### {}\n\n", r.spec));
        // One example per operation and cause; the JSON has them all.
        let mut seen = std::collections::BTreeSet::new();
        for v in failing {
            if !seen.insert((v.op.clone(), v.cause.clone())) {
                continue;
            }
            md.push_str(&format!(
                "- `{}` {} `{}` ({}{}): {}\n  {}\n",
                v.op,
                v.status,
                v.media,
                v.args_mode,
                if v.dynamic { ", dynamic" } else { "" },
                v.cause,
                v.detail.replace('\n', " ")
            ));
        }
        md.push('\n');
    }
    let json = json!({
        "passed": passed,
        "total": total,
        "specs": runs.iter().map(|r| json!({
            "spec": r.spec,
            "module": r.module,
            "failed": r.failed,
            "millis": r.millis as u64,
            "not_run": {
                "ranges": r.not_run.ranges,
                "multipart": r.not_run.multipart,
                "fragments": r.not_run.fragments,
                "schemaless": r.not_run.schemaless,
            },
            "cases": r.cases.iter().map(judge::Verdict::to_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    std::fs::write(work.join("report.md"), md).map_err(|e| e.to_string())?;
    std::fs::write(
        work.join("report.json"),
        serde_json::to_string_pretty(&json).unwrap_or_default(),
    )
    .map_err(|e| e.to_string())?;
    Ok((passed, total))
}

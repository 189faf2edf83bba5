//! `cargo xtask fuzz`: the libFuzzer targets of `codegen/fuzz` (cargo-fuzz,
//! on the nightly toolchain), each on its own core for a fixed time, seeded
//! with every spec of `specs/` and `tests/specs/`. Inputs that crash, hang
//! or pass the memory limit are written to `target/fuzz/artifacts/TARGET/`,
//! and the run fails; turn each into a regression test.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

pub const TARGETS: [&str; 2] = ["load_bytes", "structured"];

pub fn run(root: &Path, flags: crate::flags::Fuzz) -> Result<(), String> {
    let crate::flags::Fuzz { minutes, mut targets, rss_mb, timeout, nice } = flags;
    if targets.is_empty() {
        targets = TARGETS.iter().map(|t| t.to_string()).collect();
    }
    let tools = root.join("target/tools");
    let cargo_fuzz = tools.join("bin/cargo-fuzz");
    if !cargo_fuzz.exists() {
        eprintln!("fuzz: installing cargo-fuzz into {}", tools.display());
        let status = Command::new("cargo")
            .args(["install", "cargo-fuzz", "--locked", "--root"])
            .arg(&tools)
            .status()
            .map_err(|e| format!("cargo install: {e}"))?;
        if !status.success() {
            return Err("installing cargo-fuzz failed".into());
        }
    }
    let work = root.join("target/fuzz");
    let seeds = seed_files(root)?;
    let path =
        format!("{}:{}", tools.join("bin").display(), std::env::var("PATH").unwrap_or_default());
    // Build first, once, so that the time given is spent fuzzing.
    for target in &targets {
        let status = fuzz_command(root, &work, &path, 0)
            .args(["build", "--fuzz-dir", "codegen/fuzz", "--sanitizer", sanitizer(target)])
            .arg(target)
            .status()
            .map_err(|e| format!("cargo fuzz build: {e}"))?;
        if !status.success() {
            return Err(format!("building fuzz target {target} failed"));
        }
    }
    let started = Instant::now();
    let cpu_before = children_cpu_seconds();
    let since = std::time::SystemTime::now();
    let mut running = Vec::new();
    for target in &targets {
        let corpus = work.join("corpus").join(target);
        let artifacts = work.join("artifacts").join(target);
        std::fs::create_dir_all(&corpus).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(&artifacts).map_err(|e| e.to_string())?;
        if target == "load_bytes" {
            for seed in &seeds {
                let name =
                    seed.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
                let _ = std::fs::copy(seed, corpus.join(format!("seed-{name}")));
            }
        }
        let log =
            std::fs::File::create(work.join(format!("{target}.log"))).map_err(|e| e.to_string())?;
        let child = fuzz_command(root, &work, &path, nice)
            .args(["run", "--fuzz-dir", "codegen/fuzz", "--sanitizer", sanitizer(target)])
            .arg(target)
            .arg(&corpus)
            .arg("--")
            .arg(format!("-max_total_time={}", minutes * 60))
            .arg(format!("-rss_limit_mb={rss_mb}"))
            .arg(format!("-malloc_limit_mb={rss_mb}"))
            .arg(format!("-timeout={timeout}"))
            // Structured inputs are read by `arbitrary`: a few KB make a small spec.
            .arg(format!("-max_len={}", if target == "structured" { 16384 } else { 1 << 20 }))
            // libFuzzer grows inputs slowly from a few bytes; `arbitrary` needs
            // hundreds before a spec has an operation, so the structured target
            // starts at full length.
            .arg(format!("-len_control={}", if target == "structured" { 0 } else { 100 }))
            // Leak checks off: codegen has no `unsafe`, and the one leak ever
            // reported was 32 bytes of glibc's thread-exit list
            // (`__cxa_thread_atexit_impl`), which a scoped thread that is
            // joined but not yet gone still holds; it did not reproduce on
            // replay. Unbounded memory is caught by the RSS limit instead.
            .arg("-detect_leaks=0")
            .arg(format!("-artifact_prefix={}/", artifacts.display()))
            .arg("-print_final_stats=1")
            .stdout(Stdio::null())
            .stderr(log)
            // Its own process group, so that a hung fuzzer can be killed
            // with the cargo-fuzz that runs it.
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cargo fuzz run: {e}"))?;
        eprintln!("fuzz: {target} for {minutes} min (log: target/fuzz/{target}.log)");
        running.push((target.clone(), child, artifacts));
    }
    let mut found = 0;
    for (target, mut child, artifacts) in running {
        // libFuzzer's own timeout runs in a signal handler that allocates:
        // without a sanitizer's allocator it can deadlock on the lock the
        // interrupted input held (seen once, on an input starved of CPU),
        // and the run would never end. A fuzzer still running well past its
        // time is killed and counted as a hang.
        let limit =
            std::time::Duration::from_secs(minutes * 60 + 600).saturating_sub(started.elapsed());
        let Some(status) = crate::children::wait_for(&mut child, limit) else {
            // cargo-fuzz waits on the fuzzer: the whole group goes.
            let _ = Command::new("kill").arg("-9").arg(format!("-{}", child.id())).status();
            println!(
                "fuzz: {target}: still running 10 minutes past its time: killed, counted as a hang"
            );
            found += 1;
            continue;
        };
        let log = std::fs::read_to_string(work.join(format!("{target}.log"))).unwrap_or_default();
        let stat = |name: &str| {
            log.lines().rev().find_map(|l| {
                l.strip_prefix(&format!("stat::{name}:")).map(|v| v.trim().to_string())
            })
        };
        // Only what this run wrote: artifacts of earlier runs stay for replay.
        let crashes: Vec<PathBuf> = std::fs::read_dir(&artifacts)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter(|e| e.metadata().and_then(|m| m.modified()).is_ok_and(|t| t >= since))
                    .map(|e| e.path())
                    .collect()
            })
            .unwrap_or_default();
        found += crashes.len();
        println!(
            "fuzz: {target}: {} runs ({}/s), {} new inputs, peak {} MB, {} crash/hang/oom artifacts{}",
            stat("number_of_executed_units").unwrap_or_else(|| "?".into()),
            stat("average_exec_per_sec").unwrap_or_else(|| "?".into()),
            stat("new_units_added").unwrap_or_else(|| "?".into()),
            stat("peak_rss_mb").unwrap_or_else(|| "?".into()),
            crashes.len(),
            if status.success() { String::new() } else { format!(" (exit {status})") },
        );
        for c in crashes {
            println!("  {}", c.display());
        }
    }
    let cpu = match (cpu_before, children_cpu_seconds()) {
        (Some(before), Some(after)) => format!("{:.2} CPU-hours", (after - before) / 3600.0),
        _ => "CPU time unknown".into(),
    };
    println!(
        "fuzz: {} target(s) for {:.1} min of wall time, {cpu}, {found} artifact(s)",
        targets.len(),
        started.elapsed().as_secs_f64() / 60.0
    );
    if found > 0 {
        return Err(format!(
            "{found} input(s) crashed, hung or ran out of memory: see target/fuzz/artifacts"
        ));
    }
    Ok(())
}

/// AddressSanitizer where input reaches `unsafe` code: `load_bytes` parses
/// YAML with `unsafe-libyaml`, a C translation. The `structured` target's
/// input is JSON read by safe Rust, where ASan finds nothing and its
/// allocator hides what the RSS limit is for: a 86-minute run stopped at
/// its 2,048 MB limit with a live heap of 77 MB (172 MB in quarantine),
/// and `allocator_release_to_os_interval_ms` with a 64 MB quarantine still
/// grew 22 MB per 1,000 inputs. Without it the limit measures codegen.
fn sanitizer(target: &str) -> &'static str {
    if target == "structured" {
        "none"
    } else {
        "address"
    }
}

/// `cargo +nightly fuzz`, under `nice -n NICE` when `nice` is above 0.
fn fuzz_command(root: &Path, work: &Path, path: &str, nice: u64) -> Command {
    let mut c = if nice > 0 {
        let mut c = Command::new("nice");
        c.arg("-n").arg(nice.to_string()).arg("cargo");
        c
    } else {
        Command::new("cargo")
    };
    c.current_dir(root)
        .env("PATH", path)
        .env("CARGO_TARGET_DIR", work.join("build"))
        .args(["+nightly", "fuzz"]);
    c
}

/// CPU seconds used by this process's waited-for children and theirs
/// (`cutime` + `cstime` of `/proc/self/stat`), where the system says.
fn children_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // cutime and cstime are fields 16 and 17 of the whole line (1-based), so
    // 14th and 15th after the name; the unit is USER_HZ, 100 on Linux.
    let ticks: f64 = fields.get(13)?.parse::<f64>().ok()? + fields.get(14)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// The specs the project has: the byte-level fuzzer mutates real documents.
fn seed_files(root: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for dir in ["specs", "tests/specs", "tests/specs/shared"] {
        for entry in std::fs::read_dir(root.join(dir)).map_err(|e| e.to_string())? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.extension().is_some_and(|e| e == "yaml" || e == "json") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Prints the document a `structured` input stands for, decoded as the
/// fuzz target decodes it (`arbitrary_take_rest`).
pub fn render(flags: crate::flags::FuzzRender) -> Result<(), String> {
    use arbitrary::Arbitrary;
    let data =
        std::fs::read(&flags.input).map_err(|e| format!("{}: {e}", flags.input.display()))?;
    let spec = codegen::fuzzing::Spec::arbitrary_take_rest(arbitrary::Unstructured::new(&data))
        .map_err(|e| format!("{}: not a structured input: {e}", flags.input.display()))?;
    let text = serde_json::to_string_pretty(&spec.document()).map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(())
}

/// A random spec per seed, generated and compiled in one batch crate: the
/// property that whatever generates also compiles, warning-free.
pub fn compile(root: &Path, flags: crate::flags::FuzzCompile) -> Result<(), String> {
    use arbitrary::Arbitrary;
    let crate::flags::FuzzCompile { count, seed, bytes } = flags;
    let work = root.join("target/fuzz/compile");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(work.join("failing")).map_err(|e| e.to_string())?;
    let mut modules = Vec::new();
    let mut specs = std::collections::BTreeMap::new();
    let mut refused = 0;
    for s in seed..seed + count {
        let data = random_bytes(s, bytes);
        let Ok(spec) = codegen::fuzzing::Spec::arbitrary(&mut arbitrary::Unstructured::new(&data))
        else {
            continue;
        };
        let text = serde_json::to_string_pretty(&spec.document()).map_err(|e| e.to_string())?;
        let name = format!("s{s}");
        match codegen::generate_module_from_str(&text, Path::new(&format!("{name}.json")), &name) {
            Ok(module) => {
                specs.insert(name, text);
                modules.push(module);
            }
            Err(_) => refused += 1,
        }
    }
    let files = codegen::output::crate_files("random-specs", &Default::default(), &modules, false);
    codegen::output::sync(&work, &files, Some(Path::new("src")), codegen::Mode::Write)
        .map_err(|e| e.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock")).map_err(|e| e.to_string())?;
    // A crate of its own, not a member of the project's workspace it sits in.
    let manifest = work.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(&manifest, format!("{text}\n[workspace]\n")).map_err(|e| e.to_string())?;
    // Warnings denied in this crate alone: RUSTFLAGS would rebuild every dependency.
    let lib = work.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).map_err(|e| e.to_string())?;
    std::fs::write(&lib, format!("#![deny(warnings)]\n{text}")).map_err(|e| e.to_string())?;
    let output = Command::new("cargo")
        .current_dir(&work)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .args(["check", "--quiet", "--message-format=short"])
        .output()
        .map_err(|e| format!("cargo check: {e}"))?;
    let messages = String::from_utf8_lossy(&output.stderr);
    let mut failing = std::collections::BTreeMap::<String, Vec<String>>::new();
    for line in messages.lines() {
        if let Some(name) =
            line.strip_prefix("src/").and_then(|l| l.split_once(".rs:")).map(|(n, _)| n.to_string())
        {
            if specs.contains_key(&name) {
                failing.entry(name).or_default().push(line.to_string());
            }
        }
    }
    for (name, lines) in &failing {
        let _ = std::fs::write(work.join("failing").join(format!("{name}.json")), &specs[name]);
        let _ = std::fs::write(work.join("failing").join(format!("{name}.txt")), lines.join("\n"));
    }
    println!(
        "fuzz-compile: {} of {count} random specs generated ({refused} refused with an error), {} compiled, {} failed",
        modules.len(),
        modules.len() - failing.len(),
        failing.len()
    );
    if !output.status.success() && failing.is_empty() {
        return Err(format!("cargo check failed outside any module:\n{messages}"));
    }
    if !failing.is_empty() {
        return Err(format!(
            "{} generated module(s) do not compile: see {}",
            failing.len(),
            work.join("failing").display()
        ));
    }
    Ok(())
}

/// Deterministic bytes for `seed` (SplitMix64): no dependency, and the same
/// seed gives the same spec on every machine.
fn random_bytes(seed: u64, n: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut out = Vec::with_capacity(n + 8);
    while out.len() < n {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        out.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    out.truncate(n);
    out
}

//! What `corpus` and `conformance` share: child processes under a memory
//! limit and a deadline, generated modules packed into batch crates, and
//! the compiler errors of building them, by file.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Modules are packed into batch crates of about this much source: one
/// crate per spec would build the runtime hundreds of times, one crate for
/// all would take more memory than the machine has.
pub const BATCH_BYTES: usize = 6 << 20;

/// `exe` run through the shell so that `ulimit -v` limits the child alone.
pub fn limited(exe: &Path, mem_mb: u64) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c").arg(format!("ulimit -v {}; exec \"$0\" \"$@\"", mem_mb * 1024)).arg(exe);
    c
}

/// Waits for `child` until `limit`, then kills it: `None` when it was killed.
pub fn wait_for(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if started.elapsed() <= limit => std::thread::sleep(Duration::from_millis(5)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// Consecutive groups of `items` (index, bytes of source), each of about
/// `BATCH_BYTES` at most (an item larger than that has a batch of its own).
pub fn batches(items: impl IntoIterator<Item = (usize, usize)>) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut size = 0;
    for (i, bytes) in items {
        if out.is_empty() || size + bytes > BATCH_BYTES {
            out.push(Vec::new());
            size = 0;
        }
        out.last_mut().expect("pushed").push(i);
        size += bytes;
    }
    out
}

/// A fresh workspace at `dir` whose members are the batch crates
/// `batch_000`, `batch_001`, ... (written by the caller), locked to the
/// project's dependency versions.
pub fn workspace(root: &Path, dir: &Path, batches: usize) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let members: Vec<String> = (0..batches).map(|b| format!("\"{}\"", batch_name(b))).collect();
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    Ok(())
}

pub fn batch_name(b: usize) -> String {
    format!("batch_{b:03}")
}

/// What one cargo build or check of batch crates said.
pub struct Compiled {
    /// (file, first line of the message and its line) per compiler error.
    pub failures: Vec<(String, String)>,
    /// Crates the compiler finished (it wrote their artifacts).
    pub finished: BTreeSet<String>,
    pub status: ExitStatus,
}

/// Runs `cargo` (already given `--message-format=json`) and reads its
/// errors from the JSON messages; what cargo says besides goes to stderr.
pub fn compile(mut cargo: Command) -> Result<Compiled, String> {
    let mut child = cargo
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut failures = Vec::new();
    let mut finished = BTreeSet::new();
    for line in BufReader::new(child.stdout.take().expect("piped")).lines().map_while(Result::ok) {
        let Ok(v) = serde_json::from_str::<Value>(&line) else { continue };
        if v["reason"] == "compiler-artifact" {
            if let Some(name) = v["target"]["name"].as_str() {
                finished.insert(name.to_string());
            }
            continue;
        }
        if v["reason"] != "compiler-message" || v["message"]["level"] != "error" {
            continue;
        }
        let msg = &v["message"];
        let span = msg["spans"].as_array().and_then(|s| s.first());
        let file = span.and_then(|s| s["file_name"].as_str()).unwrap_or("").to_string();
        let line_no = span.and_then(|s| s["line_start"].as_u64()).unwrap_or(0);
        let text = msg["message"].as_str().unwrap_or("");
        failures.push((file, format!("{text} (line {line_no})")));
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    Ok(Compiled { failures, finished, status })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_stay_near_their_size_and_keep_order() {
        let big = BATCH_BYTES;
        let got = batches([(0, 10), (1, big - 10), (2, 1), (3, 2 * big), (4, 1)]);
        assert_eq!(got, vec![vec![0, 1], vec![2], vec![3], vec![4]]);
    }

    #[test]
    fn a_child_past_its_deadline_is_killed() {
        let mut child = Command::new("sleep").arg("5").spawn().unwrap();
        let started = Instant::now();
        assert!(wait_for(&mut child, Duration::from_millis(50)).is_none());
        assert!(started.elapsed() < Duration::from_secs(4));
    }
}

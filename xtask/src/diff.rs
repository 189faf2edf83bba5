//! `cargo xtask diff OLD NEW`: what a spec update does to the generated
//! module (see `codegen::diff`), for a reviewer and for scripts.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::flags;

pub fn run(root: &Path, f: flags::Diff) -> Result<(), String> {
    let work = f.work.clone().unwrap_or_else(|| root.join("target/diff"));
    let old_file = match f.old.strip_prefix("git:") {
        Some(rev) => committed(root, rev, &f.new, &work.join("old"))?,
        None => PathBuf::from(&f.old),
    };
    let documents = [as_read(&old_file)?, as_read(&f.new)?];
    let (old, new) = (read(&documents[0], &old_file)?, read(&documents[1], &f.new)?);
    let mut report = codegen::diff::compare(&old, &new);
    let mut unconfirmed = Vec::new();
    if f.witness {
        let done = codegen::diff::witness::confirm(
            &mut report.findings,
            &old.surface,
            [&documents[0], &documents[1]],
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
    let title = codegen::module_name_for(&f.new);
    if f.json {
        let text = serde_json::to_string_pretty(&report.json()).map_err(|e| e.to_string())?;
        println!("{text}");
        eprintln!("{}", report.summary());
    } else {
        print!("{}", report.markdown(&title));
        println!();
        println!("{}", report.summary());
    }
    if !unconfirmed.is_empty() {
        let list: Vec<String> = unconfirmed
            .iter()
            .map(|(i, why)| {
                format!(
                    "{} {}: {why}",
                    report.findings[*i].id,
                    report.findings[*i].rust.as_deref().unwrap_or("")
                )
            })
            .collect();
        return Err(format!(
            "breaking findings no witness confirms (a bug of the diff):\n{}",
            list.join("\n")
        ));
    }
    Ok(())
}

fn as_read(file: &Path) -> Result<serde_json::Value, String> {
    codegen::input::as_read(file, None).map_err(|e| e.to_string())
}

fn read(document: &serde_json::Value, file: &Path) -> Result<codegen::diff::Version, String> {
    codegen::diff::Version::read(document.clone(), file).map_err(|e| e.to_string())
}

/// `spec` (and its overlay, if it had one) as committed at `rev`, written
/// under `dir` with the same file names.
pub fn committed(root: &Path, rev: &str, spec: &Path, dir: &Path) -> Result<PathBuf, String> {
    let spec = std::fs::canonicalize(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let rel = spec
        .strip_prefix(root)
        .map_err(|_| format!("{} is not in this repository", spec.display()))?
        .to_path_buf();
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let name = rel.file_name().ok_or("a spec file has a name")?;
    let out = dir.join(name);
    let mut wrote = false;
    let overlay = codegen::input::overlay::beside(&spec)
        .and_then(|o| o.strip_prefix(root).ok().map(Path::to_path_buf));
    let stale_overlay = codegen::input::overlay::beside(&out);
    if let Some(stale) = stale_overlay {
        let _ = std::fs::remove_file(stale);
    }
    for (path, to) in [
        Some((rel.clone(), out.clone())),
        overlay.map(|o| {
            let to = dir.join(o.file_name().unwrap_or_default());
            (o, to)
        }),
    ]
    .into_iter()
    .flatten()
    {
        let shown = Command::new("git")
            .arg("show")
            .arg(format!("{rev}:{}", path.display()))
            .current_dir(root)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !shown.status.success() {
            if path == rel {
                return Err(format!(
                    "{} at {rev}: {}",
                    path.display(),
                    String::from_utf8_lossy(&shown.stderr).trim()
                ));
            }
            continue;
        }
        std::fs::write(&to, &shown.stdout).map_err(|e| format!("{}: {e}", to.display()))?;
        wrote = true;
    }
    if !wrote {
        return Err(format!("nothing of {} at {rev}", rel.display()));
    }
    Ok(out)
}

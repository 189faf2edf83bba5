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

/// The file `cargo xtask codegen` keeps the vendored specs' changes in.
pub const CHANGELOG: &str = "generated/CHANGELOG.md";

const CHANGELOG_HEAD: &str = "# Changes of the generated crate\n\n\
Written by `cargo xtask codegen` when a vendored spec in `specs/` differs from the committed \
one: what the update does to code written against the crate (Rust source) and to clients \
that followed the old contract (wire), newest first. Edit freely; an entry is replaced only \
while its spec is still uncommitted.\n";

/// For each vendored spec that differs from its committed version (at
/// `HEAD`), an entry in `generated/CHANGELOG.md`: added, or replaced when
/// the same uncommitted change was diffed before. Returns the modules whose
/// entries were written.
pub fn changelog(root: &Path) -> Result<Vec<String>, String> {
    let work = root.join("target/diff/changelog");
    let path = root.join(CHANGELOG);
    let mut text = std::fs::read_to_string(&path).unwrap_or_else(|_| CHANGELOG_HEAD.to_string());
    let mut written = Vec::new();
    let specs = codegen::spec_files(&root.join("specs")).map_err(|e| e.to_string())?;
    for spec in specs {
        // A spec not committed yet has nothing to be compared with.
        let Ok(old_file) = committed(root, "HEAD", &spec, &work) else { continue };
        let (old_doc, new_doc) = (as_read(&old_file)?, as_read(&spec)?);
        let module = codegen::module_name_for(&spec);
        let (from, to) = (fingerprint(&old_doc), fingerprint(&new_doc));
        // An entry from the committed spec is of this uncommitted change,
        // diffed before: replaced, not repeated, and dropped when the spec
        // is back to what is committed.
        let same_base = format!("<!-- {module}: spec {from} -> ");
        let existing = text.find(&same_base).map(|start| {
            let rest = &text[start + same_base.len()..];
            let end = rest.find("\n<!-- ").map_or(text.len(), |e| start + same_base.len() + e + 1);
            (start, end)
        });
        if old_doc == new_doc {
            if let Some((start, end)) = existing {
                text = format!("{}{}", &text[..start], &text[end..]);
                written.push(module);
            }
            continue;
        }
        let marker = format!("{same_base}{to} -->");
        if text.contains(&marker) {
            continue;
        }
        let report = codegen::diff::compare(&read(&old_doc, &old_file)?, &read(&new_doc, &spec)?);
        let entry = format!("{marker}\n{}\n{}\n\n", report.markdown(&module), report.summary());
        text = match existing {
            Some((start, end)) => format!("{}{entry}{}", &text[..start], &text[end..]),
            None => {
                let at = text.find("\n<!-- ").map_or(text.len(), |i| i + 1);
                let sep = if text[..at].ends_with("\n\n") { "" } else { "\n" };
                format!("{}{sep}{entry}{}", &text[..at], &text[at..])
            }
        };
        written.push(module);
    }
    if !written.is_empty() {
        std::fs::write(&path, text.trim_end().to_string() + "\n")
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(written)
}

/// A short hash of a document as read, to know an entry's two specs again.
fn fingerprint(document: &serde_json::Value) -> String {
    // FNV-1a: stable across runs and platforms, unlike std's hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in document.to_string().bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

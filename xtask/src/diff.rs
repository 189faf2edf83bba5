//! `cargo xtask diff OLD NEW`: what a spec update does to the generated
//! module (see `codegen::diff`), for a reviewer and for scripts.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::flags;

pub fn run(root: &Path, f: flags::Diff) -> Result<(), String> {
    let work = f.flags.work.clone().unwrap_or_else(|| root.join("target/diff"));
    let old_file = match f.old.strip_prefix("git:") {
        Some(rev) => committed(root, rev, &f.new, &work.join("old"))?,
        None => PathBuf::from(&f.old),
    };
    let c = codegen::cli::diff(&old_file, &f.new, f.flags.witness.then_some(work.as_path()))?;
    let cross = if f.cross_check {
        let wire = codegen::diff::wire::compare(&c.old, &c.new);
        let ops: Vec<String> =
            [&c.old, &c.new].iter().flat_map(|v| codegen::diff::surface::op_keys(&v.api)).collect();
        Some(cross_check(root, &work, &c.documents, &c.report, &wire, &ops)?)
    } else {
        None
    };
    codegen::cli::print_diff(&c, &codegen::module_name_for(&f.new), f.flags.json, cross.as_deref())
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
        let as_read = |f: &Path| codegen::input::as_read(f, None).map_err(|e| e.to_string());
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
        let report =
            codegen::cli::diff_read([(&old_file, old_doc), (&spec, new_doc)], None)?.report;
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

/// What the independent tools said, reduced to units both sides can be
/// compared on: Rust items (`types::Pet`, `Client::get_pet`, `Call::limit`)
/// for cargo-semver-checks, operations (`GET /pets/{}`) for openapi-diff.
#[derive(Default)]
struct Theirs {
    /// Unit -> what the tool said of it, breaking ones.
    breaking: std::collections::BTreeMap<String, Vec<String>>,
    /// Unit -> what it said, not breaking (warnings, non-breaking changes).
    other: std::collections::BTreeMap<String, Vec<String>>,
}

const SEMVER_CHECKS: &str = "0.51.0";
const OPENAPI_DIFF: &str = "0.24.1";

/// Runs both tools on the two versions and prints, per axis, the units
/// each side finds breaking and where they disagree, with why.
fn cross_check(
    root: &Path,
    work: &Path,
    documents: &[serde_json::Value; 2],
    report: &codegen::diff::Report,
    wire: &[codegen::diff::Finding],
    operations: &[String],
) -> Result<String, String> {
    let crates = work.join("cross");
    codegen::diff::witness::write_crates([&documents[0], &documents[1]], &crates)?;
    let rust = semver_checks(&crates, &work.join("target"))?;
    let tools = root.join("target/diff/tools");
    // openapi-diff reads OpenAPI 3.0 only: it gets the documents as codegen
    // reads them, 3.1 rewritten into the 3.0 shape (see `input::upgrade`).
    for (side, document) in ["old", "new"].iter().zip(documents) {
        let file = crates.join(side).join("api.json");
        let mut tree = codegen::input::from_value(document.clone(), &file)
            .map_err(|e| e.to_string())?
            .raw
            .into_tree();
        tree["openapi"] = serde_json::Value::String("3.0.3".into());
        let text = serde_json::to_string(&tree).map_err(|e| e.to_string())?;
        std::fs::write(crates.join(side).join("api.3.0.json"), text).map_err(|e| e.to_string())?;
    }
    // openapi-diff holds whole specs in memory many times over: on GitHub's
    // 11 MB spec it ran out of a 16 GB heap. Its failure is reported, and
    // the Rust axis still stands.
    let wire_theirs = openapi_diff(&tools, &crates);
    let ours_rust =
        units(report.findings.iter().filter(|f| f.axis == codegen::diff::Axis::Rust), rust_unit);
    let ours_wire = units(wire.iter(), |f| f.operation.clone());
    let mut out = String::from("\n### Cross-check\n\n");
    out.push_str(&agreement("Rust source", "cargo-semver-checks", &ours_rust, &rust));
    match wire_theirs {
        Ok(theirs) => {
            let theirs = per_operation(theirs, operations);
            out.push_str(&agreement("Wire", "openapi-diff", &ours_wire, &theirs))
        }
        Err(e) => {
            let first = e.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
            out.push_str(&format!("**Wire**: openapi-diff failed on these specs ({first}).\n\n"));
        }
    }
    Ok(out)
}

type Units = (
    std::collections::BTreeMap<String, Vec<String>>,
    std::collections::BTreeMap<String, Vec<String>>,
);

/// Our findings by unit: breaking ones, and the others.
fn units<'a>(
    findings: impl Iterator<Item = &'a codegen::diff::Finding>,
    unit: impl Fn(&codegen::diff::Finding) -> Option<String>,
) -> Units {
    let (mut breaking, mut other) = Units::default();
    for f in findings {
        let Some(u) = unit(f) else { continue };
        let said = format!("{} {}", f.id, f.message);
        let to = if f.severity == codegen::diff::Severity::Breaking {
            &mut breaking
        } else {
            &mut other
        };
        to.entry(u).or_default().push(said);
    }
    (breaking, other)
}

/// `Client::get_pet().limit` -> `Call::limit`; `types::Pet::name` -> `types::Pet`.
fn rust_unit(f: &codegen::diff::Finding) -> Option<String> {
    let r = f.rust.as_deref()?;
    if let Some((_, setter)) = r.split_once("().") {
        return Some(format!("Call::{setter}"));
    }
    let parts: Vec<&str> = r.split("::").collect();
    Some(parts[..parts.len().min(2)].join("::"))
}

fn agreement(axis: &str, tool: &str, ours: &Units, theirs: &Theirs) -> String {
    let ob: std::collections::BTreeSet<&String> = ours.0.keys().collect();
    let tb: std::collections::BTreeSet<&String> = theirs.breaking.keys().collect();
    let both = ob.intersection(&tb).count();
    let mut out = format!(
        "**{axis}** (units {tool} can name): breaking for ours {}, for {tool} {}, for both {both}.\n\n",
        ob.len(),
        tb.len()
    );
    for u in ob.difference(&tb) {
        let known = ours.0[*u]
            .iter()
            .find_map(|said| blind_spot(tool, said.split(' ').next().unwrap_or("")));
        let why = match (theirs.other.get(*u), known) {
            (Some(said), _) => {
                format!("{tool} saw a change it does not call breaking: {}", said.join("; "))
            }
            (None, Some(known)) => format!("{tool} said nothing: {known}"),
            (None, None) => format!("{tool} said nothing"),
        };
        out.push_str(&format!("- ours only: `{u}`: {} ({why})\n", ours.0[*u].join("; ")));
    }
    for u in tb.difference(&ob) {
        let why = match ours.1.get(*u) {
            Some(said) => format!("ours: {}", said.join("; ")),
            None => "ours said nothing".to_string(),
        };
        out.push_str(&format!(
            "- {tool} only: `{u}`: {} ({why})\n",
            theirs.breaking[*u].join("; ")
        ));
    }
    out.push('\n');
    out
}

/// Why a tool cannot see what one of our checks sees, where we know.
fn blind_spot(tool: &str, id: &str) -> Option<&'static str> {
    match (tool, id) {
        (
            "cargo-semver-checks",
            "rust-field-type-changed"
            | "rust-fn-argument-type-changed"
            | "rust-fn-answer-type-changed"
            | "rust-fn-error-type-changed"
            | "rust-setter-changed"
            | "rust-variant-type-changed"
            | "rust-type-changed",
        ) => Some("it has no lint for a type that changed (it compares names, kinds and arities)"),
        ("cargo-semver-checks", "rust-fn-arguments-reordered") => {
            Some("the count of arguments is the same, and it does not compare their types")
        }
        ("openapi-diff", id) if id.contains("parameter") => {
            Some("it compares paths, methods and bodies' schemas, not parameters")
        }
        ("openapi-diff", id)
            if id.contains("status") || id.contains("media-type") || id.contains("header") =>
        {
            Some("it does not classify changes of statuses, media types or headers as breaking")
        }
        _ => None,
    }
}

fn ensure_semver_checks() -> Result<(), String> {
    let have = Command::new("cargo").args(["semver-checks", "--version"]).output();
    if have.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(SEMVER_CHECKS)) {
        return Ok(());
    }
    eprintln!("diff: installing cargo-semver-checks {SEMVER_CHECKS} from crates.io");
    let status = Command::new("cargo")
        .args(["install", "--locked", "cargo-semver-checks", "--version", SEMVER_CHECKS])
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("could not install cargo-semver-checks".into());
    }
    Ok(())
}

/// cargo-semver-checks on `crates/old/api` (baseline) and `crates/new/api`.
fn semver_checks(crates: &Path, target: &Path) -> Result<Theirs, String> {
    ensure_semver_checks()?;
    let out = Command::new("cargo")
        .args(["semver-checks", "check-release", "--release-type", "minor", "--manifest-path"])
        .arg(crates.join("new/api/Cargo.toml"))
        .arg("--baseline-root")
        .arg(crates.join("old/api"))
        .env("CARGO_TARGET_DIR", target)
        .output()
        .map_err(|e| format!("cannot run cargo-semver-checks: {e}"))?;
    let (stdout, stderr) =
        (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if !stdout.contains("checks:") && !stderr.contains("checks:") {
        return Err(format!("cargo-semver-checks failed:\n{stdout}{stderr}"));
    }
    let mut theirs = Theirs::default();
    // Each stream on its own: the progress lines of one are no items of the
    // other's last "Failed in" list.
    for text in [stdout, stderr] {
        semver_report(&text, &mut theirs);
    }
    Ok(theirs)
}

fn semver_report(text: &str, theirs: &mut Theirs) {
    let mut lint: Option<(bool, String)> = None;
    let mut failed_in = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("--- ") {
            let (level, rest) = rest.split_once(' ').unwrap_or(("", rest));
            let name = rest.split(':').next().unwrap_or(rest).to_string();
            lint = Some((level == "failure", name));
            failed_in = false;
        } else if line.trim() == "Failed in:" {
            failed_in = true;
        } else if line.trim().is_empty() {
            failed_in = false;
        } else if failed_in && line.starts_with("  ") {
            let Some((breaking, name)) = &lint else { continue };
            let unit = semver_unit(line.trim());
            let to = if *breaking { &mut theirs.breaking } else { &mut theirs.other };
            to.entry(unit)
                .or_default()
                .push(format!("{name}: {}", line.trim().split(" in /").next().unwrap_or("")));
        }
    }
}

/// The unit of one "Failed in" line of cargo-semver-checks.
fn semver_unit(line: &str) -> String {
    let item = line.split([' ', ',']).filter(|w| !w.is_empty()).collect::<Vec<_>>();
    // `field tag of struct Pet`: the struct.
    if let Some(i) = item.iter().position(|w| *w == "of") {
        if let Some(owner) = item.get(i + 2) {
            return format!("types::{}", owner.trim_start_matches("api::api::types::"));
        }
    }
    let kinds =
        ["enum", "variant", "struct", "field", "function", "method", "trait", "type", "pub", "fn"];
    let path =
        item.iter().find(|w| w.contains("::") || !kinds.contains(w)).copied().unwrap_or(line);
    let path = path.trim_start_matches("api::api::");
    let parts: Vec<&str> = path.split("::").collect();
    match parts.as_slice() {
        ["types", name, ..] => format!("types::{name}"),
        ["Client", m, ..] => format!("Client::{m}"),
        ["Call", m, ..] => format!("Call::{m}"),
        [name, ..] => format!("types::{name}"),
        [] => path.to_string(),
    }
}

/// npm openapi-diff on the two specs as read.
fn openapi_diff(tools: &Path, crates: &Path) -> Result<Theirs, String> {
    // Measured on GitHub Enterprise Server 3.17 (11 MB): out of a 16 GB heap.
    const MAX_SPEC: u64 = 5 << 20;
    let size = std::fs::metadata(crates.join("new/api.3.0.json")).map_or(0, |m| m.len());
    if size > MAX_SPEC {
        return Err(format!(
            "skipped: the spec is {} MB, and openapi-diff ran out of a 16 GB heap on an 11 MB one",
            size >> 20
        ));
    }
    let bin = tools.join("node_modules/.bin/openapi-diff");
    if !bin.exists() {
        std::fs::create_dir_all(tools).map_err(|e| e.to_string())?;
        eprintln!("diff: installing openapi-diff {OPENAPI_DIFF} from npm");
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", &format!("openapi-diff@{OPENAPI_DIFF}")])
            .current_dir(tools)
            .status()
            .map_err(|e| format!("cannot run npm: {e}"))?;
        if !status.success() {
            return Err("could not install openapi-diff".into());
        }
    }
    // Large specs take more than node's default 4 GB heap.
    // It has run for 15 minutes on a 650 KB spec (Adyen's Management API)
    // without an answer: it gets a deadline. Output goes to files, which a
    // child cannot block on.
    const DEADLINE: std::time::Duration = std::time::Duration::from_secs(180);
    let (out_file, err_file) = (crates.join("openapi-diff.out"), crates.join("openapi-diff.err"));
    let file = |p: &Path| std::fs::File::create(p).map_err(|e| format!("{}: {e}", p.display()));
    let mut child = Command::new(&bin)
        .env("NODE_OPTIONS", "--max-old-space-size=12288")
        .arg(crates.join("old/api.3.0.json"))
        .arg(crates.join("new/api.3.0.json"))
        .stdout(file(&out_file)?)
        .stderr(file(&err_file)?)
        .spawn()
        .map_err(|e| format!("cannot run openapi-diff: {e}"))?;
    if crate::children::wait_for(&mut child, DEADLINE).is_none() {
        return Err(format!("openapi-diff gave no answer in {} s", DEADLINE.as_secs()));
    }
    let text = std::fs::read_to_string(&out_file).unwrap_or_default();
    let start = text.find('{').ok_or_else(|| {
        format!(
            "openapi-diff said: {text}{}",
            std::fs::read_to_string(&err_file).unwrap_or_default()
        )
    })?;
    let v: serde_json::Value =
        serde_json::from_str(&text[start..]).map_err(|e| format!("openapi-diff's output: {e}"))?;
    let mut theirs = Theirs::default();
    for (key, breaking) in [
        ("breakingDifferences", true),
        ("nonBreakingDifferences", false),
        ("unclassifiedDifferences", false),
    ] {
        for d in v[key].as_array().into_iter().flatten() {
            let code = d["code"].as_str().unwrap_or("?");
            let locations = ["sourceSpecEntityDetails", "destinationSpecEntityDetails"]
                .iter()
                .flat_map(|k| d[*k].as_array().into_iter().flatten())
                .filter_map(|e| e["location"].as_str());
            let mut seen = std::collections::BTreeSet::new();
            for l in locations {
                let Some(unit) = operation_of(l) else { continue };
                if seen.insert(unit.clone()) {
                    let to = if breaking { &mut theirs.breaking } else { &mut theirs.other };
                    to.entry(unit).or_default().push(format!("{code} at {l}"));
                }
            }
        }
    }
    Ok(theirs)
}

/// openapi-diff says a whole path item was removed or added (`* /pets`):
/// that is each operation it had, as ours says.
fn per_operation(theirs: Theirs, operations: &[String]) -> Theirs {
    let spread = |map: std::collections::BTreeMap<String, Vec<String>>| {
        let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for (unit, said) in map {
            match unit.strip_prefix("* ") {
                Some(path) => {
                    for op in operations
                        .iter()
                        .filter(|o| o.split_once(' ').is_some_and(|(_, p)| p == path))
                    {
                        out.entry(op.clone()).or_default().extend(said.iter().cloned());
                    }
                }
                None => out.entry(unit).or_default().extend(said),
            }
        }
        out
    };
    Theirs { breaking: spread(theirs.breaking), other: spread(theirs.other) }
}

/// `paths./pets/{id}.get.responses.200...` -> `GET /pets/{}`; a path
/// item's own location (`paths./pets/{id}`) -> `* /pets/{}`.
fn operation_of(location: &str) -> Option<String> {
    let rest = location.strip_prefix("paths.")?;
    let segments: Vec<&str> = rest.split('.').collect();
    let found = segments.iter().position(|s| codegen::input::parse::METHODS.contains(s));
    let i = found.unwrap_or(segments.len());
    let normalized = codegen::diff::surface::unnamed_params(&segments[..i].join("."));
    Some(match found {
        Some(i) => format!("{} {normalized}", segments[i].to_ascii_uppercase()),
        None => format!("* {normalized}"),
    })
}

/// `cargo xtask stable-names`: the property of `tests/it/stable_names.rs`
/// over real specs.
pub fn stable_names(root: &Path, f: flags::StableNames) -> Result<(), String> {
    let dir = match f.dir {
        Some(d) => d,
        None => crate::corpus::fetch_directory(root)?,
    };
    let specs = crate::corpus::select_specs(&dir, None, f.sample)?;
    let (mut variants, mut clean, mut unreadable) = (0usize, 0usize, 0usize);
    let mut found: Vec<String> = Vec::new();
    let started = std::time::Instant::now();
    for (n, spec) in specs.iter().enumerate() {
        let rel = spec.strip_prefix(&dir).unwrap_or(spec).display().to_string();
        let Ok(document) = codegen::input::as_read(spec, None) else {
            unreadable += 1;
            continue;
        };
        let Ok(whole) = codegen::diff::Version::read(document.clone(), spec) else {
            unreadable += 1;
            continue;
        };
        let ops = codegen::diff::operations(&document);
        let picks: Vec<usize> = match ops.len() {
            0 => Vec::new(),
            len => {
                let k = f.removals.min(len);
                let mut p: Vec<usize> = (0..k).map(|i| i * len / k).collect();
                p.dedup();
                p
            }
        };
        let mut mutants: Vec<(String, serde_json::Value, Vec<String>)> = picks
            .into_iter()
            .map(|i| {
                let (path, method) = &ops[i];
                let touched = whole.surface.operation_at(path, method).into_iter().collect();
                let label = format!("without {} {path}", method.to_ascii_uppercase());
                (label, codegen::diff::without_operation(&document, path, method), touched)
            })
            .collect();
        mutants.push((
            "paths reversed".into(),
            codegen::diff::paths_reversed(&document),
            Vec::new(),
        ));
        for (label, mutant, touched) in mutants {
            let Ok(after) = codegen::diff::Version::read(mutant, spec) else { continue };
            variants += 1;
            let renamed = codegen::diff::renamed(&whole.surface, &after.surface, &touched);
            if renamed.is_empty() {
                clean += 1;
            }
            for r in renamed.iter().take(3) {
                let member =
                    r.member.as_deref().map(|m| format!(" member {m}")).unwrap_or_default();
                found.push(format!(
                    "{rel} ({label}): {}{member}: {} -> {}",
                    r.key, r.before, r.after
                ));
            }
        }
        if (n + 1) % 25 == 0 {
            eprintln!("stable-names: {}/{} specs ({:.0?})", n + 1, specs.len(), started.elapsed());
        }
    }
    for line in &found {
        println!("{line}");
    }
    let rate = if variants == 0 { 100.0 } else { clean as f64 * 100.0 / variants as f64 };
    println!(
        "stable-names: {} specs ({unreadable} unreadable), {variants} variants, {clean} renamed nothing ({rate:.1}%), in {:.0?}",
        specs.len(),
        started.elapsed()
    );
    if clean < variants {
        return Err(format!("{} variant(s) renamed names of untouched items", variants - clean));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::process::Command;

    const SPEC: &str = "openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
";

    fn git(root: &Path, args: &[&str]) {
        let o = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(root)
            .output()
            .expect("git runs");
        assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    }

    /// The life of one uncommitted spec change in `generated/CHANGELOG.md`:
    /// written once, not repeated, replaced when the change changes, and
    /// dropped when the spec is back to what is committed.
    #[test]
    fn the_changelog_follows_an_uncommitted_spec_change() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("specs")).unwrap();
        std::fs::create_dir_all(root.join("generated")).unwrap();
        let spec = root.join("specs/pets.yaml");
        std::fs::write(&spec, SPEC).unwrap();
        git(root, &["init", "-q"]);
        git(root, &["add", "."]);
        git(root, &["commit", "-q", "-m", "pets"]);
        let log = || std::fs::read_to_string(root.join(super::CHANGELOG)).unwrap_or_default();

        assert!(super::changelog(root).unwrap().is_empty(), "nothing changed");
        assert_eq!(log(), "", "no file for no change");

        let v2 = SPEC
            .replace("operationId: listPets\n", "operationId: listPets\n      deprecated: true\n");
        std::fs::write(&spec, &v2).unwrap();
        assert_eq!(super::changelog(root).unwrap(), ["pets"]);
        let first = log();
        assert!(first.starts_with("# Changes of the generated crate\n"), "{first}");
        assert!(first.contains("<!-- pets: spec "), "{first}");
        assert!(first.trim_end().ends_with("suggested bump: patch"), "{first}");

        assert!(super::changelog(root).unwrap().is_empty(), "the same change is not diffed again");
        assert_eq!(log(), first);

        let v3 = v2.replace("type: string}}", "type: integer}}");
        std::fs::write(&spec, v3).unwrap();
        assert_eq!(super::changelog(root).unwrap(), ["pets"]);
        let replaced = log();
        assert_eq!(replaced.matches("<!-- pets: spec ").count(), 1, "{replaced}");
        assert!(replaced.contains("breaking"), "{replaced}");
        assert_ne!(replaced, first);

        std::fs::write(&spec, SPEC).unwrap();
        assert_eq!(super::changelog(root).unwrap(), ["pets"]);
        assert!(!log().contains("<!-- pets"), "the entry is dropped: {}", log());

        // Once committed, the change is history: the next edit adds an entry
        // above the old ones rather than replacing them.
        std::fs::write(&spec, &v2).unwrap();
        super::changelog(root).unwrap();
        git(root, &["commit", "-q", "-am", "v2"]);
        std::fs::write(&spec, v2.replace("listPets", "listAllPets")).unwrap();
        super::changelog(root).unwrap();
        assert_eq!(log().matches("<!-- pets: spec ").count(), 2, "{}", log());
    }
}

//! Witnesses: for each breaking Rust finding, a small program that compiles
//! against the old crate and must fail against the new one, as
//! cargo-semver-checks confirms its lints. A finding no witness confirms is
//! a bug of the diff (or of this file).
//!
//! The programs name the crate `api` and its module `module`, and are only
//! type-checked: arguments are `todo!()`s of the old types.

use super::surface::{Item, Kind, Member, Surface};
use super::{Axis, Finding, Severity};

/// The witness of `f`, if its check has one, as the body of a module that
/// has `use api::<module>::{types, Client}` and `use types::*` in scope.
pub fn witness(f: &Finding, old: &Surface) -> Option<String> {
    if f.axis != Axis::Rust || f.severity != Severity::Breaking {
        return None;
    }
    let rust = f.rust.as_deref()?;
    let item = item_at(old, f, rust)?;
    let ty = |t: &str| format!("types::{t}");
    match (f.id, &item.kind) {
        ("rust-fn-removed" | "rust-fn-renamed", Kind::Method { .. }) => {
            Some(format!("pub fn w() {{ let _ = Client::{}; }}", item.name()))
        }
        (
            "rust-fn-argument-added"
            | "rust-fn-argument-removed"
            | "rust-fn-arguments-reordered"
            | "rust-fn-argument-type-changed"
            | "rust-fn-arguments-changed",
            Kind::Method { args, .. },
        ) => Some(call(item.name(), args, "")),
        ("rust-setter-removed" | "rust-setter-changed", Kind::Method { args, setters, .. }) => {
            let setter = rust.rsplit('.').next()?;
            let s = setters.iter().find(|s| s.name == setter)?;
            Some(call(item.name(), args, &format!(".{}({{ let v: {} = todo!(); v }})", s.name, s.ty)))
        }
        ("rust-fn-answer-type-changed", Kind::Method { args, ok, .. }) => Some(format!(
            "pub async fn w(c: &Client) {{ {} let _: {ok} = c.{}({}).await.unwrap().into_body(); }}",
            lets(args),
            item.name(),
            names(args)
        )),
        ("rust-fn-error-type-changed", Kind::Method { args, err, .. }) => Some(format!(
            "pub async fn w(c: &Client) {{ {} let _: Option<api::runtime::Error<{err}>> = \
             c.{}({}).await.err(); }}",
            lets(args),
            item.name(),
            names(args)
        )),
        ("rust-pages-removed", Kind::Method { args, .. }) => Some(format!(
            "#[allow(unreachable_code, unused_variables)] pub fn w(c: &Client) {{ {} let _ = c.{}({}).items(); }}",
            lets(args),
            item.name(),
            names(args)
        )),
        ("rust-page-item-type-changed", Kind::Method { args, pages: Some(t), .. }) => Some(format!(
            "#[allow(unreachable_code, unused_variables)] pub async fn w(c: &Client) {{ {} \
             let _: Option<{t}> = c.{}({}).items().next().await.and_then(Result::ok); }}",
            lets(args),
            item.name(),
            names(args)
        )),
        ("rust-type-removed" | "rust-type-renamed", _) => {
            Some(format!("pub fn w(_: Option<{}>) {{}}", ty(item.name())))
        }
        ("rust-type-changed", Kind::Alias { target }) => {
            Some(format!("pub fn w(x: {}) -> {target} {{ x }}", ty(item.name())))
        }
        ("rust-field-removed" | "rust-field-renamed", _) => {
            let field = member(item, rust)?;
            Some(format!("pub fn w(x: &{}) {{ let _ = &x.{}; }}", ty(item.name()), field.name))
        }
        ("rust-field-type-changed", _) => {
            let field = member(item, rust)?;
            Some(format!("pub fn w(x: {}) -> {} {{ x.{} }}", ty(item.name()), field.ty, field.name))
        }
        ("rust-field-added-required", Kind::Struct { fields } | Kind::Headers { fields }) => {
            let required = fields.iter().filter(|f| f.required).count();
            Some(if required == 0 {
                format!("pub fn w() -> {} {{ Default::default() }}", ty(item.name()))
            } else {
                let args = vec!["todo!()"; required].join(", ");
                format!("#[allow(unreachable_code)] pub fn w() -> {0} {{ {0}::new({args}) }}", ty(item.name()))
            })
        }
        ("rust-variant-removed" | "rust-variant-renamed", _) => {
            let v = member(item, rust)?;
            Some(format!(
                "pub fn w(x: &{0}) -> bool {{ matches!(x, {0}::{1} {{ .. }}) }}",
                ty(item.name()),
                v.name
            ))
        }
        ("rust-variant-type-changed", _) => {
            let v = member(item, rust)?;
            Some(if v.ty.is_empty() {
                // A unit variant: its pattern fails once it holds something.
                format!("pub fn w(x: &{0}) -> bool {{ matches!(x, {0}::{1}) }}", ty(item.name()), v.name)
            } else {
                format!(
                    "pub fn w(x: {0}) -> Option<{2}> {{ match x {{ {0}::{1}(v) => Some(v), _ => None }} }}",
                    ty(item.name()),
                    v.name,
                    v.ty
                )
            })
        }
        ("rust-type-kind-changed", Kind::Struct { .. } | Kind::Headers { .. }) => {
            Some(format!("pub fn w(x: {0}) {{ let {0} {{ .. }} = x; }}", ty(item.name())))
        }
        ("rust-type-kind-changed", Kind::Enum { variants } | Kind::Union { variants } | Kind::Answers { variants }) => {
            let v = variants.first()?;
            Some(format!(
                "pub fn w(x: &{0}) -> bool {{ matches!(x, {0}::{1} {{ .. }}) }}",
                ty(item.name()),
                v.name
            ))
        }
        _ => None,
    }
}

/// The item a finding is about: the one at its Rust path, or its parent's.
fn item_at<'a>(old: &'a Surface, f: &Finding, rust: &str) -> Option<&'a Item> {
    let base = rust.split("().").next().unwrap_or(rust);
    let by_path = |p: &str| old.items.values().find(|i| i.path == p);
    by_path(base).or_else(|| by_path(base.rsplit_once("::")?.0)).filter(|_| f.old.is_some())
}

/// The member a path like `types::Pet::name` ends with.
fn member<'a>(item: &'a Item, rust: &str) -> Option<&'a Member> {
    let name = rust.rsplit("::").next()?;
    item.members().iter().find(|m| m.name == name)
}

/// `let a0: T0 = todo!();` per argument.
fn lets(args: &[Member]) -> String {
    args.iter().enumerate().map(|(i, a)| format!("let a{i}: {} = todo!();", a.ty)).collect()
}

fn names(args: &[Member]) -> String {
    (0..args.len()).map(|i| format!("a{i}")).collect::<Vec<_>>().join(", ")
}

/// A call of the method with arguments of the old types, then `tail`.
fn call(method: &str, args: &[Member], tail: &str) -> String {
    format!(
        "#[allow(unreachable_code, unused_variables)] pub async fn w(c: &Client) {{ {} let _ = c.{method}({}){tail}.await; }}",
        lets(args),
        names(args)
    )
}

/// The witnesses of a report's breaking Rust findings, as one source file:
/// a module `w<i>` per finding `i` that has one, with the lines it takes.
pub fn source(findings: &[Finding], old: &Surface, module: &str) -> (String, Vec<Placed>) {
    let mut out = String::from(
        "//! Witnesses of breaking changes: each module compiles against the old crate and\n\
         //! must not against the new.\n#![allow(unused, unreachable_code, clippy::all)]\n\n",
    );
    let mut placed = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        let Some(body) = witness(f, old) else { continue };
        // The module's own `crate::runtime` is `api::runtime` from here.
        let body = body.replace("crate::", "api::");
        let first = out.lines().count() + 1;
        out.push_str(&format!(
            "// {}: {}\nmod w{i} {{\n    use api::{module}::{{types, Client}};\n    use api::{module}::types::*;\n    use std::convert::Infallible;\n    {body}\n}}\n\n",
            f.id,
            f.rust.as_deref().unwrap_or("")
        ));
        placed.push(Placed { finding: i, lines: first..out.lines().count() + 1 });
    }
    (out, placed)
}

/// Where a finding's witness sits in the source.
#[derive(Debug, Clone)]
pub struct Placed {
    pub finding: usize,
    /// 1-based, end exclusive.
    pub lines: std::ops::Range<usize>,
}

/// The crates of the two documents (as `input::as_read` gives them), as
/// `work/old/api` and `work/new/api`: one crate name and one module name
/// (`api::api`), whatever the specs' files are called, so that tools that
/// compare two crates compare like with like.
pub fn write_crates(
    documents: [&serde_json::Value; 2],
    work: &std::path::Path,
) -> Result<(), String> {
    let io = |e: std::io::Error| e.to_string();
    for (side, document) in ["old", "new"].iter().zip(documents) {
        let dir = work.join(side);
        std::fs::create_dir_all(&dir).map_err(io)?;
        let spec = dir.join("api.json");
        let text = serde_json::to_string(document).map_err(|e| e.to_string())?;
        std::fs::write(&spec, text).map_err(io)?;
        let package =
            crate::config::Package { version: Some("1.0.0".into()), ..Default::default() };
        crate::Generator::new(&spec)
            .package(package)
            .write_crate(&dir.join("api"), crate::Mode::Write)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// What `confirm` found.
#[derive(Debug, Clone, Default)]
pub struct Confirmed {
    /// Breaking Rust findings with a witness that compiles against the old
    /// crate and fails against the new.
    pub confirmed: usize,
    /// Breaking Rust findings with no witness program.
    pub without: usize,
    /// Findings whose witness does not do what it should, and why: bugs.
    pub unconfirmed: Vec<(usize, String)>,
}

/// Builds the old and new crates of the two documents (as
/// `input::as_read` gives them) under `work`, type-checks the witnesses of
/// `findings` against each with `cargo check` (build files in `target`),
/// and marks each finding's `witness`.
pub fn confirm(
    findings: &mut [Finding],
    old: &Surface,
    documents: [&serde_json::Value; 2],
    work: &std::path::Path,
    target: &std::path::Path,
) -> Result<Confirmed, String> {
    use std::process::Command;
    let io = |e: std::io::Error| e.to_string();
    write_crates(documents, work)?;
    let (source, placed) = source(findings, old, "api");
    let krate = work.join("witness");
    std::fs::create_dir_all(krate.join("src")).map_err(io)?;
    std::fs::write(krate.join("src/lib.rs"), &source).map_err(io)?;
    // A removed Cargo feature's witness is a manifest, not a program: one
    // that enables it must resolve against the old crate and not the new.
    let features: Vec<(usize, String)> = findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.axis == Axis::Rust && f.id == "rust-feature-removed")
        .filter_map(|(i, f)| {
            let path = f.rust.as_deref()?;
            Some((i, path.strip_prefix("feature ")?.to_string()))
        })
        .collect();
    let without = findings
        .iter()
        .enumerate()
        .filter(|(i, f)| {
            f.axis == Axis::Rust
                && f.severity == Severity::Breaking
                && !placed.iter().any(|p| p.finding == *i)
                && !features.iter().any(|(j, _)| j == i)
        })
        .count();
    let mut result = Confirmed { without, ..Confirmed::default() };
    let mut failing: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
    for (k, side) in ["old", "new"].iter().enumerate() {
        let manifest = format!(
            "[package]\nname = \"witness\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\napi = {{ path = \"../{side}/api\" }}\n\
             chrono = {{ version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }}\n\
             uuid = {{ version = \"1\", default-features = false, features = [\"serde\", \"std\"] }}\n\
             serde_json = {{ version = \"1\", features = [\"float_roundtrip\", \"preserve_order\"] }}\n\n\
             [workspace]\n"
        );
        std::fs::write(krate.join("Cargo.toml"), manifest).map_err(io)?;
        let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["check", "--quiet", "--message-format", "json"])
            .arg("--target-dir")
            .arg(target)
            .current_dir(&krate)
            .env_remove("RUSTFLAGS")
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let mut lines_with_errors = Vec::new();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else { continue };
            if msg["reason"] != "compiler-message" || msg["message"]["level"] != "error" {
                continue;
            }
            for span in msg["message"]["spans"].as_array().into_iter().flatten() {
                if span["file_name"].as_str().is_some_and(|f| f.ends_with("lib.rs")) {
                    lines_with_errors.extend(span["line_start"].as_u64().map(|l| l as usize));
                }
            }
        }
        if !out.status.success() && lines_with_errors.is_empty() {
            return Err(format!(
                "cargo check of the witnesses against the {side} crate failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        failing[k] = placed
            .iter()
            .filter(|p| lines_with_errors.iter().any(|l| p.lines.contains(l)))
            .map(|p| p.finding)
            .collect();
    }
    for p in &placed {
        let (old_fails, new_fails) =
            (failing[0].contains(&p.finding), failing[1].contains(&p.finding));
        let failure = match (old_fails, new_fails) {
            (false, true) => None,
            (true, _) => Some("does not compile against the old crate"),
            (false, false) => Some("compiles against the new crate too"),
        };
        settle(&mut result, &mut findings[p.finding], p.finding, failure);
    }
    for (i, feature) in features {
        let resolves = |side: &str| -> Result<bool, String> {
            let dir = work.join(format!("feature-{side}"));
            std::fs::create_dir_all(dir.join("src")).map_err(io)?;
            std::fs::write(dir.join("src/lib.rs"), "").map_err(io)?;
            // The feature's name goes into a TOML string: escaped as one.
            let name = serde_json::to_string(&feature).map_err(|e| e.to_string())?;
            let manifest = format!(
                "[package]\nname = \"witness\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
                 publish = false\n\n[dependencies]\napi = {{ path = \"../{side}/api\", \
                 default-features = false, features = [{name}] }}\n\n[workspace]\n"
            );
            std::fs::write(dir.join("Cargo.toml"), manifest).map_err(io)?;
            let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .args(["metadata", "--quiet", "--format-version", "1"])
                .current_dir(&dir)
                .output()
                .map_err(|e| format!("cannot run cargo: {e}"))?;
            Ok(out.status.success())
        };
        let failure = match (resolves("old")?, resolves("new")?) {
            (true, false) => None,
            (false, _) => Some("the old crate has no such feature"),
            (true, true) => Some("the new crate has it too"),
        };
        settle(&mut result, &mut findings[i], i, failure);
    }
    Ok(result)
}

/// Records one witness's outcome: `None` when it held on the old crate and
/// failed on the new, or why it did not.
fn settle(result: &mut Confirmed, finding: &mut Finding, index: usize, failure: Option<&str>) {
    let status = match failure {
        None => {
            result.confirmed += 1;
            "confirmed".to_string()
        }
        Some(why) => {
            result.unconfirmed.push((index, why.to_string()));
            why.to_string()
        }
    };
    finding.witness = Some(status);
}

//! The Rust-source axis: what code written against the old module may now
//! fail to compile or do differently, from the two surfaces (never from
//! the text of the code).

use std::collections::HashMap;

use super::surface::{Item, Kind, Member, Surface};
use super::{Axis, Finding, Severity};

/// Every check of this axis, with its twin or why it has none (see
/// `wire::CHECKS`).
pub const CHECKS: &[(&str, &str)] = &[
    ("rust-fn-added", "rust-fn-removed"),
    ("rust-fn-removed", "rust-fn-added"),
    ("rust-fn-renamed", "a rename is its own inverse"),
    ("rust-fn-argument-added", "rust-fn-argument-removed"),
    ("rust-fn-argument-removed", "rust-fn-argument-added"),
    ("rust-fn-argument-type-changed", "a change is its own inverse"),
    ("rust-fn-arguments-reordered", "a change is its own inverse"),
    ("rust-fn-arguments-changed", "several of the above at once"),
    ("rust-setter-added", "rust-setter-removed"),
    ("rust-setter-removed", "rust-setter-added"),
    ("rust-setter-changed", "a change is its own inverse"),
    ("rust-fn-answer-type-changed", "rust-fn-error-type-changed"),
    ("rust-pages-added", "rust-pages-removed"),
    ("rust-pages-removed", "rust-pages-added"),
    ("rust-page-item-type-changed", "rust-fn-answer-type-changed"),
    ("rust-fn-error-type-changed", "rust-fn-answer-type-changed"),
    ("rust-type-added", "rust-type-removed"),
    ("rust-type-removed", "rust-type-added"),
    ("rust-type-renamed", "a rename is its own inverse"),
    ("rust-type-changed", "a change is its own inverse"),
    ("rust-type-kind-changed", "a change is its own inverse"),
    ("rust-field-added", "rust-field-removed"),
    ("rust-field-added-required", "rust-field-removed"),
    ("rust-field-removed", "rust-field-added"),
    ("rust-field-renamed", "a rename is its own inverse"),
    ("rust-field-type-changed", "rust-variant-type-changed"),
    ("rust-variant-added", "rust-variant-removed"),
    ("rust-variant-removed", "rust-variant-added"),
    ("rust-variant-renamed", "a rename is its own inverse"),
    ("rust-variant-type-changed", "rust-field-type-changed"),
    ("rust-variants-reordered", "a change is its own inverse"),
    ("rust-feature-added", "rust-feature-removed"),
    ("rust-feature-removed", "rust-feature-added"),
    ("rust-deprecated", "un-deprecating breaks nothing and is not reported"),
];

pub fn compare(old: &Surface, new: &Surface) -> Vec<Finding> {
    let mut out = Vec::new();
    let old_by_name = by_name(old);
    let new_by_name = by_name(new);
    let spelling = Spelling::of(new);
    // Items are matched by where they come from in the spec; one whose
    // place is gone is matched by its Rust path, which is what code names
    // (an operation moved to another path keeps its method).
    let unmatched_new: HashMap<&str, &Item> = new
        .items
        .iter()
        .filter(|(k, _)| !old.items.contains_key(*k))
        .map(|(_, b)| (b.path.as_str(), b))
        .collect();
    let mut moved: Vec<&str> = Vec::new();
    for (key, a) in &old.items {
        match new.items.get(key) {
            Some(b) => item(a, b, &old_by_name, &new_by_name, &spelling, &mut out),
            None => match unmatched_new.get(a.path.as_str()) {
                Some(b) => {
                    moved.push(b.key.as_str());
                    item(a, b, &old_by_name, &new_by_name, &spelling, &mut out);
                }
                None => out.push(removed(a)),
            },
        }
    }
    for (key, b) in &new.items {
        if !old.items.contains_key(key) && !moved.contains(&key.as_str()) {
            let (id, what) = added_id(b);
            out.push(finding(id, Severity::Safe, None, Some(b), &b.path, format!("new {what}")));
        }
    }
    out
}

/// Type names as the new module reads them: a name the old module used
/// may now be an alias of another (two identical inline schemas now share
/// one definition), and a member declared with the definition's name has
/// the same type as before.
struct Spelling<'a> {
    aliases: HashMap<&'a str, &'a str>,
}

impl<'a> Spelling<'a> {
    fn of(new: &'a Surface) -> Self {
        let aliases = new
            .items
            .values()
            .filter_map(|i| match &i.kind {
                Kind::Alias { target } => Some((i.name(), target.as_str())),
                _ => None,
            })
            .collect();
        Spelling { aliases }
    }

    /// Whether `x` and `y` spell the same type in the new module.
    fn same(&self, x: &str, y: &str) -> bool {
        x == y || self.canonical(x) == self.canonical(y)
    }

    /// Every type name that is an alias replaced by what it stands for.
    fn canonical(&self, ty: &str) -> String {
        let mut out = String::with_capacity(ty.len());
        let mut word = String::new();
        let flush = |word: &mut String, out: &mut String| {
            let mut name = word.strip_prefix("types::").unwrap_or(word).to_string();
            for _ in 0..8 {
                match self.aliases.get(name.as_str()) {
                    Some(target) => {
                        name = target.strip_prefix("types::").unwrap_or(target).to_string()
                    }
                    None => break,
                }
            }
            out.push_str(&name);
            word.clear();
        };
        for c in ty.chars() {
            if c.is_ascii_alphanumeric() || c == '_' || c == ':' {
                word.push(c);
            } else {
                flush(&mut word, &mut out);
                out.push(c);
            }
        }
        flush(&mut word, &mut out);
        out
    }
}

fn by_name(s: &Surface) -> HashMap<&str, &Item> {
    s.items.values().filter(|i| !is_fn(i)).map(|i| (i.name(), i)).collect()
}

fn is_fn(i: &Item) -> bool {
    matches!(i.kind, Kind::Method { .. })
}

fn finding(
    id: &'static str,
    severity: Severity,
    old: Option<&Item>,
    new: Option<&Item>,
    rust: &str,
    message: String,
) -> Finding {
    Finding {
        axis: Axis::Rust,
        id,
        severity,
        old: old.map(|i| i.pointer.clone()),
        new: new.map(|i| i.pointer.clone()),
        rust: Some(rust.to_string()),
        message,
        witness: None,
        operation: None,
    }
}

/// A member's finding points at the member: a property of a schema, a
/// value of an enum (the schema), a parameter or an answer (the operation).
fn at_member(mut f: Finding, a: &Item, b: &Item, wire: &str, property: bool) -> Finding {
    if property && !a.key.contains(' ') {
        let escaped = wire.replace('~', "~0").replace('/', "~1");
        // Where the member is not, the finding points at its schema.
        if !f.id.contains("-added") {
            f.old = Some(format!("{}/properties/{escaped}", a.pointer));
        }
        if !f.id.ends_with("-removed") {
            f.new = Some(format!("{}/properties/{escaped}", b.pointer));
        }
    }
    f
}

fn added_id(b: &Item) -> (&'static str, &'static str) {
    match b.kind {
        Kind::Method { .. } => ("rust-fn-added", "fn"),
        Kind::Feature => ("rust-feature-added", "Cargo feature"),
        _ => ("rust-type-added", "type"),
    }
}

fn removed(a: &Item) -> Finding {
    let (id, what, shown, message) = match a.kind {
        Kind::Method { .. } => ("rust-fn-removed", "fn", a.path.as_str(), ""),
        // Cargo refuses a `features = [...]` naming a feature that is gone.
        Kind::Feature => (
            "rust-feature-removed",
            "Cargo feature",
            a.path.trim_start_matches("feature "),
            ": a `Cargo.toml` that enables it no longer resolves (its tag is gone)",
        ),
        _ => ("rust-type-removed", "type", a.path.as_str(), ""),
    };
    finding(
        id,
        Severity::Breaking,
        Some(a),
        None,
        &a.path,
        format!("{what} `{shown}` removed{message}"),
    )
}

/// The item an alias stands for, followed through aliases (at most a few).
fn resolve<'a>(mut i: &'a Item, names: &HashMap<&str, &'a Item>) -> &'a Item {
    for _ in 0..8 {
        let target = match &i.kind {
            Kind::Alias { target } | Kind::AnswersAlias { target } => target,
            _ => break,
        };
        match names.get(target.as_str()) {
            Some(next) => i = next,
            None => break,
        }
    }
    i
}

fn item(
    a: &Item,
    b: &Item,
    old_names: &HashMap<&str, &Item>,
    new_names: &HashMap<&str, &Item>,
    spelling: &Spelling<'_>,
    out: &mut Vec<Finding>,
) {
    let fun = is_fn(a);
    if a.path != b.path {
        let id = if fun { "rust-fn-renamed" } else { "rust-type-renamed" };
        let message = format!("`{}` is now `{}`", a.path, b.path);
        out.push(finding(id, Severity::Breaking, Some(a), Some(b), &a.path, message));
        return;
    }
    if !a.deprecated && b.deprecated {
        let message = "now `#[deprecated]`: a warning where it is used".to_string();
        out.push(finding("rust-deprecated", Severity::Safe, Some(a), Some(b), &a.path, message));
    }
    // Aliases of one shared definition, the same in both: it is compared as
    // an item of its own (comparing it here too would say each change once
    // per alias). Otherwise compare what each stands for.
    let shared = |i: &Item, names: &HashMap<&str, &Item>| match &i.kind {
        Kind::Alias { target } | Kind::AnswersAlias { target } => {
            names.contains_key(target.as_str()).then(|| target.clone())
        }
        _ => None,
    };
    if let (Some(x), Some(y)) = (shared(a, old_names), shared(b, new_names)) {
        if x == y {
            return;
        }
    }
    let (ra, rb) = (resolve(a, old_names), resolve(b, new_names));
    match (&ra.kind, &rb.kind) {
        (Kind::Alias { target: x }, Kind::Alias { target: y }) if !spelling.same(x, y) => {
            let message = format!("`{}` was `{x}`, now `{y}`", a.path);
            out.push(finding(
                "rust-type-changed",
                Severity::Breaking,
                Some(a),
                Some(b),
                &a.path,
                message,
            ));
        }
        (Kind::Struct { fields: x }, Kind::Struct { fields: y })
        | (Kind::Headers { fields: x }, Kind::Headers { fields: y }) => {
            fields(a, b, x, y, ra.in_request || rb.in_request, spelling, out)
        }
        (Kind::Enum { variants: x }, Kind::Enum { variants: y }) => {
            variants(a, b, x, y, spelling, out);
            reordered(a, b, x, y, out)
        }
        (Kind::Union { variants: x }, Kind::Union { variants: y })
        | (Kind::Answers { variants: x }, Kind::Answers { variants: y }) => {
            variants(a, b, x, y, spelling, out)
        }
        (
            Kind::Method { args: x, setters: sx, ok: ox, err: ex, pages: px },
            Kind::Method { args: y, setters: sy, ok: oy, err: ey, pages: py },
        ) => {
            method(a, b, (x, sx, ox, ex), (y, sy, oy, ey), spelling, out);
            pages(a, b, px.as_deref(), py.as_deref(), spelling, out);
        }
        (x, y) if std::mem::discriminant(x) != std::mem::discriminant(y) => {
            let message = format!("`{}` was {}, now {}", a.path, kind_word(x), kind_word(y));
            out.push(finding(
                "rust-type-kind-changed",
                Severity::Breaking,
                Some(a),
                Some(b),
                &a.path,
                message,
            ));
        }
        _ => {}
    }
}

fn kind_word(k: &Kind) -> &'static str {
    match k {
        Kind::Struct { .. } => "a struct",
        Kind::Enum { .. } => "a string enum",
        Kind::Union { .. } => "a union enum",
        Kind::Alias { .. } | Kind::AnswersAlias { .. } => "an alias",
        Kind::Method { .. } => "a method",
        Kind::Answers { .. } => "an answer enum",
        Kind::Headers { .. } => "a headers struct",
        Kind::Params => "a parameters struct",
        Kind::Feature => "a Cargo feature",
    }
}

fn fields(
    a: &Item,
    b: &Item,
    x: &[Member],
    y: &[Member],
    built: bool,
    spelling: &Spelling<'_>,
    out: &mut Vec<Finding>,
) {
    let mut found = Vec::new();
    fields_in(a, b, x, y, built, spelling, &mut found);
    out.extend(found.into_iter().map(|(f, wire)| at_member(f, a, b, &wire, true)));
}

fn fields_in(
    a: &Item,
    b: &Item,
    x: &[Member],
    y: &[Member],
    built: bool,
    spelling: &Spelling<'_>,
    out: &mut Vec<(Finding, String)>,
) {
    let mut push = |id, severity, path: &str, message: String, wire: &str| {
        out.push((finding(id, severity, Some(a), Some(b), path, message), wire.to_string()));
    };
    for f in x {
        let path = format!("{}::{}", a.path, f.name);
        let w = f.wire.as_str();
        match y.iter().find(|g| g.wire == f.wire) {
            None => {
                let m = format!("field `{}` (`{w}`) removed", f.name);
                push("rust-field-removed", Severity::Breaking, &path, m, w)
            }
            Some(g) if g.name != f.name => {
                let m = format!("field `{}` is now `{}`", f.name, g.name);
                push("rust-field-renamed", Severity::Breaking, &path, m, w)
            }
            Some(g) if !spelling.same(&g.ty, &f.ty) => {
                let m = format!("field `{}` was `{}`, now `{}`", f.name, f.ty, g.ty);
                push("rust-field-type-changed", Severity::Breaking, &path, m, w)
            }
            Some(g) if !f.deprecated && g.deprecated => {
                let m = format!("field `{}` now `#[deprecated]`", f.name);
                push("rust-deprecated", Severity::Safe, &path, m, w)
            }
            Some(_) => {}
        }
    }
    for g in y.iter().filter(|g| !x.iter().any(|f| f.wire == g.wire)) {
        let path = format!("{}::{}", b.path, g.name);
        if g.required {
            // `new` takes it: code that built the type no longer compiles.
            let severity = if built { Severity::Breaking } else { Severity::MayBreak };
            let m = format!(
                "new required field `{}`: `new` takes one more argument{}",
                g.name,
                if built {
                    ""
                } else {
                    " (a response type: only code that builds it, e.g. in tests)"
                }
            );
            push("rust-field-added-required", severity, &path, m, &g.wire);
        } else {
            let m = format!("new optional field `{}` (the struct is `#[non_exhaustive]`)", g.name);
            push("rust-field-added", Severity::Safe, &path, m, &g.wire);
        }
    }
}

fn variants(
    a: &Item,
    b: &Item,
    x: &[Member],
    y: &[Member],
    spelling: &Spelling<'_>,
    out: &mut Vec<Finding>,
) {
    for v in x {
        let path = format!("{}::{}", a.path, v.name);
        let changed = match y.iter().find(|w| w.wire == v.wire) {
            None => Some((
                "rust-variant-removed",
                format!("variant `{}` (`{}`) removed", v.name, v.wire),
            )),
            Some(w) if w.name != v.name => {
                Some(("rust-variant-renamed", format!("variant `{}` is now `{}`", v.name, w.name)))
            }
            Some(w) if !spelling.same(&w.ty, &v.ty) => Some((
                "rust-variant-type-changed",
                format!("variant `{}` held `{}`, now `{}`", v.name, v.ty, w.ty),
            )),
            Some(_) => None,
        };
        if let Some((id, message)) = changed {
            out.push(finding(id, Severity::Breaking, Some(a), Some(b), &path, message));
        }
    }
    for w in y.iter().filter(|w| !x.iter().any(|v| v.wire == w.wire)) {
        let path = format!("{}::{}", b.path, w.name);
        let message = format!("new variant `{}` (the enum is `#[non_exhaustive]`)", w.name);
        out.push(finding("rust-variant-added", Severity::Safe, Some(a), Some(b), &path, message));
    }
}

/// String enums derive `Ord` in the order of the spec's values, so a
/// reordered `enum` changes what sorting and comparing kept values do. A
/// value added or removed moves only the catch-all `Other` (which
/// cargo-semver-checks reports as a reorder), and no comparison between
/// values both versions name changes.
fn reordered(a: &Item, b: &Item, x: &[Member], y: &[Member], out: &mut Vec<Finding>) {
    let kept = |from: &[Member], other: &[Member]| -> Vec<String> {
        from.iter()
            .filter(|v| other.iter().any(|w| w.wire == v.wire))
            .map(|v| v.wire.clone())
            .collect()
    };
    let (before, after) = (kept(x, y), kept(y, x));
    if before != after {
        let message = format!(
            "values compare in a new order (`Ord`): `{}` was `{}`",
            after.join(" < "),
            before.join(" < ")
        );
        out.push(finding(
            "rust-variants-reordered",
            Severity::MayBreak,
            Some(a),
            Some(b),
            &b.path,
            message,
        ));
    }
}

/// A call's `.pages()` and `.items()`, there while the spec says how the
/// operation pages (or `x-pagination` does).
fn pages(
    a: &Item,
    b: &Item,
    x: Option<&str>,
    y: Option<&str>,
    spelling: &Spelling<'_>,
    out: &mut Vec<Finding>,
) {
    let (id, severity, message) = match (x, y) {
        (Some(_), None) => (
            "rust-pages-removed",
            Severity::Breaking,
            "`.pages()` and `.items()` removed from its call: the spec no longer says how it \
             pages"
                .to_string(),
        ),
        (None, Some(t)) => (
            "rust-pages-added",
            Severity::Safe,
            format!("its call now pages: `.pages()`, and `.items()` of `{t}`"),
        ),
        (Some(s), Some(t)) if !spelling.same(s, t) => (
            "rust-page-item-type-changed",
            Severity::Breaking,
            format!("`.items()` yielded `{s}`, now `{t}`"),
        ),
        _ => return,
    };
    out.push(finding(id, severity, Some(a), Some(b), &format!("{}().items", a.path), message));
}

type Signature<'a> = (&'a [Member], &'a [Member], &'a String, &'a String);

fn method(
    a: &Item,
    b: &Item,
    x: Signature<'_>,
    y: Signature<'_>,
    spelling: &Spelling<'_>,
    out: &mut Vec<Finding>,
) {
    let (args_a, set_a, ok_a, err_a) = x;
    let (args_b, set_b, ok_b, err_b) = y;
    let mut f = |id, severity, rust: String, message| {
        out.push(finding(id, severity, Some(a), Some(b), &rust, message));
    };
    let show = |m: &[Member]| {
        m.iter().map(|m| format!("{}: {}", m.name, m.ty)).collect::<Vec<_>>().join(", ")
    };
    // Arguments are positional: what a call depends on is their number,
    // order and types, not their names.
    let types = |m: &[Member]| m.iter().map(|m| spelling.canonical(&m.ty)).collect::<Vec<_>>();
    let (ta, tb) = (types(args_a), types(args_b));
    if ta != tb {
        let mut sorted = (ta.clone(), tb.clone());
        sorted.0.sort();
        sorted.1.sort();
        let id = if ta.len() < tb.len() && tb.starts_with(&ta) {
            "rust-fn-argument-added"
        } else if ta.len() > tb.len() && ta.starts_with(&tb) {
            "rust-fn-argument-removed"
        } else if ta.len() == tb.len() && sorted.0 == sorted.1 {
            "rust-fn-arguments-reordered"
        } else if ta.len() == tb.len() {
            "rust-fn-argument-type-changed"
        } else {
            "rust-fn-arguments-changed"
        };
        f(
            id,
            Severity::Breaking,
            a.path.clone(),
            format!("arguments were `({})`, now `({})`", show(args_a), show(args_b)),
        );
    }
    for s in set_a {
        let path = format!("{}().{}", a.path, s.name);
        match set_b.iter().find(|t| t.wire == s.wire) {
            None => f(
                "rust-setter-removed",
                Severity::Breaking,
                path,
                format!("optional parameter `{}` removed with its setter `.{}()`", s.wire, s.name),
            ),
            Some(t) if t.name != s.name || !spelling.same(&t.ty, &s.ty) => f(
                "rust-setter-changed",
                Severity::Breaking,
                path,
                format!("setter `.{}({})` is now `.{}({})`", s.name, s.ty, t.name, t.ty),
            ),
            Some(t) if !s.deprecated && t.deprecated => f(
                "rust-deprecated",
                Severity::Safe,
                path,
                format!("setter `.{}()` now `#[deprecated]`", s.name),
            ),
            Some(_) => {}
        }
    }
    for t in set_b.iter().filter(|t| !set_a.iter().any(|s| s.wire == t.wire)) {
        f(
            "rust-setter-added",
            Severity::Safe,
            format!("{}().{}", b.path, t.name),
            format!("new optional parameter `{}`, set with `.{}()`", t.wire, t.name),
        );
    }
    if !spelling.same(ok_a, ok_b) {
        f(
            "rust-fn-answer-type-changed",
            Severity::Breaking,
            a.path.clone(),
            format!("answers `{ok_a}`, now `{ok_b}`"),
        );
    }
    if !spelling.same(err_a, err_b) {
        f(
            "rust-fn-error-type-changed",
            Severity::Breaking,
            a.path.clone(),
            format!("its error type was `{err_a}`, now `{err_b}`"),
        );
    }
}

//! Identifier hygiene, all in one place: every Rust identifier the generator
//! writes is minted here from spec text. Output is always a valid, lint-clean
//! identifier, whatever the input: keywords become raw identifiers (or get a
//! `_` suffix where Rust forbids raw ones), leading digits get a prefix, and
//! anything outside ASCII letters and digits separates words.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Strict, reserved and edition-dependent keywords (2015-2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Only ASCII letters and digits survive; the rest become word breaks, so
/// `microsoft.graph.user` and `x-auth-key` split into words.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c == '+' && chars.peek().is_some_and(|n| n.is_ascii_digit()) {
            out.push_str(" plus ");
        } else if c == '-' && out.is_empty() && chars.peek().is_some_and(|n| n.is_ascii_digit()) {
            out.push_str("minus ");
        } else {
            out.push(' ');
        }
    }
    out
}

fn fix_keyword(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if is_keyword(&s) {
        format!("r#{s}")
    } else {
        s
    }
}

/// `snake_case` for fields, methods, parameters and modules.
pub fn snake(raw: &str, fallback: &str) -> String {
    let mut s = words(raw).to_snake_case();
    if s.is_empty() {
        s = fallback.to_string();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    fix_keyword(s)
}

/// `UpperCamelCase` for types and variants; `prefix` goes before a leading digit.
pub fn camel(raw: &str, fallback: &str, prefix: &str) -> String {
    let mut s = words(raw).to_upper_camel_case();
    if s.is_empty() {
        s = fallback.to_string();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, prefix);
    }
    fix_keyword(s)
}

/// Joins the parts of a place (`["getFoo", "Response", "_meta"]`) into one
/// type name, `GetFooResponseMeta`.
pub fn camel_path(parts: &[String]) -> String {
    // One conversion over all parts, so `put /a/{b}` + `Response` reads the
    // same as `put /a/{b}` alone plus a suffix.
    camel(&parts.join(" "), "Type", "T")
}

/// The identifier without a raw prefix, for building derived names.
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Hands out identifiers unique within one namespace. Collisions get a
/// numeric suffix in the order names are asked for, so the result depends
/// only on the (already deterministic) order of the model.
#[derive(Default)]
pub struct Namespace {
    taken: std::collections::HashSet<String>,
    /// Per base and separator, the suffix to try first: every smaller one is
    /// taken (names are never given back), so 50,000 names that collide
    /// cost a lookup each rather than a search from 2 each (95 s).
    next: std::collections::HashMap<(String, String), u64>,
}

impl Namespace {
    pub fn reserve(&mut self, ident: &str) {
        self.taken.insert(bare(ident).to_string());
    }

    pub fn is_taken(&self, ident: &str) -> bool {
        self.taken.contains(bare(ident))
    }

    /// `ident` if free, else `ident` + `sep` + 2, 3, ...
    pub fn claim(&mut self, ident: String, sep: &str) -> String {
        if self.taken.insert(bare(&ident).to_string()) {
            return ident;
        }
        // `self_` + 2 is `self_2`, not `self__2`; `Self_` + 2 is `Self2`.
        let base = bare(&ident).trim_end_matches('_').to_string();
        let next = self.next.entry((base.clone(), sep.to_string())).or_insert(2);
        loop {
            let candidate = format!("{base}{sep}{next}");
            *next += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyword_is_made_usable() {
        for kw in KEYWORDS {
            let s = snake(kw, "x");
            if NOT_RAW.contains(kw) || kw.chars().next().unwrap().is_uppercase() {
                assert!(!is_keyword(bare(&s)) || s.starts_with("r#"), "{kw} -> {s}");
            } else {
                assert_eq!(s, format!("r#{kw}"), "{kw}");
            }
            syn::parse_str::<syn::Ident>(&s).unwrap_or_else(|e| panic!("{kw} -> {s}: {e}"));
        }
        assert_eq!(snake("self", "x"), "self_");
        assert_eq!(camel("Self", "X", "T"), "Self_");
        assert_eq!(snake("crate", "x"), "crate_");
        assert_eq!(snake("super", "x"), "super_");
    }

    #[test]
    fn odd_names() {
        assert_eq!(snake("_meta", "x"), "meta");
        assert_eq!(snake("x-auth-key", "x"), "x_auth_key");
        assert_eq!(snake("2fa", "x"), "_2fa");
        assert_eq!(snake("", "field"), "field");
        assert_eq!(snake("日本", "field"), "field");
        assert_eq!(camel("microsoft.graph.user", "T", "T"), "MicrosoftGraphUser");
        assert_eq!(camel("3d", "T", "V"), "V3d");
        assert_eq!(camel("IN_PROGRESS", "T", "V"), "InProgress");
        assert_eq!(camel("+1", "T", "V"), "Plus1");
        assert_eq!(camel("-1", "T", "V"), "Minus1");
        assert_eq!(
            camel_path(&["getDataExportStatus".into(), "Response".into(), "_meta".into()]),
            "GetDataExportStatusResponseMeta"
        );
    }

    #[test]
    fn collisions_get_suffixes_in_order() {
        let mut ns = Namespace::default();
        assert_eq!(ns.claim("Foo".into(), ""), "Foo");
        assert_eq!(ns.claim("Foo".into(), ""), "Foo2");
        assert_eq!(ns.claim("Foo".into(), ""), "Foo3");
        assert_eq!(ns.claim("r#type".into(), "_"), "r#type");
        assert_eq!(ns.claim("r#type".into(), "_"), "type_2");
        assert_eq!(ns.claim("self_".into(), "_"), "self_");
        assert_eq!(ns.claim("self_".into(), "_"), "self_2");
        assert_eq!(ns.claim("Self_".into(), ""), "Self_");
        assert_eq!(ns.claim("Self_".into(), ""), "Self2");
    }
}

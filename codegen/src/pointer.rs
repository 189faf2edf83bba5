//! JSON pointers (RFC 6901) in URI-fragment form, built while walking the
//! document so that every error can say exactly where it is.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Pointer(String);

impl Pointer {
    pub fn root() -> Self {
        Pointer(String::new())
    }

    /// Parses the fragment of a local `$ref` (`#/components/schemas/Foo`).
    /// A fragment is a URI fragment, so it may be percent-encoded
    /// (`#/paths/~1jobs~1%7Bid%7D`; RFC 6901, section 6).
    pub fn from_fragment(fragment: &str) -> Option<Self> {
        let rest = fragment.strip_prefix('#')?;
        let rest = percent_encoding::percent_decode_str(rest).decode_utf8().ok()?;
        if rest.is_empty() || rest.starts_with('/') {
            Some(Pointer(rest.into_owned()))
        } else {
            None
        }
    }

    /// A child pointer; `segment` is a raw key, escaped here.
    pub fn push(&self, segment: impl AsRef<str>) -> Self {
        // Lowering makes one per schema and property it visits: one
        // allocation each, the segment escaped only if it needs it.
        let seg = segment.as_ref();
        let mut out = String::with_capacity(self.0.len() + 1 + seg.len());
        out.push_str(&self.0);
        out.push('/');
        if seg.contains(['~', '/']) {
            for c in seg.chars() {
                match c {
                    '~' => out.push_str("~0"),
                    '/' => out.push_str("~1"),
                    c => out.push(c),
                }
            }
        } else {
            out.push_str(seg);
        }
        Pointer(out)
    }

    /// Whether this is `outer` or a pointer inside it.
    pub fn is_within(&self, outer: &Pointer) -> bool {
        self.0 == outer.0
            || self.0.strip_prefix(outer.0.as_str()).is_some_and(|rest| rest.starts_with('/'))
    }

    pub fn index(&self, i: usize) -> Self {
        use std::fmt::Write;
        let mut out = String::with_capacity(self.0.len() + 8);
        out.push_str(&self.0);
        let _ = write!(out, "/{i}");
        Pointer(out)
    }

    /// The unescaped segments, for walking a `serde_json::Value`.
    pub fn segments(&self) -> impl Iterator<Item = String> + '_ {
        self.0.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~"))
    }

    /// The pointer as `serde_json::Value::pointer` wants it (no leading `#`).
    pub fn as_json_pointer(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_slashes_and_tildes() {
        let p = Pointer::root().push("paths").push("/exports/{id}").push("get").push("a~b");
        assert_eq!(p.to_string(), "#/paths/~1exports~1{id}/get/a~0b");
        let segs: Vec<_> = p.segments().collect();
        assert_eq!(segs, ["paths", "/exports/{id}", "get", "a~b"]);
    }

    #[test]
    fn parses_ref_fragments() {
        assert_eq!(
            Pointer::from_fragment("#/components/schemas/A").unwrap(),
            Pointer::root().push("components").push("schemas").push("A")
        );
        assert!(Pointer::from_fragment("other.yaml#/x").is_none());
        assert_eq!(
            Pointer::from_fragment("#/paths/~1jobs~1%7Bid%7D").unwrap(),
            Pointer::root().push("paths").push("/jobs/{id}")
        );
    }
}

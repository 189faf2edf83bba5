//! Every failure of the pipeline is a value that says which file, where in it
//! (a JSON pointer), what is wrong, and what is supported instead.

use std::fmt;
use std::path::PathBuf;

use crate::pointer::Pointer;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file could not be read.
    Io,
    /// The file is not well-formed YAML or JSON.
    Syntax,
    /// The document is well-formed but not a valid OpenAPI 3.0 document.
    Invalid,
    /// A `$ref` points nowhere, or somewhere that is not the expected kind of object.
    Reference,
    /// Valid OpenAPI that this generator does not (yet) turn into Rust.
    Unsupported { feature: String },
    /// Writing the output, or `--check` found it stale.
    Output,
    /// The user's settings (`NAME.codegen.toml`, or a flag) are not valid.
    Config,
}

/// Boxed so that `Result`s stay one pointer wide on the happy path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<Details>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    pub kind: ErrorKind,
    pub file: PathBuf,
    /// Where in the document; `#` for the whole document.
    pub pointer: Pointer,
    pub message: String,
    /// What the generator accepts instead, when that helps the reader fix the spec.
    pub supported: Option<String>,
    /// Line and column, for syntax errors that have them.
    pub location: Option<(usize, usize)>,
}

impl std::ops::Deref for Error {
    type Target = Details;

    fn deref(&self) -> &Details {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut Details {
        &mut self.0
    }
}

/// The longest quoted value a message repeats whole. Messages quote values
/// they could not read (serde's `invalid type: string "..."`), and a value can
/// be a whole file: a message says what is wrong, it does not copy the input.
const QUOTED_MAX: usize = 80;

/// `message` with every quoted run (`"..."`, `` `...` ``) longer than
/// `QUOTED_MAX` cut to its start and the count of what was left out.
fn excerpt(message: String) -> String {
    if message.len() <= QUOTED_MAX {
        return message;
    }
    let mut out = String::with_capacity(message.len().min(1024));
    let mut rest = message.as_str();
    while let Some(open) = rest.find(['"', '`']) {
        let quote = rest.as_bytes()[open] as char;
        let Some(len) = rest[open + 1..].find(quote) else { break };
        let inner = &rest[open + 1..open + 1 + len];
        out.push_str(&rest[..=open]);
        if inner.chars().count() > QUOTED_MAX {
            let kept: String = inner.chars().take(QUOTED_MAX / 2).collect();
            let left = inner.chars().count() - QUOTED_MAX / 2;
            out.push_str(&format!("{kept}... ({left} more characters)"));
        } else {
            out.push_str(inner);
        }
        out.push(quote);
        rest = &rest[open + len + 2..];
    }
    out.push_str(rest);
    if out.len() > MESSAGE_MAX {
        let cut = (0..=MESSAGE_MAX).rev().find(|&i| out.is_char_boundary(i)).unwrap_or(0);
        let left = out[cut..].chars().count();
        out.truncate(cut);
        out.push_str(&format!("... ({left} more characters)"));
    }
    out
}

/// The longest message kept whole (a list of what a spec has may be long).
const MESSAGE_MAX: usize = 4096;

impl Error {
    pub fn new(kind: ErrorKind, pointer: &Pointer, message: impl Into<String>) -> Self {
        Error(Box::new(Details {
            kind,
            file: PathBuf::new(),
            pointer: pointer.clone(),
            message: excerpt(message.into()),
            supported: None,
            location: None,
        }))
    }

    pub fn invalid(pointer: &Pointer, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, pointer, message)
    }

    pub fn unsupported(
        pointer: &Pointer,
        feature: impl Into<String>,
        supported: impl Into<String>,
    ) -> Self {
        let feature = feature.into();
        let mut e = Self::new(
            ErrorKind::Unsupported { feature: feature.clone() },
            pointer,
            format!("{feature} is not supported"),
        );
        e.supported = Some(supported.into());
        e
    }

    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = excerpt(message.into());
        self
    }

    pub fn with_pointer(mut self, pointer: Pointer) -> Self {
        self.pointer = pointer;
        self
    }

    pub fn with_supported(mut self, supported: impl Into<String>) -> Self {
        self.supported = Some(supported.into());
        self
    }

    /// Errors are raised deep in the pipeline where the file is not known;
    /// the entry point stamps it on.
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        if self.file.as_os_str().is_empty() {
            self.file = file.into();
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = if self.file.as_os_str().is_empty() {
            "<spec>".to_string()
        } else {
            self.file.display().to_string()
        };
        write!(f, "{file}")?;
        if let Some((line, col)) = self.location {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": {}: {}", self.pointer, self.message)?;
        if let Some(s) = &self.supported {
            write!(f, " (supported: {s})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_quoted_values_are_cut_and_short_ones_kept() {
        let file = "root:x:0:0:root:/root:/bin/bash\n".repeat(40);
        let e = Error::invalid(
            &Pointer::root(),
            format!("invalid type: string \"{file}\", expected `a schema`"),
        );
        assert!(e.message.len() < 200, "{}", e.message);
        assert!(
            e.message.starts_with("invalid type: string \"root:x:0:0:root:/root:/bin/bash"),
            "{}",
            e.message
        );
        assert!(e.message.ends_with("more characters)\", expected `a schema`"), "{}", e.message);
        let short = "`pets.yaml` has no \"Pet\" in it, and the message is longer than eighty characters in all";
        assert_eq!(Error::invalid(&Pointer::root(), short).message, short);
        // An unpaired quote ends nothing.
        let odd = format!("it says \"{}", "x".repeat(200));
        assert_eq!(Error::invalid(&Pointer::root(), odd.clone()).message, odd);
        let long = format!("it says \"{}", "x".repeat(100_000));
        assert!(Error::invalid(&Pointer::root(), long).message.len() < MESSAGE_MAX + 40);
    }
}

/// The words for defects that more than one reader finds (the YAML and JSON
/// parser, the bundler, the loader, the resolver), so that each is said alike
/// wherever it is caught.
pub(crate) mod says {
    use std::fmt::Display;

    pub fn ref_not_string(value: &dyn Display) -> String {
        format!("`$ref` must be a string, not `{value}`")
    }

    pub fn duplicate_key(key: &str, at: &dyn Display) -> String {
        format!("duplicate key `{key}` at {at}")
    }

    /// What a value is, for "expected a map, found a string".
    pub fn kind_of(v: &serde_json::Value) -> &'static str {
        use serde_json::Value;
        match v {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "a sequence",
            Value::Object(_) => "a map",
        }
    }

    pub fn not_a_status(key: &str) -> String {
        format!("`{key}` is not a status code, a range like `4XX`, or `default`")
    }
}

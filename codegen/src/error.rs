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

impl Error {
    pub fn new(kind: ErrorKind, pointer: &Pointer, message: impl Into<String>) -> Self {
        Error(Box::new(Details {
            kind,
            file: PathBuf::new(),
            pointer: pointer.clone(),
            message: message.into(),
            supported: None,
            location: None,
        }))
    }

    pub fn invalid(pointer: &Pointer, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, pointer, message)
    }

    pub fn unsupported(pointer: &Pointer, feature: impl Into<String>, supported: impl Into<String>) -> Self {
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
        self.message = message.into();
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

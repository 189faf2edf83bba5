//! The user's settings for one spec: `NAME.codegen.toml` beside the spec
//! (kept in the user's repository, so every regeneration reads the same),
//! with flags of the command line on top for one run.
//!
//! ```toml
//! # Derives added to every struct and enum codegen writes (top-level keys
//! # go before the first table).
//! derives = ["Eq"]
//!
//! # The [package] of a standalone crate (`--out`); Cargo's own keys.
//! [package]
//! name = "vantage-client"
//! version = "1.4.0"
//! license = "MIT"
//! description = "Vantage's data-export API"
//! edition = "2021"
//! rust-version = "1.82"
//!
//! # Per component schema (its name under `#/components/schemas`):
//! [types.Money]
//! replace = "rust_decimal::Decimal"   # the user's own type, used in its place
//! [types.Pet]
//! derives = ["Hash"]
//! ```
//!
//! Everything here is checked when it is read: a name Cargo would refuse,
//! a Rust path that does not parse, a type the spec does not have are
//! errors that say which key, not a crate that fails to build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, ErrorKind, Result};
use crate::pointer::Pointer;

/// The oldest Rust that builds a generated crate. The runtime's own code
/// needs 1.82 (`Option::is_none_or`); clippy's `incompatible_msrv` lint
/// holds it to that, since every generated manifest declares it.
pub const MSRV: &str = "1.82";

/// The editions a generated crate compiles under (both are tested: the
/// workspace's two generated crates use one each).
pub const EDITIONS: [&str; 2] = ["2021", "2024"];

/// The oldest Rust for a crate of `edition`: edition 2024 came with 1.85.
pub fn msrv_for(edition: &str) -> &'static str {
    if edition == "2024" {
        "1.85"
    } else {
        MSRV
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub package: Package,
    /// Derives added to every struct and string enum.
    #[serde(default)]
    pub derives: Vec<String>,
    /// Per component schema, by its name in the spec.
    #[serde(default)]
    pub types: BTreeMap<String, TypeSettings>,
    /// The module is one file for `include!` in a crate of the user's,
    /// which declares no tag features: nothing is gated by them. Set by
    /// `Generator::single_file`, never by the settings file.
    #[serde(skip)]
    pub single_file: bool,
}

/// Cargo's `[package]` keys a user sets; what is not set has a default.
/// The same keys are the command line's flags (`--crate-name`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Package {
    /// The crate's name [default: the --out folder's name].
    #[cfg_attr(feature = "cli", arg(long = "crate-name", value_name = "NAME"))]
    pub name: Option<String>,
    /// The crate's version [default: 0.1.0].
    #[cfg_attr(
        feature = "cli",
        arg(long = "crate-version", id = "crate_version", value_name = "SEMVER")
    )]
    pub version: Option<String>,
    /// An SPDX license expression for the crate.
    #[cfg_attr(feature = "cli", arg(long, value_name = "SPDX"))]
    pub license: Option<String>,
    /// A one-line description of the crate.
    #[cfg_attr(feature = "cli", arg(long, value_name = "TEXT"))]
    pub description: Option<String>,
    /// Where the crate's source is kept.
    #[cfg_attr(feature = "cli", arg(long, value_name = "URL"))]
    pub repository: Option<String>,
    /// 2021 or 2024 [default: 2021].
    #[cfg_attr(feature = "cli", arg(long, value_name = "YEAR"))]
    pub edition: Option<String>,
    /// The Rust the crate declares it needs [default and oldest: 1.82].
    #[cfg_attr(feature = "cli", arg(long, value_name = "VERSION"))]
    pub rust_version: Option<String>,
    /// Off unless asked: a generated crate is not published by accident.
    #[cfg_attr(feature = "cli", arg(long, value_name = "BOOL"))]
    pub publish: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeSettings {
    /// A Rust type used wherever the schema is, instead of generating it.
    pub replace: Option<String>,
    /// Derives added to the generated type.
    #[serde(default)]
    pub derives: Vec<String>,
}

/// The settings file beside a spec: `pets.yaml` → `pets.codegen.toml`.
pub fn beside(spec: &Path) -> PathBuf {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
    spec.with_file_name(format!("{stem}.codegen.toml"))
}

/// The settings for `spec`: its file if there is one, else the defaults.
pub fn for_spec(spec: &Path) -> Result<Config> {
    let file = beside(spec);
    if !file.is_file() {
        return Ok(Config::default());
    }
    read(&file)
}

/// The longest settings file read (a settings file is a few lines).
const MAX_BYTES: u64 = 1 << 20;

pub fn read(file: &Path) -> Result<Config> {
    let io = |e: String| Error::new(ErrorKind::Io, &Pointer::root(), e).in_file(file);
    let len = std::fs::metadata(file).map_err(|e| io(format!("cannot read file: {e}")))?.len();
    if len > MAX_BYTES {
        return Err(io(format!("a settings file of {len} bytes is larger than {MAX_BYTES}")));
    }
    let text = std::fs::read_to_string(file).map_err(|e| io(format!("cannot read file: {e}")))?;
    parse(&text).map_err(|e| e.in_file(file))
}

pub fn parse(text: &str) -> Result<Config> {
    let config: Config = toml::from_str(text).map_err(|e| {
        let mut err = config_error(&Pointer::root(), e.message().to_string());
        if let Some(span) = e.span() {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            err.location = Some((line, 1));
        }
        err
    })?;
    config.check()?;
    Ok(config)
}

fn config_error(at: &Pointer, message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Config, at, message)
}

impl Config {
    /// Every value is one Cargo and rustc accept (the file is checked when
    /// read; settings merged from flags are checked again).
    pub fn check(&self) -> Result<()> {
        let package = Pointer::root().push("package");
        let p = &self.package;
        if let Some(name) = &p.name {
            check_crate_name(name).map_err(|e| e.with_pointer(package.push("name")))?;
        }
        if let Some(version) = &p.version {
            semver::Version::parse(version).map_err(|e| {
                config_error(&package.push("version"), format!("`{version}` is not a version: {e}"))
                    .with_supported("a semantic version, such as `1.4.0` or `0.2.0-beta.1`")
            })?;
        }
        if let Some(edition) = &p.edition {
            if !EDITIONS.contains(&edition.as_str()) {
                return Err(config_error(
                    &package.push("edition"),
                    format!("generated code is not tested under edition `{edition}`"),
                )
                .with_supported(format!("one of {}", EDITIONS.join(", "))));
            }
        }
        if let Some(rust) = &p.rust_version {
            let edition = p.edition.as_deref().unwrap_or("2021");
            check_rust_version(rust, edition)
                .map_err(|e| e.with_pointer(package.push("rust-version")))?;
        }
        for (key, value) in [
            ("license", &p.license),
            ("description", &p.description),
            ("repository", &p.repository),
        ] {
            if value.as_deref().is_some_and(|v| v.chars().any(|c| c.is_control() && c != '\n')) {
                return Err(config_error(&package.push(key), "control characters are not allowed"));
            }
        }
        let derives = Pointer::root().push("derives");
        for (i, d) in self.derives.iter().enumerate() {
            check_path(d).map_err(|e| e.with_pointer(derives.index(i)))?;
        }
        for (name, settings) in &self.types {
            let at = Pointer::root().push("types").push(name);
            if let Some(replace) = &settings.replace {
                check_type(replace).map_err(|e| e.with_pointer(at.push("replace")))?;
            }
            for (i, d) in settings.derives.iter().enumerate() {
                check_path(d).map_err(|e| e.with_pointer(at.push("derives").index(i)))?;
            }
        }
        Ok(())
    }
}

/// Cargo's rules for a package name, and crates.io's (which are stricter),
/// so that a name accepted here is accepted everywhere.
pub fn check_crate_name(name: &str) -> Result<()> {
    const SUPPORTED: &str =
        "ASCII letters, digits, `-` and `_`, starting with a letter, at most 64 characters";
    let bad = |why: String| {
        Err(config_error(&Pointer::root(), format!("`{name}` is not a valid crate name: {why}"))
            .with_supported(SUPPORTED))
    };
    let Some(first) = name.chars().next() else { return bad("it is empty".into()) };
    if !first.is_ascii_alphabetic() {
        return bad(format!("it starts with `{first}`"));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        return bad(format!("it has the character `{}`", c.escape_default()));
    }
    if name.len() > 64 {
        return bad(format!("it is {} characters long", name.len()));
    }
    let lib = name.replace('-', "_");
    if crate::name::ident::is_keyword(&lib) {
        return bad("it is a Rust keyword".into());
    }
    // Crates every Rust program can name, and names Windows keeps for devices.
    const RESERVED: [&str; 13] = [
        "std",
        "core",
        "alloc",
        "test",
        "proc_macro",
        "con",
        "prn",
        "aux",
        "nul",
        "com1",
        "lpt1",
        "build",
        "deps",
    ];
    if RESERVED.contains(&lib.to_ascii_lowercase().as_str()) {
        return bad("the name is reserved".into());
    }
    Ok(())
}

fn check_rust_version(rust: &str, edition: &str) -> Result<()> {
    let parts: Option<Vec<u64>> = rust.split('.').map(|p| p.parse().ok()).collect();
    let at = Pointer::root();
    let Some(parts) = parts.filter(|p| (2..=3).contains(&p.len())) else {
        return Err(config_error(&at, format!("`{rust}` is not a Rust version"))
            .with_supported("`MAJOR.MINOR` or `MAJOR.MINOR.PATCH`, such as `1.82`"));
    };
    let msrv = msrv_for(edition);
    let oldest: Vec<u64> = msrv.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    if parts[..2] < oldest[..] {
        return Err(config_error(
            &at,
            format!("generated code of edition {edition} needs Rust {msrv}; `{rust}` is older"),
        ));
    }
    Ok(())
}

/// A derive is a path (`Eq`, `schemars::JsonSchema`), nothing more: the
/// settings file is the user's, but what it says is written into code.
fn check_path(text: &str) -> Result<()> {
    match syn::parse_str::<syn::Path>(text) {
        Ok(path) if path.segments.iter().all(|s| s.arguments.is_none()) => Ok(()),
        _ => Err(config_error(&Pointer::root(), format!("`{text}` is not a derive path"))
            .with_supported("a path such as `Eq` or `schemars::JsonSchema`")),
    }
}

/// A replacement is a Rust type path (`rust_decimal::Decimal`,
/// `crate::Money`, `std::collections::BTreeSet<String>`).
fn check_type(text: &str) -> Result<()> {
    match syn::parse_str::<syn::Type>(text) {
        Ok(syn::Type::Path(p)) if p.qself.is_none() => Ok(()),
        _ => Err(config_error(&Pointer::root(), format!("`{text}` is not a type path"))
            .with_supported("a path such as `rust_decimal::Decimal` or `crate::Money`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn a_full_file_reads() {
        let c = parse(
            "derives = [\"Eq\"]\n[package]\nname = \"vantage-client\"\nversion = \"1.4.0\"\n\
             license = \"MIT\"\nedition = \"2024\"\nrust-version = \"1.85\"\n\
             [types.Money]\nreplace = \"rust_decimal::Decimal\"\n\
             [types.Pet]\nderives = [\"Hash\", \"schemars::JsonSchema\"]\n",
        )
        .unwrap();
        assert_eq!(c.package.name.as_deref(), Some("vantage-client"));
        assert_eq!(c.package.rust_version.as_deref(), Some("1.85"));
        assert_eq!(c.types["Money"].replace.as_deref(), Some("rust_decimal::Decimal"));
        assert_eq!(c.types["Pet"].derives, ["Hash", "schemars::JsonSchema"]);
    }

    #[test]
    fn what_cargo_or_rustc_would_refuse_is_an_error_that_says_where() {
        for (text, says) in [
            (
                "[package]\nname = \"1api\"",
                "#/package/name: `1api` is not a valid crate name: it starts with `1`",
            ),
            ("[package]\nname = \"my api\"", "it has the character ` `"),
            ("[package]\nname = \"fn\"", "it is a Rust keyword"),
            ("[package]\nname = \"std\"", "the name is reserved"),
            ("[package]\nversion = \"1.0\"", "#/package/version: `1.0` is not a version"),
            ("[package]\nedition = \"2018\"", "not tested under edition `2018`"),
            ("[package]\nrust-version = \"1.70\"", "edition 2021 needs Rust 1.82; `1.70` is older"),
            ("[package]\nedition = \"2024\"\nrust-version = \"1.84\"", "needs Rust 1.85; `1.84`"),
            ("[package]\nrust-version = \"new\"", "`new` is not a Rust version"),
            ("[package]\ndescription = \"a\\u0000b\"", "control characters"),
            ("derives = [\"Eq)] struct X; #[derive(Eq\"]", "#/derives/0: `Eq)] struct X;"),
            (
                "[types.A]\nreplace = \"fn() -> u8\"",
                "#/types/A/replace: `fn() -> u8` is not a type path",
            ),
            ("[types.A]\nderives = [\"Vec<u8>\"]", "#/types/A/derives/0"),
            ("[pakage]\nname = \"x\"", "unknown field `pakage`"),
        ] {
            let e = err(text);
            assert!(e.contains(says), "{text}\n  gave: {e}\n  wanted: {says}");
        }
    }

    #[test]
    fn a_missing_file_is_the_defaults() {
        let tmp = tempfile::tempdir().unwrap();
        assert_eq!(for_spec(&tmp.path().join("pets.yaml")).unwrap(), Config::default());
        assert_eq!(beside(Path::new("specs/pets.yaml")), Path::new("specs/pets.codegen.toml"));
    }
}

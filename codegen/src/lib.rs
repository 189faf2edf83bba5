//! OpenAPI 3 -> typed async Rust clients.
//!
//! A pipeline of small stages, data flowing one way (see ARCHITECTURE.md):
//!
//! input -> lower -> analyze -> name -> emit -> output
//!
//! one module per stage, in that order (`lower` calls `lower::resolve` for
//! `$ref`s; `analyze` starts with `select`).
//!
//! `generate_module` runs the stages for one spec and returns its source;
//! `output` turns modules into the files of a crate and writes or checks
//! them. Nothing here writes to disk except `output::sync`.

pub mod analyze;
#[cfg(feature = "cli")]
pub mod cli;
pub mod config;
pub mod diff;
pub mod emit;
pub mod error;
#[cfg(feature = "arbitrary")]
pub mod fuzzing;
pub mod input;
pub mod lower;
pub mod model;
pub mod name;
pub mod output;
pub mod pointer;
#[cfg(test)]
mod testing;

use std::path::Path;

pub use analyze::select::Selection;
pub use error::{Error, ErrorKind, Result};
pub use output::{File, Mode, Module, Stale};

/// Runs the pipeline on the spec at `path` (plus its overlay, if any) and
/// returns the formatted source of its module, named `module_name`.
pub fn generate_module(path: &Path, module_name: &str) -> Result<Module> {
    generate_selected(path, module_name, &Selection::default(), None)
}

/// `generate_module` for only the operations `selection` names and the
/// types they use. An empty selection means the selection file beside the
/// spec (`NAME.select.yaml`) if there is one, else the whole API. External
/// `$ref`s may read files inside `ref_root` (default: the spec's folder).
pub fn generate_selected(
    path: &Path,
    module_name: &str,
    selection: &Selection,
    ref_root: Option<&Path>,
) -> Result<Module> {
    let selection = selection_for(path, selection)?;
    let settings = config::for_spec(path)?;
    let doc = input::load_file_within(path, ref_root)?;
    let source = path.display().to_string();
    module_with_timings(doc, module_name, &source, &selection, &settings).map(|(m, _)| m)
}

fn selection_for(spec: &Path, given: &Selection) -> Result<Selection> {
    match analyze::select::beside(spec) {
        Some(file) if given.is_all() => analyze::select::read(&file),
        _ => Ok(given.clone()),
    }
}

/// The same for a spec held in memory (`name` is used in messages).
pub fn generate_module_from_str(text: &str, name: &Path, module_name: &str) -> Result<Module> {
    let doc = input::load_str(text, name)?;
    module_from_document(doc, module_name, &name.display().to_string())
}

/// Runs the stages after `load` on an already loaded document.
pub fn module_from_document(
    doc: input::Document,
    module_name: &str,
    source_name: &str,
) -> Result<Module> {
    let settings = config::Config::default();
    module_with_timings(doc, module_name, source_name, &Selection::default(), &settings)
        .map(|(m, _)| m)
}

/// Wall time per stage, in pipeline order.
pub type Timings = Vec<(&'static str, std::time::Duration)>;

/// `module_from_document` with a selection and the user's settings (see
/// `config`), also saying how long each stage took. The
/// document is dropped as soon as it is lowered: the model owns what later
/// stages need, and the parsed spec is the largest thing in memory.
pub fn module_with_timings(
    doc: input::Document,
    module_name: &str,
    source_name: &str,
    selection: &Selection,
    settings: &config::Config,
) -> Result<(Module, Timings)> {
    let mut timings = Timings::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |stage: &'static str| {
        let now = std::time::Instant::now();
        timings.push((stage, now - clock));
        clock = now;
    };
    let file = doc.file.clone();
    let (api, names) = named(doc, selection, settings, &mut lap)?;
    let tokens = emit::module(&api, &names);
    lap("emit");
    let source = output::format::format(tokens, source_name).map_err(|e| e.in_file(&file))?;
    lap("format");
    let module = Module { name: module_name.to_string(), spec: source_name.to_string(), source };
    Ok((module, timings))
}

/// The stages up to naming, each followed by `lap(stage)`: what a module is
/// emitted from, and what `diff` compares.
pub(crate) fn named(
    doc: input::Document,
    selection: &Selection,
    settings: &config::Config,
    lap: &mut impl FnMut(&'static str),
) -> Result<(model::Api, name::Names)> {
    let file = doc.file.clone();
    let in_file = |e: Error| e.in_file(&file);
    let mut api = lower::lower(&doc).map_err(in_file)?;
    drop(doc);
    lap("lower");
    analyze::customize::customize(&mut api, settings)
        .map_err(|e| e.in_file(config::beside(&file)))?;
    analyze::select::select(&mut api, selection).map_err(in_file)?;
    lap("select");
    analyze::analyze(&mut api);
    if settings.single_file {
        api.features = model::Features::default();
    }
    lap("analyze");
    let names = name::name(&api);
    lap("name");
    Ok((api, names))
}

/// One operation that pages, as the pagination report lists it: how it was
/// decided (detected from the spec's names, or its `x-pagination`), the
/// style, and where the next page and the items are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagedOperation {
    pub operation: String,
    pub method: &'static str,
    pub path: String,
    pub given: bool,
    pub style: model::PageStyle,
    pub items: String,
}

/// The pagination report of one spec: the operations that page, and the
/// `GET` operations that take a parameter named like a position (`page`,
/// `cursor`, `offset`, `nextToken`, ...; not `access_token`) and do not
/// page: where detection may have missed one.
#[derive(Debug, Clone, Default)]
pub struct PagingReport {
    pub gets: usize,
    pub paged: Vec<PagedOperation>,
    pub missed: Vec<(&'static str, String)>,
}

/// The pagination report of the spec at `path` (with its selection and
/// settings, as `generate_module` reads it).
pub fn paging_report(path: &Path) -> Result<PagingReport> {
    let selection = selection_for(path, &Selection::default())?;
    let settings = config::for_spec(path)?;
    let doc = input::load_file(path)?;
    let (api, _) = named(doc, &selection, &settings, &mut |_| {})?;
    let mut report = PagingReport::default();
    for op in &api.operations {
        report.gets += usize::from(op.method == model::Method::Get);
        let Some(paging) = &op.paging else {
            let positional = analyze::pages::takes_a_position(op);
            if op.method == model::Method::Get && positional {
                report.missed.push((op.method.as_str(), op.path.clone()));
            }
            continue;
        };
        report.paged.push(PagedOperation {
            operation: op.id.clone(),
            method: op.method.as_str(),
            path: op.path.clone(),
            given: matches!(op.paging_hint, model::PagingHint::Given { .. }),
            style: paging.style.clone(),
            items: paging.items.clone(),
        });
    }
    Ok(report)
}

/// What `cargo xtask conformance` needs to judge one spec's client on the
/// wire: the module, its harness (see `emit::harness`), and the document as
/// codegen read it, for the mock server to serve.
pub struct Conformance {
    pub module: Module,
    /// The harness, to sit in the same crate as `crate::<harness_module>`
    /// beside the module at `crate::<module name>`.
    pub harness: String,
    pub document: serde_json::Value,
}

/// Generates the module of the spec at `path` (its selection file, if any,
/// applied) with its conformance harness.
pub fn conformance(path: &Path, module_name: &str) -> Result<Conformance> {
    let selection = selection_for(path, &Selection::default())?;
    let settings = config::for_spec(path)?;
    let document = input::as_read(path, None)?;
    let doc = input::load_file_within(path, None)?;
    let source_name = path.display().to_string();
    let file = doc.file.clone();
    let (api, names) = named(doc, &selection, &settings, &mut |_| {})?;
    let source = output::format::format(emit::module(&api, &names), &source_name)
        .map_err(|e| e.in_file(&file))?;
    let harness = emit::harness::harness(&api, &names, module_name);
    let harness = syn::parse2(harness).map(|file| prettyplease::unparse(&file)).map_err(|e| {
        Error::new(
            ErrorKind::Output,
            &pointer::Pointer::root(),
            format!("the harness does not parse: {e}"),
        )
    })?;
    let module = Module { name: module_name.to_string(), spec: source_name, source };
    Ok(Conformance { module, harness, document })
}

/// The module name for a spec file: its file stem in snake case.
pub fn module_name_for(path: &Path) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
    let name = name::ident::snake(stem, "api");
    match name.strip_prefix("r#") {
        // `pub mod r#type;` works but reads badly; `type_api` does not.
        Some(keyword) => format!("{keyword}_api"),
        // `src/lib.rs` and `src/runtime.rs` are the crate's own, and a
        // `src/main.rs` would make the crate a binary too.
        None if RESERVED_MODULES.contains(&name.trim_end_matches('_')) => {
            format!("{}_api", name.trim_end_matches('_'))
        }
        None => name,
    }
}

/// Module names a spec's file name cannot take.
const RESERVED_MODULES: [&str; 5] = ["lib", "main", "runtime", "self", "crate"];

/// The spec files in `dir`: YAML and JSON files that are not overlays or
/// selections, sorted by name so that module order never depends on the
/// file system.
pub fn spec_files(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Error::new(ErrorKind::Io, &pointer::Pointer::root(), format!("cannot list specs: {e}"))
            .in_file(dir)
    })?;
    let mut specs: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json"))
        })
        .filter(|p| !input::overlay::is_overlay(p) && !analyze::select::is_selection_file(p))
        .collect();
    specs.sort();
    Ok(specs)
}

/// A crate the workspace keeps generated: specs from one directory, written
/// into another.
#[derive(Debug, Clone, Copy)]
pub struct WorkspaceCrate {
    pub name: &'static str,
    /// Where its specs are, relative to the workspace root.
    pub specs: &'static str,
    /// Where the crate is written, relative to the workspace root.
    pub dir: &'static str,
    /// Whether it has hand-written examples (`examples/`) to build.
    pub examples: bool,
    /// The edition it is written for: the two crates between them compile
    /// the generated code under every edition `config::EDITIONS` allows.
    pub edition: &'static str,
}

/// `generated/` from the vendored specs, for users; `tests/fixtures/` from
/// specs written to test the generator (never shipped).
pub const WORKSPACE_CRATES: [WorkspaceCrate; 2] = [
    WorkspaceCrate {
        name: "generated",
        specs: "specs",
        dir: "generated",
        examples: true,
        edition: "2021",
    },
    WorkspaceCrate {
        name: "fixtures",
        specs: "tests/specs",
        dir: "tests/fixtures",
        examples: false,
        edition: "2024",
    },
];

/// The files of one workspace crate: every spec in its directory, one
/// module each. Messages name specs relative to `root`.
pub fn workspace_crate(root: &Path, krate: &WorkspaceCrate) -> Result<Vec<File>> {
    let specs = spec_files(&root.join(krate.specs))?;
    // `pets.yaml` and `pets.json`, or `my-api.yaml` and `my_api.yaml`, would
    // write one module over the other.
    let mut names = std::collections::BTreeMap::new();
    for spec in &specs {
        if let Some(first) = names.insert(module_name_for(spec), spec) {
            return Err(Error::new(
                ErrorKind::Output,
                &pointer::Pointer::root(),
                format!(
                    "{} and {} would both be the module `{}`: rename one",
                    first.display(),
                    spec.display(),
                    module_name_for(spec)
                ),
            )
            .in_file(spec));
        }
    }
    let modules =
        specs.iter().map(|spec| workspace_module(root, spec)).collect::<Result<Vec<_>>>()?;
    let package = config::Package { edition: Some(krate.edition.into()), ..Default::default() };
    Ok(output::crate_files(krate.name, &package, &modules, krate.examples))
}

/// One module of the workspace crate, exactly as `workspace_crate` writes
/// it: messages and the preamble name the spec relative to `root`.
pub fn workspace_module(root: &Path, spec: &Path) -> Result<Module> {
    let rel = spec.strip_prefix(root).unwrap_or(spec);
    let selection = selection_for(spec, &Selection::default()).map_err(|e| relative(e, root))?;
    let settings = config::for_spec(spec).map_err(|e| relative(e, root))?;
    let doc = input::load_file(spec).map_err(|e| relative(e, root))?;
    let source = rel.display().to_string();
    module_with_timings(doc, &module_name_for(spec), &source, &selection, &settings)
        .map(|(m, _)| m)
        .map_err(|e| relative(e, root))
}

/// One spec generated from a program of your own: a `build.rs`, or a tool
/// (the `openapi-rust` command and `cargo xtask codegen --spec --out` are
/// this). Settings come from the spec's `NAME.codegen.toml` (see `config`),
/// with what is set here on top.
///
/// A crate of its own, written (or checked) at `out`:
///
/// ```no_run
/// let stale = codegen::Generator::new("specs/pets.yaml")
///     .tag("pets")
///     .write_crate("clients/pets".as_ref(), codegen::Mode::Write)?;
/// # Ok::<(), codegen::Error>(())
/// ```
///
/// Or, in a `build.rs`, one file to `include!` at the root of your crate
/// (which then depends on what a generated `Cargo.toml` lists):
///
/// ```no_run
/// // build.rs
/// let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
/// codegen::Generator::new("specs/pets.yaml").write_single_file(&out.join("pets.rs")).unwrap();
/// println!("cargo::rerun-if-changed=specs");
/// // src/lib.rs: include!(concat!(env!("OUT_DIR"), "/pets.rs"));
/// // then `crate::pets::Client` and `crate::runtime::Error`.
/// ```
#[derive(Debug, Clone)]
pub struct Generator {
    spec: std::path::PathBuf,
    selection: Selection,
    ref_root: Option<std::path::PathBuf>,
    package: config::Package,
}

impl Generator {
    pub fn new(spec: impl Into<std::path::PathBuf>) -> Self {
        Generator {
            spec: spec.into(),
            selection: Selection::default(),
            ref_root: None,
            package: config::Package::default(),
        }
    }

    /// Only the operations with this tag, and the types they use (repeatable).
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.selection.tags.push(tag.into());
        self
    }

    /// Only this operation (its `operationId`), and the types it uses.
    pub fn operation(mut self, id: impl Into<String>) -> Self {
        self.selection.operations.push(id.into());
        self
    }

    pub fn selection(mut self, selection: Selection) -> Self {
        self.selection = selection;
        self
    }

    /// External `$ref`s may read files inside `dir` (default: the spec's folder).
    pub fn ref_root(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.ref_root = Some(dir.into());
        self
    }

    /// `[package]` keys over those of the settings file: each one set here wins.
    pub fn package(mut self, package: config::Package) -> Self {
        self.package = package;
        self
    }

    /// The settings file's, with this generator's on top, checked.
    fn settings(&self) -> Result<config::Config> {
        let mut settings = config::for_spec(&self.spec)?;
        let p = self.package.clone();
        let q = &mut settings.package;
        q.name = p.name.or(q.name.take());
        q.version = p.version.or(q.version.take());
        q.license = p.license.or(q.license.take());
        q.description = p.description.or(q.description.take());
        q.repository = p.repository.or(q.repository.take());
        q.edition = p.edition.or(q.edition.take());
        q.rust_version = p.rust_version.or(q.rust_version.take());
        q.publish = p.publish.or(q.publish);
        settings.check().map_err(|e| e.in_file(config::beside(&self.spec)))?;
        Ok(settings)
    }

    fn module(&self, settings: &config::Config, source_name: &str) -> Result<Module> {
        let selection = selection_for(&self.spec, &self.selection)?;
        let doc = input::load_file_within(&self.spec, self.ref_root.as_deref())?;
        module_with_timings(doc, &module_name_for(&self.spec), source_name, &selection, settings)
            .map(|(m, _)| m)
    }

    /// The files of a crate for this spec at `out`, named after `out`'s last
    /// component unless the settings name it. The generated files name the
    /// spec by its path from `out`, however it was given.
    pub fn crate_files(&self, out: &Path) -> Result<Vec<File>> {
        let settings = self.settings()?;
        let folder = out.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if settings.package.name.is_none() {
            config::check_crate_name(folder).map_err(|e| {
                let message = format!("the crate would be named after its folder: {}", e.message);
                e.with_message(message)
                    .with_supported(format!(
                        "a folder that is a valid crate name, or `name` under `[package]` in {}, \
                     or --crate-name",
                        config::beside(&self.spec).display()
                    ))
                    .in_file(out)
            })?;
        }
        let module = self.module(&settings, &spec_from(out, &self.spec))?;
        Ok(output::crate_files(folder, &settings.package, &[module], false))
    }

    /// Writes the crate at `out` (or, with `Mode::Check`, says what is
    /// stale); generated files it no longer produces are removed.
    pub fn write_crate(&self, out: &Path, mode: Mode) -> Result<Vec<Stale>> {
        output::sync(out, &self.crate_files(out)?, Some(Path::new("src")), mode)
    }

    /// The module and the runtime as one file, for `include!` (see above).
    pub fn single_file(&self) -> Result<String> {
        let mut settings = self.settings()?;
        settings.single_file = true;
        let name = self.spec.file_name().and_then(|n| n.to_str()).unwrap_or("spec");
        Ok(output::single_file(&self.module(&settings, name)?))
    }

    /// `single_file`, written to `file` if it changed (so Cargo does not
    /// rebuild what did not).
    pub fn write_single_file(&self, file: &Path) -> Result<()> {
        let contents = self.single_file()?;
        let (dir, name) = (file.parent().unwrap_or(Path::new(".")), file.file_name());
        let name = Path::new(name.unwrap_or_default());
        output::sync(dir, &[File { path: name.into(), contents }], None, Mode::Write).map(|_| ())
    }
}

/// How the generated files at `out` name `spec`: its path from `out`, with
/// `/` between components, from both paths made absolute, so it depends on
/// where the two are, not on how either was typed.
fn spec_from(out: &Path, spec: &Path) -> String {
    let absolute = |p: &Path| -> std::path::PathBuf {
        // `out` may not exist yet: resolve the part that does, keep the rest.
        for ancestor in p.ancestors() {
            let base = if ancestor.as_os_str().is_empty() { Path::new(".") } else { ancestor };
            if let Ok(mut full) = base.canonicalize() {
                for part in p.components().skip(ancestor.components().count()) {
                    match part {
                        std::path::Component::ParentDir => {
                            full.pop();
                        }
                        std::path::Component::Normal(n) => full.push(n),
                        _ => {}
                    }
                }
                return full;
            }
        }
        p.to_path_buf()
    };
    let (out, spec) = (absolute(out), absolute(spec));
    let common = out.components().zip(spec.components()).take_while(|(a, b)| a == b).count();
    let ups = out.components().count() - common;
    let parts: Vec<String> = std::iter::repeat_n("..".to_string(), ups)
        .chain(spec.components().skip(common).map(|c| c.as_os_str().to_string_lossy().into_owned()))
        .collect();
    parts.join("/")
}

fn relative(mut e: Error, root: &Path) -> Error {
    if let Ok(rel) = e.file.strip_prefix(root) {
        e.file = rel.to_path_buf();
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_file_names_never_take_the_crates_own_files() {
        for (file, module) in [
            ("lib.yaml", "lib_api"),
            ("main.json", "main_api"),
            ("runtime.yml", "runtime_api"),
            ("Runtime.yaml", "runtime_api"),
            ("self.yaml", "self_api"),
            ("type.yaml", "type_api"),
            ("pets.yaml", "pets"),
        ] {
            assert_eq!(module_name_for(Path::new(file)), module, "{file}");
        }
    }

    #[test]
    fn two_specs_that_would_be_one_module_are_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::create_dir_all(dir.join("specs")).unwrap();
        let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n";
        std::fs::write(dir.join("specs/my-api.yaml"), spec).unwrap();
        std::fs::write(dir.join("specs/my_api.json"), spec).unwrap();
        let krate = WorkspaceCrate {
            name: "x",
            specs: "specs",
            dir: "x",
            examples: false,
            edition: "2021",
        };
        let e = workspace_crate(dir, &krate).unwrap_err();
        assert!(e.message.contains("would both be the module `my_api`"), "{e}");
    }
}

/// ARCHITECTURE.md's invariants about imports, checked on the source.
#[cfg(test)]
mod tidy {
    use std::path::Path;

    /// The stages in pipeline order: a stage's code may use the stages
    /// before it, never one after (data flows one way).
    const STAGES: [&str; 7] = ["input", "lower", "analyze", "name", "emit", "output", "diff"];

    /// Each file of `stage` (a folder of `src/`), without its unit tests.
    fn sources(stage: &str) -> Vec<(String, String)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(stage);
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap().to_string();
            out.push((format!("{stage}/{}", path.file_name().unwrap().to_string_lossy()), code));
        }
        assert!(!out.is_empty(), "no files in {}", dir.display());
        out
    }

    #[test]
    fn stages_use_only_the_stages_before_them() {
        for (i, stage) in STAGES.iter().enumerate() {
            for (file, code) in sources(stage) {
                for later in &STAGES[i + 1..] {
                    assert!(!code.contains(&format!("crate::{later}::")), "{file} uses {later}");
                }
            }
        }
    }

    #[test]
    fn the_model_knows_no_tokens() {
        let model = ("model.rs".to_string(), include_str!("model.rs").to_string());
        for (file, code) in sources("lower").into_iter().chain(sources("analyze")).chain([model]) {
            for crate_name in ["quote", "proc_macro2", "syn::"] {
                assert!(!code.contains(crate_name), "{file} uses {crate_name}");
            }
        }
    }

    #[test]
    fn the_emitters_know_no_openapiv3() {
        for (file, code) in sources("name").into_iter().chain(sources("emit")) {
            assert!(!code.contains("openapiv3"), "{file} uses openapiv3");
            assert!(!code.contains("crate::input"), "{file} reads the document");
        }
    }

    #[test]
    fn the_bundler_keeps_its_layout_to_itself() {
        for stage in &STAGES[1..] {
            for (file, code) in sources(stage) {
                assert!(!code.contains("x-bundled"), "{file} reads where bundled files are");
            }
        }
    }
}

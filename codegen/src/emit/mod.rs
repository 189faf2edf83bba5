//! Emission: model + names -> Rust tokens. Emitters only iterate; every
//! decision (order, names, boxing) was made by an earlier stage.
//!
//! Spec text reaches the output only as string literals and doc attributes
//! built by `quote`/`proc_macro2`, which escape it, as identifiers minted
//! by `ident`, and as doc lines. Nothing from a spec is ever parsed as Rust,
//! save doc lines read back as one raw string literal whose delimiter is
//! longer than any in the line (see `raw_str`). Inside blocks, doc lines
//! skip tokens altogether and are written after formatting, each after
//! `///` on a line of its own (`Docs::apart`); with newlines split off and
//! control characters dropped (`clean_text`), nothing can end the comment.

pub(crate) mod client;
pub mod harness;
mod syntax;
pub(crate) mod types;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::model::*;
use crate::name::Names;

/// The tokens of one API module, in sections the formatter can split. The
/// long runs (types, client methods) are blocks whose items are built on
/// demand, so emitting and formatting them runs on every core without
/// changing a byte of the output.
pub struct ModuleTokens<'a> {
    /// Inner attributes: the module docs and its lint list.
    pub header: TokenStream,
    pub sections: Vec<Section<'a>>,
}

pub enum Section<'a> {
    /// Items at the module's top level.
    Items(TokenStream),
    /// Items inside a block: `open { item(0) item(1) ... item(len - 1) }`.
    Block(Block<'a>),
}

/// Tokens and syntax trees are not `Send`; these closures build them on
/// the thread that formats them.
pub struct Block<'a> {
    pub open: Box<dyn Fn() -> TokenStream + Sync + 'a>,
    pub len: usize,
    pub item: BuildItem<'a>,
}

/// Builds item `i` of a block, with its doc comments where `docs` says.
pub type BuildItem<'a> = Box<dyn Fn(usize, &Docs) -> Piece + Sync + 'a>;

/// One item of a block (or several).
pub enum Piece {
    /// Items as tokens, for the formatter to parse.
    Tokens(TokenStream),
    /// Items of a module built as syntax trees (see `syntax`).
    Items(Vec<syn::Item>),
    /// An item of an `impl` block built as a syntax tree, or the error of
    /// parsing a part of it.
    ImplItem(Box<syn::Result<syn::ImplItem>>),
}

pub fn module<'a>(api: &'a Api, names: &'a Names) -> ModuleTokens<'a> {
    let docs = inner_doc_attrs(&module_docs(api));
    let header = quote! {
        #docs
        // Vendor prose becomes doc comments and vendor names become enum
        // variants; these lints judge style the spec decides, not we.
        #![allow(
            // What the spec deprecates warns where the user's code names it;
            // the module itself still has to use it.
            deprecated,
            clippy::large_enum_variant,
            clippy::too_many_arguments,
            clippy::enum_variant_names,
            clippy::doc_lazy_continuation,
            clippy::doc_overindented_list_items,
            clippy::tabs_in_doc_comments,
            clippy::empty_docs,
            rustdoc::bare_urls,
            rustdoc::broken_intra_doc_links,
            rustdoc::invalid_html_tags,
            rustdoc::invalid_rust_codeblocks
        )]
    };
    let mut sections = vec![Section::Block(types::types(api, names))];
    sections.extend(client::client(api, names));
    ModuleTokens { header, sections }
}

fn module_docs(api: &Api) -> String {
    let mut d = format!("{} (version {})", api.title, api.version);
    if let Some(part) = &api.part_of {
        d.push_str("\n\n");
        d.push_str(part);
    }
    if let Some(desc) = api.description.as_deref().filter(|d| !d.trim().is_empty()) {
        d.push_str("\n\n");
        d.push_str(desc);
    }
    d
}

/// An identifier minted by the `name` stage (`r#type` becomes a raw ident).
pub(crate) fn ident(s: &str) -> Ident {
    match s.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(s, Span::call_site()),
    }
}

/// The module's own docs (`//!`), one attribute per line.
fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines: Vec<Literal> = doc_lines(text).iter().map(|l| raw_str(l)).collect();
    quote! { #( #![doc = #lines] )* }
}

/// Where the doc comments of items go, as the caller of the code that
/// builds them says: into the tokens, one `#[doc]` per line (`inline`), or
/// kept out of them (`apart`): each doc comment is then one marker
/// attribute (`#[doc = "\u{1}7"]`) and its lines wait here, for `format` to
/// put in place of the marker after formatting. Doc lines are a third of a
/// large module's text (Microsoft Graph: 143,000 lines) and are opaque to
/// the formatter, which only prints each as `///` and the line; building,
/// parsing and printing them as tokens was about a tenth of codegen's
/// instructions.
///
/// Doc text has characters that could reorder how it displays (bidi
/// controls) or that rustc rejects dropped (`clean_text`).
pub struct Docs {
    apart: Option<std::cell::RefCell<Vec<Vec<String>>>>,
}

impl Docs {
    pub fn inline() -> Self {
        Docs { apart: None }
    }

    pub fn apart() -> Self {
        Docs { apart: Some(Default::default()) }
    }

    /// The lines kept apart, marker `n` at index `n`.
    pub fn into_lines(self) -> Vec<Vec<String>> {
        self.apart.map(|a| a.into_inner()).unwrap_or_default()
    }

    /// The doc comment `text` as attributes.
    pub(crate) fn attrs(&self, text: &str) -> TokenStream {
        match self.lines(text) {
            DocLines::None => TokenStream::new(),
            DocLines::Marker(marker) => quote! { #[doc = #marker] },
            DocLines::Lines(lines) => {
                let lines: Vec<Literal> = lines.iter().map(|l| raw_str(l)).collect();
                quote! { #( #[doc = #lines] )* }
            }
        }
    }

    /// `attrs` of text that may be absent.
    pub(crate) fn of(&self, text: Option<&str>) -> TokenStream {
        text.map(|t| self.attrs(t)).unwrap_or_default()
    }

    /// `attrs` as syntax trees, for items built as trees (see `syntax`).
    pub(crate) fn trees(&self, text: Option<&str>) -> Vec<syn::Attribute> {
        match text.map_or(DocLines::None, |text| self.lines(text)) {
            DocLines::None => Vec::new(),
            DocLines::Marker(marker) => vec![syntax::doc(Literal::string(&marker))],
            DocLines::Lines(lines) => lines.iter().map(|l| syntax::doc(raw_str(l))).collect(),
        }
    }

    fn lines(&self, text: &str) -> DocLines {
        let lines = doc_lines(text);
        match &self.apart {
            _ if lines.is_empty() => DocLines::None,
            None => DocLines::Lines(lines),
            Some(apart) => {
                let mut apart = apart.borrow_mut();
                apart.push(lines);
                DocLines::Marker(format!("{DOC_MARK}{}", apart.len() - 1))
            }
        }
    }
}

enum DocLines {
    None,
    /// Stands for lines kept apart (see `Docs`).
    Marker(String),
    Lines(Vec<String>),
}

/// Each line of `text` after a space, without blank lines at either end.
fn doc_lines(text: &str) -> Vec<String> {
    let text = clean_text(text);
    let mut lines: Vec<String> = text.lines().map(|l| format!(" {}", l.trim_end())).collect();
    let start = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(lines.len());
    let end = lines.iter().rposition(|l| !l.trim().is_empty()).map_or(start, |e| e + 1);
    lines.truncate(end);
    lines.drain(..start);
    lines
}

/// Starts the text of a doc marker (see `Docs`); no doc text has it, as
/// `clean_text` drops control characters.
pub const DOC_MARK: char = '\u{1}';

/// `text` as a raw string literal (`r#"..."#`). Docs are most of the text
/// of a large spec (Microsoft Graph: 145,000 lines); a cooked literal is
/// escaped char by char when built and unescaped again when parsed for
/// formatting (about 7% of codegen's time), a raw one is only copied. The
/// value, and so the formatted `///` line, is the same.
fn raw_str(text: &str) -> Literal {
    // One `#` more than the longest run of them after a quote, so no quote
    // in `text` can close the literal; carriage returns cannot be in one.
    let mut longest = 0;
    for (i, _) in text.match_indices('"') {
        longest = longest.max(text[i + 1..].bytes().take_while(|&b| b == b'#').count());
    }
    if text.contains('\r') {
        return Literal::string(text);
    }
    let hashes = if text.contains('"') { "#".repeat(longest + 1) } else { String::new() };
    // Exactly one literal token or an error: nothing in `text` can become
    // code. An error is not expected, and falls back to the cooked form.
    format!("r{hashes}\"{text}\"{hashes}").parse().unwrap_or_else(|_| Literal::string(text))
}

/// A string literal, as `Literal::string` makes it. That escapes char by
/// char through `char::escape_debug`, a tenth of formatting a large API's
/// methods; most of a spec's names, paths and media types are printable
/// ASCII without quotes or backslashes, which it would leave as they are,
/// and those are only copied.
/// `#[deprecated]` for what the spec marks `deprecated: true`, with a note
/// of the spec's own words about it: the first paragraph of `text` that
/// speaks of deprecation, on one line ("Deprecated: use `getPets`").
pub(crate) fn deprecated(text: Option<&str>) -> syn::Attribute {
    const MAX_NOTE: usize = 300;
    let note = text.and_then(|t| {
        t.split("\n\n").find(|p| p.to_ascii_lowercase().contains("deprecat")).map(|p| {
            let line = p.split_whitespace().collect::<Vec<_>>().join(" ");
            match line.char_indices().nth(MAX_NOTE) {
                Some((cut, _)) => format!("{}…", &line[..cut]),
                None => line,
            }
        })
    });
    match note {
        Some(note) => {
            let note = string_literal(&note);
            syntax::attribute(syntax::word("deprecated").into(), quote!(note = #note))
        }
        None => syntax::word_attribute("deprecated"),
    }
}

pub(crate) fn string_literal(text: &str) -> Literal {
    let plain = text.bytes().all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\');
    if !plain {
        return Literal::string(text);
    }
    // Exactly one literal token (nothing in `text` can end it), or the
    // escaping path if lexing ever disagrees.
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    quoted.push_str(text);
    quoted.push('"');
    quoted.parse().unwrap_or_else(|_| Literal::string(text))
}

fn clean_text(text: &str) -> String {
    // Bidi controls (which reorder how text displays) and zero-width
    // characters (which hide text) have no place in docs.
    let unwanted = |c: char| {
        matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{2060}' | '\u{FEFF}')
            || (c.is_control() && c != '\n' && c != '\t')
    };
    // U+2028 and U+2029 end a line for editors and rustdoc alike, but not
    // for `str::lines`: they become line breaks of their own.
    let separator = |c: char| matches!(c, '\u{2028}' | '\u{2029}');
    // Nearly every text has none of them; it is then copied whole rather
    // than char by char.
    if !text.contains(|c| unwanted(c) || separator(c)) {
        return text.to_string();
    }
    text.replace("\r\n", "\n")
        .chars()
        .filter(|&c| !unwanted(c))
        .map(|c| if separator(c) { '\n' } else { c })
        .collect()
}

/// Where a type is named from: the `types` module itself, or the client
/// module, which reaches spec types through `types::`.
#[derive(Clone, Copy)]
pub(crate) enum Place {
    InTypes,
    Outside,
}

/// A type as a syntax tree: the client's methods go into formatting as
/// trees (see `syntax`), and the `types` module interpolates it as tokens.
pub(crate) fn ty(t: &Ty, names: &Names, place: Place) -> syn::Type {
    use syntax::{named_type, segment, type_path, word};
    match t {
        Ty::String => string(names),
        Ty::Bool => named_type(false, &["bool"]),
        Ty::Int(IntWidth::I32) => named_type(false, &["i32"]),
        Ty::Int(IntWidth::I64) => named_type(false, &["i64"]),
        Ty::Int(IntWidth::U32) => named_type(false, &["u32"]),
        Ty::Int(IntWidth::U64) => named_type(false, &["u64"]),
        Ty::Float => named_type(false, &["f64"]),
        Ty::DateTime => type_path(
            true,
            [
                segment(word("chrono"), []),
                segment(word("DateTime"), [named_type(true, &["chrono", "Utc"])]),
            ],
        ),
        Ty::Date => named_type(true, &["chrono", "NaiveDate"]),
        Ty::Uuid => named_type(true, &["uuid", "Uuid"]),
        // Checked as a type path when the settings were read.
        Ty::External(path) => syn::parse_str(path).unwrap_or_else(|_| json_value()),
        Ty::Json => json_value(),
        Ty::Map(v) if **v == Ty::Json => type_path(
            true,
            [segment(word("serde_json"), []), segment(word("Map"), [string(names), json_value()])],
        ),
        Ty::Map(v) => {
            let v = ty(v, names, place);
            let path = ["std", "collections"].map(|w| segment(word(w), []));
            type_path(true, path.into_iter().chain([segment(word("BTreeMap"), [string(names), v])]))
        }
        Ty::List(item) => prelude(names, "vec", "Vec", Some(ty(item, names, place))),
        Ty::Nullable(inner) => option(ty(inner, names, place), names),
        Ty::Named(id) => spec_type(&names.types[id.0].ident, place),
    }
}

/// A type of the `types` module, by its name there.
pub(crate) fn spec_type(name: &str, place: Place) -> syn::Type {
    let name = syn::PathSegment::from(ident(name));
    match place {
        Place::InTypes => syntax::type_path(false, [name]),
        Place::Outside => syntax::type_path(false, [syntax::word("types").into(), name]),
    }
}

fn json_value() -> syn::Type {
    syntax::named_type(true, &["serde_json", "Value"])
}

// The prelude's names where `names.prelude` says no type of the spec
// shadows them, else full paths. Types and signatures are most of a
// module; `Option<String>` is 4 tokens where the paths are 14, and every
// token is built, parsed and printed once more by formatting.

/// `Name<arg>`, or `::std::module::Name<arg>`.
fn prelude(names: &Names, module: &str, name: &str, arg: Option<syn::Type>) -> syn::Type {
    use syntax::{segment, type_path, word};
    let last = segment(word(name), arg);
    if names.prelude {
        type_path(false, [last])
    } else {
        type_path(true, [segment(word("std"), []), segment(word(module), []), last])
    }
}

/// The path's last word, or the whole path from `::std`.
fn prelude_path(names: &Names, words: &[&str]) -> syn::Path {
    if names.prelude {
        syntax::path(false, words.last().map(|w| syntax::word(w)))
    } else {
        syntax::path(true, words.iter().map(|w| syntax::word(w)))
    }
}

pub(crate) fn option(t: syn::Type, names: &Names) -> syn::Type {
    prelude(names, "option", "Option", Some(t))
}

pub(crate) fn boxed(t: syn::Type, names: &Names) -> syn::Type {
    prelude(names, "boxed", "Box", Some(t))
}

pub(crate) fn string(names: &Names) -> syn::Type {
    prelude(names, "string", "String", None)
}

pub(crate) fn some(names: &Names) -> syn::Path {
    prelude_path(names, &["std", "option", "Option", "Some"])
}

pub(crate) fn ok(names: &Names) -> syn::Path {
    prelude_path(names, &["std", "result", "Result", "Ok"])
}

pub(crate) fn result(names: &Names) -> syn::Path {
    prelude_path(names, &["std", "result", "Result"])
}

/// Can this type be written into a path, query, header or cookie as one
/// value (`runtime::ParamValue`)? Objects and unions cannot.
pub(crate) fn is_scalar(t: &Ty, api: &Api) -> bool {
    match t {
        Ty::String
        | Ty::Bool
        | Ty::Int(_)
        | Ty::Float
        | Ty::DateTime
        | Ty::Date
        | Ty::Uuid
        | Ty::Json => true,
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Enum(_) => true,
            TypeKind::Alias(inner) => is_scalar(inner, api),
            TypeKind::Struct(_) | TypeKind::Union(_) => false,
        },
        Ty::Map(_) | Ty::List(_) | Ty::Nullable(_) | Ty::External(_) => false,
    }
}

/// `#[cfg(feature = "...")]` for an item behind tag features (see
/// `analyze::features`); `None` when it is always compiled.
pub(crate) fn cfg(gate: &Gate, names: &Names) -> Option<syn::Attribute> {
    if names.features.is_empty() {
        return None;
    }
    let groups = match gate {
        Gate::Always => return None,
        Gate::All => return Some(syn::parse_quote!(#[cfg(feature = "all")])),
        Gate::Any(groups) => groups,
    };
    let features: Vec<&str> = groups.iter().map(|&g| names.features[g as usize].as_str()).collect();
    let predicate = match features.as_slice() {
        [one] => quote!(feature = #one),
        many => quote!(any(#(feature = #many),*)),
    };
    Some(syn::parse_quote!(#[cfg(#predicate)]))
}

/// `piece` with `attr` on each of its items.
pub(crate) fn gated(piece: Piece, attr: Option<syn::Attribute>) -> Piece {
    let Some(attr) = attr else { return piece };
    match piece {
        Piece::Tokens(tokens) => match syn::parse2::<syn::File>(tokens.clone()) {
            Ok(file) => gated(Piece::Items(file.items), Some(attr)),
            // Left to the formatter, which says what did not parse.
            Err(_) => Piece::Tokens(tokens),
        },
        Piece::Items(mut items) => {
            for item in &mut items {
                if let Some(attrs) = item_attrs(item) {
                    attrs.insert(0, attr.clone());
                }
            }
            Piece::Items(items)
        }
        Piece::ImplItem(item) => Piece::ImplItem(Box::new(item.map(|mut item| {
            if let syn::ImplItem::Fn(f) = &mut item {
                f.attrs.insert(0, attr);
            }
            item
        }))),
    }
}

fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Macro(i) => &mut i.attrs,
        syn::Item::Fn(i) => &mut i.attrs,
        syn::Item::Const(i) => &mut i.attrs,
        syn::Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

/// A status as the spec writes it: `202`, `4XX`, `default`.
pub(crate) fn status_text(status: StatusKey) -> String {
    match status {
        StatusKey::Code(c) => c.to_string(),
        StatusKey::Range(r) => format!("{r}XX"),
        StatusKey::Default => "default".to_string(),
    }
}

/// The Rust type of a success body: files (`BodyKind::Bytes`) are streams,
/// and so are events and JSON Lines, of their items.
pub(crate) fn success_body_ty(kind: &BodyKind, names: &Names, place: Place) -> syn::Type {
    let of = |stream: &str, t: &Ty| {
        let item = ty(t, names, place);
        let stream = syntax::runtime_type(stream);
        syn::parse_quote!(#stream<#item>)
    };
    match kind {
        BodyKind::Bytes => syntax::runtime_type("ByteStream"),
        BodyKind::Events(t) => of("EventStream", t),
        BodyKind::Lines(t) => of("JsonLines", t),
        other => body_ty(other, names, place),
    }
}

/// The Rust type of an answer's body in a variant or return type.
pub(crate) fn body_ty(kind: &BodyKind, names: &Names, place: Place) -> syn::Type {
    match kind {
        BodyKind::Json(t) | BodyKind::Form(t) => ty(t, names, place),
        // A stream of items read whole (an error answer) is its text.
        BodyKind::Text | BodyKind::Events(_) | BodyKind::Lines(_) => string(names),
        BodyKind::Bytes | BodyKind::Multipart(_) => syntax::runtime_type("Bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The items built as syntax trees (client methods; structs, enums and
    /// aliases) are the trees `syn` parses from their own text, so that
    /// prettyplease prints them as it printed the same items emitted as
    /// tokens. Every fixture and vendored spec.
    #[test]
    fn built_items_print_as_their_parsed_text_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let (mut specs, mut methods, mut items) = (0, 0, 0);
        for dir in ["tests/specs", "specs"] {
            for spec in crate::spec_files(&root.join(dir)).unwrap() {
                let doc = crate::input::load_file(&spec).unwrap();
                let mut api = crate::lower::lower(&doc).unwrap();
                crate::analyze::analyze(&mut api);
                let names = crate::name::name(&api);
                for section in module(&api, &names).sections {
                    let Section::Block(block) = section else { continue };
                    for i in 0..block.len {
                        let file: syn::File = match (block.item)(i, &Docs::inline()) {
                            Piece::Tokens(_) => continue,
                            Piece::Items(built) => {
                                items += built.len();
                                let mut file: syn::File = syn::parse_quote!();
                                file.items = built;
                                file
                            }
                            Piece::ImplItem(item) => {
                                methods += 1;
                                let item = item.unwrap();
                                syn::parse_quote!(impl Client { #item })
                            }
                        };
                        let reparsed: syn::File =
                            syn::parse2(quote::ToTokens::into_token_stream(&file)).unwrap();
                        assert_eq!(
                            prettyplease::unparse(&file),
                            prettyplease::unparse(&reparsed),
                            "{}",
                            spec.display()
                        );
                    }
                }
                specs += 1;
            }
        }
        assert!(
            specs >= 9 && methods >= 20 && items >= 100,
            "{specs} specs, {methods} methods, {items} items"
        );
    }

    #[test]
    fn string_literals_are_those_proc_macro2_makes() {
        let texts = [
            "",
            "getDataExport",
            "/data_exports/{data_export_token}",
            "application/json; charset=utf-8",
            "a \"quote\" and a \\ backslash",
            "it's",
            "tab\there",
            "new\nline",
            "nul\0 and \u{7f} del",
            "unicode: ü, 中文, \u{1F600}, \u{202E}",
            "~ ! @ # $ % ^ & * ( ) _ + ` - = [ ] { } | ; : , . < > ? /",
        ];
        for text in texts {
            assert_eq!(
                string_literal(text).to_string(),
                Literal::string(text).to_string(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn raw_doc_literals_keep_the_text_exactly() {
        let lines = [
            "",
            " plain",
            " a \"quote\" and a \"# and \"### run",
            " ends with a quote\"",
            " \"#]\n#[cfg(any())] fn x() {} //",
            " back\\slash \\n and \\\" and \\u{0}",
            " tab\tand unicode: ü, 中文, \u{1F600}",
            " lone cr\r here",
            " */ /* r#\" \"#",
        ];
        for line in lines {
            let tokens = quote::ToTokens::into_token_stream(raw_str(line));
            let lit: syn::LitStr = syn::parse2(tokens).unwrap_or_else(|e| panic!("{line:?}: {e}"));
            assert_eq!(lit.value(), line);
        }
    }
}

//! Formatting: tokens -> text, with the "generated" preamble added after
//! formatting so that the formatter never sees it.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{Block, Docs, ModuleTokens, Piece, Section};

use crate::error::{Error, ErrorKind, Result};
use crate::pointer::Pointer;

pub fn format(module: ModuleTokens<'_>, source: &str) -> Result<String> {
    let mut out = preamble(source);
    out.push_str(&unparse(module.header)?);
    for section in module.sections {
        match section {
            Section::Items(items) => out.push_str(&unparse(items)?),
            Section::Block(block) => format_block(&block, &mut out)?,
        }
    }
    Ok(out)
}

/// Items formatted together. Small enough that one chunk's tokens and syntax
/// tree stay a few megabytes even for the largest specs (formatting a whole
/// block at once held about a gigabyte for Microsoft Graph), large enough
/// that the block's opening line, repeated per chunk, costs nothing.
const CHUNK: usize = 32;

/// A block's items are built and formatted in chunks of `CHUNK`, which
/// worker threads take in turn. Every chunk is formatted inside the same
/// block, so line widths and indentation are exactly those of the whole; the
/// block's opening and closing lines are kept once. Chunks are appended to
/// `out` in order as they arrive and dropped, so the formatted text is never
/// held twice (holding every chunk and then a joined copy was the peak of a
/// whole run for Microsoft Graph).
fn format_block(block: &Block<'_>, out: &mut String) -> Result<()> {
    let ranges: Vec<std::ops::Range<usize>> = (0..block.len.max(1))
        .step_by(CHUNK)
        .map(|start| start..(start + CHUNK).min(block.len))
        .collect();
    let render = |range: std::ops::Range<usize>| {
        let docs = Docs::apart();
        let file = block_file(block, range, &docs)?;
        Ok(one_per_line(&put_docs(&prettyplease::unparse(&file), &docs.into_lines())))
    };
    if ranges.len() == 1 {
        out.push_str(&render(ranges[0].clone())?);
        return Ok(());
    }
    let mut join = Joiner::new(ranges.len(), out);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(ranges.len());
    if threads <= 1 {
        for range in &ranges {
            join.push(render(range.clone())?, out);
        }
    } else {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let (send, receive) = std::sync::mpsc::channel::<(usize, Result<String>)>();
        std::thread::scope(|scope| -> Result<()> {
            for _ in 0..threads {
                let send = send.clone();
                let (next, ranges, render) = (&next, &ranges, &render);
                scope.spawn(move || loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(range) = ranges.get(i) else { return };
                    let failed = {
                        let text = render(range.clone());
                        let failed = text.is_err();
                        // The receiver is gone only when it stopped at an error.
                        if send.send((i, text)).is_err() {
                            return;
                        }
                        failed
                    };
                    if failed {
                        // Stop the others too: nothing after an error is written.
                        next.store(ranges.len(), std::sync::atomic::Ordering::Relaxed);
                        return;
                    }
                });
            }
            drop(send);
            // Dropped on an early return, so that workers stop at their next send.
            let receive = receive;
            // Chunks arrive in any order; each is appended once those before it are.
            let mut waiting: std::collections::BTreeMap<usize, String> =
                std::collections::BTreeMap::new();
            let mut due = 0;
            for (i, text) in receive.iter() {
                waiting.insert(i, text?);
                while let Some(text) = waiting.remove(&due) {
                    join.push(text, out);
                    due += 1;
                }
            }
            Ok(())
        })?;
    }
    join.finish(out);
    Ok(())
}

/// The syntax tree of `open { items }` for a range of a block's items.
/// Runs of items given as tokens are parsed together; items built as trees
/// go in as they are, in their place.
fn block_file(block: &Block<'_>, range: std::ops::Range<usize>, docs: &Docs) -> Result<syn::File> {
    let open = (block.open)();
    let mut file = parse(quote!(#open {}))?;
    let mut run = TokenStream::new();
    for i in range {
        match (block.item)(i, docs) {
            Piece::Tokens(tokens) => run.extend(tokens),
            Piece::Items(items) => {
                append(&mut file, std::mem::take(&mut run))?;
                module_items(&mut file)?.extend(items);
            }
            Piece::ImplItem(item) => {
                let item = item.map_err(not_rust)?;
                append(&mut file, std::mem::take(&mut run))?;
                impl_items(&mut file)?.push(item);
            }
        }
    }
    append(&mut file, run)?;
    Ok(file)
}

/// Parses `run` into the items of the file's one block.
fn append(file: &mut syn::File, run: TokenStream) -> Result<()> {
    if run.is_empty() {
        return Ok(());
    }
    match file.items.last_mut() {
        Some(syn::Item::Mod(_)) => {
            let parsed = parse(run)?;
            module_items(file)?.extend(parsed.items);
        }
        Some(syn::Item::Impl(_)) => {
            let parsed: syn::ItemImpl =
                syn::parse2(quote!(impl Block { #run })).map_err(not_rust)?;
            impl_items(file)?.extend(parsed.items);
        }
        _ => return Err(not_block()),
    }
    Ok(())
}

fn module_items(file: &mut syn::File) -> Result<&mut Vec<syn::Item>> {
    match file.items.last_mut() {
        Some(syn::Item::Mod(module)) => {
            Ok(&mut module.content.get_or_insert_with(Default::default).1)
        }
        _ => Err(not_block()),
    }
}

fn impl_items(file: &mut syn::File) -> Result<&mut Vec<syn::ImplItem>> {
    match file.items.last_mut() {
        Some(syn::Item::Impl(block)) => Ok(&mut block.items),
        _ => Err(not_block()),
    }
}

fn not_block() -> Error {
    Error::new(
        ErrorKind::Output,
        &Pointer::root(),
        "internal error: a block opens neither a module nor an impl".to_string(),
    )
}

/// Joins the chunks of one block, in order, into one block.
struct Joiner {
    /// The first chunk, whole, until some chunk has items: if none has, the
    /// block is `open {}`, exactly as that chunk says.
    first: Option<String>,
    opened: bool,
    /// Chunks in the block, and pushed so far.
    chunks: usize,
    pushed: usize,
    /// The output's length when the block began.
    start: usize,
}

impl Joiner {
    /// After this many chunks, the output reserves what the rest of the
    /// block will take at the same rate, so that it grows once, early,
    /// instead of doubling as it fills: each doubling held the old and the
    /// new text at once, and they were the peak of a whole run for
    /// Microsoft Graph (150-180 MB, against 130-145 MB with room made).
    const ESTIMATE_AFTER: usize = 8;

    fn new(chunks: usize, out: &str) -> Self {
        Joiner { first: None, opened: false, chunks, pushed: 0, start: out.len() }
    }

    fn push(&mut self, chunk: String, out: &mut String) {
        self.append(chunk, out);
        self.pushed += 1;
        if self.pushed == Self::ESTIMATE_AFTER && self.chunks > self.pushed {
            let rest = (out.len() - self.start) / self.pushed * (self.chunks - self.pushed);
            // An eighth more: chunks vary.
            out.reserve(rest + rest / 8);
        }
    }

    fn append(&mut self, chunk: String, out: &mut String) {
        let (open, inner) = split_open(&chunk);
        if !self.opened && !inner.is_empty() {
            let open = match &self.first {
                Some(first) => split_open(first).0,
                None => open,
            };
            let trimmed = open.trim_end_matches("{}\n");
            out.push_str(trimmed);
            if trimmed.len() != open.len() {
                out.push_str("{\n");
            }
            self.opened = true;
            self.first = None;
        }
        if self.opened {
            out.push_str(inner);
        } else if self.first.is_none() {
            self.first = Some(chunk);
        }
    }

    fn finish(self, out: &mut String) {
        match self.first {
            Some(first) if !self.opened => out.push_str(&first),
            _ => out.push_str("}\n"),
        }
    }
}

/// A formatted block split into its opening lines (docs, attributes and
/// `pub mod types {`) and its inner lines, without the closing `}`. An empty
/// block (`pub mod types {}`) has no inner lines.
fn split_open(text: &str) -> (&str, &str) {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        at += line.len();
        let code = line.trim_end();
        if !line.starts_with([' ', '/', '#']) && code.ends_with("{}") {
            return (&text[..at], "");
        }
        if !line.starts_with([' ', '/', '#']) && code.ends_with('{') {
            break;
        }
    }
    let (open, rest) = text.split_at(at);
    (open, rest.strip_suffix("}\n").unwrap_or(rest))
}

/// `text` with each doc marker line (`    ///\u{1}7`) replaced by the doc
/// lines it stands for, at its indentation, as prettyplease prints a
/// `#[doc]` line: `///` and the text, trailing spaces trimmed.
fn put_docs(text: &str, docs: &[Vec<String>]) -> String {
    if docs.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(
        text.len() + docs.iter().flatten().map(|l| l.len() + 16).sum::<usize>(),
    );
    for line in text.split_inclusive('\n') {
        let code = line.trim_start_matches(' ');
        let doc = code
            .strip_prefix("///")
            .and_then(|m| m.strip_prefix(crate::emit::DOC_MARK))
            .and_then(|n| n.trim_end().parse::<usize>().ok())
            .and_then(|n| docs.get(n));
        let Some(doc) = doc else {
            out.push_str(line);
            continue;
        };
        let indent = &line[..line.len() - code.len()];
        for l in doc {
            out.push_str(indent);
            out.push_str("///");
            out.push_str(l.trim_end_matches(' '));
            out.push('\n');
        }
    }
    out
}

fn unparse(tokens: TokenStream) -> Result<String> {
    Ok(one_per_line(&prettyplease::unparse(&parse(tokens)?)))
}

/// The runtime macros whose arguments are a list of the spec's fields or
/// values, one argument a line.
const LISTS: [&str; 3] = [
    "crate::runtime::serde_struct!(",
    "crate::runtime::deserialize_struct!(",
    "crate::runtime::string_enum!(",
];

/// `text` with each call of a `LISTS` macro laid out one argument a line.
/// The formatter fills macro arguments like prose, so one field added to a
/// spec re-wrapped the lines of its neighbours; laid out this way, a change
/// of one field or value in the spec is a diff of its own line only.
fn one_per_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut lines = text.split_inclusive('\n');
    while let Some(line) = lines.next() {
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let Some(open) = LISTS.iter().find(|m| body.starts_with(**m)) else {
            out.push_str(line);
            continue;
        };
        let args = if body.trim_end() == *open {
            // Wrapped by the formatter: its breaks were spaces.
            let close = format!("{indent});");
            let mut joined = Vec::new();
            for next in lines.by_ref() {
                if next.trim_end() == close {
                    break;
                }
                joined.push(next.trim());
            }
            joined.join(" ")
        } else {
            let inner = body.trim_end().strip_prefix(open).and_then(|b| b.strip_suffix(");"));
            match inner {
                Some(inner) => inner.to_string(),
                None => {
                    out.push_str(line);
                    continue;
                }
            }
        };
        out.push_str(indent);
        out.push_str(open);
        out.push('\n');
        for arg in top_level_args(&args) {
            out.push_str(indent);
            out.push_str("    ");
            match typed_field(arg) {
                Some((head, ty, rest)) => {
                    out.push_str(head);
                    out.push_str(": ");
                    tidy_type(ty, &mut out);
                    out.push_str(rest);
                }
                None => out.push_str(arg),
            }
            out.push_str(",\n");
        }
        out.push_str(indent);
        out.push_str(");\n");
    }
    out
}

/// A field of a struct macro, `kind(member : Type, "wire")` as the formatter
/// prints tokens: the part before the type, the type, and the part from the
/// wire name on. A type holds no string literal, so it ends where the first
/// literal's comma is.
fn typed_field(arg: &str) -> Option<(&str, &str, &str)> {
    let colon = arg.find(" : ")?;
    let quote = arg.find('"')?;
    let end = arg[..quote].rfind(", ")?;
    (colon < end).then(|| (&arg[..colon], &arg[colon + 3..end], &arg[end..]))
}

/// A type as the formatter prints a macro's tokens (`Option < Vec < T > >`)
/// written as rustfmt writes it (`Option<Vec<T>>`).
fn tidy_type(ty: &str, out: &mut String) {
    let mut chars = ty.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' if matches!(chars.peek(), Some('<' | '>')) => {}
            '<' => {
                out.push('<');
                while chars.peek() == Some(&' ') {
                    chars.next();
                }
            }
            _ => out.push(c),
        }
    }
}

/// `args` split at the commas outside brackets and string literals, each
/// trimmed; empty pieces (a trailing comma) are left out.
fn top_level_args(args: &str) -> Vec<&str> {
    let (mut depth, mut in_string, mut escaped, mut start) = (0usize, false, false, 0);
    let mut out = Vec::new();
    for (i, c) in args.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '(' | '[' | '{' if !in_string => depth += 1,
            ')' | ']' | '}' if !in_string => depth = depth.saturating_sub(1),
            ',' if !in_string && depth == 0 => {
                out.push(args[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(args[start..].trim());
    out.retain(|a| !a.is_empty());
    out
}

fn parse(tokens: TokenStream) -> Result<syn::File> {
    syn::parse2(tokens).map_err(not_rust)
}

/// The emitter produced something that is not Rust: a generator bug,
/// reported instead of written.
fn not_rust(e: syn::Error) -> Error {
    Error::new(
        ErrorKind::Output,
        &Pointer::root(),
        format!("internal error: generated code does not parse: {e}"),
    )
}

/// `source` names what the file was generated from; it is ours (a file
/// name), but is still kept to one printable line.
pub fn preamble(source: &str) -> String {
    let source: String = source.chars().filter(|c| !c.is_control()).collect();
    format!("// @generated by codegen from {source}. Do not edit.\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_macros_get_one_argument_a_line() {
        let text = unparse(quote! {
            crate::runtime::deserialize_struct!(GetDataExportStatusResponse, optional(data: Option<Data>, "data"), optional(meta: Option<::std::collections::BTreeMap<String, Option<Vec<u8>>>>, "_meta"), required(some_long_field_name: String, "a, (b) \"c\" : \\"), ..additional_properties,);
            crate::runtime::string_enum!(Kind, Other, A = "a");
            other!(x, y);
        })
        .unwrap();
        assert_eq!(
            text,
            r#"crate::runtime::deserialize_struct!(
    GetDataExportStatusResponse,
    optional(data: Option<Data>, "data"),
    optional(meta: Option<::std::collections::BTreeMap<String, Option<Vec<u8>>>>, "_meta"),
    required(some_long_field_name: String, "a, (b) \"c\" : \\"),
    ..additional_properties,
);
crate::runtime::string_enum!(
    Kind,
    Other,
    A = "a",
);
other!(x, y);
"#
        );
    }

    fn block(
        len: usize,
        item: impl Fn(usize, &Docs) -> TokenStream + Sync + 'static,
    ) -> Block<'static> {
        Block {
            open: Box::new(|| {
                quote!(/// Docs.
            pub mod types)
            }),
            len,
            item: Box::new(move |i, docs| Piece::Tokens(item(i, docs))),
        }
    }

    fn block_text(b: &Block<'_>) -> String {
        let mut out = String::new();
        format_block(b, &mut out).unwrap();
        out
    }

    fn whole(b: &Block<'_>) -> String {
        let open = (b.open)();
        let docs = Docs::inline();
        let items = (0..b.len).map(|i| match (b.item)(i, &docs) {
            Piece::Tokens(tokens) => tokens,
            Piece::Items(items) => quote!(#(#items)*),
            Piece::ImplItem(item) => quote::ToTokens::into_token_stream(item.unwrap()),
        });
        unparse(quote!(#open { #(#items)* })).unwrap()
    }

    #[test]
    fn chunked_output_is_the_whole_output() {
        for len in [0, 1, 31, 32, 33, 64, 65, 200, 333] {
            let b = block(len, |i, _| {
                let name = quote::format_ident!("Type{}", i);
                if i % 3 == 0 {
                    TokenStream::new()
                } else {
                    quote!(#[derive(Debug)] pub struct #name { pub field_with_a_long_name: ::std::option::Option<::std::string::String> })
                }
            });
            assert_eq!(block_text(&b), whole(&b), "len {len}");
        }
    }

    #[test]
    fn docs_put_in_after_formatting_are_the_docs_formatted() {
        let b = block(70, |i, docs| {
            let name = quote::format_ident!("Type{}", i);
            let doc = docs
                .attrs(&format!("Type {i}.\n\n  Indented,   with trailing spaces   \n\t tab\n\n"));
            let field_doc = docs.attrs("A field `x` \"quoted\"## and /// slashes\n\n\n");
            let empty = docs.attrs("\n  \n");
            quote!(#doc #empty pub struct #name { #field_doc pub x: u8 })
        });
        let chunked = block_text(&b);
        assert_eq!(chunked, whole(&b));
        assert!(chunked.contains("    /// Type 69.\n    ///\n    ///   Indented,   with trailing spaces\n    /// \t tab\n    pub struct Type69 {\n"), "{chunked}");
        assert!(!chunked.contains(crate::emit::DOC_MARK));
    }

    #[test]
    fn items_built_as_trees_go_in_their_place_among_tokens() {
        for len in [1, 2, 31, 33, 70] {
            let module = Block {
                open: Box::new(|| quote!(pub mod types)),
                len,
                item: Box::new(|i, _| {
                    let name = quote::format_ident!("Type{}", i);
                    if i % 3 == 1 {
                        Piece::Items(vec![
                            syn::parse_quote!(pub struct #name { pub x: u8 }),
                            syn::parse_quote!(pub type A = #name;),
                        ])
                    } else {
                        Piece::Tokens(quote!(pub enum #name { A, B }))
                    }
                }),
            };
            let methods = Block {
                open: Box::new(|| quote!(impl Client)),
                len,
                item: Box::new(|i, _| {
                    let name = quote::format_ident!("method_{}", i);
                    if i % 2 == 0 {
                        Piece::ImplItem(Box::new(Ok(
                            syn::parse_quote!(pub fn #name(&self) -> u8 { #i as u8 }),
                        )))
                    } else {
                        Piece::Tokens(quote!(fn #name() {}))
                    }
                }),
            };
            for b in [&module, &methods] {
                let text = block_text(b);
                assert_eq!(text, whole(b), "len {len}");
                let last = quote::format_ident!(
                    "{}{}",
                    if std::ptr::eq(b, &module) { "Type" } else { "method_" },
                    len - 1
                );
                assert!(text.contains(&last.to_string()), "{text}");
            }
        }
    }

    #[test]
    fn a_block_of_empty_items_is_an_empty_block() {
        for len in [0, 1, 100, 300] {
            let b = block(len, |_, _| TokenStream::new());
            assert_eq!(block_text(&b), whole(&b), "len {len}");
            assert!(block_text(&b).ends_with("pub mod types {}\n"));
        }
    }
}

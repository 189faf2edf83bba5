//! Stage 7, format: tokens -> text, with the "generated" preamble added after
//! formatting so that the formatter never sees it.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{Block, ModuleTokens, Section};

use crate::error::{Error, ErrorKind, Result};
use crate::pointer::Pointer;

pub fn format(module: ModuleTokens<'_>, source: &str) -> Result<String> {
    let mut out = preamble(source);
    out.push_str(&unparse(module.header)?);
    for section in module.sections {
        match section {
            Section::Items(items) => out.push_str(&unparse(items)?),
            Section::Block(block) => out.push_str(&format_block(&block)?),
        }
    }
    Ok(out)
}

/// Items per chunk below which threads cost more than they save.
const CHUNK_MIN: usize = 64;

/// A block's items are built and formatted in contiguous chunks, one thread
/// each. Every chunk is formatted inside the same block, so line widths and
/// indentation are exactly those of the whole; the block's opening and
/// closing lines are kept once.
fn format_block(block: &Block<'_>) -> Result<String> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let per = block.len.div_ceil(threads).max(CHUNK_MIN);
    let ranges: Vec<std::ops::Range<usize>> =
        (0..block.len.max(1)).step_by(per).map(|start| start..(start + per).min(block.len)).collect();
    let render = |range: std::ops::Range<usize>| {
        let open = (block.open)();
        let items = range.map(|i| (block.item)(i));
        unparse(quote!(#open { #(#items)* }))
    };
    let chunks: Vec<String> = if ranges.len() == 1 {
        vec![render(ranges[0].clone())?]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = ranges.iter().map(|r| scope.spawn(|| render(r.clone()))).collect();
            handles.into_iter().map(|h| h.join().expect("formatting does not panic")).collect::<Result<_>>()
        })?
    };
    if chunks.len() == 1 {
        return Ok(chunks.into_iter().next().expect("one chunk"));
    }
    let parts: Vec<(&str, &str)> = chunks.iter().map(|c| split_open(c)).collect();
    if parts.iter().all(|(_, inner)| inner.is_empty()) {
        // Every item was empty: the whole block is `open {}`, as one chunk says.
        return Ok(chunks[0].clone());
    }
    let mut out = parts[0].0.trim_end_matches("{}\n").to_string();
    if out.len() != parts[0].0.len() {
        out.push_str("{\n");
    }
    for (_, inner) in &parts {
        out.push_str(inner);
    }
    out.push_str("}\n");
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn block(len: usize, item: impl Fn(usize) -> TokenStream + Sync + 'static) -> Block<'static> {
        Block { open: Box::new(|| quote!(/// Docs.
            pub mod types)), len, item: Box::new(item) }
    }

    fn whole(b: &Block<'_>) -> String {
        let open = (b.open)();
        let items = (0..b.len).map(|i| (b.item)(i));
        unparse(quote!(#open { #(#items)* })).unwrap()
    }

    #[test]
    fn chunked_output_is_the_whole_output() {
        for len in [0, 1, 63, 64, 65, 200, 333] {
            let b = block(len, |i| {
                let name = quote::format_ident!("Type{}", i);
                if i % 3 == 0 {
                    TokenStream::new()
                } else {
                    quote!(#[derive(Debug)] pub struct #name { pub field_with_a_long_name: ::std::option::Option<::std::string::String> })
                }
            });
            assert_eq!(format_block(&b).unwrap(), whole(&b), "len {len}");
        }
    }

    #[test]
    fn a_block_of_empty_items_is_an_empty_block() {
        for len in [0, 1, 100, 300] {
            let b = block(len, |_| TokenStream::new());
            assert_eq!(format_block(&b).unwrap(), whole(&b), "len {len}");
            assert!(format_block(&b).unwrap().ends_with("pub mod types {}\n"));
        }
    }
}

fn unparse(tokens: TokenStream) -> Result<String> {
    let file: syn::File = syn::parse2(tokens).map_err(not_rust)?;
    Ok(prettyplease::unparse(&file))
}

/// The emitter produced something that is not Rust: a generator bug,
/// reported instead of written.
fn not_rust(e: syn::Error) -> Error {
    Error::new(ErrorKind::Output, &Pointer::root(), format!("internal error: generated code does not parse: {e}"))
}

/// `source` names what the file was generated from; it is ours (a file
/// name), but is still kept to one printable line.
pub fn preamble(source: &str) -> String {
    let source: String = source.chars().filter(|c| !c.is_control()).collect();
    format!("// @generated by `cargo xtask codegen` from {source}. Do not edit.\n\n")
}

//! Emits the `types` module: one item per schema type, then the per-operation
//! success and error enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::{
    body_ty, boxed, ident, ok, option, result, some, string, string_literal, ty, Docs, Place,
};
use crate::model::*;
use crate::name::Names;

/// The `types` module: one item per type (with its impls), then the
/// operations' enums.
pub(super) fn types<'a>(api: &'a Api, names: &'a Names) -> super::Block<'a> {
    let n = api.types.len();
    super::Block {
        open: Box::new(|| {
            quote! {
                /// Types for the schemas, request bodies and responses of this API.
                pub mod types
            }
        }),
        len: n + api.operations.len(),
        item: Box::new(move |i, docs| {
            let gate = |g: &Gate| super::cfg(g, names);
            if i < n {
                super::gated(type_def(i, &api.types[i], names, docs), gate(api.features.ty(i)))
            } else {
                let k = i - n;
                let op = &api.operations[k];
                let (success, error, rest) = op_enums(op, k, names, docs);
                let params = super::client::params_items(api, op, &names.ops[k], names, docs);
                let mut bodies = super::client::form_items(api, op, &names.ops[k], names, docs);
                bodies.extend(super::client::choice_items(op, &names.ops[k], names, docs));
                // An error enum other operations share is compiled for theirs too.
                let error_gate = match names.ops[k].error_alias_of {
                    Some(_) => api.features.op(k),
                    None => api.features.error(k),
                };
                // So is a struct of parameters.
                let params_gate = match names.ops[k].params_alias_of {
                    Some(_) => api.features.op(k),
                    None => api.features.params(k),
                };
                let own = gate(api.features.op(k));
                let pieces = [
                    super::gated(super::Piece::Tokens(success), own.clone()),
                    super::gated(super::Piece::Tokens(error), gate(error_gate)),
                    super::gated(super::Piece::Tokens(rest), own.clone()),
                    super::gated(super::Piece::Tokens(params), gate(params_gate)),
                    super::gated(super::Piece::Tokens(bodies), own),
                ];
                if pieces.iter().all(|p| matches!(p, super::Piece::Items(_))) {
                    super::Piece::Items(
                        pieces
                            .into_iter()
                            .flat_map(|p| match p {
                                super::Piece::Items(items) => items,
                                _ => Vec::new(),
                            })
                            .collect(),
                    )
                } else {
                    super::Piece::Tokens(pieces.into_iter().map(piece_tokens).collect())
                }
            }
        }),
    }
}

/// A type's items. Structs, enums and aliases, nearly all of a large
/// module's types, are built as syntax trees (see `syntax`); unions, with
/// their hand-written `Deserialize`, are tokens for the formatter to parse.
fn type_def(i: usize, def: &TypeDef, names: &Names, docs: &Docs) -> super::Piece {
    use super::syntax::{self, word};
    let tn = &names.types[i];
    let name = ident(&tn.ident);
    // The spec's words, or where the type comes from.
    let text = def.summary.as_deref().or(def.docs.as_deref());
    let doc = || docs.trees(text);
    let items = match &def.kind {
        TypeKind::Union(u) => {
            let extra = extra_derives(def, BUILT_IN_UNION);
            let mut doc = docs.of(text);
            if def.deprecated {
                let attr = super::deprecated(def.docs.as_deref());
                doc.extend(quote!(#attr));
            }
            return super::Piece::Tokens(union(u, &name, tn, names, doc, docs, &extra));
        }
        TypeKind::Alias(t) => {
            let mut attrs = doc();
            attrs.extend(def.deprecated.then(|| super::deprecated(def.docs.as_deref())));
            vec![syntax::item_type(attrs, name, ty(t, names, Place::InTypes))]
        }
        TypeKind::Struct(s) => {
            let mut attrs = doc();
            attrs.extend(def.deprecated.then(|| super::deprecated(def.docs.as_deref())));
            let all_optional =
                s.fields.iter().all(|f| !matches!(Presence::of(f), Presence::Required));
            let extra = extra_derives(def, if all_optional { BUILT_IN_DEFAULT } else { BUILT_IN });
            // A derive of the user's may read `#[serde]` attributes (a JSON
            // Schema derive reads the wire names): then serde's own derive
            // writes `Serialize`, to give those attributes a meaning.
            let serde_attrs = extra.iter().any(|p| {
                let last = p.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
                !STD_DERIVES.contains(&last.as_str())
            });
            let mut fields: Vec<syn::Field> = s
                .fields
                .iter()
                .zip(&tn.members)
                .map(|(f, member)| field(f, member, names, docs, serde_attrs))
                .collect();
            let extra_name = s
                .additional
                .as_ref()
                .map(|_| ident(tn.extra.as_deref().expect("named with the struct")));
            if let Some((a, fname)) = s.additional.as_ref().zip(extra_name.as_ref()) {
                let v = ty(&Ty::Map(Box::new(a.clone())), names, Place::InTypes);
                let mut attrs = docs.trees(Some("Properties beside the declared ones."));
                if serde_attrs {
                    attrs.push(syntax::attribute(word("serde").into(), quote!(flatten)));
                }
                fields.push(syntax::field(attrs, Some(fname.clone()), v));
            }
            let derives = [quote!(Debug), quote!(Clone), quote!(PartialEq)]
                .into_iter()
                .chain(all_optional.then(|| quote!(Default)))
                .chain(serde_attrs.then(|| quote!(::serde::Serialize)))
                .chain(extra.iter().map(|p| quote!(#p)));
            attrs.push(syntax::attribute(word("derive").into(), quote!(#(#derives),*)));
            attrs.push(non_exhaustive());
            let de = struct_serde(&name, s, &fields, extra_name.as_ref(), serde_attrs);
            let new = constructor(s, &name, &fields, extra_name.as_ref());
            let mut items = vec![syntax::item_struct(attrs, name, fields), de];
            items.extend(new);
            items
        }
        TypeKind::Enum(e) => {
            let mut attrs = doc();
            attrs.extend(def.deprecated.then(|| super::deprecated(def.docs.as_deref())));
            let variants: Vec<_> = tn.members.iter().map(|m| ident(m)).collect();
            let values = e.values.iter().map(|v| string_literal(v));
            let other = ident(tn.extra.as_deref().expect("named with the enum"));
            let extra = extra_derives(def, BUILT_IN_ENUM);
            attrs.push(syntax::attribute(
                word("derive").into(),
                quote!(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord #(, #extra)*),
            ));
            attrs.push(non_exhaustive());
            let other_doc = docs
                .trees(Some("A value not known when this client was generated, kept as received."));
            let all = variants
                .iter()
                .map(|v| syntax::variant(Vec::new(), v.clone(), None))
                .chain([syntax::variant(other_doc, other.clone(), Some(string(names)))])
                .collect();
            let string_enum =
                runtime_macro("string_enum", quote!(#name, #other #(, #variants = #values)*));
            vec![syntax::item_enum(attrs, name, all), string_enum]
        }
    };
    super::Piece::Items(items)
}

/// `new` for a struct with required fields: the required ones as
/// arguments, every other `None`. Structs are `#[non_exhaustive]`, so this
/// (or `Default`, for those whose fields are all optional) is how code
/// outside the crate builds one, and it still compiles when a spec update
/// adds an optional field, where a struct literal would not.
fn constructor(
    s: &Struct,
    name: &proc_macro2::Ident,
    fields: &[syn::Field],
    extra: Option<&proc_macro2::Ident>,
) -> Option<syn::Item> {
    let required: Vec<bool> = s
        .fields
        .iter()
        .map(|f| matches!(Presence::of(f), Presence::Required | Presence::RequiredNullable))
        .collect();
    if !required.iter().any(|r| *r) {
        return None;
    }
    let (mut args, mut inits) = (Vec::new(), Vec::new());
    for (f, required) in fields.iter().zip(&required) {
        let (id, t) = (f.ident.as_ref()?, &f.ty);
        if *required {
            args.push(quote!(#id: #t));
            inits.push(quote!(#id));
        } else {
            inits.push(quote!(#id: ::std::option::Option::None));
        }
    }
    if let Some(extra) = extra {
        inits.push(quote!(#extra: ::std::default::Default::default()));
    }
    syn::parse2(quote! {
        impl #name {
            /// The required fields; every optional one is `None`, to set by name.
            #[inline]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
        }
    })
    .ok()
}

/// Generated structs and enums are `#[non_exhaustive]`: a spec update that
/// adds a field, a value, a variant or an answer must not break code that
/// builds or matches them outside the crate (inside it, the attribute has
/// no effect).
fn non_exhaustive() -> syn::Attribute {
    super::syntax::word_attribute("non_exhaustive")
}

/// What generated types derive already, by the last segment of the path.
const BUILT_IN: &[&str] = &["Debug", "Clone", "PartialEq", "Serialize"];
/// Derives of the standard library, which read no `#[serde]` attribute.
const STD_DERIVES: &[&str] = &["Eq", "Hash", "PartialOrd", "Ord", "Default", "Copy"];
const BUILT_IN_DEFAULT: &[&str] = &["Debug", "Clone", "PartialEq", "Serialize", "Default"];
const BUILT_IN_UNION: &[&str] = BUILT_IN;
const BUILT_IN_ENUM: &[&str] = &["Debug", "Clone", "PartialEq", "Eq", "Hash", "PartialOrd", "Ord"];

/// The derives the user's settings add to `def` (paths checked when the
/// settings were read), but none the type derives already: asking for
/// `Eq` everywhere must not derive it twice on string enums.
fn extra_derives(def: &TypeDef, built_in: &[&str]) -> Vec<syn::Path> {
    let mut seen: Vec<String> = Vec::new();
    def.derives
        .iter()
        .filter_map(|d| syn::parse_str::<syn::Path>(d).ok())
        .filter(|p| {
            let last = p.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
            let key = quote!(#p).to_string();
            let new = !built_in.contains(&last.as_str()) && !seen.contains(&key);
            seen.push(key);
            new
        })
        .collect()
}

/// A call of one of the runtime's macros, `crate::runtime::name!(tokens);`.
fn runtime_macro(name: &str, tokens: TokenStream) -> syn::Item {
    use super::syntax;
    syntax::macro_call(syntax::runtime(&[name]), tokens)
}

/// A `oneOf`/`anyOf`. Without a discriminator serde tries the variants in
/// order; with one, the tag picks the variant, so a value never lands in the
/// wrong variant because its shape happens to fit.
fn union(
    u: &Union,
    name: &proc_macro2::Ident,
    tn: &crate::name::TypeNames,
    names: &Names,
    doc: TokenStream,
    docs: &Docs,
    extra: &[syn::Path],
) -> TokenStream {
    let other = ident(tn.extra.as_deref().expect("named with the union"));
    let variants: Vec<_> = tn.members.iter().map(|m| ident(m)).collect();
    let tys: Vec<syn::Type> = u
        .variants
        .iter()
        .map(|v| {
            let t = ty(&v.ty, names, Place::InTypes);
            if v.boxed {
                boxed(t, names)
            } else {
                t
            }
        })
        .collect();
    let other_doc =
        quote!(#[doc = " A value that matches none of the variants, kept as received."]);
    let (some, result, ok) = (some(names), result(names), ok(names));
    let Some(tag) = &u.tag else {
        if variants.is_empty() {
            // Every variant was dropped: anything is `Other`.
            return quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize #(, #extra)*)]
                #[serde(untagged)]
                #[non_exhaustive]
                pub enum #name {
                    #other_doc
                    #other(::serde_json::Value),
                }

                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> #result<Self, __D::Error> {
                        let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                        #ok(Self::#other(value))
                    }
                }
            };
        }
        // Tried in order, as serde's `untagged` would, without the derive's
        // buffering machinery per union; the first variant that keeps every
        // property wins, else the one that keeps most (`try_variant`).
        return quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize #(, #extra)*)]
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum #name {
                #( #variants(#tys), )*
                #other_doc
                #other(::serde_json::Value),
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> #result<Self, __D::Error> {
                    let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                    let mut best = ::std::option::Option::None;
                    #(
                        if let #some(v) = crate::runtime::try_variant(&value, &mut best, Self::#variants) {
                            return #ok(v);
                        }
                    )*
                    #ok(best.map_or(Self::#other(value), |(v, _)| v))
                }
            }
        };
    };
    let arms = u.variants.iter().zip(&variants).map(|(v, var)| {
        let value = v.tag_value.as_deref().expect("tagged unions tag every variant");
        let wrap = if v.boxed {
            let boxed =
                if names.prelude { quote!(Box::new) } else { quote!(::std::boxed::Box::new) };
            quote!(|v| Self::#var(#boxed(v)))
        } else {
            quote!(Self::#var)
        };
        quote!(#some(#value) => crate::runtime::from_json_value(value).map(#wrap),)
    });
    let tag_doc = docs.attrs(&format!("Chosen by the `{tag}` property."));
    quote! {
        #doc
        #[doc = ""]
        #tag_doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize #(, #extra)*)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants(#tys), )*
            #other_doc
            #other(::serde_json::Value),
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> #result<Self, __D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                match value.get(#tag).and_then(::serde_json::Value::as_str) {
                    #(#arms)*
                    _ => #ok(Self::#other(value)),
                }
            }
        }
    }
}

/// A struct's `Serialize` and `Deserialize`, written by the runtime's
/// `serde_struct!` (or its `deserialize_struct!` alone, beside serde's
/// derive): per field its name, type, wire name and kind, which says how
/// absence and `null` read and whether `None` is sent. The type is the
/// field's again: with it, each value read has its type where it is read,
/// not inferred from the struct built at the end, which rustc resolved with
/// every field's read still pending (a third of checking Graph's `User`).
fn struct_serde(
    name: &proc_macro2::Ident,
    s: &Struct,
    declared: &[syn::Field],
    extra: Option<&proc_macro2::Ident>,
    derived_serialize: bool,
) -> syn::Item {
    let fields = s.fields.iter().zip(declared).map(|(f, declared)| {
        let member = declared.ident.as_ref().expect("struct fields are named");
        let wire = string_literal(&f.name);
        let kind = match Presence::of(f) {
            Presence::Required => quote!(required),
            Presence::RequiredNullable => quote!(always),
            Presence::Optional => quote!(optional),
            Presence::OptionalNullable => quote!(nullable),
        };
        let ty = &declared.ty;
        quote!(#kind(#member: #ty, #wire))
    });
    let extra = extra.map(|e| quote!(..#e));
    let mac = if derived_serialize { "deserialize_struct" } else { "serde_struct" };
    // Written as a list of calls so that it formats like code.
    runtime_macro(mac, quote!(#name, #(#fields,)* #extra))
}

/// How a field's value may be missing, which decides both its Rust type and
/// how decoding finishes it.
enum Presence {
    /// `T`: absent is an error.
    Required,
    /// `Option<T>`, always sent (as `null` when `None`).
    RequiredNullable,
    /// `Option<T>`, left out when `None`; absent and `null` read as `None`.
    Optional,
    /// `Option<Option<T>>`: absent is `None`, `null` is `Some(None)`, which
    /// a server may read differently (PATCH: `null` clears). In every type,
    /// whether a request reaches it or not, so that a type's shape depends
    /// on its schema alone: an operation added elsewhere never changes it.
    OptionalNullable,
}

impl Presence {
    fn of(f: &Field) -> Presence {
        match (f.required, f.nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, true) => Presence::OptionalNullable,
            (false, false) => Presence::Optional,
        }
    }
}

/// A field's type as declared in its struct.
pub(crate) fn field_ty(f: &Field, names: &Names) -> syn::Type {
    let mut t = ty(&f.ty, names, Place::InTypes);
    if f.boxed {
        t = boxed(t, names);
    }
    match Presence::of(f) {
        Presence::Required => t,
        Presence::RequiredNullable | Presence::Optional => option(t, names),
        Presence::OptionalNullable => option(option(t, names), names),
    }
}

fn field(f: &Field, member: &str, names: &Names, docs: &Docs, serde_attrs: bool) -> syn::Field {
    let name = ident(member);
    let mut attrs = docs.trees(f.docs.as_deref());
    attrs.extend(f.deprecated.then(|| super::deprecated(f.docs.as_deref())));
    let t = field_ty(f, names);
    if !serde_attrs {
        return super::syntax::field(attrs, Some(name), t);
    }
    let mut serde: Vec<TokenStream> = Vec::new();
    if crate::name::ident::bare(member) != f.name {
        let wire = string_literal(&f.name);
        serde.push(quote!(rename = #wire));
    }
    if matches!(Presence::of(f), Presence::Optional | Presence::OptionalNullable) {
        serde.push(quote!(skip_serializing_if = "::std::option::Option::is_none"));
    }
    if !serde.is_empty() {
        attrs.push(super::syntax::attribute(
            super::syntax::word("serde").into(),
            quote!(#(#serde),*),
        ));
    }
    super::syntax::field(attrs, Some(name), t)
}

/// Outcome doc: status, media type, then the spec's description.
fn outcome_doc(o: &Outcome, headers: Option<&str>, docs: &Docs) -> TokenStream {
    let status = match o.status {
        StatusKey::Default => "Any other status".to_string(),
        other => super::status_text(other),
    };
    let media = o.content.as_ref().map(|c| format!(" `{}`", c.media_type)).unwrap_or_default();
    let mut text = match o.docs.as_deref() {
        Some(d) => format!("{status}{media}: {d}"),
        None => format!("{status}{media}"),
    };
    if let Some(h) = headers {
        text.push_str(&format!("\n\nTyped headers: [`{h}`] (`response.headers_as::<{h}>()`)."));
    }
    docs.attrs(&text)
}

/// A piece's items as tokens again.
fn piece_tokens(piece: super::Piece) -> TokenStream {
    match piece {
        super::Piece::Tokens(t) => t,
        super::Piece::Items(items) => quote!(#(#items)*),
        super::Piece::ImplItem(item) => match *item {
            Ok(item) => quote!(#item),
            Err(e) => e.to_compile_error(),
        },
    }
}

/// An operation's success enum, its error enum (which operations that
/// answer alike share) and its header structs.
fn op_enums(
    op: &Operation,
    i: usize,
    names: &Names,
    docs: &Docs,
) -> (TokenStream, TokenStream, TokenStream) {
    let on = &names.ops[i];
    let enum_of =
        |name: &str, outcomes: &[Outcome], variants: &[String], what: &str, success: bool| {
            let name = ident(name);
            // A stream can be neither cloned nor compared.
            let derives = if success && op.streams() {
                quote!(#[derive(Debug)])
            } else {
                quote!(#[derive(Debug, Clone, PartialEq)])
            };
            let also = match (success, on.error_shared_by) {
                (true, _) | (false, 0) => String::new(),
                (false, 1) => ", and of one more operation that answers the same".to_string(),
                (false, n) => format!(", and of {n} more operations that answer the same"),
            };
            let bodies = if success || outcomes.iter().all(|o| o.content.is_none()) {
                ""
            } else {
                "\n\nThe status decides the variant; a body is `None` when the answer has \
                 none of the documented type (the raw answer is in `ApiError::response`)."
            };
            let doc = docs.attrs(&format!(
                "{what} of `{}` (`{} {}`){also}.{bodies}",
                op.id,
                op.method.as_str(),
                op.path
            ));
            let vs = outcomes.iter().zip(variants).map(|(o, v)| {
                let v = ident(v);
                let d = outcome_doc(
                    o,
                    on.headers.iter().find(|h| h.status == o.status).map(|h| h.ident.as_str()),
                    docs,
                );
                match &o.content {
                    Some(c) => {
                        // An error status is its variant whatever its body
                        // (see the runtime's `err_json`): the body may be absent.
                        let t = if success {
                            super::success_body_ty(&c.kind, names, Place::InTypes)
                        } else {
                            option(body_ty(&c.kind, names, Place::InTypes), names)
                        };
                        quote! { #d #v(#t), }
                    }
                    None => quote! { #d #v, },
                }
            });
            quote! {
                #doc
                #derives
                #[non_exhaustive]
                pub enum #name {
                    #(#vs)*
                }
            }
        };
    let success = on
        .success
        .as_deref()
        .map(|n| enum_of(n, &op.success, &on.success_variants, "The successful answers", true));
    let error = on.error.as_deref().map(|n| match &on.error_alias_of {
        Some(owner) => {
            let doc = docs.attrs(&format!(
                "The documented error answers of `{}` (`{} {}`): the same as [`{owner}`]'s.",
                op.id,
                op.method.as_str(),
                op.path
            ));
            let (n, owner) = (ident(n), ident(owner));
            quote! { #doc pub type #n = #owner; }
        }
        None => enum_of(n, &op.errors, &on.error_variants, "The documented error answers", false),
    });
    let headers = on.headers.iter().map(|set| header_struct(op, set, names, docs));
    (quote! { #success }, quote! { #error }, quote! { #(#headers)* })
}

/// The headers one status of an operation declares, each an `Option` that is
/// `None` when the header is absent or does not parse as its type (its text
/// is still in `headers()`).
fn header_struct(
    op: &Operation,
    set: &crate::name::HeaderSetNames,
    names: &Names,
    docs: &Docs,
) -> TokenStream {
    let outcome = op
        .success
        .iter()
        .chain(&op.errors)
        .find(|o| o.status == set.status)
        .expect("named from an outcome");
    let name = ident(&set.ident);
    let doc = docs.attrs(&format!(
        "The headers of a {} answer to `{}` (`{} {}`), from `headers_as()`.",
        super::status_text(set.status),
        op.id,
        op.method.as_str(),
        op.path
    ));
    let fields = outcome.headers.iter().zip(&set.fields).map(|(h, f)| {
        let f = ident(f);
        let t = ty(&h.ty, names, Place::InTypes);
        let d = docs.of(h.docs.as_deref());
        let t = option(t, names);
        quote! { #d pub #f: #t, }
    });
    let reads = outcome.headers.iter().zip(&set.fields).map(|(h, f)| {
        let f = ident(f);
        let wire = h.name.to_ascii_lowercase();
        quote! { #f: crate::runtime::typed_header(headers, #wire), }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl crate::runtime::FromHeaders for #name {
            fn from_headers(headers: &crate::runtime::HeaderMap) -> Self {
                Self { #(#reads)* }
            }
        }
    }
}

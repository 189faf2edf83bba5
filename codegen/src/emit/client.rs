//! Emits `Client`: construction, credentials, and one method per operation.
//! Each method builds a `runtime::Request` and returns `runtime::Call`, the
//! runtime's one generic future, with a plain closure that maps the status
//! (and, where one status has several bodies, the content type) to a typed
//! result. Methods are not `async fn`s: a state machine per operation was
//! most of what checking a large generated crate cost.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, is_scalar, option, some, spec_type, success_body_ty, syntax, ty, Docs, Place};
use crate::model::*;
use crate::name::{ChoiceNames, Names, OpNames};
use syn::Expr;

pub(super) fn client<'a>(api: &'a Api, names: &'a Names) -> Vec<super::Section<'a>> {
    // What is built here, once, keeps its docs in its tokens; the methods'
    // docs go where the formatter's `Docs` says.
    let docs = Docs::inline();
    let default_server = api.servers.iter().find(|s| is_absolute(&s.url));
    let constructors = match default_server {
        Some(server) => {
            let url = &server.url;
            let url_doc = docs.attrs(&format!("The first server the spec lists: `{url}`."));
            quote! {
                #url_doc
                pub const DEFAULT_BASE_URL: &'static str = #url;

                /// A client for [`Self::DEFAULT_BASE_URL`].
                pub fn new() -> Self {
                    Self::with_base_url(Self::DEFAULT_BASE_URL)
                }
            }
        }
        None => quote!(),
    };
    let default_impl = default_server.map(|_| {
        quote! {
            impl ::std::default::Default for Client {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let auth: Vec<TokenStream> = api
        .security_schemes
        .iter()
        .zip(&names.auth)
        .zip(&names.auth_client_credentials)
        .map(|((s, m), cc)| {
            let token = auth_method(s, m, &docs);
            let provider =
                cc.as_ref().map(|(with, from)| client_credentials_method(s, with, from, &docs));
            quote!(#token #provider)
        })
        .collect();
    let doc = docs.attrs(&format!("A client for {} (version {}).", api.title, api.version));
    // The constructors are built once, as text, so the block's closure can be shared across threads.
    let head = quote! {
        #constructors

        /// A client for another server (a proxy, a mock, a regional endpoint).
        pub fn with_base_url(base_url: impl ::std::convert::Into<::std::string::String>) -> Self {
            Self { core: crate::runtime::ClientCore::new(base_url.into()) }
        }

        // The settings every client takes, written once in the runtime.
        crate::runtime::client_settings!();

        #(#auth)*
    }
    .to_string();
    let shared = &api.sharing.decoders;
    // Every method names these; nothing else in this module can take their
    // names (spec types live in `types`), and `crate::runtime::` at each
    // use was a tenth of the tokens of a large client.
    let mut used = Vec::new();
    if !api.operations.is_empty() {
        used.extend([quote!(Call), quote!(Method), quote!(Request)]);
    }
    if api.operations.iter().any(|op| op.path_parts.iter().any(|p| matches!(p, PathPart::Param(_))))
    {
        used.push(quote!(path_segment));
    }
    // With tag features, a build may enable no operation that uses them.
    let allow = (!names.features.is_empty()).then(|| quote!(#[allow(unused_imports)]));
    let imports = (!used.is_empty()).then(|| quote!(#allow use crate::runtime::{#(#used),*};));
    let mut sections = vec![
        super::Section::Items(quote! {
            #imports

            #doc
            ///
            /// Cheap to clone: clones share one connection pool.
            #[derive(Debug, Clone)]
            pub struct Client {
                core: crate::runtime::ClientCore,
            }

            #default_impl
        }),
        super::Section::Block(super::Block {
            open: Box::new(|| quote!(impl Client)),
            len: 1 + api.operations.len(),
            item: Box::new(move |i, docs| match i {
                0 => super::Piece::Tokens(
                    head.parse().expect("tokens printed by proc_macro2 parse back"),
                ),
                _ => super::gated(
                    super::Piece::ImplItem(Box::new(
                        operation(
                            api,
                            &api.operations[i - 1],
                            &names.ops[i - 1],
                            names,
                            api.sharing.decoder_of(i - 1),
                            None,
                            docs,
                        )
                        .map(syn::ImplItem::Fn),
                    )),
                    super::cfg(api.features.op(i - 1), names),
                ),
            }),
        }),
    ];
    // The methods that take a body in any media type the operation accepts.
    let choices: Vec<usize> =
        (0..api.operations.len()).filter(|&i| names.ops[i].choice.is_some()).collect();
    if !choices.is_empty() {
        sections.push(super::Section::Block(super::Block {
            open: Box::new(|| quote!(impl Client)),
            len: choices.len(),
            item: Box::new(move |n, docs| {
                let i = choices[n];
                super::gated(
                    super::Piece::ImplItem(Box::new(
                        operation(
                            api,
                            &api.operations[i],
                            &names.ops[i],
                            names,
                            api.sharing.decoder_of(i),
                            names.ops[i].choice.as_ref(),
                            docs,
                        )
                        .map(syn::ImplItem::Fn),
                    )),
                    super::cfg(api.features.op(i), names),
                )
            }),
        }));
    }
    if !shared.is_empty() {
        sections.push(super::Section::Block(super::Block {
            open: Box::new(|| quote!(impl Client)),
            len: shared.len(),
            item: Box::new(move |n, docs| {
                let tokens = shared_decoder(api, names, n, shared[n], docs);
                match super::cfg(api.features.decoder(n), names) {
                    None => super::Piece::Tokens(tokens),
                    Some(attr) => super::Piece::ImplItem(Box::new(
                        syn::parse2::<syn::ImplItem>(tokens).map(|mut item| {
                            if let syn::ImplItem::Fn(f) = &mut item {
                                f.attrs.insert(0, attr);
                            }
                            item
                        }),
                    )),
                }
            }),
        }));
    }
    sections
}

fn is_absolute(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

fn auth_method(s: &SecurityScheme, method: &str, docs: &Docs) -> TokenStream {
    let m = ident(method);
    let scheme = &s.name;
    let scheme_doc = docs.of(s.docs.as_deref());
    let what = match &s.kind {
        SecurityKind::Bearer => {
            format!("Authenticates with a bearer token (security scheme `{scheme}`).")
        }
        SecurityKind::Basic => {
            format!("Authenticates with HTTP basic auth (security scheme `{scheme}`).")
        }
        SecurityKind::ApiKey { location, param } => {
            let loc = match location {
                ApiKeyLocation::Header => "header",
                ApiKeyLocation::Query => "query parameter",
                ApiKeyLocation::Cookie => "cookie",
            };
            format!("Sends an API key in the `{param}` {loc} (security scheme `{scheme}`).")
        }
        SecurityKind::OAuth2 { token_url } => {
            let from = token_url
                .as_deref()
                .map(|u| format!(" Tokens are issued by `{u}`."))
                .unwrap_or_default();
            format!("Authenticates with an OAuth2 access token, sent as a bearer token (security scheme `{scheme}`).{from}")
        }
    };
    let what = docs.attrs(&what);
    let sep = if s.docs.is_some() { quote!(#[doc = ""]) } else { quote!() };
    let (args, credential) = match &s.kind {
        SecurityKind::Bearer | SecurityKind::OAuth2 { .. } => (
            quote!(token: impl ::std::convert::Into<::std::string::String>),
            quote!(crate::runtime::Credential::Bearer(crate::runtime::Secret::new(token))),
        ),
        SecurityKind::Basic => (
            quote!(
                username: impl ::std::convert::Into<::std::string::String>,
                password: impl ::std::convert::Into<::std::string::String>
            ),
            quote!(crate::runtime::Credential::Basic {
                username: username.into(),
                password: crate::runtime::Secret::new(password),
            }),
        ),
        SecurityKind::ApiKey { location, param } => {
            let loc = match location {
                ApiKeyLocation::Header => quote!(Header),
                ApiKeyLocation::Query => quote!(Query),
                ApiKeyLocation::Cookie => quote!(Cookie),
            };
            (
                quote!(key: impl ::std::convert::Into<::std::string::String>),
                quote!(crate::runtime::Credential::ApiKey {
                    location: crate::runtime::KeyLocation::#loc,
                    name: #param,
                    value: crate::runtime::Secret::new(key),
                }),
            )
        }
    };
    quote! {
        #what
        #sep
        #scheme_doc
        pub fn #m(mut self, #args) -> Self {
            self.core.set_credential(#scheme, #credential);
            self
        }
    }
}

/// For an OAuth2 scheme with a `clientCredentials` flow: tokens fetched from
/// the spec's token URL, or from the caller's own `ClientCredentials`.
fn client_credentials_method(
    s: &SecurityScheme,
    method: &str,
    from: &str,
    docs: &Docs,
) -> TokenStream {
    let SecurityKind::OAuth2 { token_url: Some(token_url) } = &s.kind else {
        return TokenStream::new();
    };
    let m = ident(method);
    let scheme = &s.name;
    let doc = docs.attrs(&format!(
        "Authenticates with OAuth2 client credentials (security scheme `{scheme}`): access tokens \
         are fetched from `{token_url}`, cached, and fetched again before they expire or when the \
         API rejects one. For other scopes or another token endpoint, pass a \
         [`crate::runtime::ClientCredentials`] to `{from}`."
    ));
    let from = ident(from);
    let from_doc = docs.attrs(&format!(
        "Authenticates with OAuth2 client credentials you configured (security scheme `{scheme}`)."
    ));
    quote! {
        #doc
        pub fn #m(
            self,
            client_id: impl ::std::convert::Into<::std::string::String>,
            client_secret: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.#from(crate::runtime::ClientCredentials::new(#token_url, client_id, client_secret, &[]))
        }

        #from_doc
        pub fn #from(mut self, credentials: crate::runtime::ClientCredentials) -> Self {
            self.core.set_credential(#scheme, crate::runtime::Credential::ClientCredentials(credentials));
            self
        }
    }
}

/// How a parameter is passed to the method.
fn param_ty(t: &Ty, required: bool, names: &Names) -> syn::Type {
    use syntax::{named_type, ref_type, slice_type};
    let base = match t {
        Ty::String => ref_type(named_type(false, &["str"])),
        Ty::Bool | Ty::Int(_) | Ty::Float | Ty::DateTime | Ty::Date | Ty::Uuid => {
            ty(t, names, Place::Outside)
        }
        Ty::List(item) => ref_type(slice_type(ty(item, names, Place::Outside))),
        other => ref_type(ty(other, names, Place::Outside)),
    };
    if required {
        base
    } else {
        option(base, names)
    }
}

/// An operation method's arguments after `&self`, by name: its required
/// parameters, then its body.
pub(crate) fn arguments<'a>(
    op: &Operation,
    on: &'a OpNames,
    names: &Names,
) -> Vec<(&'a str, syn::Type)> {
    let mut args: Vec<(&str, syn::Type)> = op
        .params
        .iter()
        .zip(&on.params)
        .filter(|(p, _)| p.required)
        .map(|(p, n)| (n.as_str(), param_ty(&p.ty, true, names)))
        .collect();
    if let Some(b) = &op.body {
        let t = body_arg_ty(&b.kind, on, names, Place::Outside, false);
        args.push((&on.body, if b.required { t } else { option(t, names) }));
    }
    args
}

/// The arguments of an operation's `_as` method: its method's, with the
/// body enum for the body.
pub(crate) fn choice_arguments<'a>(
    op: &Operation,
    on: &'a OpNames,
    c: &ChoiceNames,
    names: &Names,
) -> Vec<(&'a str, syn::Type)> {
    let mut args = arguments(op, on, names);
    if let Some(b) = &op.body {
        let t = choice_type(b, c, Place::Outside, true);
        if let Some(last) = args.last_mut() {
            last.1 = if b.required { t } else { option(t, names) };
        }
    }
    args
}

/// The variants of an operation's body enum: media type, name and what it
/// holds (`&Pet` with the lifetime elided when `lifetime` is false).
pub(crate) fn choice_variants<'a>(
    op: &'a Operation,
    on: &'a OpNames,
    names: &Names,
    place: Place,
    lifetime: bool,
) -> Vec<(&'a str, &'a str, syn::Type)> {
    let (Some(c), Some(b)) = (&on.choice, &op.body) else { return Vec::new() };
    b.choices()
        .zip(&c.variants)
        .map(|((media, kind), v)| {
            (media, v.as_str(), body_arg_ty(kind, on, names, place, lifetime))
        })
        .collect()
}

/// The fields of an operation's typed multipart body: each part, its
/// field's name and type (`Option` unless the part is required).
pub(crate) fn form_fields<'a>(
    op: &'a Operation,
    on: &'a OpNames,
    names: &Names,
) -> Vec<(&'a FormPart, &'a str, syn::Type)> {
    let (Some(form), Some(fnames)) = (op.body.as_ref().and_then(Body::form), &on.form) else {
        return Vec::new();
    };
    form.parts
        .iter()
        .zip(&fnames.fields)
        .map(|(p, f)| {
            let t = part_ty(p, names);
            (
                p,
                f.as_str(),
                if p.required { t } else { syn::parse_quote!(::std::option::Option<#t>) },
            )
        })
        .collect()
}

/// The Rust type of one part of a typed multipart body.
fn part_ty(p: &FormPart, names: &Names) -> syn::Type {
    let file = syntax::runtime_type("FilePart");
    match &p.kind {
        PartKind::Text(t) => ty(t, names, Place::InTypes),
        PartKind::Texts(t) => {
            let t = ty(t, names, Place::InTypes);
            syn::parse_quote!(::std::vec::Vec<#t>)
        }
        PartKind::File => file,
        PartKind::Files => syn::parse_quote!(::std::vec::Vec<#file>),
    }
}

/// What `.items()` of a paginated operation's call yields.
pub(crate) fn page_item_ty(op: &Operation, names: &Names) -> Option<syn::Type> {
    op.paging.as_ref().map(|p| ty(&p.item, names, Place::InTypes))
}

/// What an operation's call answers: its success and its error types.
pub(crate) fn answer_types(op: &Operation, on: &OpNames, names: &Names) -> (syn::Type, syn::Type) {
    (ok_ty(op, on, names, Place::Outside), error_ty(on.error.as_deref(), Place::Outside))
}

/// One method per operation, built as a syntax tree (see `syntax`): the
/// one item a large module has thousands of.
fn operation(
    api: &Api,
    op: &Operation,
    on: &OpNames,
    names: &Names,
    decoder: Option<usize>,
    choice: Option<&ChoiceNames>,
    docs: &Docs,
) -> syn::Result<syn::ImplItemFn> {
    use syntax::{array, call, method, path, path_expr, reference, semi, str, var, word};
    let method_name = ident(choice.map_or(&on.method, |c| &c.method));

    // Docs: summary, description, the HTTP line, then the parameters.
    let mut text = String::new();
    for part in [op.summary.as_deref(), op.description.as_deref()].into_iter().flatten() {
        if !part.trim().is_empty() && !text.contains(part.trim()) {
            text.push_str(part.trim());
            text.push_str("\n\n");
        }
    }
    text.push_str(&format!("`{} {}`", op.method.as_str(), op.path));
    if op.deprecated {
        text.push_str("\n\n**Deprecated** by the API.");
    }
    let documented: Vec<_> = op
        .params
        .iter()
        .zip(&on.params)
        .zip(&on.setters)
        // One line per item, or the list would end at the first blank line.
        .filter_map(|((p, n), setter)| {
            p.docs.as_deref().map(|d| {
                let d = d.split_whitespace().collect::<Vec<_>>().join(" ");
                match setter {
                    Some(m) => format!(
                        "- `.{}(...)` on the call, optional: {d}",
                        crate::name::ident::bare(m)
                    ),
                    None => format!("- `{}`: {d}", crate::name::ident::bare(n)),
                }
            })
        })
        .collect();
    if !documented.is_empty() {
        text.push_str("\n\n# Parameters\n\n");
        text.push_str(&documented.join("\n"));
    }
    if !on.headers.is_empty() {
        text.push_str("\n\n# Typed response headers\n\n");
        let lines: Vec<String> = on
            .headers
            .iter()
            .map(|h| {
                format!(
                    "- {}: [`types::{}`] (`headers_as::<types::{}>()`)",
                    super::status_text(h.status),
                    h.ident,
                    h.ident
                )
            })
            .collect();
        text.push_str(&lines.join("\n"));
    }
    if let Some(paging) = &op.paging {
        text.push_str("\n\n# Pages\n\n");
        text.push_str(&pages_doc(paging));
    }
    if let (Some(_), Some(b)) = (choice, &op.body) {
        let media: Vec<String> = b.choices().map(|(m, _)| format!("`{m}`")).collect();
        text = format!(
            "As [`Self::{}`], with the body in any media type the operation accepts: {}.",
            crate::name::ident::bare(&on.method),
            media.join(", ")
        );
    }
    let mut doc = docs.trees(Some(&text));
    if op.deprecated {
        doc.push(super::deprecated(op.description.as_deref().or(op.summary.as_deref())));
    }

    let req = || var(word("req"));
    let runtime = |item: &str| path_expr(syntax::runtime(&[item]));

    let mut args = vec![syntax::ref_self()];
    let arg_list = match choice {
        Some(c) => choice_arguments(op, on, c, names),
        None => arguments(op, on, names),
    };
    args.extend(arg_list.into_iter().map(|(n, t)| syntax::arg(ident(n), t)));
    let mut stmts = Vec::new();
    let mut body_stmt = None;
    if let Some(b) = &op.body {
        let body_name = ident(&on.body);
        let body = || var(body_name.clone());
        // How a body of this kind and media type is added to the request.
        let send = |media: &str, kind: &BodyKind, body: Expr| match kind {
            BodyKind::Json(_) => method(req(), word("json"), [str(media), body]),
            BodyKind::Text => {
                let bytes = method(body, word("as_bytes"), []);
                let copy = call(path_expr(syntax::runtime(&["Bytes", "copy_from_slice"])), [bytes]);
                method(req(), word("raw_body"), [str(media), copy])
            }
            BodyKind::Bytes | BodyKind::Events(_) | BodyKind::Lines(_) => {
                method(req(), word("raw_body"), [str(media), body])
            }
            BodyKind::Form(_) => method(req(), word("form"), [str(media), body]),
            BodyKind::Multipart(Some(_)) if on.form.is_some() => {
                method(req(), word("multipart_body"), [body])
            }
            BodyKind::Multipart(_) => method(req(), word("multipart"), [body]),
        };
        let send = match choice {
            // The `_as` method: one arm per media type of the body enum.
            Some(c) => {
                let enum_name = ident(&c.ident);
                let arms = b.choices().zip(&c.variants).map(|((media, kind), v)| {
                    let v = ident(v);
                    let send = send(media, kind, var(word("b")));
                    quote!(types::#enum_name::#v(b) => #send,)
                });
                syntax::parse::<Expr>(quote!(match #body_name { #(#arms)* }))?
            }
            None => send(&b.media_type, &b.kind, body()),
        };
        body_stmt = Some(if b.required {
            semi(send)
        } else {
            syntax::if_let(some(names), body_name.clone(), body(), vec![semi(send)])
        });
    }

    let path_pieces = op.path_parts.iter().map(|part| match part {
        PathPart::Literal(l) => str(l),
        PathPart::Param(i) => {
            let n = var(ident(&on.params[*i]));
            let value = if is_scalar(&op.params[*i].ty, api) {
                n
            } else {
                call(runtime("json_text"), [reference(n)])
            };
            reference(call(var(word("path_segment")), [reference(value)]))
        }
    });
    // Required parameters are the method's arguments; optional ones are set
    // on the call it returns (`params_items`).
    for (p, n) in op.params.iter().zip(&on.params) {
        if p.required && p.location != ParamLocation::Path {
            stmts.extend(param_stmts(api, p, ident(n), names));
        } else if !p.required && p.is_idempotency_key() {
            // Set with the call's `idempotency_key`, or made by the client.
            let declare = method(req(), word("declare_idempotency_key"), [str(&p.name)]);
            stmts.push(syntax::semi(declare));
        }
    }
    stmts.extend(body_stmt);
    let mutable = !stmts.is_empty();

    let http_method =
        path_expr(path(false, [word("Method"), ident(&op.method.as_str().to_ascii_uppercase())]));
    let mut new_args = vec![http_method, str(&op.id), str(&op.path), str(&op.accept())];
    // A path without parameters is its template.
    let new = match op.path_parts.as_slice() {
        [PathPart::Literal(_)] => "fixed",
        _ => {
            new_args.push(method(array(path_pieces), word("concat"), []));
            "new"
        }
    };
    let new = call(path_expr(path(false, [word("Request"), word(new)])), new_args);
    stmts.insert(0, syntax::local(word("req"), mutable, new));
    let security = || {
        reference(array(op.security.iter().map(|alt| reference(array(alt.iter().map(|s| str(s)))))))
    };

    let streaming = op.streams();
    let read = if streaming { Read::Incoming { success: true } } else { Read::Whole };
    let ok_ty = ok_ty(op, on, names, Place::Outside);
    let err_ty = error_ty(on.error.as_deref(), Place::Outside);
    let core = || syntax::member(var(word("self")), "core");
    if streaming {
        // The arms read or stream the body, so they await: this operation's
        // decoder is a future of its own. Rare; parsed from tokens.
        let decode = decode_match(op, on, read);
        let security = quote::ToTokens::into_token_stream(security());
        // A caller may ask an event stream to reconnect, which sends the
        // request again.
        let resumable = op.has_events().then(|| quote!(req.resumable();));
        let send: syn::Block = syntax::parse(quote! {{
            #resumable
            self.core.call_streaming(req, #security, |raw| {
                ::std::boxed::Box::pin(async move { #decode })
            })
        }})?;
        stmts.extend(send.stmts);
    } else {
        let decode = match decoder {
            Some(n) => path_expr(path(false, [word("Self"), decoder_name(n)])),
            None => syntax::closure(word("raw"), syntax::parse(decode_match(op, on, read))?),
        };
        stmts
            .push(syn::Stmt::Expr(method(core(), word("call"), [req(), security(), decode]), None));
    }
    let mut generics = vec![ok_ty, err_ty];
    if let Some(params) = &on.params_struct {
        // The call, with the optional parameters none of which is set yet.
        if let Some(syn::Stmt::Expr(call, None)) = stmts.pop() {
            let none_set = syntax::call(
                path_expr(path(
                    true,
                    [word("std"), word("default"), word("Default"), word("default")],
                )),
                [],
            );
            stmts.push(syn::Stmt::Expr(method(call, word("with_params"), [none_set]), None));
        }
        generics.push(spec_type(params, Place::Outside));
    }
    let output = syntax::type_with_elided_lifetime(&["Call"], generics);
    let mut attrs = doc;
    attrs.push(syntax::inline());
    Ok(syntax::public_fn(attrs, method_name, args, output, stmts))
}

/// The optional parameters of an operation, for the `types` module: their
/// struct, how they are added to the request, and one method each on the
/// operation's call (`client.find_pets().limit(10)`), so that a parameter
/// a spec adds later breaks no call written before it.
pub(super) fn params_items(
    api: &Api,
    op: &Operation,
    on: &OpNames,
    names: &Names,
    docs: &Docs,
) -> TokenStream {
    let Some(params) = &on.params_struct else { return TokenStream::new() };
    let name = ident(params);
    if let Some(owner) = &on.params_alias_of {
        let owner = ident(owner);
        let doc = docs.attrs(&format!(
            "The optional parameters of `{}` (`{} {}`): the same as [`{owner}`]'s.",
            on.method,
            op.method.as_str(),
            op.path
        ));
        return quote! {
            #doc
            pub type #name = #owner;
        };
    }
    let optional: Vec<(&Param, &String, &String)> = op
        .params
        .iter()
        .zip(&on.params)
        .zip(&on.setters)
        .filter_map(|((p, n), s)| s.as_ref().map(|s| (p, n, s)))
        .collect();
    let fields: Vec<_> = optional.iter().map(|(_, n, _)| ident(n)).collect();
    let owned: Vec<syn::Type> =
        optional.iter().map(|(p, _, _)| ty(&p.ty, names, Place::InTypes)).collect();
    // Each field as the method used to take it (`param_ty`): strings and
    // lists as slices, scalars by value, the rest by reference.
    let shapes = optional.iter().zip(&fields).filter_map(|((p, _, _), f)| match &p.ty {
        Ty::String | Ty::List(_) => Some(quote!(let #f = #f.as_deref();)),
        Ty::Bool | Ty::Int(_) | Ty::Float | Ty::DateTime | Ty::Date | Ty::Uuid => None,
        _ => Some(quote!(let #f = #f.as_ref();)),
    });
    let stmts: Vec<syn::Stmt> = optional
        .iter()
        .zip(&fields)
        .flat_map(|((p, _, _), f)| param_stmts(api, p, f.clone(), names))
        .collect();
    let setters = optional.iter().zip(&fields).zip(&owned).map(|(((p, _, s), f), t)| {
        let setter = ident(s);
        let doc = docs.of(p.docs.as_deref());
        let location = match p.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        };
        let wire = format!("Sent as the {location} parameter `{}`.", p.name);
        let wire = docs.attrs(&wire);
        let sep = if p.docs.is_some() { quote!(#[doc = ""]) } else { quote!() };
        let (arg, value) = match &p.ty {
            Ty::String => {
                (quote!(impl ::std::convert::Into<::std::string::String>), quote!(#f.into()))
            }
            _ => (quote!(#t), quote!(#f)),
        };
        let deprecated = p.deprecated.then(|| super::deprecated(p.docs.as_deref()));
        quote! {
            #doc
            #sep
            #wire
            #deprecated
            #[inline]
            pub fn #setter(mut self, #f: #arg) -> Self {
                self.params_mut().#f = ::std::option::Option::Some(#value);
                self
            }
        }
    });
    let setters: Vec<TokenStream> = setters.collect();
    let setters = (!setters.is_empty()).then(|| {
        quote! {
            impl<'a, T, E> crate::runtime::Call<'a, T, E, #name> {
                #(#setters)*
            }
        }
    });
    let paged = paged(op, &name, names);
    // A paginated operation has parameters even with none to set.
    let req = if optional.is_empty() { quote!(_req) } else { quote!(req) };
    let also = match on.params_shared_by {
        0 => String::new(),
        1 => ", and of 1 more operation that sets the same ones".to_string(),
        n => format!(", and of {n} more operations that set the same ones"),
    };
    let doc = docs.attrs(&format!(
        "The optional parameters of `{}` (`{} {}`){also}, each set with a method of its own on \
         the call it returns.",
        on.method,
        op.method.as_str(),
        op.path
    ));
    quote! {
        #doc
        #[derive(Default)]
        pub struct #name {
            #( #fields: ::std::option::Option<#owned>, )*
        }

        impl crate::runtime::Params for #name {
            #[inline]
            fn apply(self, #req: &mut crate::runtime::Request) {
                let Self { #(#fields),* } = self;
                #(#shapes)*
                #(#stmts)*
            }
        }

        #setters

        #paged
    }
}

/// A typed multipart body, for the `types` module: a struct with one field
/// per part (files are `runtime::FilePart`s), `new` with the required ones,
/// and how it becomes the parts sent.
pub(super) fn form_items(
    api: &Api,
    op: &Operation,
    on: &OpNames,
    names: &Names,
    docs: &Docs,
) -> TokenStream {
    let (Some(form), Some(fnames)) = (op.body.as_ref().and_then(Body::form), &on.form) else {
        return TokenStream::new();
    };
    let name = ident(&fnames.ident);
    let fields: Vec<_> = fnames.fields.iter().map(|f| ident(f)).collect();
    let typed: Vec<_> = form_fields(op, on, names).into_iter().zip(&fields).collect();
    let decls = typed.iter().map(|((p, _, t), f)| {
        let doc = docs.of(p.docs.as_deref());
        quote! { #doc pub #f: #t, }
    });
    // A required part's field is its type itself, as `new` takes it.
    let required: Vec<_> = typed.iter().filter(|((p, _, _), _)| p.required).collect();
    let new_args = required.iter().map(|((_, _, t), f)| quote!(#f: #t));
    let inits = form.parts.iter().zip(&fields).map(|(p, f)| {
        if p.required {
            quote!(#f)
        } else {
            quote!(#f: ::std::option::Option::None)
        }
    });
    let adds = form.parts.iter().zip(&fields).map(|(p, f)| {
        let wire = &p.name;
        // The spec's `encoding` type where the part can be sent as it: a
        // structured value only as JSON, a list of texts only as text.
        let add = match (&p.kind, &p.media) {
            (PartKind::Text(_), Some(PartMedia::Json(m))) => quote!(parts.json_as(#wire, &#f, #m)),
            (PartKind::Text(t), media) if is_scalar(t, api) && *t != Ty::Json => match media {
                Some(PartMedia::Other(m)) => quote!(parts.text_as(#wire, &#f, #m)),
                _ => quote!(parts.text(#wire, &#f)),
            },
            (PartKind::Text(_), _) => quote!(parts.json(#wire, &#f)),
            (PartKind::Texts(_), Some(PartMedia::Other(m))) => {
                quote!(parts.texts_as(#wire, &#f, #m))
            }
            (PartKind::Texts(_), _) => quote!(parts.texts(#wire, &#f)),
            (PartKind::File, Some(PartMedia::Json(m) | PartMedia::Other(m))) => {
                quote!(parts.file_as(#wire, #f, #m))
            }
            (PartKind::File, None) => quote!(parts.file(#wire, #f)),
            (PartKind::Files, Some(PartMedia::Json(m) | PartMedia::Other(m))) => {
                quote!(parts.files_as(#wire, #f, #m))
            }
            (PartKind::Files, None) => quote!(parts.files(#wire, #f)),
        };
        if p.required {
            quote!(#add;)
        } else {
            quote!(if let ::std::option::Option::Some(#f) = #f { #add; })
        }
    });
    let doc = docs.attrs(&format!(
        "The `multipart/form-data` body of `{}` (`{} {}`): one field per part.",
        on.method,
        op.method.as_str(),
        op.path
    ));
    // As for structs: `new` with the required parts, or `Default`.
    let (derives, constructor) = if required.is_empty() {
        (quote!(#[derive(Debug, Default)]), quote!())
    } else {
        let new_doc =
            docs.attrs("The required parts; every optional one is `None`, to set by name.");
        let constructor = quote! {
            impl #name {
                #new_doc
                #[inline]
                pub fn new(#(#new_args),*) -> Self {
                    Self { #(#inits),* }
                }
            }
        };
        (quote!(#[derive(Debug)]), constructor)
    };
    quote! {
        #doc
        #derives
        #[non_exhaustive]
        pub struct #name {
            #(#decls)*
        }

        #constructor

        impl crate::runtime::IntoMultipart for #name {
            #[inline]
            fn into_multipart(self) -> ::std::result::Result<crate::runtime::Multipart, ::std::string::String> {
                let mut parts = crate::runtime::FormParts::default();
                let Self { #(#fields),* } = self;
                #(#adds)*
                parts.finish()
            }
        }
    }
}

/// The type a request body of this kind is taken as: JSON and form values
/// and text by reference (`&'a` in a body enum, elided in a method's
/// argument), bytes and multipart forms by value (a form's files may be
/// streams). Streams of items are answers only: a request body of such a
/// media type is bytes.
fn body_arg_ty(
    kind: &BodyKind,
    on: &OpNames,
    names: &Names,
    place: Place,
    lifetime: bool,
) -> syn::Type {
    let borrowed = |t: syn::Type| -> syn::Type {
        if lifetime {
            syn::parse_quote!(&'a #t)
        } else {
            syntax::ref_type(t)
        }
    };
    match kind {
        BodyKind::Json(t) | BodyKind::Form(t) => borrowed(ty(t, names, place)),
        BodyKind::Text => borrowed(syntax::named_type(false, &["str"])),
        BodyKind::Bytes | BodyKind::Events(_) | BodyKind::Lines(_) => syntax::runtime_type("Bytes"),
        BodyKind::Multipart(Some(_)) => match &on.form {
            Some(form) => spec_type(&form.ident, place),
            None => syntax::runtime_type("Multipart"),
        },
        BodyKind::Multipart(None) => syntax::runtime_type("Multipart"),
    }
}

/// Whether a body of this kind is taken by reference (see `body_arg_ty`).
fn borrows(kind: &BodyKind) -> bool {
    matches!(kind, BodyKind::Json(_) | BodyKind::Form(_) | BodyKind::Text)
}

/// The body enum's type, with `'_` when a variant borrows.
fn choice_type(b: &Body, c: &ChoiceNames, place: Place, elided: bool) -> syn::Type {
    let t = spec_type(&c.ident, place);
    if !b.choices().any(|(_, k)| borrows(k)) {
        return t;
    }
    if elided {
        syn::parse_quote!(#t<'_>)
    } else {
        syn::parse_quote!(#t<'a>)
    }
}

/// The bodies of an operation that accepts several media types, for the
/// `types` module: one variant each, what its `_as` method takes.
pub(super) fn choice_items(
    op: &Operation,
    on: &OpNames,
    names: &Names,
    docs: &Docs,
) -> TokenStream {
    let (Some(c), Some(b)) = (&on.choice, &op.body) else { return TokenStream::new() };
    let name = choice_type(b, c, Place::InTypes, false);
    let variants =
        choice_variants(op, on, names, Place::InTypes, true).into_iter().map(|(media, v, t)| {
            let v = ident(v);
            let doc = docs.attrs(&format!("Sent as `{media}`."));
            quote! { #doc #v(#t), }
        });
    let doc = docs.attrs(&format!(
        "The bodies `{}` sends, one per media type `{}` (`{} {}`) accepts.",
        c.method,
        op.id,
        op.method.as_str(),
        op.path
    ));
    quote! {
        #doc
        #[derive(Debug)]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// What a paginated method's docs say about its pages.
fn pages_doc(paging: &Paging) -> String {
    let how = match &paging.style {
        PageStyle::Cursor { param, next } => {
            format!("the query parameter `{param}` set to the page's `{next}`")
        }
        PageStyle::HasMore { param, more } => {
            format!("`{param}` set to the last item's `id` while the page's `{more}` is true")
        }
        PageStyle::NextUrl { next } => format!("the URL in the page's `{next}`"),
        PageStyle::Link => "the `Link` header's `rel=\"next\"` URL".to_string(),
        PageStyle::Offset { param, .. } => {
            format!("the query parameter `{param}` moved on by each page's items")
        }
        PageStyle::Page { param, first, .. } => {
            format!(
                "the query parameter `{param}` counted up (from {first} when the call sets none)"
            )
        }
    };
    let items = if paging.items.is_empty() {
        "the body".to_string()
    } else {
        format!("`{}`", paging.items)
    };
    format!(
        "`.pages()` on the call fetches every page, and `.items()` the items of each \
         ({items}); the next page is {how}."
    )
}

/// How a paginated operation pages, for the runtime's `.pages()` and
/// `.items()`: written on its parameters' struct, which every such
/// operation has.
fn paged(op: &Operation, params: &proc_macro2::Ident, names: &Names) -> TokenStream {
    let Some(paging) = &op.paging else { return TokenStream::new() };
    let opt = |p: &Option<String>| match p {
        Some(p) => quote!(::std::option::Option::Some(#p)),
        None => quote!(::std::option::Option::None),
    };
    let style = match &paging.style {
        PageStyle::Cursor { param, next } => quote!(Cursor { param: #param, next: #next }),
        PageStyle::HasMore { param, more } => quote!(HasMore { param: #param, more: #more }),
        PageStyle::NextUrl { next } => quote!(NextUrl { next: #next }),
        PageStyle::Link => quote!(Link),
        PageStyle::Offset { param, limit } => {
            let limit = opt(limit);
            quote!(Offset { param: #param, limit: #limit })
        }
        PageStyle::Page { param, size, first } => {
            let size = opt(size);
            let first = proc_macro2::Literal::u64_unsuffixed(*first);
            quote!(Page { param: #param, size: #size, first: #first })
        }
    };
    let item = page_item_ty(op, names);
    let items = &paging.items;
    quote! {
        impl crate::runtime::Paged for #params {
            type Item = #item;
            const PAGING: crate::runtime::Paging = crate::runtime::Paging {
                style: crate::runtime::PageStyle::#style,
                items: #items,
            };
        }
    }
}

/// The statements that add one query, header or cookie parameter to `req`,
/// from `n` as the method takes it (`param_ty`): by value, slice or
/// reference, in an `Option` when it is optional.
fn param_stmts(api: &Api, p: &Param, n: proc_macro2::Ident, names: &Names) -> Vec<syn::Stmt> {
    use syntax::{call, method, path_expr, reference, semi, str, var, word};
    let req = || var(word("req"));
    let runtime = |item: &str| path_expr(syntax::runtime(&[item]));
    let mut stmts = Vec::new();
    let wire = || str(&p.name);
    let scalar_list = matches!(&p.ty, Ty::List(item) if is_scalar(item, api));
    let scalar = is_scalar(&p.ty, api);
    // An optional parameter goes to the `_opt` form of the same call,
    // which skips `None`: one statement instead of an `if let` per parameter
    // (Microsoft Graph has 22,000 optional query parameters).
    let (name, by_ref) = match p.location {
        ParamLocation::Query if scalar_list => ("query_list", false),
        ParamLocation::Query if scalar => ("query", true),
        ParamLocation::Query => ("query_object", true),
        ParamLocation::Header if scalar_list => ("header_list", false),
        ParamLocation::Header if scalar && p.is_idempotency_key() => ("idempotency_key", true),
        ParamLocation::Header if scalar => ("header", true),
        ParamLocation::Cookie if scalar => ("cookie", true),
        ParamLocation::Header | ParamLocation::Cookie => {
            // Objects in headers and cookies go as JSON text; rare enough
            // to keep the `if let`.
            let name = word(if p.location == ParamLocation::Header { "header" } else { "cookie" });
            let send = |v: Expr| {
                semi(method(
                    req(),
                    name.clone(),
                    [wire(), reference(call(runtime("json_text"), [reference(v)]))],
                ))
            };
            stmts.push(if p.required {
                send(var(n))
            } else {
                syntax::if_let(some(names), word("value"), var(n), vec![send(var(word("value")))])
            });
            return stmts;
        }
        ParamLocation::Path => return stmts,
    };
    // `_opt` forms take the `Option` as it is.
    let value = if p.required && by_ref { reference(var(n)) } else { var(n) };
    let mut call_args = vec![wire(), value];
    match p.location {
        ParamLocation::Query if scalar_list => call_args.push(syntax::bool(p.explode)),
        ParamLocation::Query if !scalar => {
            call_args.extend([syntax::bool(p.explode), syntax::bool(p.deep_object)])
        }
        _ => {}
    }
    let name = if p.required { word(name) } else { quote::format_ident!("{name}_opt") };
    stmts.push(semi(method(req(), name, call_args)));
    stmts
}

/// Outcomes with their variants, grouped in match order (`model::match_order`).
fn by_status<'a>(
    outcomes: &'a [Outcome],
    variants: &'a [String],
) -> Vec<(StatusKey, Vec<(&'a Outcome, &'a String)>)> {
    match_order(outcomes)
        .into_iter()
        .map(|(status, group)| {
            (status, group.into_iter().map(|i| (&outcomes[i], &variants[i])).collect())
        })
        .collect()
}

fn status_pattern(s: StatusKey) -> TokenStream {
    match s {
        StatusKey::Code(c) => {
            let c = proc_macro2::Literal::u16_unsuffixed(c);
            quote!(#c)
        }
        StatusKey::Range(r) => {
            let lo = proc_macro2::Literal::u16_unsuffixed(r * 100);
            let hi = proc_macro2::Literal::u16_unsuffixed(r * 100 + 99);
            quote!(#lo..=#hi)
        }
        StatusKey::Default => quote!(_),
    }
}

/// How an operation's arms get at the body.
#[derive(Clone, Copy, PartialEq)]
enum Read {
    /// `raw` is a whole `RawResponse`.
    Whole,
    /// `raw` is an unread `Incoming`: success files become streams, every
    /// other arm reads the body first.
    Incoming { success: bool },
}

/// How a body of this kind is read: the part of `finish`'s method name
/// after the prefix.
fn read_of(kind: &BodyKind) -> &'static str {
    match kind.read() {
        BodyRead::Json => "json",
        BodyRead::Text => "text",
        BodyRead::Bytes => "bytes",
    }
}

/// What an arm hands the runtime call that finishes it.
#[derive(Clone, Copy)]
enum Payload<'a> {
    /// No body documented.
    None,
    /// A body read whole and decoded as this kind says.
    Read(&'a BodyKind),
    /// A success file left unread, as `stream`.
    Stream,
}

/// The `RawResponse` method that reads a body of this kind: `ok_json`,
/// `err_text`, ...; `_as` when the body is wrapped in a variant.
fn finish(prefix: &str, kind: &BodyKind, wrapped: bool) -> proc_macro2::Ident {
    let read = read_of(kind);
    let suffix = if wrapped && prefix == "ok" { "_as" } else { "" };
    quote::format_ident!("{prefix}_{read}{suffix}")
}

/// Match arms for one status: one arm, or one per content type plus a
/// fallback when the spec lists several bodies for it. `finish` gives the
/// arm's expression for an outcome's variant and payload, with `raw` read.
/// `fallback` answers a status documented with several media types when
/// the answer has none of them.
fn arms(
    status: StatusKey,
    group: &[(&Outcome, &String)],
    read: Read,
    finish: impl Fn(&String, Payload<'_>) -> TokenStream,
    fallback: impl Fn(&String) -> TokenStream,
) -> TokenStream {
    let pat = status_pattern(status);
    let guard = match status {
        StatusKey::Default => quote!(if !raw.status().is_success()),
        _ => quote!(),
    };
    let read_whole = match read {
        Read::Whole => quote!(),
        Read::Incoming { .. } => quote!(let raw = raw.read().await?;),
    };
    let decode = |o: &Outcome, v: &String| {
        let kind = o.content.as_ref().map(|c| &c.kind);
        if let (Read::Incoming { success: true }, Some(kind)) = (read, kind) {
            // Server-sent events carry text unless the spec gives their data
            // a type other than a string; a JSON line is JSON whatever it is.
            let into = match kind {
                BodyKind::Bytes => Some(quote!(into_stream())),
                BodyKind::Events(Ty::String) => {
                    Some(quote!(into_events(crate::runtime::item_text)))
                }
                BodyKind::Events(_) => Some(quote!(into_events(crate::runtime::item_json))),
                BodyKind::Lines(_) => Some(quote!(into_lines(crate::runtime::item_json))),
                _ => None,
            };
            if let Some(into) = into {
                let body = finish(v, Payload::Stream);
                return quote! {{ let (raw, stream) = raw.#into; #body }};
            }
        }
        let body = finish(v, kind.map_or(Payload::None, Payload::Read));
        match read {
            Read::Whole => body,
            Read::Incoming { .. } => quote! {{ #read_whole #body }},
        }
    };
    if group.len() == 1 {
        let body = decode(group[0].0, group[0].1);
        return quote!(#pat #guard => #body,);
    }
    fn media_of(o: &Outcome) -> &str {
        &o.content.as_ref().expect("several outcomes for one status all have content").media_type
    }
    // A concrete media type is tried before a range that also matches it
    // (`application/json` before `*/*`, which osf.io lists first).
    let mut by_specificity: Vec<_> = group.iter().collect();
    by_specificity.sort_by_key(|(o, _)| crate::model::media_range(media_of(o)));
    let per_media = by_specificity.into_iter().map(|(o, v)| {
        let media = media_of(o);
        let body = decode(o, v);
        let guard = match status {
            StatusKey::Default => {
                quote!(if !raw.status().is_success() && raw.media_type_is(#media))
            }
            _ => quote!(if raw.media_type_is(#media)),
        };
        quote!(#pat #guard => #body,)
    });
    let fallback = fallback(group[0].1);
    quote! {
        #(#per_media)*
        #pat #guard => { #read_whole #fallback }
    }
}

/// The type an operation's success reads into: its success enum, or the
/// one documented body, or raw bytes when the spec documents no success.
fn ok_ty(op: &Operation, on: &OpNames, names: &Names, place: Place) -> syn::Type {
    if let Some(name) = &on.success {
        return spec_type(name, place);
    }
    match op.success.first().map(|o| &o.content) {
        None => syntax::runtime_type("Bytes"),
        Some(Some(c)) => success_body_ty(&c.kind, names, place),
        Some(None) => syntax::unit_type(),
    }
}

fn success_arms(op: &Operation, on: &OpNames, read: Read) -> TokenStream {
    if op.success.is_empty() {
        // The spec documents no success: any 2xx is read as raw bytes (never
        // streamed: an operation streams only when a documented success is a file).
        return quote!(200..=299 => raw.ok_bytes(),);
    }
    let enum_name = on.success.as_deref().map(ident);
    let groups = by_status(&op.success, &on.success_variants);
    let arms = groups.iter().map(|(status, group)| {
        arms(
            *status,
            group,
            read,
            |variant, payload| {
                let variant = enum_name.as_ref().map(|e| {
                    let v = ident(variant);
                    quote!(types::#e::#v)
                });
                match (variant, payload) {
                    (Some(v), Payload::None) => quote!(raw.ok_with(#v)),
                    (None, Payload::None) => quote!(raw.ok_with(())),
                    (Some(v), Payload::Stream) => quote!(raw.ok_with(#v(stream))),
                    (None, Payload::Stream) => quote!(raw.ok_with(stream)),
                    (Some(v), Payload::Read(kind)) => {
                        let m = finish("ok", kind, true);
                        quote!(raw.#m(#v))
                    }
                    (None, Payload::Read(kind)) => {
                        let m = finish("ok", kind, false);
                        quote!(raw.#m())
                    }
                }
            },
            |_| quote!(raw.unexpected_content_type()),
        )
    });
    quote!(#(#arms)*)
}

/// An operation's error type as its signature names it: its error enum (or
/// the alias of a shared one), `Infallible` when it documents no error.
fn error_ty(name: Option<&str>, place: Place) -> syn::Type {
    match name {
        Some(name) => spec_type(name, place),
        None => syntax::named_type(true, &["std", "convert", "Infallible"]),
    }
}

/// The error enum that owns an operation's error variants: its own, or the
/// one its error type is an alias of. Decoders name variants through it, so
/// that operations answering alike have decoders alike (see
/// `analyze::sharing`).
fn error_owner(on: &OpNames) -> Option<&String> {
    on.error.as_ref().map(|name| on.error_alias_of.as_ref().unwrap_or(name))
}

/// The `match` on the status that decodes an operation's answers.
fn decode_match(op: &Operation, on: &OpNames, read: Read) -> TokenStream {
    let success = success_arms(op, on, read);
    let errors = error_arms(op, on, read);
    let unexpected = match read {
        Read::Whole => quote!(raw.unexpected_status()),
        Read::Incoming { .. } => quote!(raw.read().await?.unexpected_status()),
    };
    quote! {
        match raw.status().as_u16() {
            #success
            #errors
            _ => #unexpected,
        }
    }
}

fn error_arms(op: &Operation, on: &OpNames, read: Read) -> TokenStream {
    let Some(owner) = error_owner(on) else {
        return quote!();
    };
    let e = ident(owner);
    let groups = by_status(&op.errors, &on.error_variants);
    let read = match read {
        Read::Whole => Read::Whole,
        Read::Incoming { .. } => Read::Incoming { success: false },
    };
    let arms = groups.iter().map(|(status, group)| {
        arms(
            *status,
            group,
            read,
            |variant, payload| {
                let v = ident(variant);
                match payload {
                    Payload::Read(kind) => {
                        let m = finish("err", kind, true);
                        quote!(raw.#m(types::#e::#v))
                    }
                    Payload::None | Payload::Stream => quote!(raw.api_error(types::#e::#v)),
                }
            },
            |variant| {
                // The status decides: its first variant, with no body.
                let v = ident(variant);
                quote!(raw.api_error(types::#e::#v(None)))
            },
        )
    });
    quote!(#(#arms)*)
}

fn decoder_name(n: usize) -> proc_macro2::Ident {
    quote::format_ident!("decode_{}", n + 1)
}

/// The shared decoder `n`, an associated function of `Client`.
fn shared_decoder(
    api: &Api,
    names: &Names,
    n: usize,
    SharedDecoder { first, users: count, generic }: SharedDecoder,
    docs: &Docs,
) -> TokenStream {
    let (op, on) = (&api.operations[first], &names.ops[first]);
    let decode = decode_match(op, on, Read::Whole);
    let err_ty = error_ty(error_owner(on).map(String::as_str), Place::Outside);
    let name = decoder_name(n);
    let (params, ok_ty) = if generic {
        (quote!(<T: ::serde::de::DeserializeOwned>), quote!(T))
    } else {
        (quote!(), quote::ToTokens::into_token_stream(ok_ty(op, on, names, Place::Outside)))
    };
    let result = super::result(names);
    let others = match count - 1 {
        1 => "1 more operation".to_string(),
        n => format!("{n} more operations"),
    };
    let doc = docs.attrs(&format!(
        "Reads the answers of [`Self::{}`], and of {others} documented alike.",
        crate::name::ident::bare(&on.method)
    ));
    quote! {
        #doc
        #[inline]
        fn #name #params(raw: crate::runtime::RawResponse) -> #result<crate::runtime::Response<#ok_ty>, crate::runtime::Error<#err_ty>> {
            #decode
        }
    }
}

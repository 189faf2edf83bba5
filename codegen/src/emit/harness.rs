//! The conformance harness of a module: code that calls each operation of
//! the generated client from arguments given as JSON, and says what the
//! client made of the answer, for `cargo xtask conformance` to judge
//! against a validating mock server. It is emitted here, beside the client,
//! because only this stage knows each method's signature and each answer's
//! variant; the judge itself (which arguments, which statuses, what passes)
//! reads the spec, not the model.
//!
//! The harness names a support module, `crate::harness_support`, that the
//! judge writes into the crate it builds: `Args`, `Outcome`, `Typed`, `Run`
//! and the functions `arg`, `opt`, `finish`, `json`, `json_opt`, `other`,
//! `other_opt`, `unbuilt`.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{body_ty, ident, status_text, ty, Place};
use crate::model::*;
use crate::name::{Names, OpNames};

/// The harness of the module at `crate::<module>`.
pub fn harness(api: &Api, names: &Names, module: &str) -> TokenStream {
    let module = ident(module);
    let slice = api.part_of.is_some();
    let credentials = api.security_schemes.iter().zip(&names.auth).map(|(s, m)| {
        let m = ident(m);
        match s.kind {
            SecurityKind::Basic => quote!(.#m("user", "password")),
            _ => quote!(.#m("placeholder")),
        }
    });
    let mut arms = Vec::new();
    let mut fns = Vec::new();
    let mut table = Vec::new();
    for (i, (op, on)) in api.operations.iter().zip(&names.ops).enumerate() {
        let key = format!("{} {}", op.method.as_str().to_ascii_lowercase(), op.path);
        let run = format_ident!("op_{i}");
        arms.push(quote!(#key => ::std::boxed::Box::pin(#run(client, a, h)),));
        fns.push(operation(op, on, names, &run, i));
        // One way to succeed: the body is the answer, no variant.
        let success: Vec<&str> = match on.success {
            Some(_) => on.success_variants.iter().map(String::as_str).collect(),
            None => op.success.iter().map(|_| "").collect(),
        };
        let variants = success.into_iter().chain(on.error_variants.iter().map(String::as_str));
        for (o, v) in op.success.iter().chain(&op.errors).zip(variants) {
            let status = status_text(o.status);
            let media = o.content.as_ref().map(|c| c.media_type.as_str()).unwrap_or("");
            table.push(quote!((#key, #status, #media, #v),));
        }
    }
    quote! {
        // Every operation is called, deprecated ones too.
        #![allow(deprecated)]
        use crate::#module::{types, Client};
        use crate::harness_support as s;

        /// Each documented answer: (operation, status, media type, the
        /// variant it decodes into; "" for an operation's one success).
        pub const ANSWERS: &[(&str, &str, &str, &str)] = &[#(#table)*];

        /// Whether the module is a slice of the spec (a selection file).
        pub const SLICE: bool = #slice;

        /// A client for the mock server at `base`, with a placeholder
        /// credential for every security scheme.
        pub fn client(base: &str) -> Client {
            Client::with_base_url(base) #(#credentials)*
        }

        /// Calls the operation `op` (`get /pets/{id}`) with arguments `a`
        /// and extra headers `h`.
        pub fn call<'a>(client: &'a Client, op: &str, a: &'a s::Args, h: &'a [(String, String)]) -> ::std::option::Option<s::Run<'a>> {
            ::std::option::Option::Some(match op {
                #(#arms)*
                _ => return ::std::option::Option::None,
            })
        }

        #(#fns)*
    }
}

fn operation(
    op: &Operation,
    on: &OpNames,
    names: &Names,
    run: &proc_macro2::Ident,
    i: usize,
) -> TokenStream {
    let mut lets = Vec::new();
    let mut args = Vec::new();
    // Optional parameters are set on the call, by their setters.
    let mut sets = Vec::new();
    for (n, p) in op.params.iter().enumerate() {
        let v = format_ident!("p{n}");
        let loc = match p.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        };
        let wire = Literal::string(&p.name);
        let owned = ty(&p.ty, names, Place::Outside);
        // As `client::param_ty` passes a required one: strings and lists by
        // slice, scalars by value, everything else by reference; optional
        // ones are owned, for their setters.
        let by_value =
            matches!(p.ty, Ty::Bool | Ty::Int(_) | Ty::Float | Ty::DateTime | Ty::Date | Ty::Uuid);
        if p.required {
            lets.push(quote!(let #v: #owned = match s::arg(a, #loc, #wire) { Ok(v) => v, Err(e) => return e };));
            args.push(if by_value { quote!(#v) } else { quote!(&#v) });
        } else {
            lets.push(quote!(let #v: ::std::option::Option<#owned> = match s::opt(a, #loc, #wire) { Ok(v) => v, Err(e) => return e };));
            // The idempotency key is the call's own option, by reference.
            let (setter, value) = match on.setters[n].as_deref() {
                Some(setter) => (ident(setter), quote!(v)),
                None => (format_ident!("idempotency_key"), quote!(&v)),
            };
            sets.push(
                quote!(if let ::std::option::Option::Some(v) = #v { call = call.#setter(#value); }),
            );
        }
    }
    if let Some(b) = &op.body {
        let (owned, deref) = match &b.kind {
            BodyKind::Json(t) | BodyKind::Form(t) => (ty(t, names, Place::Outside), false),
            BodyKind::Text => (body_ty(&b.kind, names, Place::Outside), true),
            BodyKind::Bytes | BodyKind::Events(_) | BodyKind::Lines(_) => {
                (syn::parse_quote!(crate::runtime::Bytes), false)
            }
            BodyKind::Multipart(_) => {
                return quote! {
                    async fn #run(_: &Client, _: &s::Args, _: &[(String, String)]) -> s::Outcome {
                        s::unbuilt("a multipart body is built by the caller")
                    }
                };
            }
        };
        let by_value = matches!(b.kind, BodyKind::Bytes | BodyKind::Events(_) | BodyKind::Lines(_));
        if by_value {
            // Bytes are given as text.
            let get = if b.required { quote!(s::arg::<String>) } else { quote!(s::opt::<String>) };
            let wrap = if b.required {
                quote!(crate::runtime::Bytes::from(v))
            } else {
                quote!(v.map(crate::runtime::Bytes::from))
            };
            lets.push(quote!(let body = match #get(a, "body", "") { Ok(v) => #wrap, Err(e) => return e };));
            args.push(quote!(body));
        } else if b.required {
            lets.push(quote!(let body: #owned = match s::arg(a, "body", "") { Ok(v) => v, Err(e) => return e };));
            args.push(if by_value { quote!(body) } else { quote!(&body) });
        } else {
            lets.push(quote!(let body: ::std::option::Option<#owned> = match s::opt(a, "body", "") { Ok(v) => v, Err(e) => return e };));
            args.push(match (by_value, deref) {
                (true, _) => quote!(body),
                (false, true) => quote!(body.as_deref()),
                (false, false) => quote!(body.as_ref()),
            });
        }
    }
    let method = ident(&on.method);
    let ok = format_ident!("ok_{i}");
    let err = format_ident!("err_{i}");
    let ok_fn = ok_fn(op, on, names, &ok);
    let err_fn = err_fn(op, on, &err);
    quote! {
        async fn #run(client: &Client, a: &s::Args, h: &[(String, String)]) -> s::Outcome {
            #(#lets)*
            #[allow(unused_mut)]
            let mut call = client.#method(#(#args),*);
            #(#sets)*
            s::finish(call, h, #ok, #err).await
        }
        #ok_fn
        #err_fn
    }
}

/// What the answer decoded into, for a successful answer.
fn ok_fn(op: &Operation, on: &OpNames, names: &Names, name: &proc_macro2::Ident) -> TokenStream {
    let Some(enum_name) = &on.success else {
        // No enum: the one documented body, or nothing, or raw bytes.
        let (t, read) = match op.success.first().map(|o| &o.content) {
            None => (quote!(crate::runtime::Bytes), quote!(s::other("", true))),
            Some(None) => (quote!(()), quote!(s::other("", true))),
            Some(Some(c)) => {
                let t = super::success_body_ty(&c.kind, names, Place::Outside);
                let read = if json_payload(&c.kind) {
                    quote!(s::json("", b))
                } else {
                    quote!(s::other("", true))
                };
                (quote!(#t), read)
            }
        };
        return quote! {
            fn #name(b: &#t) -> s::Typed {
                let _ = b;
                #read
            }
        };
    };
    let e = ident(enum_name);
    let arms = op.success.iter().zip(&on.success_variants).map(|(o, v)| {
        let vi = ident(v);
        match &o.content {
            None => quote!(types::#e::#vi => s::other(#v, true),),
            Some(c) if json_payload(&c.kind) => quote!(types::#e::#vi(b) => s::json(#v, b),),
            Some(_) => quote!(types::#e::#vi(_) => s::other(#v, true),),
        }
    });
    quote! {
        fn #name(b: &types::#e) -> s::Typed {
            match b { #(#arms)* }
        }
    }
}

/// What the answer decoded into, for a documented error.
fn err_fn(op: &Operation, on: &OpNames, name: &proc_macro2::Ident) -> TokenStream {
    let Some(own) = &on.error else {
        return quote! {
            fn #name(e: &::std::convert::Infallible) -> s::Typed {
                match *e {}
            }
        };
    };
    let owner = ident(on.error_alias_of.as_ref().unwrap_or(own));
    let arms = op.errors.iter().zip(&on.error_variants).map(|(o, v)| {
        let vi = ident(v);
        match &o.content {
            None => quote!(types::#owner::#vi => s::other(#v, true),),
            Some(c) if json_payload(&c.kind) => {
                quote!(types::#owner::#vi(b) => s::json_opt(#v, b),)
            }
            Some(_) => quote!(types::#owner::#vi(b) => s::other(#v, b.is_some()),),
        }
    });
    quote! {
        fn #name(e: &types::#owner) -> s::Typed {
            match e { #(#arms)* }
        }
    }
}

/// A payload the judge can encode again and compare with the raw body.
fn json_payload(kind: &BodyKind) -> bool {
    matches!(kind, BodyKind::Json(_) | BodyKind::Form(_))
}

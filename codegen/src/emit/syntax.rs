//! Syntax trees built directly, for the items a large module has
//! thousands of: client methods, and the structs, enums and aliases of the
//! `types` module. Formatting needs a `syn` tree; built as tokens, every
//! one was parsed back by `syn`, which was a fifth of all codegen's
//! instructions for Microsoft Graph (the methods' expressions most).
//! These helpers make the same nodes the parser would make from the same
//! text (a test formats every fixture's methods both ways; the corpus is
//! compared byte for byte), so the output does not change.
//!
//! Only nodes are built here, from identifiers minted by `name` and
//! literals built by `proc_macro2` (which escapes them): nothing a spec
//! says is parsed as Rust on this path either.

use proc_macro2::{Ident, Span, TokenStream};
use syn::punctuated::Punctuated;
use syn::{Expr, Pat, Stmt};

fn punctuated<T, P: Default>(items: impl IntoIterator<Item = T>) -> Punctuated<T, P> {
    items.into_iter().collect()
}

/// `a::b::c`, or `::a::b::c` with `leading`.
pub(super) fn path(leading: bool, segments: impl IntoIterator<Item = Ident>) -> syn::Path {
    syn::Path {
        leading_colon: leading.then(Default::default),
        segments: punctuated(segments.into_iter().map(syn::PathSegment::from)),
    }
}

/// A word the generator itself chose (`req`, `query_opt`, `Method`).
pub(super) fn word(s: &str) -> Ident {
    Ident::new(s, Span::call_site())
}

pub(super) fn path_expr(path: syn::Path) -> Expr {
    Expr::Path(syn::ExprPath { attrs: Vec::new(), qself: None, path })
}

/// A local or parameter by name.
pub(super) fn var(name: Ident) -> Expr {
    path_expr(name.into())
}

pub(super) fn call(func: Expr, args: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(func),
        paren_token: Default::default(),
        args: punctuated(args),
    })
}

pub(super) fn method(receiver: Expr, name: Ident, args: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: name,
        turbofish: None,
        paren_token: Default::default(),
        args: punctuated(args),
    })
}

pub(super) fn member(base: Expr, name: &str) -> Expr {
    Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(base),
        dot_token: Default::default(),
        member: syn::Member::Named(word(name)),
    })
}

fn lit(lit: syn::Lit) -> Expr {
    Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit })
}

/// A string literal; the text is escaped, whatever it holds.
pub(super) fn str(s: &str) -> Expr {
    lit(syn::Lit::new(super::string_literal(s)))
}

pub(super) fn bool(b: bool) -> Expr {
    lit(syn::Lit::Bool(syn::LitBool::new(b, Span::call_site())))
}

pub(super) fn reference(expr: Expr) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: None,
        expr: Box::new(expr),
    })
}

pub(super) fn array(elems: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Array(syn::ExprArray {
        attrs: Vec::new(),
        bracket_token: Default::default(),
        elems: punctuated(elems),
    })
}

pub(super) fn binding(name: Ident, mutable: bool) -> Pat {
    Pat::Ident(syn::PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: mutable.then(Default::default),
        ident: name,
        subpat: None,
    })
}

/// `|arg| body`
pub(super) fn closure(arg: Ident, body: Expr) -> Expr {
    Expr::Closure(syn::ExprClosure {
        attrs: Vec::new(),
        lifetimes: None,
        modifiers: Default::default(),
        constness: None,
        asyncness: None,
        capture: None,
        inputs_begin: Default::default(),
        inputs: punctuated([binding(arg, false)]),
        inputs_end: Default::default(),
        output: syn::ReturnType::Default,
        body: Box::new(body),
    })
}

/// `expr;`
pub(super) fn semi(expr: Expr) -> Stmt {
    Stmt::Expr(expr, Some(Default::default()))
}

/// `let [mut] name = init;`
pub(super) fn local(name: Ident, mutable: bool, init: Expr) -> Stmt {
    Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: Default::default(),
        modifiers: Default::default(),
        pat: binding(name, mutable),
        init: Some(syn::LocalInit {
            eq_token: Default::default(),
            expr: Box::new(init),
            diverge: None,
        }),
        semi_token: Default::default(),
    })
}

pub(super) fn block(stmts: Vec<Stmt>) -> syn::Block {
    syn::Block { brace_token: Default::default(), stmts }
}

/// `if let some(name) = value { then }`, as a statement.
pub(super) fn if_let(some: syn::Path, name: Ident, value: Expr, then: Vec<Stmt>) -> Stmt {
    let pat = Pat::TupleStruct(syn::PatTupleStruct {
        attrs: Vec::new(),
        qself: None,
        path: some,
        paren_token: Default::default(),
        elems: punctuated([binding(name, false)]),
    });
    let cond = Expr::Let(syn::ExprLet {
        attrs: Vec::new(),
        let_token: Default::default(),
        pat: Box::new(pat),
        eq_token: Default::default(),
        expr: Box::new(value),
    });
    let expr = Expr::If(syn::ExprIf {
        attrs: Vec::new(),
        if_token: Default::default(),
        cond: Box::new(cond),
        then_branch: block(then),
        else_branch: None,
    });
    Stmt::Expr(expr, None)
}

/// `name: ty`, a typed function argument.
pub(super) fn arg(name: Ident, ty: syn::Type) -> syn::FnArg {
    syn::FnArg::Typed(syn::PatType {
        attrs: Vec::new(),
        pat: Box::new(binding(name, false)),
        colon_token: Default::default(),
        ty: Box::new(ty),
    })
}

/// `&self`
pub(super) fn ref_self() -> syn::FnArg {
    syn::FnArg::Receiver(syn::Receiver {
        attrs: Vec::new(),
        mutability: None,
        self_token: Default::default(),
        kind: syn::ReceiverKind::Reference(Default::default(), None, None),
    })
}

/// `#[inline]`, on every function a module defines for its operations and
/// types. Not for speed: a non-generic function is compiled into the crate
/// that defines it whether or not anything calls it, an `#[inline]` one only
/// into the crates that call it. Without it, building the crate compiles
/// every operation and the decoding of every answer type, used or not
/// (Microsoft Graph: 199 s and 8.5 GB, against 118 s and 5.5 GB with it).
pub(super) fn inline() -> syn::Attribute {
    syn::parse_quote!(#[inline])
}

/// `pub fn name(inputs) -> output { stmts }`
pub(super) fn public_fn(
    attrs: Vec<syn::Attribute>,
    name: Ident,
    inputs: Vec<syn::FnArg>,
    output: syn::Type,
    stmts: Vec<Stmt>,
) -> syn::ImplItemFn {
    syn::ImplItemFn {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        modifiers: Default::default(),
        sig: syn::Signature {
            constness: None,
            asyncness: None,
            safety: syn::Safety::default(),
            abi: None,
            fn_token: Default::default(),
            ident: name,
            generics: Default::default(),
            paren_token: Default::default(),
            inputs: punctuated(inputs),
            variadic: None,
            output: syn::ReturnType::Type(Default::default(), Box::new(output)),
        },
        block: block(stmts),
    }
}

/// What is not worth building by hand (a decoder's `match`, the rarer
/// statements) is parsed from the tokens the rest of `emit` makes. They are
/// ours, so an error is a generator bug, which `format` reports.
pub(super) fn parse<T: syn::parse::Parse>(tokens: TokenStream) -> syn::Result<T> {
    syn::parse2(tokens)
}

/// `name` or `name<args>`, one segment of a path.
pub(super) fn segment(name: Ident, args: impl IntoIterator<Item = syn::Type>) -> syn::PathSegment {
    let args: Punctuated<syn::GenericArgument, syn::Token![,]> =
        args.into_iter().map(syn::GenericArgument::Type).collect();
    generic_segment(name, args)
}

fn generic_segment(
    name: Ident,
    args: Punctuated<syn::GenericArgument, syn::Token![,]>,
) -> syn::PathSegment {
    let arguments = if args.is_empty() {
        syn::PathArguments::None
    } else {
        syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args,
            gt_token: Default::default(),
        })
    };
    syn::PathSegment { ident: name, arguments }
}

/// A type by its path: `bool`, `types::Pet`, `::std::vec::Vec<T>`.
pub(super) fn type_path(
    leading: bool,
    segments: impl IntoIterator<Item = syn::PathSegment>,
) -> syn::Type {
    path_type(syn::Path {
        leading_colon: leading.then(Default::default),
        segments: punctuated(segments),
    })
}

fn path_type(path: syn::Path) -> syn::Type {
    syn::Type::Path(syn::TypePath { attrs: Vec::new(), qself: None, path })
}

/// `crate::runtime::...`: an item of the runtime every generated crate carries.
pub(super) fn runtime(words: &[&str]) -> syn::Path {
    path(false, ["crate", "runtime"].iter().chain(words).map(|w| word(w)))
}

/// A type of the runtime: `crate::runtime::Bytes`.
pub(super) fn runtime_type(name: &str) -> syn::Type {
    path_type(runtime(&[name]))
}

/// A type named by words alone: `bool`, `::chrono::NaiveDate`.
pub(super) fn named_type(leading: bool, words: &[&str]) -> syn::Type {
    type_path(leading, words.iter().map(|w| syn::PathSegment::from(word(w))))
}

/// `path<'_, args>`, the path's last word taking the arguments.
pub(super) fn type_with_elided_lifetime(
    words: &[&str],
    args: impl IntoIterator<Item = syn::Type>,
) -> syn::Type {
    let (last, init) = words.split_last().expect("a path has a word");
    let lifetime = syn::GenericArgument::Lifetime(syn::Lifetime::new("'_", Span::call_site()));
    let args =
        std::iter::once(lifetime).chain(args.into_iter().map(syn::GenericArgument::Type)).collect();
    let segments = init
        .iter()
        .map(|w| syn::PathSegment::from(word(w)))
        .chain([generic_segment(word(last), args)]);
    type_path(false, segments)
}

/// `&elem`
pub(super) fn ref_type(elem: syn::Type) -> syn::Type {
    syn::Type::Reference(syn::TypeReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        lifetime: None,
        mutability: None,
        elem: Box::new(elem),
    })
}

/// `[elem]`
pub(super) fn slice_type(elem: syn::Type) -> syn::Type {
    syn::Type::Slice(syn::TypeSlice {
        attrs: Vec::new(),
        bracket_token: Default::default(),
        elem: Box::new(elem),
    })
}

/// `()`
pub(super) fn unit_type() -> syn::Type {
    syn::Type::Tuple(syn::TypeTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems: Punctuated::new(),
    })
}

/// `#[path(tokens)]`, as `syn` parses it: the arguments stay tokens.
pub(super) fn attribute(path: syn::Path, tokens: TokenStream) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::List(syn::MetaList {
            path,
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens,
        }),
    }
}

/// `#[word]`
pub(super) fn word_attribute(name: &str) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::Path(word(name).into()),
    }
}

/// `#[doc = literal]`
pub(super) fn doc(literal: proc_macro2::Literal) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: word("doc").into(),
            eq_token: Default::default(),
            value: lit(syn::Lit::new(literal)),
        }),
    }
}

/// A field: `pub name: ty`, or with no name, `ty` (a tuple variant's).
pub(super) fn field(attrs: Vec<syn::Attribute>, name: Option<Ident>, ty: syn::Type) -> syn::Field {
    syn::Field {
        attrs,
        vis: if name.is_some() {
            syn::Visibility::Public(Default::default())
        } else {
            syn::Visibility::Inherited
        },
        modifiers: Default::default(),
        colon_token: name.as_ref().map(|_| Default::default()),
        ident: name,
        ty,
        default: None,
    }
}

/// `pub struct name { fields }`
pub(super) fn item_struct(
    attrs: Vec<syn::Attribute>,
    name: Ident,
    fields: Vec<syn::Field>,
) -> syn::Item {
    syn::Item::Struct(syn::ItemStruct {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        struct_token: Default::default(),
        ident: name,
        generics: Default::default(),
        fields: syn::Fields::Named(syn::FieldsNamed {
            brace_token: Default::default(),
            named: punctuated(fields),
        }),
        semi_token: None,
    })
}

/// A variant, `name` or `name(ty)`.
pub(super) fn variant(
    attrs: Vec<syn::Attribute>,
    name: Ident,
    ty: Option<syn::Type>,
) -> syn::Variant {
    let fields = match ty {
        None => syn::Fields::Unit,
        Some(ty) => syn::Fields::Unnamed(syn::FieldsUnnamed {
            paren_token: Default::default(),
            unnamed: punctuated([field(Vec::new(), None, ty)]),
        }),
    };
    syn::Variant { attrs, ident: name, fields, discriminant: None }
}

/// `pub enum name { variants }`
pub(super) fn item_enum(
    attrs: Vec<syn::Attribute>,
    name: Ident,
    variants: Vec<syn::Variant>,
) -> syn::Item {
    syn::Item::Enum(syn::ItemEnum {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        enum_token: Default::default(),
        ident: name,
        generics: Default::default(),
        brace_token: Default::default(),
        variants: punctuated(variants),
    })
}

/// `pub type name = ty;`
pub(super) fn item_type(attrs: Vec<syn::Attribute>, name: Ident, ty: syn::Type) -> syn::Item {
    syn::Item::Type(syn::ItemType {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        modifiers: Default::default(),
        type_token: Default::default(),
        ident: name,
        generics: Default::default(),
        eq_token: Default::default(),
        ty: Box::new(ty),
        semi_token: Default::default(),
        where_clause_placement: syn::WhereClausePlacement::Early,
    })
}

/// `path!(tokens);`, its arguments left as tokens, as `syn` leaves them.
pub(super) fn macro_call(path: syn::Path, tokens: TokenStream) -> syn::Item {
    syn::Item::Macro(syn::ItemMacro {
        attrs: Vec::new(),
        ident: None,
        mac: syn::Macro {
            path,
            bang_token: Default::default(),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens,
        },
        semi_token: Some(Default::default()),
    })
}

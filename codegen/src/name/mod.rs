//! Naming: every Rust identifier the emitter will write, decided once.
//!
//! Spec names (component keys, operationIds) are asked for before names made
//! from a place, so a vendor's own type names stay as they are and an inline
//! schema that happens to produce the same name is the one that gets a
//! suffix. Nothing is ever merged because two names collide.

pub mod ident;

use std::collections::HashMap;

use crate::model::*;
use ident::{camel, camel_path, snake, Namespace};

#[derive(Debug, Clone, PartialEq)]
pub struct Names {
    pub types: Vec<TypeNames>,
    pub ops: Vec<OpNames>,
    /// Builder method per security scheme, e.g. `with_bearer_token`.
    pub auth: Vec<String>,
    /// Per security scheme, the two client-credentials builders (spec's
    /// token URL; caller's `ClientCredentials`) of an OAuth2 scheme with a
    /// `clientCredentials` flow.
    pub auth_client_credentials: Vec<Option<(String, String)>>,
    /// Whether the module may name `Option`, `String`, `Vec` and `Box` as
    /// the prelude does: not when a type of the spec takes one of the
    /// prelude's names, which would shadow it inside `types`.
    pub prelude: bool,
    /// The Cargo feature of each group of `Api::features` (empty when the
    /// API has one group: nothing is gated).
    pub features: Vec<String>,
}

/// Features every generated crate has, which no tag's may take.
pub const CRATE_FEATURES: &[&str] =
    &["default", "all", "rustls", "rustls-no-provider", "native-tls"];

/// A Cargo feature per tag: lowercase ASCII letters, digits and `-`
/// (`users.user` is `users-user`), starting with a letter, unique.
fn feature_names(groups: &[String]) -> Vec<String> {
    if groups.len() < 2 {
        return Vec::new();
    }
    let mut taken: std::collections::BTreeSet<String> =
        CRATE_FEATURES.iter().map(|f| f.to_string()).collect();
    groups
        .iter()
        .map(|g| {
            let mut slug = String::new();
            for c in g.chars() {
                if c.is_ascii_alphanumeric() {
                    slug.push(c.to_ascii_lowercase());
                } else if !slug.ends_with('-') && !slug.is_empty() {
                    slug.push('-');
                }
            }
            let mut slug = slug.trim_end_matches('-').to_string();
            if !slug.starts_with(|c: char| c.is_ascii_alphabetic()) {
                slug = format!("tag-{slug}").trim_end_matches('-').to_string();
            }
            let mut name = slug.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{slug}-{n}");
                n += 1;
            }
            name
        })
        .collect()
}

/// Prelude names a type in `types` could shadow.
const PRELUDE: &[&str] = &["Option", "Some", "None", "String", "Vec", "Box", "Result", "Ok", "Err"];

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TypeNames {
    pub ident: String,
    /// Struct fields or enum variants, in model order.
    pub members: Vec<String>,
    /// A struct's `additionalProperties` field, or an enum's catch-all variant.
    pub extra: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OpNames {
    pub method: String,
    pub params: Vec<String>,
    /// The struct of the optional parameters, in `types`, when there are any.
    pub params_struct: Option<String>,
    /// Set when another operation sets the same optional parameters and
    /// keeps the struct (see `analyze::sharing`): `params_struct` is then an
    /// alias of that operation's.
    pub params_alias_of: Option<String>,
    /// On a struct others alias: how many operations share it besides its own.
    pub params_shared_by: usize,
    /// Per parameter: the method of the call that sets it, for optional ones.
    pub setters: Vec<Option<String>>,
    pub body: String,
    /// The success enum, when there is more than one way to succeed.
    pub success: Option<String>,
    pub success_variants: Vec<String>,
    /// The error enum, when the spec documents any error response.
    pub error: Option<String>,
    /// Set when another operation answers exactly the same errors and keeps
    /// the enum (see `analyze::sharing`): `error` is then an alias of that
    /// operation's enum, not an enum of its own.
    pub error_alias_of: Option<String>,
    /// On an enum others alias: how many operations share it besides its own.
    pub error_shared_by: usize,
    pub error_variants: Vec<String>,
    /// One struct per status whose answer declares headers.
    pub headers: Vec<HeaderSetNames>,
    /// The struct of a typed multipart body, in `types`.
    pub form: Option<FormNames>,
    /// When the operation accepts several request media types: the method
    /// that takes any of them, and its body enum.
    pub choice: Option<ChoiceNames>,
}

/// The method of an operation that takes its body in any media type it
/// accepts (`create_pet_as`), and the enum of those bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceNames {
    pub method: String,
    pub ident: String,
    pub variants: Vec<String>,
}

/// A typed multipart body: its struct and one field per part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormNames {
    pub ident: String,
    pub fields: Vec<String>,
}

/// The typed headers of one status of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderSetNames {
    pub status: StatusKey,
    pub ident: String,
    pub fields: Vec<String>,
}

/// Methods every generated `Client` has; operations never take these names.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "default",
    "with_base_url",
    "with_http_client",
    "with_retry",
    "with_timeout",
    "with_connect_timeout",
    "base_url",
    "with_body_limit",
    "with_header",
    "with_user_agent",
    "with_hook",
    "with_idempotent_retries",
    "clone",
    "fmt",
];

/// Methods of `runtime::Call`: a setter of an optional parameter never takes
/// one of these names (`timeout` becomes `timeout_param`).
pub const CALL_METHODS: &[&str] = &[
    "header",
    "timeout",
    "retry",
    "idempotency_key",
    "split",
    "with_params",
    "params_mut",
    "into_future",
    "pages",
    "items",
];

pub fn name(api: &Api) -> Names {
    let mut type_ns = Namespace::default();
    let mut types: Vec<TypeNames> = vec![TypeNames::default(); api.types.len()];

    // Spec names first, in document order.
    for (i, def) in api.types.iter().enumerate() {
        if let NameHint::Component(n) = &def.name {
            types[i].ident = type_ns.claim(camel(n, "Type", "T"), "");
        }
    }
    // What an operation's names are made from depends on it alone, and is
    // most of naming a large API (Microsoft Graph: 11,422 operations, each
    // converted by `heck` more than once): made on every core, then claimed
    // here in order.
    let words = on_all_cores(&api.operations, |op| OpWords {
        // Without the `_` a keyword gets (`Self_`): `Self_Error` is not camel case.
        base: ident::bare(&camel(&op.id, "Operation", "Op")).trim_end_matches('_').to_string(),
        method: snake(&op.id, "operation"),
        success_variants: outcome_variants(&op.success),
        error_variants: outcome_variants(&op.errors),
    });
    // Collisions go the same way whatever the order of the spec: names are
    // claimed sorted by what they would be, then by where they come from,
    // so reordering paths moves no suffix (`WorkflowId2`).
    let pointers: Vec<String> = api.operations.iter().map(|op| op.pointer.to_string()).collect();
    let mut by_base: Vec<usize> = (0..api.operations.len()).collect();
    by_base.sort_by(|&a, &b| (&words[a].base, &pointers[a]).cmp(&(&words[b].base, &pointers[b])));
    // Then the per-operation enums, whose names users type most.
    let mut op_type_names = vec![None; api.operations.len()];
    for &i in &by_base {
        let (op, words) = (&api.operations[i], &words[i]);
        let base = &words.base;
        let success = (op.success.len() > 1).then(|| type_ns.claim(format!("{base}Success"), ""));
        let error = (!op.errors.is_empty()).then(|| type_ns.claim(format!("{base}Error"), ""));
        // `.pages()` and `.items()` are the runtime's, for calls whose
        // parameters say how they page: a paginated operation has a struct
        // of parameters even with none to set.
        let params = (op.params.iter().any(Param::has_setter) || op.paging.is_some())
            .then(|| type_ns.claim(format!("{base}Params"), ""));
        let mut headers: Vec<HeaderSetNames> = Vec::new();
        for o in op.success.iter().chain(&op.errors) {
            if o.headers.is_empty() || headers.iter().any(|h| h.status == o.status) {
                continue;
            }
            let raw: Vec<&str> = o.headers.iter().map(|h| h.name.as_str()).collect();
            let (fields, _) = member_names(&raw, |r| snake(r, "header"), "_");
            let status = ident::bare(&status_word(o.status)).to_string();
            let ident = type_ns.claim(format!("{base}{status}Headers"), "");
            headers.push(HeaderSetNames { status: o.status, ident, fields });
        }
        let typed_form = op.body.as_ref().and_then(Body::form);
        let choice = op
            .body
            .as_ref()
            .filter(|b| !b.others.is_empty())
            .map(|b| (type_ns.claim(format!("{base}Body"), ""), body_variants(b)));
        let form = match typed_form {
            Some(form) => {
                let raw: Vec<&str> = form.parts.iter().map(|p| p.name.as_str()).collect();
                let (fields, _) = member_names(&raw, |r| snake(r, "part"), "_");
                Some(FormNames { ident: type_ns.claim(format!("{base}Form"), ""), fields })
            }
            _ => None,
        };
        op_type_names[i] = Some((success, error, headers, params, (form, choice)));
    }
    let op_type_names: Vec<_> =
        op_type_names.into_iter().map(|n| n.expect("every operation named")).collect();
    // Then names from places, in the same way.
    let mut places: Vec<(String, String, usize)> = api
        .types
        .iter()
        .enumerate()
        .filter_map(|(i, def)| match &def.name {
            NameHint::Place(parts) => Some((camel_path(parts), def.pointer.to_string(), i)),
            NameHint::Component(_) => None,
        })
        .collect();
    places.sort();
    for (name, _, i) in places {
        types[i].ident = type_ns.claim(name, "");
    }
    let prelude = !PRELUDE.iter().any(|p| type_ns.is_taken(p));

    // Field names and enum values repeat from type to type (Microsoft Graph:
    // `id` in most of its 2,500 structs, each property again in every
    // `$select` enum); each distinct one is converted once (`heck` is half
    // of naming's time).
    let field = memo(|r| snake(r, "field"));
    let value = memo(|r| camel(r, if r.is_empty() { "Empty" } else { "Value" }, "V"));
    for (i, def) in api.types.iter().enumerate() {
        match &def.kind {
            TypeKind::Struct(s) => {
                let raw: Vec<&str> = s.fields.iter().map(|f| f.name.as_str()).collect();
                let (members, mut ns) = member_names(&raw, &field, "_");
                types[i].members = members;
                if s.additional.is_some() {
                    types[i].extra = Some(ns.claim("additional_properties".to_string(), "_"));
                }
            }
            TypeKind::Enum(e) => {
                let raw: Vec<&str> = e.values.iter().map(String::as_str).collect();
                let (members, mut ns) = member_names(&raw, &value, "");
                types[i].members = members;
                let catch_all = ["Other", "Unknown", "UnknownValue"]
                    .into_iter()
                    .find(|c| !ns.is_taken(c))
                    .map(str::to_string)
                    .unwrap_or_else(|| ns.claim("Other".to_string(), ""));
                types[i].extra = Some(catch_all);
            }
            TypeKind::Union(u) => {
                let raw: Vec<String> =
                    u.variants.iter().map(|v| variant_hint(&v.ty, &types)).collect();
                let raw: Vec<&str> = raw.iter().map(String::as_str).collect();
                let (members, mut ns) = member_names(&raw, |r| camel(r, "Variant", "V"), "");
                types[i].members = members;
                types[i].extra = Some(
                    ["Other", "Unknown", "UnknownValue"]
                        .into_iter()
                        .find(|c| !ns.is_taken(c))
                        .map(str::to_string)
                        .unwrap_or_else(|| ns.claim("Other".to_string(), "")),
                );
            }
            TypeKind::Alias(_) => {}
        }
    }

    let mut method_ns = Namespace::default();
    for m in CLIENT_METHODS {
        method_ns.reserve(m);
    }
    let auth = auth_method_names(&api.security_schemes, &mut method_ns);
    let auth_client_credentials = client_credentials_names(&api.security_schemes, &mut method_ns);
    let mut by_method: Vec<usize> = (0..api.operations.len()).collect();
    by_method
        .sort_by(|&a, &b| (&words[a].method, &pointers[a]).cmp(&(&words[b].method, &pointers[b])));
    let mut methods = vec![String::new(); api.operations.len()];
    for &i in &by_method {
        methods[i] = method_ns.claim(words[i].method.clone(), "_");
    }
    // After every operation's own method, so that none is renamed by them.
    let mut choice_methods = vec![None; api.operations.len()];
    for &i in &by_method {
        if api.operations[i].body.as_ref().is_some_and(|b| !b.others.is_empty()) {
            choice_methods[i] = Some(method_ns.claim(format!("{}_as", methods[i]), "_"));
        }
    }

    // Operations that answer the same errors share one enum (see
    // `analyze::sharing`); each operation's name stays, as an alias of the
    // keeper's, and signatures use it, so code that names it does not care.
    let mut error_shared_by = vec![0usize; api.operations.len()];
    let error_alias_of: Vec<Option<usize>> =
        (0..api.operations.len()).map(|i| api.sharing.errors_of(i)).collect();
    for first in error_alias_of.iter().flatten() {
        error_shared_by[*first] += 1;
    }
    let error_alias_of: Vec<Option<String>> =
        error_alias_of.iter().map(|owner| owner.and_then(|o| op_type_names[o].1.clone())).collect();
    // Parameter structs likewise.
    let mut params_shared_by = vec![0usize; api.operations.len()];
    let params_alias_of: Vec<Option<String>> = (0..api.operations.len())
        .map(|i| {
            let owner = api.sharing.params_of(i)?;
            params_shared_by[owner] += 1;
            op_type_names[owner].3.clone()
        })
        .collect();
    let mut params_alias_of = params_alias_of.into_iter();
    let mut params_shared_by = params_shared_by.into_iter();

    // Parameter names repeat from operation to operation too (Graph: `$top`,
    // `$select`, ... on most of 11,000).
    let param = memo(|r| snake(r, "param"));
    let ops = api
        .operations
        .iter()
        .zip(words)
        .zip(op_type_names)
        .zip(error_alias_of.into_iter().zip(error_shared_by))
        .zip(methods.into_iter().zip(choice_methods))
        .map(
            |(
                (
                    ((op, words), (success, error, headers, params_struct, (form, choice))),
                    (error_alias_of, error_shared_by),
                ),
                (method, choice_method),
            )| {
                let choice = choice.map(|(ident, variants)| ChoiceNames {
                    method: choice_method.expect("claimed for every operation with a choice"),
                    ident,
                    variants,
                });
                let mut param_ns = Namespace::default();
                // Names a method body uses besides its parameters: its request
                // and the runtime function that encodes path parameters.
                for taken in ["self", "req", "path_segment"] {
                    param_ns.reserve(taken);
                }
                let params: Vec<String> =
                    op.params.iter().map(|p| param_ns.claim(param(&p.name), "_")).collect();
                let body = param_ns.claim("body".to_string(), "_");
                // A setter is its parameter's name, unless `Call` has a method of
                // that name (`timeout` becomes `timeout_param`).
                let mut setter_ns = Namespace::default();
                for m in CALL_METHODS {
                    setter_ns.reserve(m);
                }
                let setters = op
                    .params
                    .iter()
                    .zip(&params)
                    .map(|(p, n)| {
                        p.has_setter().then(|| {
                            let bare = ident::bare(n);
                            if CALL_METHODS.contains(&bare) {
                                setter_ns.claim(format!("{bare}_param"), "_")
                            } else {
                                setter_ns.claim(n.clone(), "_")
                            }
                        })
                    })
                    .collect();
                OpNames {
                    method,
                    params,
                    params_struct,
                    params_alias_of: params_alias_of.next().flatten(),
                    params_shared_by: params_shared_by.next().unwrap_or(0),
                    setters,
                    body,
                    success,
                    success_variants: words.success_variants,
                    error,
                    error_alias_of,
                    error_shared_by,
                    error_variants: words.error_variants,
                    headers,
                    form,
                    choice,
                }
            },
        )
        .collect();

    let features = feature_names(&api.features.groups);
    Names { types, ops, auth, auth_client_credentials, prelude, features }
}

/// The texts an operation's names are claimed from.
struct OpWords {
    /// Its enums' names start with this.
    base: String,
    method: String,
    success_variants: Vec<String>,
    error_variants: Vec<String>,
}

/// `f` of every item, in order, with the items split among the cores.
fn on_all_cores<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    // Below this, a thread costs more than it saves.
    const MIN_PER_THREAD: usize = 256;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len() / MIN_PER_THREAD)
        .max(1);
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let f = &f;
    std::thread::scope(|scope| {
        let parts: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|part| part.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

/// `mint`, remembering what it made of each text.
fn memo(mint: impl Fn(&str) -> String) -> impl Fn(&str) -> String {
    let made = std::cell::RefCell::new(HashMap::<String, String>::new());
    move |raw| {
        if let Some(ident) = made.borrow().get(raw) {
            return ident.clone();
        }
        let ident = mint(raw);
        made.borrow_mut().insert(raw.to_string(), ident.clone());
        ident
    }
}

/// Members whose identifier spells their wire name exactly claim first, so
/// `meta` keeps `meta` and `_meta` becomes `meta_2`, whatever their order.
fn member_names(
    raw: &[&str],
    mint: impl Fn(&str) -> String,
    sep: &str,
) -> (Vec<String>, Namespace) {
    let minted: Vec<String> = raw.iter().map(|r| mint(r)).collect();
    let mut ns = Namespace::default();
    let mut out: Vec<Option<String>> = vec![None; raw.len()];
    for (i, m) in minted.iter().enumerate() {
        if ident::bare(m) == raw[i] && !ns.is_taken(m) {
            out[i] = Some(ns.claim(m.clone(), sep));
        }
    }
    for (i, m) in minted.into_iter().enumerate() {
        if out[i].is_none() {
            out[i] = Some(ns.claim(m, sep));
        }
    }
    (out.into_iter().map(|o| o.expect("every member named")).collect(), ns)
}

/// A union variant is named after what it holds.
fn variant_hint(ty: &Ty, types: &[TypeNames]) -> String {
    match ty {
        Ty::Named(id) => types[id.0].ident.clone(),
        Ty::String => "String".into(),
        Ty::Bool => "Boolean".into(),
        Ty::Int(_) => "Integer".into(),
        Ty::Float => "Number".into(),
        Ty::DateTime => "DateTime".into(),
        Ty::Date => "Date".into(),
        Ty::Uuid => "Uuid".into(),
        Ty::External(path) => {
            path.rsplit("::").next().unwrap_or("External").split('<').next().unwrap_or("").into()
        }
        Ty::Json => "Value".into(),
        Ty::Map(_) => "Map".into(),
        Ty::List(item) => format!("{}List", ident::bare(&variant_hint(item, types))),
        Ty::Nullable(inner) => variant_hint(inner, types),
    }
}

fn status_word(status: StatusKey) -> String {
    match status {
        StatusKey::Code(c) => http::StatusCode::from_u16(c)
            .ok()
            .and_then(|s| s.canonical_reason())
            .map(|r| camel(r, "Status", "Status"))
            .unwrap_or_else(|| format!("Status{c}")),
        StatusKey::Range(r) => format!("Status{r}xx"),
        StatusKey::Default => "Default".to_string(),
    }
}

/// The variants of a body enum, one per media type: `Json`, `Form`,
/// `Multipart`, `Xml`, `MergePatchJson`.
fn body_variants(b: &Body) -> Vec<String> {
    let mut ns = Namespace::default();
    b.choices()
        .map(|(media, _)| {
            let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            let word = match essence.as_str() {
                "application/x-www-form-urlencoded" => "Form".to_string(),
                "multipart/form-data" => "Multipart".to_string(),
                "application/octet-stream" => "Bytes".to_string(),
                "text/plain" => "Text".to_string(),
                other => {
                    let sub = other.rsplit('/').next().unwrap_or("");
                    ident::bare(&camel(sub.trim_start_matches("x-"), "Body", "Media")).to_string()
                }
            };
            ns.claim(word, "")
        })
        .collect()
}

/// `Ok`, `NotFound`; `OkJson` and `OkCsv` when one status has several bodies.
fn outcome_variants(outcomes: &[Outcome]) -> Vec<String> {
    let mut ns = Namespace::default();
    outcomes
        .iter()
        .map(|o| {
            let mut name = status_word(o.status);
            let shared = outcomes.iter().filter(|x| x.status == o.status).count() > 1;
            if let (true, Some(c)) = (shared, &o.content) {
                let sub =
                    c.media_type.split(';').next().unwrap_or("").rsplit('/').next().unwrap_or("");
                name.push_str(ident::bare(&camel(sub, "Body", "Media")));
            }
            ns.claim(name, "")
        })
        .collect()
}

fn client_credentials_names(
    schemes: &[SecurityScheme],
    ns: &mut Namespace,
) -> Vec<Option<(String, String)>> {
    let with_flow =
        |s: &SecurityScheme| matches!(s.kind, SecurityKind::OAuth2 { token_url: Some(_) });
    let several = schemes.iter().filter(|s| with_flow(s)).count() > 1;
    schemes
        .iter()
        .map(|s| {
            with_flow(s).then(|| {
                let name = if several {
                    format!("with_client_credentials_{}", name_part(&s.name, "scheme"))
                } else {
                    "with_client_credentials".to_string()
                };
                (ns.claim(name.clone(), "_"), ns.claim(format!("{name}_from"), "_"))
            })
        })
        .collect()
}

/// A name in `snake_case` to join to another with `_`: without the `_`
/// that a leading digit or a keyword gets, which would make `with__2` or
/// `with_token_self_` (found by `cargo xtask fuzz-compile`).
fn name_part(raw: &str, fallback: &str) -> String {
    let part = ident::bare(&snake(raw, fallback)).trim_matches('_').to_string();
    if part.is_empty() {
        fallback.to_string()
    } else {
        part
    }
}

fn auth_method_names(schemes: &[SecurityScheme], ns: &mut Namespace) -> Vec<String> {
    let preferred: Vec<String> = schemes
        .iter()
        .map(|s| match &s.kind {
            SecurityKind::Bearer => "with_bearer_token".to_string(),
            SecurityKind::Basic => "with_basic_auth".to_string(),
            SecurityKind::ApiKey { param, .. } => format!("with_{}", name_part(param, "api_key")),
            SecurityKind::OAuth2 { .. } => "with_access_token".to_string(),
        })
        .collect();
    preferred
        .iter()
        .zip(schemes)
        .map(|(p, s)| {
            // Two schemes of one kind: name each after its scheme.
            let name = if preferred.iter().filter(|q| *q == p).count() > 1 {
                format!("{p}_{}", name_part(&s.name, "scheme"))
            } else {
                p.clone()
            };
            ns.claim(name, "_")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::testing::{analyzed, spec};

    /// Every name naming decides: types with their members, then each
    /// operation's method, parameters and enums.
    fn names(paths: &str, components: &str) -> String {
        let api = analyzed(&spec(paths, components));
        let names = super::name(&api);
        let mut out = String::new();
        for t in &names.types {
            let extra = t.extra.as_deref().map(|e| format!(" +{e}")).unwrap_or_default();
            out += &format!("type {} [{}]{extra}\n", t.ident, t.members.join(", "));
        }
        for (op, n) in api.operations.iter().zip(&names.ops) {
            out += &format!(
                "{}: fn {}({}) success {:?} {:?} error {:?} {:?}\n",
                op.id,
                n.method,
                n.params.join(", "),
                n.success,
                n.success_variants,
                n.error,
                n.error_alias_of
            );
        }
        out
    }

    #[test]
    fn names_that_collide_after_case_conversion_get_suffixes_in_spec_order() {
        let components = "schemas:
  pet_status: {type: string, enum: [available, sold, 'sold!', '1st']}
  PetStatus: {type: object, properties: {type: {type: string}, self: {type: string}, Type: {type: string}}}
  Pet-Status: {type: integer}
";
        insta::assert_snapshot!(names("{}", components), @r"
        type PetStatus [Available, Sold, Sold2, V1st] +Other
        type PetStatus2 [r#type, self_, type_2]
        type PetStatus3 []
        ");
    }

    #[test]
    fn operations_are_named_from_their_ids_and_keywords_are_escaped() {
        let paths = "
/items/{type}:
  get:
    operationId: get item
    parameters:
      - {name: type, in: path, required: true, schema: {type: string}}
      - {name: self, in: query, schema: {type: string}}
      - {name: req, in: query, schema: {type: string}}
    responses:
      '200': {description: ok}
      '202': {description: later}
      '404': {description: no}
  delete:
    operationId: Self
    responses: {'204': {description: done}, '404': {description: no}}
";
        insta::assert_snapshot!(names(paths, "schemas: {}"), @r#"
        get item: fn get_item(r#type, self_, req_2) success Some("GetItemSuccess") ["Ok", "Accepted"] error Some("GetItemError") Some("SelfError")
        Self: fn self_(r#type) success None ["NoContent"] error Some("SelfError") None
        "#);
    }

    #[test]
    fn a_name_depends_on_its_own_schema_not_on_what_comes_after() {
        let one = "schemas:\n  Pet: {type: object}\n";
        let two = "schemas:\n  Pet: {type: object}\n  pet: {type: object}\n";
        let first_line = |s: String| s.lines().next().unwrap().to_string();
        assert_eq!(first_line(names("{}", one)), first_line(names("{}", two)));
    }
}

//! The public Rust surface of a module, from its model and names: every item
//! a user's code can name, keyed by where it comes from in the spec, so two
//! versions of a spec can be compared item by item whatever they are called.

use std::collections::BTreeMap;

use crate::emit::{self, Place};
use crate::model::*;
use crate::name::Names;

/// The items of one module, by key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Surface {
    pub items: BTreeMap<String, Item>,
}

/// One public item.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Where it comes from: a type's JSON pointer (`#/components/schemas/Pet`),
    /// or an operation's method and path with what the item is of it
    /// (`GET /pets/{id} error`).
    pub key: String,
    /// Its JSON pointer in the spec.
    pub pointer: String,
    /// Its path in the module: `types::Pet`, `Client::get_pet`.
    pub path: String,
    /// The operation it is part of, as `METHOD /path`, when it is one's.
    pub operation: Option<String>,
    pub kind: Kind,
    /// `#[deprecated]`.
    pub deprecated: bool,
    /// A type a request body reaches: code outside the crate builds it.
    pub in_request: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Struct {
        fields: Vec<Member>,
    },
    /// A string enum: one variant per value (the catch-all is not listed).
    Enum {
        variants: Vec<Member>,
    },
    Union {
        variants: Vec<Member>,
    },
    Alias {
        target: String,
    },
    /// A `Client` method.
    Method {
        args: Vec<Member>,
        setters: Vec<Member>,
        ok: String,
        err: String,
        /// What `.items()` of its call yields, when the operation pages.
        pages: Option<String>,
    },
    /// An operation's success or error enum, one variant per answer.
    Answers {
        variants: Vec<Member>,
    },
    /// An operation's error type when it is another one's enum.
    AnswersAlias {
        target: String,
    },
    /// The typed headers of one answer.
    Headers {
        fields: Vec<Member>,
    },
    /// An operation's optional parameters: private fields, set by the
    /// call's setters (listed with the method).
    Params,
    /// A Cargo feature of the crate (one per tag), which users name in
    /// their `Cargo.toml`.
    Feature,
}

/// A field, variant, argument or setter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// What the spec calls it: the property, value, parameter or status.
    pub wire: String,
    /// Its Rust name.
    pub name: String,
    /// Its Rust type as written; empty when it holds none.
    pub ty: String,
    /// A field the spec requires, or an argument (always passed).
    pub required: bool,
    pub deprecated: bool,
}

impl Member {
    /// A member that is neither required nor deprecated.
    fn of(wire: String, name: &str, ty: String) -> Member {
        Member { wire, name: name.to_string(), ty, required: false, deprecated: false }
    }
}

impl Surface {
    /// The key of the operation at `paths/<path>/<method>` of the spec.
    pub fn operation_at(&self, path: &str, method: &str) -> Option<String> {
        let pointer = crate::pointer::Pointer::root().push("paths").push(path).push(method);
        let pointer = pointer.to_string();
        self.items.values().find(|i| i.pointer == pointer).and_then(|i| i.operation.clone())
    }
}

impl Item {
    /// The item's name in the module.
    pub fn name(&self) -> &str {
        self.path.rsplit("::").next().unwrap_or(&self.path)
    }

    /// The members a caller names, if any.
    pub fn members(&self) -> &[Member] {
        match &self.kind {
            Kind::Struct { fields } | Kind::Headers { fields } => fields,
            Kind::Enum { variants } | Kind::Union { variants } | Kind::Answers { variants } => {
                variants
            }
            Kind::Method { args, .. } => args,
            Kind::Alias { .. } | Kind::AnswersAlias { .. } | Kind::Params | Kind::Feature => &[],
        }
    }
}

/// A type as a user reads it: `Option<Vec<types::Pet>>`.
fn show(t: &syn::Type) -> String {
    let text = quote::ToTokens::to_token_stream(t).to_string();
    let mut out: String = text.split_whitespace().collect::<Vec<_>>().join("");
    for std in ["option", "vec", "string", "boxed", "collections", "convert"] {
        out = out.replace(&format!("::std::{std}::"), "");
    }
    out.replace(',', ", ")
}

pub fn surface(api: &Api, names: &Names) -> Surface {
    let mut items = BTreeMap::new();
    let mut add = |item: Item| {
        let mut key = item.key.clone();
        // A pointer lowered twice (rare) keeps both.
        let mut n = 1;
        while items.contains_key(&key) {
            n += 1;
            key = format!("{} ({n})", item.key);
        }
        items.insert(key.clone(), Item { key, ..item });
    };
    let keys = op_keys(api);
    let op_of = |pointer: &str| {
        api.operations
            .iter()
            .position(|op| pointer.starts_with(&format!("{}/", op.pointer)))
            .map(|i| keys[i].clone())
    };
    let in_request = reached_by_requests(api);
    // An inline parameter schema's pointer has the parameter's index, which
    // moves when a parameter is added before it: keyed by name instead.
    let param_places: Vec<(String, String)> = api
        .operations
        .iter()
        .flat_map(|op| {
            op.params.iter().filter(|p| p.pointer != op.pointer).map(move |p| {
                let location = format!("{:?}", p.location).to_ascii_lowercase();
                let named = format!("{}/parameters/{location} {}/", op.pointer, p.name);
                (format!("{}/", p.pointer), named)
            })
        })
        .collect();
    for (i, def) in api.types.iter().enumerate() {
        let tn = &names.types[i];
        let kind = match &def.kind {
            TypeKind::Struct(s) => Kind::Struct {
                fields: s
                    .fields
                    .iter()
                    .zip(&tn.members)
                    .map(|(f, n)| Member {
                        wire: f.name.clone(),
                        name: n.clone(),
                        ty: show(&emit::types::field_ty(f, names)),
                        required: f.required,
                        deprecated: f.deprecated,
                    })
                    .collect(),
            },
            TypeKind::Enum(e) => Kind::Enum {
                variants: e
                    .values
                    .iter()
                    .zip(&tn.members)
                    .map(|(v, n)| Member::of(v.clone(), n, String::new()))
                    .collect(),
            },
            TypeKind::Union(u) => Kind::Union {
                variants: u
                    .variants
                    .iter()
                    .zip(&tn.members)
                    .map(|(v, n)| {
                        let wire = v.tag_value.clone().unwrap_or_else(|| n.clone());
                        Member::of(wire, n, show(&emit::ty(&v.ty, names, Place::InTypes)))
                    })
                    .collect(),
            },
            TypeKind::Alias(t) => Kind::Alias { target: show(&emit::ty(t, names, Place::InTypes)) },
        };
        let pointer = def.pointer.to_string();
        add(Item {
            key: stable_key(&pointer, &param_places),
            operation: op_of(&pointer),
            pointer,
            path: format!("types::{}", tn.ident),
            kind,
            deprecated: def.deprecated,
            in_request: in_request[i],
        });
    }
    for ((op, on), key) in api.operations.iter().zip(&names.ops).zip(&keys) {
        let key = key.clone();
        let pointer = op.pointer.to_string();
        let item = |role: &str, path: String, kind: Kind| Item {
            key: format!("{key} {role}"),
            pointer: pointer.clone(),
            path,
            operation: Some(key.clone()),
            kind,
            deprecated: false,
            in_request: false,
        };
        let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
        let mut wires: Vec<String> = required.iter().map(|p| p.name.clone()).collect();
        wires.extend(op.body.as_ref().map(|b| format!("body {}", b.media_type)));
        let args = emit::client::arguments(op, on, names)
            .into_iter()
            .zip(wires)
            .map(|((n, t), wire)| Member {
                wire,
                name: n.to_string(),
                ty: show(&t),
                required: true,
                deprecated: false,
            })
            .collect();
        let setters = op
            .params
            .iter()
            .zip(&on.setters)
            .filter_map(|(p, s)| {
                Some(Member {
                    wire: p.name.clone(),
                    name: s.clone()?,
                    ty: show(&emit::ty(&p.ty, names, Place::InTypes)),
                    required: false,
                    deprecated: p.deprecated,
                })
            })
            .collect();
        let (ok, err) = emit::client::answer_types(op, on, names);
        let pages = emit::client::page_item_ty(op, names).map(|t| show(&t));
        let method = Kind::Method { args, setters, ok: show(&ok), err: show(&err), pages };
        // The `_as` method of an operation with several request media
        // types: the same call, its body one of an enum users build.
        if let Some(c) = &on.choice {
            let mut as_method = method.clone();
            let types = emit::client::choice_arguments(op, on, c, names);
            if let (Kind::Method { args, .. }, Some((_, t))) = (&mut as_method, types.last()) {
                if let Some(last) = args.last_mut() {
                    last.ty = show(t);
                }
            }
            add(Item {
                deprecated: op.deprecated,
                ..item("as", format!("Client::{}", c.method), as_method)
            });
            let variants = emit::client::choice_variants(op, on, names, Place::InTypes, false)
                .into_iter()
                .map(|(media, v, t)| Member::of(media.to_string(), v, show(&t)))
                .collect();
            add(Item {
                in_request: true,
                ..item("body", format!("types::{}", c.ident), Kind::Union { variants })
            });
        }
        if let Some(form) = &on.form {
            let fields = emit::client::form_fields(op, on, names)
                .into_iter()
                .map(|(p, f, t)| Member {
                    wire: p.name.clone(),
                    name: f.to_string(),
                    ty: show(&t),
                    required: p.required,
                    deprecated: false,
                })
                .collect();
            add(Item {
                in_request: true,
                ..item("form", format!("types::{}", form.ident), Kind::Struct { fields })
            });
        }
        add(Item {
            key: key.clone(),
            pointer: pointer.clone(),
            path: format!("Client::{}", on.method),
            operation: Some(key.clone()),
            kind: method,
            deprecated: op.deprecated,
            in_request: false,
        });
        let answers = |outcomes: &[Outcome], variants: &[String], success: bool| Kind::Answers {
            variants: outcomes
                .iter()
                .zip(variants)
                .map(|(o, v)| {
                    // The status, and the media type where one status has
                    // several: a body added to a status is the same variant.
                    let wire = match &o.content {
                        Some(c) if outcomes.iter().filter(|x| x.status == o.status).count() > 1 => {
                            format!("{} {}", emit::status_text(o.status), c.media_type)
                        }
                        _ => emit::status_text(o.status),
                    };
                    let ty = o.content.as_ref().map_or(String::new(), |c| {
                        show(&if success {
                            emit::success_body_ty(&c.kind, names, Place::InTypes)
                        } else {
                            emit::option(emit::body_ty(&c.kind, names, Place::InTypes), names)
                        })
                    });
                    Member::of(wire, v, ty)
                })
                .collect(),
        };
        if let Some(success) = &on.success {
            let kind = answers(&op.success, &on.success_variants, true);
            add(item("success", format!("types::{success}"), kind));
        }
        if let Some(error) = &on.error {
            let kind = match &on.error_alias_of {
                Some(target) => Kind::AnswersAlias { target: target.clone() },
                None => answers(&op.errors, &on.error_variants, false),
            };
            add(item("error", format!("types::{error}"), kind));
        }
        if let Some(params) = &on.params_struct {
            add(item("params", format!("types::{params}"), Kind::Params));
        }
        for set in &on.headers {
            let outcome = op.success.iter().chain(&op.errors).find(|o| o.status == set.status);
            let fields = outcome
                .map(|o| {
                    o.headers
                        .iter()
                        .zip(&set.fields)
                        .map(|(h, n)| {
                            Member::of(
                                h.name.clone(),
                                n,
                                show(&emit::ty(&h.ty, names, Place::InTypes)),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let role = format!("headers {}", emit::status_text(set.status));
            add(item(&role, format!("types::{}", set.ident), Kind::Headers { fields }));
        }
    }
    // A feature is where its first operation is: tags have no pointer of
    // their own unless the spec lists them.
    for (g, feature) in names.features.iter().enumerate() {
        let first = api.features.ops.iter().position(
            |gate| matches!(gate, crate::model::Gate::Any(groups) if groups.contains(&(g as u32))),
        );
        let pointer = first.map(|i| api.operations[i].pointer.to_string()).unwrap_or_default();
        add(Item {
            key: format!("feature {feature}"),
            pointer,
            path: format!("feature {feature}"),
            operation: None,
            kind: Kind::Feature,
            deprecated: false,
            in_request: false,
        });
    }
    Surface { items }
}

/// `pointer`, with a parameter's place by index replaced by its name.
fn stable_key(pointer: &str, param_places: &[(String, String)]) -> String {
    for (at, named) in param_places {
        if let Some(rest) = pointer.strip_prefix(at.as_str()) {
            return format!("{named}{rest}");
        }
    }
    pointer.to_string()
}

/// Per type, whether a request body reaches it.
fn reached_by_requests(api: &Api) -> Vec<bool> {
    fn named(ty: &Ty, out: &mut Vec<TypeId>) {
        match ty {
            Ty::Named(id) => out.push(*id),
            Ty::Nullable(t) | Ty::List(t) | Ty::Map(t) => named(t, out),
            _ => {}
        }
    }
    let mut reached = vec![false; api.types.len()];
    let mut stack = Vec::new();
    for op in &api.operations {
        if let Some(Body { kind: BodyKind::Json(ty) | BodyKind::Form(ty), .. }) = &op.body {
            named(ty, &mut stack);
        }
    }
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut reached[id.0], true) {
            continue;
        }
        api.types[id.0].kind.members().into_iter().for_each(|t| named(t, &mut stack));
    }
    reached
}

/// Each operation's key (see `op_key`); where two operations of a spec
/// have the same key (`/folders/{id}` and `/folders/{path}`, which no
/// server can tell apart), the path as written.
pub fn op_keys(api: &Api) -> Vec<String> {
    let keys: Vec<String> = api.operations.iter().map(op_key).collect();
    let mut count: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for k in &keys {
        *count.entry(k.as_str()).or_default() += 1;
    }
    keys.iter()
        .zip(&api.operations)
        .map(|(k, op)| {
            if count[k.as_str()] > 1 {
                format!("{} {}", op.method.as_str().to_ascii_uppercase(), op.path)
            } else {
                k.clone()
            }
        })
        .collect()
}

/// `GET /pets/{}`: path parameters' names left out, as servers route
/// (a parameter renamed in the template is the same operation).
pub fn op_key(op: &Operation) -> String {
    format!("{} {}", op.method.as_str().to_ascii_uppercase(), unnamed_params(&op.path))
}

/// A path template with its parameters' names left out: `/pets/{}`.
pub fn unnamed_params(template: &str) -> String {
    let mut path = String::with_capacity(template.len());
    let mut in_param = false;
    for c in template.chars() {
        match c {
            '{' => {
                in_param = true;
                path.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            c => path.push(c),
        }
    }
    path
}

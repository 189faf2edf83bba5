//! What the stages' unit tests share: a small spec in, the model out.

use std::path::Path;

use crate::model::Api;

/// `paths` (YAML, indented as under `paths:`) and `components` (as under
/// `components:`) in a document of their own.
pub fn spec(paths: &str, components: &str) -> String {
    let indent = |text: &str| text.lines().map(|l| format!("  {l}\n")).collect::<String>();
    format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n{}components:\n{}",
        indent(paths),
        indent(components)
    )
}

/// The spec lowered, before any whole-model pass.
pub fn lowered(text: &str) -> Api {
    let doc = crate::input::load_str(text, Path::new("spec.yaml")).unwrap();
    crate::lower::lower(&doc).unwrap()
}

/// The spec lowered and analyzed, as naming receives it.
pub fn analyzed(text: &str) -> Api {
    let mut api = lowered(text);
    crate::analyze::analyze(&mut api);
    api
}

/// The model as a reader would sketch it: one line per type (`#id name =
/// kind`), then one per operation (parameters, body, answers).
pub fn model(api: &Api) -> String {
    use crate::model::*;
    let mut out = String::new();
    for (i, def) in api.types.iter().enumerate() {
        let name = match &def.name {
            NameHint::Component(n) => n.clone(),
            NameHint::Place(p) => p.join("."),
        };
        let kind = match &def.kind {
            TypeKind::Struct(s) => {
                let fields: Vec<String> = s
                    .fields
                    .iter()
                    .map(|f| {
                        let opt = if f.required { "" } else { "?" };
                        let null = if f.nullable { " | null" } else { "" };
                        let boxed = if f.boxed { "Box " } else { "" };
                        format!("{}{opt}: {boxed}{}{null}", f.name, ty(&f.ty))
                    })
                    .chain(s.additional.iter().map(|t| format!("..: {}", ty(t))))
                    .collect();
                format!("{{{}}}", fields.join(", "))
            }
            TypeKind::Enum(e) => format!("enum {}", e.values.join(" | ")),
            TypeKind::Alias(t) => ty(t),
            TypeKind::Union(u) => {
                let vs: Vec<String> = u
                    .variants
                    .iter()
                    .map(|v| {
                        let tag =
                            v.tag_value.as_deref().map(|t| format!("{t}: ")).unwrap_or_default();
                        let boxed = if v.boxed { "Box " } else { "" };
                        format!("{tag}{boxed}{}", ty(&v.ty))
                    })
                    .collect();
                let by = u.tag.as_deref().map(|t| format!(" by {t}")).unwrap_or_default();
                format!("one of{by} ({})", vs.join(", "))
            }
        };
        out += &format!("#{i} {name} = {kind}\n");
    }
    for op in &api.operations {
        let params: Vec<String> = op
            .params
            .iter()
            .map(|p| {
                let opt = if p.required { "" } else { "?" };
                format!("{:?} {}{opt}: {}", p.location, p.name, ty(&p.ty))
            })
            .collect();
        let body = op.body.as_ref().map(|b| format!(" body {}", b.media_type)).unwrap_or_default();
        let answers = |outcomes: &[Outcome]| -> String {
            outcomes
                .iter()
                .map(|o| {
                    let content = o.content.as_ref().map(|c| {
                        let kind = match &c.kind {
                            BodyKind::Json(t) => format!("json {}", ty(t)),
                            BodyKind::Form(t) => format!("form {}", ty(t)),
                            other => format!("{other:?}").to_ascii_lowercase(),
                        };
                        format!(" {} as {kind}", c.media_type)
                    });
                    format!("{:?}{}", o.status, content.unwrap_or_default())
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        out += &format!(
            "{} {} {} ({}){body} -> [{}] ! [{}]\n",
            op.id,
            op.method.as_str(),
            op.path,
            params.join(", "),
            answers(&op.success),
            answers(&op.errors)
        );
    }
    out
}

fn ty(t: &crate::model::Ty) -> String {
    use crate::model::Ty;
    match t {
        Ty::Named(id) => format!("#{}", id.0),
        Ty::List(inner) => format!("[{}]", ty(inner)),
        Ty::Map(inner) => format!("{{..: {}}}", ty(inner)),
        Ty::Nullable(inner) => format!("{}?", ty(inner)),
        other => format!("{other:?}"),
    }
}

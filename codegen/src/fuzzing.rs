//! Random OpenAPI documents for fuzzing (feature `arbitrary`): a structure
//! that `arbitrary` fills from raw bytes and that prints as a document, so
//! the fuzzer spends its time past the parser, in lowering, naming and
//! emitting, where byte-level mutation rarely gets.
//!
//! The documents are valid OpenAPI in shape, hostile in content: names
//! from keywords, digits, separators, Unicode and quotes; schemas nested,
//! recursive, composed and referring anywhere.

use arbitrary::{Arbitrary, Unstructured};
use serde_json::{json, Map, Value};

use crate::input::parse::METHODS;

/// Names a spec might use, hostile ones included.
const NAMES: &[&str] = &[
    "id",
    "Id",
    "ID",
    "type",
    "Type",
    "self",
    "Self",
    "super",
    "crate",
    "r#type",
    "fn",
    "match",
    "mod",
    "Result",
    "Option",
    "Vec",
    "String",
    "Box",
    "Error",
    "_meta",
    "__proto__",
    "0",
    "1st",
    "-1",
    "+1",
    "a b",
    "a-b",
    "a_b",
    "aB",
    "AB",
    "",
    " ",
    "\"",
    "\\",
    "*/",
    "/*",
    "}",
    "{",
    "#[x]",
    "é",
    "Ä",
    "日本",
    "\u{202E}rtl",
    "\u{200B}",
    "x\ny",
    "default",
    "Other",
    "other",
    "Value",
    "Item",
    "Response",
    "Request",
    "Client",
    "runtime",
    "types",
    "core",
    "std",
];

#[derive(Debug)]
pub struct Name(pub String);

impl<'a> Arbitrary<'a> for Name {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Name(match u.int_in_range(0..=3)? {
            0 => String::arbitrary(u)?.chars().take(24).collect(),
            1 => format!("{}{}", u.choose(NAMES)?, u.int_in_range(0..=3u8)?),
            _ => u.choose(NAMES)?.to_string(),
        }))
    }
}

#[derive(Debug, Arbitrary)]
pub enum Format {
    DateTime,
    Date,
    Uri,
    Binary,
    Int32,
    Int64,
    Uuid,
    Other(Name),
}

#[derive(Debug, Arbitrary)]
pub enum Schema {
    String {
        format: Option<Format>,
        values: Vec<Name>,
    },
    Integer {
        format: Option<Format>,
        minimum: Option<i64>,
    },
    Number,
    Boolean,
    Array(Box<Schema>),
    Object {
        properties: Vec<(Name, Schema)>,
        required: Vec<u8>,
        additional: Option<Box<Schema>>,
    },
    /// A component by index (modulo the count), or a pointer somewhere.
    Ref(u8),
    Pointer(Name),
    AllOf(Vec<Schema>),
    OneOf {
        members: Vec<Schema>,
        discriminator: Option<Name>,
    },
    AnyOf(Vec<Schema>),
    Nullable(Box<Schema>),
    Described {
        description: Name,
        inner: Box<Schema>,
    },
    Empty,
}

#[derive(Debug, Arbitrary)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Arbitrary)]
pub struct Parameter {
    name: Name,
    location: Location,
    required: bool,
    schema: Schema,
}

#[derive(Debug, Arbitrary)]
pub enum Media {
    Json,
    Csv,
    Binary,
    Form,
    Multipart,
    Text,
    Other(Name),
}

#[derive(Debug, Arbitrary)]
pub struct Answer {
    status: u16,
    media: Vec<(Media, Schema)>,
    headers: Vec<(Name, Schema)>,
    description: Name,
}

#[derive(Debug, Arbitrary)]
pub struct Operation {
    method: u8,
    id: Option<Name>,
    tags: Vec<Name>,
    parameters: Vec<Parameter>,
    body: Option<(Media, Schema)>,
    answers: Vec<Answer>,
    default: Option<Schema>,
    security: Vec<u8>,
}

#[derive(Debug, Arbitrary)]
pub struct Path {
    segments: Vec<Name>,
    operations: Vec<Operation>,
}

#[derive(Debug, Arbitrary)]
pub enum Security {
    Bearer,
    Basic,
    Key { location: Location, name: Name },
    ClientCredentials { token_url: Name },
}

#[derive(Debug, Arbitrary)]
pub struct Spec {
    v31: bool,
    title: Name,
    paths: Vec<Path>,
    schemas: Vec<(Name, Schema)>,
    security: Vec<(Name, Security)>,
}

impl Spec {
    /// The document as JSON.
    pub fn document(&self) -> Value {
        let names: Vec<String> = self.schemas.iter().map(|(n, _)| n.0.clone()).collect();
        let schemas: Map<String, Value> =
            self.schemas.iter().map(|(n, s)| (n.0.clone(), s.to_value(&names))).collect();
        let mut paths = Map::new();
        for p in &self.paths {
            let mut path = String::new();
            for s in &p.segments {
                path.push('/');
                path.push_str(&s.0);
            }
            if path.is_empty() {
                path.push('/');
            }
            let mut item = Map::new();
            for op in &p.operations {
                item.insert(
                    METHODS[op.method as usize % 8].to_string(),
                    op.to_value(&names, &self.security),
                );
            }
            paths.insert(path, Value::Object(item));
        }
        let security: Map<String, Value> =
            self.security.iter().map(|(n, s)| (n.0.clone(), s.to_value())).collect();
        json!({
            "openapi": if self.v31 { "3.1.0" } else { "3.0.3" },
            "info": {"title": self.title.0, "version": "1"},
            "servers": [{"url": "https://api.example"}],
            "paths": paths,
            "components": {"schemas": schemas, "securitySchemes": security},
        })
    }
}

impl Schema {
    fn to_value(&self, names: &[String]) -> Value {
        let all =
            |members: &[Schema]| Value::Array(members.iter().map(|m| m.to_value(names)).collect());
        match self {
            Schema::String { format, values } => {
                let mut s = json!({"type": "string"});
                if let Some(f) = format {
                    s["format"] = f.to_value();
                }
                if !values.is_empty() {
                    s["enum"] = values.iter().map(|v| Value::String(v.0.clone())).collect();
                }
                s
            }
            Schema::Integer { format, minimum } => {
                let mut s = json!({"type": "integer"});
                if let Some(f) = format {
                    s["format"] = f.to_value();
                }
                if let Some(m) = minimum {
                    s["minimum"] = json!(m);
                }
                s
            }
            Schema::Number => json!({"type": "number"}),
            Schema::Boolean => json!({"type": "boolean"}),
            Schema::Array(items) => json!({"type": "array", "items": items.to_value(names)}),
            Schema::Object { properties, required, additional } => {
                let props: Map<String, Value> =
                    properties.iter().map(|(n, s)| (n.0.clone(), s.to_value(names))).collect();
                let mut s = json!({"type": "object", "properties": props});
                let keys: Vec<&String> = props_keys(properties);
                if !keys.is_empty() && !required.is_empty() {
                    s["required"] = required
                        .iter()
                        .map(|i| Value::String(keys[*i as usize % keys.len()].clone()))
                        .collect();
                }
                if let Some(a) = additional {
                    s["additionalProperties"] = a.to_value(names);
                }
                s
            }
            Schema::Ref(i) if !names.is_empty() => {
                let name = &names[*i as usize % names.len()];
                json!({"$ref": format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1"))})
            }
            Schema::Ref(_) => json!({}),
            Schema::Pointer(p) => json!({"$ref": format!("#/{}", p.0)}),
            Schema::AllOf(m) => json!({"allOf": all(m)}),
            Schema::OneOf { members, discriminator } => {
                let mut s = json!({"oneOf": all(members)});
                if let Some(d) = discriminator {
                    s["discriminator"] = json!({"propertyName": d.0});
                }
                s
            }
            Schema::AnyOf(m) => json!({"anyOf": all(m)}),
            Schema::Nullable(inner) => {
                let mut s = inner.to_value(names);
                if let Value::Object(o) = &mut s {
                    o.insert("nullable".into(), Value::Bool(true));
                }
                s
            }
            Schema::Described { description, inner } => {
                let mut s = inner.to_value(names);
                if let Value::Object(o) = &mut s {
                    o.insert("description".into(), Value::String(description.0.clone()));
                }
                s
            }
            Schema::Empty => json!({}),
        }
    }
}

fn props_keys(properties: &[(Name, Schema)]) -> Vec<&String> {
    properties.iter().map(|(n, _)| &n.0).collect()
}

impl Format {
    fn to_value(&self) -> Value {
        Value::String(match self {
            Format::DateTime => "date-time".into(),
            Format::Date => "date".into(),
            Format::Uri => "uri".into(),
            Format::Binary => "binary".into(),
            Format::Int32 => "int32".into(),
            Format::Int64 => "int64".into(),
            Format::Uuid => "uuid".into(),
            Format::Other(n) => n.0.clone(),
        })
    }
}

impl Media {
    fn as_str(&self) -> String {
        match self {
            Media::Json => "application/json".into(),
            Media::Csv => "text/csv".into(),
            Media::Binary => "application/octet-stream".into(),
            Media::Form => "application/x-www-form-urlencoded".into(),
            Media::Multipart => "multipart/form-data".into(),
            Media::Text => "text/plain".into(),
            Media::Other(n) => n.0.clone(),
        }
    }
}

impl Location {
    fn as_str(&self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }
}

impl Operation {
    fn to_value(&self, names: &[String], security: &[(Name, Security)]) -> Value {
        let mut op = Map::new();
        if let Some(id) = &self.id {
            op.insert("operationId".into(), Value::String(id.0.clone()));
        }
        if !self.tags.is_empty() {
            op.insert(
                "tags".into(),
                self.tags.iter().map(|t| Value::String(t.0.clone())).collect(),
            );
        }
        let params: Vec<Value> = self
            .parameters
            .iter()
            .map(|p| {
                json!({"name": p.name.0, "in": p.location.as_str(), "required": p.required || matches!(p.location, Location::Path), "schema": p.schema.to_value(names)})
            })
            .collect();
        op.insert("parameters".into(), Value::Array(params));
        if let Some((media, schema)) = &self.body {
            op.insert(
                "requestBody".into(),
                json!({"content": {media.as_str(): {"schema": schema.to_value(names)}}}),
            );
        }
        let mut responses = Map::new();
        for a in &self.answers {
            let content: Map<String, Value> = a
                .media
                .iter()
                .map(|(m, s)| (m.as_str(), json!({"schema": s.to_value(names)})))
                .collect();
            let headers: Map<String, Value> = a
                .headers
                .iter()
                .map(|(n, s)| (n.0.clone(), json!({"schema": s.to_value(names)})))
                .collect();
            let status = (100 + a.status % 500).to_string();
            responses.insert(
                status,
                json!({"description": a.description.0, "content": content, "headers": headers}),
            );
        }
        if let Some(d) = &self.default {
            responses.insert("default".into(), json!({"description": "other", "content": {"application/json": {"schema": d.to_value(names)}}}));
        }
        if responses.is_empty() {
            responses.insert("204".into(), json!({"description": "none"}));
        }
        op.insert("responses".into(), Value::Object(responses));
        if !security.is_empty() && !self.security.is_empty() {
            let req: Vec<Value> = self
                .security
                .iter()
                .map(|i| json!({ security[*i as usize % security.len()].0 .0.clone(): [] }))
                .collect();
            op.insert("security".into(), Value::Array(req));
        }
        Value::Object(op)
    }
}

impl Security {
    fn to_value(&self) -> Value {
        match self {
            Security::Bearer => json!({"type": "http", "scheme": "bearer"}),
            Security::Basic => json!({"type": "http", "scheme": "basic"}),
            Security::Key { location, name } => {
                let location =
                    if matches!(location, Location::Path) { "header" } else { location.as_str() };
                json!({"type": "apiKey", "in": location, "name": name.0})
            }
            Security::ClientCredentials { token_url } => {
                json!({"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": token_url.0, "scopes": {}}}})
            }
        }
    }
}

/// One fuzz input through the whole pipeline: it may fail with an error,
/// and must not panic, hang or take unbounded memory.
pub fn run_bytes(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for name in ["spec.json", "spec.yaml"] {
        let _ = crate::generate_module_from_str(text, std::path::Path::new(name), "api");
    }
}

/// A structured fuzz input: the document printed as JSON, through the pipeline.
pub fn run_spec(spec: &Spec) -> Option<crate::Module> {
    let text = serde_json::to_string(&spec.document()).ok()?;
    crate::generate_module_from_str(&text, std::path::Path::new("spec.json"), "api").ok()
}

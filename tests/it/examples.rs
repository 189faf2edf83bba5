//! Every `example` in the seed specs is read back into its generated type.
//!
//! Each example is placed where it stands inside an instance of the nearest
//! enclosing *anchor* (a schema or parameter with a known Rust type), decoded
//! into that type, written back, and compared: an example that a field
//! silently drops (a wrong rename, a wrong type) fails. An example with no
//! anchor fails too, so a spec update that adds examples asks for this table
//! to grow.

use generated::{onlyfansapi, vantage};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use crate::support::spec;

type Check = fn(Value) -> Result<Value, String>;

fn check<T: DeserializeOwned + Serialize>(v: Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(v).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

/// An anchor: where its schema sits, its Rust type, and a valid instance to
/// place a property's example into.
struct Anchor {
    pointer: &'static str,
    check: Check,
    base: Value,
}

fn anchors(file: &str) -> Vec<Anchor> {
    let of_create = "/paths/~1api~1data-exports/post";
    let of_status = "/paths/~1api~1data-exports~1{data_export_id}";
    match file {
        "onlyfansapi.yaml" => vec![
            Anchor {
                pointer: "/paths/~1api~1data-exports/post/requestBody/content/application~1json/schema",
                check: check::<onlyfansapi::types::CreateDataExportRequest>,
                base: json!({"type": "fans", "start_date": "2024-01-01", "end_date": "2024-02-01", "file_type": "csv"}),
            },
            Anchor {
                pointer: "/paths/~1api~1data-exports/post/responses/200/content/application~1json/schema",
                check: check::<onlyfansapi::types::CreateDataExportResponse>,
                base: json!({}),
            },
            Anchor {
                pointer: "/paths/~1api~1data-exports~1{data_export_id}/get/responses/200/content/application~1json/schema",
                check: check::<onlyfansapi::types::GetDataExportStatusResponse>,
                base: json!({}),
            },
            // The path parameter (`&str`) and the query parameter (`Option<i64>`).
            Anchor { pointer: "/paths/~1api~1data-exports~1{data_export_id}/parameters/0", check: check::<String>, base: json!("") },
            Anchor {
                pointer: "/paths/~1api~1data-exports~1{data_export_id}/get/parameters/0",
                check: check::<i64>,
                base: json!(0),
            },
        ]
        .into_iter()
        .inspect(|a| assert!(a.pointer.starts_with(of_create) || a.pointer.starts_with(of_status)))
        .collect(),
        "vantage.yaml" => {
            let example = spec("vantage.yaml")
                .pointer("/paths/~1data_exports~1{data_export_token}/get/responses/200/content/application~1json/example")
                .cloned()
                .expect("the vendor's example");
            vec![
                Anchor {
                    pointer: "/paths/~1data_exports~1{data_export_token}/get/responses/200/content/application~1json",
                    check: check::<vantage::types::DataExport>,
                    base: example.clone(),
                },
                Anchor {
                    pointer: "/components/schemas/DataExport",
                    check: check::<vantage::types::DataExport>,
                    base: example.clone(),
                },
                Anchor {
                    pointer: "/components/schemas/DataExportManifest",
                    check: check::<vantage::types::DataExportManifest>,
                    base: example["manifest"].clone(),
                },
            ]
        }
        _ => vec![],
    }
}

/// Pointers of every `example` value in `v` (and `examples/*/value`).
fn examples(v: &Value, at: String, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(map) => {
            let in_properties = at.ends_with("/properties");
            for (k, child) in map {
                let child_at = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                if !in_properties && k == "example" {
                    out.push((child_at, child.clone()));
                } else if !in_properties && k == "examples" && child.is_object() {
                    for (name, ex) in child.as_object().into_iter().flatten() {
                        if let Some(value) = ex.get("value") {
                            out.push((format!("{child_at}/{name}/value"), value.clone()));
                        }
                    }
                } else {
                    examples(child, child_at, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                examples(item, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Where, inside an instance, the example at `rel` (a schema path) goes.
fn instance_path(rel: &str) -> Vec<Value> {
    let segs: Vec<&str> = rel.split('/').filter(|s| !s.is_empty()).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < segs.len() {
        match segs[i] {
            "properties" if i + 1 < segs.len() => {
                out.push(json!(segs[i + 1].replace("~1", "/").replace("~0", "~")));
                i += 2;
            }
            "items" => {
                out.push(json!(0));
                i += 1;
            }
            // The example itself, or a wrapper with no instance level.
            _ => i += 1,
        }
    }
    out
}

fn place(base: &Value, path: &[Value], example: Value) -> Value {
    let Some((first, rest)) = path.split_first() else { return example };
    let mut base = base.clone();
    match first {
        Value::String(key) => {
            if !base.is_object() {
                base = json!({});
            }
            let child = base.get(key.as_str()).cloned().unwrap_or(Value::Null);
            base[key.as_str()] = place(&child, rest, example);
        }
        _ => {
            let child = base.get(0).cloned().unwrap_or(Value::Null);
            base = json!([place(&child, rest, example)]);
        }
    }
    base
}

fn lookup<'a>(v: &'a Value, path: &[Value]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, seg| match seg {
        Value::String(k) => v.get(k.as_str()),
        _ => v.get(0),
    })
}

/// Nulls are how JSON says "absent" for optional fields; both sides drop them.
fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

fn check_spec(file: &str) -> usize {
    let mut found = Vec::new();
    examples(&spec(file), String::new(), &mut found);
    let anchors = anchors(file);
    let mut failures = Vec::new();
    for (pointer, example) in &found {
        let Some(anchor) = anchors
            .iter()
            .filter(|a| pointer.starts_with(&format!("{}/", a.pointer)))
            .max_by_key(|a| a.pointer.len())
        else {
            failures.push(format!("{pointer}: no anchor says which Rust type this example is for"));
            continue;
        };
        let path = instance_path(&pointer[anchor.pointer.len()..]);
        let instance = place(&anchor.base, &path, example.clone());
        match (anchor.check)(instance) {
            Err(e) => failures.push(format!("{pointer}: does not decode: {e}")),
            Ok(back) => {
                let got = lookup(&back, &path).map(without_nulls).unwrap_or(Value::Null);
                if got != without_nulls(example) {
                    failures.push(format!("{pointer}: read as {got}, the spec says {example}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{file}:\n{}", failures.join("\n"));
    found.len()
}

#[test]
fn onlyfansapi_examples_read_back() {
    // Two whole responses, the request body's property examples, both
    // responses' property examples, and the two parameters.
    assert_eq!(check_spec("onlyfansapi.yaml"), 60);
}

#[test]
fn vantage_examples_read_back() {
    assert_eq!(check_spec("vantage.yaml"), 8);
}

#[test]
fn gumloop_and_hienergy_have_no_examples() {
    // If a spec update adds some, the counts here change and `anchors` must
    // say which type each is for.
    assert_eq!(check_spec("gumloop.yaml"), 0);
    assert_eq!(check_spec("hienergy.json"), 0);
}

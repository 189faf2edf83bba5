//! What the generated `Deserialize` impls accept and how they fill fields:
//! structs decode through the runtime's `serde_struct!`, string enums
//! and untagged unions through short hand-written impls, so their behaviour
//! is ours to pin down here rather than serde's derive.

use fixtures::composition::types::{ListShapesResponseValue, Settings};
use fixtures::openapi31::types::ThingKind;
use serde_json::json;

fn settings(v: serde_json::Value) -> Result<Settings, serde_json::Error> {
    serde_json::from_value(v)
}

#[test]
fn absent_and_null_stay_apart_where_the_type_keeps_them_apart() {
    let absent = settings(json!({"count": 1, "owner": "o"})).unwrap();
    assert_eq!(absent.label, None);
    let null = settings(json!({"count": 1, "owner": "o", "label": null})).unwrap();
    assert_eq!(null.label, Some(None));
    let set = settings(json!({"count": 1, "owner": "o", "label": "l"})).unwrap();
    assert_eq!(set.label, Some(Some("l".to_string())));
    // And back: absent is left out, `null` is sent.
    assert!(serde_json::to_value(&absent).unwrap().get("label").is_none());
    assert_eq!(serde_json::to_value(&null).unwrap()["label"], json!(null));
}

#[test]
fn optional_fields_read_null_as_none_and_required_nullable_fields_may_be_absent() {
    let s = settings(json!({"count": 1, "note": null})).unwrap();
    assert_eq!((s.owner, s.note), (None, None));
}

#[test]
fn undeclared_keys_go_to_the_extra_map_and_out_again() {
    let s = settings(json!({"count": 1, "owner": null, "a": 1, "b": 2})).unwrap();
    assert_eq!(
        s.additional_properties.into_iter().collect::<Vec<_>>(),
        [("a".into(), 1), ("b".into(), 2)]
    );
    let s = settings(json!({"count": 1, "owner": null, "a": 1})).unwrap();
    assert_eq!(serde_json::to_value(&s).unwrap(), json!({"count": 1, "owner": null, "a": 1}));
    // Extra entries are typed like the schema's `additionalProperties`.
    let err = settings(json!({"count": 1, "a": "one"})).unwrap_err();
    assert!(err.to_string().contains("invalid type: string \"one\", expected i64"), "{err}");
}

#[test]
fn unknown_keys_are_skipped_without_an_extra_map() {
    use fixtures::openapi31::types::Owner;
    let o: Owner =
        serde_json::from_value(json!({"name": "n", "added_later": {"deep": [1, 2]}})).unwrap();
    assert_eq!(o.name.as_deref(), Some("n"));
}

#[test]
fn a_missing_required_field_and_a_non_object_are_errors() {
    let err = settings(json!({"owner": "o"})).unwrap_err();
    assert_eq!(err.to_string(), "missing field `count`");
    let err = settings(json!([1, "o"])).unwrap_err();
    assert_eq!(err.to_string(), "invalid type: sequence, expected an object (Settings)");
}

#[test]
fn keys_with_escapes_and_duplicate_keys() {
    // An escaped key cannot be borrowed from the input; it still matches.
    let s: Settings = serde_json::from_str(r#"{"co\u0075nt": 7}"#).unwrap();
    assert_eq!(s.count, 7);
    // The last of duplicate keys wins, as for a map.
    let s: Settings = serde_json::from_str(r#"{"count": 1, "count": 2}"#).unwrap();
    assert_eq!(s.count, 2);
}

#[test]
fn string_enums_keep_unknown_values_and_write_them_back() {
    let known: ThingKind = serde_json::from_value(json!("thing")).unwrap();
    assert_eq!(known, ThingKind::Thing);
    let new: ThingKind = serde_json::from_value(json!("gadget")).unwrap();
    assert_eq!(new, ThingKind::Other("gadget".into()));
    assert_eq!(serde_json::to_value(&new).unwrap(), json!("gadget"));
    assert_eq!(serde_json::to_value(&known).unwrap(), json!("thing"));
    assert!(serde_json::from_value::<ThingKind>(json!(3)).is_err());
}

#[test]
fn untagged_unions_take_the_first_variant_that_fits() {
    let read = |v| serde_json::from_value::<ListShapesResponseValue>(v).unwrap();
    assert_eq!(read(json!("5")), ListShapesResponseValue::String("5".into()));
    assert_eq!(read(json!(5)), ListShapesResponseValue::Integer(5));
    assert_eq!(read(json!({"x": 1})), ListShapesResponseValue::Other(json!({"x": 1})));
}

#[test]
fn fields_and_types_named_like_the_impls_own_helpers() {
    use fixtures::hostile::types::{Visitor, A, D};
    let d: D = serde_json::from_value(json!({
        "map": "value", "key": "k", "deserializer": "Other", "extra": "e", "more": "m"
    }))
    .unwrap();
    assert_eq!(d.map, Visitor::Value);
    assert_eq!((d.key.as_str(), d.extra.as_deref()), ("k", Some("e")));
    assert_eq!(*d.deserializer, A::Visitor(Visitor::Other));
    assert_eq!(d.additional_properties.get("more").map(String::as_str), Some("m"));
}

/// A union without a discriminator takes the variant that keeps the body's
/// properties, not the first that decodes: `{"length": 2.5}` is a `Stick`,
/// though a `Ball` (every property optional) would decode it too and drop
/// `length` (found by `cargo xtask conformance` on GitHub's protection rules).
#[test]
fn an_untagged_union_takes_the_variant_that_keeps_the_fields() {
    use fixtures::zoo::types::{Ball, PetToy, Stick};
    let stick: PetToy = serde_json::from_str(r#"{"length": 2.5}"#).unwrap();
    assert!(matches!(stick, PetToy::Stick(Stick { length: Some(2.5), .. })), "{stick:?}");
    let ball: PetToy = serde_json::from_str(r#"{"size": 3}"#).unwrap();
    assert!(matches!(ball, PetToy::Ball(Ball { size: Some(3), .. })), "{ball:?}");
    // Neither keeps `colour`: the first that loses least.
    let both: PetToy = serde_json::from_str(r#"{"size": 3, "colour": "red"}"#).unwrap();
    assert!(matches!(both, PetToy::Ball(Ball { size: Some(3), .. })), "{both:?}");
}

/// A spec's media type may carry parameters a server leaves out of its
/// `Content-Type` (waterlinked's `; type=collection`, found by
/// `cargo xtask conformance`), and the other way round.
#[test]
fn media_types_match_whatever_their_parameters() {
    use fixtures::runtime::RawResponse;
    let answer = |ct: &str| {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("content-type", ct.parse().unwrap());
        RawResponse::new(reqwest::StatusCode::OK, headers, Default::default())
    };
    let documented = "application/vnd.wl.warning+json; type=collection";
    assert!(answer("application/vnd.wl.warning+json").media_type_is(documented));
    assert!(answer("Application/JSON; charset=utf-8").media_type_is("application/json"));
    assert!(answer("text/csv").media_type_is("text/*"));
    assert!(!answer("application/json").media_type_is("application/problem+json"));
}

/// `serde_struct!`'s `Serialize` writes what serde's derive writes with
/// the attributes the generator used to give: the same keys in the same
/// order, `None` left out or sent as `null` as the field's kind says, and
/// the extra map's entries after the fields.
#[test]
fn the_own_serialize_writes_what_the_derive_wrote() {
    #[derive(serde::Serialize)]
    struct Derived {
        count: i64,
        owner: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        label: Option<Option<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        #[serde(flatten)]
        additional_properties: std::collections::BTreeMap<String, i64>,
    }
    let labels = [None, Some(None), Some(Some("l".to_string()))];
    let notes = [None, Some("n".to_string())];
    let owners = [None, Some("o".to_string())];
    let extras = [vec![], vec![("b".to_string(), 2), ("a".to_string(), 1)]];
    let mut compared = 0;
    for label in &labels {
        for note in &notes {
            for owner in &owners {
                for extra in &extras {
                    let extra: std::collections::BTreeMap<_, _> = extra.iter().cloned().collect();
                    let mut ours = Settings::new(7, owner.clone());
                    ours.label = label.clone();
                    ours.note = note.clone();
                    ours.additional_properties = extra.clone();
                    let theirs = Derived {
                        count: 7,
                        owner: owner.clone(),
                        label: label.clone(),
                        note: note.clone(),
                        additional_properties: extra,
                    };
                    assert_eq!(
                        serde_json::to_string(&ours).unwrap(),
                        serde_json::to_string(&theirs).unwrap()
                    );
                    compared += 1;
                }
            }
        }
    }
    assert_eq!(compared, 24);
    // A struct without an extra map is a struct to the serializer, named.
    let pet = fixtures::composition::types::Animal::new("dog".into(), "Rex".into());
    assert_eq!(serde_json::to_value(&pet).unwrap(), json!({"petType": "dog", "name": "Rex"}));
}

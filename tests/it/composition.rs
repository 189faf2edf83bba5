//! `tests/specs/composition.yaml` and `openapi31.yaml`: allOf, oneOf/anyOf,
//! recursion, structural de-duplication (of inline shapes, and of error
//! enums across operations in `zoo.yaml`), object and optional parameters, form and
//! multipart bodies, and OpenAPI 3.1 keywords, through serde and real HTTP.

use fixtures::composition::types::{
    Cat, ListPetsPage, ListShapesResponseValue, Node, NodeChild, Pet,
};
use fixtures::composition::Client;
use serde_json::json;
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[test]
fn the_discriminator_picks_the_variant_and_keeps_the_tag() {
    let cat = json!({"petType": "cat", "name": "Tom", "livesLeft": 9});
    let pet: Pet = serde_json::from_value(cat.clone()).unwrap();
    let Pet::Cat(c) = &pet else { panic!("{pet:?}") };
    assert_eq!(c.lives_left, Some(9));
    assert_eq!(serde_json::to_value(&pet).unwrap(), cat);

    // A dog-shaped value tagged "cat" is read as a cat (and fails as one), never as a dog.
    let err =
        serde_json::from_value::<Pet>(json!({"petType": "cat", "goodBoy": true})).unwrap_err();
    assert!(err.to_string().contains("missing field `name`"), "{err}");

    // A kind of pet added later is kept, not rejected.
    let bird = json!({"petType": "bird", "name": "Tweety"});
    assert_eq!(serde_json::from_value::<Pet>(bird.clone()).unwrap(), Pet::Other(bird));
}

#[test]
fn all_of_merges_members_and_recursion_is_boxed() {
    let cat: Cat = serde_json::from_value(json!({
        "petType": "cat", "name": "Tom",
        "parent": {"petType": "cat", "name": "Old Tom", "parent": {"petType": "cat", "name": "Older Tom"}},
        "enemy": {"petType": "cat", "name": "Butch"}
    }))
    .unwrap();
    assert_eq!(cat.parent.unwrap().parent.unwrap().name, "Older Tom");
    assert_eq!(cat.enemy.unwrap().name, "Butch");

    let node: Node = serde_json::from_value(json!({"child": {"child": "leaf"}})).unwrap();
    let NodeChild::Node(inner) = *node.child else { panic!() };
    assert_eq!(*inner.child, NodeChild::String("leaf".into()));
}

#[test]
fn an_any_of_with_a_bare_nullable_object_is_an_optional_reference() {
    use fixtures::composition::types::FilterKind;
    // Not an untagged enum of `Filter` and "any object": a `Filter` that may be null.
    let read = |v| serde_json::from_value::<Cat>(v).unwrap().favourite;
    let cat = |favourite| json!({"petType": "cat", "name": "Tom", "favourite": favourite});
    // Optional and nullable: absent is `None`, `null` is `Some(None)`.
    assert_eq!(read(cat(json!({"kind": "dog"}))).flatten().unwrap().kind, Some(FilterKind::Dog));
    assert_eq!(read(cat(json!(null))), Some(None));
    assert_eq!(read(json!({"petType": "cat", "name": "Tom"})), None);
}

#[tokio::test]
#[allow(deprecated)] // `deletePet` is deprecated in the spec
async fn operations_that_answer_the_same_errors_share_one_enum_under_both_names() {
    use fixtures::runtime::Error;
    use fixtures::zoo::types::{DeletePetError, GetPetError};
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"detail": "gone already"})))
        .mount(&server)
        .await;
    let client = fixtures::zoo::Client::with_base_url(server.uri());
    let Err(Error::Api(err)) = client.delete_pet("p1").await else {
        panic!("expected the documented 404")
    };
    // The alias is the same type: a `DeletePetError` is a `GetPetError`.
    let same: &GetPetError = &err.body;
    let DeletePetError::NotFound(Some(problem)) = same else { panic!("a body: {same:?}") };
    assert_eq!(problem.detail.as_deref(), Some("gone already"));
}

#[tokio::test]
async fn operations_that_answer_alike_share_one_decoder() {
    // listPets, listShapes and putSettings answer one JSON body for 200 and
    // nothing else: one generic decoder reads all three, each as its own type.
    let text = std::fs::read_to_string(
        crate::support::project_root().join("tests/fixtures/src/composition.rs"),
    )
    .unwrap();
    assert_eq!(text.matches("Self::decode_1)").count(), 3, "{text}");
    assert_eq!(text.matches("fn decode_1<T: ::serde::de::DeserializeOwned>(").count(), 1);
    let server = MockServer::start().await;
    let settings = json!({"count": 2, "owner": null});
    Mock::given(path("/settings"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&settings))
        .mount(&server)
        .await;
    Mock::given(path("/shapes"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"first": {"x": 1, "y": 2}})))
        .mount(&server)
        .await;
    let client = Client::with_base_url(server.uri());
    let answer = client.put_settings(&serde_json::from_value(settings).unwrap()).await.unwrap();
    assert_eq!(answer.body().count, 2);
    let shapes = client.list_shapes().await.unwrap();
    assert_eq!(shapes.body().first.as_ref().and_then(|f| f.x), Some(1));
}

#[tokio::test]
async fn text_and_binary_answers_are_read_as_documented() {
    use fixtures::composition::types::GetHealthError;
    use fixtures::runtime::Error;
    let answer = |status: u16, body: &'static [u8]| async move {
        let server = MockServer::start().await;
        Mock::given(path("/health"))
            .respond_with(ResponseTemplate::new(status).set_body_bytes(body))
            .mount(&server)
            .await;
        Client::with_base_url(server.uri()).get_health().await
    };
    assert_eq!(answer(200, b"fine").await.unwrap().into_body(), "fine");
    let Err(Error::Api(e)) = answer(503, b"draining").await else { panic!() };
    assert_eq!(e.body, GetHealthError::ServiceUnavailable(Some("draining".into())));
    let Err(Error::Api(e)) = answer(507, &[0, 159]).await else { panic!() };
    assert_eq!(
        e.body,
        GetHealthError::InsufficientStorage(Some(fixtures::runtime::Bytes::from_static(&[0, 159])))
    );
    // Not UTF-8, so not the documented text: a decode error, with the answer kept.
    assert!(matches!(answer(200, &[0, 159]).await, Err(Error::Decode(_))));
}

#[tokio::test]
async fn a_concrete_media_type_wins_over_a_range_listed_first() {
    use fixtures::composition::types::GetReportSuccess;
    let answer = |media: &'static str, body: &'static str| async move {
        let server = MockServer::start().await;
        Mock::given(path("/report"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, media))
            .mount(&server)
            .await;
        let answer = Client::with_base_url(server.uri()).get_report().await.unwrap().into_body();
        // Ranges last and weighed lower: a server that negotiates sends JSON.
        let sent = &server.received_requests().await.unwrap()[0];
        assert_eq!(sent.headers["accept"], "application/json, */*;q=0.9");
        answer
    };
    let GetReportSuccess::OkJson(json) = answer("application/json", r#"{"rows":3}"#).await else {
        panic!("JSON read as the range's bytes")
    };
    assert_eq!(json.rows, Some(3));
    assert!(matches!(answer("text/csv", "a,b").await, GetReportSuccess::OkBody(_)));
}

#[test]
fn untagged_unions_try_each_variant_then_keep_the_value() {
    let read = |v| serde_json::from_value::<ListShapesResponseValue>(v).unwrap();
    assert_eq!(read(json!("x")), ListShapesResponseValue::String("x".into()));
    assert_eq!(read(json!(3)), ListShapesResponseValue::Integer(3));
    assert_eq!(read(json!(["a"])), ListShapesResponseValue::StringList(vec!["a".into()]));
    assert_eq!(read(json!({"k": 1})), ListShapesResponseValue::Other(json!({"k": 1})));
}

#[test]
fn identical_inline_shapes_are_one_type() {
    // `first` and `second` have the same inline schema; both fields use one type.
    let shapes: fixtures::composition::types::ListShapesResponse =
        serde_json::from_value(json!({"first": {"x": 1, "y": 2}, "second": {"x": 3, "y": 4}}))
            .unwrap();
    let same: [Option<fixtures::composition::types::ListShapesResponseFirst>; 2] =
        [shapes.first, shapes.second];
    assert_eq!(same[1].as_ref().unwrap().x, Some(3));
}

#[tokio::test]
async fn object_parameters_go_in_the_query_as_the_style_says() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .and(query_param("filter[kind]", "cat"))
        .and(query_param("filter[minAge]", "2"))
        .and(query_param("size", "10"))
        .and(query_param("cursor", "abc"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([{"petType": "dog", "name": "Rex", "goodBoy": true}])),
        )
        .expect(1)
        .mount(&server)
        .await;
    let mut filter = fixtures::composition::types::Filter::default();
    filter.kind = Some(fixtures::composition::types::FilterKind::Cat);
    filter.min_age = Some(2);
    let mut page = ListPetsPage::default();
    (page.size, page.cursor) = (Some(10), Some("abc".into()));
    let pets =
        Client::with_base_url(server.uri()).list_pets().filter(filter).page(page).await.unwrap();
    assert!(matches!(&pets.body()[0], Pet::Dog(d) if d.good_boy));
}

#[tokio::test]
async fn optional_parameters_are_sent_only_when_given() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let client = Client::with_base_url(server.uri());
    let tags = ["a b".to_string(), "c".to_string()];
    client
        .search()
        .q("x&y")
        .limit(5)
        .tags(tags.to_vec())
        .x_trace(7)
        .x_ids(vec![1, 2])
        .lang("en")
        .await
        .unwrap();
    client.search().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let [given, none] = requests.as_slice() else { panic!("{requests:?}") };
    assert_eq!(given.url.query(), Some("q=x%26y&limit=5&tags=a+b%2Cc"));
    assert_eq!(given.headers["x-trace"], "7");
    assert_eq!(given.headers["x-ids"], "1,2");
    assert_eq!(given.headers["cookie"], "lang=en");
    assert_eq!(none.url.query(), None);
    for name in ["x-trace", "x-ids", "cookie"] {
        assert!(!none.headers.contains_key(name), "{name}");
    }
}

#[tokio::test]
async fn form_bodies_are_url_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("name=Tom+Cat&age=3"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"petType": "cat", "name": "Tom Cat"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let mut body = fixtures::composition::types::CreatePetRequest::new("Tom Cat".into());
    body.age = Some(3);
    let pet = Client::with_base_url(server.uri()).create_pet(&body).await.unwrap();
    assert!(matches!(pet.body(), Pet::Cat(c) if c.name == "Tom Cat"));
}

#[tokio::test]
async fn multipart_bodies_send_their_typed_parts() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/pets/7/photo"))
        .and(|req: &Request| {
            let ct = req.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
            ct.starts_with("multipart/form-data; boundary=")
                && String::from_utf8_lossy(&req.body).contains("name=\"file\"")
                && String::from_utf8_lossy(&req.body).contains("PNGDATA")
        })
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let form = generated_multipart_form();
    let response = Client::with_base_url(server.uri()).upload_photo(7, Some(form)).await.unwrap();
    assert_eq!(response.status(), 204);
}

fn generated_multipart_form() -> fixtures::composition::types::UploadPhotoForm {
    let mut form = fixtures::composition::types::UploadPhotoForm::default();
    form.file = Some(fixtures::runtime::FilePart::bytes(b"PNGDATA".to_vec()).file_name("cat.png"));
    form
}

#[test]
fn openapi_3_1_keywords() {
    use fixtures::openapi31::types::{Thing, ThingKind};
    let thing: Thing = serde_json::from_value(json!({
        "id": "t_1", "kind": "thing", "note": null, "either": null, "pair": ["a", 1]
    }))
    .unwrap();
    assert_eq!(thing.kind, ThingKind::Thing);
    assert_eq!(thing.note, None);
    // Optional and nullable: `null` is `Some(None)`, apart from absent.
    assert_eq!(thing.either, Some(None));
    assert_eq!(thing.pair.unwrap(), [json!("a"), json!(1)]);
    // `type: [string, "null"]` that is required is sent as null, not left out.
    let mut thing = thing_min();
    thing.note = None;
    assert_eq!(serde_json::to_value(thing).unwrap()["note"], json!(null));
}

fn thing_min() -> fixtures::openapi31::types::Thing {
    serde_json::from_value(json!({"id": "t", "kind": "thing", "note": "n"})).unwrap()
}

#[test]
fn external_refs_are_bundled_from_files_beside_the_spec() {
    use fixtures::external::types::{Pet, Tag};
    let pet: Pet = serde_json::from_value(json!({
        "name": "Rex", "tags": ["loud"], "owner": {"name": "Ann", "pets": [{"name": "Tom"}]}
    }))
    .unwrap();
    assert_eq!(pet.tags.unwrap(), [Tag::Loud]);
    assert_eq!(pet.owner.unwrap().pets.unwrap()[0].name, "Tom");
}

/// `putSettings` answered 200 with `settings` and the given headers.
async fn put_settings_answered(
    settings: serde_json::Value,
    headers: &[(&str, &str)],
) -> fixtures::runtime::Response<fixtures::composition::types::Settings> {
    let server = wiremock::MockServer::start().await;
    let answer = headers
        .iter()
        .fold(wiremock::ResponseTemplate::new(200).set_body_json(&settings), |t, (name, value)| {
            t.insert_header(*name, *value)
        });
    wiremock::Mock::given(wiremock::matchers::method("PUT"))
        .respond_with(answer)
        .mount(&server)
        .await;
    let client = fixtures::composition::Client::with_base_url(server.uri());
    client.put_settings(&serde_json::from_value(settings).unwrap()).await.unwrap()
}

#[tokio::test]
async fn declared_response_headers_are_typed_and_undeclared_ones_stay_readable() {
    use fixtures::composition::types::PutSettingsOkHeaders;
    let response = put_settings_answered(
        json!({"count": 1, "owner": null}),
        &[
            ("x-rate-limit-remaining", "41"),
            ("x-expires", "Wed, 21 Oct 2026 07:28:00 GMT"),
            ("x-request-id", "6B29FC40-CA47-1067-B31D-00DD010662DA"),
            ("x-tags", "a,b"),
            ("x-undeclared", "kept"),
        ],
    )
    .await;
    let headers: PutSettingsOkHeaders = response.headers_as();
    assert_eq!(headers.x_rate_limit_remaining, Some(41));
    assert_eq!(
        headers.x_expires.map(|d| d.to_rfc3339()).as_deref(),
        Some("2026-10-21T07:28:00+00:00")
    );
    // `format: uuid`, read in any case and written in the canonical one.
    assert_eq!(
        headers.x_request_id.map(|id| id.to_string()).as_deref(),
        Some("6b29fc40-ca47-1067-b31d-00dd010662da")
    );
    // An array header is kept as its text.
    assert_eq!(headers.x_tags.as_deref(), Some("a,b"));
    assert_eq!(response.header("x-undeclared"), Some("kept"));
}

#[tokio::test]
async fn a_declared_header_that_does_not_parse_is_none_not_an_error() {
    use fixtures::composition::types::PutSettingsOkHeaders;
    let response =
        put_settings_answered(json!({"count": 1}), &[("x-rate-limit-remaining", "lots")]).await;
    let headers: PutSettingsOkHeaders = response.headers_as();
    assert_eq!(headers, PutSettingsOkHeaders::default());
    assert_eq!(response.header("x-rate-limit-remaining"), Some("lots"));
}

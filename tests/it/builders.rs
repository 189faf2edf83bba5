//! Optional parameters are set on the call (`client.search().limit(5)`), so
//! that a spec adding one breaks no call written before.

use wiremock::matchers::{method, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn spec(extra_param: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: T, version: '1'}}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {{name: owner, in: query, required: true, schema: {{type: string}}}}
        - {{name: limit, in: query, schema: {{type: integer}}}}
{extra_param}      responses:
        '200': {{description: ok}}
"
    )
}

/// The signature of `list_pets`, from its `pub fn` to its body.
fn signature(source: &str) -> String {
    let start = source.find("pub fn list_pets").expect("the method is generated");
    let end = start + source[start..].find('{').expect("a body");
    source[start..end].split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn an_optional_parameter_added_by_a_spec_update_leaves_the_method_as_it_was() {
    let generate = |text: &str| {
        codegen::generate_module_from_str(text, std::path::Path::new("pets.yaml"), "pets")
            .unwrap()
            .source
    };
    let before = generate(&spec(""));
    let after = generate(&spec("        - {name: sort, in: query, schema: {type: string}}\n"));
    assert_eq!(signature(&before), signature(&after));
    assert!(signature(&before).contains("owner: &str"), "{}", signature(&before));
    assert!(after.contains("pub fn sort(") && !before.contains("pub fn sort("));
    // A new required one is an argument, and does change it: that is a break.
    let required = generate(&spec(
        "        - {name: shop, in: query, required: true, schema: {type: string}}\n",
    ));
    assert_ne!(signature(&before), signature(&required));
}

#[tokio::test]
async fn setters_send_what_was_set_and_names_of_the_calls_options_are_renamed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("self", "v"))
        .and(query_param("timeout", "30"))
        .and(query_param("header", "h"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = fixtures::hostile::Client::with_base_url(server.uri());
    let _ = client
        .get_item_drop_self("x")
        .self_("v")
        // The call's own `timeout` and `header` keep their meaning.
        .timeout_param(30)
        .header_param("h")
        .timeout(std::time::Duration::from_secs(5))
        .await;
    server.verify().await;
}

#[test]
fn request_bodies_are_built_from_their_required_fields_alone() {
    use fixtures::composition::types::{CreatePetRequest, Settings};
    // An optional field a spec adds later is one more `None` here, not a
    // compile error in code that built the body.
    let pet = CreatePetRequest::new("Tom".into());
    assert_eq!((pet.name.as_str(), pet.age), ("Tom", None));
    let mut settings = Settings::new(1, None);
    settings.label = Some(Some("kept apart from null".into()));
    assert_eq!(settings.note, None);
    assert!(settings.additional_properties.is_empty());
}

//! The client `build.rs` generated: `crate::gumloop` and `crate::runtime`.

include!(concat!(env!("OUT_DIR"), "/gumloop.rs"));

#[cfg(test)]
mod tests {
    use wiremock::matchers::{header, method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use crate::gumloop::types::ExportStatusSuccess;

    #[tokio::test]
    async fn the_included_client_calls_its_api() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/export_status"))
            .and(query_param("data_export_id", "exp_1"))
            .and(header("x-auth-key", "user_1"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(
                r#"{"data_export_id":"exp_1","state":"COMPLETED"}"#,
                "application/json",
            ))
            .mount(&server)
            .await;
        let client = crate::gumloop::Client::with_base_url(server.uri())
            .with_bearer_token("key")
            .with_x_auth_key("user_1");
        let response = client.export_status("user_1", "exp_1").await.unwrap();
        let ExportStatusSuccess::OkJson(status) = response.into_body() else {
            panic!("not the JSON answer")
        };
        assert_eq!(status.data_export_id.as_deref(), Some("exp_1"));
        let _: Option<crate::runtime::Error<crate::gumloop::types::ExportStatusError>> = None;
    }
}

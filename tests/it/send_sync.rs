//! Compile-time checks: calls can be spawned on a multi-threaded runtime,
//! and errors can travel across threads (`anyhow`, `Box<dyn Error + Send + Sync>`).

fn is_send<T: Send>(_: &T) {}
fn is_send_sync<T: Send + Sync + 'static>() {}

#[test]
fn futures_are_send_and_errors_are_send_sync() {
    let vantage = generated::vantage::Client::new();
    is_send(&vantage.get_data_export("x"));
    let gumloop = generated::gumloop::Client::new();
    is_send(&gumloop.export_status("u", "e"));
    let hienergy = generated::hienergy::Client::new();
    is_send(&hienergy.get_export_report(1));
    let onlyfans = generated::onlyfansapi::Client::new();
    is_send(&onlyfans.get_data_export_status("x"));

    is_send_sync::<generated::runtime::Error<generated::vantage::types::GetDataExportError>>();
    is_send_sync::<generated::runtime::Error<std::convert::Infallible>>();
    is_send_sync::<generated::vantage::Client>();
    let boxed: Box<dyn std::error::Error + Send + Sync> =
        Box::new(generated::runtime::Error::<std::convert::Infallible>::InvalidRequest("x".into()));
    assert_eq!(boxed.to_string(), "invalid request: x");
}

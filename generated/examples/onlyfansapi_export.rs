//! Creates an OnlyFansAPI data export and waits for it to finish.
//!
//! ```sh
//! ONLYFANSAPI_TOKEN=... cargo run -p generated --example onlyfansapi_export -- acct_123
//! ```
//!
//! The spec's status answer documents progress and the final state but no
//! download URL, so this example stops at the finished export.
//! `ONLYFANSAPI_BASE_URL` points it at another server (the tests run it
//! against a local mock). Hand-written, not generated: it shows the generated
//! client in use.

use std::error::Error;

use generated::onlyfansapi::types::{
    CreateDataExportRequest, CreateDataExportRequestFileType, CreateDataExportRequestType,
    GetDataExportStatusResponseData,
};
use generated::onlyfansapi::Client;
use generated::runtime::{poll_until, PollPolicy};

/// The export's state when it will not change any more.
fn finished(data: Option<&GetDataExportStatusResponseData>) -> bool {
    matches!(data.and_then(|d| d.status.as_deref()), Some("completed" | "failed"))
}

/// Creates a CSV export of an account's chat messages for 2024, started at
/// once, and polls it until it completes. Returns the final status data.
pub async fn run(
    client: &Client,
    account_id: &str,
    policy: &PollPolicy,
) -> Result<GetDataExportStatusResponseData, Box<dyn Error>> {
    // The required fields, then the optional ones by name: code written this
    // way still compiles when the vendor adds an optional field.
    let mut request = CreateDataExportRequest::new(
        CreateDataExportRequestType::ChatMessages,
        "2024-01-01T00:00:00Z".into(),
        "2024-12-31T23:59:59Z".into(),
        CreateDataExportRequestFileType::Csv,
    );
    request.account_ids = Some(vec![account_id.to_string()]);
    request.auto_start = Some(true);
    // A POST: never retried by the default policy, so it is never created twice.
    let created = client.create_data_export(&request).await?.into_body();
    let id = created.data.and_then(|d| d.id).ok_or("the created export has no id")?;
    let last = poll_until(
        policy,
        || client.get_data_export_status(&id),
        |answer| finished(answer.data.as_ref()),
    )
    .await?;
    let data = last.into_body().data.ok_or("the status answer has no data")?;
    match data.status.as_deref() {
        Some("completed") => Ok(data),
        _ => Err(format!(
            "export {id} failed: {}",
            data.failed_reason.flatten().as_deref().unwrap_or("no reason given")
        )
        .into()),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let Some(account_id) = std::env::args().nth(1) else {
        return Err("usage: onlyfansapi_export ACCOUNT_ID".into());
    };
    let base_url = std::env::var("ONLYFANSAPI_BASE_URL")
        .unwrap_or_else(|_| Client::DEFAULT_BASE_URL.to_string());
    let client =
        Client::with_base_url(base_url).with_bearer_token(std::env::var("ONLYFANSAPI_TOKEN")?);
    let data = run(&client, &account_id, &PollPolicy::default()).await?;
    println!(
        "export {} completed: {} rows",
        data.id.unwrap_or_default(),
        data.total_rows.unwrap_or_default()
    );
    Ok(())
}

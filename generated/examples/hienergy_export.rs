//! Waits for a HiEnergy export report to finish and downloads it.
//!
//! ```sh
//! HIENERGY_TOKEN=... cargo run -p generated --example hienergy_export -- 123 out.csv
//! ```
//!
//! `HIENERGY_BASE_URL` points it at another server (the tests run it against a
//! local mock). Hand-written, not generated: it shows the generated client in use.

use std::error::Error;
use std::path::Path;

use generated::hienergy::types::GetExportReportResponseExportStatus as Status;
use generated::hienergy::Client;
use generated::runtime::{poll_until, ByteStream, PollPolicy};

/// Polls the report until it is `completed` or `failed`; when completed,
/// downloads its `download_url` to `out`. Returns the bytes written.
pub async fn run(
    client: &Client,
    report_id: i64,
    out: &Path,
    policy: &PollPolicy,
) -> Result<u64, Box<dyn Error>> {
    let last = poll_until(
        policy,
        || client.get_export_report(report_id),
        |answer| matches!(answer.export.status, Status::Completed | Status::Failed),
    )
    .await?;
    let export = &last.body().export;
    if export.status != Status::Completed {
        // Optional and nullable: absent is `None`, `null` is `Some(None)`.
        let why = export.error_message.as_ref().and_then(Option::as_deref);
        let why = why.unwrap_or("no reason given");
        return Err(format!("report {report_id} failed: {why}").into());
    }
    let url = export.download_url.as_ref().and_then(Option::as_ref);
    let url = url.ok_or("a completed report without a download_url")?;
    // A pre-signed URL outside the API: no credentials go with it. Streamed
    // to disk, never held whole in memory.
    let download = generated::runtime::reqwest::get(url.as_str()).await?.error_for_status()?;
    Ok(ByteStream::from(download).write_to_file(out).await?)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(report_id), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: hienergy_export REPORT_ID OUT_FILE".into());
    };
    let base_url =
        std::env::var("HIENERGY_BASE_URL").unwrap_or_else(|_| Client::DEFAULT_BASE_URL.to_string());
    let client =
        Client::with_base_url(base_url).with_bearer_token(std::env::var("HIENERGY_TOKEN")?);
    let bytes = run(&client, report_id.parse()?, Path::new(&out), &PollPolicy::default()).await?;
    println!("{bytes} bytes written to {out}");
    Ok(())
}

//! Waits for a Vantage data export to finish and downloads its files.
//!
//! ```sh
//! VANTAGE_TOKEN=... cargo run -p generated --example vantage_export -- dta_xprt_964b2adb9bff37fb out/
//! ```
//!
//! `VANTAGE_BASE_URL` points it at another server (the tests run it against a
//! local mock). Hand-written, not generated: it shows the generated client in use.

use std::error::Error;
use std::path::{Path, PathBuf};

use generated::runtime::{poll_until, ByteStream, PollPolicy};
use generated::vantage::types::GetDataExportSuccess;
use generated::vantage::Client;

/// Polls the export until it is done (Vantage answers 202 with `Retry-After`
/// while it is pending), then writes each file of its manifest to `out_dir`.
pub async fn run(
    client: &Client,
    export_token: &str,
    out_dir: &Path,
    policy: &PollPolicy,
) -> Result<Vec<PathBuf>, Box<dyn Error>> {
    let done = poll_until(
        policy,
        || client.get_data_export(export_token),
        |answer| matches!(answer, GetDataExportSuccess::Ok(_)),
    )
    .await?;
    let GetDataExportSuccess::Ok(export) = done.into_body() else {
        return Err("polling ended on a pending answer".into());
    };
    let mut written = Vec::new();
    for (i, url) in export.manifest.files.iter().enumerate() {
        // The manifest lists plain download URLs, outside the API; each file
        // is streamed to disk, never held whole in memory.
        let download = generated::runtime::reqwest::get(url.as_str()).await?.error_for_status()?;
        let path = out_dir.join(format!("{export_token}-{i}.csv"));
        ByteStream::from(download).write_to_file(&path).await?;
        written.push(path);
    }
    Ok(written)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(export_token), Some(out_dir)) = (args.next(), args.next()) else {
        return Err("usage: vantage_export EXPORT_TOKEN OUT_DIR".into());
    };
    let base_url =
        std::env::var("VANTAGE_BASE_URL").unwrap_or_else(|_| Client::DEFAULT_BASE_URL.to_string());
    let client = Client::with_base_url(base_url).with_access_token(std::env::var("VANTAGE_TOKEN")?);
    for path in run(&client, &export_token, Path::new(&out_dir), &PollPolicy::default()).await? {
        println!("{}", path.display());
    }
    Ok(())
}

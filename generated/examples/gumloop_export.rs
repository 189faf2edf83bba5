//! Waits for a Gumloop data export to finish and downloads it as CSV.
//!
//! ```sh
//! GUMLOOP_TOKEN=... GUMLOOP_AUTH_KEY=... cargo run -p generated --example gumloop_export -- USER_ID EXPORT_ID out.csv
//! ```
//!
//! `GUMLOOP_BASE_URL` points it at another server (the tests run it against a
//! local mock). Hand-written, not generated: it shows the generated client in use.

use std::error::Error;
use std::path::Path;

use generated::gumloop::types::{ExportStatusResponseState, ExportStatusSuccess};
use generated::gumloop::Client;
use generated::runtime::{poll_until, PollPolicy};

/// Polls the export's state until it is `COMPLETED` or `FAILED`; when
/// completed, asks for the file (`download=true`, answered as `text/csv`) and
/// streams it into `out` as it arrives. Returns the bytes written.
pub async fn run(
    client: &Client,
    user_id: &str,
    export_id: &str,
    out: &Path,
    policy: &PollPolicy,
) -> Result<u64, Box<dyn Error>> {
    let finished = |answer: &ExportStatusSuccess| match answer {
        ExportStatusSuccess::OkJson(status) => {
            matches!(
                status.state,
                Some(ExportStatusResponseState::Completed | ExportStatusResponseState::Failed)
            )
        }
        // A CSV, or an answer this client was generated before: stop polling.
        _ => true,
    };
    let last = poll_until(policy, || client.export_status(user_id, export_id), finished).await?;
    if let ExportStatusSuccess::OkJson(status) = last.body() {
        if status.state != Some(ExportStatusResponseState::Completed) {
            return Err(format!("export {export_id} ended as {:?}", status.state).into());
        }
    }
    let ExportStatusSuccess::OkCsv(csv) =
        client.export_status(user_id, export_id).download(true).await?.into_body()
    else {
        return Err("the completed export was not answered with a CSV file".into());
    };
    Ok(csv.write_to_file(out).await?)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(user_id), Some(export_id), Some(out)) = (args.next(), args.next(), args.next())
    else {
        return Err("usage: gumloop_export USER_ID EXPORT_ID OUT_FILE".into());
    };
    let base_url =
        std::env::var("GUMLOOP_BASE_URL").unwrap_or_else(|_| Client::DEFAULT_BASE_URL.to_string());
    let client = Client::with_base_url(base_url)
        .with_bearer_token(std::env::var("GUMLOOP_TOKEN")?)
        .with_x_auth_key(std::env::var("GUMLOOP_AUTH_KEY")?);
    let bytes = run(&client, &user_id, &export_id, Path::new(&out), &PollPolicy::default()).await?;
    println!("{bytes} bytes written to {out}");
    Ok(())
}

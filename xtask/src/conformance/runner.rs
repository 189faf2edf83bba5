// The runner of one conformance batch crate, written by `cargo xtask
// conformance` (the modules it dispatches to are filled in below).
//
// `runner answers MODULE`: the module's documented answers, as JSON.
// `runner run MODULE BASE JOBS`: reads cases (JSON lines: id, op, args,
// headers) on stdin, calls each against the mock server at BASE, JOBS at
// once, and prints what happened, one JSON line per case.
#![allow(warnings)]

use std::io::{BufRead, Write};
use std::sync::Arc;

use BATCH::harness_support::{Args, Run};

type CallFn<C> = for<'a> fn(&'a C, &str, &'a Args, &'a [(String, String)]) -> Option<Run<'a>>;

async fn serve<C: Send + Sync + 'static>(client: C, call: CallFn<C>, jobs: usize) {
    let client = Arc::new(client);
    let limit = Arc::new(tokio::sync::Semaphore::new(jobs.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let Ok(case) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
        let (client, limit) = (client.clone(), limit.clone());
        tasks.spawn(async move {
            let _permit = limit.acquire().await;
            let id = case["id"].clone();
            let op = case["op"].as_str().unwrap_or_default().to_string();
            let args = case["args"].as_object().cloned().unwrap_or_default();
            let headers: Vec<(String, String)> = case["headers"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|h| Some((h[0].as_str()?.to_string(), h[1].as_str()?.to_string())))
                .collect();
            let outcome = match call(&client, &op, &args, &headers) {
                Some(run) => run.await,
                None => serde_json::json!({ "unbuilt": "the client has no such operation" }),
            };
            let line = serde_json::json!({ "id": id, "outcome": outcome }).to_string();
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        });
    }
    while tasks.join_next().await.is_some() {}
}

fn answers(list: &[(&str, &str, &str, &str)], slice: bool) {
    let rows: Vec<_> = list.iter().map(|(op, status, media, variant)| [op, status, media, variant]).collect();
    println!("{}", serde_json::json!({ "answers": rows, "slice": slice }));
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (command, module) = (args.get(1).map(String::as_str), args.get(2).map(String::as_str));
    let base = args.get(3).cloned().unwrap_or_default();
    let jobs = args.get(4).and_then(|j| j.parse().ok()).unwrap_or(8);
    match (command, module) {
        // DISPATCH
        _ => {
            eprintln!("usage: runner (answers MODULE | run MODULE BASE JOBS)");
            std::process::exit(2);
        }
    }
}

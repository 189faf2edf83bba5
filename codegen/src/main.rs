//! `openapi-rust --spec SPEC --out DIR` and `openapi-rust diff OLD NEW`:
//! see `codegen::cli`.

use std::process::ExitCode;

fn main() -> ExitCode {
    // clap exits 0 for `--help` and `--version`, 2 for a flag it does not know.
    let command = codegen::cli::Command::parse();
    let done = match command.diff {
        Some(codegen::cli::Sub::Diff(d)) => codegen::cli::run_diff(d),
        None => codegen::cli::run(command.check, command.standalone),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

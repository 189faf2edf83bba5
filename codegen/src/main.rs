//! `openapi-rust --spec SPEC --out DIR`: see `codegen::cli`.

use std::process::ExitCode;

fn main() -> ExitCode {
    // clap exits 0 for `--help` and `--version`, 2 for a flag it does not know.
    let command = codegen::cli::Command::parse();
    match codegen::cli::run(command.check, command.standalone) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

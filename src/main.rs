//! The `perch` binary: the runtime and the exit code. The commands (and logging, which their
//! settings shape) are in `cli`.

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("perch: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let code = match runtime.block_on(cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("perch: {e}");
            ExitCode::FAILURE
        }
    };
    // A connection still being opened when the process exits would crash it (see
    // `db::settle`); the wait is bounded by the connect timeout.
    perch::db::settle(std::time::Duration::from_secs(6));
    code
}

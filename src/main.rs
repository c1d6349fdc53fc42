//! The `presswerk` binary: everything it does is in [`presswerk::cli`].

use std::process::ExitCode;

fn main() -> ExitCode {
    presswerk::cli::run(std::env::args_os())
}

//! The command line: the same analysis as the server, for CI and pipelines.

pub mod agents;
pub mod apply;
pub mod assign;
pub mod check;
pub mod gates;
pub mod metrics;
pub mod new;
pub mod rule;

/// Writes to standard output; a closed pipe (`prp-lsp assign | head`) ends the program
/// quietly instead of panicking.
pub fn print_out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("prp-lsp: cannot write to standard output: {e}");
        std::process::exit(2);
    }
}

//! prp-lsp: a language server and command line for PRP workspaces.

mod cli;
mod convert;
mod monitoring;
mod project;
mod server;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "prp-lsp",
    version,
    about = "Language server and checker for PRP workspaces (PRPs, TASK.md, agent context files)"
)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the language server over stdio (the default with no command).
    Lsp,
    /// Validate a workspace (default: the current directory) and print the findings.
    Check {
        /// Workspace folders or single documents.
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: cli::check::Format,
    },
    /// Generate a PRP from a requirement in the current workspace; prints its path.
    New {
        /// The requirement, in words.
        requirement: String,
        /// The workspace folder (default: the current directory).
        #[arg(long, default_value = ".")]
        workspace: PathBuf,
    },
    /// The deployment decision for PRPs (default: every active PRP); exit 0 only when every
    /// gate of every PRP passes.
    Gates {
        /// PRP files.
        prps: Vec<PathBuf>,
        /// The workspace folder when no PRP is named (default: the current directory).
        #[arg(long, default_value = ".")]
        workspace: PathBuf,
        #[arg(long, value_enum, default_value = "human")]
        format: cli::gates::Format,
    },
    /// The agents with their status, workload and alerts.
    Agents {
        #[arg(long, default_value = ".")]
        workspace: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Read agent status from the monitoring endpoint that the workspace's prp-lsp.toml
        /// names (`[status] url`). Without it, prp-lsp contacts no network address.
        #[arg(long)]
        allow_url: bool,
    },
    /// The orchestrator's health metrics: per agent and for the team, over a window.
    Metrics {
        #[arg(long, default_value = ".")]
        workspace: PathBuf,
        #[arg(long, value_enum, default_value = "human")]
        format: cli::metrics::Format,
        /// Start of the window: a date (2026-11-01) or a number of days back (30d; the
        /// default).
        #[arg(long)]
        since: Option<String>,
    },
    /// Print a rule's documentation (`prp-lsp rule missing-section`), or list every rule.
    Rule {
        /// The rule's code, as findings show it.
        code: Option<String>,
        /// List every rule with its default severity.
        #[arg(long, conflicts_with = "code")]
        all: bool,
    },
    /// Assign every unassigned task to the agent routing picks; shows a diff.
    Assign {
        /// Workspace folders or single documents (default: the current directory).
        paths: Vec<PathBuf>,
        /// Apply the assignments instead of showing them.
        #[arg(long)]
        write: bool,
    },
}

fn main() {
    let args = Args::parse();
    match args.command {
        None | Some(Command::Lsp) => std::process::exit(server::run_stdio()),
        Some(Command::Check { paths, format }) => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let code = cli::check::run(&paths, format, &mut out);
            drop(out);
            std::process::exit(code);
        }
        Some(Command::New {
            requirement,
            workspace,
        }) => std::process::exit(cli::new::run(&workspace, &requirement)),
        Some(Command::Rule { code, all }) => {
            std::process::exit(cli::rule::run(code.as_deref(), all))
        }
        Some(Command::Assign { paths, write }) => {
            std::process::exit(cli::assign::run(&paths, write))
        }
        Some(Command::Gates {
            prps,
            workspace,
            format,
        }) => std::process::exit(cli::gates::run(&prps, &workspace, format)),
        Some(Command::Agents {
            workspace,
            json,
            allow_url,
        }) => std::process::exit(cli::agents::run(&workspace, json, allow_url)),
        Some(Command::Metrics {
            workspace,
            format,
            since,
        }) => std::process::exit(cli::metrics::run(&workspace, format, since.as_deref())),
    }
}

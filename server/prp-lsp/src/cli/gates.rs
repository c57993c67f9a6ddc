//! `prp-lsp gates [PRP…]`: the deployment decision matrix (gate, result, evidence) for each
//! PRP — the command a deployment pipeline runs. Exit 0 only when every gate of every named
//! PRP passes; 1 when one does not; 2 on usage or I/O errors.

use std::path::PathBuf;

use prp_analysis::document::Lifecycle;
use prp_analysis::gates::{matrix_text, GateReport};
use prp_analysis::DocKind;

use crate::project::{now_seconds, relative_path, Project};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// The coverage-drop alert of a PRP's report, distinct from its coverage gate.
fn coverage_alert(report: &GateReport, config: &prp_analysis::Config) -> Option<String> {
    let coverage = report.result(prp_analysis::gates::Gate::Coverage)?;
    prp_analysis::gates::coverage_drop(coverage, config)
}

pub fn run(prps: &[PathBuf], workspace: &std::path::Path, format: Format) -> i32 {
    let root = match prps.first() {
        Some(first) => super::check::root_for(first),
        None => workspace.to_path_buf(),
    };
    let project = match Project::load(&root) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("prp-lsp gates: cannot read {}: {e}", root.display());
            return 2;
        }
    };
    // Named PRPs, or every active one.
    let mut paths = Vec::new();
    for prp in prps {
        let rel = prp
            .canonicalize()
            .ok()
            .and_then(|p| relative_path(&project.root, &p));
        match rel.filter(|r| project.ws.facts(r).is_some_and(|f| f.kind == DocKind::Prp)) {
            Some(rel) => paths.push(rel),
            None => {
                eprintln!(
                    "prp-lsp gates: {} is not a PRP of the workspace {}",
                    prp.display(),
                    project.root.display()
                );
                return 2;
            }
        }
    }
    if prps.is_empty() {
        paths = project
            .document_paths()
            .into_iter()
            .filter(|p| {
                project
                    .ws
                    .facts(p)
                    .is_some_and(|f| f.kind == DocKind::Prp && f.lifecycle == Lifecycle::Active)
            })
            .collect();
    }
    if paths.is_empty() {
        eprintln!(
            "prp-lsp gates: no PRP to decide on (name one, or keep PRPs in an active folder)"
        );
        return 2;
    }
    let now = now_seconds();
    let reports: Vec<GateReport> = paths
        .iter()
        .filter_map(|p| project.gate_report(p, now))
        .collect();
    let text = match format {
        Format::Human => {
            let mut text = matrix_text(&reports);
            for r in &reports {
                text.push_str(&format!("{}: {}\n", r.prp, r.summary()));
                if let Some(alert) = coverage_alert(r, &project.config) {
                    text.push_str(&format!("{}: alert coverage-drop: {alert}\n", r.prp));
                }
            }
            text
        }
        Format::Json => {
            let alerts: Vec<serde_json::Value> = reports
                .iter()
                .filter_map(|r| {
                    let message = coverage_alert(r, &project.config)?;
                    Some(serde_json::json!({ "prp": r.prp, "code": "coverage-drop", "message": message }))
                })
                .collect();
            let value = serde_json::json!({
                "ready": reports.iter().all(|r| r.ready),
                "prps": reports,
                "alerts": alerts,
            });
            format!(
                "{}\n",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            )
        }
    };
    super::print_out(&text);
    for (path, d) in project.file_diagnostics() {
        eprintln!("prp-lsp gates: {path}: {}", d.message);
    }
    if reports.iter().all(|r| r.ready) {
        0
    } else {
        1
    }
}

//! `prp-lsp check [PATH…]`: validate workspaces and print findings as text, JSON, SARIF or
//! GitHub workflow annotations. Exit 0 clean, 1 when an error-severity finding exists.

use std::io::Write;
use std::path::{Path, PathBuf};

use prp_analysis::text::Encoding;
use prp_analysis::{Diagnostic, Rule, Severity};
use serde_json::json;

use crate::convert::{self, TextPositions};
use crate::project::{decode, Project};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

/// One finding, with its position already converted (the file's text is not kept).
pub struct Finding {
    pub diagnostic: Diagnostic,
    pub lsp: tower_lsp_server::ls_types::Diagnostic,
}

/// One file's findings.
pub struct FileReport {
    pub path: String,
    pub findings: Vec<Finding>,
}

/// Converts a document's findings while its text is at hand.
fn report_for(
    name: String,
    absolute: &Path,
    root: &Path,
    text: &str,
    diagnostics: Vec<Diagnostic>,
) -> FileReport {
    let positions = TextPositions::new(text, Encoding::Utf16);
    let uri = convert::file_uri(absolute);
    let other = |rel: &str| convert::file_uri(&root.join(rel));
    let findings = diagnostics
        .into_iter()
        .map(|d| {
            let lsp = convert::diagnostic(&d, &positions, uri.as_ref(), &other);
            Finding { diagnostic: d, lsp }
        })
        .collect();
    FileReport {
        path: name,
        findings,
    }
}

#[derive(Default)]
struct Summary {
    documents: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    hints: usize,
}

/// The workspace root for a path argument: a folder is its own root; a file belongs to the
/// nearest folder above it holding a configuration, `PRPs/`, `TASK.md` or `.git`.
pub fn root_for(path: &Path) -> PathBuf {
    if path.is_dir() {
        return path.to_path_buf();
    }
    // Absolute, so that walking up from `PRPs/x.md` ends at the real folders, not at ``.
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mut dir = path.parent();
    while let Some(d) = dir {
        let markers = ["prp-lsp.toml", ".prp-lsp.toml", "PRPs", "TASK.md", ".git"];
        if markers.iter().any(|m| d.join(m).exists()) {
            return d.to_path_buf();
        }
        dir = d.parent();
    }
    path.parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Runs the check and prints; returns the process exit code.
pub fn run(paths: &[PathBuf], format: Format, out: &mut dyn Write) -> i32 {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let mut reports = Vec::new();
    for arg in &paths {
        if !arg.exists() {
            eprintln!("prp-lsp: {}: no such file or directory", arg.display());
            return 2;
        }
        let root = root_for(arg);
        let project = match Project::load_for_check(&root) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("prp-lsp: cannot read {}: {e}", root.display());
                return 2;
            }
        };
        let only: Option<String> = if arg.is_file() {
            arg.canonicalize()
                .ok()
                .and_then(|a| crate::project::relative_path(&project.root, &a))
        } else {
            None
        };
        let display_prefix = (paths.len() > 1).then(|| root.clone());
        let name = |rel: &str| match &display_prefix {
            Some(prefix) => prefix.join(rel).to_string_lossy().into_owned(),
            None => rel.to_string(),
        };
        match &only {
            Some(rel) => {
                if let Some(a) = project.analyzed(rel) {
                    let diagnostics = project.diagnostics_of(&a);
                    reports.push(report_for(
                        name(rel),
                        &project.absolute(rel),
                        &project.root,
                        &a.text,
                        diagnostics,
                    ));
                }
            }
            None => project.check_all(
                |rel, a, diagnostics| {
                    report_for(
                        name(rel),
                        &project.absolute(rel),
                        &project.root,
                        &a.text,
                        diagnostics,
                    )
                },
                |batch| reports.extend(batch),
            ),
        }
        let mut config_findings: Vec<(String, Vec<Diagnostic>)> = Vec::new();
        for (rel, d) in project.file_diagnostics() {
            match config_findings.iter_mut().find(|(p, _)| *p == rel) {
                Some((_, v)) => v.push(d),
                None => config_findings.push((rel, vec![d])),
            }
        }
        for (rel, diagnostics) in config_findings {
            let text = std::fs::read(project.absolute(&rel))
                .map(|b| decode(b).0)
                .unwrap_or_default();
            reports.push(report_for(
                name(&rel),
                &project.absolute(&rel),
                &project.root,
                &text,
                diagnostics,
            ));
        }
    }
    let mut summary = Summary {
        documents: reports.len(),
        ..Summary::default()
    };
    for f in reports.iter().flat_map(|r| &r.findings) {
        match f.diagnostic.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Info => summary.infos += 1,
            Severity::Hint => summary.hints += 1,
        }
    }
    let written = match format {
        Format::Human => write_human(&reports, &summary, out),
        Format::Json => write_json(&reports, &summary, out),
        Format::Sarif => write_sarif(&reports, out),
        Format::Github => write_github(&reports, out),
    };
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("prp-lsp: cannot write the report: {e}");
            return 2;
        }
    }
    if summary.errors > 0 {
        1
    } else {
        0
    }
}

fn write_human(
    reports: &[FileReport],
    summary: &Summary,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for r in reports {
        for f in &r.findings {
            let start = f.lsp.range.start;
            let d = &f.diagnostic;
            writeln!(
                out,
                "{}:{}:{}: {}[{}]: {}",
                r.path,
                start.line + 1,
                start.character + 1,
                d.severity.label(),
                d.rule.code(),
                d.message
            )?;
        }
    }
    let findings = summary.errors + summary.warnings + summary.infos + summary.hints;
    writeln!(
        out,
        "checked {} document(s): {findings} finding(s) ({} error(s), {} warning(s), {} info, {} hint(s))",
        summary.documents, summary.errors, summary.warnings, summary.infos, summary.hints
    )
}

fn write_json(
    reports: &[FileReport],
    summary: &Summary,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let files: Vec<serde_json::Value> = reports
        .iter()
        .map(|r| {
            let diagnostics: Vec<_> = r.findings.iter().map(|f| &f.lsp).collect();
            json!({ "path": r.path, "diagnostics": diagnostics })
        })
        .collect();
    let value = json!({
        "files": files,
        "summary": {
            "documents": summary.documents,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "information": summary.infos,
            "hints": summary.hints,
        }
    });
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}

fn write_sarif(reports: &[FileReport], out: &mut dyn Write) -> std::io::Result<()> {
    use serde_sarif::sarif;
    let rules: Vec<sarif::ReportingDescriptor> = Rule::ALL
        .iter()
        .map(|r| {
            sarif::ReportingDescriptor::builder()
                .id(r.code())
                .short_description(
                    sarif::MultiformatMessageString::builder()
                        .text(r.summary())
                        .build(),
                )
                .build()
        })
        .collect();
    let mut results = Vec::new();
    for r in reports {
        for f in &r.findings {
            let range = f.lsp.range;
            let region = sarif::Region::builder()
                .start_line(range.start.line as i64 + 1)
                .start_column(range.start.character as i64 + 1)
                .end_line(range.end.line as i64 + 1)
                .end_column(range.end.character as i64 + 1)
                .build();
            let location = sarif::Location::builder()
                .physical_location(
                    sarif::PhysicalLocation::builder()
                        .artifact_location(
                            sarif::ArtifactLocation::builder()
                                .uri(r.path.clone())
                                .build(),
                        )
                        .region(region)
                        .build(),
                )
                .build();
            let level = match f.diagnostic.severity {
                Severity::Error => sarif::ResultLevel::Error,
                Severity::Warning => sarif::ResultLevel::Warning,
                Severity::Info | Severity::Hint => sarif::ResultLevel::Note,
            };
            results.push(
                sarif::Result::builder()
                    .rule_id(f.diagnostic.rule.code())
                    .level(level)
                    .message(
                        sarif::Message::builder()
                            .text(f.diagnostic.message.clone())
                            .build(),
                    )
                    .locations(vec![location])
                    .build(),
            );
        }
    }
    let driver = sarif::ToolComponent::builder()
        .name("prp-lsp")
        .version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .build();
    let log = sarif::Sarif::builder()
        .version(json!("2.1.0"))
        .schema(sarif::SCHEMA_URL)
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// GitHub workflow commands escape `%`, CR and LF in messages, and also `:` and `,` in
/// properties.
fn escape(s: &str, property: bool) -> String {
    let s = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        s.replace(':', "%3A").replace(',', "%2C")
    } else {
        s
    }
}

fn write_github(reports: &[FileReport], out: &mut dyn Write) -> std::io::Result<()> {
    for r in reports {
        for f in &r.findings {
            let (start, end) = (f.lsp.range.start, f.lsp.range.end);
            let command = match f.diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape(&r.path, true),
                start.line + 1,
                start.character + 1,
                end.line + 1,
                end.character + 1,
                escape(&format!("prp-lsp {}", f.diagnostic.rule.code()), true),
                escape(&f.diagnostic.message, false)
            )?;
        }
    }
    Ok(())
}

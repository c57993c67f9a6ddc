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

/// One file's findings, with its text for positions.
pub struct FileReport {
    pub path: String,
    pub absolute: PathBuf,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
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
fn root_for(path: &Path) -> PathBuf {
    if path.is_dir() {
        return path.to_path_buf();
    }
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
        let project = match Project::load(&root) {
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
        let display_prefix = if paths.len() > 1 {
            Some(root.clone())
        } else {
            None
        };
        let name = |rel: &str| match &display_prefix {
            Some(prefix) => prefix.join(rel).to_string_lossy().into_owned(),
            None => rel.to_string(),
        };
        for (rel, diagnostics) in project.check_all() {
            if only.as_ref().is_some_and(|o| *o != rel) {
                continue;
            }
            let text = project
                .docs
                .get(&rel)
                .map(|a| a.text.to_string())
                .unwrap_or_default();
            reports.push(FileReport {
                path: name(&rel),
                absolute: project.absolute(&rel),
                text,
                diagnostics,
            });
        }
        let mut config_findings: Vec<(String, Vec<Diagnostic>)> = Vec::new();
        for (rel, d) in project.config_diagnostics() {
            match config_findings.iter_mut().find(|(p, _)| *p == rel) {
                Some((_, v)) => v.push(d),
                None => config_findings.push((rel, vec![d])),
            }
        }
        for (rel, diagnostics) in config_findings {
            let text = std::fs::read(project.absolute(&rel))
                .map(|b| decode(b).0)
                .unwrap_or_default();
            reports.push(FileReport {
                path: name(&rel),
                absolute: project.absolute(&rel),
                text,
                diagnostics,
            });
        }
    }
    let mut summary = Summary {
        documents: reports.len(),
        ..Summary::default()
    };
    for d in reports.iter().flat_map(|r| &r.diagnostics) {
        match d.severity {
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
    for r in reports.iter().filter(|r| !r.diagnostics.is_empty()) {
        let pos = TextPositions::new(&r.text, Encoding::Utf16);
        for d in &r.diagnostics {
            let p = pos.position(d.span.start);
            writeln!(
                out,
                "{}:{}:{}: {}[{}]: {}",
                r.path,
                p.line + 1,
                p.character + 1,
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
            let pos = TextPositions::new(&r.text, Encoding::Utf16);
            let uri = convert::file_uri(&r.absolute);
            let base = r.absolute.to_string_lossy().into_owned();
            let root = base.strip_suffix(&r.path).map(PathBuf::from);
            let other = |rel: &str| {
                root.as_ref()
                    .and_then(|root| convert::file_uri(&root.join(rel)))
            };
            let diagnostics: Vec<_> = r
                .diagnostics
                .iter()
                .map(|d| convert::diagnostic(d, &pos, uri.as_ref(), &other))
                .collect();
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
        let pos = TextPositions::new(&r.text, Encoding::Utf16);
        for d in &r.diagnostics {
            let start = pos.position(d.span.start);
            let end = pos.position(d.span.end);
            let region = sarif::Region::builder()
                .start_line(start.line as i64 + 1)
                .start_column(start.character as i64 + 1)
                .end_line(end.line as i64 + 1)
                .end_column(end.character as i64 + 1)
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
            let level = match d.severity {
                Severity::Error => sarif::ResultLevel::Error,
                Severity::Warning => sarif::ResultLevel::Warning,
                Severity::Info | Severity::Hint => sarif::ResultLevel::Note,
            };
            results.push(
                sarif::Result::builder()
                    .rule_id(d.rule.code())
                    .level(level)
                    .message(sarif::Message::builder().text(d.message.clone()).build())
                    .locations(vec![location])
                    .build(),
            );
        }
    }
    let driver = sarif::ToolComponent::builder()
        .name("prp-lsp")
        .version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/prp-lsp/prp-lsp")
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
        let pos = TextPositions::new(&r.text, Encoding::Utf16);
        for d in &r.diagnostics {
            let start = pos.position(d.span.start);
            let end = pos.position(d.span.end);
            let command = match d.severity {
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
                escape(&format!("prp-lsp {}", d.rule.code()), true),
                escape(&d.message, false)
            )?;
        }
    }
    Ok(())
}

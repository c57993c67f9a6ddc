//! `prp-lsp check [PATH…]`: validate workspaces and print findings as text, JSON, SARIF,
//! GitHub workflow annotations or a GitLab Code Quality report. Exit 0 clean, 1 when an
//! error-severity finding exists.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use prp_analysis::text::Encoding;
use prp_analysis::{Diagnostic, Rule, Severity};
use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::json;
use tower_lsp_server::ls_types::{self as lsp, DiagnosticRelatedInformation, NumberOrString};

use crate::convert::{self, TextPositions};
use crate::project::{decode, Project};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    /// GitLab's Code Quality report (a JSON array of issues).
    Gitlab,
}

/// One finding, its positions already converted (the file's text is not kept), and no more
/// than the report needs: a run holds these for one batch of documents at a time.
struct Finding {
    rule: Rule,
    severity: Severity,
    range: lsp::Range,
    message: String,
    related: Option<Vec<DiagnosticRelatedInformation>>,
}

impl Finding {
    fn new(
        d: &Diagnostic,
        positions: &TextPositions,
        uri: Option<&lsp::Uri>,
        other: &dyn Fn(&str) -> Option<lsp::Uri>,
    ) -> Finding {
        let lsp = convert::diagnostic(d, positions, uri, other);
        Finding {
            rule: d.rule,
            severity: d.severity,
            range: lsp.range,
            message: lsp.message,
            related: lsp.related_information,
        }
    }

    /// The diagnostic the server publishes for this finding (what [`convert::diagnostic`]
    /// gave; a test keeps the two equal).
    fn to_lsp(&self) -> lsp::Diagnostic {
        lsp::Diagnostic {
            range: self.range,
            severity: Some(convert::severity(self.severity)),
            code: Some(NumberOrString::String(self.rule.code().to_string())),
            source: Some("prp-lsp".to_string()),
            message: self.message.clone(),
            related_information: self.related.clone(),
            ..lsp::Diagnostic::default()
        }
    }
}

/// One file's findings.
struct FileReport {
    path: String,
    findings: Vec<Finding>,
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
    // The findings keep the copies of the messages (made one after another) and the
    // analysis' own are freed together: measured, that holds a batch in less memory than
    // moving the analysis' strings over (36 MB against 43 MB peak, 3,000 documents with
    // 75,000 findings).
    let findings = diagnostics
        .iter()
        .map(|d| Finding::new(d, &positions, uri.as_ref(), &other))
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

/// How a workspace root is shown before its documents' paths when several arguments are
/// checked: for a relative argument (a hook passes the staged files relative to the
/// repository), relative to the current directory (`../..` from a folder inside the
/// workspace); otherwise as found.
fn shown_root(arg: &Path, root: &Path) -> PathBuf {
    if arg.is_absolute() || root.is_relative() {
        return root.to_path_buf();
    }
    std::env::current_dir()
        .and_then(|cwd| cwd.canonicalize())
        .ok()
        .and_then(|cwd| relative_between(&cwd, root))
        .unwrap_or_else(|| root.to_path_buf())
}

/// `to` as a path relative to the folder `from` (both absolute), going up with `..` as far
/// as they differ; `None` when they share nothing (two drives).
fn relative_between(from: &Path, to: &Path) -> Option<PathBuf> {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if shared == 0 {
        return None;
    }
    let mut relative: PathBuf = from[shared..].iter().map(|_| "..").collect();
    relative.extend(&to[shared..]);
    Some(relative)
}

/// Runs the check and prints; returns the process exit code. The report is written as the
/// documents are checked, a batch at a time; only the counts are kept across batches.
pub fn run(paths: &[PathBuf], format: Format, out: &mut dyn Write) -> i32 {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    // Before anything is written, so that a mistyped path leaves no half report behind.
    if let Some(missing) = paths.iter().find(|p| !p.exists()) {
        eprintln!("prp-lsp: {}: no such file or directory", missing.display());
        return 2;
    }
    let mut report = Report::new(format, out);
    for arg in &paths {
        let root = root_for(arg);
        let project = match Project::load_for_check(&root) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("prp-lsp: cannot read {}: {e}", root.display());
                return 2;
            }
        };
        if report.rule_pages.is_empty() {
            report.rule_pages = Rule::ALL
                .iter()
                .filter_map(|r| Some((*r, project.config.rule_page_url(*r)?)))
                .collect();
        }
        let only: Option<String> = if arg.is_file() {
            arg.canonicalize()
                .ok()
                .and_then(|a| crate::project::relative_path(&project.root, &a))
        } else {
            None
        };
        let display_prefix = (paths.len() > 1).then(|| shown_root(arg, &root));
        let name = |rel: &str| match &display_prefix {
            Some(prefix) => prefix.join(rel).to_string_lossy().into_owned(),
            None => rel.to_string(),
        };
        match &only {
            Some(rel) => {
                if let Some(a) = project.analyzed(rel) {
                    let diagnostics = project.diagnostics_of(&a);
                    report.file(report_for(
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
                |batch| {
                    for file in batch {
                        report.file(file);
                    }
                },
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
            report.file(report_for(
                name(&rel),
                &project.absolute(&rel),
                &project.root,
                &text,
                diagnostics,
            ));
        }
    }
    let (summary, written) = report.finish();
    if let Err(e) = written {
        if e.kind() != io::ErrorKind::BrokenPipe {
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

/// The report being written: each file goes out as it arrives and is dropped; what stays is
/// the counts and how far the document has got. After a failed write nothing more is
/// written, but the counting goes on (the exit code still tells whether there were errors).
struct Report<'a> {
    format: Format,
    out: &'a mut dyn Write,
    summary: Summary,
    /// The JSON or SARIF envelope has been opened.
    started: bool,
    /// Elements written to the open array (files for JSON, results for SARIF).
    items: usize,
    failed: Option<io::Error>,
    /// Each rule's page (`[docs] rules-url` of the first workspace checked), for SARIF's
    /// `helpUri`.
    rule_pages: Vec<(Rule, String)>,
}

impl<'a> Report<'a> {
    fn new(format: Format, out: &'a mut dyn Write) -> Report<'a> {
        Report {
            format,
            out,
            summary: Summary::default(),
            started: false,
            items: 0,
            failed: None,
            rule_pages: Vec::new(),
        }
    }

    fn file(&mut self, file: FileReport) {
        self.summary.documents += 1;
        for f in &file.findings {
            match f.severity {
                Severity::Error => self.summary.errors += 1,
                Severity::Warning => self.summary.warnings += 1,
                Severity::Info => self.summary.infos += 1,
                Severity::Hint => self.summary.hints += 1,
            }
        }
        if self.failed.is_none() {
            if let Err(e) = self.write_file(&file) {
                self.failed = Some(e);
            }
        }
    }

    /// Closes the document and writes the summary.
    fn finish(mut self) -> (Summary, io::Result<()>) {
        let written = match self.failed.take() {
            Some(e) => Err(e),
            None => self.write_end().and_then(|_| self.out.flush()),
        };
        (self.summary, written)
    }

    /// The envelope up to the array the files or results go in, written with the first of
    /// them (or at the end), so that a run that fails before leaves the output empty.
    fn start(&mut self) -> io::Result<()> {
        if std::mem::replace(&mut self.started, true) {
            return Ok(());
        }
        match self.format {
            Format::Json => write!(self.out, "{{\n  \"files\": ["),
            Format::Sarif => write!(
                self.out,
                "{{\n  \"$schema\": {},\n  \"runs\": [\n    {{\n      \"results\": [",
                serde_json::to_string(serde_sarif::sarif::SCHEMA_URL)?
            ),
            Format::Gitlab => write!(self.out, "["),
            Format::Human | Format::Github => Ok(()),
        }
    }

    /// An element of the open array, pretty-printed at `depth` like the rest of the document.
    fn item(&mut self, value: &impl Serialize, depth: usize) -> io::Result<()> {
        self.start()?;
        self.out
            .write_all(if self.items == 0 { b"\n" } else { b",\n" })?;
        self.items += 1;
        self.out.write_all(indent(depth))?;
        pretty(&mut *self.out, value, depth)
    }

    /// Closes the open array, whose `[` is at `depth`.
    fn end_array(&mut self, depth: usize) -> io::Result<()> {
        self.start()?;
        if self.items > 0 {
            self.out.write_all(b"\n")?;
            self.out.write_all(indent(depth))?;
        }
        self.out.write_all(b"]")
    }

    fn write_file(&mut self, file: &FileReport) -> io::Result<()> {
        match self.format {
            Format::Human => write_human(file, self.out),
            Format::Github => write_github(file, self.out),
            Format::Json => self.item(&JsonFile(file), 2),
            Format::Sarif => {
                for f in &file.findings {
                    self.item(&sarif_result(&file.path, f), 4)?;
                }
                Ok(())
            }
            Format::Gitlab => {
                for f in &file.findings {
                    self.item(&gitlab_issue(&file.path, f), 1)?;
                }
                Ok(())
            }
        }
    }

    fn write_end(&mut self) -> io::Result<()> {
        let s = &self.summary;
        match self.format {
            Format::Human => {
                let findings = s.errors + s.warnings + s.infos + s.hints;
                writeln!(
                    self.out,
                    "checked {} document(s): {findings} finding(s) ({} error(s), {} warning(s), {} info, {} hint(s))",
                    s.documents, s.errors, s.warnings, s.infos, s.hints
                )
            }
            Format::Github => Ok(()),
            Format::Gitlab => {
                self.end_array(0)?;
                self.out.write_all(b"\n")
            }
            Format::Json => {
                let summary = json!({
                    "documents": s.documents,
                    "errors": s.errors,
                    "warnings": s.warnings,
                    "information": s.infos,
                    "hints": s.hints,
                });
                self.end_array(1)?;
                self.out.write_all(b",\n  \"summary\": ")?;
                pretty(&mut *self.out, &summary, 1)?;
                self.out.write_all(b"\n}\n")
            }
            Format::Sarif => {
                self.end_array(3)?;
                self.out.write_all(b",\n      \"tool\": ")?;
                pretty(&mut *self.out, &sarif_tool(&self.rule_pages), 3)?;
                self.out
                    .write_all(b"\n    }\n  ],\n  \"version\": \"2.1.0\"\n}\n")
            }
        }
    }
}

fn indent(depth: usize) -> &'static [u8] {
    const SPACES: &[u8] = b"                ";
    &SPACES[..(2 * depth).min(SPACES.len())]
}

/// Pretty-prints `value` as if it stood `depth` levels deep in a pretty-printed document
/// (every line after the first is indented; JSON text never holds a raw line break).
fn pretty(out: &mut dyn Write, value: &impl Serialize, depth: usize) -> io::Result<()> {
    serde_json::to_writer_pretty(Indented { out, depth }, value)?;
    Ok(())
}

/// Passes bytes through, indenting every new line by `depth` levels.
struct Indented<'a> {
    out: &'a mut dyn Write,
    depth: usize,
}

impl Write for Indented<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, mut buf: &[u8]) -> io::Result<()> {
        while let Some(at) = memchr::memchr(b'\n', buf) {
            self.out.write_all(&buf[..=at])?;
            self.out.write_all(indent(self.depth))?;
            buf = &buf[at + 1..];
        }
        self.out.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// A file of the JSON report: `{"diagnostics": [LSP diagnostics], "path": …}`, its
/// diagnostics serialized one at a time. Keys are in the order the report has always had
/// (serde_json's sorted maps), so that the output stays the same byte for byte.
struct JsonFile<'a>(&'a FileReport);

impl Serialize for JsonFile<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("diagnostics", &JsonDiagnostics(&self.0.findings))?;
        map.serialize_entry("path", &self.0.path)?;
        map.end()
    }
}

struct JsonDiagnostics<'a>(&'a [Finding]);

impl Serialize for JsonDiagnostics<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for f in self.0 {
            // Through a `Value` for its sorted keys; one diagnostic at a time.
            let value = serde_json::to_value(f.to_lsp()).map_err(S::Error::custom)?;
            seq.serialize_element(&value)?;
        }
        seq.end()
    }
}

fn sarif_tool(rule_pages: &[(Rule, String)]) -> serde_sarif::sarif::Tool {
    use serde_sarif::sarif;
    let rules: Vec<sarif::ReportingDescriptor> = Rule::ALL
        .iter()
        .map(|r| {
            let description = sarif::MultiformatMessageString::builder()
                .text(r.summary())
                .build();
            let page = rule_pages.iter().find(|(p, _)| p == r).map(|(_, url)| url);
            match page {
                Some(url) => sarif::ReportingDescriptor::builder()
                    .id(r.code())
                    .short_description(description)
                    .help_uri(url.as_str())
                    .build(),
                None => sarif::ReportingDescriptor::builder()
                    .id(r.code())
                    .short_description(description)
                    .build(),
            }
        })
        .collect();
    let driver = sarif::ToolComponent::builder()
        .name("prp-lsp")
        .version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();
    sarif::Tool::builder().driver(driver).build()
}

fn sarif_result(path: &str, f: &Finding) -> serde_sarif::sarif::Result {
    use serde_sarif::sarif;
    let range = f.range;
    let region = sarif::Region::builder()
        .start_line(range.start.line as i64 + 1)
        .start_column(range.start.character as i64 + 1)
        .end_line(range.end.line as i64 + 1)
        .end_column(range.end.character as i64 + 1)
        .build();
    let location = sarif::Location::builder()
        .physical_location(
            sarif::PhysicalLocation::builder()
                .artifact_location(sarif::ArtifactLocation::builder().uri(path).build())
                .region(region)
                .build(),
        )
        .build();
    let level = match f.severity {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Info | Severity::Hint => sarif::ResultLevel::Note,
    };
    sarif::Result::builder()
        .rule_id(f.rule.code())
        .level(level)
        .message(sarif::Message::builder().text(f.message.as_str()).build())
        .locations(vec![location])
        .build()
}

/// An issue of GitLab's Code Quality report: what, where, how bad, and a fingerprint that
/// stays the same while the finding does (so merge requests show what is new).
fn gitlab_issue(path: &str, f: &Finding) -> serde_json::Value {
    let severity = match f.severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info | Severity::Hint => "info",
    };
    let line = f.range.start.line + 1;
    json!({
        "check_name": f.rule.code(),
        "description": f.message,
        "fingerprint": fingerprint(&[path, f.rule.code(), &f.message, &line.to_string()]),
        "location": { "lines": { "begin": line }, "path": path },
        "severity": severity,
    })
}

/// FNV-1a (128-bit) of the parts, as hex: stable across runs, machines and Rust versions
/// (the standard library's hasher is none of these).
fn fingerprint(parts: &[&str]) -> String {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013b;
    let mut hash = OFFSET;
    for part in parts {
        for byte in part.bytes().chain([0]) {
            hash ^= u128::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("{hash:032x}")
}

fn write_human(file: &FileReport, out: &mut dyn Write) -> io::Result<()> {
    for f in &file.findings {
        let start = f.range.start;
        writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            file.path,
            start.line + 1,
            start.character + 1,
            f.severity.label(),
            f.rule.code(),
            f.message
        )?;
    }
    Ok(())
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

fn write_github(file: &FileReport, out: &mut dyn Write) -> io::Result<()> {
    for f in &file.findings {
        let (start, end) = (f.range.start, f.range.end);
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Hint => "notice",
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape(&file.path, true),
            start.line + 1,
            start.character + 1,
            end.line + 1,
            end.character + 1,
            escape(&format!("prp-lsp {}", f.rule.code()), true),
            escape(&f.message, false)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn example() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/workspace")
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("prp-lsp-check-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.canonicalize().unwrap()
    }

    fn check(paths: &[PathBuf], format: Format) -> (i32, String) {
        let mut out = Vec::new();
        let code = run(paths, format, &mut out);
        (code, String::from_utf8(out).unwrap())
    }

    #[test]
    fn roots_above_the_current_folder_are_named_with_dot_dot() {
        let rel = |from: &str, to: &str| relative_between(Path::new(from), Path::new(to));
        assert_eq!(rel("/r/PRPs/active", "/r"), Some(PathBuf::from("../..")));
        assert_eq!(rel("/r", "/r/sub"), Some(PathBuf::from("sub")));
        assert_eq!(rel("/r", "/r"), Some(PathBuf::new()));
        assert_eq!(rel("/r/a", "/r/b/c"), Some(PathBuf::from("../b/c")));
    }

    /// The findings of a report as (path, 1-based line, rule code), sorted.
    type Triples = Vec<(String, u64, String)>;

    fn json_findings(report: &Value) -> Triples {
        let mut found: Triples = report["files"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| {
                let path = f["path"].as_str().unwrap().to_string();
                f["diagnostics"].as_array().unwrap().iter().map(move |d| {
                    (
                        path.clone(),
                        d["range"]["start"]["line"].as_u64().unwrap() + 1,
                        d["code"].as_str().unwrap().to_string(),
                    )
                })
            })
            .collect();
        found.sort();
        found
    }

    fn sarif_findings(log: &Value) -> Triples {
        let mut found: Triples = log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let location = &r["locations"][0]["physicalLocation"];
                (
                    location["artifactLocation"]["uri"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    location["region"]["startLine"].as_u64().unwrap(),
                    r["ruleId"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        found.sort();
        found
    }

    fn keys(v: &Value) -> Vec<&str> {
        v.as_object().unwrap().keys().map(String::as_str).collect()
    }

    /// Every format reports the same findings, JSON and SARIF have the documented shape, and
    /// the counts agree with the human summary line.
    #[test]
    fn formats_agree_on_a_workspace_with_findings() {
        let paths = [example()];
        let (code, json) = check(&paths, Format::Json);
        assert_eq!(code, 1, "the example workspace has error findings");
        let report: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(keys(&report), ["files", "summary"]);
        let files = report["files"].as_array().unwrap();
        assert!(files.len() >= 10, "{}", files.len());
        for f in files {
            assert_eq!(keys(f), ["diagnostics", "path"]);
            for d in f["diagnostics"].as_array().unwrap() {
                assert_eq!(d["source"], "prp-lsp");
                assert!(d["message"].as_str().is_some_and(|m| !m.is_empty()));
                assert!(d["range"]["end"]["character"].is_u64());
            }
        }
        let summary = &report["summary"];
        assert_eq!(
            keys(summary),
            ["documents", "errors", "hints", "information", "warnings"]
        );
        assert_eq!(summary["documents"], files.len());
        let count = |key: &str| summary[key].as_u64().unwrap() as usize;
        let json_findings = json_findings(&report);
        let total = count("errors") + count("warnings") + count("information") + count("hints");
        assert_eq!(json_findings.len(), total);
        assert!(total >= 20, "{total}");
        let by_severity = |severity: u64| {
            files
                .iter()
                .flat_map(|f| f["diagnostics"].as_array().unwrap())
                .filter(|d| d["severity"] == severity)
                .count()
        };
        assert_eq!(by_severity(1), count("errors"));
        assert_eq!(by_severity(2), count("warnings"));
        assert!(
            files
                .iter()
                .flat_map(|f| f["diagnostics"].as_array().unwrap())
                .any(|d| d["relatedInformation"][0]["location"]["uri"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("file://"))),
            "related locations are kept"
        );

        let (code, sarif) = check(&paths, Format::Sarif);
        assert_eq!(code, 1);
        let log: Value = serde_json::from_str(&sarif).unwrap();
        assert_eq!(log["version"], "2.1.0");
        assert_eq!(log["$schema"], serde_sarif::sarif::SCHEMA_URL);
        assert_eq!(log["runs"].as_array().unwrap().len(), 1);
        let driver = &log["runs"][0]["tool"]["driver"];
        assert_eq!(driver["name"], "prp-lsp");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        let rule_ids: Vec<&str> = driver["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        let codes: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(rule_ids, codes);
        let results = log["runs"][0]["results"].as_array().unwrap();
        for r in results {
            assert!(rule_ids.contains(&r["ruleId"].as_str().unwrap()));
            assert!(r["message"]["text"].as_str().is_some_and(|m| !m.is_empty()));
            assert_eq!(r["locations"].as_array().unwrap().len(), 1);
            let region = &r["locations"][0]["physicalLocation"]["region"];
            for key in ["startLine", "startColumn", "endLine", "endColumn"] {
                assert!(region[key].as_u64().is_some_and(|n| n >= 1), "{key}");
            }
        }
        let level = |l: &str| results.iter().filter(|r| r["level"] == l).count();
        assert_eq!(level("error"), count("errors"));
        assert_eq!(level("warning"), count("warnings"));
        assert_eq!(level("note"), count("information") + count("hints"));
        assert_eq!(sarif_findings(&log), json_findings);

        let (code, human) = check(&paths, Format::Human);
        assert_eq!(code, 1);
        let lines: Vec<&str> = human.lines().collect();
        assert_eq!(lines.len(), total + 1);
        assert_eq!(
            *lines.last().unwrap(),
            format!(
                "checked {} document(s): {total} finding(s) ({} error(s), {} warning(s), {} info, {} hint(s))",
                files.len(),
                count("errors"),
                count("warnings"),
                count("information"),
                count("hints")
            )
        );

        let (code, github) = check(&paths, Format::Github);
        assert_eq!(code, 1);
        assert_eq!(github.lines().count(), total);
        let errors = github.lines().filter(|l| l.starts_with("::error ")).count();
        assert_eq!(errors, count("errors"));
    }

    #[test]
    fn an_empty_workspace_is_a_complete_report() {
        let root = scratch("empty");
        let paths = [root];
        let (code, json) = check(&paths, Format::Json);
        assert_eq!(code, 0);
        let report: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(report["files"], json!([]));
        assert_eq!(report["summary"]["documents"], 0);
        let (code, sarif) = check(&paths, Format::Sarif);
        assert_eq!(code, 0);
        let log: Value = serde_json::from_str(&sarif).unwrap();
        assert_eq!(log["runs"][0]["results"], json!([]));
        assert_eq!(log["runs"][0]["tool"]["driver"]["name"], "prp-lsp");
        assert_eq!(
            check(&paths, Format::Human).1,
            "checked 0 document(s): 0 finding(s) (0 error(s), 0 warning(s), 0 info, 0 hint(s))\n"
        );
        assert_eq!(check(&paths, Format::Github).1, "");
    }

    /// The compact finding gives back the very diagnostic the server publishes, so the JSON
    /// report keeps showing what editors show.
    #[test]
    fn findings_give_back_the_published_diagnostic() {
        let project = Project::load_for_check(&example()).unwrap();
        let mut compared = 0;
        let mut related = 0;
        project.check_all(
            |rel, a, diagnostics| {
                let positions = TextPositions::new(&a.text, Encoding::Utf16);
                let uri = convert::file_uri(&project.absolute(rel));
                let other = |p: &str| convert::file_uri(&project.absolute(p));
                diagnostics
                    .iter()
                    .map(|d| {
                        let finding = Finding::new(d, &positions, uri.as_ref(), &other);
                        let published = convert::diagnostic(d, &positions, uri.as_ref(), &other);
                        (finding.to_lsp(), published)
                    })
                    .collect::<Vec<_>>()
            },
            |batch| {
                for (ours, published) in batch.into_iter().flatten() {
                    assert_eq!(ours, published);
                    compared += 1;
                    related += usize::from(published.related_information.is_some());
                }
            },
        );
        assert!(compared >= 20 && related >= 1, "{compared} {related}");
    }

    /// Collects what is written; on the first write, runs `then`.
    struct OnFirstWrite<F: FnOnce()> {
        bytes: Vec<u8>,
        then: Option<F>,
    }

    impl<F: FnOnce()> Write for OnFirstWrite<F> {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if let Some(then) = self.then.take() {
                then();
            }
            self.bytes.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// The report of the first documents is written before the last ones are even read: the
    /// moment anything reaches the output, the last document gets another finding, and the
    /// report shows it. (A run that checks everything before it writes shows the document as
    /// it was.) The workspace is larger than one batch of `Project::check_all` (2048).
    #[test]
    fn the_report_is_written_while_later_documents_are_still_to_be_checked() {
        const DOCUMENTS: usize = 2100;
        let root = scratch("streaming");
        let active = root.join("PRPs/active");
        std::fs::create_dir_all(&active).unwrap();
        let document = |n: usize| {
            format!(
                "# PRP-{n}: Doc\n\n**Status**: In Progress\n\n## Goal\n\nMODIFY src/x{n:04}.rs\n"
            )
        };
        for n in 0..DOCUMENTS {
            std::fs::write(active.join(format!("{n:04}_doc.md")), document(n)).unwrap();
        }
        let last = active.join(format!("{:04}_doc.md", DOCUMENTS - 1));
        let late = "src/written-after-the-first-output.rs";
        for format in EVERY_FORMAT {
            std::fs::write(&last, document(DOCUMENTS - 1)).unwrap();
            let mut out = OnFirstWrite {
                bytes: Vec::new(),
                then: Some(|| {
                    let text = format!("{}MODIFY {late}\n", document(DOCUMENTS - 1));
                    std::fs::write(&last, text).unwrap();
                }),
            };
            let code = run(std::slice::from_ref(&root), format, &mut out);
            assert_eq!(code, 0, "{format:?}");
            let output = String::from_utf8(out.bytes).unwrap();
            assert!(output.contains("src/x0000.rs"), "{format:?}");
            assert!(
                output.contains(late),
                "{format:?}: the last document was read before anything was written"
            );
            let findings = match format {
                Format::Human => {
                    let summary = output.lines().last().unwrap();
                    assert!(
                        summary.starts_with(&format!("checked {DOCUMENTS} document(s)")),
                        "{summary}"
                    );
                    output.lines().count() - 1
                }
                Format::Github => output.lines().count(),
                Format::Json => json_findings(&serde_json::from_str(&output).unwrap()).len(),
                Format::Sarif => sarif_findings(&serde_json::from_str(&output).unwrap()).len(),
                Format::Gitlab => serde_json::from_str::<Vec<serde_json::Value>>(&output)
                    .unwrap()
                    .len(),
            };
            assert!(findings > DOCUMENTS, "{format:?}: {findings}");
        }
        let _ = std::fs::remove_dir_all(&root);
    }

    const EVERY_FORMAT: [Format; 5] = [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Gitlab,
    ];

    /// Writes nothing: every write fails with `kind`.
    struct Failing(io::ErrorKind);

    impl Write for Failing {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(self.0.into())
        }

        fn flush(&mut self) -> io::Result<()> {
            Err(self.0.into())
        }
    }

    #[test]
    fn a_closed_pipe_keeps_the_exit_code_and_other_write_errors_exit_2() {
        let paths = [example()];
        for format in EVERY_FORMAT {
            let code = run(&paths, format, &mut Failing(io::ErrorKind::BrokenPipe));
            assert_eq!(code, 1, "{format:?}: the workspace has errors");
            let code = run(&paths, format, &mut Failing(io::ErrorKind::StorageFull));
            assert_eq!(code, 2, "{format:?}");
        }
    }
}

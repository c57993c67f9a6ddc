//! Evidence the quality gates read and agent status reports: found by one walk that does not
//! honour `.gitignore` (report folders usually are ignored), kept in the project, and turned
//! into gate reports and the status snapshot the rules read.

use prp_analysis::gates::{self, Artifact, GateReport};
use prp_analysis::status::{self, AgentStatus, StatusSnapshot};
use prp_analysis::DocKind;

use super::files::{decode, file_stamp, modified_seconds, relative_path, FileStamp, SKIPPED_DIRS};
use super::Project;

/// Where agent status comes from, as last read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusSources {
    pub from_files: Vec<AgentStatus>,
    /// Status files that could not be read: `(path, problem)`.
    pub file_problems: Vec<(String, String)>,
    pub from_endpoint: Vec<AgentStatus>,
    /// Why the monitoring endpoint is not answering, while it is not.
    pub endpoint_down: Option<String>,
}

/// The monitoring endpoint, and whether the user allowed prp-lsp to contact it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    None,
    /// The user set the URL in their editor's settings, or allowed the workspace's.
    Allowed(String),
    /// Named only by the repository's files: never contacted until the user allows it.
    NotAllowed(String),
}

impl Endpoint {
    pub fn allowed(&self) -> Option<&str> {
        match self {
            Endpoint::Allowed(url) => Some(url),
            _ => None,
        }
    }

    /// What the user sees of an endpoint that is not contacted, and how to allow it.
    pub fn not_allowed_note(&self) -> Option<String> {
        match self {
            Endpoint::NotAllowed(url) => Some(format!(
                "the monitoring endpoint {url} (from the workspace's prp-lsp.toml) is not polled until you allow it: set `prp-lsp.status.allow-url` to true in your editor's user settings, or pass --allow-url to `prp-lsp agents`"
            )),
            _ => None,
        }
    }
}

impl Project {
    /// The monitoring endpoint in effect. A URL from the repository's files alone is never
    /// contacted: opening a cloned repository must not make requests on the user's
    /// network. The user allows it in their editor settings (or with a CLI flag), or names
    /// the URL there themselves.
    pub fn status_endpoint(&self) -> Endpoint {
        let Some(url) = self.config.status_settings().url.clone() else {
            return Endpoint::None;
        };
        let user = self.editor_settings.as_ref();
        let allowed = user.is_some_and(|s| s.allow_status_url || s.config.status.url.is_some());
        if allowed {
            Endpoint::Allowed(url)
        } else {
            Endpoint::NotAllowed(url)
        }
    }

    /// The user allows the workspace's monitoring endpoint (`prp-lsp agents --allow-url`).
    pub fn allow_status_url(&mut self) {
        self.editor_settings
            .get_or_insert_with(Default::default)
            .allow_status_url = true;
        self.refresh_status(super::now_seconds());
    }

    /// Stores what the monitoring endpoint answered (its body, or why there is none) and
    /// refreshes the status snapshot; the error, in words, when there is no usable answer.
    pub fn take_endpoint_answer(
        &mut self,
        url: &str,
        fetched: Result<String, String>,
        now: i64,
    ) -> Result<(), String> {
        let outcome = fetched.and_then(|body| {
            status::parse_status(url, &body)
                .map_err(|e| format!("{url} answered something that is not agent status: {e}"))
        });
        let result = match outcome {
            Ok(statuses) => {
                self.status.endpoint_down = None;
                self.status.from_endpoint = statuses;
                Ok(())
            }
            Err(reason) => {
                self.status.endpoint_down = Some(reason.clone());
                Err(reason)
            }
        };
        self.refresh_status(now);
        result
    }

    /// Whether the workspace reports agent status at all: status files (readable or not)
    /// or a monitoring endpoint prp-lsp may contact.
    pub fn has_status_sources(&self) -> bool {
        let s = &self.status;
        !s.from_files.is_empty()
            || !s.file_problems.is_empty()
            || self.status_endpoint().allowed().is_some()
    }

    /// Reads the evidence files of the quality gates and the agent status files, then
    /// refreshes the status snapshot as of `now`. Report folders are usually git-ignored,
    /// so this walk does not honour `.gitignore` (it still skips dependency and build folders).
    pub fn read_evidence(&mut self, now: i64) {
        if let Some(scanned) = self.scan_evidence() {
            self.install_evidence(scanned, now);
        }
    }

    /// The walk and reads of [`Project::read_evidence`], changing nothing: it runs on a
    /// snapshot while edits go on (a large workspace takes a while to walk). `None` without
    /// a workspace folder.
    pub fn scan_evidence(&self) -> Option<ScannedEvidence> {
        if self.root.as_os_str().is_empty() {
            return None;
        }
        let config = self.config.clone();
        let status_files = globset::Glob::new(&config.status_settings().files)
            .map(|g| g.compile_matcher())
            .ok();
        let root = self.root.clone();
        let mut builder = ignore::WalkBuilder::new(&root);
        builder.standard_filters(false).filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !(e.file_type().is_some_and(|t| t.is_dir()) && SKIPPED_DIRS.contains(&name.as_ref()))
        });
        let mut artifacts = Vec::new();
        let mut sources = StatusSources::default();
        let mut files = Vec::new();
        let previous_stamps: std::collections::HashMap<&str, &FileStamp> = self
            .evidence_files
            .iter()
            .map(|(p, s)| (p.as_str(), s))
            .collect();
        let previous = self.ws.evidence().map(|(e, _)| e);
        for entry in builder
            .build()
            .flatten()
            .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        {
            let Some(rel) = relative_path(&root, entry.path()) else {
                continue;
            };
            let is_status = status_files.as_ref().is_some_and(|m| m.is_match(&rel));
            if !is_status && !gates::is_artifact(&config, &rel) {
                continue;
            }
            let stamp = file_stamp(entry.path());
            // An artifact whose file did not change is taken as it was read, with what was
            // parsed of it (see `Evidence::reusing`).
            if !is_status
                && stamp != FileStamp::default()
                && previous_stamps.get(rel.as_str()).copied() == Some(&stamp)
            {
                if let Some(kept) = previous.and_then(|e| e.artifact(&rel)) {
                    files.push((rel, stamp));
                    artifacts.push(kept.clone());
                    continue;
                }
            }
            let Ok(bytes) = std::fs::read(entry.path()) else {
                continue;
            };
            let (text, _) = decode(bytes);
            let modified = modified_seconds(entry.path());
            files.push((rel.clone(), stamp));
            if is_status {
                match status::parse_status(&rel, &text) {
                    // Report times come from the report (`reported_at`, else
                    // `last_activity`), never from the file: a checkout makes every status
                    // file "just now".
                    Ok(statuses) => sources.from_files.extend(statuses),
                    Err(problem) => sources.file_problems.push((rel, problem)),
                }
            } else {
                artifacts.push(Artifact {
                    path: rel,
                    text,
                    modified,
                });
            }
        }
        artifacts.sort_by(|a, b| a.path.cmp(&b.path));
        files.sort();
        let evidence = match previous {
            Some(previous) => gates::Evidence::reusing(artifacts, previous),
            None => gates::Evidence::new(artifacts),
        };
        Some(ScannedEvidence {
            evidence,
            files,
            from_files: sources.from_files,
            file_problems: sources.file_problems,
        })
    }

    /// Takes what [`Project::scan_evidence`] read; the endpoint's answers are kept.
    pub fn install_evidence(&mut self, scanned: ScannedEvidence, now: i64) {
        self.ws
            .set_evidence(std::sync::Arc::new(scanned.evidence), now);
        self.evidence_files = scanned.files;
        self.status.from_files = scanned.from_files;
        self.status.file_problems = scanned.file_problems;
        self.refresh_status(now);
    }

    /// Rebuilds the status snapshot the rules read from the last files and endpoint answer.
    pub fn refresh_status(&mut self, now: i64) {
        self.ws.set_evidence_time(now);
        if !self.has_status_sources() {
            self.ws.clear_status();
            return;
        }
        let s = &self.status;
        let snapshot = StatusSnapshot {
            statuses: s
                .from_files
                .iter()
                .chain(&s.from_endpoint)
                .cloned()
                .collect(),
            now,
            problems: s.file_problems.clone(),
            endpoint_down: s.endpoint_down.clone(),
        };
        self.ws.set_status(snapshot);
    }

    /// The deployment decision for a PRP from the evidence read, as of `now`. Evidence older
    /// than the PRP's last saved change is stale.
    pub fn gate_report(&self, path: &str, now: i64) -> Option<GateReport> {
        let a = self.analyzed(path)?;
        // Above the size limit the gates are not evaluated (the document says so).
        if a.doc.kind != DocKind::Prp || a.text.len() > self.config.limits.document_size {
            return None;
        }
        let saved = modified_seconds(&self.root.join(path));
        let empty = gates::Evidence::default();
        let evidence = self.ws.evidence().map_or(&empty, |(e, _)| e);
        Some(gates::evaluate_evidence(&a.doc, &a.text, &self.config, evidence, saved).at(now))
    }

    /// The status files that report agent `id` (normalized), with their text as it is now:
    /// what find-references and rename read of them.
    pub fn status_files_of(&self, id: &str) -> Vec<(String, String)> {
        use prp_analysis::edit::TextSource;
        let Some(status) = self.ws.status() else {
            return Vec::new();
        };
        status
            .files_of(id)
            .into_iter()
            .filter_map(|file| Some((file.to_string(), self.text(file)?)))
            .collect()
    }

    /// Re-evaluates the gate reports of `paths` now (see [`Project::evaluate_gate_reports`]).
    pub fn update_gate_reports(&mut self, paths: &[String], now: i64) {
        let evaluated = self.evaluate_gate_reports(paths, now);
        self.install_gate_reports(evaluated);
    }

    /// Evaluates the gate reports of `paths` without changing anything, so that it can run
    /// on a snapshot while edits go on: each with the document version it read.
    pub fn evaluate_gate_reports(&self, paths: &[String], now: i64) -> Vec<EvaluatedGates> {
        paths
            .iter()
            .map(|path| EvaluatedGates {
                path: path.clone(),
                version: self.open_version(path),
                report: self.gate_report(path, now),
            })
            .collect()
    }

    /// Stores reports evaluated earlier, except for documents changed since (their own
    /// change evaluates them again); whether any deployment decision changed.
    pub fn install_gate_reports(&mut self, evaluated: Vec<EvaluatedGates>) -> bool {
        // The time a report is looked at is not part of what it says.
        let timeless = |r: Option<&GateReport>| {
            r.cloned().map(|mut r| {
                r.now = None;
                r
            })
        };
        let mut decided_otherwise = false;
        for EvaluatedGates {
            path,
            version,
            report,
        } in evaluated
        {
            if self.open_version(&path) != version {
                continue;
            }
            self.gate_versions.insert(path.clone(), version);
            let before = timeless(self.ws.gate_report(&path));
            let summary = before.as_ref().map(GateReport::summary);
            match report {
                Some(report) => self.ws.set_gate_report(&path, report),
                None => {
                    self.ws.remove_gate_report(&path);
                }
            }
            if timeless(self.ws.gate_report(&path)) != before {
                self.touch([path.as_str()]);
            }
            decided_otherwise |= self.ws.gate_report(&path).map(GateReport::summary) != summary;
        }
        decided_otherwise
    }

    /// Open PRPs edited since their gate report was evaluated (an edit that changes no
    /// fact, such as a `Review: approved` line, waits for the one-second check).
    pub fn edited_since_gate_reports(&self) -> Vec<String> {
        self.open_prps()
            .into_iter()
            .filter(|p| self.gate_versions.get(p).copied().flatten() != self.open_version(p))
            .collect()
    }

    /// Every evidence file read (readable or not), with its modification time: what the
    /// one-second check compares to notice a change.
    pub fn evidence_stamp(&self) -> Vec<(String, FileStamp)> {
        self.evidence_files.clone()
    }

    fn open_prps(&self) -> Vec<String> {
        self.open
            .iter()
            .filter(|(_, a)| a.doc.kind == DocKind::Prp)
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// Whether a workspace file is evidence: a gate artifact or an agent status file.
    pub fn is_evidence(&self, path: &str) -> bool {
        let status_files =
            globset::Glob::new(&self.config.status_settings().files).map(|g| g.compile_matcher());
        gates::is_artifact(&self.config, path) || status_files.is_ok_and(|m| m.is_match(path))
    }

    /// Documents whose findings follow the evidence: PRPs with a gate checklist (and open
    /// ones, whose lens does) and every document that assigns work to an agent or mentions
    /// one (agent alerts).
    pub fn evidence_dependents(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .ws
            .documents()
            .filter(|(p, f)| {
                !f.assigned_agents.is_empty()
                    || f.kind == DocKind::TaskBoard
                    || (f.kind == DocKind::Prp && (f.gate_checklist || self.open.contains_key(*p)))
            })
            .map(|(p, _)| p.clone())
            .collect();
        // The evidence files themselves: their own findings (invalid-artifact) appear or go.
        out.extend(self.evidence_files.iter().map(|(p, _)| p.clone()));
        out.sort();
        out.dedup();
        out
    }

    /// Re-reads the evidence here and now (see [`Project::refresh_evidence`]).
    pub fn reread_evidence(&mut self, now: i64) -> bool {
        match self.scan_evidence() {
            Some(scanned) => self.refresh_evidence(scanned, now),
            None => false,
        }
    }

    /// Takes evidence read by [`Project::scan_evidence`] and re-evaluates the gate reports of
    /// the open PRPs; whether anything read differs.
    pub fn refresh_evidence(&mut self, scanned: ScannedEvidence, now: i64) -> bool {
        let before = (self.evidence_files.clone(), self.status.clone());
        self.install_evidence(scanned, now);
        let changed = (&self.evidence_files, &self.status) != (&before.0, &before.1);
        if changed {
            self.touch_all();
        }
        let open_prps = self.open_prps();
        self.update_gate_reports(&open_prps, now);
        changed
    }
}

/// A status file that cannot be read: the agent's alerts go without it.
pub(crate) fn status_file_problem(message: &str) -> prp_analysis::Diagnostic {
    prp_analysis::Diagnostic {
        rule: prp_analysis::Rule::InvalidArtifact,
        severity: prp_analysis::Rule::InvalidArtifact.default_severity(),
        span: 0..0,
        message: format!(
            "agent status file: {message}; this agent's status is unknown until the file is fixed"
        ),
        related: Vec::new(),
        hint: None,
    }
}

/// Two configurations disagree on a threshold.
pub(super) fn config_conflict(message: &str) -> prp_analysis::Diagnostic {
    prp_analysis::Diagnostic {
        rule: prp_analysis::Rule::ConfigConflict,
        severity: prp_analysis::Rule::ConfigConflict.default_severity(),
        span: 0..0,
        message: message.to_string(),
        related: Vec::new(),
        hint: None,
    }
}

/// A gate report evaluated for the document version it read.
pub struct EvaluatedGates {
    path: String,
    version: Option<i32>,
    report: Option<GateReport>,
}

/// Evidence and status files as one walk read them (see [`Project::scan_evidence`]).
pub struct ScannedEvidence {
    evidence: gates::Evidence,
    files: Vec<(String, FileStamp)>,
    from_files: Vec<AgentStatus>,
    file_problems: Vec<(String, String)>,
}

//! A workspace on disk, analysed: the configuration, every document's model, and the index
//! the cross-document rules read. The CLI loads one and checks it; the server keeps one
//! current as documents change. All file-system access of the analysis lives here:
//! `files` reads and walks, `evidence` reads gate evidence and agent status.

mod confine;
mod evidence;
mod files;
mod git;

pub use confine::writable;
use evidence::config_conflict;
pub(crate) use evidence::status_file_problem;
pub use evidence::{Endpoint, StatusSources};
pub use files::*;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use prp_analysis::config::ConfigError;
use prp_analysis::gates;
use prp_analysis::orchestrator::OrchestratorConfig;
use prp_analysis::rules::{internal_error, invalid_config, invalid_encoding, unreadable_file};
use prp_analysis::status;
use prp_analysis::text::LineIndex;
use prp_analysis::{check, parse, Config, DocFacts, DocKind, Document, RawConfig, Workspace};

pub const CONFIG_FILES: [&str; 2] = ["prp-lsp.toml", ".prp-lsp.toml"];

/// One analysed document: its text and model, held only while needed (open in the
/// editor, or being checked).
#[derive(Debug, Clone)]
pub struct Analyzed {
    /// Shared by requests; an `Arc<String>` so that taking a file's text never copies it.
    pub text: Arc<String>,
    pub doc: Arc<Document>,
    /// The editor's version, for open documents.
    pub version: Option<i32>,
    /// Offset of the first invalid byte when the file was not UTF-8.
    pub invalid_utf8_at: Option<usize>,
    /// Why the analysis failed, when it did (a bug in prp-lsp); the model is then empty.
    pub failure: Option<String>,
    /// Where each line starts, built once on first use and shared by every request on
    /// this version (hover, symbols, diagnostics) instead of once per request.
    pub lines: Arc<OnceLock<LineIndex>>,
}

impl Analyzed {
    fn new(
        text: Arc<String>,
        doc: Document,
        version: Option<i32>,
        invalid_utf8_at: Option<usize>,
        failure: Option<String>,
    ) -> Analyzed {
        Analyzed {
            text,
            doc: Arc::new(doc),
            version,
            invalid_utf8_at,
            failure,
            lines: Arc::default(),
        }
    }

    /// Where each line of the text starts.
    pub fn line_index(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }
}

/// An editor's text for a document, parsed apart from the project (no lock held), so that
/// parsing a large document never holds up requests reading the project.
pub struct ParsedText {
    path: String,
    text: Arc<String>,
    version: i32,
    /// The configuration it was parsed with.
    config: Arc<Config>,
    doc: Document,
    failure: Option<String>,
    /// What the workspace index keeps of it, worked out here too: for a board of a million
    /// tasks that is long, and it must not hold the project's lock.
    facts: Option<DocFacts>,
}

impl ParsedText {
    pub fn parse(path: &str, text: Arc<String>, version: i32, config: Arc<Config>) -> ParsedText {
        let (doc, failure, facts) = parse_indexable(path, &text, &config);
        ParsedText {
            path: path.to_string(),
            text,
            version,
            config,
            doc,
            failure,
            facts,
        }
    }
}

/// [`parse_contained`], with the document's facts for the index (none for Markdown that is
/// not a PRP-kind document), worked out before any lock is taken.
fn parse_indexable(
    path: &str,
    text: &str,
    config: &Config,
) -> (Document, Option<String>, Option<DocFacts>) {
    let (doc, failure) = parse_contained(path, text, config);
    let facts = (doc.kind != DocKind::Other).then(|| DocFacts::of(&doc));
    (doc, failure, facts)
}

/// Runs a piece of analysis, turning a panic into an error message so that one bad file
/// never takes down a whole check or the server.
fn contained<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "internal error".into())
    })
}

/// Parses a document; a failure leaves an empty model and says why.
fn parse_contained(path: &str, text: &str, config: &Config) -> (Document, Option<String>) {
    match contained(|| parse(path, text, config)) {
        Ok(doc) => (doc, None),
        Err(why) => (parse(path, "", config), Some(why)),
    }
}

/// How much of each document the index reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IndexDepth {
    /// Every fact (the server: hovers and symbols show titles, status and tasks).
    Full,
    /// What other documents' rules read (see [`Project::load_for_check`]).
    ForCheck,
}

/// The head of a file that holds its front matter or pseudo-header and title.
const HEAD_BYTES: usize = 4096;

/// The first bytes of a file, enough for [`truncate_to_head`] to keep the same text as from
/// the whole file (a character starting at the cut is read whole), without reading the rest.
fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut head = Vec::with_capacity(HEAD_BYTES + 4);
    std::fs::File::open(path)?
        .take(HEAD_BYTES as u64 + 4)
        .read_to_end(&mut head)?;
    Ok(head)
}

/// Keeps the head of a document: what the index reads of a document it does not read in
/// full (for `check`, or above `[limits] document-size`, where cross-document work stops).
fn truncate_to_head(text: &mut String) {
    if text.len() > HEAD_BYTES {
        text.truncate(prp_analysis::text::floor_char_boundary(text, HEAD_BYTES));
    }
}

/// What the user's editor says: settings layered over prp-lsp.toml, and consents that only
/// the user can give (a repository's files cannot).
#[derive(Debug, Clone, Default)]
pub struct EditorSettings {
    pub config: RawConfig,
    /// The monitoring endpoint named by the workspace's prp-lsp.toml may be contacted.
    pub allow_status_url: bool,
}

/// A problem with the configuration, reported on the file that caused it.
#[derive(Debug, Clone)]
pub struct ConfigProblem {
    pub path: String,
    pub error: ConfigError,
    /// The file as a whole was refused and the last good configuration is in effect.
    pub kept_previous: bool,
}

/// The workspace as the server and `check` see it. Cloned only when it changes while a
/// snapshot of it is still being read (see `State::update_project`).
#[derive(Clone)]
pub struct Project {
    pub root: PathBuf,
    pub config: Arc<Config>,
    /// The file's configuration before editor settings were layered on.
    pub file_config: RawConfig,
    pub editor_settings: Option<EditorSettings>,
    config_problems: Vec<ConfigProblem>,
    /// The syntax error of prp-lsp.toml, kept across rebuilds with editor settings.
    syntax_problem: Option<ConfigProblem>,
    /// Facts of every document: the index cross-document rules read.
    pub ws: Workspace,
    /// Documents whose text the editor owns. Every other document is read from disk when
    /// needed, so memory stays proportional to the facts, not to the text.
    open: HashMap<String, Analyzed>,
    /// Agent status read from status files, and the monitoring endpoint's last answer.
    pub status: StatusSources,
    /// Every evidence file read (artifacts and status files, readable or not) with its
    /// modification time.
    evidence_files: Vec<(String, FileStamp)>,
    /// The editor's version of each PRP when its gate report was last evaluated.
    gate_versions: HashMap<String, Option<i32>>,
    /// Documents that could not be read (path as shown, reason): reported, never skipped.
    unreadable: std::collections::BTreeMap<String, String>,
    /// Which files git leaves out (ignored and untracked).
    git: git::GitView,
    /// What each document's findings were computed from, as a diagnostic result id.
    results: ResultStamps,
}

/// Result ids for pulled diagnostics: a document's findings stay the same while its own
/// stamp (its text, its gate report, a document it depends on) and the epoch (the
/// configuration, evidence, agent status) stay the same, so a client holding the id is
/// answered "unchanged" without the document being checked again.
#[derive(Debug, Clone, Default)]
struct ResultStamps {
    epoch: u64,
    counter: u64,
    documents: HashMap<String, u64>,
}

impl Project {
    /// A project with no folder: open documents are analysed on their own.
    pub fn empty() -> Project {
        Project {
            root: PathBuf::new(),
            config: Arc::new(Config::default()),
            file_config: RawConfig::default(),
            editor_settings: None,
            config_problems: Vec::new(),
            syntax_problem: None,
            ws: Workspace::new(),
            open: HashMap::new(),
            status: StatusSources::default(),
            evidence_files: Vec::new(),
            gate_versions: HashMap::new(),
            unreadable: Default::default(),
            git: git::GitView::none(),
            results: ResultStamps::default(),
        }
    }

    /// Reads the configuration and every document under `root`.
    pub fn load(root: &Path) -> std::io::Result<Project> {
        Project::load_with(root, IndexDepth::Full)
    }

    /// Reads the configuration and indexes what `check` needs: without agent status, the
    /// rules read only the kind, number and agent definition of other documents, so PRPs
    /// and task boards are indexed from the head of the file (where numbers and ids are)
    /// and only agent files in full; with agent status, workload alerts count every
    /// document's tasks, so everything is indexed in full. Each document is then parsed once
    /// more, in full, when it is checked.
    pub fn load_for_check(root: &Path) -> std::io::Result<Project> {
        Project::load_with(root, IndexDepth::ForCheck)
    }

    fn load_with(root: &Path, depth: IndexDepth) -> std::io::Result<Project> {
        let root = root.canonicalize()?;
        let mut project = Project {
            root: root.clone(),
            git: git::GitView::read(&root),
            ..Project::empty()
        };
        project
            .ws
            .set_root_name(root.file_name().map(|n| n.to_string_lossy().into_owned()));
        project.reload_config();
        let walked = walk(&root);
        for f in &walked.files {
            project.ws.add_file(f);
        }
        project.note_walk_problems(walked.problems);
        let documents: Vec<String> = walked
            .files
            .into_iter()
            .filter(|f| project.is_document_file(f))
            .collect();
        // Evidence first: agent status decides how much of each document to index.
        project.read_evidence(now_seconds());
        let depth = if project.has_status_sources() {
            IndexDepth::Full
        } else {
            depth
        };
        project.index_from_disk(&documents, depth);
        project.refresh_status(now_seconds());
        Ok(project)
    }

    /// Re-reads `prp-lsp.toml` (and the orchestrator configuration it names). A broken file
    /// keeps the last good configuration and is reported on the file.
    pub fn reload_config(&mut self) -> bool {
        self.syntax_problem = None;
        let mut raw = RawConfig::default();
        for name in CONFIG_FILES {
            let path = self.root.join(name);
            if let Ok(bytes) = std::fs::read(&path) {
                let (text, _) = decode(bytes);
                match RawConfig::from_toml(&text) {
                    Ok(r) => raw = r,
                    Err(error) => {
                        self.syntax_problem = Some(ConfigProblem {
                            path: name.to_string(),
                            error,
                            kept_previous: true,
                        });
                        raw = self.file_config.clone();
                    }
                }
                break;
            }
        }
        self.file_config = raw;
        self.rebuild_config()
    }

    /// Layers editor settings over the file configuration.
    pub fn set_editor_settings(&mut self, settings: Option<EditorSettings>) -> bool {
        self.editor_settings = settings;
        self.rebuild_config()
    }

    /// The configuration file of the workspace, when there is one.
    pub fn config_file_in_use(&self) -> Option<String> {
        CONFIG_FILES
            .iter()
            .find(|n| self.root.join(n).is_file())
            .map(|n| n.to_string())
    }

    fn config_file_name(&self) -> String {
        CONFIG_FILES
            .iter()
            .find(|n| self.root.join(n).exists())
            .unwrap_or(&CONFIG_FILES[0])
            .to_string()
    }

    fn rebuild_config(&mut self) -> bool {
        self.config_problems = self.syntax_problem.iter().cloned().collect();
        let raw = match &self.editor_settings {
            Some(s) => self.file_config.clone().merge(s.config.clone()),
            None => self.file_config.clone(),
        };
        let mut config = match Config::from_raw(&raw) {
            Ok(c) => c,
            Err(error) => {
                self.config_problems.push(ConfigProblem {
                    path: self.config_file_name(),
                    error,
                    kept_previous: true,
                });
                return false;
            }
        };
        if let Some(rel) = config.orchestrator_path.clone() {
            match self.read_inside_root(&rel) {
                Ok(text) => match OrchestratorConfig::from_json(&text) {
                    Ok(o) => config.set_orchestrator(Some(o)),
                    Err(message) => self.config_problems.push(ConfigProblem {
                        path: rel.clone(),
                        error: ConfigError {
                            message,
                            span: None,
                        },
                        kept_previous: false,
                    }),
                },
                Err(message) => self.config_problems.push(ConfigProblem {
                    path: self.config_file_name(),
                    error: ConfigError {
                        message: format!("orchestrator-config `{rel}`: {message}"),
                        span: None,
                    },
                    kept_previous: false,
                }),
            }
        }
        for error in &config.problems {
            self.config_problems.push(ConfigProblem {
                path: self.config_file_name(),
                error: error.clone(),
                kept_previous: false,
            });
        }
        self.ws.set_config_agents(&config);
        self.config = Arc::new(config);
        true
    }

    /// Prepares the workspace for an owner that checks the document being edited on every
    /// keystroke: routing results kept between checks ([`Workspace::remember_routes`]) and
    /// a large document's check split over two threads ([`Workspace::split_large_checks`]).
    pub fn check_while_editing(&mut self) {
        self.ws.remember_routes();
        self.ws.split_large_checks();
    }

    /// Reads a workspace-relative file, refusing paths that leave the workspace.
    pub fn read_inside_root(&self, rel: &str) -> Result<String, String> {
        let joined = self.root.join(rel);
        let real = joined
            .canonicalize()
            .map_err(|e| format!("cannot read it: {e}"))?;
        if !real.starts_with(&self.root) {
            return Err(
                "the path leaves the workspace; configuration paths must stay inside it".into(),
            );
        }
        std::fs::read(&real)
            .map(|b| decode(b).0)
            .map_err(|e| format!("cannot read it: {e}"))
    }

    /// Whether a path is a Markdown file the configuration makes a document.
    fn is_candidate(&self, path: &str) -> bool {
        is_markdown(path) && prp_analysis::document::classify(path, &self.config) != DocKind::Other
    }

    /// A candidate that git does not leave out (a tracked file is never ignored).
    fn is_document_file(&mut self, path: &str) -> bool {
        self.is_candidate(path) && !self.git.hides(path)
    }

    /// Walk problems that may hide documents: a file of a document kind whose name is not
    /// UTF-8, a folder where documents would be that cannot be listed.
    fn note_walk_problems(&mut self, problems: Vec<(String, String)>) {
        for (path, why) in problems {
            let could_hold_documents = self.is_candidate(&path)
                || prp_analysis::document::classify(&format!("{path}/x.md"), &self.config)
                    != DocKind::Other;
            if could_hold_documents {
                self.unreadable.insert(path, why);
            }
        }
    }

    /// Reads, parses and indexes documents from disk on all cores, keeping only their facts.
    /// A document that cannot be read is remembered with the reason, to be reported.
    fn index_from_disk(&mut self, paths: &[String], depth: IndexDepth) {
        let config = self.config.clone();
        let root = self.root.clone();
        let facts = parallel_map(paths, |path| {
            let whole_file = depth == IndexDepth::Full
                || prp_analysis::document::classify(path, &config) == DocKind::Agent;
            let read = if whole_file {
                std::fs::read(root.join(path))
            } else {
                read_head(&root.join(path))
            };
            let bytes = match read {
                Ok(bytes) => bytes,
                Err(e) => return Err(e.to_string()),
            };
            let (mut text, _) = decode(bytes);
            if !whole_file || text.len() > config.limits.document_size {
                truncate_to_head(&mut text);
            }
            let saved = modified_seconds(&root.join(path));
            Ok((
                DocFacts::of(&parse_contained(path, &text, &config).0),
                saved,
            ))
        });
        for (path, facts) in paths.iter().zip(facts) {
            match facts {
                Ok((f, saved)) if f.kind != DocKind::Other => {
                    self.unreadable.remove(path);
                    self.ws.set_saved_at(path, saved);
                    self.ws.update_document(path, f);
                }
                Ok(_) => {
                    self.unreadable.remove(path);
                    self.ws.remove_document(path);
                }
                Err(why) => {
                    self.unreadable.insert(path.clone(), why);
                    self.ws.remove_document(path);
                }
            }
        }
    }

    pub fn document_count(&self) -> usize {
        self.ws.documents().count()
    }

    pub fn is_document(&self, path: &str) -> bool {
        self.ws.facts(path).is_some()
    }

    /// Every document, in path order.
    pub fn document_paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = self.ws.documents().map(|(p, _)| p.clone()).collect();
        paths.sort();
        paths
    }

    /// A document's text and model: the editor's buffer when open, else the file on disk.
    pub fn analyzed(&self, path: &str) -> Option<Analyzed> {
        if let Some(a) = self.open.get(path) {
            return Some(a.clone());
        }
        if !self.is_document(path) {
            return None;
        }
        let bytes = std::fs::read(self.root.join(path)).ok()?;
        Some(analyze(path, bytes, &self.config))
    }

    /// Re-classifies and re-indexes every document after a configuration change.
    pub fn reanalyze_all(&mut self) {
        let root = self.root.clone();
        let walked = if root.as_os_str().is_empty() {
            Walked::default()
        } else {
            walk(&root)
        };
        self.unreadable.clear();
        self.git = git::GitView::read(&root);
        self.note_walk_problems(walked.problems);
        let on_disk = walked.files;
        let stale: Vec<String> = self.document_paths();
        for path in stale {
            self.ws.remove_document(&path);
        }
        let documents: Vec<String> = on_disk
            .into_iter()
            .filter(|f| !self.open.contains_key(f) && self.is_document_file(f))
            .collect();
        self.index_from_disk(&documents, IndexDepth::Full);
        let open: Vec<(String, Analyzed)> = self.open.drain().collect();
        for (path, a) in open {
            self.open_document(&path, a.text, a.version.unwrap_or(0));
        }
        self.read_evidence(now_seconds());
        self.touch_all();
    }

    /// Re-parses `path` from `text` and updates the index; returns the other documents whose
    /// findings may change.
    fn update(
        &mut self,
        path: &str,
        text: &str,
    ) -> (Option<(Document, Option<String>)>, Vec<String>) {
        let (doc, failure, facts) = parse_indexable(path, text, &self.config);
        self.index_parsed(path, doc, failure, facts)
    }

    /// Updates the index with a parsed document; returns the model to keep (none when the
    /// file is not Markdown) and the other documents whose findings may change.
    fn index_parsed(
        &mut self,
        path: &str,
        doc: Document,
        failure: Option<String>,
        facts: Option<DocFacts>,
    ) -> (Option<(Document, Option<String>)>, Vec<String>) {
        self.ws.add_file(path);
        let Some(facts) = facts else {
            // Not indexed; an open Markdown file is still analysed (a selection or a
            // requirement block in it can become a PRP).
            let old = self.ws.remove_document(path);
            let deps = self.ws.dependents(path, old.as_ref(), None);
            return (is_markdown(path).then_some((doc, failure)), deps);
        };
        let old = self.ws.update_document(path, facts);
        let deps = self.ws.dependents(path, old.as_ref(), self.ws.facts(path));
        (Some((doc, failure)), deps)
    }

    /// The editor opened or changed a document: its buffer is now the truth.
    pub fn open_document(
        &mut self,
        path: &str,
        text: impl Into<Arc<String>>,
        version: i32,
    ) -> Vec<String> {
        let parsed = ParsedText::parse(path, text.into(), version, self.config.clone());
        self.install(parsed)
    }

    /// Installs an editor's text parsed without the project at hand (see [`ParsedText`]);
    /// returns the other documents whose findings may change.
    pub fn install(&mut self, parsed: ParsedText) -> Vec<String> {
        let ParsedText {
            path,
            text,
            version,
            config,
            doc,
            failure,
            facts,
        } = parsed;
        // Parsed under a configuration that has since been replaced: parse again.
        let (doc, failure, facts) = if Arc::ptr_eq(&config, &self.config) {
            (doc, failure, facts)
        } else {
            parse_indexable(&path, &text, &self.config)
        };
        let (doc, deps) = self.index_parsed(&path, doc, failure, facts);
        self.touch(
            [path.as_str()]
                .into_iter()
                .chain(deps.iter().map(String::as_str)),
        );
        match doc {
            Some((doc, failure)) => {
                let analyzed = Analyzed::new(text, doc, Some(version), None, failure);
                self.open.insert(path, analyzed);
            }
            None => {
                self.open.remove(&path);
            }
        }
        deps
    }

    /// The editor closed a document: the file on disk is the truth again.
    pub fn close_document(&mut self, path: &str) -> Vec<String> {
        self.open.remove(path);
        self.touch([path]);
        match std::fs::read(self.root.join(path)) {
            Ok(_) => self.refresh_from_disk(path),
            Err(_) => self.remove_file(path),
        }
    }

    /// The result id of a document's findings as they are now.
    pub fn result_id(&self, path: &str) -> String {
        let own = self.results.documents.get(path).copied().unwrap_or(0);
        format!("{}.{own}", self.results.epoch)
    }

    /// These documents' findings may have changed.
    pub fn touch<'p>(&mut self, paths: impl IntoIterator<Item = &'p str>) {
        for path in paths {
            self.results.counter += 1;
            let stamp = self.results.counter;
            self.results.documents.insert(path.to_string(), stamp);
        }
    }

    /// Every document's findings may have changed (configuration, evidence, agent status).
    pub fn touch_all(&mut self) {
        self.results.epoch += 1;
    }

    /// A file appeared or changed on disk (any file: it may satisfy a reference).
    pub fn refresh_from_disk(&mut self, path: &str) -> Vec<String> {
        let existed = self.ws.exists(path);
        let mut deps = if existed {
            Vec::new()
        } else {
            self.referrers_of(path)
        };
        if is_markdown(path) && !self.open.contains_key(path) && !self.git.hides(path) {
            match std::fs::read(self.root.join(path)) {
                Ok(bytes) => {
                    self.unreadable.remove(path);
                    self.ws
                        .set_saved_at(path, modified_seconds(&self.root.join(path)));
                    let (mut text, _) = decode(bytes);
                    if text.len() > self.config.limits.document_size {
                        truncate_to_head(&mut text);
                    }
                    deps.extend(self.update(path, &text).1);
                }
                Err(e) if self.is_candidate(path) => {
                    self.unreadable.insert(path.to_string(), e.to_string());
                    deps.extend(self.remove_document_facts(path));
                }
                Err(_) => {}
            }
        }
        self.ws.add_file(path);
        deps.sort();
        deps.dedup();
        deps.retain(|d| d != path);
        self.touch([path].into_iter().chain(deps.iter().map(String::as_str)));
        deps
    }

    /// Drops a document from the index (it can no longer be read); returns its dependents.
    fn remove_document_facts(&mut self, path: &str) -> Vec<String> {
        let old = self.ws.facts(path).cloned();
        self.ws.remove_document(path);
        self.ws.dependents(path, old.as_ref(), None)
    }

    /// A file was deleted; returns the documents whose findings may change.
    pub fn remove_file(&mut self, path: &str) -> Vec<String> {
        self.unreadable.remove(path);
        let old = self.ws.facts(path).cloned();
        self.ws.remove_file(path);
        self.open.remove(path);
        let mut deps = self.ws.dependents(path, old.as_ref(), None);
        deps.extend(self.referrers_of(path));
        deps.sort();
        deps.dedup();
        self.touch([path].into_iter().chain(deps.iter().map(String::as_str)));
        deps
    }

    /// Documents that name a file in a reference.
    fn referrers_of(&self, path: &str) -> Vec<String> {
        let name = path.rsplit('/').next().unwrap_or(path);
        self.ws
            .documents()
            .filter(|(p, f)| p.as_str() != path && f.referenced_names.contains(name))
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// Findings for one analysed document.
    pub fn diagnostics_of(&self, a: &Analyzed) -> Vec<prp_analysis::Diagnostic> {
        let checked = match &a.failure {
            Some(why) => Err(why.clone()),
            None => contained(|| check(&a.doc, &a.text, &self.ws, &self.config)),
        };
        // Findings made here, outside `check`, get the configured levels too.
        let configured = |d| self.config.configured(d);
        let mut out =
            checked.unwrap_or_else(|why| configured(internal_error(&why)).into_iter().collect());
        if let Some(encoding) = a
            .invalid_utf8_at
            .and_then(|at| configured(invalid_encoding(at)))
        {
            out.insert(0, encoding);
        }
        out
    }

    /// Findings on files that are not documents: the configuration and broken evidence,
    /// keyed by workspace-relative path.
    pub fn file_diagnostics(&self) -> Vec<(String, prp_analysis::Diagnostic)> {
        let mut out = self.config_diagnostics();
        for (path, why) in &self.unreadable {
            out.push((path.clone(), unreadable_file(why)));
        }
        let evidence = self.ws.evidence().map(|(e, _)| e);
        for (path, message) in evidence
            .map(|e| gates::artifact_problems(&self.config, e))
            .unwrap_or_default()
        {
            out.push((path, gates::invalid_artifact(&message)));
        }
        for (path, message) in &self.status.file_problems {
            out.push((path.clone(), status_file_problem(message)));
        }
        // Reported on the configuration file in use (`.prp-lsp.toml` is one too).
        let config_file = self.config_file_name();
        for (path, message) in status::config_conflicts(&self.config) {
            let path = if CONFIG_FILES.contains(&path.as_str()) {
                config_file.clone()
            } else {
                path
            };
            out.push((path, config_conflict(&message)));
        }
        out.extend(status::unknown_threshold_keys(&self.config));
        // The configured levels apply here too (`config-conflict = "off"`).
        out.into_iter()
            .filter_map(|(path, d)| Some((path, self.config.configured(d)?)))
            .collect()
    }

    /// Findings on configuration files, keyed by workspace-relative path.
    fn config_diagnostics(&self) -> Vec<(String, prp_analysis::Diagnostic)> {
        self.config_problems
            .iter()
            .map(|p| {
                (
                    p.path.clone(),
                    invalid_config(
                        &if p.kept_previous {
                            format!(
                                "{} (the previous valid configuration stays in effect)",
                                p.error.message
                            )
                        } else {
                            p.error.message.clone()
                        },
                        p.error.span.clone(),
                    ),
                )
            })
            .collect()
    }

    /// Checks every document on all cores, a batch at a time so that only one batch of
    /// texts is in memory; `report` receives each batch in path order.
    pub fn check_all<R: Send>(
        &self,
        convert: impl Fn(&str, &Analyzed, Vec<prp_analysis::Diagnostic>) -> R + Sync,
        mut report: impl FnMut(Vec<R>),
    ) {
        const BATCH: usize = 2048;
        for batch in self.document_paths().chunks(BATCH) {
            let results = parallel_map(batch, |path| {
                let a = self.analyzed(path)?;
                let diagnostics = self.diagnostics_of(&a);
                Some(convert(path, &a, diagnostics))
            });
            report(results.into_iter().flatten().collect());
        }
    }

    pub fn absolute(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }
}

pub fn analyze(path: &str, bytes: Vec<u8>, config: &Config) -> Analyzed {
    let (text, invalid_utf8_at) = decode(bytes);
    let (doc, failure) = parse_contained(path, &text, config);
    Analyzed::new(text.into(), doc, None, invalid_utf8_at, failure)
}

/// Other documents' text for changes that reach across the workspace: the editor's buffer
/// for open documents, else the file (only inside the workspace).
impl prp_analysis::edit::TextSource for Project {
    fn text(&self, path: &str) -> Option<String> {
        if let Some(a) = self.open.get(path) {
            return Some(a.text.to_string());
        }
        if Path::new(path).is_absolute() || path.split('/').any(|c| c == "..") {
            return None;
        }
        std::fs::read(self.root.join(path))
            .ok()
            .map(|b| decode(b).0)
    }
}

impl Project {
    /// The editor's version of an open document.
    pub fn open_version(&self, path: &str) -> Option<i32> {
        self.open.get(path).and_then(|a| a.version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_a_plausible_date() {
        let today = today().to_string();
        assert!(
            today.as_str() > "2025-01-01" && today.len() == 10,
            "{today}"
        );
    }

    /// `load_for_check` indexes less; the findings must not change.
    #[test]
    fn check_index_finds_what_the_full_index_finds() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/workspace");
        let findings = |project: &Project| {
            let mut all = Vec::new();
            project.check_all(
                |path, _, diagnostics| (path.to_string(), diagnostics),
                |batch| all.extend(batch),
            );
            all
        };
        let full = findings(&Project::load(&root).unwrap());
        let for_check = findings(&Project::load_for_check(&root).unwrap());
        assert!(full.iter().map(|(_, d)| d.len()).sum::<usize>() >= 20);
        assert_eq!(full, for_check);
    }
}

#[cfg(test)]
mod head_tests {
    use super::*;

    /// Indexing for `check` reads only a file's head; what it keeps must be what reading the
    /// whole file and cutting it keeps, also when a character or invalid bytes straddle the
    /// cut.
    #[test]
    fn reading_the_head_keeps_what_cutting_the_whole_file_keeps() {
        let dir = std::env::temp_dir().join(format!("prp-lsp-head-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for shift in 0..6 {
            for tail in ["é€😀".as_bytes(), &b"\xff\xfe abc"[..], "😀😀😀".as_bytes()] {
                let mut bytes = vec![b'a'; HEAD_BYTES - 3 + shift];
                bytes.extend_from_slice(tail);
                bytes.extend(std::iter::repeat_n(b'z', 10_000));
                let path = dir.join("doc.md");
                std::fs::write(&path, &bytes).unwrap();

                let (mut whole, _) = decode(std::fs::read(&path).unwrap());
                truncate_to_head(&mut whole);
                let (mut head, _) = decode(read_head(&path).unwrap());
                truncate_to_head(&mut head);
                assert_eq!(head, whole, "shift {shift}, tail {tail:?}");
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

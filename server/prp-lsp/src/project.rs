//! A workspace on disk, analysed: the configuration, every document's model, and the index
//! the cross-document rules read. The CLI loads one and checks it; the server keeps one
//! current as documents change. All file-system access of the analysis lives here.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use prp_analysis::config::ConfigError;
use prp_analysis::orchestrator::OrchestratorConfig;
use prp_analysis::rules::{invalid_config, invalid_encoding};
use prp_analysis::{check, parse, Config, DocFacts, DocKind, Document, RawConfig, Workspace};

pub const CONFIG_FILES: [&str; 2] = ["prp-lsp.toml", ".prp-lsp.toml"];

/// Folders never worth walking.
const SKIPPED_DIRS: [&str; 7] = [
    ".git",
    "node_modules",
    "target",
    ".venv",
    "venv",
    "__pycache__",
    ".mypy_cache",
];

/// One analysed document.
#[derive(Debug, Clone)]
pub struct Analyzed {
    pub text: Arc<str>,
    pub doc: Arc<Document>,
    /// The editor's version, for open documents.
    pub version: Option<i32>,
    /// Offset of the first invalid byte when the file was not UTF-8.
    pub invalid_utf8_at: Option<usize>,
}

/// A problem with the configuration, reported on the file that caused it.
#[derive(Debug, Clone)]
pub struct ConfigProblem {
    pub path: String,
    pub error: ConfigError,
}

pub struct Project {
    pub root: PathBuf,
    pub config: Arc<Config>,
    /// The file's configuration before editor settings were layered on.
    pub file_config: RawConfig,
    pub editor_settings: Option<RawConfig>,
    pub config_problems: Vec<ConfigProblem>,
    pub ws: Workspace,
    pub docs: HashMap<String, Analyzed>,
}

/// Text of a file read from disk: lossy when it is not UTF-8, with where it broke.
pub fn decode(bytes: Vec<u8>) -> (String, Option<usize>) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(at))
        }
    }
}

/// Workspace-relative path with `/` separators, or `None` outside the root.
pub fn relative_path(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn is_markdown(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// Every file under `root`, relative, honouring `.gitignore` but not hiding dot-folders
/// (teams keep PRPs under `.claude/PRPs/`).
pub fn walk(root: &Path) -> Vec<String> {
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !(e.file_type().is_some_and(|t| t.is_dir()) && SKIPPED_DIRS.contains(&name.as_ref()))
        });
    let (tx, rx) = std::sync::mpsc::channel();
    builder
        .threads(available_threads())
        .build_parallel()
        .run(|| {
            let tx = tx.clone();
            let root = root.to_path_buf();
            Box::new(move |entry| {
                if let Ok(entry) = entry {
                    if entry.file_type().is_some_and(|t| t.is_file()) {
                        if let Some(rel) = relative_path(&root, entry.path()) {
                            let _ = tx.send(rel);
                        }
                    }
                }
                ignore::WalkState::Continue
            })
        });
    drop(tx);
    let mut files: Vec<String> = rx.into_iter().collect();
    files.sort();
    files
}

pub fn available_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .min(8)
}

/// Runs `f` over `items` on all cores, keeping the order.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = available_threads();
    if threads <= 1 || items.len() < 64 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("analysis worker panicked"))
            .collect()
    })
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
            ws: Workspace::new(),
            docs: HashMap::new(),
        }
    }

    /// Reads the configuration and every document under `root`.
    pub fn load(root: &Path) -> std::io::Result<Project> {
        let root = root.canonicalize()?;
        let mut project = Project {
            root: root.clone(),
            ..Project::empty()
        };
        project.ws.root_name = root.file_name().map(|n| n.to_string_lossy().into_owned());
        project.reload_config();
        let files = walk(&root);
        for f in &files {
            project.ws.add_file(f);
        }
        let config = project.config.clone();
        let candidates: Vec<&String> = files
            .iter()
            .filter(|f| {
                is_markdown(f) && prp_analysis::document::classify(f, &config) != DocKind::Other
            })
            .collect();
        let analyzed: Vec<Option<(String, Analyzed)>> = parallel_map(&candidates, |path| {
            let bytes = std::fs::read(root.join(path.as_str())).ok()?;
            Some(((*path).clone(), analyze(path, bytes, &config)))
        });
        for (path, a) in analyzed.into_iter().flatten() {
            project.ws.update_document(&path, DocFacts::of(&a.doc));
            project.docs.insert(path, a);
        }
        Ok(project)
    }

    /// Re-reads `prp-lsp.toml` (and the orchestrator configuration it names). A broken file
    /// keeps the last good configuration and is reported on the file.
    pub fn reload_config(&mut self) -> bool {
        self.config_problems.clear();
        let mut raw = RawConfig::default();
        for name in CONFIG_FILES {
            let path = self.root.join(name);
            if let Ok(bytes) = std::fs::read(&path) {
                let (text, _) = decode(bytes);
                match RawConfig::from_toml(&text) {
                    Ok(r) => raw = r,
                    Err(error) => {
                        self.config_problems.push(ConfigProblem {
                            path: name.to_string(),
                            error,
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
    pub fn set_editor_settings(&mut self, settings: Option<RawConfig>) -> bool {
        self.editor_settings = settings;
        self.rebuild_config()
    }

    fn config_file_name(&self) -> String {
        CONFIG_FILES
            .iter()
            .find(|n| self.root.join(n).exists())
            .unwrap_or(&CONFIG_FILES[0])
            .to_string()
    }

    fn rebuild_config(&mut self) -> bool {
        let raw = match &self.editor_settings {
            Some(s) => self.file_config.clone().merge(s.clone()),
            None => self.file_config.clone(),
        };
        let mut config = match Config::from_raw(&raw) {
            Ok(c) => c,
            Err(error) => {
                self.config_problems.push(ConfigProblem {
                    path: self.config_file_name(),
                    error,
                });
                return false;
            }
        };
        if let Some(rel) = config.orchestrator_path.clone() {
            match self.read_inside_root(&rel) {
                Ok(text) => match OrchestratorConfig::from_json(&text) {
                    Ok(o) => config.orchestrator = Some(o),
                    Err(message) => self.config_problems.push(ConfigProblem {
                        path: rel.clone(),
                        error: ConfigError {
                            message,
                            span: None,
                        },
                    }),
                },
                Err(message) => self.config_problems.push(ConfigProblem {
                    path: self.config_file_name(),
                    error: ConfigError {
                        message: format!("orchestrator-config `{rel}`: {message}"),
                        span: None,
                    },
                }),
            }
        }
        self.ws.set_config_agents(&config);
        self.config = Arc::new(config);
        true
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

    /// Re-classifies and re-parses every document after a configuration change.
    pub fn reanalyze_all(&mut self) {
        let files: Vec<String> = self.docs.keys().cloned().collect();
        for path in files {
            if let Some(a) = self.docs.get(&path).cloned() {
                self.set_text(&path, a.text.to_string(), a.version, a.invalid_utf8_at);
            }
        }
        // Markdown files that become documents under the new configuration.
        let root = self.root.clone();
        for f in walk(&root) {
            if is_markdown(&f)
                && !self.docs.contains_key(&f)
                && prp_analysis::document::classify(&f, &self.config) != DocKind::Other
            {
                if let Ok(bytes) = std::fs::read(root.join(&f)) {
                    let (text, bad) = decode(bytes);
                    self.set_text(&f, text, None, bad);
                }
            }
        }
    }

    /// Stores new text for a document; returns the other documents whose findings may change.
    pub fn set_text(
        &mut self,
        path: &str,
        text: String,
        version: Option<i32>,
        invalid_utf8_at: Option<usize>,
    ) -> Vec<String> {
        self.ws.add_file(path);
        let doc = parse(path, &text, &self.config);
        if doc.kind == DocKind::Other {
            let old = self.ws.remove_document(path);
            self.docs.remove(path);
            return self.ws.dependents(path, old.as_ref(), None);
        }
        let facts = DocFacts::of(&doc);
        let old = self.ws.update_document(path, facts.clone());
        self.docs.insert(
            path.to_string(),
            Analyzed {
                text: text.into(),
                doc: Arc::new(doc),
                version,
                invalid_utf8_at,
            },
        );
        self.ws.dependents(path, old.as_ref(), Some(&facts))
    }

    /// A file was deleted; returns the documents whose findings may change.
    pub fn remove_file(&mut self, path: &str) -> Vec<String> {
        let old = self.ws.facts(path).cloned();
        self.ws.remove_file(path);
        self.docs.remove(path);
        let mut deps = self.ws.dependents(path, old.as_ref(), None);
        // References to the file by name (non-PRP files are not in the reverse index).
        deps.extend(self.referrers_of(path));
        deps.sort();
        deps.dedup();
        deps
    }

    /// A file appeared on disk (any file: it may satisfy a reference).
    pub fn add_file_from_disk(&mut self, path: &str) -> Vec<String> {
        let mut deps = self.referrers_of(path);
        if is_markdown(path) {
            if let Ok(bytes) = std::fs::read(self.root.join(path)) {
                let (text, bad) = decode(bytes);
                deps.extend(self.set_text(path, text, None, bad));
            }
        } else {
            self.ws.add_file(path);
        }
        deps.sort();
        deps.dedup();
        deps.retain(|d| d != path);
        deps
    }

    /// Documents that mention a file by its name in any reference.
    fn referrers_of(&self, path: &str) -> Vec<String> {
        let name = path.rsplit('/').next().unwrap_or(path);
        self.docs
            .iter()
            .filter(|(p, a)| {
                p.as_str() != path
                    && a.doc.references.iter().any(|r| {
                        r.target.rsplit('/').next() == Some(name)
                            || r.target.trim_end_matches('/').ends_with(name)
                    })
            })
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// Findings for one document.
    pub fn diagnostics(&self, path: &str) -> Vec<prp_analysis::Diagnostic> {
        let Some(a) = self.docs.get(path) else {
            return Vec::new();
        };
        let mut out = check(&a.doc, &a.text, &self.ws, &self.config);
        if let Some(at) = a.invalid_utf8_at {
            out.insert(0, invalid_encoding(at));
        }
        out
    }

    /// Findings on configuration files, keyed by workspace-relative path.
    pub fn config_diagnostics(&self) -> Vec<(String, prp_analysis::Diagnostic)> {
        self.config_problems
            .iter()
            .map(|p| {
                (
                    p.path.clone(),
                    invalid_config(&p.error.message, p.error.span.clone()),
                )
            })
            .collect()
    }

    /// Every document's findings, in path order, computed on all cores.
    pub fn check_all(&self) -> Vec<(String, Vec<prp_analysis::Diagnostic>)> {
        let mut paths: Vec<&String> = self.docs.keys().collect();
        paths.sort();
        parallel_map(&paths, |p| ((*p).clone(), self.diagnostics(p)))
    }

    pub fn absolute(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }
}

pub fn analyze(path: &str, bytes: Vec<u8>, config: &Config) -> Analyzed {
    let (text, invalid_utf8_at) = decode(bytes);
    let doc = parse(path, &text, config);
    Analyzed {
        text: text.into(),
        doc: Arc::new(doc),
        version: None,
        invalid_utf8_at,
    }
}

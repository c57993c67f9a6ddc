//! What the analysis knows of the rest of the workspace: which files exist, and the facts
//! each document contributes to cross-document rules (PRP numbers and places, agents).
//! The owner (server or CLI) keeps it current; rules only read it.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::config::Config;
use crate::document::scan::{self, Date};
use crate::document::{DocKind, Document, Lifecycle, PrpNumber, ReferenceKind};
use crate::status::model::StatusSnapshot;

/// Facts one document contributes to the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocFacts {
    pub kind: DocKind,
    pub title: Option<String>,
    pub number: Option<PrpNumber>,
    pub lifecycle: Lifecycle,
    pub status: Option<String>,
    pub checked: usize,
    pub total: usize,
    pub agent: Option<AgentFacts>,
    /// File (and folder) names this document refers to, for re-validation when such a file
    /// appears, moves or disappears.
    pub referenced_names: BTreeSet<String>,
    /// PRP numbers it mentions (`PRP-07`), for find-references by number.
    pub mentioned_numbers: BTreeSet<u32>,
    /// Agents this document assigns work to.
    pub assigned_agents: BTreeSet<String>,
    /// The document's tasks, for workspace symbols and per-agent workload.
    pub tasks: Vec<TaskFact>,
    /// The completion date a PRP states (`**Completed**: 2026-11-02`, a date on its Status).
    pub finished_on: Option<Date>,
    /// When the PRP is due (see [`crate::document::Metadata::due_on`]).
    pub due_on: Option<Date>,
    /// On a task board: PRPs (by file name) its ticked items date (see
    /// [`crate::document::Document::finished_prps`]).
    pub board_finished: Vec<(String, Date)>,
    /// A PRP with pre-deployment checklist items that name a gate: its findings follow the
    /// evidence.
    pub gate_checklist: bool,
}

/// A task as the index remembers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFact {
    pub number: Option<u32>,
    pub title: String,
    /// Zero-based line of the task's heading or line.
    pub line: u32,
    /// Normalized id of the assigned agent.
    pub assignee: Option<String>,
    /// Settled: ticked, struck through, or all of its steps ticked (not open work).
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentFacts {
    pub id: String,
    pub name: Option<String>,
    /// Where the agent is defined (a context file or the orchestrator configuration).
    pub source: String,
    pub scope: Vec<String>,
    pub enabled: bool,
    pub max_concurrent: Option<u32>,
}

impl DocFacts {
    /// The facts other documents' rules read: whether it is a PRP (stale paths, unknown
    /// PRPs), its number (duplicates), the agent it defines (unknown agents) and the open
    /// tasks it gives each agent (the workload behind agent-idle and agent-overloaded).
    /// Nothing else of one document changes another's findings; `dependents` relies on this.
    pub fn seen_by_others(&self) -> (DocKind, Option<&PrpNumber>, Option<&AgentFacts>, Vec<&str>) {
        (
            self.kind,
            self.number.as_ref(),
            self.agent.as_ref(),
            self.open_assignments(),
        )
    }

    /// Assignees of the open tasks, sorted (what this document adds to the workload).
    fn open_assignments(&self) -> Vec<&str> {
        if self.lifecycle == Lifecycle::Finished {
            return Vec::new();
        }
        let mut open: Vec<&str> = self
            .tasks
            .iter()
            .filter(|t| !t.done)
            .filter_map(|t| t.assignee.as_deref())
            .collect();
        open.sort_unstable();
        open
    }

    pub fn of(doc: &Document) -> DocFacts {
        // Names repeat (`main.py`, `README.md`): one string each.
        let mut names: Vec<&str> = doc
            .references
            .iter()
            .filter(|r| r.kind != ReferenceKind::Url)
            .filter_map(|r| r.target.trim_end_matches('/').rsplit('/').next())
            .collect();
        names.sort_unstable();
        names.dedup();
        let referenced_names = names.into_iter().map(str::to_string).collect();
        let tasks = doc
            .tasks
            .iter()
            .map(|t| TaskFact {
                number: t.number,
                title: t.title.clone(),
                line: t.line,
                assignee: t.assignee.as_ref().map(|a| normalize_agent_id(&a.value)),
                done: doc.is_settled(t),
            })
            .collect();
        DocFacts {
            kind: doc.kind,
            title: doc.metadata.title.as_ref().map(|t| t.value.clone()),
            number: doc.metadata.number.clone(),
            lifecycle: doc.lifecycle,
            status: doc.metadata.status.as_ref().map(|s| s.value.clone()),
            checked: doc.checklist.iter().filter(|c| c.checked).count(),
            total: doc.checklist.len(),
            agent: doc.agent.as_ref().map(|a| AgentFacts {
                id: a.id.clone(),
                name: a.name.clone(),
                source: doc.path.clone(),
                scope: a.scope.iter().map(|s| s.value.clone()).collect(),
                enabled: true,
                max_concurrent: None,
            }),
            referenced_names,
            mentioned_numbers: doc.number_mentions().map(|m| m.value).collect(),
            assigned_agents: doc
                .tasks
                .iter()
                .filter_map(|t| t.assignee.as_ref())
                .map(|a| normalize_agent_id(&a.value))
                .collect(),
            tasks,
            gate_checklist: doc.kind == DocKind::Prp && crate::gates::has_gate_items(doc),
            finished_on: FINISHED_KEYS
                .iter()
                .filter_map(|k| doc.metadata.key(k))
                .chain(doc.metadata.status.as_ref())
                .find_map(|v| scan::dates(&v.value).first().map(|d| d.1)),
            due_on: doc.metadata.due_on,
            board_finished: doc.finished_prps.clone(),
        }
    }
}

/// Header keys that date a PRP's completion.
const FINISHED_KEYS: [&str; 5] = ["completed", "finished", "archived", "done", "completed on"];

pub use crate::document::scan::normalize_agent_id;

/// Where a reference resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Found(String),
    Missing,
}

#[derive(Debug, Default, Clone)]
pub struct Workspace {
    files: HashSet<String>,
    dirs: HashSet<String>,
    by_name: HashMap<String, Vec<String>>,
    /// Folders by their last component, for tail matches of folder references.
    dir_names: HashMap<String, Vec<String>>,
    docs: HashMap<String, DocFacts>,
    numbers: HashMap<(String, PrpNumber), BTreeSet<String>>,
    /// Agents defined by context files, keyed by normalized id, then by defining path.
    file_agents: BTreeMap<String, BTreeMap<String, AgentFacts>>,
    config_agents: BTreeMap<String, AgentFacts>,
    /// The workspace folder's own name: scope paths often start with it (`/band-platform/…`).
    root_name: Option<String>,
    /// Quality gate reports by PRP path, kept by the owner (see [`crate::gates`]).
    gate_reports: HashMap<String, crate::gates::GateReport>,
    /// The gate evidence read by the owner, and when (unix seconds): PRPs without a stored
    /// report are evaluated against it when checked. `None` until the owner reads it.
    evidence: Option<(std::sync::Arc<crate::gates::Evidence>, i64)>,
    /// When each document was last saved (unix seconds), as the owner read it: evidence
    /// older than its PRP's last change is stale.
    saved_at: HashMap<String, i64>,
    /// What the orchestrator last reported of its agents; `None` until the owner reads it.
    status: Option<StatusSnapshot>,
    /// Open tasks per agent, kept as documents change (every document's alerts and
    /// every routed task read it; recounting the workspace per keystroke would make an
    /// edit cost the size of the workspace).
    workload: HashMap<String, usize>,
    /// The agents as routing reads them, built on first use after an agent or a file
    /// changed (every task of every document is routed against it).
    agent_index: std::sync::OnceLock<std::sync::Arc<AgentIndex>>,
    /// Routing results kept between checks; a new memo whenever something routing reads
    /// changes (agents, files, workload, agent status). Off unless the owner turns it on.
    routes: crate::assign::RouteMemo,
    /// Whether a large document's check is split over two threads (see
    /// [`Workspace::split_large_checks`]).
    split_checks: bool,
}

/// The workspace's agents indexed for routing: spellings normalized once, the folders their
/// scopes hold, and agents by hint, so that routing a task costs what the task names rather
/// than the number of agents.
#[derive(Debug, Default)]
pub struct AgentIndex {
    /// As [`Workspace::agents`] lists them.
    agents: Vec<AgentFacts>,
    /// Normalized id and name of each agent of `agents`.
    spellings: Vec<(String, Option<String>)>,
    /// Context-file agents by normalized display name (the first one wins).
    by_name: HashMap<String, usize>,
    /// Workspace-relative folder → (agent, scope entry) whose scope means that folder.
    folders: HashMap<String, Vec<(usize, usize)>>,
    /// Agents whose id or name contains one of the hints, per hint list asked so far.
    hinted: std::sync::Mutex<HashMap<Vec<String>, std::sync::Arc<[usize]>>>,
}

impl AgentIndex {
    fn build(ws: &Workspace) -> AgentIndex {
        let agents: Vec<AgentFacts> = ws.agents().into_iter().cloned().collect();
        let spellings: Vec<(String, Option<String>)> = agents
            .iter()
            .map(|a| {
                let name = a.name.as_deref().map(normalize_agent_id);
                (normalize_agent_id(&a.id), name)
            })
            .collect();
        let position: HashMap<&str, usize> = spellings
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (id.as_str(), i))
            .collect();
        let mut by_name = HashMap::new();
        for (id, defined) in &ws.file_agents {
            for a in defined.values() {
                let name = a.name.as_deref().map(normalize_agent_id);
                if let (Some(name), Some(&at)) = (name, position.get(id.as_str())) {
                    by_name.entry(name).or_insert(at);
                }
            }
        }
        let mut folders: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (i, agent) in agents.iter().enumerate() {
            for (j, scope) in agent.scope.iter().enumerate() {
                for folder in ws.scope_folders(scope) {
                    folders.entry(folder).or_default().push((i, j));
                }
            }
        }
        AgentIndex {
            agents,
            spellings,
            by_name,
            folders,
            hinted: Default::default(),
        }
    }

    pub fn agents(&self) -> &[AgentFacts] {
        &self.agents
    }

    /// Agents whose normalized id or name contains one of the (normalized) hints, in
    /// [`Workspace::agents`] order.
    pub fn hinted(&self, hints: &[String]) -> std::sync::Arc<[usize]> {
        let mut cache = self.hinted.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = cache.get(hints) {
            return std::sync::Arc::clone(found);
        }
        let fits = |s: &str| hints.iter().any(|h| s.contains(h.as_str()));
        let found: std::sync::Arc<[usize]> = self
            .spellings
            .iter()
            .enumerate()
            .filter(|(_, (id, name))| fits(id) || name.as_deref().is_some_and(fits))
            .map(|(i, _)| i)
            .collect();
        cache.insert(hints.to_vec(), std::sync::Arc::clone(&found));
        found
    }

    /// (agent, scope entry, folder) for every scope folder that holds `path` (the path
    /// itself or one of its parent folders): positions in [`AgentIndex::agents`] and in
    /// that agent's scope.
    pub fn holding(&self, path: &str) -> Vec<(usize, usize, &str)> {
        let path = path.trim_end_matches('/');
        let parents = path.match_indices('/').map(|(i, _)| &path[..i]);
        let mut found = Vec::new();
        for folder in std::iter::once(path).chain(parents) {
            if let Some((folder, holders)) = self.folders.get_key_value(folder) {
                for &(i, j) in holders {
                    found.push((i, j, folder.as_str()));
                }
            }
        }
        found
    }
}

/// The `PRPs` folder a PRP belongs to: numbers are unique within it.
pub fn prp_namespace(path: &str) -> String {
    let lower = path.to_ascii_lowercase();
    let Some(i) = lower
        .find("prps/")
        .filter(|&i| i == 0 || lower.as_bytes()[i - 1] == b'/')
    else {
        return String::new();
    };
    // A folder of superseded copies (`PRPs/orig/`, `PRPs/old/`) keeps its own numbers: the
    // series it replaced reuses them by design. `archive/` is the same series, moved.
    let mut offset = i + 5;
    let inner: Vec<&str> = path[offset..].split('/').collect();
    for folder in &inner[..inner.len() - 1] {
        if SUPERSEDED_FOLDERS.contains(&folder.to_ascii_lowercase().as_str()) {
            return path[..offset + folder.len()].to_string();
        }
        offset += folder.len() + 1;
    }
    path[..i + 4].to_string()
}

/// Folders of old copies kept beside the live PRPs.
const SUPERSEDED_FOLDERS: [&str; 8] = [
    "orig",
    "original",
    "old",
    "superseded",
    "deprecated",
    "obsolete",
    "legacy",
    "previous",
];

impl Workspace {
    pub fn new() -> Self {
        Self::default()
    }

    /// A workspace that knows these files exist (and nothing of their content).
    pub fn with_files<'a>(files: impl IntoIterator<Item = &'a str>) -> Self {
        let mut ws = Self::default();
        for f in files {
            ws.add_file(f);
        }
        ws
    }

    /// The workspace folder's own name (scope paths often start with it).
    pub fn set_root_name(&mut self, name: Option<String>) {
        if self.root_name != name {
            self.root_name = name;
            // Scopes and paths may resolve elsewhere now.
            self.agent_index = Default::default();
            self.routes.forget();
        }
    }

    /// Records that a file exists (any file, not only Markdown).
    pub fn add_file(&mut self, path: &str) {
        if !self.files.insert(path.to_string()) {
            return;
        }
        // A new file can make a scope resolve elsewhere.
        self.agent_index = Default::default();
        self.routes.forget();
        let mut dir = path;
        while let Some((parent, _)) = dir.rsplit_once('/') {
            if !self.dirs.insert(parent.to_string()) {
                break;
            }
            let name = parent.rsplit('/').next().unwrap_or(parent);
            self.dir_names
                .entry(name.to_string())
                .or_default()
                .push(parent.to_string());
            dir = parent;
        }
        let name = path.rsplit('/').next().unwrap_or(path).to_string();
        self.by_name.entry(name).or_default().push(path.to_string());
    }

    pub fn remove_file(&mut self, path: &str) {
        if self.files.remove(path) {
            self.agent_index = Default::default();
            self.routes.forget();
            let name = path.rsplit('/').next().unwrap_or(path);
            if let Some(v) = self.by_name.get_mut(name) {
                v.retain(|p| p != path);
            }
            // Folders are kept: a folder emptied on disk still existed as a scope until rescanned.
        }
        self.remove_document(path);
    }

    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    /// Every known file, in no particular order.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(String::as_str)
    }

    pub fn exists(&self, path: &str) -> bool {
        let path = path.trim_end_matches('/');
        path.is_empty() || self.files.contains(path) || self.dirs.contains(path)
    }

    pub fn is_dir(&self, path: &str) -> bool {
        self.dirs.contains(path.trim_end_matches('/'))
    }

    /// Stores a document's facts; returns the previous facts.
    pub fn update_document(&mut self, path: &str, facts: DocFacts) -> Option<DocFacts> {
        let old = self.remove_document_keeping_routes(path);
        // Routing reads the workload and the agents, not the rest of a document's facts.
        let old_load = old.as_ref().map(DocFacts::open_assignments);
        if old_load.unwrap_or_default() != facts.open_assignments()
            || facts.agent.is_some()
            || old.as_ref().is_some_and(|o| o.agent.is_some())
        {
            self.routes.forget();
        }
        for agent in facts.open_assignments() {
            *self.workload.entry(agent.to_string()).or_default() += 1;
        }
        if let Some(n) = &facts.number {
            self.numbers
                .entry((prp_namespace(path), n.clone()))
                .or_default()
                .insert(path.to_string());
        }
        if let Some(a) = &facts.agent {
            self.agent_index = Default::default();
            self.file_agents
                .entry(normalize_agent_id(&a.id))
                .or_default()
                .insert(path.to_string(), a.clone());
        }
        self.docs.insert(path.to_string(), facts);
        old
    }

    pub fn remove_document(&mut self, path: &str) -> Option<DocFacts> {
        let old = self.remove_document_keeping_routes(path)?;
        if !old.open_assignments().is_empty() || old.agent.is_some() {
            self.routes.forget();
        }
        Some(old)
    }

    /// [`Workspace::remove_document`] but for the routing memo: the caller decides.
    fn remove_document_keeping_routes(&mut self, path: &str) -> Option<DocFacts> {
        let old = self.docs.remove(path)?;
        for agent in old.open_assignments() {
            if let Some(n) = self.workload.get_mut(agent) {
                *n -= 1;
                if *n == 0 {
                    self.workload.remove(agent);
                }
            }
        }
        if let Some(n) = &old.number {
            let key = (prp_namespace(path), n.clone());
            if let Some(set) = self.numbers.get_mut(&key) {
                set.remove(path);
                if set.is_empty() {
                    self.numbers.remove(&key);
                }
            }
        }
        if let Some(a) = &old.agent {
            self.agent_index = Default::default();
            let id = normalize_agent_id(&a.id);
            if let Some(m) = self.file_agents.get_mut(&id) {
                m.remove(path);
                if m.is_empty() {
                    self.file_agents.remove(&id);
                }
            }
        }
        Some(old)
    }

    /// Agents from the configuration (orchestrator import); replaces the previous set.
    pub fn set_config_agents(&mut self, config: &Config) {
        self.agent_index = Default::default();
        self.routes.forget();
        self.config_agents.clear();
        if let Some(o) = config.orchestrator() {
            for a in &o.agents {
                self.config_agents.insert(
                    normalize_agent_id(&a.id),
                    AgentFacts {
                        id: a.id.clone(),
                        name: None,
                        source: config.orchestrator_path.clone().unwrap_or_default(),
                        scope: Vec::new(),
                        enabled: a.enabled,
                        max_concurrent: a.max_concurrent,
                    },
                );
            }
        }
    }

    /// Replaces the agent status snapshot (status files, endpoint, the time they are judged at).
    pub fn set_status(&mut self, snapshot: StatusSnapshot) {
        self.status = Some(snapshot);
        self.routes.forget();
    }

    /// The workspace has no agent status source: no agent alerts.
    pub fn clear_status(&mut self) {
        if self.status.take().is_some() {
            self.routes.forget();
        }
    }

    /// Keeps task routing results between checks of a document, for an owner that checks the
    /// same documents again and again (the server, on each edit). Results are dropped
    /// whenever the agents, the files, the workload or the agent status change; the
    /// configuration is not watched: change it through [`Workspace::set_config_agents`],
    /// which drops them too, and check with that configuration from then on.
    pub fn remember_routes(&mut self) {
        if !self.routes.is_on() {
            self.routes = crate::assign::RouteMemo::on();
        }
    }

    /// Checks a large document's references on a second thread while its other rules run:
    /// for an owner that checks one document while someone waits (the server, on each
    /// edit). A batch of documents (`prp-lsp check`) already keeps every core busy, and a
    /// second thread there only adds its memory.
    pub fn split_large_checks(&mut self) {
        self.split_checks = true;
    }

    pub(crate) fn splits_large_checks(&self) -> bool {
        self.split_checks
    }

    pub(crate) fn route_memo(&self) -> &crate::assign::RouteMemo {
        &self.routes
    }

    pub fn status(&self) -> Option<&StatusSnapshot> {
        self.status.as_ref()
    }

    /// Stores the gate report of a PRP; `check` reads it for the PRP's checklist.
    pub fn set_gate_report(&mut self, path: &str, report: crate::gates::GateReport) {
        self.gate_reports.insert(path.to_string(), report);
    }

    pub fn gate_report(&self, path: &str) -> Option<&crate::gates::GateReport> {
        self.gate_reports.get(path)
    }

    pub fn remove_gate_report(&mut self, path: &str) -> Option<crate::gates::GateReport> {
        self.gate_reports.remove(path)
    }

    /// Stores the workspace's gate evidence and the time it is judged at.
    pub fn set_evidence(&mut self, evidence: std::sync::Arc<crate::gates::Evidence>, now: i64) {
        self.evidence = Some((evidence, now));
    }

    /// Moves the time evidence is judged at (ages in messages).
    pub fn set_evidence_time(&mut self, now: i64) {
        if let Some((_, at)) = &mut self.evidence {
            *at = now;
        }
    }

    pub fn evidence(&self) -> Option<(&crate::gates::Evidence, i64)> {
        self.evidence.as_ref().map(|(e, now)| (e.as_ref(), *now))
    }

    pub fn set_saved_at(&mut self, path: &str, seconds: i64) {
        self.saved_at.insert(path.to_string(), seconds);
    }

    /// When the document was last saved; `i64::MIN` when unknown (nothing is stale then).
    pub fn saved_at(&self, path: &str) -> i64 {
        self.saved_at.get(path).copied().unwrap_or(i64::MIN)
    }

    /// Open tasks per agent (normalized id) across the workspace's unfinished documents.
    pub fn workload(&self) -> &HashMap<String, usize> {
        &self.workload
    }

    pub fn facts(&self, path: &str) -> Option<&DocFacts> {
        self.docs.get(path)
    }

    pub fn documents(&self) -> impl Iterator<Item = (&String, &DocFacts)> {
        self.docs.iter()
    }

    /// PRP file name → the latest completion date any task board gives it.
    pub fn board_completion_dates(&self) -> HashMap<&str, Date> {
        let mut dates: HashMap<&str, Date> = HashMap::new();
        for (_, f) in self
            .docs
            .iter()
            .filter(|(_, f)| f.kind == DocKind::TaskBoard)
        {
            for (name, date) in &f.board_finished {
                let best = dates.entry(name.as_str()).or_insert(*date);
                *best = (*best).max(*date);
            }
        }
        dates
    }

    /// When a finished PRP was finished: the date it states, else the latest a task board
    /// gives it (`dates` from [`Workspace::board_completion_dates`]).
    pub fn finished_on(&self, path: &str, dates: &HashMap<&str, Date>) -> Option<Date> {
        let facts = self.docs.get(path)?;
        let name = path.rsplit('/').next().unwrap_or(path);
        facts.finished_on.or_else(|| dates.get(name).copied())
    }

    /// PRPs sharing a number in the same `PRPs` folder.
    pub fn prps_numbered(&self, path: &str, number: &PrpNumber) -> Vec<&str> {
        self.numbers
            .get(&(prp_namespace(path), number.clone()))
            .map(|s| s.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// The one PRP numbered `number` (in any `PRPs` folder), `None` when there is none or
    /// more than one: a `PRP-07` mention then names no PRP for certain.
    pub fn prp_numbered(&self, number: u32) -> Option<&str> {
        let mut found = self
            .numbers
            .iter()
            .filter(|((_, n), _)| n.number == number)
            .flat_map(|(_, paths)| paths.iter());
        let first = found.next()?;
        found.next().is_none().then_some(first.as_str())
    }

    /// PRP documents with this file name.
    pub fn prps_named(&self, file_name: &str) -> Vec<&str> {
        let mut found: Vec<&str> = self
            .by_name
            .get(file_name)
            .into_iter()
            .flatten()
            .filter(|p| self.docs.get(*p).is_some_and(|f| f.kind == DocKind::Prp))
            .map(String::as_str)
            .collect();
        found.sort();
        found
    }

    pub fn has_agents(&self) -> bool {
        !self.file_agents.is_empty() || !self.config_agents.is_empty()
    }

    /// An agent by any of its spellings (id, `x_agent`, display name).
    pub fn agent(&self, name: &str) -> Option<&AgentFacts> {
        let id = normalize_agent_id(name);
        if let Some(a) = self.file_agents.get(&id).and_then(|m| m.values().next()) {
            return Some(a);
        }
        if let Some(a) = self.config_agents.get(&id) {
            return Some(a);
        }
        let index = self.agent_index();
        let at = *index.by_name.get(&id)?;
        let found = &index.agents[at];
        self.file_agents
            .get(&normalize_agent_id(&found.id))
            .and_then(|m| m.values().next())
    }

    /// The agents indexed for routing (built once per change of agents or files).
    pub fn agent_index(&self) -> &AgentIndex {
        self.agent_index
            .get_or_init(|| std::sync::Arc::new(AgentIndex::build(self)))
    }

    /// The folders a scope entry may mean (workspace-relative, as the scope rule reads
    /// them).
    pub fn scope_folders(&self, scope: &str) -> Vec<String> {
        let mut folders = match self.resolve("", scope) {
            Resolution::Found(path) => vec![path],
            Resolution::Missing => {
                let written = scope.trim_start_matches("./").trim_matches('/');
                let mut readings = vec![written.to_string()];
                // A folder not created yet: `/band-platform/backend/` is usually the
                // project's own name followed by a folder of the workspace.
                if let (true, Some((_, rest))) = (scope.starts_with('/'), written.split_once('/')) {
                    readings.push(rest.to_string());
                }
                readings
            }
        };
        folders.retain(|f| !f.is_empty() && f != ".");
        folders
    }

    pub fn agents(&self) -> Vec<&AgentFacts> {
        let mut all: Vec<&AgentFacts> = self
            .file_agents
            .values()
            .filter_map(|m| m.values().next())
            .collect();
        all.extend(
            self.config_agents
                .iter()
                .filter(|(id, _)| !self.file_agents.contains_key(*id))
                .map(|(_, a)| a),
        );
        all
    }

    /// Resolves a path written in `from_doc`: relative to its folder, then to the workspace
    /// root, then (for paths with a folder part) as the tail of a unique workspace path.
    pub fn resolve(&self, from_doc: &str, target: &str) -> Resolution {
        let target = target.trim();
        let target: std::borrow::Cow<str> = if target.contains('\\') {
            target.replace('\\', "/").into()
        } else {
            target.into()
        };
        let dir = from_doc.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        // Candidates in order, each built only when the one before it does not exist.
        let existing = |candidate: Option<String>| candidate.filter(|c| self.exists(c));
        if let Some(root_relative) = target.strip_prefix('/') {
            if let Some(found) = existing(normalize_path("", root_relative)) {
                return Resolution::Found(found);
            }
            // `/band-platform/frontend/` written from the repository's parent folder: try
            // without the first part, unless nothing is left (`/docker/` is not the root).
            if let Some((first, rest)) = root_relative.split_once('/') {
                let rest_is_a_path = !rest.trim_matches('/').is_empty();
                if rest_is_a_path
                    && (self.root_name.as_deref().is_none_or(|r| r == first) || !self.exists(first))
                {
                    if let Some(found) = existing(normalize_path("", rest)) {
                        return Resolution::Found(found);
                    }
                }
            }
        } else if let Some(found) =
            existing(normalize_path(dir, &target)).or_else(|| existing(normalize_path("", &target)))
        {
            return Resolution::Found(found);
        }
        // Tail match: `src/app.py` written relative to a sub-project.
        let tail = target.trim_start_matches("./").trim_start_matches('/');
        let tail = tail.trim_start_matches("../");
        let tail = tail.trim_end_matches('/');
        // A bare file name (`MODIFY mobile.rs`) names whichever file has that name.
        if !tail.contains('/') && !tail.is_empty() {
            if let Some(p) = self.by_name.get(tail).and_then(|v| v.first()) {
                return Resolution::Found(p.clone());
            }
        }
        if tail.contains('/') {
            let name = tail.rsplit('/').next().unwrap_or(tail);
            // `…/tail`, without building the string for every path compared.
            let ends_with_tail =
                |p: &&String| p.strip_suffix(tail).is_some_and(|head| head.ends_with('/'));
            if let Some(p) = self
                .by_name
                .get(name)
                .into_iter()
                .flatten()
                .find(ends_with_tail)
            {
                return Resolution::Found(p.clone());
            }
            if let Some(d) = self
                .dir_names
                .get(name)
                .into_iter()
                .flatten()
                .find(ends_with_tail)
            {
                return Resolution::Found(d.clone());
            }
        }
        Resolution::Missing
    }

    /// Documents whose findings may change when `path`'s facts change from `old` to `new`.
    pub fn dependents(
        &self,
        path: &str,
        old: Option<&DocFacts>,
        new: Option<&DocFacts>,
    ) -> Vec<String> {
        // Other documents' rules see only a document's existence, kind, number and agent
        // definition; edits to anything else (every keystroke in a PRP's body) concern
        // that document alone.
        if old.map(DocFacts::seen_by_others) == new.map(DocFacts::seen_by_others) {
            return Vec::new();
        }
        let name = path.rsplit('/').next().unwrap_or(path);
        let mut out: BTreeSet<String> = BTreeSet::new();
        for facts in [old, new].into_iter().flatten() {
            if let Some(n) = &facts.number {
                out.extend(self.prps_numbered(path, n).into_iter().map(str::to_string));
            }
        }
        // A new agent definition or a changed workload concerns every document that
        // assigns work (unknown-agent, agent-idle, agent-overloaded).
        let agents_changed = old.and_then(|f| f.agent.as_ref())
            != new.and_then(|f| f.agent.as_ref())
            || old.map(DocFacts::open_assignments).unwrap_or_default()
                != new.map(DocFacts::open_assignments).unwrap_or_default();
        let kind_changed = old.map(|f| f.kind) != new.map(|f| f.kind);
        for (p, f) in &self.docs {
            if f.referenced_names.contains(name)
                || (agents_changed && !f.assigned_agents.is_empty())
                || (kind_changed && f.kind == DocKind::TaskBoard)
            {
                out.insert(p.clone());
            }
        }
        out.remove(path);
        out.into_iter().collect()
    }
}

/// Joins and normalizes a relative path; `None` when it climbs above the root.
pub fn normalize_path(dir: &str, target: &str) -> Option<String> {
    // Most paths are already normal (`src/app.py`): joined without splitting them up.
    let plain = |p: &str| {
        !p.is_empty()
            && !p.starts_with('/')
            && !p.ends_with('/')
            && p.split('/').all(|c| !matches!(c, "" | "." | ".."))
    };
    if plain(target) && (dir.is_empty() || plain(dir)) {
        return Some(if dir.is_empty() {
            target.to_string()
        } else {
            [dir, "/", target].concat()
        });
    }
    let mut parts: Vec<&str> = if dir.is_empty() {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    for piece in target.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ws(files: &[&str]) -> Workspace {
        Workspace::with_files(files.iter().copied())
    }

    #[test]
    fn paths_are_joined_and_normalised() {
        let cases = [
            ("", "src/app.py", Some("src/app.py")),
            ("docs", "api.md", Some("docs/api.md")),
            (
                "PRPs/active",
                "../archive/02_x.md",
                Some("PRPs/archive/02_x.md"),
            ),
            ("docs", "./guides//setup.md/", Some("docs/guides/setup.md")),
            ("docs", "", Some("docs")),
            ("", "../outside.md", None),
            ("a", "../../outside.md", None),
        ];
        for (dir, target, expected) in cases {
            assert_eq!(
                normalize_path(dir, target).as_deref(),
                expected,
                "`{target}` from `{dir}`"
            );
        }
    }

    /// The workload is kept as documents change; it must equal a count from scratch.
    #[test]
    fn workload_follows_changes() {
        let config = Config::default();
        let facts = |text: &str| DocFacts::of(&crate::parse("TASK.md", text, &config));
        let two = "# Tasks\n\n## Active\n\n- [ ] a @backend\n- [ ] b @backend\n- [x] c @frontend\n";
        let one = "# Tasks\n\n## Active\n\n- [ ] a @backend\n- [ ] b @frontend\n";
        let mut w = ws(&[]);
        w.update_document("TASK.md", facts(two));
        w.update_document("web/TASK.md", facts(one));
        let count = |w: &Workspace| {
            let mut load: HashMap<String, usize> = HashMap::new();
            for f in w.docs.values() {
                for a in f.open_assignments() {
                    *load.entry(a.to_string()).or_default() += 1;
                }
            }
            load
        };
        assert_eq!(w.workload(), &count(&w));
        assert_eq!(w.workload().values().sum::<usize>(), 4);
        w.update_document("TASK.md", facts(one));
        assert_eq!(w.workload(), &count(&w));
        w.remove_document("web/TASK.md");
        w.remove_file("TASK.md");
        assert!(w.workload().is_empty(), "{:?}", w.workload());
    }

    #[test]
    fn resolution_order() {
        let w = ws(&["PRPs/active/01_x.md", "docs/a.md", "backend/src/app.py"]);
        assert_eq!(
            w.resolve("PRPs/active/01_x.md", "../../docs/a.md"),
            Resolution::Found("docs/a.md".into())
        );
        assert_eq!(
            w.resolve("PRPs/active/01_x.md", "docs/a.md"),
            Resolution::Found("docs/a.md".into())
        );
        assert_eq!(
            w.resolve("PRPs/active/01_x.md", "/docs/a.md"),
            Resolution::Found("docs/a.md".into())
        );
        assert_eq!(
            w.resolve("PRPs/active/01_x.md", "src/app.py"),
            Resolution::Found("backend/src/app.py".into())
        );
        assert_eq!(
            w.resolve("PRPs/active/01_x.md", "docs/"),
            Resolution::Found("docs".into())
        );
        // A bare file name names the file of that name wherever it is.
        assert_eq!(
            w.resolve("PRPs/active/01_x.md", "app.py"),
            Resolution::Found("backend/src/app.py".into())
        );
        assert_eq!(
            w.resolve("PRPs/active/01_x.md", "main.py"),
            Resolution::Missing
        );
        assert_eq!(
            w.resolve("PRPs/active/01_x.md", "../../../x"),
            Resolution::Missing
        );
    }

    #[test]
    fn monorepo_prefixed_scope_paths() {
        let mut w = ws(&["frontend/src/App.tsx"]);
        w.set_root_name(Some("band-platform".into()));
        assert_eq!(
            w.resolve("agent_contexts/a.md", "/band-platform/frontend/"),
            Resolution::Found("frontend".into())
        );
    }

    #[test]
    fn only_facts_other_documents_read_make_dependents() {
        let config = Config::default();
        let mut w = ws(&["TASK.md"]);
        let board = crate::parse("TASK.md", "- [ ] see PRPs/active/03_a.md\n", &config);
        w.update_document("TASK.md", DocFacts::of(&board));
        let other = crate::parse("PRPs/planning/03_b.md", "# B\n", &config);
        w.update_document("PRPs/planning/03_b.md", DocFacts::of(&other));
        let before = DocFacts::of(&crate::parse(
            "PRPs/active/03_a.md",
            "# A\n- [ ] x\n",
            &config,
        ));
        w.update_document("PRPs/active/03_a.md", before.clone());
        // Ticking a box or retitling changes nothing for other documents.
        let edited = DocFacts::of(&crate::parse(
            "PRPs/active/03_a.md",
            "# A2\n- [x] x\n",
            &config,
        ));
        assert!(w
            .dependents("PRPs/active/03_a.md", Some(&before), Some(&edited))
            .is_empty());
        // Disappearing touches the PRP sharing its number and the board naming it.
        assert_eq!(
            w.dependents("PRPs/active/03_a.md", Some(&before), None),
            ["PRPs/planning/03_b.md", "TASK.md"]
        );
    }

    #[test]
    fn agent_spellings() {
        assert_eq!(normalize_agent_id("Backend Agent"), "backend");
        assert_eq!(normalize_agent_id("@frontend-agent"), "frontend");
        assert_eq!(normalize_agent_id("`database_agent`"), "database");
    }
}

//! Routing results kept between checks of a document. The server checks the document being
//! typed in on every keystroke, and routing its open tasks is most of that check
//! (`task-unroutable` routes every unassigned task); a keystroke changes one task at most.
//!
//! A result is looked up by everything of the task that routing reads (its text, the agent
//! it frees, the files it names) and by the document's modules affected; everything of the
//! workspace that routing reads (agents, files, workload, agent status) is kept by the
//! workspace, which starts a new memo when any of it changes ([`Workspace::remember_routes`]).
//!
//! [`Workspace::remember_routes`]: crate::Workspace::remember_routes

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// The kept results, by document path; off (`None`) unless the workspace's owner turns it
/// on. Clones of a workspace share it until one of them changes what routing reads.
#[derive(Debug, Default, Clone)]
pub struct RouteMemo(Option<Arc<Mutex<Kept>>>);

/// Documents whose results are kept at most: the ones being edited matter, and a workspace
/// pull of thousands of documents must not keep every task of the workspace.
const DOCUMENTS: usize = 64;

/// The results of the last check of the documents checked most recently.
#[derive(Debug, Default)]
struct Kept {
    by_path: HashMap<String, Arc<DocRoutes>>,
    /// Paths of `by_path`, oldest first.
    order: VecDeque<String>,
}

/// What `task-unroutable` found for each open task of one document at its last check.
#[derive(Debug)]
pub(crate) struct DocRoutes {
    /// The configuration checked with, by address: results found with another one are not
    /// reused (the owner also starts a new memo when it replaces its configuration).
    pub config: usize,
    /// The document's modules affected (every task's route reads them).
    pub affected: Vec<String>,
    /// The finding's message for each task routing could not place; `None` for the others.
    pub tasks: HashMap<TaskKey, Option<String>>,
}

/// What routing reads of one task.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct TaskKey {
    /// The task's text, its assignment blanked.
    pub own: String,
    /// The agent whose open task this is (re-assigning it frees that agent).
    pub freed: Option<String>,
    /// The files the task names, as written.
    pub files: Vec<String>,
}

impl RouteMemo {
    /// An empty memo that keeps results.
    pub fn on() -> RouteMemo {
        RouteMemo(Some(Arc::default()))
    }

    pub fn is_on(&self) -> bool {
        self.0.is_some()
    }

    /// Drops every result (for this workspace; clones taken before keep theirs).
    pub fn forget(&mut self) {
        if self.is_on() {
            *self = RouteMemo::on();
        }
    }

    /// The results of the document's last check.
    pub(crate) fn of(&self, path: &str) -> Option<Arc<DocRoutes>> {
        let kept = self.0.as_ref()?.lock().unwrap_or_else(|e| e.into_inner());
        kept.by_path.get(path).cloned()
    }

    /// Keeps the results of the document's check, replacing the previous ones (so that a
    /// document keeps only its current tasks); the document checked least recently goes
    /// when there are too many.
    pub(crate) fn keep(&self, path: &str, routes: DocRoutes) {
        let Some(memo) = &self.0 else {
            return;
        };
        let mut kept = memo.lock().unwrap_or_else(|e| e.into_inner());
        if kept
            .by_path
            .insert(path.to_string(), Arc::new(routes))
            .is_some()
        {
            kept.order.retain(|p| p != path);
        } else if kept.order.len() >= DOCUMENTS {
            if let Some(oldest) = kept.order.pop_front() {
                kept.by_path.remove(&oldest);
            }
        }
        kept.order.push_back(path.to_string());
    }

    /// How many documents have results kept.
    #[cfg(test)]
    pub(crate) fn documents(&self) -> usize {
        self.0.as_ref().map_or(0, |memo| {
            memo.lock().unwrap_or_else(|e| e.into_inner()).by_path.len()
        })
    }
}

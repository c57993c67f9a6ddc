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

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The kept results, by document path; off (`None`) unless the workspace's owner turns it
/// on. Clones of a workspace share it until one of them changes what routing reads.
#[derive(Debug, Default, Clone)]
pub struct RouteMemo(Option<Arc<Mutex<ByPath>>>);

/// The results of each document's last check, by path.
type ByPath = HashMap<String, Arc<DocRoutes>>;

/// What `task-unroutable` found for each open task of one document at its last check.
#[derive(Debug)]
pub(crate) struct DocRoutes {
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
        let memo = self.0.as_ref()?;
        let memo = memo.lock().unwrap_or_else(|e| e.into_inner());
        memo.get(path).cloned()
    }

    /// Keeps the results of the document's check, replacing the previous ones (so that a
    /// document keeps only its current tasks).
    pub(crate) fn keep(&self, path: &str, routes: DocRoutes) {
        if let Some(memo) = &self.0 {
            let mut memo = memo.lock().unwrap_or_else(|e| e.into_inner());
            memo.insert(path.to_string(), Arc::new(routes));
        }
    }
}

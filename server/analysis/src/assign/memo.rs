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
    /// The files the PRP's `Files to Change` lists (the route of a task naming none reads
    /// them).
    pub listed: Vec<String>,
    /// Each open task in document order, with the finding's message when routing could
    /// not place it (`None` for the others).
    pub tasks: Vec<(TaskKey, Option<String>)>,
}

/// Looks up the tasks of a check, in document order, among the results of the one before.
/// A keystroke leaves every task but one where it was, so each is first compared with the
/// task after the last one found (or the one after that, when the task in between was
/// edited); after two misses in a row (tasks deleted or moved) the kept results are indexed
/// by key, and looked up there whenever the order does not match. Comparing in order avoids hashing every task's text on every check.
pub(crate) struct InOrder<'a> {
    kept: &'a [(TaskKey, Option<String>)],
    next: usize,
    missed: bool,
    index: Option<HashMap<&'a TaskKey, usize>>,
}

impl<'a> InOrder<'a> {
    pub fn new(routes: &'a DocRoutes) -> InOrder<'a> {
        InOrder {
            kept: &routes.tasks,
            next: 0,
            missed: false,
            index: None,
        }
    }

    /// The kept result for `key`, if the last check had that task.
    pub fn find(&mut self, key: &TaskKey) -> Option<&'a Option<String>> {
        let kept = self.kept;
        let near = [self.next, self.next + 1]
            .into_iter()
            .find(|&at| kept.get(at).is_some_and(|(k, _)| k == key));
        let at = match near {
            Some(at) => Some(at),
            // Indexed after two misses in a row; once indexed, always looked up.
            None if self.missed || self.index.is_some() => self
                .index
                .get_or_insert_with(|| kept.iter().enumerate().map(|(i, (k, _))| (k, i)).collect())
                .get(key)
                .copied(),
            None => None,
        };
        self.missed = at.is_none();
        let at = at?;
        self.next = at + 1;
        Some(&kept[at].1)
    }
}

/// What routing reads of one task.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct TaskKey {
    /// The task's text, its assignment blanked.
    pub own: String,
    /// The agent whose open task this is (re-assigning it frees that agent).
    pub freed: Option<String>,
    /// The files the task names, as written; `None` for a PRP task naming none (it touches
    /// the document's listed files, kept once in [`DocRoutes::listed`]).
    pub files: Option<Vec<String>>,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> TaskKey {
        TaskKey {
            own: text.to_string(),
            freed: None,
            files: None,
        }
    }

    /// Results kept for tasks a–f, each task's message being its own text.
    fn kept() -> DocRoutes {
        DocRoutes {
            config: 0,
            affected: Vec::new(),
            listed: Vec::new(),
            tasks: ["a", "b", "c", "d", "e", "f"]
                .into_iter()
                .map(|t| (key(t), Some(t.to_string())))
                .collect(),
        }
    }

    /// What a check of `tasks` (in document order) finds kept: each task's message, or
    /// `-` where it has to be routed again.
    fn found(tasks: &[&str]) -> String {
        let routes = kept();
        let mut in_order = InOrder::new(&routes);
        tasks
            .iter()
            .map(|t| match in_order.find(&key(t)) {
                Some(message) => message.clone().unwrap_or_default(),
                None => "-".into(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn every_task_a_keystroke_left_alone_is_found_again() {
        assert_eq!(found(&["a", "b", "c", "d", "e", "f"]), "a b c d e f");
        // One task edited, one inserted, one deleted: only the new text is routed again.
        assert_eq!(found(&["a", "b2", "c", "d", "e", "f"]), "a - c d e f");
        assert_eq!(
            found(&["a", "new", "b", "c", "d", "e", "f"]),
            "a - b c d e f"
        );
        assert_eq!(found(&["a", "c", "d", "e", "f"]), "a c d e f");
    }

    #[test]
    fn tasks_deleted_or_moved_together_are_found_by_key() {
        // A block cut: one task is routed again before the kept results are indexed.
        assert_eq!(found(&["a", "e", "f"]), "a - f");
        // Blocks moved: found wherever they went (the first task out of order is routed
        // again, before the results are indexed).
        assert_eq!(found(&["d", "e", "a", "b", "c", "f"]), "- e a b c f");
        assert_eq!(found(&["f", "e", "d", "c", "b", "a"]), "- e d c b a");
        // Nothing found is ever another task's result.
        assert_eq!(found(&["x", "y", "b", "z"]), "- - b -");
    }
}

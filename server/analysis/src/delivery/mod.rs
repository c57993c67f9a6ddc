//! Delivery: what happened to PRPs once their work was done. The deployment record the
//! pipeline appends to (and DEV_LOG entries that say a PRP was deployed), indexed by PRP;
//! the orchestrator's alert on it (`failures.rs`) and its metrics (`metrics.rs`).

pub mod deployments;
pub mod failures;
pub mod metrics;

use std::collections::HashMap;

use crate::document::{Document, PrpNumber};
use deployments::Deployment;

/// How far back a failed deployment counts, in days.
pub const WINDOW_DAYS: i64 = 30;

/// Whether `written` (a deployment's `prp`: `PRP-007`, `7`, a path, a file name) names
/// `doc`.
pub fn names(doc: &Document, written: &str) -> bool {
    names_prp(&doc.path, doc.metadata.number.as_ref(), written)
}

/// [`names`] for a PRP known by its path and number (the index's facts).
pub fn names_prp(path: &str, number: Option<&PrpNumber>, written: &str) -> bool {
    let written = written.trim().trim_start_matches("./");
    let file_name = path.rsplit('/').next().unwrap_or(path);
    if written == path || written == file_name || path.ends_with(&format!("/{written}")) {
        return true;
    }
    match (number, written_number(written)) {
        (Some(n), Some(d)) => n.number == d,
        _ => false,
    }
}

/// Every deployment the workspace's records and DEV_LOGs state, by PRP: a PRP's are found
/// by its file name and its number, not by a pass over all of them.
#[derive(Debug, Default)]
pub struct DeploymentIndex {
    /// (the file it is written in, the deployment), oldest first.
    all: Vec<(String, Deployment)>,
    /// Files that hold at least one deployment.
    pub sources: usize,
    /// By the last path component of `prp` as written.
    by_name: HashMap<String, Vec<usize>>,
    /// By the number `prp` gives (`PRP-007`, `7`).
    by_number: HashMap<u32, Vec<usize>>,
}

impl DeploymentIndex {
    pub fn build(sources: impl IntoIterator<Item = (String, Vec<Deployment>)>) -> DeploymentIndex {
        let mut index = DeploymentIndex::default();
        for (path, deployments) in sources {
            index.sources += usize::from(!deployments.is_empty());
            index
                .all
                .extend(deployments.into_iter().map(|d| (path.clone(), d)));
        }
        index.all.sort_by_key(|(_, d)| d.at);
        for (i, (_, d)) in index.all.iter().enumerate() {
            let written = d.prp.trim().trim_start_matches("./");
            let name = written.rsplit('/').next().unwrap_or(written);
            index.by_name.entry(name.to_string()).or_default().push(i);
            if let Some(n) = written_number(written) {
                index.by_number.entry(n).or_default().push(i);
            }
        }
        index
    }

    pub fn all(&self) -> &[(String, Deployment)] {
        &self.all
    }

    /// The deployments of the PRP at `path` (numbered `number`), oldest first.
    pub fn of(&self, path: &str, number: Option<&PrpNumber>) -> Vec<&(String, Deployment)> {
        let file_name = path.rsplit('/').next().unwrap_or(path);
        let mut at: Vec<usize> = self
            .by_name
            .get(file_name)
            .into_iter()
            .flatten()
            .chain(
                number
                    .and_then(|n| self.by_number.get(&n.number))
                    .into_iter()
                    .flatten(),
            )
            .copied()
            .filter(|i| names_prp(path, number, &self.all[*i].1.prp))
            .collect();
        at.sort_unstable();
        at.dedup();
        at.into_iter().map(|i| &self.all[i]).collect()
    }
}

/// The number a deployment's `prp` gives: `PRP-007`, `PRP 7`, `#7`, `7`.
fn written_number(written: &str) -> Option<u32> {
    let digits = written
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .trim_end();
    let prefix = written[..written.len() - digits.len()]
        .trim_end_matches([' ', '-', '#', '_'])
        .trim()
        .to_ascii_lowercase();
    let is_number = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (prefix.is_empty() || prefix == "prp");
    is_number.then(|| digits.parse().ok()).flatten()
}

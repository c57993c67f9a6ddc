//! Diagnostics, pulled (`textDocument/diagnostic`, `workspace/diagnostic`) where the client
//! supports it, else pushed. Results computed for a version the editor has since replaced
//! are dropped.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

use super::lifecycle::Changed;
use super::state::LockExt;
use super::state::State;
use crate::convert::{self, TextPositions};
use crate::project::Project;

/// Diagnostics of one document (or configuration file) as LSP objects, with the version
/// they were computed for.
fn compute(state: &State, project: &Project, key: &str) -> Option<(Vec<Diagnostic>, Option<i32>)> {
    let encoding = state.encoding();
    let uri = state.uri_of(key);
    let other = |rel: &str| state.uri_of(rel);
    if let Some(a) = project.analyzed(key) {
        let positions = TextPositions::new(&a.text, encoding);
        let items = project
            .diagnostics_of(&a)
            .iter()
            .map(|d| convert::diagnostic(d, &positions, uri.as_ref(), &other))
            .collect();
        return Some((items, a.version));
    }
    let config: Vec<_> = project
        .file_diagnostics()
        .into_iter()
        .filter(|(p, _)| p == key)
        .map(|(_, d)| d)
        .collect();
    if config.is_empty() && !crate::project::CONFIG_FILES.contains(&key) {
        return None;
    }
    let text = std::fs::read(project.absolute(key))
        .map(|b| crate::project::decode(b).0)
        .unwrap_or_default();
    let positions = TextPositions::new(&text, encoding);
    Some((
        config
            .iter()
            .map(|d| convert::diagnostic(d, &positions, uri.as_ref(), &other))
            .collect(),
        None,
    ))
}

pub fn document_report(state: &State, uri: &Uri) -> DocumentDiagnosticReportResult {
    let items = state
        .key_of(uri)
        .and_then(|key| {
            let guard = state.project.read_lock();
            compute(state, guard.as_ref()?, &key)
        })
        .map(|(items, _)| items)
        .unwrap_or_default();
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: None,
                items,
            },
        },
    ))
}

/// Keys with findings to report: every document, plus configuration files with problems.
fn all_keys(project: &Project) -> Vec<String> {
    let mut keys: Vec<String> = project.document_paths();
    keys.extend(project.file_diagnostics().into_iter().map(|(p, _)| p));
    keys.sort();
    keys.dedup();
    keys
}

/// Every document's findings. Stops early (with a partial report nobody reads) once
/// `cancelled` is set: the request was cancelled or its answer is no longer wanted.
pub fn workspace_report(state: &State, cancelled: &AtomicBool) -> WorkspaceDiagnosticReportResult {
    let guard = state.project.read_lock();
    let Some(project) = guard.as_ref() else {
        return WorkspaceDiagnosticReportResult::Report(WorkspaceDiagnosticReport {
            items: Vec::new(),
        });
    };
    let keys = all_keys(project);
    let items = crate::project::parallel_map(&keys, |key| {
        if cancelled.load(Ordering::Relaxed) {
            return None;
        }
        let (items, version) = compute(state, project, key)?;
        Some(WorkspaceDocumentDiagnosticReport::Full(
            WorkspaceFullDocumentDiagnosticReport {
                uri: state.uri_of(key)?,
                version: version.map(i64::from),
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            },
        ))
    });
    WorkspaceDiagnosticReportResult::Report(WorkspaceDiagnosticReport {
        items: items.into_iter().flatten().collect(),
    })
}

/// Brings the client up to date after a change: a refresh request for pulling clients,
/// fresh diagnostics for the others.
pub async fn after_change(client: &Client, state: &Arc<State>, changed: Changed) {
    let support = state.support();
    if support.pull_diagnostics {
        // The client re-pulls the document it edited by itself; others need a refresh.
        let others_changed = match &changed {
            Changed::Nothing | Changed::Stale { .. } => false,
            Changed::Documents { others, .. } => !others.is_empty(),
            Changed::Everything => true,
        };
        if others_changed && support.diagnostic_refresh {
            let _ = client.workspace_diagnostic_refresh().await;
        }
        return;
    }
    let (keys, publish_empty) = match changed {
        Changed::Nothing | Changed::Stale { .. } => return,
        // Documents with findings, and those whose earlier findings must be cleared; the
        // client has nothing to clear for the rest.
        Changed::Everything => (None, false),
        Changed::Documents { edited, mut others } => {
            others.extend(edited);
            (Some(others), true)
        }
    };
    let worker = state.clone();
    let computed = tokio::task::spawn_blocking(move || {
        let state = &worker;
        let guard = state.project.read_lock();
        let Some(project) = guard.as_ref() else {
            return Vec::new();
        };
        let keys = keys.unwrap_or_else(|| {
            let mut keys = all_keys(project);
            keys.extend(state.published.iter().map(|e| e.key().clone()));
            keys.sort();
            keys.dedup();
            keys
        });
        let results = crate::project::parallel_map(&keys, |k| {
            let uri = state.uri_of(k)?;
            match compute(state, project, k) {
                Some((items, version)) => Some((uri, items, version, k.clone())),
                // No longer a document (deleted, or excluded now): clear what was shown.
                None => Some((uri, Vec::new(), None, k.clone())),
            }
        });
        results
            .into_iter()
            .flatten()
            .filter(|(_, items, _, key)| {
                publish_empty || !items.is_empty() || state.published.contains_key(key)
            })
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    for (uri, items, version, key) in computed {
        // Drop results for a version the editor has already replaced.
        let current = state.open.get(&key).map(|o| o.version);
        if current.is_some() && current != version {
            continue;
        }
        if items.is_empty() {
            state.published.remove(&key);
        } else {
            state.published.insert(key, ());
        }
        client.publish_diagnostics(uri, items, version).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indexed_example() -> State {
        let state = State::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/workspace")
            .canonicalize()
            .unwrap();
        *state.project.write_lock() = Some(Project::load(&root).unwrap());
        *state.root.write_lock() = Some(root);
        state
    }

    fn item_count(report: WorkspaceDiagnosticReportResult) -> usize {
        match report {
            WorkspaceDiagnosticReportResult::Report(r) => r.items.len(),
            WorkspaceDiagnosticReportResult::Partial(p) => p.items.len(),
        }
    }

    #[test]
    fn a_cancelled_workspace_report_stops_working() {
        let state = indexed_example();
        assert!(item_count(workspace_report(&state, &AtomicBool::new(false))) >= 15);
        assert_eq!(
            item_count(workspace_report(&state, &AtomicBool::new(true))),
            0
        );
    }
}

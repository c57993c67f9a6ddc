//! Diagnostics, pulled (`textDocument/diagnostic`, `workspace/diagnostic`) where the client
//! supports it, else pushed. Results computed for a version the editor has since replaced
//! are dropped.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

use super::state::{Changed, State};
use crate::convert::{self, TextPositions};
use crate::project::Project;

/// Diagnostics of one document (or configuration file) as LSP objects, with the version
/// they were computed for.
fn compute(state: &State, project: &Project, key: &str) -> Option<(Vec<Diagnostic>, Option<i32>)> {
    let encoding = state.encoding();
    let uri = state.uri_of(key);
    let other = |rel: &str| state.uri_of(rel);
    if let Some(a) = project.analyzed(key) {
        let positions = TextPositions::of(&a, encoding);
        let items = project
            .diagnostics_of(&a)
            .iter()
            .map(|d| {
                let lsp = convert::diagnostic(d, &positions, uri.as_ref(), &other);
                convert::with_rule_page(lsp, d.rule, &project.config)
            })
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
            .map(|d| {
                let lsp = convert::diagnostic(d, &positions, uri.as_ref(), &other);
                convert::with_rule_page(lsp, d.rule, &project.config)
            })
            .collect(),
        None,
    ))
}

/// One document's findings, or "unchanged" when the client's result id is still current.
/// Computed on a snapshot of the project: edits arriving meanwhile do not wait for it.
pub fn document_report(
    state: &State,
    params: &DocumentDiagnosticParams,
    cancelled: &AtomicBool,
) -> DocumentDiagnosticReportResult {
    let full = |items: Vec<Diagnostic>, result_id: Option<String>| {
        DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
            RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
            },
        ))
    };
    let (Some(key), Some(project)) = (state.key_of(&params.text_document.uri), state.snapshot())
    else {
        return full(Vec::new(), None);
    };
    let result_id = project.result_id(&key);
    if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
        return DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Unchanged(
            RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                    result_id,
                },
            },
        ));
    }
    if cancelled.load(Ordering::Relaxed) {
        return full(Vec::new(), None);
    }
    match compute(state, &project, &key) {
        Some((items, _)) => full(items, Some(result_id)),
        None => full(Vec::new(), None),
    }
}

/// Keys with findings to report: every document, plus configuration files with problems.
fn all_keys(project: &Project) -> Vec<String> {
    let mut keys: Vec<String> = project.document_paths();
    keys.extend(project.file_diagnostics().into_iter().map(|(p, _)| p));
    keys.sort();
    keys.dedup();
    keys
}

/// How many documents are checked (and their reports held) at a time in a workspace pull.
const WORKSPACE_BATCH: usize = 256;
/// How many documents are looked at per round of a workspace pull; those the client holds
/// an up-to-date result for are answered `unchanged` together, in one batch.
const UNCHANGED_BATCH: usize = 4096;

/// Every document's findings, in batches handed to `emit` as they are done (the caller
/// streams them as partial results, or collects them); documents whose result id the client
/// holds are reported unchanged without being checked. Stops early once `cancelled` is set:
/// the request was cancelled or its answer is no longer wanted.
pub fn workspace_report(
    state: &State,
    params: &WorkspaceDiagnosticParams,
    cancelled: &AtomicBool,
    emit: &mut dyn FnMut(Vec<WorkspaceDocumentDiagnosticReport>),
) {
    let Some(project) = state.snapshot() else {
        return;
    };
    let previous: std::collections::HashMap<&str, &str> = params
        .previous_result_ids
        .iter()
        .map(|p| (p.uri.as_str(), p.value.as_str()))
        .collect();
    let keys = all_keys(&project);
    // Reports the client already holds are cheap and small: they go in large batches, and
    // only documents that need checking are held back to batches of WORKSPACE_BATCH.
    for chunk in keys.chunks(UNCHANGED_BATCH) {
        if cancelled.load(Ordering::Relaxed) {
            return;
        }
        let mut unchanged = Vec::new();
        let mut to_check = Vec::new();
        for key in chunk {
            let Some(uri) = state.uri_of(key) else {
                continue;
            };
            let result_id = project.result_id(key);
            if previous.get(uri.as_str()) == Some(&result_id.as_str()) {
                unchanged.push(WorkspaceDocumentDiagnosticReport::Unchanged(
                    WorkspaceUnchangedDocumentDiagnosticReport {
                        uri,
                        version: project.open_version(key).map(i64::from),
                        unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                            result_id,
                        },
                    },
                ));
            } else {
                to_check.push((key, uri, result_id));
            }
        }
        if !unchanged.is_empty() {
            emit(unchanged);
        }
        for batch in to_check.chunks(WORKSPACE_BATCH) {
            if cancelled.load(Ordering::Relaxed) {
                return;
            }
            let reports = crate::project::parallel_map(batch, |(key, uri, result_id)| {
                if cancelled.load(Ordering::Relaxed) {
                    return None;
                }
                let (items, version) = compute(state, &project, key)?;
                Some(WorkspaceDocumentDiagnosticReport::Full(
                    WorkspaceFullDocumentDiagnosticReport {
                        uri: uri.clone(),
                        version: version.map(i64::from),
                        full_document_diagnostic_report: FullDocumentDiagnosticReport {
                            result_id: Some(result_id.clone()),
                            items,
                        },
                    },
                ))
            });
            emit(reports.into_iter().flatten().collect());
        }
    }
}

/// Sends one batch of a workspace pull as a partial result (`$/progress` with the client's
/// token). The first one is a whole report, later ones partial results (the protocol's
/// order); all of them reach the client before the (empty) answer.
pub async fn send_partial(
    outbox: &super::transport::Outbox,
    token: &ProgressToken,
    items: Vec<WorkspaceDocumentDiagnosticReport>,
    first: bool,
) {
    #[derive(serde::Serialize)]
    struct Progress<'a, T> {
        token: &'a ProgressToken,
        value: T,
    }
    if first {
        let value = WorkspaceDiagnosticReport { items };
        outbox.notify("$/progress", Progress { token, value }).await;
    } else {
        let value = WorkspaceDiagnosticReportPartialResult { items };
        outbox.notify("$/progress", Progress { token, value }).await;
    }
}

/// Brings the client up to date after a change: a refresh request for pulling clients,
/// fresh diagnostics for the others.
pub async fn after_change(client: &Client, state: &Arc<State>, changed: Changed) {
    let support = state.support();
    if support.pull_diagnostics {
        // The client re-pulls the document it edited by itself; others need a refresh.
        let others_changed = match &changed {
            Changed::Nothing => false,
            Changed::Documents { others, .. } => !others.is_empty(),
            Changed::Everything => true,
        };
        if others_changed && support.diagnostic_refresh {
            let _ = client.workspace_diagnostic_refresh().await;
        }
        return;
    }
    let (keys, publish_empty) = match changed {
        Changed::Nothing => return,
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
        // A snapshot: a change arriving meanwhile does not wait for this.
        let Some(snapshot) = state.snapshot() else {
            return Vec::new();
        };
        let project = &*snapshot;
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
    use super::super::state::LockExt;
    use super::*;

    fn indexed_example() -> State {
        let state = State::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/workspace")
            .canonicalize()
            .unwrap();
        state.set_project(Project::load(&root).unwrap());
        *state.root.write_lock() = Some(root);
        state
    }

    fn pull(
        state: &State,
        previous: Vec<PreviousResultId>,
        cancelled: bool,
    ) -> Vec<WorkspaceDocumentDiagnosticReport> {
        let params = WorkspaceDiagnosticParams {
            identifier: None,
            previous_result_ids: previous,
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        };
        let mut all = Vec::new();
        workspace_report(state, &params, &AtomicBool::new(cancelled), &mut |batch| {
            all.extend(batch)
        });
        all
    }

    #[test]
    fn a_cancelled_workspace_report_stops_working() {
        let state = indexed_example();
        assert!(pull(&state, Vec::new(), false).len() >= 15);
        assert_eq!(pull(&state, Vec::new(), true).len(), 0);
    }

    /// A second pull with the first one's result ids: every document is unchanged, until a
    /// document changes; then that one (and only documents that depend on it) is sent again.
    #[test]
    fn result_ids_answer_unchanged_until_the_inputs_change() {
        let state = indexed_example();
        let first = pull(&state, Vec::new(), false);
        let ids: Vec<PreviousResultId> = first
            .iter()
            .map(|r| match r {
                WorkspaceDocumentDiagnosticReport::Full(f) => PreviousResultId {
                    uri: f.uri.clone(),
                    value: f.full_document_diagnostic_report.result_id.clone().unwrap(),
                },
                WorkspaceDocumentDiagnosticReport::Unchanged(_) => panic!("nothing was held"),
            })
            .collect();
        let second = pull(&state, ids.clone(), false);
        assert_eq!(second.len(), first.len());
        assert!(second
            .iter()
            .all(|r| matches!(r, WorkspaceDocumentDiagnosticReport::Unchanged(_))));
        // A body edit of one PRP: it alone is checked again.
        let key = "PRPs/active/01_user_auth.md";
        let text = std::fs::read_to_string(state.snapshot().unwrap().absolute(key)).unwrap();
        state.update_project(|p| p.open_document(key, format!("{text}\nMore notes.\n"), 2));
        let third = pull(&state, ids, false);
        let full: Vec<&str> = third
            .iter()
            .filter_map(|r| match r {
                WorkspaceDocumentDiagnosticReport::Full(f) => Some(f.uri.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(full.len(), 1, "{full:?}");
        assert!(full[0].ends_with(key), "{full:?}");
    }
}

//! Document synchronization: didOpen, didChange, didClose and watched files. Each handler
//! applies its change to the open buffer before returning (in the order the editor sent
//! them), then to the project off the message loop, and says which documents need fresh
//! diagnostics.

use std::sync::Arc;

use tower_lsp_server::ls_types::*;

use super::state::{Changed, EditorText, OpenDocument, State};
use crate::project::{relative_path, ParsedText, Project, CONFIG_FILES};

/// An editor's change to a document, applied to its buffer at once (in the order the
/// notifications came) and to the project later, off the message loop.
pub struct TextChange {
    key: String,
    text: Arc<String>,
    version: i32,
    ticket: u64,
}

/// What a document notification asks of the project.
pub enum Sync {
    Nothing,
    /// A change for a version the document is already past; nothing was applied.
    Stale {
        version: i32,
        current: i32,
    },
    Text(TextChange),
    Close {
        key: String,
        ticket: u64,
    },
}

/// Parses the changed text (no lock held) and puts it in the project, unless a later change
/// to the document came meanwhile (that one carries the newer text); returns the documents
/// whose diagnostics it changes.
pub fn apply_text(state: &State, change: TextChange) -> Changed {
    let TextChange {
        key,
        text,
        version,
        ticket,
    } = change;
    let changed = (|| {
        if !state.is_latest_change(&key, ticket) {
            return Some(Changed::Nothing);
        }
        let config = state.read_project().as_ref()?.config.clone();
        let parsed = ParsedText::parse(&key, text, version, config);
        state.update_project(|project| {
            // Checked again under the lock: a newer change or a close may have come.
            if !state.is_latest_change(&key, ticket) {
                return Changed::Nothing;
            }
            let before = project.ws.facts(&key).cloned();
            let others = project.install(parsed);
            // The PRP's checklist findings read its gate report. Evaluate it now when a
            // fact it reads (ticks, tasks, title) changed; other edits are caught up by
            // the one-second tick.
            if before.as_ref() != project.ws.facts(&key) || project.ws.gate_report(&key).is_none() {
                project
                    .update_gate_reports(std::slice::from_ref(&key), crate::project::now_seconds());
            }
            Changed::Documents {
                edited: Some(key.clone()),
                others,
            }
        })
    })()
    .unwrap_or(Changed::Nothing);
    state.end_change(&key, ticket);
    changed
}

pub fn did_open(state: &State, params: DidOpenTextDocumentParams) -> Sync {
    let doc = params.text_document;
    let Some(key) = state.key_of(&doc.uri) else {
        return Sync::Nothing;
    };
    let text = Arc::new(doc.text);
    state.open.insert(
        key.clone(),
        OpenDocument {
            uri: doc.uri,
            text: EditorText::new(Arc::clone(&text)),
            version: doc.version,
        },
    );
    let ticket = state.begin_change(&key);
    Sync::Text(TextChange {
        key,
        text,
        version: doc.version,
        ticket,
    })
}

pub fn did_change(state: &State, params: DidChangeTextDocumentParams) -> Sync {
    let Some(key) = state.key_of(&params.text_document.uri) else {
        return Sync::Nothing;
    };
    let encoding = state.encoding();
    let text = {
        let Some(mut open) = state.open.get_mut(&key) else {
            return Sync::Nothing;
        };
        // Versions only increase (LSP); an older or repeated one is a change the editor
        // has already superseded, and applying it would bring back text the user replaced.
        if params.text_document.version <= open.version {
            return Sync::Stale {
                version: params.text_document.version,
                current: open.version,
            };
        }
        open.text.apply(params.content_changes, encoding);
        open.version = params.text_document.version;
        open.text.snapshot()
    };
    let ticket = state.begin_change(&key);
    Sync::Text(TextChange {
        key,
        text,
        version: params.text_document.version,
        ticket,
    })
}

pub fn did_close(state: &State, params: DidCloseTextDocumentParams) -> Sync {
    let Some(key) = state.key_of(&params.text_document.uri) else {
        return Sync::Nothing;
    };
    state.open.remove(&key);
    let ticket = state.begin_change(&key);
    Sync::Close { key, ticket }
}

/// The file on disk is the truth again (the buffer may have been discarded).
pub fn apply_close(state: &State, key: String, ticket: u64) -> Changed {
    let changed = state
        .update_project(|project| {
            if !state.is_latest_change(&key, ticket) {
                return Changed::Nothing;
            }
            let others = project.close_document(&key);
            Changed::Documents {
                edited: Some(key.clone()),
                others,
            }
        })
        .unwrap_or(Changed::Nothing);
    state.end_change(&key, ticket);
    changed
}

pub fn did_change_watched_files(state: &State, params: DidChangeWatchedFilesParams) -> Changed {
    state
        .update_project(|project| files_changed(state, project, params))
        .unwrap_or(Changed::Nothing)
}

fn files_changed(
    state: &State,
    project: &mut Project,
    params: DidChangeWatchedFilesParams,
) -> Changed {
    let mut deps = Vec::new();
    let (mut config_changed, mut evidence_changed) = (false, false);
    for event in params.changes {
        let Some(path) = event.uri.to_file_path() else {
            continue;
        };
        let Some(rel) = relative_path(&project.root, &path) else {
            continue;
        };
        if CONFIG_FILES.contains(&rel.as_str())
            || project.config.orchestrator_path.as_deref() == Some(rel.as_str())
        {
            config_changed = true;
            continue;
        }
        // Evidence (reports, status, docs) can also be a referenced file: both apply.
        evidence_changed |= project.is_evidence(&rel);
        // The editor's buffer wins over the disk for open documents.
        if state.open.contains_key(&rel) {
            continue;
        }
        match event.typ {
            FileChangeType::DELETED => deps.extend(project.remove_file(&rel)),
            _ => {
                if path.is_dir() {
                    continue;
                }
                deps.extend(project.refresh_from_disk(&rel));
                if project.is_document(&rel) {
                    deps.push(rel);
                }
            }
        }
    }
    if config_changed {
        project.reload_config();
        project.reanalyze_all();
        return Changed::Everything;
    }
    if evidence_changed {
        project.reread_evidence(crate::project::now_seconds());
        deps.extend(project.evidence_dependents());
    }
    deps.sort();
    deps.dedup();
    Changed::Documents {
        edited: None,
        others: deps,
    }
}

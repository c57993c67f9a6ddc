//! Initialization, indexing, configuration and document synchronization: everything that
//! changes the state. Each sync handler applies its change before returning and says which
//! documents need fresh diagnostics.

use std::path::PathBuf;
use std::sync::Arc;

use prp_analysis::text::Encoding;
use prp_analysis::RawConfig;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

use super::state::LockExt;
use super::state::{Changed, ClientSupport, EditorText, OpenDocument, State};
use crate::project::{relative_path, EditorSettings, ParsedText, Project, CONFIG_FILES};

pub fn initialize(state: &State, params: InitializeParams) -> InitializeResult {
    #[allow(deprecated)]
    let root_uri = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| f.uri.clone())
        .or(params.root_uri.clone());
    let root: Option<PathBuf> = root_uri.and_then(|u| u.to_file_path().map(|p| p.into_owned()));
    *state.root.write_lock() = root.and_then(|r| r.canonicalize().ok());

    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    let encoding = if offered.is_some_and(|e| e.contains(&PositionEncodingKind::UTF8)) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    *state.encoding.write_lock() = encoding;
    let support = ClientSupport::read(&params.capabilities);
    *state.support.write_lock() = support.clone();
    if let Some(options) = params.initialization_options.filter(|o| o.is_object()) {
        if let Ok(settings) = settings_from_json(options) {
            *state.pending_settings.write_lock() = Some(settings);
        }
    }

    InitializeResult {
        server_info: Some(ServerInfo {
            name: "prp-lsp".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        capabilities: ServerCapabilities {
            position_encoding: Some(crate::convert::encoding_kind(encoding)),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            diagnostic_provider: support.pull_diagnostics.then(|| {
                DiagnosticServerCapabilities::Options(DiagnosticOptions {
                    identifier: Some("prp-lsp".into()),
                    inter_file_dependencies: true,
                    workspace_diagnostics: true,
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })
            }),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            document_symbol_provider: Some(OneOf::Left(true)),
            workspace_symbol_provider: Some(OneOf::Left(true)),
            definition_provider: Some(OneOf::Left(true)),
            folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::REFACTOR_REWRITE,
                    super::code_action::FIX_ALL,
                ]),
                ..CodeActionOptions::default()
            })),
            code_lens_provider: Some(CodeLensOptions {
                resolve_provider: Some(false),
            }),
            execute_command_provider: Some(ExecuteCommandOptions {
                commands: super::commands::ALL.iter().map(|c| c.to_string()).collect(),
                ..ExecuteCommandOptions::default()
            }),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec!["#".into(), "@".into(), "/".into(), " ".into()]),
                ..CompletionOptions::default()
            }),
            ..ServerCapabilities::default()
        },
        offset_encoding: None,
    }
}

pub async fn initialized(client: &Client, state: &std::sync::Arc<State>) {
    let support = state.support();
    if support.watched_files_registration {
        let watchers = vec![FileSystemWatcher {
            glob_pattern: GlobPattern::String("**/*".into()),
            kind: None,
        }];
        let registration = Registration {
            id: "prp-lsp-watched-files".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                watchers,
            })
            .ok(),
        };
        if let Err(e) = client.register_capability(vec![registration]).await {
            client
                .log_message(
                    MessageType::WARNING,
                    format!("prp-lsp: could not register file watchers: {e}"),
                )
                .await;
        }
    }
    if support.configuration {
        if let Some(settings) = fetch_settings(client).await {
            *state.pending_settings.write_lock() = Some(settings);
        }
    }

    // Index the workspace, with a progress bar where the client shows one.
    let token = NumberOrString::String("prp-lsp/indexing".into());
    let progress = if support.work_done_progress
        && client
            .create_work_done_progress(token.clone())
            .await
            .is_ok()
    {
        Some(
            client
                .progress(token, "Indexing PRP workspace")
                .with_message("reading documents")
                .begin()
                .await,
        )
    } else {
        None
    };
    // Reading, parsing and installing documents takes long: off the message loop.
    let root = state.root.read_lock().clone();
    let worker = state.clone();
    let loaded = tokio::task::spawn_blocking(move || {
        let state = &worker;
        let (mut project, problem) = match root {
            Some(root) => match Project::load(&root) {
                Ok(p) => (p, None),
                Err(e) => (Project::empty(), Some(e)),
            },
            None => (Project::empty(), None),
        };
        if let Some(settings) = state.pending_settings.write_lock().take() {
            project.set_editor_settings(Some(settings));
            project.reanalyze_all();
        }
        // Documents opened while indexing: the editor's text wins over the disk's.
        for entry in state.open.iter() {
            project.open_document(entry.key(), entry.text.snapshot(), entry.version);
        }
        project.reread_evidence(crate::project::now_seconds());
        let not_polled = project.status_endpoint().not_allowed_note();
        let count = project.document_count();
        state.set_project(project);
        // Opened after the loop above, while the project was not yet in place: catch up.
        state.update_project(|project| {
            for entry in state.open.iter() {
                if project.open_version(entry.key()) != Some(entry.version) {
                    project.open_document(entry.key(), entry.text.snapshot(), entry.version);
                }
            }
        });
        (problem, not_polled, count)
    })
    .await;
    let (problem, not_polled, count) = match loaded {
        Ok(loaded) => loaded,
        Err(_) => {
            state.set_project(Project::empty());
            (None, None, 0)
        }
    };
    if let Some(e) = problem {
        client
            .show_message(
                MessageType::ERROR,
                format!("prp-lsp: cannot index the workspace: {e}"),
            )
            .await;
    }
    state.ready.send_replace(true);
    super::live::spawn(client.clone(), state.clone());
    if let Some(note) = not_polled {
        client
            .log_message(MessageType::INFO, format!("prp-lsp: {note}"))
            .await;
    }
    if let Some(p) = progress {
        p.finish_with_message(format!("{count} documents")).await;
    }
    super::diagnostics::after_change(client, state, Changed::Everything).await;
}

/// The editor's `prp-lsp` settings section. Editors keep their own keys in the same section
/// (VS Code's `prp-lsp.server.path` and `prp-lsp.trace.server`); those are not the server's
/// to read, so they are dropped before the strict parse that catches misspelt keys. The
/// user's consents are taken out here too: they exist only in editor settings, never in
/// prp-lsp.toml.
fn settings_from_json(mut value: serde_json::Value) -> Result<EditorSettings, String> {
    let mut allow_status_url = false;
    if let Some(object) = value.as_object_mut() {
        for editor_key in EDITOR_ONLY_SETTINGS {
            object.remove(editor_key);
        }
        if let Some(status) = object.get_mut("status").and_then(|s| s.as_object_mut()) {
            for key in ALLOW_URL_KEYS {
                if let Some(allowed) = status.remove(key) {
                    allow_status_url = allowed.as_bool().ok_or_else(|| {
                        format!("status.{key} must be true or false, not {allowed}")
                    })?;
                }
            }
        }
    }
    let config = RawConfig::from_json(value).map_err(|e| e.to_string())?;
    Ok(EditorSettings {
        config,
        allow_status_url,
    })
}

const EDITOR_ONLY_SETTINGS: [&str; 2] = ["server", "trace"];
/// `prp-lsp.status.allow-url` (and the camel-case spelling some editors' settings use).
const ALLOW_URL_KEYS: [&str; 2] = ["allow-url", "allowUrl"];

async fn fetch_settings(client: &Client) -> Option<EditorSettings> {
    let items = vec![ConfigurationItem {
        scope_uri: None,
        section: Some("prp-lsp".into()),
    }];
    let values = client.configuration(items).await.ok()?;
    let value = values.into_iter().next().filter(|v| v.is_object())?;
    match settings_from_json(value) {
        Ok(settings) => Some(settings),
        Err(e) => {
            client
                .show_message(
                    MessageType::WARNING,
                    format!("prp-lsp: ignoring invalid editor settings: {e}"),
                )
                .await;
            None
        }
    }
}

/// The editor's settings after it said they changed.
pub async fn settings_after_change(
    client: &Client,
    state: &State,
    params: DidChangeConfigurationParams,
) -> Option<EditorSettings> {
    if state.support().configuration {
        return fetch_settings(client).await;
    }
    let value = params
        .settings
        .get("prp-lsp")
        .cloned()
        .unwrap_or(params.settings);
    value
        .is_object()
        .then(|| settings_from_json(value).ok())
        .flatten()
}

/// Layers new editor settings over prp-lsp.toml and re-analyses everything.
pub fn apply_settings(state: &State, settings: Option<EditorSettings>) -> Changed {
    // The settings wait for the index when it is not there yet; a copy stays in case
    // indexing ends meanwhile.
    *state.pending_settings.write_lock() = settings.clone();
    let applied = state.update_project(|project| {
        project.set_editor_settings(settings);
        project.reanalyze_all();
    });
    match applied {
        Some(()) => {
            state.pending_settings.write_lock().take();
            Changed::Everything
        }
        None => Changed::Nothing,
    }
}

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

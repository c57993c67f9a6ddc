//! Initialization, indexing with progress, and configuration (the editor's settings and
//! prp-lsp.toml): setting the state up and rebuilding it when the configuration changes.

use std::path::PathBuf;

use prp_analysis::text::Encoding;
use prp_analysis::RawConfig;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

use super::state::LockExt;
use super::state::{Changed, ClientSupport, State};
use crate::project::{EditorSettings, Project};

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
            references_provider: Some(OneOf::Left(true)),
            selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
            rename_provider: Some(OneOf::Right(RenameOptions {
                prepare_provider: Some(true),
                work_done_progress_options: Default::default(),
            })),
            document_highlight_provider: Some(OneOf::Left(true)),
            inlay_hint_provider: Some(OneOf::Left(true)),
            document_link_provider: Some(DocumentLinkOptions {
                resolve_provider: Some(false),
                work_done_progress_options: WorkDoneProgressOptions::default(),
            }),
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
            // Moves and renames of Markdown files in the editor's explorer: the edits that
            // keep references to a PRP true (PRP kinds are decided by path, so every `.md`).
            workspace: Some(WorkspaceServerCapabilities {
                workspace_folders: None,
                file_operations: Some(WorkspaceFileOperationsServerCapabilities {
                    will_rename: Some(FileOperationRegistrationOptions {
                        filters: vec![FileOperationFilter {
                            scheme: Some("file".into()),
                            pattern: FileOperationPattern {
                                glob: "**/*.md".into(),
                                matches: Some(FileOperationPatternKind::File),
                                options: Some(FileOperationPatternOptions {
                                    ignore_case: Some(true),
                                }),
                            },
                        }],
                    }),
                    ..WorkspaceFileOperationsServerCapabilities::default()
                }),
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

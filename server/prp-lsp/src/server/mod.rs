//! The language server: protocol plumbing only. Each feature lives in its own module and
//! reads the shared [`State`]; the analysis itself is the core crate's.

mod code_action;
mod code_lens;
mod commands;
mod completion;
mod definition;
mod diagnostics;
mod document_sync;
mod edits;
mod folding;
mod hover;
mod initialize;
mod inlay;
mod links;
mod live;
mod moves;
mod references;
mod rename;
mod selection;
pub mod state;
mod symbols;
mod transport;

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService};

use state::Changed;
use state::{guarded, State};

pub struct Backend {
    client: Client,
    /// Notifications that must reach the client before a handler's answer.
    outbox: transport::Outbox,
    /// Texts the transport took out of large frames, put back before a handler reads them.
    lifted: Arc<transport::LiftedTexts>,
    state: Arc<State>,
}

/// Serves the protocol on stdin/stdout until the client exits; returns the exit code
/// (0 only after `shutdown` and `exit`).
pub fn run_stdio() -> i32 {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("cannot start the async runtime");
    let code = runtime.block_on(async {
        let (outbox, queued) = transport::Outbox::new();
        let to_client = outbox.clone();
        let lifted = Arc::new(transport::LiftedTexts::default());
        let (service, socket) = LspService::new(|client| Backend {
            client,
            outbox: to_client,
            lifted: Arc::clone(&lifted),
            state: Arc::new(State::new()),
        });
        transport::serve(
            tokio::io::stdin(),
            tokio::io::stdout(),
            service,
            socket,
            (outbox, queued),
            lifted,
        )
        .await
    });
    // A read of stdin may still be pending on a blocking thread: do not wait for it.
    runtime.shutdown_background();
    code
}

/// Set when dropped: work running elsewhere for a request learns that the request is gone.
#[derive(Default)]
struct CancelOnDrop(Arc<std::sync::atomic::AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Backend {
    /// Applies a change that needs no parsing; a panic is logged and leaves the state as it
    /// was.
    async fn sync<T>(&self, what: &str, apply: impl FnOnce() -> T) -> Option<T> {
        match guarded(what, apply) {
            Ok(done) => Some(done),
            Err(e) => {
                self.client.log_message(MessageType::ERROR, e.message).await;
                None
            }
        }
    }

    /// Runs work that may take long (parsing, reading files, checking) on a blocking thread:
    /// the message loop stays free to answer other requests meanwhile. A panic is an error
    /// answer; the server carries on.
    async fn off_loop<T: Send + 'static>(
        &self,
        what: &'static str,
        work: impl FnOnce(&State) -> T + Send + 'static,
    ) -> Result<T> {
        let state = self.state.clone();
        tokio::task::spawn_blocking(move || guarded(what, || work(&state)))
            .await
            .unwrap_or_else(|_| Err(tower_lsp_server::jsonrpc::Error::internal_error()))
    }

    /// A request about one document: answered off the message loop once the document's
    /// pending changes are in the project, so it is computed for the text the editor shows.
    async fn on_document<T: Send + 'static>(
        &self,
        what: &'static str,
        uri: &Uri,
        work: impl FnOnce(&State) -> T + Send + 'static,
    ) -> Result<T> {
        self.state.wait_ready().await;
        if let Some(key) = self.state.key_of(uri) {
            self.state.settled(&key).await;
        }
        self.off_loop(what, work).await
    }

    /// [`Backend::on_document`] for requests made while typing (hover, completion): past
    /// [`INTERACTIVE_WAIT`] for a pending change the answer is the empty one, rather than
    /// one computed for text the editor no longer shows.
    async fn on_document_now<T: Default + Send + 'static>(
        &self,
        what: &'static str,
        uri: &Uri,
        work: impl FnOnce(&State) -> T + Send + 'static,
    ) -> Result<T> {
        self.state.wait_ready().await;
        if let Some(key) = self.state.key_of(uri) {
            // No wait would see a document above document-size analyzed: answer at once.
            let wait = match self.state.is_above_document_size(&key) {
                true => std::time::Duration::ZERO,
                false => INTERACTIVE_WAIT,
            };
            if !self.state.settled_within(&key, wait).await {
                return Ok(T::default());
            }
        }
        self.off_loop(what, work).await
    }

    /// Brings the project up to date with a document notification, off the message loop,
    /// then the diagnostics that depend on it.
    async fn apply(&self, what: &'static str, sync: Option<document_sync::Sync>) {
        let work = match sync {
            None | Some(document_sync::Sync::Nothing) => return,
            Some(document_sync::Sync::Stale { version, current }) => {
                let message = format!(
                    "prp-lsp: ignored a {what} for version {version}: the document is already at version {current}"
                );
                self.client.log_message(MessageType::LOG, message).await;
                return;
            }
            Some(work) => work,
        };
        let changed = self
            .off_loop(what, move |state| match work {
                document_sync::Sync::Text(change) => document_sync::apply_text(state, change),
                document_sync::Sync::Close { key, ticket } => {
                    document_sync::apply_close(state, key, ticket)
                }
                _ => Changed::Nothing,
            })
            .await;
        match changed {
            Ok(changed) => diagnostics::after_change(&self.client, &self.state, changed).await,
            Err(e) => self.client.log_message(MessageType::ERROR, e.message).await,
        }
    }
}

/// How long a hover or completion waits for the document's pending change before it answers
/// empty: it is typed against, not read like a diagnostic report.
const INTERACTIVE_WAIT: std::time::Duration = std::time::Duration::from_millis(50);

/// Asks the client to fetch lenses and inlay hints again: deploy lenses, gate verdicts and
/// agent states follow evidence, status reports and documents alike. A client whose views
/// show the overview (`experimental.prpOverview`) is told it changed.
async fn refresh_views(client: &Client, state: &State) {
    if state.support().code_lens_refresh {
        let _ = client.code_lens_refresh().await;
    }
    if state.support().inlay_hint_refresh {
        let _ = client.inlay_hint_refresh().await;
    }
    if state.support().overview_notifications {
        client.send_notification::<OverviewChanged>(()).await;
    }
}

/// `prp/overviewChanged`: the PRPs or agents may have changed; ask `prp.overview` again.
enum OverviewChanged {}

impl tower_lsp_server::ls_types::notification::Notification for OverviewChanged {
    type Params = ();
    const METHOD: &'static str = "prp/overviewChanged";
}

/// A request refused with a reason for the user (a rename that would collide): the editor
/// shows the message.
fn refused(message: String) -> tower_lsp_server::jsonrpc::Error {
    let mut e = tower_lsp_server::jsonrpc::Error::invalid_params(message);
    e.data = None;
    e
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        Ok(initialize::initialize(&self.state, params))
    }

    async fn initialized(&self, _: InitializedParams) {
        // Registration, settings and indexing wait on the client: run them apart so that an
        // `exit` arriving meanwhile is not held up behind this handler.
        let (client, state) = (self.client.clone(), self.state.clone());
        tokio::spawn(async move { initialize::initialized(&client, &state).await });
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    // Each notification changes the buffer before anything awaits, so the texts follow the
    // order the editor sent them in; the project catches up off the loop, latest change
    // wins.
    async fn did_open(&self, mut params: DidOpenTextDocumentParams) {
        self.lifted.restore_open(&mut params);
        let sync = self
            .sync("didOpen", || document_sync::did_open(&self.state, params))
            .await;
        self.apply("didOpen", sync).await;
    }

    async fn did_change(&self, mut params: DidChangeTextDocumentParams) {
        self.lifted.restore_change(&mut params);
        let sync = self
            .sync("didChange", || {
                document_sync::did_change(&self.state, params)
            })
            .await;
        self.apply("didChange", sync).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.lifted.forget(params.text_document.uri.as_str());
        let sync = self
            .sync("didClose", || document_sync::did_close(&self.state, params))
            .await;
        self.apply("didClose", sync).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let changed = self
            .off_loop("didChangeWatchedFiles", move |state| {
                document_sync::did_change_watched_files(state, params)
            })
            .await
            .unwrap_or(Changed::Nothing);
        diagnostics::after_change(&self.client, &self.state, changed).await;
        refresh_views(&self.client, &self.state).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let settings = initialize::settings_after_change(&self.client, &self.state, params).await;
        let changed = self
            .off_loop("didChangeConfiguration", move |state| {
                initialize::apply_settings(state, settings)
            })
            .await
            .unwrap_or(Changed::Nothing);
        diagnostics::after_change(&self.client, &self.state, changed).await;
        // `[inlay-hints]` may have turned a kind on or off.
        refresh_views(&self.client, &self.state).await;
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri.clone();
        // A cancelled request drops this future, and with it the flag's guard.
        let cancel = CancelOnDrop::default();
        let cancelled = cancel.0.clone();
        let report = self
            .on_document("diagnostics", &uri, move |state| {
                diagnostics::document_report(state, &params, &cancelled)
            })
            .await;
        drop(cancel);
        report
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        self.state.wait_ready().await;
        self.state.all_settled().await;
        let cancel = CancelOnDrop::default();
        let cancelled = cancel.0.clone();
        // With a partial result token, each batch goes to the client as it is done and
        // the answer itself is empty: no more than a batch of reports is held at once.
        let token = params.partial_result_params.partial_result_token.clone();
        let (batches, mut received) = tokio::sync::mpsc::channel(2);
        let streaming = token.is_some();
        let work = self.off_loop("workspace diagnostics", move |state| {
            let mut held = Vec::new();
            diagnostics::workspace_report(state, &params, &cancelled, &mut |batch| {
                if streaming {
                    let _ = batches.blocking_send(batch);
                } else {
                    held.extend(batch);
                }
            });
            held
        });
        let forward = async {
            let mut first = true;
            while let Some(items) = received.recv().await {
                if let Some(token) = &token {
                    diagnostics::send_partial(&self.outbox, token, items, first).await;
                    first = false;
                }
            }
        };
        let (items, ()) = tokio::join!(work, forward);
        drop(cancel);
        Ok(WorkspaceDiagnosticReportResult::Report(
            WorkspaceDiagnosticReport { items: items? },
        ))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params
            .text_document_position_params
            .text_document
            .uri
            .clone();
        self.on_document_now("hover", &uri, move |state| {
            hover::hover(state, &params.text_document_position_params)
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        self.on_document("document symbols", &uri.clone(), move |state| {
            symbols::document_symbols(state, &uri)
        })
        .await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        self.state.wait_ready().await;
        self.off_loop("workspace symbols", move |state| {
            symbols::workspace_symbols(state, &params.query)
        })
        .await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let uri = params
            .text_document_position_params
            .text_document
            .uri
            .clone();
        self.on_document("definition", &uri, move |state| {
            definition::definition(state, &params.text_document_position_params)
        })
        .await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let uri = params.text_document.uri.clone();
        self.on_document("documentLink", &uri, move |state| {
            links::document_links(state, &params.text_document.uri)
        })
        .await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let uri = params
            .text_document_position_params
            .text_document
            .uri
            .clone();
        self.on_document_now("documentHighlight", &uri, move |state| {
            references::highlights(state, &params.text_document_position_params)
        })
        .await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let uri = params.text_document.uri.clone();
        self.on_document_now("inlayHint", &uri, move |state| {
            inlay::inlay_hints(state, &params)
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let uri = params.text_document_position.text_document.uri.clone();
        self.on_document("references", &uri, move |state| {
            references::references(state, &params)
        })
        .await
    }

    async fn will_rename_files(&self, params: RenameFilesParams) -> Result<Option<WorkspaceEdit>> {
        self.state.wait_ready().await;
        self.off_loop("willRenameFiles", move |state| {
            moves::will_rename(state, &params)
        })
        .await
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        let uri = params.text_document.uri.clone();
        self.on_document_now("selectionRange", &uri, move |state| {
            selection::selection_ranges(state, &params)
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let uri = params.text_document.uri.clone();
        self.on_document("prepareRename", &uri, move |state| {
            rename::prepare_rename(state, &params)
        })
        .await?
        .map_err(refused)
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let uri = params.text_document_position.text_document.uri.clone();
        self.on_document("rename", &uri, move |state| rename::rename(state, &params))
            .await?
            .map_err(refused)
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let uri = params.text_document_position.text_document.uri.clone();
        self.on_document_now("completion", &uri, move |state| {
            completion::completion(state, &params.text_document_position)
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        self.on_document("code actions", &uri, move |state| {
            code_action::code_actions(state, &params)
        })
        .await
    }

    async fn execute_command(
        &self,
        params: ExecuteCommandParams,
    ) -> Result<Option<serde_json::Value>> {
        self.state.wait_ready().await;
        commands::execute(&self.client, &self.state, params).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let uri = params.text_document.uri;
        self.on_document("code lenses", &uri.clone(), move |state| {
            code_lens::code_lenses(state, &uri)
        })
        .await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let uri = params.text_document.uri;
        self.on_document("folding ranges", &uri.clone(), move |state| {
            folding::folding_ranges(state, &uri)
        })
        .await
    }
}

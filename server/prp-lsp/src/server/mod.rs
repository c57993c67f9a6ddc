//! The language server: protocol plumbing only. Each feature lives in its own module and
//! reads the shared [`State`]; the analysis itself is the core crate's.

mod at_cursor;
mod code_action;
mod code_lens;
mod commands;
mod completion;
mod definition;
mod diagnostics;
mod edits;
mod folding;
mod hover;
mod lifecycle;
mod live;
pub mod state;
mod symbols;
mod transport;

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService};

use lifecycle::Changed;
use state::{guarded, State};

pub struct Backend {
    client: Client,
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
        let (service, socket) = LspService::new(|client| Backend {
            client,
            state: Arc::new(State::new()),
        });
        transport::serve(tokio::io::stdin(), tokio::io::stdout(), service, socket).await
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
    /// Applies a document notification; a panic is logged and leaves the state as it was.
    async fn sync(&self, what: &str, apply: impl FnOnce() -> Changed) -> Changed {
        match guarded(what, apply) {
            Ok(changed) => changed,
            Err(e) => {
                self.client.log_message(MessageType::ERROR, e.message).await;
                Changed::Nothing
            }
        }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        Ok(lifecycle::initialize(&self.state, params))
    }

    async fn initialized(&self, _: InitializedParams) {
        // Registration, settings and indexing wait on the client: run them apart so that an
        // `exit` arriving meanwhile is not held up behind this handler.
        let (client, state) = (self.client.clone(), self.state.clone());
        tokio::spawn(async move { lifecycle::initialized(&client, &state).await });
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        // The store is updated before anything awaits, so notifications apply in order.
        let changed = self
            .sync("did_open", || lifecycle::did_open(&self.state, params))
            .await;
        diagnostics::after_change(&self.client, &self.state, changed).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri.clone();
        let changed = self
            .sync("did_change", || lifecycle::did_change(&self.state, params))
            .await;
        if let Changed::Stale { version, current } = changed {
            let message = format!(
                "prp-lsp: ignored a change to {} for version {version}: the document is already at version {current}",
                uri.as_str()
            );
            self.client.log_message(MessageType::LOG, message).await;
        }
        diagnostics::after_change(&self.client, &self.state, changed).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let changed = self
            .sync("did_close", || lifecycle::did_close(&self.state, params))
            .await;
        diagnostics::after_change(&self.client, &self.state, changed).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let changed = self
            .sync("did_change_watched_files", || {
                lifecycle::did_change_watched_files(&self.state, params)
            })
            .await;
        diagnostics::after_change(&self.client, &self.state, changed).await;
        // Deploy lenses follow evidence and documents alike.
        if self.state.support().code_lens_refresh {
            let _ = self.client.code_lens_refresh().await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let changed = lifecycle::did_change_configuration(&self.client, &self.state, params).await;
        diagnostics::after_change(&self.client, &self.state, changed).await;
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        self.state.wait_ready().await;
        guarded("diagnostics", || {
            diagnostics::document_report(&self.state, &params.text_document.uri)
        })
    }

    async fn workspace_diagnostic(
        &self,
        _: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        self.state.wait_ready().await;
        let state = self.state.clone();
        // Whole-workspace work runs off the async threads. A cancelled request drops this
        // future, and with it the guard that tells the work to stop.
        let cancel = CancelOnDrop::default();
        let cancelled = cancel.0.clone();
        let report = tokio::task::spawn_blocking(move || {
            guarded("workspace diagnostics", || {
                diagnostics::workspace_report(&state, &cancelled)
            })
        })
        .await;
        drop(cancel);
        report.map_err(|_| tower_lsp_server::jsonrpc::Error::internal_error())?
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        self.state.wait_ready().await;
        guarded("hover", || {
            hover::hover(&self.state, &params.text_document_position_params)
        })
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.state.wait_ready().await;
        guarded("document symbols", || {
            symbols::document_symbols(&self.state, &params.text_document.uri)
        })
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        self.state.wait_ready().await;
        guarded("workspace symbols", || {
            symbols::workspace_symbols(&self.state, &params.query)
        })
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        self.state.wait_ready().await;
        guarded("definition", || {
            definition::definition(&self.state, &params.text_document_position_params)
        })
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        self.state.wait_ready().await;
        guarded("completion", || {
            completion::completion(&self.state, &params.text_document_position)
        })
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.state.wait_ready().await;
        guarded("code actions", || {
            code_action::code_actions(&self.state, &params)
        })
    }

    async fn execute_command(
        &self,
        params: ExecuteCommandParams,
    ) -> Result<Option<serde_json::Value>> {
        self.state.wait_ready().await;
        commands::execute(&self.client, &self.state, params).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        self.state.wait_ready().await;
        guarded("code lenses", || {
            code_lens::code_lenses(&self.state, &params.text_document.uri)
        })
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.state.wait_ready().await;
        guarded("folding ranges", || {
            folding::folding_ranges(&self.state, &params.text_document.uri)
        })
    }
}

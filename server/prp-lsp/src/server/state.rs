//! What the server holds: the analysed project, the text of open documents (as sent, or a
//! rope once edited, with the editor's versions), and what the client said it can do.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use dashmap::DashMap;
use prp_analysis::text::Encoding;
use ropey::Rope;
use tower_lsp_server::ls_types::{
    ClientCapabilities, Position, ResourceOperationKind, TextDocumentContentChangeEvent, Uri,
};

use crate::convert::TextPositions;
use crate::project::{relative_path, Analyzed, Project};

/// Lock access that survives a panic in another handler: the data is still consistent
/// (every mutation is a whole-value replacement), so a poisoned lock is used as is.
pub trait LockExt<T> {
    fn read_lock(&self) -> RwLockReadGuard<'_, T>;
    fn write_lock(&self) -> RwLockWriteGuard<'_, T>;
}

impl<T> LockExt<T> for RwLock<T> {
    fn read_lock(&self) -> RwLockReadGuard<'_, T> {
        self.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write_lock(&self) -> RwLockWriteGuard<'_, T> {
        self.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Runs a request's computation; a panic becomes an error answer and the server carries on.
pub fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> tower_lsp_server::jsonrpc::Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let mut error = tower_lsp_server::jsonrpc::Error::internal_error();
        error.message = format!("prp-lsp failed while computing {what}: {detail}").into();
        error
    })
}

/// Documents whose diagnostics must be recomputed after a change.
pub enum Changed {
    Nothing,
    Documents {
        /// The document the editor changed (its client re-pulls it by itself).
        edited: Option<String>,
        /// Other documents whose findings may have changed with it.
        others: Vec<String>,
    },
    Everything,
}

/// An open document: the editor owns its text.
pub struct OpenDocument {
    pub uri: Uri,
    pub text: EditorText,
    pub version: i32,
}

/// The editor's text of an open document. Kept whole as sent (shared with the analysis,
/// never copied) until the first incremental change needs a rope: building a rope of a large
/// file on the message loop held up every request behind the `didOpen`.
pub enum EditorText {
    Whole(Arc<String>),
    Rope(Rope),
}

impl EditorText {
    pub fn new(text: Arc<String>) -> EditorText {
        EditorText::Whole(text)
    }

    /// The text to analyse: shared when whole, else collected from the rope.
    pub fn len_bytes(&self) -> usize {
        match self {
            EditorText::Whole(text) => text.len(),
            EditorText::Rope(rope) => rope.len_bytes(),
        }
    }

    pub fn snapshot(&self) -> Arc<String> {
        match self {
            EditorText::Whole(text) => Arc::clone(text),
            EditorText::Rope(rope) => Arc::new(rope.to_string()),
        }
    }

    /// Applies LSP content changes (full or incremental), in order.
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, encoding: Encoding) {
        for change in changes {
            if change.range.is_none() {
                *self = EditorText::Whole(Arc::new(change.text));
                continue;
            }
            if let EditorText::Whole(text) = self {
                *self = EditorText::Rope(Rope::from_str(text));
            }
            if let EditorText::Rope(rope) = self {
                apply_changes(rope, vec![change], encoding);
            }
        }
    }
}

/// What the client can do, read once from `initialize`.
#[derive(Debug, Clone, Default)]
pub struct ClientSupport {
    pub pull_diagnostics: bool,
    pub diagnostic_refresh: bool,
    pub watched_files_registration: bool,
    pub work_done_progress: bool,
    pub configuration: bool,
    pub hierarchical_symbols: bool,
    pub markdown_hover: bool,
    /// `workspace/applyEdit` (commands that change files).
    pub apply_edit: bool,
    pub edits: crate::convert::EditSupport,
    /// Code actions shown but disabled, with the reason (instead of hidden).
    pub disabled_code_actions: bool,
    /// `workspace/codeLens/refresh` (lenses change with the evidence).
    pub code_lens_refresh: bool,
    /// `workspace/inlayHint/refresh` (hints change with status reports and evidence).
    pub inlay_hint_refresh: bool,
    /// The client's views want `prp/overviewChanged` (`experimental.prpOverview`).
    pub overview_notifications: bool,
}

impl ClientSupport {
    pub fn read(caps: &ClientCapabilities) -> ClientSupport {
        let text = caps.text_document.as_ref();
        let workspace = caps.workspace.as_ref();
        ClientSupport {
            pull_diagnostics: text.and_then(|t| t.diagnostic.as_ref()).is_some(),
            diagnostic_refresh: workspace
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            watched_files_registration: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            work_done_progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
            hierarchical_symbols: text
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|s| s.hierarchical_document_symbol_support)
                .unwrap_or(false),
            markdown_hover: text
                .and_then(|t| t.hover.as_ref())
                .and_then(|h| h.content_format.as_ref())
                .is_none_or(|f| f.contains(&tower_lsp_server::ls_types::MarkupKind::Markdown)),
            apply_edit: workspace.and_then(|w| w.apply_edit).unwrap_or(false),
            edits: {
                let edit = workspace.and_then(|w| w.workspace_edit.as_ref());
                let ops = edit.and_then(|e| e.resource_operations.as_ref());
                let has = |k: ResourceOperationKind| ops.is_some_and(|o| o.contains(&k));
                crate::convert::EditSupport {
                    document_changes: edit.and_then(|e| e.document_changes).unwrap_or(false),
                    create: has(ResourceOperationKind::Create),
                    rename: has(ResourceOperationKind::Rename),
                    change_annotations: edit.is_some_and(|e| e.change_annotation_support.is_some()),
                }
            },
            code_lens_refresh: workspace
                .and_then(|w| w.code_lens.as_ref())
                .and_then(|c| c.refresh_support)
                .unwrap_or(false),
            inlay_hint_refresh: workspace
                .and_then(|w| w.inlay_hint.as_ref())
                .and_then(|c| c.refresh_support)
                .unwrap_or(false),
            overview_notifications: caps
                .experimental
                .as_ref()
                .and_then(|e| e.get("prpOverview"))
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
            disabled_code_actions: text
                .and_then(|t| t.code_action.as_ref())
                .and_then(|c| c.disabled_support)
                .unwrap_or(false),
        }
    }
}

pub struct State {
    pub root: RwLock<Option<PathBuf>>,
    /// `None` until the workspace has been indexed. Requests read it under the lock, which
    /// writers hold only briefly (documents are parsed before it is taken); long work (a
    /// diagnostic pull) takes a snapshot, and a change meanwhile copies the project rather
    /// than wait for it.
    project: RwLock<Option<Arc<Project>>>,
    /// Documents with a change not yet in the project: the ticket of the latest change.
    /// Requests on such a document wait for it (see [`State::settled`]).
    pending: DashMap<String, u64>,
    tickets: AtomicU64,
    /// Bumped whenever a document's last pending change is in the project.
    settled_changes: tokio::sync::watch::Sender<u64>,
    pub open: DashMap<String, OpenDocument>,
    pub encoding: RwLock<Encoding>,
    pub support: RwLock<ClientSupport>,
    pub ready: tokio::sync::watch::Sender<bool>,
    /// Documents the client was last sent non-empty diagnostics for (push mode), so that
    /// they can be cleared when their findings go away.
    pub published: DashMap<String, ()>,
    /// Editor settings received before the workspace was indexed.
    pub pending_settings: RwLock<Option<crate::project::EditorSettings>>,
}

impl State {
    pub fn new() -> State {
        State {
            root: RwLock::new(None),
            project: RwLock::new(None),
            pending: DashMap::new(),
            tickets: AtomicU64::new(0),
            settled_changes: tokio::sync::watch::channel(0).0,
            open: DashMap::new(),
            encoding: RwLock::new(Encoding::Utf16),
            support: RwLock::new(ClientSupport::default()),
            ready: tokio::sync::watch::channel(false).0,
            published: DashMap::new(),
            pending_settings: RwLock::new(None),
        }
    }

    pub fn encoding(&self) -> Encoding {
        *self.encoding.read_lock()
    }

    pub fn support(&self) -> ClientSupport {
        self.support.read_lock().clone()
    }

    /// Waits until the workspace is indexed.
    pub async fn wait_ready(&self) {
        let mut rx = self.ready.subscribe();
        let _ = rx.wait_for(|ready| *ready).await;
    }

    /// The key a document is stored under: workspace-relative when inside the root, else
    /// its absolute path (so it is still analysed on its own). Only absolute keys start
    /// with `/`.
    pub fn key_of(&self, uri: &Uri) -> Option<String> {
        let path = uri.to_file_path()?;
        let root = self.root.read_lock();
        Some(
            match root.as_deref().and_then(|r| relative_path(r, &path)) {
                Some(rel) => rel,
                None => path.to_string_lossy().into_owned(),
            },
        )
    }

    /// Runs `f` on the document a request is about: the project, the document's analysis
    /// (the editor's buffer when open) and positions in the negotiated encoding.
    pub fn with_document<T>(
        &self,
        uri: &Uri,
        f: impl FnOnce(&Project, &Analyzed, &TextPositions) -> Option<T>,
    ) -> Option<T> {
        let key = self.key_of(uri)?;
        let guard = self.read_project();
        let project = guard.as_deref()?;
        let analyzed = project.analyzed(&key)?;
        let positions = TextPositions::of(&analyzed, self.encoding());
        f(project, &analyzed, &positions)
    }

    /// The project, read under the lock (`None` until indexed). Keep it short.
    pub fn read_project(&self) -> RwLockReadGuard<'_, Option<Arc<Project>>> {
        self.project.read_lock()
    }

    /// The project as it is now, for work that takes long: holds no lock.
    pub fn snapshot(&self) -> Option<Arc<Project>> {
        self.project.read_lock().clone()
    }

    /// Changes the project (copying it first if a snapshot is being read); `None` until
    /// the workspace is indexed.
    pub fn update_project<R>(&self, f: impl FnOnce(&mut Project) -> R) -> Option<R> {
        let mut guard = self.project.write_lock();
        guard.as_mut().map(|project| f(Arc::make_mut(project)))
    }

    /// [`State::update_project`] for background work (ticks, re-reads), on a blocking
    /// thread: waits, up to half a second, for a moment when no request holds a snapshot,
    /// because a change made while one does copies the whole project under the lock and
    /// an edit arriving meanwhile waits for the copy.
    pub fn update_project_when_unshared<R>(&self, f: impl FnOnce(&mut Project) -> R) -> Option<R> {
        for _ in 0..20 {
            {
                let mut guard = self.project.write_lock();
                let project = guard.as_mut()?;
                if let Some(project) = Arc::get_mut(project) {
                    return Some(f(project));
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        self.update_project(f)
    }

    pub fn set_project(&self, mut project: Project) {
        // The server checks the same documents on every edit, while someone waits.
        project.check_while_editing();
        *self.project.write_lock() = Some(Arc::new(project));
    }

    /// Records a change to `key` that will reach the project later; its ticket.
    pub fn begin_change(&self, key: &str) -> u64 {
        let ticket = self.tickets.fetch_add(1, Ordering::Relaxed) + 1;
        self.pending.insert(key.to_string(), ticket);
        ticket
    }

    /// Whether no change to `key` came after the one with this ticket.
    pub fn is_latest_change(&self, key: &str, ticket: u64) -> bool {
        self.pending.get(key).is_some_and(|t| *t == ticket)
    }

    /// The change with this ticket is in the project (or was superseded).
    pub fn end_change(&self, key: &str, ticket: u64) {
        if self.pending.remove_if(key, |_, t| *t == ticket).is_some() {
            self.settled_changes.send_modify(|n| *n = n.wrapping_add(1));
        }
    }

    /// Waits until every change to `key` the editor sent is in the project, so that a
    /// request answers for the text the editor shows.
    /// Whether the editor's text of `key` is above `[limits] document-size`: its analysis
    /// then takes seconds, longer than any wait of a request made while typing.
    pub fn is_above_document_size(&self, key: &str) -> bool {
        let Some(limit) = self.snapshot().map(|p| p.config.limits.document_size) else {
            return false;
        };
        self.open
            .get(key)
            .is_some_and(|open| open.text.len_bytes() > limit)
    }

    pub async fn settled(&self, key: &str) {
        loop {
            let mut changed = self.settled_changes.subscribe();
            if !self.pending.contains_key(key) {
                return;
            }
            if changed.changed().await.is_err() {
                return;
            }
        }
    }

    /// Waits until every document's changes are in the project (a workspace pull answers
    /// for what the editor shows, like a document pull).
    pub async fn all_settled(&self) {
        loop {
            let mut changed = self.settled_changes.subscribe();
            if self.pending.is_empty() {
                return;
            }
            if changed.changed().await.is_err() {
                return;
            }
        }
    }

    /// [`State::settled`] for at most `budget`; whether the document is settled.
    pub async fn settled_within(&self, key: &str, budget: std::time::Duration) -> bool {
        tokio::time::timeout(budget, self.settled(key))
            .await
            .is_ok()
    }

    pub fn uri_of(&self, key: &str) -> Option<Uri> {
        if let Some(open) = self.open.get(key) {
            return Some(open.uri.clone());
        }
        let root = self.root.read_lock();
        // A relative key names a file in the workspace, existing or about to be created.
        let path: PathBuf = match root.as_deref() {
            Some(r) if !Path::new(key).is_absolute() => r.join(key),
            _ => PathBuf::from(key),
        };
        crate::convert::file_uri(&path)
    }
}

/// Char index of an LSP position in a rope; out-of-range positions clamp to the end of
/// their line or of the text.
fn position_to_char(rope: &Rope, position: Position, encoding: Encoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let line_start = rope.line_to_char(line);
    let mut remaining = position.character as usize;
    for (i, c) in rope.line(line).chars().enumerate() {
        if c == '\n' || c == '\r' || remaining == 0 {
            return line_start + i;
        }
        let width = match encoding {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        };
        if width > remaining {
            return line_start + i;
        }
        remaining -= width;
    }
    line_start + rope.line(line).len_chars()
}

/// Applies LSP content changes (full or incremental) to a rope, in order.
pub fn apply_changes(
    rope: &mut Rope,
    changes: Vec<TextDocumentContentChangeEvent>,
    encoding: Encoding,
) {
    for change in changes {
        match change.range {
            None => *rope = Rope::from_str(&change.text),
            Some(range) => {
                let start = position_to_char(rope, range.start, encoding);
                let end = position_to_char(rope, range.end, encoding).max(start);
                rope.remove(start..end);
                rope.insert(start, &change.text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::Range;

    fn change(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range {
                start: Position {
                    line: l1,
                    character: c1,
                },
                end: Position {
                    line: l2,
                    character: c2,
                },
            }),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn editor_text_stays_shared_until_an_incremental_change() {
        let sent = Arc::new("one\ntwo\n".to_string());
        let mut text = EditorText::new(Arc::clone(&sent));
        assert!(
            Arc::ptr_eq(&text.snapshot(), &sent),
            "the didOpen text is not copied"
        );

        text.apply(vec![change(1, 0, 1, 3, "2")], Encoding::Utf16);
        assert!(matches!(text, EditorText::Rope(_)));
        assert_eq!(text.snapshot().as_str(), "one\n2\n");

        // A full-text change, then an incremental one in the same notification.
        let full = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "a\nb".into(),
        };
        text.apply(vec![full.clone()], Encoding::Utf16);
        assert!(matches!(text, EditorText::Whole(_)));
        text.apply(vec![full, change(0, 1, 0, 1, "!")], Encoding::Utf16);
        assert_eq!(text.snapshot().as_str(), "a!\nb");
    }

    #[test]
    fn incremental_edits_after_emoji_in_utf16() {
        let mut rope = Rope::from_str("## 🎯 Goal\nBody\n");
        // `Goal` starts at UTF-16 column 6 (the emoji is two code units).
        apply_changes(
            &mut rope,
            vec![change(0, 6, 0, 10, "Objective")],
            Encoding::Utf16,
        );
        assert_eq!(rope.to_string(), "## 🎯 Objective\nBody\n");
        apply_changes(
            &mut rope,
            vec![change(1, 0, 1, 4, "Text"), change(5, 0, 5, 0, "!")],
            Encoding::Utf16,
        );
        assert_eq!(rope.to_string(), "## 🎯 Objective\nText\n!");
    }

    #[test]
    fn utf8_columns_count_bytes() {
        let mut rope = Rope::from_str("é x\n");
        apply_changes(&mut rope, vec![change(0, 3, 0, 4, "y")], Encoding::Utf8);
        assert_eq!(rope.to_string(), "é y\n");
    }
}

//! `workspace/willRenameFiles`: before the editor moves or renames PRPs, the edits that keep
//! every reference to them true (computed by `prp_analysis::fixes::file_moved`). A move into
//! another stage's folder also sets the Status line, as a separately labelled change where
//! the client shows change annotations (and not at all where it does not: the
//! `status-mismatch` quick fix remains).

use tower_lsp_server::ls_types::*;

use super::state::State;
use prp_analysis::edit::{merge, ChangeKind};
use prp_analysis::fixes::file_moved;

pub fn will_rename(state: &State, params: &RenameFilesParams) -> Option<WorkspaceEdit> {
    let project = state.snapshot()?;
    let (mut references, mut statuses) = (Vec::new(), Vec::new());
    for file in &params.files {
        let (Ok(old), Ok(new)) = (file.old_uri.parse::<Uri>(), file.new_uri.parse::<Uri>()) else {
            continue;
        };
        let (Some(from), Some(to)) = (state.key_of(&old), state.key_of(&new)) else {
            continue;
        };
        // A move out of the workspace leaves nothing to keep true inside it.
        if crate::project::writable(&project.root, &to).is_err() {
            continue;
        }
        let Some(a) = project.analyzed(&from) else {
            continue;
        };
        if let Some(m) = file_moved(
            &a.doc,
            &a.text,
            &project.ws,
            &project.config,
            &*project,
            &to,
        ) {
            references.push(m.references);
            statuses.extend(m.status);
        }
    }
    if references.is_empty() && statuses.is_empty() {
        return None;
    }
    let title = "Update references to moved PRPs";
    let change = merge(title, ChangeKind::Refactor, references);
    let mut edit = super::edits::workspace_edit(state, &project, &change).ok()?;
    let support = state.support().edits;
    if support.change_annotations && support.document_changes && !statuses.is_empty() {
        let label = match statuses.as_slice() {
            [one] => one.title.clone(),
            _ => "Set the Status of the moved PRPs".to_string(),
        };
        let status = merge(label.clone(), ChangeKind::Refactor, statuses);
        if let Ok(extra) = super::edits::workspace_edit(state, &project, &status) {
            crate::convert::add_annotated(&mut edit, extra, "prp-lsp.status", label);
        }
    }
    Some(edit)
}

//! Turning the core's proposed changes into edits the client applies: versioned against the
//! text they were computed from, refused (with the reason) where the client cannot apply them.

use prp_analysis::edit::{Change, FileChange, TextSource};
use prp_analysis::text::Encoding;
use tower_lsp_server::ls_types::{Uri, WorkspaceEdit};

use super::state::State;
use crate::convert::{self, DocumentLookup};
use crate::project::{writable, Project};

struct ServerDocuments<'a> {
    state: &'a State,
    project: &'a Project,
}

impl DocumentLookup for ServerDocuments<'_> {
    fn uri(&self, path: &str) -> Option<Uri> {
        self.state.uri_of(path)
    }

    fn current(&self, path: &str) -> Option<(String, Option<i32>)> {
        let text = self.project.text(path)?;
        Some((text, self.project.open_version(path)))
    }

    fn encoding(&self) -> Encoding {
        self.state.encoding()
    }
}

/// The change as a `WorkspaceEdit` for this client, or why it cannot be applied here.
/// Files created or renamed, and files edited that are not open in the editor, must be
/// inside the workspace ([`crate::project::writable`]); the editor's own buffers are the
/// user's to change.
pub fn workspace_edit(
    state: &State,
    project: &Project,
    change: &Change,
) -> Result<WorkspaceEdit, String> {
    for c in &change.changes {
        match c {
            FileChange::Create { path, .. } => {
                writable(&project.root, path)?;
            }
            FileChange::Rename { from, to } => {
                writable(&project.root, from)?;
                writable(&project.root, to)?;
            }
            FileChange::Edit { path, .. } if project.open_version(path).is_none() => {
                writable(&project.root, path)?;
            }
            FileChange::Edit { .. } => {}
        }
    }
    convert::workspace_edit(
        change,
        &ServerDocuments { state, project },
        state.support().edits,
    )
}

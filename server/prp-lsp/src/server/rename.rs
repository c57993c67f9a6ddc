//! Rename: computed by `prp_analysis::ide::rename` (an agent's assignments, mentions,
//! context file, status files and configuration) and `prp_analysis::fixes::renumber_prp`
//! (a PRP's number: file name, title, paths and `PRP-07` mentions), converted here into one
//! versioned `WorkspaceEdit`. A refusal is an error whose message the editor shows.

use tower_lsp_server::ls_types::*;

use super::state::State;
use prp_analysis::edit::TextSource;
use prp_analysis::ide::references::{candidates, Target};
use prp_analysis::ide::rename::{prepare_at, rename_agent, OtherFiles, Renamed};

/// `textDocument/prepareRename`: the id under the cursor and its range, `Ok(None)` off an
/// agent, `Err` (shown) for an agent that cannot be renamed here.
pub fn prepare_rename(
    state: &State,
    params: &TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>, String> {
    let found = state.with_document(&params.text_document.uri, |project, a, positions| {
        let offset = positions.offset(params.position);
        Some(
            prepare_at(&a.doc, &a.text, &project.ws, offset)?.map(|(span, offered, _)| {
                PrepareRenameResponse::RangeWithPlaceholder {
                    range: positions.range(&span),
                    placeholder: offered,
                }
            }),
        )
    });
    found.transpose()
}

/// `textDocument/rename`: the edit, or why it is refused.
pub fn rename(state: &State, params: &RenameParams) -> Result<Option<WorkspaceEdit>, String> {
    let position = &params.text_document_position;
    let Some(renamed) =
        state.with_document(&position.text_document.uri, |project, a, positions| {
            prepare_at(
                &a.doc,
                &a.text,
                &project.ws,
                positions.offset(position.position),
            )
        })
    else {
        return Ok(None);
    };
    let project = state
        .snapshot()
        .ok_or("the workspace is not indexed yet: try again in a moment")?;
    let id = match renamed?.2 {
        Renamed::Agent(id) => id,
        Renamed::PrpNumber(path) => {
            let a = project
                .analyzed(&path)
                .ok_or_else(|| format!("cannot read `{path}`"))?;
            let change = prp_analysis::fixes::renumber_prp(
                &a.doc,
                &a.text,
                &project.ws,
                &project.config,
                &*project,
                &params.new_name,
            )?;
            return super::edits::workspace_edit(state, &project, &change).map(Some);
        }
    };
    let paths = candidates(&project.ws, &Target::Agent(id.clone()));
    let analyzed: Vec<_> = paths
        .iter()
        .filter_map(|p| Some((p.as_str(), project.analyzed(p)?)))
        .collect();
    let documents: Vec<_> = analyzed
        .iter()
        .map(|(p, a)| (*p, &*a.doc, a.text.as_str()))
        .collect();
    let status = project.status_files_of(&id);
    let config = project
        .config_file_in_use()
        .and_then(|path| Some((path.clone(), project.text(&path)?)));
    let change = rename_agent(
        &project.ws,
        &id,
        &params.new_name,
        &documents,
        &OtherFiles { status, config },
    )?;
    super::edits::workspace_edit(state, &project, &change).map(Some)
}

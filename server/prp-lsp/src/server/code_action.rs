//! Code actions: quick fixes for findings, fix-all, moving finished PRPs, marking tasks done,
//! assigning tasks to agents, generating a PRP from a requirement and opening the PRP a
//! TASK.md item links. Every action that changes text carries a versioned edit computed from
//! the text the editor has now; "Open PRP-NN" runs the `prp.openPrp` command.

use prp_analysis::ide::actions::{self, Action, ActionInput, ActionKind, Wanted};
use tower_lsp_server::ls_types::*;

use super::state::State;
use crate::convert::{self, TextPositions};
use crate::project::today;

/// The fix-all kind editors request on save (`source.fixAll.prp-lsp`).
pub const FIX_ALL: CodeActionKind = CodeActionKind::new("source.fixAll.prp-lsp");

fn wanted(only: &Option<Vec<CodeActionKind>>, kind: &CodeActionKind) -> bool {
    match only {
        None => kind != &FIX_ALL,
        Some(kinds) => kinds.iter().any(|k| {
            kind.as_str() == k.as_str() || kind.as_str().starts_with(&format!("{}.", k.as_str()))
        }),
    }
}

fn lsp_kind(kind: ActionKind) -> CodeActionKind {
    match kind {
        ActionKind::QuickFix => CodeActionKind::QUICKFIX,
        ActionKind::Refactor => CodeActionKind::REFACTOR_REWRITE,
        ActionKind::FixAll => FIX_ALL,
        // Neither a fix nor a refactoring: the empty kind still tells clients this is a
        // code action that runs a command, not a bare command.
        ActionKind::Open => CodeActionKind::EMPTY,
    }
}

pub fn code_actions(state: &State, params: &CodeActionParams) -> Option<CodeActionResponse> {
    let key = state.key_of(&params.text_document.uri)?;
    let guard = state.read_project();
    let project = guard.as_deref()?;
    let a = project.analyzed(&key)?;
    let positions = TextPositions::new(&a.text, state.encoding());
    let span = positions.offset(params.range.start)..positions.offset(params.range.end);
    let only = &params.context.only;
    let wanted = Wanted {
        fixes: wanted(only, &CodeActionKind::QUICKFIX) || wanted(only, &CodeActionKind::REFACTOR),
        rewrites: wanted(only, &CodeActionKind::REFACTOR_REWRITE),
        fix_all: wanted(only, &FIX_ALL),
    };
    let findings = project.diagnostics_of(&a);
    let input = ActionInput {
        doc: &a.doc,
        text: &a.text,
        ws: &project.ws,
        config: &project.config,
        texts: project,
        findings: &findings,
        today: today(),
    };
    let uri = state.uri_of(&key);
    let other = |rel: &str| state.uri_of(rel);
    let disabled_supported = state.support().disabled_code_actions;
    let mut out = Vec::new();
    for action in actions::actions(&input, span, wanted) {
        let Action {
            change,
            kind,
            fixes,
            refused,
            open,
        } = action;
        if let Some(path) = open {
            let Some(target) = state.uri_of(&path) else {
                continue;
            };
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: change.title.clone(),
                kind: Some(lsp_kind(kind)),
                command: Some(Command {
                    title: change.title,
                    command: super::commands::OPEN_PRP.to_string(),
                    arguments: Some(vec![serde_json::Value::String(target.to_string())]),
                }),
                ..CodeAction::default()
            }));
            continue;
        }
        let diagnostics: Vec<Diagnostic> = fixes
            .iter()
            .filter_map(|i| findings.get(*i))
            .map(|d| {
                convert::with_rule_page(
                    convert::diagnostic(d, &positions, uri.as_ref(), &other),
                    d.rule,
                    &project.config,
                )
            })
            .collect();
        let edit = match refused {
            Some(reason) => Err(reason),
            None => super::edits::workspace_edit(state, project, &change),
        };
        let (edit, disabled) = match edit {
            Ok(edit) => (Some(edit), None),
            Err(_) if !disabled_supported => continue,
            Err(reason) => (None, Some(CodeActionDisabled { reason })),
        };
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: change.title,
            kind: Some(lsp_kind(kind)),
            diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
            edit,
            is_preferred: change.preferred.then_some(true),
            disabled,
            ..CodeAction::default()
        }));
    }
    Some(out)
}

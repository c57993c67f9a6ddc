//! Code actions: quick fixes for findings, fix-all, moving finished PRPs, marking tasks done,
//! assigning tasks to agents, generating a PRP from a requirement and opening the PRP a
//! TASK.md item links. Every action that changes text carries a versioned edit computed from
//! the text the editor has now; "Open PRP-NN" runs the `prp.openPrp` command.

use prp_analysis::document::{Document, MarkerState, TaskSource};
use prp_analysis::edit::{Change, ChangeKind};
use prp_analysis::{assign, fixes, generate};
use tower_lsp_server::ls_types::*;

use super::state::State;
use crate::convert::{self, TextPositions};
use crate::project::{today, Analyzed, Project};

/// The fix-all kind editors request on save (`source.fixAll.prp-lsp`).
pub const FIX_ALL: CodeActionKind = CodeActionKind::new("source.fixAll.prp-lsp");

/// How many agents to offer for one task.
const MAX_CANDIDATES: usize = 4;

fn wanted(only: &Option<Vec<CodeActionKind>>, kind: &CodeActionKind) -> bool {
    match only {
        None => kind != &FIX_ALL,
        Some(kinds) => kinds.iter().any(|k| {
            kind.as_str() == k.as_str() || kind.as_str().starts_with(&format!("{}.", k.as_str()))
        }),
    }
}

fn lsp_kind(change: &Change) -> CodeActionKind {
    match change.kind {
        ChangeKind::QuickFix => CodeActionKind::QUICKFIX,
        ChangeKind::Refactor => CodeActionKind::REFACTOR_REWRITE,
    }
}

/// The task (index into `doc.tasks`) the cursor is in: its heading or line, or the notes
/// and assignment lines below it. Tasks nest (a fence task inside a task section), so the
/// one that starts last wins.
fn task_at(doc: &Document, offset: usize) -> Option<usize> {
    doc.tasks
        .iter()
        .rposition(|t| t.span.start <= offset && (offset <= t.span.end || offset < t.end))
}

struct Collected {
    change: Change,
    kind: CodeActionKind,
    diagnostics: Vec<Diagnostic>,
    /// Why the action cannot be taken (shown disabled where the editor can).
    refused: Option<String>,
    /// A command to run instead of an edit.
    command: Option<Command>,
}

impl Collected {
    fn new(change: Change, kind: CodeActionKind) -> Collected {
        Collected {
            change,
            kind,
            diagnostics: Vec::new(),
            refused: None,
            command: None,
        }
    }
}

fn collect(
    state: &State,
    project: &Project,
    key: &str,
    a: &Analyzed,
    params: &CodeActionParams,
) -> Vec<Collected> {
    let doc = &a.doc;
    let text: &str = &a.text;
    let (ws, config) = (&project.ws, &*project.config);
    let positions = TextPositions::new(text, state.encoding());
    let span = positions.offset(params.range.start)..positions.offset(params.range.end);
    let today = today();
    let only = &params.context.only;
    let uri = state.uri_of(key);
    let other = |rel: &str| state.uri_of(rel);
    let mut out = Vec::new();

    let findings = project.diagnostics_of(a);
    let touching: Vec<&prp_analysis::Diagnostic> = findings
        .iter()
        .filter(|d| {
            let line = |o: usize| positions.position(o).line;
            line(d.span.start) <= line(span.end) && line(span.start) <= line(d.span.end)
        })
        .collect();
    if wanted(only, &CodeActionKind::QUICKFIX) || wanted(only, &CodeActionKind::REFACTOR) {
        for d in &touching {
            let lsp_diagnostic = convert::with_rule_page(
                convert::diagnostic(d, &positions, uri.as_ref(), &other),
                d.rule,
                config,
            );
            for change in fixes::fixes_for(doc, text, ws, config, d, project) {
                let kind = lsp_kind(&change);
                out.push(Collected {
                    diagnostics: vec![lsp_diagnostic.clone()],
                    ..Collected::new(change, kind)
                });
            }
        }
        for change in fixes::document_actions(doc, text, ws, config, span.clone(), project, today) {
            let kind = lsp_kind(&change);
            out.push(Collected::new(change, kind));
        }
    }
    if wanted(only, &CodeActionKind::REFACTOR_REWRITE) {
        if let Some(task) = task_at(doc, span.start) {
            // The current assignee is never offered; a reassignment a finding's quick fix
            // already offers is not offered twice.
            let offered: Vec<String> = out.iter().map(|c| c.change.title.clone()).collect();
            for change in assign::assign_changes(doc, text, task, ws, config)
                .into_iter()
                .filter(|c| !offered.contains(&c.title))
                .take(MAX_CANDIDATES)
            {
                out.push(Collected::new(change, CodeActionKind::REFACTOR_REWRITE));
            }
        }
        // Routing every task of a document above the size limit is the work the limit skips.
        let whole = text.len() <= config.limits.document_size;
        if let Some(change) = whole
            .then(|| assign::assign_all(doc, text, ws, config))
            .flatten()
        {
            out.push(Collected::new(change, CodeActionKind::REFACTOR_REWRITE));
        }
        out.extend(generate_actions(state, project, a, span.clone(), today));
    }
    if wanted(only, &FIX_ALL) && !findings.is_empty() {
        if let Some(change) = fixes::fix_all(doc, text, ws, config, &findings, project) {
            out.push(Collected::new(change, FIX_ALL));
        }
    }
    out
}

const MIN_SELECTED_LETTERS: usize = 4;

/// "Open PRP-NN": runs `prp.openPrp`, which asks the editor to show the file.
fn open_action(state: &State, linked: &fixes::LinkedPrp) -> Option<Collected> {
    let uri = state.uri_of(&linked.path)?;
    let title = linked.title();
    Some(Collected {
        command: Some(Command {
            title: title.clone(),
            command: super::commands::OPEN_PRP.to_string(),
            arguments: Some(vec![serde_json::Value::String(uri.to_string())]),
        }),
        ..Collected::new(
            Change::new(title, ChangeKind::Refactor, vec![]),
            CodeActionKind::EMPTY,
        )
    })
}

/// "Generate PRP" from the TASK.md item, the requirement block or the selection under the
/// cursor; "Open PRP-NN" instead on an item that already links a PRP.
fn generate_actions(
    state: &State,
    project: &Project,
    a: &Analyzed,
    span: std::ops::Range<usize>,
    today: prp_analysis::document::scan::Date,
) -> Vec<Collected> {
    let doc = &a.doc;
    let text: &str = &a.text;
    let (ws, config) = (&project.ws, &*project.config);
    let mut sources: Vec<(generate::Requirement, Option<generate::LinkBack>)> = Vec::new();
    let mut opens = Vec::new();
    if let Some(index) = task_at(doc, span.start) {
        let task = &doc.tasks[index];
        let linked = if task.source == TaskSource::BoardItem {
            fixes::linked_prps(doc, text, index, ws)
        } else {
            Vec::new()
        };
        opens.extend(linked.iter().filter_map(|l| open_action(state, l)));
        if linked.is_empty()
            && task.source == TaskSource::BoardItem
            && task.state != Some(MarkerState::Done)
        {
            if let Some(item) = doc.checklist.iter().position(|c| c.line == task.span) {
                let requirement = generate::requirement_from_task_item(doc, text, item);
                sources.push((requirement, Some(generate::LinkBack::after_item(doc, item))));
            }
        }
    }
    for (block, parsed) in generate::requirement_blocks(doc, text) {
        if block.start <= span.start && span.start <= block.end {
            if let Ok(requirement) = parsed {
                sources.push((requirement, None));
            }
        }
    }
    if sources.is_empty() && opens.is_empty() && span.end > span.start {
        let selected = text[span.clone()].trim();
        // Editors whose cursor is a one-character selection (Helix, Kakoune) send it with
        // every request; a requirement needs at least a word.
        if selected.chars().filter(|c| c.is_alphanumeric()).count() >= MIN_SELECTED_LETTERS {
            sources.push((generate::requirement_from_text(selected), None));
        }
    }
    let generated = sources.into_iter().map(|(requirement, link_back)| {
        let kind = CodeActionKind::REFACTOR_REWRITE;
        match generate::generate(&requirement, link_back.as_ref(), ws, config, project, today) {
            Ok(generated) => {
                // A fallback template or placeholders left to fill: say so where the
                // user chooses.
                let mut change = generated.change;
                if !generated.warnings.is_empty() {
                    change.title = format!("{} ({})", change.title, generated.warnings.join("; "));
                }
                Collected::new(change, kind)
            }
            Err(refusal) => {
                let title = format!("Generate PRP: {}", requirement.title);
                Collected {
                    refused: Some(refusal),
                    ..Collected::new(Change::new(title, ChangeKind::Refactor, vec![]), kind)
                }
            }
        }
    });
    opens.into_iter().chain(generated).collect()
}

pub fn code_actions(state: &State, params: &CodeActionParams) -> Option<CodeActionResponse> {
    let key = state.key_of(&params.text_document.uri)?;
    let guard = state.read_project();
    let project = guard.as_deref()?;
    let a = project.analyzed(&key)?;
    let disabled_supported = state.support().disabled_code_actions;
    let mut actions = Vec::new();
    for Collected {
        change,
        kind,
        diagnostics,
        refused,
        command,
    } in collect(state, project, &key, &a, params)
    {
        if let Some(command) = command {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: change.title,
                // A kind (the empty one: it is neither a fix nor a refactoring) also tells
                // clients this is a code action that runs a command, not a bare command.
                kind: Some(kind),
                command: Some(command),
                ..CodeAction::default()
            }));
            continue;
        }
        let edit = match refused {
            Some(reason) => Err(reason),
            None => super::edits::workspace_edit(state, project, &change),
        };
        let (edit, disabled) = match edit {
            Ok(edit) => (Some(edit), None),
            Err(_) if !disabled_supported => continue,
            Err(reason) => (None, Some(CodeActionDisabled { reason })),
        };
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: change.title,
            kind: Some(kind),
            diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
            edit,
            is_preferred: change.preferred.then_some(true),
            disabled,
            ..CodeAction::default()
        }));
    }
    Some(actions)
}

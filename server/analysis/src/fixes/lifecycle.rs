//! Lifecycle fixes: tick open criteria, set the Status line, move a PRP to the folder of its
//! stage (with every reference to it rewritten).

use super::paths::{file_name, move_document};
use super::Input;
use crate::document::{lifecycle_from_folder, lifecycle_from_status, Lifecycle, MarkerState, Span};
use crate::edit::{Change, ChangeKind, TextEdit};
use crate::workspace::prp_namespace;

/// Folder names of each stage, the usual one first.
fn folder_names(stage: Lifecycle) -> &'static [&'static str] {
    match stage {
        Lifecycle::Finished => &["archive", "completed", "done"],
        Lifecycle::Active => &["active", "in_progress", "in-progress", "current", "wip"],
        Lifecycle::Planning => &["planning", "backlog", "drafts", "draft", "proposed"],
        Lifecycle::Unknown => &[],
    }
}

/// The folder of a stage in the PRP's `PRPs` folder: the one the workspace has, else the
/// usual name. `None` outside a `PRPs` folder.
fn stage_folder(input: &Input, stage: Lifecycle) -> Option<String> {
    let namespace = prp_namespace(&input.doc.path);
    if namespace.is_empty() {
        return None;
    }
    let names = folder_names(stage);
    let name = names
        .iter()
        .find(|n| input.ws.is_dir(&format!("{namespace}/{n}")))
        .or(names.first())?;
    Some(format!("{namespace}/{name}"))
}

/// The Status value a stage is written as.
fn status_word(stage: Lifecycle) -> Option<&'static str> {
    match stage {
        Lifecycle::Finished => Some("Complete"),
        Lifecycle::Active => Some("In Progress"),
        Lifecycle::Planning => Some("Planning"),
        Lifecycle::Unknown => None,
    }
}

/// Replaces the Status value, in the case and quotes it was written with.
fn set_status(input: &Input, span: &Span, word: &str) -> TextEdit {
    let raw = &input.text[span.clone()];
    let quote = ['"', '\'']
        .into_iter()
        .find(|q| raw.len() >= 2 && raw.starts_with(*q) && raw.ends_with(*q));
    let inner = quote.map(|_| &raw[1..raw.len() - 1]).unwrap_or(raw);
    let lowercase =
        inner.chars().any(char::is_alphabetic) && !inner.chars().any(char::is_uppercase);
    let word = if lowercase {
        word.to_lowercase()
    } else {
        word.to_string()
    };
    let value = match quote {
        Some(q) => format!("{q}{word}{q}"),
        None => word,
    };
    TextEdit::replace(span.clone(), value)
}

/// A move of the PRP to the folder of `stage`, with its references.
fn move_to_stage(
    input: &Input,
    stage: Lifecycle,
    title: impl Fn(&str) -> String,
    own: Vec<TextEdit>,
) -> Option<Change> {
    let folder = stage_folder(input, stage)?;
    let new = format!("{folder}/{}", file_name(&input.doc.path));
    let shown = folder.rsplit('/').next().unwrap_or(&folder);
    move_document(input, title(shown), ChangeKind::Refactor, &new, own)
}

pub(super) fn open_criteria(input: &Input, markers: &[Span]) -> Vec<Change> {
    let mut out = Vec::new();
    let edits: Vec<TextEdit> = markers
        .iter()
        .filter(|m| {
            input
                .text
                .get((*m).clone())
                .is_some_and(|t| t.contains(' '))
        })
        .map(|m| TextEdit::replace(m.clone(), "[x]"))
        .collect();
    if !edits.is_empty() {
        let title = match edits.len() {
            1 => "Tick the open item".to_string(),
            n => format!("Tick the {n} open items"),
        };
        out.push(input.edit(title, edits));
    }
    if lifecycle_from_folder(&input.doc.path) != Lifecycle::Active {
        out.extend(move_to_stage(
            input,
            Lifecycle::Active,
            |f| format!("Move the PRP back to {f}/"),
            Vec::new(),
        ));
    }
    out
}

/// "Tick this item" for a pre-deployment checklist item whose gate passes.
pub(super) fn tick_gate_item(input: &Input, marker: &Span) -> Option<Change> {
    input.text.get(marker.clone())?.contains(' ').then(|| {
        let mut change = input.edit(
            "Tick this item",
            vec![TextEdit::replace(marker.clone(), "[x]")],
        );
        change.preferred = true;
        change
    })
}

pub(super) fn status_mismatch(
    input: &Input,
    span: &Span,
    folder: Lifecycle,
    stated: Lifecycle,
) -> Vec<Change> {
    let mut out = Vec::new();
    let mut set = |stage: Lifecycle| {
        if let Some(word) = status_word(stage) {
            let edit = set_status(input, span, word);
            out.push(input.edit(format!("Set Status to {word}"), vec![edit]));
        }
    };
    match (folder, stated) {
        // In a finished folder, still planned or in progress: finished, or not yet?
        (Lifecycle::Finished, Lifecycle::Planning | Lifecycle::Active) => {
            set(Lifecycle::Finished);
            out.extend(move_to_stage(
                input,
                stated,
                |f| format!("Move the PRP to {f}/"),
                Vec::new(),
            ));
        }
        // Complete, but still among the plans.
        (Lifecycle::Planning, Lifecycle::Finished) => {
            set(Lifecycle::Planning);
            out.extend(move_to_stage(
                input,
                Lifecycle::Finished,
                |f| format!("Move the PRP to {f}/"),
                Vec::new(),
            ));
        }
        // Complete with nothing ticked: the Status is what is wrong, unless the folder says
        // finished too.
        (Lifecycle::Active | Lifecycle::Unknown, Lifecycle::Finished) => set(Lifecycle::Active),
        _ => {}
    }
    out
}

/// The Status line a move to `new` implies: `Complete` in an archive folder, `In Progress`
/// in an active one, `Planning` in a planning one, when the Status says another stage.
pub(crate) fn status_after_move(input: &Input, new: &str) -> Option<(TextEdit, &'static str)> {
    let stage = lifecycle_from_folder(new);
    let word = status_word(stage)?;
    let status = input.doc.metadata.status.as_ref()?;
    (lifecycle_from_status(&status.value) != stage)
        .then(|| (set_status(input, &status.span, word), word))
}

/// "Move to archive" for a PRP in `active/` whose every criterion and task is ticked; a
/// Status that says otherwise becomes Complete in the same change.
pub(super) fn move_to_archive(input: &Input) -> Option<Change> {
    let doc = input.doc;
    if lifecycle_from_folder(&doc.path) != Lifecycle::Active {
        return None;
    }
    let items = doc.checklist.iter().filter(|c| !doc.in_example(c.section));
    let task_states = doc.tasks.iter().filter_map(|t| t.state);
    let (mut any, mut open) = (false, false);
    for c in items {
        any = true;
        open |= c.is_open();
    }
    for state in task_states {
        any = true;
        open |= state != MarkerState::Done;
    }
    if !any || open {
        return None;
    }
    let own = doc
        .metadata
        .status
        .as_ref()
        .filter(|s| lifecycle_from_status(&s.value) != Lifecycle::Finished)
        .map(|s| set_status(input, &s.span, "Complete"))
        .into_iter()
        .collect();
    move_to_stage(input, Lifecycle::Finished, |f| format!("Move to {f}"), own)
}

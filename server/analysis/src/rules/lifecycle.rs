//! Lifecycle rules: a finished PRP with open criteria, and a Status line that contradicts
//! the folder or the checkboxes.

use super::{Context, Rule};
use crate::diagnostic::FixHint;
use crate::document::{lifecycle_from_folder, lifecycle_from_status, Document, Lifecycle, Spanned};

const CRITERIA: [&str; 2] = ["Success Criteria", "Final Validation Checklist"];

pub(super) fn check(cx: &mut Context) {
    open_criteria_in_finished(cx);
    status_mismatch(cx);
}

/// The lifecycle the PRP's Status line states, with the line.
fn stated(doc: &Document) -> Option<(&Spanned<String>, Lifecycle)> {
    doc.metadata
        .status
        .as_ref()
        .map(|s| (s, lifecycle_from_status(&s.value)))
}

/// `open-criteria-in-finished`: a PRP in an archive folder, or saying it is complete, with
/// unticked Success Criteria or Final Validation items.
fn open_criteria_in_finished(cx: &mut Context) {
    let doc = cx.doc;
    let folder = lifecycle_from_folder(&doc.path);
    let finished = folder == Lifecycle::Finished
        || (folder == Lifecycle::Unknown
            && stated(doc).is_some_and(|(_, l)| l == Lifecycle::Finished));
    if finished {
        for (i, section) in doc.sections.iter().enumerate() {
            let Some(canonical) = section
                .canonical
                .as_deref()
                .filter(|c| CRITERIA.contains(c))
            else {
                continue;
            };
            if doc.in_example(Some(i)) {
                continue;
            }
            // `### Success Criteria` › `#### Definition of Done`: the outer section already
            // counts the inner one's items; report them once.
            let nested_in_criteria = doc.within_any(doc.sections[i].parent, |s| {
                s.canonical
                    .as_deref()
                    .is_some_and(|c| CRITERIA.contains(&c))
            });
            if nested_in_criteria {
                continue;
            }
            let items: Vec<_> = doc
                .checklist_within(section.heading.start..section.end)
                .iter()
                .filter(|c| doc.is_within(c.section, i))
                .collect();
            let open: Vec<_> = items.iter().filter(|c| c.is_open()).collect();
            if open.is_empty() {
                continue;
            }
            let why = if folder == Lifecycle::Finished {
                format!("is in {}/", doc.dir().rsplit('/').next().unwrap_or(""))
            } else {
                "says it is complete".to_string()
            };
            let first = open[0].text.chars().take(60).collect::<String>();
            let message = format!(
                "this PRP {why} but {} of {} {canonical} items are still open (first: \"{first}\"); tick them if they are done, or move the PRP back to active/",
                open.len(),
                items.len()
            );
            let related: Vec<_> = open
                .iter()
                .map(|c| Context::related_here(c.line.clone(), "open item"))
                .collect();
            let d = cx.report(
                Rule::OpenCriteriaInFinished,
                section.heading.clone(),
                message,
            );
            d.related = related;
            d.hint = Some(FixHint::OpenCriteria {
                markers: open.iter().map(|c| c.marker.clone()).collect(),
            });
        }
    }
}

/// `status-mismatch`: a Status line that contradicts the folder or the checkboxes.
fn status_mismatch(cx: &mut Context) {
    let doc = cx.doc;
    let folder = lifecycle_from_folder(&doc.path);
    let Some((status, stated)) = stated(doc) else {
        return;
    };
    let total = doc.checklist.len();
    let checked = doc.checklist.iter().filter(|c| c.checked).count();
    let folder_name = doc.dir().rsplit('/').next().unwrap_or("").to_string();
    let message = match (folder, stated) {
        (Lifecycle::Finished, Lifecycle::Planning | Lifecycle::Active) => Some(format!(
            "Status says \"{}\" but the PRP is in {folder_name}/, where finished PRPs live; set the Status to Complete, or move the PRP back to active/",
            status.value
        )),
        (Lifecycle::Planning, Lifecycle::Finished) => Some(format!(
            "Status says \"{}\" but the PRP is still in {folder_name}/; move it to the archive, or correct the Status",
            status.value
        )),
        (_, Lifecycle::Finished) if total > 0 && checked == 0 => Some(format!(
            "Status says \"{}\" but none of the {total} checklist items is ticked; tick what is done, or correct the Status",
            status.value
        )),
        _ => None,
    };
    if let Some(message) = message {
        cx.report(Rule::StatusMismatch, status.span.clone(), message)
            .hint = Some(FixHint::StatusMismatch { folder, stated });
    }
}

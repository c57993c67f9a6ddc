//! Renumbering a PRP whose number another PRP has: the next free number of its `PRPs`
//! folder, written into the file name (same style and width), the title and the `id`.

use super::paths::{file_name, move_document};
use super::Input;
use crate::document::{prp_number, PrpNumber, Span};
use crate::edit::{Change, ChangeKind, TextEdit};
use crate::workspace::prp_namespace;

/// Byte ranges of the digit runs of a text.
fn digit_runs(text: &str) -> Vec<Span> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_ascii_digit(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    runs
}

fn padded(number: u32, width: usize) -> String {
    format!("{number:0width$}")
}

/// The file name with its number replaced (the digit run the number is read from).
fn renamed(name: &str, old: &PrpNumber, new: u32) -> Option<(String, String)> {
    let want = PrpNumber {
        phase: old.phase.clone(),
        number: new,
    };
    digit_runs(name).into_iter().find_map(|run| {
        let digits = padded(new, run.len());
        let candidate = format!("{}{digits}{}", &name[..run.start], &name[run.end..]);
        (prp_number(&candidate).as_ref() == Some(&want)).then_some((candidate, digits))
    })
}

/// The number in a title or id value: the first digit run that reads as `old`.
fn number_edit(text: &str, span: &Span, old: u32, new: u32) -> Option<TextEdit> {
    let value = text.get(span.clone())?;
    digit_runs(value)
        .into_iter()
        .find(|r| value[r.clone()].parse() == Ok(old) && stands_alone(value, r.start))
        .map(|r| {
            TextEdit::replace(
                span.start + r.start..span.start + r.end,
                padded(new, r.len()),
            )
        })
}

/// `PRP 3`, `PRP-003`, `3.`, `#3`; not `v3` or `OAuth2`.
fn stands_alone(value: &str, start: usize) -> bool {
    let before = &value[..start];
    let prev = before.chars().next_back();
    !prev.is_some_and(char::is_alphanumeric) || before.to_ascii_lowercase().ends_with("prp")
}

pub(super) fn renumber(input: &Input, number: &PrpNumber) -> Option<Change> {
    let doc = input.doc;
    let namespace = prp_namespace(&doc.path);
    let highest = input
        .ws
        .documents()
        .filter(|(p, _)| prp_namespace(p) == namespace)
        .filter_map(|(_, f)| f.number.as_ref())
        .filter(|n| n.phase == number.phase)
        .map(|n| n.number)
        .max()
        .unwrap_or(number.number);
    let next = highest.checked_add(1)?;
    let (name, digits) = renamed(doc.file_name(), number, next)?;
    let new = match doc.dir() {
        "" => name,
        dir => format!("{dir}/{name}"),
    };
    let mut own: Vec<TextEdit> = Vec::new();
    let spans = doc
        .metadata
        .title
        .iter()
        .chain(doc.metadata.key("id"))
        .map(|s| s.span.clone());
    for span in spans {
        if let Some(e) = number_edit(input.text, &span, number.number, next) {
            if !own.iter().any(|o| o.span == e.span) {
                own.push(e);
            }
        }
    }
    debug_assert_ne!(file_name(&new), doc.file_name());
    move_document(
        input,
        format!("Renumber to {digits}"),
        ChangeKind::Refactor,
        &new,
        own,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_keep_the_naming_style() {
        let n = |s: &str| prp_number(s).unwrap();
        assert_eq!(
            renamed("03_sync.md", &n("03_sync.md"), 7).unwrap().0,
            "07_sync.md"
        );
        assert_eq!(
            renamed("PRP-004-search.md", &n("PRP-004-search.md"), 12)
                .unwrap()
                .0,
            "PRP-012-search.md"
        );
        assert_eq!(
            renamed("phase4.5-prp2-cal.md", &n("phase4.5-prp2-cal.md"), 3)
                .unwrap()
                .0,
            "phase4.5-prp3-cal.md"
        );
        assert_eq!(
            renamed("PRP-P0-016-x.md", &n("PRP-P0-016-x.md"), 17)
                .unwrap()
                .0,
            "PRP-P0-017-x.md"
        );
    }
}

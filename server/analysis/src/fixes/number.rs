//! Renumbering a PRP whose number another PRP has: the next free number of its `PRPs`
//! folder, written into the file name (same style and width), the title (front matter,
//! pseudo-header and `# PRP-05: …` heading alike), the `id`, and the `PRP-NN` written next to
//! every path to it.

use super::mentions::{digit_runs, padded, prp_prefixed, stands_alone};
use super::paths::{file_name, move_renumbered};
use super::Input;
use crate::document::{prp_number, PrpNumber, Span};
use crate::edit::{Change, ChangeKind, TextEdit};
use crate::workspace::prp_namespace;

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

/// The number in a title or id value: the first digit run that reads as `old`. A heading
/// that is not the title must say it is the number: `PRP-05`, or the number first (`# 05.`).
fn number_edit(text: &str, span: &Span, old: u32, new: u32, strict: bool) -> Option<TextEdit> {
    let value = text.get(span.clone())?;
    let lead = value.len() - value.trim_start_matches(['#', ' ', '\t']).len();
    digit_runs(value)
        .into_iter()
        .find(|r| {
            value[r.clone()].parse() == Ok(old)
                && stands_alone(value, r.start)
                && (!strict || r.start == lead || prp_prefixed(value, r.start))
        })
        .map(|r| {
            TextEdit::replace(
                span.start + r.start..span.start + r.end,
                padded(new, r.len()),
            )
        })
}

pub(super) fn renumber(input: &Input, number: &PrpNumber) -> Option<Change> {
    let namespace = prp_namespace(&input.doc.path);
    let highest = input
        .ws
        .documents()
        .filter(|(p, _)| prp_namespace(p) == namespace)
        .filter_map(|(_, f)| f.number.as_ref())
        .filter(|n| n.phase == number.phase)
        .map(|n| n.number)
        .max()
        .unwrap_or(number.number);
    renumber_to(input, number, highest.checked_add(1)?)
}

/// The PRP renumbered from `number` to `next`: file name, title, id, and each `PRP-NN`
/// next to a path to it. `None` when the file name holds no digits to change.
pub(super) fn renumber_to(input: &Input, number: &PrpNumber, next: u32) -> Option<Change> {
    let doc = input.doc;
    let (name, digits) = renamed(doc.file_name(), number, next)?;
    let new = match doc.dir() {
        "" => name,
        dir => format!("{dir}/{name}"),
    };
    let mut own: Vec<TextEdit> = Vec::new();
    let titles = doc
        .metadata
        .title
        .iter()
        .chain(
            ["id", "title", "name"]
                .iter()
                .filter_map(|k| doc.metadata.key(k)),
        )
        .map(|s| (s.span.clone(), false));
    let headings = doc
        .sections
        .iter()
        .filter(|s| s.level == 1)
        .map(|s| (s.heading.clone(), true));
    for (span, strict) in titles.chain(headings) {
        if let Some(e) = number_edit(input.text, &span, number.number, next, strict) {
            if !own
                .iter()
                .any(|o| super::overlaps(&o.span, &e.span) || o.span == e.span)
            {
                own.push(e);
            }
        }
    }
    debug_assert_ne!(file_name(&new), doc.file_name());
    move_renumbered(
        input,
        format!("Renumber to {digits}"),
        ChangeKind::Refactor,
        &new,
        own,
        Some((number.number, next)),
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

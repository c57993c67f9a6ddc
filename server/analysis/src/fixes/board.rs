//! "Mark done" on TASK.md items: tick the box and write the completion date the way the
//! board's finished items write it (`(completed 2026-01-15)`, ` - Completed 2026-01-15`…).

use std::collections::HashMap;

use super::{line_end, Input};
use crate::document::scan::{self, Date};
use crate::document::{Span, TaskSource};
use crate::edit::{Change, TextEdit};

const DONE_LABELS: [&str; 4] = ["completed", "done", "finished", "complete"];

/// How a done item writes its date: the text before and after it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct DateStyle {
    before: String,
    after: String,
}

impl Default for DateStyle {
    fn default() -> Self {
        DateStyle {
            before: " (completed ".into(),
            after: ")".into(),
        }
    }
}

/// The completion date style of one line, if it has one.
fn style_of(line: &str) -> Option<DateStyle> {
    let (span, _, label) = scan::dates(line)
        .into_iter()
        .rev()
        .find(|(_, _, label)| DONE_LABELS.contains(&label.as_str()))?;
    let lower = line[..span.start].to_ascii_lowercase();
    let word = lower.rfind(label.as_str())?;
    let start = line[..word]
        .trim_end_matches([' ', '-', '–', '—', '(', '[', '*', '_', ','])
        .len();
    let after_len = line[span.end..]
        .find(|c: char| !matches!(c, ')' | ']' | '*' | '_'))
        .unwrap_or(line.len() - span.end);
    let before = &line[start..span.start];
    // A separator before the label keeps it apart from the item's text.
    let before = if before.starts_with(char::is_alphanumeric) {
        format!(" {before}")
    } else {
        before.to_string()
    };
    Some(DateStyle {
        before,
        after: line[span.end..span.end + after_len].to_string(),
    })
}

/// The style most done items use (the first one seen on a tie), else `(completed …)`.
fn board_style(input: &Input) -> (DateStyle, &'static str) {
    let doc = input.doc;
    let mut counts: HashMap<DateStyle, (usize, usize)> = HashMap::new();
    let (mut lower_x, mut upper_x) = (0, 0);
    for (i, item) in doc
        .checklist
        .iter()
        .filter(|c| c.checked && !doc.in_example(c.section))
        .enumerate()
    {
        if input.text[item.marker.clone()].contains('X') {
            upper_x += 1;
        } else {
            lower_x += 1;
        }
        if let Some(style) = style_of(&input.text[item.line.clone()]) {
            counts.entry(style).or_insert((0, i)).0 += 1;
        }
    }
    let style = counts
        .into_iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
        .map(|(s, _)| s)
        .unwrap_or_default();
    (style, if upper_x > lower_x { "[X]" } else { "[x]" })
}

pub(super) fn mark_done(input: &Input, range: Span, today: Date) -> Option<Change> {
    let doc = input.doc;
    // An item reaches over its notes (`  - User: "…"`): the cursor may be on one of them.
    let ends: HashMap<usize, usize> = doc
        .tasks
        .iter()
        .filter(|t| t.source == TaskSource::BoardItem)
        .map(|t| (t.span.start, t.end))
        .collect();
    let item_end = |line: &Span| ends.get(&line.start).map_or(line.end, |&e| e.max(line.end));
    let open: Vec<_> = doc
        .checklist
        .iter()
        .filter(|c| c.is_open() && !doc.in_example(c.section))
        .filter(|c| {
            c.line.start <= range.end && range.start < item_end(&c.line).max(c.line.end + 1)
        })
        .collect();
    if open.is_empty() {
        return None;
    }
    let (style, tick) = board_style(input);
    let mut edits = Vec::new();
    for item in &open {
        edits.push(TextEdit::replace(item.marker.clone(), tick));
        let end = line_end(input.text, item.line.start);
        let end = input.text[..end].trim_end().len().max(item.marker.end);
        edits.push(TextEdit::insert(
            end,
            format!("{}{today}{}", style.before, style.after),
        ));
    }
    let title = match open.len() {
        1 => "Mark done".to_string(),
        n => format!("Mark {n} items done"),
    };
    Some(input.edit(title, edits))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(line: &str) -> (String, String) {
        let s = style_of(line).unwrap();
        (s.before, s.after)
    }

    #[test]
    fn date_styles() {
        assert_eq!(
            style("- [x] Ship (completed 2026-01-15)"),
            (" (completed ".into(), ")".into())
        );
        assert_eq!(
            style("- [x] Ship - Completed 2026-01-15"),
            (" - Completed ".into(), "".into())
        );
        assert_eq!(
            style("- [x] Ship **Done: 2026-01-15**"),
            (" **Done: ".into(), "**".into())
        );
        assert!(style_of("- [x] Ship (added 2026-01-15)").is_none());
    }
}

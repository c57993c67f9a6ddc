//! TASK.md rules: phases marked done with open items, progress counts, date order, the same
//! task open and done, repeated headings, PRPs named by number that do not exist.

use std::collections::HashMap;

use super::{Context, Rule};
use crate::diagnostic::Related;
use crate::document::front_matter::lines_with_spans;
use crate::document::heading::{normalize_key, strip_decoration};
use crate::document::scan::{self, Date};
use crate::document::{heading_title, CheckItem, Section, Span};

pub(super) fn check(cx: &mut Context) {
    phase_open(cx);
    count_mismatch(cx);
    date_order(cx);
    state_conflict(cx);
    duplicate_sections(cx);
    prp_numbers(cx);
}

const DONE_WORDS: [&str; 6] = [
    "completed",
    "complete",
    "done",
    "just completed",
    "finished",
    "recently completed",
];
const NOT_DONE_WORDS: [&str; 8] = [
    "in progress",
    "wip",
    "pending",
    "partial",
    "todo",
    "ongoing",
    "not started",
    "blocked",
];

fn marked_done(s: &Section) -> bool {
    let key = &s.name.key;
    let display = s.name.display.to_lowercase();
    if NOT_DONE_WORDS.iter().any(|w| display.contains(w)) {
        return false;
    }
    s.name.done_mark
        || done_suffix(&display)
        || DONE_WORDS.iter().any(|w| match key.strip_prefix(w) {
            Some("") => true,
            Some(rest) if rest.starts_with(' ') => {
                // `Completed (2026-01-12)`, `Completed Tasks`; not `Done Criteria`.
                let rest = rest.trim_start();
                rest.starts_with(['(', '-'])
                    || rest.starts_with(|c: char| c.is_ascii_digit())
                    || DONE_HEADING_TAILS.contains(&rest.split(' ').next().unwrap_or(""))
            }
            _ => false,
        })
}

/// A heading that ends by saying it is done: `Payments (Completed)`, `Search (Done)`,
/// `Admin (Completed 2025-04-01)`, `Docs — complete`, `Docs [DONE]`.
fn done_suffix(display: &str) -> bool {
    let t = display.trim_end();
    let tail = if let Some(inner) = t.strip_suffix(')').and_then(|t| t.rsplit_once('(')) {
        inner.1
    } else if let Some(inner) = t.strip_suffix(']').and_then(|t| t.rsplit_once('[')) {
        inner.1
    } else if let Some((_, after)) = t.rsplit_once(" - ") {
        after
    } else {
        return false;
    };
    let tail = tail.trim();
    ["completed", "complete", "done", "finished"]
        .iter()
        .any(|w| match tail.strip_prefix(w) {
            Some(rest) => rest.is_empty() || !scan::dates(rest).is_empty(),
            None => false,
        })
}

/// Words that may follow a done word in the heading of a done section.
const DONE_HEADING_TAILS: [&str; 12] = [
    "tasks",
    "items",
    "work",
    "features",
    "milestones",
    "phases",
    "stories",
    "this",
    "last",
    "in",
    "on",
    "during",
];

fn items<'a>(cx: &'a Context) -> impl Iterator<Item = &'a CheckItem> + 'a {
    cx.doc
        .checklist
        .iter()
        .filter(|c| !cx.doc.in_example(c.section))
}

/// The heading's own words, numbering kept (`Phase 2: Payments (Completed)`).
fn heading_words(cx: &Context, s: &Section) -> String {
    strip_decoration(heading_title(&cx.text[s.heading.clone()]))
        .trim()
        .to_string()
}

/// One finding per section marked done that still has open items, on its heading, with the
/// open items as related information.
fn phase_open(cx: &mut Context) {
    let doc = cx.doc;
    // Each open item belongs to the innermost section marked done around it, if any: one
    // pass over the items, so nested done sections never report an item twice.
    let done: Vec<bool> = doc.sections.iter().map(marked_done).collect();
    let mut open_by_section: std::collections::BTreeMap<usize, Vec<Span>> = Default::default();
    for item in items(cx).filter(|c| c.is_open()) {
        let mut cur = item.section;
        while let Some(j) = cur {
            if done[j] {
                if !doc.in_example(Some(j)) {
                    open_by_section
                        .entry(j)
                        .or_default()
                        .push(item.line.clone());
                }
                break;
            }
            cur = doc.sections[j].parent;
        }
    }
    for (i, open) in open_by_section {
        let s = &doc.sections[i];
        let name = heading_words(cx, s);
        let message = match open.len() {
            1 => format!("`{name}` is marked done, but 1 item under it is still open; tick it, or move it to an open section"),
            n => format!("`{name}` is marked done, but {n} items under it are still open; tick them, or move them to an open section"),
        };
        let d = cx.report(Rule::TaskPhaseOpen, s.heading.clone(), message);
        d.related = open
            .into_iter()
            .map(|line| Context::related_here(line, "still open"))
            .collect();
    }
}

/// Words that make a count a count of tasks when they follow it (`3/5 tasks`, `(1/2 done)`).
const COUNT_UNITS: [&str; 11] = [
    "tasks",
    "task",
    "items",
    "item",
    "done",
    "complete",
    "completed",
    "finished",
    "checked",
    "ticked",
    "closed",
];
/// Words that make a bare count a progress count when they precede it (`Progress: 3/5`).
const PROGRESS_WORDS: [&str; 6] = ["progress", "complete", "done", "tasks", "items", "finished"];

/// Whether the count at `range` in `line` counts tasks: followed by a task word, bare and
/// in a clause about progress, or bare in parentheses in a heading (`### Phase 2 (3/5)`).
/// `120/120 tests passing` and `Confidence 8/10` are not.
fn counts_tasks(line: &str, range: Span) -> bool {
    let in_heading_parens = line.trim_start().starts_with('#')
        && line[..range.start].trim_end().ends_with('(')
        && line[range.end..].trim_start().starts_with(')');
    if in_heading_parens {
        return true;
    }
    let after = line[range.end..].trim_start_matches([' ', ')', '*', '_']);
    let unit: String = after
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_lowercase();
    if !unit.is_empty() {
        return COUNT_UNITS.contains(&unit.as_str());
    }
    let before = &line[..range.start];
    let clause = before
        .rsplit([',', ';', '.', '!', '?'])
        .next()
        .unwrap_or(before)
        .to_ascii_lowercase();
    PROGRESS_WORDS.iter().any(|w| clause.contains(w))
}

/// `3/5`, `3 / 5`, `3 of 5` counting tasks (see [`counts_tasks`]).
fn progress_counts(line: &str) -> Vec<(Span, usize, usize)> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit()
            && (i == 0
                || !(bytes[i - 1].is_ascii_digit()
                    || bytes[i - 1] == b'/'
                    || bytes[i - 1] == b'.'
                    || bytes[i - 1] == b'-'))
        {
            let a_end = i + line[i..]
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(line.len() - i);
            let rest = &line[a_end..];
            let sep = if rest.trim_start().starts_with('/') {
                Some(rest.len() - rest.trim_start().len() + 1)
            } else {
                rest.strip_prefix(" of ").map(|_| 4)
            };
            if let Some(sep) = sep {
                let b_start = a_end
                    + sep
                    + (line[a_end + sep..].len() - line[a_end + sep..].trim_start().len());
                let b_len = line[b_start..]
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(line.len() - b_start);
                let after = line[b_start + b_len..].chars().next();
                if b_len > 0 && !matches!(after, Some('/' | '-' | '.')) {
                    if let (Ok(a), Ok(b)) = (
                        line[i..a_end].parse::<usize>(),
                        line[b_start..b_start + b_len].parse::<usize>(),
                    ) {
                        let range = i..b_start + b_len;
                        if a <= b && b > 0 && counts_tasks(line, range.clone()) {
                            out.push((range, a, b));
                        }
                    }
                    i = b_start + b_len;
                    continue;
                }
            }
            i = a_end;
            continue;
        }
        i += 1;
    }
    out
}

/// What a progress line counts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CountScope {
    /// The section it is written in (or the one its heading opens).
    Here(Option<usize>),
    /// Another section, named on the line (`- **Phase 2:** 10% (1/10 tasks)`).
    Named(usize),
    /// The whole board (`**Overall Progress:** 5% (2/40 tasks)`).
    Board,
}

/// The number after `Phase` (`Phase 2`, `phase 4.5`), as written.
fn phase_number(text: &str) -> Option<&str> {
    let lower = text.to_ascii_lowercase();
    let at = lower.find("phase")?;
    let rest = text[at + 5..].trim_start();
    let len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let number = rest[..len].trim_end_matches('.');
    (!number.is_empty()).then_some(number)
}

/// Which items a progress line speaks of: a tracker line names its phase (by number) or
/// section (by title) before the count, or the whole board; other lines speak of their own
/// section. `None` when the line names a section the board does not have.
fn count_scope(
    cx: &Context,
    line: &str,
    first_count: usize,
    here: Option<usize>,
) -> Option<CountScope> {
    let doc = cx.doc;
    let label = strip_decoration(&line[..first_count]);
    let label = label
        .trim()
        .trim_start_matches(['-', '+', ' '])
        .trim_end_matches(|c: char| c == '(' || c == '%' || c.is_ascii_digit() || c.is_whitespace())
        .trim_end_matches(':')
        .trim();
    let lower = label.to_lowercase();
    let is_heading = line.trim_start().starts_with('#');
    if is_heading || label.is_empty() {
        return Some(CountScope::Here(here));
    }
    if ["overall", "total"]
        .iter()
        .any(|w| lower.split_whitespace().any(|x| x.starts_with(w)))
    {
        return Some(CountScope::Board);
    }
    let others =
        || (0..doc.sections.len()).filter(|&i| Some(i) != here && !doc.in_example(Some(i)));
    if let Some(number) = phase_number(label) {
        return others()
            .find(|&i| phase_number(&heading_words(cx, &doc.sections[i])) == Some(number))
            .map(CountScope::Named);
    }
    let key = normalize_key(label);
    match others().find(|&i| normalize_key(&heading_words(cx, &doc.sections[i])) == key) {
        Some(i) => Some(CountScope::Named(i)),
        None => Some(CountScope::Here(here)),
    }
}

fn count_mismatch(cx: &mut Context) {
    let doc = cx.doc;
    let text = cx.text;
    let mut found = Vec::new();
    for (span, line) in lines_with_spans(&text[doc.body_start..]) {
        let base = doc.body_start + span.start;
        // An item's own count (`Migrate endpoints (12/12 complete)`) is about its work.
        if doc.in_fence(base) || doc.checklist_item_at(base).is_some() {
            continue;
        }
        let counts = progress_counts(line);
        let Some(first) = counts.first().map(|c| c.0.start) else {
            continue;
        };
        // A count in a heading speaks of that heading's section; elsewhere, of the
        // section it is written in, unless the line names another one.
        let here = doc.section_at(base);
        if doc.in_example(here) {
            continue;
        }
        let Some(scope) = count_scope(cx, line, first, here) else {
            continue;
        };
        let in_scope: Vec<&CheckItem> = match scope {
            CountScope::Here(Some(s)) | CountScope::Named(s) => {
                items(cx).filter(|c| doc.is_within(c.section, s)).collect()
            }
            CountScope::Here(None) | CountScope::Board => items(cx).collect(),
        };
        if in_scope.is_empty() {
            continue;
        }
        let all = (
            in_scope.iter().filter(|c| c.checked).count(),
            in_scope.len(),
        );
        let top = (
            in_scope
                .iter()
                .filter(|c| c.checked && c.depth == 0)
                .count(),
            in_scope.iter().filter(|c| c.depth == 0).count(),
        );
        for (r, a, b) in counts {
            if (a, b) != all && (a, b) != top {
                found.push((base + r.start..base + r.end, a, b, all, scope));
            }
        }
    }
    for (span, a, b, (checked, total), scope) in found {
        let (message, related) = match scope {
            CountScope::Here(_) => (
                format!("says {a}/{b}, but the section has {checked} of {total} items ticked; update the count"),
                None,
            ),
            CountScope::Named(s) => {
                let section = &doc.sections[s];
                (
                    format!(
                        "says {a}/{b} for `{}`, but that section has {checked} of {total} items ticked; update the count",
                        heading_words(cx, section)
                    ),
                    Some(section.heading.clone()),
                )
            }
            CountScope::Board => (
                format!("says {a}/{b} for the whole board, but it has {checked} of {total} items ticked; update the count"),
                None,
            ),
        };
        let d = cx.report(Rule::TaskCountMismatch, span, message);
        if let Some(heading) = related {
            d.related = vec![Context::related_here(heading, "the section counted")];
        }
    }
}

/// Indices of entries that break the dominant direction of a dated sequence.
fn out_of_order(dates: &[Date]) -> Vec<usize> {
    if dates.len() < 3 {
        return Vec::new();
    }
    let ups = dates.windows(2).filter(|w| w[1] > w[0]).count();
    let downs = dates.windows(2).filter(|w| w[1] < w[0]).count();
    if ups == 0 || downs == 0 {
        return Vec::new();
    }
    // A tie (05-20, 06-03, 06-01) is out of order too; the first step sets the direction.
    let ascending = if ups == downs {
        dates
            .windows(2)
            .find(|w| w[0] != w[1])
            .is_some_and(|w| w[1] > w[0])
    } else {
        ups > downs
    };
    (1..dates.len())
        .filter(|&i| {
            if ascending {
                dates[i] < dates[i - 1]
            } else {
                dates[i] > dates[i - 1]
            }
        })
        .collect()
}

fn date_order(cx: &mut Context) {
    let doc = cx.doc;
    let text = cx.text;
    let mut found: Vec<(Span, String)> = Vec::new();
    // Completion dates of the items directly in each section.
    let mut by_section: HashMap<Option<usize>, Vec<(Span, Date)>> = HashMap::new();
    for item in items(cx).filter(|c| c.depth == 0) {
        let line = &text[item.line.clone()];
        if let Some((_, date, _)) = scan::dates(line).into_iter().find(|(_, _, label)| {
            matches!(label.as_str(), "completed" | "done" | "finished" | "closed")
        }) {
            by_section
                .entry(item.section)
                .or_default()
                .push((item.line.clone(), date));
        }
    }
    for entries in by_section.values() {
        let dates: Vec<Date> = entries.iter().map(|e| e.1).collect();
        for i in out_of_order(&dates) {
            found.push((
                entries[i].0.clone(),
                format!(
                    "completed {} is listed after {}; keep the entries of a section in date order",
                    dates[i],
                    dates[i - 1]
                ),
            ));
        }
    }
    // Dated sibling headings.
    let mut by_parent: HashMap<Option<usize>, Vec<(Span, Date)>> = HashMap::new();
    for s in &doc.sections {
        if let Some((_, date, _)) = scan::dates(&text[s.heading.clone()]).into_iter().next() {
            by_parent
                .entry(s.parent)
                .or_default()
                .push((s.heading.clone(), date));
        }
    }
    for entries in by_parent.values() {
        let dates: Vec<Date> = entries.iter().map(|e| e.1).collect();
        for i in out_of_order(&dates) {
            found.push((
                entries[i].0.clone(),
                format!(
                    "dated {} but listed after {}; keep dated sections in order",
                    dates[i],
                    dates[i - 1]
                ),
            ));
        }
    }
    found.sort_by_key(|f| f.0.start);
    for (span, message) in found {
        cx.report(Rule::TaskDateOrder, span, message);
    }
}

/// The identity of a task across sections: its `#12` id, or its text without dates,
/// markers, agents and decoration.
fn task_key(text: &str) -> Option<String> {
    let t = scan_id(text);
    if let Some(id) = t {
        return Some(id);
    }
    let mut s = text.replace("~~", "").replace("**", "").replace('`', "");
    // Drop parentheticals holding dates and trailing "- Started …".
    while let Some(open) = s.find('(') {
        let Some(close) = s[open..].find(')') else {
            break;
        };
        let inner = &s[open + 1..open + close];
        if !scan::dates(inner).is_empty() || inner.to_ascii_lowercase().contains("added") {
            s.replace_range(open..=open + close, "");
        } else {
            break;
        }
    }
    for cut in [" - started", " - added", " - completed", " — started"] {
        if let Some(i) = s.to_ascii_lowercase().find(cut) {
            s.truncate(i);
        }
    }
    let words: Vec<String> = s
        .split_whitespace()
        .filter(|w| !w.starts_with('@') && scan::dates(w).is_empty())
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let key = words.join(" ");
    (key.len() >= 8).then_some(key)
}

fn scan_id(text: &str) -> Option<String> {
    let t = text.trim_start_matches(['*', ' ', '~']);
    let rest = t.strip_prefix('#')?;
    let len = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    (len > 0).then(|| format!("#{}", &rest[..len]))
}

fn state_conflict(cx: &mut Context) {
    let doc = cx.doc;
    let text = cx.text;
    let mut open: HashMap<String, Vec<&CheckItem>> = HashMap::new();
    let mut done: HashMap<String, &CheckItem> = HashMap::new();
    for item in items(cx) {
        let Some(key) = task_key(&item.text) else {
            continue;
        };
        if !item.is_open() {
            done.entry(key).or_insert(item);
        } else {
            open.entry(key).or_default().push(item);
        }
    }
    let mut found = Vec::new();
    for (key, items) in &open {
        let Some(closed) = done.get(key) else {
            continue;
        };
        for item in items {
            if item.section == closed.section {
                continue;
            }
            let where_done = closed
                .section
                .map(|s| doc.sections[s].name.display.clone())
                .unwrap_or_else(|| "the top of the board".into());
            let line = cx.line_no(closed.line.start);
            found.push((item.line.clone(), where_done, line, closed.line.clone()));
        }
    }
    found.sort_by_key(|f| f.0.start);
    let _ = text;
    for (span, where_done, line, closed) in found {
        let d = cx.report(Rule::TaskStateConflict, span, format!("this task is open here but done in `{where_done}` (line {line}); tick it here, or remove the stale copy"));
        d.related = vec![Related {
            path: None,
            span: closed,
            message: "done here".into(),
        }];
    }
}

fn duplicate_sections(cx: &mut Context) {
    let doc = cx.doc;
    let mut seen: HashMap<(Option<usize>, u8, String), usize> = HashMap::new();
    let mut found = Vec::new();
    for (i, s) in doc.sections.iter().enumerate() {
        // The whole title, numbering included: `Phase 1` and `Phase 2` are different.
        let title = strip_decoration(heading_title(&cx.text[s.heading.clone()]))
            .trim()
            .to_string();
        let key = (s.parent, s.level, normalize_key(&title));
        if let Some(&first) = seen.get(&key) {
            found.push((
                s.heading.clone(),
                title,
                doc.sections[first].heading.clone(),
            ));
        } else {
            seen.insert(key, i);
        }
    }
    for (span, name, first) in found {
        let line = cx.line_no(first.start);
        let d = cx.report(
            Rule::TaskDuplicateSection,
            span,
            format!("heading `{name}` repeats the one at line {line}; merge the two sections"),
        );
        d.related = vec![Related {
            path: None,
            span: first,
            message: "first occurrence".into(),
        }];
    }
}

fn prp_numbers(cx: &mut Context) {
    let known: Vec<u32> = cx
        .ws
        .documents()
        .filter_map(|(_, f)| f.number.as_ref().map(|n| n.number))
        .collect();
    if known.is_empty() {
        return;
    }
    let mut found = Vec::new();
    for item in items(cx) {
        let line = &cx.text[item.line.clone()];
        let lower = line.to_ascii_lowercase();
        if !item.checked
            && ["create ", "write ", "draft ", "generate "]
                .iter()
                .any(|w| lower.contains(w))
        {
            continue;
        }
        for (r, n) in scan::prp_number_mentions(line) {
            if !known.contains(&n) {
                found.push((item.line.start + r.start..item.line.start + r.end, n));
            }
        }
    }
    for (span, n) in found {
        cx.report(
            Rule::UnknownPrp,
            span,
            format!("no PRP numbered {n} exists in the workspace; fix the number or write the PRP"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_need_a_progress_word() {
        assert_eq!(
            progress_counts("Progress: 3/5 tasks complete")
                .iter()
                .map(|c| (c.1, c.2))
                .collect::<Vec<_>>(),
            [(3, 5)]
        );
        assert_eq!(progress_counts("2 of 4 done").len(), 1);
        assert!(progress_counts("Confidence 8/10").is_empty());
        assert!(progress_counts("done on 1/2/2025").is_empty());
        assert!(progress_counts("Confidence 8/10, done on Friday").is_empty());
        assert!(progress_counts("Suite complete: 120/120 tests passing").is_empty());
        assert_eq!(progress_counts("### Phase 3 (1/2 done)").len(), 1);
        assert_eq!(
            progress_counts("### ✅ Phase 1: Foundations (4/4)").len(),
            1
        );
        assert!(progress_counts("Phase 1 (4/4)").is_empty());
    }

    #[test]
    fn done_headings() {
        let done = |title: &str| {
            let doc = crate::parse(
                "TASK.md",
                &format!("## {title}\n"),
                &crate::Config::default(),
            );
            marked_done(&doc.sections[0])
        };
        assert!(done("Completed"));
        assert!(done("Just Completed (2026-01-12)"));
        assert!(done("Completed Tasks"));
        assert!(done("✅ Phase 2: Dashboard"));
        assert!(!done("✅ Phase 3: API (In Progress)"));
        assert!(!done("Done Criteria for tasks"));
        assert!(!done("Completion notes"));
    }

    #[test]
    fn order_direction_is_the_majority() {
        let d = |v: &[u32]| v.iter().map(|x| Date(*x)).collect::<Vec<_>>();
        assert_eq!(
            out_of_order(&d(&[20261102, 20261110, 20261105, 20261112])),
            [2]
        );
        assert_eq!(
            out_of_order(&d(&[20261112, 20261110, 20261111, 20261101])),
            [2]
        );
        assert!(out_of_order(&d(&[1, 2])).is_empty());
        assert_eq!(out_of_order(&d(&[20250520, 20250603, 20250601])), [2]);
        assert_eq!(out_of_order(&d(&[20250603, 20250520, 20250601])), [2]);
        assert!(out_of_order(&d(&[1, 2, 2, 3])).is_empty());
    }

    #[test]
    fn task_keys_ignore_dates_and_agents() {
        assert_eq!(
            task_key("Add rate limiting to login (added 2026-01-01) @backend"),
            task_key("~~Add rate limiting to login~~ (completed 2026-02-01)")
        );
        assert_eq!(task_key("**#12** — Fix it"), Some("#12".into()));
        assert_eq!(task_key("Tests"), None);
    }

    #[test]
    fn prp_numbers_in_text() {
        let found: Vec<u32> =
            scan::prp_number_mentions("see PRP-12 and PRP #3, not PRPs/ or SUPRP9")
                .into_iter()
                .map(|m| m.1)
                .collect();
        assert_eq!(found, [12, 3]);
    }
}

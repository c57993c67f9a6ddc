//! The TASK.md lens: open items per agent on the board, and PRPs finished per week.
//!
//! A PRP counts as finished when the index says so (its folder or Status). Its date is the
//! completion date it states itself (`**Completed**: 2026-11-02`, a date on its Status line),
//! else the latest completion date of a ticked board item that names it (`(completed
//! 2026-11-10)` on the item, the PRP's path on the item or in its notes). Weeks are the
//! rolling seven-day windows ending today (UTC); a PRP without any date is not counted.

use std::collections::{BTreeMap, HashMap};

use crate::document::scan::{self, Date};
use crate::document::{DocKind, Document, Lifecycle, MarkerState, TaskSource};
use crate::workspace::{normalize_agent_id, Workspace};

/// Labels that make a date on a ticked item its completion date.
const COMPLETION_LABELS: [&str; 6] = [
    "completed",
    "done",
    "finished",
    "archived",
    "shipped",
    "merged",
];
const WEEKS: usize = 4;

pub fn board_summary(doc: &Document, text: &str, ws: &Workspace, now: i64) -> Vec<String> {
    vec![open_per_agent(doc), finished_per_week(doc, text, ws, now)]
}

fn open_per_agent(doc: &Document) -> String {
    let mut per_agent: BTreeMap<String, usize> = BTreeMap::new();
    let mut unassigned = 0;
    for task in board_items(doc).filter(|t| t.state != Some(MarkerState::Done)) {
        let struck = doc
            .checklist
            .iter()
            .any(|c| c.line == task.span && c.is_struck());
        match (&task.assignee, struck) {
            (_, true) => {}
            (Some(a), _) => *per_agent.entry(normalize_agent_id(&a.value)).or_default() += 1,
            (None, _) => unassigned += 1,
        }
    }
    let mut counts: Vec<(String, usize)> = per_agent.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if unassigned > 0 {
        counts.push(("unassigned".into(), unassigned));
    }
    let list = match counts.is_empty() {
        true => "none".to_string(),
        false => counts
            .iter()
            .map(|(agent, n)| format!("{agent} {n}"))
            .collect::<Vec<_>>()
            .join(", "),
    };
    format!("open tasks per agent: {list}")
}

fn finished_per_week(doc: &Document, text: &str, ws: &Workspace, now: i64) -> String {
    // PRP file name → the latest completion date of a ticked item naming it.
    let mut on_board: HashMap<&str, Date> = HashMap::new();
    for task in board_items(doc).filter(|t| t.state == Some(MarkerState::Done)) {
        let dates = scan::dates(&text[task.span.clone()]);
        let labelled = dates
            .iter()
            .find(|d| COMPLETION_LABELS.contains(&d.2.as_str()));
        let Some(date) = labelled.or(dates.first().filter(|d| d.2.is_empty())) else {
            continue;
        };
        let extent = &text[task.span.start..task.end.max(task.span.end)];
        for line in extent.lines() {
            for r in scan::prp_paths(line) {
                let name = line[r].rsplit('/').next().unwrap_or_default();
                let best = on_board.entry(name).or_insert(date.1);
                *best = (*best).max(date.1);
            }
        }
    }
    let today = now.div_euclid(86_400);
    let mut weeks = [0usize; WEEKS];
    for (path, facts) in ws.documents() {
        if facts.kind != DocKind::Prp || facts.lifecycle != Lifecycle::Finished {
            continue;
        }
        let name = path.rsplit('/').next().unwrap_or(path);
        let date = facts.finished_on.or_else(|| on_board.get(name).copied());
        let Some(ago) = date.and_then(day_number).map(|day| today - day) else {
            continue;
        };
        if let Some(week) = usize::try_from(ago / 7)
            .ok()
            .filter(|w| ago >= 0 && *w < WEEKS)
        {
            weeks[week] += 1;
        }
    }
    let counts: Vec<String> = weeks.iter().rev().map(usize::to_string).collect();
    format!(
        "PRPs finished per week (last {WEEKS}, oldest first): {}",
        counts.join(", ")
    )
}

fn board_items(doc: &Document) -> impl Iterator<Item = &crate::document::Task> {
    doc.tasks
        .iter()
        .filter(|t| t.source == TaskSource::BoardItem && !doc.in_example(t.section))
}

/// Days since 1970-01-01 (UTC).
fn day_number(date: Date) -> Option<i64> {
    date.day_number()
}

//! The TASK.md lens: open items per agent on the board, and PRPs finished per week.
//!
//! A PRP counts as finished when the index says so (its folder or Status). Its date is the
//! completion date it states itself (`**Completed**: 2026-11-02`, a date on its Status line),
//! else the latest completion date of a ticked board item that names it (`(completed
//! 2026-11-10)` on the item, the PRP's path on the item or in its notes). Weeks are the
//! rolling seven-day windows ending today (UTC); a PRP without any date is not counted.

use std::collections::BTreeMap;

use crate::document::scan::Date;
use crate::document::{DocKind, Document, Lifecycle, MarkerState, TaskSource};
use crate::workspace::{normalize_agent_id, Workspace};

const WEEKS: usize = 4;

pub fn board_summary(doc: &Document, ws: &Workspace, now: i64) -> Vec<String> {
    vec![open_per_agent(doc), finished_per_week(doc, ws, now)]
}

fn open_per_agent(doc: &Document) -> String {
    let mut per_agent: BTreeMap<String, usize> = BTreeMap::new();
    let mut unassigned = 0;
    // Struck-through items' lines, read once (not the whole checklist once per item).
    let struck_lines: std::collections::HashSet<(usize, usize)> = doc
        .checklist
        .iter()
        .filter(|c| c.is_struck())
        .map(|c| (c.line.start, c.line.end))
        .collect();
    for task in board_items(doc).filter(|t| t.state != Some(MarkerState::Done)) {
        let struck = struck_lines.contains(&(task.span.start, task.span.end));
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

fn finished_per_week(doc: &Document, ws: &Workspace, now: i64) -> String {
    // Every board's dates, this one's as it is now (the index may hold an older text).
    let mut on_board = ws.board_completion_dates();
    for (name, date) in &doc.finished_prps {
        let best = on_board.entry(name.as_str()).or_insert(*date);
        *best = (*best).max(*date);
    }
    let today = now.div_euclid(86_400);
    let mut weeks = [0usize; WEEKS];
    for (path, facts) in ws.documents() {
        if facts.kind != DocKind::Prp || facts.lifecycle != Lifecycle::Finished {
            continue;
        }
        let date = ws.finished_on(path, &on_board);
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

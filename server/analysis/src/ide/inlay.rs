//! Inlay hints: the state and error rate of an agent after each assignment or `@mention`
//! of it (when a status report says), the title, lifecycle and progress of a PRP after each
//! path that refers to it, and the gate verdict after each item of a PRP's pre-deployment
//! checklist, so that a board and a checklist read at a glance. `[inlay-hints]` turns each
//! kind off.

use crate::config::InlayHintKinds;
use crate::document::{scan, DocKind, Document, ReferenceKind, Span};
use crate::gates::checklist::{checklist_gates, in_gate_checklist};
use crate::gates::{GateReport, Verdict};
use crate::workspace::{normalize_agent_id, Resolution, Workspace};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// Byte offset the hint follows.
    pub offset: usize,
    pub label: String,
    pub tooltip: String,
}

/// The hints of `doc` within `range` (byte offsets), in text order: those of `kinds`, the
/// gate verdicts from `report` (the PRP's gate report, when it has one).
pub fn hints(
    doc: &Document,
    text: &str,
    ws: &Workspace,
    kinds: InlayHintKinds,
    report: Option<&GateReport>,
    range: Span,
) -> Vec<Hint> {
    let within = |span: &Span| span.end >= range.start && span.start <= range.end;
    let mut out = Vec::new();
    if let Some(report) = report.filter(|_| kinds.gates) {
        gate_hints(doc, report, &within, &mut out);
    }
    let references = doc.references.iter().filter(|_| kinds.prps);
    for r in references.filter(|r| within(&r.span)) {
        if !matches!(
            r.kind,
            ReferenceKind::PrpPath | ReferenceKind::Link | ReferenceKind::File
        ) {
            continue;
        }
        let Resolution::Found(path) = ws.resolve(&doc.path, &r.target) else {
            continue;
        };
        out.extend(prp_hint(ws, &path, r.span.end, false));
    }
    // After `PRP-07`: the PRP's title without the number just read, and its state.
    for m in doc
        .number_mentions()
        .filter(|m| kinds.prps && within(&m.span))
    {
        if let Some(path) = ws.prp_numbered(m.value) {
            out.extend(prp_hint(ws, path, m.span.end, true));
        }
    }
    let Some(status) = ws.status().filter(|_| kinds.agents) else {
        out.sort_by_key(|h| h.offset);
        return out;
    };
    let agent_hint = |name: &str, span: &Span, out: &mut Vec<Hint>| {
        let id = ws
            .agent(name)
            .map_or_else(|| normalize_agent_id(name), |a| normalize_agent_id(&a.id));
        if let Some(s) = status.get(&id) {
            let task = s
                .current_task
                .as_deref()
                .map(|t| format!(": {t}"))
                .unwrap_or_default();
            let errors = s
                .error_rate
                .map(|r| format!(" · {} errors", crate::delivery::metrics::percent(r)))
                .unwrap_or_default();
            out.push(Hint {
                offset: span.end,
                label: format!(" {}{errors}", s.state.label()),
                tooltip: format!("{id} is {}{task}", s.state.label()),
            });
        }
    };
    let mut assigned: Vec<Span> = Vec::new();
    for task in &doc.tasks {
        if let Some(a) = task.assignee.as_ref().filter(|a| within(&a.span)) {
            agent_hint(&a.value, &a.span, &mut out);
            assigned.push(a.span.clone());
        }
    }
    assigned.sort_by_key(|s| s.start);
    let start = crate::text::line_start(text, range.start.min(text.len()));
    let end = crate::text::line_end(text, range.end.min(text.len()));
    let mut at = start;
    for line in text[start..end].split_inclusive('\n') {
        if line.contains('@') {
            for (r, name) in scan::agent_mentions(line) {
                let span = at + r.start..at + r.end;
                if !super::covered(&assigned, &span) {
                    agent_hint(&name, &span, &mut out);
                }
            }
        }
        at += line.len();
    }
    out.sort_by_key(|h| h.offset);
    out
}

/// ` PRP-01: Export (active, 1/2)` after a reference to the PRP at `path`; after a
/// `PRP-01` mention (`after_number`), ` Export (active, 1/2)`.
fn prp_hint(ws: &Workspace, path: &str, offset: usize, after_number: bool) -> Option<Hint> {
    let f = ws.facts(path).filter(|f| f.kind == DocKind::Prp)?;
    let title = f.title.clone().unwrap_or_else(|| path.to_string());
    let title = match title.split_once(": ") {
        Some((number, rest)) if after_number && number.contains(|c: char| c.is_ascii_digit()) => {
            rest.to_string()
        }
        _ => title,
    };
    let progress = match f.total {
        0 => String::new(),
        n => format!(", {}/{n}", f.checked),
    };
    Some(Hint {
        offset,
        label: format!(" {title} ({}{progress})", f.lifecycle.label()),
        tooltip: format!(
            "{path}: {}",
            f.status
                .clone()
                .unwrap_or_else(|| f.lifecycle.label().into())
        ),
    })
}

/// After each pre-deployment checklist item, the verdict of the gates it speaks of: `✓`
/// when they pass, else what blocks (`✗ coverage 84% < 90%`, `no evidence`, `stale`).
fn gate_hints(
    doc: &Document,
    report: &GateReport,
    within: &dyn Fn(&Span) -> bool,
    out: &mut Vec<Hint>,
) {
    for item in &doc.checklist {
        if !within(&item.line)
            || item.is_struck()
            || doc.in_example(item.section)
            || !in_gate_checklist(doc, item.section)
        {
            continue;
        }
        let results: Vec<_> = checklist_gates(&item.text)
            .into_iter()
            .filter_map(|g| report.result(g))
            .collect();
        if results.is_empty() {
            continue;
        }
        let blocking: Vec<_> = results.iter().filter(|r| !r.passes()).collect();
        let label = match blocking.as_slice() {
            [] => " ✓".to_string(),
            [one] => match one.verdict {
                Verdict::Fail => format!(" ✗ {}", one.reason),
                Verdict::NoEvidence => " no evidence".to_string(),
                Verdict::Pass => " stale".to_string(),
            },
            more => format!(" ✗ {} gates block", more.len()),
        };
        let tooltip = results
            .iter()
            .map(|r| {
                let stale = if r.stale { " (stale)" } else { "" };
                format!(
                    "{}: {}{stale} — {}",
                    r.gate.label(),
                    r.verdict.label(),
                    r.detail
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        out.push(Hint {
            offset: item.line.end,
            label,
            tooltip,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::{parse_status, StatusSnapshot};
    use crate::{parse, Config, DocFacts};

    #[test]
    fn agents_get_their_state_and_prps_their_title() {
        let config = Config::default();
        let board = "# Tasks\n\n## Active\n- [ ] Export @backend, see PRPs/active/01_export.md\n- [ ] Page @frontend\n- [ ] After PRP-01\n";
        let mut ws = Workspace::with_files(["TASK.md"]);
        let prp = "# PRP-01: Export\n\n### Success Criteria\n- [x] one\n- [ ] two\n";
        ws.add_file("PRPs/active/01_export.md");
        ws.update_document(
            "PRPs/active/01_export.md",
            DocFacts::of(&parse("PRPs/active/01_export.md", prp, &config)),
        );
        let doc = parse("TASK.md", board, &config);
        let labels = |ws: &Workspace| -> Vec<(String, String)> {
            hints(
                &doc,
                board,
                ws,
                InlayHintKinds::default(),
                None,
                0..board.len(),
            )
            .into_iter()
            .map(|h| {
                (
                    board[..h.offset].rsplit(' ').next().unwrap().to_string(),
                    h.label,
                )
            })
            .collect()
        };
        // Without a status report, only the PRP.
        assert_eq!(
            labels(&ws),
            [
                (
                    "PRPs/active/01_export.md".to_string(),
                    " PRP-01: Export (active, 1/2)".to_string()
                ),
                // After its number, the title without it.
                ("PRP-01".to_string(), " Export (active, 1/2)".to_string())
            ]
        );
        ws.set_status(StatusSnapshot {
            statuses: parse_status("s.json", r#"[{"id":"backend","state":"busy","current_task":"Export"},{"id":"frontend","state":"stuck"}]"#).unwrap(),
            now: 0,
            ..Default::default()
        });
        let found = labels(&ws);
        assert_eq!(found[0], ("@backend".to_string(), " busy".to_string()));
        assert_eq!(found[2], ("@frontend".to_string(), " stuck".to_string()));
        // Only what the range covers.
        let first_line = board.find("- [ ] Page").unwrap();
        let kinds = InlayHintKinds::default();
        assert_eq!(
            hints(&doc, board, &ws, kinds, None, first_line..board.len()).len(),
            2
        );
        // Each kind can be turned off.
        let no_agents = InlayHintKinds {
            agents: false,
            ..kinds
        };
        let labels: Vec<String> = hints(&doc, board, &ws, no_agents, None, 0..board.len())
            .into_iter()
            .map(|h| h.label)
            .collect();
        assert_eq!(
            labels,
            [" PRP-01: Export (active, 1/2)", " Export (active, 1/2)"]
        );
        let no_prps = InlayHintKinds {
            prps: false,
            ..kinds
        };
        assert_eq!(
            hints(&doc, board, &ws, no_prps, None, 0..board.len()).len(),
            2
        );
    }
}

//! A requirement and where it comes from: a ```` ```requirement ```` block (YAML or JSON), a
//! TASK.md item with its nested notes, or free text (a selection, the command's argument).

use super::block::{self, Entry, Value};
pub use super::kind::RequirementKind;
use super::phrasing::{criteria_from_text, descriptive_name};
use super::words::Words;
use crate::document::front_matter::lines_with_spans;
use crate::document::{scan, Document, Fence, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    Critical,
    High,
    Medium,
    Low,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Critical,
        Priority::High,
        Priority::Medium,
        Priority::Low,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Critical => "critical",
            Priority::High => "high",
            Priority::Medium => "medium",
            Priority::Low => "low",
        }
    }

    /// `high`, `HIGH`, and the `P0`–`P3` scale.
    pub fn parse(value: &str) -> Option<Priority> {
        let v = value.trim().to_lowercase();
        match v.as_str() {
            "p0" => Some(Priority::Critical),
            "p1" => Some(Priority::High),
            "p2" => Some(Priority::Medium),
            "p3" => Some(Priority::Low),
            _ => Self::ALL.into_iter().find(|p| p.as_str() == v),
        }
    }

    fn infer(words: &Words, kind: RequirementKind) -> Priority {
        if words.mentions_any(&["critical", "urgent", "asap", "blocker", "outage", "p0"]) {
            Priority::Critical
        } else if words.mentions_any(&["high priority", "important", "p1"])
            || kind == RequirementKind::Security
        {
            Priority::High
        } else if words.mentions_any(&["low priority", "nice to have", "someday", "minor", "p3"]) {
            Priority::Low
        } else {
            Priority::Medium
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub kind: RequirementKind,
    pub title: String,
    pub description: String,
    pub priority: Priority,
    pub modules: Vec<String>,
    pub acceptance_criteria: Vec<String>,
    pub user_story: Option<String>,
}

/// A requirement block that cannot be used, and the field at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequirementError {
    /// The field's name as a block writes it (`description`, `type`…), or `syntax`.
    pub field: String,
    pub message: String,
    pub span: Span,
}

const FIELDS: [&str; 7] = [
    "type",
    "title",
    "description",
    "priority",
    "modules_affected",
    "acceptance_criteria",
    "user_story",
];

/// Other spellings of the fields.
fn canonical_field(key: &str) -> Option<&'static str> {
    match key {
        "kind" => Some("type"),
        "name" => Some("title"),
        "modules" => Some("modules_affected"),
        "acceptance" | "criteria" => Some("acceptance_criteria"),
        "story" => Some("user_story"),
        _ => FIELDS.into_iter().find(|f| *f == key),
    }
}

/// Whether a fence is a requirement block.
pub(super) fn is_requirement_fence(fence: &Fence) -> bool {
    fence
        .info
        .split_whitespace()
        .next()
        .is_some_and(|lang| lang.eq_ignore_ascii_case("requirement"))
}

/// Every ```` ```requirement ```` block of a document (its whole span) and what it holds.
pub fn requirement_blocks(
    doc: &Document,
    text: &str,
) -> Vec<(Span, Result<Requirement, RequirementError>)> {
    doc.fences
        .iter()
        .filter(|f| is_requirement_fence(f))
        .map(|f| {
            let body = fence_body(text, f);
            let parsed = block::read(&text[body.clone()], body.start)
                .map_err(|e| RequirementError {
                    field: "syntax".into(),
                    message: e.message,
                    span: e.span,
                })
                .and_then(|entries| from_entries(entries, f.opening.clone()));
            (f.span.clone(), parsed)
        })
        .collect()
}

/// The text between the opening and the closing fence lines.
fn fence_body(text: &str, fence: &Fence) -> Span {
    let start = text[fence.opening.end..fence.span.end]
        .find('\n')
        .map(|i| fence.opening.end + i + 1)
        .unwrap_or(fence.span.end);
    let end = if fence.closed {
        let block = text[start..fence.span.end].trim_end_matches(['\n', '\r']);
        block.rfind('\n').map(|i| start + i + 1).unwrap_or(start)
    } else {
        fence.span.end
    };
    start..end.max(start)
}

fn from_entries(entries: Vec<Entry>, opening: Span) -> Result<Requirement, RequirementError> {
    let mut fields: Vec<(&'static str, Entry)> = Vec::new();
    for entry in entries {
        let Some(field) = canonical_field(&entry.key) else {
            return Err(RequirementError {
                message: format!(
                    "unknown field `{}`; a requirement takes {}",
                    entry.key,
                    FIELDS.join(", ")
                ),
                field: entry.key,
                span: entry.key_span,
            });
        };
        if fields.iter().any(|(f, _)| *f == field) {
            return Err(RequirementError {
                field: field.into(),
                message: format!("`{field}` is given twice"),
                span: entry.key_span,
            });
        }
        fields.push((field, entry));
    }
    let get = |name: &str| fields.iter().find(|(f, _)| *f == name).map(|(_, e)| e);
    let text_of = |name: &'static str| -> Result<Option<String>, RequirementError> {
        match get(name) {
            None => Ok(None),
            Some(Entry {
                value: Value::Text(t),
                ..
            }) => Ok(Some(t.trim().to_string()).filter(|t| !t.is_empty())),
            // `key:` with nothing under it.
            Some(Entry {
                value: Value::List(items),
                ..
            }) if items.is_empty() => Ok(None),
            Some(e) => Err(RequirementError {
                field: name.into(),
                message: format!("`{name}` must be text, not a list"),
                span: e.value_span.clone(),
            }),
        }
    };
    let list_of = |name: &str| -> Vec<String> {
        match get(name).map(|e| &e.value) {
            Some(Value::List(items)) => items.clone(),
            Some(Value::Text(t)) => t
                .split(['\n', ','])
                .map(|s| clean_list_item(s).to_string())
                .collect(),
            None => Vec::new(),
        }
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect()
    };
    let description = text_of("description")?.ok_or_else(|| RequirementError {
        field: "description".into(),
        message: match get("description") {
            Some(_) => "`description` is empty; say what is needed".into(),
            None => "missing `description`: every requirement says what is needed".into(),
        },
        span: get("description")
            .map(|e| e.value_span.clone())
            .unwrap_or(opening.clone()),
    })?;
    let given_title = text_of("title")?;
    let words = Words::of(&format!(
        "{}\n{description}",
        given_title.as_deref().unwrap_or("")
    ));
    let kind = match text_of("type")? {
        None => RequirementKind::infer_from(&description, &words),
        Some(v) => RequirementKind::parse(&v).ok_or_else(|| {
            let accepted: Vec<&str> = RequirementKind::ALL.iter().map(|k| k.as_str()).collect();
            value_error("type", &v, &accepted, get("type"))
        })?,
    };
    let priority = match text_of("priority")? {
        None => Priority::infer(&words, kind),
        Some(v) => Priority::parse(&v).ok_or_else(|| {
            let accepted: Vec<&str> = Priority::ALL.iter().map(|p| p.as_str()).collect();
            value_error("priority", &v, &accepted, get("priority"))
        })?,
    };
    let title = given_title.unwrap_or_else(|| descriptive_name(&description, kind));
    let mut acceptance_criteria = list_of("acceptance_criteria");
    if acceptance_criteria.is_empty() {
        acceptance_criteria = criteria_from_text(&description);
    }
    Ok(Requirement {
        kind,
        title,
        description,
        priority,
        modules: list_of("modules_affected")
            .into_iter()
            .map(|m| m.to_lowercase())
            .collect(),
        acceptance_criteria,
        user_story: text_of("user_story")?,
    })
}

fn value_error(
    field: &str,
    value: &str,
    accepted: &[&str],
    entry: Option<&Entry>,
) -> RequirementError {
    RequirementError {
        field: field.into(),
        message: format!("`{field}: {value}` is not one of {}", accepted.join(", ")),
        span: entry.map(|e| e.value_span.clone()).unwrap_or_default(),
    }
}

/// `- [ ] text`, `* text`, `1. text` → `text`.
fn clean_list_item(line: &str) -> &str {
    let t = line.trim().trim_start_matches(['-', '*', '+']).trim_start();
    let t = ["[ ]", "[x]", "[X]"]
        .iter()
        .find_map(|m| t.strip_prefix(m))
        .unwrap_or(t)
        .trim_start();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
    match t[digits..].strip_prefix(['.', ')']) {
        Some(rest) if digits > 0 => rest.trim_start(),
        _ => t,
    }
}

/// A requirement from free text: a selection, or the description given to the command.
/// Checklist and bullet lines after the first line become acceptance criteria.
pub fn requirement_from_text(text: &str) -> Requirement {
    let text = text.replace("\r\n", "\n");
    let description = text.trim().to_string();
    let mut acceptance_criteria: Vec<String> = description
        .lines()
        .skip(1)
        .filter(|l| {
            let t = l.trim_start();
            t.starts_with("- [") || t.starts_with("* [")
        })
        .map(|l| clean_list_item(l).to_string())
        .filter(|l| !l.is_empty())
        .collect();
    if acceptance_criteria.is_empty() {
        acceptance_criteria = criteria_from_text(&description);
    }
    let words = Words::of(&description);
    let kind = RequirementKind::infer_from(&description, &words);
    let title = descriptive_name(&description, kind);
    Requirement {
        kind,
        title,
        priority: Priority::infer(&words, kind),
        description,
        modules: Vec::new(),
        acceptance_criteria,
        user_story: None,
    }
}

/// A requirement from a TASK.md item (`item` indexes `doc.checklist`): its text without
/// dates, `@agent` markers, numbering and links, and its nested notes — the requester's
/// words (`User: "…"`), a user story, `Priority:`/`Type:`/`Modules:` notes, and nested
/// checkboxes as acceptance criteria.
pub fn requirement_from_task_item(doc: &Document, text: &str, item: usize) -> Requirement {
    let item = &doc.checklist[item];
    let title = clean_item_text(&item.text);
    let item_indent = indent_of(&text[item.line.clone()]);
    let mut requests = Vec::new();
    let mut notes = Vec::new();
    let mut criteria = Vec::new();
    let mut user_story = None;
    let mut kind = None;
    let mut priority = None;
    let mut modules = Vec::new();
    for (_, line) in lines_with_spans(&text[item.line.end.min(text.len())..]).skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        if indent_of(line) <= item_indent || line.trim_start().starts_with('#') {
            break;
        }
        let trimmed = line.trim();
        let note = clean_list_item(trimmed);
        if trimmed.trim_start_matches(['-', '*', ' ']).starts_with('[') && note != trimmed {
            criteria.push(clean_item_text(note));
            continue;
        }
        let (key, value) = match note.split_once(':') {
            Some((k, v)) if k.split_whitespace().count() <= 3 => {
                (k.trim().to_lowercase().replace('*', ""), v.trim())
            }
            _ => (String::new(), note),
        };
        let unquoted = value.trim_matches(['"', '“', '”', '\'']).trim();
        match key.as_str() {
            "user" | "request" | "requested" | "user request" | "requested by" => {
                requests.push(unquoted.to_string())
            }
            "user story" | "story" => user_story = Some(unquoted.to_string()),
            "priority" => priority = Priority::parse(unquoted).or(priority),
            "type" | "kind" => kind = RequirementKind::parse(unquoted).or(kind),
            "modules" | "modules affected" | "module" => modules.extend(
                unquoted
                    .split(',')
                    .map(|m| m.trim().to_lowercase())
                    .filter(|m| !m.is_empty()),
            ),
            "assigned to" | "assignee" | "source" | "prp" | "started" | "added" | "completed" => {}
            _ if note.to_lowercase().starts_with("as a") => user_story = Some(note.to_string()),
            _ => notes.push(note.to_string()),
        }
    }
    let mut description = title.clone();
    for request in &requests {
        description.push_str(&format!("\n\nRequested: \"{request}\""));
    }
    if !notes.is_empty() {
        description.push_str("\n\n");
        description.push_str(&notes.join("\n"));
    }
    let words = Words::of(&description);
    let kind = kind.unwrap_or_else(|| RequirementKind::infer_from(&title, &words));
    if criteria.is_empty() {
        criteria = requests
            .iter()
            .chain(&notes)
            .flat_map(|t| criteria_from_text(t))
            .collect();
    }
    Requirement {
        kind,
        priority: priority.unwrap_or_else(|| Priority::infer(&words, kind)),
        title: descriptive_name(&title, kind),
        description,
        modules,
        acceptance_criteria: criteria,
        user_story,
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// An item's words without what the board adds around them: `~~`, bold, `**#12** —`
/// numbering, dates with their labels, `@agent` markers, a `→ [PRP …](…)` link.
fn clean_item_text(text: &str) -> String {
    let mut t = text.replace("~~", "");
    if let Some(arrow) = t.find('→') {
        t.truncate(arrow);
    }
    let mut cuts: Vec<Span> = scan::agent_mentions(&t)
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    for (r, _, label) in scan::dates(&t) {
        // The date goes with its label and brackets: `(added 2026-01-10)`, `- Started 2026-01-02`.
        let head = t[..r.start].trim_end_matches([' ', ':']);
        let label_at = head.len().saturating_sub(label.len());
        let mut start = if !label.is_empty()
            && head.is_char_boundary(label_at)
            && head[label_at..].eq_ignore_ascii_case(&label)
        {
            label_at
        } else {
            head.len()
        };
        let mut end = r.end;
        let open = t[..start].trim_end();
        if open.ends_with('(') && t[end..].trim_start().starts_with(')') {
            start = open.len() - 1;
            end += t[end..].find(')').unwrap_or(0) + 1;
        } else if open.ends_with(['-', '—', '–']) {
            start = open.trim_end_matches(['-', '—', '–']).len();
        }
        cuts.push(start..end);
    }
    cuts.sort_by_key(|r| r.start);
    let mut out = String::new();
    let mut at = 0;
    for cut in cuts {
        if cut.start >= at {
            out.push_str(&t[at..cut.start]);
            at = cut.end;
        }
    }
    out.push_str(&t[at.min(t.len())..]);
    let out = out.replace("**", "");
    // `#12 — Fix login`: the board's numbering is not part of the requirement.
    let out = out.trim_start();
    let out = match out.strip_prefix('#') {
        Some(rest) => {
            let digits = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            if digits > 0 {
                rest[digits..].trim_start_matches([' ', '—', '–', '-', ':', '.'])
            } else {
                out
            }
        }
        None => out,
    };
    out.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches([' ', '-', '—', '–', ',', ';'])
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn blocks(text: &str) -> Vec<Result<Requirement, RequirementError>> {
        let doc = crate::parse("PLANNING.md", text, &Config::default());
        requirement_blocks(&doc, text)
            .into_iter()
            .map(|(_, r)| r)
            .collect()
    }

    #[test]
    fn yaml_block() {
        let text = "# Plan\n\n```requirement\ntype: feature\ntitle: Calendar sync\ndescription: |\n  Sync events with Google Calendar\n  both ways.\npriority: HIGH\nmodules_affected:\n  - backend\n  - integration\nacceptance_criteria:\n  - Events created in the app appear in Google\n  - Edits sync within a minute\nuser_story: As a teacher I want my rehearsals in my calendar\n```\n";
        let r = blocks(text).remove(0).unwrap();
        assert_eq!(r.kind, RequirementKind::Feature);
        assert_eq!(r.title, "Calendar sync");
        assert_eq!(
            r.description,
            "Sync events with Google Calendar\nboth ways."
        );
        assert_eq!(r.priority, Priority::High);
        assert_eq!(r.modules, ["backend", "integration"]);
        assert_eq!(r.acceptance_criteria.len(), 2);
        assert!(r.user_story.unwrap().starts_with("As a teacher"));
    }

    #[test]
    fn json_block_with_inferred_title_and_kind() {
        let text = "```requirement\n{\"description\": \"Fix the crash when saving an empty form. It loses data.\", \"acceptance_criteria\": [\"No crash\"], \"modules\": [\"Frontend\"]}\n```\n";
        let r = blocks(text).remove(0).unwrap();
        assert_eq!(r.title, "Fix the crash when saving an empty form");
        assert_eq!(r.kind, RequirementKind::BugFix);
        assert_eq!(r.priority, Priority::Medium);
        assert_eq!(r.modules, ["frontend"]);
    }

    #[test]
    fn bad_blocks_name_the_field() {
        let text = "```requirement\ntype: feature\npriority: high\n```\n";
        let err = blocks(text).remove(0).unwrap_err();
        assert_eq!(err.field, "description");
        assert_eq!(&text[err.span.clone()], "```requirement");

        let text = "```requirement\ntype: feeture\ndescription: x\n```\n";
        let err = blocks(text).remove(0).unwrap_err();
        assert_eq!(err.field, "type");
        assert_eq!(&text[err.span.clone()], "feeture");
        assert!(err.message.contains("bug_fix"), "{}", err.message);

        let text = "```requirement\ndescription: x\npriority: soon\n```\n";
        let err = blocks(text).remove(0).unwrap_err();
        assert_eq!(err.field, "priority");
        assert!(err.message.contains("critical, high, medium, low"));

        let text = "```requirement\ndescription: x\npriorty: high\n```\n";
        let err = blocks(text).remove(0).unwrap_err();
        assert_eq!(err.field, "priorty");
        assert_eq!(&text[err.span.clone()], "priorty");

        let text = "```requirement\n{\"description\": \"x\", \"type\": 3}\n```\n";
        assert_eq!(blocks(text).remove(0).unwrap_err().field, "type");

        let text = "```requirement\n{\"description\": \"x\",\n}\n```\n";
        assert_eq!(blocks(text).remove(0).unwrap_err().field, "syntax");
    }

    #[test]
    fn crlf_block() {
        let text =
            "```requirement\r\ntype: security\r\ndescription: |\r\n  Rate-limit login\r\n```\r\n";
        let r = blocks(text).remove(0).unwrap();
        assert_eq!(r.description, "Rate-limit login");
        assert_eq!(r.kind, RequirementKind::Security);
        assert_eq!(r.priority, Priority::High);
    }

    #[test]
    fn task_item_with_nested_notes() {
        let text = "# Tasks\n\n## Active\n\n- [ ] **#12** — Add Google Calendar sync (added 2026-01-10) @backend\n  - User: \"I want rehearsals to show up in my phone calendar\"\n  - Priority: high\n  - [ ] Events appear within a minute\n  - Needs OAuth consent screen\n- [ ] Next item\n";
        let doc = crate::parse("TASK.md", text, &Config::default());
        let r = requirement_from_task_item(&doc, text, 0);
        assert_eq!(r.title, "Add Google Calendar sync");
        assert_eq!(r.priority, Priority::High);
        assert_eq!(r.acceptance_criteria, ["Events appear within a minute"]);
        assert!(r
            .description
            .contains("Requested: \"I want rehearsals to show up in my phone calendar\""));
        assert!(r.description.contains("Needs OAuth consent screen"));
        assert!(!r.description.contains("Next item"));
        assert_eq!(r.kind, RequirementKind::Feature);
    }

    #[test]
    fn item_text_is_cleaned() {
        assert_eq!(
            clean_item_text("Fix login redirect - Started 2026-01-02 @frontend-agent"),
            "Fix login redirect"
        );
        assert_eq!(
            clean_item_text("~~Old thing~~ (completed 2026-01-15) → [PRP 03](PRPs/active/03_x.md)"),
            "Old thing"
        );
        assert_eq!(clean_item_text("**#7** - Ship it"), "Ship it");
    }

    #[test]
    fn free_text() {
        let r = requirement_from_text(
            "Users should be able to export invoices as PDF. Urgent for the audit.\r\n- [ ] PDF has the logo\r\n- [ ] Totals match\r\n",
        );
        assert_eq!(r.title, "Let users export invoices as PDF");
        assert_eq!(r.priority, Priority::Critical);
        assert_eq!(r.acceptance_criteria, ["PDF has the logo", "Totals match"]);
        assert!(!r.description.contains('\r'));
        assert_eq!(requirement_from_text("  ").title, "New requirement");
    }
}

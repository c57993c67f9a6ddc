//! Builds a [`Document`] from text: pulldown-cmark for structure (headings, lists, task
//! markers, fences, links), then one fence-aware pass over the lines for the conventions
//! Markdown does not know (bold keys, context references, verbs, agent markers).

use std::collections::HashSet;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::front_matter::{lines_with_spans, read_header};
use super::heading::normalize_heading;
use super::kind::{classify, lifecycle_from_folder, lifecycle_from_status, prp_number};
use super::scan;
use super::*;
use crate::config::Config;
use crate::profile::AGENT_SECTIONS;
use crate::text::{line_end, line_start};

const EXAMPLE_WORDS: [&str; 10] = [
    "format",
    "syntax",
    "template",
    "example",
    "legend",
    "convention",
    "how to",
    "instructions",
    "usage",
    "core principles",
];

/// Keys that describe the document; read from bold key/value lines in the header region.
const METADATA_SECTIONS: [&str; 7] = [
    "metadata",
    "overview",
    "feature metadata",
    "status",
    "document info",
    "story metadata",
    "prp metadata",
];

pub fn parse(path: &str, text: &str, config: &Config) -> Document {
    let kind = classify(path, config);
    let header = read_header(text);
    let body_start = header.end;
    let mut doc = Document {
        path: path.to_string(),
        kind,
        lifecycle: Lifecycle::Unknown,
        text_len: text.len(),
        body_start,
        metadata: Metadata {
            keys: header.keys,
            ..Metadata::default()
        },
        sections: Vec::new(),
        checklist: Vec::new(),
        references: Vec::new(),
        prp_mentions: Vec::new(),
        tasks: Vec::new(),
        fences: Vec::new(),
        suppressions: Vec::new(),
        agent: None,
        finished_prps: Vec::new(),
    };
    read_structure(text, body_start, &mut doc, config);
    read_lines(text, &mut doc);
    read_tasks(text, &mut doc);
    read_metadata(text, &mut doc);
    // A file in an agent folder that shows nothing of an agent (a generated context dump, a
    // notes file) is not an agent definition, unless the configuration says it is.
    if kind == DocKind::Agent
        && config.documents.configured_kind(path).is_none()
        && !defines_an_agent(&doc)
    {
        doc.kind = DocKind::Other;
    }
    if doc.kind == DocKind::Agent {
        doc.agent = Some(read_agent(text, &doc));
        read_key_files(text, &mut doc);
    }
    let folder = lifecycle_from_folder(path);
    let stated = doc
        .metadata
        .status
        .as_ref()
        .map(|s| lifecycle_from_status(&s.value))
        .unwrap_or(Lifecycle::Unknown);
    doc.lifecycle = if folder != Lifecycle::Unknown {
        folder
    } else {
        stated
    };
    if doc.kind == DocKind::Prp {
        doc.metadata.due_on = due_on(text, &doc);
    }
    if doc.kind == DocKind::TaskBoard {
        doc.finished_prps = finished_prps(text, &doc);
    }
    doc
}

/// Labels that make a date on a ticked item its completion date.
const COMPLETION_LABELS: [&str; 6] = [
    "completed",
    "done",
    "finished",
    "archived",
    "shipped",
    "merged",
];

/// PRP file name → the latest completion date of a ticked board item that names it (`(completed
/// 2026-11-10)` on the item, the PRP's path on the item or in its notes).
fn finished_prps(text: &str, doc: &Document) -> Vec<(String, scan::Date)> {
    let mut found: std::collections::BTreeMap<String, scan::Date> = Default::default();
    let items = doc.tasks.iter().filter(|t| {
        t.source == TaskSource::BoardItem
            && !doc.in_example(t.section)
            && t.state == Some(MarkerState::Done)
    });
    for task in items {
        let Some(item) = text.get(task.span.clone()) else {
            continue;
        };
        let dates = scan::dates(item);
        let labelled = dates
            .iter()
            .find(|d| COMPLETION_LABELS.contains(&d.2.as_str()));
        let Some(date) = labelled.or(dates.first().filter(|d| d.2.is_empty())) else {
            continue;
        };
        let extent = text
            .get(task.span.start..task.end.max(task.span.end))
            .unwrap_or_default();
        for line in extent.lines() {
            for r in scan::prp_paths(line) {
                let name = line[r].rsplit('/').next().unwrap_or_default();
                let best = found.entry(name.to_string()).or_insert(date.1);
                *best = (*best).max(date.1);
            }
        }
    }
    found.into_iter().collect()
}

/// Header keys that say when a PRP is due.
const DUE_KEYS: [&str; 6] = [
    "due",
    "due date",
    "due on",
    "target date",
    "deadline",
    "target completion",
];

/// The date a due key states, else the last date of a section named for the timeline
/// (`## Timeline`, `## Estimated Effort / Timeline`).
fn due_on(text: &str, doc: &Document) -> Option<scan::Date> {
    let stated = DUE_KEYS
        .iter()
        .filter_map(|k| doc.metadata.key(k))
        .find_map(|v| scan::dates(&v.value).first().map(|d| d.1));
    stated.or_else(|| {
        doc.sections
            .iter()
            .filter(|s| s.name.key.contains("timeline"))
            .filter_map(|s| text.get(s.body.start..s.end))
            .flat_map(|body| scan::dates(body).into_iter().map(|d| d.1))
            .max()
    })
}

fn trim_line_end(text: &str, mut end: usize) -> usize {
    while end > 0 && matches!(text.as_bytes()[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    end
}

/// Heading text without the `#` markers (ATX) or the underline (setext).
pub(crate) fn heading_title(source: &str) -> &str {
    let first = source.lines().next().unwrap_or("").trim();
    if first.starts_with('#') {
        let t = first.trim_start_matches('#').trim();
        let without_closing = t.trim_end_matches('#');
        if without_closing.len() != t.len()
            && (without_closing.is_empty() || without_closing.ends_with(' '))
        {
            return without_closing.trim_end();
        }
        t
    } else {
        first
    }
}

fn read_structure(text: &str, body_start: usize, doc: &mut Document, config: &Config) {
    let body = &text[body_start..];
    let options = Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES;
    let mut headings: Vec<(u8, Span)> = Vec::new();
    let mut list_depth: u32 = 0;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let range = range.start + body_start..range.end + body_start;
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let end = trim_line_end(text, range.end);
                headings.push((level as u8, range.start..end.max(range.start)));
            }
            Event::Start(Tag::List(_)) => list_depth += 1,
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::TaskListMarker(checked) => {
                let line = line_start(text, range.start)..line_end(text, range.start);
                let text_after = text[range.end..line.end].trim().to_string();
                doc.checklist.push(CheckItem {
                    marker: range.clone(),
                    line,
                    checked,
                    text: text_after,
                    depth: list_depth.saturating_sub(1),
                    section: None,
                });
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let opening = range.start..line_end(text, range.start);
                let open_line = text[opening.clone()].trim_start();
                let fence_char = open_line.chars().next().unwrap_or('`');
                let fence_len = open_line.chars().take_while(|c| *c == fence_char).count();
                let block = &text[range.clone()];
                // A fence in a block quote closes with `> ```` `.
                let last_line = block
                    .trim_end_matches(['\n', '\r'])
                    .rsplit('\n')
                    .next()
                    .unwrap_or("")
                    .trim_start_matches(|c: char| c == '>' || c.is_whitespace())
                    .trim_end();
                let closed = block.trim_end_matches(['\n', '\r']).contains('\n')
                    && last_line.len() >= fence_len
                    && last_line.chars().all(|c| c == fence_char);
                doc.fences.push(Fence {
                    span: range.clone(),
                    opening,
                    info: info.trim().to_string(),
                    closed,
                });
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                let dest = dest_url.trim();
                let is_relative = !dest.is_empty()
                    && !dest.starts_with('#')
                    && !dest.contains("://")
                    && !dest.starts_with("mailto:")
                    && !dest.starts_with("tel:")
                    && !dest.starts_with("data:");
                if is_relative {
                    let source = &text[range.clone()];
                    let span = match source.rfind(dest) {
                        Some(i) => range.start + i..range.start + i + dest.len(),
                        None => range.clone(),
                    };
                    let target = scan::clean_target(&percent_decode(dest));
                    if !target.is_empty() {
                        doc.references.push(Reference {
                            kind: ReferenceKind::Link,
                            target,
                            span,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    // Sections: each heading's body runs to the next heading; its end to the next heading of
    // the same or a higher level.
    let mut stack: Vec<usize> = Vec::new();
    for (i, (level, span)) in headings.iter().enumerate() {
        let title = heading_title(&text[span.clone()]);
        let name = normalize_heading(title);
        let body_end = headings
            .get(i + 1)
            .map(|(_, s)| s.start)
            .unwrap_or(text.len());
        let end = headings[i + 1..]
            .iter()
            .find(|(l, _)| l <= level)
            .map(|(_, s)| s.start)
            .unwrap_or(text.len());
        while stack
            .last()
            .is_some_and(|&p| doc.sections[p].level >= *level)
        {
            stack.pop();
        }
        let canonical = match doc.kind {
            DocKind::Agent => AGENT_SECTIONS
                .iter()
                .find(|(_, names)| names.contains(&name.key.as_str()))
                .map(|(c, _)| c.to_string()),
            _ if (2..=4).contains(level) => {
                config.synonyms.canonical(&name.key).map(str::to_string)
            }
            _ => None,
        };
        let example = EXAMPLE_WORDS.iter().any(|w| name.key.contains(w));
        let body_from = (span.end..body_end).start;
        let body_from = if text[body_from..].starts_with("\r\n") {
            body_from + 2
        } else if text[body_from..].starts_with('\n') {
            body_from + 1
        } else {
            body_from
        };
        doc.sections.push(Section {
            level: *level,
            heading: span.clone(),
            name,
            canonical,
            body: body_from.min(body_end)..body_end,
            end,
            parent: stack.last().copied(),
            example,
        });
        stack.push(doc.sections.len() - 1);
    }
    doc.fences.sort_by_key(|f| f.span.start);
    for i in 0..doc.checklist.len() {
        doc.checklist[i].section = doc.section_at(doc.checklist[i].marker.start);
    }
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            // `get`: the two bytes after `%` may split a multi-byte character.
            if let Some(Ok(v)) = s.get(i + 1..i + 3).map(|h| u8::from_str_radix(h, 16)) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Spans (possibly nested, as a link around an image) answering "does any overlap this one?"
/// by binary search.
struct SpanSet {
    spans: Vec<Span>,
    /// The largest end among `spans[..=i]`.
    max_end: Vec<usize>,
}

impl SpanSet {
    fn new(mut spans: Vec<Span>) -> SpanSet {
        spans.sort_by_key(|s| s.start);
        let max_end = spans
            .iter()
            .scan(0, |max, s| {
                *max = (*max).max(s.end);
                Some(*max)
            })
            .collect();
        SpanSet { spans, max_end }
    }

    fn overlaps(&self, span: &Span) -> bool {
        let starting_before_end = self.spans.partition_point(|s| s.start < span.end);
        starting_before_end > 0 && self.max_end[starting_before_end - 1] > span.start
    }
}

/// The fence-aware line pass.
fn read_lines(text: &str, doc: &mut Document) {
    let mut fence_idx = 0;
    let first_h2 = doc
        .sections
        .iter()
        .find(|s| s.level >= 2)
        .map(|s| s.heading.start)
        .unwrap_or(text.len());
    let links = SpanSet::new(doc.references.iter().map(|r| r.span.clone()).collect());
    let mut metadata_keys: HashSet<String> =
        doc.metadata.keys.iter().map(|(k, _)| k.clone()).collect();
    let references_before = doc.references.len();
    let mut next_line_suppression: Option<Vec<String>> = None;
    let first_line = text[..doc.body_start].matches('\n').count();
    for (line_no, (span, line)) in lines_with_spans(&text[doc.body_start..])
        .map(|(s, l)| (s.start + doc.body_start..s.end + doc.body_start, l))
        .enumerate()
        .map(|(i, l)| (first_line + i, l))
    {
        while fence_idx < doc.fences.len() && doc.fences[fence_idx].span.end <= span.start {
            fence_idx += 1;
        }
        let fence = doc
            .fences
            .get(fence_idx)
            .filter(|f| f.span.start <= span.start);
        let in_fence = fence.is_some();
        let is_fence_line = fence.is_some_and(|f| {
            f.opening.start == span.start
                || (f.closed && span.end >= trim_line_end(text, f.span.end))
        });
        // Prose, and the YAML context blocks of PRPs (`why: … after PRP-01`); not code.
        let prose = fence.is_none_or(|f| {
            let info = f.info.trim();
            !is_fence_line
                && (info.eq_ignore_ascii_case("yaml") || info.eq_ignore_ascii_case("yml"))
        });
        if prose && line.contains("PRP") {
            for (r, number) in scan::prp_number_mentions(line) {
                doc.prp_mentions.push(Spanned {
                    value: number,
                    span: span.start + r.start..span.start + r.end,
                });
            }
        }
        if let Some(rules) = next_line_suppression.take() {
            doc.suppressions.push(Suppression {
                rules,
                scope: SuppressionScope::Line(line_no),
            });
        }
        if !in_fence {
            if let Some((scope, rules)) = scan::suppression(line) {
                match scope {
                    "file" => doc.suppressions.push(Suppression {
                        rules,
                        scope: SuppressionScope::File,
                    }),
                    "line" => doc.suppressions.push(Suppression {
                        rules,
                        scope: SuppressionScope::Line(line_no),
                    }),
                    _ => next_line_suppression = Some(rules),
                }
            }
            let in_metadata_region = span.start < first_h2
                || doc.section_at(span.start).is_some_and(|s| {
                    METADATA_SECTIONS.contains(&doc.sections[s].name.key.as_str())
                });
            if in_metadata_region {
                if let Some((key, value)) = scan::bold_key(line) {
                    if !value.is_empty() && metadata_keys.insert(key.clone()) {
                        let value = Spanned {
                            value: line[value.clone()].to_string(),
                            span: span.start + value.start..span.start + value.end,
                        };
                        doc.metadata.keys.push((key, value));
                    }
                } else if let Some(v) = scan::plain_key(line, "status") {
                    if metadata_keys.insert("status".into()) {
                        doc.metadata.keys.push((
                            "status".into(),
                            Spanned {
                                value: line[v.clone()].to_string(),
                                span: span.start + v.start..span.start + v.end,
                            },
                        ));
                    }
                }
            }
        }
        if is_fence_line {
            continue;
        }
        if let Some((kind, r)) = scan::context_reference(line, in_fence) {
            let kind = match kind {
                "file" => ReferenceKind::File,
                "docfile" => ReferenceKind::DocFile,
                _ => ReferenceKind::Url,
            };
            let target = if kind == ReferenceKind::Url {
                line[r.clone()].to_string()
            } else {
                scan::clean_target(&line[r.clone()])
            };
            doc.references.push(Reference {
                kind,
                target,
                span: span.start + r.start..span.start + r.end,
            });
        }
        // A verb line anywhere: in a fence, a heading, a list, or a bare paragraph line
        // (`MODIFY src/x.tsx:` above `- ADD: …` bullets, as the base template's task list
        // is often written). The verb must be upper case and its target look like a path.
        {
            if let Some((verb, r)) = scan::verb_target(line) {
                let kind = if verb == "create" {
                    ReferenceKind::Create
                } else {
                    ReferenceKind::Modify
                };
                doc.references.push(Reference {
                    kind,
                    target: scan::clean_target(&line[r.clone()]),
                    span: span.start + r.start..span.start + r.end,
                });
            }
        }
        for r in scan::prp_paths(line) {
            let abs = span.start + r.start..span.start + r.end;
            if links.overlaps(&abs) {
                continue;
            }
            // References this pass added are in line order: only this line's can overlap.
            if doc.references[references_before..]
                .iter()
                .rev()
                .take_while(|x| x.span.end > span.start)
                .any(|x| x.span.start < abs.end && abs.start < x.span.end)
            {
                continue;
            }
            doc.references.push(Reference {
                kind: ReferenceKind::PrpPath,
                target: scan::clean_target(&line[r.clone()]),
                span: abs,
            });
        }
    }
    doc.references.sort_by_key(|r| r.span.start);
}

fn fence_task_number(line: &str) -> Option<(u32, &str)> {
    let t = line.trim_start().trim_start_matches(['#', '-', '*', ' ']);
    let rest = t
        .strip_prefix("Task ")
        .or_else(|| t.strip_prefix("TASK "))?;
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    if digits == 0 {
        return None;
    }
    let after = rest[digits..].trim_start();
    let title = after.strip_prefix([':', '.', '-']).map(str::trim)?;
    Some((rest[..digits].parse().ok()?, title))
}

fn read_tasks(text: &str, doc: &mut Document) {
    let mut tasks = Vec::new();
    // Task headings.
    for (i, s) in doc.sections.iter().enumerate() {
        if !(2..=4).contains(&s.level) {
            continue;
        }
        let heading_text = &text[s.heading.clone()];
        let is_verb_heading = scan::verb_target(heading_text).is_some();
        if s.name.task_number.is_none() && s.name.marker.is_none() && !is_verb_heading {
            continue;
        }
        let assignee = find_assignment(text, s.body.clone());
        tasks.push(Task {
            source: TaskSource::Heading,
            line: 0,
            number: s.name.task_number,
            title: s.name.display.clone(),
            span: s.heading.clone(),
            end: s.end,
            state: s.name.marker,
            assignee,
            section: Some(i),
        });
    }
    // `Task N:` lines inside fences.
    for f in &doc.fences {
        let inner = &text[f.opening.end..f.span.end];
        let mut fence_tasks: Vec<Task> = Vec::new();
        for (span, line) in lines_with_spans(inner) {
            let span = span.start + f.opening.end..span.end + f.opening.end;
            if let Some((number, title)) = fence_task_number(line) {
                if let Some(prev) = fence_tasks.last_mut() {
                    prev.end = span.start;
                }
                fence_tasks.push(Task {
                    source: TaskSource::FenceLine,
                    line: 0,
                    number: Some(number),
                    title: title.to_string(),
                    span: span.start + (line.len() - line.trim_start().len())..span.end,
                    end: f.span.end,
                    state: None,
                    assignee: None,
                    section: doc.section_at(span.start),
                });
            }
        }
        for t in &mut fence_tasks {
            t.assignee = find_assignment(text, t.span.end..t.end);
        }
        tasks.extend(fence_tasks);
    }
    // Board items.
    if doc.kind == DocKind::TaskBoard {
        for (i, item) in doc.checklist.iter().enumerate() {
            if doc.in_example(item.section) {
                continue;
            }
            let section_end = item
                .section
                .map(|s| doc.sections[s].body.end)
                .unwrap_or(text.len());
            let next = doc
                .checklist
                .get(i + 1)
                .map(|n| n.line.start)
                .unwrap_or(text.len())
                .min(section_end);
            let end = next.max(item.line.end);
            let line = &text[item.line.clone()];
            let mention = scan::agent_mentions(line)
                .into_iter()
                .next()
                .map(|(r, id)| Spanned {
                    value: id,
                    span: item.line.start + r.start..item.line.start + r.end,
                });
            let assignee = mention.or_else(|| find_assignment(text, item.line.end..end));
            tasks.push(Task {
                source: TaskSource::BoardItem,
                line: 0,
                number: None,
                title: item.text.clone(),
                span: item.line.clone(),
                end,
                state: Some(if item.checked {
                    MarkerState::Done
                } else {
                    MarkerState::Open
                }),
                assignee,
                section: item.section,
            });
        }
    }
    tasks.sort_by_key(|t| t.span.start);
    // One pass over the text gives every task its line number.
    let (mut line, mut counted) = (0u32, 0usize);
    for t in &mut tasks {
        line += memchr::memchr_iter(b'\n', &text.as_bytes()[counted..t.span.start]).count() as u32;
        counted = t.span.start;
        t.line = line;
    }
    doc.tasks = tasks;
}

fn find_assignment(text: &str, range: Span) -> Option<Spanned<String>> {
    let range = range.start.min(text.len())..range.end.min(text.len());
    // Most task bodies say nothing of assignment: one search rejects them, not one a line.
    if !scan::mentions_assignment(&text[range.clone()]) {
        return None;
    }
    for (span, line) in lines_with_spans(&text[range.clone()]) {
        if line.trim_start().starts_with('#') {
            break;
        }
        if let Some(r) = scan::assigned_to(line) {
            let start = range.start + span.start;
            return Some(Spanned {
                value: line[r.clone()].to_string(),
                span: start + r.start..start + r.end,
            });
        }
    }
    None
}

fn first_body_line(text: &str, s: &Section) -> Option<Spanned<String>> {
    let (span, line) =
        lines_with_spans(&text[s.body.clone()]).find(|(_, l)| !l.trim().is_empty())?;
    let value = line
        .trim()
        .trim_start_matches(['-', '*', ' '])
        .trim_matches('*')
        .trim();
    let offset = s.body.start + span.start + line.find(value).unwrap_or(0);
    (!value.is_empty() && value.len() < 80).then(|| Spanned {
        value: value.to_string(),
        span: offset..offset + value.len(),
    })
}

fn read_metadata(text: &str, doc: &mut Document) {
    let key =
        |doc: &Document, names: &[&str]| names.iter().find_map(|n| doc.metadata.key(n).cloned());
    let from_heading = |doc: &Document, canonical_key: &str| -> Option<Spanned<String>> {
        let s = doc
            .sections
            .iter()
            .find(|s| s.name.key == canonical_key && s.level >= 2)?;
        match &s.name.value {
            Some(v) => {
                let heading = &text[s.heading.clone()];
                // The value is normalized (decoration dropped): when it is not written as
                // such, the whole heading is where it is.
                let span = match heading.rfind(v.as_str()) {
                    Some(i) => s.heading.start + i..s.heading.start + i + v.len(),
                    None => s.heading.clone(),
                };
                Some(Spanned {
                    value: v.clone(),
                    span,
                })
            }
            None => first_body_line(text, s),
        }
    };
    let title = key(doc, &["title", "name"]).or_else(|| {
        let h1 = doc.sections.iter().find(|s| s.level == 1)?;
        Some(Spanned {
            value: h1.name.display.clone(),
            span: h1.heading.clone(),
        })
    });
    let description = key(doc, &["description", "overview"]);
    let status = key(doc, &["status"]).or_else(|| from_heading(doc, "status"));
    let priority = key(doc, &["priority"]).or_else(|| from_heading(doc, "priority"));
    let complexity = key(doc, &["complexity", "estimated complexity"])
        .or_else(|| from_heading(doc, "complexity"));
    let profile = key(doc, &["profile"]);
    let number = prp_number(doc.file_name()).or_else(|| {
        let id = key(doc, &["id"])?;
        let digits: String = id
            .value
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(char::is_ascii_digit)
            .collect();
        Some(PrpNumber {
            phase: None,
            number: digits.parse().ok()?,
        })
    });
    let m = &mut doc.metadata;
    m.title = title;
    m.description = description;
    m.status = status;
    m.priority = priority;
    m.complexity = complexity;
    m.profile = profile;
    m.number = if doc.kind == DocKind::Prp {
        number
    } else {
        None
    };
}

/// Backticked tokens on the bullet lines of `sections` (subsections included), with
/// their spans in the document: the paths agent files list.
fn backticked_in_bullets<'t>(
    text: &'t str,
    sections: impl Iterator<Item = &'t Section>,
) -> Vec<(Span, &'t str)> {
    let mut out = Vec::new();
    for s in sections {
        let whole = s.body.start.min(s.end)..s.end;
        for (span, line) in lines_with_spans(&text[whole.clone()]) {
            let t = line.trim_start();
            if !(t.starts_with("- ") || t.starts_with("* ")) {
                continue;
            }
            let mut rest = 0;
            while let Some(open) = line[rest..].find('`') {
                let open = rest + open + 1;
                let Some(close) = line[open..].find('`') else {
                    break;
                };
                let start = whole.start + span.start + open;
                out.push((start..start + close, &line[open..open + close]));
                rest = open + close + 1;
            }
        }
    }
    out
}

/// The files an agent file lists as its key files (`## Key Files` bullets with backticked
/// paths) are references: a missing one is as wrong as a missing `- file:`.
fn read_key_files(text: &str, doc: &mut Document) {
    let key_files = doc
        .sections
        .iter()
        .filter(|s| s.name.key.contains("key files"));
    let found: Vec<Reference> = backticked_in_bullets(text, key_files)
        .into_iter()
        .filter(|(span, token)| scan::looks_like_path(token) && !doc.in_fence(span.start))
        .map(|(span, token)| Reference {
            kind: ReferenceKind::File,
            target: scan::clean_target(token),
            span,
        })
        .collect();
    doc.references.extend(found);
    doc.references.sort_by_key(|r| r.span.start);
}

/// An agent file names itself one (`backend_agent.md`, `# Agent: Backend`) or has one of
/// the sections agent files have (Identity, Scope, Capabilities, Restrictions).
fn defines_an_agent(doc: &Document) -> bool {
    let stem = doc
        .file_name()
        .rsplit_once('.')
        .map_or(doc.file_name(), |(s, _)| s)
        .to_ascii_lowercase();
    let named = stem == "agent" || stem.ends_with("_agent") || stem.ends_with("-agent");
    let titled = doc
        .sections
        .iter()
        .any(|s| s.level == 1 && s.name.display.to_ascii_lowercase().contains("agent"));
    let sections = doc.sections.iter().any(|s| {
        matches!(
            s.canonical.as_deref(),
            Some("Identity" | "Scope" | "Capabilities" | "Restrictions")
        )
    });
    named || titled || sections
}

fn read_agent(text: &str, doc: &Document) -> AgentDefinition {
    let stem = doc
        .file_name()
        .rsplit_once('.')
        .map(|(s, _)| s)
        .unwrap_or(doc.file_name());
    let id = stem
        .trim_end_matches("_agent")
        .trim_end_matches("-agent")
        .to_string();
    let name = doc.sections.iter().find(|s| s.level == 1).map(|s| {
        let display = &s.name.display;
        let lower = display.to_ascii_lowercase();
        match lower.strip_prefix("agent:") {
            Some(_) => display[6..].trim().to_string(),
            None => s
                .name
                .value
                .clone()
                .filter(|_| s.name.key == "agent")
                .unwrap_or_else(|| display.clone()),
        }
    });
    // The Scope section with its subsections, and lists of folders under their own heading
    // (`## Key Directories`); `Key Files` lists files, not scope.
    let lists_folders = |s: &&Section| {
        s.canonical.as_deref() == Some("Scope")
            || ["directories", "folders"]
                .iter()
                .any(|w| s.name.key.contains(w))
    };
    let mut scope: Vec<Spanned<String>> = Vec::new();
    for (span, token) in backticked_in_bullets(text, doc.sections.iter().filter(lists_folders)) {
        // A Key Directories subsection of Scope is listed twice: once is enough.
        let seen = scope.iter().any(|x| x.span.start == span.start);
        if scan::looks_like_path(token) && token.contains('/') && !seen {
            scope.push(Spanned {
                value: token.to_string(),
                span,
            });
        }
    }
    AgentDefinition { id, name, scope }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(path: &str, text: &str) -> Document {
        parse(path, text, &Config::default())
    }

    /// Found by fuzzing: a heading value not written verbatim (decoration dropped) got a
    /// span of its length from the heading's start, which could split a character.
    #[test]
    fn heading_value_not_written_verbatim_spans_the_heading() {
        let text = "## \u{FFFD}status:ca\u{FFFD}t#\n";
        let d = doc("PRPs/active/01_x.md", text);
        let status = d.metadata.status.expect("a status heading");
        assert!(text.is_char_boundary(status.span.start) && text.is_char_boundary(status.span.end));
        assert_eq!(status.span, d.sections[0].heading);
    }

    #[test]
    fn hashes_in_fences_are_not_headings() {
        let d = doc(
            "PRPs/active/01_x.md",
            "# T\n## Goal\n```bash\n# install\nnpm i\n```\n## Why\nBecause.\n",
        );
        let keys: Vec<_> = d.sections.iter().map(|s| s.name.key.as_str()).collect();
        assert_eq!(keys, ["t", "goal", "why"]);
        assert!(d.fences[0].closed);
    }

    #[test]
    fn percent_decoding_survives_non_ascii() {
        assert_eq!(percent_decode("a%20b%aé%"), "a b%aé%");
    }

    #[test]
    fn quoted_fence_closes() {
        let d = doc("PRPs/a.md", "> ```text\n> quoted\n> ```\n\nafter\n");
        assert!(d.fences[0].closed);
    }

    #[test]
    fn unclosed_fence_is_seen() {
        let d = doc("PRPs/active/01_x.md", "## Goal\n```bash\nrun\n## Why\n");
        assert!(!d.fences[0].closed);
        assert_eq!(d.sections.len(), 1);
    }

    #[test]
    fn checklists_sections_and_h3_success_criteria() {
        let text =
            "## What\nThing\n### Success Criteria\n- [x] one\n- [ ] two\n  - [ ] nested\n## Next\n";
        let d = doc("PRPs/active/01_x.md", text);
        let sc = d
            .sections
            .iter()
            .position(|s| s.canonical.as_deref() == Some("Success Criteria"))
            .unwrap();
        assert_eq!(d.sections[sc].parent, Some(0));
        assert_eq!(d.checklist.len(), 3);
        assert!(d.checklist[0].checked);
        assert_eq!(d.checklist[2].depth, 1);
        assert!(d.checklist.iter().all(|c| c.section == Some(sc)));
        assert_eq!(&text[d.checklist[1].marker.clone()], "[ ]");
    }

    #[test]
    fn references_of_every_kind() {
        let text = "## Context\n```yaml\n- file: src/a.py\n  why: x\n- docfile: /Users/me/x.md\n- url: https://x.y\n```\nSee [b](../docs/b.md#top) and PRPs/archive/02_y.md.\n```\nTask 1:\nMODIFY src/b.py:\n  - FIND x\nCREATE src/c.py\n```\n";
        let d = doc("PRPs/active/01_x.md", text);
        let refs: Vec<_> = d
            .references
            .iter()
            .map(|r| (r.kind, r.target.as_str(), &text[r.span.clone()]))
            .collect();
        assert_eq!(
            refs,
            [
                (ReferenceKind::File, "src/a.py", "src/a.py"),
                (ReferenceKind::DocFile, "/Users/me/x.md", "/Users/me/x.md"),
                (ReferenceKind::Url, "https://x.y", "https://x.y"),
                (ReferenceKind::Link, "../docs/b.md", "../docs/b.md#top"),
                (
                    ReferenceKind::PrpPath,
                    "PRPs/archive/02_y.md",
                    "PRPs/archive/02_y.md"
                ),
                (ReferenceKind::Modify, "src/b.py", "src/b.py"),
                (ReferenceKind::Create, "src/c.py", "src/c.py"),
            ]
        );
        assert_eq!(d.tasks.len(), 1);
        assert_eq!(d.tasks[0].number, Some(1));
    }

    #[test]
    fn pseudo_header_and_orchestrator_tasks() {
        let text = "name: \"Sync\"\ndescription: |\n  Calendar sync.\n\n## Priority: HIGH\n## Implementation Tasks\n### Task 1: API\n**Assigned to**: backend\n### Task 2: UI\n";
        let d = doc("PRPs/active/03_sync.md", text);
        assert_eq!(d.metadata.title.as_ref().unwrap().value, "Sync");
        assert_eq!(d.metadata.priority.as_ref().unwrap().value, "HIGH");
        assert_eq!(d.metadata.number.as_ref().unwrap().number, 3);
        assert_eq!(d.tasks.len(), 2);
        assert_eq!(d.tasks[0].assignee.as_ref().unwrap().value, "backend");
        assert!(d.tasks[1].assignee.is_none());
        assert_eq!(d.sections[0].name.key, "priority");
    }

    #[test]
    fn bold_status_and_lifecycle() {
        let d = doc("PRPs/x.md", "# X\n> **Status**: Complete\n> **Created**: 2026-01-12\n## Goal\n**Status**: pending\n");
        assert_eq!(d.metadata.status.as_ref().unwrap().value, "Complete");
        assert_eq!(d.lifecycle, Lifecycle::Finished);
        assert_eq!(d.metadata.key("created").unwrap().value, "2026-01-12");
        assert_eq!(
            doc("PRPs/archive/x.md", "**Status**: Draft\n").lifecycle,
            Lifecycle::Finished
        );
    }

    #[test]
    fn task_board_items_and_example_sections() {
        let text = "## Active\n- [ ] Fix login @backend\n  - Assigned to: nobody\n- [ ] Write docs\n  Assigned to: docs\n## Task Format\n- [ ] Example @someone\n";
        let d = doc("TASK.md", text);
        assert_eq!(d.kind, DocKind::TaskBoard);
        assert_eq!(d.tasks.len(), 2);
        assert_eq!(d.tasks[0].assignee.as_ref().unwrap().value, "backend");
        assert_eq!(d.tasks[1].assignee.as_ref().unwrap().value, "docs");
    }

    #[test]
    fn agent_file() {
        let text = "# Agent: Backend Developer\n## Your Identity\nx\n## Your Scope\n- `/band-platform/backend/` and `app/api/`\n- Owns `README` only\n";
        let d = doc("agent_contexts/backend_agent.md", text);
        let agent = d.agent.unwrap();
        assert_eq!(agent.id, "backend");
        assert_eq!(agent.name.as_deref(), Some("Backend Developer"));
        let scope: Vec<_> = agent.scope.iter().map(|s| s.value.as_str()).collect();
        assert_eq!(scope, ["/band-platform/backend/", "app/api/"]);
    }

    #[test]
    fn crlf_and_suppressions() {
        let text = "## Goal\r\n<!-- prp-lsp: disable-next-line template-placeholder -->\r\n[x]\r\n<!-- prp-lsp: disable empty-section -->\r\n";
        let d = doc("PRPs/a.md", text);
        assert_eq!(&text[d.sections[0].heading.clone()], "## Goal");
        assert_eq!(d.suppressions.len(), 2);
        assert_eq!(d.suppressions[0].scope, SuppressionScope::Line(2));
        assert_eq!(d.suppressions[1].scope, SuppressionScope::File);
    }
}

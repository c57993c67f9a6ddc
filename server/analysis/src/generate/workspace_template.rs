//! Filling the workspace's own PRP template. The template's meta parts (its own name and
//! description, its instructions to its user such as "Purpose" and "Core Principles", its
//! example tasks and commands) make way for the PRP's own content; every placeholder the
//! requirement or its analysis can fill is filled; the orchestrator's parts a template lacks
//! (pre-implementation, tasks, testing, rollback, the pre-deployment checklist) are
//! appended in its heading style. What is left to fill is the template's own business, and
//! the caller lists it.

use super::template::Fill;
use crate::config::Config;
use crate::document::front_matter::lines_with_spans;
use crate::document::Document;
use crate::edit::{apply_edits, TextEdit};

/// Sections through which a template talks to its user, not to the implementer.
const INSTRUCTION_SECTIONS: [&str; 8] = [
    "purpose",
    "core principles",
    "template instructions",
    "instructions",
    "how to use this template",
    "how to use",
    "usage",
    "template usage",
];

/// Fills a workspace template; `None` when it has no PRP section to fill (not usable).
pub(super) fn fill_workspace_template(
    template: &str,
    fill: &Fill,
    config: &Config,
    path: &str,
) -> Option<String> {
    // The template's own lines first (keys, checklist stand-ins), then its sections make
    // way for the PRP's content, whose placeholders (if any) are deliberate.
    let text = super::template::substitute_tokens(&template.replace("\r\n", "\n"), fill);
    let text = fill_lines(&text, fill);
    let doc = crate::parse(path, &text, config);
    if !doc.sections.iter().any(|s| s.canonical.is_some()) {
        return None;
    }
    let mut edits = vec![header_edit(&doc, &text, fill)];
    section_edits(&doc, &text, fill, &mut edits);
    let filled = apply_edits(&text, &edits);
    // The analysis and the seed's parts go in against the filled text's structure.
    let doc = crate::parse(path, &filled, config);
    let mut additions = vec![analysis_insertion(&doc, &filled, fill)];
    if fill.config.generate.seed_sections() {
        additions.extend(seed_additions(&doc, &filled, fill));
    }
    let filled = apply_edits(&filled, &additions);
    let doc = crate::parse(path, &filled, config);
    let required = required_additions(&doc, &filled, fill);
    Some(apply_edits(&filled, &required))
}

/// The template's header (its own `name:`/`description:` pseudo-header or front matter)
/// becomes the PRP's: name, description, created date, priority, complexity, type.
fn header_edit(doc: &Document, text: &str, fill: &Fill) -> TextEdit {
    let header = &text[..doc.body_start];
    let title = format!("{}: {}", fill.label, fill.req.title).replace('"', "'");
    let description: String = fill
        .req
        .description
        .trim()
        .lines()
        .map(|l| format!("  {l}\n"))
        .collect();
    let known = |key: &str| -> Option<String> {
        let value = match key {
            "name" | "title" => format!("\"{title}\""),
            "created" | "date" => fill.today.to_string(),
            "priority" => fill.req.priority.as_str().to_string(),
            "complexity" | "size" => fill.analysis.complexity.to_string(),
            "type" | "kind" => fill.req.kind.as_str().to_string(),
            "status" => "planning".to_string(),
            _ => return None,
        };
        Some(value)
    };
    let mut out = String::new();
    let mut skipping_block = false;
    for (_, line) in lines_with_spans(header) {
        let top_level = !line.starts_with([' ', '\t']) && !line.trim().is_empty();
        if skipping_block && !top_level && !line.trim().is_empty() {
            continue;
        }
        skipping_block = false;
        let Some((key, _)) = line.split_once(':').filter(|_| top_level) else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let key_lower = key.trim().to_lowercase();
        if key_lower == "description" {
            out.push_str(&format!("description: |\n{description}"));
            skipping_block = true;
        } else if let Some(value) = known(&key_lower) {
            out.push_str(&format!("{}: {value}\n", key.trim()));
            skipping_block = true;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !doc.sections.iter().any(|s| s.level == 1) {
        let sep = if out.is_empty() || out.ends_with("\n\n") {
            ""
        } else {
            "\n"
        };
        out.push_str(&format!("{sep}# {}: {}\n\n", fill.label, fill.req.title));
    }
    TextEdit::replace(0..doc.body_start, out)
}

/// The PRP's own content in place of the template's example sections, and its
/// instruction sections removed.
fn section_edits(doc: &Document, text: &str, fill: &Fill, edits: &mut Vec<TextEdit>) {
    for (i, s) in doc.sections.iter().enumerate() {
        let key = s.name.key.as_str();
        let instructions = s.canonical.is_none() && INSTRUCTION_SECTIONS.contains(&key);
        if doc.in_example(Some(i)) && !instructions {
            continue;
        }
        let whole = s.body.start.min(s.end)..s.end;
        let level = s.level as usize;
        let hashes = "#".repeat(level);
        let (span, content) = if instructions {
            // The section goes, with a `---` rule right after it.
            let mut end = s.end;
            let rest = &text[end..];
            let trimmed = rest.trim_start_matches('\n');
            if let Some(after) = trimmed.strip_prefix("---\n") {
                end = text.len() - after.len();
            }
            (s.heading.start..end, String::new())
        } else {
            match s.canonical.as_deref() {
                Some("Goal") => (s.body.clone(), fill.goal()),
                Some("Why") => (s.body.clone(), fill.why()),
                Some("What") => (s.body.clone(), fill.what()),
                Some("Success Criteria") => (s.body.clone(), fill.success_criteria()),
                Some("All Needed Context") => (whole, fill.context()),
                // The template's example tasks, pseudocode and integration points; when the
                // tasks have a section of their own, the approach only.
                Some("Implementation Blueprint") => {
                    let tasks_elsewhere = doc.sections.iter().enumerate().any(|(j, t)| {
                        t.canonical.as_deref() == Some("Tasks") && !doc.is_within(Some(j), i)
                    });
                    if tasks_elsewhere {
                        (whole, fill.approach())
                    } else {
                        (whole, fill.tasks((level + 1).min(4)))
                    }
                }
                Some("Tasks") => {
                    // "list of tasks to be completed to fullfill the PRP …" is the
                    // template speaking: the heading becomes a plain one.
                    let heading = if key.starts_with("list of tasks") {
                        format!("{hashes} Tasks (in execution order)\n")
                    } else {
                        text[s.heading.clone()].to_string() + "\n"
                    };
                    (
                        s.heading.start..s.end,
                        format!("{heading}\n{}", fill.tasks((level + 1).min(4))),
                    )
                }
                Some("Validation Loop") => (whole, fill.validation(level + 1)),
                Some("Pre-Implementation") => (whole, fill.pre_implementation()),
                Some("Rollback Plan") => (whole, fill.rollback()),
                _ if is_file_list(key) && only_placeholders(&text[whole.clone()]) => {
                    (whole, fill.files_to_change())
                }
                _ if is_overview(key) && only_placeholders(&text[whole.clone()]) => {
                    (whole, fill.goal())
                }
                _ if matches!(key, "user story" | "user stories")
                    && has_placeholder(&text[whole.clone()]) =>
                {
                    (whole, fill.user_story())
                }
                _ if matches!(key, "solution statement" | "solution" | "proposed solution")
                    && only_placeholders(&text[whole.clone()]) =>
                {
                    (whole, fill.approach())
                }
                _ => continue,
            }
        };
        // A section nested in one already replaced went with it.
        if edits
            .iter()
            .any(|e| e.span.start < span.end && span.start < e.span.end)
        {
            continue;
        }
        let content = if content.is_empty() {
            content
        } else if span.start == s.heading.start {
            format!("{}\n\n", content.trim_end())
        } else {
            format!("\n{}\n\n", content.trim_end())
        };
        edits.push(TextEdit::replace(span, content));
    }
}

fn is_file_list(key: &str) -> bool {
    matches!(
        key,
        "files to change" | "files to modify" | "files to create" | "files" | "affected files"
    )
}

fn is_overview(key: &str) -> bool {
    matches!(
        key,
        "overview" | "summary" | "description" | "feature description"
    )
}

/// Whether a body says nothing but placeholders (and blank lines, list markers).
fn only_placeholders(body: &str) -> bool {
    let mut any = false;
    for line in body.lines() {
        let t = line.trim().trim_start_matches(['-', '*', ' ']);
        if t.is_empty() {
            continue;
        }
        any = true;
        let without: String = remove_placeholders(t);
        if !without.trim_matches([' ', ':', '.', ',', '-']).is_empty() {
            return false;
        }
    }
    any
}

/// Whether bracketed text in a template is a stand-in: the validator's placeholders, and in
/// a template (known to be one) any bracketed phrase of two words or more (`[One paragraph
/// summary]`, `[The solution]`, `[specific curl/command]`).
fn template_stand_in(inner: &str) -> bool {
    let t = inner.trim();
    let one_lowercase_word = t.len() > 1 && t.chars().all(|c| c.is_ascii_lowercase());
    crate::rules::structure::is_placeholder(t)
        || t.split_whitespace().count() >= 2
        || t.contains('/')
        || one_lowercase_word
}

fn has_placeholder(body: &str) -> bool {
    body.lines().any(|l| remove_placeholders(l) != l)
}

/// The text with its `[placeholder]`s removed.
fn remove_placeholders(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|c| open + c) else {
            break;
        };
        let inner = &rest[open + 1..close];
        out.push_str(&rest[..open]);
        let is_link = rest[close + 1..].starts_with(['(', '[']);
        if is_link || !template_stand_in(inner) {
            out.push_str(&rest[open..=close]);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Placeholders a line's key tells the meaning of: `**Created**: [YYYY-MM-DD]`,
/// `Priority: [critical | high | medium | low]`, `## Effort: [estimate]`. Checklist items
/// keep their words and lose an unfillable placeholder (`Manual test successful:
/// [specific curl/command]`); an item that was nothing but one goes.
fn fill_lines(text: &str, fill: &Fill) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let t = body.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
        }
        if in_fence || !body.contains('[') {
            out.push_str(line);
            continue;
        }
        // A key the analysis knows: its bracketed value, whatever its form, is the
        // template's stand-in (`[YYYY-MM-DD]`, `[Draft]`, `[estimate]`).
        let key = line_key(t);
        if let Some(value) = key.as_deref().and_then(|k| key_value(k, fill)) {
            if let Some((before, after)) = body.split_once('[') {
                let bracketed = after.split_once(']').is_some_and(|(_, rest)| {
                    !rest.starts_with(['(', '[']) && rest.trim().is_empty()
                });
                if bracketed {
                    out.push_str(before.trim_end());
                    out.push(' ');
                    out.push_str(&value);
                    out.push('\n');
                    continue;
                }
            }
        }
        let is_item = t.starts_with("- [ ]") || t.starts_with("* [ ]") || t.starts_with("- [x]");
        if is_item {
            let marker_len = 5;
            let indent = &body[..body.len() - t.len()];
            let rest = remove_placeholders(&t[marker_len..]);
            let rest = rest.trim().trim_end_matches([':', ',']).trim();
            if rest.is_empty() && remove_placeholders(&t[marker_len..]) != t[marker_len..] {
                continue;
            }
            if rest != t[marker_len..].trim() {
                out.push_str(&format!("{indent}{} {rest}\n", &t[..marker_len]));
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

/// The key of `**Key**: …`, `Key: …`, `- Key: …` or `## Key: …`, lowercased.
fn line_key(line: &str) -> Option<String> {
    let t = line.trim_start_matches(['#', '-', '*', '>', ' ']);
    let (key, _) = t.split_once(':')?;
    let key = key
        .replace("**", "")
        .replace('_', " ")
        .trim()
        .to_lowercase();
    (!key.is_empty() && key.split_whitespace().count() <= 4).then_some(key)
}

fn key_value(key: &str, fill: &Fill) -> Option<String> {
    let a = fill.analysis;
    let value = match key {
        "created" | "date" | "created on" | "date created" => fill.today.to_string(),
        "priority" => fill.req.priority.as_str().to_string(),
        "complexity" | "size" => a.complexity.to_string(),
        "effort" | "estimated effort" | "estimate" | "timeline" | "estimated time" => {
            a.timeline.clone()
        }
        "type" | "kind" | "requirement type" => fill.req.kind.as_str().to_string(),
        "modules" | "modules affected" | "affected modules" => fill.modules_value(),
        "dependencies" | "depends on" => {
            if a.dependencies.is_empty() {
                "none".to_string()
            } else {
                a.dependencies.join(", ")
            }
        }
        "assigned to" | "agents" | "assigned agents" | "owner" | "agent" => {
            if a.agents.is_empty() {
                return None;
            }
            a.agents.join(", ")
        }
        "status" => "Planning".to_string(),
        "title" | "name" | "feature" | "feature name" => fill.req.title.clone(),
        _ => return None,
    };
    Some(value)
}

/// The analysis checklist goes before the context section (where the base template puts
/// it), else before the tasks, else at the end.
fn analysis_insertion(doc: &Document, text: &str, fill: &Fill) -> TextEdit {
    let before = ["All Needed Context", "Tasks", "Implementation Blueprint"]
        .iter()
        .find_map(|c| doc.sections_named(c).next())
        .map(|(_, s)| s);
    match before {
        Some(s) => TextEdit::insert(s.heading.start, fill.analysis_section(s.level as usize)),
        None => TextEdit::insert(
            text.len(),
            format!("{}{}", separator(text), fill.analysis_section(2)),
        ),
    }
}

fn separator(text: &str) -> &'static str {
    if text.ends_with("\n\n") {
        ""
    } else if text.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    }
}

/// Sections the profile the PRP is judged by requires and the template lacks, written from
/// the requirement: a generated PRP passes its own checks.
pub(super) fn required_additions(doc: &Document, text: &str, fill: &Fill) -> Vec<TextEdit> {
    let choice = crate::rules::structure::choose_profile(doc, fill.config);
    let level = top_level(doc);
    let h = "#".repeat(level);
    let mut out = String::new();
    for (requirement, present) in
        choice
            .profile
            .required
            .iter()
            .zip(crate::rules::structure::required_sections(
                doc,
                choice.profile,
            ))
    {
        if present.1 {
            continue;
        }
        let name = requirement.0.first().map(String::as_str).unwrap_or("");
        let Some(content) = fill.section(name, level + 1) else {
            continue;
        };
        out.push_str(&format!("{h} {name}\n\n{}\n", content.trim_end()));
        out.push('\n');
    }
    if out.is_empty() {
        return Vec::new();
    }
    vec![TextEdit::insert(
        text.len(),
        format!("{}{out}", separator(text)),
    )]
}

/// The level of a template's top sections (at least 2).
fn top_level(doc: &Document) -> usize {
    doc.sections
        .iter()
        .filter(|s| s.canonical.is_some())
        .map(|s| s.level as usize)
        .min()
        .unwrap_or(2)
        .max(2)
}

/// The orchestrator's parts the template lacks, in its heading style: pre-implementation
/// before the context (or the tasks), the rest before "Anti-Patterns" or at the end.
fn seed_additions(doc: &Document, text: &str, fill: &Fill) -> Vec<TextEdit> {
    let has = |canonical: &[&str]| {
        doc.sections.iter().any(|s| {
            s.canonical
                .as_deref()
                .is_some_and(|c| canonical.contains(&c))
        })
    };
    let has_gate_list = doc.sections.iter().any(|s| {
        let key = s.name.key.replace('-', " ");
        key.contains("deployment checklist") || key.starts_with("pre deployment")
    });
    let level = top_level(doc);
    let h = "#".repeat(level);
    let mut edits = Vec::new();
    if !has(&["Pre-Implementation"]) {
        let section = format!("{h} Pre-Implementation\n\n{}\n", fill.pre_implementation());
        let before = ["Requirement Analysis"]
            .iter()
            .find_map(|name| {
                doc.sections
                    .iter()
                    .find(|s| s.name.key == name.to_lowercase() && s.level as usize == level)
            })
            .or_else(|| {
                ["All Needed Context", "Tasks", "Implementation Blueprint"]
                    .iter()
                    .find_map(|c| doc.sections_named(c).next().map(|(_, s)| s))
            });
        match before {
            Some(s) => edits.push(TextEdit::insert(s.heading.start, section)),
            None => edits.push(TextEdit::insert(
                text.len(),
                format!("{}{section}", separator(text)),
            )),
        }
    }
    let mut tail = String::new();
    if !has(&["Tasks", "Implementation Blueprint"]) {
        tail.push_str(&format!(
            "{h} Implementation Tasks\n\n{}",
            fill.tasks(level + 1)
        ));
    }
    if !has(&["Validation Loop"]) {
        tail.push_str(&format!("{h} Testing Procedures\n\n{}\n", fill.testing()));
    }
    if !has(&["Rollback Plan"]) {
        tail.push_str(&format!("{h} Rollback Plan\n\n{}\n", fill.rollback()));
    }
    if !has_gate_list {
        tail.push_str(&format!(
            "{h} Pre-Deployment Checklist\n\n{}\n",
            fill.pre_deployment()
        ));
    }
    if !tail.is_empty() {
        match doc.sections_named("Anti-Patterns to Avoid").next() {
            Some((_, s)) => edits.push(TextEdit::insert(s.heading.start, tail)),
            None => edits.push(TextEdit::insert(
                text.len(),
                format!("{}{tail}", separator(text)),
            )),
        }
    }
    edits
}

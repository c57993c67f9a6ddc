//! Structure rules: required sections of the document's profile, empty sections, template
//! placeholders, agent file sections, unclosed fences.

use super::references::is_plain_fence;
use super::{Context, Rule};
use crate::config::Config;
use crate::diagnostic::FixHint;
use crate::document::front_matter::lines_with_spans;
use crate::document::{Document, Section};
use crate::profile::{Profile, Requirement, AGENT_SECTIONS};

/// The profile a document is checked against, and why it was chosen.
#[derive(Debug, Clone)]
pub struct ProfileChoice<'a> {
    pub profile: &'a Profile,
    pub reason: String,
    /// Named explicitly, or more than half of its required sections are present. Only then
    /// are missing sections news: a document of a team's own family is not a broken template.
    pub followed: bool,
}

/// Metadata that stands in for a section (`**Priority**: High`, a front matter `title:`).
fn satisfied_by_metadata(doc: &Document, canonical: &str) -> bool {
    let m = &doc.metadata;
    match canonical {
        "Title" => m.title.is_some(),
        "Description" => m.description.is_some(),
        "Priority" => m.priority.is_some(),
        "Complexity" => {
            m.complexity.is_some() || m.key("estimated effort").is_some_and(|v| is_size(&v.value))
        }
        "Modules Affected" => {
            m.key("modules affected").is_some() || m.key("affected modules").is_some()
        }
        "Goal" => {
            m.key("feature goal").is_some()
                || m.key("goal").is_some()
                || m.key("objective").is_some()
        }
        "Estimated Effort" => {
            m.key("estimated_effort").is_some()
                || m.key("estimated effort").is_some()
                || m.key("effort").is_some()
        }
        _ => false,
    }
}

/// `S`, `M`, `L`, `XL` (the orchestrator's complexity scale), possibly followed by words.
fn is_size(value: &str) -> bool {
    let first = value
        .trim()
        .trim_matches(['*', '`', '[', ']'])
        .split(|c: char| c.is_whitespace() || c == '(' || c == '-')
        .next()
        .unwrap_or("");
    matches!(first, "S" | "M" | "L" | "XL" | "XS" | "XXL")
}

/// Sections that stand in for a required one when it is absent: an `Overview` or `Summary`
/// states what the PRP is for, which is what a `Goal` section does.
const STAND_INS: &[(&str, &[&str])] =
    &[("Goal", &["Description", "Summary", "High-Level Objective"])];

/// The section satisfying one canonical name, if any. Headings were mapped to canonical
/// names when the document was parsed; a profile may also name a section the synonym
/// table does not know, which then matches its heading as written.
fn find_section<'d>(doc: &'d Document, canonical: &str) -> Option<&'d Section> {
    doc.sections.iter().find(|s| {
        (2..=4).contains(&s.level)
            && (s.canonical.as_deref() == Some(canonical)
                || s.name.key.eq_ignore_ascii_case(canonical))
    })
}

fn satisfied<'d>(doc: &'d Document, req: &Requirement) -> Option<Option<&'d Section>> {
    for name in &req.0 {
        if let Some(s) = find_section(doc, name) {
            return Some(Some(s));
        }
    }
    for name in &req.0 {
        let stand_ins = STAND_INS
            .iter()
            .filter(|(c, _)| c == name)
            .flat_map(|(_, s)| s.iter());
        for stand_in in stand_ins {
            if let Some(s) = find_section(doc, stand_in) {
                return Some(Some(s));
            }
        }
    }
    req.0
        .iter()
        .any(|n| satisfied_by_metadata(doc, n))
        .then_some(None)
}

/// Below this share of a profile's required sections, a document is not taken to follow
/// that family and is checked against the default (first) profile.
const MIN_MATCH: f64 = 0.5;

/// Whether a best-matching document follows the profile closely enough that an absent
/// section is a defect: all but one (or a quarter) of its sections are there, or the document starts as
/// the profile does and either stops early (the profile's last sections are absent, with at
/// most that many gaps before them) or writes every present section under the template's
/// own name. A team's
/// own family misses sections in the middle instead (no `What`
/// between `Goal` and `Tasks`), and is not a broken template.
fn follows(doc: &Document, profile: &Profile, hits: usize) -> bool {
    let required = profile.required.len();
    // One absent section in small profiles, a quarter in the long orchestrator one.
    let allowed_absent = (required / 4).max(1);
    if hits + allowed_absent >= required {
        return true;
    }
    let present: Vec<bool> = profile
        .required
        .iter()
        .map(|r| satisfied(doc, r).is_some())
        .collect();
    let last_present = present.iter().rposition(|p| *p).unwrap_or(0);
    // Stops early: the template's tail is gone (blueprint, validation…) after the sections
    // written in its order; with more than half of them written, the allowed few may be
    // missing in between too.
    let gaps_before = present[..=last_present].iter().filter(|p| !**p).count();
    let stops_early = last_present + 1 < required
        && (gaps_before == 0 || (gaps_before <= allowed_absent && hits * 2 > required));
    // The template itself with sections deleted: every present one under its own name.
    let literal = profile.required.iter().zip(&present).all(|(r, p)| {
        !*p || r.0.iter().any(|name| {
            let key = crate::document::heading::normalize_key(name);
            doc.sections
                .iter()
                .any(|s| (2..=4).contains(&s.level) && s.name.key == key)
        })
    });
    hits * 2 >= required && ((stops_early && has_signature(doc, profile)) || literal)
}

/// Whether the profile's first required section (its signature: `Goal`, `Summary`,
/// `Original Story`…) is present as a heading of its own.
fn has_signature(doc: &Document, profile: &Profile) -> bool {
    profile
        .required
        .first()
        .is_some_and(|r| r.0.iter().any(|n| find_section(doc, n).is_some()))
}

/// Each required section of `profile` (its label) and whether the document has it, judged
/// as `missing-section` judges it (synonyms, stand-ins, header keys).
pub fn required_sections(doc: &Document, profile: &Profile) -> Vec<(String, bool)> {
    profile
        .required
        .iter()
        .map(|r| (r.label(), satisfied(doc, r).is_some()))
        .collect()
}

/// Front matter `profile:`, then `[[profile-rules]]`, then the best match.
pub fn choose_profile<'c>(doc: &Document, config: &'c Config) -> ProfileChoice<'c> {
    let mut unknown_name = String::new();
    if let Some(p) = &doc.metadata.profile {
        let name = p.value.trim();
        if let Some(profile) = config.profile(name) {
            return ProfileChoice {
                profile,
                reason: "named by the document's `profile:` key".into(),
                followed: true,
            };
        }
        let known: Vec<&str> = config.profiles.iter().map(|p| p.name.as_str()).collect();
        unknown_name = format!("`profile: {name}` is none of {}; ", known.join(", "));
    }
    if let Some(name) = config.profile_for_path(&doc.path) {
        if let Some(profile) = config.profile(name) {
            return ProfileChoice {
                profile,
                reason: "chosen by a [[profile-rules]] glob in prp-lsp.toml".into(),
                followed: true,
            };
        }
    }
    let mut best: Option<(&Profile, usize, f64)> = None;
    for profile in &config.profiles {
        if profile.required.is_empty() {
            continue;
        }
        let hits = profile
            .required
            .iter()
            .filter(|r| satisfied(doc, r).is_some())
            .count();
        let score = hits as f64 / profile.required.len() as f64;
        // Ties go to the profile listed first; more matched sections break near-ties.
        let better = match best {
            None => true,
            Some((_, best_hits, best_score)) => {
                score > best_score + 1e-9 || ((score - best_score).abs() < 1e-9 && hits > best_hits)
            }
        };
        if better {
            best = Some((profile, hits, score));
        }
    }
    let default = &config.profiles[0];
    let reason = match best {
        Some((profile, hits, score)) if score >= MIN_MATCH || std::ptr::eq(profile, default) => {
            return ProfileChoice {
                profile,
                reason: format!(
                    "{unknown_name}best match: {hits} of its {} required sections are present",
                    profile.required.len()
                ),
                followed: follows(doc, profile, hits),
            };
        }
        _ => format!("{unknown_name}no profile matches well, so the default applies"),
    };
    ProfileChoice {
        profile: default,
        reason,
        followed: false,
    }
}

/// Whether a section has content of its own or in its subsections (headings, blank lines and
/// HTML comments do not count; a value inside the heading does).
fn has_content(text: &str, s: &Section) -> bool {
    if s.name.value.is_some() {
        return true;
    }
    let body = &text[s.body.start.min(s.end)..s.end];
    let mut in_comment = false;
    for (_, line) in lines_with_spans(body) {
        let mut t = line.trim();
        if in_comment {
            match t.find("-->") {
                Some(i) => {
                    in_comment = false;
                    t = t[i + 3..].trim();
                }
                None => continue,
            }
        }
        while let Some(start) = t.find("<!--") {
            let before = t[..start].trim();
            if !before.is_empty() {
                return true;
            }
            match t[start..].find("-->") {
                Some(end) => t = t[start + end + 3..].trim(),
                None => {
                    in_comment = true;
                    t = "";
                }
            }
        }
        if t.is_empty() || is_heading_line(t) {
            continue;
        }
        return true;
    }
    false
}

fn is_heading_line(t: &str) -> bool {
    let hashes = t.chars().take_while(|c| *c == '#').count();
    (1..=6).contains(&hashes) && t[hashes..].starts_with([' ', '\t'])
}

pub(super) fn check_prp(cx: &mut Context) {
    let choice = choose_profile(cx.doc, cx.config);
    if empty_section(cx, &choice) {
        return;
    }
    missing_section(cx, &choice);
    check_placeholders(cx);
}

/// `empty-section`: a PRP with nothing in it (then nothing else is worth saying: returns
/// true), or a required section with only its heading.
fn empty_section(cx: &mut Context, choice: &ProfileChoice) -> bool {
    let (doc, text) = (cx.doc, cx.text);
    if text[doc.body_start..].trim().is_empty() {
        let anchor = cx.document_anchor();
        cx.report(
            Rule::EmptySection,
            anchor,
            "this PRP is empty: write its sections, or delete the file if the work was dropped",
        );
        return true;
    }
    let profile = choice.profile;
    for req in &profile.required {
        if let Some(Some(section)) = satisfied(doc, req) {
            if !has_content(text, section) {
                let names = req.label();
                cx.report(
                    Rule::EmptySection,
                    section.heading.clone(),
                    format!("section `{}` is empty: the {} profile expects {names} to say something; write it, or remove the heading", section.name.display, profile.name),
                );
            }
        }
    }
    false
}

/// `missing-section`: a section the PRP's profile requires is absent, when the document
/// follows that profile closely enough for an absence to be a defect.
fn missing_section(cx: &mut Context, choice: &ProfileChoice) {
    if !choice.followed {
        // A document of a team's own family is not a broken template.
        return;
    }
    let profile = choice.profile;
    let anchor = cx.document_anchor();
    for req in profile
        .required
        .iter()
        .filter(|r| satisfied(cx.doc, r).is_none())
    {
        // A few names of every alternative, so `Tasks` is not crowded out by its sibling.
        let per_alternative = (8 / req.0.len().max(1)).max(3);
        let accepted = req
            .0
            .iter()
            .flat_map(|c| {
                cx.config
                    .synonyms
                    .names_of(c)
                    .into_iter()
                    .take(per_alternative)
            })
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        cx.report(
            Rule::MissingSection,
            anchor.clone(),
            format!(
                "missing section `{}` required by the {} profile ({}); add a heading named one of {accepted}",
                req.label(),
                profile.name,
                choice.reason
            ),
        )
        .hint = Some(FixHint::MissingSection {
            names: req.0.clone(),
            profile: profile.name.clone(),
        });
    }
}

pub(super) fn check_agent(cx: &mut Context) {
    let doc = cx.doc;
    let missing: Vec<&str> = AGENT_SECTIONS
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| {
            !doc.sections
                .iter()
                .any(|s| s.canonical.as_deref() == Some(c))
        })
        .collect();
    if !missing.is_empty() {
        let anchor = cx.document_anchor();
        let headings = missing
            .iter()
            .map(|m| format!("`## Your {m}`"))
            .collect::<Vec<_>>()
            .join(", ");
        cx.report(
            Rule::AgentMissingSection,
            anchor,
            format!(
                "agent context file lacks {}: add {headings} so the agent knows its limits",
                missing.join(", ")
            ),
        );
    }
}

pub(super) fn check_fences(cx: &mut Context) {
    for f in &cx.doc.fences {
        if !f.closed {
            // Lines after the opening fence, not counting the empty one after a final newline.
            let last_line = cx
                .lines()
                .line_of(cx.text.trim_end_matches(['\n', '\r']).len());
            let swallowed = last_line - cx.lines().line_of(f.opening.start);
            let fence = cx.text[f.opening.clone()]
                .trim_start()
                .chars()
                .take_while(|c| *c == '`' || *c == '~')
                .collect::<String>();
            cx.report(
                Rule::UnclosedFence,
                f.opening.clone(),
                format!("this code fence never closes and swallows the remaining {swallowed} line(s), headings included; close it with a line of {fence}"),
            );
        }
    }
}

const PLACEHOLDER_STARTS: [&str; 30] = [
    "what",
    "why",
    "how",
    "describe",
    "description",
    "brief",
    "specific",
    "list",
    "add",
    "insert",
    "your",
    "explain",
    "enter",
    "fill",
    "replace",
    "feature",
    "business",
    "detailed",
    "name",
    "link",
    "e.g",
    "todo",
    "tbd",
    "placeholder",
    "title",
    "short",
    "one-line",
    "summary",
    "example",
    "specify",
];

/// Whether bracketed text is a template placeholder rather than a label.
pub(crate) fn is_placeholder(inner: &str) -> bool {
    let t = inner.trim();
    if t.is_empty() || t.len() > 200 {
        return false;
    }
    if t.contains("path/to") {
        return true;
    }
    // `[YYYY-MM-DD]`, `[DD/MM/YYYY]`: a date format, not a date.
    let upper = t.to_ascii_uppercase();
    if (upper.contains("YYYY") || upper.contains("MM-DD") || upper.contains("DD/MM"))
        && t.chars()
            .all(|c| c.is_ascii_alphabetic() || "-/. ".contains(c))
    {
        return true;
    }
    // `[critical | high | medium | low]`: the choices, not the choice.
    let choices: Vec<&str> = t.split('|').map(str::trim).collect();
    if choices.len() >= 2
        && choices
            .iter()
            .all(|c| !c.is_empty() && c.split_whitespace().count() <= 3)
    {
        return true;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    let alpha = t.chars().any(|c| c.is_alphabetic());
    if alpha && words.len() >= 2 && (t.contains("...") || t.contains('…')) {
        return true;
    }
    if words.len() >= 2 {
        let first = words[0].trim_end_matches([':', ',', '.']).to_lowercase();
        if PLACEHOLDER_STARTS.contains(&first.as_str()) && words.len() >= 3 {
            return true;
        }
    }
    // `[FEATURE_NAME]`, `[YOUR_API_KEY]`
    t.len() >= 4
        && t.contains('_')
        && t.chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
}

fn is_markdown_fence(info: &str) -> bool {
    let lang = info.split_whitespace().next().unwrap_or("");
    lang.eq_ignore_ascii_case("markdown") || lang.eq_ignore_ascii_case("md")
}

fn check_placeholders(cx: &mut Context) {
    let doc = cx.doc;
    let text = cx.text;
    let mut found = Vec::new();
    for (span, line) in lines_with_spans(text) {
        // Most lines hold neither: skip them before looking up their fence.
        if memchr::memchr2(b'[', b'{', line.as_bytes()).is_none() {
            continue;
        }
        let base = span.start;
        // Context blocks (yaml, text) keep the template's `- file: [path/to/file]`; code
        // fences hold code, where brackets are indexing and `{{ }}` is templating.
        let fence = doc.fence_at(base);
        if let Some(f) = fence {
            let line_end = span.end;
            let block_end = text[..f.span.end].trim_end_matches(['\n', '\r']).len();
            let is_fence_line = base == f.opening.start || (f.closed && line_end >= block_end);
            // A `markdown` fence quotes a whole document (a template, an example agent
            // file); its brackets are the quoted document's, not this one's.
            if !is_plain_fence(&f.info) || is_fence_line || is_markdown_fence(&f.info) {
                continue;
            }
        }
        // The header (front matter, `description: |`) is YAML as well.
        let in_context_block = fence.is_some() || base < doc.body_start;
        let bytes = line.as_bytes();
        let mut in_code = false;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'`' => in_code = !in_code,
                b'[' if !in_code => {
                    let Some(close) = line[i + 1..].find(']') else {
                        break;
                    };
                    let inner = &line[i + 1..i + 1 + close];
                    let after = bytes.get(i + 2 + close).copied();
                    let before = if i > 0 { bytes[i - 1] } else { b' ' };
                    let is_link = matches!(after, Some(b'(' | b'[' | b':'))
                        || before == b']'
                        || before == b'!';
                    // In YAML, `[a, b, c]` is a list.
                    let yaml_list = in_context_block
                        && inner.contains(',')
                        && !inner.contains("path/to")
                        && !inner.contains("...");
                    if !is_link && !yaml_list && !inner.contains('[') && is_placeholder(inner) {
                        found.push(base + i..base + i + close + 2);
                    }
                    i += close + 2;
                    continue;
                }
                b'{' if !in_code && !in_context_block && line[i..].starts_with("{{") => {
                    if let Some(close) = line[i + 2..].find("}}") {
                        found.push(base + i..base + i + close + 4);
                        i += close + 4;
                        continue;
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }
    for span in found {
        let shown = cx.text[span.clone()].to_string();
        cx.report(
            Rule::TemplatePlaceholder,
            span,
            format!("template placeholder `{shown}` was left in; replace it with the real content"),
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sections_listed_as_present_are_the_ones_the_match_counted() {
        let text = "---\ntitle: Calendar\npriority: high\n---\n# Calendar\n\n## Summary\nSync.\n\n## Why\nBecause.\n\n## What\nThis.\n\n## Success Criteria\n- [ ] x\n";
        let config = Config::default();
        let doc = crate::parse("PRPs/active/01_calendar.md", text, &config);
        let choice = choose_profile(&doc, &config);
        let listed = required_sections(&doc, choice.profile);
        let present = listed.iter().filter(|(_, p)| *p).count();
        // The reason says "best match: N of its M required sections are present".
        assert!(
            choice
                .reason
                .contains(&format!("{present} of its {} required", listed.len())),
            "{} / {listed:?}",
            choice.reason
        );
        // `## Summary` stands in for Goal, as missing-section judges it.
        assert!(
            listed
                .iter()
                .any(|(label, p)| label.starts_with("Goal") && *p),
            "{listed:?}"
        );
    }

    use super::*;

    #[test]
    fn placeholders_versus_labels() {
        assert!(is_placeholder("What needs to be built - be specific"));
        assert!(is_placeholder("path/to/file"));
        assert!(is_placeholder("Feature name..."));
        assert!(is_placeholder("FEATURE_NAME"));
        assert!(!is_placeholder("x"));
        assert!(!is_placeholder("WIP"));
        assert!(!is_placeholder("optional"));
        assert!(!is_placeholder("P1"));
        assert!(!is_placeholder("2026-01-01"));
        assert!(is_placeholder("YYYY-MM-DD"));
        assert!(is_placeholder("critical | high | medium | low"));
        assert!(!is_placeholder("a|"));
    }
}

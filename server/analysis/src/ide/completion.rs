//! Completion as plain data: section headings the profile still misses (first), agent ids
//! after `@` or `Assigned to:`, PRP paths after `PRPs/`.

use crate::config::Config;
use crate::document::{DocKind, Document, Span};
use crate::rules::structure::choose_profile;
use crate::workspace::Workspace;

/// What a completion inserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Section,
    Agent,
    Path,
}

/// One completion: `insert` replaces `replace` (which ends at the cursor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub detail: String,
    pub kind: CompletionKind,
    pub replace: Span,
    pub insert: String,
    /// Orders the list: missing sections first, then optional ones, then present ones.
    pub sort: String,
}

fn item(
    label: String,
    detail: String,
    kind: CompletionKind,
    replace: &Span,
    insert: String,
    sort: String,
) -> Completion {
    Completion {
        label,
        detail,
        kind,
        replace: replace.clone(),
        insert,
        sort,
    }
}

fn section_items(doc: &Document, config: &Config, replace: &Span, hashes: &str) -> Vec<Completion> {
    let mut items = Vec::new();
    let present = |c: &str| {
        doc.sections
            .iter()
            .any(|s| s.canonical.as_deref() == Some(c))
    };
    if doc.kind == DocKind::Agent {
        for (name, _) in crate::profile::AGENT_SECTIONS {
            if !present(name) {
                items.push(item(
                    format!("Your {name}"),
                    "agent context section".into(),
                    CompletionKind::Section,
                    replace,
                    format!("{hashes}Your {name}"),
                    format!("0{name}"),
                ));
            }
        }
        return items;
    }
    if doc.kind != DocKind::Prp {
        return items;
    }
    let profile = choose_profile(doc, config).profile;
    for (i, req) in profile.required.iter().enumerate() {
        let missing = !req.0.iter().any(|c| present(c));
        let name = &req.0[0];
        let (sort, detail) = if missing {
            (
                format!("0{i:03}"),
                format!("missing: required by the {} profile", profile.name),
            )
        } else {
            (
                format!("2{i:03}"),
                format!("{} profile (already present)", profile.name),
            )
        };
        items.push(item(
            name.clone(),
            detail,
            CompletionKind::Section,
            replace,
            format!("{hashes}{name}"),
            sort,
        ));
    }
    for (i, name) in profile.optional.iter().enumerate() {
        if !present(name) {
            items.push(item(
                name.clone(),
                format!("optional in the {} profile", profile.name),
                CompletionKind::Section,
                replace,
                format!("{hashes}{name}"),
                format!("1{i:03}"),
            ));
        }
    }
    items
}

/// What may be typed at `offset` (a character boundary of `text`), or `None` where prp-lsp
/// has nothing to offer.
pub fn complete(
    doc: &Document,
    text: &str,
    ws: &Workspace,
    config: &Config,
    offset: usize,
) -> Option<Vec<Completion>> {
    let offset = crate::text::floor_char_boundary(text, offset.min(text.len()));
    let line_start = crate::text::line_start(text, offset);
    let before = &text[line_start..offset];
    let from = |start: usize| start..offset;

    // `@age|` or `Assigned to: ba|`: agent ids.
    let word_start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .map(|i| i + before[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    let after_at = before[..word_start].ends_with('@');
    let assigned = before.to_ascii_lowercase().contains("assigned to");
    if after_at || assigned {
        let replace = from(line_start + word_start);
        let items = ws
            .agents()
            .into_iter()
            .map(|agent| {
                let detail = agent
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("agent from {}", agent.source));
                item(
                    agent.id.clone(),
                    detail,
                    CompletionKind::Agent,
                    &replace,
                    agent.id.clone(),
                    agent.id.clone(),
                )
            })
            .collect();
        return Some(items);
    }

    // `PRPs/ac|`: PRP paths.
    if let Some(at) = before.rfind("PRPs/") {
        let start = line_start
            + before[..at]
                .rfind(|c: char| c.is_whitespace() || c == '(' || c == '`' || c == ':')
                .map(|i| i + 1)
                .unwrap_or(0);
        let replace = from(start);
        let mut paths: Vec<(&String, String)> = ws
            .documents()
            // A PRP does not refer to itself.
            .filter(|(p, f)| f.kind == DocKind::Prp && **p != doc.path)
            .map(|(p, f)| (p, f.title.clone().unwrap_or_default()))
            .collect();
        paths.sort();
        let items = paths
            .into_iter()
            .map(|(p, title)| {
                item(
                    p.clone(),
                    title,
                    CompletionKind::Path,
                    &replace,
                    p.clone(),
                    p.clone(),
                )
            })
            .collect();
        return Some(items);
    }

    // `## Suc|` or an empty line: section headings.
    let trimmed = before.trim_start();
    let hashes = trimmed.chars().take_while(|c| *c == '#').count();
    if (2..=4).contains(&hashes) && trimmed[hashes..].starts_with(' ') || trimmed.is_empty() {
        let prefix = if trimmed.is_empty() {
            "## ".to_string()
        } else {
            format!("{} ", "#".repeat(hashes))
        };
        let replace = from(line_start + (before.len() - trimmed.len()));
        return Some(section_items(doc, config, &replace, &prefix));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse, DocFacts};

    #[test]
    fn missing_sections_come_first_then_agents_and_paths_where_they_are_typed() {
        let config = Config::default();
        let agent = "# Agent: Backend\n\n## Identity\nAPI.\n";
        let prp = "# PRP-01: Login\n\n## Goal\nSign in.\n\n## \n";
        let mut ws = Workspace::new();
        for (path, text) in [
            ("agent_contexts/backend_agent.md", agent),
            ("PRPs/active/01_login.md", prp),
        ] {
            ws.update_document(path, DocFacts::of(&parse(path, text, &config)));
        }
        let doc = parse("PRPs/active/01_login.md", prp, &config);
        let sections = complete(&doc, prp, &ws, &config, prp.len() - 1).unwrap();
        let first = sections.iter().min_by_key(|c| c.sort.clone()).unwrap();
        assert!(
            first.detail.starts_with("missing: required by"),
            "{first:?}"
        );
        assert!(first.insert.starts_with("## "), "{first:?}");
        assert!(sections
            .iter()
            .any(|c| c.label == "Goal" && c.detail.contains("already present")));

        let board = "- [ ] Export @ba";
        let agents = complete(&doc, board, &ws, &config, board.len()).unwrap();
        assert_eq!(agents.len(), 1);
        assert_eq!(
            (agents[0].label.as_str(), &board[agents[0].replace.clone()]),
            ("backend", "ba")
        );

        let line = "See PRPs/ac";
        let other = parse("PRPs/active/02_logout.md", line, &config);
        let paths = complete(&other, line, &ws, &config, line.len()).unwrap();
        assert_eq!(paths[0].insert, "PRPs/active/01_login.md");
        assert_eq!(&line[paths[0].replace.clone()], "PRPs/ac");
        // Not the PRP being written.
        assert!(complete(&doc, line, &ws, &config, line.len())
            .unwrap()
            .is_empty());

        assert_eq!(complete(&doc, "Plain prose", &ws, &config, 11), None);
    }
}

//! Completion: section headings the profile still misses (first), agent ids after `@` or
//! `Assigned to:`, PRP paths after `PRPs/`.

use prp_analysis::document::DocKind;
use prp_analysis::rules::choose_profile;
use tower_lsp_server::ls_types::*;

use super::state::State;
use crate::project::{Analyzed, Project};

fn edit_item(
    label: String,
    detail: String,
    kind: CompletionItemKind,
    range: Range,
    new_text: String,
    sort: String,
) -> CompletionItem {
    CompletionItem {
        label,
        detail: Some(detail),
        kind: Some(kind),
        sort_text: Some(sort),
        filter_text: None,
        text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text })),
        ..CompletionItem::default()
    }
}

fn section_items(
    project: &Project,
    a: &Analyzed,
    range: Range,
    hashes: &str,
) -> Vec<CompletionItem> {
    let doc = &a.doc;
    let mut items = Vec::new();
    let present = |c: &str| {
        doc.sections
            .iter()
            .any(|s| s.canonical.as_deref() == Some(c))
    };
    if doc.kind == DocKind::Agent {
        for (name, _) in prp_analysis::profile::AGENT_SECTIONS {
            if !present(name) {
                items.push(edit_item(
                    format!("Your {name}"),
                    "agent context section".into(),
                    CompletionItemKind::MODULE,
                    range,
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
    let profile = choose_profile(doc, &project.config).profile;
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
        items.push(edit_item(
            name.clone(),
            detail,
            CompletionItemKind::MODULE,
            range,
            format!("{hashes}{name}"),
            sort,
        ));
    }
    for (i, name) in profile.optional.iter().enumerate() {
        if !present(name) {
            items.push(edit_item(
                name.clone(),
                format!("optional in the {} profile", profile.name),
                CompletionItemKind::MODULE,
                range,
                format!("{hashes}{name}"),
                format!("1{i:03}"),
            ));
        }
    }
    items
}

pub fn completion(
    state: &State,
    params: &TextDocumentPositionParams,
) -> Option<CompletionResponse> {
    state.with_document(&params.text_document.uri, |project, a, positions| {
        let offset = positions.offset(params.position);
        let line_start = a.text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let before = &a.text[line_start..offset];
        let range_from = |start: usize| Range {
            start: positions.position(start),
            end: params.position,
        };

        // `@age|` or `Assigned to: ba|`: agent ids.
        let word_start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .map(|i| i + before[i..].chars().next().unwrap().len_utf8())
            .unwrap_or(0);
        let after_at = before[..word_start].ends_with('@');
        let assigned = before.to_ascii_lowercase().contains("assigned to");
        if after_at || assigned {
            let start = line_start + word_start;
            let items = project
                .ws
                .agents()
                .into_iter()
                .map(|agent| {
                    let detail = agent
                        .name
                        .clone()
                        .unwrap_or_else(|| format!("agent from {}", agent.source));
                    edit_item(
                        agent.id.clone(),
                        detail,
                        CompletionItemKind::REFERENCE,
                        range_from(start),
                        agent.id.clone(),
                        agent.id.clone(),
                    )
                })
                .collect();
            return Some(CompletionResponse::Array(items));
        }

        // `PRPs/ac|`: PRP paths.
        if let Some(at) = before.rfind("PRPs/") {
            let start = line_start
                + before[..at]
                    .rfind(|c: char| c.is_whitespace() || c == '(' || c == '`' || c == ':')
                    .map(|i| i + 1)
                    .unwrap_or(0);
            let mut paths: Vec<(&String, String)> = project
                .ws
                .documents()
                .filter(|(_, f)| f.kind == DocKind::Prp)
                .map(|(p, f)| (p, f.title.clone().unwrap_or_default()))
                .collect();
            paths.sort();
            let items = paths
                .into_iter()
                .map(|(p, title)| {
                    edit_item(
                        p.clone(),
                        title,
                        CompletionItemKind::FILE,
                        range_from(start),
                        p.clone(),
                        p.clone(),
                    )
                })
                .collect();
            return Some(CompletionResponse::Array(items));
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
            let start = line_start + (before.len() - trimmed.len());
            return Some(CompletionResponse::Array(section_items(
                project,
                a,
                range_from(start),
                &prefix,
            )));
        }
        None
    })
}

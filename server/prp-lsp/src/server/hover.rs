//! Hover: what the profile expects of a section, where a reference leads (a PRP's title,
//! status and progress), who an agent is.

use tower_lsp_server::ls_types::*;

use super::state::State;
use crate::project::{Endpoint, CONFIG_FILES};
use prp_analysis::ide::hover;

fn hover_text(value: String, range: Option<Range>, markdown: bool) -> Hover {
    let kind = if markdown {
        MarkupKind::Markdown
    } else {
        MarkupKind::PlainText
    };
    Hover {
        contents: HoverContents::Markup(MarkupContent { kind, value }),
        range,
    }
}

/// Hover on `url` under `[status]` in prp-lsp.toml: whether prp-lsp contacts that endpoint,
/// and how to allow it when it does not.
fn config_hover(state: &State, params: &TextDocumentPositionParams) -> Option<Hover> {
    let key = state.key_of(&params.text_document.uri)?;
    if !CONFIG_FILES.contains(&key.as_str()) {
        return None;
    }
    // One pass over the lines up to the cursor's (the file can be as large as any).
    let text = state.open.get(&key)?.text.snapshot();
    let line_index = params.position.line as usize;
    let mut lines = text.split_inclusive('\n');
    let above: Vec<&str> = lines.by_ref().take(line_index).collect();
    let line = lines.next().filter(|_| above.len() == line_index)?;
    let is_url_key = line
        .trim_start()
        .strip_prefix("url")
        .is_some_and(|rest| rest.trim_start().starts_with('='));
    let table = above.iter().rev().find_map(|l| {
        let l = l.trim();
        (l.starts_with('[') && l.ends_with(']'))
            .then(|| l.trim_matches(['[', ']']).trim().to_string())
    });
    if !is_url_key || table.as_deref() != Some("status") {
        return None;
    }
    let guard = state.read_project();
    let value = match guard.as_deref()?.status_endpoint() {
        Endpoint::Allowed(url) => format!(
            "**Monitoring endpoint** {url}\n\nPolled for agent status: you allowed it in your editor's settings."
        ),
        Endpoint::NotAllowed(url) => format!(
            "**Monitoring endpoint** {url}\n\n**Not polled until you allow it.** A URL that comes only from the repository's files is never contacted, so that opening a cloned repository makes no requests on your network. To allow it, set `prp-lsp.status.allow-url` to `true` in your editor's *user* settings (or put the URL there yourself); on the command line, `prp-lsp agents --allow-url`."
        ),
        Endpoint::None => return None,
    };
    Some(hover_text(value, None, state.support().markdown_hover))
}

pub fn hover(state: &State, params: &TextDocumentPositionParams) -> Option<Hover> {
    if let Some(hover) = config_hover(state, params) {
        return Some(hover);
    }
    state.with_document(&params.text_document.uri, |project, a, positions| {
        let now = crate::project::now_seconds();
        let agent_identity = |name: &str| {
            let agent = project.ws.agent(name)?;
            let defined = project.analyzed(&agent.source)?;
            hover::agent_identity(&defined.doc, &defined.text)
        };
        // The stored report, else one evaluated now.
        let gate_report = || {
            project
                .ws
                .gate_report(&a.doc.path)
                .cloned()
                .or_else(|| project.gate_report(&a.doc.path, now))
        };
        let sources = hover::HoverSources {
            agent_identity: &agent_identity,
            gate_report: &gate_report,
            now,
        };
        let offset = positions.offset(params.position);
        let found = hover::hover(
            &a.doc,
            &a.text,
            &project.ws,
            &project.config,
            offset,
            &sources,
        )?;
        Some(hover_text(
            found.markdown,
            Some(positions.range(&found.span)),
            state.support().markdown_hover,
        ))
    })
}

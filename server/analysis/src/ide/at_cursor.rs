//! What is under the cursor: a section heading, a reference, an agent. Shared by hover
//! and go-to-definition.

use crate::document::{scan, Document, Reference};
use crate::workspace::{Resolution, Workspace};

pub enum AtCursor<'a> {
    Section(usize),
    Reference(&'a Reference),
    /// An agent named by an assignment line, an `@mention` or an agent file's title.
    Agent {
        name: String,
        span: std::ops::Range<usize>,
    },
    Nothing,
}

pub fn at_cursor<'a>(doc: &'a Document, text: &str, offset: usize) -> AtCursor<'a> {
    if let Some(r) = doc
        .references
        .iter()
        .find(|r| r.span.start <= offset && offset <= r.span.end)
    {
        return AtCursor::Reference(r);
    }
    for task in &doc.tasks {
        if let Some(assignee) = task
            .assignee
            .as_ref()
            .filter(|s| s.span.start <= offset && offset <= s.span.end)
        {
            return AtCursor::Agent {
                name: assignee.value.clone(),
                span: assignee.span.clone(),
            };
        }
    }
    let offset = crate::text::floor_char_boundary(text, offset.min(text.len()));
    let line_start = crate::text::line_start(text, offset);
    let line_end = crate::text::line_end(text, offset);
    let line = &text[line_start..line_end];
    for (r, id) in scan::agent_mentions(line) {
        if line_start + r.start <= offset && offset <= line_start + r.end {
            return AtCursor::Agent {
                name: id,
                span: line_start + r.start..line_start + r.end,
            };
        }
    }
    if let Some(i) = doc
        .sections
        .iter()
        .position(|s| s.heading.start <= offset && offset <= s.heading.end)
    {
        if let (Some(agent), 1) = (&doc.agent, doc.sections[i].level) {
            return AtCursor::Agent {
                name: agent.id.clone(),
                span: doc.sections[i].heading.clone(),
            };
        }
        return AtCursor::Section(i);
    }
    AtCursor::Nothing
}

/// Where go-to-definition leads from `offset`: the file a reference resolves to (not a
/// folder), or the context file of the agent under the cursor; workspace-relative.
pub fn definition(ws: &Workspace, doc: &Document, text: &str, offset: usize) -> Option<String> {
    match at_cursor(doc, text, offset) {
        AtCursor::Reference(r) => match ws.resolve(&doc.path, &r.target) {
            Resolution::Found(path) if !ws.is_dir(&path) => Some(path),
            _ => None,
        },
        AtCursor::Agent { name, .. } => Some(ws.agent(&name)?.source.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse, Config, DocFacts};

    #[test]
    fn definitions_lead_to_files_and_agent_files() {
        let config = Config::default();
        let agent = "# Agent: Backend\n\n## Identity\nAPI.\n";
        let mut ws = Workspace::new();
        ws.add_file("src/app.py");
        ws.add_file("agent_contexts/backend_agent.md");
        ws.update_document(
            "agent_contexts/backend_agent.md",
            DocFacts::of(&parse("agent_contexts/backend_agent.md", agent, &config)),
        );
        let board = "- [ ] Export @backend\n## Notes\n";
        let doc = parse("TASK.md", board, &config);
        let at = |text: &str, needle: &str| text.find(needle).unwrap() + 1;
        assert_eq!(
            definition(&ws, &doc, board, at(board, "@backend")).as_deref(),
            Some("agent_contexts/backend_agent.md")
        );
        assert!(matches!(
            at_cursor(&doc, board, at(board, "Notes")),
            AtCursor::Section(_)
        ));
        assert_eq!(definition(&ws, &doc, board, at(board, "Export")), None);

        let prp = "# PRP-01: Export\n\n## All Needed Context\n- file: src/app.py\n- file: src/\n";
        let doc = parse("PRPs/active/01_export.md", prp, &config);
        assert_eq!(
            definition(&ws, &doc, prp, at(prp, "src/app.py")).as_deref(),
            Some("src/app.py")
        );
        assert_eq!(
            definition(&ws, &doc, prp, at(prp, "src/\n")),
            None,
            "a folder is no definition"
        );
    }
}

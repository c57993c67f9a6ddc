//! What is under the cursor: a section heading, a reference, an agent. Shared by hover,
//! definition and completion.

use prp_analysis::document::{scan, Document, Reference};

use crate::project::Analyzed;

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

pub fn at_cursor<'a>(a: &'a Analyzed, offset: usize) -> AtCursor<'a> {
    let doc: &Document = &a.doc;
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
    let text: &str = &a.text;
    let line_start = text[..offset.min(text.len())]
        .rfind('\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    let line_end = text[offset.min(text.len())..]
        .find('\n')
        .map(|i| offset + i)
        .unwrap_or(text.len());
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

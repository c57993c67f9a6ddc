//! Folding: each section (with its subsections) and each fenced block, as byte ranges that
//! end on their last non-blank line.

use crate::document::{Document, Span};

pub fn ranges(doc: &Document, text: &str) -> Vec<Span> {
    let trimmed = |span: &Span| {
        let body = text.get(span.clone()).unwrap_or_default().trim_end();
        span.start..span.start + body.len()
    };
    doc.sections
        .iter()
        .map(|s| trimmed(&(s.heading.start..s.end)))
        .chain(doc.fences.iter().map(|f| trimmed(&f.span)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse, Config};

    #[test]
    fn sections_and_fences_fold_to_their_last_line() {
        let text = "# A\n\ntext\n\n## B\n```sh\nls\n```\n\n\n";
        let doc = parse("notes.md", text, &Config::default());
        let folded: Vec<&str> = ranges(&doc, text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            folded,
            [
                "# A\n\ntext\n\n## B\n```sh\nls\n```",
                "## B\n```sh\nls\n```",
                "```sh\nls\n```"
            ]
        );
    }
}

//! Selection ranges ("expand selection"): from the cursor outwards, the text of the line,
//! the list item with the items nested under it, the whole list, each enclosing section
//! (subsections included), the document. Each range holds the one before it; none ends in
//! trailing blank lines.

use crate::document::{Document, Span};
use crate::text::{line_end, line_start};

/// The ranges around byte `offset`, innermost first.
pub fn ranges(doc: &Document, text: &str, offset: usize) -> Vec<Span> {
    let offset = crate::text::floor_char_boundary(text, offset.min(text.len()));
    let trimmed = |span: Span| {
        let body = text.get(span.clone()).unwrap_or_default().trim_end();
        span.start..span.start + body.len()
    };
    let mut out: Vec<Span> = Vec::new();
    let push = |span: Span, out: &mut Vec<Span>| {
        let holds_last = out
            .last()
            .is_none_or(|l| span.start <= l.start && l.end <= span.end && span != *l);
        if holds_last && span.start <= offset && offset <= span.end {
            out.push(span);
        }
    };
    let (start, end) = (line_start(text, offset), line_end(text, offset));
    let line = &text[start..end];
    let content = start + (line.len() - line.trim_start().len())..start + line.trim_end().len();
    push(content.clone(), &mut out);
    if let Some(marker) = list_marker(line) {
        // The item: its line and the deeper-indented lines under it; then each item it is
        // nested in, the same way.
        let item_end = block_end(text, end, |l| indent(l) > marker);
        push(trimmed(content.start..item_end), &mut out);
        let (mut depth, mut at) = (marker, start);
        while depth > 0 && at > 0 {
            at = line_start(text, at - 1);
            let l = text[at..line_end(text, at)].trim_end_matches('\r');
            if l.trim().is_empty() {
                break;
            }
            if let Some(m) = list_marker(l).filter(|m| *m < depth) {
                depth = m;
                let parent_end = block_end(text, line_end(text, at), |l| indent(l) > m);
                push(trimmed(at + m..parent_end), &mut out);
            }
        }
        // The list: the contiguous list lines around it, up to a blank line or a heading.
        let is_list_line =
            |l: &str| list_marker(l).is_some() || (indent(l) > 0 && !l.trim().is_empty());
        let mut list_start = start;
        while list_start > 0 {
            let previous = line_start(text, list_start - 1);
            if !is_list_line(text[previous..list_start].trim_end_matches(['\n', '\r'])) {
                break;
            }
            list_start = previous;
        }
        let list_end = block_end(text, end, is_list_line);
        push(trimmed(list_start..list_end), &mut out);
    }
    // Sections from the innermost out.
    let mut section = doc.section_at(offset);
    while let Some(i) = section {
        let s = &doc.sections[i];
        push(trimmed(s.heading.start..s.end), &mut out);
        section = s.parent;
    }
    push(0..text.len(), &mut out);
    out
}

/// The end of the block that follows `from` (a line end) while `continues` holds for each
/// next line.
fn block_end(text: &str, from: usize, continues: impl Fn(&str) -> bool) -> usize {
    let mut end = from;
    while end < text.len() {
        let next_start = end + 1;
        if next_start > text.len() {
            break;
        }
        let next_end = line_end(text, next_start);
        if !continues(text[next_start..next_end].trim_end_matches('\r')) {
            break;
        }
        end = next_end;
    }
    end
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// The indentation of a list item's marker (`- `, `* `, `+ `, `1. `), `None` off a list item.
fn list_marker(line: &str) -> Option<usize> {
    let rest = line.trim_start_matches([' ', '\t']);
    let bullet = ["- ", "* ", "+ "].iter().any(|m| rest.starts_with(m)) || rest == "-";
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let numbered = digits > 0 && matches!(rest.as_bytes().get(digits), Some(b'.' | b')'));
    (bullet || numbered).then(|| indent(line))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse, Config};

    #[test]
    fn from_the_line_to_the_document() {
        let text = "# Plan\n\n## Tasks\n\n- [ ] one\n  - note\n- [ ] two\n\n## Later\nx\n";
        let doc = parse("TASK.md", text, &Config::default());
        let at = text.find("note").unwrap() + 1;
        let shown: Vec<&str> = ranges(&doc, text, at)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(
            shown,
            [
                "- note",
                "- [ ] one\n  - note",
                "- [ ] one\n  - note\n- [ ] two",
                "## Tasks\n\n- [ ] one\n  - note\n- [ ] two",
                "# Plan\n\n## Tasks\n\n- [ ] one\n  - note\n- [ ] two\n\n## Later\nx",
                text,
            ]
        );
        let at = text.find("one").unwrap();
        let shown: Vec<&str> = ranges(&doc, text, at)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(
            &shown[..3],
            [
                "- [ ] one",
                "- [ ] one\n  - note",
                "- [ ] one\n  - note\n- [ ] two"
            ]
        );
    }

    #[test]
    fn prose_and_empty_text() {
        let doc = parse("notes.md", "", &Config::default());
        assert_eq!(ranges(&doc, "", 0), vec![Span { start: 0, end: 0 }]);
        let text = "plain words\n";
        let doc = parse("notes.md", text, &Config::default());
        let shown: Vec<&str> = ranges(&doc, text, 3)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(shown, ["plain words", text]);
    }
}

//! Document headers: `---` YAML front matter and the bare `name:` / `description: |`
//! pseudo-header. Both are read as flat `key: value` pairs; nested YAML is kept as text.

use super::{Span, Spanned};
use crate::text::unquote;

#[derive(Debug, Clone, Default)]
pub struct Header {
    pub keys: Vec<(String, Spanned<String>)>,
    /// Byte offset where the body begins.
    pub end: usize,
    /// A `---` block that never closes.
    pub unterminated: bool,
}

/// Lines of `text` with their byte ranges (line ending excluded).
pub fn lines_with_spans(text: &str) -> impl Iterator<Item = (Span, &str)> {
    // SIMD newline search: every rule pass walks the lines, so this is the core's hot loop.
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1);
    let last = (!text.is_empty() && !text.ends_with('\n')).then_some(text.len());
    let mut start = 0;
    ends.chain(last).map(move |end| {
        let line = text[start..end].trim_end_matches(['\n', '\r']);
        let span = start..start + line.len();
        start = end;
        (span, line)
    })
}

fn key_value(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let key = &line[..colon];
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    let value = &line[colon + 1..];
    if !(value.is_empty() || value.starts_with(' ') || value.starts_with('\t')) {
        return None;
    }
    Some((key, value.trim()))
}

/// Reads `key: value` lines; a value of `|`/`>` or empty collects the indented lines below.
fn read_pairs<'a>(lines: impl Iterator<Item = (Span, &'a str)>) -> Vec<(String, Spanned<String>)> {
    let mut keys: Vec<(String, Spanned<String>)> = Vec::new();
    let mut block: Option<usize> = None;
    for (span, line) in lines {
        let indented = line.starts_with(' ') || line.starts_with('\t');
        if indented || line.trim().is_empty() {
            if let Some(i) = block {
                let entry = &mut keys[i].1;
                let piece = line.trim();
                if !piece.is_empty() {
                    if !entry.value.is_empty() {
                        entry.value.push(' ');
                    }
                    entry.value.push_str(piece);
                    if entry.span.is_empty() {
                        entry.span = span.start + (line.len() - line.trim_start().len())..span.end;
                    } else {
                        entry.span.end = span.end;
                    }
                }
            }
            continue;
        }
        block = None;
        if let Some((key, value)) = key_value(line) {
            let value_start =
                span.start + line.len() - line[line.find(':').unwrap() + 1..].trim_start().len();
            let value_start = value_start.min(span.end);
            if value.is_empty() || value == "|" || value == ">" || value == "|-" || value == ">-" {
                keys.push((
                    key.to_ascii_lowercase(),
                    Spanned {
                        value: String::new(),
                        span: span.end..span.end,
                    },
                ));
                block = Some(keys.len() - 1);
            } else {
                let v = unquote(value);
                keys.push((
                    key.to_ascii_lowercase(),
                    Spanned {
                        value: v.to_string(),
                        span: value_start..span.end,
                    },
                ));
            }
        }
    }
    keys
}

/// Reads the header of a document, if it has one.
pub fn read_header(text: &str) -> Header {
    let text_bom = text.strip_prefix('\u{feff}').map(|_| 3).unwrap_or(0);
    let body = &text[text_bom..];
    let mut lines = lines_with_spans(body).map(|(s, l)| (s.start + text_bom..s.end + text_bom, l));
    let Some((first_span, first)) = lines.next() else {
        return Header::default();
    };
    if first.trim_end() == "---" {
        // YAML front matter: up to the closing `---` or `...`.
        let mut inner = Vec::new();
        for (span, line) in lines.by_ref() {
            if line.trim_end() == "---" || line.trim_end() == "..." {
                let end = (span.end + 1).min(text.len());
                let end = if text[span.end..].starts_with("\r\n") {
                    span.end + 2
                } else {
                    end
                };
                return Header {
                    keys: read_pairs(inner.into_iter()),
                    end,
                    unterminated: false,
                };
            }
            inner.push((span, line));
        }
        // Never closed: treat it as body, but say so.
        return Header {
            keys: Vec::new(),
            end: text_bom,
            unterminated: true,
        };
    }
    // The pseudo-header: line 1 `name: …`, then `description: |` and indented text.
    if let Some((key, _)) = key_value(first) {
        if key == "name" || key == "title" || key == "id" {
            let mut header_lines = vec![(first_span.clone(), first)];
            let mut end = first_span.end;
            for (span, line) in lines {
                let indented = line.starts_with(' ') || line.starts_with('\t');
                if line.trim().is_empty() || indented || key_value(line).is_some() {
                    if line.starts_with('#') {
                        break;
                    }
                    end = span.end;
                    header_lines.push((span, line));
                } else {
                    break;
                }
            }
            let end = text[end..]
                .find('\n')
                .map(|i| end + i + 1)
                .unwrap_or(text.len());
            return Header {
                keys: read_pairs(header_lines.into_iter()),
                end,
                unterminated: false,
            };
        }
    }
    Header {
        keys: Vec::new(),
        end: text_bom,
        unterminated: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_front_matter() {
        let text = "---\nid: 7\ntitle: \"Sync\"\ntags: [a, b]\n---\n# Body\n";
        let h = read_header(text);
        assert_eq!(h.keys[1].0, "title");
        assert_eq!(h.keys[1].1.value, "Sync");
        assert_eq!(&text[h.end..], "# Body\n");
    }

    #[test]
    fn pseudo_header_with_block_description() {
        let text = "name: \"Calendar sync\"\ndescription: |\n  Two-way sync\n  with Google.\n\n## Priority: HIGH\n";
        let h = read_header(text);
        assert_eq!(h.keys[0].1.value, "Calendar sync");
        assert_eq!(h.keys[1].1.value, "Two-way sync with Google.");
        assert_eq!(
            &text[h.keys[1].1.span.clone()],
            "Two-way sync\n  with Google."
        );
        assert!(text[h.end..].contains("## Priority"));
    }

    #[test]
    fn no_header_and_unterminated() {
        assert_eq!(read_header("# Title\n").end, 0);
        assert!(read_header("---\nkey: v\n# never closed\n").unterminated);
        assert_eq!(read_header("").end, 0);
    }
}

//! Byte offsets ↔ line/column positions.
//!
//! The core speaks byte offsets only; the protocol layer and the CLI convert with this index
//! into whatever encoding their consumer negotiated.

/// How columns are counted in a [`Position`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// A zero-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// Start offsets of every line of a text.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 40 + 1);
        line_starts.push(0);
        line_starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        LineIndex {
            line_starts,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Zero-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset.min(self.len)) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where a zero-based line starts (the text length past the end).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.len)
    }

    /// Byte range of a line without its line ending.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_start(line);
        let mut end = self.line_start(line + 1);
        let bytes = text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        start..end
    }

    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let line_text = &text[self.line_starts[line]..offset];
        let column = match encoding {
            Encoding::Utf8 => line_text.len(),
            Encoding::Utf16 => line_text.chars().map(char::len_utf16).sum(),
        };
        Position {
            line: line as u32,
            column: column as u32,
        }
    }

    /// Byte offset of a position; columns past the end of the line clamp to its end.
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> usize {
        let line = position.line as usize;
        if line >= self.line_starts.len() {
            return text.len();
        }
        let start = self.line_starts[line];
        let end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(text.len());
        let line_text = &text[start..end];
        let mut remaining = position.column as usize;
        for (i, c) in line_text.char_indices() {
            if c == '\n' || remaining == 0 {
                return start + i;
            }
            let width = match encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
            if width > remaining {
                return start + i;
            }
            remaining -= width;
        }
        end
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
}

/// Start of the line holding `offset`.
pub fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// End of the line holding `offset`, its line ending excluded: the `\n` and any `\r` before
/// it (the one policy for CR everywhere a line's text is cut out).
pub fn line_end(text: &str, offset: usize) -> usize {
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    offset + text[offset..end].trim_end_matches('\r').len()
}

/// A value without one pair of surrounding quotes (`"…"` or `'…'`), trimmed.
pub fn unquote(v: &str) -> &str {
    let v = v.trim();
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return &v[1..v.len() - 1];
        }
    }
    v
}

pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let text = "## 🎯 Goal\nnext";
        let index = LineIndex::new(text);
        let goal = text.find("Goal").unwrap();
        assert_eq!(
            index.position(text, goal, Encoding::Utf8),
            Position { line: 0, column: 8 }
        );
        assert_eq!(
            index.position(text, goal, Encoding::Utf16),
            Position { line: 0, column: 6 }
        );
        assert_eq!(
            index.offset(text, Position { line: 0, column: 6 }, Encoding::Utf16),
            goal
        );
        assert_eq!(
            index.offset(
                text,
                Position {
                    line: 1,
                    column: 99
                },
                Encoding::Utf8
            ),
            text.len()
        );
    }

    #[test]
    fn a_line_is_cut_without_its_ending() {
        let text = "one\r\ntwo\nthree\r\r\n\nlast";
        let line = |at: usize| &text[line_start(text, at)..line_end(text, at)];
        assert_eq!(line(1), "one");
        assert_eq!(line(5), "two");
        assert_eq!(line(11), "three");
        assert_eq!(line(17), "");
        assert_eq!(line(text.len()), "last");
        assert_eq!(line(3), "one", "from the CR itself");
    }

    #[test]
    fn unquote_removes_one_matching_pair() {
        assert_eq!(unquote(" \"a b\" "), "a b");
        assert_eq!(unquote("'x'"), "x");
        assert_eq!(unquote("\"x'"), "\"x'");
        assert_eq!(unquote("\""), "\"");
        assert_eq!(unquote("\"\"\"x\"\"\""), "\"\"x\"\"");
    }

    #[test]
    fn crlf_lines_exclude_the_line_ending() {
        let text = "a\r\nbc\r\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_range(text, 1), 3..5);
        assert_eq!(index.line_count(), 3);
    }
}

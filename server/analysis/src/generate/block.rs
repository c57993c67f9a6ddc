//! Readers for the body of a ```` ```requirement ```` block: a small YAML subset (flat keys,
//! quoted or plain scalars, `|`/`>` blocks, `- ` lists, `[a, b]` lists) and JSON. Both give
//! the same flat entries with the spans the diagnostics point at.

use crate::document::front_matter::lines_with_spans;
use crate::document::Span;
use crate::text::{line_end, unquote};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Value {
    Text(String),
    List(Vec<String>),
}

#[derive(Debug, Clone)]
pub(super) struct Entry {
    /// Lowercase, `-` written as `_`.
    pub key: String,
    pub key_span: Span,
    pub value: Value,
    /// The value as written (the key's line when the value is empty).
    pub value_span: Span,
}

/// A line the reader cannot make sense of.
#[derive(Debug, Clone)]
pub(super) struct SyntaxError {
    pub message: String,
    pub span: Span,
}

/// Offsets are relative to `body`'s start plus `base`.
pub(super) fn read(body: &str, base: usize) -> Result<Vec<Entry>, SyntaxError> {
    if body.trim_start().starts_with('{') {
        read_json(body, base)
    } else {
        read_yaml(body, base)
    }
}

/// How the lines after `key:` are read.
enum Continuation {
    None,
    /// `key: |` (newlines kept) or `key: >` (folded), with the block's indentation.
    Block {
        literal: bool,
        indent: Option<usize>,
    },
    /// `key:` then `- item` lines.
    List,
}

fn read_yaml(body: &str, base: usize) -> Result<Vec<Entry>, SyntaxError> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut continuation = Continuation::None;
    for (span, line) in lines_with_spans(body) {
        let span = span.start + base..span.end + base;
        let trimmed = line.trim();
        // YAML indents with spaces (tabs are tolerated); other whitespace is text, and
        // counting it would cut the line inside a character.
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let (
            Continuation::Block {
                literal,
                indent: block_indent,
            },
            Some(entry),
        ) = (&mut continuation, entries.last_mut())
        {
            if trimmed.is_empty() || indent > 0 {
                let Value::Text(text) = &mut entry.value else {
                    unreachable!("a block holds text")
                };
                if trimmed.is_empty() {
                    // A blank line is a paragraph break in both block styles.
                    if !text.is_empty() {
                        text.push('\n');
                    }
                } else {
                    if !text.is_empty() && !text.ends_with('\n') {
                        text.push(if *literal { '\n' } else { ' ' });
                    }
                    // Indentation beyond the block's first line is kept (`|` blocks).
                    let cut = indent.min(*block_indent.get_or_insert(indent));
                    text.push_str(line[cut..].trim_end());
                    extend(&mut entry.value_span, span);
                }
                continue;
            }
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(item) = trimmed
            .strip_prefix("- ")
            .or((trimmed == "-").then_some(""))
        {
            let Some(entry) = entries
                .last_mut()
                .filter(|_| matches!(continuation, Continuation::List))
            else {
                return Err(SyntaxError {
                    message: "a `- ` list item must follow a `key:` line".into(),
                    span,
                });
            };
            let Value::List(items) = &mut entry.value else {
                unreachable!("a list continuation holds a list")
            };
            items.push(unquote(item).to_string());
            extend(&mut entry.value_span, span);
            continue;
        }
        if indent > 0 {
            // A wrapped list item or plain scalar.
            if let Some(entry) = entries.last_mut() {
                match &mut entry.value {
                    Value::List(items) if !items.is_empty() => {
                        let last = items.last_mut().expect("not empty");
                        last.push(' ');
                        last.push_str(trimmed);
                    }
                    Value::Text(text) if !text.is_empty() => {
                        text.push(' ');
                        text.push_str(trimmed);
                    }
                    _ => {
                        return Err(SyntaxError {
                            message: "indented text belongs to no key".into(),
                            span,
                        })
                    }
                }
                extend(&mut entry.value_span, span);
                continue;
            }
        }
        let Some(colon) = line.find(':') else {
            return Err(SyntaxError {
                message: format!("`{trimmed}` is not a `key: value` line"),
                span,
            });
        };
        let key = line[..colon].trim();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == ' ')
        {
            return Err(SyntaxError {
                message: format!("`{key}` is not a field name"),
                span,
            });
        }
        let raw_value = &line[colon + 1..];
        let value = raw_value.trim();
        let value_start = span.start + colon + 1 + (raw_value.len() - raw_value.trim_start().len());
        let key_span = span.start + (line.len() - line.trim_start().len())..span.start + colon;
        let (value, value_span, next) = match value {
            "|" | "|-" | "|+" | ">" | ">-" | ">+" => (
                Value::Text(String::new()),
                span.clone(),
                Continuation::Block {
                    literal: value.starts_with('|'),
                    indent: None,
                },
            ),
            "" => (Value::List(Vec::new()), span.clone(), Continuation::List),
            flow if flow.starts_with('[') && flow.ends_with(']') => (
                Value::List(
                    flow[1..flow.len() - 1]
                        .split(',')
                        .map(|s| unquote(s).to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                ),
                value_start..value_start + value.len(),
                Continuation::None,
            ),
            scalar => (
                Value::Text(unquote(scalar).to_string()),
                value_start..value_start + value.len(),
                Continuation::None,
            ),
        };
        entries.push(Entry {
            key: normalize_key(key),
            key_span,
            value,
            value_span,
        });
        continuation = next;
    }
    for entry in &mut entries {
        if let Value::Text(text) = &mut entry.value {
            *text = text.trim().to_string();
        }
    }
    Ok(entries)
}

fn extend(span: &mut Span, line: Span) {
    if span.end < line.end {
        span.end = line.end;
    }
}

fn normalize_key(key: &str) -> String {
    key.trim().to_lowercase().replace(['-', ' '], "_")
}

fn read_json(body: &str, base: usize) -> Result<Vec<Entry>, SyntaxError> {
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(body).map_err(|e| {
            let at = offset_of(body, e.line(), e.column());
            SyntaxError {
                message: format!("the JSON does not parse: {e}"),
                span: base + at..base + line_end(body, at),
            }
        })?;
    // serde_json keeps no positions: the keys as written (escapes and all) locate the entries.
    let written = top_level_keys(body);
    let mut entries = Vec::new();
    for (key, value) in object {
        // The last of a repeated key is the one serde_json keeps.
        let token = written
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map_or(0..line_end(body, 0), |(_, token)| token.clone());
        let key_at = token.start;
        let key_span = base + token.start..base + token.end;
        let value_span = key_span.start..base + line_end(body, key_at);
        let value = match value {
            serde_json::Value::String(s) => Value::Text(s),
            serde_json::Value::Array(items) => Value::List(
                items
                    .into_iter()
                    .map(|v| match v {
                        serde_json::Value::String(s) => Ok(s),
                        other => Err(other),
                    })
                    .collect::<Result<_, _>>()
                    .map_err(|other| SyntaxError {
                        message: format!("`{key}` lists {other}; list items must be strings"),
                        span: value_span.clone(),
                    })?,
            ),
            serde_json::Value::Null => Value::Text(String::new()),
            serde_json::Value::Object(_) => {
                return Err(SyntaxError {
                    message: format!("`{key}` is an object; it must be text or a list of text"),
                    span: value_span,
                })
            }
            scalar => Value::Text(scalar.to_string()),
        };
        entries.push(Entry {
            key: normalize_key(&key),
            key_span,
            value,
            value_span,
        });
    }
    Ok(entries)
}

/// The keys of a JSON object's top level as serde_json reads them, each with the span of its
/// string as written (quotes included). `body` is JSON that parsed.
fn top_level_keys(body: &str) -> Vec<(String, Span)> {
    let bytes = body.as_bytes();
    let (mut keys, mut depth, mut expect_key, mut i) = (Vec::new(), 0usize, false, 0usize);
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                // To the closing quote, stepping over escapes.
                let mut end = i + 1;
                while let Some(&c) = bytes.get(end) {
                    match c {
                        b'\\' => end += 2,
                        b'"' => break,
                        _ => end += 1,
                    }
                }
                let token = i..(end + 1).min(bytes.len());
                if depth == 1 && expect_key {
                    if let Ok(key) = serde_json::from_str::<String>(&body[token.clone()]) {
                        keys.push((key, token.clone()));
                    }
                    expect_key = false;
                }
                i = token.end;
                continue;
            }
            b'{' | b'[' => {
                depth += 1;
                expect_key = depth == 1 && b == b'{';
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expect_key = true,
            _ => {}
        }
        i += 1;
    }
    keys
}

/// Byte offset of serde_json's 1-based line and column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    crate::text::floor_char_boundary(
        text,
        (line_start + column.saturating_sub(1)).min(text.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(body: &str) -> Vec<(String, Value)> {
        read(body, 0)
            .unwrap()
            .into_iter()
            .map(|e| (e.key, e.value))
            .collect()
    }

    #[test]
    fn json_keys_are_located_as_written_escapes_and_all() {
        let body = r#"{"tags": ["title"], "ty\\peé\u00e9": 1, "title": "x"}"#;
        let entries = read(body, 10).unwrap();
        let span_of = |key: &str| {
            let e = entries.iter().find(|e| e.key == key).unwrap();
            &body[e.key_span.start - 10..e.key_span.end - 10]
        };
        assert_eq!(span_of("ty\\peéé"), r#""ty\\peé\u00e9""#);
        // The key, not the same word in a list before it.
        let title = entries.iter().find(|e| e.key == "title").unwrap();
        assert_eq!(title.key_span.start - 10, body.rfind("\"title\"").unwrap());
    }

    #[test]
    fn yaml_scalars_blocks_and_lists() {
        let body = "type: feature\ndescription: |\n  Two-way sync\n  with Google.\n\nacceptance_criteria:\n  - \"Events appear\"\n  - Edits sync\n    both ways\nmodules-affected: [frontend, backend]\n";
        let v = values(body);
        assert_eq!(v[0], ("type".into(), Value::Text("feature".into())));
        assert_eq!(
            v[1],
            (
                "description".into(),
                Value::Text("Two-way sync\nwith Google.".into())
            )
        );
        assert_eq!(
            v[2].1,
            Value::List(vec!["Events appear".into(), "Edits sync both ways".into()])
        );
        assert_eq!(v[3].0, "modules_affected");
        assert_eq!(
            v[3].1,
            Value::List(vec!["frontend".into(), "backend".into()])
        );
    }

    #[test]
    fn yaml_indentation_is_spaces_and_tabs_only() {
        // A block indented by two spaces, then a line indented by a space and a
        // four-per-em space (U+2005, three bytes): the block's indentation must not cut
        // inside that character.
        let body = "description: |\n  first\n \u{2005}second\nnext: x\n";
        let v = values(body);
        assert_eq!(
            v[0],
            (
                "description".into(),
                Value::Text("first\n\u{2005}second".into())
            )
        );
        assert_eq!(v[1], ("next".into(), Value::Text("x".into())));
        // Other whitespace starts no indentation: a key line after it.
        let v = values("a: |\n  text\n\u{2005}b: y\n");
        assert_eq!(v[1], ("b".into(), Value::Text("y".into())));
    }

    #[test]
    fn yaml_spans_point_at_values() {
        let body = "type: feture\r\npriority: high\r\n";
        let entries = read(body, 10).unwrap();
        assert_eq!(
            &body[entries[0].value_span.start - 10..entries[0].value_span.end - 10],
            "feture"
        );
        assert_eq!(
            &body[entries[1].key_span.start - 10..entries[1].key_span.end - 10],
            "priority"
        );
    }

    #[test]
    fn yaml_errors() {
        assert!(read("just prose here\n", 0)
            .unwrap_err()
            .message
            .contains("key: value"));
        assert!(read("- orphan\n", 0).is_err());
    }

    #[test]
    fn json_objects() {
        let v = values("{\"type\": \"bug_fix\", \"acceptance_criteria\": [\"a\", \"b\"]}");
        let get = |k: &str| v.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
        assert_eq!(get("type"), Some(Value::Text("bug_fix".into())));
        assert_eq!(
            get("acceptance_criteria"),
            Some(Value::List(vec!["a".into(), "b".into()]))
        );
        let err = read("{\n  \"type\": \"x\",\n  oops\n}", 5).unwrap_err();
        assert!(err.message.contains("JSON"));
        assert_eq!(err.span.start, 5 + "{\n  \"type\": \"x\",\n  ".len());
        assert!(read("{\"modules\": [1]}", 0)
            .unwrap_err()
            .message
            .contains("strings"));
    }
}

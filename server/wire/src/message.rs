//! Deciding what to do with one frame's body before the protocol library sees it: pass on
//! what it can read, repair what a real client produces (lone UTF-16 surrogates, invalid
//! UTF-8), and answer the rest with a JSON-RPC error instead of letting it end the server.

use std::borrow::Cow;

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::{json, Value};

/// JSON-RPC's codes for a body that is not JSON, and for JSON that is not a message.
pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;

#[derive(Debug, PartialEq)]
pub enum Verdict<'a> {
    /// A request, notification or response the library can read; the body to pass on.
    Forward {
        body: Cow<'a, [u8]>,
        /// `Some(method)` for requests and notifications.
        method: Option<String>,
        /// Whether the body had to be repaired (logged).
        repaired: bool,
    },
    /// An error response to send back to the client.
    Answer(Value),
    /// A response that cannot be read; there is nobody to answer, so it is dropped.
    Drop(String),
}

/// The parts of a message the library's types insist on, read without copying the rest.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    jsonrpc: Option<Cow<'a, str>>,
    id: Option<Value>,
    method: Option<Value>,
    /// Present, even when `null`.
    #[serde(default, deserialize_with = "present")]
    result: Option<IgnoredAny>,
    error: Option<Value>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<IgnoredAny>, D::Error> {
    IgnoredAny::deserialize(d).map(Some)
}

pub fn error_response(id: Value, code: i64, message: impl Into<String>) -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code, "message": message.into() },
    })
}

/// What to do with `body`.
pub fn classify(body: &[u8]) -> Verdict<'_> {
    let (text, mut repaired) = match std::str::from_utf8(body) {
        Ok(s) => (Cow::Borrowed(s), false),
        Err(_) => (String::from_utf8_lossy(body), true),
    };
    let text = match replace_lone_surrogates(&text) {
        Some(fixed) => {
            repaired = true;
            Cow::Owned(fixed)
        }
        None => text,
    };
    // Only objects: serde would also read a struct from an array, and the library would
    // then fail on what this check let through.
    let parsed = if text.trim_start().starts_with('{') {
        serde_json::from_str::<Envelope>(&text).map_err(|e| e.to_string())
    } else {
        Err("a message must be a JSON object".to_string())
    };
    let envelope = match parsed {
        Ok(e) => e,
        Err(why) => {
            return Verdict::Answer(match serde_json::from_str::<Value>(&text) {
                // Valid JSON of the wrong shape: `[1,2,3]`, `42`, an object with odd fields.
                Ok(value) => error_response(
                    value
                        .get("id")
                        .cloned()
                        .filter(is_valid_id)
                        .unwrap_or(Value::Null),
                    INVALID_REQUEST,
                    format!("not a JSON-RPC message: {why}"),
                ),
                Err(e) => error_response(
                    Value::Null,
                    PARSE_ERROR,
                    format!("the message is not valid JSON: {e}"),
                ),
            });
        }
    };
    if nesting_depth(text.as_bytes()) > MAX_DEPTH {
        return Verdict::Answer(error_response(
            envelope
                .id
                .clone()
                .filter(is_valid_id)
                .unwrap_or(Value::Null),
            INVALID_REQUEST,
            format!("the message nests arrays and objects more than {MAX_DEPTH} deep"),
        ));
    }
    let id_ok = envelope.id.as_ref().is_none_or(is_valid_id);
    let readable_id = || {
        envelope
            .id
            .clone()
            .filter(is_valid_id)
            .unwrap_or(Value::Null)
    };
    if envelope.jsonrpc.as_deref() != Some("2.0") {
        return invalid_or_drop(&envelope, readable_id(), "`jsonrpc` must be \"2.0\"");
    }
    if envelope.result.is_some() || envelope.error.is_some() {
        // A response to one of the server's requests.
        let error_ok = envelope.error.as_ref().is_none_or(|e| {
            serde_json::from_value::<tower_lsp_server::jsonrpc::Error>(e.clone()).is_ok()
        });
        if !(id_ok && envelope.id.is_some() && error_ok) {
            return Verdict::Drop("a response without a usable `id` or `error`".into());
        }
        return forward(text, body, None, repaired);
    }
    if !id_ok {
        return Verdict::Answer(error_response(
            Value::Null,
            INVALID_REQUEST,
            "`id` must be a number or a string",
        ));
    }
    match &envelope.method {
        Some(Value::String(method)) => {
            let method = method.clone();
            forward(text, body, Some(method), repaired)
        }
        _ => Verdict::Answer(error_response(
            readable_id(),
            INVALID_REQUEST,
            "a request needs a `method` (a string)",
        )),
    }
}

fn forward<'a>(
    text: Cow<'_, str>,
    original: &'a [u8],
    method: Option<String>,
    repaired: bool,
) -> Verdict<'a> {
    let body = if repaired {
        Cow::Owned(text.into_owned().into_bytes())
    } else {
        Cow::Borrowed(original)
    };
    Verdict::Forward {
        body,
        method,
        repaired,
    }
}

/// Requests get an answer; a broken response has no one to answer.
fn invalid_or_drop(envelope: &Envelope, id: Value, why: &str) -> Verdict<'static> {
    if envelope.method.is_none() && (envelope.result.is_some() || envelope.error.is_some()) {
        return Verdict::Drop(why.to_string());
    }
    Verdict::Answer(error_response(id, INVALID_REQUEST, why))
}

/// JSON-RPC ids the library reads: integers that fit in an i64, and strings.
fn is_valid_id(id: &Value) -> bool {
    match id {
        Value::String(_) => true,
        Value::Number(n) => n.is_i64(),
        _ => false,
    }
}

/// Deeper than serde_json parses into a value (its limit is 128), counted with margin.
const MAX_DEPTH: usize = 120;

/// The deepest nesting of arrays and objects in JSON text (brackets in strings skipped).
/// Strings are jumped over with `memchr`: a `didOpen` of a large file is one long string,
/// and a byte-by-byte walk of it held up every request behind it.
fn nesting_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'"' => loop {
                // To the closing quote, stepping over escapes (`\"` does not close).
                let Some(rest) = bytes.get(i..) else {
                    return deepest;
                };
                match memchr::memchr2(b'"', b'\\', rest) {
                    Some(k) if rest[k] == b'\\' => i += k + 2,
                    Some(k) => {
                        i += k + 1;
                        break;
                    }
                    None => return deepest,
                }
            },
            b'{' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// The JSON text with every `\uD800`–`\uDFFF` escape that is not half of a pair replaced by
/// `\uFFFD` (JavaScript strings may hold lone surrogates; JSON parsers reject them). `None`
/// when there is nothing to replace, which is checked without allocating.
pub fn replace_lone_surrogates(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    // Nearly every message has no surrogate escape at all: find that out with a fast search.
    let surrogate_escape = memchr::memmem::find_iter(bytes, b"\\u").any(|at| {
        matches!(bytes.get(at + 2), Some(b'd' | b'D'))
            && matches!(
                bytes.get(at + 3),
                Some(b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F')
            )
    });
    if !surrogate_escape {
        return None;
    }
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                in_string = !in_string;
                i += 1;
            }
            b'\\' if in_string => {
                let Some(unit) = escape_unit(bytes, i) else {
                    i += 2;
                    continue;
                };
                let lone = match unit {
                    0xD800..=0xDBFF => {
                        !escape_unit(bytes, i + 6).is_some_and(|u| (0xDC00..=0xDFFF).contains(&u))
                    }
                    0xDC00..=0xDFFF => true,
                    _ => false,
                };
                if lone {
                    let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
                    o.push_str(&text[copied..i]);
                    o.push_str("\\uFFFD");
                    copied = i + 6;
                    i += 6;
                } else if (0xD800..=0xDBFF).contains(&unit) {
                    i += 12; // a whole pair
                } else {
                    i += 6;
                }
            }
            _ => i += 1,
        }
    }
    let mut out = out?;
    out.push_str(&text[copied..]);
    Some(out)
}

/// The code unit of a `\uXXXX` escape starting at `at`.
fn escape_unit(bytes: &[u8], at: usize) -> Option<u32> {
    let escape = bytes.get(at..at + 6)?;
    if escape[0] != b'\\' || escape[1] != b'u' {
        return None;
    }
    let hex = std::str::from_utf8(&escape[2..]).ok()?;
    u32::from_str_radix(hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer_code(body: &str) -> (i64, Value) {
        match classify(body.as_bytes()) {
            Verdict::Answer(v) => (v["error"]["code"].as_i64().unwrap(), v["id"].clone()),
            other => panic!("{body}: {other:?}"),
        }
    }

    #[test]
    fn messages_pass_unchanged() {
        let body = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
        assert_eq!(
            classify(body.as_bytes()),
            Verdict::Forward {
                body: Cow::Borrowed(body.as_bytes()),
                method: Some("initialize".into()),
                repaired: false
            }
        );
        let response = r#"{"jsonrpc":"2.0","id":"a","result":null}"#;
        assert!(matches!(
            classify(response.as_bytes()),
            Verdict::Forward { method: None, .. }
        ));
    }

    #[test]
    fn what_is_not_a_message_is_answered() {
        assert_eq!(answer_code("not json!"), (PARSE_ERROR, Value::Null));
        assert_eq!(answer_code("{\"jsonrpc\":"), (PARSE_ERROR, Value::Null));
        assert_eq!(answer_code("[1,2,3]"), (INVALID_REQUEST, Value::Null));
        assert_eq!(answer_code("42"), (INVALID_REQUEST, Value::Null));
        assert_eq!(
            answer_code(r#"["2.0", 1, "initialize", null, null]"#),
            (INVALID_REQUEST, Value::Null)
        );
        assert_eq!(answer_code(r#"{"id":1}"#), (INVALID_REQUEST, json!(1)));
        assert_eq!(
            answer_code(r#"{"jsonrpc":"2.0","id":{},"method":"x"}"#),
            (INVALID_REQUEST, Value::Null)
        );
        assert_eq!(
            answer_code(r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#),
            (INVALID_REQUEST, Value::Null)
        );
        assert_eq!(
            answer_code(r#"{"jsonrpc":"2.0","id":"k","method":7}"#),
            (INVALID_REQUEST, json!("k"))
        );
        assert_eq!(
            answer_code(r#"{"jsonrpc":"1.0","id":3,"method":"x"}"#),
            (INVALID_REQUEST, json!(3))
        );
    }

    #[test]
    fn nesting_counts_brackets_outside_strings_only() {
        assert_eq!(nesting_depth(br#"{"a":[[1]]}"#), 3);
        // Brackets, escaped quotes and escaped backslashes inside strings.
        assert_eq!(nesting_depth(br#"{"a":"[[\"{{","b":[1]}"#), 2);
        assert_eq!(nesting_depth(br#"{"a":"x\\","b":[[[]]]}"#), 4);
        assert_eq!(nesting_depth(br#"{"a":"\\\"[[[","b":{}}"#), 2);
        // Unterminated string or escape at the very end: no panic.
        assert_eq!(nesting_depth(br#"{"a":[ "[[["#), 2);
        assert_eq!(nesting_depth(br#"{"a":"\"#), 1);
    }

    #[test]
    fn nesting_past_the_parser_limit_is_refused() {
        let deep = format!(
            r#"{{"jsonrpc":"2.0","id":4,"method":"x","params":{}{}}}"#,
            "[".repeat(200),
            "]".repeat(200)
        );
        assert_eq!(answer_code(&deep), (INVALID_REQUEST, json!(4)));
        let in_text = format!(
            r#"{{"jsonrpc":"2.0","method":"x","params":{{"t":"{}"}}}}"#,
            "[".repeat(200)
        );
        assert!(matches!(
            classify(in_text.as_bytes()),
            Verdict::Forward { .. }
        ));
    }

    #[test]
    fn broken_responses_are_dropped() {
        assert!(matches!(
            classify(br#"{"jsonrpc":"2.0","result":1}"#),
            Verdict::Drop(_)
        ));
        assert!(matches!(
            classify(br#"{"jsonrpc":"2.0","id":1,"error":"bad"}"#),
            Verdict::Drop(_)
        ));
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let body = r#"{"jsonrpc":"2.0","method":"x","params":{"t":"a\ud800b\udc00c\uD83D\uDE00d\ud800\u0041"}}"#;
        let Verdict::Forward { body, repaired, .. } = classify(body.as_bytes()) else {
            panic!()
        };
        assert!(repaired);
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["params"]["t"], "a\u{FFFD}b\u{FFFD}c😀d\u{FFFD}A");
    }

    #[test]
    fn escaped_backslashes_are_not_escapes() {
        assert_eq!(replace_lone_surrogates(r#"{"t":"\\ud800"}"#), None);
        assert_eq!(replace_lone_surrogates(r#"{"t":"x"} \ud800"#), None);
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        let mut body = br#"{"jsonrpc":"2.0","method":"x","params":{"t":""#.to_vec();
        body.extend([0xff, 0xfe]);
        body.extend(br#""}}"#);
        let Verdict::Forward { body, repaired, .. } = classify(&body) else {
            panic!()
        };
        assert!(repaired);
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["params"]["t"], "\u{FFFD}\u{FFFD}");
    }
}

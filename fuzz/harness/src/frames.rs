//! `frames`: the editor's bytes as prp-lsp's transport reads them (`prp-wire`): cut into
//! frames, each body classified, forwarded to the protocol library or answered.

use prp_wire::{classify, FrameReader, Incoming, Verdict, INVALID_REQUEST, MAX_BODY, PARSE_ERROR};
use serde_json::Value;
use tower_lsp_server::jsonrpc::{Request, Response};

/// What the transport did with one frame.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// Passed on to the library (the body as passed).
    Forwarded(Vec<u8>),
    /// Answered with this JSON-RPC error code.
    Answered(i64),
    /// A response nobody can be told about, dropped.
    Dropped,
}

/// The first byte sets the size of the reads (1 to 64 bytes, as a pipe may deliver them);
/// the rest is the stream. It is read once whole and once in those pieces:
/// - reading never panics and ends: every frame is at most `MAX_BODY`, and frames hold at
///   most twice the stream's bytes (a body resumed inside is read again once, never more);
/// - how the reads split the stream changes nothing the transport does;
/// - a forwarded body is what the library reads (a `Request` when it has a method, else a
///   `Response`): the library ends the server on anything else;
/// - an answer is a JSON-RPC error with a parse-error or invalid-request code and an id
///   that is `null`, a number or a string.
pub fn frames(data: &[u8]) {
    let Some((&size, stream)) = data.split_first() else {
        return;
    };
    let whole = transport(stream, stream.len().max(1));
    let pieces = transport(stream, usize::from(size % 64) + 1);
    assert_eq!(
        whole,
        pieces,
        "reads of {} bytes changed what the transport did",
        size % 64 + 1
    );
}

/// What the transport does with `stream` read `piece` bytes at a time.
fn transport(stream: &[u8], piece: usize) -> Vec<Outcome> {
    let mut reader = FrameReader::default();
    let mut outcomes = Vec::new();
    let mut framed = 0;
    for read in stream.chunks(piece) {
        reader.push(read);
        while let Some(incoming) = reader.next_incoming() {
            let Incoming::Frame(body) = incoming else {
                continue;
            };
            assert!(body.len() <= MAX_BODY, "a frame over the limit");
            framed += body.len();
            // A body put back (below) is read twice, never more than the whole stream each.
            assert!(
                framed <= stream.len() * 2,
                "frames hold more bytes than the stream"
            );
            let outcome = match classify(&body) {
                Verdict::Forward { body, method, .. } => {
                    forwarded_is_readable(&body, method.as_deref());
                    Outcome::Forwarded(body.into_owned())
                }
                Verdict::Answer(answer) => {
                    let code = answered(&answer);
                    reader.answered(&body, &answer);
                    Outcome::Answered(code)
                }
                Verdict::Drop(_) => Outcome::Dropped,
            };
            outcomes.push(outcome);
        }
    }
    let _ = reader.finish();
    outcomes
}

fn forwarded_is_readable(body: &[u8], method: Option<&str>) {
    let text = std::str::from_utf8(body).expect("a forwarded body is UTF-8");
    match method {
        Some(method) => {
            let request: Request = serde_json::from_str(text)
                .unwrap_or_else(|e| panic!("a forwarded request the library cannot read: {e}"));
            assert_eq!(
                request.method(),
                method,
                "the method read is not the library's"
            );
        }
        None => {
            let _: Response = serde_json::from_str(text)
                .unwrap_or_else(|e| panic!("a forwarded response the library cannot read: {e}"));
        }
    }
}

/// The error code of an answer, after checking its shape.
fn answered(answer: &Value) -> i64 {
    assert_eq!(answer["jsonrpc"], "2.0", "{answer}");
    assert!(
        matches!(
            answer["id"],
            Value::Null | Value::Number(_) | Value::String(_)
        ),
        "{answer}"
    );
    let code = answer["error"]["code"].as_i64().expect("an error code");
    assert!(
        code == PARSE_ERROR || code == INVALID_REQUEST,
        "unexpected code {code}"
    );
    assert!(answer["error"]["message"].is_string(), "{answer}");
    code
}

//! Large document texts taken out of their frame before the protocol library decodes it.
//!
//! tower-lsp-server reads a frame through the in-memory pipe into its own buffer, decodes it
//! into an untagged message (the text copied into serde's buffer on the way), then into a
//! JSON value, then into the handler's params. Behind a 46 MB `didOpen` that was about
//! 95 ms before any request queued after it could be read, on top of this layer's own
//! checks. A `didOpen`/`didChange` of at least [`LIFT_FROM`] bytes is therefore decoded
//! once, here: its texts wait in [`LiftedTexts`] and the library gets the same notification
//! with those texts empty, which the handler fills back in ([`LiftedTexts::restore_open`],
//! [`LiftedTexts::restore_change`]) before it reads them. Anything unusual about the frame
//! (a request id, a lone surrogate, invalid UTF-8, unknown shape) leaves it to the usual
//! path, which checks, repairs or answers it.

use std::sync::Mutex;

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::{DidChangeTextDocumentParams, DidOpenTextDocumentParams};

/// Frames from this size on are worth decoding here.
pub const LIFT_FROM: usize = 1 << 20;

/// A change text from this size on is lifted out of a large `didChange`.
const LIFT_CHANGE_FROM: usize = 64 * 1024;

/// Texts not claimed by a handler (a notification the library dropped, say before
/// `initialize`) are forgotten past this many, oldest first.
const KEEP: usize = 8;

/// Which text of which notification: the document, its version, the change's index
/// (0 for `didOpen`).
type Key = (String, i32, usize);

/// Texts lifted out of frames, waiting for their handler.
#[derive(Default)]
pub struct LiftedTexts(Mutex<Vec<(Key, String)>>);

impl LiftedTexts {
    fn put(&self, key: Key, text: String) {
        let mut texts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if texts.len() >= KEEP {
            texts.remove(0);
        }
        texts.push((key, text));
    }

    fn take(&self, uri: &str, version: i32, index: usize) -> Option<String> {
        let mut texts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let at = texts
            .iter()
            .position(|((u, v, i), _)| u == uri && *v == version && *i == index)?;
        Some(texts.remove(at).1)
    }

    /// Puts back the text this layer took out of a `didOpen`.
    pub fn restore_open(&self, params: &mut DidOpenTextDocumentParams) {
        let doc = &mut params.text_document;
        if doc.text.is_empty() {
            if let Some(text) = self.take(doc.uri.as_str(), doc.version, 0) {
                doc.text = text;
            }
        }
    }

    /// Puts back the texts this layer took out of a `didChange`.
    pub fn restore_change(&self, params: &mut DidChangeTextDocumentParams) {
        let (uri, version) = (
            params.text_document.uri.as_str(),
            params.text_document.version,
        );
        for (index, change) in params.content_changes.iter_mut().enumerate() {
            if change.text.is_empty() {
                if let Some(text) = self.take(uri, version, index) {
                    change.text = text;
                }
            }
        }
    }

    /// Forgets what waits for a document the editor closed.
    pub fn forget(&self, uri: &str) {
        let mut texts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        texts.retain(|((u, _, _), _)| u != uri);
    }
}

/// A notification as the library reads it; `id` only to tell a request apart.
#[derive(Deserialize, Serialize)]
struct Notification<P> {
    jsonrpc: String,
    method: String,
    params: P,
    #[serde(default, skip_serializing)]
    id: Option<IgnoredAny>,
}

const DID_OPEN: &str = "textDocument/didOpen";
const DID_CHANGE: &str = "textDocument/didChange";

/// The frame to pass on instead of `body`, with its large texts moved into `texts`;
/// `None` to treat `body` as usual.
pub fn lift(body: &[u8], texts: &LiftedTexts) -> Option<Vec<u8>> {
    if body.len() < LIFT_FROM {
        return None;
    }
    if memchr::memmem::find(body, DID_OPEN.as_bytes()).is_some() {
        let mut message: Notification<DidOpenTextDocumentParams> =
            serde_json::from_slice(body).ok()?;
        if !is_notification(&message, DID_OPEN) {
            return None;
        }
        let doc = &mut message.params.text_document;
        texts.put(
            (doc.uri.as_str().to_string(), doc.version, 0),
            std::mem::take(&mut doc.text),
        );
        return serde_json::to_vec(&message).ok();
    }
    if memchr::memmem::find(body, DID_CHANGE.as_bytes()).is_some() {
        let mut message: Notification<DidChangeTextDocumentParams> =
            serde_json::from_slice(body).ok()?;
        if !is_notification(&message, DID_CHANGE) {
            return None;
        }
        let doc = &message.params.text_document;
        let (uri, version) = (doc.uri.as_str().to_string(), doc.version);
        for (index, change) in message.params.content_changes.iter_mut().enumerate() {
            if change.text.len() >= LIFT_CHANGE_FROM {
                texts.put(
                    (uri.clone(), version, index),
                    std::mem::take(&mut change.text),
                );
            }
        }
        return serde_json::to_vec(&message).ok();
    }
    None
}

fn is_notification<P>(message: &Notification<P>, method: &str) -> bool {
    message.jsonrpc == "2.0" && message.method == method && message.id.is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn big(n: usize) -> String {
        "- [ ] a task \"quoted\" \\ é\n".repeat(n / 25 + 1)
    }

    fn open_frame(text: &str) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "jsonrpc": "2.0",
            "method": DID_OPEN,
            "params": {"textDocument": {
                "uri": "file:///w/TASK.md", "languageId": "markdown", "version": 3, "text": text,
            }},
        }))
        .unwrap()
    }

    #[test]
    fn a_large_did_open_arrives_whole_through_the_handler() {
        let texts = LiftedTexts::default();
        let text = big(LIFT_FROM);
        let small = lift(&open_frame(&text), &texts).expect("lifted");
        assert!(small.len() < 300, "{}", String::from_utf8_lossy(&small));
        let mut message: Notification<DidOpenTextDocumentParams> =
            serde_json::from_slice(&small).unwrap();
        assert!(message.params.text_document.text.is_empty());
        texts.restore_open(&mut message.params);
        assert_eq!(message.params.text_document.text, text);
        // Claimed once: a later empty didOpen of the same version stays empty.
        let mut again: Notification<DidOpenTextDocumentParams> =
            serde_json::from_slice(&small).unwrap();
        texts.restore_open(&mut again.params);
        assert!(again.params.text_document.text.is_empty());
    }

    #[test]
    fn large_change_texts_are_lifted_and_small_ones_stay() {
        let texts = LiftedTexts::default();
        let text = big(LIFT_FROM);
        let frame = serde_json::to_vec(&json!({
            "jsonrpc": "2.0",
            "method": DID_CHANGE,
            "params": {
                "textDocument": {"uri": "file:///w/TASK.md", "version": 7},
                "contentChanges": [
                    {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}, "text": "x"},
                    {"text": text},
                    {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": ""},
                ],
            },
        }))
        .unwrap();
        let small = lift(&frame, &texts).expect("lifted");
        let mut message: Notification<DidChangeTextDocumentParams> =
            serde_json::from_slice(&small).unwrap();
        let changes = &message.params.content_changes;
        assert_eq!(
            (changes[0].text.as_str(), changes[1].text.as_str()),
            ("x", "")
        );
        texts.restore_change(&mut message.params);
        let restored: Vec<&str> = message
            .params
            .content_changes
            .iter()
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(restored, ["x", text.as_str(), ""]);
    }

    #[test]
    fn what_is_not_a_plain_large_notification_takes_the_usual_path() {
        let texts = LiftedTexts::default();
        let text = big(LIFT_FROM);
        // Small frames, requests, other methods, lone surrogates, broken JSON.
        assert!(lift(&open_frame("short"), &texts).is_none());
        let mut request: Value = serde_json::from_slice(&open_frame(&text)).unwrap();
        request["id"] = json!(1);
        assert!(lift(&serde_json::to_vec(&request).unwrap(), &texts).is_none());
        let mut other = request.clone();
        other.as_object_mut().unwrap().remove("id");
        other["method"] = json!("textDocument/didSave");
        assert!(lift(&serde_json::to_vec(&other).unwrap(), &texts).is_none());
        let surrogate = String::from_utf8(open_frame(&text))
            .unwrap()
            .replacen("- [ ]", "\\ud800", 1);
        assert!(lift(surrogate.as_bytes(), &texts).is_none());
        let cut = open_frame(&text);
        assert!(lift(&cut[..cut.len() - 2], &texts).is_none());
        assert!(texts.0.lock().unwrap().is_empty());
    }

    #[test]
    fn unclaimed_texts_are_bounded_and_forgotten_on_close() {
        let texts = LiftedTexts::default();
        for version in 0..20 {
            texts.put(("file:///w/a.md".into(), version, 0), "x".into());
        }
        assert_eq!(texts.0.lock().unwrap().len(), KEEP);
        texts.forget("file:///w/a.md");
        assert!(texts.0.lock().unwrap().is_empty());
    }
}

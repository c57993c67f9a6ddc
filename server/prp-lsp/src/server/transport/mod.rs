//! The wire between the editor and the protocol library. tower-lsp-server stops reading
//! after the first frame it cannot decode (its framed reader ends on an error), so one bad
//! byte sequence would end the server and silently take the user's diagnostics with it.
//! This layer sits in front of it: it cuts stdin into frames itself, answers what is not a
//! message, repairs what real clients send (lone surrogates, invalid UTF-8), and passes only
//! clean frames on through an in-memory pipe. The library's output comes back through a
//! second pipe so that the answers written here never land inside one of its frames.
//! It also keeps the LSP exit code: 0 only when `shutdown` came before `exit`.

mod lift;

use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

pub use lift::LiftedTexts;
use prp_wire::{classify, FrameReader, Incoming, Verdict};

const CHUNK: usize = 64 * 1024;
const PIPE: usize = 256 * 1024;

/// One frame on the wire.
fn encode(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn log_message(kind: u8, message: String) -> Value {
    json!({
        "jsonrpc": "2.0",
        "method": "window/logMessage",
        "params": { "type": kind, "message": message },
    })
}

const WARNING: u8 = 2;

/// How the conversation ended.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Ending {
    pub shutdown: bool,
    pub exit: bool,
}

impl Ending {
    /// LSP: 0 after `shutdown` then `exit`, 1 otherwise (the client went away or skipped
    /// the shutdown).
    pub fn exit_code(self) -> i32 {
        if self.shutdown {
            0
        } else {
            1
        }
    }
}

/// Reads the client's bytes from `input` and hands clean frames to the library through
/// `to_server`; answers and log lines go to `out`. Returns when the client sent `exit` or
/// closed its end.
pub async fn pump_input(
    mut input: impl AsyncRead + Unpin,
    mut to_server: impl AsyncWrite + Unpin,
    out: mpsc::Sender<Vec<u8>>,
    lifted: std::sync::Arc<LiftedTexts>,
) -> Ending {
    let mut reader = FrameReader::default();
    let mut ending = Ending::default();
    let mut chunk = vec![0u8; CHUNK];
    let send = |value: Value| {
        let out = out.clone();
        async move {
            let _ = out.send(encode(value.to_string().as_bytes())).await;
        }
    };
    'reading: loop {
        let n = match input.read(&mut chunk).await {
            Ok(0) | Err(_) => {
                if let Some(Incoming::Skipped(why)) = reader.finish() {
                    send(prp_wire::error_response(
                        Value::Null,
                        prp_wire::PARSE_ERROR,
                        format!("skipped {why}"),
                    ))
                    .await;
                }
                break;
            }
            Ok(n) => n,
        };
        reader.push(&chunk[..n]);
        while let Some(incoming) = reader.next_incoming() {
            let body = match incoming {
                Incoming::Frame(body) => body,
                Incoming::Skipped(why) => {
                    send(prp_wire::error_response(
                        Value::Null,
                        prp_wire::PARSE_ERROR,
                        format!("skipped {why}"),
                    ))
                    .await;
                    continue;
                }
            };
            let lifted_frame = lift::lift(&body, &lifted);
            let verdict = match &lifted_frame {
                Some(small) => Verdict::Forward {
                    body: small.as_slice().into(),
                    method: None,
                    repaired: false,
                },
                None => classify(&body),
            };
            match verdict {
                Verdict::Forward {
                    body: clean,
                    method,
                    repaired,
                } => {
                    if repaired {
                        send(log_message(
                            WARNING,
                            "prp-lsp: a message held text that is not valid Unicode (a lone surrogate or invalid UTF-8); it was replaced with U+FFFD".into(),
                        ))
                        .await;
                    }
                    // Header and body written apart: copying a large body into one frame
                    // buffer cost tens of milliseconds in front of every later request.
                    let header = format!("Content-Length: {}\r\n\r\n", clean.len());
                    if to_server.write_all(header.as_bytes()).await.is_err()
                        || to_server.write_all(&clean).await.is_err()
                    {
                        break 'reading;
                    }
                    match method.as_deref() {
                        Some("shutdown") => ending.shutdown = true,
                        Some("exit") => {
                            ending.exit = true;
                            break 'reading;
                        }
                        _ => {}
                    }
                }
                Verdict::Answer(answer) => {
                    // A declared length longer than the body swallows the next header:
                    // read again from there.
                    reader.answered(&body, &answer);
                    send(answer).await;
                }
                Verdict::Drop(why) => {
                    send(log_message(
                        WARNING,
                        format!("prp-lsp: ignored a response from the editor: {why}"),
                    ))
                    .await;
                }
            }
        }
    }
    let _ = to_server.shutdown().await;
    ending
}

/// Passes the library's frames on to `out`, whole.
pub async fn pump_output(mut from_server: impl AsyncRead + Unpin, out: mpsc::Sender<Vec<u8>>) {
    let mut reader = FrameReader::default();
    let mut chunk = vec![0u8; CHUNK];
    while let Ok(n) = from_server.read(&mut chunk).await {
        if n == 0 {
            break;
        }
        reader.push(&chunk[..n]);
        while let Some(incoming) = reader.next_incoming() {
            if let Incoming::Frame(body) = incoming {
                if out.send(encode(&body)).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Writes frames to the client in the order they were queued.
pub async fn write_output(
    mut output: impl AsyncWrite + Unpin,
    mut frames: mpsc::Receiver<Vec<u8>>,
) {
    while let Some(frame) = frames.recv().await {
        if output.write_all(&frame).await.is_err() {
            return;
        }
        // Everything queued so far goes out before the flush.
        while let Ok(more) = frames.try_recv() {
            if output.write_all(&more).await.is_err() {
                return;
            }
        }
        if output.flush().await.is_err() {
            return;
        }
    }
}

/// Frames the server writes to the client itself, in the queue the library's output joins:
/// a frame queued here before a handler returns is on the wire before that handler's answer.
/// (The library's own client handle gives no such order between notifications and answers.)
#[derive(Clone)]
pub struct Outbox(mpsc::Sender<Vec<u8>>);

impl Outbox {
    /// The queue of frames to the client, and its receiving end for [`serve`].
    pub fn new() -> (Outbox, mpsc::Receiver<Vec<u8>>) {
        let (frames, queued) = mpsc::channel(256);
        (Outbox(frames), queued)
    }

    /// Queues a notification; returns once it is in the queue. `params` is written straight
    /// to JSON text (no `Value` tree in between: a workspace pull sends thousands of reports).
    pub async fn notify(&self, method: &str, params: impl serde::Serialize) {
        #[derive(serde::Serialize)]
        struct Notification<'a, P> {
            jsonrpc: &'static str,
            method: &'a str,
            params: P,
        }
        let message = Notification {
            jsonrpc: "2.0",
            method,
            params,
        };
        if let Ok(body) = serde_json::to_vec(&message) {
            let _ = self.0.send(encode(&body)).await;
        }
    }
}

/// Serves `service` over `input`/`output` through the guard; returns the process exit code.
/// `outbox` and `queued` are the two ends of [`Outbox::new`].
pub async fn serve(
    input: impl AsyncRead + Unpin + Send + 'static,
    output: impl AsyncWrite + Unpin + Send + 'static,
    service: tower_lsp_server::LspService<super::Backend>,
    socket: tower_lsp_server::ClientSocket,
    (outbox, queued): (Outbox, mpsc::Receiver<Vec<u8>>),
    lifted: std::sync::Arc<LiftedTexts>,
) -> i32 {
    let (server_input, to_server) = tokio::io::duplex(PIPE);
    let (server_output, from_server) = tokio::io::duplex(PIPE);
    let frames = outbox.0;
    let writer = tokio::spawn(write_output(output, queued));
    let relay = tokio::spawn(pump_output(from_server, frames.clone()));
    let reading = tokio::spawn(pump_input(input, to_server, frames, lifted));
    let serving = tokio::spawn(
        tower_lsp_server::Server::new(server_input, server_output, socket).serve(service),
    );
    let ending = reading.await.unwrap_or_default();
    // Answers to requests still running are written if they come soon; a request waiting
    // on an editor that has gone does not keep the process alive.
    let _ = tokio::time::timeout(GRACE, serving).await;
    let _ = tokio::time::timeout(GRACE, async {
        let _ = relay.await;
        let _ = writer.await;
    })
    .await;
    ending.exit_code()
}

/// How long the server may take to finish after the editor said `exit` or went away.
const GRACE: std::time::Duration = std::time::Duration::from_secs(2);

//! Cutting a byte stream into LSP frames (`Content-Length: N\r\n\r\n` + N bytes) without
//! ever giving up on the stream: a header that cannot be read, a length that is negative,
//! absurd or missing, or bytes that are no header at all are reported once and skipped up to
//! the next `Content-Length:` header, where reading resumes.

/// The largest body accepted. Far above any real document (a 50 MB PRP is about 55 MB as
/// JSON); a larger declared length is treated as a broken header, not waited for.
pub const MAX_BODY: usize = 256 * 1024 * 1024;
/// The largest header block: real ones are under 100 bytes.
const MAX_HEADER: usize = 8 * 1024;
const CONTENT_LENGTH: &[u8] = b"content-length:";
/// From this size a body takes over the read buffer rather than being copied out of it.
const LARGE_BODY: usize = 1024 * 1024;

#[derive(Debug, PartialEq, Eq)]
pub enum Incoming {
    /// A delimited body (not yet known to be JSON).
    Frame(Vec<u8>),
    /// Input that was skipped, and why (in words for the log).
    Skipped(String),
}

/// Incremental frame reader: feed bytes with [`push`](Self::push), take frames with
/// [`next_incoming`](Self::next_incoming).
#[derive(Default)]
pub struct FrameReader {
    buf: Vec<u8>,
    /// Start of the unread part of `buf` (compacted lazily so reading stays linear).
    start: usize,
    /// Bytes dropped since the last frame while looking for a header.
    skipped: usize,
    /// Set after a broken header: the bytes up to the next header are its body, already
    /// reported with it.
    quiet: bool,
    /// Where in the stream `buf[start]` is (bytes read again keep their first position).
    at: u64,
    /// Where in the stream the body of the last frame began.
    last_body: u64,
    /// The end of the last body reading resumed inside: bytes before it are read again at
    /// most once.
    read_again_to: u64,
}

impl FrameReader {
    pub fn push(&mut self, bytes: &[u8]) {
        if self.start > 0 && self.start * 2 >= self.buf.len() {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// After the last frame was answered with `answer` instead of being passed on: a body
    /// that was not JSON (a parse error) may hide the next message's header, read again
    /// from there ([`resume_inside`](Self::resume_inside)).
    pub fn answered(&mut self, body: &[u8], answer: &serde_json::Value) {
        if answer["error"]["code"] == crate::PARSE_ERROR {
            self.resume_inside(body);
        }
    }

    /// After the last frame's body turned out not to be JSON: its declared length may have
    /// been too long and swallowed the next message's header, so reading resumes at a header
    /// inside it. Not inside bytes already read again: a chain of too-long lengths, each
    /// body holding the next header, would otherwise read the stream over and over
    /// (quadratic in its length).
    pub fn resume_inside(&mut self, body: &[u8]) {
        // The first header past what was already read again (the body may begin inside it).
        let from = self.read_again_to.saturating_sub(self.last_body);
        let Some(at) = usize::try_from(from)
            .ok()
            .and_then(|from| find_ignore_case(body, CONTENT_LENGTH, from))
        else {
            return;
        };
        let header = self.last_body + at as u64;
        self.read_again_to = self.last_body + body.len() as u64;
        let tail = &body[at..];
        // A body copied out of the buffer is still there, just before `start`.
        if self.start >= tail.len() && self.buf[self.start - tail.len()..self.start] == *tail {
            self.start -= tail.len();
        } else {
            self.unread(tail);
        }
        self.at = header;
    }

    /// Puts bytes back in front of the unread input (the tail of a frame that turned out to
    /// hold the next header).
    fn unread(&mut self, bytes: &[u8]) {
        let rest = self.buf.split_off(self.start);
        self.buf.clear();
        self.buf.extend_from_slice(bytes);
        self.buf.extend_from_slice(&rest);
        self.start = 0;
    }

    /// Moves past `n` bytes of the unread input.
    fn advance(&mut self, n: usize) {
        self.start += n;
        self.at += n as u64;
    }

    fn pending(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    /// The next frame or skipped stretch; `None` until more input arrives.
    pub fn next_incoming(&mut self) -> Option<Incoming> {
        loop {
            // Blank lines between frames are tolerated silently.
            let blank = self
                .pending()
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            self.advance(blank);
            let pending = self.pending();
            if pending.is_empty() {
                return None;
            }
            // Inside skipped input only `Content-Length` resumes reading, wherever the reads
            // happen to end: read whole, skipping runs to the next `Content-Length`, and a
            // kept tail that starts another header line must not pass for a message's start.
            let names = if self.skipped > 0 {
                &HEADER_NAMES[..1]
            } else {
                &HEADER_NAMES[..]
            };
            if !starts_with_header(pending, names) {
                if could_become_header(pending, names) {
                    return None;
                }
                match find_ignore_case(pending, CONTENT_LENGTH, 1) {
                    Some(at) => {
                        self.advance(at);
                        self.skipped += at;
                        if let Some(skipped) = self.take_skipped() {
                            return Some(skipped);
                        }
                        continue;
                    }
                    None => {
                        // Keep a tail that may be the start of a header split across reads.
                        let keep = (CONTENT_LENGTH.len() - 1).min(pending.len());
                        let drop = pending.len() - keep;
                        self.advance(drop);
                        self.skipped += drop;
                        return None;
                    }
                }
            }
            let Some((header_len, block_len)) = header_end(pending) else {
                // Only once the whole window `header_end` reads is there, so that where the
                // reads end never decides whether a header is too long.
                if pending.len() >= MAX_HEADER + 4 {
                    return Some(self.broken_header("a header that never ends".into(), 1));
                }
                return None;
            };
            let header = &pending[..header_len];
            let length = match content_length(header) {
                Ok(n) if n <= MAX_BODY => n,
                Ok(n) => {
                    return Some(self.broken_header(
                        format!("a message of {n} bytes, over the limit of {MAX_BODY}"),
                        block_len,
                    ))
                }
                Err(why) => return Some(self.broken_header(why, block_len)),
            };
            if pending.len() < block_len + length {
                return None;
            }
            let body_at = self.at + block_len as u64;
            let body = if length >= LARGE_BODY {
                // Hand over the buffer instead of copying a large body out of it; only what
                // follows the body is copied into a fresh buffer.
                let end = self.start + block_len + length;
                let rest = self.buf.split_off(end);
                let mut body = std::mem::replace(&mut self.buf, rest);
                body.drain(..end - length);
                self.start = 0;
                self.at += (block_len + length) as u64;
                body
            } else {
                let body = pending[block_len..block_len + length].to_vec();
                self.advance(block_len + length);
                body
            };
            self.last_body = body_at;
            self.quiet = false;
            self.skipped = 0;
            return Some(Incoming::Frame(body));
        }
    }

    /// At the end of input: what was left unread, if anything.
    pub fn finish(&mut self) -> Option<Incoming> {
        self.skipped += self.pending().len();
        self.advance(self.pending().len());
        self.take_skipped()
    }

    /// Reports skipped bytes once, unless they belong to a broken header already reported.
    fn take_skipped(&mut self) -> Option<Incoming> {
        let skipped = std::mem::take(&mut self.skipped);
        if skipped == 0 || std::mem::take(&mut self.quiet) {
            return None;
        }
        Some(Incoming::Skipped(format!(
            "{skipped} byte(s) that are not an LSP message (no `Content-Length` header)"
        )))
    }

    /// Drops a header that cannot be used; what follows it is skipped up to the next header.
    fn broken_header(&mut self, why: String, consumed: usize) -> Incoming {
        self.advance(consumed);
        self.skipped = 0;
        self.quiet = true;
        Incoming::Skipped(why)
    }
}

/// The header lines the protocol knows, `Content-Length` first.
const HEADER_NAMES: [&[u8]; 2] = [CONTENT_LENGTH, b"content-type:"];

/// Whether `bytes` begin with one of the header lines `names`.
fn starts_with_header(bytes: &[u8], names: &[&[u8]]) -> bool {
    names
        .iter()
        .any(|h| bytes.len() >= h.len() && bytes[..h.len()].eq_ignore_ascii_case(h))
}

/// Whether `bytes` are shorter than one of the header names and could still become it.
fn could_become_header(bytes: &[u8], names: &[&[u8]]) -> bool {
    names
        .iter()
        .any(|h| bytes.len() < h.len() && h[..bytes.len()].eq_ignore_ascii_case(bytes))
}

/// The header's length without its terminating blank line, and with it. Lines may end in
/// `\r\n` (the protocol) or a bare `\n` (tolerated).
fn header_end(bytes: &[u8]) -> Option<(usize, usize)> {
    let window = &bytes[..bytes.len().min(MAX_HEADER + 4)];
    let mut line_start = 0;
    for (i, &b) in window.iter().enumerate() {
        if b != b'\n' {
            continue;
        }
        let line = &window[line_start..i];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return Some((line_start, i + 1));
        }
        line_start = i + 1;
    }
    None
}

/// The `Content-Length` of a header block, or what is wrong with it.
fn content_length(header: &[u8]) -> Result<usize, String> {
    let mut length = None;
    for line in header.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return Err(format!(
                "a header line without a colon: `{}`",
                String::from_utf8_lossy(line)
            ));
        };
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        if name.eq_ignore_ascii_case(b"content-length") {
            let value = String::from_utf8_lossy(value);
            let value = value.trim();
            length = Some(value.parse::<usize>().map_err(|_| {
                format!("a `Content-Length` of `{value}`, which is not a byte count")
            })?);
        }
    }
    length.ok_or_else(|| "a header without `Content-Length`".to_string())
}

/// First case-insensitive occurrence of `needle` (lowercase ASCII) at or after `from`.
fn find_ignore_case(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let rest = haystack.get(from..)?;
    let first = needle[0];
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), rest)
        .map(|i| i + from)
        .find(|&i| {
            haystack
                .get(i..i + needle.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(needle))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    fn all(input: &[u8]) -> Vec<Incoming> {
        let mut reader = FrameReader::default();
        reader.push(input);
        let mut out = Vec::new();
        while let Some(i) = reader.next_incoming() {
            out.push(i);
        }
        out.extend(reader.finish());
        out
    }

    fn body(s: &str) -> Incoming {
        Incoming::Frame(s.as_bytes().to_vec())
    }

    #[test]
    fn frames_in_one_read_and_split_byte_by_byte() {
        let mut input = frame("{\"a\":1}");
        input.extend(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: 2\r\n\r\n{}");
        assert_eq!(all(&input), vec![body("{\"a\":1}"), body("{}")]);
        let mut reader = FrameReader::default();
        let mut out = Vec::new();
        for b in &input {
            reader.push(std::slice::from_ref(b));
            while let Some(i) = reader.next_incoming() {
                out.push(i);
            }
        }
        assert_eq!(out, vec![body("{\"a\":1}"), body("{}")]);
    }

    #[test]
    fn large_bodies_come_out_whole_between_small_frames() {
        let large = "x".repeat(LARGE_BODY + 7);
        let mut input = b"junk".to_vec();
        input.extend(frame("{}"));
        input.extend(frame(&large));
        input.extend(frame("[1]"));
        input.extend(frame(&large));
        let expected = vec![body("{}"), body(&large), body("[1]"), body(&large)];
        for chunk in [input.len(), 64 * 1024, 1000] {
            let mut reader = FrameReader::default();
            let mut out = Vec::new();
            for piece in input.chunks(chunk) {
                reader.push(piece);
                while let Some(i) = reader.next_incoming() {
                    out.push(i);
                }
            }
            out.retain(|i| matches!(i, Incoming::Frame(_)));
            assert!(out == expected, "read in chunks of {chunk}");
        }
    }

    #[test]
    fn garbage_before_a_frame_is_skipped_once() {
        let mut input = b"hello world\r\n\r\nmore junk".to_vec();
        input.extend(frame("{}"));
        let out = all(&input);
        assert!(
            matches!(&out[0], Incoming::Skipped(why) if why.contains("24 byte")),
            "{out:?}"
        );
        assert_eq!(out[1..], [body("{}")]);
    }

    #[test]
    fn bad_lengths_are_reported_and_reading_resumes_at_the_next_header() {
        for bad in ["-5", "abc", "99999999999999", ""] {
            let mut input = format!("Content-Length: {bad}\r\n\r\n{{\"x\":1}}").into_bytes();
            input.extend(frame("{}"));
            let out = all(&input);
            assert_eq!(out.len(), 2, "{bad}: {out:?}");
            assert!(matches!(&out[0], Incoming::Skipped(_)));
            assert_eq!(out[1], body("{}"), "{bad}");
        }
        let out = all(b"Content-Type: x\r\n\r\n");
        assert!(matches!(&out[0], Incoming::Skipped(why) if why.contains("without")));
    }

    #[test]
    fn a_header_that_never_ends_is_dropped() {
        let mut input = b"Content-Length: 5\r\nX-Long: ".to_vec();
        input.extend(vec![b'a'; MAX_HEADER + 10]);
        input.extend(frame("{}"));
        let out = all(&input);
        assert!(out.contains(&body("{}")), "{out:?}");
    }

    #[test]
    fn unread_bytes_are_read_again_first() {
        let mut reader = FrameReader::default();
        reader.push(&frame("{}"));
        reader.unread(&frame("[]"));
        assert_eq!(reader.next_incoming(), Some(body("[]")));
        assert_eq!(reader.next_incoming(), Some(body("{}")));
    }

    /// The frames of `input` read in pieces of `size` bytes.
    fn frames_in_pieces(input: &[u8], size: usize) -> Vec<Incoming> {
        let mut reader = FrameReader::default();
        let mut out = Vec::new();
        for piece in input.chunks(size) {
            reader.push(piece);
            out.extend(std::iter::from_fn(|| reader.next_incoming()));
        }
        out.extend(reader.finish());
        out.retain(|i| matches!(i, Incoming::Frame(_)));
        out
    }

    #[test]
    fn how_reads_split_the_input_never_changes_the_frames() {
        // Junk whose kept tail starts a `Content-Type` line that belongs to no message (a
        // line without a colon follows it): read whole, the junk runs to the next
        // `Content-Length`; read in pieces, the tail once passed for a header of its own.
        let input = b"0123456789Content-Type:X\r\nno colon\r\nContent-Length: 2\r\n\r\n{}";
        let whole = frames_in_pieces(input, input.len());
        assert_eq!(whole, vec![body("{}")]);
        for size in 1..input.len() {
            assert_eq!(
                frames_in_pieces(input, size),
                whole,
                "read {size} bytes at a time"
            );
        }
    }

    /// Frames of `input` as the transport takes them: after a body that is not JSON,
    /// reading resumes inside it. Returns the frames and how many body bytes they held.
    fn frames_resuming(input: &[u8], size: usize) -> (Vec<Incoming>, usize) {
        let mut reader = FrameReader::default();
        let (mut out, mut bytes) = (Vec::new(), 0);
        for piece in input.chunks(size) {
            reader.push(piece);
            while let Some(incoming) = reader.next_incoming() {
                if let Incoming::Frame(body) = &incoming {
                    bytes += body.len();
                    if serde_json::from_slice::<serde_json::Value>(body).is_err() {
                        reader.resume_inside(body);
                    }
                    out.push(incoming);
                }
            }
        }
        (out, bytes)
    }

    #[test]
    fn a_length_too_long_gives_back_the_header_it_swallowed() {
        let mut input = b"Content-Length: 40\r\n\r\n{\"a\":".to_vec();
        input.extend(frame("{\"b\":2}"));
        input.extend(frame("{\"c\":3}"));
        for size in [1, 7, input.len()] {
            let (out, _) = frames_resuming(&input, size);
            assert_eq!(
                out[1..],
                [body("{\"b\":2}"), body("{\"c\":3}")],
                "reads of {size}"
            );
        }
    }

    #[test]
    fn a_header_ending_just_inside_the_limit_is_read_whatever_the_reads() {
        let mut input = b"Content-Length: 2\r\nX: ".to_vec();
        input.extend(vec![b'a'; MAX_HEADER - 22]);
        input.extend(b"\r\n\r\n{}");
        let whole = frames_in_pieces(&input, input.len());
        assert_eq!(whole, vec![body("{}")]);
        for size in [1, 5, 4096] {
            assert_eq!(frames_in_pieces(&input, size), whole, "reads of {size}");
        }
    }

    #[test]
    fn a_header_past_the_bytes_read_again_is_still_found() {
        // A swallows B's header and the start of B's body; B's body holds a header-like
        // line first (inside what is read again) and swallows C's header after it.
        let c = frame("{\"c\":3}");
        let b_body = format!(
            "[\"content-length: 1\r\n\r\n\", {}",
            String::from_utf8(c.clone()).unwrap()
        );
        let b = format!("Content-Length: {}\r\n\r\n{b_body}", b_body.len() + 10);
        let a = format!("Content-Length: {}\r\n\r\n[", 1 + b.len() - c.len() - 5);
        let mut input = a.into_bytes();
        input.extend(b.as_bytes());
        input.extend(vec![b' '; 20]);
        for size in [1, 3, input.len()] {
            let (out, _) = frames_resuming(&input, size);
            assert!(out.contains(&body("{\"c\":3}")), "reads of {size}: {out:?}");
        }
    }

    #[test]
    fn a_large_body_gives_back_the_header_it_swallowed() {
        // Above LARGE_BODY the body leaves the buffer: the header is put back by copying.
        let mut input = format!("Content-Length: {}\r\n\r\n[", LARGE_BODY + 100).into_bytes();
        input.extend(frame("{\"b\":2}"));
        input.extend(vec![b' '; LARGE_BODY + 200]);
        input.extend(frame("{\"c\":3}"));
        for size in [64 * 1024, input.len()] {
            let (out, _) = frames_resuming(&input, size);
            let small: Vec<&Incoming> = out.iter().filter(|i| *i != &out[0]).collect();
            assert_eq!(
                small,
                [&body("{\"b\":2}"), &body("{\"c\":3}")],
                "reads of {size}"
            );
        }
    }

    #[test]
    fn lengths_that_swallow_each_other_are_read_again_once_not_over_and_over() {
        // Every header declares a length covering the next few headers: resuming at each
        // would read the stream once per header.
        let stream = |headers: usize| -> Vec<u8> {
            let mut s = Vec::new();
            for _ in 0..headers {
                s.extend(b"Content-Length: 300\r\n\r\n[[[[[[[[[[");
            }
            s.extend(vec![b' '; 300]);
            s
        };
        let (small, large) = (stream(100), stream(800));
        let (_, read_small) = frames_resuming(&small, 4096);
        let (_, read_large) = frames_resuming(&large, 4096);
        assert!(
            read_small <= 2 * small.len(),
            "{read_small} of {}",
            small.len()
        );
        assert!(
            read_large <= 2 * large.len(),
            "{read_large} of {}",
            large.len()
        );
        // Eight times the stream, at most eight times the reading (a little more for the
        // fixed tail), never sixty-four.
        assert!(read_large <= 9 * read_small, "{read_large} vs {read_small}");
    }

    #[test]
    fn bare_newlines_are_tolerated() {
        assert_eq!(all(b"Content-Length: 2\n\n{}\r\n"), vec![body("{}")]);
    }

    #[test]
    fn garbage_without_any_header_is_reported_at_the_end() {
        let out = all(b"just some text that goes on");
        assert!(matches!(&out[..], [Incoming::Skipped(_)]), "{out:?}");
    }

    #[test]
    fn finds_headers_in_any_case() {
        assert_eq!(
            find_ignore_case(b"xxCONTENT-LENGTH: 1", CONTENT_LENGTH, 0),
            Some(2)
        );
        assert_eq!(
            find_ignore_case(b"cContent-length:", CONTENT_LENGTH, 0),
            Some(1)
        );
        assert_eq!(
            find_ignore_case(b"content-length:", CONTENT_LENGTH, 1),
            None
        );
    }
}

//! The raw-parse floor of `scripts/bench`: read and parse every `.md` file under a folder
//! with pulldown-cmark (the options prp-analysis uses) on N threads, and nothing else.
//!
//! `cargo build --release --example parse_floor -p prp-analysis`, then
//! `target/release/examples/parse_floor <folder> [--threads N]` (default 2). Prints one line,
//! `files F bytes B events E`. Hidden folders (`.git`, ...) are skipped. A measuring aid, not
//! part of the analysis core.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use pulldown_cmark::{Options, Parser};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if kind.is_dir() {
            if !entry.file_name().to_string_lossy().starts_with('.') {
                collect(&path, out);
            }
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut root = None;
    let mut threads = 2usize;
    while let Some(arg) = args.next() {
        if arg == "--threads" {
            threads = args
                .next()
                .and_then(|n| n.parse().ok())
                .filter(|&n| n > 0)
                .expect("--threads needs a positive number");
        } else {
            root = Some(PathBuf::from(arg));
        }
    }
    let root = root.expect("usage: parse_floor <folder> [--threads N]");
    let mut files = Vec::new();
    collect(&root, &mut files);
    let options = Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES;
    let next = AtomicUsize::new(0);
    let (bytes, events) = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let (mut bytes, mut events) = (0usize, 0usize);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = files.get(i) else {
                            break;
                        };
                        let Ok(raw) = std::fs::read(path) else {
                            continue;
                        };
                        bytes += raw.len();
                        let text = String::from_utf8_lossy(&raw);
                        events += Parser::new_ext(&text, options).count();
                    }
                    (bytes, events)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a parse thread panicked"))
            .fold((0, 0), |(b, e), (wb, we)| (b + wb, e + we))
    });
    println!("files {} bytes {bytes} events {events}", files.len());
}

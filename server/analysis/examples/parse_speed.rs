//! Single-threaded timing of parse and check over the Markdown files of a folder:
//! `cargo run --release -p prp-analysis --example parse_speed -- <folder>`.
//! A profiling aid for the core; `scripts/bench` measures the product.

use std::time::Instant;

use prp_analysis::{check, parse, Config, DocFacts, Workspace};

fn collect(dir: &std::path::Path, root: &std::path::Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            if let Ok(text) = std::fs::read_to_string(&path) {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, text));
            }
        }
    }
}

fn main() {
    let root = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: parse_speed <folder>"),
    );
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let config = Config::default();
    let started = Instant::now();
    let docs: Vec<_> = files.iter().map(|(p, t)| parse(p, t, &config)).collect();
    let parse_time = started.elapsed();
    let mut ws = Workspace::new();
    for (doc, (p, _)) in docs.iter().zip(&files) {
        ws.add_file(p);
        ws.update_document(p, DocFacts::of(doc));
    }
    let started = Instant::now();
    let findings: usize = docs
        .iter()
        .zip(&files)
        .map(|(d, (_, t))| check(d, t, &ws, &config).len())
        .sum();
    let check_time = started.elapsed();
    let mb = bytes as f64 / 1e6;
    println!("{} files, {mb:.1} MB", files.len());
    println!(
        "parse: {parse_time:?} ({:.0} MB/s)",
        mb / parse_time.as_secs_f64()
    );
    println!(
        "check: {check_time:?} ({:.0} MB/s), {findings} findings",
        mb / check_time.as_secs_f64()
    );
}

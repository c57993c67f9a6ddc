//! Single-threaded timing of parse and check over the Markdown files of a folder:
//! `cargo run --release -p prp-analysis --example parse_speed -- <folder> [<file> <times>]`.
//! With a file (relative to the folder) and a count: parse and check that one document
//! again and again in the folder's workspace, as the server does on each edit (set
//! `PRP_FORGET_ROUTES` to check without the routing results the server keeps).
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
    if let (Some(file), Some(times)) = (std::env::args().nth(2), std::env::args().nth(3)) {
        let times: usize = times.parse().expect("a count of repeats");
        // As the server does: routing results kept between checks of the document, and a
        // large document's check split over two threads.
        let mut ws = ws;
        if std::env::var_os("PRP_FORGET_ROUTES").is_none() {
            ws.remember_routes();
        }
        ws.split_large_checks();
        let text = &files
            .iter()
            .find(|(p, _)| *p == file)
            .expect("a file of the folder")
            .1;
        let (mut parsing, mut checking) = (Vec::new(), Vec::new());
        for _ in 0..times {
            let started = Instant::now();
            let doc = parse(&file, text, &config);
            parsing.push(started.elapsed());
            let started = Instant::now();
            std::hint::black_box(check(&doc, text, &ws, &config));
            checking.push(started.elapsed());
        }
        parsing.sort();
        checking.sort();
        let at = |v: &[std::time::Duration], q: f64| v[((v.len() - 1) as f64 * q) as usize];
        println!(
            "{file} x{times}: parse p50 {:?} p99 {:?}; check p50 {:?} p99 {:?}",
            at(&parsing, 0.5),
            at(&parsing, 0.99),
            at(&checking, 0.5),
            at(&checking, 0.99)
        );
        return;
    }
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

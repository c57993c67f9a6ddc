//! Reading and walking the workspace: decoding, relative paths, the walk, the work pool and
//! the clock, shared by the index, the evidence reader and the CLI.

use std::path::Path;

/// Folders never worth walking.
pub(crate) const SKIPPED_DIRS: [&str; 7] = [
    ".git",
    "node_modules",
    "target",
    ".venv",
    "venv",
    "__pycache__",
    ".mypy_cache",
];

/// Text of a file read from disk: lossy when it is not UTF-8, with where it broke.
pub fn decode(bytes: Vec<u8>) -> (String, Option<usize>) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(at))
        }
    }
}

/// Workspace-relative path with `/` separators, or `None` outside the root.
pub fn relative_path(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

pub(crate) fn is_markdown(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// What a walk of the workspace found.
#[derive(Debug, Default)]
pub struct Walked {
    /// Every file, relative, sorted.
    pub files: Vec<String>,
    /// Paths that cannot be used, and why: a name that is not UTF-8 (shown lossily), a
    /// folder that cannot be listed.
    pub problems: Vec<(String, String)>,
}

/// Every file under `root`, relative, dot-folders included (teams keep PRPs under
/// `.claude/PRPs/`), except dependency and build folders. `.gitignore` does not apply here: an
/// ignored file still exists for the references that name it, and which ignored files are
/// no documents is git's call (see `git::GitView`). Symbolic links are not followed.
pub fn walk(root: &Path) -> Walked {
    let mut builder = ignore::WalkBuilder::new(root);
    builder.standard_filters(false).filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        !(e.file_type().is_some_and(|t| t.is_dir()) && SKIPPED_DIRS.contains(&name.as_ref()))
    });
    let (tx, rx) = std::sync::mpsc::channel();
    builder
        .threads(available_threads())
        .build_parallel()
        .run(|| {
            let tx = tx.clone();
            let root = root.to_path_buf();
            Box::new(move |entry| {
                match entry {
                    Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                        if let Some(rel) = relative_path(&root, entry.path()) {
                            let found = match entry.path().to_str() {
                                Some(_) => Ok(rel),
                                None => Err((
                                    rel,
                                    "its file name is not valid UTF-8; rename it".to_string(),
                                )),
                            };
                            let _ = tx.send(found);
                        }
                    }
                    Ok(_) => {}
                    Err(error) => {
                        if let Some((path, why)) = walk_error(&root, &error) {
                            let _ = tx.send(Err((path, why)));
                        }
                    }
                }
                ignore::WalkState::Continue
            })
        });
    drop(tx);
    let mut walked = Walked::default();
    for found in rx {
        match found {
            Ok(rel) => walked.files.push(rel),
            Err(problem) => walked.problems.push(problem),
        }
    }
    walked.files.sort();
    walked.problems.sort();
    walked
}

/// The path and reason of a walk error that hides files (a folder that cannot be listed);
/// `None` for errors about files the walk would not have returned anyway.
fn walk_error(root: &Path, error: &ignore::Error) -> Option<(String, String)> {
    let mut current = error;
    let mut path = None;
    loop {
        match current {
            ignore::Error::WithPath { path: p, err } => {
                path.get_or_insert(p.clone());
                current = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                current = err
            }
            ignore::Error::Io(io) => {
                let rel = relative_path(root, path.as_deref()?)?;
                return Some((rel, format!("it cannot be listed: {io}")));
            }
            // .gitignore syntax and loops: not a file that goes unread.
            _ => return None,
        }
    }
}

pub fn available_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .min(8)
}

/// Runs `f` over `items` on all cores, keeping the order. Workers take the next item as
/// they finish one, so a few large documents do not leave a core idle.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = available_threads().min(items.len());
    if threads <= 1 || items.len() < 16 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut indexed: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("analysis worker panicked"))
            .collect()
    });
    indexed.sort_unstable_by_key(|(i, _)| *i);
    indexed.into_iter().map(|(_, r)| r).collect()
}

/// Modification time of a file in unix seconds (0 when unknown).
pub fn modified_seconds(path: &Path) -> i64 {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// What changes when a file is rewritten: its modification time to the nanosecond (two
/// writes within one second differ) and its size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileStamp {
    modified_ns: i128,
    len: u64,
}

pub fn file_stamp(path: &Path) -> FileStamp {
    let Ok(meta) = std::fs::metadata(path) else {
        return FileStamp::default();
    };
    let modified_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128);
    FileStamp {
        modified_ns,
        len: meta.len(),
    }
}

/// Now, in unix seconds.
pub fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Today's date (UTC) for completion dates; the core takes it as a parameter.
pub fn today() -> prp_analysis::document::scan::Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0) as i64;
    // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    prp_analysis::document::scan::Date((year * 10_000 + month * 100 + day) as u32)
}

//! What git says about the workspace, read from its files (git itself is never run: a
//! repository's configuration can make git commands execute programs). Git never treats a
//! tracked file as ignored, and neither does prp-lsp: teams commit PRPs with `git add -f`
//! under a `.gitignore` that lists `PRPs`, and those are the documents they work on.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// Which files a `.gitignore` keeps out of the documents: only those git would ignore too,
/// i.e. ignored and not tracked. Without a readable git index every file present is taken
/// as tracked (an export or archive of a repository holds only tracked files).
#[derive(Clone)]
pub struct GitView {
    root: PathBuf,
    /// Paths in the git index, relative with `/`; `None` when there is no index to read.
    tracked: Option<HashSet<String>>,
    /// `.gitignore` of each folder asked about (and `.git/info/exclude` at the root).
    matchers: HashMap<PathBuf, Option<Gitignore>>,
}

impl GitView {
    pub fn read(root: &Path) -> GitView {
        GitView {
            root: root.to_path_buf(),
            tracked: read_index(&root.join(".git")),
            matchers: HashMap::new(),
        }
    }

    /// A view with no git repository: nothing is hidden.
    pub fn none() -> GitView {
        GitView {
            root: PathBuf::new(),
            tracked: None,
            matchers: HashMap::new(),
        }
    }

    /// Whether git would leave `rel` out: untracked and matched by an ignore rule.
    pub fn hides(&mut self, rel: &str) -> bool {
        let Some(tracked) = &self.tracked else {
            return false;
        };
        if tracked.contains(rel) {
            return false;
        }
        self.ignored(rel)
    }

    /// The deepest `.gitignore` with a rule for the path (or a parent folder) decides; then
    /// `.git/info/exclude`.
    fn ignored(&mut self, rel: &str) -> bool {
        let path = self.root.join(rel);
        let mut dirs: Vec<PathBuf> = path
            .ancestors()
            .skip(1)
            .take_while(|d| d.starts_with(&self.root))
            .map(Path::to_path_buf)
            .collect();
        dirs.reverse();
        let mut verdict = None;
        for dir in dirs {
            let file = dir.join(".gitignore");
            let found = self
                .matcher(&dir, &file)
                .map(|m| m.matched_path_or_any_parents(&path, false));
            match found {
                Some(m) if m.is_ignore() => verdict = Some(true),
                Some(m) if m.is_whitelist() => verdict = Some(false),
                _ => {}
            }
        }
        verdict.unwrap_or_else(|| {
            let (root, file) = (self.root.clone(), self.root.join(".git/info/exclude"));
            self.matcher(&root, &file)
                .is_some_and(|m| m.matched_path_or_any_parents(&path, false).is_ignore())
        })
    }

    /// The rules of one ignore file, read once (`None` when it is missing or empty).
    fn matcher(&mut self, dir: &Path, file: &Path) -> Option<&Gitignore> {
        self.matchers
            .entry(file.to_path_buf())
            .or_insert_with(|| {
                let mut builder = GitignoreBuilder::new(dir);
                builder.add(file);
                builder.build().ok().filter(|g| !g.is_empty())
            })
            .as_ref()
    }
}

/// Paths listed in `.git/index` (format versions 2, 3 and 4). `None` when there is no index,
/// it cannot be read, or it is split (its entries are elsewhere): every file then counts as
/// tracked.
fn read_index(git_dir: &Path) -> Option<HashSet<String>> {
    if !git_dir.is_dir() {
        return None;
    }
    let bytes = std::fs::read(git_dir.join("index")).ok()?;
    let sha256 = std::fs::read_to_string(git_dir.join("config"))
        .is_ok_and(|c| c.to_ascii_lowercase().contains("objectformat = sha256"));
    parse_index(&bytes, if sha256 { 32 } else { 20 })
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The paths of an index file's entries; `hash_len` is 20 (SHA-1) or 32 (SHA-256).
pub fn parse_index(bytes: &[u8], hash_len: usize) -> Option<HashSet<String>> {
    if bytes.get(..4)? != b"DIRC" {
        return None;
    }
    let version = be32(bytes, 4)?;
    if !(2..=4).contains(&version) {
        return None;
    }
    let count = be32(bytes, 8)? as usize;
    let mut paths = HashSet::with_capacity(count.min(1 << 20));
    let mut at = 12;
    let mut previous: Vec<u8> = Vec::new();
    // ctime, mtime (8 each), dev, ino, mode, uid, gid, size (4 each), the object id, flags.
    let fixed = 40 + hash_len + 2;
    for _ in 0..count {
        let start = at;
        let flags = u16::from_be_bytes(bytes.get(at + fixed - 2..at + fixed)?.try_into().ok()?);
        at += fixed;
        if version >= 3 && flags & 0x4000 != 0 {
            at += 2;
        }
        let path = if version == 4 {
            // Prefix compression: drop N bytes of the previous path, append up to the NUL.
            let (strip, used) = varint(bytes.get(at..)?)?;
            at += used;
            let end = at + bytes.get(at..)?.iter().position(|&b| b == 0)?;
            let keep = previous.len().checked_sub(strip as usize)?;
            previous.truncate(keep);
            previous.extend_from_slice(&bytes[at..end]);
            at = end + 1;
            previous.clone()
        } else {
            let end = at + bytes.get(at..)?.iter().position(|&b| b == 0)?;
            let path = bytes[at..end].to_vec();
            // Entries are padded with NULs to a multiple of eight bytes.
            let length = end + 1 - start;
            at = start + length.div_ceil(8) * 8;
            path
        };
        // A split index keeps its entries in another file; leave it to the fallback.
        if let Ok(path) = String::from_utf8(path) {
            paths.insert(path);
        }
    }
    if has_extension(bytes, at, b"link") {
        return None;
    }
    Some(paths)
}

/// Git's offset varint (each continuation adds one before shifting).
fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value: u64 = 0;
    for (i, &b) in bytes.iter().enumerate().take(10) {
        if i > 0 {
            value = value.checked_add(1)?.checked_shl(7)?;
        }
        value |= u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

/// Whether the extensions after the entries include `signature`.
fn has_extension(bytes: &[u8], mut at: usize, signature: &[u8; 4]) -> bool {
    while let (Some(name), Some(size)) = (bytes.get(at..at + 4), be32(bytes, at + 4)) {
        if name == signature {
            return true;
        }
        at = match at.checked_add(8 + size as usize) {
            Some(next) => next,
            None => return false,
        };
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git is installed");
        assert!(status.status.success(), "git {args:?}: {status:?}");
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("prp-lsp-git-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("PRPs/active")).unwrap();
        std::fs::create_dir_all(dir.join("frontend/src/lib")).unwrap();
        std::fs::create_dir_all(dir.join("PRPs/drafts")).unwrap();
        std::fs::write(dir.join(".gitignore"), "PRPs\nlib/\n").unwrap();
        std::fs::write(dir.join("PRPs/active/01_a.md"), "# A\n").unwrap();
        std::fs::write(dir.join("PRPs/drafts/02_local.md"), "# Local\n").unwrap();
        std::fs::write(dir.join("frontend/src/lib/x.ts"), "x").unwrap();
        std::fs::write(dir.join("README.md"), "# R\n").unwrap();
        dir.canonicalize().unwrap()
    }

    #[test]
    fn tracked_files_are_never_hidden_by_gitignore() {
        for version in ["2", "3", "4"] {
            let root = scratch(&format!("v{version}"));
            git(&root, &["init", "-q"]);
            git(&root, &["config", "index.version", version]);
            git(
                &root,
                &["add", "-f", "PRPs/active/01_a.md", "frontend/src/lib/x.ts"],
            );
            git(&root, &["add", "README.md", ".gitignore"]);
            let tracked = read_index(&root.join(".git")).expect("the index is read");
            let mut listed: Vec<&str> = tracked.iter().map(String::as_str).collect();
            listed.sort();
            assert_eq!(
                listed,
                [
                    ".gitignore",
                    "PRPs/active/01_a.md",
                    "README.md",
                    "frontend/src/lib/x.ts"
                ],
                "index version {version}"
            );
            let mut view = GitView::read(&root);
            assert!(
                !view.hides("PRPs/active/01_a.md"),
                "tracked, though ignored"
            );
            assert!(
                view.hides("PRPs/drafts/02_local.md"),
                "ignored and untracked"
            );
            assert!(!view.hides("docs/new.md"), "not ignored");
        }
    }

    #[test]
    fn without_a_repository_nothing_is_hidden() {
        let root = scratch("no-git");
        let mut view = GitView::read(&root);
        assert!(!view.hides("PRPs/drafts/02_local.md"));
    }

    #[test]
    fn broken_indexes_are_no_index() {
        assert_eq!(parse_index(b"", 20), None);
        assert_eq!(parse_index(b"DIRC\0\0\0\x09\0\0\0\0", 20), None);
        let mut truncated = b"DIRC\0\0\0\x02\0\0\0\x05".to_vec();
        truncated.extend([0u8; 30]);
        assert_eq!(parse_index(&truncated, 20), None);
        assert_eq!(
            parse_index(b"DIRC\0\0\0\x02\0\0\0\0", 20),
            Some(HashSet::new())
        );
    }
}

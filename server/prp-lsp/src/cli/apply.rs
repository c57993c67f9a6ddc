//! Applying a core `Change` to files on disk, for `prp-lsp new` and `assign --write`:
//! everything is checked before anything is written, new files never replace existing
//! ones, and edited files are replaced atomically.

use std::io::Write;
use std::path::Path;

use prp_analysis::edit::{apply_edits, Change, FileChange};

/// Checks that the change can be applied as a whole: every path may be written (inside
/// the workspace), files to edit or rename exist, files to create or rename to do not.
fn preflight(root: &Path, change: &Change) -> Result<(), String> {
    for c in &change.changes {
        let target = |path: &str| crate::project::writable(root, path);
        match c {
            FileChange::Edit { path, .. } if !target(path)?.is_file() => {
                return Err(format!("`{path}` does not exist"))
            }
            FileChange::Create { path, .. } if target(path)?.exists() => {
                return Err(format!("`{path}` already exists; nothing was written"))
            }
            FileChange::Rename { from, .. } if !target(from)?.is_file() => {
                return Err(format!("`{from}` does not exist"))
            }
            FileChange::Rename { to, .. } if target(to)?.exists() => {
                return Err(format!("`{to}` already exists; nothing was written"))
            }
            _ => {}
        }
    }
    Ok(())
}

/// Writes `text` to `path` through a temporary file in the same folder, so a reader never
/// sees half a file.
fn replace_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.prp-lsp-{}", std::process::id()));
    let mut file = std::fs::File::create(&temp)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&temp, path)
}

/// Applies the change below `root`. Edits come first (their offsets refer to the texts
/// before any move), then new files, then moves.
pub fn apply_to_disk(root: &Path, change: &Change) -> Result<(), String> {
    preflight(root, change)?;
    let io = |path: &str, e: std::io::Error| format!("`{path}`: {e}");
    let at = |path: &str| crate::project::writable(root, path);
    for c in &change.changes {
        if let FileChange::Edit { path, edits } = c {
            let file = at(path)?;
            let text = std::fs::read_to_string(&file).map_err(|e| io(path, e))?;
            replace_atomically(&file, &apply_edits(&text, edits)).map_err(|e| io(path, e))?;
        }
    }
    for c in &change.changes {
        if let FileChange::Create { path, content } = c {
            let target = at(path)?;
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io(path, e))?;
            }
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&target)
                .map_err(|e| io(path, e))?;
            file.write_all(content.as_bytes())
                .map_err(|e| io(path, e))?;
        }
    }
    for c in &change.changes {
        if let FileChange::Rename { from, to } = c {
            let (source, target) = (at(from)?, at(to)?);
            if target.exists() {
                return Err(format!(
                    "`{to}` appeared while applying; `{from}` was not moved"
                ));
            }
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io(to, e))?;
            }
            std::fs::rename(source, target).map_err(|e| io(from, e))?;
        }
    }
    Ok(())
}

/// The change as a unified diff against the files on disk (new files diff against nothing).
pub fn diff(root: &Path, change: &Change) -> String {
    let mut out = String::new();
    for c in &change.changes {
        let (label_a, label_b, old, new) = match c {
            FileChange::Edit { path, edits } => {
                let old = std::fs::read_to_string(root.join(path)).unwrap_or_default();
                let new = apply_edits(&old, edits);
                (format!("a/{path}"), format!("b/{path}"), old, new)
            }
            FileChange::Create { path, content } => (
                "/dev/null".to_string(),
                format!("b/{path}"),
                String::new(),
                content.clone(),
            ),
            FileChange::Rename { from, to } => {
                out.push_str(&format!("rename from {from}\nrename to {to}\n"));
                continue;
            }
        };
        let text_diff = similar::TextDiff::from_lines(&old, &new);
        out.push_str(
            &text_diff
                .unified_diff()
                .context_radius(2)
                .header(&label_a, &label_b)
                .to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use prp_analysis::edit::{ChangeKind, TextEdit};

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("prp-lsp-apply-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.canonicalize().unwrap()
    }

    #[test]
    fn applies_edits_creates_and_renames() {
        let root = scratch("ok");
        std::fs::write(root.join("a.md"), "one\ntwo\n").unwrap();
        let change = Change::new(
            "test",
            ChangeKind::Refactor,
            vec![
                FileChange::Edit {
                    path: "a.md".into(),
                    edits: vec![TextEdit::replace(4..7, "TWO")],
                },
                FileChange::Create {
                    path: "new/b.md".into(),
                    content: "b\n".into(),
                },
                FileChange::Rename {
                    from: "a.md".into(),
                    to: "moved/a.md".into(),
                },
            ],
        );
        assert!(diff(&root, &change).contains("+TWO"));
        apply_to_disk(&root, &change).unwrap();
        assert_eq!(
            std::fs::read_to_string(root.join("moved/a.md")).unwrap(),
            "one\nTWO\n"
        );
        assert_eq!(
            std::fs::read_to_string(root.join("new/b.md")).unwrap(),
            "b\n"
        );
        assert!(!root.join("a.md").exists());
    }

    #[test]
    fn refuses_paths_outside_the_workspace_and_writes_nothing() {
        let root = scratch("outside");
        std::fs::write(root.join("a.md"), "keep\n").unwrap();
        let outside = root
            .parent()
            .unwrap()
            .join(format!("escaped-{}.md", std::process::id()));
        for path in [
            format!("../{}", outside.file_name().unwrap().to_string_lossy()),
            outside.to_string_lossy().into_owned(),
        ] {
            let change = Change::new(
                "test",
                ChangeKind::Refactor,
                vec![
                    FileChange::Edit {
                        path: "a.md".into(),
                        edits: vec![TextEdit::insert(0, "x")],
                    },
                    FileChange::Create {
                        path: path.clone(),
                        content: "escaped\n".into(),
                    },
                ],
            );
            let err = apply_to_disk(&root, &change).unwrap_err();
            assert!(err.contains("only inside the workspace"), "{path}: {err}");
            assert!(!outside.exists(), "{path} was written");
            assert_eq!(
                std::fs::read_to_string(root.join("a.md")).unwrap(),
                "keep\n"
            );
        }
    }

    #[test]
    fn refuses_to_replace_an_existing_file_and_writes_nothing() {
        let root = scratch("refuse");
        std::fs::write(root.join("a.md"), "keep\n").unwrap();
        std::fs::write(root.join("b.md"), "mine\n").unwrap();
        let change = Change::new(
            "test",
            ChangeKind::Refactor,
            vec![
                FileChange::Edit {
                    path: "a.md".into(),
                    edits: vec![TextEdit::insert(0, "x")],
                },
                FileChange::Create {
                    path: "b.md".into(),
                    content: "theirs\n".into(),
                },
            ],
        );
        let err = apply_to_disk(&root, &change).unwrap_err();
        assert!(err.contains("already exists"), "{err}");
        assert_eq!(
            std::fs::read_to_string(root.join("a.md")).unwrap(),
            "keep\n"
        );
        assert_eq!(
            std::fs::read_to_string(root.join("b.md")).unwrap(),
            "mine\n"
        );
    }
}

//! The one place that decides whether prp-lsp may write a path: every file created, renamed
//! or edited on disk by the CLI, and every file operation the server asks the editor to
//! perform, goes through [`writable`]. A repository is untrusted input, so its
//! configuration and documents must not be able to steer a write outside the workspace.

use std::path::{Path, PathBuf};

/// The absolute path for workspace-relative `rel` when prp-lsp may write it: `rel` is
/// relative, stays inside `root` once `.` and `..` are resolved, and no existing folder (or
/// file) on the way is a symbolic link that leads out of `root`. `root` is the canonical
/// workspace root.
pub fn writable(root: &Path, rel: &str) -> Result<PathBuf, String> {
    let refuse = |why: &str| {
        Err(format!(
            "prp-lsp writes only inside the workspace: `{rel}` {why}"
        ))
    };
    if root.as_os_str().is_empty() {
        return Err(format!(
            "prp-lsp writes only inside a workspace folder, and none is open (for `{rel}`)"
        ));
    }
    if rel.is_empty() {
        return refuse("is empty");
    }
    if rel.starts_with(['/', '\\']) || rel.get(1..2) == Some(":") || Path::new(rel).is_absolute() {
        return refuse("is an absolute path");
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in rel.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return refuse("leaves it through `..`");
                }
            }
            name => parts.push(name),
        }
    }
    if parts.is_empty() {
        return refuse("names the workspace folder itself");
    }
    let target: PathBuf = parts
        .iter()
        .fold(root.to_path_buf(), |p, part| p.join(part));
    // The deepest part of the path that exists decides where a write really lands.
    let mut existing = target.as_path();
    while std::fs::symlink_metadata(existing).is_err() {
        match existing.parent() {
            Some(parent) => existing = parent,
            None => return refuse("has no existing folder inside the workspace"),
        }
    }
    let real = existing
        .canonicalize()
        .map_err(|e| format!("prp-lsp cannot write `{rel}`: {e}"))?;
    if !real.starts_with(root) {
        return refuse("goes through a symbolic link that leads out of it");
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("prp-lsp-confine-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("PRPs/active")).unwrap();
        dir.canonicalize().unwrap()
    }

    #[test]
    fn paths_inside_the_workspace_are_writable() {
        let root = scratch("inside");
        for rel in [
            "PRPs/active/01_x.md",
            "PRPs/new/deeper/02.md",
            "./a/../PRPs/b.md",
            "x.md",
        ] {
            let path = writable(&root, rel).unwrap_or_else(|e| panic!("{rel}: {e}"));
            assert!(path.starts_with(&root), "{rel}: {}", path.display());
        }
        assert_eq!(writable(&root, "a/../b.md").unwrap(), root.join("b.md"));
    }

    #[test]
    fn escapes_are_refused() {
        let root = scratch("escapes");
        for rel in [
            "../x.md",
            "../../../../tmp/x/01_add_csv_export.md",
            "PRPs/../../x.md",
            "/tmp/x.md",
            "\\\\server\\share\\x.md",
            "C:/x.md",
            "",
            ".",
            "PRPs/..",
        ] {
            let err = writable(&root, rel).unwrap_err();
            assert!(err.contains("only inside"), "{rel}: {err}");
        }
        assert!(writable(Path::new(""), "PRPs/a.md")
            .unwrap_err()
            .contains("none is open"));
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_folders_that_leave_the_workspace_are_refused() {
        let root = scratch("links");
        let outside = scratch("links-outside");
        std::os::unix::fs::symlink(&outside, root.join("PRPs/out")).unwrap();
        std::os::unix::fs::symlink(root.join("PRPs/active"), root.join("PRPs/alias")).unwrap();
        std::os::unix::fs::symlink(outside.join("f.md"), root.join("PRPs/file-link.md")).unwrap();
        std::fs::write(outside.join("f.md"), "x").unwrap();
        let err = writable(&root, "PRPs/out/new/01_x.md").unwrap_err();
        assert!(err.contains("symbolic link"), "{err}");
        assert!(writable(&root, "PRPs/file-link.md")
            .unwrap_err()
            .contains("symbolic link"));
        // A link that stays inside the workspace is fine.
        assert!(writable(&root, "PRPs/alias/01_x.md").is_ok());
    }
}

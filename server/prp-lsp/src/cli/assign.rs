//! `prp-lsp assign [PATH…] [--write]`: assigns every unassigned task of the PRPs and task
//! boards under PATH, as the code action does; shows a diff, or applies it with `--write`.

use std::path::{Path, PathBuf};

use prp_analysis::{assign, DocKind};

use crate::project::Project;

pub fn run(paths: &[PathBuf], write: bool) -> i32 {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let mut changed = 0;
    for arg in &paths {
        if !arg.exists() {
            eprintln!(
                "prp-lsp assign: {}: no such file or directory",
                arg.display()
            );
            return 2;
        }
        let root = super::check::root_for(arg);
        let project = match Project::load(&root) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("prp-lsp assign: cannot read {}: {e}", root.display());
                return 2;
            }
        };
        let only = arg
            .is_file()
            .then(|| {
                arg.canonicalize()
                    .ok()
                    .and_then(|a| crate::project::relative_path(&project.root, &a))
            })
            .flatten();
        for path in project.document_paths() {
            if only.as_ref().is_some_and(|o| *o != path) {
                continue;
            }
            let Some(a) = project.analyzed(&path) else {
                continue;
            };
            if !matches!(a.doc.kind, DocKind::Prp | DocKind::TaskBoard) {
                continue;
            }
            let Some(change) = assign::assign_all(&a.doc, &a.text, &project.ws, &project.config)
            else {
                continue;
            };
            changed += 1;
            if write {
                if let Err(e) = super::apply::apply_to_disk(&project.root, &change) {
                    eprintln!("prp-lsp assign: {path}: {e}");
                    return 2;
                }
                super::print_out(&format!("{path}: {}\n", change.title));
            } else {
                super::print_out(&super::apply::diff(Path::new(&project.root), &change));
            }
        }
    }
    if changed == 0 {
        eprintln!("prp-lsp assign: every task is already assigned");
    } else if !write {
        eprintln!("prp-lsp assign: {changed} document(s) would change; run with --write to apply");
    }
    0
}

//! `prp-lsp assign [PATH…] [--write]`: assigns every open, unassigned task of the PRPs and
//! task boards under PATH, as the code action does; shows a diff, or applies it with
//! `--write`. Finished PRPs and settled tasks are left alone; tasks no agent can take are
//! listed with the reason.

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
    let mut unplaced = 0;
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
            let planned = assign::plan_all(&a.doc, &a.text, &project.ws, &project.config);
            for u in &planned.unplaced {
                unplaced += 1;
                eprintln!(
                    "prp-lsp assign: {path}:{}: cannot place `{}`: {}",
                    u.line + 1,
                    u.title,
                    u.reason
                );
            }
            let Some(change) = planned.change else {
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
    let left = match unplaced {
        0 => String::new(),
        1 => "; 1 task could not be placed (above)".to_string(),
        n => format!("; {n} tasks could not be placed (above)"),
    };
    if changed == 0 && unplaced == 0 {
        eprintln!("prp-lsp assign: every task is already assigned");
    } else if changed == 0 {
        eprintln!("prp-lsp assign: nothing to assign{left}");
    } else if !write {
        eprintln!(
            "prp-lsp assign: {changed} document(s) would change; run with --write to apply{left}"
        );
    } else if unplaced > 0 {
        eprintln!("prp-lsp assign: {changed} document(s) changed{left}");
    }
    0
}

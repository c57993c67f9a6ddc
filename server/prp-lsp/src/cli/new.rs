//! `prp-lsp new "<requirement>"`: the same generation as the "Generate PRP" code action,
//! written to disk; prints the path of the new PRP.

use std::path::Path;

use prp_analysis::generate;

use crate::project::{today, Project};

pub fn run(root: &Path, description: &str) -> i32 {
    if description.trim().is_empty() {
        eprintln!("prp-lsp new: give the requirement, e.g. prp-lsp new \"Add CSV export to the reports page\"");
        return 2;
    }
    let project = match Project::load(root) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("prp-lsp new: cannot read {}: {e}", root.display());
            return 2;
        }
    };
    let requirement = generate::requirement_from_text(description);
    let generated = generate::generate(
        &requirement,
        None,
        &project.ws,
        &project.config,
        &project,
        today(),
    );
    let generated = match generated {
        Ok(g) => g,
        Err(refusal) => {
            eprintln!("prp-lsp new: nothing was written: {refusal}");
            return 2;
        }
    };
    for warning in &generated.warnings {
        eprintln!("prp-lsp new: warning: {warning}");
    }
    match super::apply::apply_to_disk(&project.root, &generated.change) {
        Ok(()) => {
            super::print_out(&format!("{}\n", generated.path));
            0
        }
        Err(e) => {
            eprintln!("prp-lsp new: {e}");
            2
        }
    }
}

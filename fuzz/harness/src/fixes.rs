//! `fixes`: every change the analysis proposes for the input — quick fixes, fix-all,
//! document actions, assignments, generated PRPs.

use prp_analysis::edit::Change;
use prp_analysis::generate::{self, LinkBack, Requirement};
use prp_analysis::ide::{references, rename};
use prp_analysis::{assign, check, fixes, parse, Diagnostic, DocKind, Document, Workspace};

use crate::invariants;
use crate::setup::{analyse, text_of, today, Texts, CONFIG};

/// Tasks and requirement blocks acted on per document: enough to reach every code path, few
/// enough that a large input stays fast (the editor acts on one at a time).
const PER_DOCUMENT: usize = 4;
/// PRPs generated per document and source (generating is the slowest action: the new PRP
/// is analysed, filled from the template, parsed and checked).
const GENERATED: usize = 1;

/// The first byte selects the document whose changes are computed (`byte % 5`, a path of
/// [`crate::setup::PATHS`]) and whether a PRP is also generated from the whole text with the
/// text as the workspace's template (`byte / 5` odd); the rest is the document. The workspace
/// holds the input at every path either way. One document per run (rather than all five)
/// keeps a run short, so that a campaign reaches many more inputs; libFuzzer varies the
/// selector like any other byte.
///
/// For that document: every change, each checked: edits in bounds, on character boundaries,
/// not overlapping, applicable; created and renamed files inside the workspace.
pub fn fixes(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = text_of(rest);
    let text = text.as_ref();
    let (ws, docs) = analyse(text, &CONFIG);
    let texts = Texts {
        text,
        template: false,
    };
    let text_of = |path: &str| Texts::knows(path).then(|| text.to_string());
    let doc = &docs[usize::from(selector) % docs.len()];
    // Checked as the server checks (keeping routing results for the next check).
    let mut kept = ws.clone();
    kept.remember_routes();
    let diagnostics = check(doc, text, &kept, &CONFIG);
    // Fix-all's result is the document the editor shows next: it parses and checks, the
    // same with the results the first check kept (a keystroke's check) as without.
    if let Some(all) = fixes::fix_all(doc, text, &ws, &CONFIG, &diagnostics, &texts) {
        for (path, edited) in invariants::change(&all, &text_of) {
            let after = parse(path, &edited, &CONFIG);
            invariants::model(&after, &edited);
            let diagnostics = check(&after, &edited, &ws, &CONFIG);
            invariants::diagnostics(&after, &edited, &diagnostics);
            let with_kept = check(&after, &edited, &kept, &CONFIG);
            assert!(
                with_kept == diagnostics,
                "{path} after fix-all: with routing results kept\n{with_kept:#?}\nwithout\n{diagnostics:#?}"
            );
        }
    }
    for change in changes(doc, text, &ws, &diagnostics, &texts) {
        invariants::change(&change, &text_of);
    }
    // The editor's explorer moves the document into the archive; a rename of the agent or
    // PRP number at the start of the text and in its middle, over every document naming it.
    let moved = format!("PRPs/archive/moved_{}", doc.file_name());
    if let Some(m) = fixes::file_moved(doc, text, &ws, &CONFIG, &texts, &moved) {
        invariants::change(&m.references, &text_of);
        if let Some(status) = &m.status {
            invariants::change(status, &text_of);
        }
    }
    let middle = (0..=text.len() / 2)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    for at in [0, middle] {
        let id = match rename::prepare_at(doc, text, &ws, at) {
            Some(Ok((span, _, rename::Renamed::Agent(id)))) => {
                invariants::span(text, &span, &format_args!("{}: rename at {at}", doc.path));
                id
            }
            Some(Ok((span, _, rename::Renamed::PrpNumber(path)))) => {
                invariants::span(text, &span, &format_args!("{}: rename at {at}", doc.path));
                let prp = docs.iter().find(|d| d.path == path).unwrap_or(doc);
                if let Ok(change) = fixes::renumber_prp(prp, text, &ws, &CONFIG, &texts, "9") {
                    invariants::change(&change, &text_of);
                }
                continue;
            }
            _ => continue,
        };
        let target = references::Target::Agent(id.clone());
        let naming = references::candidates(&ws, &target);
        let documents: Vec<(&str, &Document, &str)> = docs
            .iter()
            .filter(|d| naming.contains(&d.path))
            .map(|d| (d.path.as_str(), d, text))
            .collect();
        let other = rename::OtherFiles::default();
        if let Ok(change) = rename::rename_agent(&ws, &id, "renamed", &documents, &other) {
            invariants::change(&change, &text_of);
        }
    }
    if (selector / 5) % 2 == 1 {
        // Generation from the text (a selection, `prp-lsp new "…"`); the input is the
        // workspace's template too (filling it is the template's parser).
        let with_template = Texts {
            text,
            template: true,
        };
        let requirement = generate::requirement_from_text(text);
        if let Some(change) = generated(&requirement, None, &ws, &with_template) {
            invariants::change(&change, &text_of);
        }
    }
}

/// The change generating a PRP for `requirement` (none when generation is refused); the new
/// file stays in the workspace.
fn generated(
    requirement: &Requirement,
    link_back: Option<&LinkBack>,
    ws: &Workspace,
    texts: &Texts,
) -> Option<Change> {
    let generated = generate::generate(requirement, link_back, ws, &CONFIG, texts, today()).ok()?;
    invariants::relative_path(
        &generated.path,
        &format_args!("generated from `{}`", requirement.title),
    );
    Some(generated.change)
}

/// Every change but fix-all for one document with these findings.
fn changes(
    doc: &Document,
    text: &str,
    ws: &Workspace,
    diagnostics: &[Diagnostic],
    texts: &Texts,
) -> Vec<Change> {
    let config = &*CONFIG;
    let mut out = Vec::new();
    for d in diagnostics {
        out.extend(fixes::fixes_for(doc, text, ws, config, d, texts));
    }
    out.extend(fixes::document_actions(
        doc,
        text,
        ws,
        config,
        0..text.len(),
        texts,
        today(),
    ));
    let middle = (0..=text.len() / 2)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    out.extend(fixes::document_actions(
        doc,
        text,
        ws,
        config,
        middle..middle,
        texts,
        today(),
    ));

    for task in 0..doc.tasks.len().min(PER_DOCUMENT) {
        for candidate in assign::candidates(doc, text, task, ws, config) {
            out.push(assign::assign_change(doc, text, task, &candidate));
        }
        out.extend(assign::assign_changes(doc, text, task, ws, config));
        let _ = assign::explain(doc, text, task, ws, config);
    }
    out.extend(assign::assign_all(doc, text, ws, config));

    // Generation from requirement blocks and task board items.
    let mut requirements = Vec::new();
    let mut from_blocks = 0;
    for (span, parsed) in generate::requirement_blocks(doc, text)
        .into_iter()
        .take(PER_DOCUMENT)
    {
        invariants::span(
            text,
            &span,
            &format_args!("{}: requirement block", doc.path),
        );
        match parsed {
            Ok(requirement) if from_blocks < GENERATED => {
                from_blocks += 1;
                requirements.push((requirement, None));
            }
            Ok(_) => {}
            Err(e) => invariants::span(
                text,
                &e.span,
                &format_args!("{}: requirement error `{}`", doc.path, e.message),
            ),
        }
    }
    if doc.kind == DocKind::TaskBoard {
        for item in 0..doc.checklist.len().min(GENERATED) {
            requirements.push((
                generate::requirement_from_task_item(doc, text, item),
                Some(LinkBack::after_item(doc, item)),
            ));
        }
    }
    for (requirement, link_back) in &requirements {
        out.extend(generated(requirement, link_back.as_ref(), ws, texts));
    }
    out
}

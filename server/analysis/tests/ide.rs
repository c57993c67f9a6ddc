//! IDE features as the core answers them, data-driven: each `ide/*.md` is a small workspace
//! (`//- path` files, as in `fixtures/`) with a `$0` cursor in one file, and directives
//! naming what to ask at the cursor: `// hover`, `// definition`, `// completion`,
//! `// symbols`, `// folding`, `// lenses`, `// actions` (a `$1` after the `$0` makes the
//! request a selection), `// rename <new name>`, `// moved <new path>`, `// references`,
//! `// links`, `// inlay`, `// selection`. The answers are compared with `<name>.expected`;
//! `UPDATE_EXPECT=1` rewrites them (review the diff).

mod support;

use prp_analysis::document::Span;
use prp_analysis::gates::{evaluate_evidence, Evidence};
use prp_analysis::ide::{
    actions, at_cursor, completion, folding, hover, inlay, lenses, links, references, rename,
    selection, symbols,
};
use prp_analysis::text::{Encoding, LineIndex};

const CURSOR: &str = "$0";
const SELECTION_END: &str = "$1";

/// Other files' texts, from the fixture.
struct Files<'a>(&'a support::World);

impl prp_analysis::edit::TextSource for Files<'_> {
    fn text(&self, path: &str) -> Option<String> {
        self.0.doc(path).map(|(f, _)| f.text.clone())
    }
}

/// `line:column` (1-based, UTF-16 columns as LSP counts them) of a byte offset.
fn at(text: &str, offset: usize) -> String {
    let p = LineIndex::new(text).position(text, offset, Encoding::Utf16);
    format!("{}:{}", p.line + 1, p.column + 1)
}

fn span(text: &str, span: &Span) -> String {
    format!("{}-{}", at(text, span.start), at(text, span.end))
}

fn render_symbols(out: &mut String, text: &str, list: &[symbols::Symbol], depth: usize) {
    for s in list {
        let detail = s
            .detail
            .as_deref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}{:?} {}{detail} {} [{}]\n",
            "  ".repeat(depth),
            s.kind,
            s.name,
            span(text, &s.range),
            span(text, &s.selection)
        ));
        render_symbols(out, text, &s.children, depth + 1);
    }
}

/// Each step of a change: an edit as `path line:col-line:col "old" → "new"`, a move.
fn render_change(world: &support::World, change: &prp_analysis::edit::Change) -> String {
    use prp_analysis::edit::FileChange;
    let mut out = format!("{}\n", change.title);
    for step in &change.changes {
        match step {
            FileChange::Edit { path, edits } => {
                let file = world.files.iter().find(|f| &f.path == path).unwrap();
                for e in edits {
                    out.push_str(&format!(
                        "  edit {path} {} {:?} → {:?}\n",
                        span(&file.text, &e.span),
                        &file.text[e.span.clone()],
                        e.new_text
                    ));
                }
            }
            FileChange::Rename { from, to } => out.push_str(&format!("  move {from} → {to}\n")),
            FileChange::Create { path, .. } => out.push_str(&format!("  create {path}\n")),
        }
    }
    out
}

/// `// rename <new id>`: where the rename starts, then each step of the change (an edit
/// as `path line:col-line:col → text`, a file moved) or why it is refused.
fn render_rename(
    world: &support::World,
    doc: &prp_analysis::Document,
    text: &str,
    offset: usize,
    new_name: &str,
) -> String {
    let ws = &world.ws;
    let (shown, offered, renamed) = match rename::prepare_at(doc, text, ws, offset) {
        None => return "(nothing to rename here)\n".into(),
        Some(Err(why)) => return format!("refused: {why}\n"),
        Some(Ok(found)) => found,
    };
    let mut out = format!("prepare {} `{offered}`\n", span(text, &shown));
    let id = match renamed {
        rename::Renamed::Agent(id) => id,
        rename::Renamed::PrpNumber(path) => {
            let (f, prp) = world.doc(&path).expect("the PRP is in the fixture");
            let config = &world.config;
            match prp_analysis::fixes::renumber_prp(
                prp,
                &f.text,
                ws,
                config,
                &Files(world),
                new_name,
            ) {
                Err(why) => out.push_str(&format!("refused: {why}\n")),
                Ok(change) => out.push_str(&render_change(world, &change)),
            }
            return out;
        }
    };
    let target = references::Target::Agent(id.clone());
    let paths = references::candidates(ws, &target);
    let documents: Vec<(&str, &prp_analysis::Document, &str)> = paths
        .iter()
        .filter_map(|p| world.doc(p))
        .map(|(f, d)| (f.path.as_str(), d, f.text.as_str()))
        .collect();
    let status_glob = globset::Glob::new(&world.config.status_settings().files)
        .unwrap()
        .compile_matcher();
    let other = rename::OtherFiles {
        status: world
            .files
            .iter()
            .filter(|f| status_glob.is_match(&f.path))
            .map(|f| (f.path.clone(), f.text.clone()))
            .collect(),
        config: world
            .files
            .iter()
            .find(|f| f.path == "prp-lsp.toml")
            .map(|f| (f.path.clone(), f.text.clone())),
    };
    match rename::rename_agent(ws, &id, new_name, &documents, &other) {
        Err(why) => out.push_str(&format!("refused: {why}\n")),
        Ok(change) => out.push_str(&render_change(world, &change)),
    }
    out
}

fn render(fixture: &str) -> String {
    let mut fixture = support::Fixture::parse(fixture);
    let mut cursor = None;
    for f in &mut fixture.files {
        if let Some(offset) = f.text.find(CURSOR) {
            f.text.replace_range(offset..offset + CURSOR.len(), "");
            cursor = Some((f.path.clone(), offset));
        }
    }
    let (path, offset) = cursor.expect("a $0 cursor in one file");
    let mut selection_end = offset;
    for f in fixture.files.iter_mut().filter(|f| f.path == path) {
        if let Some(end) = f.text.find(SELECTION_END) {
            f.text.replace_range(end..end + SELECTION_END.len(), "");
            selection_end = end;
        }
    }
    let asks = fixture.directives.clone();
    let world = support::World::build(fixture);
    let (f, doc) = world.doc(&path).expect("the cursor is in a document");
    let text = f.text.as_str();
    let (ws, config) = (&world.ws, &world.config);
    let mut out = String::new();
    for ask in asks.iter().filter(|d| !d.starts_with("now:")) {
        out.push_str(&format!("== {ask}\n"));
        match ask.as_str() {
            "hover" => {
                let identity = |name: &str| {
                    let source = &ws.agent(name)?.source;
                    let (f, d) = world.doc(source)?;
                    hover::agent_identity(d, &f.text)
                };
                let gate_report = || {
                    let empty = Evidence::default();
                    let evidence = ws.evidence().map_or(&empty, |(e, _)| e);
                    let saved = ws.saved_at(&doc.path);
                    Some(evaluate_evidence(doc, text, config, evidence, saved).at(world.now))
                };
                let sources = hover::HoverSources {
                    agent_identity: &identity,
                    gate_report: &gate_report,
                    now: world.now,
                };
                match hover::hover(doc, text, ws, config, offset, &sources) {
                    Some(h) => {
                        out.push_str(&format!("on {}\n", span(text, &h.span)));
                        out.push_str(h.markdown.trim_end());
                        out.push('\n');
                    }
                    None => out.push_str("(no hover)\n"),
                }
            }
            "definition" => {
                let found = at_cursor::definition(ws, doc, text, offset);
                out.push_str(&format!("{}\n", found.as_deref().unwrap_or("(none)")));
            }
            "completion" => match completion::complete(doc, text, ws, config, offset) {
                Some(items) => {
                    for c in items {
                        out.push_str(&format!(
                            "{:?} {} — {} (replaces {}: {:?})\n",
                            c.kind,
                            c.label,
                            c.detail,
                            span(text, &c.replace),
                            c.insert
                        ));
                    }
                }
                None => out.push_str("(no completion)\n"),
            },
            "symbols" => render_symbols(&mut out, text, &symbols::document(doc), 0),
            "folding" => {
                for r in folding::ranges(doc, text) {
                    out.push_str(&format!("{}\n", span(text, &r)));
                }
            }
            "lenses" => {
                let empty = Evidence::default();
                let evidence = ws.evidence().map_or(&empty, |(e, _)| e);
                let report = (doc.kind == prp_analysis::DocKind::Prp).then(|| {
                    evaluate_evidence(doc, text, config, evidence, ws.saved_at(&doc.path))
                        .at(world.now)
                });
                for lens in lenses::lenses(doc, ws, config, report.as_ref(), world.now) {
                    out.push_str(&format!("{} [{:?}]\n", lens.title, lens.action));
                }
            }
            "actions" => {
                let findings = prp_analysis::check(doc, text, ws, config);
                let input = actions::ActionInput {
                    doc,
                    text,
                    ws,
                    config,
                    texts: &Files(&world),
                    findings: &findings,
                    today: prp_analysis::document::scan::Date::parse("2026-11-20").unwrap(),
                };
                let wanted = actions::Wanted {
                    fix_all: true,
                    ..actions::Wanted::unspecified()
                };
                for a in actions::actions(&input, offset..selection_end, wanted) {
                    out.push_str(&format!("{:?} {}", a.kind, a.change.title));
                    if !a.fixes.is_empty() {
                        let codes: Vec<&str> =
                            a.fixes.iter().map(|i| findings[*i].rule.code()).collect();
                        out.push_str(&format!(" [fixes {}]", codes.join(", ")));
                    }
                    if let Some(why) = &a.refused {
                        out.push_str(&format!(" (refused: {why})"));
                    }
                    if let Some(path) = &a.open {
                        out.push_str(&format!(" (opens {path})"));
                    }
                    let touched: Vec<&str> = a.change.touched_paths();
                    if !touched.is_empty() {
                        out.push_str(&format!(" (touches {})", touched.join(", ")));
                    }
                    out.push('\n');
                }
            }
            rename if rename.starts_with("rename ") => {
                let new_name = &rename["rename ".len()..];
                out.push_str(&render_rename(&world, doc, text, offset, new_name));
            }
            "references" => match references::target_at(doc, text, ws, offset) {
                None => out.push_str("(nothing here)\n"),
                Some(target) => {
                    out.push_str(&format!("{target:?}\n"));
                    for path in references::candidates(ws, &target) {
                        let Some((f, d)) = world.doc(&path) else {
                            continue;
                        };
                        for r in references::in_document(d, &f.text, ws, &target) {
                            out.push_str(&format!(
                                "  {path} {} {:?}\n",
                                span(&f.text, &r),
                                &f.text[r.clone()]
                            ));
                        }
                    }
                }
            },
            "links" => {
                for l in links::links(doc, text, ws) {
                    out.push_str(&format!(
                        "{} {:?} → {} ({})\n",
                        span(text, &l.span),
                        &text[l.span.clone()],
                        l.target,
                        l.tooltip
                    ));
                }
            }
            "inlay" => {
                let empty = Evidence::default();
                let evidence = ws.evidence().map_or(&empty, |(e, _)| e);
                let report = (doc.kind == prp_analysis::DocKind::Prp).then(|| {
                    evaluate_evidence(doc, text, config, evidence, ws.saved_at(&doc.path))
                        .at(world.now)
                });
                for h in inlay::hints(
                    doc,
                    text,
                    ws,
                    config.inlay_hints,
                    report.as_ref(),
                    0..text.len(),
                ) {
                    out.push_str(&format!("{} {:?}\n", at(text, h.offset), h.label));
                }
            }
            "selection" => {
                for r in selection::ranges(doc, text, offset) {
                    out.push_str(&format!("{} {:?}\n", span(text, &r), &text[r.clone()]));
                }
            }
            moved if moved.starts_with("moved ") => {
                let to = &moved["moved ".len()..];
                match prp_analysis::fixes::file_moved(doc, text, ws, config, &Files(&world), to) {
                    None => out.push_str("(nothing to change)\n"),
                    Some(m) => {
                        out.push_str(&render_change(&world, &m.references));
                        if let Some(status) = &m.status {
                            out.push_str(&render_change(&world, status));
                        }
                    }
                }
            }
            other => panic!("unknown directive `// {other}`"),
        }
    }
    out
}

#[test]
fn ide_fixtures() {
    let mut failures = Vec::new();
    let mut asked = std::collections::BTreeSet::new();
    for path in support::fixture_files("ide") {
        let fixture = std::fs::read_to_string(&path).unwrap();
        for line in fixture.lines().take_while(|l| !l.starts_with("//-")) {
            if let Some(d) = line.strip_prefix("// ") {
                asked.insert(d.trim().to_string());
            }
        }
        failures.extend(support::expect(&path, &render(&fixture)));
    }
    assert!(
        failures.is_empty(),
        "{} IDE fixture(s) differ (UPDATE_EXPECT=1 rewrites them):\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every feature has at least one fixture.
    for feature in [
        "hover",
        "definition",
        "completion",
        "symbols",
        "folding",
        "lenses",
        "actions",
        "rename",
        "moved",
        "references",
        "links",
        "inlay",
        "selection",
    ] {
        assert!(
            asked.iter().any(|d| d.split(' ').next() == Some(feature)),
            "no IDE fixture asks for `{feature}`"
        );
    }
}

//! Every query under `grammars/queries` compiles against the grammar it is written for, and
//! produces exactly the captures expected on the fixtures under `tests/fixtures`.

use std::fs;
use std::path::{Path, PathBuf};

use streaming_iterator::StreamingIterator;
use tree_sitter::{Language, Node, Parser, Query, QueryCursor, Range, Tree};

fn block_language() -> Language {
    tree_sitter_md::LANGUAGE.into()
}

fn inline_language() -> Language {
    tree_sitter_md::INLINE_LANGUAGE.into()
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The language a query directory is written for (`queries/<dir>/*.scm`).
fn language_for(dir: &str) -> Option<Language> {
    match dir {
        "markdown" => Some(block_language()),
        "markdown_inline" => Some(inline_language()),
        _ => None,
    }
}

fn query_files() -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    let queries = root().join("queries");
    for dir in fs::read_dir(&queries).expect("grammars/queries exists") {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let lang = dir.file_name().unwrap().to_string_lossy().into_owned();
        for file in fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|e| e == "scm") {
                files.push((lang.clone(), file));
            }
        }
    }
    files.sort();
    files
}

fn load_query(lang: &str, file: &str) -> Query {
    let path = root().join("queries").join(lang).join(file);
    let source = fs::read_to_string(&path).unwrap();
    Query::new(&language_for(lang).unwrap(), &source)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A Markdown document parsed the way editors do it: the block grammar over the whole text,
/// then the inline grammar over each `inline` node (and table cell), skipping the block nodes
/// nested inside it (continuation markers), as `tree_sitter_md::MarkdownParser` does.
struct Doc {
    text: String,
    block: Tree,
    inlines: Vec<Tree>,
}

fn parse(text: &str) -> Doc {
    let mut parser = Parser::new();
    parser.set_language(&block_language()).unwrap();
    let block = parser.parse(text, None).expect("block parse");
    parser.set_language(&inline_language()).unwrap();
    let mut inlines = Vec::new();
    let mut stack = vec![block.root_node()];
    let mut inline_nodes = Vec::new();
    while let Some(node) = stack.pop() {
        if matches!(node.kind(), "inline" | "pipe_table_cell") {
            inline_nodes.push(node);
            continue;
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
    inline_nodes.sort_by_key(Node::start_byte);
    for node in inline_nodes {
        let mut range = node.range();
        let mut ranges = Vec::new();
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            ranges.push(Range {
                start_byte: range.start_byte,
                start_point: range.start_point,
                end_byte: child.start_byte(),
                end_point: child.start_position(),
            });
            range.start_byte = child.end_byte();
            range.start_point = child.end_position();
        }
        ranges.push(range);
        parser.set_included_ranges(&ranges).unwrap();
        inlines.push(parser.parse(text, None).expect("inline parse"));
    }
    Doc {
        text: text.to_owned(),
        block,
        inlines,
    }
}

fn fixture(name: &str) -> Doc {
    let path = root().join("tests/fixtures").join(name);
    parse(&fs::read_to_string(&path).unwrap())
}

/// (capture name, captured text) in document order; captures whose name starts with `_`
/// are helpers for predicates, never highlighted, and left out.
fn captures(query: &Query, trees: &[&Tree], text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for tree in trees {
        let mut cursor = QueryCursor::new();
        let mut it = cursor.captures(query, tree.root_node(), text.as_bytes());
        while let Some((m, index)) = it.next() {
            let capture = m.captures[*index];
            let name = query.capture_names()[capture.index as usize];
            if name.starts_with('_') {
                continue;
            }
            let node = capture.node;
            out.push((
                node.start_byte(),
                name.to_owned(),
                text[node.byte_range()].to_owned(),
            ));
        }
    }
    out.sort();
    out.dedup();
    out.into_iter().map(|(_, n, t)| (n, t)).collect()
}

fn block_captures(doc: &Doc) -> Vec<(String, String)> {
    captures(
        &load_query("markdown", "highlights.scm"),
        &[&doc.block],
        &doc.text,
    )
}

fn inline_captures(doc: &Doc) -> Vec<(String, String)> {
    let trees: Vec<&Tree> = doc.inlines.iter().collect();
    captures(
        &load_query("markdown_inline", "highlights.scm"),
        &trees,
        &doc.text,
    )
}

#[test]
fn every_query_compiles() {
    let files = query_files();
    assert!(files.len() >= 2, "no queries found: {files:?}");
    for (lang, path) in files {
        let language = language_for(&lang)
            .unwrap_or_else(|| panic!("{}: no grammar for query folder {lang:?}", path.display()));
        let source = fs::read_to_string(&path).unwrap();
        if let Err(e) = Query::new(&language, &source) {
            panic!("{}: {e}", path.display());
        }
    }
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
        .collect()
}

#[test]
fn prp_captures() {
    let doc = fixture("prp.md");
    assert_eq!(
        block_captures(&doc),
        pairs(&[
            ("constant.prp.priority", "Priority: CRITICAL"),
            ("constant.prp.status", "Status: Complete"),
            ("markup.list.unchecked", "[ ]"),
            ("markup.list.checked", "[x]"),
            ("label.prp.assignee", "**Assigned to**: database_agent"),
            (
                "markup.raw.block.prp.tasks",
                "Task 1:\nCREATE backend/app/models/invoice.py:\n  - MIRROR pattern from: \
                 backend/app/models/user.py\nMODIFY backend/app/api/routes.py:\n  - INJECT the \
                 invoice router\n",
            ),
        ])
    );
    assert_eq!(
        inline_captures(&doc),
        pairs(&[
            ("label.prp.key", "**Status**"),
            ("label.prp.key", "**Created**"),
            ("label.prp.key", "**Priority**"),
            ("label.prp.key", "**Assigned to**"),
            ("string.special.path.prp", "PRPs/archive/01_user_auth.md"),
            (
                "string.special.path.prp",
                "`PRPs/active/03_sync_calendar.md`"
            ),
            ("label.prp.key", "**Assigned to**"),
        ])
    );
}

#[test]
fn task_board_captures() {
    let doc = fixture("TASK.md");
    assert_eq!(
        block_captures(&doc),
        pairs(&[
            ("markup.list.unchecked", "[ ]"),
            (
                "string.special.path.prp",
                "Source: PRPs/active/01_user_auth.md"
            ),
            ("markup.list.checked", "[x]"),
            ("label.prp.assignee", "Assigned to: frontend"),
            ("constant.prp.status", "Status: Complete"),
            ("markup.heading.prp.date", "Just Completed (2026-11-20)"),
            ("markup.list.checked", "[x]"),
            ("markup.heading.prp.date", "2026-11-19: Billing kickoff"),
            ("markup.list.unchecked", "[ ]"),
            ("constant.prp.priority", "Priority: High"),
            ("label.prp.assignee", "**Assigned to**: `backend`"),
        ])
    );
    assert_eq!(
        inline_captures(&doc),
        pairs(&[
            ("label.prp.agent", "`@backend`"),
            ("constant.numeric.prp.date", "`2026-12-01`"),
            ("label.prp.key", "**Assigned to**"),
        ])
    );
}

#[test]
fn feature_plan_captures() {
    let doc = fixture("feature_plan.md");
    assert_eq!(block_captures(&doc), pairs(&[]));
    assert_eq!(
        inline_captures(&doc),
        pairs(&[
            ("markup.list.checked", "[x]"),
            ("markup.list.unchecked.prp.wip", "[wip]"),
            ("markup.list.unchecked.prp.failed", "[f]"),
            ("markup.list.unchecked", "[ ]"),
        ])
    );
}

/// The text predicates (`#eq?`, `#any-of?`, `#match?`) are evaluated by the `tree-sitter`
/// crate's `QueryCursor` itself: without them these near misses would be captured.
#[test]
fn text_predicates_filter_near_misses() {
    let doc = parse(
        "Mentions [x] mid-sentence.\n\n[done] is not a state.\n\n**Owner**: x\n\n\
         [link](docs/guide.md)\n\n```bash\nUPDATE nothing # a shell fence\n```\n\n\
         ## Priority queue design\n\nStatus: Complete and more: text\n",
    );
    assert_eq!(block_captures(&doc), pairs(&[]));
    assert_eq!(inline_captures(&doc), pairs(&[]));
}

/// `#match?` regexes must mean the same in Neovim (Vim regex, magic mode) and in Helix and
/// the `tree-sitter` crate (Rust regex): no groups, alternation, `+`, `?`, `{n}`, `~`, and
/// backslash escapes only for `[`, `]`, `.`, `*` and the classes `\s`, `\S`, `\d`.
#[test]
fn match_regexes_are_portable() {
    for (_, path) in query_files() {
        let source = fs::read_to_string(&path).unwrap();
        for (line_no, line) in source.lines().enumerate() {
            if line.trim_start().starts_with(';') {
                continue;
            }
            let Some(at) = line.find("#match?").or_else(|| line.find("#not-match?")) else {
                continue;
            };
            let rest = &line[at..];
            let start = rest.find('"').expect("a regex string") + 1;
            let end = start + rest[start..].rfind('"').expect("closing quote");
            // Undo the query-string escaping (`\\` -> `\`) to get the regex itself.
            let regex = rest[start..end].replace("\\\\", "\\");
            let where_ = format!("{}:{}: {regex}", path.display(), line_no + 1);
            for bad in ['(', ')', '|', '+', '?', '{', '}', '~'] {
                // Inside a bracket class these are literal in both dialects.
                let outside_class = strip_classes(&regex);
                assert!(
                    !outside_class.contains(bad),
                    "{where_}: `{bad}` is not portable"
                );
            }
            let mut chars = regex.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    let next = chars.next().unwrap_or(' ');
                    assert!(
                        matches!(next, '[' | ']' | '.' | '*' | 's' | 'S' | 'd'),
                        "{where_}: `\\{next}` is not portable"
                    );
                }
            }
        }
    }
}

/// The regex with every `[...]` class removed.
fn strip_classes(regex: &str) -> String {
    let mut out = String::new();
    let mut in_class = false;
    let mut prev = ' ';
    for c in regex.chars() {
        match c {
            '[' if !in_class && prev != '\\' => in_class = true,
            ']' if in_class => in_class = false,
            _ if !in_class => out.push(c),
            _ => {}
        }
        prev = c;
    }
    out
}

#[test]
fn library_constants_are_the_files() {
    assert_eq!(
        prp_grammars::MARKDOWN_HIGHLIGHTS,
        fs::read_to_string(root().join("queries/markdown/highlights.scm")).unwrap()
    );
    assert_eq!(
        prp_grammars::MARKDOWN_INLINE_HIGHLIGHTS,
        fs::read_to_string(root().join("queries/markdown_inline/highlights.scm")).unwrap()
    );
}

/// Every capture name (bar `_` helpers) extends a name both Neovim (nvim-treesitter) and
/// Helix themes colour, so it falls back to a visible colour in either editor.
#[test]
fn capture_names_are_portable() {
    const SHARED: &[&str] = &[
        "markup.list.checked",
        "markup.list.unchecked",
        "markup.raw.block",
        "markup.heading",
        "constant.numeric",
        "constant",
        "string.special.path",
        "label",
    ];
    for (lang, path) in query_files() {
        let source = fs::read_to_string(&path).unwrap();
        let query = Query::new(&language_for(&lang).unwrap(), &source).unwrap();
        for name in query.capture_names() {
            if name.starts_with('_') {
                continue;
            }
            assert!(
                SHARED
                    .iter()
                    .any(|base| *name == *base || name.starts_with(&format!("{base}."))),
                "{}: @{name} is not under a capture both Neovim and Helix know",
                path.display()
            );
        }
    }
}

#[test]
fn readme_documents_every_capture() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    for (lang, path) in query_files() {
        let source = fs::read_to_string(&path).unwrap();
        let query = Query::new(&language_for(&lang).unwrap(), &source).unwrap();
        for name in query.capture_names() {
            assert!(
                readme.contains(&format!("@{name}")),
                "grammars/README.md does not mention @{name} ({})",
                path.display()
            );
        }
    }
}

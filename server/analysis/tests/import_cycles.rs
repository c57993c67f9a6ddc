//! No import loops between the files of either crate: each file's `crate::…` and `super::…`
//! paths (tests and comments left out) are edges to the file that defines the module they
//! name, and the graph must have no cycle. A cycle means two files cannot be understood, or
//! moved, apart. The layers, bottom up: the rule registry and diagnostics, the document
//! model, the configuration (plain data: it imports no feature), the workspace index, the
//! features (gates, status, assignment, generation, fixes), the rule runner.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/a/b.rs` → `a::b`; `src/a/mod.rs` → `a`; `src/lib.rs` → the crate root.
fn module_of(src: &Path, file: &Path) -> Module {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Module = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The code of a file without its test module and comments (doc links are no imports).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths after each occurrence of `prefix` (`crate::`, `super::`): `a::b::C` → [a, b, C].
fn paths_after<'t>(code: &'t str, prefix: &str) -> Vec<Vec<&'t str>> {
    code.match_indices(prefix)
        .filter(|(at, _)| {
            !code[..*at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
        .map(|(at, _)| {
            let rest = &code[at + prefix.len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            rest[..end].split("::").filter(|s| !s.is_empty()).collect()
        })
        .collect()
}

/// The file-modules each file imports from, within one crate.
fn graph(src: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeMap<Module, PathBuf> = files
        .iter()
        .map(|f| (module_of(src, f), f.clone()))
        .collect();
    let mut edges = BTreeMap::new();
    for (module, file) in &modules {
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        // `super::` is the module one level up, for `a/b.rs` (module `a::b`) as for
        // `a/mod.rs` (module `a`).
        let super_base: Module = module[..module.len().saturating_sub(1)].to_vec();
        let mut deps = BTreeSet::new();
        let candidates = paths_after(&code, "crate::")
            .into_iter()
            .map(|p| p.into_iter().map(str::to_string).collect::<Module>())
            .chain(paths_after(&code, "super::").into_iter().map(|p| {
                super_base
                    .iter()
                    .cloned()
                    .chain(p.into_iter().map(str::to_string))
                    .collect()
            }));
        for path in candidates {
            // The longest prefix that is a file of the crate.
            if let Some(target) = (1..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|p| modules.contains_key(p))
            {
                if &target != module {
                    deps.insert(target);
                }
            }
        }
        edges.insert(module.clone(), deps);
    }
    edges
}

/// The strongly connected components with more than one module (Tarjan).
fn cycles(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<BTreeSet<Module>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on_stack: BTreeSet<&'a Module>,
        found: Vec<BTreeSet<Module>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a Module) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.edges.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if self.on_stack.contains(w) {
                    let iw = self.index[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = BTreeSet::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    component.insert(w.clone());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    self.found.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !walk.index.contains_key(v) {
            walk.visit(v);
        }
    }
    walk.found
}

fn names(component: &BTreeSet<Module>) -> Vec<String> {
    component.iter().map(|m| m.join("/")).collect()
}

#[test]
fn the_core_has_no_import_loop() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found: Vec<Vec<String>> = cycles(&graph(&src)).iter().map(names).collect();
    assert!(
        found.is_empty(),
        "import loops: {found:?} (see ARCHITECTURE.md)"
    );
}

#[test]
fn the_server_has_no_import_loop() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../prp-lsp/src");
    let found: Vec<Vec<String>> = cycles(&graph(&src)).iter().map(names).collect();
    assert!(found.is_empty(), "import loops: {found:?}");
}

/// The check itself finds a loop (a test that could not fail would prove nothing).
#[test]
fn a_loop_is_found() {
    let m = |s: &str| -> Module { s.split('/').map(str::to_string).collect() };
    let mut edges = BTreeMap::new();
    edges.insert(m("a"), BTreeSet::from([m("b")]));
    edges.insert(m("b"), BTreeSet::from([m("c")]));
    edges.insert(m("c"), BTreeSet::from([m("a")]));
    edges.insert(m("d"), BTreeSet::from([m("a")]));
    let found = cycles(&edges);
    assert_eq!(found.len(), 1);
    assert_eq!(names(&found[0]), ["a", "b", "c"]);
}

//! Rule documentation is generated from the registry (`server/analysis/src/rules/registry.rs`):
//! a page per rule under docs/rules/ and the README's rule table. These tests fail when either
//! is stale; `PRP_LSP_UPDATE_DOCS=1 cargo test -p prp-analysis --test rule_docs` rewrites them.

use std::path::{Path, PathBuf};

use prp_analysis::Rule;

const README_START: &str = "<!-- rules:start (generated from the rule registry) -->";
const README_END: &str = "<!-- rules:end -->";
const REGENERATE: &str = "PRP_LSP_UPDATE_DOCS=1 cargo test -p prp-analysis --test rule_docs";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn updating() -> bool {
    std::env::var_os("PRP_LSP_UPDATE_DOCS").is_some()
}

/// The README's table of rules, each code linking to its page.
fn readme_table() -> String {
    let mut out = String::from("| code | default | finds |\n|---|---|---|\n");
    for rule in Rule::ALL {
        out.push_str(&format!(
            "| [`{code}`](docs/rules/{code}.md) | {} | {} |\n",
            rule.default_severity().label(),
            rule.summary(),
            code = rule.code(),
        ));
    }
    out
}

#[test]
fn every_rule_is_documented_in_the_same_shape() {
    for rule in Rule::ALL {
        let doc = rule.documentation();
        let headings: Vec<&str> = doc.lines().filter(|l| l.starts_with("## ")).collect();
        assert_eq!(
            headings,
            [
                "## What it finds",
                "## Why it matters",
                "## Example",
                "## How to fix",
                "## Options"
            ],
            "`{}`: its doc comment in rules/registry.rs needs these sections, in this order",
            rule.code()
        );
    }
}

#[test]
fn rule_pages_match_the_registry() {
    let dir = repo().join("docs/rules");
    if updating() {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut stale = Vec::new();
    for rule in Rule::ALL {
        let path = dir.join(format!("{}.md", rule.code()));
        let page = rule.page();
        if updating() {
            std::fs::write(&path, &page).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(page.as_str()) {
            stale.push(rule.code());
        }
    }
    // A page for a code the registry no longer has is stale too.
    let extra: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|name| {
                    name.strip_suffix(".md")
                        .is_some_and(|code| Rule::from_code(code).is_none())
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "docs/rules/ is out of date (stale or missing: {stale:?}; no such rule: {extra:?}); run `{REGENERATE}`"
    );
}

#[test]
fn readme_rule_table_matches_the_registry() {
    let path = repo().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (Some(start), Some(end)) = (readme.find(README_START), readme.find(README_END)) else {
        panic!(
            "README.md lacks the markers `{README_START}` … `{README_END}` around the rule table"
        );
    };
    let body_start = start + README_START.len() + 1;
    let table = readme_table();
    if updating() {
        let updated = format!("{}{table}{}", &readme[..body_start], &readme[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        readme[body_start..end] == table,
        "README.md's rule table is out of date; run `{REGENERATE}`"
    );
}

//! PRP families ("profiles"): which canonical sections each requires, and the table that
//! finds a heading's canonical section (names from [`crate::sections::CATALOG`]).

use std::collections::HashMap;

/// A requirement: one canonical section, or alternatives any of which satisfies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement(pub Vec<String>);

impl Requirement {
    pub fn label(&self) -> String {
        self.0.join(" or ")
    }
}

#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub description: String,
    /// In document order; a missing one is reported.
    pub required: Vec<Requirement>,
    /// Expected but never reported when absent (used for ordering, hover and completion).
    pub optional: Vec<String>,
}

fn req(names: &[&str]) -> Requirement {
    Requirement(names.iter().map(|s| s.to_string()).collect())
}

fn profile(name: &str, description: &str, required: &[&[&str]], optional: &[&str]) -> Profile {
    Profile {
        name: name.to_string(),
        description: description.to_string(),
        required: required.iter().map(|r| req(r)).collect(),
        optional: optional.iter().map(|s| s.to_string()).collect(),
    }
}

pub fn builtin_profiles() -> Vec<Profile> {
    vec![
        profile(
            "base",
            "context-engineering base template (v2/v3)",
            &[
                &["Goal"],
                &["Why"],
                &["What"],
                &["Success Criteria"],
                &["All Needed Context"],
                &["Implementation Blueprint", "Tasks"],
                &["Validation Loop"],
            ],
            &["Final Validation Checklist", "Anti-Patterns to Avoid"],
        ),
        profile(
            "orchestrator",
            "multi-agent orchestrator generator",
            &[
                &["Title"],
                &["Description"],
                &["Priority"],
                &["Complexity"],
                &["Modules Affected"],
                &["Why"],
                &["Pre-Implementation"],
                &["Success Criteria"],
                &["Tasks"],
                &["Validation Loop"],
                &["Deployment Steps"],
                &["Rollback Plan"],
                &["Post-Deployment"],
            ],
            &[],
        ),
        profile(
            "short",
            "short form",
            &[
                &["Goal"],
                &["Priority"],
                &["What"],
                &["Success Criteria"],
                &["Implementation Blueprint"],
                &["Estimated Effort"],
            ],
            &[],
        ),
        profile(
            "feature-plan",
            "feature plan",
            &[
                &["Summary"],
                &["User Story"],
                &["Why"],
                &["Solution Statement"],
                &["Files to Change"],
                &["Tasks"],
                &["Validation Loop"],
                &["Success Criteria"],
            ],
            &[],
        ),
        profile(
            "spec",
            "spec (objectives and low-level tasks)",
            &[
                &["High-Level Objective"],
                &["Mid-Level Objective"],
                &["Low-Level Tasks", "Tasks"],
            ],
            &[],
        ),
        profile(
            "story",
            "story (original story and metadata)",
            &[&["Original Story"], &["Story Metadata"]],
            &[],
        ),
    ]
}

/// Agent context files have their own shape.
pub const AGENT_SECTIONS: &[(&str, &[&str])] = &[
    (
        "Identity",
        &["your identity", "identity", "role", "your role"],
    ),
    (
        "Scope",
        &[
            "your scope",
            "scope",
            "responsibilities",
            "your responsibilities",
        ],
    ),
    ("Capabilities", &["your capabilities", "capabilities"]),
    (
        "Restrictions",
        &[
            "your restrictions",
            "restrictions",
            "limitations",
            "constraints",
        ],
    ),
];

/// Criteria headings that keep their meaning behind a qualifier.
const CRITERIA_SUFFIXES: [&str; 4] = [
    "acceptance criteria",
    "success criteria",
    "exit criteria",
    "definition of done",
];

/// Looks up the canonical section of a normalized heading key.
#[derive(Debug, Clone, Default)]
pub struct SynonymTable {
    by_key: HashMap<String, String>,
    /// The same keys with hyphens written as spaces.
    by_hyphenless_key: HashMap<String, String>,
    names: HashMap<String, Vec<String>>,
}

impl SynonymTable {
    pub fn builtin() -> Self {
        let mut table = SynonymTable::default();
        for section in crate::sections::CATALOG {
            table.add(section.canonical, section.synonyms.iter().copied());
        }
        table
    }

    pub fn add<'a>(&mut self, canonical: &str, names: impl IntoIterator<Item = &'a str>) {
        let key = crate::document::heading::normalize_key(canonical);
        self.insert_key(key, canonical);
        let entry = self.names.entry(canonical.to_string()).or_default();
        if !entry.contains(&canonical.to_string()) {
            entry.insert(0, canonical.to_string());
        }
        let mut keys = Vec::new();
        for name in names {
            keys.push(crate::document::heading::normalize_key(name));
            if !entry.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                entry.push(title_case(name));
            }
        }
        for key in keys {
            self.insert_key(key, canonical);
        }
    }

    fn insert_key(&mut self, key: String, canonical: &str) {
        self.by_hyphenless_key
            .insert(key.replace('-', " "), canonical.to_string());
        self.by_key.insert(key, canonical.to_string());
    }

    /// Canonical name of a heading key, trying the key as written, without a trailing
    /// parenthetical, and known long-form prefixes.
    pub fn canonical(&self, key: &str) -> Option<&str> {
        if let Some(c) = self.by_key.get(key) {
            return Some(c);
        }
        // `Step by Step Tasks` is `Step-by-Step Tasks`.
        let hyphenless = if key.contains('-') {
            Some(key.replace('-', " "))
        } else {
            None
        };
        if let Some(c) = self
            .by_hyphenless_key
            .get(hyphenless.as_deref().unwrap_or(key))
        {
            return Some(c);
        }
        if let Some(open) = key.rfind(" (") {
            if let Some(c) = self.by_key.get(key[..open].trim()) {
                return Some(c);
            }
        }
        if key.starts_with("list of tasks") {
            return self.by_key.get("list of tasks").map(String::as_str);
        }
        // `Task-Specific Acceptance Criteria`, `Functional Success Criteria`: a qualified
        // criteria heading is still the criteria section.
        CRITERIA_SUFFIXES
            .iter()
            .find(|suffix| {
                key.strip_suffix(**suffix)
                    .is_some_and(|head| head.ends_with(' '))
            })
            .and_then(|suffix| self.by_key.get(*suffix).map(String::as_str))
    }

    /// Accepted names of a canonical section, canonical first.
    pub fn names_of(&self, canonical: &str) -> Vec<String> {
        self.names
            .get(canonical)
            .cloned()
            .unwrap_or_else(|| vec![canonical.to_string()])
    }
}

fn title_case(name: &str) -> String {
    name.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) if !matches!(w, "to" | "of" | "and" | "in" | "or") => {
                    f.to_uppercase().chain(c).collect()
                }
                _ => w.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_map_to_canonical() {
        let t = SynonymTable::builtin();
        assert_eq!(t.canonical("acceptance criteria"), Some("Success Criteria"));
        assert_eq!(t.canonical("tasks (in execution order)"), Some("Tasks"));
        assert_eq!(
            t.canonical("list of tasks to be completed to fulfill the prp"),
            Some("Tasks")
        );
        assert_eq!(
            t.canonical("implementation blueprint"),
            Some("Implementation Blueprint")
        );
        assert_eq!(t.canonical("step by step tasks"), Some("Tasks"));
        assert_eq!(
            t.canonical("anti patterns to avoid"),
            Some("Anti-Patterns to Avoid")
        );
        assert_eq!(t.canonical("anything else"), None);
        assert_eq!(
            t.canonical("task-specific acceptance criteria"),
            Some("Success Criteria")
        );
        assert_eq!(t.canonical("success definition"), Some("Success Criteria"));
        assert_eq!(
            t.canonical("business logic (why this matters)"),
            Some("Why")
        );
        assert!(t.names_of("Goal").contains(&"Objective".to_string()));
    }
}

//! The section catalog: every canonical section prp-lsp knows, with the names real PRPs
//! give it, what it is for, the line the "add section" fix writes into it, and the text
//! generation writes when a requirement has nothing specific to say. Profiles (which
//! sections a family requires), hover, quick fixes and generation all read this one table.

/// One canonical section.
#[derive(Debug)]
pub struct SectionInfo {
    pub canonical: &'static str,
    /// The other names it is written as (lowercase, normalized); the canonical name itself
    /// is always accepted.
    pub synonyms: &'static [&'static str],
    /// What the section is for, shown on hover.
    pub purpose: &'static str,
    /// One line to fill in, for the fix that adds the section: written so that no rule
    /// flags it (no brackets, no `{{ }}`), yet obviously unfinished. `None`: a line naming
    /// the section.
    skeleton: Option<&'static str>,
    /// What generation writes into the section when the requirement says nothing specific.
    pub standard_text: Option<&'static str>,
}

/// The catalog, in the order the base template writes its sections, then the other
/// families'.
pub const CATALOG: &[SectionInfo] = &[
    SectionInfo {
        canonical: "Goal",
        synonyms: &[
            "objective",
            "objectives",
            "feature goal",
            "goals",
        ],
        purpose: "What the work must achieve: the end state, stated so an agent can tell when it is done.",
        skeleton: Some("TODO: the end result, in one sentence"),
        standard_text: None,
    },
    SectionInfo {
        canonical: "Why",
        synonyms: &[
            "problem statement",
            "business value",
            "business justification",
            "background",
            "motivation",
            "rationale",
            "problem",
            "business logic",
        ],
        purpose: "The business value and the problem it solves: why this work matters now.",
        skeleton: Some("TODO: the problem this solves, and for whom"),
        standard_text: None,
    },
    SectionInfo {
        canonical: "What",
        synonyms: &[
            "user-visible behavior",
            "technical requirements",
            "requirements",
            "scope",
            "functional requirements",
            "feature description",
        ],
        purpose: "The user-visible behaviour and technical requirements.",
        skeleton: Some("TODO: what users will see and what the system will do"),
        standard_text: None,
    },
    SectionInfo {
        canonical: "Success Criteria",
        synonyms: &[
            "success metrics",
            "acceptance criteria",
            "exit criteria",
            "definition of done",
            "success definition",
        ],
        purpose: "Measurable outcomes, usually a checklist; all ticked before the PRP is finished.",
        skeleton: Some("- [ ] TODO: a measurable outcome that shows the work is done"),
        standard_text: None,
    },
    SectionInfo {
        canonical: "All Needed Context",
        synonyms: &[
            "context",
            "documentation & references",
            "context completeness check",
            "needed context",
            "documentation and references",
            "references",
        ],
        purpose: "Files, docs and URLs the agent must read (`- file:`, `- docfile:`, `- url:` items).",
        skeleton: Some("TODO: the files, docs and URLs the agent must read"),
        standard_text: None,
    },
    SectionInfo {
        canonical: "Implementation Blueprint",
        synonyms: &[
            "solution design",
            "technical approach",
            "implementation patterns & key details",
            "implementation plan",
            "implementation approach",
            "implementation details",
            "implementation",
        ],
        purpose: "How to build it: data models, patterns, pseudocode.",
        skeleton: Some("TODO: the approach, the data models and the order of changes"),
        standard_text: None,
    },
    SectionInfo {
        canonical: "Tasks",
        synonyms: &[
            "implementation tasks",
            "implementation steps",
            "tasks (in execution order)",
            "step-by-step tasks",
            "task list",
            "low-level tasks",
            "list of tasks",
        ],
        purpose: "The ordered tasks, each with the files it creates or modifies and the agent assigned.",
        skeleton: Some("- [ ] TODO: the first task"),
        standard_text: None,
    },
    SectionInfo {
        canonical: "Validation Loop",
        synonyms: &[
            "testing & validation",
            "testing procedures",
            "validation steps",
            "validation gates",
            "validation commands",
            "validation",
            "testing strategy",
            "testing",
            "testing and validation",
            "test plan",
        ],
        purpose: "Commands that prove the work: syntax and style, unit tests, integration tests.",
        skeleton: Some("TODO: the commands that prove the work (lint, type check, tests)"),
        standard_text: None,
    },
    SectionInfo {
        canonical: "Final Validation Checklist",
        synonyms: &[
            "final checklist",
            "completion checklist",
            "validation checklist",
        ],
        purpose: "The last checks before the PRP is finished.",
        skeleton: Some("- [ ] TODO: a check to pass before calling it done"),
        standard_text: Some("- [ ] All tasks are complete\n- [ ] All tests pass\n- [ ] No linting or type errors\n- [ ] Success criteria are met\n"),
    },
    SectionInfo {
        canonical: "Pre-Implementation",
        synonyms: &[
            "pre-implementation requirements",
            "prerequisites",
            "dependencies",
            "pre-implementation checklist",
        ],
        purpose: "What must be true before work starts: prerequisites and dependencies.",
        skeleton: Some("- [ ] TODO: what must be in place before the work starts"),
        standard_text: None,
    },
    SectionInfo {
        canonical: "Rollback Plan",
        synonyms: &[
            "rollback",
            "rollback procedure",
        ],
        purpose: "How to undo the change if the deployment fails.",
        skeleton: Some("TODO: how to undo the change if it fails"),
        standard_text: None,
    },
    SectionInfo {
        canonical: "Anti-Patterns to Avoid",
        synonyms: &[
            "anti-patterns",
        ],
        purpose: "Mistakes the agent must not make.",
        skeleton: Some("- TODO: a mistake to avoid"),
        standard_text: Some("- Don't skip validation because it should work\n- Don't hardcode values that belong in configuration\n"),
    },
    SectionInfo {
        canonical: "Priority",
        synonyms: &[],
        purpose: "Critical, High, Medium or Low.",
        skeleton: Some("TODO: critical, high, medium or low"),
        standard_text: None,
    },
    SectionInfo {
        canonical: "Complexity",
        synonyms: &[],
        purpose: "S, M, L or XL.",
        skeleton: Some("TODO: S, M, L or XL"),
        standard_text: None,
    },
    SectionInfo {
        canonical: "Modules Affected",
        synonyms: &[
            "affected modules",
        ],
        purpose: "The modules the change touches; they decide which agents take the tasks.",
        skeleton: Some("TODO: the modules this work touches"),
        standard_text: None,
    },
    SectionInfo {
        canonical: "Deployment Steps",
        synonyms: &[
            "deployment",
            "deployment plan",
        ],
        purpose: "How the change reaches production.",
        skeleton: Some("- [ ] TODO: the first deployment step"),
        standard_text: Some("1. Merge after review and green CI\n2. Deploy to staging and verify the success criteria\n3. Deploy to production\n"),
    },
    SectionInfo {
        canonical: "Post-Deployment",
        synonyms: &[
            "post-deployment monitoring",
            "post-deployment steps",
            "post-implementation",
        ],
        purpose: "What to watch after release.",
        skeleton: Some("- [ ] TODO: what to watch after the release"),
        standard_text: Some("- [ ] Monitor errors and performance for a day\n- [ ] Add the DEV_LOG entry\n"),
    },
    SectionInfo {
        canonical: "Estimated Effort",
        synonyms: &[
            "timeline",
            "estimated effort / timeline",
            "effort estimate",
            "effort",
        ],
        purpose: "How long the work should take.",
        skeleton: Some("TODO: the expected effort"),
        standard_text: None,
    },
    SectionInfo {
        canonical: "Summary",
        synonyms: &[],
        purpose: "The feature in a few sentences: what it is and who it is for.",
        skeleton: None,
        standard_text: None,
    },
    SectionInfo {
        canonical: "User Story",
        synonyms: &[
            "user stories",
        ],
        purpose: "Who wants it, what they want and why, in the user's words.",
        skeleton: Some("TODO: as a user, I want …, so that …"),
        standard_text: None,
    },
    SectionInfo {
        canonical: "Solution Statement",
        synonyms: &[
            "solution",
            "proposed solution",
        ],
        purpose: "The chosen approach, in a paragraph.",
        skeleton: None,
        standard_text: None,
    },
    SectionInfo {
        canonical: "Files to Change",
        synonyms: &[
            "files to modify",
            "relevant files",
            "files to create or modify",
        ],
        purpose: "The files the work creates or modifies; a task naming none touches these.",
        skeleton: Some("- TODO: a file this work changes"),
        standard_text: None,
    },
    SectionInfo {
        canonical: "High-Level Objective",
        synonyms: &[],
        purpose: "The one outcome the whole spec serves.",
        skeleton: None,
        standard_text: None,
    },
    SectionInfo {
        canonical: "Mid-Level Objective",
        synonyms: &[
            "mid-level objectives",
        ],
        purpose: "The concrete, testable steps toward the high-level objective.",
        skeleton: None,
        standard_text: None,
    },
    SectionInfo {
        canonical: "Low-Level Tasks",
        synonyms: &[],
        purpose: "The ordered tasks, each small enough for one agent prompt.",
        skeleton: Some("- [ ] TODO: the first task"),
        standard_text: None,
    },
    SectionInfo {
        canonical: "Original Story",
        synonyms: &[],
        purpose: "The story as the requester wrote it, unedited.",
        skeleton: None,
        standard_text: None,
    },
    SectionInfo {
        canonical: "Story Metadata",
        synonyms: &[],
        purpose: "The story's bookkeeping: id, points, owner, labels.",
        skeleton: None,
        standard_text: None,
    },
    SectionInfo {
        canonical: "Description",
        synonyms: &[
            "overview",
            "feature overview",
        ],
        purpose: "What this PRP is about, in two or three sentences.",
        skeleton: Some("TODO: what this PRP is about, in two or three sentences"),
        standard_text: None,
    },
    SectionInfo {
        canonical: "Known Gotchas",
        synonyms: &[
            "known gotchas & library quirks",
            "gotchas",
        ],
        purpose: "Library quirks and traps the agent would otherwise fall into.",
        skeleton: None,
        standard_text: None,
    },
    SectionInfo {
        canonical: "Notes",
        synonyms: &[
            "additional notes",
        ],
        purpose: "Anything else worth knowing that fits no other section.",
        skeleton: None,
        standard_text: None,
    },
    SectionInfo {
        canonical: "Confidence Score",
        synonyms: &[],
        purpose: "How likely one pass succeeds with this context, usually out of 10.",
        skeleton: None,
        standard_text: None,
    },
];

/// The placeholder line the "add section" fix writes into `canonical`.
pub fn skeleton(canonical: &str) -> String {
    match info(canonical).and_then(|s| s.skeleton) {
        Some(line) => line.to_string(),
        None => format!("TODO: write the {canonical} section"),
    }
}

/// The catalog's entry for a canonical section name.
pub fn info(canonical: &str) -> Option<&'static SectionInfo> {
    CATALOG.iter().find(|s| s.canonical == canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_a_builtin_profile_names_is_in_the_catalog() {
        for profile in crate::profile::builtin_profiles() {
            let names = profile.required.iter().flat_map(|r| r.0.iter());
            for name in names.chain(profile.optional.iter()) {
                // The title is the document's `#` line, not a section.
                assert!(
                    name == "Title" || info(name).is_some(),
                    "{name} ({})",
                    profile.name
                );
            }
        }
    }

    #[test]
    fn each_synonym_names_one_section_and_every_section_says_what_it_is_for() {
        // A synonym may be another family's canonical name (`low-level tasks` is both a
        // Tasks heading and the spec family's own section): the later entry wins there.
        let mut seen = std::collections::HashSet::new();
        for s in CATALOG {
            assert!(!s.purpose.is_empty(), "{} has no purpose", s.canonical);
            for name in s.synonyms {
                assert!(seen.insert(*name), "{name} listed twice");
            }
        }
    }
}

//! What a requirement asks for: a feature, a bug fix, performance, security, a refactor or
//! documentation.

use super::words::Words;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequirementKind {
    Feature,
    BugFix,
    Performance,
    Security,
    Refactor,
    Documentation,
}

impl RequirementKind {
    pub const ALL: [RequirementKind; 6] = [
        RequirementKind::Feature,
        RequirementKind::BugFix,
        RequirementKind::Performance,
        RequirementKind::Security,
        RequirementKind::Refactor,
        RequirementKind::Documentation,
    ];

    /// The value written in a requirement block.
    pub fn as_str(self) -> &'static str {
        match self {
            RequirementKind::Feature => "feature",
            RequirementKind::BugFix => "bug_fix",
            RequirementKind::Performance => "performance",
            RequirementKind::Security => "security",
            RequirementKind::Refactor => "refactor",
            RequirementKind::Documentation => "documentation",
        }
    }

    /// `bug_fix`, `bug-fix`, `Bug Fix`, and the short forms `bug`, `docs`, `perf`.
    pub fn parse(value: &str) -> Option<RequirementKind> {
        let v = value.trim().to_lowercase().replace(['-', ' '], "_");
        let short = match v.as_str() {
            "bug" | "bugfix" | "fix" => Some(RequirementKind::BugFix),
            "docs" | "doc" => Some(RequirementKind::Documentation),
            "perf" => Some(RequirementKind::Performance),
            _ => None,
        };
        short.or_else(|| Self::ALL.into_iter().find(|k| k.as_str() == v))
    }

    /// Reads the kind from the words of a text; a feature when nothing else is said, and
    /// when the request opens with a verb that builds something ("Add Slack alerts for
    /// failed payments" is a feature, though "failed" is a bug word).
    pub(super) fn infer_from(text: &str, words: &Words) -> RequirementKind {
        const BUILDING: [&str; 16] = [
            "add",
            "allow",
            "build",
            "create",
            "enable",
            "export",
            "import",
            "integrate",
            "let",
            "notify",
            "send",
            "show",
            "support",
            "sync",
            "introduce",
            "display",
        ];
        let first = text
            .split(|c: char| !c.is_alphanumeric())
            .find(|w| !w.is_empty())
            .unwrap_or("")
            .to_lowercase();
        let plainly_a_bug = words.mentions_any(&["bug", "broken", "crash*", "regression"]);
        let inferred = Self::infer(words);
        if BUILDING.contains(&first.as_str())
            && !plainly_a_bug
            && matches!(
                inferred,
                RequirementKind::BugFix | RequirementKind::Performance
            )
        {
            RequirementKind::Feature
        } else {
            inferred
        }
    }

    /// Reads the kind from the words of a text; a feature when nothing else is said.
    fn infer(words: &Words) -> RequirementKind {
        // Most specific first: "fix the slow login" is a bug, "secure the docs" security.
        const CUES: [(RequirementKind, &[&str]); 5] = [
            (
                RequirementKind::Security,
                &[
                    "security",
                    "secure",
                    "vulnerab*",
                    "xss",
                    "csrf",
                    "injection",
                    "cve",
                    "exploit",
                    "leak*",
                    "hash",
                    "hashed",
                    "hashing",
                    "encrypt*",
                    "argon2",
                    "bcrypt",
                ],
            ),
            (
                RequirementKind::BugFix,
                &[
                    "bug",
                    "fix*",
                    "broken",
                    "crash*",
                    "regression",
                    "fails",
                    "failing",
                    "error",
                    "incorrect",
                    "wrong",
                ],
            ),
            (
                RequirementKind::Performance,
                &[
                    "performance",
                    "slow",
                    "latency",
                    "optimi*",
                    "faster",
                    "speed up",
                    "memory usage",
                    "throughput",
                ],
            ),
            (
                RequirementKind::Refactor,
                &[
                    "refactor*",
                    "clean up",
                    "cleanup",
                    "restructur*",
                    "simplif*",
                    "tech debt",
                ],
            ),
            (
                RequirementKind::Documentation,
                &[
                    "document*",
                    "docs",
                    "readme",
                    "guide",
                    "tutorial",
                    "changelog",
                ],
            ),
        ];
        CUES.iter()
            .find(|(_, cues)| words.mentions_any(cues))
            .map(|(kind, _)| *kind)
            .unwrap_or(RequirementKind::Feature)
    }
}

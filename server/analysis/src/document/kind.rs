//! Which kind of document a path is, and what lifecycle stage its folder means.

use crate::config::Config;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    Prp,
    TaskBoard,
    Agent,
    /// Markdown prp-lsp does not validate.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lifecycle {
    Planning,
    Active,
    Finished,
    Unknown,
}

impl Lifecycle {
    pub fn label(self) -> &'static str {
        match self {
            Lifecycle::Planning => "planning",
            Lifecycle::Active => "active",
            Lifecycle::Finished => "finished",
            Lifecycle::Unknown => "unknown",
        }
    }
}

/// A PRP's number, its identity. `phase4.5-prp2-x.md` is numbered within its phase;
/// `P0-016-x.md` and `S-001.md` within a lettered series (priority or kind), kept in `phase`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PrpNumber {
    pub phase: Option<String>,
    pub number: u32,
}

impl std::fmt::Display for PrpNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.phase {
            Some(series) if series.starts_with(|c: char| c.is_ascii_alphabetic()) => {
                write!(f, "{series}-{:03}", self.number)
            }
            Some(p) => write!(f, "phase {p} PRP {}", self.number),
            None => write!(f, "{}", self.number),
        }
    }
}

const NOT_PRP_FOLDERS: [&str; 6] = [
    "templates",
    "template",
    "ai_docs",
    "reports",
    "report",
    "commands",
];
const NOT_PRP_STEM_SUFFIXES: [&str; 6] = [
    "completion_report",
    "implementation_summary",
    "completion_summary",
    "execution_report",
    "validation_report",
    "implementation_report",
];
const NOT_PRP_STEMS: [&str; 11] = [
    "readme",
    // The context-engineering template's feature request form, not a PRP.
    "initial",
    "initial_example",
    "index",
    "changelog",
    "claude",
    "agents",
    "contributing",
    "template",
    "license",
    "todo",
];

/// The kind of a workspace-relative path, by the configured globs or the built-in rules.
pub fn classify(path: &str, config: &Config) -> DocKind {
    if !path.to_ascii_lowercase().ends_with(".md")
        && !path.to_ascii_lowercase().ends_with(".markdown")
    {
        return DocKind::Other;
    }
    let selection = &config.documents;
    if selection.is_excluded(path) {
        return DocKind::Other;
    }
    if let Some(kind) = selection.configured_kind(path) {
        return kind;
    }
    let file_name = path.rsplit('/').next().unwrap_or(path);
    let stem = file_name
        .rsplit_once('.')
        .map(|(s, _)| s)
        .unwrap_or(file_name)
        .to_ascii_lowercase();
    if stem == "task" || stem == "tasks" {
        return DocKind::TaskBoard;
    }
    let components: Vec<&str> = path.split('/').collect();
    let dirs = &components[..components.len() - 1];
    if let Some(root) = dirs.iter().position(|c| c.eq_ignore_ascii_case("prps")) {
        let inner = &dirs[root + 1..];
        let in_commands = root > 0 && dirs[..root].contains(&"commands");
        if in_commands
            || inner
                .iter()
                .any(|d| NOT_PRP_FOLDERS.contains(&d.to_ascii_lowercase().as_str()))
        {
            return DocKind::Other;
        }
        let normalized = stem.replace('-', "_");
        if NOT_PRP_STEMS.contains(&normalized.as_str())
            || NOT_PRP_STEM_SUFFIXES
                .iter()
                .any(|s| normalized.ends_with(s))
            || normalized.ends_with("_template")
            || normalized.starts_with("template_")
        {
            return DocKind::Other;
        }
        return DocKind::Prp;
    }
    // Agent context files live in the configured agent folders (default `agent_contexts/`,
    // at any depth); a file name alone (`build_agent.md` in docs/) is not enough.
    let in_agent_dir = config.agent_directories.iter().any(|dir| {
        let dir = dir.trim_matches('/');
        !dir.is_empty()
            && (path.starts_with(&format!("{dir}/")) || path.contains(&format!("/{dir}/")))
    }) || dirs.iter().any(|d| {
        let d = d.to_ascii_lowercase();
        d == "agent_contexts" || d == "agent-contexts" || d == "agent_context"
    });
    if in_agent_dir && stem != "readme" && !dirs.contains(&"status") {
        return DocKind::Agent;
    }
    DocKind::Other
}

/// Lifecycle implied by the folders between `PRPs/` and the file.
pub fn lifecycle_from_folder(path: &str) -> Lifecycle {
    let components: Vec<&str> = path.split('/').collect();
    let dirs = &components[..components.len().saturating_sub(1)];
    let start = dirs
        .iter()
        .position(|c| c.eq_ignore_ascii_case("prps"))
        .map(|i| i + 1)
        .unwrap_or(0);
    for dir in dirs[start..].iter().rev() {
        match dir.to_ascii_lowercase().replace('-', "_").as_str() {
            "active" | "in_progress" | "current" | "wip" | "doing" => return Lifecycle::Active,
            "archive" | "archived" | "completed" | "complete" | "done" | "finished"
            | "implemented" => return Lifecycle::Finished,
            "planning" | "planned" | "backlog" | "drafts" | "draft" | "proposed" | "ideas"
            | "future" => return Lifecycle::Planning,
            _ => {}
        }
    }
    Lifecycle::Unknown
}

/// Lifecycle a `Status:` value states.
pub fn lifecycle_from_status(status: &str) -> Lifecycle {
    let s: String = crate::document::heading::strip_decoration(status)
        .trim()
        .to_ascii_lowercase();
    let s = s.trim_start_matches(|c: char| !c.is_alphanumeric());
    let starts = |words: &[&str]| words.iter().any(|w| s.starts_with(w));
    if starts(&["partial", "not started", "not complete", "incomplete"]) {
        return if s.starts_with("not started") {
            Lifecycle::Planning
        } else {
            Lifecycle::Active
        };
    }
    if starts(&[
        "complete",
        "done",
        "finished",
        "implemented",
        "shipped",
        "deployed",
        "merged",
        "closed",
        "delivered",
        "archived",
    ]) {
        return Lifecycle::Finished;
    }
    if starts(&[
        "in progress",
        "in-progress",
        "ready",
        "active",
        "implementing",
        "wip",
        "in review",
        "review",
        "started",
        "ongoing",
        "blocked",
        "testing",
    ]) {
        return Lifecycle::Active;
    }
    if starts(&[
        "draft", "planning", "planned", "proposed", "backlog", "todo", "to do", "pending", "idea",
        "new", "open",
    ]) {
        return Lifecycle::Planning;
    }
    Lifecycle::Unknown
}

/// The number in a PRP file name: `03_x`, `PRP_03_x`, `PRP-003-x`, `003--x`, `phase4.5-prp2-x`.
pub fn prp_number(file_name: &str) -> Option<PrpNumber> {
    let stem = file_name
        .rsplit_once('.')
        .map(|(s, _)| s)
        .unwrap_or(file_name);
    let lower = stem.to_ascii_lowercase();
    let digits_at = |s: &str| -> Option<(u32, usize)> {
        let len = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        if len == 0 || len > 6 {
            return None;
        }
        Some((s[..len].parse().ok()?, len))
    };
    // A date prefix (`2025-01-12-x`) is not a number.
    let b = lower.as_bytes();
    if b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[7] == b'-' {
        return None;
    }
    if let Some(rest) = lower.strip_prefix("phase") {
        let phase_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let phase = rest[..phase_len].trim_end_matches('.').to_string();
        let tail = &rest[phase_len..];
        if let Some(at) = tail.find("prp") {
            let (number, _) = digits_at(&tail[at + 3..])?;
            return Some(PrpNumber {
                phase: (!phase.is_empty()).then_some(phase),
                number,
            });
        }
        return None;
    }
    let rest = lower
        .strip_prefix("prp")
        .map(|r| r.trim_start_matches(['_', '-', ' ']))
        .unwrap_or(&lower);
    let Some((number, len)) = digits_at(rest) else {
        return series_number(rest);
    };
    // `2fa_setup.md` is a slug, not PRP 2: a number is followed by a separator or the end.
    match rest[len..].chars().next() {
        None | Some('_' | '-' | '.' | ' ') => Some(PrpNumber {
            phase: None,
            number,
        }),
        _ => None,
    }
}

/// `p0-016-slug`, `p-002`, `s-001`: one or two letters and an optional digit naming a
/// series, a dash, then the number.
fn series_number(rest: &str) -> Option<PrpNumber> {
    let letters = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    if !(1..=2).contains(&letters) {
        return None;
    }
    let after_letters = &rest[letters..];
    let digit_len = after_letters
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(after_letters.len());
    if digit_len > 1 {
        return None;
    }
    let series_len = letters + digit_len;
    let tail = rest[series_len..].strip_prefix('-')?;
    let len = tail
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(tail.len());
    if !(1..=6).contains(&len) {
        return None;
    }
    match tail[len..].chars().next() {
        None | Some('_' | '-' | '.' | ' ') => Some(PrpNumber {
            phase: Some(rest[..series_len].to_ascii_uppercase()),
            number: tail[..len].parse().ok()?,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(path: &str) -> DocKind {
        classify(path, &Config::default())
    }

    #[test]
    fn prps_are_found_by_folder_and_the_rest_is_ignored() {
        assert_eq!(kind("PRPs/active/01_auth.md"), DocKind::Prp);
        assert_eq!(kind("PRPs/feature.md"), DocKind::Prp);
        assert_eq!(kind(".claude/PRPs/x.md"), DocKind::Prp);
        assert_eq!(kind("PRPs/templates/prp_base.md"), DocKind::Other);
        assert_eq!(kind("PRPs/README.md"), DocKind::Other);
        assert_eq!(kind("PRPs/ai_docs/fastapi.md"), DocKind::Other);
        assert_eq!(kind("PRPs/reports/weekly.md"), DocKind::Other);
        assert_eq!(
            kind("PRPs/archive/03_auth_completion_report.md"),
            DocKind::Other
        );
        assert_eq!(
            kind("PRPs/archive/03-auth-implementation-summary.md"),
            DocKind::Other
        );
        assert_eq!(kind(".claude/commands/generate-prp.md"), DocKind::Other);
        assert_eq!(kind("TASK.md"), DocKind::TaskBoard);
        assert_eq!(kind("agent_contexts/backend_agent.md"), DocKind::Agent);
        assert_eq!(kind("agent_contexts/web/frontend_agent.md"), DocKind::Agent);
        assert_eq!(kind("docs/build_agent.md"), DocKind::Other);
        assert_eq!(kind("agent_contexts/status/README.md"), DocKind::Other);
        let raw =
            crate::RawConfig::from_toml("[agents]\ndirectories = [\"team/agents\"]\n").unwrap();
        let config = Config::from_raw(&raw).unwrap();
        assert_eq!(classify("team/agents/qa.md", &config), DocKind::Agent);
        assert_eq!(kind("docs/guide.md"), DocKind::Other);
    }

    #[test]
    fn numbers_in_every_naming_style() {
        let n = |f: &str| prp_number(f).map(|n| n.number);
        assert_eq!(n("03_sync.md"), Some(3));
        assert_eq!(n("PRP_12_x.md"), Some(12));
        assert_eq!(n("PRP-003-x.md"), Some(3));
        assert_eq!(n("003--x.md"), Some(3));
        assert_eq!(n("slug.md"), None);
        assert_eq!(n("2fa_setup.md"), None);
        assert_eq!(n("2025-01-12-release.md"), None);
        let series = |f: &str| prp_number(f).map(|n| n.to_string());
        assert_eq!(series("PRP-P0-016-suite.md").as_deref(), Some("P0-016"));
        assert_eq!(series("P-002.md").as_deref(), Some("P-002"));
        assert_eq!(series("S-001.md").as_deref(), Some("S-001"));
        assert_eq!(n("PRP-1001_P0-001_fix.md"), Some(1001));
        assert_eq!(n("v2-api.md"), None);
        assert_eq!(n("ab-cd.md"), None);
        let phased = prp_number("phase4.5-prp2-sync.md").unwrap();
        assert_eq!((phased.phase.as_deref(), phased.number), (Some("4.5"), 2));
    }

    #[test]
    fn lifecycle_from_folder_and_status() {
        assert_eq!(
            lifecycle_from_folder("PRPs/archive/x.md"),
            Lifecycle::Finished
        );
        assert_eq!(lifecycle_from_folder("PRPs/active/x.md"), Lifecycle::Active);
        assert_eq!(lifecycle_from_folder("PRPs/x.md"), Lifecycle::Unknown);
        assert_eq!(lifecycle_from_status("✅ Complete"), Lifecycle::Finished);
        assert_eq!(
            lifecycle_from_status("Ready for Implementation"),
            Lifecycle::Active
        );
        assert_eq!(
            lifecycle_from_status("Partially Complete"),
            Lifecycle::Active
        );
        assert_eq!(lifecycle_from_status("Draft"), Lifecycle::Planning);
    }
}

//! Heading normalization: the decoration real PRPs put on headings is stripped before
//! matching (emoji, bold, numbering, trailing colon, case), and a value written into the
//! heading (`## Priority: CRITICAL`) is split off.

/// State of a feature-plan task heading such as `### [wip] Task 2: …`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerState {
    Open,
    InProgress,
    Done,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NormalizedHeading {
    /// Lowercase name used for matching, e.g. `success criteria`.
    pub key: String,
    /// A value written inside the heading after a colon, e.g. `CRITICAL`.
    pub value: Option<String>,
    /// `Task 3:` numbering, kept because task headings are tasks.
    pub task_number: Option<u32>,
    /// `[x]` / `[wip]` / `[f]` marker of a feature-plan task heading.
    pub marker: Option<MarkerState>,
    /// The heading carried a ✅ (done) decoration.
    pub done_mark: bool,
    /// Human-readable text with decoration removed but case kept.
    pub display: String,
}

/// Removes Markdown emphasis, code ticks, emoji and other symbols, keeping letters, digits,
/// whitespace and ordinary punctuation.
pub fn strip_decoration(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '*' | '`' | '~' => {}
            '_' => {
                // `__bold__` is decoration, `snake_case` is not.
                if out.ends_with('_') || out.is_empty() || out.ends_with(' ') {
                    continue;
                }
                out.push(c)
            }
            c if c.is_alphanumeric() || c.is_whitespace() || c.is_ascii_punctuation() => {
                out.push(c)
            }
            '–' | '—' => out.push('-'),
            _ => {}
        }
    }
    // A trailing `__` from bold may remain.
    while out.ends_with('_') {
        out.pop();
    }
    out
}

fn strip_marker(text: &str) -> (Option<MarkerState>, &str) {
    let t = text.trim_start();
    let markers = [
        ("[ ]", MarkerState::Open),
        ("[x]", MarkerState::Done),
        ("[X]", MarkerState::Done),
        ("[wip]", MarkerState::InProgress),
        ("[WIP]", MarkerState::InProgress),
        ("[f]", MarkerState::Failed),
        ("[F]", MarkerState::Failed),
    ];
    for (m, state) in markers {
        if let Some(rest) = t.strip_prefix(m) {
            return (Some(state), rest.trim_start());
        }
    }
    (None, t)
}

const NUMBERING_WORDS: [&str; 8] = [
    "phase",
    "step",
    "task",
    "level",
    "part",
    "stage",
    "milestone",
    "section",
];

/// Strips `1.`, `2.3)`, `Phase 2:`, `Task 3 -`; returns the task number when the word was `task`.
fn strip_numbering(text: &str) -> (Option<u32>, &str) {
    let mut t = text.trim_start();
    let mut task_number = None;
    // Word numbering: `Task 3:`, `Phase 4.5 -`.
    if let Some(space) = t.find(' ') {
        let word = t[..space].to_ascii_lowercase();
        if NUMBERING_WORDS.contains(&word.as_str()) {
            let rest = t[space..].trim_start();
            let digits = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(rest.len());
            if digits > 0 {
                let number = &rest[..digits];
                let after = rest[digits..].trim_start();
                let after = after
                    .strip_prefix([':', '-', '.', ')'])
                    .unwrap_or(after)
                    .trim_start();
                if word == "task" {
                    task_number = number.trim_end_matches('.').parse().ok();
                }
                return (task_number, after);
            }
        }
    }
    // Plain numbering: `1.`, `1.2`, `3)`.
    let digits = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    if digits > 0 {
        let rest = &t[digits..];
        let rest = rest.strip_prefix(')').unwrap_or(rest);
        if rest.starts_with(' ')
            && (t[..digits].ends_with('.')
                || t[digits..].starts_with(')')
                || t[..digits].contains('.'))
        {
            t = rest.trim_start();
        }
    }
    (task_number, t)
}

pub fn normalize_heading(raw: &str) -> NormalizedHeading {
    let done_mark = raw.contains('✅') || raw.contains('✔') || raw.contains('☑');
    let cleaned = strip_decoration(raw);
    let (marker, rest) = strip_marker(&cleaned);
    let (task_number, rest) = strip_numbering(rest);
    let rest = rest.trim();
    let (name, value) = match rest.find(':') {
        Some(colon) => {
            let value = rest[colon + 1..].trim();
            (
                &rest[..colon],
                (!value.is_empty()).then(|| value.to_string()),
            )
        }
        None => (rest, None),
    };
    NormalizedHeading {
        key: normalize_key(name),
        value,
        task_number,
        marker,
        done_mark,
        display: rest.to_string(),
    }
}

/// Lowercase, single-spaced, without trailing punctuation.
pub fn normalize_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key.trim_end_matches(|c: char| c.is_ascii_punctuation() && c != ')')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_bold_and_colon_are_stripped() {
        let h = normalize_heading("🎯 **Objective**:");
        assert_eq!(h.key, "objective");
        assert_eq!(h.value, None);
    }

    #[test]
    fn value_inside_heading_is_split_off() {
        let h = normalize_heading("Priority: CRITICAL");
        assert_eq!(h.key, "priority");
        assert_eq!(h.value.as_deref(), Some("CRITICAL"));
        assert_eq!(
            normalize_heading("Confidence Score: 8/10").value.as_deref(),
            Some("8/10")
        );
    }

    #[test]
    fn numbering_is_stripped() {
        assert_eq!(normalize_heading("1. Goal").key, "goal");
        assert_eq!(
            normalize_heading("Level 1: Syntax & Style").key,
            "syntax & style"
        );
        let task = normalize_heading("Task 3: Create the API");
        assert_eq!(task.task_number, Some(3));
        assert_eq!(task.key, "create the api");
        assert_eq!(normalize_heading("Phase 4.5 - Sync").key, "sync");
    }

    #[test]
    fn feature_plan_markers_are_read() {
        let h = normalize_heading("[wip] Task 2: Wire the store");
        assert_eq!(h.marker, Some(MarkerState::InProgress));
        assert_eq!(h.task_number, Some(2));
        assert!(normalize_heading("✅ Phase 2: Dashboard (In Progress)").done_mark);
    }

    #[test]
    fn snake_case_survives() {
        assert_eq!(normalize_heading("__Goal__").key, "goal");
        assert_eq!(
            normalize_heading("the user_id field").key,
            "the user_id field"
        );
    }
}

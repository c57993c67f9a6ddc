//! Line-level recognizers for the conventions PRPs write in plain text: bold key/value
//! lines, context references, task verbs, PRP paths, agent markers, dates, suppressions.
//! Each returns offsets relative to the line it was given.

use std::ops::Range;
use std::sync::LazyLock;

/// `**Status**: Ready`, `**Status:** Ready`, optionally in a `>` quote or a list item.
pub fn bold_key(line: &str) -> Option<(String, Range<usize>)> {
    let trimmed = line.trim_start_matches([' ', '\t', '>']).trim_start();
    let trimmed = trimmed
        .strip_prefix("- ")
        .or_else(|| trimmed.strip_prefix("* "))
        .unwrap_or(trimmed)
        .trim_start();
    let inner = trimmed.strip_prefix("**")?;
    let close = inner.find("**")?;
    let key_raw = &inner[..close];
    let after = &inner[close + 2..];
    let (key, after) = if let Some(k) = key_raw.strip_suffix(':') {
        (k, after)
    } else {
        (key_raw, after.strip_prefix(':')?)
    };
    if key.is_empty()
        || key.len() > 40
        || !key
            .chars()
            .all(|c| c.is_alphanumeric() || " -_/&()".contains(c))
    {
        return None;
    }
    let value = after.trim();
    let start = line.len() - after.trim_start().len();
    Some((key.trim().to_ascii_lowercase(), start..start + value.len()))
}

/// A plain `Status: Ready` line (not bold).
pub fn plain_key(line: &str, key: &str) -> Option<Range<usize>> {
    let trimmed = line
        .trim_start_matches([' ', '\t', '>', '-', '*'])
        .trim_start();
    let offset = line.len() - trimmed.len();
    // `get` because the line may start with multi-byte text (`🚀🚀 Ship it`).
    let head = trimmed
        .get(..key.len())
        .filter(|_| trimmed.len() > key.len())?;
    if !head.eq_ignore_ascii_case(key) {
        return None;
    }
    let rest = trimmed[key.len()..].strip_prefix(':')?;
    let value = rest.trim();
    if value.is_empty() {
        return None;
    }
    let start = offset + key.len() + 1 + (rest.len() - rest.trim_start().len());
    Some(start..start + value.len())
}

/// `- file: path`, `- docfile: path`, `- url: …` (the leading dash optional inside fences).
pub fn context_reference(line: &str, in_fence: bool) -> Option<(&'static str, Range<usize>)> {
    let trimmed = line.trim_start();
    let (dashed, rest) = match trimmed.strip_prefix("- ") {
        Some(r) => (true, r.trim_start()),
        None => (false, trimmed),
    };
    if !dashed && !in_fence {
        return None;
    }
    // The key is a word and a colon: most list items are rejected at their first word.
    let key_len = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let kind = match &rest[..key_len] {
        "file" | "path" => "file",
        "docfile" | "doc" => "docfile",
        "url" => "url",
        _ => return None,
    };
    let after_key = &rest[key_len..];
    let colon = key_len + (after_key.len() - after_key.trim_start().len());
    if !rest[colon..].starts_with(':') {
        return None;
    }
    let value = rest[colon + 1..].trim();
    // Drop a trailing YAML comment.
    let value = value.split(" #").next().unwrap_or(value).trim_end();
    if value.is_empty() {
        return None;
    }
    let start = line.len() - rest.len()
        + colon
        + 1
        + (rest[colon + 1..].len() - rest[colon + 1..].trim_start().len());
    Some((kind, start..start + value.len()))
}

/// `CREATE path`, `MODIFY path`, `UPDATE path` at the start of a line (after a list bullet,
/// bold or a heading's hashes).
pub fn verb_target(line: &str) -> Option<(&'static str, Range<usize>)> {
    let trimmed = line
        .trim_start_matches([' ', '\t', '#', '-', '*', '>', '`'])
        .trim_start();
    let trimmed = strip_task_prefix(trimmed);
    let offset = line.len() - trimmed.len();
    let (verb, rest) = [
        ("CREATE", "create"),
        ("MODIFY", "modify"),
        ("UPDATE", "update"),
    ]
    .into_iter()
    .find_map(|(v, name)| trimmed.strip_prefix(v).map(|r| (name, r)))?;
    let rest_trim = rest.trim_start_matches(['*', ':', '`']);
    if !rest_trim.starts_with([' ', '\t']) && rest_trim.len() == rest.len() {
        return None;
    }
    let body = rest_trim.trim_start();
    let token_len = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
    let start = offset + verb.len() + (rest.len() - body.len());
    let token = &body[..token_len];
    let (inner, lead) = trim_path_token(token);
    if !looks_like_path(inner) || is_sql_update(&body[token_len..]) {
        return None;
    }
    Some((verb, start + lead..start + lead + inner.len()))
}

/// `Task 3: ` before a verb, as v3 task lists write it (`Task 3: MODIFY src/x.py`).
fn strip_task_prefix(line: &str) -> &str {
    let Some(rest) = line
        .strip_prefix("Task ")
        .or_else(|| line.strip_prefix("TASK "))
    else {
        return line;
    };
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    match rest[digits..].strip_prefix([':', '.']) {
        Some(after) if digits > 0 => after.trim_start(),
        _ => line,
    }
}

/// `UPDATE auth.users SET …` is SQL, not a task on the file `auth.users`.
fn is_sql_update(after_target: &str) -> bool {
    let next = after_target.split_whitespace().next().unwrap_or("");
    next.eq_ignore_ascii_case("set")
}

/// Strips quotes, backticks, brackets and trailing punctuation around a path token;
/// returns the inner text and how many bytes were dropped at the front.
pub fn trim_path_token(token: &str) -> (&str, usize) {
    let inner = token.trim_start_matches(['`', '"', '\'', '(', '<', '*']);
    let lead = token.len() - inner.len();
    let inner = inner.trim_end_matches(['`', '"', '\'', ')', '>', ',', ';', ':', '*']);
    let inner = inner.strip_suffix('.').unwrap_or(inner);
    (inner, lead)
}

/// Whether text could be a file path (and is not a placeholder, glob or prose).
pub fn looks_like_path(s: &str) -> bool {
    if s.is_empty() || s.len() > 300 {
        return false;
    }
    if s.contains(['*', '?', '{', '}', '<', '>', '[', ']', '$', '|', ' '])
        || s.contains("...")
        || s.contains('…')
    {
        return false;
    }
    if s.contains("path/to") || s.starts_with("http:") || s.starts_with("https:") {
        return false;
    }
    let last = s
        .trim_end_matches('/')
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(s);
    s.contains('/')
        || s.contains('\\')
        || (last.contains('.')
            && !last.ends_with('.')
            && last.chars().any(|c| c.is_ascii_alphabetic()))
}

/// A path a reader is meant to open: anchors, queries and `:line` suffixes removed.
pub fn clean_target(raw: &str) -> String {
    let (t, _) = trim_path_token(raw.trim());
    let t = t.split(['#', '?']).next().unwrap_or(t);
    // `src/main.py:42` or `src/main.py:42:7`
    let mut t = t;
    while let Some((head, tail)) = t.rsplit_once(':') {
        if !tail.is_empty() && tail.chars().all(|c| c.is_ascii_digit()) && head.len() > 1 {
            t = head;
        } else {
            break;
        }
    }
    t.to_string()
}

fn is_path_char(c: char) -> bool {
    c.is_alphanumeric() || "._-/+@%".contains(c)
}

/// `PRPs/…/x.md` paths written anywhere in a line.
pub fn prp_paths(line: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    // Built once: a searcher costs more to set up than most lines take to search.
    static PRPS: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("PRPs/"));
    let mut from = 0;
    while let Some(rel) = PRPS.find(&line.as_bytes()[from..]) {
        let at = from + rel;
        let start = line[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_path_char(*c))
            .last()
            .map(|(i, _)| i)
            .unwrap_or(at);
        let end = line[at..]
            .char_indices()
            .find(|(_, c)| !is_path_char(*c))
            .map(|(i, _)| at + i)
            .unwrap_or(line.len());
        let mut end_trim = end;
        while end_trim > at
            && line[..end_trim].ends_with(['.', ',', ':', ';'])
            && !line[..end_trim].ends_with(".md")
        {
            end_trim -= 1;
        }
        if line[..end_trim].to_ascii_lowercase().ends_with(".md") {
            found.push(start..end_trim);
        }
        from = end.max(at + 5);
    }
    found
}

/// `@agent_id` markers: not emails, npm scopes or decorators.
pub fn agent_mentions(line: &str) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    for (i, _) in line.match_indices('@') {
        if i > 0 {
            let prev = line[..i].chars().next_back().unwrap();
            if prev.is_alphanumeric() || "`._-/".contains(prev) {
                continue;
            }
        }
        let rest = &line[i + 1..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        let id = rest[..len].trim_end_matches(['-', '_']);
        if id.is_empty() || !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let next = rest[len..].chars().next();
        if matches!(next, Some('/' | '('))
            || (next == Some('.')
                && rest[len + 1..].starts_with(|c: char| c.is_ascii_alphanumeric()))
        {
            continue;
        }
        found.push((i..i + 1 + id.len(), id.to_string()));
    }
    found
}

/// Whether `text` could say who is assigned (`assigned`, `Assignee`, `ASSIGNED TO`): the
/// cheap test before reading it line by line.
pub fn mentions_assignment(text: &str) -> bool {
    // Built once: a searcher costs more to set up than most lines take to search.
    static LOWER: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("ssign"));
    static UPPER: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("SSIGN"));
    LOWER.find(text.as_bytes()).is_some() || UPPER.find(text.as_bytes()).is_some()
}

/// `**Assigned to**: agent`, `Assigned to: agent`, `Assignee: agent`, `Agent: agent`.
pub fn assigned_to(line: &str) -> Option<Range<usize>> {
    // Most lines say nothing of assignment: reject them before allocating.
    if !mentions_assignment(line) {
        return None;
    }
    let lower = line.to_ascii_lowercase();
    let at = ["assigned to", "assignee", "assigned agent", "assigned"]
        .iter()
        .find_map(|k| lower.find(k).map(|i| (i, k.len())))?;
    let (i, len) = at;
    let before = lower[..i].trim_matches(|c: char| c.is_whitespace() || "-*>_".contains(c));
    if !before.is_empty() {
        return None;
    }
    let rest = &line[i + len..];
    let rest_trim = rest.trim_start_matches(['*', '_', ' ']);
    let rest_trim = rest_trim
        .strip_prefix(':')?
        .trim_start_matches(['*', '_', ' ']);
    let value = rest_trim.trim_end().trim_end_matches(['*', '_']);
    let value_start = line.len() - rest_trim.len();
    let (inner, lead) = {
        let v = value.trim_start_matches(['`', '@']);
        (v.trim_end_matches('`'), value.len() - v.len())
    };
    // The agent is the first word-ish run: `backend (because …)` → `backend`.
    let name_len = inner.find(['(', ',', ';', '—', '–']).unwrap_or(inner.len());
    let name = inner[..name_len]
        .trim_end()
        .trim_end_matches(['`', '*', '_', '.']);
    if name.is_empty() {
        return None;
    }
    Some(value_start + lead..value_start + lead + name.len())
}

/// A calendar date `YYYY-MM-DD`, comparable as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub u32);

impl Date {
    /// Days since 1970-01-01; `None` for a day the calendar does not have (2026-02-30).
    pub fn day_number(self) -> Option<i64> {
        let (y, m, d) = (self.0 / 10_000, self.0 / 100 % 100, self.0 % 100);
        let civil = jiff::civil::Date::new(i16::try_from(y).ok()?, m as i8, d as i8).ok()?;
        let days = civil.since(jiff::civil::Date::new(1970, 1, 1).ok()?).ok()?;
        Some(i64::from(days.get_days()))
    }

    /// The date `day` days after 1970-01-01 (the inverse of [`Date::day_number`]).
    pub fn from_day_number(day: i64) -> Option<Date> {
        let epoch = jiff::civil::Date::new(1970, 1, 1).ok()?;
        let civil = epoch
            .checked_add(jiff::Span::new().try_days(day).ok()?)
            .ok()?;
        let (y, m, d) = (civil.year(), civil.month(), civil.day());
        (y >= 0).then(|| Date(y as u32 * 10_000 + m as u32 * 100 + d as u32))
    }

    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: Range<usize>| -> Option<u32> { s.get(r)?.parse().ok() };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if !(1..=12).contains(&m)
            || !(1..=31).contains(&d)
            || !b[..4].iter().all(u8::is_ascii_digit)
        {
            return None;
        }
        Some(Date(y * 10000 + m * 100 + d))
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0 / 10000,
            self.0 / 100 % 100,
            self.0 % 100
        )
    }
}

/// Dates in a line with the word that labels each (`completed`, `added`, `started`, or empty).
pub fn dates(line: &str) -> Vec<(Range<usize>, Date, String)> {
    let mut found = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i + 10 <= bytes.len() {
        let boundary_before = i == 0 || !bytes[i - 1].is_ascii_digit();
        let boundary_after = i + 10 == bytes.len() || !bytes[i + 10].is_ascii_digit();
        if boundary_before && boundary_after && bytes[i].is_ascii_digit() {
            if let Some(date) = line.get(i..i + 10).and_then(Date::parse) {
                let before = line[..i]
                    .trim_end_matches([' ', ':', '(', '-', '*', '_', '`'])
                    .to_ascii_lowercase();
                let label = before
                    .rsplit(|c: char| !c.is_ascii_alphabetic())
                    .next()
                    .unwrap_or("")
                    .to_string();
                found.push((i..i + 10, date, label));
                i += 10;
                continue;
            }
        }
        i += 1;
    }
    found
}

/// `<!-- prp-lsp: disable[-line|-next-line] [rules] -->`.
pub fn suppression(line: &str) -> Option<(&'static str, Vec<String>)> {
    if !line.contains('<') {
        return None;
    }
    let start = line.find("<!--")?;
    let inner = line[start + 4..].split("-->").next()?.trim();
    let inner = inner.strip_prefix("prp-lsp:")?.trim();
    let (scope, rest) = if let Some(r) = inner.strip_prefix("disable-next-line") {
        ("next-line", r)
    } else if let Some(r) = inner.strip_prefix("disable-line") {
        ("line", r)
    } else if let Some(r) = inner.strip_prefix("disable-file") {
        ("file", r)
    } else if let Some(r) = inner.strip_prefix("disable") {
        ("file", r)
    } else {
        return None;
    };
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    let rules = rest
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    Some((scope, rules))
}

/// `Backend Agent`, `backend_agent`, `@backend-agent` → `backend`.
pub fn normalize_agent_id(name: &str) -> String {
    let lower = name
        .trim()
        .trim_start_matches('@')
        .trim_matches('`')
        .to_lowercase();
    let joined: String = lower
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    joined.strip_suffix("_agent").unwrap_or(&joined).to_string()
}

/// `PRP-12`, `PRP 12`, `PRP #12`, `PRP12` in a line: (where, the number). A file name
/// (`PRP-003-slug.md`) or a path component is not a mention.
pub fn prp_number_mentions(line: &str) -> Vec<(Range<usize>, u32)> {
    let mut out = Vec::new();
    for (i, _) in line.match_indices("PRP") {
        if i > 0 && line.as_bytes()[i - 1].is_ascii_alphanumeric() || line[..i].ends_with('/') {
            continue;
        }
        let rest = &line[i + 3..];
        let skip = rest.len() - rest.trim_start_matches([' ', '-', '_', '#']).len();
        if skip > 2 {
            continue;
        }
        let digits = &rest[skip..];
        let len = digits
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(digits.len());
        if len == 0 || len > 5 {
            continue;
        }
        // `PRP-003-slug.md` is a file name, handled as a path.
        if digits[len..].starts_with(['-', '_', '.']) && digits[len..].contains(".md") {
            continue;
        }
        if let Ok(n) = digits[..len].parse() {
            out.push((i..i + 3 + skip + len, n));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: &str, r: Option<Range<usize>>) -> Option<&str> {
        r.map(|r| &line[r])
    }

    #[test]
    fn context_references_by_their_key() {
        fn found(line: &str, in_fence: bool) -> Option<(&'static str, &str)> {
            context_reference(line, in_fence).map(|(kind, r)| (kind, &line[r]))
        }
        assert_eq!(found("- file: src/a.py", false), Some(("file", "src/a.py")));
        assert_eq!(
            found("  - file :  src/a.py", false),
            Some(("file", "src/a.py"))
        );
        assert_eq!(
            found("path:\tdocs/x.md # why", true),
            Some(("file", "docs/x.md"))
        );
        assert_eq!(
            found("- doc: docs/x.md", false),
            Some(("docfile", "docs/x.md"))
        );
        assert_eq!(
            found("- url: https://x.dev/a:b", false),
            Some(("url", "https://x.dev/a:b"))
        );
        assert_eq!(found("- files: src/a.py", false), None);
        assert_eq!(found("- file src/a.py: x", false), None);
        assert_eq!(found("- file:", false), None);
        assert_eq!(found("- File: src/a.py", false), None);
        assert_eq!(found("- fileé: src/a.py", false), None);
    }

    #[test]
    fn bold_keys_in_their_variants() {
        for line in [
            "**Status**: Ready",
            "**Status:** Ready",
            "> **Status**: Ready",
            "- **Status**: Ready",
        ] {
            let (key, range) = bold_key(line).unwrap();
            assert_eq!((key.as_str(), &line[range]), ("status", "Ready"), "{line}");
        }
        assert!(bold_key("**Important** text").is_none());
    }

    #[test]
    fn plain_keys_after_multibyte_text() {
        assert_eq!(plain_key("🚀🚀 Ship it", "status"), None);
        assert_eq!(plain_key("Status: ✅ Done", "status"), Some(8..16));
    }

    #[test]
    fn context_references() {
        let line = "  - file: src/app.py  # the entry point";
        let (kind, r) = context_reference(line, true).unwrap();
        assert_eq!((kind, &line[r]), ("file", "src/app.py"));
        assert!(context_reference("file: x", false).is_none());
        assert!(context_reference("- pattern: x", true).is_none());
    }

    #[test]
    fn verbs_and_their_targets() {
        let line = "  MODIFY `src/api/routes.py`:";
        assert_eq!(
            at(line, verb_target(line).map(|v| v.1)),
            Some("src/api/routes.py")
        );
        let heading = "### CREATE src/new.ts:";
        assert_eq!(
            at(heading, verb_target(heading).map(|v| v.1)),
            Some("src/new.ts")
        );
        assert!(verb_target("MODIFY the existing handler").is_none());
        assert!(verb_target("UPDATED src/x.py").is_none());
        assert!(verb_target("CREATE [path/to/file]").is_none());
        assert!(verb_target("UPDATE auth.users SET role = 'admin';").is_none());
        let v3 = "Task 3: MODIFY src/app.py";
        assert_eq!(at(v3, verb_target(v3).map(|v| v.1)), Some("src/app.py"));
    }

    #[test]
    fn prp_paths_in_text() {
        let line = "Source: `PRPs/active/03_x.md`, see ../PRPs/archive/01-y.md.";
        let paths: Vec<_> = prp_paths(line).into_iter().map(|r| &line[r]).collect();
        assert_eq!(paths, ["PRPs/active/03_x.md", "../PRPs/archive/01-y.md"]);
        assert!(prp_paths("PRPs/{feature}.md").is_empty());
    }

    #[test]
    fn agent_markers() {
        let line = "- [ ] Fix login @backend, mail bob@example.com, npm @types/node";
        let ids: Vec<_> = agent_mentions(line).into_iter().map(|(_, id)| id).collect();
        assert_eq!(ids, ["backend"]);
        let assigned = "**Assigned to**: `frontend_agent` (owns UI)";
        assert_eq!(at(assigned, assigned_to(assigned)), Some("frontend_agent"));
        assert_eq!(
            at(
                "  Assigned to: @database",
                assigned_to("  Assigned to: @database")
            ),
            Some("database")
        );
        assert!(assigned_to("Nothing assigned to anyone: yet").is_none());
    }

    #[test]
    fn dates_with_labels() {
        let d = dates("- [x] Ship (completed 2026-01-15) - Started 2026-01-02");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].2, "completed");
        assert_eq!(d[1].2, "started");
        assert_eq!(d[0].1.to_string(), "2026-01-15");
        assert!(dates("v2026-13-40").is_empty());
    }

    #[test]
    fn suppressions() {
        assert_eq!(
            suppression("<!-- prp-lsp: disable missing-section -->"),
            Some(("file", vec!["missing-section".to_string()]))
        );
        assert_eq!(
            suppression("text <!-- prp-lsp: disable-line -->"),
            Some(("line", vec![]))
        );
        assert_eq!(
            suppression("<!-- prp-lsp: disable-next-line a, b -->")
                .unwrap()
                .1
                .len(),
            2
        );
        assert!(suppression("<!-- prp-lsp: disabled -->").is_none());
    }
}

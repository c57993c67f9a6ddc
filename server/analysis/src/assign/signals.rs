//! What a task says about who should do it: its text, the files it names, the modules its
//! PRP affects.

use crate::document::front_matter::lines_with_spans;
use crate::document::{scan, DocKind, Document, ReferenceKind, Task};
use crate::workspace::normalize_agent_id;

/// The task's title and text, with its current assignment blanked out so that a task
/// assigned to `backend` does not keyword-match `backend` by that alone.
pub fn task_text(text: &str, task: &Task) -> String {
    let start = task.span.start.min(text.len());
    let end = task.end.clamp(start, text.len());
    let mut own = text.get(start..end).unwrap_or_default().to_string();
    if let Some(a) = &task.assignee {
        if a.span.start >= start && a.span.end <= end {
            let blank = " ".repeat(a.span.len());
            own.replace_range(a.span.start - start..a.span.end - start, &blank);
        }
    }
    own
}

/// The words routing reads modules and keywords from: the text in lowercase, with file
/// paths blanked (`backend/app/api/routes.py` is a scope signal, not the backend module
/// and the `api` keyword). Short slashed words (`ci/cd`, `UI/UX`) stay.
pub fn routing_words(text: &str) -> String {
    let mut out = text.to_lowercase();
    let mut blanks: Vec<std::ops::Range<usize>> = Vec::new();
    let mut offset = 0;
    for token in out.split_inclusive(char::is_whitespace) {
        let word = token.trim_end();
        // The cheap test first: most words have no slash, and a path has one.
        if !word.contains(['/', '\\']) {
            offset += token.len();
            continue;
        }
        let (inner, lead) = scan::trim_path_token(word);
        if is_file_path(inner) {
            blanks.push(offset + lead..offset + lead + inner.len());
        }
        offset += token.len();
    }
    for r in blanks {
        out.replace_range(r.clone(), &" ".repeat(r.len()));
    }
    out
}

/// A path with a file name, several folders, or a folder's trailing slash.
fn is_file_path(s: &str) -> bool {
    // The cheap test first: most words have no slash.
    if !s.contains(['/', '\\']) || !scan::looks_like_path(s) {
        return false;
    }
    let last = s.rsplit(['/', '\\']).next().unwrap_or_default();
    s.ends_with(['/', '\\'])
        || s.starts_with(['/', '.'])
        || s.matches(['/', '\\']).count() >= 2
        || last.contains('.')
}

/// Paths the task names (`CREATE`/`MODIFY` targets); for a PRP task naming none, the paths
/// of the PRP's `Files to Modify` section.
pub fn task_files(doc: &Document, task: &Task, shared: &DocSignals) -> Vec<String> {
    own_files(doc, task).unwrap_or_else(|| shared.listed_files.clone())
}

/// The paths the task itself names; `None` for a PRP task naming none, which touches the
/// files of the PRP's `Files to Change` ([`DocSignals::listed_files`]).
pub fn own_files(doc: &Document, task: &Task) -> Option<Vec<String>> {
    let own: Vec<String> = doc
        .references_within(task.span.start..task.end)
        .iter()
        .filter(|r| matches!(r.kind, ReferenceKind::Create | ReferenceKind::Modify))
        .filter(|r| r.span.end <= task.end)
        .map(|r| r.target.clone())
        .collect();
    (!own.is_empty() || doc.kind != DocKind::Prp).then(|| dedup(own))
}

/// What routing reads of a document as a whole, read once for all its tasks.
pub struct DocSignals {
    /// The PRP's modules affected, normalized.
    pub affected: Vec<String>,
    /// The files a PRP's files-to-change section lists: a task naming none touches these.
    pub listed_files: Vec<String>,
}

impl DocSignals {
    pub fn of(doc: &Document, text: &str) -> DocSignals {
        if doc.kind != DocKind::Prp {
            return DocSignals {
                affected: Vec::new(),
                listed_files: Vec::new(),
            };
        }
        let mut listed = Vec::new();
        for s in doc.sections.iter().filter(|s| is_files_section(s)) {
            listed.extend(
                doc.references_within(s.body.start..s.end)
                    .iter()
                    .filter(|r| !matches!(r.kind, ReferenceKind::Url | ReferenceKind::PrpPath))
                    .filter(|r| r.span.end <= s.end)
                    .map(|r| r.target.clone()),
            );
            let body = text.get(s.body.start..s.end).unwrap_or_default();
            for (_, line) in lines_with_spans(body) {
                listed.extend(paths_in_line(line));
            }
        }
        DocSignals {
            affected: modules_affected(doc, text),
            listed_files: dedup(listed),
        }
    }
}

fn is_files_section(s: &crate::document::Section) -> bool {
    s.canonical.as_deref() == Some("Files to Change") || s.name.key.starts_with("files to ")
}

/// Backticked paths, or the first word of a bullet when it is a path.
fn paths_in_line(line: &str) -> Vec<String> {
    let mut found: Vec<String> = line
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|t| scan::looks_like_path(t))
        .map(scan::clean_target)
        .collect();
    if found.is_empty() {
        let item = line.trim_start();
        if let Some(rest) = item.strip_prefix("- ").or_else(|| item.strip_prefix("* ")) {
            let word = rest.split_whitespace().next().unwrap_or_default();
            let word = word.trim_matches(['*', ':', ',']);
            if scan::looks_like_path(word) {
                found.push(scan::clean_target(word));
            }
        }
    }
    found
}

/// The paths without empty ones and repeats, in their first order.
fn dedup(mut paths: Vec<String>) -> Vec<String> {
    let keep: Vec<bool> = {
        let mut seen = std::collections::HashSet::new();
        paths
            .iter()
            .map(|p| !p.is_empty() && seen.insert(p.as_str()))
            .collect()
    };
    let mut keep = keep.into_iter();
    paths.retain(|_| keep.next().unwrap_or(false));
    paths
}

/// Normalized module names of the document's `Modules Affected` (header key or section).
pub fn modules_affected(doc: &Document, text: &str) -> Vec<String> {
    const KEYS: [&str; 4] = [
        "modules affected",
        "modules_affected",
        "affected modules",
        "modules",
    ];
    let mut raw = Vec::new();
    if let Some(v) = KEYS.iter().find_map(|k| doc.metadata.key(k)) {
        raw.extend(split_list(&v.value));
    }
    for s in doc.sections.iter().filter(|s| {
        s.canonical.as_deref() == Some("Modules Affected") || KEYS.contains(&s.name.key.as_str())
    }) {
        if let Some(v) = &s.name.value {
            raw.extend(split_list(v));
        }
        let body = text.get(s.body.clone()).unwrap_or_default();
        for (_, line) in lines_with_spans(body) {
            let line = line.trim();
            if let Some(item) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
                raw.push(item.to_string());
            } else if !line.is_empty() && !line.starts_with('#') {
                raw.extend(split_list(line));
            }
        }
    }
    let mut modules: Vec<String> = raw.iter().filter_map(|item| module_name(item)).collect();
    modules.dedup();
    modules
}

/// `[frontend, backend]`, `frontend, backend`, `- frontend - backend` (a folded YAML list).
fn split_list(value: &str) -> Vec<String> {
    let value = value.trim().trim_start_matches('[').trim_end_matches(']');
    let value = value.strip_prefix("- ").unwrap_or(value);
    value
        .split([',', ';'])
        .flat_map(|piece| piece.split(" - "))
        .map(str::to_string)
        .collect()
}

/// `**Frontend** (React UI)` → `frontend`; descriptions after the name are dropped.
fn module_name(item: &str) -> Option<String> {
    let name = item
        .split(['(', ':', '—', '–'])
        .next()
        .unwrap_or_default()
        .split(" - ")
        .next()
        .unwrap_or_default();
    let name = name.trim().trim_matches(['*', '`', '"', '\'', '_']).trim();
    let name = name.strip_suffix(" module").unwrap_or(name);
    (!name.is_empty() && name.split_whitespace().count() <= 3).then(|| normalize_agent_id(name))
}

/// Endings a keyword may carry and still count: plural, `-ing` and `-ed` forms.
const SUFFIXES: [&str; 5] = ["", "s", "es", "ing", "ed"];

/// A text's words, sorted once, so that each keyword of the routing table is a binary
/// search rather than a search of the text (a task is matched against every keyword).
/// Sorting, not hashing: no hasher to seed, nothing a repository's words could make collide,
/// and a task of thirty words costs a few hundred comparisons of short strings.
pub struct WordCounts<'a> {
    text: &'a str,
    /// Every word of the text, sorted (repeats kept: they are the counts).
    words: Vec<&'a str>,
    /// Where the words starting with each byte begin in `words` (and, at 256, the end):
    /// a keyword is compared only with the few words sharing its first byte.
    by_first_byte: Box<[usize; 257]>,
}

impl<'a> WordCounts<'a> {
    /// `text` in lowercase.
    pub fn of(text: &'a str) -> WordCounts<'a> {
        let mut words: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        words.sort_unstable();
        let mut by_first_byte = Box::new([0usize; 257]);
        for w in &words {
            by_first_byte[w.as_bytes()[0] as usize + 1] += 1;
        }
        for b in 1..257 {
            by_first_byte[b] += by_first_byte[b - 1];
        }
        WordCounts {
            text,
            words,
            by_first_byte,
        }
    }

    /// How many words are `stem` followed by one of [`SUFFIXES`] (each word counts once:
    /// two suffixes cannot both complete the same stem to the same word).
    fn forms_of(&self, stem: &str) -> usize {
        let Some(&first) = stem.as_bytes().first() else {
            return 0;
        };
        let bucket =
            &self.words[self.by_first_byte[first as usize]..self.by_first_byte[first as usize + 1]];
        // Words starting with `stem` are one run of the sorted bucket.
        let from = bucket.partition_point(|w| *w < stem);
        bucket[from..]
            .iter()
            .take_while(|w| w.starts_with(stem))
            .filter(|w| SUFFIXES.contains(&&w[stem.len()..]))
            .count()
    }

    /// What [`keyword_hits`] counts, looked up when the keyword is one word.
    pub fn hits(&self, keyword: &str) -> usize {
        let first = keyword.split(|c: char| !c.is_alphanumeric()).next();
        match first {
            // One word: a lookup.
            Some(word) if word.len() == keyword.len() && !word.is_empty() => self.forms_of(keyword),
            // A phrase (`api client`, `ci/cd`) starts with a whole word of the text: none
            // such, no match, without searching.
            Some(word) if !word.is_empty() && self.forms_of(word) == 0 => 0,
            _ => keyword_hits(self.text, keyword),
        }
    }
}

/// How often `keyword` (lowercase) occurs in `haystack` (lowercase) as a whole word; plural,
/// `-ing` and `-ed` forms count.
pub fn keyword_hits(haystack: &str, keyword: &str) -> usize {
    let is_word = |c: char| c.is_alphanumeric();
    haystack
        .match_indices(keyword)
        .filter(|(at, _)| {
            let before = haystack[..*at].chars().next_back();
            let rest = &haystack[at + keyword.len()..];
            before.is_none_or(|c| !is_word(c))
                && SUFFIXES.iter().any(|s| {
                    rest.strip_prefix(s)
                        .is_some_and(|after| after.chars().next().is_none_or(|c| !is_word(c)))
                })
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse, Config};

    #[test]
    fn keywords_match_whole_words_and_their_forms() {
        assert_eq!(keyword_hits("add migrations for the db", "migration"), 1);
        assert_eq!(keyword_hits("testing the tests; latest", "test"), 2);
        assert_eq!(keyword_hits("build a guide", "ui"), 0);
        assert_eq!(keyword_hits("set up ci/cd.", "ci/cd"), 1);
    }

    #[test]
    fn word_counts_agree_with_the_search() {
        let texts = [
            "add migrations for the db",
            "testing the tests; latest test",
            "build a guide",
            "set up ci/cd. buses bus busing; über-apis api",
            "",
            "ed es s ing",
        ];
        let keywords = [
            "migration",
            "test",
            "ui",
            "ci/cd",
            "bus",
            "buse",
            "api",
            "über",
            "s",
            "e",
            "",
            "front end",
            "ed",
        ];
        for text in texts {
            let counts = WordCounts::of(text);
            for k in keywords {
                assert_eq!(counts.hits(k), keyword_hits(text, k), "`{k}` in `{text}`");
            }
        }
    }

    #[test]
    fn modules_from_header_and_section() {
        let config = Config::default();
        let header = parse(
            "PRPs/active/01_x.md",
            "---\nmodules_affected: [Frontend, backend]\n---\n# X\n",
            &config,
        );
        assert_eq!(
            modules_affected(
                &header,
                "---\nmodules_affected: [Frontend, backend]\n---\n# X\n"
            ),
            ["frontend", "backend"]
        );
        let text =
            "# X\n## Modules Affected\n- **Billing** (invoices)\n- Frontend module\n## Next\n";
        let doc = parse("PRPs/active/01_x.md", text, &config);
        assert_eq!(modules_affected(&doc, text), ["billing", "frontend"]);
    }

    #[test]
    fn files_of_a_task_or_of_the_prp() {
        let config = Config::default();
        let text = "# X\n## Files to Modify\n- `web/src/App.tsx` - the shell\n- api/routes.py\n## Tasks\n### Task 1: Shell\nDo it.\n### Task 2: Model\n- CREATE db/models.py\n";
        let doc = parse("PRPs/active/01_x.md", text, &config);
        assert_eq!(
            task_files(&doc, &doc.tasks[0], &DocSignals::of(&doc, text)),
            ["web/src/App.tsx", "api/routes.py"]
        );
        assert_eq!(
            task_files(&doc, &doc.tasks[1], &DocSignals::of(&doc, text)),
            ["db/models.py"]
        );
    }
}

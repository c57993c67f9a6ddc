//! The next free PRP number and a file name in the style the workspace already uses.

use std::collections::HashMap;

use crate::document::{prp_number, DocKind};
use crate::workspace::{prp_namespace, Workspace};

/// Folders under `PRPs/` whose files carry no PRP numbers (a `2024_notes.md` in `ai_docs/`
/// is not PRP 2024).
const UNNUMBERED_FOLDERS: [&str; 3] = ["templates", "template", "ai_docs"];

/// One more than the highest number in use in the `PRPs` folder `namespace` (as
/// [`prp_namespace`] gives it): active, archive, planning, reports — every file, so a
/// number is never reused, even by a PRP that was finished long ago.
pub fn next_number(ws: &Workspace, namespace: &str) -> u32 {
    let from_files = numbered_files(ws, namespace).map(|(_, n)| n);
    let from_facts = ws
        .documents()
        .filter(|(p, f)| f.kind == DocKind::Prp && prp_namespace(p) == namespace)
        .filter_map(|(_, f)| f.number.as_ref())
        .filter(|n| n.phase.is_none())
        .map(|n| n.number);
    from_files.chain(from_facts).max().unwrap_or(0) + 1
}

/// Markdown files of the namespace with a plain (not phased) number, and that number.
fn numbered_files<'w>(
    ws: &'w Workspace,
    namespace: &'w str,
) -> impl Iterator<Item = (&'w str, u32)> + 'w {
    ws.files().filter_map(move |path| {
        let inner = path.strip_prefix(namespace)?.strip_prefix('/')?;
        let (dirs, name) = inner.rsplit_once('/').unwrap_or(("", inner));
        if dirs
            .split('/')
            .any(|d| UNNUMBERED_FOLDERS.contains(&d.to_ascii_lowercase().as_str()))
            || !name.to_ascii_lowercase().ends_with(".md")
        {
            return None;
        }
        let number = prp_number(name)?;
        number.phase.is_none().then_some((name, number.number))
    })
}

/// How a workspace names its PRP files: `03_slug`, `PRP_03_slug`, `PRP-003-slug`, `003--slug`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NamingStyle {
    /// `PRP_`, `PRP-`, or empty.
    pub prefix: String,
    /// Zero-padded width of the number.
    pub width: usize,
    /// Between the number and the slug: `_`, `-` or `--`.
    pub separator: String,
    /// Between the slug's words.
    pub word_separator: char,
}

impl Default for NamingStyle {
    fn default() -> Self {
        NamingStyle {
            prefix: String::new(),
            width: 2,
            separator: "_".into(),
            word_separator: '_',
        }
    }
}

impl NamingStyle {
    /// The dominant style among the namespace's numbered files (ties go to the style of the
    /// most recent number); the default `NN_slug.md` when there are none.
    pub fn of_workspace(ws: &Workspace, namespace: &str) -> NamingStyle {
        let mut counts: HashMap<NamingStyle, (usize, u32)> = HashMap::new();
        for (name, number) in numbered_files(ws, namespace) {
            if let Some(style) = NamingStyle::of_file(name) {
                let entry = counts.entry(style).or_default();
                entry.0 += 1;
                entry.1 = entry.1.max(number);
            }
        }
        counts
            .into_iter()
            .max_by_key(|(_, (count, latest))| (*count, *latest))
            .map(|(style, _)| style)
            .unwrap_or_default()
    }

    /// The style of one numbered file name.
    fn of_file(name: &str) -> Option<NamingStyle> {
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        let prefix_len = if stem.len() > 3 && stem[..3].eq_ignore_ascii_case("prp") {
            3 + stem[3..].len() - stem[3..].trim_start_matches(['_', '-']).len()
        } else {
            0
        };
        let rest = &stem[prefix_len..];
        let width = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if width == 0 {
            return None;
        }
        let after = &rest[width..];
        let slug = after.trim_start_matches(['_', '-']);
        let separator = &after[..after.len() - slug.len()];
        let word_separator = match (slug.contains('-'), slug.contains('_')) {
            (true, false) => '-',
            (false, true) => '_',
            _ => separator.chars().next().unwrap_or('_'),
        };
        Some(NamingStyle {
            prefix: stem[..prefix_len].to_string(),
            width,
            separator: if separator.is_empty() {
                "_".into()
            } else {
                separator.into()
            },
            word_separator,
        })
    }

    pub fn file_name(&self, number: u32, title: &str) -> String {
        let slug = slug(title, self.word_separator);
        format!(
            "{}{:0width$}{}{slug}.md",
            self.prefix,
            number,
            self.separator,
            width = self.width
        )
    }

    /// `PRP 07`: the number as the workspace pads it.
    pub fn label(&self, number: u32) -> String {
        format!("PRP {:0width$}", number, width = self.width)
    }
}

/// Lowercase words of the title joined by `separator`, at most six, not ending on a word
/// such as "the" or "as".
pub fn slug(title: &str, separator: char) -> String {
    const MAX_WORDS: usize = 6;
    const DANGLING: [&str; 16] = [
        "a", "an", "the", "of", "to", "on", "at", "for", "with", "and", "or", "in", "by", "from",
        "as", "s",
    ];
    let mut words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_WORDS)
        .map(str::to_lowercase)
        .collect();
    while words.len() > 1 && words.last().is_some_and(|w| DANGLING.contains(&w.as_str())) {
        words.pop();
    }
    if words.is_empty() {
        return "prp".to_string();
    }
    words.join(&separator.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ws(files: &[&str]) -> Workspace {
        Workspace::with_files(files.iter().copied())
    }

    #[test]
    fn numbers_count_every_folder_and_skip_gaps() {
        let w = ws(&[
            "PRPs/active/01_a.md",
            "PRPs/active/04_b.md",
            "PRPs/archive/09_c.md",
            "PRPs/archive/11_c_completion_report.md",
            "PRPs/planning/phase4.5-prp30-x.md",
            "PRPs/ai_docs/2024_notes.md",
            "PRPs/templates/99_template.md",
            "other/PRPs/active/40_elsewhere.md",
            "PRPs/README.md",
        ]);
        assert_eq!(next_number(&w, "PRPs"), 12);
        assert_eq!(next_number(&w, "other/PRPs"), 41);
        assert_eq!(next_number(&Workspace::new(), "PRPs"), 1);
    }

    #[test]
    fn numbers_from_front_matter_ids() {
        let mut w = ws(&["PRPs/active/sync.md"]);
        let doc = crate::parse(
            "PRPs/active/sync.md",
            "---\nid: PRP-020\n---\n# Sync\n",
            &crate::Config::default(),
        );
        w.update_document("PRPs/active/sync.md", crate::DocFacts::of(&doc));
        assert_eq!(next_number(&w, "PRPs"), 21);
    }

    #[test]
    fn the_dominant_style_wins() {
        let style = |files: &[&str]| NamingStyle::of_workspace(&ws(files), "PRPs");
        assert_eq!(
            style(&[]).file_name(3, "Calendar Sync!"),
            "03_calendar_sync.md"
        );
        assert_eq!(
            style(&[
                "PRPs/active/PRP-001-auth-flow.md",
                "PRPs/archive/PRP-002-x.md",
                "PRPs/x/07_y.md"
            ])
            .file_name(8, "Calendar sync"),
            "PRP-008-calendar-sync.md"
        );
        assert_eq!(
            style(&["PRPs/active/PRP_01_auth.md"]).file_name(12, "Calendar sync"),
            "PRP_12_calendar_sync.md"
        );
        assert_eq!(
            style(&["PRPs/active/003--auth-flow.md"]).file_name(4, "Calendar sync"),
            "004--calendar-sync.md"
        );
        // A tie goes to the style of the latest number.
        assert_eq!(
            style(&["PRPs/active/01_a.md", "PRPs/active/PRP-002-b.md"]).file_name(3, "c"),
            "PRP-003-c.md"
        );
        assert_eq!(style(&["PRPs/active/PRP-001-a.md"]).label(7), "PRP 007");
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Add Google Calendar two-way sync for bands and more", '-'),
            "add-google-calendar-two-way-sync"
        );
        assert_eq!(slug("!!!", '_'), "prp");
        assert_eq!(slug("Café menu", '_'), "café_menu");
    }
}

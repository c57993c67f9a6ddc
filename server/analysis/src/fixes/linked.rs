//! The PRPs a TASK.md item already links: a path to a PRP (where it is now, if it moved) or
//! a `PRP-NN` that names one. Such an item is planned work: "Open PRP-NN" instead of
//! "Generate PRP".

use crate::document::{DocKind, Document, PrpNumber, ReferenceKind};
use crate::workspace::{Resolution, Workspace};

/// A PRP an item links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedPrp {
    /// Workspace-relative path of the PRP.
    pub path: String,
    /// "PRP-03" as its file name numbers it, else the file name.
    pub label: String,
}

impl LinkedPrp {
    /// "Open PRP-03 (PRPs/active/03_sync_calendar.md)".
    pub fn title(&self) -> String {
        if self.label == file_name(&self.path) {
            format!("Open {}", self.path)
        } else {
            format!("Open {} ({})", self.label, self.path)
        }
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The PRPs task `task` (an index into `doc.tasks`, a TASK.md item) links, in the order
/// the item names them: paths first, then numbers.
pub fn linked_prps(doc: &Document, text: &str, task: usize, ws: &Workspace) -> Vec<LinkedPrp> {
    let Some(t) = doc.tasks.get(task) else {
        return Vec::new();
    };
    let is_prp = |p: &str| ws.facts(p).is_some_and(|f| f.kind == DocKind::Prp);
    let mut paths: Vec<String> = Vec::new();
    let within =
        |s: &crate::document::Span| s.start >= t.span.start && s.end <= t.end.max(t.span.end);
    for r in doc.references.iter().filter(|r| within(&r.span)) {
        if !matches!(r.kind, ReferenceKind::PrpPath | ReferenceKind::Link) {
            continue;
        }
        match ws.resolve(&doc.path, &r.target) {
            Resolution::Found(p) if is_prp(&p) => paths.push(p),
            Resolution::Found(_) => {}
            // A PRP that moved: the one PRP with that file name.
            Resolution::Missing => {
                if let [only] = ws.prps_named(file_name(&r.target)).as_slice() {
                    paths.push(only.to_string());
                }
            }
        }
    }
    let own = text
        .get(t.span.start..t.end.max(t.span.end).min(text.len()))
        .unwrap_or_default();
    for n in prp_number_mentions(own) {
        let mut numbered: Vec<&String> = ws
            .documents()
            .filter(|(_, f)| f.kind == DocKind::Prp)
            .filter(|(_, f)| f.number.as_ref().is_some_and(|x| x.number == n))
            .map(|(p, _)| p)
            .collect();
        numbered.sort();
        paths.extend(numbered.into_iter().cloned());
    }
    let mut seen = std::collections::HashSet::new();
    paths.retain(|p| seen.insert(p.clone()));
    paths
        .into_iter()
        .map(|path| {
            let number = ws.facts(&path).and_then(|f| f.number.clone());
            let label = number
                .map(|n| number_label(file_name(&path), &n))
                .unwrap_or_else(|| file_name(&path).to_string());
            LinkedPrp { path, label }
        })
        .collect()
}

/// `PRP-03` with the digits the file name writes (`PRP-002-x.md` → `PRP-002`).
fn number_label(name: &str, number: &PrpNumber) -> String {
    let mut start = None;
    for (i, c) in name.char_indices().chain([(name.len(), ' ')]) {
        match (c.is_ascii_digit(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if name[s..i].parse() == Ok(number.number) {
                    return format!("PRP-{}", &name[s..i]);
                }
                start = None;
            }
            _ => {}
        }
    }
    format!("PRP-{:02}", number.number)
}

/// `PRP-12`, `PRP 12`, `PRP #12`, `PRP12` in an item's text; not inside a word or a path.
fn prp_number_mentions(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("PRP") {
        let before = text[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '_') {
            continue;
        }
        let rest = &text[i + 3..];
        let digits = rest.trim_start_matches([' ', '-', '_', '#']);
        if rest.len() - digits.len() > 2 {
            continue;
        }
        let len = digits
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(digits.len());
        // `PRP-003-slug.md` is a file name, read as a path.
        if len == 0
            || len > 5
            || (digits[len..].starts_with(['-', '_']) && digits[len..].contains(".md"))
        {
            continue;
        }
        if let Ok(n) = digits[..len].parse() {
            out.push(n);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_mentions() {
        assert_eq!(
            prp_number_mentions("see PRP-03 and PRP 7, PRP#12"),
            [3, 7, 12]
        );
        assert!(prp_number_mentions("PRPs/active/PRP-003-x.md, XPRP-1").is_empty());
    }

    #[test]
    fn labels_keep_the_file_name_digits() {
        let n = |number| PrpNumber {
            phase: None,
            number,
        };
        assert_eq!(number_label("PRP-002-dashboard.md", &n(2)), "PRP-002");
        assert_eq!(number_label("03_sync.md", &n(3)), "PRP-03");
        assert_eq!(number_label("x.md", &n(4)), "PRP-04");
    }
}

//! Inserting a missing section, with a skeleton to fill, where the profile orders it.

use super::Input;
use crate::document::{heading::normalize_key, Section};
use crate::edit::{Change, TextEdit};

/// The section satisfying a canonical name (as the missing-section rule looks it up).
fn find<'d>(sections: &'d [Section], name: &str) -> Option<(usize, &'d Section)> {
    let key = normalize_key(name);
    sections.iter().enumerate().find(|(_, s)| {
        (2..=4).contains(&s.level) && (s.canonical.as_deref() == Some(name) || s.name.key == key)
    })
}

/// The outermost section around `i` whose level is at least `level`: a new level-2 section
/// goes around a level-3 one's parent, not into it.
fn climb(sections: &[Section], mut i: usize, level: u8) -> usize {
    while let Some(p) = sections[i].parent.filter(|p| sections[*p].level >= level) {
        i = p;
    }
    i
}

pub(super) fn insert_missing(input: &Input, names: &[String], profile: &str) -> Option<Change> {
    let name = names.first()?;
    let eol = input.eol();
    let text = input.text;
    let sections = &input.doc.sections;
    let title = format!("Add section `{name}`");
    if name == "Title" {
        let at = input.doc.body_start;
        let edit = TextEdit::insert(at, format!("# TODO: the PRP's title{eol}{eol}"));
        return Some(safe(input.edit(title, vec![edit])));
    }
    let profile = input.config.profile(profile)?;
    let order: Vec<Vec<String>> = profile
        .required
        .iter()
        .map(|r| r.0.clone())
        .chain(profile.optional.iter().map(|o| vec![o.clone()]))
        .collect();
    let index = order.iter().position(|r| r.as_slice() == names)?;
    let present = |r: &Vec<String>| r.iter().find_map(|n| find(sections, n));
    // The level the document writes its sections at.
    let level = order
        .iter()
        .filter_map(present)
        .map(|(_, s)| s.level)
        .min()
        .or_else(|| {
            sections
                .iter()
                .map(|s| s.level)
                .filter(|l| (2..=4).contains(l))
                .min()
        })
        .unwrap_or(2);
    let heading = format!("{} {name}", "#".repeat(level as usize));
    let body = crate::sections::skeleton(name);
    let before_heading =
        |at: usize| TextEdit::insert(at, format!("{heading}{eol}{eol}{body}{eol}{eol}"));
    let at_end = || {
        let blank_before = text.is_empty() || text.ends_with("\n\n") || text.ends_with("\n\r\n");
        // A text without a final newline keeps none, and sections appended one after the
        // other (fix-all) stay one blank line apart.
        let (lead, tail) = if blank_before {
            (String::new(), eol)
        } else if text.ends_with('\n') {
            (eol.to_string(), eol)
        } else {
            (format!("{eol}{eol}"), "")
        };
        TextEdit::insert(text.len(), format!("{lead}{heading}{eol}{eol}{body}{tail}"))
    };
    let preceding = order[..index].iter().rev().find_map(present);
    let following = order[index + 1..].iter().find_map(present);
    let edit = match (preceding, following) {
        (Some((i, _)), _) => {
            let at = sections[climb(sections, i, level)].end;
            if at >= text.len() {
                at_end()
            } else {
                before_heading(at)
            }
        }
        (None, Some((i, _))) => before_heading(sections[climb(sections, i, level)].heading.start),
        (None, None) => at_end(),
    };
    Some(safe(input.edit(title, vec![edit])))
}

fn safe(mut change: Change) -> Change {
    change.safe = true;
    change.preferred = true;
    change
}

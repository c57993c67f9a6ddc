//! Rename an agent: every assignment and `@mention` of it, its context file (whose name is
//! its id), its status files (name and `"id"`) and the quoted ids of prp-lsp.toml, as one
//! change. Rename a PRP's number: see [`crate::fixes::renumber_prp`]. Refused, with the
//! reason, where the new name is not an id or number, or is taken.

use crate::document::{Document, Span};
use crate::edit::{Change, ChangeKind, FileChange, TextEdit};
use crate::workspace::{normalize_agent_id, Workspace};

use super::at_cursor::{at_cursor, AtCursor};
use super::references::{in_document, Target};

/// What a rename at the cursor renames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Renamed {
    /// An agent, by id.
    Agent(String),
    /// The number of the PRP at this path.
    PrpNumber(String),
}

/// Where a rename starts: the agent or PRP under the cursor, the part of the text to show,
/// and the name the editor should offer (an agent's id, a PRP's number as its file name
/// writes it). `None` off both; an error for one prp-lsp cannot rename (an agent defined in
/// the orchestrator configuration or by no file, a PRP without a number).
pub fn prepare_at(
    doc: &Document,
    text: &str,
    ws: &Workspace,
    offset: usize,
) -> Option<Result<(Span, String, Renamed), String>> {
    if let AtCursor::Agent { name, span } = at_cursor(doc, text, offset) {
        let id = ws
            .agent(&name)
            .map_or_else(|| normalize_agent_id(&name), |a| normalize_agent_id(&a.id));
        if let Err(why) = renamable(ws, &id) {
            return Some(Err(why));
        }
        // The id inside what is written: `@backend` → `backend`, `ml_agent` → `ml`.
        let shown = id_part(&text[span.clone()])
            .map_or(span.clone(), |r| span.start + r.start..span.start + r.end);
        return Some(Ok((shown, id.clone(), Renamed::Agent(id))));
    }
    let Some(Target::Prp(path)) = super::references::target_at(doc, text, ws, offset) else {
        return None;
    };
    let Some(number) = ws.facts(&path).and_then(|f| f.number.clone()) else {
        return Some(Err(format!("`{path}` has no number to rename")));
    };
    // The mention, path or title under the cursor.
    let span = doc
        .prp_mentions
        .iter()
        .map(|m| m.span.clone())
        .chain(doc.references.iter().map(|r| r.span.clone()))
        .chain(
            doc.sections
                .iter()
                .filter(|s| s.level == 1)
                .map(|s| s.heading.clone()),
        )
        .find(|s| s.start <= offset && offset <= s.end)
        .unwrap_or(offset..offset);
    let file_name = path.rsplit('/').next().unwrap_or(&path);
    let written = crate::fixes::mentions_digits(file_name, number.number)
        .unwrap_or_else(|| number.number.to_string());
    Some(Ok((span, written, Renamed::PrpNumber(path))))
}

/// An agent can be renamed when a context file in the workspace defines it.
fn renamable(ws: &Workspace, id: &str) -> Result<(), String> {
    let Some(agent) = ws.agent(id) else {
        return Err(format!(
            "no agent `{id}` is defined in the workspace: there is no context file to rename"
        ));
    };
    if !agent.source.ends_with(".md") {
        return Err(format!(
            "agent `{id}` is defined in `{}`: rename it there",
            agent.source
        ));
    }
    Ok(())
}

/// The byte range of the id inside an assignment or mention as written: `@backend` →
/// `backend`, `ml_agent` → `ml`; `None` when the text is not one word (a title).
fn id_part(written: &str) -> Option<std::ops::Range<usize>> {
    let start = usize::from(written.starts_with('@'));
    let word = &written[start..];
    if word.is_empty() || word.contains(char::is_whitespace) {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let end = ["_agent", "-agent"]
        .iter()
        .find(|s| lower.len() > s.len() && lower.ends_with(*s))
        .map_or(word.len(), |s| word.len() - s.len());
    Some(start..start + end)
}

/// The new id, checked: letters, digits, `_` and `-`, starting with a letter or digit; an
/// `@` or an `_agent` suffix typed with it is dropped.
pub fn checked_id(new_name: &str) -> Result<String, String> {
    let trimmed = new_name.trim().trim_start_matches('@');
    let id = id_part(trimmed).map_or(trimmed, |r| &trimmed[r]);
    let valid = id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if valid {
        Ok(id.to_ascii_lowercase())
    } else {
        Err(format!(
            "`{new_name}` is not an agent id: use letters, digits, `_` and `-` (backend, data-pipeline)"
        ))
    }
}

/// What the rename reads besides the documents: the status files that report the agent
/// and the configuration file, as (path, text).
#[derive(Debug, Default)]
pub struct OtherFiles {
    pub status: Vec<(String, String)>,
    pub config: Option<(String, String)>,
}

/// The change that renames agent `id` to `new_name`, given every document that refers to
/// it ([`super::references::candidates`], as (path, model, text)) and the other files it
/// is named in.
pub fn rename_agent(
    ws: &Workspace,
    id: &str,
    new_name: &str,
    documents: &[(&str, &Document, &str)],
    other: &OtherFiles,
) -> Result<Change, String> {
    renamable(ws, id)?;
    let new = checked_id(new_name)?;
    if new == id {
        return Err(format!("the agent is already called `{id}`"));
    }
    if let Some(taken) = ws.agent(&new) {
        return Err(format!(
            "an agent `{new}` already exists (`{}`): choose another id, or reassign the work instead",
            taken.source
        ));
    }
    let agent_file = ws.agent(id).map(|a| a.source.clone()).unwrap_or_default();
    let mut edits: Vec<FileChange> = Vec::new();
    let target = Target::Agent(id.to_string());
    for (path, doc, text) in documents {
        let mut file_edits: Vec<TextEdit> = Vec::new();
        for span in in_document(doc, text, ws, &target) {
            let written = &text[span.clone()];
            match id_part(written) {
                Some(r) => file_edits.push(TextEdit::replace(
                    span.start + r.start..span.start + r.end,
                    new.clone(),
                )),
                // An assignment written as a name ("Backend Agent"): the id, as a word.
                None => file_edits.push(TextEdit::replace(span, new.clone())),
            }
        }
        if !file_edits.is_empty() {
            edits.push(FileChange::Edit {
                path: path.to_string(),
                edits: file_edits,
            });
        }
    }
    let mut renames: Vec<FileChange> = Vec::new();
    let (dir, file_name) = split(&agent_file);
    // `backend_agent.md` → `api_agent.md`: the id is the file name's stem without the suffix.
    let stem = file_name.strip_suffix(".md").unwrap_or(file_name);
    let suffix = &file_name[id_part(stem).map_or(stem.len(), |r| r.end)..];
    let renamed = format!("{dir}{new}{suffix}");
    if ws.exists(&renamed) {
        return Err(format!(
            "`{renamed}` already exists: the context file cannot take the new name"
        ));
    }
    renames.push(FileChange::Rename {
        from: agent_file.clone(),
        to: renamed,
    });
    for (path, text) in &other.status {
        edits.extend(replace_all(
            path,
            super::references::status_ids(text, id),
            &new,
        ));
        let (dir, name) = split(path);
        if name.eq_ignore_ascii_case(&format!("{id}.json")) {
            let to = format!("{dir}{new}.json");
            if ws.exists(&to) {
                return Err(format!(
                    "`{to}` already exists: the status file cannot take the new name"
                ));
            }
            renames.push(FileChange::Rename {
                from: path.clone(),
                to,
            });
        }
    }
    if let Some((path, text)) = &other.config {
        edits.extend(replace_all(path, quoted(text, id), &new));
    }
    // Edits first: each is computed on a file's text before it moves.
    edits.extend(renames);
    Ok(Change::new(
        format!("Rename agent `{id}` to `{new}`"),
        ChangeKind::Refactor,
        edits,
    ))
}

/// Each of `spans` of the file at `path` replaced by `new`; nothing without spans.
fn replace_all(path: &str, spans: Vec<Span>, new: &str) -> Option<FileChange> {
    (!spans.is_empty()).then(|| FileChange::Edit {
        path: path.to_string(),
        edits: spans
            .into_iter()
            .map(|s| TextEdit::replace(s, new.to_string()))
            .collect(),
    })
}

/// (`dir/` with its slash, file name).
fn split(path: &str) -> (&str, &str) {
    match path.rfind('/') {
        Some(i) => (&path[..=i], &path[i + 1..]),
        None => ("", path),
    }
}

/// The spans (inside the quotes) of every quoted TOML string that is exactly `id`, outside
/// comments: routing targets, `default-agent`, agent lists.
fn quoted(text: &str, id: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let code = line.split('#').next().unwrap_or("");
        for quote in ['"', '\''] {
            let needle = format!("{quote}{id}{quote}");
            let mut from = 0;
            while let Some(at) = code[from..].find(&needle) {
                let s = start + from + at + 1;
                out.push(s..s + id.len());
                from += at + needle.len();
            }
        }
        start += line.len();
    }
    out.sort_by_key(|s| s.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_inside_what_is_written() {
        assert_eq!(id_part("@backend"), Some(1..8));
        assert_eq!(id_part("ml_agent"), Some(0..2));
        assert_eq!(id_part("Data-Agent"), Some(0..4));
        assert_eq!(id_part("Backend Agent"), None);
        assert_eq!(checked_id("@api_agent"), Ok("api".into()));
        assert_eq!(checked_id(" Data-Pipeline "), Ok("data-pipeline".into()));
        assert!(checked_id("two words").is_err());
        assert!(checked_id("../x").is_err());
        assert!(checked_id("").is_err());
    }

    #[test]
    fn ids_in_status_json_and_toml() {
        let json = "{\n  \"id\": \"backend\",\n  \"current_task\": \"id: backend\"\n}\n";
        let spans = crate::ide::references::status_ids(json, "backend");
        assert_eq!(spans.len(), 1);
        assert_eq!(&json[spans[0].clone()], "backend");
        let toml = "[routing]\ndefault-agent = \"backend\" # was \"backend\"\nrules = [{ keywords = [\"api\"], agent = 'backend' }]\nnote = \"backend team\"\n";
        let found: Vec<&str> = quoted(toml, "backend")
            .into_iter()
            .map(|s| &toml[s])
            .collect();
        assert_eq!(found, ["backend", "backend"]);
    }
}

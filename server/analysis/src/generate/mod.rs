//! Generating a PRP from a requirement: the requirement's sources, its analysis, the next
//! free number, the file name in the workspace's style, and the body from a template.

mod analysis;
mod block;
mod kind;
mod naming;
mod phrasing;
mod requirement;
mod template;
mod words;
mod workspace_template;

pub use analysis::{analyze, Analysis, DEFAULT_MODULES};
pub use naming::{next_number, slug, NamingStyle};
pub use requirement::{
    requirement_blocks, requirement_from_task_item, requirement_from_text, Priority, Requirement,
    RequirementError, RequirementKind,
};

use crate::config::Config;
use crate::document::scan::Date;
use crate::document::Document;
use crate::edit::{Change, ChangeKind, FileChange, TextEdit, TextSource};
use crate::rules::context::Context;
use crate::rules::registry::Rule;
use crate::workspace::{prp_namespace, Workspace};

const DEFAULT_FOLDER: &str = "PRPs/active";

pub use crate::config::generate::{RawComplexity, RawGenerate};

/// What generation reads of `[generate]` beyond its values.
impl RawGenerate {
    /// The configured folder, else `PRPs/active` beside the workspace's PRPs (which some
    /// teams keep under `.claude/PRPs/`).
    pub fn folder(&self, ws: &Workspace) -> String {
        if let Some(folder) = &self.folder {
            // `""`, `"."` and `"./"` are the workspace root.
            let folder = folder.trim_end_matches('/').trim_start_matches("./");
            return if folder == "." {
                String::new()
            } else {
                folder.to_string()
            };
        }
        if !ws.is_dir("PRPs") && ws.is_dir(".claude/PRPs") {
            return format!(".claude/{DEFAULT_FOLDER}");
        }
        DEFAULT_FOLDER.to_string()
    }

    /// The built-in modules with the configured ones layered on top, in that order.
    pub fn module_keywords(&self) -> Vec<(String, Vec<String>)> {
        let mut modules: Vec<(String, Vec<String>)> = DEFAULT_MODULES
            .iter()
            .map(|(m, kws)| (m.to_string(), kws.iter().map(|k| k.to_string()).collect()))
            .collect();
        for (module, keywords) in &self.modules {
            match modules.iter_mut().find(|(m, _)| m == module) {
                Some((_, existing)) => existing.clone_from(keywords),
                None => modules.push((module.clone(), keywords.clone())),
            }
        }
        modules
    }

    /// Scores at which M, L and XL begin.
    pub fn complexity_thresholds(&self) -> (u32, u32, u32) {
        let c = &self.complexity;
        (c.m.unwrap_or(2), c.l.unwrap_or(3), c.xl.unwrap_or(5))
    }
}

/// Where the source document gets its link to the new PRP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkBack {
    /// Workspace-relative path of the source document.
    pub path: String,
    /// Byte offset of the insertion: the end of the TASK.md item's first line.
    pub at: usize,
}

impl LinkBack {
    /// The end of a checklist item's first line (before a `\r`), in `doc`.
    pub fn after_item(doc: &Document, item: usize) -> LinkBack {
        LinkBack {
            path: doc.path.clone(),
            at: doc.checklist[item].line.end,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Creates the PRP, then links it from the source.
    pub change: Change,
    /// Workspace-relative path of the new PRP.
    pub path: String,
    /// What did not go as configured (a template that is missing or unusable…).
    pub warnings: Vec<String>,
}

/// A new PRP for a requirement: the next free number, a name in the workspace's style, a
/// body from the workspace's template (else the profile's built-in one) filled with the
/// requirement and its analysis, and a link from the source document. Refused, with the
/// reason, when the configured folder is outside the workspace.
pub fn generate(
    req: &Requirement,
    link_back: Option<&LinkBack>,
    ws: &Workspace,
    config: &Config,
    texts: &dyn TextSource,
    today: Date,
) -> Result<Generated, String> {
    let settings = &config.generate;
    if let Some(problem) = settings.folder_problem() {
        return Err(problem);
    }
    let analysis = analyze(req, ws, config);
    let folder = settings.folder(ws);
    let in_folder = |name: &str| {
        if folder.is_empty() {
            name.to_string()
        } else {
            format!("{folder}/{name}")
        }
    };
    let namespace = prp_namespace(&in_folder("new.md"));
    // Outside any `PRPs` folder the numbers are the folder's own.
    let scope = if namespace.is_empty() {
        folder.as_str()
    } else {
        namespace.as_str()
    };
    let style = NamingStyle::of_workspace(ws, scope);
    let mut number = next_number(ws, scope);
    let mut path = in_folder(&style.file_name(number, &req.title));
    while ws.exists(&path) {
        number += 1;
        path = in_folder(&style.file_name(number, &req.title));
    }
    let label = style.label(number);
    let fill = template::Fill {
        req,
        analysis: &analysis,
        ws,
        config,
        label: label.clone(),
        today,
    };
    let mut warnings = Vec::new();
    let template_path = settings.template();
    let (from_workspace, fallback_reason) = match texts.text(template_path) {
        Some(text) => {
            match workspace_template::fill_workspace_template(&text, &fill, config, &path) {
                Some(content) => (Some(content), None),
                None => (
                    None,
                    Some(format!(
                        "the template {template_path} has no PRP sections (Goal, What, Tasks…)"
                    )),
                ),
            }
        }
        None if settings.template.is_some() => (
            None,
            Some(format!(
                "the configured template {template_path} cannot be read"
            )),
        ),
        None => (None, None),
    };
    let content = match from_workspace {
        Some(content) => content,
        None => {
            let profile = builtin_profile(settings, &mut warnings);
            if let Some(reason) = fallback_reason {
                warnings.push(format!(
                    "{reason}, so the built-in {profile} template was used"
                ));
            }
            fill.builtin(profile)
        }
    };
    warnings.extend(leftover_placeholders(&path, &content, ws, config));
    let mut changes = vec![FileChange::Create {
        path: path.clone(),
        content,
    }];
    if let Some(link) = link_back {
        let source_dir = link.path.rsplit_once('/').map_or("", |(d, _)| d);
        changes.push(FileChange::Edit {
            path: link.path.clone(),
            edits: vec![TextEdit::insert(
                link.at,
                format!(" → [{label}]({})", relative_path(source_dir, &path)),
            )],
        });
    }
    let title = format!("Generate {label}: {}", req.title);
    Ok(Generated {
        change: Change::new(title, ChangeKind::Refactor, changes),
        path,
        warnings,
    })
}

/// The configured profile when it has a built-in template, else `base` (with a warning).
fn builtin_profile(settings: &RawGenerate, warnings: &mut Vec<String>) -> &'static str {
    let wanted = settings.profile();
    template::BUILTIN_PROFILES
        .into_iter()
        .find(|p| *p == wanted)
        .unwrap_or_else(|| {
            warnings.push(format!(
                "profile `{wanted}` has no built-in template ({} do), so `base` was used",
                template::BUILTIN_PROFILES.join(", ")
            ));
            crate::config::generate::DEFAULT_PROFILE
        })
}

/// What is left for the author to fill, as the validator will report it: each placeholder
/// with its line ("2 placeholders left to fill: `[Official API docs URL]` (line 31), …").
fn leftover_placeholders(
    path: &str,
    content: &str,
    ws: &Workspace,
    config: &Config,
) -> Option<String> {
    let doc = crate::parse(path, content, config);
    let lines = crate::text::LineIndex::new(content);
    let left: Vec<String> = crate::check(&doc, content, ws, config)
        .iter()
        .filter(|d| d.rule == Rule::TemplatePlaceholder)
        .map(|d| {
            let shown = content[d.span.clone()].trim();
            format!("`{shown}` (line {})", lines.line_of(d.span.start) + 1)
        })
        .collect();
    match left.len() {
        0 => None,
        1 => Some(format!("1 placeholder left to fill: {}", left[0])),
        n => Some(format!(
            "{n} placeholders left to fill: {}",
            left.join(", ")
        )),
    }
}

/// `to` as a link from a document in folder `from_dir` (both workspace-relative).
fn relative_path(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|c| !c.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

/// `invalid-requirement`: a requirement block that does not parse, on the field at fault.
pub(crate) fn check_requirement_blocks(cx: &mut Context) {
    if !cx.doc.fences.iter().any(requirement::is_requirement_fence) {
        return;
    }
    for (_, parsed) in requirement_blocks(cx.doc, cx.text) {
        if let Err(e) = parsed {
            cx.report(
                Rule::InvalidRequirement,
                e.span,
                format!("requirement block: {}", e.message),
            );
        }
    }
}

#[cfg(test)]
mod tests;

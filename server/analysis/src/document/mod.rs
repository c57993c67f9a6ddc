//! The document model: what prp-lsp understood of one Markdown file. Built by [`parse`],
//! which never fails: anything it cannot make sense of is simply not in the model.

pub mod front_matter;
pub mod heading;
mod kind;
mod parse;
pub mod scan;

pub use heading::{MarkerState, NormalizedHeading};
pub use kind::{
    classify, lifecycle_from_folder, lifecycle_from_status, prp_number, DocKind, Lifecycle,
    PrpNumber,
};
pub(crate) use parse::heading_title;
pub use parse::parse;

use std::ops::Range;

pub type Span = Range<usize>;

/// A value read from the document, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub level: u8,
    /// The heading line(s).
    pub heading: Span,
    pub name: NormalizedHeading,
    /// Canonical section this heading is a name of, if any.
    pub canonical: Option<String>,
    /// Text between this heading and the next heading of any level.
    pub body: Span,
    /// Where the section ends, subsections included.
    pub end: usize,
    pub parent: Option<usize>,
    /// The section documents syntax (a TASK.md "Task Format", examples, a template): its
    /// items are examples, not work.
    pub example: bool,
}

#[derive(Debug, Clone)]
pub struct CheckItem {
    /// The `[ ]` / `[x]` marker.
    pub marker: Span,
    /// The item's first line.
    pub line: Span,
    pub checked: bool,
    /// The item's first line after the marker, trimmed.
    pub text: String,
    /// Nesting depth of the list the item is in (0 = top level).
    pub depth: u32,
    /// Index of the innermost enclosing section.
    pub section: Option<usize>,
}

impl CheckItem {
    /// `- [ ] ~~text~~`: struck through, so dropped rather than still to do.
    pub fn is_struck(&self) -> bool {
        self.text.starts_with("~~")
    }

    /// Neither ticked nor struck through.
    pub fn is_open(&self) -> bool {
        !self.checked && !self.is_struck()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferenceKind {
    /// `- file: path` in a context block.
    File,
    /// `- docfile: path`.
    DocFile,
    /// `- url: …`; never resolved (no network).
    Url,
    /// A relative Markdown link or image.
    Link,
    /// A `CREATE path` task target: exists only once the work is done.
    Create,
    /// `MODIFY path` / `UPDATE path`: must exist.
    Modify,
    /// A `PRPs/….md` path written in text.
    PrpPath,
}

#[derive(Debug, Clone)]
pub struct Reference {
    pub kind: ReferenceKind,
    /// The path as written (backticks, quotes and anchors removed).
    pub target: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskSource {
    /// `### Task N: …` or a feature-plan `### [x] Task N: …` heading.
    Heading,
    /// A `Task N:` line inside a fenced block.
    FenceLine,
    /// A checklist item of a task board.
    BoardItem,
}

#[derive(Debug, Clone)]
pub struct Task {
    pub source: TaskSource,
    pub number: Option<u32>,
    pub title: String,
    /// The heading or line that names the task.
    pub span: Span,
    /// Zero-based line of `span.start` (kept for the workspace index, which has no text).
    pub line: u32,
    /// Where the task's own text ends (its notes and verbs included).
    pub end: usize,
    pub state: Option<MarkerState>,
    pub assignee: Option<Spanned<String>>,
    pub section: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Fence {
    /// Whole block, fences included.
    pub span: Span,
    /// The opening fence line.
    pub opening: Span,
    pub info: String,
    pub closed: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Metadata {
    pub title: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    pub number: Option<PrpNumber>,
    pub status: Option<Spanned<String>>,
    pub priority: Option<Spanned<String>>,
    pub complexity: Option<Spanned<String>>,
    pub profile: Option<Spanned<String>>,
    /// Other header keys (front matter, pseudo-header, bold key/value lines), lowercase.
    pub keys: Vec<(String, Spanned<String>)>,
    /// When a PRP is due: a `due:` / `**Due**:` / `Target date` key, else the last date of its
    /// Timeline section.
    pub due_on: Option<crate::document::scan::Date>,
}

impl Metadata {
    pub fn key(&self, name: &str) -> Option<&Spanned<String>> {
        self.keys.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}

/// A `<!-- prp-lsp: disable … -->` comment.
#[derive(Debug, Clone)]
pub struct Suppression {
    /// Rule codes; empty means every rule.
    pub rules: Vec<String>,
    pub scope: SuppressionScope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionScope {
    File,
    /// Zero-based line.
    Line(usize),
}

#[derive(Debug, Clone)]
pub struct Document {
    /// Workspace-relative path with `/` separators.
    pub path: String,
    pub kind: DocKind,
    pub lifecycle: Lifecycle,
    pub text_len: usize,
    /// Where the front matter or pseudo-header ends and the body begins.
    pub body_start: usize,
    pub metadata: Metadata,
    pub sections: Vec<Section>,
    pub checklist: Vec<CheckItem>,
    pub references: Vec<Reference>,
    /// `PRP-12` mentions of a PRP by number in prose and YAML context blocks (not in code),
    /// in text order.
    pub prp_mentions: Vec<Spanned<u32>>,
    pub tasks: Vec<Task>,
    pub fences: Vec<Fence>,
    pub suppressions: Vec<Suppression>,
    /// Agent context files: the agent's id (from the file name) and display name.
    pub agent: Option<AgentDefinition>,
    /// On a task board: PRPs (by file name) that ticked items say were finished, each with
    /// the latest completion date an item gives.
    pub finished_prps: Vec<(String, scan::Date)>,
}

#[derive(Debug, Clone)]
pub struct AgentDefinition {
    pub id: String,
    pub name: Option<String>,
    /// Backticked folders of the Scope section.
    pub scope: Vec<Spanned<String>>,
}

impl Document {
    /// `PRP-12` mentions but those in the document's own title (its `#` heading, a `name:`
    /// line): that is its declaration, not a reference.
    pub fn number_mentions(&self) -> impl Iterator<Item = &Spanned<u32>> {
        let titles: Vec<Span> = self
            .sections
            .iter()
            .find(|s| s.level == 1)
            .map(|s| s.heading.clone())
            .into_iter()
            .chain(self.metadata.title.as_ref().map(|t| t.span.clone()))
            .collect();
        self.prp_mentions.iter().filter(move |m| {
            !titles
                .iter()
                .any(|t| t.start <= m.span.start && m.span.end <= t.end)
        })
    }

    /// Innermost section containing `offset`.
    /// Sections nest, so it is the last section starting at or before `offset`, or the
    /// nearest of its ancestors that has not ended yet.
    pub fn section_at(&self, offset: usize) -> Option<usize> {
        let last_started = self.sections.partition_point(|s| s.heading.start <= offset);
        let mut current = last_started.checked_sub(1);
        while let Some(i) = current {
            let s = &self.sections[i];
            if offset < s.end || (offset == s.end && s.end == self.text_len) {
                return Some(i);
            }
            current = s.parent;
        }
        None
    }

    /// Whether `offset` lies in a fenced block (fence lines included).
    pub fn in_fence(&self, offset: usize) -> bool {
        self.fence_at(offset).is_some()
    }

    /// The fenced block `offset` lies in (fence lines included), by binary search.
    pub fn fence_at(&self, offset: usize) -> Option<&Fence> {
        let i = self.fences.partition_point(|f| f.span.start <= offset);
        i.checked_sub(1)
            .map(|i| &self.fences[i])
            .filter(|f| offset < f.span.end)
    }

    /// Whether a section or one of its ancestors satisfies `pred`.
    pub fn within_any(&self, section: Option<usize>, pred: impl Fn(&Section) -> bool) -> bool {
        let mut cur = section;
        while let Some(i) = cur {
            if pred(&self.sections[i]) {
                return true;
            }
            cur = self.sections[i].parent;
        }
        false
    }

    /// The checklist item on the line that starts at `line_start` (items are in text order:
    /// a binary search, so per-task lookups stay linear over a board).
    pub fn checklist_item_at(&self, line_start: usize) -> Option<&CheckItem> {
        let i = self
            .checklist
            .partition_point(|c| c.line.start < line_start);
        self.checklist.get(i).filter(|c| c.line.start == line_start)
    }

    /// The references that start within `range` (references are in text order).
    pub fn references_within(&self, range: Span) -> &[Reference] {
        let from = self
            .references
            .partition_point(|r| r.span.start < range.start);
        let to = self
            .references
            .partition_point(|r| r.span.start < range.end);
        &self.references[from..to.max(from)]
    }

    /// Whether a task is settled work: ticked or struck through, or a task heading whose
    /// checklist is all ticked. Settled work is history: nobody routes, assigns or watches it.
    pub fn is_settled(&self, task: &Task) -> bool {
        if let Some(item) = self
            .checklist_item_at(task.span.start)
            .filter(|c| c.line == task.span)
        {
            return !item.is_open();
        }
        match task.state {
            Some(MarkerState::Done) => return true,
            Some(_) => return false,
            None => {}
        }
        let items = self.checklist_within(task.span.end..task.end.max(task.span.end));
        !items.is_empty() && items.iter().all(|c| !c.is_open())
    }

    /// The checklist items whose lines start within `range`.
    pub fn checklist_within(&self, range: Span) -> &[CheckItem] {
        let from = self
            .checklist
            .partition_point(|c| c.line.start < range.start);
        let to = self.checklist.partition_point(|c| c.line.start < range.end);
        &self.checklist[from..to.max(from)]
    }

    /// Sections whose canonical name is `canonical`.
    pub fn sections_named<'a>(
        &'a self,
        canonical: &'a str,
    ) -> impl Iterator<Item = (usize, &'a Section)> + 'a {
        self.sections
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.canonical.as_deref() == Some(canonical))
    }

    /// Whether a section (or one of its ancestors) is an example section.
    pub fn in_example(&self, section: Option<usize>) -> bool {
        let mut cur = section;
        while let Some(i) = cur {
            if self.sections[i].example {
                return true;
            }
            cur = self.sections[i].parent;
        }
        false
    }

    /// Whether section `inner` is `outer` or nested inside it.
    pub fn is_within(&self, inner: Option<usize>, outer: usize) -> bool {
        let mut cur = inner;
        while let Some(i) = cur {
            if i == outer {
                return true;
            }
            cur = self.sections[i].parent;
        }
        false
    }

    pub fn file_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    pub fn dir(&self) -> &str {
        self.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
    }
}

//! What the analysis reports: byte ranges, a rule, a message that says what would fix it.

use crate::document::{Lifecycle, PrpNumber, Span};
// The registry is the bottom layer: rules and their severities.
pub use crate::rules::registry::{Rule, Severity};

/// Another place that explains a finding (the other PRP with the same number, an item).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// Workspace-relative path; `None` means the same document.
    pub path: Option<String>,
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    pub related: Vec<Related>,
    /// What a quick fix needs to know beyond the span (see the fixes module).
    pub hint: Option<FixHint>,
}

/// Facts a rule records for the quick fixes of its finding. Spans are byte offsets in the
/// text the finding was computed for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixHint {
    /// A section the profile requires is absent: the names that would satisfy it (the
    /// first is the one to insert) and the profile that requires it.
    MissingSection { names: Vec<String>, profile: String },
    /// A path to a PRP that moved: the path as written (cleaned) and where PRPs of that file
    /// name are now (workspace-relative, sorted).
    MovedPrp { written: String, now: Vec<String> },
    /// Open Success Criteria / Final Validation items of a finished PRP: their `[ ]` markers.
    OpenCriteria { markers: Vec<Span> },
    /// The Status line contradicts the folder or the checkboxes: the lifecycle the folder
    /// implies and the one the Status states.
    StatusMismatch {
        folder: Lifecycle,
        stated: Lifecycle,
    },
    /// Another PRP in the same `PRPs` folder has this number.
    DuplicateNumber {
        number: PrpNumber,
        others: Vec<String>,
    },
    /// A pre-deployment checklist item whose gate passes: its `[ ]` marker.
    TickGateItem { marker: Span },
}

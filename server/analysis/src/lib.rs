//! prp-analysis: the pure core of prp-lsp. Text and workspace facts in; document model and
//! diagnostics out. No protocol types, no async runtime, no file system.

pub mod assign;
pub mod config;
pub mod delivery;
pub mod diagnostic;
pub mod document;
pub mod edit;
pub mod figures;
pub mod fixes;
pub mod gates;
pub mod generate;
pub mod ide;
pub mod orchestrator;
pub mod profile;
pub mod rules;
pub mod sections;
pub mod status;
pub mod text;
pub mod workspace;

pub use config::{Config, RawConfig};
pub use diagnostic::{Diagnostic, Related, Severity};
pub use document::{parse, DocKind, Document};
pub use rules::{check, Rule};
pub use workspace::{DocFacts, Workspace};

//! The bodies of prp-lsp's fuzz targets (`fuzz/fuzz_targets/`): one pure function per target,
//! bytes in, the analysis core (or the transport's wire code) run over them, invariants asserted with `assert!` so that
//! libFuzzer reports a violation as a crash. None of them may panic on any input.
//!
//! The functions also run on stable in `cargo test` over the committed corpus and every
//! regression found (`tests/corpus.rs`).

mod artifacts;
mod config;
mod document;
mod fixes;
mod frames;
pub mod invariants;
pub mod setup;

pub use artifacts::artifacts;
pub use config::config;
pub use document::document;
pub use fixes::fixes;
pub use frames::frames;

/// A target's body: bytes in, panics only on a bug.
pub type Target = fn(&[u8]);

/// Every target by name, as the fuzz targets and the corpus folders are named.
pub const TARGETS: [(&str, Target); 5] = [
    ("document", document),
    ("fixes", fixes),
    ("artifacts", artifacts),
    ("config", config),
    ("frames", frames),
];

//! The fuzz targets on stable: each target's function over every file of its committed seed
//! corpus (`fuzz/corpus/<target>/`) and of its regressions (`fuzz/regressions/<target>/`,
//! the inputs fuzzing found that once crashed). A panic fails the test with the file's name.
//!
//! The seed corpus must exist and hold inputs (a missing or empty one would make this test
//! pass without testing anything); the regressions folder must exist and may be empty.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use prp_fuzz_harness::TARGETS;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the harness lives in fuzz/harness")
        .to_path_buf()
}

/// The inputs in `dir`, sorted; hidden files (`.gitkeep`) are not inputs.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e} (the folder must exist)", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a readable folder").path())
        .filter(|p| p.is_file())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    files.sort();
    files
}

fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(no message)".to_string())
}

fn run(target: &str) {
    let run = TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .unwrap_or_else(|| panic!("no target {target}"))
        .1;
    let corpus = fuzz_dir().join("corpus").join(target);
    let regressions = fuzz_dir().join("regressions").join(target);
    let seeds = inputs(&corpus);
    assert!(
        !seeds.is_empty(),
        "{}: the seed corpus is empty",
        corpus.display()
    );
    let mut failures = Vec::new();
    for file in seeds.iter().chain(&inputs(&regressions)) {
        let data = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| run(&data))) {
            failures.push(format!("{}: {}", file.display(), message(&*payload)));
        }
    }
    assert!(
        failures.is_empty(),
        "{target} panicked on {} input(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn document() {
    run("document");
}

#[test]
fn fixes() {
    run("fixes");
}

#[test]
fn artifacts() {
    run("artifacts");
}

#[test]
fn config() {
    run("config");
}

#[test]
fn frames() {
    run("frames");
}

/// Every target has a test above, and a fuzz target of the same name.
#[test]
fn every_target_is_tested() {
    let names: Vec<&str> = TARGETS.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        ["document", "fixes", "artifacts", "config", "frames"]
    );
    for name in names {
        let target = fuzz_dir().join("fuzz_targets").join(format!("{name}.rs"));
        assert!(target.is_file(), "{} is missing", target.display());
    }
}

//! What the data-driven test crates share: reading a fixture.
//!
//! A fixture is a small workspace in one text: `//- path` starts a file (`//- path crlf`
//! stores it with CRLF line endings), `//= words…` starts the requirement a generation case
//! reads (kept as a file whose path is `=`), and `// text` lines before the first file are
//! directives (what a fix case applies, for one).

#![allow(dead_code)] // each test crate uses a part

#[derive(Clone)]
pub struct FixtureFile {
    pub path: String,
    /// The words after the path (`crlf`) or after `//=`.
    pub flags: Vec<String>,
    pub text: String,
}

pub struct Fixture {
    pub directives: Vec<String>,
    pub files: Vec<FixtureFile>,
}

impl Fixture {
    pub fn parse(fixture: &str) -> Fixture {
        let mut directives = Vec::new();
        let mut files: Vec<FixtureFile> = Vec::new();
        for line in fixture.split_inclusive('\n') {
            if let Some(header) = line.strip_prefix("//- ") {
                let mut words = header.split_whitespace().map(str::to_string);
                let path = words.next().expect("a path after //-");
                files.push(FixtureFile {
                    path,
                    flags: words.collect(),
                    text: String::new(),
                });
            } else if let Some(spec) = line.strip_prefix("//= ") {
                files.push(FixtureFile {
                    path: "=".into(),
                    flags: spec.split_whitespace().map(str::to_string).collect(),
                    text: String::new(),
                });
            } else if let Some(f) = files.last_mut() {
                f.text.push_str(line);
            } else if let Some(d) = line.strip_prefix("// ") {
                directives.push(d.trim().to_string());
            }
        }
        for f in &mut files {
            if f.flags.iter().any(|w| w == "crlf") && f.path != "=" {
                f.text = f.text.replace('\n', "\r\n");
            }
        }
        Fixture { directives, files }
    }

    /// The workspace's files (the requirement section left out), by path.
    pub fn workspace_files(&self) -> impl Iterator<Item = &FixtureFile> {
        self.files.iter().filter(|f| f.path != "=")
    }

    /// The `//=` section: its words and its text.
    pub fn requirement(&self) -> Option<&FixtureFile> {
        self.files.iter().find(|f| f.path == "=")
    }
}

/// A fixture read the way the server reads a workspace: configuration (prp-lsp.toml and
/// the orchestrator file it names), documents in the index, agent status reports (files
/// the `[status] files` glob matches) and every other file as gate evidence, judged at
/// `now` (`// now: <RFC 3339>`, default [`DEFAULT_NOW`]). `//- path modified=-600` dates a
/// file relative to `now` (evidence defaults to a minute old, documents to an hour).
pub struct World {
    pub config: prp_analysis::Config,
    pub ws: prp_analysis::Workspace,
    /// The documents (not `Other` files), in path order.
    pub docs: Vec<(FixtureFile, prp_analysis::Document)>,
    /// Every file of the fixture as written (configuration, status reports, evidence too).
    pub files: Vec<FixtureFile>,
    pub now: i64,
}

pub const DEFAULT_NOW: &str = "2026-11-20T12:00:00Z";

/// A file's modification time: `modified=<seconds relative to now>`, else `default` ago.
fn modified(f: &FixtureFile, now: i64, default: i64) -> i64 {
    f.flags
        .iter()
        .find_map(|w| w.strip_prefix("modified="))
        .map_or(now - default, |s| {
            now + s.parse::<i64>().expect("modified=<seconds>")
        })
}

impl World {
    pub fn build(fixture: Fixture) -> World {
        use prp_analysis::gates::{Artifact, Evidence};
        use prp_analysis::orchestrator::OrchestratorConfig;
        use prp_analysis::status::{parse_status, StatusSnapshot};
        use prp_analysis::{parse, Config, DocFacts, DocKind, RawConfig, Workspace};

        let files = fixture.files;
        let all_files = files.clone();
        let mut config = match files.iter().find(|f| f.path == "prp-lsp.toml") {
            Some(f) => {
                Config::from_raw(&RawConfig::from_toml(&f.text).expect("fixture config parses"))
                    .expect("fixture config is valid")
            }
            None => Config::default(),
        };
        let orchestrator = config.orchestrator_path.clone();
        if let Some(f) = files
            .iter()
            .find(|f| Some(&f.path) == orchestrator.as_ref())
        {
            config.set_orchestrator(Some(
                OrchestratorConfig::from_json(&f.text).expect("fixture orchestrator parses"),
            ));
        }
        let explicit_now = fixture
            .directives
            .iter()
            .find_map(|d| d.strip_prefix("now:"))
            .map(str::trim);
        let now = explicit_now
            .unwrap_or(DEFAULT_NOW)
            .parse::<jiff::Timestamp>()
            .expect("`// now:` takes an RFC 3339 time")
            .as_second();
        let status_glob = globset::Glob::new(&config.status_settings().files)
            .expect("a valid status glob")
            .compile_matcher();

        let mut ws = Workspace::new();
        ws.set_config_agents(&config);
        let mut docs = Vec::new();
        let (mut statuses, mut artifacts) = (Vec::new(), Vec::new());
        for f in files.into_iter().filter(|f| f.path != "=") {
            ws.add_file(&f.path);
            let doc = parse(&f.path, &f.text, &config);
            if doc.kind != DocKind::Other {
                ws.update_document(&f.path, DocFacts::of(&doc));
                ws.set_saved_at(&f.path, modified(&f, now, 3600));
                docs.push((f, doc));
            } else if status_glob.is_match(&f.path) {
                statuses.extend(parse_status(&f.path, &f.text).expect("fixture status parses"));
            } else if f.path != "prp-lsp.toml" && Some(&f.path) != orchestrator.as_ref() {
                artifacts.push(Artifact {
                    path: f.path.clone(),
                    text: f.text.clone(),
                    modified: modified(&f, now, 60),
                });
            }
        }
        // What the server has once it read the workspace's evidence; fixtures without any
        // stay as before (no gate or agent findings).
        if !statuses.is_empty() {
            ws.set_status(StatusSnapshot {
                statuses,
                now,
                ..StatusSnapshot::default()
            });
        }
        if !artifacts.is_empty() || explicit_now.is_some() {
            ws.set_evidence(std::sync::Arc::new(Evidence::new(artifacts)), now);
        }
        docs.sort_by(|a, b| a.0.path.cmp(&b.0.path));
        World {
            config,
            ws,
            docs,
            files: all_files,
            now,
        }
    }

    /// The document at `path`.
    pub fn doc(&self, path: &str) -> Option<&(FixtureFile, prp_analysis::Document)> {
        self.docs.iter().find(|(f, _)| f.path == path)
    }
}

/// The `*.md` fixtures of `tests/<folder>`, sorted; fails when there are none.
pub fn fixture_files(folder: &str) -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(folder);
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    entries.sort();
    assert!(!entries.is_empty(), "no fixtures in {}", dir.display());
    entries
}

/// Compares `actual` with the fixture's `.expected` file, or rewrites that file when
/// `UPDATE_EXPECT` is set; a difference is returned as a failure to report.
pub fn expect(fixture: &std::path::Path, actual: &str) -> Option<String> {
    let expected_path = fixture.with_extension("expected");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&expected_path, actual).unwrap();
        return None;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    (expected != actual).then(|| {
        format!(
            "--- {}\nexpected:\n{expected}actual:\n{actual}",
            fixture.file_name().unwrap().to_string_lossy()
        )
    })
}

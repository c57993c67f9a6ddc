//! What the data-driven test crates share: reading a fixture.
//!
//! A fixture is a small workspace in one text: `//- path` starts a file (`//- path crlf`
//! stores it with CRLF line endings), `//= words…` starts the requirement a generation case
//! reads (kept as a file whose path is `=`), and `// text` lines before the first file are
//! directives (what a fix case applies, for one).

#![allow(dead_code)] // each test crate uses a part

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

//! The shipped JSON Schema of prp-lsp.toml must describe what the parser accepts.

use std::collections::BTreeSet;

use prp_analysis::{RawConfig, Rule};

/// The property names of a schema object.
fn keys(object: &serde_json::Value) -> BTreeSet<&str> {
    object
        .as_object()
        .expect("an object of properties")
        .keys()
        .map(String::as_str)
        .collect()
}

fn schema() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schemas/prp-lsp.schema.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("schema file"))
        .expect("schema is JSON")
}

#[test]
fn schema_lists_every_rule_code() {
    let schema = schema();
    let in_schema: BTreeSet<&str> = keys(&schema["properties"]["rules"]["properties"]);
    let in_code: BTreeSet<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
    assert_eq!(in_schema, in_code);
}

#[test]
fn every_key_the_schema_names_is_accepted_by_the_parser() {
    // The parser denies unknown fields, so a key spelled differently in the schema fails here.
    let toml = r#"
orchestrator-config = "orchestrator.json"
[documents]
prp = ["PRPs/**/*.md"]
task-board = ["TASK.md"]
agents = ["agent_contexts/**/*.md"]
exclude = ["PRPs/old/**"]
[rules]
missing-section = "error"
[profiles.rfc]
description = "RFCs"
required = ["Summary", "Goal | Why"]
optional = ["Notes"]
[synonyms]
Goal = ["Mission"]
[[profile-rules]]
glob = "PRPs/rfc/**"
profile = "rfc"
[agents]
directories = ["agent_contexts"]
[routing]
default-agent = "planning"
rules = [
  { pattern = "(?i)stripe|payment", agent = "backend" },
  { pattern = "chart", agents = ["frontend", "design"] },
]
[routing.keywords]
database = ["prisma"]
[routing.modules]
billing = "backend"
[generate]
template = "PRPs/templates/prp_base.md"
profile = "orchestrator"
folder = "PRPs/active"
[generate.modules]
mobile = ["ios", "android"]
[generate.complexity]
m = 2
l = 3
xl = 5
[gates]
gates = ["tasks", "unit-tests", "coverage"]
unit-tests = ["reports/unit/*.xml"]
integration-tests = ["reports/it/*.xml"]
e2e-tests = ["reports/e2e/*.xml"]
coverage = ["coverage/lcov.info"]
coverage-threshold = 0.85
performance = ["bench/*.json"]
security = ["*.sarif"]
review = "reviews/*.md"
documentation = ["docs/**/*.md"]
dev-log = "DEV_LOG.md"
deployments = ["deploy/deployments.jsonl"]
[status]
files = "agent_contexts/status/*.json"
url = "http://127.0.0.1:9000/agents"
poll-interval = 30
timeout = 5
error-rate-warning = 0.05
error-rate-error = 0.1
stuck-after = 14400
idle-after = 14400
response-time = 5000
stale-after = 3600
coverage-drop = 0.85
deployment-failures = 2
[limits]
document-size = "5 MB"
[docs]
rules-url = "https://example.com/prp-lsp/docs/rules"
[inlay-hints]
agents = true
prps = true
gates = false
"#;
    RawConfig::from_toml(toml).expect("every documented key parses");
    let schema = schema();
    let top: BTreeSet<&str> = keys(&schema["properties"]);
    let used: BTreeSet<&str> = [
        "orchestrator-config",
        "documents",
        "rules",
        "profiles",
        "synonyms",
        "profile-rules",
        "agents",
        "routing",
        "generate",
        "gates",
        "status",
        "limits",
        "docs",
        "inlay-hints",
    ]
    .into();
    assert_eq!(
        top, used,
        "the test's TOML must exercise every top-level key of the schema"
    );
    let hints: BTreeSet<&str> = keys(&schema["properties"]["inlay-hints"]["properties"]);
    assert_eq!(hints, ["agents", "gates", "prps"].into());
    let docs: BTreeSet<&str> = keys(&schema["properties"]["documents"]["properties"]);
    assert_eq!(docs, ["agents", "exclude", "prp", "task-board"].into());
    let routing: BTreeSet<&str> = keys(&schema["properties"]["routing"]["properties"]);
    assert_eq!(
        routing,
        ["default-agent", "keywords", "modules", "rules"].into()
    );
    let gates: BTreeSet<&str> = keys(&schema["properties"]["gates"]["properties"]);
    assert_eq!(
        gates,
        [
            "coverage",
            "coverage-threshold",
            "deployments",
            "dev-log",
            "documentation",
            "e2e-tests",
            "gates",
            "integration-tests",
            "performance",
            "review",
            "security",
            "unit-tests"
        ]
        .into(),
        "the test's TOML must exercise every [gates] key of the schema"
    );
    let status: BTreeSet<&str> = keys(&schema["properties"]["status"]["properties"]);
    assert_eq!(
        status,
        [
            "coverage-drop",
            "deployment-failures",
            "error-rate-error",
            "error-rate-warning",
            "files",
            "idle-after",
            "poll-interval",
            "response-time",
            "stale-after",
            "stuck-after",
            "timeout",
            "url"
        ]
        .into(),
        "the test's TOML must exercise every [status] key of the schema"
    );
}

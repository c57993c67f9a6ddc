//! Agent status end to end: the shipped status schema describes the fixtures an orchestrator
//! writes, and alerts from those reports reach every assignment and mention through `check`.
//! Run with `UPDATE_EXPECT=1` to rewrite `status/workspace.expected`, then review the diff.

mod support;

use std::path::{Path, PathBuf};

use prp_analysis::orchestrator::OrchestratorConfig;
use prp_analysis::status::{parse_status, StatusSnapshot};
use prp_analysis::text::{Encoding, LineIndex};
use prp_analysis::{check, parse, Config, DocFacts, DocKind, Workspace};
use serde_json::Value;

const NOW: &str = "2026-11-20T12:00:00Z";

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/status")
}

/// The status files an orchestrator wrote, by file name.
fn status_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Checks a value against the keywords the status schema uses.
fn validate(schema: &Value, value: &Value, at: &str) {
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let type_of = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let fits = types.is_empty()
        || types.contains(&type_of)
        || (type_of == "integer" && types.contains(&"number"));
    assert!(fits, "{at}: {type_of} where the schema wants {types:?}");
    if let Some(allowed) = schema["enum"].as_array() {
        assert!(allowed.contains(value), "{at}: {value} not in {allowed:?}");
    }
    if let Some(n) = value.as_f64() {
        if let Some(min) = schema["minimum"].as_f64() {
            assert!(n >= min, "{at}: {n} < {min}");
        }
        if let Some(max) = schema["maximum"].as_f64() {
            assert!(n <= max, "{at}: {n} > {max}");
        }
    }
    if let Some(object) = value.as_object() {
        for key in schema["required"].as_array().into_iter().flatten() {
            let key = key.as_str().unwrap();
            assert!(object.contains_key(key), "{at}: required `{key}` missing");
        }
        for (key, v) in object {
            if let Some(property) = schema["properties"].get(key) {
                validate(property, v, &format!("{at}.{key}"));
            }
        }
    }
}

#[test]
fn status_fixtures_follow_the_shipped_schema() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/agent-status.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let status = &schema["$defs"]["status"];
    assert_eq!(status["required"], serde_json::json!(["id", "state"]));
    let files = status_files();
    assert!(
        files.len() >= 6,
        "one file per state and an endpoint response"
    );
    for (name, text) in &files {
        let value: Value = serde_json::from_str(text).unwrap();
        match &value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    validate(status, item, &format!("{name}[{i}]"));
                }
            }
            other => validate(status, other, name),
        }
        parse_status(name, text).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// Splits a `//- path` fixture into files.
fn split(fixture: &str) -> Vec<(String, String)> {
    support::Fixture::parse(fixture)
        .files
        .into_iter()
        .map(|f| (f.path, f.text))
        .collect()
}

#[test]
fn alerts_on_assignments_and_mentions() {
    let fixture = std::fs::read_to_string(dir().join("workspace.md")).unwrap();
    let files = split(&fixture);
    let mut config = Config::default();
    let orchestrator = &files.iter().find(|f| f.0 == "orchestrator.json").unwrap().1;
    config.set_orchestrator(Some(OrchestratorConfig::from_json(orchestrator).unwrap()));
    config.orchestrator_path = Some("orchestrator.json".into());
    let mut statuses = Vec::new();
    for (name, text) in status_files() {
        statuses.extend(parse_status(&format!("agent_contexts/status/{name}"), &text).unwrap());
    }
    let mut ws = Workspace::new();
    ws.set_config_agents(&config);
    let mut docs = Vec::new();
    for (path, text) in &files {
        ws.add_file(path);
        let doc = parse(path, text, &config);
        if doc.kind != DocKind::Other {
            ws.update_document(path, DocFacts::of(&doc));
            docs.push((path, text, doc));
        }
    }
    let mut out = String::new();
    // Before any report is read, agents have no alerts.
    for (_, text, doc) in &docs {
        assert!(check(doc, text, &ws, &config).is_empty(), "{}", doc.path);
    }
    ws.set_status(StatusSnapshot {
        statuses,
        now: NOW.parse::<jiff::Timestamp>().unwrap().as_second(),
        ..StatusSnapshot::default()
    });
    docs.sort_by(|a, b| a.0.cmp(b.0));
    for (path, text, doc) in &docs {
        let lines = LineIndex::new(text);
        for d in check(doc, text, &ws, &config) {
            let p = lines.position(text, d.span.start, Encoding::Utf16);
            out.push_str(&format!(
                "{path}:{}:{} {} {} `{}`: {}\n",
                p.line + 1,
                p.column + 1,
                d.severity.label(),
                d.rule.code(),
                &text[d.span.clone()],
                d.message
            ));
        }
    }
    let expected_path = dir().join("workspace.expected");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&expected_path, &out).unwrap();
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    assert_eq!(
        out, expected,
        "run with UPDATE_EXPECT=1 and review the diff"
    );
}

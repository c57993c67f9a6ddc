//! The status objects an orchestrator writes, one per agent (a file each, or an array from
//! its monitoring endpoint), parsed field by field so an error names the field at fault.

use serde_json::{Map, Value};

use crate::document::scan::normalize_agent_id;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AgentState {
    Idle,
    Busy,
    Stuck,
    Offline,
    Failed,
}

impl AgentState {
    pub const ALL: [AgentState; 5] = [
        AgentState::Idle,
        AgentState::Busy,
        AgentState::Stuck,
        AgentState::Offline,
        AgentState::Failed,
    ];

    pub fn label(self) -> &'static str {
        match self {
            AgentState::Idle => "idle",
            AgentState::Busy => "busy",
            AgentState::Stuck => "stuck",
            AgentState::Offline => "offline",
            AgentState::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Option<AgentState> {
        AgentState::ALL
            .into_iter()
            .find(|state| state.label().eq_ignore_ascii_case(s.trim()))
    }
}

/// One agent's report. Times are unix seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentStatus {
    pub id: String,
    pub state: AgentState,
    pub current_task: Option<String>,
    pub active_tasks: Option<u32>,
    pub last_activity: Option<i64>,
    pub task_started_at: Option<i64>,
    /// When the orchestrator wrote the report (`reported_at`), if it says.
    pub reported_at: Option<i64>,
    pub tasks_completed: u64,
    pub tasks_failed: u64,
    /// As reported, else failed / (completed + failed) when any task finished.
    pub error_rate: Option<f64>,
    pub avg_response_ms: Option<f64>,
    pub health_score: Option<f64>,
    /// Busy time over observed time, a fraction: `utilization` as reported, else
    /// `busy_seconds` / `uptime_seconds`.
    pub utilization: Option<f64>,
    /// The file or URL the report came from.
    pub source: String,
}

impl AgentStatus {
    /// The newest time the report speaks for: when it was written, else the last activity.
    pub fn last_report(&self) -> Option<i64> {
        self.reported_at.max(self.last_activity)
    }
}

/// What the owner last read of every status source, and the time it is judged at.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusSnapshot {
    pub statuses: Vec<AgentStatus>,
    /// Unix seconds; alerts and relative times are computed against it, never the clock.
    pub now: i64,
    /// Sources that could not be used: `(file or URL, what is wrong)`.
    pub problems: Vec<(String, String)>,
    /// Why the monitoring endpoint is unreachable, while it is.
    pub endpoint_down: Option<String>,
}

impl StatusSnapshot {
    /// The newest report of an agent (normalized id) when several sources report it.
    pub fn get(&self, agent: &str) -> Option<&AgentStatus> {
        self.statuses
            .iter()
            .filter(|s| normalize_agent_id(&s.id) == agent)
            .max_by_key(|s| s.last_report())
    }

    /// The workspace files (not URLs) that report an agent (normalized id), sorted, once each.
    pub fn files_of(&self, agent: &str) -> Vec<&str> {
        let mut files: Vec<&str> = self
            .statuses
            .iter()
            .filter(|s| normalize_agent_id(&s.id) == agent && !s.source.contains("://"))
            .map(|s| s.source.as_str())
            .collect();
        files.sort_unstable();
        files.dedup();
        files
    }
}

/// Parses one status object or an array of them. Unknown fields are ignored (orchestrators
/// add their own); a known field of the wrong shape is an error naming it.
pub fn parse_status(source: &str, text: &str) -> Result<Vec<AgentStatus>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    match value {
        Value::Object(object) => Ok(vec![read(source, &object)?]),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let Value::Object(object) = item else {
                    return Err(format!(
                        "entry {}: expected an object, found {}",
                        i + 1,
                        kind(item)
                    ));
                };
                read(source, object)
                    .map_err(|e| format!("entry {} ({}): {e}", i + 1, entry_name(item)))
            })
            .collect(),
        other => Err(format!(
            "expected a status object or an array of them, found {}",
            kind(&other)
        )),
    }
}

fn entry_name(item: &Value) -> String {
    match item.get("id").and_then(Value::as_str) {
        Some(id) => format!("`{id}`"),
        None => "no id".into(),
    }
}

fn read(source: &str, o: &Map<String, Value>) -> Result<AgentStatus, String> {
    let id = match string(o, "id")? {
        Some(id) if !id.trim().is_empty() => id,
        _ => return Err("`id`: missing; every status names its agent".into()),
    };
    let state = match o.get("state") {
        Some(Value::String(s)) => AgentState::parse(s).ok_or_else(|| {
            format!("`state`: expected one of idle, busy, stuck, offline, failed, found `{s}`")
        })?,
        None | Some(Value::Null) => return Err("`state`: missing".into()),
        Some(other) => return Err(format!("`state`: expected a string, found {}", kind(other))),
    };
    let tasks_completed = unsigned(o, "tasks_completed")?.unwrap_or(0);
    let tasks_failed = unsigned(o, "tasks_failed")?.unwrap_or(0);
    let finished = tasks_completed + tasks_failed;
    let error_rate = match number(
        o,
        "error_rate",
        0.0,
        1.0,
        "a fraction from 0 to 1 (0.05 for 5%)",
    )? {
        Some(rate) => Some(rate),
        None if finished > 0 => Some(tasks_failed as f64 / finished as f64),
        None => None,
    };
    let active_tasks = match unsigned(o, "active_tasks")? {
        Some(n) => Some(u32::try_from(n).map_err(|_| format!("`active_tasks`: {n} is too large"))?),
        None => None,
    };
    Ok(AgentStatus {
        id,
        state,
        current_task: string(o, "current_task")?,
        active_tasks,
        last_activity: time(o, "last_activity")?,
        task_started_at: time(o, "task_started_at")?,
        reported_at: time(o, "reported_at")?,
        tasks_completed,
        tasks_failed,
        error_rate,
        avg_response_ms: number(o, "avg_response_ms", 0.0, f64::MAX, "a non-negative number")?,
        health_score: number(o, "health_score", 0.0, 100.0, "a number from 0 to 100")?,
        utilization: utilization(o)?,
        source: source.to_string(),
    })
}

fn string(o: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!("`{key}`: expected a string, found {}", kind(other))),
    }
}

/// `utilization` (a fraction), else `busy_seconds` / `uptime_seconds` (busy no more than up).
fn utilization(o: &Map<String, Value>) -> Result<Option<f64>, String> {
    if let Some(u) = number(
        o,
        "utilization",
        0.0,
        1.0,
        "a fraction from 0 to 1 (0.9 for 90%)",
    )? {
        return Ok(Some(u));
    }
    let busy = unsigned(o, "busy_seconds")?;
    let up = unsigned(o, "uptime_seconds")?;
    match (busy, up) {
        (Some(busy), Some(up)) if up > 0 && busy <= up => Ok(Some(busy as f64 / up as f64)),
        (Some(busy), Some(up)) if up > 0 => Err(format!(
            "`busy_seconds` ({busy}) is more than `uptime_seconds` ({up})"
        )),
        _ => Ok(None),
    }
}

fn unsigned(o: &Map<String, Value>, key: &str) -> Result<Option<u64>, String> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| {
            format!(
                "`{key}`: expected a whole number of at least 0, found {}",
                kind(v)
            )
        }),
    }
}

fn number(
    o: &Map<String, Value>,
    key: &str,
    min: f64,
    max: f64,
    expected: &str,
) -> Result<Option<f64>, String> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_f64() {
            Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(format!("`{key}`: expected {expected}, found {}", kind(v))),
        },
    }
}

/// An RFC 3339 time. A time without an offset is refused rather than guessed: read as UTC
/// when the orchestrator meant local time, every duration would be off by hours.
fn time(o: &Map<String, Value>, key: &str) -> Result<Option<i64>, String> {
    let text = match o.get(key) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(format!(
                "`{key}`: expected an RFC 3339 time such as \"2026-01-15T10:00:00Z\", found {}",
                kind(other)
            ))
        }
    };
    match text.parse::<jiff::Timestamp>() {
        Ok(t) => Ok(Some(t.as_second())),
        Err(e) => Err(format!("`{key}`: not an RFC 3339 time: `{text}` ({e}); write it like \"2026-01-15T10:00:00Z\" or with an offset such as +02:00")),
    }
}

/// A JSON value as a message shows it.
fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string \"{s}\""),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

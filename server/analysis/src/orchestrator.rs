//! An orchestrator's JSON configuration, imported for its agent list, routing rules, monitoring
//! thresholds and coverage gate. Read leniently: agents may be a map keyed by id or a list,
//! thresholds may sit under `monitoring`, `monitoring.thresholds` or `thresholds`.

use serde_json::Value;

use crate::assign::RoutingRule;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrchestratorConfig {
    pub agents: Vec<OrchestratorAgent>,
    /// `task_routing.rules[]`, matched case-insensitively as orchestrators do.
    pub rules: Vec<RoutingRule>,
    pub default_agent: Option<String>,
    pub monitoring: Monitoring,
    /// `quality_gates.code_coverage_threshold` as a fraction (90 and 0.9 both mean 90%).
    pub coverage_threshold: Option<f64>,
}

/// The alert thresholds the orchestrator's monitoring uses; `None` where it sets none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Monitoring {
    /// Fraction (5 and 0.05 both mean 5%).
    pub error_rate_warning: Option<Threshold>,
    pub error_rate_error: Option<Threshold>,
    /// Seconds.
    pub stuck_after: Option<Threshold>,
    pub idle_after: Option<Threshold>,
    pub stale_after: Option<Threshold>,
    /// Milliseconds.
    pub response_time: Option<Threshold>,
    /// `test_coverage_drop`: coverage below this fraction is an alert, stronger than the
    /// coverage gate failing.
    pub coverage_drop: Option<Threshold>,
    /// `deployment_failure`: this many failed deployments is an alert.
    pub deployment_failures: Option<Threshold>,
    /// Keys of the threshold objects (`alert_thresholds`, `thresholds`) that none of the
    /// above reads, with where they are (`monitoring.alert_thresholds.cpu_usage`).
    pub unknown_keys: Vec<String>,
}

/// A value and the key it was written under, for messages (`monitoring.stuck_after`).
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    pub value: f64,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrchestratorAgent {
    pub id: String,
    pub enabled: bool,
    pub max_concurrent: Option<u32>,
    pub context_file: Option<String>,
    /// Seconds a task of this agent may run (the orchestrator times it out after that).
    pub timeout: Option<u64>,
}

impl OrchestratorConfig {
    pub fn from_json(text: &str) -> Result<OrchestratorConfig, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
        let root = value
            .as_object()
            .ok_or("the orchestrator configuration must be a JSON object")?;
        let mut agents = Vec::new();
        let read_agent = |id: String, v: &Value| OrchestratorAgent {
            id,
            enabled: v.get("enabled").and_then(Value::as_bool).unwrap_or(true),
            max_concurrent: v
                .get("max_concurrent")
                .and_then(Value::as_u64)
                .map(|n| n as u32),
            context_file: v
                .get("context_file")
                .and_then(Value::as_str)
                .map(str::to_string),
            timeout: v.get("timeout").and_then(Value::as_u64),
        };
        match root.get("agents") {
            Some(Value::Object(map)) => {
                agents.extend(map.iter().map(|(id, v)| read_agent(id.clone(), v)))
            }
            Some(Value::Array(list)) => {
                for v in list {
                    let id = v
                        .get("id")
                        .or_else(|| v.get("name"))
                        .and_then(Value::as_str);
                    match id {
                        Some(id) => agents.push(read_agent(id.to_string(), v)),
                        None => return Err("every entry of `agents` needs an `id`".into()),
                    }
                }
            }
            Some(_) => return Err("`agents` must be an object or a list".into()),
            None => {}
        }
        let routing = root.get("task_routing");
        let default_agent = routing
            .and_then(|r| r.get("default_agent"))
            .and_then(Value::as_str)
            .map(str::to_string);
        let rules = match routing.and_then(|r| r.get("rules")) {
            Some(Value::Array(list)) => list.iter().map(read_rule).collect::<Result<_, _>>()?,
            Some(_) => return Err("`task_routing.rules` must be a list".into()),
            None => Vec::new(),
        };
        let coverage_threshold = match root.get("quality_gates") {
            Some(gates) => number(gates, "quality_gates", &["code_coverage_threshold"])?
                .map(|t| as_fraction(t).value),
            None => None,
        };
        Ok(OrchestratorConfig {
            agents,
            rules,
            default_agent,
            monitoring: read_monitoring(root)?,
            coverage_threshold,
        })
    }
}

/// Spellings orchestrators use for each threshold, preferred first.
const ERROR_RATE_WARNING: &[&str] = &[
    "error_rate_warning",
    "error_rate_alert",
    "error_rate_threshold",
    "error_rate",
];
/// The orchestrator's `ALERT_THRESHOLDS['agent_error_rate']` (0.1) is where it escalates.
const ERROR_RATE_ERROR: &[&str] = &[
    "error_rate_error",
    "error_rate_critical",
    "error_rate_investigate",
    "agent_error_rate",
];
const STUCK_AFTER: &[&str] = &[
    "stuck_after",
    "stuck_threshold",
    "stuck_timeout",
    "stuck_seconds",
];
const IDLE_AFTER: &[&str] = &[
    "idle_after",
    "idle_threshold",
    "idle_timeout",
    "idle_seconds",
    "agent_idle_time",
];
const STALE_AFTER: &[&str] = &["stale_after", "heartbeat_timeout"];
const RESPONSE_TIME: &[&str] = &[
    "response_time_ms",
    "response_time",
    "response_time_threshold",
    "max_response_time_ms",
];
const COVERAGE_DROP: &[&str] = &[
    "test_coverage_drop",
    "coverage_drop",
    "coverage_drop_threshold",
];
const DEPLOYMENT_FAILURES: &[&str] = &[
    "deployment_failure",
    "deployment_failures",
    "failed_deployments",
];
/// Every spelling read, for telling unknown keys apart.
const KNOWN: [&[&str]; 8] = [
    ERROR_RATE_WARNING,
    ERROR_RATE_ERROR,
    STUCK_AFTER,
    IDLE_AFTER,
    STALE_AFTER,
    RESPONSE_TIME,
    COVERAGE_DROP,
    DEPLOYMENT_FAILURES,
];

/// Thresholds from the first of `monitoring.thresholds`, `monitoring.alert_thresholds`,
/// `monitoring`, `thresholds` that sets each one.
fn read_monitoring(root: &serde_json::Map<String, Value>) -> Result<Monitoring, String> {
    let monitoring = root.get("monitoring");
    let places = [
        (
            monitoring.and_then(|m| m.get("thresholds")),
            "monitoring.thresholds",
        ),
        (
            monitoring.and_then(|m| m.get("alert_thresholds")),
            "monitoring.alert_thresholds",
        ),
        (monitoring, "monitoring"),
        (root.get("thresholds"), "thresholds"),
    ];
    let find = |names: &[&str]| -> Result<Option<Threshold>, String> {
        for (value, path) in places {
            if let Some(found) = value.map(|v| number(v, path, names)).transpose()?.flatten() {
                return Ok(Some(found));
            }
        }
        Ok(None)
    };
    // Objects that hold nothing but thresholds: a key there that is not read is reported,
    // never ignored in silence. (`monitoring` itself also holds settings such as intervals.)
    let mut unknown_keys = Vec::new();
    for (value, path) in places {
        if path == "monitoring" {
            continue;
        }
        if let Some(object) = value.and_then(Value::as_object) {
            unknown_keys.extend(
                object
                    .keys()
                    .filter(|k| !KNOWN.iter().any(|names| names.contains(&k.as_str())))
                    .map(|k| format!("{path}.{k}")),
            );
        }
    }
    Ok(Monitoring {
        error_rate_warning: find(ERROR_RATE_WARNING)?.map(as_fraction),
        error_rate_error: find(ERROR_RATE_ERROR)?.map(as_fraction),
        stuck_after: find(STUCK_AFTER)?,
        idle_after: find(IDLE_AFTER)?,
        stale_after: find(STALE_AFTER)?,
        response_time: find(RESPONSE_TIME)?,
        coverage_drop: find(COVERAGE_DROP)?.map(as_fraction),
        deployment_failures: find(DEPLOYMENT_FAILURES)?,
        unknown_keys,
    })
}

/// The first of `names` set in `object`; a value that is not a number is an error.
fn number(object: &Value, path: &str, names: &[&str]) -> Result<Option<Threshold>, String> {
    for name in names {
        match object.get(*name) {
            None | Some(Value::Null) => continue,
            Some(v) => {
                let key = format!("{path}.{name}");
                return match v.as_f64() {
                    Some(value) if value >= 0.0 => Ok(Some(Threshold { value, key })),
                    _ => Err(format!("`{key}` must be a non-negative number")),
                };
            }
        }
    }
    Ok(None)
}

/// Rates and coverage are written as fractions or as percentages; above 1 means percent.
fn as_fraction(mut t: Threshold) -> Threshold {
    if t.value > 1.0 {
        t.value /= 100.0;
    }
    t
}

/// `{"pattern": "frontend|ui", "agent": "frontend"}` or with `"agents": [..]`.
fn read_rule(v: &Value) -> Result<RoutingRule, String> {
    let pattern = v
        .get("pattern")
        .and_then(Value::as_str)
        .ok_or("every entry of `task_routing.rules` needs a `pattern`")?;
    let named = v.get("agent").and_then(Value::as_str).map(str::to_string);
    let listed = v
        .get("agents")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string);
    RoutingRule::new(pattern, named.into_iter().chain(listed).collect(), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_orchestrators_alert_threshold_keys_are_read_and_unknown_ones_named() {
        let config = OrchestratorConfig::from_json(
            r#"{"monitoring":{"interval":30,"alert_thresholds":{"agent_error_rate":0.1,"agent_idle_time":14400,"response_time":5000,"test_coverage_drop":0.85,"deployment_failure":2,"cpu_usage":0.9}}}"#,
        )
        .unwrap();
        let m = &config.monitoring;
        let value = |t: &Option<Threshold>| t.as_ref().map(|t| t.value);
        assert_eq!(value(&m.error_rate_error), Some(0.1));
        assert_eq!(value(&m.idle_after), Some(14400.0));
        assert_eq!(value(&m.response_time), Some(5000.0));
        assert_eq!(value(&m.coverage_drop), Some(0.85));
        assert_eq!(value(&m.deployment_failures), Some(2.0));
        // `interval` sits in `monitoring` itself, among settings: not a threshold key.
        assert_eq!(m.unknown_keys, ["monitoring.alert_thresholds.cpu_usage"]);
        let top =
            OrchestratorConfig::from_json(r#"{"thresholds":{"error_rate":5,"disk":1}}"#).unwrap();
        assert_eq!(value(&top.monitoring.error_rate_warning), Some(0.05));
        assert_eq!(top.monitoring.unknown_keys, ["thresholds.disk"]);
    }

    #[test]
    fn agents_as_map_or_list() {
        let map = OrchestratorConfig::from_json(r#"{"agents":{"backend":{"enabled":false,"max_concurrent":2}},"task_routing":{"default_agent":"planning"}}"#).unwrap();
        assert_eq!(map.agents[0].id, "backend");
        assert!(!map.agents[0].enabled);
        assert_eq!(map.default_agent.as_deref(), Some("planning"));
        let list = OrchestratorConfig::from_json(r#"{"agents":[{"id":"frontend"}]}"#).unwrap();
        assert_eq!(list.agents[0].id, "frontend");
        assert_eq!(list.agents[0].timeout, None);
        assert!(OrchestratorConfig::from_json("[1]").is_err());
        assert!(OrchestratorConfig::from_json(r#"{"agents":[{}]}"#)
            .unwrap_err()
            .contains("id"));
    }

    #[test]
    fn routing_rules_with_one_or_several_agents() {
        let config = OrchestratorConfig::from_json(
            r#"{"task_routing":{"rules":[{"pattern":"calendar|google","agent":"integration"},{"pattern":"report","agents":["backend","frontend"]}]}}"#,
        )
        .unwrap();
        assert_eq!(config.rules.len(), 2);
        assert!(config.rules[0].pattern.is_match("Sync Google Calendar"));
        assert_eq!(config.rules[1].agents, ["backend", "frontend"]);
        let bad = OrchestratorConfig::from_json(
            r#"{"task_routing":{"rules":[{"pattern":"(?<=x)y","agent":"a"}]}}"#,
        )
        .unwrap_err();
        assert!(bad.contains("not a valid regex"), "{bad}");
        assert!(
            OrchestratorConfig::from_json(r#"{"task_routing":{"rules":[{"agent":"a"}]}}"#)
                .unwrap_err()
                .contains("pattern")
        );
    }

    #[test]
    fn monitoring_thresholds_and_coverage() {
        let config = OrchestratorConfig::from_json(
            r#"{"agents":{"backend":{"timeout":1800}},
                "monitoring":{"health_check_interval":30,"thresholds":{"error_rate_alert":5,"stuck_threshold":7200},"idle_after":3600},
                "thresholds":{"error_rate_critical":0.2,"response_time_ms":2000},
                "quality_gates":{"code_coverage_threshold":85}}"#,
        )
        .unwrap();
        assert_eq!(config.agents[0].timeout, Some(1800));
        let m = &config.monitoring;
        let w = m.error_rate_warning.as_ref().unwrap();
        assert_eq!(
            (w.value, w.key.as_str()),
            (0.05, "monitoring.thresholds.error_rate_alert")
        );
        assert_eq!(m.error_rate_error.as_ref().unwrap().value, 0.2);
        assert_eq!(m.stuck_after.as_ref().unwrap().value, 7200.0);
        assert_eq!(m.idle_after.as_ref().unwrap().key, "monitoring.idle_after");
        assert_eq!(m.response_time.as_ref().unwrap().value, 2000.0);
        assert_eq!(m.stale_after, None);
        assert_eq!(config.coverage_threshold, Some(0.85));
        let bad =
            OrchestratorConfig::from_json(r#"{"monitoring":{"stuck_after":"4h"}}"#).unwrap_err();
        assert!(bad.contains("`monitoring.stuck_after`"), "{bad}");
    }
}

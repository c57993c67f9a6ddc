//! An orchestrator's JSON configuration, imported for its agent list and routing rules
//! (and, later, gate thresholds). Read leniently: agents may be a map keyed by id or a list.

use serde_json::Value;

use crate::assign::RoutingRule;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrchestratorConfig {
    pub agents: Vec<OrchestratorAgent>,
    /// `task_routing.rules[]`, matched case-insensitively as orchestrators do.
    pub rules: Vec<RoutingRule>,
    pub default_agent: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrchestratorAgent {
    pub id: String,
    pub enabled: bool,
    pub max_concurrent: Option<u32>,
    pub context_file: Option<String>,
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
        Ok(OrchestratorConfig {
            agents,
            rules,
            default_agent,
        })
    }
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
    fn agents_as_map_or_list() {
        let map = OrchestratorConfig::from_json(r#"{"agents":{"backend":{"enabled":false,"max_concurrent":2}},"task_routing":{"default_agent":"planning"}}"#).unwrap();
        assert_eq!(map.agents[0].id, "backend");
        assert!(!map.agents[0].enabled);
        assert_eq!(map.default_agent.as_deref(), Some("planning"));
        let list = OrchestratorConfig::from_json(r#"{"agents":[{"id":"frontend"}]}"#).unwrap();
        assert_eq!(list.agents[0].id, "frontend");
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
}

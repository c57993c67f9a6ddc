//! Ranking the agents for one task.

use std::collections::{BTreeMap, HashMap};

use super::signals::{keyword_hits, modules_affected, task_files, task_text};
use crate::config::Config;
use crate::document::{DocKind, Document, Lifecycle, MarkerState, Task};
use crate::workspace::{normalize_agent_id, AgentFacts, Resolution, Workspace};

/// An agent routing offers for a task, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The agent's id as its definition spells it (as routing names it when no agent is defined).
    pub agent: String,
    /// The signal that chose it: "keyword `migration`", "default agent", …
    pub reason: String,
    /// Open tasks assigned to the agent across the workspace (this task not counted).
    pub open_tasks: usize,
    pub capacity: Option<u32>,
    pub at_capacity: bool,
}

/// Signals, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    ConfigRule,
    OrchestratorRule,
    Scope,
    Module,
    Keyword,
    Default,
    Generalist,
}

/// One signal for one agent; `order` ranks signals of the same tier, lower first.
#[derive(Debug, Clone)]
struct Signal {
    tier: Tier,
    order: (usize, usize),
    reason: String,
}

impl Signal {
    fn new(tier: Tier, order: (usize, usize), reason: String) -> Signal {
        Signal {
            tier,
            order,
            reason,
        }
    }

    fn key(&self) -> (Tier, (usize, usize)) {
        (self.tier, self.order)
    }
}

/// An agent that may take work.
struct Eligible {
    id: String,
    max_concurrent: Option<u32>,
}

/// The workspace's agents as routing sees them: disabled ones left out, and the
/// orchestrator's `enabled` / `max_concurrent` applied to agents defined by context files.
struct Roster<'a> {
    ws: &'a Workspace,
    config: &'a Config,
    /// Without any agent definitions, routing's own names are offered as they are.
    defined: bool,
}

impl Roster<'_> {
    fn named(&self, name: &str) -> Option<Eligible> {
        if !self.defined {
            let name = name.trim();
            return (!name.is_empty()).then(|| Eligible {
                id: name.to_string(),
                max_concurrent: None,
            });
        }
        self.eligible(self.ws.agent(name)?)
    }

    /// Agents whose id or name contains one of the hints (normalized).
    fn hinted(&self, hints: &[String]) -> Vec<Eligible> {
        if !self.defined {
            return hints
                .first()
                .and_then(|h| self.named(h))
                .into_iter()
                .collect();
        }
        let fits = |s: &str| {
            let s = normalize_agent_id(s);
            hints.iter().any(|h| s.contains(h.as_str()))
        };
        self.ws
            .agents()
            .into_iter()
            .filter(|a| fits(&a.id) || a.name.as_deref().is_some_and(fits))
            .filter_map(|a| self.eligible(a))
            .collect()
    }

    fn eligible(&self, facts: &AgentFacts) -> Option<Eligible> {
        let id = normalize_agent_id(&facts.id);
        let imported = self
            .config
            .orchestrator
            .iter()
            .flat_map(|o| &o.agents)
            .find(|a| normalize_agent_id(&a.id) == id);
        let enabled = facts.enabled && imported.is_none_or(|a| a.enabled);
        enabled.then(|| Eligible {
            id: facts.id.clone(),
            max_concurrent: facts
                .max_concurrent
                .or(imported.and_then(|a| a.max_concurrent)),
        })
    }
}

/// The agents that could take `task` (an index into `doc.tasks`), best first.
pub fn candidates(
    doc: &Document,
    text: &str,
    task: usize,
    ws: &Workspace,
    config: &Config,
) -> Vec<Candidate> {
    ranked(doc, text, task, ws, config, &HashMap::new())
}

/// [`candidates`], with `pending` open tasks per agent (normalized id) added to the
/// workspace's count: assignments made earlier in the same change.
pub(super) fn ranked(
    doc: &Document,
    text: &str,
    task: usize,
    ws: &Workspace,
    config: &Config,
    pending: &HashMap<String, usize>,
) -> Vec<Candidate> {
    let Some(t) = doc.tasks.get(task) else {
        return Vec::new();
    };
    let roster = Roster {
        ws,
        config,
        defined: ws.has_agents(),
    };
    let own = task_text(text, t);
    let own_lower = own.to_lowercase();
    let mut offers = Offers::default();
    rule_signals(&own, &roster, &mut offers);
    if roster.defined {
        for (agent, signal) in scope_signals(doc, text, t, ws) {
            if let Some(agent) = roster.eligible(agent) {
                offers.offer(agent, signal);
            }
        }
    }
    let modules = task_modules(doc, text, &own_lower, config);
    for (order, module) in modules.into_iter().enumerate() {
        let agent = match config.routing.modules.get(&module) {
            Some(name) => roster.named(name),
            None => roster.named(&module),
        };
        if let Some(agent) = agent {
            let reason = format!("module `{module}`");
            offers.offer(agent, Signal::new(Tier::Module, (order, 0), reason));
        }
    }
    keyword_signals(&own_lower, &roster, &mut offers);
    fallback_signals(&roster, &mut offers);

    let load = open_tasks(ws, doc, t);
    let mut out: Vec<(Signal, Candidate)> = offers
        .0
        .into_iter()
        .map(|(key, (agent, signal))| {
            let open_tasks =
                load.get(&key).copied().unwrap_or(0) + pending.get(&key).copied().unwrap_or(0);
            let at_capacity = agent
                .max_concurrent
                .is_some_and(|cap| open_tasks >= cap as usize);
            let reason = match agent.max_concurrent {
                Some(cap) if at_capacity => {
                    format!(
                        "{}; at capacity ({open_tasks}/{cap} open tasks)",
                        signal.reason
                    )
                }
                _ => signal.reason.clone(),
            };
            let candidate = Candidate {
                agent: agent.id,
                reason,
                open_tasks,
                capacity: agent.max_concurrent,
                at_capacity,
            };
            (signal, candidate)
        })
        .collect();
    out.sort_by(|(a, ca), (b, cb)| {
        (ca.at_capacity, a.key(), &ca.agent).cmp(&(cb.at_capacity, b.key(), &cb.agent))
    });
    out.into_iter().map(|(_, c)| c).collect()
}

/// Each agent's strongest signal, keyed by normalized id.
#[derive(Default)]
struct Offers(BTreeMap<String, (Eligible, Signal)>);

impl Offers {
    fn offer(&mut self, agent: Eligible, signal: Signal) {
        let key = normalize_agent_id(&agent.id);
        match self.0.get(&key) {
            Some((_, best)) if best.key() <= signal.key() => {}
            _ => {
                self.0.insert(key, (agent, signal));
            }
        }
    }
}

/// prp-lsp.toml's rules, then the orchestrator's, over the task's text.
fn rule_signals(own: &str, roster: &Roster, offers: &mut Offers) {
    let config = roster.config;
    let orchestrator_name = config
        .orchestrator_path
        .as_deref()
        .unwrap_or("the orchestrator configuration");
    let orchestrator_rules = config.orchestrator.iter().flat_map(|o| &o.rules);
    let rule_sets = [
        (
            Tier::ConfigRule,
            "prp-lsp.toml",
            config.routing.rules.iter().collect(),
        ),
        (
            Tier::OrchestratorRule,
            orchestrator_name,
            orchestrator_rules.collect::<Vec<_>>(),
        ),
    ];
    for (tier, source, rules) in rule_sets {
        for (i, rule) in rules.into_iter().enumerate() {
            if !rule.pattern.is_match(own) {
                continue;
            }
            for (j, name) in rule.agents.iter().enumerate() {
                if let Some(agent) = roster.named(name) {
                    let reason = format!("routing rule `{}` in {source}", rule.pattern.as_str());
                    offers.offer(agent, Signal::new(tier, (i, j), reason));
                }
            }
        }
    }
}

/// The keyword table over the task's text; words on its first line (the title) count most.
fn keyword_signals(own_lower: &str, roster: &Roster, offers: &mut Offers) {
    let title = own_lower.lines().next().unwrap_or_default();
    for route in &roster.config.routing.keywords {
        let hits = |haystack: &str| {
            route
                .keywords
                .iter()
                .map(|k| (keyword_hits(haystack, k), k))
                .filter(|(n, _)| *n > 0)
                .collect::<Vec<_>>()
        };
        let in_text = hits(own_lower);
        // The most frequent keyword names the signal; the table's order breaks ties.
        let strongest = in_text.iter().min_by_key(|(n, _)| std::cmp::Reverse(*n));
        let Some(strongest) = strongest.map(|(_, k)| *k) else {
            continue;
        };
        let total: usize = in_text.iter().map(|(n, _)| n).sum();
        let in_title: usize = hits(title).iter().map(|(n, _)| n).sum();
        let order = (usize::MAX - in_title, usize::MAX - total);
        for agent in roster.hinted(&route.agent_hints) {
            let reason = format!("keyword `{strongest}`");
            offers.offer(agent, Signal::new(Tier::Keyword, order, reason));
        }
    }
}

/// The default agent (prp-lsp.toml, else the orchestrator's), else generalist agents.
fn fallback_signals(roster: &Roster, offers: &mut Offers) {
    let config = roster.config;
    let orchestrator_default = config
        .orchestrator
        .as_ref()
        .and_then(|o| o.default_agent.as_deref());
    let default_name = config
        .routing
        .default_agent
        .as_deref()
        .or(orchestrator_default);
    if let Some(agent) = default_name.and_then(|name| roster.named(name)) {
        let signal = Signal::new(Tier::Default, (0, 0), "default agent".into());
        offers.offer(agent, signal);
        return;
    }
    if roster.defined {
        let hints = ["generalist", "general", "planning", "planner"].map(String::from);
        for agent in roster.hinted(&hints) {
            let signal = Signal::new(Tier::Generalist, (0, 0), "generalist agent".into());
            offers.offer(agent, signal);
        }
    }
}

/// Agents whose scope folders hold files the task names. The agent with the most specific
/// (longest) scope owns a file; agents owning more files rank first, then by specificity.
fn scope_signals<'a>(
    doc: &Document,
    text: &str,
    task: &Task,
    ws: &'a Workspace,
) -> Vec<(&'a AgentFacts, Signal)> {
    let files: Vec<(String, String)> = task_files(doc, text, task)
        .into_iter()
        .map(|written| (workspace_path(ws, &doc.path, &written), written))
        .collect();
    if files.is_empty() {
        return Vec::new();
    }
    struct Hold<'a> {
        agent: &'a AgentFacts,
        scope: &'a str,
        specificity: usize,
        file: usize,
    }
    let mut holds: Vec<Hold> = Vec::new();
    for agent in ws.agents() {
        for scope in &agent.scope {
            for folder in scope_folders(ws, scope) {
                for (i, (path, _)) in files.iter().enumerate() {
                    if path == &folder || path.starts_with(&format!("{folder}/")) {
                        holds.push(Hold {
                            agent,
                            scope,
                            specificity: folder.len(),
                            file: i,
                        });
                    }
                }
            }
        }
    }
    let most_specific = |file: usize| {
        holds
            .iter()
            .filter(|h| h.file == file)
            .map(|h| h.specificity)
            .max()
    };
    let mut by_agent: BTreeMap<&str, Vec<&Hold>> = BTreeMap::new();
    for h in &holds {
        by_agent.entry(h.agent.id.as_str()).or_default().push(h);
    }
    by_agent
        .into_values()
        .map(|agent_holds| {
            let best = agent_holds
                .iter()
                .max_by_key(|h| (h.specificity, usize::MAX - h.file))
                .expect("grouped holds are never empty");
            let mut held: Vec<usize> = agent_holds.iter().map(|h| h.file).collect();
            held.sort_unstable();
            held.dedup();
            let owned = held
                .iter()
                .filter(|&&file| {
                    let mine = agent_holds.iter().filter(|h| h.file == file);
                    mine.map(|h| h.specificity).max() == most_specific(file)
                })
                .count();
            let more = match held.len() - 1 {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            let reason = format!(
                "owns `{}` (scope) which holds {}{more}",
                best.scope, files[best.file].1
            );
            let order = (usize::MAX - owned, usize::MAX - best.specificity);
            (best.agent, Signal::new(Tier::Scope, order, reason))
        })
        .collect()
}

/// A path as the workspace knows it, else as written (without `./` or a leading `/`).
fn workspace_path(ws: &Workspace, from: &str, written: &str) -> String {
    match ws.resolve(from, written) {
        Resolution::Found(path) => path,
        Resolution::Missing => written
            .trim_start_matches("./")
            .trim_matches('/')
            .to_string(),
    }
}

/// The folders a scope entry may mean (workspace-relative, as the scope rule reads them).
fn scope_folders(ws: &Workspace, scope: &str) -> Vec<String> {
    let mut folders = match ws.resolve("", scope) {
        Resolution::Found(path) => vec![path],
        Resolution::Missing => {
            let written = scope.trim_start_matches("./").trim_matches('/');
            let mut readings = vec![written.to_string()];
            // A folder not created yet: `/band-platform/backend/` is usually the project's
            // own name followed by a folder of the workspace.
            if let (true, Some((_, rest))) = (scope.starts_with('/'), written.split_once('/')) {
                readings.push(rest.to_string());
            }
            readings
        }
    };
    folders.retain(|f| !f.is_empty() && f != ".");
    folders
}

/// Modules the task concerns: those it names (from the PRP's Modules Affected or
/// `[routing.modules]`), and the PRP's only module when it affects just one.
fn task_modules(doc: &Document, text: &str, own_lower: &str, config: &Config) -> Vec<String> {
    let affected = if doc.kind == DocKind::Prp {
        modules_affected(doc, text)
    } else {
        Vec::new()
    };
    let known = affected.iter().chain(config.routing.modules.keys());
    let mut modules: Vec<String> = known
        .filter(|m| keyword_hits(own_lower, &m.replace('_', " ")) > 0)
        .cloned()
        .collect();
    if let [only] = affected.as_slice() {
        modules.push(only.clone());
    }
    let mut seen = std::collections::HashSet::new();
    modules.retain(|m| seen.insert(m.clone()));
    modules
}

/// Open tasks per agent (normalized id) across the workspace's active documents.
pub fn workload(ws: &Workspace) -> HashMap<String, usize> {
    ws.workload().clone()
}

/// [`workload`], the task being assigned left out (re-assigning it frees its agent).
fn open_tasks(ws: &Workspace, doc: &Document, task: &Task) -> HashMap<String, usize> {
    let mut load = workload(ws);
    let counted = ws
        .facts(&doc.path)
        .is_some_and(|f| f.lifecycle != Lifecycle::Finished)
        && task.state != Some(MarkerState::Done);
    if let (Some(current), true) = (&task.assignee, counted) {
        if let Some(n) = load.get_mut(&normalize_agent_id(&current.value)) {
            *n = n.saturating_sub(1);
        }
    }
    load
}

/// For hover on an assignment: the signal routing would use to pick the current assignee,
/// or the agent routing would pick instead.
pub fn explain(
    doc: &Document,
    text: &str,
    task: usize,
    ws: &Workspace,
    config: &Config,
) -> Option<String> {
    let assignee = doc.tasks.get(task)?.assignee.as_ref()?;
    let current = normalize_agent_id(&assignee.value);
    let ranked = candidates(doc, text, task, ws, config);
    let own = ranked
        .iter()
        .position(|c| normalize_agent_id(&c.agent) == current);
    Some(match (own, ranked.first()) {
        (Some(0), _) => format!("Routing picks `{}`: {}.", ranked[0].agent, ranked[0].reason),
        (Some(i), Some(best)) => format!(
            "Routing matches `{}` by {}, but would pick `{}` ({}).",
            ranked[i].agent, ranked[i].reason, best.agent, best.reason
        ),
        (None, Some(best)) => format!(
            "No routing signal points to `{}`; routing would pick `{}` ({}).",
            assignee.value, best.agent, best.reason
        ),
        (_, None) => format!(
            "No routing signal points to `{}` or to any other agent.",
            assignee.value
        ),
    })
}

//! Ranking the agents for one task in the orchestrator's order, and leaving out those that
//! cannot take work now.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use super::health::{at_capacity, unfit};
use super::signals::{routing_words, task_files, task_text, DocSignals, WordCounts};
use crate::config::Config;
use crate::document::{Document, Lifecycle, MarkerState, Task};
use crate::workspace::{normalize_agent_id, AgentFacts, Resolution, Workspace};

/// An agent routing offers for a task, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The agent's id as its definition spells it (as routing names it when no agent is defined).
    pub agent: String,
    /// The signal that chose it: "keyword `migration`", "default agent", …
    pub reason: String,
    /// Agents routing ranks above this one but passed over, and why ("frontend is stuck").
    pub passed_over: Vec<String>,
    /// Open tasks assigned to the agent across the workspace (this task not counted).
    pub open_tasks: usize,
    pub capacity: Option<u32>,
}

impl Candidate {
    /// The reason as an action title says it: the agents passed over, then the signal
    /// ("frontend is stuck; keyword `endpoint`").
    pub fn title_reason(&self) -> String {
        let mut parts = self.passed_over.clone();
        parts.push(self.reason.clone());
        parts.join("; ")
    }
}

/// An agent a signal points to that cannot take the task now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub agent: String,
    /// The signal that pointed to it.
    pub reason: String,
    /// Why it is passed over: "frontend is stuck", "backend is at capacity (2/2 open tasks)".
    pub unfit: String,
}

/// What routing makes of a task: the agents that can take it, best first, and those a
/// signal points to but that cannot take it now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Route {
    pub candidates: Vec<Candidate>,
    pub skipped: Vec<Skipped>,
}

impl Route {
    pub fn best(&self) -> Option<&Candidate> {
        self.candidates.first()
    }

    /// Why no agent can take the task; `None` when one can.
    pub fn unroutable(&self) -> Option<String> {
        if !self.candidates.is_empty() {
            return None;
        }
        if self.skipped.is_empty() {
            return Some(
                "nothing routes it (no routing rule, module, keyword or scope points to an agent) and there is no default or generalist agent".into(),
            );
        }
        let why: Vec<String> = self
            .skipped
            .iter()
            .map(|s| format!("{} ({})", s.unfit, s.reason))
            .collect();
        Some(why.join("; "))
    }
}

/// Signals, strongest first: configured rules, then the seed orchestrator's order (the
/// frontend module, the backend module, the database keyword, Google and other
/// integrations), then other modules, scopes and keywords, then the default or a generalist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    ConfigRule,
    OrchestratorRule,
    /// A module `[routing.modules]` maps to an agent.
    ConfiguredModule,
    FrontendModule,
    BackendModule,
    DatabaseKeyword,
    IntegrationKeyword,
    Module,
    Scope,
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
#[derive(Debug, Clone)]
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
        let index = self.ws.agent_index();
        index
            .hinted(hints)
            .iter()
            .filter_map(|&i| self.eligible(&index.agents()[i]))
            .collect()
    }

    fn eligible(&self, facts: &AgentFacts) -> Option<Eligible> {
        let id = normalize_agent_id(&facts.id);
        let imported = self
            .config
            .orchestrator()
            .into_iter()
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

/// Agents that own a module when none is named after it (the module first, then these).
const MODULE_AGENTS: &[(&str, &[&str])] = &[
    ("frontend", &["ui", "web"]),
    ("backend", &["api", "server"]),
    ("database", &["db", "data"]),
    ("integration", &["integrations"]),
    ("auth", &["security"]),
    ("payments", &["billing"]),
    ("notifications", &["notification"]),
    ("infrastructure", &["devops", "infra"]),
    ("docs", &["documentation", "technical_writer"]),
];

/// How the seed's two named modules are written.
const MODULE_SPELLINGS: &[(&str, &[&str])] = &[
    ("frontend", &["frontend", "front-end", "front end"]),
    ("backend", &["backend", "back-end", "back end"]),
];

/// Agents that take work no other signal places.
const GENERALISTS: [&str; 5] = [
    "generalist",
    "general",
    "planning",
    "planner",
    "orchestrator",
];

/// What routing reads of a task.
pub(super) struct Subject {
    /// The task's text as written (routing rules match it), its assignment blanked.
    own: String,
    /// Lowercase, file paths blanked: modules and keywords are read from it.
    words: String,
    /// Modules affected of the PRP (or of the requirement), normalized.
    affected: Vec<String>,
    /// Files the task names: (workspace path, as written).
    files: Vec<(String, String)>,
    /// The agent (normalized) whose open task this is: re-assigning it frees that agent.
    freed: Option<String>,
}

impl Subject {
    /// Task `task` of `doc`; `shared` is what routing reads of the document as a whole.
    pub(super) fn of_task(
        doc: &Document,
        text: &str,
        task: &Task,
        ws: &Workspace,
        shared: &DocSignals,
    ) -> Subject {
        Subject::of_task_parts(
            task_text(text, task),
            freed_by(doc, task, ws),
            shared.affected.clone(),
        )
        .with_files(task_files(doc, task, shared), ws, &doc.path)
    }

    /// The subject with these files (as written in the document at `from`): resolving them
    /// is the costly part of a subject.
    pub(super) fn with_files(mut self, files: Vec<String>, ws: &Workspace, from: &str) -> Subject {
        self.files = files
            .into_iter()
            .map(|written| (workspace_path(ws, from, &written), written))
            .collect();
        self
    }

    /// The subject of a task from its text (assignment blanked), the agent it frees and the
    /// modules affected, without files.
    pub(super) fn of_task_parts(
        own: String,
        freed: Option<String>,
        affected: Vec<String>,
    ) -> Subject {
        Subject {
            words: routing_words(&own),
            own,
            affected,
            files: Vec::new(),
            freed,
        }
    }

    /// A text that is not (yet) a task: a requirement's title and description, with the
    /// modules it affects.
    pub(super) fn of_text(text: &str, modules: &[String]) -> Subject {
        let mut affected: Vec<String> = modules.iter().map(|m| normalize_agent_id(m)).collect();
        affected.retain(|m| !m.is_empty());
        affected.dedup();
        Subject {
            own: text.to_string(),
            words: routing_words(text),
            affected,
            files: Vec::new(),
            freed: None,
        }
    }
}

/// The agent (normalized) whose open task `task` is: taking it from that agent frees room.
pub(super) fn freed_by(doc: &Document, task: &Task, ws: &Workspace) -> Option<String> {
    // Most tasks routed have no agent: no lookup for them.
    let assignee = task.assignee.as_ref()?;
    let counted = task.state != Some(MarkerState::Done)
        && ws
            .facts(&doc.path)
            .is_some_and(|f| f.lifecycle != Lifecycle::Finished);
    counted.then(|| normalize_agent_id(&assignee.value))
}

/// Routes tasks of one workspace: the roster, the workload and each agent's health are
/// read once.
pub(super) struct Router<'a> {
    ws: &'a Workspace,
    config: &'a Config,
    roster: Roster<'a>,
    load: &'a HashMap<String, usize>,
    health: RefCell<HashMap<String, Option<String>>>,
}

impl<'a> Router<'a> {
    pub(super) fn new(ws: &'a Workspace, config: &'a Config) -> Router<'a> {
        Router {
            ws,
            config,
            roster: Roster {
                ws,
                config,
                defined: ws.has_agents(),
            },
            load: ws.workload(),
            health: RefCell::new(HashMap::new()),
        }
    }

    /// Why the agent cannot take work now (its status), cached.
    pub(super) fn unfit(&self, agent: &str) -> Option<String> {
        let key = normalize_agent_id(agent);
        if let Some(known) = self.health.borrow().get(&key) {
            return known.clone();
        }
        let found = unfit(agent, self.ws, self.config);
        self.health.borrow_mut().insert(key, found.clone());
        found
    }

    /// For `task-unroutable`: `None` when the task's words (rules, modules, keywords) name
    /// an agent that is fit and has room, since the task is then routable whatever else
    /// [`Router::route`] would find; else its whole route, with the files `add_files` names
    /// (resolving paths is the costly part, and the word signals are read once for both).
    pub(super) fn route_unless_routable_by_words(
        &self,
        subject: Subject,
        add_files: impl FnOnce(Subject) -> Subject,
    ) -> Option<Route> {
        let offers = self.word_offers(&subject);
        if self.any_can_take(&offers, &subject) {
            return None;
        }
        let subject = add_files(subject);
        Some(self.rank(offers, &subject, &HashMap::new()))
    }

    /// What the task's words offer: routing rules, modules and keywords.
    fn word_offers(&self, subject: &Subject) -> Offers {
        let mut offers = Offers::default();
        let words = WordCounts::of(&subject.words);
        self.rule_signals(subject, &mut offers);
        self.module_signals(subject, &words, &mut offers);
        self.keyword_signals(subject, &words, &mut offers);
        offers
    }

    /// Whether an agent of `offers` is fit and has room for `subject`.
    fn any_can_take(&self, offers: &Offers, subject: &Subject) -> bool {
        let none = HashMap::new();
        offers.0.iter().any(|(key, agent, _)| {
            self.cannot_take(agent, self.open_tasks(key, subject, &none))
                .is_none()
        })
    }

    /// The open tasks of an agent (normalized id) if it took `subject`: the workspace's
    /// count, less the subject itself when it is already the agent's, plus `pending`.
    fn open_tasks(&self, key: &str, subject: &Subject, pending: &HashMap<String, usize>) -> usize {
        let mut n = self.load.get(key).copied().unwrap_or(0);
        if subject.freed.as_deref() == Some(key) {
            n = n.saturating_sub(1);
        }
        n + pending.get(key).copied().unwrap_or(0)
    }

    /// Why the agent cannot take work with `open_tasks` already: its health, or its
    /// capacity.
    fn cannot_take(&self, agent: &Eligible, open_tasks: usize) -> Option<String> {
        self.unfit(&agent.id).or_else(|| {
            agent
                .max_concurrent
                .filter(|cap| open_tasks >= *cap as usize)
                .map(|cap| at_capacity(&agent.id, open_tasks, cap))
        })
    }

    /// The agents for `subject`, best first, with `pending` open tasks per agent
    /// (normalized id) added to the workspace's count: assignments made earlier in the
    /// same change.
    pub(super) fn route(&self, subject: &Subject, pending: &HashMap<String, usize>) -> Route {
        self.rank(self.word_offers(subject), subject, pending)
    }

    /// [`Router::route`] from the word signals already read: adds the scopes of the files
    /// the task names and the fallbacks, then ranks.
    fn rank(
        &self,
        mut offers: Offers,
        subject: &Subject,
        pending: &HashMap<String, usize>,
    ) -> Route {
        if self.roster.defined {
            for (agent, signal) in scope_signals(&subject.files, self.ws) {
                if let Some(agent) = self.roster.eligible(agent) {
                    offers.offer(agent, signal);
                }
            }
        }
        self.fallback_signals(&mut offers);

        let mut ranked: Vec<(Signal, usize, usize, Eligible)> = offers
            .0
            .into_iter()
            .enumerate()
            .map(|(seq, (key, agent, signal))| {
                (signal, self.open_tasks(&key, subject, pending), seq, agent)
            })
            .collect();
        // Ties are broken by load, then by the order the signals named the agents.
        ranked.sort_by_key(|a| (a.0.key(), a.1, a.2));

        let mut route = Route::default();
        let mut passed: Vec<String> = Vec::new();
        for (signal, open_tasks, _, agent) in ranked {
            if let Some(unfit) = self.cannot_take(&agent, open_tasks) {
                passed.push(unfit.clone());
                route.skipped.push(Skipped {
                    agent: agent.id,
                    reason: signal.reason,
                    unfit,
                });
                continue;
            }
            route.candidates.push(Candidate {
                agent: agent.id,
                reason: signal.reason,
                passed_over: std::mem::take(&mut passed),
                open_tasks,
                capacity: agent.max_concurrent,
            });
        }
        route
    }

    /// prp-lsp.toml's rules, then the orchestrator's, over the task's text.
    fn rule_signals(&self, subject: &Subject, offers: &mut Offers) {
        let config = self.config;
        let orchestrator_name = config
            .orchestrator_path
            .as_deref()
            .unwrap_or("the orchestrator configuration");
        let orchestrator_rules = config.orchestrator().into_iter().flat_map(|o| &o.rules);
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
                if !rule.pattern.is_match(&subject.own) {
                    continue;
                }
                for (j, name) in rule.agents.iter().enumerate() {
                    if let Some(agent) = self.roster.named(name) {
                        let reason =
                            format!("routing rule `{}` in {source}", rule.pattern.as_str());
                        offers.offer(agent, Signal::new(tier, (i, j), reason));
                    }
                }
            }
        }
    }

    /// Modules the task concerns: those it names (the PRP's Modules Affected,
    /// `[routing.modules]`, the frontend and the backend), and the PRP's only module when
    /// it affects just one. A module `[routing.modules]` maps goes to that agent first;
    /// then frontend before backend, as the seed orchestrator routes; then the others.
    fn module_signals(&self, subject: &Subject, words: &WordCounts, offers: &mut Offers) {
        let configured = &self.config.routing.modules;
        let mut named: Vec<String> = Vec::new();
        let known = subject
            .affected
            .iter()
            .chain(configured.keys())
            .map(String::as_str)
            .chain(MODULE_SPELLINGS.iter().map(|(m, _)| *m));
        for module in known {
            if mentions(words, module) {
                named.push(module.to_string());
            }
        }
        if let [only] = subject.affected.as_slice() {
            named.push(only.clone());
        }
        let mut seen = std::collections::HashSet::new();
        named.retain(|m| seen.insert(m.clone()));
        for (order, module) in named.iter().enumerate() {
            let tier = match module.as_str() {
                m if configured.contains_key(m) => Tier::ConfiguredModule,
                "frontend" => Tier::FrontendModule,
                "backend" => Tier::BackendModule,
                _ => Tier::Module,
            };
            for agent in self.module_agents(module) {
                let reason = format!("module `{module}`");
                offers.offer(agent, Signal::new(tier, (order, 0), reason));
            }
        }
    }

    /// The agent of a module: as `[routing.modules]` maps it, else the agent named after it,
    /// else the first agent of the kinds that own it.
    fn module_agents(&self, module: &str) -> Vec<Eligible> {
        if let Some(name) = self.config.routing.modules.get(module) {
            return self.roster.named(name).into_iter().collect();
        }
        if let Some(agent) = self.roster.named(module) {
            return vec![agent];
        }
        let kinds = MODULE_AGENTS
            .iter()
            .find(|(m, _)| *m == module)
            .map_or(&[][..], |(_, kinds)| *kinds);
        kinds
            .iter()
            .find_map(|kind| self.roster.named(kind))
            .into_iter()
            .collect()
    }

    /// The keyword table over the task's words; words on its first line (the title) count
    /// most. The database and integration keywords come in the seed orchestrator's place.
    fn keyword_signals(&self, subject: &Subject, words: &WordCounts, offers: &mut Offers) {
        // The title's words only count for a keyword the text has at all.
        let title = std::cell::OnceCell::new();
        let title = || {
            title.get_or_init(|| WordCounts::of(subject.words.lines().next().unwrap_or_default()))
        };
        for route in &self.config.routing.keywords {
            let hits = |counts: &WordCounts| {
                route
                    .keywords
                    .iter()
                    .map(|k| (counts.hits(k), k))
                    .filter(|(n, _)| *n > 0)
                    .collect::<Vec<_>>()
            };
            let in_text = hits(words);
            // The most frequent keyword names the signal; the table's order breaks ties.
            let strongest = in_text.iter().min_by_key(|(n, _)| std::cmp::Reverse(*n));
            let Some(strongest) = strongest.map(|(_, k)| *k) else {
                continue;
            };
            let total: usize = in_text.iter().map(|(n, _)| n).sum();
            let in_title: usize = hits(title()).iter().map(|(n, _)| n).sum();
            let hinted = |h: &str| route.agent_hints.iter().any(|x| x == h);
            let tier = if hinted("database") || hinted("db") {
                Tier::DatabaseKeyword
            } else if hinted("integration") {
                Tier::IntegrationKeyword
            } else {
                Tier::Keyword
            };
            let order = (usize::MAX - in_title, usize::MAX - total);
            for agent in self.roster.hinted(&route.agent_hints) {
                let reason = format!("keyword `{strongest}`");
                offers.offer(agent, Signal::new(tier, order, reason));
            }
        }
    }

    /// The default agent (prp-lsp.toml, else the orchestrator's), then generalist agents.
    fn fallback_signals(&self, offers: &mut Offers) {
        let config = self.config;
        let orchestrator_default = config
            .orchestrator()
            .and_then(|o| o.default_agent.as_deref());
        let default_name = config
            .routing
            .default_agent
            .as_deref()
            .or(orchestrator_default);
        if let Some(agent) = default_name.and_then(|name| self.roster.named(name)) {
            let signal = Signal::new(Tier::Default, (0, 0), "default agent".into());
            offers.offer(agent, signal);
        }
        if self.roster.defined {
            let hints = GENERALISTS.map(String::from);
            for agent in self.roster.hinted(&hints) {
                let signal = Signal::new(Tier::Generalist, (0, 0), "generalist agent".into());
                offers.offer(agent, signal);
            }
        }
    }
}

/// Whether the words name a module (`user_auth` as "user auth"; the frontend and the backend
/// in any of their spellings).
fn mentions(words: &WordCounts, module: &str) -> bool {
    let spellings = MODULE_SPELLINGS
        .iter()
        .find(|(m, _)| *m == module)
        .map_or(&[][..], |(_, s)| *s);
    let spoken = match module.contains('_') {
        true => std::borrow::Cow::Owned(module.replace('_', " ")),
        false => std::borrow::Cow::Borrowed(module),
    };
    words.hits(&spoken) > 0 || spellings.iter().any(|s| words.hits(s) > 0)
}

/// Each agent's strongest signal, in the order agents were first named.
#[derive(Default)]
struct Offers(Vec<(String, Eligible, Signal)>);

impl Offers {
    fn offer(&mut self, agent: Eligible, signal: Signal) {
        let key = normalize_agent_id(&agent.id);
        match self.0.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, best)) if best.key() <= signal.key() => {}
            Some(entry) => *entry = (key, agent, signal),
            None => self.0.push((key, agent, signal)),
        }
    }
}

/// The route of task `task` (an index into `doc.tasks`): the agents that can take it, best
/// first, and those passed over.
pub fn route(doc: &Document, text: &str, task: usize, ws: &Workspace, config: &Config) -> Route {
    let Some(t) = doc.tasks.get(task) else {
        return Route::default();
    };
    let shared = DocSignals::of(doc, text);
    Router::new(ws, config).route(
        &Subject::of_task(doc, text, t, ws, &shared),
        &HashMap::new(),
    )
}

/// The agents that can take `task` (an index into `doc.tasks`), best first.
pub fn candidates(
    doc: &Document,
    text: &str,
    task: usize,
    ws: &Workspace,
    config: &Config,
) -> Vec<Candidate> {
    route(doc, text, task, ws, config).candidates
}

/// The route of work described by text, not yet written as a task: a requirement's title
/// (first line) and description, and the modules it affects (the PRP's Modules Affected).
/// The same order as for tasks; generation places its work with it.
pub fn route_text(text: &str, modules: &[String], ws: &Workspace, config: &Config) -> Route {
    Router::new(ws, config).route(&Subject::of_text(text, modules), &HashMap::new())
}

/// The route of one module's share of the work (a generated PRP's implementation task for
/// that module): `[routing.modules]`, then the agent named after the module or of its kind,
/// the keywords its name is, then the default or a generalist.
pub fn route_module(module: &str, ws: &Workspace, config: &Config) -> Route {
    let name = normalize_agent_id(module).replace('_', " ");
    route_text(&name, &[module.to_string()], ws, config)
}

/// Open tasks per agent (normalized id) across the workspace's active documents.
pub fn workload(ws: &Workspace) -> HashMap<String, usize> {
    ws.workload().clone()
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
    let route = route(doc, text, task, ws, config);
    let ranked = &route.candidates;
    let own = ranked
        .iter()
        .position(|c| normalize_agent_id(&c.agent) == current);
    let skipped = route
        .skipped
        .iter()
        .find(|s| normalize_agent_id(&s.agent) == current);
    Some(match (own, ranked.first(), skipped) {
        (Some(0), _, _) => format!("Routing picks `{}`: {}.", ranked[0].agent, ranked[0].reason),
        (Some(i), Some(best), _) => format!(
            "Routing matches `{}` by {}, but would pick `{}` ({}).",
            ranked[i].agent, ranked[i].reason, best.agent, best.reason
        ),
        (None, Some(best), Some(s)) => format!(
            "Routing matches `{}` by {}, but {}: it would pick `{}` ({}).",
            s.agent, s.reason, s.unfit, best.agent, best.reason
        ),
        (None, None, Some(s)) => format!(
            "Routing matches `{}` by {}, but {}, and no other agent can take this task.",
            s.agent, s.reason, s.unfit
        ),
        (None, Some(best), None) => format!(
            "No routing signal points to `{}`; routing would pick `{}` ({}).",
            assignee.value, best.agent, best.reason
        ),
        _ => format!(
            "No routing signal points to `{}` or to any other agent.",
            assignee.value
        ),
    })
}

/// Agents whose scope folders hold files the task names. The agent with the most specific
/// (longest) scope owns a file; agents owning more files rank first, then by specificity.
fn scope_signals<'a>(
    files: &[(String, String)],
    ws: &'a Workspace,
) -> Vec<(&'a AgentFacts, Signal)> {
    if files.is_empty() {
        return Vec::new();
    }
    struct Hold<'a> {
        agent: &'a AgentFacts,
        scope: &'a str,
        specificity: usize,
        file: usize,
    }
    let index = ws.agent_index();
    let mut found: Vec<(usize, usize, usize, &str)> = Vec::new();
    for (file, (path, _)) in files.iter().enumerate() {
        for (agent, scope, folder) in index.holding(path) {
            found.push((agent, scope, file, folder));
        }
    }
    // In the order of agents, then of their scope entries, as they are listed.
    found.sort_unstable();
    found.dedup();
    let holds: Vec<Hold> = found
        .into_iter()
        .map(|(agent, scope, file, folder)| {
            let agent = &index.agents()[agent];
            Hold {
                agent,
                scope: agent.scope[scope].as_str(),
                specificity: folder.len(),
                file,
            }
        })
        .collect();
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

//! Requirement analysis as orchestrators do it: modules from keywords, a size, the agents
//! the modules need, open PRPs touching the same modules, risks and a timeline.

use super::requirement::{Requirement, RequirementKind};
use super::words::Words;
use super::RawGenerate;
use crate::assign;
use crate::config::Config;
use crate::document::{DocKind, Lifecycle};
use crate::workspace::Workspace;

/// Modules and the words that point at them; `[generate.modules]` adds or replaces entries.
pub const DEFAULT_MODULES: &[(&str, &[&str])] = &[
    (
        "frontend",
        &[
            "frontend",
            "front end",
            "ui",
            "ux",
            "page",
            "component",
            "screen",
            "view",
            "button",
            "form",
            "dashboard",
            "layout",
            "modal",
            "css",
            "react",
            "vue",
        ],
    ),
    (
        "backend",
        &[
            "backend", "back end", "api", "endpoint", "server", "service", "rest", "graphql",
            "route", "handler",
        ],
    ),
    (
        "database",
        &[
            "database",
            "db",
            "schema",
            "migrat*",
            "table",
            "sql",
            "postgres*",
            "mysql",
            "sqlite",
            "query",
            "index",
            "store",
            "persist*",
        ],
    ),
    (
        "integration",
        &[
            "integrat*",
            "google",
            "calendar",
            "slack",
            "third party",
            "external",
            "webhook",
            "sync",
            "import",
            "export",
        ],
    ),
    (
        "auth",
        &[
            "auth",
            "authentication",
            "authori*",
            "login",
            "logout",
            "sign in",
            "sign up",
            "signup",
            "password",
            "session",
            "jwt",
            "oauth",
            "sso",
            "permission",
            "role",
            "2fa",
            "mfa",
        ],
    ),
    (
        "payments",
        &[
            "payment",
            "billing",
            "invoice",
            "stripe",
            "subscription",
            "checkout",
            "refund",
            "paypal",
            "pricing",
        ],
    ),
    (
        "notifications",
        &["notif*", "email", "sms", "push", "alert", "reminder"],
    ),
    (
        "infrastructure",
        &[
            "infrastructure",
            "deploy*",
            "docker",
            "kubernetes",
            "ci",
            "ci/cd",
            "pipeline",
            "terraform",
            "monitoring",
            "logging",
        ],
    ),
    (
        "docs",
        &[
            "docs",
            "documentation",
            "readme",
            "guide",
            "tutorial",
            "changelog",
        ],
    ),
];

/// Keywords too common in other senses to put a module in on their own ("the invoice
/// API" is not payments work; "in the form of" is not a page): a module needs one of its
/// other keywords, or two of these.
const WEAK_KEYWORDS: &[(&str, &[&str])] = &[
    ("frontend", &["view", "form", "layout"]),
    ("backend", &["service", "route", "handler", "server"]),
    ("database", &["table", "query", "index", "store", "persist"]),
    ("integration", &["sync", "import", "export", "external"]),
    ("auth", &["session", "role", "permission"]),
    ("payments", &["invoice", "pricing"]),
    ("notifications", &["alert", "reminder", "push"]),
    (
        "infrastructure",
        &["monitoring", "logging", "pipeline", "ci"],
    ),
    ("docs", &["guide"]),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    pub modules: Vec<String>,
    /// The words of the requirement that put each module in (none for modules it named).
    pub evidence: Vec<(String, Vec<String>)>,
    /// `S`, `M`, `L` or `XL`.
    pub complexity: &'static str,
    /// Ids of the agents the work needs, in module order.
    pub agents: Vec<String>,
    /// The agent routing gives each module (see [`module_agent`]), worked out once: the
    /// template asks again for every part it writes.
    pub module_agents: Vec<(String, Option<String>)>,
    /// Open PRPs (by path) whose titles touch the same modules.
    pub dependencies: Vec<String>,
    pub risks: Vec<String>,
    pub timeline: String,
}

pub fn analyze(req: &Requirement, ws: &Workspace, config: &Config) -> Analysis {
    let settings = &config.generate;
    let keywords = settings.module_keywords();
    let words = Words::of(&format!("{}\n{}", req.title, req.description));
    let evidence: Vec<(String, Vec<String>)> = if req.modules.is_empty() {
        keywords
            .iter()
            .filter_map(|(m, kws)| {
                let hits: Vec<String> = kws
                    .iter()
                    .filter(|k| words.mentions(k))
                    .map(|k| k.trim_end_matches('*').to_string())
                    .collect();
                let weak = WEAK_KEYWORDS
                    .iter()
                    .find(|(module, _)| module == m)
                    .map_or(&[][..], |(_, w)| *w);
                let strong = hits.iter().any(|h| !weak.contains(&h.as_str()));
                (strong || hits.len() >= 2).then(|| (m.clone(), hits))
            })
            .collect()
    } else {
        req.modules
            .iter()
            .map(|m| (m.clone(), Vec::new()))
            .collect()
    };
    let modules: Vec<String> = evidence.iter().map(|(m, _)| m.clone()).collect();
    let complexity = complexity(req, modules.len(), settings);
    let (agents, module_agents) = agents_for(req, &modules, ws, config);
    let dependencies = dependencies(req, &modules, &keywords, ws);
    let risks = risks(req, &evidence, &words, &dependencies);
    let timeline = match complexity {
        "S" => "1–2 days",
        "M" => "3–5 days",
        "L" => "1–2 weeks",
        _ => "more than 2 weeks; consider splitting it into smaller PRPs",
    }
    .to_string();
    Analysis {
        modules,
        evidence,
        complexity,
        agents,
        module_agents,
        dependencies,
        risks,
        timeline,
    }
}

impl Analysis {
    /// The agent of one of the analysis's modules, as [`module_agent`] gives it.
    pub(super) fn agent_of(&self, module: &str) -> Option<String> {
        self.module_agents
            .iter()
            .find(|(m, _)| m == module)
            .and_then(|(_, agent)| agent.clone())
    }
}

/// Size from the breadth of the work: one point per module, one per three acceptance criteria.
fn complexity(req: &Requirement, modules: usize, settings: &RawGenerate) -> &'static str {
    let score = (modules + req.acceptance_criteria.len() / 3) as u32;
    let (m, l, xl) = settings.complexity_thresholds();
    if score >= xl {
        "XL"
    } else if score >= l {
        "L"
    } else if score >= m {
        "M"
    } else {
        "S"
    }
}

/// The agents the work needs, in module order, as routing picks them (health and load
/// included); with no module, routing on the requirement's words. Also each module's agent.
fn agents_for(
    req: &Requirement,
    modules: &[String],
    ws: &Workspace,
    config: &Config,
) -> (Vec<String>, Vec<(String, Option<String>)>) {
    let mut wanted: Vec<String> = modules.to_vec();
    match req.kind {
        RequirementKind::Security => wanted.push("auth".into()),
        RequirementKind::Documentation => wanted.push("docs".into()),
        _ => {}
    }
    let mut agents: Vec<String> = Vec::new();
    let mut module_agents = Vec::new();
    for module in &wanted {
        let agent = module_agent(module, req, ws, config);
        if let Some(id) = &agent {
            if !agents.contains(id) {
                agents.push(id.clone());
            }
        }
        module_agents.push((module.clone(), agent));
    }
    if agents.is_empty() {
        agents.extend(defined(
            assign::route_text(&requirement_text(req), &req.modules, ws, config),
            ws,
        ));
    }
    (agents, module_agents)
}

/// The best candidate of a route that the workspace defines (routing may propose an agent
/// named after a module in a workspace without agent files; a generated PRP names none).
fn defined(route: assign::Route, ws: &Workspace) -> Option<String> {
    route
        .candidates
        .into_iter()
        .map(|c| c.agent)
        .find(|agent| ws.agent(agent).is_some())
}

fn requirement_text(req: &Requirement) -> String {
    format!("{}\n{}", req.title, req.description)
}

/// Server-side modules the backend agent owns when they have no agent of their own.
const BACKEND_OWNED: [&str; 5] = [
    "database",
    "integration",
    "auth",
    "payments",
    "notifications",
];

/// The agent routing gives a module of the requirement: the module's own, else the backend
/// agent for server-side work, else what the requirement's words route to.
pub(super) fn module_agent(
    module: &str,
    req: &Requirement,
    ws: &Workspace,
    config: &Config,
) -> Option<String> {
    let own = defined(assign::route_module(module, ws, config), ws);
    let backend = || {
        BACKEND_OWNED
            .contains(&module)
            .then(|| defined(assign::route_module("backend", ws, config), ws))
            .flatten()
    };
    own.or_else(backend).or_else(|| {
        defined(
            assign::route_text(&requirement_text(req), &[module.to_string()], ws, config),
            ws,
        )
    })
}

/// The agent routing gives a task described by `text` (its first line a title).
pub(super) fn task_agent(text: &str, ws: &Workspace, config: &Config) -> Option<String> {
    defined(assign::route_text(text, &[], ws, config), ws)
}

/// Words too general to tie two pieces of work together ("page", "api").
const GENERIC_WORDS: [&str; 40] = [
    "a",
    "an",
    "the",
    "of",
    "to",
    "on",
    "at",
    "for",
    "with",
    "and",
    "or",
    "in",
    "by",
    "from",
    "as",
    "is",
    "be",
    "it",
    "add",
    "new",
    "page",
    "pages",
    "api",
    "ui",
    "service",
    "endpoint",
    "component",
    "screen",
    "view",
    "form",
    "feature",
    "support",
    "make",
    "show",
    "update",
    "fix",
    "use",
    "user",
    "users",
    "prp",
];

/// Open PRPs whose titles share a specific word with the requirement and touch one of its
/// modules: "Invoices page" is related to rate limiting the invoice API, not to two-factor
/// login (whose only shared word is "page").
fn dependencies(
    req: &Requirement,
    modules: &[String],
    keywords: &[(String, Vec<String>)],
    ws: &Workspace,
) -> Vec<String> {
    if modules.is_empty() {
        return Vec::new();
    }
    let content = |text: &str| -> std::collections::BTreeSet<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .map(|w| w.to_lowercase())
            .filter(|w| w.len() > 2 && !GENERIC_WORDS.contains(&w.as_str()))
            .map(|w| {
                w.strip_suffix('s')
                    .filter(|s| s.len() > 2)
                    .map(str::to_string)
                    .unwrap_or(w)
            })
            .collect()
    };
    let wanted = content(&format!("{} {}", req.title, req.description));
    let module_words: Vec<&String> = keywords
        .iter()
        .filter(|(m, _)| modules.contains(m))
        .flat_map(|(m, kws)| std::iter::once(m).chain(kws))
        .collect();
    let mut found: Vec<String> = ws
        .documents()
        .filter(|(_, f)| f.kind == DocKind::Prp && f.lifecycle != Lifecycle::Finished)
        .filter(|(_, f)| {
            f.title.as_deref().is_some_and(|t| {
                let words = Words::of(t);
                module_words.iter().any(|k| words.mentions(k)) && !content(t).is_disjoint(&wanted)
            })
        })
        .map(|(p, _)| p.clone())
        .collect();
    found.sort();
    found
}

/// `module (word, word)`: what put a module in, for messages.
fn with_words(module: &str, words: &[String]) -> String {
    if words.is_empty() {
        module.to_string()
    } else {
        format!("{module} ({})", words.join(", "))
    }
}

/// Risks the requirement's own words raise, each naming them; a module's risk only when
/// words specific to it are there (a money risk needs payment words, not "invoice API").
fn risks(
    req: &Requirement,
    evidence: &[(String, Vec<String>)],
    words: &Words,
    dependencies: &[String],
) -> Vec<String> {
    let mut risks = Vec::new();
    let said = |cues: &[&str]| -> Vec<String> {
        cues.iter()
            .filter(|c| words.mentions(c))
            .map(|c| c.trim_end_matches('*').to_string())
            .collect()
    };
    let module = |m: &str| evidence.iter().find(|(x, _)| x == m);
    if let Some((m, w)) = module("database") {
        risks.push(format!(
            "{}: schema changes need a migration that can be rolled back",
            with_words(m, w)
        ));
    }
    let security_words = said(&[
        "auth*",
        "login",
        "password",
        "token",
        "permission",
        "oauth",
        "sso",
        "security",
        "secret*",
        "encrypt*",
    ]);
    if !security_words.is_empty() || req.kind == RequirementKind::Security {
        risks.push(format!(
            "security-sensitive ({}): needs a security review",
            if security_words.is_empty() {
                "a security requirement".to_string()
            } else {
                security_words.join(", ")
            }
        ));
    }
    // Words that move money, not words about it ("alerts for failed payments" moves none).
    let money_words = said(&[
        "charge*", "refund*", "checkout", "stripe", "paypal", "pay", "payout*",
    ]);
    if !money_words.is_empty() {
        risks.push(format!(
            "moves money ({}): test against the provider's sandbox first",
            money_words.join(", ")
        ));
    }
    let third_party = said(&[
        "google",
        "slack",
        "github",
        "stripe",
        "twilio",
        "sendgrid",
        "webhook*",
        "third party",
        "oauth",
    ]);
    if !third_party.is_empty() {
        risks.push(format!(
            "depends on a third-party service ({}): rate limits, outages, credentials",
            third_party.join(", ")
        ));
    }
    if evidence.len() >= 3 {
        let names: Vec<&str> = evidence.iter().map(|(m, _)| m.as_str()).collect();
        risks.push(format!(
            "spans {} modules ({}): agents must coordinate the interfaces",
            evidence.len(),
            names.join(", ")
        ));
    }
    if !dependencies.is_empty() {
        risks.push(format!(
            "overlaps with open work on the same modules: {}",
            dependencies.join(", ")
        ));
    }
    if req.acceptance_criteria.is_empty() {
        risks.push("no acceptance criteria were given: agree on them before starting".to_string());
    }
    risks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::requirement::requirement_from_text;
    use crate::DocFacts;

    fn workspace(files: &[(&str, &str)]) -> Workspace {
        let config = Config::default();
        let mut ws = Workspace::new();
        for (path, text) in files {
            ws.add_file(path);
            let doc = crate::parse(path, text, &config);
            if doc.kind != DocKind::Other {
                ws.update_document(path, DocFacts::of(&doc));
            }
        }
        ws
    }

    #[test]
    fn modules_agents_dependencies_and_risks() {
        let ws = workspace(&[
            ("agent_contexts/frontend_agent.md", "# Agent: Frontend\n"),
            ("agent_contexts/backend_agent.md", "# Agent: Backend\n"),
            ("agent_contexts/devops_agent.md", "# Agent: DevOps\n"),
            (
                "PRPs/active/01_calendar_page.md",
                "# Calendar page redesign\n",
            ),
            ("PRPs/archive/00_old_page.md", "# Old page\n"),
            ("PRPs/active/02_billing.md", "# Billing\n"),
        ]);
        let req = requirement_from_text(
            "Show Google Calendar events on the dashboard page and store them in a new table",
        );
        let a = analyze(&req, &ws, &Config::default());
        assert_eq!(a.modules, ["frontend", "database", "integration"]);
        assert_eq!(a.complexity, "L");
        assert_eq!(a.agents, ["frontend", "backend"]);
        assert_eq!(a.dependencies, ["PRPs/active/01_calendar_page.md"]);
        assert!(a.risks.iter().any(|r| r.contains("migration")));
        assert!(a.risks.iter().any(|r| r.contains("acceptance criteria")));
        assert_eq!(a.timeline, "1–2 weeks");
    }

    #[test]
    fn risks_and_modules_need_more_than_one_word_in_another_sense() {
        // The example: "invoice" made it payments work that "moves money".
        let req = requirement_from_text("We need rate limiting on the public invoice API: at most 100 requests per minute per key, with a clear 429 response and a Retry-After header.");
        let a = analyze(&req, &Workspace::new(), &Config::default());
        assert_eq!(a.modules, ["backend"]);
        assert_eq!(
            a.evidence,
            [("backend".to_string(), vec!["api".to_string()])]
        );
        assert!(a.risks.is_empty(), "{:?}", a.risks);
        // Money words raise the money risk, and the risk names them.
        let req = requirement_from_text("Refund a Stripe charge from the admin page.");
        let a = analyze(&req, &Workspace::new(), &Config::default());
        assert!(
            a.risks
                .iter()
                .any(|r| r.starts_with("moves money (charge, refund, stripe)")),
            "{:?}",
            a.risks
        );
    }

    #[test]
    fn configured_modules_and_thresholds() {
        let raw = crate::RawConfig::from_toml(
            "[generate.modules]\nmobile = [\"ios\", \"android\"]\n[generate.complexity]\nm = 1\n",
        )
        .unwrap();
        let config = Config::from_raw(&raw).unwrap();
        let req = requirement_from_text("Ship the Android widget");
        let a = analyze(&req, &Workspace::new(), &config);
        assert_eq!(a.modules, ["mobile"]);
        assert_eq!(a.complexity, "M");
        assert!(a.agents.is_empty(), "{:?}", a.agents);
    }

    #[test]
    fn given_modules_win_and_generalists_take_the_rest() {
        let ws = workspace(&[("agent_contexts/planning_agent.md", "# Agent: Planner\n")]);
        let mut req = requirement_from_text("Something vague");
        req.modules = vec!["reporting".into()];
        let a = analyze(&req, &ws, &Config::default());
        assert_eq!(a.modules, ["reporting"]);
        assert_eq!(a.agents, ["planning"]);
        assert_eq!(a.complexity, "S");
    }
}

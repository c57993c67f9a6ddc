//! Assigning tasks to agents: routing rules, modules, keywords and scope folders rank the
//! agents for a task, and the assignment is written in the document's own style.
//!
//! Routing, strongest signal first (spec section 3, as orchestrators route):
//! 1. `[routing] rules` of prp-lsp.toml, then the orchestrator's `task_routing.rules`
//!    (regexes over the task's title and text);
//! 2. files the task names falling inside an agent's scope folders, most specific first;
//! 3. modules affected → the agent of that name or per `[routing.modules]`;
//! 4. keywords (built-in table plus `[routing.keywords]`);
//! 5. the default agent (prp-lsp.toml, else the orchestrator's), else a generalist.
//!
//! Disabled agents are never offered; agents at `max_concurrent` open tasks come last.

mod rank;
mod routing;
mod signals;
mod write;

pub use rank::{candidates, explain, workload, Candidate};
pub use routing::{KeywordRoute, RawRouting, RawRoutingRule, Routing, RoutingRule};
pub use write::{assign_all, assign_change, assign_changes};

#[cfg(test)]
mod tests;

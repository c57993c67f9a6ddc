//! Assigning tasks to agents: routing rules, modules, keywords and scope folders rank the
//! agents for a task, agents that cannot work now are passed over, and the assignment is
//! written in the document's own style.
//!
//! Routing, strongest signal first (spec section 3, in the order orchestrators route):
//! 1. `[routing] rules` of prp-lsp.toml, then the orchestrator's `task_routing.rules`
//!    (regexes over the task's title and text);
//! 2. a module `[routing.modules]` maps to an agent, when the task names it;
//! 3. the seed orchestrator's order: the frontend module, the backend module, the database
//!    keywords, Google and other integrations;
//! 4. other modules affected (the agent named after the module or of its kind), files the
//!    task names inside an agent's scope folders (most specific first), other keywords
//!    (built-in table plus `[routing.keywords]`);
//! 5. the default agent (prp-lsp.toml, else the orchestrator's), then a generalist.
//!
//! Ties are broken by load (open tasks), never by name. Disabled agents are never offered;
//! an agent that is stuck, offline or failed, above the error-rate error threshold (its
//! status report), or at `max_concurrent` is passed over, and the offer after it says why
//! ("Assign to backend — frontend is stuck; keyword `endpoint`"). Work no agent can take is
//! `task-unroutable`.
//!
//! Generation places its work with the same routing: [`route_text`] and [`route_module`].

mod health;
mod memo;
mod rank;
mod routing;
mod signals;
mod unroutable;
mod write;

pub use health::unfit;
pub use memo::RouteMemo;
pub use rank::{
    candidates, explain, route, route_module, route_text, workload, Candidate, Route, Skipped,
};
pub use routing::{KeywordRoute, RawRouting, RawRoutingRule, Routing, RoutingRule};
pub(crate) use unroutable::check;
pub use write::{
    assign_all, assign_change, assign_changes, plan_all, reassign_change, settled,
    task_assigned_at, wants_agent, Assignments, Unplaced,
};

#[cfg(test)]
mod tests;

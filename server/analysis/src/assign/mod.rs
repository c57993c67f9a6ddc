//! Assigning tasks to agents: routing rules, modules, keywords and scope folders rank the
//! agents for a task, and the assignment is written in the document's own style.

mod routing;

pub use routing::{KeywordRoute, RawRouting, RawRoutingRule, Routing, RoutingRule};

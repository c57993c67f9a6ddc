//! `task-unroutable`: open, unassigned work that no agent can take, on the task, with the
//! reason (nothing routes it, or every agent routing points to is unavailable now).

use std::collections::HashMap;

use super::rank::{Router, Subject};
use super::signals::DocSignals;
use super::write::wants_agent;
use crate::rules::context::Context;
use crate::rules::registry::Rule;

/// Only in workspaces that define agents: without any, routing has no one to place work
/// with and every task would be reported.
pub(crate) fn check(cx: &mut Context) {
    let doc = cx.doc;
    if !cx.ws.has_agents() || !doc.tasks.iter().any(|t| wants_agent(doc, t)) {
        return;
    }
    let router = Router::new(cx.ws, cx.config);
    let none = HashMap::new();
    // What routes work with no words at all (the default agent, a generalist, a rule that
    // matches anything) routes every task: then no task can be unroutable.
    if !router
        .route(&Subject::of_text("", &[]), &none)
        .candidates
        .is_empty()
    {
        return;
    }
    let shared = DocSignals::of(doc, cx.text);
    let mut found = Vec::new();
    for t in doc.tasks.iter().filter(|t| wants_agent(doc, t)) {
        // Most tasks name an agent's module or keyword: settled without resolving paths.
        let subject = Subject::of_task_words(doc, cx.text, t, cx.ws, &shared);
        let Some(route) = router.route_unless_routable_by_words(subject, |subject| {
            subject.with_files(doc, t, cx.ws, &shared)
        }) else {
            continue;
        };
        if let Some(why) = route.unroutable() {
            let what = if route.skipped.is_empty() {
                "assign it by hand, or set `[routing] default-agent` in prp-lsp.toml"
            } else {
                "assign it by hand, or once one of them is available again"
            };
            found.push((
                t.span.clone(),
                format!("no agent can take this task: {why}; {what}"),
            ));
        }
    }
    for (span, message) in found {
        cx.report(Rule::TaskUnroutable, span, message);
    }
}

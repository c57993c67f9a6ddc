//! `task-unroutable`: open, unassigned work that no agent can take, on the task, with the
//! reason (nothing routes it, or every agent routing points to is unavailable now).

use std::collections::HashMap;

use super::memo::{DocRoutes, InOrder, TaskKey};
use super::rank::{freed_by, Router, Subject};
use super::signals::{own_files, task_text, DocSignals};
use super::write::wants_agent;
use crate::rules::context::Context;
use crate::rules::registry::Rule;
use crate::Workspace;

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
    let memo = cx.ws.route_memo();
    // The results of the document's last check, when its modules affected and the
    // configuration are the same.
    let config = std::ptr::from_ref(cx.config) as usize;
    let before = memo.of(&doc.path).filter(|before| {
        before.affected == shared.affected
            && before.listed == shared.listed_files
            && before.config == config
    });
    let mut kept = before.as_deref().map(InOrder::new);
    let mut now = memo.is_on().then(|| DocRoutes {
        config,
        affected: shared.affected.clone(),
        listed: shared.listed_files.clone(),
        tasks: Vec::with_capacity(before.as_ref().map_or(0, |b| b.tasks.len())),
    });
    let mut found = Vec::new();
    for t in doc.tasks.iter().filter(|t| wants_agent(doc, t)) {
        let key = TaskKey {
            own: task_text(cx.text, t),
            freed: freed_by(doc, t, cx.ws),
            files: own_files(doc, t),
        };
        let message = match kept.as_mut().and_then(|k| k.find(&key)) {
            Some(message) => message.clone(),
            None => unroutable(&router, &key, &doc.path, cx.ws, &shared),
        };
        if let Some(message) = &message {
            found.push((t.span.clone(), message.clone()));
        }
        if let Some(now) = &mut now {
            now.tasks.push((key, message));
        }
    }
    if let Some(now) = now {
        memo.keep(&doc.path, now);
    }
    for (span, message) in found {
        cx.report(Rule::TaskUnroutable, span, message);
    }
}

/// The finding's message for a task no agent can take; `None` when one can.
fn unroutable(
    router: &Router,
    task: &TaskKey,
    path: &str,
    ws: &Workspace,
    shared: &DocSignals,
) -> Option<String> {
    // Most tasks name an agent's module or keyword: settled without resolving paths.
    let subject = Subject::of_task_parts(
        task.own.clone(),
        task.freed.clone(),
        shared.affected.clone(),
    );
    let route = router.route_unless_routable_by_words(subject, |subject| {
        let files = task.files.as_ref().unwrap_or(&shared.listed_files);
        subject.with_files(files.clone(), ws, path)
    })?;
    let why = route.unroutable()?;
    let what = if route.skipped.is_empty() {
        "assign it by hand, or set `[routing] default-agent` in prp-lsp.toml"
    } else {
        "assign it by hand, or once one of them is available again"
    };
    Some(format!("no agent can take this task: {why}; {what}"))
}

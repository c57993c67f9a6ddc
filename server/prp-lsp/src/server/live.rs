//! Keeping agent status and gate evidence current without the user touching a document:
//! a one-second check of the evidence files (the watcher for clients that cannot register
//! file watchers, and the clock for alerts that depend on time), and the poll of an
//! orchestrator's monitoring endpoint.

use std::sync::Arc;
use std::time::{Duration, Instant};

use prp_analysis::status;
use tower_lsp_server::ls_types::MessageType;
use tower_lsp_server::Client;

use super::state::{Changed, State};
use crate::project::{file_stamp, now_seconds, FileStamp, Project};

/// How often the evidence folders are walked again for new files.
const REWALK: Duration = Duration::from_secs(10);
/// How often time-based alerts (stuck, idle, stale) are re-evaluated.
const CLOCK: Duration = Duration::from_secs(30);

/// What the evidence looks like on disk: each file's modification time.
fn stamp_on_disk(root: &std::path::Path, paths: &[String]) -> Vec<FileStamp> {
    paths.iter().map(|p| file_stamp(&root.join(p))).collect()
}

/// A summary of every agent's alerts, to notice when the clock changed any of them.
fn alert_signature(state: &State) -> Vec<String> {
    let guard = state.read_project();
    let Some(project) = guard.as_deref() else {
        return Vec::new();
    };
    status::agent_rows(&project.ws, &project.config)
        .into_iter()
        .map(|row| {
            format!(
                "{}:{:?}",
                row.id,
                row.alerts.iter().map(|a| a.rule).collect::<Vec<_>>()
            )
        })
        .collect()
}

/// After the evidence changed: diagnostics of the documents that depend on it, and lenses.
pub async fn evidence_changed(client: &Client, state: &Arc<State>) {
    let others = state
        .read_project()
        .as_deref()
        .map(|p| p.evidence_dependents())
        .unwrap_or_default();
    super::diagnostics::after_change(
        client,
        state,
        Changed::Documents {
            edited: None,
            others,
        },
    )
    .await;
    super::refresh_views(client, state).await;
}

/// Starts the checks; they run until the server exits.
pub fn spawn(client: Client, state: Arc<State>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let (mut last_walk, mut last_clock) = (Instant::now(), Instant::now());
        let mut last_poll: Option<Instant> = None;
        loop {
            tick.tick().await;
            let (root, paths, settings, endpoint) = {
                let guard = state.read_project();
                let Some(project) = guard.as_deref() else {
                    continue;
                };
                let paths: Vec<String> = project
                    .evidence_stamp()
                    .into_iter()
                    .map(|(p, _)| p)
                    .collect();
                (
                    project.root.clone(),
                    paths,
                    project.config.status_settings().clone(),
                    project.status_endpoint(),
                )
            };
            let mut changed = false;
            // Files: a changed time, or new files found by an occasional walk.
            let before = stamp_on_disk(&root, &paths);
            let known_changed = {
                let guard = state.read_project();
                guard.as_deref().is_some_and(|p| {
                    p.evidence_stamp()
                        .into_iter()
                        .map(|(_, t)| t)
                        .collect::<Vec<_>>()
                        != before
                })
            };
            if known_changed || last_walk.elapsed() >= REWALK {
                last_walk = Instant::now();
                changed |= reread(&state).await;
            }
            // The monitoring endpoint.
            // Only with the user's consent (see `Project::status_endpoint`).
            if let Some(url) = endpoint.allowed().map(str::to_string) {
                let due = last_poll.is_none_or(|t| {
                    t.elapsed() >= Duration::from_secs(settings.poll_interval.max(1))
                });
                if due {
                    last_poll = Some(Instant::now());
                    changed |= poll(
                        &client,
                        &state,
                        url,
                        Duration::from_secs(settings.timeout.max(1)),
                    )
                    .await;
                }
            }
            // Gate reports of PRPs edited without a change of facts (a review line).
            changed |= refresh_edited_gate_reports(&state).await;
            // The clock: stuck, idle and stale alerts appear as time passes.
            if last_clock.elapsed() >= CLOCK {
                last_clock = Instant::now();
                let worker = state.clone();
                changed |= tokio::task::spawn_blocking(move || {
                    let before = alert_signature(&worker);
                    worker.update_project_when_unshared(|p| p.refresh_status(now_seconds()));
                    let moved = alert_signature(&worker) != before;
                    if moved {
                        worker.update_project_when_unshared(|p| p.touch_all());
                    }
                    moved
                })
                .await
                .unwrap_or(false);
            }
            if changed {
                evidence_changed(&client, &state).await;
            }
        }
    });
}

/// Re-evaluates the gate reports of PRPs edited since their last evaluation; whether a
/// deployment decision changed. Evaluated on a snapshot off the async threads, and stored
/// under the lock only when there is something to store: a tick must not hold up an edit.
async fn refresh_edited_gate_reports(state: &Arc<State>) -> bool {
    let edited = state
        .read_project()
        .as_deref()
        .map(Project::edited_since_gate_reports)
        .unwrap_or_default();
    if edited.is_empty() {
        return false;
    }
    let worker = state.clone();
    tokio::task::spawn_blocking(move || {
        let evaluated = worker
            .snapshot()?
            .evaluate_gate_reports(&edited, now_seconds());
        worker.update_project_when_unshared(|project| project.install_gate_reports(evaluated))
    })
    .await
    .ok()
    .flatten()
    .unwrap_or(false)
}

/// Re-reads the evidence files; whether anything differs. The walk runs on a snapshot;
/// only taking its result holds the project's lock.
async fn reread(state: &Arc<State>) -> bool {
    let worker = state.clone();
    tokio::task::spawn_blocking(move || {
        let scanned = worker.snapshot()?.scan_evidence()?;
        worker.update_project_when_unshared(|project| {
            project.refresh_evidence(scanned, now_seconds())
        })
    })
    .await
    .ok()
    .flatten()
    .unwrap_or(false)
}

/// Reads the monitoring endpoint once. An outage is told once, when it starts, and its end
/// once; a slow endpoint costs this task the timeout and never holds up a request.
async fn poll(client: &Client, state: &Arc<State>, url: String, timeout: Duration) -> bool {
    let fetched = {
        let url = url.clone();
        tokio::task::spawn_blocking(move || crate::monitoring::fetch(&url, timeout))
            .await
            .unwrap_or_else(|e| Err(e.to_string()))
    };
    let mut announcement = None;
    let changed = state.update_project(|project| {
        let was_down = project.status.endpoint_down.is_some();
        let before = project.status.from_endpoint.clone();
        match project.take_endpoint_answer(&url, fetched, now_seconds()) {
            Ok(()) if was_down => {
                announcement = Some((
                    MessageType::INFO,
                    format!("prp-lsp: the monitoring endpoint {url} answers again"),
                ))
            }
            Err(reason) if !was_down => {
                announcement = Some((
                    MessageType::WARNING,
                    format!("prp-lsp: agent status from {url} is unavailable: {reason}"),
                ))
            }
            _ => {}
        }
        let changed = project.status.from_endpoint != before
            || project.status.endpoint_down.is_some() != was_down;
        if changed {
            project.touch_all();
        }
        changed
    });
    let Some(changed) = changed else {
        return false;
    };
    if let Some((kind, message)) = announcement {
        client.show_message(kind, message).await;
    }
    changed
}

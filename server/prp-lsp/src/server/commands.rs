//! `workspace/executeCommand`: the editor's command palette. Each command computes a change
//! and asks the client to apply it (`workspace/applyEdit`); the server writes nothing itself.

use prp_analysis::gates::GateReport;
use prp_analysis::status::{agent_rows, agents_markdown};
use prp_analysis::{assign, generate};
use serde_json::{json, Value};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

use super::state::State;
use crate::project::today;

pub const GENERATE: &str = "prp.generate";
pub const ASSIGN_ALL: &str = "prp.assignAll";
pub const SHOW_GATE_REPORT: &str = "prp.showGateReport";
/// Like `prp.showGateReport` without the message, and `null` for a document that is not a
/// PRP: what an extension polls for its status bar.
pub const DEPLOY_STATE: &str = "prp.deployState";
pub const AGENT_STATUS: &str = "prp.agentStatus";
/// The orchestrator's health metrics for the last 30 days, as data and as a Markdown report.
pub const METRICS: &str = "prp.metrics";
/// The PRPs and agents at a glance (the editor's side-bar views).
pub const OVERVIEW: &str = "prp.overview";
/// Shows a PRP of the workspace in the editor (`window/showDocument`): the "Open PRP-NN"
/// code action on a TASK.md item that links one.
pub const OPEN_PRP: &str = "prp.openPrp";
pub const ALL: [&str; 8] = [
    GENERATE,
    ASSIGN_ALL,
    SHOW_GATE_REPORT,
    DEPLOY_STATE,
    AGENT_STATUS,
    METRICS,
    OVERVIEW,
    OPEN_PRP,
];

fn invalid(message: impl Into<String>) -> Error {
    let mut e = Error::invalid_params(message.into());
    e.data = None;
    e
}

/// `prp.generate` takes a description, as a string or `{ "description": … }`.
fn description_argument(arguments: &[Value]) -> Result<String> {
    let text = match arguments.first() {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(o)) => o
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    };
    if text.trim().is_empty() {
        return Err(invalid("prp.generate needs a requirement description, e.g. [\"Add CSV export to the reports page\"]"));
    }
    Ok(text)
}

fn uri_argument(arguments: &[Value], command: &str) -> Result<Uri> {
    let raw = match arguments.first() {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(o)) => o
            .get("uri")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    };
    raw.parse().map_err(|_| {
        invalid(format!(
            "{command} needs the document's URI as its argument"
        ))
    })
}

/// Computes the edit for a command, under the state's lock.
fn prepare(state: &State, params: &ExecuteCommandParams) -> Result<(WorkspaceEdit, String, Value)> {
    let guard = state.read_project();
    let project = guard
        .as_deref()
        .ok_or_else(|| invalid("the workspace is still being indexed"))?;
    let (change, result) = match params.command.as_str() {
        GENERATE => {
            let requirement =
                generate::requirement_from_text(&description_argument(&params.arguments)?);
            let generated = generate::generate(
                &requirement,
                None,
                &project.ws,
                &project.config,
                project,
                today(),
            )
            .map_err(|refusal| invalid(format!("nothing was generated: {refusal}")))?;
            let result = json!({ "path": generated.path, "warnings": generated.warnings });
            (generated.change, result)
        }
        ASSIGN_ALL => {
            let uri = uri_argument(&params.arguments, ASSIGN_ALL)?;
            let key = state
                .key_of(&uri)
                .ok_or_else(|| invalid("not a file URI"))?;
            let a = project.analyzed(&key).ok_or_else(|| {
                invalid(format!("`{key}` is not a PRP, task board or agent file"))
            })?;
            let planned = assign::plan_all(&a.doc, &a.text, &project.ws, &project.config);
            let unplaced: Vec<Value> = planned
                .unplaced
                .iter()
                .map(|u| json!({ "line": u.line, "title": u.title, "reason": u.reason }))
                .collect();
            let change = planned.change.ok_or_else(|| match planned.unplaced.as_slice() {
                [] => invalid(format!("every task in `{key}` is already assigned")),
                [only] => invalid(format!(
                    "nothing was assigned: no agent can take `{}`: {}",
                    only.title, only.reason
                )),
                all => invalid(format!(
                    "nothing was assigned: no agent can take any of the {} unassigned tasks (first, `{}`: {})",
                    all.len(),
                    all[0].title,
                    all[0].reason
                )),
            })?;
            if unplaced.is_empty() {
                (change, json!({ "path": key }))
            } else {
                (change, json!({ "path": key, "unplaced": unplaced }))
            }
        }
        other => {
            return Err(invalid(format!(
                "unknown command `{other}`; prp-lsp offers {}",
                ALL.join(", ")
            )))
        }
    };
    let edit = super::edits::workspace_edit(state, project, &change).map_err(invalid)?;
    Ok((edit, change.title, result))
}

/// The gate report of the PRP at the command's URI; `None` when that document is not a PRP.
fn gate_report(state: &State, params: &ExecuteCommandParams) -> Result<Option<GateReport>> {
    let uri = uri_argument(&params.arguments, &params.command)?;
    let key = state
        .key_of(&uri)
        .ok_or_else(|| invalid("not a file URI"))?;
    let guard = state.read_project();
    let project = guard
        .as_deref()
        .ok_or_else(|| invalid("the workspace is still being indexed"))?;
    Ok(project.gate_report(&key, crate::project::now_seconds()))
}

fn report_json(report: &GateReport) -> Value {
    json!({
        "prp": report.prp,
        "ready": report.ready,
        "summary": report.summary(),
        "markdown": report.to_markdown(),
        "report": report,
    })
}

/// The gate report of a PRP: returned as Markdown (an extension shows it in a view), and
/// its one-line decision shown as a message for editors without one.
async fn show_gate_report(
    client: &Client,
    state: &State,
    params: &ExecuteCommandParams,
) -> Result<Option<Value>> {
    let report =
        gate_report(state, params)?.ok_or_else(|| invalid("this document is not a PRP"))?;
    let kind = if report.ready {
        MessageType::INFO
    } else {
        MessageType::WARNING
    };
    client
        .show_message(kind, format!("{}: {}", report.prp, report.summary()))
        .await;
    Ok(Some(report_json(&report)))
}

/// Every agent with its state, workload and alerts, as rows and as a Markdown table.
fn agent_status(state: &State) -> Result<Option<Value>> {
    let guard = state.read_project();
    let project = guard
        .as_deref()
        .ok_or_else(|| invalid("the workspace is still being indexed"))?;
    let rows = agent_rows(&project.ws, &project.config);
    let mut markdown = agents_markdown(&rows, crate::project::now_seconds());
    if let Some(note) = project.status_endpoint().not_allowed_note() {
        markdown.push_str(&format!("\n> **Note**: {note}.\n"));
    }
    let agents: Vec<Value> = rows.iter().map(|r| r.to_json()).collect();
    Ok(Some(json!({ "markdown": markdown, "agents": agents })))
}

/// The metrics of the last 30 days, as `prp-lsp metrics --format json` gives them, with the
/// Markdown report.
fn metrics(state: &State) -> Result<Option<Value>> {
    let guard = state.read_project();
    let project = guard
        .as_deref()
        .ok_or_else(|| invalid("the workspace is still being indexed"))?;
    let now = crate::project::now_seconds();
    let m = prp_analysis::delivery::metrics::metrics(
        &project.ws,
        &project.config,
        now - 30 * 86_400,
        now,
    );
    let markdown = m.to_markdown();
    let data = serde_json::to_value(&m).map_err(|e| invalid(e.to_string()))?;
    Ok(Some(json!({ "markdown": markdown, "metrics": data })))
}

/// Every PRP (stage, deploy decision, open items, agents) and every agent (state, current
/// task, error rate, alerts) as plain data for the editor's views. A PRP's decision is its
/// stored gate report, else one evaluated now for an active PRP or one with a
/// pre-deployment checklist.
fn overview(state: &State) -> Result<Option<Value>> {
    let project = state
        .snapshot()
        .ok_or_else(|| invalid("the workspace is still being indexed"))?;
    let now = crate::project::now_seconds();
    let report = |path: &str| {
        project.ws.gate_report(path).cloned().or_else(|| {
            // Active PRPs, and any whose pre-deployment checklist claims gates.
            let judged = project.ws.facts(path).is_some_and(|f| {
                f.lifecycle == prp_analysis::document::Lifecycle::Active || f.gate_checklist
            });
            judged.then(|| project.gate_report(path, now)).flatten()
        })
    };
    let data = prp_analysis::ide::overview::overview(&project.ws, &project.config, &report);
    let mut value = serde_json::to_value(&data).map_err(|e| invalid(e.to_string()))?;
    // URIs for the views to open, beside the workspace paths.
    let uri = |path: &str| state.uri_of(path).map(|u| u.to_string());
    if let Some(prps) = value.get_mut("prps").and_then(Value::as_array_mut) {
        for p in prps {
            let u = p.get("path").and_then(Value::as_str).and_then(uri);
            p["uri"] = json!(u);
        }
    }
    if let Some(agents) = value.get_mut("agents").and_then(Value::as_array_mut) {
        for a in agents {
            let u = a.get("source").and_then(Value::as_str).and_then(uri);
            a["uri"] = json!(u);
            if let Some(alerts) = a.get_mut("alerts").and_then(Value::as_array_mut) {
                for alert in alerts {
                    let u = alert.get("path").and_then(Value::as_str).and_then(uri);
                    alert["uri"] = json!(u);
                }
            }
        }
    }
    value["now"] = json!(now);
    Ok(Some(value))
}

/// Asks the editor to show a PRP of the workspace; an editor that cannot is told where it is.
async fn open_prp(
    client: &Client,
    state: &State,
    params: &ExecuteCommandParams,
) -> Result<Option<Value>> {
    let uri = uri_argument(&params.arguments, OPEN_PRP)?;
    let key = state
        .key_of(&uri)
        .ok_or_else(|| invalid("not a file URI"))?;
    let is_prp = state
        .read_project()
        .as_deref()
        .and_then(|p| {
            p.ws.facts(&key)
                .map(|f| f.kind == prp_analysis::DocKind::Prp)
        })
        .unwrap_or(false);
    if !is_prp {
        return Err(invalid(format!("`{key}` is not a PRP of this workspace")));
    }
    let shown = client
        .show_document(ShowDocumentParams {
            uri,
            external: Some(false),
            take_focus: Some(true),
            selection: None,
        })
        .await
        .unwrap_or(false);
    if !shown {
        client
            .show_message(MessageType::INFO, format!("The PRP is {key}"))
            .await;
    }
    Ok(Some(json!({ "path": key, "shown": shown })))
}

pub async fn execute(
    client: &Client,
    state: &State,
    params: ExecuteCommandParams,
) -> Result<Option<Value>> {
    // Reading reports changes nothing, so they need no applyEdit support.
    match params.command.as_str() {
        SHOW_GATE_REPORT => return show_gate_report(client, state, &params).await,
        DEPLOY_STATE => {
            return Ok(Some(
                gate_report(state, &params)?
                    .map(|r| report_json(&r))
                    .unwrap_or(Value::Null),
            ))
        }
        AGENT_STATUS => return agent_status(state),
        METRICS => return metrics(state),
        OVERVIEW => return overview(state),
        OPEN_PRP => return open_prp(client, state, &params).await,
        _ => {}
    }
    if !state.support().apply_edit {
        return Err(invalid("this editor does not support workspace/applyEdit, so prp-lsp cannot change files from a command; use the code actions or `prp-lsp new` in a terminal"));
    }
    let (edit, label, result) = prepare(state, &params)?;
    let params = ApplyWorkspaceEditParams {
        edit,
        label: Some(label),
    };
    // An editor that answers with an error (rather than `applied: false`) still gets told
    // what went wrong, not a bare internal error.
    let response = client
        .send_request::<request::ApplyWorkspaceEdit>(params)
        .await
        .map_err(|e| {
            invalid(format!(
                "nothing was changed: the editor answered: {}",
                e.message
            ))
        })?;
    if !response.applied {
        let reason = response
            .failure_reason
            .unwrap_or_else(|| "the editor refused the edit".into());
        return Err(invalid(format!("nothing was changed: {reason}")));
    }
    Ok(Some(result))
}

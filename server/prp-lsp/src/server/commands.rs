//! `workspace/executeCommand`: the editor's command palette. Each command computes a change
//! and asks the client to apply it (`workspace/applyEdit`); the server writes nothing itself.

use prp_analysis::{assign, generate};
use serde_json::{json, Value};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

use super::state::{LockExt, State};
use crate::project::today;

pub const GENERATE: &str = "prp.generate";
pub const ASSIGN_ALL: &str = "prp.assignAll";
pub const SHOW_GATE_REPORT: &str = "prp.showGateReport";
pub const ALL: [&str; 3] = [GENERATE, ASSIGN_ALL, SHOW_GATE_REPORT];

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
    let guard = state.project.read_lock();
    let project = guard
        .as_ref()
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
            );
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
            let change = assign::assign_all(&a.doc, &a.text, &project.ws, &project.config)
                .ok_or_else(|| invalid(format!("every task in `{key}` is already assigned")))?;
            (change, json!({ "path": key }))
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

/// The gate report of a PRP: returned as Markdown (an extension shows it in a view), and
/// its one-line decision shown as a message for editors without one.
async fn show_gate_report(
    client: &Client,
    state: &State,
    params: &ExecuteCommandParams,
) -> Result<Option<Value>> {
    let uri = uri_argument(&params.arguments, SHOW_GATE_REPORT)?;
    let report = {
        let key = state
            .key_of(&uri)
            .ok_or_else(|| invalid("not a file URI"))?;
        let guard = state.project.read_lock();
        let project = guard
            .as_ref()
            .ok_or_else(|| invalid("the workspace is still being indexed"))?;
        project
            .gate_report(&key, crate::project::now_seconds())
            .ok_or_else(|| invalid(format!("`{key}` is not a PRP")))?
    };
    let kind = if report.ready {
        MessageType::INFO
    } else {
        MessageType::WARNING
    };
    client
        .show_message(kind, format!("{}: {}", report.prp, report.summary()))
        .await;
    let summary = report.summary();
    let markdown = report.to_markdown();
    Ok(Some(
        json!({ "prp": report.prp, "ready": report.ready, "summary": summary, "markdown": markdown, "report": report }),
    ))
}

pub async fn execute(
    client: &Client,
    state: &State,
    params: ExecuteCommandParams,
) -> Result<Option<Value>> {
    // Reading a report changes nothing, so it needs no applyEdit support.
    if params.command == SHOW_GATE_REPORT {
        return show_gate_report(client, state, &params).await;
    }
    if !state.support().apply_edit {
        return Err(invalid("this editor does not support workspace/applyEdit, so prp-lsp cannot change files from a command; use the code actions or `prp-lsp new` in a terminal"));
    }
    let (edit, label, result) = prepare(state, &params)?;
    let params = ApplyWorkspaceEditParams {
        edit,
        label: Some(label),
    };
    let response = client
        .send_request::<request::ApplyWorkspaceEdit>(params)
        .await?;
    if !response.applied {
        let reason = response
            .failure_reason
            .unwrap_or_else(|| "the editor refused the edit".into());
        return Err(invalid(format!("nothing was changed: {reason}")));
    }
    Ok(Some(result))
}

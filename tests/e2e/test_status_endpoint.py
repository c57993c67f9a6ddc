"""Agent status from an orchestrator's monitoring endpoint: a small HTTP server on 127.0.0.1
the test starts, polled every second with a one-second timeout once the user allows it. Its
reports reach hovers and alerts; an outage (a timeout, bad JSON, the server gone) is told once,
its end once, and never holds up a request. A URL that only the repository's prp-lsp.toml
names is never contacted without the user's consent."""

from __future__ import annotations

import asyncio
import re
import time

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from evidence import (
    PRP_BLOCKED,
    TASK,
    AgentEndpoint,
    age_workspace,
    hover_text,
    line_of,
    messages_of,
    rfc3339,
)
from helpers import TIMEOUT, code_of, codes, open_doc, pull_until, wait_until

OUTAGE = r"prp-lsp: agent status from http://127\.0\.0\.1:\d+/agents is unavailable"
RECOVERY = r"prp-lsp: the monitoring endpoint http://127\.0\.0\.1:\d+/agents answers again"


def reported_agents() -> list[dict]:
    """The endpoint's view: database went offline a quarter of an hour ago; backend is fine."""
    return [
        {
            "id": "database",
            "state": "offline",
            "current_task": None,
            "active_tasks": 0,
            "last_activity": rfc3339(15 * 60),
            "reported_at": rfc3339(5),
            "tasks_completed": 19,
            "tasks_failed": 0,
            "error_rate": 0.0,
            "health_score": 0,
        },
        {
            "id": "backend",
            "state": "busy",
            "current_task": "PRP-002 Task 1: Widget data API",
            "active_tasks": 1,
            "last_activity": rfc3339(20),
            "task_started_at": rfc3339(25 * 60),
            "reported_at": rfc3339(5),
            "tasks_completed": 49,
            "tasks_failed": 1,
            "error_rate": 0.02,
            "avg_response_ms": 1700,
            "health_score": 97,
        },
    ]


@pytest.fixture
def endpoint():
    server = AgentEndpoint(reported_agents())
    yield server
    server.stop()


@pytest.fixture
def workspace(workspace, endpoint):
    """The sample, reading agent status from the endpoint as well as from its files."""
    age_workspace(workspace)
    toml = workspace / "prp-lsp.toml"
    text = toml.read_text(encoding="utf-8")
    assert "[status]\n" in text
    toml.write_text(
        text.replace(
            "[status]\n",
            f'[status]\nurl = "{endpoint.url}"\npoll-interval = 1\ntimeout = 1\n',
        ),
        encoding="utf-8",
    )
    return workspace


def allow_url(client: LanguageClient, allowed: bool = True) -> None:
    """The user's consent, in their editor settings (`prp-lsp.status.allow-url`)."""
    client.set_configuration({"status": {"allow-url": allowed}}, section="prp-lsp")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))


NOT_POLLED = r"is not polled until you allow it"


def offline_at(items) -> list[int]:
    return sorted(d.range.start.line for d in items if code_of(d) == "agent-offline")


async def timed_hover(client: LanguageClient, doc: str, pos) -> tuple[str, float]:
    started = time.monotonic()
    value = await hover_text(client, doc, pos)
    return value, time.monotonic() - started


@pytest.mark.workspace("example")
async def test_monitoring_endpoint_reports_and_outages(
    vscode: LanguageClient, endpoint: AgentEndpoint
):
    path = vscode.root / PRP_BLOCKED
    text = path.read_text(encoding="utf-8")
    doc = open_doc(vscode, path, text)
    database = (line_of(text, "**Assigned to**: database"), 19)
    allow_url(vscode)

    # The endpoint's report wins over the older status file: database is offline, and
    # that is an alert where it is assigned (PRP-002 Task 2, TASK.md line 19).
    items = await pull_until(
        vscode, doc, lambda ds: "agent-offline" in codes(ds), "agent-offline on PRP-002"
    )
    assert offline_at(items) == [database[0]]
    [d] = [d for d in items if code_of(d) == "agent-offline"]
    assert "agent `database` is offline (last report just now)" in d.message, d.message
    task = (vscode.root / TASK).as_uri()
    assert offline_at(await pull_until(
        vscode, task, lambda ds: "agent-offline" in codes(ds), "agent-offline on TASK.md"
    )) == [18]
    value, _ = await timed_hover(vscode, doc, database)
    assert "**Agent `database`**: offline" in value, value
    assert f"- Last report: just now, from `{endpoint.url}`" in value
    assert "⚠ `agent-offline`" in value
    assert not messages_of(vscode, types.MessageType.Warning, OUTAGE)

    # 1. The endpoint stops answering in time: one warning; requests stay fast meanwhile.
    endpoint.mode = "slow"
    slow_since = endpoint.requests
    latencies = []
    deadline = time.monotonic() + TIMEOUT
    # Hovers all along, until the warning and while two more polls hang for the timeout.
    while (
        not messages_of(vscode, types.MessageType.Warning, OUTAGE)
        or endpoint.requests < slow_since + 2
    ):
        assert time.monotonic() < deadline, "no outage warning, or no more polls"
        _, took = await timed_hover(vscode, doc, database)
        latencies.append(took)
        await asyncio.sleep(0.05)
    assert max(latencies) < 0.5, f"a hover took {max(latencies):.2f} s during the outage"
    [warning] = messages_of(vscode, types.MessageType.Warning, OUTAGE)
    assert "no answer from" in warning and "within 1 s" in warning, warning
    value, _ = await timed_hover(vscode, doc, database)
    assert "- The monitoring endpoint is unreachable: no answer from" in value, value
    # What it said last still counts.
    assert "**Agent `database`**: offline" in value

    # 2. Back: one info message.
    endpoint.mode = "ok"
    await wait_until(
        lambda: messages_of(vscode, types.MessageType.Info, RECOVERY), "the recovery message"
    )

    # 3. Bad JSON is an outage too, told once however many polls it lasts.
    endpoint.mode = "bad"
    await wait_until(
        lambda: len(messages_of(vscode, types.MessageType.Warning, OUTAGE)) == 2,
        "the second outage warning",
    )
    bad_since = endpoint.requests
    await wait_until(lambda: endpoint.requests >= bad_since + 3, "three more polls")
    warnings = messages_of(vscode, types.MessageType.Warning, OUTAGE)
    assert len(warnings) == 2, warnings
    assert "answered something that is not agent status: not valid JSON" in warnings[1]
    endpoint.mode = "ok"
    await wait_until(
        lambda: len(messages_of(vscode, types.MessageType.Info, RECOVERY)) == 2,
        "the second recovery message",
    )

    # 4. Gone: nobody listens on the port any more.
    endpoint.stop()
    await wait_until(
        lambda: len(messages_of(vscode, types.MessageType.Warning, OUTAGE)) == 3,
        "the warning that the endpoint is gone",
    )
    assert "cannot reach" in messages_of(vscode, types.MessageType.Warning, OUTAGE)[2]
    _, took = await timed_hover(vscode, doc, database)
    assert took < 0.5
    assert len(messages_of(vscode, types.MessageType.Info, RECOVERY)) == 2


@pytest.mark.workspace("example")
async def test_a_url_from_the_repository_is_not_contacted_without_consent(
    vscode: LanguageClient, endpoint: AgentEndpoint
):
    """The repository's prp-lsp.toml names the endpoint; the user has not allowed it. The
    server contacts nothing, says why in its log and in the agent status view, and starts
    polling the moment the user allows it in their settings (and stops when they take the
    consent back)."""
    def notes() -> list[str]:
        return [m.message for m in vscode.log_messages if re.search(NOT_POLLED, m.message)]

    await wait_until(notes, "the not-polled note in the log")
    [note] = notes()
    assert endpoint.url in note and "prp-lsp.status.allow-url" in note, note
    await asyncio.sleep(3.5)  # three poll intervals
    assert endpoint.requests == 0, "the endpoint was contacted without the user's consent"
    status = await vscode.workspace_execute_command_async(
        types.ExecuteCommandParams(command="prp.agentStatus", arguments=[])
    )
    assert "is not polled until you allow it" in status["markdown"], status["markdown"]

    # Hover on the key in prp-lsp.toml says the same, and how to allow it.
    toml = vscode.root / "prp-lsp.toml"
    toml_text = toml.read_text(encoding="utf-8")
    toml_doc = open_doc(vscode, toml, toml_text)
    value = await hover_text(vscode, toml_doc, (line_of(toml_text, "url = "), 1))
    assert "Not polled until you allow it" in value and "allow-url" in value, value

    allow_url(vscode)
    await wait_until(lambda: endpoint.requests >= 1, "a poll once the user allowed it")
    value = await hover_text(vscode, toml_doc, (line_of(toml_text, "url = "), 1))
    assert "Polled for agent status" in value, value

    allow_url(vscode, False)
    await asyncio.sleep(1.5)  # a poll already under way may still finish
    stopped_at = endpoint.requests
    await asyncio.sleep(2.5)
    assert endpoint.requests == stopped_at, "still polling after the consent was taken back"

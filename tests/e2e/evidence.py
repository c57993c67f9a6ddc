"""Helpers of the agent status and quality gate tests: evidence files as the tools write
them, modification times that make the sample's evidence current, lenses and hovers, and a
local monitoring endpoint."""

from __future__ import annotations

import datetime
import json
import os
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient

from helpers import EXAMPLE, at, req, td

PRP_READY = "PRPs/archive/PRP-006-health-check.md"
PRP_BLOCKED = "PRPs/active/PRP-002-dashboard-widgets.md"
TASK = "TASK.md"
E2E = "reports/e2e.xml"
STATUS = "agent_contexts/status"

EVIDENCE_AGE = 600
"""Seconds old the sample's evidence is made (documents are older still)."""
DOCUMENT_AGE = 7200
STATUS_AGE = 2 * 3600 + 5 * 60
"""Seconds since each status file was written: the hover says "2 h 5 min ago"."""


def age_workspace(root: Path) -> None:
    """Times as after a real run: documents written two hours ago, the test and scan reports
    ten minutes ago (newer than every PRP, so not stale), status reports written 2 h 5 min
    ago — in the report (`reported_at`, as an orchestrator stamps it) and on the file. A copy
    keeps the checkout's times, whose order is not defined."""
    now = time.time()
    for p in root.rglob("*"):
        if not p.is_file():
            continue
        rel = p.relative_to(root).as_posix()
        if rel.startswith(("reports/", "benchmarks/")):
            age = EVIDENCE_AGE
        elif rel.startswith(STATUS + "/") and rel.endswith(".json"):
            age = STATUS_AGE
            try:
                report = json.loads(p.read_text(encoding="utf-8"))
            except ValueError:
                report = None  # a broken file stays as the test wrote it
            entries = report if isinstance(report, list) else [report]
            if all(isinstance(e, dict) for e in entries):
                for entry in entries:
                    entry["reported_at"] = rfc3339(age)
                p.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        else:
            age = DOCUMENT_AGE
        os.utime(p, (now - age, now - age))


def rewrite(path: Path, text: str) -> None:
    """Writes `text` as a tool would, with a modification time later than the file's last
    one (at one-second resolution) so that a watcher comparing times sees the change."""
    before = path.stat().st_mtime if path.exists() else 0.0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    when = max(time.time(), before + 1.0)
    os.utime(path, (when, when))


def rfc3339(seconds_ago: float = 0.0) -> str:
    t = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=seconds_ago)
    return t.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def relative(seconds: int) -> str:
    """The server's relative time ("just now", "12 min ago", "3 h 12 min ago", "2 days
    ago"), as documented."""
    if seconds < 60:
        return "just now"
    s = max(seconds, 0)
    days, hours, minutes = s // 86400, s % 86400 // 3600, s % 3600 // 60
    if days == 0:
        if hours == 0:
            text = f"{minutes} min"
        elif minutes == 0:
            text = f"{hours} h"
        else:
            text = f"{hours} h {minutes} min"
    elif days == 1:
        text = "1 day" if hours == 0 else f"1 day {hours} h"
    else:
        text = f"{days} days"
    return f"{text} ago"


# --- evidence as the tools write it ---------------------------------------------------------

# jest-junit (Playwright run through jest), two of five e2e tests failing: failures carry the
# message and stack as escaped text, without attributes.
JEST_E2E_TWO_FAILURES = """<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="5" failures="2" errors="0" time="24.912">
  <testsuite name="dashboard.e2e.ts" errors="0" failures="2" skipped="0" timestamp="2026-11-27T11:02:41" time="17.590" tests="3">
    <testcase classname="dashboard loads the widgets" name="dashboard loads the widgets" time="5.204">
    </testcase>
    <testcase classname="dashboard reorders widgets by drag and drop" name="dashboard reorders widgets by drag and drop" time="8.117">
      <failure>Error: expect(received).toEqual(expected) // deep equality

- Expected  - 1
+ Received  + 1

  Array [
-   &quot;tasks&quot;,
+   &quot;events&quot;,
  ]
    at Object.&lt;anonymous&gt; (/home/runner/work/planner/planner/frontend/e2e/dashboard.e2e.ts:58:31)</failure>
    </testcase>
    <testcase classname="dashboard health badge shows the version" name="dashboard health badge shows the version" time="4.269">
      <failure>TimeoutError: waiting for selector &quot;[data-testid=health-badge]&quot; failed: timeout 4000ms exceeded
    at /home/runner/work/planner/planner/frontend/e2e/dashboard.e2e.ts:74:18</failure>
    </testcase>
  </testsuite>
  <testsuite name="profile.e2e.ts" errors="0" failures="0" skipped="0" timestamp="2026-11-27T11:02:59" time="7.322" tests="2">
    <testcase classname="profile saves the display name" name="profile saves the display name" time="3.910">
    </testcase>
    <testcase classname="profile rejects an avatar over 2 MB" name="profile rejects an avatar over 2 MB" time="3.412">
    </testcase>
  </testsuite>
</testsuites>
"""


def example_text(rel: str) -> str:
    return (EXAMPLE / rel).read_text(encoding="utf-8")


E2E_ITEM = "- [x] E2E tests passing"
"""A ticked pre-deployment item about the e2e tests, added to PRP-006's Final Validation
Checklist."""


def prp006_with_e2e_item(tick: str = "x") -> str:
    text = example_text(PRP_READY)
    anchor = "- [x] All tests pass\n"
    assert anchor in text
    return text.replace(anchor, anchor + f"- [{tick}] E2E tests passing\n")


def status_json(agent: str, state: str, **fields: Any) -> str:
    """A status file as the orchestrator writes it (two-space JSON)."""
    return json.dumps({"id": agent, "state": state, **fields}, indent=2) + "\n"


def frontend_busy() -> str:
    """frontend picked up again: busy for ten minutes, reported just now."""
    return status_json(
        "frontend",
        "busy",
        current_task="PRP-002 Task 2: Widget grid",
        active_tasks=1,
        last_activity=rfc3339(30),
        task_started_at=rfc3339(600),
        tasks_completed=31,
        tasks_failed=1,
        avg_response_ms=2100,
        health_score=82,
    )


# An orchestrator's configuration imported by prp-lsp.toml, whose coverage gate (90%)
# disagrees with prp-lsp.toml's (85%).
ORCHESTRATOR_TOML = """orchestrator-config = "orchestrator.json"

[rules]
template-placeholder = "warning"

[agents]
directories = ["agent_contexts"]

[status]
stale-after = 315360000

[gates]
coverage-threshold = 0.85
"""
ORCHESTRATOR_JSON = """{
  "agents": {
    "backend": {"enabled": true, "max_concurrent": 3, "context_file": "agent_contexts/backend_agent.md"},
    "frontend": {"enabled": true, "max_concurrent": 3, "context_file": "agent_contexts/frontend_agent.md"},
    "database": {"enabled": true, "max_concurrent": 2, "context_file": "agent_contexts/database_agent.md"},
    "integration": {"enabled": true, "max_concurrent": 2, "context_file": "agent_contexts/integration_agent.md"}
  },
  "quality_gates": {"code_coverage_threshold": 90}
}
"""


# --- LSP requests --------------------------------------------------------------------------


async def lenses(client: LanguageClient, doc: str) -> list[types.CodeLens]:
    result = await req(client.text_document_code_lens_async(types.CodeLensParams(text_document=td(doc))))
    return list(result or [])


async def lens_titles(client: LanguageClient, doc: str) -> list[str]:
    return [lens.command.title for lens in await lenses(client, doc) if lens.command]


async def hover_text(client: LanguageClient, doc: str, pos: tuple[int, int]) -> str:
    hover = await req(client.text_document_hover_async(types.HoverParams(**at(doc, *pos))))
    assert hover is not None, f"no hover at {pos}"
    assert isinstance(hover.contents, types.MarkupContent)
    return hover.contents.value


def line_of(text: str, needle: str) -> int:
    """0-based line of the only line containing `needle`."""
    lines = [i for i, line in enumerate(text.splitlines()) if needle in line]
    assert len(lines) == 1, f"{needle!r} on lines {lines}"
    return lines[0]


def messages_of(client: LanguageClient, kind: types.MessageType, pattern: str) -> list[str]:
    return [
        m.message
        for m in client.messages
        if m.type == kind and re.search(pattern, m.message)
    ]


# --- a monitoring endpoint on 127.0.0.1 -----------------------------------------------------


class AgentEndpoint:
    """An orchestrator's monitoring endpoint: `GET /agents` answers a JSON array of agent
    status objects. `mode` switches it: "ok", "slow" (answers only after `slow_seconds`),
    "bad" (a body cut short, not JSON). Counts the requests it received."""

    def __init__(self, agents: list[dict[str, Any]], slow_seconds: float = 3.0):
        self.agents = agents
        self.mode = "ok"
        self.slow_seconds = slow_seconds
        self.requests = 0
        self._release = threading.Event()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                endpoint.requests += 1
                mode = endpoint.mode
                if mode == "slow":
                    endpoint._release.wait(endpoint.slow_seconds)
                if self.path != "/agents":
                    body, status = b"not found", 404
                elif mode == "bad":
                    body, status = b'[{"id": "database", "state": "offl', 200
                else:
                    body, status = json.dumps(endpoint.agents).encode(), 200
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (its timeout)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/agents"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        self._stopped = False

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(5)

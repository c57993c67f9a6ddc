"""`prp-lsp gates` (the deployment decision a pipeline runs) and `prp-lsp agents`, in a copy
of examples/workspace as the current directory, with the modification times of a real run
(reports newer than every PRP)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from evidence import (
    E2E,
    ORCHESTRATOR_JSON,
    ORCHESTRATOR_TOML,
    JEST_E2E_TWO_FAILURES,
    PRP_BLOCKED,
    PRP_READY,
    STATUS,
    age_workspace,
    rewrite,
    rfc3339,
)
from helpers import BIN, EXAMPLE

GATES = [
    "tasks",
    "code-review",
    "unit-tests",
    "coverage",
    "integration-tests",
    "e2e-tests",
    "performance",
    "security",
    "documentation",
    "dev-log",
]
ACTIVE = sorted(
    p.relative_to(EXAMPLE).as_posix()
    for p in (EXAMPLE / "PRPs" / "active").glob("*.md")
)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "workspace"
    shutil.copytree(EXAMPLE, root)
    age_workspace(root)
    return root


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BIN, *args], capture_output=True, text=True, timeout=30, cwd=cwd
    )


def gates_json(cwd: Path, *prps: str) -> tuple[int, dict]:
    out = run(cwd, "gates", "--format", "json", *prps)
    assert out.returncode in (0, 1), out.stderr
    return out.returncode, json.loads(out.stdout)


def by_gate(prp: dict) -> dict[str, dict]:
    return {g["gate"]: g for g in prp["gates"]}


def matrix_row(stdout: str, gate: str) -> str:
    """The matrix line of `gate` (its label, e.g. "e2e tests")."""
    rows = [line for line in stdout.splitlines() if re.match(rf"\s+{gate}\s{{2,}}", line)]
    assert len(rows) == 1, (gate, stdout)
    return rows[0]


# --- gates ------------------------------------------------------------------------------


def test_gates_with_a_path_relative_to_the_workspace(example: Path):
    out = run(example, "gates", PRP_READY)
    assert out.returncode == 0, out.stderr
    assert f"{PRP_READY}: Deploy: ready" in out.stdout


@pytest.mark.parametrize("spelled", ["./{}", "{abs}"])
def test_gates_ready_prp_exits_0_with_the_matrix(example: Path, spelled: str):
    arg = str(example / PRP_READY) if spelled == "{abs}" else spelled.format(PRP_READY)
    out = run(example, "gates", arg)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == f"{PRP_READY}: Deploy: ready"
    assert re.match(r"\s+gate\s+result\s+evidence\s+detail$", lines[1]), lines[1]
    for label in (
        "tasks", "code review", "unit tests", "coverage", "integration tests",
        "e2e tests", "performance", "security", "documentation", "dev log",
    ):
        assert re.search(r"\s{2}pass\s{2}", matrix_row(out.stdout, label)), label
    assert "reports/e2e.xml" in matrix_row(out.stdout, "e2e tests")
    assert "5 tests, 0 failures" in matrix_row(out.stdout, "e2e tests")
    assert "coverage 93.1% ≥ 90%" in matrix_row(out.stdout, "coverage")
    assert "no error-level results (1 warning)" in matrix_row(out.stdout, "security")
    assert lines[-1] == f"{PRP_READY}: Deploy: ready"
    assert out.stderr == ""


def test_gates_blocked_prp_exits_1_with_the_reason(example: Path):
    out = run(example, "gates", f"./{PRP_BLOCKED}")
    assert out.returncode == 1, out.stdout + out.stderr
    assert out.stdout.splitlines()[0] == (
        f"{PRP_BLOCKED}: Deploy: blocked — 4 tasks open, no DEV_LOG entry, no code review"
    )
    assert re.search(r"\s{2}FAIL\s{2}.*4 of 4 tasks and criteria open", matrix_row(out.stdout, "tasks"))
    assert re.search(r"\s{2}no evidence\s{2}", matrix_row(out.stdout, "code review"))


def test_gates_json(example: Path):
    code, report = gates_json(example, f"./{PRP_READY}", f"./{PRP_BLOCKED}")
    assert code == 1
    assert report["ready"] is False
    ready, blocked = report["prps"]
    assert (ready["prp"], ready["ready"]) == (PRP_READY, True)
    assert (blocked["prp"], blocked["ready"]) == (PRP_BLOCKED, False)
    assert [g["gate"] for g in ready["gates"]] == GATES
    assert {g["verdict"] for g in ready["gates"]} == {"pass"}
    assert not any(g["stale"] for g in ready["gates"])
    gates = by_gate(blocked)
    assert gates["tasks"]["verdict"] == "fail"
    assert gates["tasks"]["reason"] == "4 tasks open"
    assert gates["code-review"]["verdict"] == "no-evidence"
    assert gates["e2e-tests"] == {
        **gates["e2e-tests"],
        "verdict": "pass",
        "evidence": [E2E],
        "detail": "5 tests, 0 failures",
    }
    assert isinstance(gates["e2e-tests"]["newest"], int)
    assert abs(gates["e2e-tests"]["newest"] - (time.time() - 600)) < 60


def test_gates_without_arguments_decides_on_every_active_prp(example: Path):
    out = run(example, "gates")
    assert out.returncode == 1  # none of the active PRPs is ready
    decided = re.findall(r"^(PRPs/\S+): Deploy: ", out.stdout, re.M)
    # Each PRP twice: the matrix header and the summary at the end.
    assert sorted(set(decided)) == ACTIVE
    assert PRP_READY not in out.stdout
    code, report = gates_json(example)
    assert code == 1
    assert sorted(p["prp"] for p in report["prps"]) == ACTIVE


def test_gates_missing_evidence_is_not_a_failure(example: Path):
    (example / E2E).unlink()
    code, report = gates_json(example, f"./{PRP_READY}")
    assert code == 1  # no evidence still blocks
    e2e = by_gate(report["prps"][0])["e2e-tests"]
    assert e2e["verdict"] == "no-evidence"
    assert e2e["evidence"] == []
    assert e2e["reason"] == "no e2e tests evidence"
    assert e2e["detail"].startswith("no evidence (looked for ")
    out = run(example, "gates", f"./{PRP_READY}")
    assert out.stdout.splitlines()[0] == f"{PRP_READY}: Deploy: blocked — no e2e tests evidence"
    assert re.search(r"\s{2}no evidence\s{2}", matrix_row(out.stdout, "e2e tests"))

    # A failing run reads differently.
    rewrite(example / E2E, JEST_E2E_TWO_FAILURES)
    code, report = gates_json(example, f"./{PRP_READY}")
    assert code == 1
    e2e = by_gate(report["prps"][0])["e2e-tests"]
    assert (e2e["verdict"], e2e["reason"]) == ("fail", "2 e2e failures")
    assert e2e["detail"].startswith(f"2 failures in {E2E} (5 tests)")
    assert "dashboard reorders widgets by drag and drop" in e2e["detail"]
    out = run(example, "gates", f"./{PRP_READY}")
    assert out.stdout.splitlines()[0] == f"{PRP_READY}: Deploy: blocked — 2 e2e failures"
    assert re.search(r"\s{2}FAIL\s{2}", matrix_row(out.stdout, "e2e tests"))


def test_gates_stale_evidence_blocks(example: Path):
    """The PRP changed after the unit test run: that run does not prove the current state."""
    now = time.time()
    os.utime(example / PRP_READY, (now - 300, now - 300))
    os.utime(example / "reports/junit.xml", (now - 900, now - 900))
    for other in ("reports/e2e.xml", "reports/integration.xml", "reports/coverage.xml",
                  "reports/security.sarif", "benchmarks/api.json"):
        os.utime(example / other, (now - 60, now - 60))
    code, report = gates_json(example, f"./{PRP_READY}")
    assert code == 1
    prp = report["prps"][0]
    assert prp["ready"] is False
    gates = by_gate(prp)
    assert (gates["unit-tests"]["verdict"], gates["unit-tests"]["stale"]) == ("pass", True)
    assert gates["unit-tests"]["reason"] == "unit tests stale"
    assert [g for g, r in gates.items() if r["stale"]] == ["unit-tests"]
    out = run(example, "gates", f"./{PRP_READY}")
    assert out.returncode == 1
    assert out.stdout.splitlines()[0] == f"{PRP_READY}: Deploy: blocked — unit tests stale"
    assert re.search(r"\s{2}pass \(stale\)\s{2}", matrix_row(out.stdout, "unit tests"))


# --- agents -----------------------------------------------------------------------------


def test_agents_table_with_alerts(example: Path):
    out = run(example, "agents")
    assert out.returncode == 0, out.stderr
    table, _, after = out.stdout.partition("\n\n")
    lines = table.splitlines()
    assert re.match(r"agent\s+state\s+open\s+errors\s+health\s+last report\s+current task$", lines[0])
    rows = {line.split()[0]: line for line in lines[1:] if not line.startswith(" ")}
    assert sorted(rows) == ["backend", "database", "frontend", "integration"]
    assert re.match(r"frontend\s+stuck\s+3\s+3\.1%\s+58\s+2 h 5 min ago\s+PRP-002 Task 2: Widget grid$", rows["frontend"]), rows["frontend"]
    assert re.match(r"integration\s+busy\s+1\s+12\.0%\s+71\s", rows["integration"])
    assert re.match(r"backend\s+busy\s+4\s+2\.0%\s+96\s", rows["backend"])
    alerts = [line.strip() for line in lines if line.startswith("  ! ")]
    assert len(alerts) == 2, alerts
    stuck = lines[lines.index(rows["frontend"]) + 1]
    assert stuck.startswith(
        "  ! agent-stuck: agent `frontend` reports itself stuck on PRP-002 Task 2: Widget grid"
    )
    error_rate = lines[lines.index(rows["integration"]) + 1]
    assert error_rate.startswith(
        "  ! agent-error-rate: agent `integration` has an error rate of 12% (3 of 25 tasks failed)"
    )
    assert "10% error threshold" in error_rate
    # Below the table, the PRPs that keep failing to deploy: PRP-002, rolled back twice.
    below = after.splitlines()
    assert below[0] == "PRPs failing to deploy:", after
    assert below[1].startswith(
        "  ! PRPs/active/PRP-002-dashboard-widgets.md: deployment-failures: 2 rolled-back deployment(s)"
    ), after
    assert len(below) == 2, after


def test_agents_json(example: Path):
    out = run(example, "agents", "--json")
    assert out.returncode == 0, out.stderr
    agents = {a["id"]: a for a in json.loads(out.stdout)}
    assert sorted(agents) == ["backend", "database", "frontend", "integration"]
    frontend = agents["frontend"]
    assert frontend["state"] == "stuck"
    assert frontend["current_task"] == "PRP-002 Task 2: Widget grid"
    assert frontend["open_tasks"] == 3
    assert frontend["health"] == 58
    assert abs(frontend["error_rate"] - 1 / 32) < 1e-9
    assert [a["code"] for a in frontend["alerts"]] == ["agent-stuck"]
    assert [a["code"] for a in agents["integration"]["alerts"]] == ["agent-error-rate"]
    assert agents["integration"]["error_rate"] == 0.12
    assert agents["backend"]["alerts"] == [] and agents["database"]["alerts"] == []
    assert isinstance(frontend["last_report"], int)
    assert abs(frontend["last_report"] - (time.time() - 2 * 3600 - 300)) < 60


def test_agents_with_the_orchestrator_configuration(example: Path):
    """The orchestrator's agent list adds max_concurrent: backend has more open tasks."""
    (example / "prp-lsp.toml").write_text(ORCHESTRATOR_TOML, encoding="utf-8")
    (example / "orchestrator.json").write_text(
        ORCHESTRATOR_JSON.replace('"max_concurrent": 3, "context_file": "agent_contexts/backend',
                                  '"max_concurrent": 2, "context_file": "agent_contexts/backend'),
        encoding="utf-8",
    )
    out = run(example, "agents", "--json")
    assert out.returncode == 0, out.stderr
    agents = {a["id"]: a for a in json.loads(out.stdout)}
    backend = agents["backend"]
    assert (backend["open_tasks"], backend["max_concurrent"]) == (4, 2)
    [alert] = backend["alerts"]
    assert alert["code"] == "agent-overloaded"
    assert "4 open tasks across the workspace, more than its max_concurrent of 2 in orchestrator.json" in alert["message"]
    table = run(example, "agents").stdout
    assert re.search(r"^backend\s+busy\s+4/2\s", table, re.M), table


def test_agents_names_a_status_file_it_cannot_read(example: Path):
    """A malformed status file: the agent shows no report, and the file and the parse error
    are named (as the editor's invalid-artifact finding does); the exit status says so."""
    (example / STATUS / "frontend.json").write_text('{"id": "frontend", "state": ', "utf-8")
    out = run(example, "agents")
    assert out.returncode == 1, out
    table = out.stdout.partition("\n\n")[0]
    rows = {line.split()[0]: line for line in table.splitlines()[1:] if not line.startswith(" ")}
    assert re.match(r"frontend\s+-\s+3\s+-\s+-\s+never", rows["frontend"]), rows["frontend"]
    assert (
        f"{STATUS}/frontend.json: error[invalid-artifact]: agent status file: not valid JSON"
        in out.stderr
    ), out.stderr


def test_last_report_comes_from_the_report_not_the_file(example: Path):
    """A checkout makes every status file new; the report's own time is what counts."""
    path = example / STATUS / "frontend.json"
    report = json.loads(path.read_text(encoding="utf-8"))
    # No `reported_at`: the last activity, three days ago, is the newest time it states.
    report.pop("reported_at", None)
    report["last_activity"] = rfc3339(3 * 86400)
    report["task_started_at"] = rfc3339(4 * 86400)
    path.write_text(json.dumps(report), encoding="utf-8")  # modified just now
    out = run(example, "agents", "--json")
    frontend = {a["id"]: a for a in json.loads(out.stdout)}["frontend"]
    assert abs(frontend["last_report"] - (time.time() - 3 * 86400)) < 60

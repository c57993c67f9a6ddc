"""`prp-lsp check`: the sample workspace reports exactly what examples/workspace/EXPECTED.md
lists, in every output format, with the documented exit codes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from helpers import BIN, EXAMPLE, EXPECTED, MINI, big_prp

def test_expected_table_parsed():
    # Guard against a parser that silently reads nothing.
    assert len(EXPECTED) >= 18
    assert ("TASK.md", 72, "stale-prp-path") in EXPECTED
    assert len(set(EXPECTED)) == len(EXPECTED)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "workspace"
    shutil.copytree(EXAMPLE, root)
    return root


def check(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BIN, "check", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=cwd,
    )


def test_json_reports_exactly_the_expected_findings(example: Path):
    out = check(example, "--format", "json")
    assert out.returncode == 1, out.stderr  # there are error-severity findings
    report = json.loads(out.stdout)
    found = [
        (f["path"], d["range"]["start"]["line"] + 1, d["code"])
        for f in report["files"]
        for d in f["diagnostics"]
    ]
    assert len(found) == len(set(found)), "a finding is reported twice"
    missing = sorted(set(EXPECTED) - set(found))
    extra = sorted(set(found) - set(EXPECTED))
    assert (missing, extra) == ([], []), f"missing: {missing}\nunexpected: {extra}"
    summary = report["summary"]
    total = summary["errors"] + summary["warnings"] + summary["information"] + summary["hints"]
    assert total == len(EXPECTED)
    assert summary["errors"] >= 1


def test_json_severities_match_exit_code(example: Path):
    report = json.loads(check(example, "--format", "json").stdout)
    errors = [d for f in report["files"] for d in f["diagnostics"] if d["severity"] == 1]
    # agent-error-rate is an error above the 10% threshold (integration reports 12%).
    assert {d["code"] for d in errors} == {
        "duplicate-prp-number",
        "unclosed-fence",
        "agent-error-rate",
    }
    # `template-placeholder` is configured as a warning in the workspace's prp-lsp.toml.
    placeholder = [
        d for f in report["files"] for d in f["diagnostics"] if d["code"] == "template-placeholder"
    ]
    assert [d["severity"] for d in placeholder] == [2]


SARIF_SCHEMA = json.loads((Path(__file__).parent / "schemas/sarif-2.1.0.json").read_text(encoding="utf-8"))
"""The official SARIF 2.1.0 JSON Schema (OASIS, rtm.5), pinned: see schemas/README.md."""


def assert_valid_sarif(sarif: dict) -> None:
    """Valid against the SARIF 2.1.0 schema, every error listed (code scanning rejects an
    upload that is not)."""
    validator = jsonschema.Draft4Validator(SARIF_SCHEMA)
    errors = sorted(validator.iter_errors(sarif), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors[:20]
    )


def test_the_sarif_validator_catches_invalid_sarif():
    """The validation above can fail: a result without a message, a level SARIF lacks."""
    broken = {
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "a", "level": "fatal"}]}],
    }
    with pytest.raises(AssertionError) as failed:
        assert_valid_sarif(broken)
    assert "message" in str(failed.value) and "fatal" in str(failed.value), failed.value


@pytest.mark.parametrize("workspace", ["example", "mini"])
def test_sarif_validates_against_the_sarif_2_1_0_schema(example: Path, tmp_path: Path, workspace: str):
    root = example
    if workspace == "mini":
        root = tmp_path / "mini"
        shutil.copytree(MINI, root)
    out = check(root, "--format", "sarif")
    assert out.returncode in (0, 1), out.stderr
    assert_valid_sarif(json.loads(out.stdout))


def test_gitlab_code_quality_report(example: Path):
    """GitLab's Code Quality format: one issue per finding, where EXPECTED.md says, with a
    fingerprint unique per issue and the same on the next run."""
    out = check(example, "--format", "gitlab")
    assert out.returncode == 1, out.stderr
    issues = json.loads(out.stdout)
    assert isinstance(issues, list)
    found = sorted((i["location"]["path"], i["location"]["lines"]["begin"], i["check_name"]) for i in issues)
    assert found == sorted(EXPECTED)
    assert {i["severity"] for i in issues} <= {"info", "minor", "major"}
    assert all(i["description"] for i in issues)
    prints = [i["fingerprint"] for i in issues]
    assert len(set(prints)) == len(prints)
    again = json.loads(check(example, "--format", "gitlab").stdout)
    assert [i["fingerprint"] for i in again] == prints
    # A clean workspace: an empty report, exit 0.
    clean = example / "clean"
    clean.mkdir()
    (clean / "notes.md").write_text("# Notes\n")
    out = check(clean, "--format", "gitlab")
    assert (out.returncode, json.loads(out.stdout)) == (0, []), out.stdout


def test_sarif_is_valid_2_1_0_with_the_expected_results(example: Path):
    out = check(example, "--format", "sarif")
    assert out.returncode == 1, out.stderr
    sarif = json.loads(out.stdout)
    assert_valid_sarif(sarif)
    assert sarif["version"] == "2.1.0"
    assert "sarif" in sarif["$schema"] and "2.1.0" in sarif["$schema"]
    assert len(sarif["runs"]) == 1
    run = sarif["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "prp-lsp"
    rule_ids = {r["id"] for r in driver["rules"]}
    results = run["results"]
    found = []
    for r in results:
        assert r["ruleId"] in rule_ids
        assert r["level"] in ("error", "warning", "note")
        assert r["message"]["text"]
        location = r["locations"][0]["physicalLocation"]
        region = location["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"])
        found.append((location["artifactLocation"]["uri"], region["startLine"], r["ruleId"]))
    assert sorted(found) == sorted(EXPECTED)


def test_sarif_rules_link_their_pages_when_rules_url_is_set(example: Path):
    out = check(example, "--format", "sarif")
    driver = json.loads(out.stdout)["runs"][0]["tool"]["driver"]
    assert all("helpUri" not in r for r in driver["rules"]), "no page without [docs] rules-url"
    toml = example / "prp-lsp.toml"
    toml.write_text(toml.read_text() + '\n[docs]\nrules-url = "https://docs.example.com/rules/"\n')
    out = check(example, "--format", "sarif")
    driver = json.loads(out.stdout)["runs"][0]["tool"]["driver"]
    pages = {r["id"]: r.get("helpUri") for r in driver["rules"]}
    assert pages["missing-section"] == "https://docs.example.com/rules/missing-section.md", pages
    assert all(url and url.endswith(f"/{code}.md") for code, url in pages.items()), pages


GITHUB_LINE = re.compile(
    r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),endLine=(\d+),"
    r"endColumn=(\d+),title=prp-lsp ([a-z-]+)::(.+)$"
)


def test_github_annotations(example: Path):
    out = check(example, "--format", "github")
    assert out.returncode == 1, out.stderr
    lines = out.stdout.splitlines()
    found = []
    for line in lines:
        m = GITHUB_LINE.match(line)
        assert m, f"not a workflow command: {line!r}"
        found.append((m.group(2), int(m.group(3)), m.group(7), m.group(1)))
    assert sorted((f, l, c) for f, l, c, _ in found) == sorted(EXPECTED)
    errors = {(f, c) for f, _, c, kind in found if kind == "error"}
    assert ("PRPs/active/03_sync_calendar.md", "duplicate-prp-number") in errors
    assert any(line.startswith("::error file=") for line in lines)
    assert any(line.startswith("::warning file=") for line in lines)


def test_human_format_summary(example: Path):
    out = check(example)
    assert out.returncode == 1
    assert f"{len(EXPECTED)} finding(s)" in out.stdout.splitlines()[-1]
    assert "TASK.md:72:" in out.stdout


def test_formats_agree_on_a_workspace_larger_than_one_batch(tmp_path: Path):
    """More documents than a check analyses at a time (2048), so the report is written in
    several pieces: JSON and SARIF still parse, files come in path order, and every format
    counts the same findings."""
    root = tmp_path / "many"
    active = root / "PRPs" / "active"
    active.mkdir(parents=True)
    count = 2100
    for n in range(count):
        (active / f"{n:04d}_doc.md").write_text(
            f"# PRP-{n}: Doc\n\n**Status**: In Progress\n\n## Goal\n\nMODIFY src/x{n:04d}.rs\n",
            encoding="utf-8",
        )

    out = check(root, "--format", "json")
    assert out.returncode == 0, out.stderr[-500:]
    report = json.loads(out.stdout)
    paths = [f["path"] for f in report["files"]]
    assert paths == sorted(paths) and len(paths) == count
    found = sorted(
        (f["path"], d["range"]["start"]["line"] + 1, d["code"])
        for f in report["files"]
        for d in f["diagnostics"]
    )
    assert ("PRPs/active/0000_doc.md", 7, "unresolved-reference") in found
    assert ("PRPs/active/2099_doc.md", 7, "unresolved-reference") in found
    summary = report["summary"]
    assert summary["documents"] == count
    assert sum(summary[k] for k in ("errors", "warnings", "information", "hints")) == len(found)

    out = check(root, "--format", "sarif")
    assert out.returncode == 0, out.stderr[-500:]
    results = json.loads(out.stdout)["runs"][0]["results"]
    sarif_found = sorted(
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["ruleId"],
        )
        for r in results
    )
    assert sarif_found == found

    human = check(root).stdout.splitlines()
    assert len(human) == len(found) + 1
    assert human[-1].startswith(f"checked {count} document(s): {len(found)} finding(s) (")
    assert len(check(root, "--format", "github").stdout.splitlines()) == len(found)


def test_single_file_argument(example: Path):
    out = check(example / "TASK.md", "--format", "json")
    report = json.loads(out.stdout)
    found = {
        (f["path"], d["range"]["start"]["line"] + 1, d["code"])
        for f in report["files"]
        for d in f["diagnostics"]
    }
    assert found == {t for t in EXPECTED if t[0] == "TASK.md"}
    # The only error on TASK.md: integration's error rate is above 10%.
    errors = [d["code"] for f in report["files"] for d in f["diagnostics"] if d["severity"] == 1]
    assert errors == ["agent-error-rate"]
    assert out.returncode == 1


def test_files_given_relative_are_named_relative(example: Path):
    """A pre-commit hook passes the staged files relative to the repository: the report
    names them the same way, not by their absolute paths."""
    files = ["TASK.md", "PRPs/active/PRP_07_password_reset.md"]
    out = check(*files, "--format", "json", cwd=example)
    paths = {f["path"] for f in json.loads(out.stdout)["files"]}
    assert paths == set(files), paths
    # From a folder inside the workspace, relative to that folder.
    out = check("PRP_07_password_reset.md", "../../TASK.md", "--format", "json",
                cwd=example / "PRPs" / "active")
    paths = {f["path"] for f in json.loads(out.stdout)["files"]}
    assert paths == {"../../PRPs/active/PRP_07_password_reset.md", "../../TASK.md"}, paths
    # Given absolute, they stay absolute.
    out = check(*(example / f for f in files), "--format", "json")
    paths = {f["path"] for f in json.loads(out.stdout)["files"]}
    assert paths == {str(example.resolve() / f) for f in files}, paths


def test_clean_workspace_exits_zero(tmp_path: Path):
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    out = check(root, "--format", "json")
    assert out.returncode == 0, out.stdout
    report = json.loads(out.stdout)
    assert all(f["diagnostics"] == [] for f in report["files"])
    # Default path: the current directory.
    out = check(cwd=root)
    assert out.returncode == 0
    assert "0 finding(s)" in out.stdout


def test_nonexistent_path_exits_2(tmp_path: Path):
    missing = tmp_path / "does" / "not" / "exist"
    out = check(missing, "--format", "json")
    assert out.returncode == 2
    assert str(missing) in out.stderr
    assert out.stdout == ""


def test_unknown_format_is_a_usage_error(example: Path):
    out = check(example, "--format", "xml")
    assert out.returncode == 2
    assert "xml" in out.stderr


def test_emoji_line_does_not_abort_the_check(example: Path):
    (example / "PRPs/active/10_rocket.md").write_text(
        "# PRP-10: Rocket\n\n🚀🚀 Ship it\n\n**Status**: Ready\n", encoding="utf-8"
    )
    out = check(example, "--format", "json")
    assert out.returncode == 1, out.stderr[-500:]
    report = json.loads(out.stdout)
    found = {
        (f["path"], d["range"]["start"]["line"] + 1, d["code"])
        for f in report["files"]
        for d in f["diagnostics"]
    }
    assert set(EXPECTED) <= found


def codes_of(report: dict, rel: str) -> list[str]:
    (entry,) = [f for f in report["files"] if f["path"] == rel]
    return [d["code"] for d in entry["diagnostics"]]


def test_a_document_above_the_size_limit_gets_its_structure_checked_only(tmp_path: Path):
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    rel = big_prp(root, limit=2000)
    report = json.loads(check(root, "--format", "json").stdout)
    codes = codes_of(report, rel)
    assert codes.count("large-document") == 1, codes
    assert "unresolved-reference" not in codes, codes
    (finding,) = [
        d for f in report["files"] if f["path"] == rel for d in f["diagnostics"]
        if d["code"] == "large-document"
    ]
    assert "2 KB limit" in finding["message"] and "document-size" in finding["message"], finding
    # Under the default limit the same document is checked in full.
    root2 = tmp_path / "mini2"
    shutil.copytree(MINI, root2)
    rel = big_prp(root2, limit=None)
    codes = codes_of(json.loads(check(root2, "--format", "json").stdout), rel)
    assert "large-document" not in codes and "unresolved-reference" in codes, codes


def test_rule_levels_apply_to_the_encoding_finding(tmp_path: Path):
    """`invalid-encoding` is found outside the rules' pass; `[rules]` still sets its level."""
    root = tmp_path / "ws"
    (root / "PRPs" / "active").mkdir(parents=True)
    prp = "# PRP-01: Caf\xe9\n\n## Goal\nShip it.\n\n## Why\nUsers.\n\n## What\nA page.\n"
    (root / "PRPs" / "active" / "01_cafe.md").write_bytes(prp.encode("latin-1"))

    def encoding_findings() -> list[int]:
        """LSP severities: 1 error, 2 warning."""
        report = json.loads(check(root, "--format", "json").stdout)
        return [d["severity"] for f in report["files"] for d in f["diagnostics"]
                if d["code"] == "invalid-encoding"]

    assert encoding_findings() == [1]
    (root / "prp-lsp.toml").write_text('[rules]\ninvalid-encoding = "warning"\n')
    assert encoding_findings() == [2]
    (root / "prp-lsp.toml").write_text('[rules]\ninvalid-encoding = "off"\n')
    assert encoding_findings() == []


def test_deployment_failures_and_coverage_drop_alerts(tmp_path: Path):
    """The orchestrator's last two alerts, from a deployment record and a coverage report;
    a line of the record that cannot be read is named, and the other lines still count."""
    import datetime

    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    now = datetime.datetime.now(datetime.timezone.utc)
    day = datetime.timedelta(days=1)
    stamp = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    (root / "deployments.jsonl").write_text(
        "\n".join(
            [
                json.dumps({"prp": "PRP-01", "at": stamp(now - 3 * day), "result": "failed"}),
                "{not json",
                json.dumps(
                    {"prp": "01_user_login.md", "at": stamp(now - day), "result": "rolled_back",
                     "environment": "production"}
                ),
                # Older than the window, and settled by the success after it.
                json.dumps({"prp": "PRP-01", "at": stamp(now - 90 * day), "result": "failed"}),
                json.dumps({"prp": "PRP-01", "at": stamp(now - 60 * day), "result": "succeeded"}),
            ]
        )
        + "\n"
    )
    login = root / "PRPs/active/01_user_login.md"
    login.write_text(login.read_text() + "\n## Pre-Deployment Checklist\n\n- [ ] Code coverage ≥ 90%\n")
    (root / "coverage").mkdir()
    (root / "coverage/lcov.info").write_text(
        "TN:\nSF:backend/app/main.py\n"
        + "".join(f"DA:{i},{1 if i <= 6 else 0}\n" for i in range(1, 11))
        + "LF:10\nLH:6\nend_of_record\n"
    )
    out = check(root, "--format", "json")
    assert out.returncode == 1, out.stderr
    report = json.loads(out.stdout)
    found = {
        (f["path"], d["code"], d["severity"]): d["message"]
        for f in report["files"]
        for d in f["diagnostics"]
    }
    rel = "PRPs/active/01_user_login.md"
    failures = found[(rel, "deployment-failures", 2)]
    assert "2 failed or rolled-back deployments" in failures and "line 3" in failures, failures
    drop = found[(rel, "coverage-drop", 1)]
    assert "60%" in drop and "85%" in drop, drop
    bad_line = found[("deployments.jsonl", "invalid-artifact", 1)]
    assert "line 2" in bad_line, bad_line
    # `gates` shows the alert apart from the coverage gate.
    gates = subprocess.run(
        [BIN, "gates", "--workspace", str(root)], capture_output=True, text=True, timeout=30
    )
    assert f"{rel}: alert coverage-drop: coverage dropped to 60%" in gates.stdout, gates.stdout
    gates_json = subprocess.run(
        [BIN, "gates", "--workspace", str(root), "--format", "json"],
        capture_output=True, text=True, timeout=30,
    )
    alerts = json.loads(gates_json.stdout)["alerts"]
    assert [(a["prp"], a["code"]) for a in alerts] == [(rel, "coverage-drop")], alerts
    metrics = subprocess.run(
        [BIN, "metrics", "--workspace", str(root), "--format", "json"],
        capture_output=True, text=True, timeout=30,
    )
    assert json.loads(metrics.stdout)["alerts"] == [
        f"{rel}: deployment-failures: 2 failed or rolled-back deployments (1 rolled back) in the last 30 days (alert at 2)"
    ], metrics.stdout
    # Thresholds from prp-lsp.toml: three failures needed, coverage may drop to 50%.
    toml = root / "prp-lsp.toml"
    toml.write_text(toml.read_text() + "\n[status]\ndeployment-failures = 3\ncoverage-drop = 0.5\n")
    codes = {d["code"] for f in json.loads(check(root, "--format", "json").stdout)["files"]
             for d in f["diagnostics"]}
    assert "deployment-failures" not in codes and "coverage-drop" not in codes, codes


def test_metrics_reports_each_figure_with_its_window_or_why_it_is_missing(tmp_path: Path):
    import datetime

    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    now = datetime.datetime.now(datetime.timezone.utc)
    stamp = lambda days: (now - datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    (root / "deployments.jsonl").write_text(
        json.dumps({"prp": "PRP-01", "at": stamp(5), "result": "rolled_back", "bugs": 3}) + "\n"
        + json.dumps({"prp": "PRP-01", "at": stamp(4), "result": "succeeded", "bugs": 1}) + "\n"
        + json.dumps({"prp": "PRP-01", "at": stamp(60), "result": "failed"}) + "\n"
    )
    run = lambda *args: subprocess.run(  # noqa: E731
        [BIN, "metrics", "--workspace", str(root), *args], capture_output=True, text=True, timeout=30
    )
    out = run("--format", "json")
    assert out.returncode == 0, out.stderr
    m = json.loads(out.stdout)
    assert m["until"] - m["since"] == 30 * 86_400
    team = m["team"]
    assert team["rollback_rate"]["value"] == 0.5, team["rollback_rate"]
    assert team["bugs_per_deployment"]["value"] == 2.0, team["bugs_per_deployment"]
    # No data is "—" with the reason, never 0.
    assert team["coverage_now"]["value"] is None and team["coverage_now"]["note"]
    assert team["utilization"]["value"] is None
    # A 90-day window reaches the old failure too.
    wide = json.loads(run("--format", "json", "--since", "90d").stdout)["team"]
    assert wide["rollback_rate"]["value"] == 1 / 3
    human = run().stdout
    assert re.search(r"^rollback rate\s+50%\s+1 of 2 deployment", human, re.M), human
    assert "Success targets missed:\n- rollback rate 50% (target < 5%)" in human, human
    bad = run("--since", "someday")
    assert bad.returncode == 2 and "--since" in bad.stderr


def test_metrics_of_the_example_workspace(example: Path):
    """examples/workspace carries a deployment record (with the coverage each deployment
    shipped with), due dates (Timeline sections) and status reports with utilization:
    every figure has data, and the deployment-failures alert fires."""
    out = subprocess.run(
        [BIN, "metrics", "--workspace", str(example), "--since", "2026-10-01", "--format", "json"],
        capture_output=True, text=True, timeout=30,
    )
    assert out.returncode == 0, out.stderr
    m = json.loads(out.stdout)
    team = m["team"]
    # The audit log rolled back once, the dashboard widgets twice, of six deployments;
    # 5 bugs over 6.
    assert (team["rollback_rate"]["value"], team["rollback_rate"]["note"]) == (0.5, "3 of 6 deployment(s)")
    assert round(team["bugs_per_deployment"]["value"], 3) == round(5 / 6, 3)
    # Health check and profile page on time, audit log two days late (due 2026-10-31).
    assert team["on_time_delivery"]["note"] == "2 of 3 finished PRP(s) with a due date"
    assert team["velocity"]["note"].startswith("3 PRP(s) finished")
    agents = {a["agent"]: a for a in m["agents"]}
    assert agents["backend"]["utilization"]["value"] == 0.82
    assert agents["database"]["utilization"]["value"] == 0.625
    # Now: reports/coverage.xml; at its lowest: the first dashboard rollback shipped 79.8%.
    assert team["coverage_now"]["value"] == 0.931
    assert team["coverage_now"]["note"] == "lowest report: reports/coverage.xml"
    assert team["coverage_lowest"]["value"] == 0.798
    assert team["coverage_lowest"]["note"] == "the deployment of PRP-002 on 2026-11-24 (rolled back)"
    for figure in [*team.values(), *(f for a in agents.values() for f in (a["efficiency"],))]:
        assert figure["note"], figure
    # Two rollbacks of the dashboard widgets and nothing deployed since: the alert stays
    # until a deployment succeeds, whatever the date.
    assert len(m["alerts"]) == 1, m["alerts"]
    assert m["alerts"][0].startswith(
        "PRPs/active/PRP-002-dashboard-widgets.md: deployment-failures: 2 rolled-back deployment(s)"
    ), m["alerts"]
    assert "rollback rate 50% (target < 5%)" in m["misses"]

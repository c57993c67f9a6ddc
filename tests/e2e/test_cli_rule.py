"""`prp-lsp rule`: every code a finding can carry has a page the binary prints, the same page
docs/rules/ holds."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from helpers import BIN, EXAMPLE

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"


def rule(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BIN, "rule", *args], capture_output=True, text=True, timeout=30)


def test_a_rule_prints_its_page():
    out = rule("missing-section")
    assert out.returncode == 0, out.stderr
    page = out.stdout
    assert page.startswith("# `missing-section`\n")
    for heading in ("## What it finds", "## Why it matters", "## Example", "## How to fix", "## Options"):
        assert heading in page, heading
    assert "Default severity: **warning**" in page
    assert page == (DOCS / "missing-section.md").read_text(encoding="utf-8")


def test_every_code_the_checker_reports_has_a_page(tmp_path: Path):
    listed = rule("--all")
    assert listed.returncode == 0, listed.stderr
    codes = [line.split()[0] for line in listed.stdout.splitlines()]
    assert len(codes) == len(set(codes)) >= 39
    report = subprocess.run([BIN, "check", str(EXAMPLE), "--format", "json"],
                            capture_output=True, text=True, timeout=30)
    reported = {d["code"] for f in json.loads(report.stdout)["files"] for d in f["diagnostics"]}
    assert reported and reported <= set(codes), reported - set(codes)
    for code in codes:
        assert (DOCS / f"{code}.md").is_file(), code


def test_an_unknown_code_is_a_usage_error_with_suggestions():
    out = rule("missing-sections")
    assert out.returncode == 2
    assert "`missing-sections` is not a rule code" in out.stderr
    assert "missing-section" in out.stderr
    out = rule("zzz")
    assert out.returncode == 2 and "--all" in out.stderr

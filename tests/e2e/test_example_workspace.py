"""The language server agrees with the CLI and EXPECTED.md on the sample workspace."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from pytest_lsp import LanguageClient

from helpers import BIN, EXPECTED, pull_workspace, wait_published


def relative(root, uri: str) -> str:
    prefix = root.as_uri() + "/"
    assert uri.startswith(prefix), uri
    return uri[len(prefix) :]


@pytest.mark.workspace("example")
async def test_workspace_diagnostics_match_expected(vscode: LanguageClient):
    report = await pull_workspace(vscode)
    found = [
        (relative(vscode.root, uri), d.range.start.line + 1, str(d.code))
        for uri, items in report.items()
        for d in items
    ]
    assert len(found) == len(set(found))
    missing = sorted(set(EXPECTED) - set(found))
    extra = sorted(set(found) - set(EXPECTED))
    assert (missing, extra) == ([], []), f"missing: {missing}\nunexpected: {extra}"


@pytest.mark.workspace("example")
async def test_pushed_diagnostics_match_expected(nvim: LanguageClient):
    """A push client gets every document's findings after indexing, in UTF-8 columns (the
    lines are what matter here)."""
    expected_files = {path for path, _, _ in EXPECTED}
    for path in expected_files:
        await wait_published(nvim, (nvim.root / path).as_uri(), what=f"diagnostics of {path}")
    latest = {}
    for p in nvim.published:
        latest[p.uri] = p.diagnostics
    found = {
        (relative(nvim.root, uri), d.range.start.line + 1, str(d.code))
        for uri, items in latest.items()
        for d in items
    }
    assert found == set(EXPECTED)


def without_ages(message: str) -> str:
    """Evidence ages ("3 min old") move with the clock between the two runs."""
    return re.sub(r"\d+ (s|min|h|d) old", "<age> old", message)


@pytest.mark.workspace("example")
async def test_check_and_the_editor_report_the_same_findings(vscode: LanguageClient):
    """What CI sees (`prp-lsp check`) is what the editor shows: same files, lines, columns,
    codes, severities and messages, gate and agent findings included."""
    out = subprocess.run(
        [BIN, "check", str(vscode.root), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    cli = {
        (
            f["path"],
            d["range"]["start"]["line"],
            d["range"]["start"]["character"],
            d["code"],
            d["severity"],
            without_ages(d["message"]),
        )
        for f in json.loads(out.stdout)["files"]
        for d in f["diagnostics"]
    }
    report = await pull_workspace(vscode)
    editor = {
        (
            relative(vscode.root, uri),
            d.range.start.line,
            d.range.start.character,
            str(d.code),
            int(d.severity),
            without_ages(d.message),
        )
        for uri, items in report.items()
        for d in items
    }
    assert len(cli) >= len(EXPECTED)
    assert {c[3] for c in cli} >= {"gate-no-evidence", "agent-stuck", "agent-error-rate"}
    assert (sorted(cli - editor), sorted(editor - cli)) == ([], [])

"""The language server agrees with the CLI and EXPECTED.md on the sample workspace."""

from __future__ import annotations

import pytest
from pytest_lsp import LanguageClient

from helpers import EXPECTED, pull_workspace, wait_published


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

"""Findings that depend on other files: duplicate numbers, PRPs moved on disk, referenced
files appearing, as seen through `workspace/diagnostic` and watched-file events."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from helpers import (
    codes,
    open_doc,
    pull,
    pull_until,
    pull_workspace,
    wait_until,
    watched,
)

DUPLICATE = """# PRP-01: Password Rules

**Status**: Draft

## Goal

Passwords of at least 12 characters.

## Why

Short passwords get guessed.

## What

A length check on sign-up.

## Success Criteria

- [ ] Short passwords are refused

## All Needed Context

- file: backend/app/main.py

## Implementation Blueprint

One validator.

## Validation Loop

```bash
pytest backend -k password
```
"""

SESSIONS = DUPLICATE.replace("# PRP-01: Password Rules", "# PRP-03: Sessions").replace(
    "- file: backend/app/main.py", "- file: backend/app/sessions.py"
)


def by_code(diagnostics, code: str) -> list[types.Diagnostic]:
    return [d for d in diagnostics if str(d.code) == code]


@pytest.mark.files({"PRPs/planning/01_password_rules.md": DUPLICATE})
async def test_duplicate_numbers_reported_on_both_files(vscode: LanguageClient):
    report = await pull_workspace(vscode)
    active = (vscode.root / "PRPs/active/01_user_login.md").as_uri()
    planning = (vscode.root / "PRPs/planning/01_password_rules.md").as_uri()
    a = by_code(report[active], "duplicate-prp-number")
    b = by_code(report[planning], "duplicate-prp-number")
    assert len(a) == 1 and len(b) == 1, (codes(report[active]), codes(report[planning]))
    # Each names the other file.
    assert "PRPs/planning/01_password_rules.md" in a[0].message
    assert "PRPs/active/01_user_login.md" in b[0].message
    assert a[0].severity == types.DiagnosticSeverity.Error
    # Nothing else in the workspace is wrong.
    others = {u: codes(d) for u, d in report.items() if d and u not in (active, planning)}
    assert others == {}


@pytest.mark.files({"PRPs/planning/01_password_rules.md": DUPLICATE})
async def test_duplicate_number_goes_away_when_the_duplicate_is_deleted(vscode: LanguageClient):
    planning = vscode.root / "PRPs/planning/01_password_rules.md"
    active = (vscode.root / "PRPs/active/01_user_login.md").as_uri()
    assert by_code((await pull_workspace(vscode))[active], "duplicate-prp-number")
    # The user deletes the duplicate: the active PRP is clean again.
    planning.unlink()
    watched(vscode, (planning, types.FileChangeType.Deleted))
    await pull_until(
        vscode, active, lambda ds: not by_code(ds, "duplicate-prp-number"), "duplicate gone"
    )
    report = await pull_workspace(vscode)
    assert planning.as_uri() not in report
    assert by_code(report[active], "duplicate-prp-number") == []


async def test_moved_prp_makes_task_board_path_stale(vscode: LanguageClient):
    old = vscode.root / "PRPs/active/01_user_login.md"
    new = vscode.root / "PRPs/archive/01_user_login.md"
    board = (vscode.root / "TASK.md").as_uri()
    assert await pull(vscode, board) == []
    refreshes = vscode.diagnostic_refresh_count

    old.rename(new)
    watched(
        vscode,
        (old, types.FileChangeType.Deleted),
        (new, types.FileChangeType.Created),
    )
    # A VS Code-like client re-pulls when asked to: the server must ask.
    await wait_until(
        lambda: vscode.diagnostic_refresh_count > refreshes, "workspace/diagnostic/refresh"
    )
    items = await pull(vscode, board)
    stale = by_code(items, "stale-prp-path")
    assert len(stale) == 1, codes(items)
    assert "PRPs/archive/01_user_login.md" in stale[0].message
    text = (vscode.root / "TASK.md").read_text(encoding="utf-8")
    line = text.split("\n").index("  - Source: PRPs/active/01_user_login.md")
    assert stale[0].range.start == types.Position(line=line, character=len("  - Source: "))
    # The related information points at the PRP's new place.
    related = stale[0].related_information or []
    assert [r.location.uri for r in related] == [new.as_uri()]
    # The workspace report no longer lists the old path.
    report = await pull_workspace(vscode)
    assert old.as_uri() not in report
    assert new.as_uri() in report


@pytest.mark.files({"PRPs/active/03_sessions.md": SESSIONS})
async def test_creating_a_referenced_file_clears_unresolved_reference(vscode: LanguageClient):
    prp = (vscode.root / "PRPs/active/03_sessions.md").as_uri()
    assert codes(await pull(vscode, prp)) == ["unresolved-reference"]
    created = vscode.root / "backend/app/sessions.py"
    created.write_text("SESSION_DAYS = 7\n", encoding="utf-8")
    watched(vscode, (created, types.FileChangeType.Created))
    await pull_until(vscode, prp, lambda ds: ds == [], "unresolved-reference cleared")
    report = await pull_workspace(vscode)
    assert report[prp] == []


@pytest.mark.files({"PRPs/active/03_sessions.md": SESSIONS})
async def test_creating_a_referenced_file_asks_the_editor_to_refresh(vscode: LanguageClient):
    """The PRP is open in the editor; the file it names is created from a terminal. The
    editor only re-pulls when the server asks (workspace/diagnostic/refresh)."""
    path = vscode.root / "PRPs/active/03_sessions.md"
    doc = open_doc(vscode, path)
    assert codes(await pull(vscode, doc)) == ["unresolved-reference"]
    refreshes = vscode.diagnostic_refresh_count
    created = vscode.root / "backend/app/sessions.py"
    created.write_text("SESSION_DAYS = 7\n", encoding="utf-8")
    watched(vscode, (created, types.FileChangeType.Created))
    await wait_until(
        lambda: vscode.diagnostic_refresh_count > refreshes,
        "workspace/diagnostic/refresh after the file was created",
        timeout=2,
    )
    assert await pull(vscode, doc) == []


async def test_deleting_a_referenced_file_reports_it(nvim: LanguageClient):
    """Push client: the PRP naming a deleted file gets fresh diagnostics without being
    opened."""
    target = nvim.root / "docs/architecture.md"
    prp = (nvim.root / "PRPs/active/01_user_login.md").as_uri()
    after = len(nvim.published)
    target.unlink()
    watched(nvim, (target, types.FileChangeType.Deleted))

    def published():
        return next(
            (
                p
                for p in nvim.published[after:]
                if p.uri == prp and by_code(p.diagnostics, "unresolved-reference")
            ),
            None,
        )

    p = await wait_until(published, "publishDiagnostics naming the deleted file")
    assert "docs/architecture.md" in by_code(p.diagnostics, "unresolved-reference")[0].message

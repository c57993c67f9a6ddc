"""Quick fixes for the validator's findings and document actions (issue 4), applied through
the client as VS Code applies them, compared to expected files, and re-checked with pull
diagnostics: the finding is gone. The `planner` workspace: PRP-001 and PRP-003 active,
PRP-007 archived, TASK.md linking them."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from helpers import (
    Editor,
    assert_files,
    code_actions,
    code_of,
    codes,
    find,
    pull,
    pull_until,
    req,
    snapshot,
    titled,
    titles,
    today_utc,
)

pytestmark = pytest.mark.workspace("planner")

WS = Path(__file__).resolve().parent / "workspaces" / "planner"
LOGIN = "PRPs/active/PRP-001-user-login.md"
REHEARSALS = "PRPs/active/PRP-003-rehearsal-list.md"
HEALTH = "PRPs/archive/PRP-007-health-check.md"


def original(rel: str) -> str:
    return (WS / rel).read_text(encoding="utf-8")


def edited(rel: str, *pairs: tuple[str, str]) -> str:
    """A workspace file with replacements, each of which must apply."""
    text = original(rel)
    for old, new in pairs:
        assert old in text, f"{old!r} not in {rel}"
        text = text.replace(old, new)
    return text


def finding(items: list[types.Diagnostic], code: str) -> types.Diagnostic:
    found = [d for d in items if code_of(d) == code]
    assert len(found) == 1, codes(items)
    return found[0]


async def fixes_for(client, doc: str, code: str) -> tuple[types.Diagnostic, list[types.CodeAction]]:
    """The finding `code` of `doc` (pulled) and the code actions offered on it, as an editor
    asks for them: the finding's range, with the finding in the context."""
    d = finding(await pull(client, doc), code)
    start = (d.range.start.line, d.range.start.character)
    end = (d.range.end.line, d.range.end.character)
    actions = await code_actions(client, doc, start, end, diagnostics=[d])
    return d, actions


def attached(action: types.CodeAction, d: types.Diagnostic) -> None:
    """The quick fix names the finding it fixes."""
    assert action.diagnostics is not None and [code_of(x) for x in action.diagnostics] == [
        code_of(d)
    ], action.diagnostics
    assert action.diagnostics[0].range == d.range


async def gone(client, doc: str, code: str) -> None:
    await pull_until(client, doc, lambda items: code not in codes(items), f"{code} to go away")


# --- missing-section --------------------------------------------------------------------

NO_WHY = edited(REHEARSALS, ("## Why\n\nMembers miss rehearsals they cannot see.\n\n", ""))


@pytest.mark.files({REHEARSALS: NO_WHY})
async def test_missing_section_inserted_in_profile_order(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    doc = editor.open(root / REHEARSALS)
    d, actions = await fixes_for(vscode, doc, "missing-section")
    action = titled(actions, "Add section `Why`")
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.is_preferred
    attached(action, d)
    before = snapshot(root)
    editor.apply(action.edit)
    # Between Goal and What, as the base profile orders it, with a skeleton to fill.
    assert_files(root, before, "fix_missing_section")
    await gone(vscode, doc, "missing-section")


NO_WHY_NO_WHAT = edited(
    REHEARSALS,
    ("## Why\n\nMembers miss rehearsals they cannot see.\n\n", ""),
    ("## What", "## Plan"),
)


@pytest.mark.files({REHEARSALS: NO_WHY_NO_WHAT})
async def test_one_disable_action_names_every_finding_it_silences(vscode: LanguageClient):
    editor = Editor(vscode)
    doc = editor.open(vscode.root / REHEARSALS)
    missing = [d for d in await pull(vscode, doc) if code_of(d) == "missing-section"]
    assert len(missing) >= 2, codes(missing)
    line = missing[0].range.start.line
    assert all(d.range.start.line == line for d in missing)
    actions = await code_actions(vscode, doc, (line, 0), diagnostics=missing)
    # Offered once, not once per finding, and naming each finding it silences.
    disable = titled(actions, "Disable missing-section for this file")
    assert sorted(d.message for d in disable.diagnostics or []) == sorted(
        d.message for d in missing
    )
    # Each section still has its own fix.
    assert titled(actions, "Add section `Why`") and titled(actions, "Add section `What`")


# --- stale-prp-path ---------------------------------------------------------------------

STALE_BOARD = edited(
    "TASK.md", ("Source: PRPs/archive/PRP-007", "Source: PRPs/active/PRP-007")
)


@pytest.mark.files({"TASK.md": STALE_BOARD})
async def test_stale_prp_path_replaced_with_current_path(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    doc = editor.open(root / "TASK.md")
    d, actions = await fixes_for(vscode, doc, "stale-prp-path")
    action = titled(actions, "Replace with `PRPs/archive/PRP-007-health-check.md`")
    assert action.is_preferred
    attached(action, d)
    before = snapshot(root)
    editor.apply(action.edit)
    assert_files(root, before, "fix_stale_prp_path")
    # Back to the workspace as shipped.
    assert (root / "TASK.md").read_text(encoding="utf-8") == original("TASK.md")
    await gone(vscode, doc, "stale-prp-path")


@pytest.mark.files({"TASK.md": STALE_BOARD})
async def test_disable_rule_for_this_line(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    doc = editor.open(root / "TASK.md")
    d, actions = await fixes_for(vscode, doc, "stale-prp-path")
    action = titled(actions, "Disable stale-prp-path for this line")
    attached(action, d)
    # Of the fixes for this finding, the rule's own fix comes first, the suppression last.
    for_finding = [a for a in actions if a.diagnostics]
    assert titles(for_finding) == [
        "Replace with `PRPs/archive/PRP-007-health-check.md`",
        "Disable stale-prp-path for this line",
    ]
    before = snapshot(root)
    editor.apply(action.edit)
    assert_files(root, before, "fix_disable_for_line")
    await gone(vscode, doc, "stale-prp-path")


# --- open-criteria-in-finished ----------------------------------------------------------

OPEN_IN_ARCHIVE = edited(
    HEALTH, ("- [x] `GET /health` answers 200\n", "- [x] `GET /health` answers 200\n- [ ] The body names the build version\n")
)


@pytest.mark.files({HEALTH: OPEN_IN_ARCHIVE})
async def test_open_criteria_in_finished_tick(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    doc = editor.open(root / HEALTH)
    d, actions = await fixes_for(vscode, doc, "open-criteria-in-finished")
    # Separate choices, never guessed: tick, or move back to active/.
    assert {"Tick the open item", "Move the PRP back to active/"} <= set(titles(actions))
    action = titled(actions, "Tick the open item")
    attached(action, d)
    before = snapshot(root)
    editor.apply(action.edit)
    assert_files(root, before, "fix_open_criteria_tick")
    await gone(vscode, doc, "open-criteria-in-finished")


@pytest.mark.files({HEALTH: OPEN_IN_ARCHIVE})
async def test_open_criteria_in_finished_move_back_to_active(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    doc = editor.open(root / HEALTH)
    d, actions = await fixes_for(vscode, doc, "open-criteria-in-finished")
    action = titled(actions, "Move the PRP back to active/")
    renames = [o for o in action.edit.document_changes if isinstance(o, types.RenameFile)]
    assert [(r.old_uri, r.new_uri) for r in renames] == [
        (doc, (root / "PRPs/active/PRP-007-health-check.md").as_uri())
    ]
    assert renames[0].options.overwrite is False
    before = snapshot(root)
    editor.apply(action.edit)
    # Moved, and the board's Source line follows it.
    assert_files(root, before, "fix_open_criteria_move_back")
    moved = (root / "PRPs/active/PRP-007-health-check.md").as_uri()
    assert "open-criteria-in-finished" not in codes(await pull(vscode, moved))
    await gone(vscode, (root / "TASK.md").as_uri(), "stale-prp-path")
    assert "stale-prp-path" not in codes(await pull(vscode, (root / "TASK.md").as_uri()))


# --- status-mismatch --------------------------------------------------------------------

IN_PROGRESS_IN_ARCHIVE = edited(HEALTH, ("**Status**: Complete", "**Status**: In Progress"))


@pytest.mark.files({HEALTH: IN_PROGRESS_IN_ARCHIVE})
async def test_status_mismatch_set_status(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    doc = editor.open(root / HEALTH)
    d, actions = await fixes_for(vscode, doc, "status-mismatch")
    assert {"Set Status to Complete", "Move the PRP to active/"} <= set(titles(actions))
    action = titled(actions, "Set Status to Complete")
    attached(action, d)
    before = snapshot(root)
    editor.apply(action.edit)
    assert_files(root, before, "fix_status_mismatch")
    await gone(vscode, doc, "status-mismatch")


# --- duplicate-prp-number ---------------------------------------------------------------

SETLIST = """# PRP-003: Setlist Editor

**Status**: In Progress
**Created**: 2026-01-09

## Goal

Let the band leader order the songs of a rehearsal.

## Why

Rehearsals run long without a plan.

## What

A drag-and-drop setlist on the rehearsal page.

### Success Criteria

- [ ] Songs can be reordered

## All Needed Context

- file: frontend/src/App.tsx

## Implementation Blueprint

### Task 1: Setlist component

**Assigned to**: frontend

CREATE frontend/src/Setlist.tsx

## Validation Loop

```bash
npm test
```
"""

DUPLICATE_BOARD = edited(
    "TASK.md",
    (
        "- [ ] Dark mode for the settings page (added 2026-01-11)\n",
        "- [ ] Dark mode for the settings page (added 2026-01-11)\n"
        "- [ ] Setlist editor (added 2026-01-09)\n"
        "  - Source: PRPs/active/PRP-003-setlist-editor.md\n",
    ),
)


@pytest.mark.files(
    {"PRPs/active/PRP-003-setlist-editor.md": SETLIST, "TASK.md": DUPLICATE_BOARD}
)
async def test_duplicate_prp_number_renumbered(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    doc = editor.open(root / "PRPs/active/PRP-003-setlist-editor.md")
    d, actions = await fixes_for(vscode, doc, "duplicate-prp-number")
    # The next free number of the PRPs folder, archive included: 008.
    action = titled(actions, "Renumber to 008")
    attached(action, d)
    before = snapshot(root)
    editor.apply(action.edit)
    # Renamed, title renumbered, and the board's reference follows.
    assert_files(root, before, "fix_duplicate_prp_number")
    moved = (root / "PRPs/active/PRP-008-setlist-editor.md").as_uri()
    assert "duplicate-prp-number" not in codes(await pull(vscode, moved))
    await gone(vscode, (root / REHEARSALS).as_uri(), "duplicate-prp-number")
    assert "stale-prp-path" not in codes(await pull(vscode, (root / "TASK.md").as_uri()))


# --- move to archive --------------------------------------------------------------------

FINISHED_LOGIN = edited(LOGIN, ("- [ ] A wrong password returns 401", "- [x] A wrong password returns 401"))
REHEARSALS_LINKING_LOGIN = edited(
    REHEARSALS,
    (
        "- file: frontend/src/App.tsx\n",
        "- file: frontend/src/App.tsx\n- Members sign in first: [login](PRP-001-user-login.md)\n",
    ),
)


@pytest.mark.files({LOGIN: FINISHED_LOGIN, REHEARSALS: REHEARSALS_LINKING_LOGIN})
async def test_move_finished_prp_to_archive_updates_references(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    doc = editor.open(root / LOGIN)
    line, _ = find(editor.text(doc), "## Goal")
    actions = await code_actions(vscode, doc, (line, 0))
    action = titled(actions, "Move to archive")
    assert action.kind == types.CodeActionKind.RefactorRewrite
    renames = [o for o in action.edit.document_changes if isinstance(o, types.RenameFile)]
    assert [(r.old_uri, r.new_uri) for r in renames] == [
        (doc, (root / "PRPs/archive/PRP-001-user-login.md").as_uri())
    ]
    before = snapshot(root)
    editor.apply(action.edit)
    # Status set to Complete, moved, and TASK.md and PRP-003 point at the new place.
    assert_files(root, before, "move_to_archive")
    # The server learns of the rename and the edits from notifications, which carry no
    # answer to wait for: pull until they are in (under load one pull can come first).
    for rel in ("TASK.md", REHEARSALS, "PRPs/archive/PRP-001-user-login.md"):
        await pull_until(vscode, (root / rel).as_uri(), lambda items: codes(items) == [], f"{rel} clean")


async def test_no_move_to_archive_while_work_is_open(vscode: LanguageClient):
    editor = Editor(vscode)
    doc = editor.open(vscode.root / LOGIN)
    actions = await code_actions(vscode, doc, (0, 0))
    assert "Move to archive" not in titles(actions)


# --- mark done --------------------------------------------------------------------------


async def test_mark_done_writes_todays_date_in_the_board_style(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    doc = editor.open(root / "TASK.md")
    line, col = find(editor.text(doc), "Dark mode")
    action = titled(await code_actions(vscode, doc, (line, col)), "Mark done")
    before = snapshot(root)
    editor.apply(action.edit)
    assert_files(root, before, "mark_done", {"{{TODAY}}": today_utc()})
    line_text = editor.text(doc).splitlines()[line]
    assert line_text == (
        f"- [x] Dark mode for the settings page (added 2026-01-11) (completed {today_utc()})"
    )


async def test_mark_done_from_an_item_note(vscode: LanguageClient):
    editor = Editor(vscode)
    doc = editor.open(vscode.root / "TASK.md")
    line, col = find(editor.text(doc), "Events appear within a minute")
    actions = await code_actions(vscode, doc, (line, col))
    # On a nested checkbox of an item: that checkbox (the innermost item) is marked done.
    assert "Mark done" in titles(actions)


# --- fix-all ----------------------------------------------------------------------------

NO_WHY_STALE = edited(
    REHEARSALS,
    ("## Why\n\nMembers miss rehearsals they cannot see.\n\n", ""),
    ("- file: frontend/src/App.tsx\n", "- file: frontend/src/App.tsx\n- Health probe: PRPs/active/PRP-007-health-check.md\n"),
)


@pytest.mark.files({REHEARSALS: NO_WHY_STALE})
async def test_fix_all_on_request_with_only(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    doc = editor.open(root / REHEARSALS)
    assert codes(await pull(vscode, doc)) == ["missing-section", "stale-prp-path"]
    end = len(editor.text(doc).splitlines())
    actions = await code_actions(vscode, doc, (0, 0), (end, 0), only=["source.fixAll.prp-lsp"])
    assert titles(actions) == ["Fix all prp-lsp findings"]
    (action,) = actions
    assert action.kind == "source.fixAll.prp-lsp"
    # Not offered unless asked for.
    assert "Fix all prp-lsp findings" not in titles(await code_actions(vscode, doc, (0, 0)))
    before = snapshot(root)
    editor.apply(action.edit)
    assert_files(root, before, "fix_all")
    await pull_until(vscode, doc, lambda items: items == [], "every finding fixed")


# --- agents that cannot work: reassign (issue 13) ------------------------------------------

EXAMPLE_WS = Path(__file__).resolve().parents[2] / "examples" / "workspace"
WIDGETS = "PRPs/active/PRP-002-dashboard-widgets.md"


def example(rel: str) -> str:
    return (EXAMPLE_WS / rel).read_text(encoding="utf-8")


@pytest.mark.workspace("example")
async def test_stuck_agent_reassigned_to_a_healthy_one_changing_only_the_name(
    vscode: LanguageClient,
):
    """`agent_contexts/status/frontend.json` reports `stuck`. On PRP-002's `**Assigned to**:
    frontend` the preferred action used to be "Assign to frontend" (a no-op, to the stuck
    agent); now it is a reassignment to a healthy agent, saying why, that edits the name
    and nothing else."""
    root = vscode.root
    editor = Editor(vscode)
    doc = editor.open(root / WIDGETS)
    d, actions = await fixes_for(vscode, doc, "agent-stuck")
    assert not [t for t in titles(actions) if "to frontend" in t], titles(actions)
    preferred = [a for a in actions if a.is_preferred]
    assert titles(preferred) == [
        "Reassign to backend — frontend is stuck; keyword `endpoint`"
    ]
    (action,) = preferred
    assert action.kind == types.CodeActionKind.QuickFix
    attached(action, d)
    # Offered once: the refactoring of the same reassignment is not repeated.
    assert titles(actions).count(action.title) == 1
    (change,) = action.edit.document_changes
    (edit,) = change.edits
    assert (edit.range, edit.new_text) == (d.range, "backend")
    before = snapshot(root)
    editor.apply(action.edit)
    after = (root / WIDGETS).read_text(encoding="utf-8")
    assert after == example(WIDGETS).replace(
        "### Task 3: Widget grid\n**Assigned to**: frontend\n",
        "### Task 3: Widget grid\n**Assigned to**: backend\n",
    )
    assert sorted(p for p, b in snapshot(root).items() if before[p] != b) == [WIDGETS]
    assert "agent-stuck" not in codes(await pull(vscode, doc))


@pytest.mark.workspace("example")
async def test_stuck_agent_mentioned_on_the_board_is_reassigned(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    doc = editor.open(root / "TASK.md")
    items = await pull(vscode, doc)
    stuck = [d for d in items if code_of(d) == "agent-stuck"]
    d = stuck[0]
    start = (d.range.start.line, d.range.start.character)
    actions = await code_actions(vscode, doc, start, diagnostics=[d])
    action = titled(actions, "Reassign to backend")
    assert action.title == "Reassign to backend — frontend is stuck; default agent"
    assert action.is_preferred
    editor.apply(action.edit)
    assert (root / "TASK.md").read_text(encoding="utf-8") == example("TASK.md").replace(
        "- [ ] Dashboard widget grid @frontend (added",
        "- [ ] Dashboard widget grid @backend (added",
    )


@pytest.mark.workspace("example")
async def test_an_unassigned_frontend_task_passes_over_the_stuck_agent(vscode: LanguageClient):
    editor = Editor(vscode)
    doc = editor.open(vscode.root / "PRPs/active/PRP_07_password_reset.md")
    line, col = find(editor.text(doc), "Task 4:")
    actions = await code_actions(vscode, doc, (line, col))
    assigns = [a for a in actions if a.title.startswith("Assign to ")]
    assert titles(assigns)[:1] == [
        "Assign to backend — frontend is stuck; default agent"
    ]
    assert assigns[0].is_preferred
    assert not [t for t in titles(actions) if "to frontend" in t]


# --- a TASK.md item that links a PRP: open it, do not generate another (issue 13) --------

LINKING_BOARD = edited(
    "TASK.md",
    (
        "- [ ] Dark mode for the settings page (added 2026-01-11)\n",
        "- [ ] Dark mode for the settings page (added 2026-01-11)\n"
        "- [ ] Empty state for the rehearsal list, see PRP-003 (added 2026-01-12)\n",
    ),
)


@pytest.mark.files({"TASK.md": LINKING_BOARD})
async def test_item_linking_a_prp_offers_open_instead_of_generate(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    board = editor.open(root / "TASK.md")
    text = editor.text(board)
    cases = [
        # A `Source:` path …
        ("User login with email", "Open PRP-001 (PRPs/active/PRP-001-user-login.md)", LOGIN),
        # … or a number that exists.
        ("Empty state for the rehearsal", "Open PRP-003 (PRPs/active/PRP-003-rehearsal-list.md)", REHEARSALS),
    ]
    for needle, title, rel in cases:
        line, col = find(text, needle)
        actions = await code_actions(vscode, board, (line, col))
        assert not [t for t in titles(actions) if t.startswith("Generate")], titles(actions)
        action = titled(actions, "Open PRP")
        assert action.title == title
        assert action.edit is None
        assert action.command.command == "prp.openPrp"
        assert "prp.openPrp" in vscode.init_result.capabilities.execute_command_provider.commands
        result = await req(
            vscode.workspace_execute_command_async(
                types.ExecuteCommandParams(
                    command=action.command.command, arguments=action.command.arguments
                )
            )
        )
        assert result == {"path": rel, "shown": True}
        assert vscode.shown_documents[-1].uri == (root / rel).as_uri()
    # An item that links nothing still offers Generate PRP.
    line, col = find(text, "Dark mode for the settings")
    actions = await code_actions(vscode, board, (line, col))
    assert titled(actions, "Generate PRP")
    assert not [t for t in titles(actions) if t.startswith("Open PRP")]
    # The command opens PRPs of the workspace only.
    with pytest.raises(Exception, match="not a PRP"):
        await req(
            vscode.workspace_execute_command_async(
                types.ExecuteCommandParams(
                    command="prp.openPrp", arguments=[(root / "TASK.md").as_uri()]
                )
            )
        )

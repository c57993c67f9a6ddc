"""Assign tasks to agents (issue 4): "Assign to <agent> — <reason>" code actions, best
first, for each routing path (prp-lsp.toml rule, orchestrator rule, scope, module, keyword,
load), written in the document's style, "Assign all unassigned tasks", the `prp.assignAll`
command and the hover that explains an assignment. The `routing` workspace has five agents:
backend (scope `backend/`), database (`backend/db/`), frontend (`frontend/`), integration
and planning (no folders)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from helpers import (
    BIN,
    HERE,
    Editor,
    assert_files,
    at,
    code_actions,
    find,
    req,
    snapshot,
    titled,
    titles,
)

pytestmark = pytest.mark.workspace("routing")

PRP = "PRPs/active/01_checkout.md"
TOML = "[agents]\ndirectories = [\"agent_contexts\"]\n"
ORCHESTRATOR_TOML = 'orchestrator-config = "orchestrator.json"\n' + TOML
ROUTING = HERE / "workspaces" / "routing"


def prp(tasks: str, extra: str = "") -> str:
    return f"# PRP-01: Checkout\n\n**Status**: In Progress\n\n{extra}## Tasks\n\n{tasks}"


def assign_titles(actions) -> list[str]:
    return [t for t in titles(actions) if t.startswith("Assign to ")]


ROUTES = {
    "toml-rule": (
        {
            "prp-lsp.toml": TOML
            + '\n[[routing.rules]]\npattern = "(?i)stripe|payment"\nagent = "backend"\n',
            PRP: prp("### Task 1: Stripe checkout page\n\nA React component.\n"),
        },
        [
            "Assign to backend — routing rule `(?i)stripe|payment` in prp-lsp.toml",
            "Assign to frontend — keyword `react`",
            "Assign to planning — generalist agent",
        ],
    ),
    "orchestrator-rule": (
        {
            "prp-lsp.toml": ORCHESTRATOR_TOML,
            "orchestrator.json": '{"task_routing": {"rules": [{"pattern": "CALENDAR", "agent": "integration"}]}}\n',
            PRP: prp("### Task 1: Calendar sync\n\nStore the events in the database.\n"),
        },
        [
            "Assign to integration — routing rule `CALENDAR` in orchestrator.json",
            "Assign to database — keyword `database`",
            "Assign to planning — generalist agent",
        ],
    ),
    "scope": (
        {
            "prp-lsp.toml": TOML,
            PRP: prp("### Task 1: Invoice table\n\n- CREATE backend/db/invoices.py\n"),
        },
        [
            # The most specific scope owns the file.
            "Assign to database — owns `backend/db/` (scope) which holds backend/db/invoices.py",
            "Assign to backend — owns `backend/` (scope) which holds backend/db/invoices.py",
            "Assign to planning — generalist agent",
        ],
    ),
    "module": (
        {
            "prp-lsp.toml": TOML,
            PRP: prp(
                "### Task 1: Wire the data\n\nConnect the page to its store.\n",
                extra="## Modules Affected\n\n- Frontend (React)\n\n",
            ),
        },
        [
            "Assign to frontend — module `frontend`",
            "Assign to planning — generalist agent",
        ],
    ),
    "keyword": (
        {
            "prp-lsp.toml": TOML,
            PRP: prp("### Task 1: Add a migration for invoices\n\nKeep old rows.\n"),
        },
        [
            "Assign to database — keyword `migration`",
            "Assign to planning — generalist agent",
        ],
    ),
    "load": (
        {
            "prp-lsp.toml": ORCHESTRATOR_TOML,
            "orchestrator.json": '{"agents": {"backend": {"max_concurrent": 2}}}\n',
            "TASK.md": "# TASK.md\n\n## In Progress\n\n- [ ] Orders endpoint @backend\n- [ ] Refund endpoint @backend\n- [x] Old endpoint @backend (completed 2026-01-02)\n",
            PRP: prp("### Task 1: Invoice endpoint\n\nA database query.\n"),
        },
        [
            "Assign to database — keyword `database`",
            # backend matches `endpoint` but is at max_concurrent: passed over, and the next
            # offer says so.
            "Assign to planning — backend is at capacity (2/2 open tasks); generalist agent",
        ],
    ),
}


def route_case(name: str):
    files, expected = ROUTES[name]
    return pytest.param(name, expected, marks=pytest.mark.files(files), id=name)


@pytest.mark.parametrize("route, expected", [route_case(n) for n in ROUTES])
async def test_assign_by_routing_path(vscode: LanguageClient, route: str, expected):
    root = vscode.root
    editor = Editor(vscode)
    doc = editor.open(root / PRP)
    line, col = find(editor.text(doc), "### Task 1:")
    actions = await code_actions(vscode, doc, (line, col + 6))
    assigns = [a for a in actions if a.title.startswith("Assign to ")]
    assert titles(assigns) == expected
    assert [a.is_preferred for a in assigns] == [True] + [None] * (len(assigns) - 1)
    assert all(a.kind == types.CodeActionKind.RefactorRewrite for a in assigns)
    best = assigns[0]
    (change,) = best.edit.document_changes
    assert change.text_document.version == 1
    before = snapshot(root)
    editor.apply(best.edit)
    assert_files(root, before, f"assign_{route}")


@pytest.mark.files({"prp-lsp.toml": TOML})
async def test_assign_task_board_item_appends_a_mention(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    doc = editor.open(root / "TASK.md")
    line, col = find(editor.text(doc), "Rate limiting")
    actions = await code_actions(vscode, doc, (line, col))
    assert assign_titles(actions)[:1] == ["Assign to backend — keyword `api`"]
    before = snapshot(root)
    editor.apply(titled(actions, "Assign to backend").edit)
    assert_files(root, before, "assign_task_board_item")


ALL_TASKS = prp(
    "### Task 1: Add a migration for invoices\n\n"
    "### Task 2: Invoice list component\n\nA React table.\n\n"
    "### Task 3: Invoice email\n\n**Assigned to**: integration\n\n"
    "### Task 4: Cleanup\n"
)


@pytest.mark.files({"prp-lsp.toml": TOML, PRP: ALL_TASKS})
async def test_assign_all_unassigned_tasks(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    doc = editor.open(root / PRP)
    actions = await code_actions(vscode, doc, (0, 0))
    action = titled(actions, "Assign all unassigned tasks")
    assert action.title == "Assign all unassigned tasks (3)"
    before = snapshot(root)
    editor.apply(action.edit)
    assert_files(root, before, "assign_all")
    # Nothing left to assign.
    actions = await code_actions(vscode, doc, (0, 0))
    assert not [t for t in titles(actions) if t.startswith("Assign all")]


@pytest.mark.files({"prp-lsp.toml": TOML, PRP: ALL_TASKS})
async def test_assign_all_command_applies_through_the_client(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    doc = editor.open(root / PRP)
    before = snapshot(root)
    result = await req(
        vscode.workspace_execute_command_async(
            types.ExecuteCommandParams(command="prp.assignAll", arguments=[doc])
        )
    )
    assert result == {"path": PRP}
    assert [r.label for r in vscode.apply_edit_requests] == ["Assign all unassigned tasks (3)"]
    # The same result as the code action.
    assert_files(root, before, "assign_all")


HOVERED = prp(
    "### Task 1: Add a migration for invoices\n\n**Assigned to**: database\n\n"
    "### Task 2: Invoice list component\n\n**Assigned to**: planning\n\n"
    "### Task 3: Stripe webhook\n\n**Assigned to**: frontend\n"
)


@pytest.mark.files({"prp-lsp.toml": TOML, PRP: HOVERED})
@pytest.mark.parametrize(
    "occurrence, explanation",
    [
        (0, "**Routing**: Routing picks `database`: keyword `migration`."),
        (
            1,
            "**Routing**: Routing matches `planning` by generalist agent, but would pick "
            "`frontend` (keyword `component`).",
        ),
        (
            2,
            "**Routing**: No routing signal points to `frontend`; routing would pick "
            "`integration` (keyword `webhook`).",
        ),
    ],
)
async def test_hover_on_assignment_explains_the_routing(
    vscode: LanguageClient, occurrence: int, explanation: str
):
    editor = Editor(vscode)
    doc = editor.open(vscode.root / PRP)
    line, col = find(editor.text(doc), "**Assigned to**: ", occurrence)
    hover = await req(
        vscode.text_document_hover_async(
            types.HoverParams(**at(doc, line, col + len("**Assigned to**: ") + 1))
        )
    )
    assert hover is not None
    assert explanation in hover.contents.value, hover.contents.value


# --- issue 13: the orchestrator's order, health, and assignments that change only what they say


@pytest.mark.files(
    {
        "prp-lsp.toml": TOML,
        PRP: prp("### Task 1: Frontend and backend changes for the database sync\n"),
    }
)
async def test_the_seed_order_frontend_module_first(vscode: LanguageClient):
    """Frontend module, backend module, database keyword: in that order, never by name
    (it used to be backend first, the alphabetical first of three equal matches)."""
    editor = Editor(vscode)
    doc = editor.open(vscode.root / PRP)
    line, col = find(editor.text(doc), "### Task 1:")
    actions = await code_actions(vscode, doc, (line, col + 6))
    assert assign_titles(actions)[:3] == [
        "Assign to frontend — module `frontend`",
        "Assign to backend — module `backend`",
        "Assign to database — keyword `database`",
    ]


@pytest.mark.files(
    {
        "prp-lsp.toml": TOML,
        PRP: prp("### Task 1: Add a migration for invoices\n\n**Assigned to**: database\n"),
    }
)
async def test_a_task_is_never_offered_to_its_own_agent(vscode: LanguageClient):
    """It used to offer "Assign to database", preferred: a no-op."""
    editor = Editor(vscode)
    doc = editor.open(vscode.root / PRP)
    line, col = find(editor.text(doc), "**Assigned to**: database")
    actions = await code_actions(vscode, doc, (line, col + 20))
    offered = [a for a in actions if " to " in a.title and "assign" in a.title.lower()]
    assert offered, titles(actions)
    assert not [a.title for a in offered if "to database" in a.title]
    # Moving work off a healthy agent is a choice, never the preferred action.
    assert not [a.title for a in offered if a.is_preferred]
    assert titles(offered)[0] == "Reassign to planning — generalist agent"


STUCK = '{"id": "frontend", "state": "stuck", "current_task": "PRP-01 Task 9"}\n'


@pytest.mark.files(
    {
        "prp-lsp.toml": TOML,
        "agent_contexts/status/frontend.json": STUCK,
        PRP: prp("### Task 1: Invoice list component\n\nA React table.\n"),
    }
)
async def test_a_stuck_agent_is_passed_over_and_the_action_says_why(vscode: LanguageClient):
    editor = Editor(vscode)
    doc = editor.open(vscode.root / PRP)
    line, col = find(editor.text(doc), "### Task 1:")
    actions = await code_actions(vscode, doc, (line, col + 6))
    assert assign_titles(actions) == [
        "Assign to planning — frontend is stuck; generalist agent",
    ]


def run_cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=30)


def test_assign_cli_leaves_finished_work_alone_and_names_what_it_cannot_place(tmp_path: Path):
    root = tmp_path / "ws"
    shutil.copytree(ROUTING, root)
    files = {
        "prp-lsp.toml": ORCHESTRATOR_TOML,
        # No generalist to fall back on.
        "orchestrator.json": '{"agents": {"planning": {"enabled": false}}}\n',
        "PRPs/archive/02_old.md": "# PRP-02: Old\n\n**Status**: Complete\n\n## Tasks\n\n"
        "### Task 1: Add a migration for invoices\n",
        PRP: prp(
            "### Task 1: Add a migration for invoices\n\n- [x] written\n- [x] applied\n\n"
            "### [x] Task 2: Invoice schema\n\n"
            "### Task 3: Think it over\n"
        ),
        "TASK.md": "# TASK.md\n\n## In Progress\n\n"
        "- [x] Invoice schema migration (completed 2026-02-01)\n"
        "- [ ] ~~Old database cleanup~~\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    before = snapshot(root)
    out = run_cli("assign", "--write", root)
    assert out.returncode == 0, out.stderr
    # The archived PRP, the ticked task and the done items were written to before.
    assert (out.stdout, snapshot(root)) == ("", before)
    assert out.stderr.splitlines() == [
        f"prp-lsp assign: {PRP}:14: cannot place `Think it over`: nothing routes it (no "
        "routing rule, module, keyword or scope points to an agent) and there is no default "
        "or generalist agent",
        "prp-lsp assign: nothing to assign; 1 task could not be placed (above)",
    ]
    assert "already assigned" not in out.stderr

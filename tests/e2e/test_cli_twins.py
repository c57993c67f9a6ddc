"""The command line twins of the code actions (issue 4): `prp-lsp new` writes the PRP the
`prp.generate` command would and prints its path; `prp-lsp assign` shows the assignments as
a diff and changes nothing; `--write` applies them, as "Assign all unassigned tasks" does."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from helpers import BIN, EXPECTED_DIR, HERE, Editor, assert_files, req, snapshot

PLANNER = HERE / "workspaces" / "planner"
ROUTING = HERE / "workspaces" / "routing"
REQUIREMENT = "Add CSV export to the reports page. The CSV must have one row per report."
NEW = "PRPs/active/PRP-008-add-csv-export-to-the-reports.md"

# The PRP of test_assign.py's "Assign all" test, plus the board's unassigned item.
ALL_TASKS = (
    "# PRP-01: Checkout\n\n**Status**: In Progress\n\n## Tasks\n\n"
    "### Task 1: Add a migration for invoices\n\n"
    "### Task 2: Invoice list component\n\nA React table.\n\n"
    "### Task 3: Invoice email\n\n**Assigned to**: integration\n\n"
    "### Task 4: Cleanup\n"
)


def run(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BIN, *map(str, args)], capture_output=True, text=True, timeout=30
    )


def copy(source: Path, tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(source, root)
    return root.resolve()


def test_new_prints_the_path_and_writes_the_prp(tmp_path: Path):
    root = copy(PLANNER, tmp_path, "ws")
    before = snapshot(root)
    out = run("new", REQUIREMENT, "--workspace", root)
    assert out.returncode == 0, out.stderr
    # Numbered like the code action: after 001, 003 and the archived 007.
    assert out.stdout == f"{NEW}\n"
    assert out.stderr == ""
    assert_files(root, before, "cli_new")

    # A second requirement takes the next number. A one-liner says what criteria it
    # needs: the placeholder left, by line.
    out = run("new", "Dark mode for the settings page", "--workspace", root)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "PRPs/active/PRP-009-add-dark-mode-for-the-settings.md\n"
    assert out.stderr.startswith(
        "prp-lsp new: warning: 1 placeholder left to fill: "
        "`[Describe the observable result that shows this is done]` (line"
    ), out.stderr


def test_new_without_a_requirement_is_a_usage_error(tmp_path: Path):
    root = copy(PLANNER, tmp_path, "ws")
    before = snapshot(root)
    out = run("new", "  ", "--workspace", root)
    assert out.returncode == 2
    assert "give the requirement" in out.stderr
    assert snapshot(root) == before


@pytest.mark.workspace("planner")
async def test_new_writes_what_the_generate_command_writes(vscode: LanguageClient, tmp_path: Path):
    cli_root = copy(PLANNER, tmp_path, "cli")
    assert run("new", REQUIREMENT, "--workspace", cli_root).returncode == 0
    Editor(vscode)
    result = await req(
        vscode.workspace_execute_command_async(
            types.ExecuteCommandParams(command="prp.generate", arguments=[REQUIREMENT])
        )
    )
    assert result["path"] == NEW
    assert (vscode.root / NEW).read_bytes() == (cli_root / NEW).read_bytes()


def routing_workspace(tmp_path: Path) -> Path:
    root = copy(ROUTING, tmp_path, "ws")
    (root / "PRPs/active/01_checkout.md").write_text(ALL_TASKS, encoding="utf-8")
    return root


def test_assign_shows_a_diff_and_changes_nothing(tmp_path: Path):
    root = routing_workspace(tmp_path)
    before = snapshot(root)
    out = run("assign", root)
    assert out.returncode == 0, out.stderr
    assert snapshot(root) == before
    expected = (EXPECTED_DIR / "cli_assign" / "diff.txt").read_text(encoding="utf-8")
    assert out.stdout == expected
    assert "2 document(s) would change; run with --write to apply" in out.stderr


def test_assign_write_applies_the_assignments(tmp_path: Path):
    root = routing_workspace(tmp_path)
    before = snapshot(root)
    out = run("assign", "--write", root)
    assert out.returncode == 0, out.stderr
    assert sorted(out.stdout.splitlines()) == [
        "PRPs/active/01_checkout.md: Assign all unassigned tasks (3)",
        "TASK.md: Assign all unassigned tasks (1)",
    ]
    assert_files(root, before, "cli_assign_write")
    # The same assignments as the code action.
    assert (root / "PRPs/active/01_checkout.md").read_bytes() == (
        EXPECTED_DIR / "assign_all/files/PRPs/active/01_checkout.md"
    ).read_bytes()
    # Nothing left to assign.
    out = run("assign", root)
    assert (out.returncode, out.stdout) == (0, "")
    assert "every task is already assigned" in out.stderr


def test_assign_a_single_document(tmp_path: Path):
    root = routing_workspace(tmp_path)
    before = snapshot(root)
    out = run("assign", "--write", root / "TASK.md")
    assert out.returncode == 0, out.stderr
    assert out.stdout == "TASK.md: Assign all unassigned tasks (1)\n"
    assert_files(root, before, "assign_task_board_item")

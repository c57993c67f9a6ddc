"""Generate PRP (issue 4): from a TASK.md item, a ```requirement block (YAML and JSON), a
selection and the `prp.generate` command, applied by the client and compared to expected
files. The `planner` workspace names its PRPs `PRP-NNN-slug.md` and uses 001 and 003 in
active/ and 007 in archive/ (plus a `2024_…` note in ai_docs/ and the template, which carry
no PRP numbers): the next free number is 008, never a gap and never the archived one."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from helpers import (
    Editor,
    assert_files,
    code_actions,
    codes,
    find,
    pull,
    req,
    snapshot,
    titled,
    titles,
    today_utc,
)

pytestmark = pytest.mark.workspace("planner")

NEW = "PRPs/active/PRP-008-add-google-calendar-sync-for-rehearsals.md"


def ops(action: types.CodeAction) -> list:
    assert action.edit is not None and action.edit.document_changes is not None, action
    return list(action.edit.document_changes)


def assert_creates_without_overwrite(action: types.CodeAction, root: Path, rel: str):
    creates = [o for o in ops(action) if isinstance(o, types.CreateFile)]
    assert [c.uri for c in creates] == [(root / rel).as_uri()]
    assert creates[0].options is not None
    assert creates[0].options.overwrite is False
    assert not creates[0].options.ignore_if_exists


async def test_generate_from_task_item(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    board = editor.open(root / "TASK.md")
    line, col = find(editor.text(board), "Add Google Calendar")
    actions = await code_actions(vscode, board, (line, col + 5))
    action = titled(actions, "Generate PRP")
    assert action.title == "Generate PRP 008: Add Google Calendar sync for rehearsals"
    assert action.kind == types.CodeActionKind.RefactorRewrite
    assert_creates_without_overwrite(action, root, NEW)
    # The link back is an edit of the open board at the version it was computed for.
    board_edits = [
        o for o in ops(action)
        if isinstance(o, types.TextDocumentEdit) and o.text_document.uri == board
    ]
    assert [e.text_document.version for e in board_edits] == [1]

    before = snapshot(root)
    editor.apply(action.edit)
    assert_files(root, before, "generate_from_task_item")
    # The new PRP is valid as written, and the board's link to it resolves.
    assert codes(await pull(vscode, (root / NEW).as_uri())) == []
    assert codes(await pull(vscode, board)) == []

    # A second PRP takes the next number: 008 is now in use.
    line, col = find(editor.text(board), "Dark mode")
    action = titled(await code_actions(vscode, board, (line, col)), "Generate PRP")
    # A one-line item: the criterion generation cannot write is named in the title.
    assert action.title.startswith(
        "Generate PRP 009: Add dark mode for the settings page (1 placeholder left to fill: "
    ), action.title
    assert_creates_without_overwrite(
        action, root, "PRPs/active/PRP-009-add-dark-mode-for-the-settings.md"
    )


async def test_no_generate_on_a_done_item(vscode: LanguageClient):
    editor = Editor(vscode)
    board = editor.open(vscode.root / "TASK.md")
    line, col = find(editor.text(board), "Health endpoint")
    actions = await code_actions(vscode, board, (line, col))
    assert not [t for t in titles(actions) if t.startswith("Generate PRP")]


YAML_BLOCK = """## Requirements

Collected at the band meeting.

```requirement
type: feature
title: Setlist export
description: Export a rehearsal's setlist as a PDF the band can print.
priority: high
modules_affected: [frontend]
acceptance_criteria:
  - The PDF lists every song in order
  - Songs show their key and tempo
user_story: As a band leader I want a printed setlist so that nobody plays from a phone
```
"""

JSON_BLOCK = """## Bugs

```requirement
{"type": "bug_fix", "description": "Login fails with a 500 after a password reset", "priority": "critical", "acceptance_criteria": ["A reset password signs in"]}
```
"""


# Where the requirement is written: appended to the task board (a document the server
# analyzes) or in a plain Markdown document, which the issue includes ("a selection in
# any Markdown document").
HOSTS = [
    pytest.param("TASK.md", id="task-board"),
    pytest.param("docs/requirements.md", id="markdown-doc"),
]


def host(root: Path, editor: Editor, where: str, content: str) -> str:
    """Writes `content` into the document `where` (appended to TASK.md) and opens it."""
    path = root / where
    text = path.read_text(encoding="utf-8") + "\n" + content if path.exists() else content
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return editor.open(path, text)


@pytest.mark.parametrize("where", HOSTS)
async def test_generate_from_yaml_requirement_block(vscode: LanguageClient, where: str):
    root = vscode.root
    editor = Editor(vscode)
    doc = host(root, editor, where, YAML_BLOCK)
    assert codes(await pull(vscode, doc)) == []
    line, _ = find(editor.text(doc), "description: Export")
    action = titled(await code_actions(vscode, doc, (line, 3)), "Generate PRP")
    assert action.title == "Generate PRP 008: Setlist export"
    new = "PRPs/active/PRP-008-setlist-export.md"
    assert_creates_without_overwrite(action, root, new)
    before = snapshot(root)
    editor.apply(action.edit)
    # No link back from a requirement block: only the new PRP appears.
    assert_files(root, before, "generate_from_yaml_block")
    assert codes(await pull(vscode, (root / new).as_uri())) == []


@pytest.mark.parametrize("where", HOSTS)
async def test_generate_from_json_requirement_block(vscode: LanguageClient, where: str):
    root = vscode.root
    editor = Editor(vscode)
    doc = host(root, editor, where, JSON_BLOCK)
    assert codes(await pull(vscode, doc)) == []
    line, _ = find(editor.text(doc), '{"type"')
    action = titled(await code_actions(vscode, doc, (line, 10)), "Generate PRP")
    assert action.title == "Generate PRP 008: Fix login failing with a 500"
    before = snapshot(root)
    editor.apply(action.edit)
    assert_files(root, before, "generate_from_json_block")


SELECTION_DOC = """## Ideas

Nothing decided yet.

Let members mark themselves absent for a rehearsal from the rehearsals page.
- [ ] The absence shows on the rehearsal
- [ ] The band leader gets an email

Other notes.
"""


@pytest.mark.parametrize("where", HOSTS)
async def test_generate_from_selection(vscode: LanguageClient, where: str):
    root = vscode.root
    editor = Editor(vscode)
    doc = host(root, editor, where, SELECTION_DOC)
    text = editor.text(doc)
    start = find(text, "Let members")
    end = find(text, "Other notes.")
    # Without a selection, a plain paragraph offers nothing to generate from; nor does the
    # one-character selection that is Helix's cursor.
    assert not [
        t for t in titles(await code_actions(vscode, doc, start)) if t.startswith("Generate")
    ]
    assert not [
        t
        for t in titles(await code_actions(vscode, doc, start, (start[0], start[1] + 1)))
        if t.startswith("Generate")
    ]
    action = titled(await code_actions(vscode, doc, start, end), "Generate PRP")
    assert (
        action.title
        == "Generate PRP 008: Let members mark themselves absent for a rehearsal"
    )
    before = snapshot(root)
    editor.apply(action.edit)
    assert_files(root, before, "generate_from_selection")


@pytest.mark.workspace("mini")
async def test_generate_command_applies_through_the_client(vscode: LanguageClient):
    """`prp.generate` in a workspace without a template: the built-in base template, the
    next number after the archived 02, and the edit sent to the client with
    `workspace/applyEdit` (the server writes nothing itself)."""
    root = vscode.root
    editor = Editor(vscode)
    before = snapshot(root)
    result = await req(
        vscode.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command="prp.generate",
                arguments=["Add CSV export to the reports page. Each report must be one CSV row."],
            )
        )
    )
    new = "PRPs/active/03_add_csv_export_to_the_reports.md"
    assert result == {"path": new, "warnings": []}
    assert len(vscode.apply_edit_requests) == 1
    sent = vscode.apply_edit_requests[0]
    assert sent.label == "Generate PRP 03: Add CSV export to the reports page"
    assert editor.applied == [sent.edit]
    assert_files(root, before, "generate_command", {"{{TODAY}}": today_utc()})
    assert codes(await pull(vscode, (root / new).as_uri())) == []


@pytest.mark.workspace("mini")
async def test_generate_command_reports_a_refused_edit(vscode: LanguageClient):
    """The client answers applied=false (no editor attached): the command fails saying so,
    and nothing was written."""
    before = snapshot(vscode.root)
    with pytest.raises(Exception) as failure:
        await req(
            vscode.workspace_execute_command_async(
                types.ExecuteCommandParams(
                    command="prp.generate", arguments=[{"description": "Add CSV export"}]
                )
            )
        )
    assert "nothing was changed" in str(failure.value)
    assert snapshot(vscode.root) == before


@pytest.mark.workspace("mini")
async def test_generate_command_needs_a_description(vscode: LanguageClient):
    Editor(vscode)
    with pytest.raises(Exception) as failure:
        await req(
            vscode.workspace_execute_command_async(
                types.ExecuteCommandParams(command="prp.generate", arguments=[])
            )
        )
    assert "needs a requirement description" in str(failure.value)
    assert vscode.apply_edit_requests == []


BROKEN_BLOCK = """## Requirements

```requirement
type: feature
description: Share setlists with the band
priority: someday
```
"""


@pytest.mark.parametrize("where", HOSTS)
async def test_broken_requirement_block_is_reported_on_its_field(
    vscode: LanguageClient, where: str
):
    editor = Editor(vscode)
    doc = host(vscode.root, editor, where, BROKEN_BLOCK)
    items = await pull(vscode, doc)
    assert codes(items) == ["invalid-requirement"]
    (d,) = items
    line, col = find(editor.text(doc), "someday")
    assert d.range == types.Range(
        start=types.Position(line=line, character=col),
        end=types.Position(line=line, character=col + len("someday")),
    )
    assert "`priority: someday`" in d.message
    assert "critical, high, medium, low" in d.message
    # Nothing to generate from a block that does not parse.
    actions = await code_actions(vscode, doc, (line, col), diagnostics=items)
    assert not [t for t in titles(actions) if t.startswith("Generate")]


@pytest.mark.workspace("example")
async def test_generate_action_says_what_is_left_to_fill(vscode: LanguageClient):
    """A one-line item leaves the success criterion to write: the action's title names the
    placeholder before the user picks it."""
    editor = Editor(vscode)
    board = editor.open(vscode.root / "TASK.md")
    line, col = find(editor.text(board), "Dark theme for the dashboard")
    action = titled(await code_actions(vscode, board, (line, col)), "Generate PRP")
    assert action.title.startswith(
        "Generate PRP 09: Add dark theme for the dashboard (1 placeholder left to fill: "
    ), action.title

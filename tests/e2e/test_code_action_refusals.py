"""The refusal paths of issue 4: an edit computed for an older version is refused by the
client; a client that cannot create or rename files gets those actions disabled with the
reason (or left out when it cannot show disabled actions); `prp.generate` without
`workspace/applyEdit` is an error that says so; generation never replaces a file."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient
from pytest_lsp.client import captured_exception_key

from conftest import CONFIG, _start, settle, settle_vscode, stop
from helpers import (
    EditRefused,
    Editor,
    assert_files,
    code_actions,
    find,
    req,
    snapshot,
    titled,
    titles,
    today_utc,
    vscode_capabilities,
    watched,
)

pytestmark = pytest.mark.workspace("planner")

WS = Path(__file__).resolve().parent / "workspaces" / "planner"
LOGIN = "PRPs/active/PRP-001-user-login.md"
FINISHED_LOGIN = (WS / LOGIN).read_text(encoding="utf-8").replace(
    "- [ ] A wrong password returns 401", "- [x] A wrong password returns 401"
)
NEW = "PRPs/active/PRP-008-add-google-calendar-sync-for-rehearsals.md"


@pytest_lsp.fixture(config=CONFIG)
async def raw_client(lsp_client: LanguageClient):
    """The server process and a client, not initialized yet."""
    yield


@pytest.fixture
async def custom(raw_client: LanguageClient, workspace: Path):
    """A client whose capabilities the test chooses: `await custom(caps)` starts it."""
    started = []

    async def start(caps: types.ClientCapabilities, name: str = "Custom editor"):
        started.append(True)
        await _start(raw_client, caps, workspace, name)
        if caps.text_document and caps.text_document.diagnostic:
            await settle_vscode(raw_client)
        else:
            await settle(raw_client)
        return raw_client

    yield start
    assert started, "the test never started its client"
    await stop(raw_client)


def vscode_with(
    *,
    resource_operations: list[types.ResourceOperationKind] | None = None,
    disabled_support: bool | None = True,
    apply_edit: bool | None = True,
) -> types.ClientCapabilities:
    caps = vscode_capabilities()
    edit = caps.workspace.workspace_edit
    if resource_operations is not None:
        edit = attrs.evolve(edit, resource_operations=resource_operations)
    workspace = attrs.evolve(caps.workspace, workspace_edit=edit, apply_edit=apply_edit)
    code_action = attrs.evolve(caps.text_document.code_action, disabled_support=disabled_support)
    text = attrs.evolve(caps.text_document, code_action=code_action)
    return attrs.evolve(caps, workspace=workspace, text_document=text)


# --- stale versions ---------------------------------------------------------------------


async def test_edit_for_an_older_version_is_refused(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    doc = editor.open(root / "TASK.md")
    line, col = find(editor.text(doc), "Dark mode")
    action = titled(await code_actions(vscode, doc, (line, col)), "Mark done")
    (change,) = action.edit.document_changes
    assert change.text_document.uri == doc
    assert change.text_document.version == 1  # the version it was computed for

    # The user types before applying it: a line above the item.
    text = editor.text(doc)
    version = editor.change(doc, text.replace("## Backlog\n", "## Backlog\n\n- [ ] Tuner app\n"))
    assert version == 2
    before = snapshot(root)
    with pytest.raises(EditRefused, match="version 1.*version 2"):
        editor.apply(action.edit)
    assert snapshot(root) == before
    assert editor.version(doc) == 2

    # Asked again, the server computes the edit for the text the editor has now.
    line, col = find(editor.text(doc), "Dark mode")
    action = titled(await code_actions(vscode, doc, (line, col)), "Mark done")
    (change,) = action.edit.document_changes
    assert change.text_document.version == 2
    editor.apply(action.edit)
    assert (
        f"- [x] Dark mode for the settings page (added 2026-01-11) (completed {today_utc()})\n"
        in editor.text(doc)
    )


async def test_generation_never_replaces_an_existing_file(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    board = editor.open(root / "TASK.md")
    line, col = find(editor.text(board), "Add Google Calendar")
    action = titled(await code_actions(vscode, board, (line, col)), "Generate PRP 008")

    # Someone writes the target before the action is applied: the CreateFile (overwrite
    # false) is refused, and nothing of the edit is applied (the board keeps no link).
    target = root / NEW
    target.write_text("# Mine\n", encoding="utf-8")
    before = snapshot(root)
    with pytest.raises(EditRefused, match="already exists"):
        editor.apply(action.edit)
    assert snapshot(root) == before

    # Once the server knows of the file, it offers the next number instead.
    watched(vscode, (target, types.FileChangeType.Created))
    action = titled(await code_actions(vscode, board, (line, col)), "Generate PRP")
    assert action.title == "Generate PRP 009: Add Google Calendar sync for rehearsals"
    created = [o.uri for o in action.edit.document_changes if isinstance(o, types.CreateFile)]
    assert created == [
        (root / "PRPs/active/PRP-009-add-google-calendar-sync-for-rehearsals.md").as_uri()
    ]
    editor.apply(action.edit)
    assert target.read_text(encoding="utf-8") == "# Mine\n"


# --- clients that cannot create or rename files -----------------------------------------


@pytest.mark.files({LOGIN: FINISHED_LOGIN})
async def test_without_resource_operations_actions_are_disabled_with_a_reason(custom):
    client = await custom(vscode_with(resource_operations=[], disabled_support=True))
    root = client.root
    editor = Editor(client)

    board = editor.open(root / "TASK.md")
    line, col = find(editor.text(board), "Add Google Calendar")
    actions = await code_actions(client, board, (line, col))
    generate = titled(actions, "Generate PRP 008")
    assert generate.edit is None
    assert generate.disabled is not None
    assert "create files" in generate.disabled.reason
    assert "prp-lsp new" in generate.disabled.reason
    # Actions that only edit text are unaffected.
    for title in ("Mark done", "Assign to integration"):
        assert titled(actions, title).edit is not None and titled(actions, title).disabled is None

    prp = editor.open(root / LOGIN)
    move = titled(await code_actions(client, prp, (0, 0)), "Move to archive")
    assert move.edit is None
    assert "rename files" in move.disabled.reason


@pytest.mark.files({LOGIN: FINISHED_LOGIN})
async def test_without_resource_operations_or_disabled_support_actions_are_left_out(custom):
    client = await custom(vscode_with(resource_operations=[], disabled_support=None))
    root = client.root
    editor = Editor(client)
    board = editor.open(root / "TASK.md")
    line, col = find(editor.text(board), "Add Google Calendar")
    actions = await code_actions(client, board, (line, col))
    assert not [t for t in titles(actions) if t.startswith("Generate")]
    assert all(a.disabled is None and a.edit is not None for a in actions)
    assert "Mark done" in titles(actions)
    prp = editor.open(root / LOGIN)
    assert "Move to archive" not in titles(await code_actions(client, prp, (0, 0)))


async def test_client_without_document_changes_gets_plain_changes(nvim: LanguageClient):
    """Neovim 0.10 announces resource operations but not `documentChanges`: text-only fixes
    come as a `changes` map, generation is left out (no disabled support either)."""
    root = nvim.root
    editor = Editor(nvim)
    board = editor.open(root / "TASK.md")
    line, col = find(editor.text(board), "Add Google Calendar")
    actions = await code_actions(nvim, board, (line, col))
    assert not [t for t in titles(actions) if t.startswith("Generate")]
    line, col = find(editor.text(board), "Dark mode")
    action = titled(await code_actions(nvim, board, (line, col)), "Mark done")
    assert action.edit.document_changes is None
    assert list(action.edit.changes) == [board]
    before = snapshot(root)
    editor.apply(action.edit)
    assert_files(root, before, "mark_done", {"{{TODAY}}": today_utc()})


# --- prp.generate needs workspace/applyEdit ---------------------------------------------


async def test_generate_command_without_apply_edit_is_a_clear_error(custom):
    client = await custom(vscode_with(apply_edit=False))
    Editor(client)
    before = snapshot(client.root)
    with pytest.raises(Exception) as failure:
        await req(
            client.workspace_execute_command_async(
                types.ExecuteCommandParams(
                    command="prp.generate", arguments=["Add CSV export to the reports page"]
                )
            )
        )
    message = str(failure.value)
    assert "does not support workspace/applyEdit" in message, message
    assert "prp-lsp new" in message
    assert client.apply_edit_requests == []
    assert snapshot(client.root) == before


async def test_generate_command_when_the_editor_answers_apply_edit_with_an_error(
    vscode: LanguageClient, request: pytest.FixtureRequest
):
    """An editor may answer `workspace/applyEdit` with an error instead of `applied: false`;
    the command's error still says that nothing changed and what the editor said."""

    def broken_editor(params):
        raise RuntimeError("file operations are not supported here")

    vscode.apply_edit_handler = broken_editor
    before = snapshot(vscode.root)
    with pytest.raises(Exception) as failure:
        await req(
            vscode.workspace_execute_command_async(
                types.ExecuteCommandParams(
                    command="prp.generate", arguments=["Add CSV export to the reports page"]
                )
            )
        )
    message = str(failure.value)
    assert "nothing was changed: the editor answered" in message, message
    assert "file operations are not supported here" in message, message
    assert len(vscode.apply_edit_requests) == 1
    assert snapshot(vscode.root) == before
    # pytest-lsp reports any exception in a client handler as a failure of the test; this
    # one is the editor's error under test, so it is taken back.
    request.node.stash[captured_exception_key] = None

"""Rename an agent, and move a PRP in the editor's explorer, through the real server on a
copy of examples/workspace: the edit the server returns is applied as VS Code applies it
(versioned text edits, then file moves), and `prp-lsp check` afterwards finds exactly what
it found before, under the new names."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from helpers import BIN, Editor, at, find, req, uri, watched


def findings(root: Path) -> list[tuple[str, int, str]]:
    out = subprocess.run(
        [BIN, "check", "--format", "json", str(root)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode in (0, 1), out.stderr
    return sorted(
        (f["path"], d["range"]["start"]["line"] + 1, d["code"])
        for f in json.loads(out.stdout)["files"]
        for d in f["diagnostics"]
    )


def located(root: Path, locations) -> set[tuple[str, str]]:
    out = set()
    for loc in locations or []:
        path = Path(loc.uri.removeprefix("file://")).resolve().relative_to(root.resolve()).as_posix()
        line = (root / path).read_text(encoding="utf-8").split("\n")[loc.range.start.line]
        out.add((path, line[loc.range.start.character : loc.range.end.character]))
    return out


async def prepare(client: LanguageClient, doc: str, pos: tuple[int, int]):
    return await req(client.text_document_prepare_rename_async(types.PrepareRenameParams(**at(doc, *pos))))


async def rename(client: LanguageClient, doc: str, pos: tuple[int, int], new_name: str):
    return await req(
        client.text_document_rename_async(types.RenameParams(**at(doc, *pos), new_name=new_name))
    )


@pytest.mark.workspace("example")
async def test_rename_an_agent_everywhere_and_check_finds_nothing_new(vscode: LanguageClient):
    root = vscode.root
    caps = vscode.init_result.capabilities.rename_provider
    assert caps and caps.prepare_provider, caps
    before = findings(root)
    editor = Editor(vscode)
    board = editor.open(root / "TASK.md")
    line, col = find(editor.text(board), "@frontend")
    # The range is the id, without the `@`.
    ready = await prepare(vscode, board, (line, col + 3))
    assert ready.placeholder == "frontend", ready
    assert (ready.range.start.character, ready.range.end.character) == (col + 1, col + 9), ready

    edit = await rename(vscode, board, (line, col + 3), "web")
    editor.apply(edit)

    assert not (root / "agent_contexts/frontend_agent.md").exists()
    assert (root / "agent_contexts/web_agent.md").is_file()
    status = root / "agent_contexts/status/web.json"
    assert json.loads(status.read_text(encoding="utf-8"))["id"] == "web"
    assert not (root / "agent_contexts/status/frontend.json").exists()
    text = editor.text(board)
    # Mentions renamed; the board's own documentation (`@frontend` in code) is not a mention.
    assert text.count("@web") == 3, text
    assert text.count("@frontend") == text.count("`@frontend`") == 1, text
    prp = (root / "PRPs/active/PRP-002-dashboard-widgets.md").read_text(encoding="utf-8")
    assert "**Assigned to**: web" in prp and "**Assigned to**: frontend" not in prp

    renamed = {
        "agent_contexts/frontend_agent.md": "agent_contexts/web_agent.md",
        "agent_contexts/status/frontend.json": "agent_contexts/status/web.json",
    }
    assert findings(root) == sorted((renamed.get(p, p), line, code) for p, line, code in before)


@pytest.mark.workspace("example")
async def test_rename_refused_when_the_id_is_taken_or_not_an_id(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    board = editor.open(root / "TASK.md")
    line, col = find(editor.text(board), "@frontend")
    for new_name, why in [
        ("backend", "an agent `backend` already exists"),
        ("two words", "is not an agent id"),
    ]:
        with pytest.raises(Exception) as refused:
            await rename(vscode, board, (line, col + 3), new_name)
        assert why in str(refused.value), refused.value
    # An agent no context file defines cannot be renamed: prepareRename says why.
    prp = editor.open(root / "PRPs/active/PRP-002-dashboard-widgets.md")
    line, col = find(editor.text(prp), "**Assigned to**: ml_agent")
    with pytest.raises(Exception) as refused:
        await prepare(vscode, prp, (line, col + len("**Assigned to**: ") + 1))
    assert "no agent `ml` is defined" in str(refused.value), refused.value
    # Off an agent: nothing to rename.
    assert await prepare(vscode, board, (0, 1)) is None


async def will_rename(client: LanguageClient, moves: list[tuple[Path, Path]]):
    return await req(
        client.workspace_will_rename_files_async(
            types.RenameFilesParams(
                files=[types.FileRename(old_uri=uri(a), new_uri=uri(b)) for a, b in moves]
            )
        )
    )


def move(client: LanguageClient, old: Path, new: Path) -> None:
    """The editor's own move, after the edits: the file, then the events it sends."""
    old.rename(new)
    client.workspace_did_rename_files(
        types.RenameFilesParams(files=[types.FileRename(old_uri=uri(old), new_uri=uri(new))])
    )
    watched(client, (old, types.FileChangeType.Deleted), (new, types.FileChangeType.Created))


@pytest.mark.workspace("example")
async def test_moving_a_prp_in_the_explorer_keeps_its_references_true(vscode: LanguageClient):
    root = vscode.root
    ops = vscode.init_result.capabilities.workspace.file_operations
    assert ops and ops.will_rename and ops.will_rename.filters, ops
    before = findings(root)
    old = root / "PRPs/active/01_user_auth.md"
    new = root / "PRPs/active/01_user_authentication.md"
    editor = Editor(vscode)
    board = editor.open(root / "TASK.md")
    edit = await will_rename(vscode, [(old, new)])
    editor.apply(edit)
    move(vscode, old, new)
    assert "  - Source: PRPs/active/01_user_authentication.md\n" in editor.text(board)
    # Nothing new for check: the same findings, the moved PRP's under its new name.
    moved = {"PRPs/active/01_user_auth.md": "PRPs/active/01_user_authentication.md"}
    assert findings(root) == sorted((moved.get(p, p), line, code) for p, line, code in before)


@pytest.mark.workspace("example")
async def test_moving_a_prp_into_the_archive_offers_its_status_apart(vscode: LanguageClient):
    root = vscode.root
    old = root / "PRPs/active/01_user_auth.md"
    new = root / "PRPs/archive/01_user_auth.md"
    edit = await will_rename(vscode, [(old, new)])
    # VS Code shows change annotations: the Status line is its own labelled change.
    assert edit.change_annotations and set(edit.change_annotations) == {"prp-lsp.status"}, edit
    annotation = edit.change_annotations["prp-lsp.status"]
    assert annotation.label == "Set Status to Complete", annotation
    edits = {
        op.text_document.uri: op.edits for op in edit.document_changes if isinstance(op, types.TextDocumentEdit)
    }
    [status] = edits[uri(old)]
    assert isinstance(status, types.AnnotatedTextEdit) and status.new_text == "Complete", status
    [source] = edits[uri(root / "TASK.md")]
    assert source.new_text == "PRPs/archive/01_user_auth.md", source
    assert not isinstance(source, types.AnnotatedTextEdit)


@pytest.mark.workspace("example")
async def test_moving_a_prp_into_the_archive_without_annotations_only_keeps_references(nvim: LanguageClient):
    root = nvim.root
    edit = await will_rename(
        nvim, [(root / "PRPs/active/01_user_auth.md", root / "PRPs/archive/01_user_auth.md")]
    )
    assert not edit.change_annotations, edit
    texts = [e.new_text for op in (edit.document_changes or []) for e in op.edits] + [
        e.new_text for edits in (edit.changes or {}).values() for e in edits
    ]
    assert texts == ["PRPs/archive/01_user_auth.md"], texts


@pytest.mark.workspace("example")
async def test_references_of_a_prp_include_its_number(vscode: LanguageClient):
    """PRP-01 is named by a path on the board and by its number in two other PRPs."""
    root = vscode.root
    editor = Editor(vscode)
    prp = editor.open(root / "PRPs/active/01_user_auth.md")
    found = await req(
        vscode.text_document_references_async(
            types.ReferenceParams(
                **at(prp, 0, 4), context=types.ReferenceContext(include_declaration=False)
            )
        )
    )
    places = located(root, found)
    assert places == {
        ("TASK.md", "PRPs/active/01_user_auth.md"),
        ("PRPs/active/PRP_07_password_reset.md", "PRP-01"),
        ("PRPs/active/PRP-002-dashboard-widgets.md", "PRP-01"),
    }, places


@pytest.mark.workspace("example")
async def test_rename_a_prp_number_everywhere_and_check_finds_nothing_new(vscode: LanguageClient):
    """Renumber PRP-01 to 11 from a `PRP-01` mention: its file, title, the board's path and
    the mentions in two other PRPs follow; check finds what it found before."""
    root = vscode.root
    before = findings(root)
    editor = Editor(vscode)
    dashboard = editor.open(root / "PRPs/active/PRP-002-dashboard-widgets.md")
    line, col = find(editor.text(dashboard), "PRP-01 (user authentication)")
    ready = await prepare(vscode, dashboard, (line, col + 4))
    assert ready.placeholder == "01", ready
    # A number another PRP has is refused.
    with pytest.raises(Exception) as refused:
        await rename(vscode, dashboard, (line, col + 4), "7")
    assert "already has number 7" in str(refused.value), refused.value

    editor.apply(await rename(vscode, dashboard, (line, col + 4), "PRP-11"))
    moved = root / "PRPs/active/11_user_auth.md"
    assert moved.is_file() and not (root / "PRPs/active/01_user_auth.md").exists()
    assert moved.read_text(encoding="utf-8").startswith("# PRP-11: User Authentication (JWT)")
    assert "- [ ] PRP-11 (user authentication) merged" in editor.text(dashboard)
    assert "lives after PRP-11" in (root / "PRPs/active/PRP_07_password_reset.md").read_text(encoding="utf-8")
    assert "  - Source: PRPs/active/11_user_auth.md\n" in (root / "TASK.md").read_text(encoding="utf-8")
    renamed = {"PRPs/active/01_user_auth.md": "PRPs/active/11_user_auth.md"}
    assert findings(root) == sorted((renamed.get(p, p), line, code) for p, line, code in before)


@pytest.mark.workspace("example")
async def test_references_of_an_agent_include_its_status_file(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    board = editor.open(root / "TASK.md")
    line, col = find(editor.text(board), "@frontend")
    found = await req(
        vscode.text_document_references_async(
            types.ReferenceParams(**at(board, line, col + 3), context=types.ReferenceContext(include_declaration=False))
        )
    )
    places = located(root, found)
    assert ("agent_contexts/status/frontend.json", "frontend") in places, places
    assert ("PRPs/active/PRP-002-dashboard-widgets.md", "frontend") in places, places
    assert ("TASK.md", "@frontend") in places, places


@pytest.mark.workspace("example")
async def test_references_of_a_heading_are_the_links_to_its_anchor(vscode: LanguageClient):
    root = vscode.root
    prp = root / "PRPs/active/01_user_auth.md"
    text = prp.read_text(encoding="utf-8")
    heading = "### Known Gotchas"
    anchor = "known-gotchas"
    prp.write_text(text + f"\nSee [the criteria](#{anchor}).\n", encoding="utf-8")
    board = root / "TASK.md"
    board.write_text(
        board.read_text(encoding="utf-8") + f"\n- [ ] Review PRPs/active/01_user_auth.md#{anchor}\n", encoding="utf-8"
    )
    watched(vscode, (board, types.FileChangeType.Changed))
    editor = Editor(vscode)
    doc = editor.open(prp)
    line, col = find(editor.text(doc), heading)
    found = await req(
        vscode.text_document_references_async(
            types.ReferenceParams(**at(doc, line, col + 4), context=types.ReferenceContext(include_declaration=False))
        )
    )
    assert located(root, found) == {
        ("PRPs/active/01_user_auth.md", f"#{anchor}"),
        ("TASK.md", f"#{anchor}"),
    }, found

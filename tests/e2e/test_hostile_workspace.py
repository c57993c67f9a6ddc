"""A cloned repository is untrusted input. Its prp-lsp.toml cannot make prp-lsp write outside
the workspace (a `[generate] folder` with `..`, an absolute path, or a symlinked folder that
leads out), neither from the CLI nor through the edits the server sends; and a document that
cannot be read is reported, never silently left out of a check that then passes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from helpers import BIN, MINI, Editor, at, code_actions, find, pull_workspace, req, snapshot

ESCAPES = ["../../../../tmp/{token}", "/tmp/{token}", "PRPs/../../{token}"]


def run(*args: str | Path, cwd: Path | None = None, user: str | None = None):
    command = [BIN, *map(str, args)]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=cwd)


def files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.fixture
def token(tmp_path: Path) -> str:
    """A folder name unique to this test, so a write that escapes can be looked for."""
    return f"prp-lsp-escape-{os.getpid()}-{tmp_path.name}"


def hostile(workspace: Path, folder: str) -> None:
    (workspace / "prp-lsp.toml").write_text(
        f'[agents]\ndirectories = ["agent_contexts"]\n[generate]\nfolder = "{folder}"\n',
        encoding="utf-8",
    )


def assert_not_escaped(token: str, root: Path) -> None:
    for place in [Path("/tmp") / token, root.parent / token, Path("/") / token]:
        assert not place.exists(), f"prp-lsp wrote outside the workspace: {place}"


@pytest.mark.parametrize("folder", ESCAPES)
def test_new_refuses_a_folder_outside_the_workspace(workspace: Path, token: str, folder: str):
    folder = folder.format(token=token)
    hostile(workspace, folder)
    before = files_under(workspace)
    out = run("new", "Add CSV export", "--workspace", workspace)
    assert out.returncode == 2, out
    assert "nothing was written" in out.stderr and "[generate] folder" in out.stderr, out.stderr
    assert out.stdout == ""
    assert files_under(workspace) == before
    assert_not_escaped(token, workspace)


def test_check_reports_the_key_that_leaves_the_workspace(workspace: Path, token: str):
    hostile(workspace, f"../../{token}")
    out = run("check", workspace)
    assert out.returncode == 1, out
    lines = [line for line in out.stdout.splitlines() if "[invalid-config]" in line]
    assert len(lines) == 1, out.stdout
    assert lines[0].startswith("prp-lsp.toml:")
    assert f"[generate] folder `../../{token}` is outside the workspace" in lines[0]
    # Only generation is refused: the rules still run with the rest of the file.
    assert "previous valid configuration" not in lines[0]


def test_new_refuses_a_symlinked_folder_that_leads_out(workspace: Path, tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (workspace / "PRPs" / "linked").symlink_to(outside, target_is_directory=True)
    hostile(workspace, "PRPs/linked/new")
    out = run("new", "Add CSV export", "--workspace", workspace)
    assert out.returncode == 2, out
    assert "symbolic link" in out.stderr, out.stderr
    assert list(outside.iterdir()) == []


def test_new_still_writes_inside_the_workspace(workspace: Path):
    hostile(workspace, "PRPs/planning")
    out = run("new", "Add CSV export", "--workspace", workspace)
    assert out.returncode == 0, out
    assert out.stdout.strip().startswith("PRPs/planning/")
    assert (workspace / out.stdout.strip()).is_file()


SELECTION = "# Notes\n\nLet members export their rehearsal history as a CSV file.\n"


@pytest.mark.files({"docs/notes.md": SELECTION})
@pytest.mark.parametrize("folder", ESCAPES)
async def test_server_offers_no_edit_that_writes_outside(
    vscode: LanguageClient, token: str, folder: str
):
    """With the escaping folder in prp-lsp.toml before the server starts: "Generate PRP" is
    shown disabled with the reason (VS Code shows it greyed out), and `prp.generate` fails
    without sending any edit."""
    root = vscode.root
    hostile(root, folder.format(token=token))
    vscode.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(
                    uri=(root / "prp-lsp.toml").as_uri(), type=types.FileChangeType.Changed
                )
            ]
        )
    )
    editor = Editor(vscode)
    doc = editor.open(root / "docs/notes.md")
    text = editor.text(doc)
    start, end = find(text, "Let members"), find(text, "CSV file.")
    actions = [
        a
        for a in await code_actions(vscode, doc, start, end)
        if a.title.startswith("Generate")
    ]
    assert len(actions) == 1, [a.title for a in actions]
    [action] = actions
    assert action.edit is None
    assert action.disabled is not None
    assert "[generate] folder" in action.disabled.reason, action.disabled.reason

    before = snapshot(root)
    with pytest.raises(Exception) as failure:
        await req(
            vscode.workspace_execute_command_async(
                types.ExecuteCommandParams(command="prp.generate", arguments=["Add CSV export"])
            )
        )
    assert "nothing was generated" in str(failure.value)
    assert vscode.apply_edit_requests == []
    assert snapshot(root) == before
    assert_not_escaped(token, root)


# --- documents that cannot be read -----------------------------------------------------------


@pytest.fixture
def odd_name(workspace: Path) -> Path:
    """A PRP whose file name is not UTF-8 (`61_\\xff\\xfe.md`)."""
    raw = os.path.join(os.fsencode(workspace / "PRPs" / "active"), b"61_\xff\xfe.md")
    with open(raw, "wb") as f:
        f.write(b"# A PRP nobody could check\n")
    return workspace


def test_check_reports_a_document_whose_name_is_not_utf8(odd_name: Path):
    out = run("check", odd_name)
    assert out.returncode == 1, out
    [line] = [line for line in out.stdout.splitlines() if "[unreadable-file]" in line]
    assert line.startswith("PRPs/active/61_\ufffd\ufffd.md:1:1: error[unreadable-file]")
    assert "not valid UTF-8" in line
    # It counts among the checked documents.
    clean = run("check", MINI)
    checked = lambda o: int(o.stdout.rsplit("checked ", 1)[1].split(" ")[0])  # noqa: E731
    assert checked(out) == checked(clean) + 1, (out.stdout, clean.stdout)


@pytest.fixture
def shared_copy():
    """A copy of the mini workspace that another user can read (pytest's tmp_path is
    private to root)."""
    base = Path(tempfile.mkdtemp(prefix="prp-lsp-unreadable-"))
    base.chmod(0o755)
    root = base / "ws"
    shutil.copytree(MINI, root)
    for p in [root, *root.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    yield root
    shutil.rmtree(base)


def test_check_reports_a_document_it_may_not_read(shared_copy: Path):
    prp = shared_copy / "PRPs" / "active" / "03_secret.md"
    prp.write_text("# Secret\n", encoding="utf-8")
    prp.chmod(0o000)
    # Permissions do not stop root: read as an unprivileged user when running as root.
    user = "65534" if os.geteuid() == 0 else None
    out = run("check", shared_copy, user=user)
    assert out.returncode == 1, out
    [line] = [line for line in out.stdout.splitlines() if "[unreadable-file]" in line]
    assert line.startswith("PRPs/active/03_secret.md:1:1: error[unreadable-file]"), line
    assert "Permission denied" in line, line


@pytest.mark.usefixtures("odd_name")
async def test_editor_shows_the_unreadable_document(vscode: LanguageClient):
    reports = await pull_workspace(vscode)
    found = {
        uri: [d.message for d in ds if d.code == "unreadable-file"]
        for uri, ds in reports.items()
    }
    hits = [(uri, m) for uri, ms in found.items() for m in ms]
    assert len(hits) == 1, found
    uri, message = hits[0]
    assert uri.endswith("/PRPs/active/61_%EF%BF%BD%EF%BF%BD.md"), uri
    assert "not valid UTF-8" in message


# --- what a repository cannot reach -----------------------------------------------------------

OUTSIDE_PRP = "# Outside secret plan\n\n## Goal\n\nNot part of this workspace.\n"


@pytest.fixture
def linked_out(workspace: Path, tmp_path: Path) -> Path:
    """Symbolic links inside the workspace to a PRP and a folder outside it."""
    outside = tmp_path / "outside"
    (outside / "PRPs" / "active").mkdir(parents=True)
    (outside / "secret.md").write_text(OUTSIDE_PRP, encoding="utf-8")
    (outside / "PRPs" / "active" / "09_other.md").write_text(OUTSIDE_PRP, encoding="utf-8")
    (workspace / "PRPs" / "active" / "05_link.md").symlink_to(outside / "secret.md")
    (workspace / "PRPs" / "linked").symlink_to(outside / "PRPs", target_is_directory=True)
    return workspace


def test_check_follows_no_symbolic_link(linked_out: Path):
    out = run("check", linked_out, "--format", "json")
    paths = [f["path"] for f in json.loads(out.stdout)["files"]]
    assert not [p for p in paths if "05_link" in p or "linked" in p], paths
    assert "Outside secret" not in out.stdout


async def test_server_follows_no_symbolic_link(linked_out: Path, vscode: LanguageClient):
    symbols = await req(
        vscode.workspace_symbol_async(types.WorkspaceSymbolParams(query="Outside secret"))
    )
    assert not symbols, symbols
    reports = await pull_workspace(vscode)
    assert not [u for u in reports if "05_link" in u or "/linked/" in u], list(reports)


ESCAPING_REFERENCES = """# Reach out

## Goal

Read what is not ours.

## All Needed Context

- file: ../../../../../../etc/passwd
- docfile: /etc/passwd
- See [the users](../../../../../../etc/passwd).
"""


@pytest.mark.files({"PRPs/active/07_reach.md": ESCAPING_REFERENCES})
async def test_references_outside_the_workspace_reveal_nothing(vscode: LanguageClient):
    root = vscode.root
    editor = Editor(vscode)
    doc = editor.open(root / "PRPs/active/07_reach.md")
    text = editor.text(doc)
    for needle in ["../../../../../../etc/passwd", "/etc/passwd", "the users"]:
        line, column = find(text, needle)
        position = at(doc, line, column + 2)
        hover = await req(vscode.text_document_hover_async(types.HoverParams(**position)))
        if hover is not None:
            assert "root:" not in str(hover.contents), hover
        found = await req(
            vscode.text_document_definition_async(types.DefinitionParams(**position))
        )
        locations = found if isinstance(found, list) else [found] if found else []
        for location in locations:
            target = getattr(location, "uri", None) or getattr(location, "target_uri", "")
            assert target.startswith(root.as_uri()), f"definition leads out: {target}"

"""Shared helpers of the end-to-end suite: client capabilities as real editors send them,
document synchronization, diagnostics (pulled and pushed) and waiting with timeouts."""

from __future__ import annotations

import asyncio
import os
import re
import time
from pathlib import Path
from typing import Any, Awaitable, Callable, Iterable, TypeVar

import attrs
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
EXAMPLE = REPO / "examples" / "workspace"
MINI = HERE / "workspaces" / "mini"
BIN = os.environ.get("PRP_LSP_BIN") or str(REPO / "target" / "debug" / "prp-lsp")

# Generous for a loaded CI machine, but every wait is bounded.
TIMEOUT = 10.0
INDEXING_TOKEN = "prp-lsp/indexing"

T = TypeVar("T")


# --- the sample workspace ---

Triple = tuple[str, int, str]  # (workspace-relative path, 1-based line, rule code)

def expected_findings() -> list[Triple]:
    """The table of EXPECTED.md: `| # | `code` | `file` | line | what |`."""
    rows = []
    row = re.compile(r"^\|\s*[0-9]+[a-z]?\s*\|\s*`([a-z-]+)`\s*\|\s*`([^`]+)`\s*\|\s*(\d+)\s*\|")
    for line in (EXAMPLE / "EXPECTED.md").read_text(encoding="utf-8").splitlines():
        m = row.match(line)
        if m:
            rows.append((m.group(2), int(m.group(3)), m.group(1)))
    return rows

EXPECTED = expected_findings()
"""(path, line, code) of every finding the sample workspace must report."""


# --- capabilities -----------------------------------------------------------------------


def vscode_capabilities() -> types.ClientCapabilities:
    """VS Code's captured capabilities, with what a current VS Code adds on top: pull
    diagnostics with refresh, inlay hint refresh, work-done progress, dynamically
    registered file watchers and UTF-16 positions only."""
    caps = client_capabilities("visual-studio-code")
    text = attrs.evolve(
        caps.text_document,
        diagnostic=types.DiagnosticClientCapabilities(
            dynamic_registration=True, related_document_support=False
        ),
    )
    workspace = attrs.evolve(
        caps.workspace,
        diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True),
        inlay_hint=types.InlayHintWorkspaceClientCapabilities(refresh_support=True),
        did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
            dynamic_registration=True, relative_pattern_support=True
        ),
    )
    window = attrs.evolve(caps.window, work_done_progress=True)
    general = attrs.evolve(
        caps.general or types.GeneralClientCapabilities(),
        position_encodings=[types.PositionEncodingKind.Utf16],
    )
    return attrs.evolve(
        caps, text_document=text, workspace=workspace, window=window, general=general
    )


def nvim_capabilities() -> types.ClientCapabilities:
    """Neovim's captured capabilities without pull diagnostics (diagnostics are pushed),
    offering UTF-8 and UTF-16 positions."""
    caps = client_capabilities("neovim@v0.10.0")
    text = attrs.evolve(caps.text_document, diagnostic=None)
    general = attrs.evolve(
        caps.general or types.GeneralClientCapabilities(),
        position_encodings=[
            types.PositionEncodingKind.Utf8,
            types.PositionEncodingKind.Utf16,
        ],
    )
    return attrs.evolve(caps, text_document=text, general=general)


def initialize_params(
    capabilities: types.ClientCapabilities, root: Path, name: str
) -> types.InitializeParams:
    return types.InitializeParams(
        capabilities=capabilities,
        client_info=types.ClientInfo(name=name, version="e2e"),
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
    )


# --- waiting ----------------------------------------------------------------------------


async def req(aw: Awaitable[T], timeout: float = TIMEOUT) -> T:
    """A request's answer, or a test failure after `timeout` seconds."""
    return await asyncio.wait_for(aw, timeout)


async def wait_until(
    predicate: Callable[[], Any], what: str, timeout: float = TIMEOUT
) -> Any:
    """Polls `predicate` until it returns something truthy; fails after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.01)


# --- documents --------------------------------------------------------------------------


def uri(path: Path) -> str:
    return path.as_uri()


def open_doc(
    client: LanguageClient, path: Path, text: str | None = None, version: int = 1
) -> str:
    if text is None:
        text = path.read_text(encoding="utf-8")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri(path), language_id="markdown", version=version, text=text
            )
        )
    )
    return uri(path)


def change_range(
    client: LanguageClient,
    doc: str,
    version: int,
    start: tuple[int, int],
    end: tuple[int, int],
    text: str,
) -> None:
    """An incremental change replacing start..end (line, character) with `text`."""
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=doc, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=start[0], character=start[1]),
                        end=types.Position(line=end[0], character=end[1]),
                    ),
                    text=text,
                )
            ],
        )
    )


def change_full(client: LanguageClient, doc: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=doc, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def close_doc(client: LanguageClient, doc: str) -> None:
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=doc)
        )
    )


def watched(client: LanguageClient, *events: tuple[Path, types.FileChangeType]) -> None:
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri(p), type=t) for p, t in events]
        )
    )


def td(doc: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=doc)


def at(doc: str, line: int, character: int) -> dict[str, Any]:
    """Keyword arguments of a position request."""
    return {
        "text_document": td(doc),
        "position": types.Position(line=line, character=character),
    }


def find(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """(line, UTF-16 column) of the start of `needle` in `text`."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    before = text[:index]
    line = before.count("\n")
    col_text = before[before.rfind("\n") + 1 :]
    return line, len(col_text.encode("utf-16-le")) // 2


# --- diagnostics ------------------------------------------------------------------------


def code_of(d: types.Diagnostic) -> str:
    return str(d.code)


def codes(diagnostics: Iterable[types.Diagnostic]) -> list[str]:
    return sorted(code_of(d) for d in diagnostics)


async def pull(client: LanguageClient, doc: str) -> list[types.Diagnostic]:
    """`textDocument/diagnostic` for one document: its items."""
    report = await req(
        client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=td(doc))
        )
    )
    assert report.kind == "full", report
    return list(report.items)


async def pull_workspace(client: LanguageClient) -> dict[str, list[types.Diagnostic]]:
    """`workspace/diagnostic`: items by document URI."""
    report = await req(
        client.workspace_diagnostic_async(
            types.WorkspaceDiagnosticParams(previous_result_ids=[])
        )
    )
    out: dict[str, list[types.Diagnostic]] = {}
    for item in report.items:
        assert item.kind == "full", item
        assert item.uri not in out, f"{item.uri} reported twice"
        out[item.uri] = list(item.items)
    return out


async def pull_until(
    client: LanguageClient,
    doc: str,
    predicate: Callable[[list[types.Diagnostic]], bool],
    what: str,
    timeout: float = TIMEOUT,
) -> list[types.Diagnostic]:
    """Pulls `doc` until its diagnostics satisfy `predicate` (for changes the server
    learns from notifications, which carry no answer to wait for)."""
    deadline = time.monotonic() + timeout
    while True:
        items = await pull(client, doc)
        if predicate(items):
            return items
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; last: {codes(items)}")
        await asyncio.sleep(0.02)


async def wait_published(
    client: LanguageClient,
    doc: str,
    *,
    version: int | None = None,
    predicate: Callable[[list[types.Diagnostic]], bool] | None = None,
    after: int = 0,
    what: str = "",
    timeout: float = TIMEOUT,
) -> types.PublishDiagnosticsParams:
    """The first `textDocument/publishDiagnostics` for `doc` (at index >= `after` of the
    ones received) with `version` and satisfying `predicate`."""

    def found():
        for p in client.published[after:]:
            if p.uri != doc or (version is not None and p.version != version):
                continue
            if predicate is None or predicate(list(p.diagnostics)):
                return p
        return None

    return await wait_until(
        found, what or f"publishDiagnostics for {doc} version {version}", timeout
    )


# --- applying workspace edits as an editor does -----------------------------------------


class EditRefused(Exception):
    """The editor would not apply this WorkspaceEdit (nothing was changed)."""


def offset_at(text: str, position: types.Position, encoding: str) -> int:
    """The index into `text` of an LSP position, columns counted in `encoding` units."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    if position.line >= len(starts):
        return len(text)
    start = starts[position.line]
    end = starts[position.line + 1] - 1 if position.line + 1 < len(starts) else len(text)
    units, i = 0, start
    while i < end and units < position.character:
        c = text[i]
        if encoding == types.PositionEncodingKind.Utf8:
            units += len(c.encode("utf-8"))
        elif encoding == types.PositionEncodingKind.Utf32:
            units += 1
        else:
            units += len(c.encode("utf-16-le")) // 2
        i += 1
    if units > position.character:
        raise EditRefused(f"position {position} falls inside a character")
    return i


def apply_text_edits(text: str, edits: Iterable[Any], encoding: str) -> str:
    """LSP text edits (all relative to `text`), applied as the protocol says: in position
    order, inserts at one position in the order given; overlapping edits are refused."""
    spans = []
    for order, e in enumerate(edits):
        start = offset_at(text, e.range.start, encoding)
        end = offset_at(text, e.range.end, encoding)
        if end < start:
            raise EditRefused(f"edit range ends before it starts: {e.range}")
        spans.append((start, end, order, e.new_text))
    spans.sort()
    out, at = [], 0
    for start, end, _, new_text in spans:
        if start < at:
            raise EditRefused("overlapping text edits")
        out.append(text[at:start])
        out.append(new_text)
        at = end
    out.append(text[at:])
    return "".join(out)


def path_of(doc_uri: str) -> Path:
    from urllib.parse import unquote, urlparse

    parsed = urlparse(doc_uri)
    assert parsed.scheme == "file", doc_uri
    return Path(unquote(parsed.path))


class Editor:
    """The editor side of a session: open buffers with their versions, and the application
    of WorkspaceEdits the way VS Code does it. `documentChanges` are applied in order; a
    TextDocumentEdit whose version is not the open buffer's is refused, as is a CreateFile
    or RenameFile onto an existing file (overwrite false, ignoreIfExists false). The whole
    edit is checked before anything changes: a refused edit changes nothing. Applied
    changes are saved to disk; the server hears about them as an editor tells it (didChange
    for open buffers, didClose/didOpen across a rename, watched-file events for files on
    disk)."""

    def __init__(self, client: LanguageClient):
        self.client = client
        self.docs: dict[str, tuple[int, str]] = {}  # uri -> (version, text)
        caps = getattr(client, "init_result", None)
        encoding = caps.capabilities.position_encoding if caps else None
        self.encoding = encoding or types.PositionEncodingKind.Utf16
        self.applied: list[types.WorkspaceEdit] = []
        client.apply_edit_handler = self.handle_apply_edit

    # buffers

    def open(self, path: Path, text: str | None = None) -> str:
        if text is None:
            text = path.read_text(encoding="utf-8")
        doc = open_doc(self.client, path, text, version=1)
        self.docs[doc] = (1, text)
        return doc

    def change(self, doc: str, text: str) -> int:
        version = self.docs[doc][0] + 1
        change_full(self.client, doc, version, text)
        self.docs[doc] = (version, text)
        return version

    def close(self, doc: str) -> None:
        close_doc(self.client, doc)
        del self.docs[doc]

    def version(self, doc: str) -> int:
        return self.docs[doc][0]

    def text(self, doc: str) -> str:
        return self.docs[doc][1]

    # applying

    def handle_apply_edit(
        self, params: types.ApplyWorkspaceEditParams
    ) -> types.ApplyWorkspaceEditResult:
        try:
            self.apply(params.edit)
        except EditRefused as e:
            return types.ApplyWorkspaceEditResult(applied=False, failure_reason=str(e))
        return types.ApplyWorkspaceEditResult(applied=True)

    def apply(self, edit: types.WorkspaceEdit | None) -> None:
        """Applies `edit` or raises EditRefused having changed nothing."""
        if edit is None:
            raise EditRefused("the action carries no edit")
        files: dict[Path, str | None] = {}  # planned contents; None = gone

        def exists(p: Path) -> bool:
            return files[p] is not None if p in files else p.exists()

        def current(p: Path, what: str) -> str:
            if p in files:
                if files[p] is None:
                    raise EditRefused(f"{what}: {p} no longer exists")
                return files[p]  # type: ignore[return-value]
            doc = uri(p)
            if doc in self.docs:
                return self.docs[doc][1]
            if not p.is_file():
                raise EditRefused(f"{what}: {p} does not exist")
            return p.read_text(encoding="utf-8")

        renames: list[tuple[Path, Path]] = []
        if edit.document_changes is not None:
            for op in edit.document_changes:
                if isinstance(op, types.TextDocumentEdit):
                    p = path_of(op.text_document.uri)
                    wanted = op.text_document.version
                    if wanted is not None:
                        open_version = self.docs.get(op.text_document.uri, (None,))[0]
                        if open_version != wanted:
                            raise EditRefused(
                                f"{p.name}: the edit is for version {wanted}, the document "
                                f"is at version {open_version}"
                            )
                    files[p] = apply_text_edits(current(p, "edit"), op.edits, self.encoding)
                elif isinstance(op, types.CreateFile):
                    p = path_of(op.uri)
                    opts = op.options or types.CreateFileOptions()
                    if exists(p):
                        if opts.ignore_if_exists:
                            continue
                        if not opts.overwrite:
                            raise EditRefused(f"create: {p} already exists")
                    files[p] = ""
                elif isinstance(op, types.RenameFile):
                    old, new = path_of(op.old_uri), path_of(op.new_uri)
                    opts = op.options or types.RenameFileOptions()
                    text = current(old, "rename")
                    if exists(new):
                        if opts.ignore_if_exists:
                            continue
                        if not opts.overwrite:
                            raise EditRefused(f"rename: {new} already exists")
                    files[old] = None
                    files[new] = text
                    renames.append((old, new))
                elif isinstance(op, types.DeleteFile):
                    p = path_of(op.uri)
                    current(p, "delete")
                    files[p] = None
                else:
                    raise EditRefused(f"unknown operation {op!r}")
        elif edit.changes is not None:
            for doc, edits in edit.changes.items():
                p = path_of(doc)
                files[p] = apply_text_edits(current(p, "edit"), edits, self.encoding)
        else:
            raise EditRefused("an empty WorkspaceEdit")
        self._commit(files, renames)
        self.applied.append(edit)

    def _commit(self, files: dict[Path, str | None], renames: list[tuple[Path, Path]]):
        events: list[tuple[Path, types.FileChangeType]] = []
        existed = {p: p.exists() for p in files}
        for p, text in files.items():
            if text is None:
                if p.exists():
                    p.unlink()
            else:
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_bytes(text.encode("utf-8"))
        moved_buffers = {old: new for old, new in renames if uri(old) in self.docs}
        for p, text in files.items():
            doc = uri(p)
            if text is None:
                if doc in self.docs:
                    self.close(doc)
                events.append((p, types.FileChangeType.Deleted))
            elif doc in self.docs:
                if text != self.docs[doc][1]:
                    self.change(doc, text)
            elif p in moved_buffers.values():
                pass  # reopened below
            else:
                kind = types.FileChangeType.Changed if existed[p] else types.FileChangeType.Created
                events.append((p, kind))
        for old, new in moved_buffers.items():
            self.open(new, files[new])
            events.append((new, types.FileChangeType.Created))
        if events:
            watched(self.client, *events)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file below `root` by relative path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


EXPECTED_DIR = HERE / "expected"


def assert_files(
    root: Path, before: dict[str, bytes], name: str, substitutions: dict[str, str] | None = None
) -> None:
    """The workspace changed exactly as tests/e2e/expected/<name>/ says: `files/` holds every
    file that is new or changed (with `{{TODAY}}`-style substitutions applied), `removed.txt`
    lists the files that are gone; everything else is as it was. With PRP_E2E_BLESS=1 the
    expected files are (re)written from the result instead (review them before committing)."""
    after = snapshot(root)
    changed = {p: b for p, b in after.items() if before.get(p) != b}
    removed = sorted(set(before) - set(after))
    base = EXPECTED_DIR / name
    subs = substitutions or {}
    if os.environ.get("PRP_E2E_BLESS") == "1":
        import shutil

        shutil.rmtree(base, ignore_errors=True)
        for rel, data in changed.items():
            text = data.decode("utf-8")
            for key, value in subs.items():
                text = text.replace(value, key)
            target = base / "files" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
        if removed:
            base.mkdir(parents=True, exist_ok=True)
            (base / "removed.txt").write_text("".join(f"{r}\n" for r in removed))
        return
    assert base.is_dir(), f"no expected files at {base} (bless with PRP_E2E_BLESS=1)"
    expected: dict[str, bytes] = {}
    files_dir = base / "files"
    if files_dir.is_dir():
        for p in sorted(files_dir.rglob("*")):
            if p.is_file():
                text = p.read_bytes().decode("utf-8")
                for key, value in subs.items():
                    text = text.replace(key, value)
                expected[p.relative_to(files_dir).as_posix()] = text.encode("utf-8")
    removed_file = base / "removed.txt"
    expected_removed = (
        removed_file.read_text().split() if removed_file.is_file() else []
    )
    assert sorted(changed) == sorted(expected), (
        f"changed files: {sorted(changed)}; expected: {sorted(expected)}"
    )
    assert removed == sorted(expected_removed), f"removed: {removed}"
    for rel, data in expected.items():
        got = changed[rel].decode("utf-8")
        want = data.decode("utf-8")
        if got != want:
            import difflib

            diff = "".join(
                difflib.unified_diff(
                    want.splitlines(True), got.splitlines(True), f"expected/{rel}", f"got/{rel}"
                )
            )
            raise AssertionError(f"{rel} differs from {base / 'files' / rel}:\n{diff}")


# --- code actions -----------------------------------------------------------------------


async def code_actions(
    client: LanguageClient,
    doc: str,
    start: tuple[int, int],
    end: tuple[int, int] | None = None,
    *,
    only: list[str] | None = None,
    diagnostics: list[types.Diagnostic] | None = None,
) -> list[types.CodeAction]:
    """`textDocument/codeAction` over start..end (a cursor when `end` is None), as an editor
    asks when the light bulb is clicked: with the diagnostics under the range."""
    end = end or start
    result = await req(
        client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=td(doc),
                range=types.Range(
                    start=types.Position(line=start[0], character=start[1]),
                    end=types.Position(line=end[0], character=end[1]),
                ),
                context=types.CodeActionContext(
                    diagnostics=diagnostics or [], only=only
                ),
            )
        )
    )
    out = []
    for a in result or []:
        assert isinstance(a, types.CodeAction), f"a bare Command: {a}"
        out.append(a)
    return out


def titled(actions: Iterable[types.CodeAction], title: str) -> types.CodeAction:
    """The one action whose title starts with `title`."""
    found = [a for a in actions if a.title.startswith(title)]
    assert len(found) == 1, f"{title!r} among {[a.title for a in actions]}"
    return found[0]


def titles(actions: Iterable[types.CodeAction]) -> list[str]:
    return [a.title for a in actions]


def today_utc() -> str:
    import datetime

    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def big_prp(root: Path, limit: int | None) -> str:
    """A PRP naming a file that does not exist, padded past `limit` bytes (written into
    prp-lsp.toml's `[limits]` when given); returns its workspace path."""
    if limit is not None:
        toml = root / "prp-lsp.toml"
        toml.write_text(toml.read_text() + f"\n[limits]\ndocument-size = {limit}\n")
    text = (root / "PRPs/active/01_user_login.md").read_text()
    text = text.replace("# PRP-01: User Login", "# PRP-03: Big Login")
    padding = "".join(f"Note {i}: the login page keeps its layout.\n" for i in range(100))
    rel = "PRPs/active/03_big_login.md"
    (root / rel).write_text(text + "\n- file: backend/app/gone.py\n\n" + padding)
    return rel


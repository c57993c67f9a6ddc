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
    diagnostics with refresh, work-done progress, dynamically registered file watchers
    and UTF-16 positions only."""
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

"""Open / change / close: diagnostics follow the editor's buffer, pulled (VS Code-like) or
pushed with the buffer's version (Neovim-like)."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

from helpers import (
    change_full,
    change_range,
    close_doc,
    codes,
    find,
    open_doc,
    pull,
    wait_published,
)

PRP = "PRPs/active/01_user_login.md"
WHY = "## Why\n\nEvery other feature needs to know who the user is.\n\n"


def without_why(text: str) -> str:
    assert WHY in text
    return text.replace(WHY, "")


def missing(diagnostics) -> list[types.Diagnostic]:
    return [d for d in diagnostics if str(d.code) == "missing-section"]


async def test_pull_open_incremental_full_close(vscode: LanguageClient):
    path = vscode.root / PRP
    on_disk = path.read_text(encoding="utf-8")
    assert missing(await pull(vscode, path.as_uri())) == []

    # Open a buffer without the Why section: reported on the title line, naming `Why`.
    text = without_why(on_disk)
    doc = open_doc(vscode, path, text, version=1)
    items = missing(await pull(vscode, doc))
    assert len(items) == 1, codes(await pull(vscode, doc))
    assert "`Why`" in items[0].message
    assert items[0].range.start.line == 0
    assert items[0].severity == types.DiagnosticSeverity.Warning
    assert items[0].source == "prp-lsp"

    # Type the section back in with an incremental change just before `## What`.
    line, col = find(text, "## What")
    assert col == 0
    change_range(vscode, doc, 2, (line, 0), (line, 0), WHY)
    assert missing(await pull(vscode, doc)) == []

    # Delete it again with an incremental change spanning lines.
    change_range(vscode, doc, 3, (line, 0), (line + 4, 0), "")
    assert len(missing(await pull(vscode, doc))) == 1

    # Whole-document changes work too.
    change_full(vscode, doc, 4, on_disk)
    assert missing(await pull(vscode, doc)) == []
    change_full(vscode, doc, 5, text)
    assert len(missing(await pull(vscode, doc))) == 1

    # Closing without saving: the file on disk (which has the section) is the truth again.
    close_doc(vscode, doc)
    assert missing(await pull(vscode, doc)) == []


async def test_pull_incremental_edits_apply_in_order(vscode: LanguageClient):
    """Several changes in one notification are applied one after the other."""
    path = vscode.root / PRP
    text = without_why(path.read_text(encoding="utf-8"))
    doc = open_doc(vscode, path, text, version=1)
    line, _ = find(text, "## What")
    vscode.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=doc, version=2),
            content_changes=[
                # First insert a heading with a typo, then fix the typo: positions of the
                # second change refer to the text after the first.
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=line, character=0),
                        end=types.Position(line=line, character=0),
                    ),
                    text="## Wyh\n\nBecause.\n\n",
                ),
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=line, character=3),
                        end=types.Position(line=line, character=6),
                    ),
                    text="Why",
                ),
            ],
        )
    )
    assert missing(await pull(vscode, doc)) == []


async def test_push_diagnostics_carry_the_buffer_version(nvim: LanguageClient):
    path = nvim.root / PRP
    on_disk = path.read_text(encoding="utf-8")
    text = without_why(on_disk)
    after = len(nvim.published)
    doc = open_doc(nvim, path, text, version=1)
    first = await wait_published(nvim, doc, version=1, after=after)
    assert len(missing(first.diagnostics)) == 1

    line, _ = find(text, "## What")
    after = len(nvim.published)
    change_range(nvim, doc, 2, (line, 0), (line, 0), WHY)
    second = await wait_published(nvim, doc, version=2, after=after)
    assert missing(second.diagnostics) == []

    # Two quick edits: the last diagnostics published for the document are version 3's.
    after = len(nvim.published)
    change_full(nvim, doc, 3, text)
    change_full(nvim, doc, 4, on_disk)
    change_full(nvim, doc, 5, text)
    await wait_published(nvim, doc, version=5, after=after)
    await nvim.workspace_symbol_async(types.WorkspaceSymbolParams(query="#sync#"))
    latest = [p for p in nvim.published[after:] if p.uri == doc][-1]
    assert latest.version == 5
    assert len(missing(latest.diagnostics)) == 1


async def test_push_close_reports_the_file_on_disk(nvim: LanguageClient):
    path = nvim.root / PRP
    doc = open_doc(nvim, path, without_why(path.read_text(encoding="utf-8")), version=7)
    await wait_published(
        nvim, doc, version=7, predicate=lambda ds: len(missing(ds)) == 1
    )
    after = len(nvim.published)
    close_doc(nvim, doc)
    closed = await wait_published(nvim, doc, after=after)
    assert closed.version is None
    assert missing(closed.diagnostics) == []

"""Non-ASCII text: positions are exact in the negotiated encoding, both in what the server
reports and in what it reads from the client (UTF-16 for VS Code, UTF-8 bytes for a client
that offered UTF-8)."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

from helpers import at, change_range, codes, open_doc, pull, req, wait_published

TEXT = """# PRP-09: Émojis et accents 🎉

**Status**: In Progress

## 🎯 Goal

🎯 See [the spec](docs/spéc-manquante.md) before starting.

## Why

Les utilisateurs l'ont demandé — 会議 included.

## What

Nothing else.

## Success Criteria

- [ ] It works

## All Needed Context

- file: backend/app/main.py

## Implementation Blueprint

Do it.

## Validation Loop

```bash
pytest
```
"""
LINK_LINE = 6
HEADING_LINE = 4
TARGET = "docs/spéc-manquante.md"
BEFORE = "🎯 See [the spec]("  # what precedes the target on its line

# Code units before / after the target on its line.
UTF16_START = len(BEFORE.encode("utf-16-le")) // 2
UTF16_END = UTF16_START + len(TARGET.encode("utf-16-le")) // 2
UTF8_START = len(BEFORE.encode("utf-8"))
UTF8_END = UTF8_START + len(TARGET.encode("utf-8"))


def test_expected_offsets_are_what_we_think():
    # 🎯 is 2 UTF-16 code units and 4 UTF-8 bytes; é is 1 and 2.
    assert (UTF16_START, UTF16_END) == (18, 40)
    assert (UTF8_START, UTF8_END) == (20, 43)
    assert TEXT.split("\n")[LINK_LINE].startswith(BEFORE + TARGET)
    assert TEXT.split("\n")[HEADING_LINE] == "## 🎯 Goal"


def unresolved(diagnostics) -> types.Diagnostic:
    found = [d for d in diagnostics if str(d.code) == "unresolved-reference"]
    assert len(found) == 1, codes(diagnostics)
    return found[0]


def rng(l1, c1, l2, c2) -> types.Range:
    return types.Range(
        start=types.Position(line=l1, character=c1),
        end=types.Position(line=l2, character=c2),
    )


async def test_utf16_offsets_after_emoji(vscode: LanguageClient):
    path = vscode.root / "PRPs" / "active" / "09_emoji.md"
    doc = open_doc(vscode, path, TEXT)
    items = await pull(vscode, doc)
    # The emoji heading counts as the Goal section: the only finding is the link.
    assert codes(items) == ["unresolved-reference"]
    d = unresolved(items)
    assert d.range == rng(LINK_LINE, UTF16_START, LINK_LINE, UTF16_END)
    assert TARGET in d.message

    # Positions from the client are UTF-16 too: hover inside `Goal` (after the emoji).
    hover = await req(vscode.text_document_hover_async(types.HoverParams(**at(doc, HEADING_LINE, 7))))
    assert hover is not None
    assert hover.range == rng(HEADING_LINE, 0, HEADING_LINE, 10)

    # Replace exactly the target, addressed in UTF-16, by a file that exists.
    change_range(
        vscode, doc, 2, (LINK_LINE, UTF16_START), (LINK_LINE, UTF16_END), "docs/architecture.md"
    )
    assert await pull(vscode, doc) == []


async def test_utf8_offsets_after_emoji(nvim: LanguageClient):
    path = nvim.root / "PRPs" / "active" / "09_emoji.md"
    doc = open_doc(nvim, path, TEXT)
    published = await wait_published(nvim, doc, version=1)
    assert codes(published.diagnostics) == ["unresolved-reference"]
    d = unresolved(published.diagnostics)
    assert d.range == rng(LINK_LINE, UTF8_START, LINK_LINE, UTF8_END)

    hover = await req(nvim.text_document_hover_async(types.HoverParams(**at(doc, HEADING_LINE, 9))))
    assert hover is not None
    assert hover.range == rng(HEADING_LINE, 0, HEADING_LINE, 12)

    # The same edit, addressed in UTF-8 bytes.
    after = len(nvim.published)
    change_range(
        nvim, doc, 2, (LINK_LINE, UTF8_START), (LINK_LINE, UTF8_END), "docs/architecture.md"
    )
    fixed = await wait_published(nvim, doc, version=2, after=after)
    assert list(fixed.diagnostics) == []

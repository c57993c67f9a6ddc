"""Whatever the editor sends, the session keeps answering: unknown documents, huge
documents, half-typed Markdown and garbage, undecodable files, a broken configuration."""

from __future__ import annotations

import time

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from helpers import (
    at,
    change_full,
    change_range,
    codes,
    open_doc,
    pull,
    pull_until,
    pull_workspace,
    req,
    td,
    wait_published,
    watched,
)

PRP = "PRPs/active/01_user_login.md"


async def still_answers(client: LanguageClient) -> None:
    """The server is alive and its index usable (agents are never edited by these tests)."""
    assert client._server.returncode is None
    found = await req(
        client.workspace_symbol_async(types.WorkspaceSymbolParams(query="backend developer"))
    )
    assert [s.name for s in found] == ["Agent Backend Developer"]
    # Diagnostics of a document on disk are still computed.
    board = (client.root / "TASK.md").as_uri()
    items = await req(
        client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=td(board)))
    )
    assert items.kind == "full"


async def every_request(client: LanguageClient, doc: str, line: int, character: int):
    """Hover, definition, completion, symbols, folding and diagnostics at a position; returns
    their answers."""
    pos = at(doc, line, character)
    return [
        await req(client.text_document_hover_async(types.HoverParams(**pos))),
        await req(client.text_document_definition_async(types.DefinitionParams(**pos))),
        await req(client.text_document_completion_async(types.CompletionParams(**pos))),
        await req(
            client.text_document_document_symbol_async(
                types.DocumentSymbolParams(text_document=td(doc))
            )
        ),
        await req(
            client.text_document_folding_range_async(
                types.FoldingRangeParams(text_document=td(doc))
            )
        ),
        await pull(client, doc),
    ]


def empty(answer) -> bool:
    return answer is None or answer == [] or answer == ()


@pytest.mark.parametrize(
    "where",
    ["outside", "inside", "untitled"],
)
async def test_unknown_document_gets_empty_answers(vscode: LanguageClient, where: str, tmp_path):
    doc = {
        "outside": (tmp_path / "elsewhere" / "never.md").as_uri(),
        "inside": (vscode.root / "PRPs" / "active" / "99_never_opened.md").as_uri(),
        # A new, unsaved VS Code buffer.
        "untitled": "untitled:Untitled-1",
    }[where]
    answers = await every_request(vscode, doc, 3, 5)
    assert all(empty(a) for a in answers), answers
    await still_answers(vscode)


async def test_untitled_buffer_is_tolerated(vscode: LanguageClient):
    vscode.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri="untitled:Untitled-2", language_id="markdown", version=1, text="# Draft\n\n- ["
            )
        )
    )
    change_full(vscode, "untitled:Untitled-2", 2, "# Draft\n\n## Goal\n")
    answers = await every_request(vscode, "untitled:Untitled-2", 0, 2)
    assert answers[-1] == []  # no diagnostics for a document with no file
    await still_answers(vscode)


def big_prp(target_bytes: int) -> str:
    sections = []
    i = 0
    body = "Some words about the work, repeated to fill the page. " * 4 + "\n"
    while sum(map(len, sections)) < target_bytes:
        sections.append(f"### Note {i}\n\n" + body * 8 + "\n- [ ] item\n- [x] done\n\n")
        i += 1
    head = (
        "# PRP-42: Huge\n\n## Goal\n\nG.\n\n## Why\n\nW.\n\n## What\n\nW.\n\n"
        "## Success Criteria\n\n- [ ] ok\n\n## All Needed Context\n\n"
        "- file: backend/app/main.py\n\n## Implementation Blueprint\n\n"
    )
    tail = "\n## Validation Loop\n\n- file: backend/app/at_the_very_end.py\n"
    return head + "".join(sections) + tail


async def test_two_megabyte_document(vscode: LanguageClient):
    text = big_prp(2 * 1024 * 1024)
    assert len(text.encode("utf-8")) >= 2 * 1024 * 1024
    path = vscode.root / "PRPs" / "active" / "42_huge.md"
    started = time.monotonic()
    doc = open_doc(vscode, path, text)
    items = await pull(vscode, doc)
    elapsed = time.monotonic() - started
    # The one finding sits on the last line: line numbers are right at the end of the file.
    unresolved = [d for d in items if str(d.code) == "unresolved-reference"]
    assert len(unresolved) == 1, codes(items)
    assert unresolved[0].range.start.line == text.count("\n") - 1
    assert elapsed < 10, f"diagnostics of a 2 MB document took {elapsed:.1f}s"
    # Typing in it stays possible.
    change_range(vscode, doc, 2, (0, 2), (0, 2), "X")
    assert len(await pull(vscode, doc)) == len(items)
    symbols = await req(
        vscode.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=td(doc)))
    )
    assert symbols
    await still_answers(vscode)


HALF_TYPED = [
    "",
    "#",
    "# ",
    "##",
    "- [",
    "- [ ",
    "- [x",
    "```",
    "```bash\n# not a heading\n",
    "````\n```\n",
    "~~~\n",
    "**Status**:",
    "**Assigned to**:",
    "**Assigned to**: @",
    "- file:",
    "- file: ",
    "[link](",
    "[link](<",
    "![img](../../../../../../etc/passwd)",
    "- Source: PRPs/",
    "@",
    "---\n",
    "---\ntitle: [unclosed\n",
    "---\n---\n---\n",
    "> > > ## quoted",
    "| a | b |\n|---|\n| `x",
    "<!-- prp-lsp-disable",
    "\r\r\r## Goal\r",
    "\r\n\r\n#\r\n- [",
    "\t\t- [ ] \t**Assigned to**:\t",
    "\x00\x01\x02\x7f\ufffd\u200b\u202e",
    "🎯" * 5000,
    "a" * 200_000,
    "# x\n" * 3000,
    "\n" * 5000,
    "## Task 99999999999999999999: overflow\n",
    "- [ ] Progress: 99999999999999999999/0 tasks complete",
    "Progress: 3/0 tasks complete\n- [x] a\n",
    "completed 2026-13-45 (completed 0000-00-00)",
]


def internal_errors(client: LanguageClient) -> list[str]:
    """Errors the server logged about its own handlers (a panic caught by the framework)."""
    return [
        m.message
        for m in client.log_messages
        if m.type == types.MessageType.Error and "failed while computing" in m.message
    ]


async def type_fragments(
    client: LanguageClient, doc: str, original: str, probe: bool = True
) -> dict[str, int]:
    """Types each fragment at the end of the PRP and as the whole document, asking for
    everything at a few positions after each (only diagnostics unless `probe`); returns, per
    fragment, how many internal errors the server logged while handling it."""
    version = 1
    errors: dict[str, int] = {}
    for fragment in HALF_TYPED:
        before = len(internal_errors(client))
        for text in (original + fragment, fragment):
            version += 1
            change_full(client, doc, version, text)
            if not probe:
                await pull(client, doc)
                continue
            lines = text.split("\n")
            last = len(lines) - 1
            for line, char in ((0, 0), (0, 1), (last, len(lines[last])), (last + 5, 999)):
                await every_request(client, doc, line, char)
        if len(internal_errors(client)) > before:
            errors[fragment[:20]] = len(internal_errors(client)) - before
    return errors


async def test_half_typed_and_garbage_never_crash(vscode: LanguageClient):
    path = vscode.root / PRP
    original = path.read_text(encoding="utf-8")
    doc = open_doc(vscode, path, original)
    await type_fragments(vscode, doc, original)
    # Back to the real text: the buffer is analysed again.
    change_full(vscode, doc, 1000, original.replace("## Why\n", "## Reasons\n"))
    assert "missing-section" in codes(await pull(vscode, doc))
    await still_answers(vscode)


async def test_half_typed_input_causes_no_internal_error(vscode: LanguageClient):
    path = vscode.root / PRP
    original = path.read_text(encoding="utf-8")
    doc = open_doc(vscode, path, original)
    errors = await type_fragments(vscode, doc, original, probe=False)
    await still_answers(vscode)
    assert errors == {}, f"internal errors for fragments: {errors}; {internal_errors(vscode)[:2]}"


ROCKET = """# PRP-05: Rocket Launch

🚀🚀 Ship it this week

**Status**: Ready

## Goal

Launch.

## What

The launch.

## Success Criteria

- [ ] Launched

## All Needed Context

- file: backend/app/main.py

## Implementation Blueprint

Count down.

## Validation Loop

```bash
pytest
```
"""


async def test_buffer_with_emoji_line_is_analysed(vscode: LanguageClient):
    path = vscode.root / "PRPs" / "active" / "05_rocket_launch.md"
    doc = open_doc(vscode, path, ROCKET)  # lacks `## Why`
    items = await pull(vscode, doc)
    assert codes(items) == ["missing-section"], internal_errors(vscode)
    assert internal_errors(vscode) == []


@pytest.mark.files({"PRPs/active/05_rocket_launch.md": ROCKET})
async def test_indexing_survives_a_file_with_emoji_line(nvim: LanguageClient):
    found = await req(
        nvim.workspace_symbol_async(types.WorkspaceSymbolParams(query="backend developer"))
    )
    assert [s.name for s in found] == ["Agent Backend Developer"]
    rocket = (nvim.root / "PRPs/active/05_rocket_launch.md").as_uri()
    p = await wait_published(nvim, rocket, predicate=lambda ds: bool(ds), what="rocket PRP findings")
    assert codes(p.diagnostics) == ["missing-section"]


async def test_out_of_range_incremental_edits_are_clamped(vscode: LanguageClient):
    path = vscode.root / PRP
    doc = open_doc(vscode, path, "# PRP-01\n\n## Goal\n")
    # Past the end of a line, past the last line, reversed range, in the middle of a
    # surrogate pair: none of these may take the server down.
    change_range(vscode, doc, 2, (0, 500), (0, 900), " tail")
    change_range(vscode, doc, 3, (400, 0), (401, 3), "\n## Why\n")
    change_range(vscode, doc, 4, (2, 5), (2, 1), "x")
    change_full(vscode, doc, 5, "🎯🎯\n")
    change_range(vscode, doc, 6, (0, 1), (0, 3), "")
    await every_request(vscode, doc, 0, 1)
    await still_answers(vscode)


async def test_push_client_survives_garbage(nvim: LanguageClient):
    path = nvim.root / PRP
    doc = open_doc(nvim, path, "\x00" * 10 + "- [")
    for version, fragment in enumerate(HALF_TYPED[:20], start=2):
        change_full(nvim, doc, version, fragment)
    await every_request(nvim, doc, 0, 0)
    await still_answers(nvim)


LATIN1 = (
    "# PRP-04: Caf\xe9 menu\n\n## Goal\n\nServe caf\xe9.\n\n## Why\n\nW.\n\n## What\n\nW.\n\n"
    "## Success Criteria\n\n- [ ] ok\n\n## All Needed Context\n\n- file: backend/app/main.py\n\n"
    "## Implementation Blueprint\n\nB.\n\n## Validation Loop\n\nV.\n"
).encode("latin-1")


@pytest.mark.files({"PRPs/active/04_cafe_menu.md": LATIN1})
async def test_non_utf8_file_reported_as_invalid_encoding(vscode: LanguageClient):
    report = await pull_workspace(vscode)
    uri = (vscode.root / "PRPs/active/04_cafe_menu.md").as_uri()
    assert uri in report
    bad = [d for d in report[uri] if str(d.code) == "invalid-encoding"]
    assert len(bad) == 1, codes(report[uri])
    # It points at the first bad byte: `é` of `Café` on the first line.
    assert bad[0].range.start.line == 0
    await still_answers(vscode)


BROKEN_TOML = '[rules\ntemplate-placeholder = "warning"\n'


@pytest.mark.files({"prp-lsp.toml": BROKEN_TOML})
async def test_broken_config_reported_and_server_keeps_working(vscode: LanguageClient):
    config = (vscode.root / "prp-lsp.toml").as_uri()
    report = await pull_workspace(vscode)
    assert config in report, sorted(report)
    assert codes(report[config]) == ["invalid-config"]
    assert report[config][0].severity == types.DiagnosticSeverity.Error
    # Pulled for the file itself too (the editor has it open).
    assert codes(await pull(vscode, config)) == ["invalid-config"]
    # Documents are still analysed.
    path = vscode.root / PRP
    text = path.read_text(encoding="utf-8").replace("## Why\n", "## Reasons\n")
    doc = open_doc(vscode, path, text)
    assert "missing-section" in codes(await pull(vscode, doc))
    await still_answers(vscode)


async def test_config_broken_then_fixed_on_disk(vscode: LanguageClient):
    path = vscode.root / "prp-lsp.toml"
    config = path.as_uri()
    good = path.read_text(encoding="utf-8")
    assert await pull(vscode, config) == []

    path.write_text(BROKEN_TOML, encoding="utf-8")
    watched(vscode, (path, types.FileChangeType.Changed))
    await pull_until(vscode, config, lambda ds: codes(ds) == ["invalid-config"], "invalid-config")

    path.write_text(good, encoding="utf-8")
    watched(vscode, (path, types.FileChangeType.Changed))
    await pull_until(vscode, config, lambda ds: ds == [], "invalid-config cleared")
    report = await pull_workspace(vscode)
    assert all(ds == [] for ds in report.values()), {u: codes(d) for u, d in report.items() if d}
    await still_answers(vscode)

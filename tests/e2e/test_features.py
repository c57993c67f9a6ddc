"""Hover, symbols, go to definition, completion and folding, as an editor user sees them."""

from __future__ import annotations

from pathlib import Path

import pytest

from lsprotocol import types
from pytest_lsp import LanguageClient

from helpers import at, find, open_doc, req, td

PRP = "PRPs/active/01_user_login.md"


def position_of(text: str, needle: str, offset: int = 1) -> tuple[int, int]:
    """A position `offset` characters inside `needle`."""
    line, col = find(text, needle)
    return line, col + offset


async def hover_at(client: LanguageClient, doc: str, pos: tuple[int, int]) -> types.Hover:
    hover = await req(client.text_document_hover_async(types.HoverParams(**at(doc, *pos))))
    assert hover is not None, f"no hover at {pos}"
    assert isinstance(hover.contents, types.MarkupContent)
    return hover


async def definition_at(client: LanguageClient, doc: str, pos: tuple[int, int]):
    result = await req(
        client.text_document_definition_async(types.DefinitionParams(**at(doc, *pos)))
    )
    if isinstance(result, list):
        assert len(result) == 1, result
        result = result[0]
    return result


def target_uri(location) -> str:
    return location.target_uri if isinstance(location, types.LocationLink) else location.uri


def same_file(uri: str, path: Path) -> bool:
    return uri == path.as_uri()


# --- hover ------------------------------------------------------------------------------


async def test_hover_on_section_heading_names_profile(vscode: LanguageClient):
    path = vscode.root / PRP
    text = path.read_text(encoding="utf-8")
    doc = open_doc(vscode, path, text)
    line, _ = find(text, "## Goal")
    hover = await hover_at(vscode, doc, (line, 4))
    value = hover.contents.value
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert "**Goal**" in value
    assert "Profile **base**" in value
    # Which required sections are there: all of them in this PRP.
    assert "✓ Why" in value and "✗" not in value
    assert hover.range == types.Range(
        start=types.Position(line=line, character=0),
        end=types.Position(line=line, character=len("## Goal")),
    )


async def test_hover_on_section_heading_shows_what_is_missing(vscode: LanguageClient):
    path = vscode.root / PRP
    text = path.read_text(encoding="utf-8").replace("## Why\n", "## Reasons\n")
    doc = open_doc(vscode, path, text)
    line, _ = find(text, "## Goal")
    value = (await hover_at(vscode, doc, (line, 4))).contents.value
    assert "✗ Why" in value


async def test_hover_on_prp_reference_shows_title_status_progress(vscode: LanguageClient):
    path = vscode.root / "TASK.md"
    text = path.read_text(encoding="utf-8")
    doc = open_doc(vscode, path, text)
    pos = position_of(text, "PRPs/active/01_user_login.md", 5)
    hover = await hover_at(vscode, doc, pos)
    value = hover.contents.value
    assert "User Login" in value
    assert "In Progress" in value
    assert "1 of 3" in value  # one of three Success Criteria boxes ticked
    line, col = find(text, "PRPs/active/01_user_login.md")
    assert hover.range.start == types.Position(line=line, character=col)


async def test_hover_on_assigned_agent_shows_identity_and_scope(vscode: LanguageClient):
    path = vscode.root / PRP
    text = path.read_text(encoding="utf-8")
    doc = open_doc(vscode, path, text)
    pos = position_of(text, "**Assigned to**: backend", len("**Assigned to**: ") + 2)
    value = (await hover_at(vscode, doc, pos)).contents.value
    assert "Backend Developer" in value
    assert "You are the backend developer agent of Mini Planner" in value
    assert "`backend/app/`" in value


async def test_hover_on_plain_text_is_empty(vscode: LanguageClient):
    path = vscode.root / PRP
    text = path.read_text(encoding="utf-8")
    doc = open_doc(vscode, path, text)
    pos = position_of(text, "Let a registered user", 3)
    hover = await req(vscode.text_document_hover_async(types.HoverParams(**at(doc, *pos))))
    assert hover is None


# --- symbols ----------------------------------------------------------------------------


async def test_document_symbols_nest_sections_and_list_tasks(vscode: LanguageClient):
    path = vscode.root / PRP
    doc = open_doc(vscode, path)
    symbols = await req(
        vscode.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=td(doc)))
    )
    assert symbols and all(isinstance(s, types.DocumentSymbol) for s in symbols)
    assert [s.name for s in symbols] == ["PRP-01: User Login"]
    top = {s.name: s for s in symbols[0].children}
    assert list(top) == [
        "Goal",
        "Why",
        "What",
        "All Needed Context",
        "Implementation Blueprint",
        "Validation Loop",
    ]
    assert [c.name for c in top["What"].children] == ["Success Criteria"]
    tasks = top["Implementation Blueprint"].children
    assert [t.kind for t in tasks] == [types.SymbolKind.Event] * 2
    assert ["Login endpoint" in t.name for t in tasks] == [True, False]
    assert tasks[0].detail == "assigned to backend"
    assert tasks[1].detail == "assigned to frontend"
    # Each section's range contains its children's.
    what = top["What"]
    child = what.children[0]
    assert what.range.start.line <= child.range.start.line <= child.range.end.line <= what.range.end.line


async def test_workspace_symbols_find_prp_and_agent(vscode: LanguageClient):
    found = await req(vscode.workspace_symbol_async(types.WorkspaceSymbolParams(query="user log")))
    prps = [s for s in found if s.kind == types.SymbolKind.File]
    assert len(prps) == 1, found
    assert "User Login" in prps[0].name
    assert same_file(prps[0].location.uri, vscode.root / PRP)

    agents = await req(vscode.workspace_symbol_async(types.WorkspaceSymbolParams(query="FRONTEND")))
    classes = [s for s in agents if s.kind == types.SymbolKind.Class]
    assert [s.name for s in classes] == ["Agent Frontend Developer"]
    assert same_file(classes[0].location.uri, vscode.root / "agent_contexts" / "frontend_agent.md")

    assert await req(vscode.workspace_symbol_async(types.WorkspaceSymbolParams(query="zz-nothing-zz"))) == []


# --- definition -------------------------------------------------------------------------


async def test_definition_of_context_file(vscode: LanguageClient):
    path = vscode.root / PRP
    text = path.read_text(encoding="utf-8")
    doc = open_doc(vscode, path, text)
    location = await definition_at(vscode, doc, position_of(text, "backend/app/main.py", 4))
    assert location is not None
    assert same_file(target_uri(location), vscode.root / "backend" / "app" / "main.py")


async def test_definition_of_agent_assignment(vscode: LanguageClient):
    path = vscode.root / PRP
    text = path.read_text(encoding="utf-8")
    doc = open_doc(vscode, path, text)
    pos = position_of(text, "**Assigned to**: frontend", len("**Assigned to**: ") + 1)
    location = await definition_at(vscode, doc, pos)
    assert location is not None
    assert same_file(target_uri(location), vscode.root / "agent_contexts" / "frontend_agent.md")


async def test_definition_of_task_board_source(vscode: LanguageClient):
    path = vscode.root / "TASK.md"
    text = path.read_text(encoding="utf-8")
    doc = open_doc(vscode, path, text)
    location = await definition_at(vscode, doc, position_of(text, "PRPs/archive/02", 3))
    assert location is not None
    assert same_file(target_uri(location), vscode.root / "PRPs" / "archive" / "02_health_check.md")


async def test_no_definition_for_missing_file(vscode: LanguageClient):
    path = vscode.root / PRP
    text = path.read_text(encoding="utf-8").replace(
        "- file: backend/app/main.py", "- file: backend/app/nowhere.py"
    )
    doc = open_doc(vscode, path, text)
    location = await definition_at(vscode, doc, position_of(text, "backend/app/nowhere.py", 3))
    assert location is None


# --- references -------------------------------------------------------------------------


async def references_at(client: LanguageClient, doc: str, pos: tuple[int, int], declaration: bool):
    return await req(
        client.text_document_references_async(
            types.ReferenceParams(
                **at(doc, *pos),
                context=types.ReferenceContext(include_declaration=declaration),
            )
        )
    )


def places(root: Path, locations) -> list[tuple[str, int, str]]:
    """(workspace path, 1-based line, the text the range covers)."""
    out = []
    for loc in locations or []:
        path = Path(loc.uri.removeprefix("file://"))
        rel = path.resolve().relative_to(root.resolve()).as_posix()
        line = path.read_text(encoding="utf-8").split("\n")[loc.range.start.line]
        out.append((rel, loc.range.start.line + 1, line[loc.range.start.character : loc.range.end.character]))
    return sorted(out)


async def test_references_of_an_agent_across_the_workspace(vscode: LanguageClient):
    path = vscode.root / "TASK.md"
    text = path.read_text(encoding="utf-8")
    doc = open_doc(vscode, path, text)
    pos = position_of(text, "@backend", 2)
    found = places(vscode.root, await references_at(vscode, doc, pos, declaration=False))
    assert found == [(PRP, 38, "backend"), ("TASK.md", 5, "@backend")], found
    # With the declaration: the agent's context file too.
    with_decl = places(vscode.root, await references_at(vscode, doc, pos, declaration=True))
    assert ("agent_contexts/backend_agent.md", 1, "") in with_decl, with_decl


async def test_references_of_a_prp_by_path(vscode: LanguageClient):
    path = vscode.root / PRP
    text = path.read_text(encoding="utf-8")
    doc = open_doc(vscode, path, text)
    # On the PRP's own title: who refers to it.
    found = places(vscode.root, await references_at(vscode, doc, (0, 3), declaration=False))
    assert found == [("TASK.md", 6, "PRPs/active/01_user_login.md")], found


async def test_no_references_on_plain_prose(vscode: LanguageClient):
    path = vscode.root / PRP
    text = path.read_text(encoding="utf-8")
    doc = open_doc(vscode, path, text)
    found = await references_at(vscode, doc, position_of(text, "Every other feature", 3), declaration=True)
    assert found is None or found == [], found


async def test_highlights_of_an_agent_in_the_document(vscode: LanguageClient):
    path = vscode.root / PRP
    text = path.read_text(encoding="utf-8") + "\nReview with @backend before merging.\n"
    doc = open_doc(vscode, path, text)
    pos = position_of(text, "**Assigned to**: backend", len("**Assigned to**: ") + 1)
    found = await req(
        vscode.text_document_document_highlight_async(types.DocumentHighlightParams(**at(doc, *pos)))
    )
    lines = text.split("\n")
    spans = [
        (h.range.start.line + 1, lines[h.range.start.line][h.range.start.character : h.range.end.character])
        for h in found
    ]
    assert spans == [(38, "backend"), (len(lines) - 1, "@backend")], spans


# --- document links ---------------------------------------------------------------------


async def test_resolvable_references_and_agents_are_links(vscode: LanguageClient):
    path = vscode.root / "TASK.md"
    text = path.read_text(encoding="utf-8")
    doc = open_doc(vscode, path, text)
    links = await req(
        vscode.text_document_document_link_async(types.DocumentLinkParams(text_document=td(doc)))
    )
    lines = text.split("\n")
    found = sorted(
        (
            lines[link.range.start.line][link.range.start.character : link.range.end.character],
            Path(link.target.removeprefix("file://")).resolve().relative_to(vscode.root.resolve()).as_posix(),
        )
        for link in links
    )
    assert found == [
        ("@backend", "agent_contexts/backend_agent.md"),
        ("PRPs/active/01_user_login.md", "PRPs/active/01_user_login.md"),
        ("PRPs/archive/02_health_check.md", "PRPs/archive/02_health_check.md"),
    ], found
    assert all(link.tooltip for link in links)


# --- completion -------------------------------------------------------------------------


def items_of(result) -> list[types.CompletionItem]:
    if result is None:
        return []
    return list(result.items if isinstance(result, types.CompletionList) else result)


async def complete(client: LanguageClient, doc: str, pos: tuple[int, int], trigger: str | None = None):
    context = (
        types.CompletionContext(
            trigger_kind=types.CompletionTriggerKind.TriggerCharacter, trigger_character=trigger
        )
        if trigger
        else types.CompletionContext(trigger_kind=types.CompletionTriggerKind.Invoked)
    )
    return items_of(
        await req(
            client.text_document_completion_async(
                types.CompletionParams(**at(doc, *pos), context=context)
            )
        )
    )


async def test_completion_offers_missing_sections_first(vscode: LanguageClient):
    path = vscode.root / PRP
    text = (
        path.read_text(encoding="utf-8")
        .replace("## Why\n\nEvery other feature needs to know who the user is.\n\n", "")
        .replace("## Validation Loop\n", "\n\n## Validation Loop\n")
    )
    doc = open_doc(vscode, path, text)
    # An empty line just before `## Validation Loop`.
    line, _ = find(text, "## Validation Loop")
    items = await complete(vscode, doc, (line - 2, 0))
    assert items, "no completion on an empty line of a PRP"
    ordered = sorted(items, key=lambda i: i.sort_text or i.label)
    assert ordered[0].label == "Why"
    edit = ordered[0].text_edit
    assert edit.new_text == "## Why"
    assert edit.range.start == types.Position(line=line - 2, character=0)
    # Sections already present are offered after the missing and optional ones, if at all.
    labels = [i.label for i in ordered]
    assert "Goal" not in labels[:3]
    assert "Final Validation Checklist" in labels  # optional, absent


async def test_completion_of_agents_after_at_sign(vscode: LanguageClient):
    path = vscode.root / "TASK.md"
    text = path.read_text(encoding="utf-8").replace(
        "## Completed\n", "- [ ] Logout button @\n\n## Completed\n"
    )
    doc = open_doc(vscode, path, text)
    line, col = find(text, "- [ ] Logout button @")
    col += len("- [ ] Logout button @")
    items = await complete(vscode, doc, (line, col), trigger="@")
    assert sorted(i.label for i in items) == ["backend", "frontend"]
    for item in items:
        assert item.text_edit.range.start == types.Position(line=line, character=col)
        assert item.text_edit.new_text == item.label


async def test_completion_of_agents_replaces_the_typed_prefix(vscode: LanguageClient):
    path = vscode.root / "TASK.md"
    text = path.read_text(encoding="utf-8").replace(
        "## Completed\n", "- [ ] Logout button @fro\n\n## Completed\n"
    )
    doc = open_doc(vscode, path, text)
    line, col = find(text, "@fro")
    items = await complete(vscode, doc, (line, col + 4))
    frontend = next(i for i in items if i.label == "frontend")
    assert frontend.text_edit.range == types.Range(
        start=types.Position(line=line, character=col + 1),
        end=types.Position(line=line, character=col + 4),
    )


# --- folding ----------------------------------------------------------------------------


async def test_folding_ranges_cover_sections(vscode: LanguageClient):
    path = vscode.root / PRP
    text = path.read_text(encoding="utf-8")
    doc = open_doc(vscode, path, text)
    ranges = await req(
        vscode.text_document_folding_range_async(types.FoldingRangeParams(text_document=td(doc)))
    )
    spans = {(r.start_line, r.end_line) for r in ranges}
    lines = text.split("\n")

    def section(heading: str, last_text: str) -> tuple[int, int]:
        start = lines.index(heading)
        end = max(i for i, l in enumerate(lines) if l == last_text)
        return start, end

    # A section folds from its heading to its last non-blank line (not the blank before
    # the next heading); a parent section folds over its subsections.
    assert section("## Goal", lines[7]) in spans
    assert lines[7].startswith("Let a registered user")
    assert section("## What", "- [ ] Tokens expire after seven days") in spans
    assert section("### Success Criteria", "- [ ] Tokens expire after seven days") in spans
    assert (0, len(lines) - 2) in spans  # the title section: the whole document
    # The fenced block of the context section folds on its own.
    assert (lines.index("```yaml"), lines.index("```yaml") + 6) in spans


# --- selection ranges -------------------------------------------------------------------


@pytest.mark.workspace("example")
async def test_selection_expands_from_a_note_to_its_item_list_section_and_document(vscode: LanguageClient):
    path = vscode.root / "TASK.md"
    text = path.read_text(encoding="utf-8")
    doc = open_doc(vscode, path, text)
    line, col = find(text, "  - Source: PRPs/active/01_user_auth.md")
    [chain] = await req(
        vscode.text_document_selection_range_async(
            types.SelectionRangeParams(
                text_document=td(doc), positions=[types.Position(line=line, character=col + 8)]
            )
        )
    )
    lines = text.split("\n")

    def covered(r: types.Range) -> str:
        if r.start.line == r.end.line:
            return lines[r.start.line][r.start.character : r.end.character]
        return "\n".join(
            [lines[r.start.line][r.start.character :]]
            + lines[r.start.line + 1 : r.end.line]
            + [lines[r.end.line][: r.end.character]]
        )

    shown = []
    while chain is not None:
        shown.append(covered(chain.range))
        chain = chain.parent
    assert shown[0] == "- Source: PRPs/active/01_user_auth.md", shown
    assert shown[1].startswith("- [ ] ") and shown[1].endswith("- Source: PRPs/active/01_user_auth.md"), shown
    sections = [s for s in shown[:-1] if s.startswith("#")]
    assert [s.split("\n")[0] for s in sections] == ["## In Progress", "# TASK.md — Acme Planner"], shown
    assert shown[-1] == text, shown[-1]
    # Each range holds the one before it.
    assert all(inner in outer for inner, outer in zip(shown, shown[1:])), shown

"""A long request never holds up the others, a pull the client already holds is answered
"unchanged", and the first workspace pull streams its reports. The order of answers is what
is asserted (a request sent after a long one is answered before it), never a time: raw
pipes show exactly what arrives when."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import big_prp
from raw_server import PRP, Message, RawServer

# Long enough that checking it takes a while even in an optimized build (about a second
# unoptimized): 60,000 assigned, dated tasks, below the 5 MB size limit so it is checked
# in full.
BIG_BOARD = "# Tasks\n\n## Active\n\n" + "".join(
    f"- [ ] task {i} @backend (added 2026-11-02)\n" for i in range(60_000)
)
PROGRESS = "$/progress"


@pytest.fixture
def puller(workspace: Path):
    """The server in a copy of the mini workspace, initialized as a client that pulls."""
    server = RawServer(workspace)
    server.initialize(pull_diagnostics=True)
    yield server
    server.close()


def uri(server: RawServer, rel: str) -> str:
    return (server.root / rel).as_uri()


def open_doc(server: RawServer, rel: str, text: str, version: int = 1) -> str:
    doc = uri(server, rel)
    item = {"uri": doc, "languageId": "markdown", "version": version, "text": text}
    server.notify("textDocument/didOpen", {"textDocument": item})
    return doc


def answered_before(server: RawServer, first: int, then: int, timeout: float) -> None:
    """Both requests are answered, `first` before `then`."""
    server.response(then, timeout=timeout)
    server.response(first, timeout=timeout)
    order = [m.get("id") for m in server.received if "method" not in m]
    assert order.index(first) < order.index(then), server.report()


def test_hover_and_symbols_are_answered_while_a_long_pull_runs(puller: RawServer):
    board = open_doc(puller, "TASK.md", BIG_BOARD)
    prp = uri(puller, "PRPs/active/01_user_login.md")
    pull = puller.request("textDocument/diagnostic", {"textDocument": {"uri": board}})
    hover = puller.request(
        "textDocument/hover",
        {"textDocument": {"uri": prp}, "position": {"line": 0, "character": 2}},
    )
    symbols = puller.request("textDocument/documentSymbol", {"textDocument": {"uri": prp}})
    answered_before(puller, hover, pull, timeout=120)
    answered_before(puller, symbols, pull, timeout=120)
    report = puller.response(pull)["result"]
    assert report["kind"] == "full" and report["items"] == [], report


def test_a_change_superseded_before_it_was_analysed_is_never_reported(puller: RawServer):
    """The big text is replaced before its analysis could finish; the pull answers for the
    text the editor shows (a placeholder), not for the board it replaced."""
    board = open_doc(puller, "TASK.md", BIG_BOARD)
    puller.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": board, "version": 2},
            "contentChanges": [{"text": "# Tasks\n\n## Active\n\n- [ ] [TODO: describe]\n"}],
        },
    )
    report = puller.ask("textDocument/diagnostic", {"textDocument": {"uri": board}}, 120)
    assert report["kind"] == "full", report
    lines = sorted({d["range"]["start"]["line"] for d in report["items"]})
    assert lines and max(lines) < 10, report


def test_a_pull_with_a_current_result_id_is_unchanged(puller: RawServer):
    doc = uri(puller, PRP.replace("01_x", "01_user_login"))
    first = puller.ask("textDocument/diagnostic", {"textDocument": {"uri": doc}})
    assert first["kind"] == "full" and first.get("resultId"), first
    again = puller.ask(
        "textDocument/diagnostic",
        {"textDocument": {"uri": doc}, "previousResultId": first["resultId"]},
    )
    assert again == {"kind": "unchanged", "resultId": first["resultId"]}, again
    text = (puller.root / "PRPs/active/01_user_login.md").read_text()
    open_doc(puller, "PRPs/active/01_user_login.md", text + "\n[TODO: fill in]\n")
    changed = puller.ask(
        "textDocument/diagnostic",
        {"textDocument": {"uri": doc}, "previousResultId": first["resultId"]},
    )
    assert changed["kind"] == "full" and changed["resultId"] != first["resultId"], changed
    assert len(changed["items"]) == len(first["items"]) + 1, changed


def workspace_pull(server: RawServer, previous: list[Message]) -> list[Message]:
    result = server.ask(
        "workspace/diagnostic", {"previousResultIds": previous}, timeout=60
    )
    return result["items"]


def test_a_second_workspace_pull_is_unchanged_except_what_changed(puller: RawServer):
    first = workspace_pull(puller, [])
    assert len(first) >= 5 and all(r["kind"] == "full" for r in first), first
    held = [{"uri": r["uri"], "value": r["resultId"]} for r in first]
    second = workspace_pull(puller, held)
    assert sorted(r["uri"] for r in second) == sorted(r["uri"] for r in first)
    assert all(r["kind"] == "unchanged" for r in second), second
    # A sentence added to one PRP's body changes nothing other documents read.
    rel = "PRPs/active/01_user_login.md"
    open_doc(puller, rel, (puller.root / rel).read_text() + "\nOne more note.\n")
    third = workspace_pull(puller, held)
    full = [r["uri"] for r in third if r["kind"] == "full"]
    assert full == [uri(puller, rel)], third


@pytest.mark.files(
    {
        f"PRPs/active/{i:03}_feature_{i}.md": f"# PRP-{i:03}: Feature {i}\n\n## Goal\n\n[TODO]\n"
        for i in range(100, 700)
    }
)
def test_the_first_workspace_pull_streams_partial_results(puller: RawServer):
    """600 more PRPs: the reports come as `$/progress` partial results, a batch at a time,
    each document once, before the (empty) answer."""
    mark = puller.mark()
    pull = puller.request(
        "workspace/diagnostic", {"previousResultIds": [], "partialResultToken": "pull-1"}
    )
    answer = puller.response(pull, timeout=120)
    assert answer["result"] == {"items": []}, answer
    batches = [
        m["params"]["value"]["items"]
        for m in puller.received[mark:]
        if m.get("method") == PROGRESS and m["params"]["token"] == "pull-1"
    ]
    assert len(batches) >= 2, puller.report()
    uris = [r["uri"] for batch in batches for r in batch]
    assert len(uris) == len(set(uris)), "a document was reported twice"
    assert sum("/feature_" in u or "_feature_" in u for u in uris) == 600, len(uris)
    position = {id(m): i for i, m in enumerate(puller.received)}
    last_batch = max(
        position[id(m)]
        for m in puller.received[mark:]
        if m.get("method") == PROGRESS and m["params"]["token"] == "pull-1"
    )
    assert last_batch < position[id(answer)], "a partial result came after the answer"


def test_a_document_above_the_size_limit_is_opened_with_its_structure_checked(workspace: Path):
    rel = big_prp(workspace, limit=2000)
    server = RawServer(workspace)
    try:
        server.initialize(pull_diagnostics=True)
        doc = open_doc(server, rel, (workspace / rel).read_text())
        report = server.ask("textDocument/diagnostic", {"textDocument": {"uri": doc}})
        codes = [d["code"] for d in report["items"]]
        assert codes.count("large-document") == 1, report
        assert "unresolved-reference" not in codes and "missing-section" not in codes, report
        # The structure is still checked: removing a required section is found.
        text = (workspace / rel).read_text().replace("## Goal", "## Aim")
        server.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": doc, "version": 2}, "contentChanges": [{"text": text}]},
        )
        report = server.ask("textDocument/diagnostic", {"textDocument": {"uri": doc}})
        assert "missing-section" in [d["code"] for d in report["items"]], report
    finally:
        server.close()


def test_large_opens_and_changes_reach_the_analysis_whole(puller: RawServer):
    """Frames past 1 MB take a faster path through the transport (their texts decoded once,
    outside the protocol library): the text must arrive byte for byte, escapes and all."""
    base = (puller.root / "PRPs/active/01_user_login.md").read_text()
    padding = "".join(
        f'Note {i}: "quoted", a\\back\\slash, a\ttab, é, 会議, 🚀 — the login page stays.\n'
        for i in range(16_000)
    )

    def text_naming(missing: str) -> tuple[str, int]:
        text = base + "\n" + padding + f"\n- file: backend/app/{missing}.py\n"
        assert len(text.encode()) > 1_100_000
        return text, text.count("\n") - 1

    def unresolved(report: dict) -> list[tuple[int, str]]:
        return [
            (d["range"]["start"]["line"], d["message"])
            for d in report["items"]
            if d["code"] == "unresolved-reference"
        ]

    text, line = text_naming("gone_at_open")
    doc = open_doc(puller, "PRPs/active/03_big_login.md", text)
    report = puller.ask("textDocument/diagnostic", {"textDocument": {"uri": doc}}, timeout=120)
    found = unresolved(report)
    assert any(at == line and "gone_at_open.py" in m for at, m in found), found

    text, line = text_naming("gone_after_change")
    puller.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": doc, "version": 2}, "contentChanges": [{"text": text}]},
    )
    report = puller.ask("textDocument/diagnostic", {"textDocument": {"uri": doc}}, timeout=120)
    found = unresolved(report)
    assert any(at == line and "gone_after_change.py" in m for at, m in found), found
    assert not any("gone_at_open.py" in m for _, m in found), found

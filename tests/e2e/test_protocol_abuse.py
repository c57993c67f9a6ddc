"""Whatever bytes arrive on stdin, the session goes on: bodies that are not JSON or not
JSON-RPC, broken or lying `Content-Length` headers, garbage between frames, lone
surrogates and invalid UTF-8, stale versions, floods of cancellations, requests out of the
lifecycle. pytest-lsp only sends well-formed messages, so these tests drive the binary
over raw pipes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from raw_server import (
    INTERNAL_ERROR,
    INVALID_REQUEST,
    PARSE_ERROR,
    PRP,
    SERVER_NOT_INITIALIZED,
    TIMEOUT,
    Message,
    RawServer,
    frame,
)

@pytest.fixture
def raw(workspace: Path):
    """The server started in a copy of the mini workspace, not yet initialized."""
    server = RawServer(workspace)
    yield server
    server.close()


@pytest.fixture
def server(raw: RawServer) -> RawServer:
    """The server after `initialize` + `initialized`, indexing done."""
    raw.initialize()
    return raw


def assert_alive(server: RawServer) -> None:
    """The process still runs, and answers a request that needs its index."""
    assert server.proc.poll() is None, server.report()
    found = server.ask("workspace/symbol", {"query": "backend developer"})
    assert [s["name"] for s in found] == ["Agent Backend Developer"], server.report()


def doc_uri(server: RawServer) -> str:
    return (server.root / PRP).as_uri()


def open_prp(server: RawServer, text: str, version: int = 1) -> str:
    uri = doc_uri(server)
    item = {"uri": uri, "languageId": "markdown", "version": version, "text": text}
    server.notify("textDocument/didOpen", {"textDocument": item})
    return uri


def change_full(server: RawServer, uri: str, version: int, text: str) -> None:
    params = {
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"text": text}],
    }
    server.notify("textDocument/didChange", params)


def outline(server: RawServer, uri: str) -> list[Message]:
    """The document's symbols, the tree flattened."""
    out = []

    def walk(symbols):
        for s in symbols or []:
            out.append(s)
            walk(s.get("children"))

    walk(server.ask("textDocument/documentSymbol", {"textDocument": {"uri": uri}}))
    return out


def symbol_names(server: RawServer, uri: str) -> list[str]:
    return [s["name"] for s in outline(server, uri)]


def heading_and_task(server: RawServer, uri: str) -> tuple[str, str]:
    """(title, detail of its task) of a `TASK_TEMPLATE` document. Headings lose U+FFFD in
    their symbol name (it is dropped like an emoji); the detail `assigned to …` keeps it."""
    symbols = outline(server, uri)
    assert [s["name"] for s in symbols][1:] == ["Task 1: Login"], symbols
    return symbols[0]["name"], symbols[1].get("detail")


# A title and one assigned task, as the content of a JSON string (`\n` escaped).
TASK_TEMPLATE = r"# Title{}\n\n### Task 1: Login\n\n**Assigned to**: @dev{}\n"


WORKSPACE_SYMBOL = frame(
    {"jsonrpc": "2.0", "id": 9001, "method": "workspace/symbol", "params": {"query": ""}}
)


def assert_valid_frame_answered(server: RawServer) -> None:
    """The `WORKSPACE_SYMBOL` frame written after the abuse got its result."""
    answer = server.response(9001)
    assert "result" in answer, f"{answer}\n{server.report()}"


# --- bodies that are not JSON, or not JSON-RPC -----------------------------------------


def test_body_that_is_not_json_gets_a_parse_error(server: RawServer):
    mark = server.mark()
    server.write(b"Content-Length: 9\r\n\r\nnot json!")
    error = server.error_with_null_id(PARSE_ERROR, since=mark)
    assert error["jsonrpc"] == "2.0" and error["error"]["message"], error
    uri = open_prp(server, "# After the garbage\n")
    assert "After the garbage" in symbol_names(server, uri), server.report()
    assert_alive(server)


@pytest.mark.parametrize(
    "body, answer_id",
    [
        ("[1,2,3]", None),
        ("42", None),
        ('{"id":1}', 1),
        ('{"jsonrpc":"2.0","id":{},"method":"x"}', None),
    ],
    ids=["array", "number", "no-method", "object-id"],
)
def test_json_that_is_not_a_message_is_an_invalid_request(
    server: RawServer, body: str, answer_id: int | None
):
    mark = server.mark()
    server.write(frame(body))
    error = server.wait_for(
        lambda m: "method" not in m and "error" in m and m.get("id", 0) == answer_id,
        f"an error answer with id {answer_id}",
        since=mark,
    )
    assert error["error"]["code"] == INVALID_REQUEST, f"{error}\n{server.report()}"
    assert error["jsonrpc"] == "2.0"
    assert_alive(server)


# --- broken headers and garbage between frames ------------------------------------------


@pytest.mark.parametrize(
    "header",
    [b"Content-Length: -5", b"Content-Length: abc"],
    ids=["negative", "not-a-number"],
)
def test_broken_content_length_resynchronises_on_the_next_header(
    server: RawServer, header: bytes
):
    mark = server.mark()
    server.write(header + b"\r\n\r\n{\"x\":1}" + WORKSPACE_SYMBOL)
    server.error_with_null_id(PARSE_ERROR, since=mark)
    assert_valid_frame_answered(server)
    assert_alive(server)


@pytest.mark.parametrize("together", [True, False], ids=["one-write", "two-writes"])
def test_garbage_without_header_is_skipped(server: RawServer, together: bool):
    garbage = b"hello world\r\n\r\n"
    if together:
        server.write(garbage + WORKSPACE_SYMBOL)
    else:
        server.write(garbage)
        time.sleep(0.2)
        server.write(WORKSPACE_SYMBOL)
    assert_valid_frame_answered(server)
    assert_alive(server)


def test_content_length_shorter_than_the_body(server: RawServer):
    body = b'{"jsonrpc":"2.0","id":7,"method":"workspace/symbol","params":{"query":""}}'
    server.write(b"Content-Length: 20\r\n\r\n" + body + WORKSPACE_SYMBOL)
    assert_valid_frame_answered(server)
    assert_alive(server)


def test_absurd_content_length_neither_hangs_nor_kills(server: RawServer):
    mark = server.mark()
    server.write(b"Content-Length: 99999999999999\r\n\r\n" + WORKSPACE_SYMBOL)
    server.error_with_null_id(PARSE_ERROR, since=mark)
    assert_valid_frame_answered(server)
    assert_alive(server)


def test_lengths_that_swallow_the_next_headers_are_not_read_over_and_over(server: RawServer):
    """Each header declares a megabyte, swallowing the next thousands of headers: resuming
    inside every body would read the stream once per header (tens of gigabytes here)."""
    mark = server.mark()
    header = b"Content-Length: 1048576\r\n\r\n["
    server.write(header * 40_000 + b" " * 1_048_576 + WORKSPACE_SYMBOL)
    server.error_with_null_id(PARSE_ERROR, since=mark)
    assert_valid_frame_answered(server)
    assert_alive(server)


# --- text that is not valid Unicode ------------------------------------------------------


@pytest.mark.parametrize(
    "escaped, replaced",
    [
        (r"\ud800", "\ufffd"),
        (r"\udc00", "\ufffd"),
        (r"\ud800\u0041", "\ufffdA"),
    ],
    ids=["lone-high", "lone-low", "high-then-letter"],
)
def test_lone_surrogate_in_a_change_becomes_replacement_character(
    server: RawServer, escaped: str, replaced: str
):
    uri = open_prp(server, "# Draft\n")
    mark = server.mark()
    # Spelled out so that the escapes reach the server exactly as written.
    text = TASK_TEMPLATE.format(escaped, escaped)
    body = (
        '{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":'
        f'{{"uri":"{uri}","version":2}},"contentChanges":[{{"text":"{text}"}}]}}}}'
    )
    server.write(frame(body))
    title, detail = heading_and_task(server, uri)
    assert title == "Title" + replaced.replace("\ufffd", ""), server.report()
    assert detail == f"assigned to dev{replaced}", server.report()
    errors = [m for m in server.received[mark:] if "error" in m and "method" not in m]
    assert errors == [], f"the change was refused: {errors}"
    assert_alive(server)


def test_invalid_utf8_in_a_string_becomes_replacement_characters(server: RawServer):
    uri = doc_uri(server)
    text = TASK_TEMPLATE.format("", "").encode().replace(b"@dev", b"@dev\xff\xfe")
    body = (
        b'{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":'
        b'{"uri":"' + uri.encode() + b'","languageId":"markdown","version":1,'
        b'"text":"' + text + b'"}}}'
    )
    server.write(frame(body))
    title, detail = heading_and_task(server, uri)
    assert title == "Title", server.report()
    assert detail == "assigned to dev\ufffd\ufffd", server.report()
    assert_alive(server)


# --- document versions ------------------------------------------------------------------


def test_change_with_an_older_version_is_ignored(server: RawServer):
    uri = open_prp(server, "# Alpha\n", version=5)
    change_full(server, uri, 3, "# Beta\n")
    names = symbol_names(server, uri)
    assert "Alpha" in names and "Beta" not in names, names
    change_full(server, uri, 6, "# Gamma\n")
    names = symbol_names(server, uri)
    assert "Gamma" in names and "Alpha" not in names, names
    assert_alive(server)


def test_positions_far_out_of_range_are_no_internal_error(server: RawServer):
    uri = open_prp(server, "# PRP-01: Far\n\n## Goal\n\nG.\n")
    far = {"line": 1_000_000, "character": 1_000_000}
    at_far = {"textDocument": {"uri": uri}, "position": far}
    ids = [
        server.request(f"textDocument/{method}", at_far)
        for method in ("hover", "definition", "completion")
    ]
    past_the_end = {"start": {"line": 500_000, "character": 7}, "end": far}
    change = {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": past_the_end, "text": "\n## Why\n"}],
    }
    server.notify("textDocument/didChange", change)
    ids.append(server.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}}))
    answers = [server.response(i) for i in ids]
    internal = [a for a in answers if a.get("error", {}).get("code") == INTERNAL_ERROR]
    assert internal == [], f"{internal}\n{server.report()}"
    assert_alive(server)


# --- floods and the lifecycle -----------------------------------------------------------


def test_a_flood_of_cancellations_is_absorbed(server: RawServer):
    flood = b"".join(
        frame({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 10**6 + i}})
        for i in range(100_000)
    )
    server.write(flood + WORKSPACE_SYMBOL)
    answer = server.response(9001, timeout=30)
    assert "result" in answer, answer
    assert_alive(server)


def test_requests_before_initialize_are_refused_then_initialize_works(raw: RawServer):
    position = {"textDocument": {"uri": doc_uri(raw)}, "position": {"line": 0, "character": 0}}
    hover = raw.response(raw.request("textDocument/hover", position))
    assert hover.get("error", {}).get("code") == SERVER_NOT_INITIALIZED, raw.report()
    result = raw.initialize()
    assert "capabilities" in result
    assert_alive(raw)


def test_requests_after_shutdown_are_refused_until_exit(server: RawServer):
    assert server.ask("shutdown") is None
    after = server.response(server.request("workspace/symbol", {"query": ""}))
    assert after.get("error", {}).get("code") == INVALID_REQUEST, server.report()
    time.sleep(0.5)
    assert server.proc.poll() is None, f"ended before `exit`\n{server.report()}"
    server.notify("exit")
    assert server.exit_status() == 0, server.report()


def test_exit_without_shutdown_ends_with_status_1(server: RawServer):
    server.notify("exit")
    assert server.exit_status() == 1, server.report()


def test_shutdown_then_exit_ends_with_status_0(server: RawServer):
    server.ask("shutdown")
    server.notify("exit")
    assert server.exit_status() == 0, server.report()

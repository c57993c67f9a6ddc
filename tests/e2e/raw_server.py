"""prp-lsp on raw pipes, for tests that must send what pytest-lsp never would (broken
frames, cancellations at chosen moments) or watch the order of answers."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Callable

from helpers import BIN

TIMEOUT = 5.0
PRP = "PRPs/active/01_x.md"

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
SERVER_NOT_INITIALIZED = -32002
INTERNAL_ERROR = -32603

Message = dict[str, Any]


def frame(body: bytes | str | Message) -> bytes:
    """One LSP frame: `Content-Length` header and body (a dict is encoded as JSON)."""
    if isinstance(body, dict):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class RawServer:
    """prp-lsp on raw pipes. A thread reads stdout into `received` (answering the server's
    own requests), another writes stdin in order, a third keeps stderr; every wait is
    bounded and a failure shows stderr and the messages seen."""

    def __init__(self, cwd: Path):
        self.root = cwd
        self.proc = subprocess.Popen(
            [BIN],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.received: list[Message] = []
        self.arrived = threading.Condition()
        self.eof = False
        self.stderr = bytearray()
        self.outbox: queue.Queue[bytes | None] = queue.Queue()
        self.next_id = 0
        for target in (self._read_stdout, self._read_stderr, self._write_stdin):
            threading.Thread(target=target, daemon=True).start()

    # --- the three threads ---

    def _read_stdout(self) -> None:
        out = self.proc.stdout
        try:
            while True:
                length = None
                while (line := out.readline()) not in (b"\r\n", b"\n"):
                    if not line:
                        return
                    name, _, value = line.decode("ascii").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                if length is None:
                    raise ValueError("a frame without Content-Length")
                body = out.read(length)
                if len(body) < length:
                    return
                message = json.loads(body)
                if "method" in message and "id" in message:
                    self._answer(message)
                with self.arrived:
                    self.received.append(message)
                    self.arrived.notify_all()
        except Exception as e:  # malformed output: make it visible in the report
            with self.arrived:
                self.received.append({"malformed output": repr(e)})
        finally:
            with self.arrived:
                self.eof = True
                self.arrived.notify_all()

    def _answer(self, request: Message) -> None:
        """client/registerCapability, window/workDoneProgress/create, … → null;
        workspace/configuration → one null per item."""
        result = None
        if request["method"] == "workspace/configuration":
            result = [None] * len(request.get("params", {}).get("items", [None]))
        self.send({"jsonrpc": "2.0", "id": request["id"], "result": result})

    def _read_stderr(self) -> None:
        while chunk := self.proc.stderr.read1(65536):
            self.stderr += chunk

    def _write_stdin(self) -> None:
        while (data := self.outbox.get()) is not None:
            try:
                self.proc.stdin.write(data)
                self.proc.stdin.flush()
            except OSError:  # the server is gone; the waits report it
                return

    # --- sending ---

    def write(self, data: bytes) -> None:
        """Raw bytes, exactly as given."""
        self.outbox.put(data)

    def send(self, message: Message) -> None:
        self.write(frame(message))

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: Any = None) -> int:
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.next_id

    # --- waiting ---

    def mark(self) -> int:
        """Where the messages received from now on start (for `wait_for(since=)`)."""
        with self.arrived:
            return len(self.received)

    def wait_for(
        self,
        predicate: Callable[[Message], bool],
        what: str,
        since: int = 0,
        timeout: float = TIMEOUT,
    ) -> Message:
        """The first message from `since` on satisfying `predicate`."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                found = [m for m in self.received[since:] if predicate(m)]
                if found:
                    return found[0]
                left = deadline - time.monotonic()
                if self.eof or left <= 0:
                    break
                self.arrived.wait(left)
        why = "stdout closed" if self.eof else f"timed out after {timeout}s"
        raise AssertionError(f"{why} waiting for {what}\n{self.report()}")

    def response(self, request_id: int, timeout: float = TIMEOUT) -> Message:
        return self.wait_for(
            lambda m: m.get("id") == request_id and "method" not in m,
            f"the answer to #{request_id}",
            timeout=timeout,
        )

    def ask(self, method: str, params: Any = None, timeout: float = TIMEOUT) -> Any:
        """A request's result; an error answer fails the test."""
        answer = self.response(self.request(method, params), timeout)
        assert "error" not in answer, f"{method}: {answer}\n{self.report()}"
        return answer.get("result")

    def error_with_null_id(self, code: int, since: int) -> Message:
        return self.wait_for(
            lambda m: "method" not in m
            and m.get("id", 0) is None
            and m.get("error", {}).get("code") == code,
            f"an error {code} with id null",
            since=since,
        )

    def exit_status(self, timeout: float = TIMEOUT) -> int:
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running {timeout}s after `exit`\n{self.report()}")

    def report(self) -> str:
        status = self.proc.poll()
        seen = "\n".join(json.dumps(m)[:300] for m in self.received[-20:])
        stderr = self.stderr.decode("utf-8", "replace")[-3000:]
        return (
            f"process: {'running' if status is None else f'exited with {status}'}\n"
            f"last messages received:\n{seen}\nstderr:\n{stderr}"
        )

    # --- the session ---

    def initialize(self, pull_diagnostics: bool = False) -> Message:
        """`initialize` + `initialized`, then waits for the index. With `pull_diagnostics`
        the client pulls (as VS Code does) instead of being sent diagnostics."""
        root = self.root.as_uri()
        text_document: Message = {
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
        }
        workspace: Message = {"configuration": True}
        if pull_diagnostics:
            text_document["diagnostic"] = {"relatedDocumentSupport": False}
            workspace["diagnostics"] = {"refreshSupport": True}
        params = {
            "processId": None,
            "rootUri": root,
            "workspaceFolders": [{"uri": root, "name": self.root.name}],
            "capabilities": {
                "workspace": workspace,
                "window": {"workDoneProgress": True},
                "textDocument": text_document,
            },
        }
        result = self.ask("initialize", params)
        self.notify("initialized", {})
        # A request that waits for the index: indexing is over after its answer.
        self.ask("workspace/symbol", {"query": "#settle#"}, timeout=10)
        return result

    def close(self) -> None:
        self.outbox.put(None)
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

"""Minimal LSP client for the prp-lsp benchmark (standard library only).

Content-Length framed JSON-RPC over the child's stdio. A reader thread timestamps every
incoming frame, answers server->client requests at once (so the server never blocks on
us) and hands responses to whoever waits for them; notifications are counted and dropped,
except `textDocument/publishDiagnostics`, which is kept per URI for the push fallback.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time


class ServerGone(Exception):
    pass


class LspClient:
    def __init__(self, argv: list[str], cwd: str | None = None, stderr_path: str | None = None):
        self._stderr = open(stderr_path, "wb") if stderr_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self._stderr, bufsize=0)
        self.started = time.perf_counter()
        self._wlock = threading.Lock()
        self._cv = threading.Condition()
        self._responses: dict[int, tuple[float, dict]] = {}
        self._next_id = 0
        self.notifications = 0
        self.server_requests: dict[str, int] = {}
        self.published: dict[str, tuple[float, dict]] = {}  # uri -> (time, params)
        self.publish_count = 0
        self.progress: dict = {}  # token -> [(time, value)] of $/progress notifications
        self.eof_error: str | None = None
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # ---- wire
    @staticmethod
    def frame(msg: dict) -> bytes:
        body = json.dumps(msg, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    def send_raw(self, data: bytes):
        with self._wlock:
            try:
                self.proc.stdin.write(data)
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError) as e:
                try:
                    rc = self.proc.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    rc = None
                if rc is not None:
                    raise ServerGone(f"server process exited with code {rc} "
                                     "before answering (stdin closed)") from None
                raise ServerGone(f"cannot write to the server: {e}") from None

    def send(self, msg: dict):
        self.send_raw(self.frame(msg))

    def _read_loop(self):
        out = self.proc.stdout
        try:
            while True:
                length = None
                while True:
                    line = out.readline()
                    if not line:
                        raise EOFError
                    line = line.strip()
                    if not line:
                        break
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        length = int(v.strip())
                if length is None:
                    continue
                body = b""
                while len(body) < length:
                    chunk = out.read(length - len(body))
                    if not chunk:
                        raise EOFError
                    body += chunk
                t = time.perf_counter()
                msg = json.loads(body)
                self._dispatch(t, msg)
        except (EOFError, ValueError, OSError) as e:
            rc = self.proc.poll()
            if rc is None:
                try:
                    rc = self.proc.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    rc = None
            self.eof_error = (f"server closed its output (exit code {rc})" if isinstance(e, EOFError)
                              else f"bad frame from the server: {e}")
            with self._cv:
                self._cv.notify_all()

    def _dispatch(self, t: float, msg: dict):
        if "id" in msg and "method" in msg:  # server -> client request
            method = msg["method"]
            self.server_requests[method] = self.server_requests.get(method, 0) + 1
            result = None
            if method == "workspace/configuration":
                result = [None for _ in msg.get("params", {}).get("items", [])]
            elif method == "workspace/workspaceFolders":
                result = None
            try:
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
            except ServerGone:
                pass
        elif "id" in msg:  # response
            with self._cv:
                self._responses[msg["id"]] = (t, msg)
                self._cv.notify_all()
        else:
            self.notifications += 1
            if msg.get("method") == "$/progress":  # partial results (partialResultToken)
                p = msg.get("params") or {}
                with self._cv:
                    self.progress.setdefault(p.get("token"), []).append((t, p.get("value")))
                    self._cv.notify_all()
            elif msg.get("method") == "textDocument/publishDiagnostics":
                p = msg.get("params", {})
                with self._cv:
                    self.publish_count += 1
                    self.published[p.get("uri")] = (t, p)
                    self._cv.notify_all()

    # ---- API
    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def request_frame(self, method: str, params) -> tuple[int, bytes]:
        i = self.new_id()
        return i, self.frame({"jsonrpc": "2.0", "id": i, "method": method, "params": params})

    def notify(self, method: str, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_response(self, req_id: int, timeout: float) -> tuple[float, dict]:
        deadline = time.perf_counter() + timeout
        with self._cv:
            while req_id not in self._responses:
                if self.eof_error:
                    raise ServerGone(self.eof_error)
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError(f"no response to request {req_id} within {timeout:.0f} s")
                self._cv.wait(left)
            return self._responses.pop(req_id)

    def request(self, method: str, params, timeout: float = 30.0) -> tuple[float, dict]:
        i, data = self.request_frame(method, params)
        self.send_raw(data)
        return self.wait_response(i, timeout)

    def wait_publish(self, uri: str, after: float, timeout: float,
                     version: int | None = None) -> tuple[float, dict]:
        deadline = time.perf_counter() + timeout
        with self._cv:
            while True:
                got = self.published.get(uri)
                if got and got[0] >= after and (version is None or got[1].get("version") in (None, version)):
                    return got
                if self.eof_error:
                    raise ServerGone(self.eof_error)
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError(f"no publishDiagnostics for the document within {timeout:.0f} s")
                self._cv.wait(left)

    def vm_hwm_kb(self) -> int | None:
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def close(self, timeout: float = 5.0):
        """shutdown + exit, then make sure the process is gone."""
        try:
            if self.proc.poll() is None and not self.eof_error:
                try:
                    self.request("shutdown", None, timeout=timeout)
                except (ServerGone, TimeoutError):
                    pass
                try:
                    self.notify("exit", None)
                except ServerGone:
                    pass
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        finally:
            if self._stderr not in (None, subprocess.DEVNULL):
                self._stderr.close()


def file_uri(path: str) -> str:
    from urllib.parse import quote
    return "file://" + quote(os.path.abspath(path))

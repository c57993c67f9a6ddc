#!/usr/bin/env python3
"""prp-lsp benchmark, side by side (issue 14): one run, one generated corpus, one table.

Measures, on the same synthetic workspace: a bare pulldown-cmark parse of every Markdown file
(the floor), `prp-lsp check` in each output format, rumdl (pinned, in the benchmark's own
venv), the scaling series (TASK.md of 20k/160k/1M lines and PRPs of 4/32 MB in `check`), and
the server (10 MB PRP didOpen, hover during a 1M-line TASK.md pull, first and second
`workspace/diagnostic`, edit-to-diagnostics latency). Prints ratios beside the targets.

A measurement, not a test: the exit status is 0 unless the harness itself cannot run, and a
part that fails, times out or is unavailable becomes a row that says so. Usually started
through `scripts/bench`, which builds the binaries first.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_gen  # noqa: E402
import bench_scale  # noqa: E402
from bench_lsp import LspClient, ServerGone, file_uri  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
FORMATS = ("human", "json", "sarif", "github")
RUMDL_VERSION = "0.3.0"
PARTS = ("floor", "check", "rumdl", "scale", "server", "edits")

# Targets of issue 14 (ratios, since absolute times vary by machine).
T_JSON_VS_FLOOR = 2.0
T_JSON_VS_HUMAN = 1.3
T_JSON_RSS_MB = 100.0
T_RUMDL_VS_JSON = 10.0
T_TASK_GROWTH = 10.0
T_PRP_GROWTH = 10.0
T_PRP_RSS_PER_SIZE = 5.0
T_OPEN_10MB_S = 1.0
T_HOVER_MS = 100.0
T_WS_RSS_MB = 150.0
T_SECOND_PULL_MS = 100.0
T_EDIT_P99_MS = 5.0

FULL = {"docs": 20000, "runs": 3, "edits": 200, "task_lines": (20_000, 160_000, 1_000_000),
        "prp_mb": (4, 32), "open_mb": 10, "server_task_lines": 1_000_000}
QUICK = {"docs": 2000, "runs": 2, "edits": 100, "task_lines": (2_500, 20_000, 125_000),
         "prp_mb": (0.5, 4), "open_mb": 2, "server_task_lines": 125_000}


def log(msg: str = ""):
    print(msg, flush=True)


def mb(n_bytes: float) -> float:
    return n_bytes / 1e6


def fmt_s(s: float) -> str:
    return f"{s:.2f} s" if s >= 0.1 else f"{s * 1e3:.1f} ms"


def fmt_ms(ms: float) -> str:
    return f"{ms:.1f} ms" if ms < 1000 else f"{ms / 1e3:.2f} s"


def fmt_n(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    if n >= 1000 and n % 100 == 0:
        return f"{n / 1000:.1f}k"
    return f"{n:,}"


def fmt_mb(n_bytes: float) -> str:
    m = mb(n_bytes)
    return f"{m:.0f} MB" if m >= 10 else f"{m:.1f} MB"


# --------------------------------------------------------------------------------------
# The table


class Table:
    def __init__(self):
        self.rows: list = []

    def section(self, title: str):
        self.rows.append(("section", title))

    def add(self, measure: str, figure: str, ratio: str = "", target: str = "",
            ok: bool | None = None, na: bool = False):
        verdict = "n/a" if na else ("" if ok is None else ("ok" if ok else "MISSED"))
        self.rows.append(("row", measure, figure, ratio, target, verdict))

    def unavailable(self, measure: str, reason: str, target: str = ""):
        self.add(measure, f"not available: {reason}", "", target, na=True)

    def verdicts(self) -> collections.Counter:
        return collections.Counter(r[5] for r in self.rows if r[0] == "row" and r[5])

    def markdown(self) -> str:
        def cell(s: str) -> str:
            return s.replace("|", "\\|").replace("\n", " ")
        out = ["| measure | figure | ratio | target | result |", "|---|---|---|---|---|"]
        for r in self.rows:
            if r[0] == "section":
                out.append(f"| **{cell(r[1])}** | | | | |")
            else:
                out.append("| " + " | ".join(cell(c) for c in r[1:]) + " |")
        return "\n".join(out)


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b <= 0:
        return None
    return a / b


def fmt_ratio(r: float | None, of: str) -> str:
    return "" if r is None else f"{r:.2f}× {of}"


# --------------------------------------------------------------------------------------
# Cold child processes


# A child's ru_maxrss on Linux starts from the RSS of the process that forked it, so a child
# forked by this harness (tens of MB once it has generated inputs or read a JSON report) would
# report at least that. Children are therefore forked by a small helper, a bare `python3 -I -S`
# that imports nothing but os, sys, time and signal. Its floor (a few MB: the peak RSS of
# `true` started the same way, printed in the table's header) is the smallest figure a cold
# process can show here; anything above it is the child's own.
SPAWNER = r"""
import os, sys, time, signal
killed = [False]
child = [0]
def on_alarm(*_):
    killed[0] = True
    try:
        os.kill(child[0], signal.SIGKILL)
    except OSError:
        pass
signal.signal(signal.SIGALRM, on_alarm)
inp, out = sys.stdin.buffer, sys.stdout
for line in inp:
    f = line.rstrip(b"\n").split(b"\0")
    timeout, cwd, so, se, argv = float(f[0]), f[1], f[2], f[3], f[4:]
    killed[0] = False
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            o = os.open(so, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            e = os.open(se, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            n = os.open(os.devnull, os.O_RDONLY)
            os.dup2(n, 0); os.dup2(o, 1); os.dup2(e, 2)
            if cwd:
                os.chdir(cwd)
            os.execvp(argv[0], argv)
        except BaseException as x:
            try:
                os.write(2, ("cannot start: %s" % x).encode())
            finally:
                os._exit(127)
    child[0] = pid
    signal.setitimer(signal.ITIMER_REAL, timeout)
    _, status, ru = os.wait4(pid, 0)
    signal.setitimer(signal.ITIMER_REAL, 0)
    wall = time.perf_counter() - t0
    out.write("%r %d %d %r %r %d\n" % (wall, os.waitstatus_to_exitcode(status), ru.ru_maxrss,
                                         ru.ru_utime, ru.ru_stime, killed[0]))
    out.flush()
"""


class Spawner:
    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-I", "-S", "-c", SPAWNER],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.floor_kb = None
        with tempfile.TemporaryDirectory() as d:
            r = self.run(["true"], Path(d) / "out", 30)
            self.floor_kb = r.get("maxrss_kb")

    def run(self, argv: list[str], out_path: Path, timeout: float, cwd: Path | None = None) -> dict:
        err_path = out_path.with_name(out_path.name + ".stderr")
        fields = [repr(float(timeout)), str(cwd or ""), str(out_path), str(err_path)] + [str(x) for x in argv]
        self.proc.stdin.write("\0".join(fields).encode() + b"\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline().decode()
        if not line:
            raise RuntimeError("the benchmark's process spawner died")
        wall, rc, maxrss, ut, st, killed = line.split()
        stderr = err_path.read_text(encoding="utf-8", errors="replace")
        res = {"wall": float(wall), "rc": int(rc), "maxrss_kb": int(maxrss),
               "cpu": float(ut) + float(st), "stderr": stderr, "out": out_path}
        if rc == "127" and stderr.startswith("cannot start"):
            return {"error": stderr.strip()[:200]}
        if killed == "1":
            res["error"] = f"no result within {timeout:.0f} s (killed)"
        return res

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()


_SPAWNER: Spawner | None = None


def run_child(argv: list[str], out_path: Path, timeout: float, cwd: Path | None = None) -> dict:
    """One cold process: wall time, rusage of that child only (wait4), exit code; killed after
    `timeout` seconds."""
    global _SPAWNER
    if _SPAWNER is None:
        _SPAWNER = Spawner()
    return _SPAWNER.run(argv, out_path, timeout, cwd)


def best_of(argv: list[str], out_path: Path, runs: int, timeout: float, label: str,
            ok_codes=(0, 1)) -> dict:
    """`runs` cold processes; best and median wall, max peak RSS. {"error"} on failure."""
    results = []
    for i in range(runs):
        r = run_child(argv, out_path, timeout)
        if "error" in r and "wall" not in r:
            return r
        log(f"  {label} run {i + 1}: {r['wall']:.3f} s wall, {r['cpu']:.3f} s CPU, "
            f"{r['maxrss_kb'] * 1024 / 1e6:.1f} MB peak RSS, exit {r['rc']}")
        if "error" in r:
            return r
        if r["rc"] not in ok_codes:
            tail = r["stderr"].strip().splitlines()[-1:] or [""]
            return {"error": f"exit {r['rc']}: {tail[0][:200]}"}
        results.append(r)
    walls = sorted(r["wall"] for r in results)
    return {"best": walls[0], "median": statistics.median(walls),
            "cpu_best": min(r["cpu"] for r in results),
            "rss_mb": max(r["maxrss_kb"] for r in results) * 1024 / 1e6,
            "out": out_path, "out_bytes": out_path.stat().st_size}


def figure(r: dict) -> str:
    return f"{fmt_s(r['best'])}, {r['rss_mb']:.0f} MB peak"


# --------------------------------------------------------------------------------------
# Floor, check, rumdl


def bench_floor(floor_bin: Path, ws: Path, runs: int, timeout: float, tmp: Path) -> dict:
    if not floor_bin.exists():
        shown = floor_bin.relative_to(REPO) if floor_bin.is_relative_to(REPO) else floor_bin
        return {"error": f"{shown} missing (cargo build --release --example parse_floor -p prp-analysis)"}
    log(f"floor: `parse_floor {ws.name} --threads 2`, {runs} cold processes")
    r = best_of([str(floor_bin), str(ws), "--threads", "2"], tmp / "floor.out", runs, timeout,
                "floor", ok_codes=(0,))
    if "error" not in r:
        m = re.search(r"files (\d+) bytes (\d+)", r["out"].read_text())
        r["files"], r["bytes"] = (int(m.group(1)), int(m.group(2))) if m else (None, None)
    return r


def bench_check_formats(binary: Path, ws: Path, runs: int, timeout: float, tmp: Path) -> dict:
    res = {}
    for f in FORMATS:
        log(f"check: `prp-lsp check {ws.name} --format {f}`, {runs} cold processes")
        r = best_of([str(binary), "check", str(ws), "--format", f], tmp / f"check.{f}", runs,
                    timeout, f)
        res[f] = r
    j = res.get("json", {})
    if "error" not in j:
        try:
            report = json.loads(j["out"].read_bytes())
            codes = collections.Counter(d.get("code", "?") for x in report.get("files", [])
                                        for d in x.get("diagnostics", []))
            j["summary"], j["codes"] = report.get("summary", {}), codes
            s = j["summary"]
            log(f"  json report: {s.get('documents', '?')} documents, {sum(codes.values()):,} findings "
                f"({s.get('errors', 0):,} errors, {s.get('warnings', 0):,} warnings, "
                f"{s.get('information', 0):,} information), {fmt_mb(j['out_bytes'])}")
            log("  by rule: " + ", ".join(f"{c} {n}" for c, n in codes.most_common()))
        except ValueError as e:  # a measurement still: the time stands, the counts are unknown
            log(f"  json output does not parse as one JSON document: {e}")
    return res


def _version_key(v: str) -> tuple:
    return tuple(int(x) for x in re.findall(r"\d+", v)[:4])


def ensure_rumdl(venv: Path, version: str) -> dict:
    """rumdl `version` in `venv` (created here). {"exe", "version", "note"} or {"error"}."""
    exe, py = venv / "bin" / "rumdl", venv / "bin" / "python"

    def installed() -> str | None:
        try:
            out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=30)
            m = re.search(r"(\d+\.\d+\.\d+\S*)", out.stdout)
            return m.group(1) if m else None
        except (OSError, subprocess.TimeoutExpired):
            return None

    have = installed() if exe.exists() else None
    if have == version:
        return {"exe": exe, "version": have, "note": ""}
    try:
        if not py.exists():
            log(f"rumdl: creating the benchmark venv {venv}")
            r = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True,
                               text=True, timeout=300)
            if r.returncode != 0:
                return {"error": f"cannot create {venv}: {(r.stderr.strip().splitlines() or [''])[-1][:160]}"}
        pip = [str(py), "-m", "pip", "--disable-pip-version-check", "--no-input"]
        log(f"rumdl: pip install rumdl=={version} into {venv}")
        r = subprocess.run(pip + ["install", "--quiet", f"rumdl=={version}"], capture_output=True,
                           text=True, timeout=600)
        if r.returncode == 0 and installed() == version:
            return {"exe": exe, "version": version, "note": ""}
        why = (r.stderr.strip().splitlines() or ["pip failed"])[-1][:160]
        # The pinned version is not to be had: the nearest one that is.
        idx = subprocess.run(pip + ["index", "versions", "rumdl"], capture_output=True, text=True,
                             timeout=300)
        m = re.search(r"Available versions:\s*(.+)", idx.stdout)
        if not m:
            return {"error": f"pip install rumdl=={version} failed: {why}"}
        versions = [v.strip() for v in m.group(1).split(",") if v.strip()]
        want = _version_key(version)
        below = [v for v in versions if _version_key(v) <= want]
        nearest = (max(below, key=_version_key) if below else min(versions, key=_version_key))
        log(f"rumdl: {version} not installable ({why}); nearest available {nearest}")
        r = subprocess.run(pip + ["install", "--quiet", f"rumdl=={nearest}"], capture_output=True,
                           text=True, timeout=600)
        if r.returncode != 0:
            return {"error": f"pip install rumdl=={nearest} failed: "
                             f"{(r.stderr.strip().splitlines() or [''])[-1][:160]}"}
        return {"exe": exe, "version": installed() or nearest,
                "note": f"pinned {version} not available ({why}); nearest {nearest}"}
    except (OSError, subprocess.TimeoutExpired) as e:
        return {"error": f"{type(e).__name__}: {e}"}


def bench_rumdl(venv: Path, version: str, ws: Path, runs: int, timeout: float, tmp: Path) -> dict:
    got = ensure_rumdl(venv, version)
    if "error" in got:
        log(f"rumdl: not available: {got['error']}")
        return got
    # --respect-gitignore=false: the default corpus lies in this repository, where .gitignore
    # names it; --no-config: rumdl's built-in rules whatever configuration the machine has.
    argv = [str(got["exe"]), "check", "--no-cache", "--respect-gitignore=false", "--no-config",
            "--color", "never", str(ws)]
    log(f"rumdl {got['version']}: `rumdl check --no-cache --respect-gitignore=false --no-config "
        f"--color never {ws.name}`, {runs} cold process(es)")
    r = best_of(argv, tmp / "rumdl.out", runs, timeout, "rumdl")
    r.update(version=got["version"], note=got["note"])
    if "error" not in r:
        m = re.search(r"in (\d+)/(\d+) files", r["out"].read_text(errors="replace")[-4000:])
        r["files"] = int(m.group(2)) if m else None
        if m:
            log(f"  rumdl checked {r['files']:,} files, found issues in {int(m.group(1)):,}")
    return r


# --------------------------------------------------------------------------------------
# Scaling inputs in `check`


def bench_scale_check(binary: Path, inputs: list[tuple[str, dict]], runs: int, timeout: float,
                      tmp: Path) -> dict:
    res = {}
    for key, inp in inputs:
        ws = inp["root"]
        log(f"check: {key} ({fmt_mb(inp['bytes'])}, {inp['lines']:,} lines), {runs} cold processes")
        r = best_of([str(binary), "check", str(ws), "--format", "json"], tmp / f"scale-{key}.json",
                    runs, timeout, key)
        if "error" not in r:
            data = r["out"].read_bytes()
            r["large"] = b'"large-document"' in data
            r["findings"] = data.count(b'"code"')
            log(f"  {r['findings']:,} findings{' (large-document: structure only)' if r['large'] else ''}")
        r["bytes"], r["lines"] = inp["bytes"], inp["lines"]
        res[key] = r
    return res


# --------------------------------------------------------------------------------------
# Server


CLIENT_CAPS = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "synchronization": {"didSave": True, "dynamicRegistration": False},
        "diagnostic": {"dynamicRegistration": False, "relatedDocumentSupport": False},
        "publishDiagnostics": {"relatedInformation": True, "versionSupport": True},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
    },
    "workspace": {"configuration": True, "workspaceFolders": True,
                  "diagnostics": {"refreshSupport": False}},
    "window": {"workDoneProgress": False},
}


class Server:
    """A prp-lsp process over stdio, initialized on `root`."""

    def __init__(self, binary: Path, root: Path, tmp: Path, label: str, holder: dict):
        self.stderr_path = tmp / f"server-{label}.stderr"
        self.client = LspClient([str(binary)], cwd=str(root), stderr_path=str(self.stderr_path))
        holder["proc"] = self.client.proc
        self.root = root
        try:
            self._initialize(root)
        except BaseException:
            self.client.close()
            raise

    def _initialize(self, root: Path):
        t_init, resp = self.client.request("initialize", {
            "processId": os.getpid(),
            "clientInfo": {"name": "prp-lsp-bench", "version": "2"},
            "rootUri": file_uri(str(root)), "rootPath": str(root),
            "workspaceFolders": [{"uri": file_uri(str(root)), "name": root.name}],
            "capabilities": CLIENT_CAPS,
        }, timeout=60)
        if "error" in resp:
            raise ServerGone(f"initialize failed: {resp['error']}")
        self.initialize_ms = (t_init - self.client.started) * 1e3
        caps = resp.get("result", {}).get("capabilities", {})
        self.caps = caps
        dp = caps.get("diagnosticProvider")
        self.pull = bool(dp)
        self.workspace_pull = isinstance(dp, dict) and bool(dp.get("workspaceDiagnostics"))
        self.identifier = dp.get("identifier") if isinstance(dp, dict) else None
        sync = caps.get("textDocumentSync")
        self.sync_kind = sync.get("change") if isinstance(sync, dict) else sync
        self.client.notify("initialized", {})
        self.t_initialized = time.perf_counter()

    def diag_params(self, uri: str) -> dict:
        p = {"textDocument": {"uri": uri}}
        if self.identifier:
            p["identifier"] = self.identifier
        return p

    def open_frame(self, uri: str, text: str, version: int = 1) -> bytes:
        return self.client.frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}}})

    def open_and_pull(self, uri: str, text: str, timeout: float) -> tuple[float, float, int]:
        """didOpen, then its diagnostics (pulled, or the first publish). Returns (t_sent,
        t_answered, items)."""
        frame = self.open_frame(uri, text)
        if self.pull:
            rid, req = self.client.request_frame("textDocument/diagnostic", self.diag_params(uri))
            t0 = time.perf_counter()
            self.client.send_raw(frame + req)
            t1, resp = self.client.wait_response(rid, timeout)
            if "error" in resp:
                raise ServerGone(f"textDocument/diagnostic failed: {resp['error']}")
            return t0, t1, len((resp.get("result") or {}).get("items", []))
        t0 = time.perf_counter()
        self.client.send_raw(frame)
        t1, p = self.client.wait_publish(uri, t0, timeout)
        return t0, t1, len(p.get("diagnostics", []))

    def rss_mb(self) -> float | None:
        kb = self.client.vm_hwm_kb()
        return kb * 1024 / 1e6 if kb else None

    def stderr_tail(self) -> str:
        try:
            tail = self.stderr_path.read_text(errors="replace").strip().splitlines()[-1:]
            return f" (server stderr: {tail[0][:160]})" if tail else ""
        except OSError:
            return ""

    def close(self):
        self.client.close()


def server_case(fn):
    """Runs one server measurement; a failure becomes {"error": ...}. Never a hang: every wait
    has a timeout, the server is shut down (then killed) afterwards, and a watchdog kills it
    once `deadline` seconds have passed whatever the harness is doing (a write into a server
    that stopped reading would block)."""
    def wrapped(binary: Path, *args, **kw) -> dict:
        res: dict = {}
        root, tmp, label, deadline = kw.pop("root"), kw.pop("tmp"), kw.pop("label"), kw.pop("deadline")
        holder: dict = {}

        def watchdog():
            holder["fired"] = True
            proc = holder.get("proc")
            if proc is not None and proc.poll() is None:
                proc.kill()
        timer = threading.Timer(deadline, watchdog)
        timer.daemon = True
        timer.start()
        srv = None
        try:
            srv = Server(binary, root, tmp, label, holder)
            res["initialize_ms"] = srv.initialize_ms
            fn(srv, res, *args, **kw)
        except (ServerGone, TimeoutError, OSError) as e:
            if holder.get("fired"):
                res["error"] = f"no result within {deadline:.0f} s (server killed by the watchdog)"
            else:
                res["error"] = f"{e}{srv.stderr_tail() if srv else ''}"
        finally:
            timer.cancel()
            if srv is not None:
                if res.get("rss_mb") is None:
                    res["rss_mb"] = srv.rss_mb()
                srv.close()
        return res
    return wrapped


@server_case
def bench_open_big(srv: Server, res: dict, doc: Path, timeout: float):
    text = doc.read_text(encoding="utf-8")
    t0, t1, items = srv.open_and_pull(file_uri(str(doc)), text, timeout)
    res.update(open_s=t1 - t0, items=items, since_spawn_s=t1 - srv.client.started,
               rss_mb=srv.rss_mb())


@server_case
def bench_hover_during_pull(srv: Server, res: dict, doc: Path, timeout: float, hover_timeout: float):
    text = doc.read_text(encoding="utf-8")
    uri = file_uri(str(doc))
    c = srv.client
    frame = srv.open_frame(uri, text)
    if srv.pull:
        pid, req = c.request_frame("textDocument/diagnostic", srv.diag_params(uri))
    else:
        pid, req = None, b""
    t0 = time.perf_counter()
    c.send_raw(frame + req)
    def hover(key: str) -> float:
        """Sends a hover on line 0; records its latency under `key`, returns when it was sent."""
        hid, hreq = c.request_frame("textDocument/hover", {
            "textDocument": {"uri": uri}, "position": {"line": 0, "character": 15}})
        sent = time.perf_counter()
        c.send_raw(hreq)
        try:
            answered, hresp = c.wait_response(hid, hover_timeout)
            res[key] = (answered - sent) * 1e3
            res[key.replace("_ms", "_error")] = hresp.get("error")
        except TimeoutError:
            res[key] = None
        return sent

    time.sleep(0.02)  # the pull is under way; now the hover
    th0 = hover("hover_ms")
    # Once the document is in and being analysed: a hover one second after the didOpen, so
    # what is measured is the pull's hold on the server, not the reading of the message.
    time.sleep(max(0.0, t0 + 1.0 - time.perf_counter()))
    tl0 = hover("late_hover_ms")
    # The pull: answered at all, and when (from didOpen).
    left = max(1.0, timeout - (time.perf_counter() - t0))
    try:
        if pid is not None:
            tp, presp = c.wait_response(pid, left)
            if "error" in presp:
                raise ServerGone(f"textDocument/diagnostic failed: {presp['error']}")
            res["items"] = len((presp.get("result") or {}).get("items", []))
        else:
            tp, p = c.wait_publish(uri, t0, left)
            res["items"] = len(p.get("diagnostics", []))
        res["pull_s"] = tp - t0
        # Was the pull still running when the hover was sent?
        res["in_flight"] = tp > th0
        res["late_in_flight"] = tp > tl0
    except TimeoutError:
        res["pull_s"] = None
        res["in_flight"] = True
        if pid is not None:
            c.notify("$/cancelRequest", {"id": pid})
    res["timeout_s"] = timeout
    res["rss_mb"] = srv.rss_mb()


def _ws_items(result: dict | None, progress: list) -> list:
    items = list((result or {}).get("items", []))
    for _, value in progress:
        items.extend((value or {}).get("items", []))
    return items


@server_case
def bench_workspace_pull(srv: Server, res: dict, ws: Path, stats: dict, timeout: float):
    c = srv.client
    if not srv.workspace_pull:
        raise ServerGone("the server does not offer workspace/diagnostic")
    # Indexing: the first answer to a cheap request (hover in an unopened document waits for
    # the index) and the memory it took.
    probe = ws / stats["latency_prp"]
    _, _ = c.request("textDocument/hover", {"textDocument": {"uri": file_uri(str(probe))},
                                            "position": {"line": 0, "character": 0}}, timeout=timeout)
    res["index_s"] = time.perf_counter() - srv.t_initialized
    res["index_rss_mb"] = srv.rss_mb()

    def pull(previous: list, token: str, wait: float):
        params = {"previousResultIds": previous, "partialResultToken": token}
        if srv.identifier:
            params["identifier"] = srv.identifier
        rid, req = c.request_frame("workspace/diagnostic", params)
        t0 = time.perf_counter()
        c.send_raw(req)
        t1, resp = c.wait_response(rid, wait)
        if "error" in resp:
            raise ServerGone(f"workspace/diagnostic failed: {resp['error']}")
        progress = c.progress.get(token, [])
        items = _ws_items(resp.get("result"), progress)
        first_part = min((t for t, _ in progress), default=None)
        return t1 - t0, items, (first_part - t0) if first_part else None, len(progress)

    wall, items, first_part, parts = pull([], "bench-ws-1", timeout)
    kinds = collections.Counter(i.get("kind", "?") for i in items)
    res.update(first_s=wall, first_items=len(items), first_kinds=dict(kinds),
               first_partial_s=first_part, first_parts=parts,
               first_findings=sum(len(i.get("items", [])) for i in items),
               rss_mb=srv.rss_mb())
    previous = [{"uri": i["uri"], "value": i["resultId"]} for i in items
                if i.get("uri") and i.get("resultId")]
    res["result_ids"] = len(previous)
    log(f"  first pull: {wall:.3f} s, {len(items):,} reports {dict(kinds)}, "
        f"{res['first_findings']:,} findings, {len(previous):,} with a resultId, "
        f"{parts} partial result(s); server VmHWM {res['rss_mb']:.0f} MB")
    # The second pull, nothing changed. A server that long-polls would hold it: bounded wait.
    try:
        wall2, items2, _, parts2 = pull(previous, "bench-ws-2", min(timeout, 60))
        kinds2 = collections.Counter(i.get("kind", "?") for i in items2)
        res.update(second_s=wall2, second_items=len(items2), second_kinds=dict(kinds2),
                   unchanged=kinds2.get("unchanged", 0))
        log(f"  second pull: {wall2 * 1e3:.1f} ms, {len(items2):,} reports {dict(kinds2)}")
    except TimeoutError as e:
        res["second_error"] = str(e)
    res["rss_after_mb"] = srv.rss_mb()


@server_case
def bench_edits(srv: Server, res: dict, ws: Path, stats: dict, iterations: int, timeout: float):
    """Edits + pull on the 5,000-line PRP; p50/p99 of edit → diagnostics.

    The edits are sent as an editor sends them: as ranges when the server asks for
    incremental sync (VS Code, Neovim and Helix all do), whole text otherwise. The same
    edits sent as whole text are measured too, for comparison (no target)."""
    c = srv.client
    doc_path = ws / stats["latency_prp"]
    text = doc_path.read_text(encoding="utf-8")
    lines = text.split("\n")
    uri = file_uri(str(doc_path))
    incremental = srv.sync_kind == 2
    res.update(mode="pull" if srv.pull else "push", sync_kind=srv.sync_kind,
               sent_as="ranges" if incremental else "whole text")
    t0, t1, first_items = srv.open_and_pull(uri, text, timeout=timeout)
    res.update(first_diag_ms=(t1 - t0) * 1e3, first_since_spawn_ms=(t1 - c.started) * 1e3,
               first_items=first_items)
    # Small edits: append a counter to one prose line in the middle of the document,
    # and every tenth edit toggle a Success Criteria checkbox.
    prose = [i for i, l in enumerate(lines) if l.startswith("Note:") or
             (l and l[0].isupper() and not l.startswith(("Task", "MODIFY", "CREATE")))]
    edit_line = prose[len(prose) // 2] if prose else len(lines) // 2
    boxes = [i for i, l in enumerate(lines) if l.startswith("- [ ] ")]
    original = lines[edit_line]
    kinds, items = collections.Counter(), []
    version = 1

    def utf16_len(s: str) -> int:
        return sum(2 if ord(ch) > 0xFFFF else 1 for ch in s)

    def replace_line(i: int, new: str) -> dict:
        old = lines[i]
        lines[i] = new
        return {"range": {"start": {"line": i, "character": 0},
                          "end": {"line": i, "character": utf16_len(old)}}, "text": new}

    def run(as_ranges: bool, count: int, first: int) -> list[float]:
        nonlocal version
        latencies = []
        kinds.clear()
        items.clear()
        for n in range(first, first + count):
            changes = [replace_line(edit_line, f"{original} (edit {n + 1})")]
            if boxes and n % 10 == 9:
                b = boxes[(n // 10) % len(boxes)]
                toggled = "x" if lines[b].startswith("- [ ] ") else " "
                changes.append(replace_line(b, lines[b][:3] + toggled + lines[b][4:]))
            if not as_ranges:
                changes = [{"text": "\n".join(lines)}]
            version += 1
            change = c.frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version}, "contentChanges": changes}})
            if srv.pull:
                rid, req = c.request_frame("textDocument/diagnostic", srv.diag_params(uri))
                t0 = time.perf_counter()
                c.send_raw(change + req)
                t1, resp = c.wait_response(rid, timeout=60)
                if "error" in resp:
                    raise ServerGone(f"textDocument/diagnostic failed after an edit: {resp['error']}")
                result = resp.get("result") or {}
                kinds[result.get("kind", "?")] += 1
                items.append(len(result.get("items", [])))
            else:
                t0 = time.perf_counter()
                c.send_raw(change)
                t1, p = c.wait_publish(uri, t0, timeout=60, version=version)
                kinds["publish"] += 1
                items.append(len(p.get("diagnostics", [])))
            latencies.append((t1 - t0) * 1e3)
        return sorted(latencies)

    def p99(lat: list[float]) -> float:
        return lat[min(len(lat) - 1, max(0, round(0.99 * len(lat)) - 1))]

    lat = run(incremental, iterations, 0)
    counted = dict(kinds), items[-1] if items else None
    if incremental and srv.pull and items:
        # The ranges left the server with the text the harness holds: sent whole, the same
        # text has the same findings.
        version += 1
        change = c.frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": "\n".join(lines)}]}})
        rid, req = c.request_frame("textDocument/diagnostic", srv.diag_params(uri))
        c.send_raw(change + req)
        _t, resp = c.wait_response(rid, timeout=60)
        again = len((resp.get("result") or {}).get("items", []))
        if again != items[-1]:
            raise ServerGone(f"{items[-1]} findings after the edits sent as ranges, {again} "
                             "for the same text sent whole: the server's text differs")
    whole = run(False, iterations, iterations) if incremental else []
    # Floor: the same request with no edit in between (transport + cached/unchanged work).
    floor = []
    if srv.pull:
        for _ in range(50):
            rid, req = c.request_frame("textDocument/diagnostic", srv.diag_params(uri))
            t0 = time.perf_counter()
            c.send_raw(req)
            t1, _resp = c.wait_response(rid, timeout=60)
            floor.append((t1 - t0) * 1e3)
    res.update({
        "floor_p50": statistics.median(floor) if floor else None,
        "edits": len(lat), "p50": statistics.median(lat), "p99": p99(lat), "max": lat[-1],
        "kinds": counted[0], "items_last": counted[1],
        "doc_kb": len(text.encode()) / 1024, "rss_mb": srv.rss_mb(),
        "server_requests": dict(c.server_requests), "publishes": c.publish_count,
    })
    if whole:
        res.update(whole_p50=statistics.median(whole), whole_p99=p99(whole))
    log(f"  {len(lat)} edits ({res['sent_as']}) of a {res['doc_kb']:.0f} KB document: "
        f"p50 {res['p50']:.2f} ms, p99 {res['p99']:.2f} ms, max {res['max']:.2f} ms; "
        f"results {counted[0]}; round-trip floor p50 {res['floor_p50'] or 0:.2f} ms")
    if whole:
        log(f"  the same edits as whole text: p50 {res['whole_p50']:.2f} ms, "
            f"p99 {res['whole_p99']:.2f} ms")


# --------------------------------------------------------------------------------------
# Machine facts


def machine_facts(binary: Path) -> dict:
    cores = os.cpu_count()
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = cores
    cpu = platform.processor() or "?"
    mem = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) / 1024 / 1024
                break
    except OSError:
        pass

    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True,
                                  timeout=30).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""
    commit = git("rev-parse", "--short", "HEAD") or "?"
    dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    return {"cores": cores, "affinity": affinity, "cpu": cpu, "mem_gb": mem,
            "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "commit": commit + (" (with uncommitted changes)" if dirty else ""),
            "load": os.getloadavg()[0], "python": platform.python_version(),
            "kernel": platform.release()}


# --------------------------------------------------------------------------------------


def build_table(t: Table, a, st: dict, floor, checks, rumdl, scale, open_big, hover, wsp, edits):
    docs = st["documents"]
    corpus = f"{docs:,} documents, {fmt_mb(st['document_bytes'])}"
    fl = floor if floor and "error" not in floor else None
    fl_s = fl["best"] if fl else None
    human = checks.get("human") if checks else None
    human_s = human["best"] if human and "error" not in human else None

    if floor is not None or checks is not None or rumdl is not None:
        t.section(f"check, on the corpus ({corpus})")
    if floor is not None:
        label = "raw-parse floor: pulldown-cmark, every .md, 2 threads"
        if fl:
            t.add(f"{label} ({fl['files']:,} files, {fmt_mb(fl['bytes'] or 0)})", figure(fl), "1.00× floor")
        else:
            t.unavailable(label, floor["error"])
    if checks is not None:
        for f in FORMATS:
            r = checks[f]
            label = f"`check --format {f}`"
            if "error" in r:
                t.unavailable(label, r["error"],
                              f"≤ {T_JSON_VS_FLOOR:g}× floor" if f == "json" else "")
                continue
            fig = f"{figure(r)}, {fmt_mb(r['out_bytes'])} out"
            if f == "human":
                t.add(label, fig, fmt_ratio(ratio(r["best"], fl_s), "floor"))
            elif f == "json":
                rf = ratio(r["best"], fl_s)
                t.add(label, fig, fmt_ratio(rf, "floor"), f"≤ {T_JSON_VS_FLOOR:g}× floor",
                      None if rf is None else rf <= T_JSON_VS_FLOOR)
                rh = ratio(r["best"], human_s)
                t.add(f"{label} vs `check` (human)", "", fmt_ratio(rh, "human"),
                      f"≤ {T_JSON_VS_HUMAN:g}× human", None if rh is None else rh <= T_JSON_VS_HUMAN)
                t.add(f"{label} peak RSS", f"{r['rss_mb']:.0f} MB", "",
                      f"≤ {T_JSON_RSS_MB:.0f} MB", r["rss_mb"] <= T_JSON_RSS_MB)
            else:
                t.add(label, fig, fmt_ratio(ratio(r["best"], human_s), "human"))
    if rumdl is not None:
        j = checks.get("json") if checks else None
        j_s = j["best"] if j and "error" not in j else None
        label = f"rumdl {rumdl.get('version', a.rumdl_version)} `check --no-cache`"
        target = f"≥ {T_RUMDL_VS_JSON:g}× json"
        if "error" in rumdl:
            t.unavailable(label, rumdl["error"], target)
        else:
            rr = ratio(rumdl["best"], j_s)
            files = f", {rumdl['files']:,} files" if rumdl.get("files") else ""
            note = f" ({rumdl['note']})" if rumdl.get("note") else ""
            t.add(label + note, figure(rumdl) + files, fmt_ratio(rr, "json"), target,
                  None if rr is None else rr >= T_RUMDL_VS_JSON)

    if scale is not None:
        t.section("scaling, `check --format json`, one document alone in its workspace")
        tl = a.task_lines

        def label_task(n, r):
            large = " (above document-size: structure only)" if r.get("large") else ""
            return f"TASK.md, {fmt_n(n)} lines ({fmt_mb(r['bytes'])}){large}"
        base = scale.get(f"task-{tl[0]}")
        base_s = base["best"] if base and "error" not in base else None
        for i, n in enumerate(tl):
            r = scale[f"task-{n}"]
            if "error" in r:
                t.unavailable(f"TASK.md, {fmt_n(n)} lines", r["error"],
                              f"≤ {T_TASK_GROWTH:g}× t({fmt_n(tl[0])})" if i == 1 else "")
                continue
            rr = ratio(r["best"], base_s) if i else None
            of = f"t({fmt_n(tl[0])})"
            if i == 1:
                t.add(label_task(n, r), figure(r), fmt_ratio(rr, of), f"≤ {T_TASK_GROWTH:g}× {of}",
                      None if rr is None else rr <= T_TASK_GROWTH)
            else:
                t.add(label_task(n, r), figure(r), fmt_ratio(rr, of))
        pm = a.prp_mb
        small = scale.get(f"prp-{pm[0]}")
        small_s = small["best"] if small and "error" not in small else None
        for i, m in enumerate(pm):
            r = scale[f"prp-{m}"]
            label = f"PRP, {m:g} MB"
            if "error" in r:
                t.unavailable(label, r["error"], f"≤ {T_PRP_GROWTH:g}× t({pm[0]:g} MB)" if i else "")
                continue
            large = " (above document-size: structure only)" if r.get("large") else ""
            label = f"PRP, {fmt_mb(r['bytes'])}, {r['lines']:,} lines{large}"
            if i:
                rr = ratio(r["best"], small_s)
                t.add(label, figure(r), fmt_ratio(rr, f"t({pm[0]:g} MB)"),
                      f"≤ {T_PRP_GROWTH:g}× t({pm[0]:g} MB)", None if rr is None else rr <= T_PRP_GROWTH)
            else:
                t.add(label, figure(r))
            # The target is about large inputs: below the smallest size (4 MB) a
            # process's own baseline dominates, so no verdict there.
            per = r["rss_mb"] * 1e6 / r["bytes"]
            applies = r["bytes"] >= 3.9e6
            t.add(f"PRP, {fmt_mb(r['bytes'])}: peak RSS / file size", f"{r['rss_mb']:.0f} MB",
                  f"{per:.1f}× file", f"≤ {T_PRP_RSS_PER_SIZE:g}× file" + ("" if applies else " (from 4 MB)"),
                  per <= T_PRP_RSS_PER_SIZE if applies else None)

    if any(x is not None for x in (open_big, hover, wsp, edits)):
        t.section("server (LSP over stdio, pull diagnostics)")
    if open_big is not None:
        label = f"PRP of {a.open_mb:g} MB: `didOpen` → diagnostics"
        target = f"< {T_OPEN_10MB_S:g} s"
        if "error" in open_big:
            t.unavailable(label, open_big["error"], target)
        else:
            t.add(label, f"{fmt_s(open_big['open_s'])}, server {open_big['rss_mb'] or 0:.0f} MB peak",
                  "", target, open_big["open_s"] < T_OPEN_10MB_S)
    if hover is not None:
        n = fmt_n(a.server_task_lines)
        label = f"TASK.md of {n} lines: open → pull answered"
        if "error" in hover and "pull_s" not in hover:
            t.unavailable(label, hover["error"], "answered")
        else:
            p = hover.get("pull_s")
            fig = (f"{fmt_s(p)}, server {hover.get('rss_mb') or 0:.0f} MB peak" if p is not None else
                   f"no answer within {hover['timeout_s']:g} s (server {hover.get('rss_mb') or 0:.0f} MB)")
            t.add(label, fig, "", "answered", p is not None)
            h = hover.get("hover_ms")
            label = "… `hover` on line 0 sent 20 ms after the didOpen (behind that message)"
            if h is None:
                fig = f"no answer within {a.hover_timeout:g} s"
            else:
                fig = fmt_ms(h) + ("" if hover.get("in_flight") else
                                   " (the pull had already been answered)")
                if hover.get("hover_error"):
                    fig += f" (error {hover['hover_error'].get('code')})"
            t.add(label, fig, "", f"< {T_HOVER_MS:g} ms", h is not None and h < T_HOVER_MS)
            late = hover.get("late_hover_ms")
            t.add("… the same `hover` sent 1 s after the didOpen (the pull still running)",
                  (fmt_ms(late) + ("" if hover.get("late_in_flight") else
                                   " (the pull had already been answered)"))
                  if late is not None else f"no answer within {a.hover_timeout:g} s")
    if wsp is not None:
        label = f"first `workspace/diagnostic` ({docs:,} documents)"
        if "error" in wsp and "first_s" not in wsp:
            t.unavailable(label, wsp["error"], f"peak ≤ {T_WS_RSS_MB:.0f} MB")
        else:
            t.add("server indexing (initialized → first answer)",
                  f"{fmt_s(wsp['index_s'])}, {wsp['index_rss_mb'] or 0:.0f} MB peak")
            t.add(label, f"{fmt_s(wsp['first_s'])}, {wsp['first_items']:,} reports")
            rss = wsp.get("rss_mb") or 0
            t.add(f"{label}: server peak RSS (VmHWM)", f"{rss:.0f} MB", "",
                  f"≤ {T_WS_RSS_MB:.0f} MB", rss <= T_WS_RSS_MB)
            label2 = "second `workspace/diagnostic` with the first's resultIds"
            if "second_s" in wsp:
                ms = wsp["second_s"] * 1e3
                t.add(label2, fmt_ms(ms), "", f"< {T_SECOND_PULL_MS:g} ms", ms < T_SECOND_PULL_MS)
                n_first = wsp["first_items"]
                un = wsp["unchanged"]
                share = f"{un / n_first:.0%} of the first" if n_first else ""
                ids = "" if wsp["result_ids"] else "; the first pull gave no resultId"
                t.add("… reports of kind `unchanged`", f"{un:,} of {wsp['second_items']:,}{ids}",
                      share, f"all {n_first:,}", n_first > 0 and un == n_first)
            else:
                t.add(label2, wsp.get("second_error") or wsp.get("error", "?"), "",
                      f"< {T_SECOND_PULL_MS:g} ms", False)
    if edits is not None:
        label = f"edit → diagnostics, {st['latency_prp_lines']:,}-line PRP, p50 / p99"
        target = f"p99 < {T_EDIT_P99_MS:g} ms"
        if "error" in edits and "p99" not in edits:
            t.unavailable(label, edits["error"], target)
        else:
            t.add(label, f"{edits['p50']:.2f} / {edits['p99']:.2f} ms ({edits['edits']} edits "
                  f"sent as {edits['sent_as']})", "", target, edits["p99"] < T_EDIT_P99_MS)
            if "whole_p99" in edits:
                t.add("… the same edits sent as whole text, p50 / p99",
                      f"{edits['whole_p50']:.2f} / {edits['whole_p99']:.2f} ms", "", "", None)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description="prp-lsp benchmark, side by side (figures, not a test)",
        epilog="Parts: floor (raw pulldown-cmark parse), check (every output format), rumdl, "
               "scale (TASK.md and PRP series in check), server (10 MB didOpen, hover during a "
               "big pull, workspace pulls), edits (edit → diagnostics latency).")
    ap.add_argument("--quick", action="store_true",
                    help="smaller sizes everywhere (2,000 documents, TASK.md 2.5k/20k/125k lines, "
                         "PRP 0.5/4 MB, 2 MB didOpen, 2 runs, 100 edits): to try the harness")
    ap.add_argument("--docs", type=int, help="documents to generate (default 20000)")
    ap.add_argument("--runs", type=int, help="cold processes per check measurement, best kept (default 3)")
    ap.add_argument("--edits", type=int, help="didChange+diagnostic rounds (default 200)")
    ap.add_argument("--skip", default="", help=f"comma-separated parts to skip: {','.join(PARTS)}")
    ap.add_argument("--no-check", action="store_true", help="same as --skip floor,check,rumdl,scale")
    ap.add_argument("--no-lsp", action="store_true", help="same as --skip server,edits")
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="seconds before a process or a request counts as not answering (default 120)")
    ap.add_argument("--hover-timeout", type=float, default=10.0,
                    help="seconds to wait for the hover sent during the big pull (default 10)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the generated workspaces (reused next time) and the raw outputs")
    ap.add_argument("--skip-build", action="store_true", help="use the existing release binaries")
    ap.add_argument("--workspace", type=Path, default=REPO / "bench-workspace")
    ap.add_argument("--scale-dir", type=Path, default=REPO / "target" / "bench-scale",
                    help="where the scaling workspaces are generated")
    ap.add_argument("--binary", type=Path, default=REPO / "target" / "release" / "prp-lsp")
    ap.add_argument("--floor-binary", type=Path,
                    default=REPO / "target" / "release" / "examples" / "parse_floor")
    ap.add_argument("--venv", type=Path, default=REPO / "target" / "bench-venv",
                    help="the benchmark's own venv, for rumdl")
    ap.add_argument("--rumdl-version", default=RUMDL_VERSION)
    ap.add_argument("--rumdl-runs", type=int, default=1, help="rumdl processes (default 1)")
    ap.add_argument("--seed", type=int, default=bench_gen.DEFAULT_SEED)
    ap.add_argument("--table", type=Path, help="also write the markdown table to this file")
    a = ap.parse_args(argv)

    preset = QUICK if a.quick else FULL
    a.docs = a.docs or preset["docs"]
    a.runs = a.runs or preset["runs"]
    a.edits = a.edits or preset["edits"]
    a.task_lines, a.prp_mb = preset["task_lines"], preset["prp_mb"]
    a.open_mb, a.server_task_lines = preset["open_mb"], preset["server_task_lines"]
    skip = {s.strip() for s in a.skip.split(",") if s.strip()}
    unknown = skip - set(PARTS)
    if unknown:
        ap.error(f"unknown part(s) for --skip: {', '.join(sorted(unknown))}")
    if a.no_check:
        skip |= {"floor", "check", "rumdl", "scale"}
    if a.no_lsp:
        skip |= {"server", "edits"}
    do = {p: p not in skip for p in PARTS}

    ws = a.workspace.resolve()
    a.binary, a.floor_binary = a.binary.resolve(), a.floor_binary.resolve()
    a.venv, a.scale_dir = a.venv.resolve(), a.scale_dir.resolve()
    if not a.binary.exists():
        print(f"bench: {a.binary} not found; build it with `cargo build --release -p prp-lsp` "
              "or run scripts/bench without --skip-build", file=sys.stderr)
        return 2
    if ws.exists() and any(ws.iterdir()) and bench_gen.read_stamp(ws) is None:
        print(f"bench: {ws} exists and is not a generated workspace (no {bench_gen.STAMP}); "
              "refusing to overwrite it", file=sys.stderr)
        return 2

    facts = machine_facts(a.binary)
    started = time.perf_counter()
    t0 = time.perf_counter()
    meta, regenerated = bench_gen.ensure(ws, a.docs, a.seed)
    gen_s = time.perf_counter() - t0
    st = meta["stats"]
    tmp = Path(tempfile.mkdtemp(prefix="prp-lsp-bench-"))
    log(f"workspace: {ws} ({'generated in %.1f s' % gen_s if regenerated else 'reused, stamp matches'})")
    log(f"  {st['documents']:,} documents: {st['prps']:,} PRPs ({st['large_prps']} of 50-200 KB), "
        f"{st['task_boards']} TASK.md, {st['agents']} agent files; "
        f"{mb(st['document_bytes']):.1f} MB of Markdown; {st['source_files']:,} source files; "
        f"{st['defective_documents']:,} documents with a planted defect")
    busy = "  (machine busy: wall times will be noisy)" if facts["load"] > 0.5 * facts["affinity"] else ""
    log(f"  binary {a.binary}, {facts['affinity']} core(s) available, "
        f"load average {facts['load']:.2f}{busy}\n")

    floor = checks = rumdl = scale = open_big = hover = wsp = edits = None
    deadline = 3 * a.timeout + 60  # per server measurement, all its waits included
    scale_inputs: dict = {}
    if do["floor"]:
        floor = bench_floor(a.floor_binary, ws, a.runs, a.timeout, tmp)
        log()
    if do["check"]:
        checks = bench_check_formats(a.binary, ws, a.runs, a.timeout, tmp)
        log()
    if do["rumdl"]:
        rumdl = bench_rumdl(a.venv, a.rumdl_version, ws, a.rumdl_runs, a.timeout * 2, tmp)
        log()
    if do["scale"] or do["server"]:
        t0 = time.perf_counter()
        sd = a.scale_dir.resolve()
        lines = set(a.task_lines if do["scale"] else ()) | ({a.server_task_lines} if do["server"] else set())
        for n in sorted(lines):
            root = sd / f"task-{n}"
            scale_inputs[f"task-{n}"] = dict(bench_scale.task_board(root, n), root=root)
        sizes = set(a.prp_mb if do["scale"] else ()) | ({a.open_mb} if do["server"] else set())
        for m in sorted(sizes):
            root = sd / f"prp-{m:g}mb"
            scale_inputs[f"prp-{m}"] = dict(bench_scale.big_prp(root, int(m * 1e6), a.seed), root=root)
        log(f"scaling inputs in {sd} ready in {time.perf_counter() - t0:.1f} s\n")
    if do["scale"]:
        keys = [f"task-{n}" for n in a.task_lines] + [f"prp-{m}" for m in a.prp_mb]
        scale = bench_scale_check(a.binary, [(k, scale_inputs[k]) for k in keys], a.runs,
                                  a.timeout, tmp)
        log()
    if do["server"]:
        big = scale_inputs[f"prp-{a.open_mb}"]
        log(f"server: didOpen of a {fmt_mb(big['bytes'])} PRP, then textDocument/diagnostic")
        open_big = bench_open_big(a.binary, big["path"], a.timeout,
                                  root=big["root"], tmp=tmp, label="open-big",
                                  deadline=deadline)
        log("  " + (open_big.get("error") or
                    f"{open_big['open_s']:.3f} s to diagnostics ({open_big['items']} items), "
                    f"server VmHWM {open_big['rss_mb'] or 0:.0f} MB"))
        task = scale_inputs[f"task-{a.server_task_lines}"]
        log(f"server: didOpen of a {a.server_task_lines:,}-line TASK.md + pull, "
            "hover on line 0 meanwhile")
        hover = bench_hover_during_pull(a.binary, task["path"], a.timeout, a.hover_timeout,
                                        root=task["root"], tmp=tmp, label="hover",
                                        deadline=deadline)
        log("  " + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                             for k, v in hover.items()))
        log(f"server: workspace/diagnostic twice on the corpus ({st['documents']:,} documents)")
        wsp = bench_workspace_pull(a.binary, ws, st, a.timeout, root=ws, tmp=tmp, label="workspace",
                                   deadline=deadline)
        if "error" in wsp:
            log(f"  {wsp['error']}")
        log()
    if do["edits"]:
        log(f"server: {a.edits} edits of {st['latency_prp']} ({st['latency_prp_lines']} lines), "
            "each followed by a pull")
        edits = bench_edits(a.binary, ws, st, a.edits, a.timeout, root=ws, tmp=tmp, label="edits",
                            deadline=deadline + a.edits * 60)
        if "error" in edits:
            log(f"  {edits['error']}")
        log()

    spawn_floor = "not used"
    if _SPAWNER is not None:
        spawn_floor = f"{_SPAWNER.floor_kb * 1024 / 1e6:.0f} MB" if _SPAWNER.floor_kb else "?"
        _SPAWNER.close()
    t = Table()
    build_table(t, a, st, floor, checks, rumdl, scale, open_big, hover, wsp, edits)
    facts_end = os.getloadavg()[0]
    total = time.perf_counter() - started
    mem = f", {facts['mem_gb']:.0f} GB RAM" if facts["mem_gb"] else ""
    head = [f"prp-lsp benchmark{' (--quick: smaller sizes)' if a.quick else ''} — {facts['date']}, "
            f"commit {facts['commit']}",
            f"machine: {facts['affinity']} of {facts['cores']} cores usable, {facts['cpu']}{mem}; "
            f"Linux {facts['kernel']}; load average {facts['load']:.2f} at start, {facts_end:.2f} at end",
            f"corpus: {st['documents']:,} documents ({st['prps']:,} PRPs, {st['task_boards']} TASK.md, "
            f"{st['agents']} agent files), {fmt_mb(st['document_bytes'])} of Markdown, seed {a.seed}",
            f"cold processes: best wall of {a.runs}, peak RSS from wait4 (a bare spawner's floor: "
            f"{spawn_floor}); server RSS: VmHWM; MB = 10^6 bytes; the run took {total:.0f} s"]
    table = t.markdown()
    v = t.verdicts()
    foot = (f"{v.get('ok', 0)} target(s) met, {v.get('MISSED', 0)} missed"
            + (f", {v['n/a']} not measured" if v.get("n/a") else ""))
    print("=" * 100)
    print("\n".join(head))
    print()
    print(table)
    print()
    print(foot)
    print("=" * 100)
    if a.table:
        a.table.write_text("\n".join(head) + "\n\n" + table + "\n\n" + foot + "\n")
        print(f"table written to {a.table}")
    if a.keep:
        print(f"kept: workspace {ws}, scaling inputs {a.scale_dir}, raw outputs in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(ws, ignore_errors=True)
        for inp in scale_inputs.values():
            shutil.rmtree(inp["root"], ignore_errors=True)
        try:
            a.scale_dir.rmdir()  # only when nothing else is left in it
        except OSError:
            pass
        print(f"removed {ws} and the scaling inputs (use --keep to keep and reuse them)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

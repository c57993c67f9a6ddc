#!/usr/bin/env python3
"""prp-lsp benchmark: `check` throughput and LSP edit-to-diagnostics latency.

Prints figures beside the targets; it is a measurement, not a test (exit status 0 unless the
harness itself cannot run). Usually started through `scripts/bench`, which builds first.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_gen  # noqa: E402
from bench_lsp import LspClient, ServerGone, file_uri  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TARGET_CHECK_S_PER_20K = 1.0
TARGET_P99_MS = 5.0
TARGET_RSS_MB = 150.0


def mb(n_bytes: float) -> float:
    return n_bytes / 1e6


def verdict(ok: bool | None) -> str:
    return "" if ok is None else ("ok" if ok else "MISSED")


def row(label: str, value: str, target: str = "", ok: bool | None = None):
    print(f"  {label:<38}{value:<34}{target:<26}{verdict(ok)}".rstrip())


# --------------------------------------------------------------------------------------
# check


def run_check_once(binary: Path, ws: Path, out_path: Path) -> dict:
    """One cold `check` process; wall time, rusage of that child only, exit code."""
    with open(out_path, "wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen([str(binary), "check", str(ws), "--format", "json"],
                                stdout=out, stderr=subprocess.PIPE)
        # Read stderr after the wait: prp-lsp writes little there; wait4 gives this child's rusage.
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
    return {"wall": wall, "rc": proc.returncode, "maxrss_kb": ru.ru_maxrss,
            "cpu": ru.ru_utime + ru.ru_stime, "stderr": err}


def bench_check(binary: Path, ws: Path, stats: dict, runs: int, tmp: Path) -> dict | None:
    print(f"check: `prp-lsp check {ws} --format json`, {runs} cold processes")
    results = []
    out_path = tmp / "check.json"
    for i in range(runs):
        r = run_check_once(binary, ws, out_path)
        results.append(r)
        print(f"  run {i + 1}: {r['wall']:.3f} s wall, {r['cpu']:.3f} s CPU, "
              f"{r['maxrss_kb'] / 1024:.1f} MB peak RSS, exit {r['rc']}", flush=True)
        if r["rc"] not in (0, 1):
            print(f"  check failed (exit {r['rc']}): {r['stderr'].strip()[:500]}")
            return None
    try:
        report = json.loads(out_path.read_bytes())
    except ValueError as e:
        print(f"  check output is not JSON: {e}")
        return None
    codes = collections.Counter()
    files_with = 0
    for f in report.get("files", []):
        if f.get("diagnostics"):
            files_with += 1
        for d in f.get("diagnostics", []):
            codes[d.get("code", "?")] += 1
    walls = sorted(r["wall"] for r in results)
    return {"best": walls[0], "median": statistics.median(walls),
            "cpu_best": min(r["cpu"] for r in results),
            "rss_mb": max(r["maxrss_kb"] for r in results) / 1024,
            "summary": report.get("summary", {}), "findings": sum(codes.values()),
            "codes": codes, "files_with": files_with, "output_mb": mb(out_path.stat().st_size)}


# --------------------------------------------------------------------------------------
# LSP


def bench_lsp(binary: Path, ws: Path, stats: dict, iterations: int, tmp: Path) -> dict:
    """Returns figures, or {"error": "..."} when the server is not usable."""
    doc_path = ws / stats["latency_prp"]
    text = doc_path.read_text(encoding="utf-8")
    lines = text.split("\n")
    uri = file_uri(str(doc_path))
    client = LspClient([str(binary)], cwd=str(ws), stderr_path=str(tmp / "server.stderr"))
    res: dict = {}
    try:
        t_init, resp = client.request("initialize", {
            "processId": os.getpid(),
            "clientInfo": {"name": "prp-lsp-bench", "version": "1"},
            "rootUri": file_uri(str(ws)),
            "rootPath": str(ws),
            "workspaceFolders": [{"uri": file_uri(str(ws)), "name": ws.name}],
            "capabilities": {
                "general": {"positionEncodings": ["utf-16"]},
                "textDocument": {
                    "synchronization": {"didSave": True, "dynamicRegistration": False},
                    "diagnostic": {"dynamicRegistration": False, "relatedDocumentSupport": False},
                    "publishDiagnostics": {"relatedInformation": True, "versionSupport": True},
                },
                "workspace": {"configuration": True, "workspaceFolders": True,
                              "diagnostics": {"refreshSupport": False}},
                "window": {"workDoneProgress": False},
            },
        }, timeout=60)
        if "error" in resp:
            return {"error": f"initialize failed: {resp['error']}"}
        caps = resp.get("result", {}).get("capabilities", {})
        res["initialize_ms"] = (t_init - client.started) * 1e3
        dp = caps.get("diagnosticProvider")
        mode = "pull" if dp else "push"
        res["mode"] = mode
        identifier = dp.get("identifier") if isinstance(dp, dict) else None
        sync = caps.get("textDocumentSync")
        sync_kind = sync.get("change") if isinstance(sync, dict) else sync
        res["sync_kind"] = sync_kind

        client.notify("initialized", {})
        t_initialized = time.perf_counter()

        def diag_params():
            p = {"textDocument": {"uri": uri}}
            if identifier:
                p["identifier"] = identifier
            return p

        version = 1
        open_frame = client.frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}}})
        t_open = time.perf_counter()
        if mode == "pull":
            rid, req = client.request_frame("textDocument/diagnostic", diag_params())
            client.send_raw(open_frame + req)
            t_first, resp = client.wait_response(rid, timeout=600)
            if "error" in resp:
                return {"error": f"textDocument/diagnostic failed: {resp['error']}", **res}
            first_items = len(resp.get("result", {}).get("items", []))
        else:
            client.send_raw(open_frame)
            t_first, p = client.wait_publish(uri, t_open, timeout=600)
            first_items = len(p.get("diagnostics", []))
        res["first_diag_ms"] = (t_first - t_open) * 1e3
        res["first_since_spawn_ms"] = (t_first - client.started) * 1e3
        res["first_since_initialized_ms"] = (t_first - t_initialized) * 1e3
        res["first_items"] = first_items

        # Small edits: append a counter to one prose line in the middle of the document,
        # and every tenth edit toggle a Success Criteria checkbox.
        prose = [i for i, l in enumerate(lines) if l.startswith("Note:") or
                 (l and l[0].isupper() and not l.startswith(("Task", "MODIFY", "CREATE")))]
        edit_line = prose[len(prose) // 2] if prose else len(lines) // 2
        boxes = [i for i, l in enumerate(lines) if l.startswith("- [ ] ")]
        original = lines[edit_line]
        latencies, kinds, items = [], collections.Counter(), []
        for n in range(iterations):
            lines[edit_line] = f"{original} (edit {n + 1})"
            if boxes and n % 10 == 9:
                b = boxes[(n // 10) % len(boxes)]
                lines[b] = ("- [x] " + lines[b][6:]) if lines[b].startswith("- [ ] ") else ("- [ ] " + lines[b][6:])
            version += 1
            change = client.frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": "\n".join(lines)}]}})
            if mode == "pull":
                rid, req = client.request_frame("textDocument/diagnostic", diag_params())
                t0 = time.perf_counter()
                client.send_raw(change + req)
                t1, resp = client.wait_response(rid, timeout=60)
                if "error" in resp:
                    return {"error": f"textDocument/diagnostic failed after an edit: {resp['error']}", **res}
                result = resp.get("result") or {}
                kinds[result.get("kind", "?")] += 1
                items.append(len(result.get("items", [])))
            else:
                t0 = time.perf_counter()
                client.send_raw(change)
                t1, p = client.wait_publish(uri, t0, timeout=60, version=version)
                kinds["publish"] += 1
                items.append(len(p.get("diagnostics", [])))
            latencies.append((t1 - t0) * 1e3)
        # Floor: the same request with no edit in between (transport + cached/unchanged work).
        floor = []
        if mode == "pull":
            for _ in range(50):
                rid, req = client.request_frame("textDocument/diagnostic", diag_params())
                t0 = time.perf_counter()
                client.send_raw(req)
                t1, _resp = client.wait_response(rid, timeout=60)
                floor.append((t1 - t0) * 1e3)
        res["floor_p50"] = statistics.median(floor) if floor else None
        lat = sorted(latencies)
        res.update({
            "edits": len(lat), "p50": statistics.median(lat),
            "p99": lat[min(len(lat) - 1, max(0, round(0.99 * len(lat)) - 1))],
            "max": lat[-1], "mean": statistics.fmean(lat), "kinds": dict(kinds),
            "items_last": items[-1] if items else None,
            "doc_kb": len(text.encode()) / 1024,
        })
        res["rss_mb"] = (client.vm_hwm_kb() or 0) / 1024
        res["server_requests"] = dict(client.server_requests)
        res["notifications"] = client.notifications
        res["publishes"] = client.publish_count
        return res
    except (ServerGone, TimeoutError, OSError) as e:
        tail = ""
        try:
            tail = (tmp / "server.stderr").read_text(errors="replace").strip().splitlines()[-1:]
            tail = f" (stderr: {tail[0][:200]})" if tail else ""
        except OSError:
            pass
        return {"error": f"{e}{tail}", **res}
    finally:
        client.close()


# --------------------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="prp-lsp benchmark (figures, not a test)")
    ap.add_argument("--docs", type=int, default=20000, help="documents to generate (default 20000)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the generated workspace (reused next time) and the raw outputs")
    ap.add_argument("--skip-build", action="store_true", help="use the existing release binary")
    ap.add_argument("--workspace", type=Path, default=REPO / "bench-workspace")
    ap.add_argument("--binary", type=Path, default=REPO / "target" / "release" / "prp-lsp")
    ap.add_argument("--seed", type=int, default=bench_gen.DEFAULT_SEED)
    ap.add_argument("--runs", type=int, default=3, help="cold check processes (default 3)")
    ap.add_argument("--edits", type=int, default=200, help="didChange+diagnostic rounds (default 200)")
    ap.add_argument("--no-check", action="store_true", help="skip the check measurement")
    ap.add_argument("--no-lsp", action="store_true", help="skip the server measurement")
    a = ap.parse_args(argv)

    ws = a.workspace.resolve()
    if not a.binary.exists():
        print(f"bench: {a.binary} not found; build it with `cargo build --release -p prp-lsp` "
              "or run scripts/bench without --skip-build", file=sys.stderr)
        return 2
    if ws.exists() and any(ws.iterdir()) and bench_gen.read_stamp(ws) is None:
        print(f"bench: {ws} exists and is not a generated workspace (no {bench_gen.STAMP}); "
              "refusing to overwrite it", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    meta, regenerated = bench_gen.ensure(ws, a.docs, a.seed)
    gen_s = time.perf_counter() - t0
    st = meta["stats"]
    tmp = Path(tempfile.mkdtemp(prefix="prp-lsp-bench-"))
    cores = os.cpu_count()
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = cores
    print(f"workspace: {ws} ({'generated in %.1f s' % gen_s if regenerated else 'reused, stamp matches'})")
    print(f"  {st['documents']:,} documents: {st['prps']:,} PRPs ({st['large_prps']} of 50-200 KB), "
          f"{st['task_boards']} TASK.md, {st['agents']} agent files; "
          f"{mb(st['document_bytes']):.1f} MB of Markdown; {st['source_files']:,} source files; "
          f"{st['defective_documents']:,} documents with a planted defect")
    load1 = os.getloadavg()[0]
    busy = "  (machine busy: wall times will be noisy)" if load1 > 0.5 * affinity else ""
    print(f"  binary {a.binary}, {affinity} core(s) available, load average {load1:.2f}{busy}\n",
          flush=True)

    check = lsp = None
    if not a.no_check:
        check = bench_check(a.binary, ws, st, a.runs, tmp)
        print(flush=True)
    if not a.no_lsp:
        print(f"server: `prp-lsp` over stdio, {st['latency_prp']} ({st['latency_prp_lines']} lines), "
              f"{a.edits} edits", flush=True)
        lsp = bench_lsp(a.binary, ws, st, a.edits, tmp)
        print(flush=True)

    docs = st["documents"]
    target_s = TARGET_CHECK_S_PER_20K * docs / 20000
    print("=" * 110)
    print(f"prp-lsp benchmark — {docs:,} documents, {mb(st['document_bytes']):.1f} MB, {affinity} cores")
    print(f"  {'':<38}{'measured':<34}{'target':<26}")
    if check:
        s = check["summary"]
        print("check (cold process)")
        row("wall time best / median", f"{check['best']:.3f} s / {check['median']:.3f} s",
            f"< {target_s:.2f} s ({docs:,} docs)", check["best"] < target_s)
        row("throughput (best run)",
            f"{docs / check['best']:,.0f} docs/s, {mb(st['document_bytes']) / check['best']:.0f} MB/s")
        row("CPU (user+sys) / wall", f"{check['cpu_best']:.3f} s, {check['cpu_best'] / check['best']:.2f}x parallel")
        row("documents reported", f"{s.get('documents', '?'):,}" if isinstance(s.get('documents'), int) else "?",
            f"{docs:,} generated", s.get("documents") == docs)
        row("findings", f"{check['findings']:,} in {check['files_with']:,} files "
                        f"({s.get('errors', 0):,} errors, {s.get('warnings', 0):,} warnings)")
        row("JSON output", f"{check['output_mb']:.1f} MB")
        row("peak RSS", f"{check['rss_mb']:.1f} MB", f"< {TARGET_RSS_MB:.0f} MB", check["rss_mb"] < TARGET_RSS_MB)
        top = ", ".join(f"{c} {n}" for c, n in check["codes"].most_common())
        print(f"  by rule: {top}")
    elif not a.no_check:
        print("check: failed (see above)")
    if lsp is not None:
        print(f"server (LSP, 5,000-line PRP)")
        if "error" in lsp:
            print(f"  server not available: {lsp['error']}")
        else:
            row("initialize (from spawn)", f"{lsp['initialize_ms']:.1f} ms")
            row("first diagnostic after didOpen", f"{lsp['first_diag_ms']:.1f} ms "
                f"({lsp['first_since_spawn_ms']:.0f} ms from spawn)", "", None)
            row(f"edit→diagnostic ({lsp['mode']}) p50/p99/max",
                f"{lsp['p50']:.2f} / {lsp['p99']:.2f} / {lsp['max']:.2f} ms",
                f"p99 < {TARGET_P99_MS:.0f} ms", lsp["p99"] < TARGET_P99_MS)
            if lsp.get("floor_p50") is not None:
                row("diagnostic without edit p50", f"{lsp['floor_p50']:.2f} ms (round-trip floor)")
            row("peak RSS (VmHWM)", f"{lsp['rss_mb']:.1f} MB", f"< {TARGET_RSS_MB:.0f} MB",
                lsp["rss_mb"] < TARGET_RSS_MB)
            extra = f"{lsp['edits']} edits of a {lsp['doc_kb']:.0f} KB document, results {lsp['kinds']}, " \
                    f"{lsp['items_last']} items in the last, first had {lsp['first_items']}; " \
                    f"sync kind {lsp['sync_kind']}; server requests {lsp['server_requests'] or 'none'}; " \
                    f"{lsp['publishes']} publishDiagnostics"
            print(f"  {extra}")
    print("=" * 110)
    if a.keep:
        print(f"kept: workspace {ws}, raw outputs in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(ws, ignore_errors=True)
        print(f"removed {ws} (use --keep to keep and reuse it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Scaling inputs for the prp-lsp benchmark (standard library only).

Each input lives alone in its own small workspace, so a measurement sees that one document:

- a TASK.md of N lines `- [ ] task i @backend (added 2026-11-02)` (nothing else);
- one PRP of about B bytes: the benchmark's 5,000-line latency PRP grown to size (same
  sections, more implementation phases), beside the source files it references.

Deterministic for given arguments. A workspace carries a stamp and is reused while the stamp
matches (same input, same generator).
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from pathlib import Path

import bench_gen

STAMP = ".bench-stamp.json"
TASK_LINE = "- [ ] task {i} @backend (added 2026-11-02)\n"


def _digest() -> str:
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(bench_gen.generator_digest().encode())
    return h.hexdigest()[:16]


def _reuse(root: Path, spec: dict) -> dict | None:
    try:
        have = json.loads((root / STAMP).read_text())
    except (OSError, ValueError):
        return None
    if have.get("spec") == spec and have.get("digest") == _digest() and (root / have["rel"]).exists():
        return have
    return None


def _fresh(root: Path):
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)


def _done(root: Path, spec: dict, rel: str, n_bytes: int, lines: int) -> dict:
    meta = {"spec": spec, "digest": _digest(), "rel": rel, "bytes": n_bytes, "lines": lines}
    (root / STAMP).write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def task_board(root: Path, lines: int) -> dict:
    """<root>/TASK.md of `lines` task lines. Returns {rel, bytes, lines, path}."""
    spec = {"kind": "task", "lines": lines}
    meta = _reuse(root, spec)
    if meta is None:
        _fresh(root)
        n_bytes = 0
        with open(root / "TASK.md", "w", encoding="utf-8", newline="\n") as f:
            step = 50_000
            for start in range(0, lines, step):
                chunk = "".join(TASK_LINE.format(i=i) for i in range(start, min(lines, start + step)))
                f.write(chunk)
                n_bytes += len(chunk)  # ASCII
        meta = _done(root, spec, "TASK.md", n_bytes, lines)
    return dict(meta, path=root / meta["rel"])


def _render_prp(lines: int, seed: int):
    rng = random.Random(seed)
    proj = bench_gen.plan(1, rng)[0]
    prp = proj.prps[0]  # plan() makes the first PRP of the first project the latency PRP
    text = bench_gen.Text(random.Random(seed + 1))
    body = bench_gen.render_latency(bench_gen.Ctx(prp, random.Random(seed + 2), text), lines)
    return proj, prp, body.encode("utf-8")


def big_prp(root: Path, target_bytes: int, seed: int = bench_gen.DEFAULT_SEED) -> dict:
    """One PRP of about `target_bytes` (within 2%) and the files it references."""
    spec = {"kind": "prp", "bytes": target_bytes, "seed": seed}
    meta = _reuse(root, spec)
    if meta is None:
        probe = bench_gen.LATENCY_LINES
        _, _, data = _render_prp(probe, seed)
        lines = max(probe, round(target_bytes * probe / len(data)))
        proj, prp, data = _render_prp(lines, seed)
        if abs(len(data) - target_bytes) > 0.02 * target_bytes:
            lines = max(probe, round(lines * target_bytes / len(data)))
            proj, prp, data = _render_prp(lines, seed)
        _fresh(root)
        for f in proj.files:
            path = root / f
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(bench_gen.source_text(f), encoding="utf-8")
        path = root / prp.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        meta = _done(root, spec, prp.rel, len(data), lines)
    return dict(meta, path=root / meta["rel"])

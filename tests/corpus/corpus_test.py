"""The real-world corpus (tests/corpus): PRPs, TASK.md boards and agent context files copied
byte for byte from public repositories, each folder with the smallest surrounding tree its
references need. For each folder, `prp-lsp check --format json` must report exactly what
tests/corpus/<folder>.expected.json records (a snapshot of {path, line, code, message}).

Bless (re)writes the snapshots instead of comparing:

    UPDATE_EXPECT=1 .venv/bin/python -m pytest tests/corpus/corpus_test.py

Review the diff of the .expected.json files before committing them: tests/corpus/README.md
says, per repository, which findings are true and which are false alarms."""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import sys

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from helpers import BIN, REPO  # noqa: E402

CORPUS = REPO / "tests" / "corpus"
FOLDERS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []
UPDATE = os.environ.get("UPDATE_EXPECT") == "1"
MIN_DOCUMENTS = 40

# "(12 min old)", "(1 day old)": the age of gate evidence depends on when the test runs.
AGE = re.compile(r"\b\d+ (?:s|min|h|days?) old\b")


# --- which files are documents (independent of prp-lsp, so the count cannot drift) ---------


def document_kind(rel: str) -> str | None:
    """'task', 'prp' or 'agent' for a corpus file path relative to its repository folder."""
    parts = rel.split("/")
    name = parts[-1]
    dirs = parts[:-1]
    if not name.lower().endswith(".md"):
        return None
    if name in ("TASK.md", "TASKS.md"):
        return "task"
    if name.lower() == "readme.md":
        return None
    if "PRPs" in dirs:
        below = dirs[dirs.index("PRPs") + 1 :]
        if below and below[0] in ("templates", "ai_docs", "reports"):
            return None
        return "prp"
    if "agent_contexts" in dirs:
        return "agent"
    return None


def corpus_documents() -> dict[str, list[str]]:
    kinds: dict[str, list[str]] = {"prp": [], "task": [], "agent": []}
    for folder in FOLDERS:
        root = CORPUS / folder
        for path in sorted(root.rglob("*.md")):
            rel = path.relative_to(root).as_posix()
            kind = document_kind(rel)
            if kind:
                kinds[kind].append(f"{folder}/{rel}")
    return kinds


def test_corpus_has_not_shrunk():
    kinds = corpus_documents()
    total = sum(len(v) for v in kinds.values())
    assert total >= MIN_DOCUMENTS, (
        f"the corpus holds {total} documents ({ {k: len(v) for k, v in kinds.items()} }); "
        f"it must keep at least {MIN_DOCUMENTS}"
    )
    for kind, docs in kinds.items():
        assert docs, f"the corpus has no {kind} documents left"
    assert len(FOLDERS) >= 8, f"only {len(FOLDERS)} repositories in the corpus"


def test_every_repository_names_its_source_and_licence():
    for folder in FOLDERS:
        source = CORPUS / folder / "SOURCE.md"
        assert source.is_file(), f"{folder}: SOURCE.md is missing"
        text = source.read_text(encoding="utf-8")
        assert "https://github.com/" in text, f"{folder}: SOURCE.md names no repository URL"
        assert re.search(r"(?i)licen[cs]e", text), f"{folder}: SOURCE.md names no licence"


def test_every_snapshot_belongs_to_a_folder():
    orphans = [
        p.name
        for p in CORPUS.glob("*.expected.json")
        if p.name.removesuffix(".expected.json") not in FOLDERS
    ]
    assert orphans == [], f"snapshots without a corpus folder: {orphans}"


# --- the snapshot ----------------------------------------------------------------------------


def check_copy(folder: str, root: Path) -> list[dict]:
    """Copy the folder under `root`, check it and reduce the report to a stable list."""
    copy = root / folder
    shutil.copytree(CORPUS / folder, copy)
    # One modification time for every file: evidence is never older or newer than the
    # document that needs it, whatever order a checkout wrote the files in.
    stamp = time.time() - 60
    for path in copy.rglob("*"):
        os.utime(path, (stamp, stamp), follow_symlinks=False)
    out = subprocess.run(
        [BIN, "check", str(copy), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode in (0, 1), f"prp-lsp check failed ({out.returncode}): {out.stderr}"
    report = json.loads(out.stdout)
    roots = [str(copy), copy.as_uri()]
    found = []
    for file in report["files"]:
        for d in file["diagnostics"]:
            message = d["message"]
            for r in roots:
                message = message.replace(r, "<root>")
            message = AGE.sub("<age> old", message)
            found.append(
                {
                    "path": file["path"],
                    "line": d["range"]["start"]["line"] + 1,
                    "code": d["code"],
                    "message": message,
                }
            )
    found.sort(key=lambda f: (f["path"], f["line"], f["code"], f["message"]))
    return found


def render(findings: list[dict]) -> str:
    return json.dumps(findings, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("folder", FOLDERS)
def test_snapshot(folder: str, tmp_path: Path):
    first = check_copy(folder, tmp_path / "a")
    # A second run from another place: the snapshot must not depend on the checkout path.
    second = check_copy(folder, tmp_path / "elsewhere" / "deeper")
    assert first == second, "the report differs between two runs from different paths"

    expected_file = CORPUS / f"{folder}.expected.json"
    actual = render(first)
    if UPDATE:
        expected_file.write_text(actual, encoding="utf-8")
        return
    if not expected_file.is_file():
        pytest.fail(
            f"{expected_file.relative_to(REPO)} is missing: run "
            "UPDATE_EXPECT=1 .venv/bin/python -m pytest tests/e2e/test_corpus.py "
            "and review what it writes"
        )
    expected = expected_file.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"{folder}.expected.json",
                tofile="prp-lsp check now",
            )
        )
        pytest.fail(
            f"{folder}: prp-lsp's findings changed (bless with UPDATE_EXPECT=1 if the change "
            f"is intended, and update tests/corpus/README.md):\n{diff}"
        )

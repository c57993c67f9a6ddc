"""A `.gitignore` decides nothing git would not: a tracked file is never ignored, so PRPs
committed with `git add -f` under a `.gitignore` that lists `PRPs` are checked, and a folder
that exists is found by references and agent scopes whether it is ignored or not. Only files
that are both ignored and untracked are left out, and without a git index (an export of a
repository) nothing is."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import BIN, MINI

AGENT = """# Agent: Frontend Developer

## Your Identity
You build the web client.

## Your Scope
- `frontend/src/lib/` - shared UI helpers

## Your Capabilities
- ✅ React components

## Your Restrictions
- ❌ Cannot change the API
"""


def check(root: Path) -> dict:
    out = subprocess.run(
        [BIN, "check", str(root), "--format", "json"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode in (0, 1), out
    return json.loads(out.stdout)


def found(report: dict) -> list[tuple[str, str]]:
    return sorted((f["path"], d["code"]) for f in report["files"] for d in f["diagnostics"])


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


@pytest.fixture
def ignoring(tmp_path: Path) -> Path:
    """The mini workspace with a `.gitignore` that lists `PRPs` and `lib/`, a second
    (untracked, ignored) draft PRP, and an agent whose scope is `frontend/src/lib/`."""
    root = tmp_path / "ws"
    shutil.copytree(MINI, root)
    (root / ".gitignore").write_text("PRPs\nlib/\n", encoding="utf-8")
    (root / "frontend" / "src" / "lib").mkdir(parents=True)
    (root / "frontend" / "src" / "lib" / "format.ts").write_text("export {}\n", encoding="utf-8")
    (root / "agent_contexts" / "frontend_agent.md").write_text(AGENT, encoding="utf-8")
    (root / "PRPs" / "drafts").mkdir()
    (root / "PRPs" / "drafts" / "01_scratch.md").write_text("# Scratch\n", encoding="utf-8")
    return root


def test_tracked_prps_under_an_ignored_folder_are_checked(ignoring: Path):
    git(ignoring, "init", "-q")
    git(ignoring, "add", ".")
    git(ignoring, "add", "-f", "PRPs/active", "PRPs/archive", "frontend/src/lib")
    report = check(ignoring)
    paths = {f["path"] for f in report["files"]}
    clean = check(MINI)
    # Every committed document is checked: the workspace's own count, plus nothing else.
    assert report["summary"]["documents"] >= clean["summary"]["documents"], report["summary"]
    assert {"PRPs/active/01_user_login.md", "PRPs/archive/02_health_check.md"} <= paths
    # The untracked draft that .gitignore covers is left out, as git leaves it out: the
    # duplicate number 01 it would make is not reported.
    assert "PRPs/drafts/01_scratch.md" not in paths
    assert ("PRPs/active/01_user_login.md", "duplicate-prp-number") not in found(report)
    # The ignored-but-present scope folder is not "missing".
    assert ("agent_contexts/frontend_agent.md", "agent-scope-missing") not in found(report)


def test_without_a_git_index_gitignore_hides_no_document(ignoring: Path):
    """An export of a repository holds only what was committed: check everything."""
    report = check(ignoring)
    paths = {f["path"] for f in report["files"]}
    # The draft is checked too (it shares number 01 with the active PRP).
    assert ("PRPs/drafts/01_scratch.md", "duplicate-prp-number") in found(report), paths
    assert ("agent_contexts/frontend_agent.md", "agent-scope-missing") not in found(report)


def test_an_untracked_ignored_scope_folder_still_exists(ignoring: Path):
    git(ignoring, "init", "-q")
    git(ignoring, "add", ".")
    assert ("agent_contexts/frontend_agent.md", "agent-scope-missing") not in found(
        check(ignoring)
    )

"""The pre-commit hooks of .pre-commit-hooks.yaml, run by the real pre-commit (`try-repo`, from
PyPI) on sample repositories: failing on the example's findings, passing on a workspace with
none, and the manual-stage gates hook blocking while gates fail. PRP_LSP_BIN points the hook at
the binary under test (the hook otherwise builds one from its checkout)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import BIN, EXAMPLE

REPO = Path(__file__).resolve().parents[2]
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


def git_repo(root: Path) -> Path:
    """`root` as a repository with everything committed (pre-commit reads git)."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "sample"], cwd=root, check=True)
    return root


def try_repo(sample: Path, cache: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRP_LSP_BIN": BIN, "PRE_COMMIT_HOME": str(cache), "NO_COLOR": "1"}
    return subprocess.run(
        [*PRE_COMMIT, "try-repo", str(REPO), *args, "--all-files", "--color", "never"],
        cwd=sample, env=env, capture_output=True, text=True, timeout=300,
    )


def test_check_hook_fails_on_findings_and_names_them(tmp_path: Path):
    sample = tmp_path / "sample"
    shutil.copytree(EXAMPLE, sample)
    git_repo(sample)
    out = try_repo(sample, tmp_path / "cache", "prp-lsp-check")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "prp lsp check" in out.stdout.lower().replace("-", " "), out.stdout
    assert "Failed" in out.stdout, out.stdout
    # The findings, as `check` prints them, for the files pre-commit passed.
    assert "[missing-section]" in out.stdout and "error[" in out.stdout, out.stdout
    assert "PRPs/active/PRP_07_password_reset.md" in out.stdout, out.stdout
    # Named as pre-commit passed them (relative to the repository), not by absolute paths.
    assert str(sample.resolve()) not in out.stdout, out.stdout


def test_check_hook_passes_on_a_clean_workspace(tmp_path: Path):
    sample = tmp_path / "clean"
    sample.mkdir()
    made = subprocess.run(
        [BIN, "new", "Add a CSV export of invoices for the finance team"],
        cwd=sample, capture_output=True, text=True, timeout=60,
    )
    assert made.returncode == 0, made.stderr
    git_repo(sample)
    out = try_repo(sample, tmp_path / "cache", "prp-lsp-check")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Passed" in out.stdout, out.stdout


def test_gates_hook_runs_only_on_the_manual_stage_and_blocks(tmp_path: Path):
    sample = tmp_path / "sample"
    shutil.copytree(EXAMPLE, sample)
    git_repo(sample)
    cache = tmp_path / "cache"
    # Not on commit: the manual stage only.
    out = try_repo(sample, cache, "prp-lsp-gates")
    assert "No hook with id `prp-lsp-gates` in stage `pre-commit`" in out.stdout, out.stdout + out.stderr
    assert "Deploy:" not in out.stdout, out.stdout
    out = try_repo(sample, cache, "prp-lsp-gates", "--hook-stage", "manual")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Deploy: blocked" in out.stdout, out.stdout

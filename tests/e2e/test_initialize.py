"""Initialization as real editors do it, indexing progress, and the binary's own flags."""

from __future__ import annotations

import re
import subprocess

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from conftest import _start as start_session, make_client, settle, stop
from helpers import BIN, INDEXING_TOKEN, nvim_capabilities, wait_until


async def test_vscode_like_client_gets_pull_diagnostics_and_utf16(vscode: LanguageClient):
    result = vscode.init_result
    caps = result.capabilities
    assert result.server_info is not None and result.server_info.name == "prp-lsp"
    assert caps.position_encoding == types.PositionEncodingKind.Utf16
    # Pull diagnostics, document and workspace-wide, depending on other files.
    assert caps.diagnostic_provider is not None
    assert caps.diagnostic_provider.workspace_diagnostics is True
    assert caps.diagnostic_provider.inter_file_dependencies is True
    sync = caps.text_document_sync
    assert sync.open_close is True
    assert sync.change == types.TextDocumentSyncKind.Incremental
    for provider in (
        caps.hover_provider,
        caps.document_symbol_provider,
        caps.workspace_symbol_provider,
        caps.definition_provider,
        caps.folding_range_provider,
    ):
        assert provider
    assert "@" in caps.completion_provider.trigger_characters


async def test_vscode_like_client_gets_file_watchers_registered(vscode: LanguageClient):
    registration = await wait_until(
        lambda: next(
            (
                r
                for r in vscode.registrations
                if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
            ),
            None,
        ),
        "client/registerCapability for workspace/didChangeWatchedFiles",
    )
    watchers = registration.register_options["watchers"]
    assert watchers, registration


async def test_vscode_like_client_sees_indexing_progress(vscode: LanguageClient):
    def ended():
        reports = vscode.progress_reports.get(INDEXING_TOKEN, [])
        return any(isinstance(r, types.WorkDoneProgressEnd) for r in reports)

    await wait_until(ended, "the end of the indexing progress")
    reports = vscode.progress_reports[INDEXING_TOKEN]
    # Created (the token is known), then begin ... end, in that order.
    assert isinstance(reports[0], types.WorkDoneProgressBegin), reports
    assert reports[0].title
    assert isinstance(reports[-1], types.WorkDoneProgressEnd), reports
    assert sum(isinstance(r, types.WorkDoneProgressBegin) for r in reports) == 1
    # The mini workspace has 5 documents; the end message says how many were indexed.
    assert reports[-1].message and "5" in reports[-1].message


async def test_neovim_like_client_gets_push_and_utf8(nvim: LanguageClient):
    caps = nvim.init_result.capabilities
    assert caps.position_encoding == types.PositionEncodingKind.Utf8
    # Without pull support the server must not advertise it: it pushes instead.
    assert caps.diagnostic_provider is None
    # Neovim 0.10 does not register watchers dynamically: none may be asked for.
    assert not any(
        r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in nvim.registrations
    )


def test_version_flag():
    out = subprocess.run([BIN, "--version"], capture_output=True, text=True, timeout=10)
    assert out.returncode == 0, out.stderr
    assert re.fullmatch(r"prp-lsp \d+\.\d+\.\d+\S*\n", out.stdout), out.stdout


def test_help_flag():
    out = subprocess.run([BIN, "--help"], capture_output=True, text=True, timeout=10)
    assert out.returncode == 0, out.stderr
    assert "Usage: prp-lsp" in out.stdout
    # Both subcommands are documented.
    assert re.search(r"^\s+lsp\s", out.stdout, re.M), out.stdout
    assert re.search(r"^\s+check\s", out.stdout, re.M), out.stdout


LSP_SUBCOMMAND = ClientServerConfig(server_command=[BIN, "lsp"], client_factory=make_client)


@pytest_lsp.fixture(config=LSP_SUBCOMMAND)
async def nvim_via_subcommand(lsp_client: LanguageClient, workspace):
    await start_session(lsp_client, nvim_capabilities(), workspace, "Neovim")
    await settle(lsp_client)
    yield
    await stop(lsp_client)


async def test_lsp_subcommand_serves_the_same_protocol(nvim_via_subcommand: LanguageClient):
    """`prp-lsp lsp` is the explicit spelling of the default: a full session over stdio."""
    client = nvim_via_subcommand
    assert client.init_result.server_info.name == "prp-lsp"
    result = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="login"))
    assert any("Login" in s.name for s in result), result

"""Fixtures: a copy of a test workspace in tmp_path, and the real prp-lsp binary driven
over stdio by pytest-lsp as a VS Code-like client (pull diagnostics, progress, watchers,
UTF-16) or a Neovim-like one (pushed diagnostics, UTF-8 offered)."""

from __future__ import annotations

import asyncio
import shutil
from typing import Union
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from helpers import (
    BIN,
    EXAMPLE,
    INDEXING_TOKEN,
    MINI,
    initialize_params,
    nvim_capabilities,
    req,
    vscode_capabilities,
    wait_until,
)


def pytest_configure(config):
    if not Path(BIN).is_file():
        raise pytest.UsageError(
            f"prp-lsp binary not found at {BIN}: run `cargo build -p prp-lsp` "
            "or set PRP_LSP_BIN"
        )


def _on_publish(ls, params: types.PublishDiagnosticsParams):
    ls.published.append(params)
    ls.diagnostics[params.uri] = params.diagnostics


def _on_register(ls, params: types.RegistrationParams):
    ls.registrations.extend(params.registrations)
    return None


def _on_apply_edit(ls, params: types.ApplyWorkspaceEditParams):
    """`workspace/applyEdit`: applied by the test's `helpers.Editor` when there is one."""
    ls.apply_edit_requests.append(params)
    handler = getattr(ls, "apply_edit_handler", None)
    if handler is None:
        return types.ApplyWorkspaceEditResult(applied=False, failure_reason="no editor")
    return handler(params)


def _on_code_lens_refresh(ls, params):
    """`workspace/codeLens/refresh`: the server saw the evidence change."""
    ls.code_lens_refresh_count = getattr(ls, "code_lens_refresh_count", 0) + 1
    return None


def _on_inlay_hint_refresh(ls, params):
    """`workspace/inlayHint/refresh`: agent states or gate verdicts may have changed."""
    ls.inlay_hint_refresh_count = getattr(ls, "inlay_hint_refresh_count", 0) + 1
    return None


def converter():
    """pygls's converter, except that a code action carrying a command (a `command` object,
    not a string) is read as the CodeAction it is: lsprotocol reads anything with a
    `command` key as a bare Command."""
    conv = default_converter()

    def code_action_or_command(obj, _):
        if isinstance(obj.get("command"), str):
            return conv.structure(obj, types.Command)
        return conv.structure(obj, types.CodeAction)

    conv.register_structure_hook(Union[types.Command, types.CodeAction], code_action_or_command)
    return conv


def make_client() -> LanguageClient:
    """pytest-lsp's client, also recording every publishDiagnostics (with its version)
    and every capability registration the server asks for."""
    client = LanguageClient(converter_factory=converter)
    client.published = []
    client.registrations = []
    client.apply_edit_requests = []
    client.code_lens_refresh_count = 0
    client.inlay_hint_refresh_count = 0
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _on_publish
    features[types.CLIENT_REGISTER_CAPABILITY] = _on_register
    features[types.WORKSPACE_APPLY_EDIT] = _on_apply_edit
    features[types.WORKSPACE_CODE_LENS_REFRESH] = _on_code_lens_refresh
    features[types.WORKSPACE_INLAY_HINT_REFRESH] = _on_inlay_hint_refresh
    register_lsp_features(client, features)
    return client


CONFIG = ClientServerConfig(server_command=[BIN], client_factory=make_client)


@pytest.fixture
def workspace(request, tmp_path: Path) -> Path:
    """A private copy of the test workspace (the repository is never modified), with
    the files of a `files` marker added."""
    marker = request.node.get_closest_marker("workspace")
    name = marker.args[0] if marker else "mini"
    root = tmp_path / "ws"
    if name == "empty":
        root.mkdir()
    else:
        source = {"mini": MINI, "example": EXAMPLE}.get(name, MINI.parent / name)
        shutil.copytree(source, root)
    files = request.node.get_closest_marker("files")
    for rel, content in (files.args[0] if files else {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None:  # the workspace without this file
            path.unlink()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root.resolve()


async def _start(client: LanguageClient, caps, root: Path, name: str):
    result = await req(client.initialize_session(initialize_params(caps, root, name)))
    client.init_result = result
    client.root = root


async def settle_vscode(client: LanguageClient):
    """Waits until the server's `initialized` work is over: indexing reported done and the
    follow-up diagnostic refresh answered. (Shutting down while the server still waits for
    an answer from the client hangs the server: see test_lifecycle.py.)"""

    def done():
        reports = client.progress_reports.get(INDEXING_TOKEN, [])
        ended = any(isinstance(r, types.WorkDoneProgressEnd) for r in reports)
        return ended and client.diagnostic_refresh_count >= 1

    await wait_until(done, "the end of indexing and the first diagnostic refresh")


async def settle(client: LanguageClient):
    """A round trip through a request that waits for the index."""
    await req(
        client.workspace_symbol_async(types.WorkspaceSymbolParams(query="#settle#"))
    )


async def stop(client: LanguageClient):
    """`shutdown` + `exit`; the process must end with status 0 on its own. A process that
    does not is killed (so the suite never hangs) and the test fails."""
    server = client._server
    try:
        if server is not None and server.returncode is None and client.error is None:
            await settle(client)
            await asyncio.wait_for(client.shutdown_session(), 5)
    except asyncio.TimeoutError:
        pass
    finally:
        if server is not None and server.returncode is None:
            server.kill()
            await server.wait()
            raise AssertionError("the server did not exit after shutdown + exit; killed it")
    assert server is None or server.returncode == 0, (
        f"server exited with status {server.returncode}"
    )


@pytest_lsp.fixture(config=CONFIG)
async def vscode(lsp_client: LanguageClient, workspace: Path):
    await _start(lsp_client, vscode_capabilities(), workspace, "Visual Studio Code")
    await settle_vscode(lsp_client)
    yield
    await stop(lsp_client)


@pytest_lsp.fixture(config=CONFIG)
async def nvim(lsp_client: LanguageClient, workspace: Path):
    await _start(lsp_client, nvim_capabilities(), workspace, "Neovim")
    await settle(lsp_client)
    yield
    await stop(lsp_client)

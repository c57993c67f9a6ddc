"""Shutdown and exit: the process ends with status 0 on `exit`, however busy it was."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from helpers import BIN, initialize_params, req, vscode_capabilities, wait_until


async def _held_registration(ls, params: types.RegistrationParams):
    """An editor slow to answer `client/registerCapability` (it answers when released)."""
    ls.registration_seen.set()
    await ls.release.wait()
    return None


def make_slow_client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    client.registration_seen = asyncio.Event()
    client.release = asyncio.Event()
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.CLIENT_REGISTER_CAPABILITY] = _held_registration
    register_lsp_features(client, features)
    return client


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[BIN], client_factory=make_slow_client)
)
async def slow_editor(lsp_client: LanguageClient, workspace: Path):
    yield
    lsp_client.release.set()
    server = lsp_client._server
    if server is not None and server.returncode is None:
        server.kill()
        await server.wait()


async def test_shutdown_after_indexing_exits_cleanly(vscode: LanguageClient):
    """The common case (the fixture's teardown checks the status too)."""
    server = vscode._server
    await req(vscode.shutdown_async(None))
    vscode.exit(None)
    await asyncio.wait_for(server.wait(), 5)
    assert server.returncode == 0


async def test_exit_while_initialized_waits_for_the_client(
    slow_editor: LanguageClient, workspace: Path
):
    """An editor opened and closed at once: `shutdown` and `exit` arrive while the server
    still waits for the answer to its watcher registration; the editor answers after."""
    await req(
        slow_editor.initialize_session(
            initialize_params(vscode_capabilities(), workspace, "Visual Studio Code")
        )
    )
    await wait_until(slow_editor.registration_seen.is_set, "client/registerCapability")
    await req(slow_editor.shutdown_async(None))
    slow_editor.exit(None)
    slow_editor.release.set()
    server = slow_editor._server
    try:
        await asyncio.wait_for(server.wait(), 3)
    except asyncio.TimeoutError:
        pytest.fail("the server process is still running 3 s after `exit`")
    assert server.returncode == 0

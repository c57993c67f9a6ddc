"""Editor settings (`workspace/configuration`, section `prp-lsp`) change rule levels live."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from helpers import codes, open_doc, pull, pull_until, wait_published, wait_until, watched

PRP = "PRPs/active/01_user_login.md"


def without_why(client: LanguageClient) -> str:
    text = (client.root / PRP).read_text(encoding="utf-8")
    return text.replace("## Why\n", "## Reasons\n")


async def test_rule_turned_off_and_raised_from_editor_settings(vscode: LanguageClient):
    doc = open_doc(vscode, vscode.root / PRP, without_why(vscode))
    items = await pull(vscode, doc)
    assert codes(items) == ["missing-section"]
    assert items[0].severity == types.DiagnosticSeverity.Warning

    refreshes = vscode.diagnostic_refresh_count
    vscode.set_configuration({"rules": {"missing-section": "error"}}, section="prp-lsp")
    vscode.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    # Every document may change: the editor is asked to pull again.
    await wait_until(lambda: vscode.diagnostic_refresh_count > refreshes, "a diagnostic refresh")
    items = await pull(vscode, doc)
    assert [d.severity for d in items] == [types.DiagnosticSeverity.Error]

    vscode.set_configuration({"rules": {"missing-section": "off"}}, section="prp-lsp")
    vscode.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await pull_until(vscode, doc, lambda ds: ds == [], "missing-section turned off")


async def test_vscode_shaped_settings_with_editor_keys_apply(vscode: LanguageClient):
    """VS Code sends the whole `prp-lsp` section, its own keys (server path, trace) included;
    the server's keys still apply and no complaint is shown."""
    doc = open_doc(vscode, vscode.root / PRP, without_why(vscode))
    assert codes(await pull(vscode, doc)) == ["missing-section"]
    refreshes = vscode.diagnostic_refresh_count
    vscode.set_configuration(
        {
            "server": {"path": "/opt/prp-lsp/bin/prp-lsp"},
            "trace": {"server": "verbose"},
            "rules": {"missing-section": "error"},
            "status": {},
        },
        section="prp-lsp",
    )
    vscode.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await wait_until(lambda: vscode.diagnostic_refresh_count > refreshes, "a diagnostic refresh")
    items = await pull(vscode, doc)
    assert [d.severity for d in items] == [types.DiagnosticSeverity.Error]
    assert not any("settings" in m.message for m in vscode.messages)


async def test_invalid_editor_settings_are_ignored_with_a_message(vscode: LanguageClient):
    doc = open_doc(vscode, vscode.root / PRP, without_why(vscode))
    vscode.set_configuration({"rules": {"missing-section": "loud"}}, section="prp-lsp")
    vscode.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await wait_until(
        lambda: any("settings" in m.message for m in vscode.messages), "a message about the settings"
    )
    # The file configuration still applies.
    assert codes(await pull(vscode, doc)) == ["missing-section"]


async def test_push_client_gets_republished_after_settings_change(nvim: LanguageClient):
    doc = open_doc(nvim, nvim.root / PRP, without_why(nvim))
    await wait_published(nvim, doc, version=1, predicate=lambda ds: codes(ds) == ["missing-section"])
    after = len(nvim.published)
    nvim.set_configuration({"rules": {"missing-section": "off"}}, section="prp-lsp")
    nvim.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    # (A short wait: the server publishes right after re-analysing, or never.)
    await wait_published(nvim, doc, after=after, predicate=lambda ds: ds == [], timeout=3)


@pytest.mark.files({"prp-lsp.toml": '[rules\ntemplate-placeholder = "warning"\n'})
async def test_push_client_sees_fixed_config_cleared(nvim: LanguageClient):
    path = nvim.root / "prp-lsp.toml"
    config = path.as_uri()
    await wait_published(nvim, config, predicate=lambda ds: codes(ds) == ["invalid-config"])
    after = len(nvim.published)
    path.write_text('[rules]\ntemplate-placeholder = "warning"\n', encoding="utf-8")
    watched(nvim, (path, types.FileChangeType.Changed))
    await wait_published(nvim, config, after=after, predicate=lambda ds: ds == [], timeout=3)


async def test_rule_codes_link_to_their_pages_once_rules_url_is_set(vscode: LanguageClient):
    doc = open_doc(vscode, vscode.root / PRP, without_why(vscode))
    items = await pull(vscode, doc)
    assert codes(items) == ["missing-section"]
    assert items[0].code_description is None  # no URL configured: no link to a guessed place

    refreshes = vscode.diagnostic_refresh_count
    vscode.set_configuration(
        {"docs": {"rules-url": "https://docs.example.com/prp-lsp/rules/"}}, section="prp-lsp"
    )
    vscode.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await wait_until(lambda: vscode.diagnostic_refresh_count > refreshes, "a diagnostic refresh")
    items = await pull(vscode, doc)
    assert [d.code_description.href for d in items] == [
        "https://docs.example.com/prp-lsp/rules/missing-section.md"
    ]

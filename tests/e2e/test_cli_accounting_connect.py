"""`onhand accounting connect xero`: prints where to consent, takes the browser's redirect,
saves the tokens owner-only and prints the tenant, never a token or the secret."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from onhand.entrypoints.cli import accounting_connect
from tests import xero_stand_in as xero
from tests.integration.accounting.test_accounting_connect import Browser


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_cli_connects_xero_and_keeps_the_secret(cli_run, monkeypatch, tmp_path: Path):
    token_file = tmp_path / "xero.json"
    browser = Browser(xero.CODE)
    shown = accounting_connect.show_consent_url

    def show(url: str, *, open_browser: bool) -> None:
        shown(url, open_browser=False)
        browser(url)

    monkeypatch.setattr(accounting_connect, "show_consent_url", show)
    with xero.stand_in_xero() as url:
        for name, value in {"ONHAND_XERO_CLIENT_ID": xero.CLIENT_ID, "ONHAND_XERO_CLIENT_SECRET": xero.CLIENT_SECRET,
                            "ONHAND_XERO_TOKEN_FILE": str(token_file), "ONHAND_XERO_TOKEN_URL": xero.token_url(url),
                            "ONHAND_XERO_CONNECTIONS_URL": xero.connections_url(url)}.items():
            monkeypatch.setenv(name, value)
        done = cli_run("accounting", "connect", "xero", "--port", "0", "--no-browser")
        browser.join()
        saved = token_file.read_text()
    assert done.exit_code == 0, done.stderr
    assert "https://login.xero.com/identity/connect/authorize?" in done.stderr
    assert f"Set ONHAND_XERO_TENANT_ID={xero.TENANT}" in done.stdout and xero.TENANT_NAME in done.stdout
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    secrets = [xero.CLIENT_SECRET, xero.CODE, *xero.StandInXero.access_tokens, *xero.StandInXero.refresh_tokens]
    assert xero.StandInXero.refresh_tokens & set(secrets) and any(s in saved for s in secrets)
    assert not [s for s in secrets if s in done.stdout + done.stderr]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_connect_without_the_oauth_app_says_what_to_set(cli_run, monkeypatch):
    for name in ("ONHAND_QBO_CLIENT_ID", "ONHAND_QBO_CLIENT_SECRET", "ONHAND_QBO_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    done = cli_run("accounting", "connect", "quickbooks")
    assert done.exit_code == 2 and "ONHAND_QBO_CLIENT_ID" in done.stderr

"""`onhand accounting connect xero|quickbooks`: the OAuth consent, once, from a terminal.

Prints the consent URL (and opens it in a browser when one is at hand), receives the
browser's redirect on 127.0.0.1, exchanges the code and writes the token file the pushes
use (adapters/accounting/oauth_connect.py). Prints no token, code or secret.
"""

from __future__ import annotations

import webbrowser
from enum import StrEnum
from typing import Annotated

import typer

from onhand.adapters.accounting.oauth_connect import DEFAULT_PORT, PROVIDERS, connect, quickbooks_token_url
from onhand.adapters.accounting.token_files import TokenFile
from onhand.config import connect_settings
from onhand.entrypoints.cli.render import console, text

PREFIX = {"xero": "ONHAND_XERO", "quickbooks": "ONHAND_QBO"}


class Target(StrEnum):
    XERO = "xero"
    QUICKBOOKS = "quickbooks"


def show_consent_url(url: str, *, open_browser: bool) -> None:
    """Tell the operator where to give consent (the URL holds the client id and state, no secret)."""
    typer.echo(f"Open this address in a browser and allow Onhand access:\n\n  {url}\n", err=True)
    if open_browser:
        webbrowser.open(url)


def connect_command(
    target: Annotated[Target, typer.Argument(help="xero or quickbooks.")],
    port: Annotated[int, typer.Option(min=0, max=65535, help="The port of the redirect URI "
                                      "http://localhost:PORT/callback registered with the app.")] = DEFAULT_PORT,
    timeout: Annotated[int, typer.Option(min=10, max=3600, help="Seconds to wait for the consent.")] = 300,
    browser: Annotated[bool, typer.Option("--browser/--no-browser", help="Open the consent URL in a "
                                          "browser on this machine.")] = True,
) -> None:
    """Connect Onhand to Xero or QuickBooks Online (OAuth consent) and save the tokens owner-only.

    Needs ONHAND_XERO_CLIENT_ID, ONHAND_XERO_CLIENT_SECRET and ONHAND_XERO_TOKEN_FILE (QuickBooks:
    ONHAND_QBO_*). Exits 7 when the system refuses or no consent arrives in time."""
    provider = PROVIDERS[target.value]
    found = connect_settings(target.value)
    if found.oauth is None:
        prefix = PREFIX[target.value]
        raise typer.BadParameter(f"set {prefix}_CLIENT_ID, {prefix}_CLIENT_SECRET and {prefix}_TOKEN_FILE "
                                 "(docs/accounting.md)", param_hint="TARGET")
    oauth = found.oauth
    token_url = found.token_url if target is Target.XERO else quickbooks_token_url(found.environment)
    connection = connect(provider, client_id=oauth.client_id, client_secret=oauth.client_secret,
                         tokens=TokenFile(target.value, oauth.token_file),
                         show=lambda url: show_consent_url(url, open_browser=browser), port=port,
                         timeout=timeout, token_url=token_url, connections_url=found.connections_url)
    what = "organisation" if target is Target.XERO else "company (realm)"
    name = f" {connection.company_name}" if connection.company_name else ""
    console().print(text(f"Connected to {provider.name}: {what}{name} {connection.company_id}; tokens saved "
                         f"to {connection.token_file} (owner-only)."))
    variable = "ONHAND_XERO_TENANT_ID" if target is Target.XERO else "ONHAND_QBO_REALM_ID"
    console().print(text(f"Set {variable}={connection.company_id} to push journals there."))
    for other_id, other_name in connection.others:
        console().print(text(f"The consent also covers {other_name} {other_id}."))

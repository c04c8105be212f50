"""Pushing a posted journal to Xero from the HTTP API and the CLI, listing the pushes; Xero
configured by the environment and played by a local stand-in of its Accounting API and
identity service."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from onhand import services
from onhand.bootstrap import Onhand, open_onhand
from onhand.domain.access.commands import CreateApiKey
from onhand.domain.accounting.commands import PostJournal
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.purchasing.commands import (
    CreatePurchaseOrder,
    CreateSupplier,
    PurchaseOrderAction,
    ReceivePurchaseOrder,
)
from onhand.entrypoints.api.app import create_app
from onhand.services.purchasing.purchase_orders import NewPurchaseLine
from onhand.services.purchasing.receiving import ReceiptLine
from tests.e2e.conftest import serve_api
from tests.xero_stand_in import (
    CLIENT_ID,
    CLIENT_SECRET,
    REFRESH,
    TENANT,
    TOKEN,
    StandInXero,
    stand_in_xero,
    token_url,
)

DAY = "2026-03-02"


@pytest.fixture
def onhand(database_url: str, clock, monkeypatch) -> Iterator[Onhand]:
    with stand_in_xero() as url:
        monkeypatch.setenv("ONHAND_XERO_TENANT_ID", TENANT)
        monkeypatch.setenv("ONHAND_XERO_ACCESS_TOKEN", TOKEN)
        monkeypatch.setenv("ONHAND_XERO_API_URL", url)
        instance = open_onhand(database_url, clock=clock)
        yield instance
        instance.close()


def _posted_day(onhand: Onhand, clock) -> None:
    services.items.create_item(onhand, CreateItem(sku="W", name="Widget"))
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    services.suppliers.create_supplier(onhand, CreateSupplier(code="ACME", name="Acme"))
    order = services.purchase_orders.create_purchase_order(
        onhand, CreatePurchaseOrder(supplier="ACME", destination="NY", lines=[NewPurchaseLine("W", 4, "2.50")]))
    services.purchase_orders.place_purchase_order(onhand, PurchaseOrderAction(order.reference))
    services.receiving.receive_purchase_order(onhand, ReceivePurchaseOrder(order.reference, lines=[ReceiptLine(1, 4)]))
    clock.advance(days=1)


def test_an_admin_pushes_a_posted_day_over_http_once_and_lists_the_pushes(
        onhand: Onhand, clock, api_admin: httpx.Client, api_viewer: httpx.Client) -> None:
    _posted_day(onhand, clock)
    early = api_admin.post(f"/api/v1/journals/{DAY}/push")
    assert early.status_code == 409  # open
    api_admin.post(f"/api/v1/journals/{DAY}/post")
    assert api_viewer.post(f"/api/v1/journals/{DAY}/push").status_code == 403
    pushed = api_admin.post(f"/api/v1/journals/{DAY}/push", params={"target": "xero"})
    assert pushed.status_code == 200
    first = pushed.json()
    assert (first["target"], first["status"], first["reference"], first["date"]) == (
        "xero", "sent", "ONHAND-20260302", DAY)
    assert first["remote_id"] == StandInXero.journals[0]["ManualJournalID"] and len(first["content_hash"]) == 64
    assert api_admin.post(f"/api/v1/journals/{DAY}/push").json() == first  # not sent again
    assert [r["path"] for r in StandInXero.received] == ["/api.xro/2.0/ManualJournals"]
    StandInXero.refuse = True
    refused = api_admin.post(f"/api/v1/journals/{DAY}/push", params={"again": "true"})
    assert refused.status_code == 502 and refused.json()["error"]["code"] == "push_failed"
    assert refused.json()["error"]["uncertain"] is False
    StandInXero.refuse = False
    again = api_admin.post(f"/api/v1/journals/{DAY}/push", params={"again": "true"})
    assert (again.json()["status"], again.json()["reference"]) == ("sent", "ONHAND-20260302-3")
    listed = api_viewer.get("/api/v1/journals/pushes", params={"from": DAY, "to": DAY, "target": "xero"})
    assert listed.status_code == 200
    assert [(p["reference"], p["status"]) for p in listed.json()["pushes"]] == [
        ("ONHAND-20260302", "sent"), ("ONHAND-20260302-2", "failed"), ("ONHAND-20260302-3", "sent")]
    assert listed.json()["pushes"][1]["error"] == "Xero refused the journal of 2026-03-02 (HTTP 400)"
    for text in (pushed.text, refused.text, again.text, listed.text):
        assert TOKEN not in text
    unknown = api_admin.post(f"/api/v1/journals/{DAY}/push", params={"target": "qbo"})
    assert (unknown.status_code, unknown.json()["error"]["field"]) == (422, "target")


def test_the_cli_pushes_a_posted_day_once_and_lists_the_pushes(onhand: Onhand, clock, cli_run) -> None:
    _posted_day(onhand, clock)
    services.journals.post_journal(onhand, PostJournal(day=DAY))
    pushed = cli_run("journal", "push", DAY)
    assert pushed.exit_code == 0 and "Sent the journal of 2026-03-02 to xero as ONHAND-20260302" in pushed.stdout
    assert cli_run("journal", "push", DAY).exit_code == 0 and len(StandInXero.journals) == 1
    StandInXero.refuse = True
    refused = cli_run("journal", "push", DAY, "--again")
    assert refused.exit_code == 7 and "xero" in refused.stderr and TOKEN not in refused.stderr
    listed = cli_run("journal", "pushes", "--from", DAY, "--to", DAY)
    assert listed.exit_code == 0
    assert "ONHAND-20260302-2" in listed.stdout and "failed" in listed.stdout and "sent" in listed.stdout
    assert TOKEN not in listed.stdout


def test_the_cli_refreshes_the_xero_token_and_keeps_the_rotated_one(
        onhand: Onhand, clock, cli_run, monkeypatch, tmp_path: Path) -> None:
    _posted_day(onhand, clock)
    services.journals.post_journal(onhand, PostJournal(day=DAY))
    token_file = tmp_path / "xero-token.json"
    for name, value in {"ONHAND_XERO_CLIENT_ID": CLIENT_ID, "ONHAND_XERO_CLIENT_SECRET": CLIENT_SECRET,
                        "ONHAND_XERO_TOKEN_FILE": str(token_file), "ONHAND_XERO_REFRESH_TOKEN": REFRESH,
                        "ONHAND_XERO_TOKEN_URL": token_url(os.environ["ONHAND_XERO_API_URL"])}.items():
        monkeypatch.setenv(name, value)
    pushed = cli_run("journal", "push", DAY)
    assert pushed.exit_code == 0 and len(StandInXero.token_requests) == 1
    rotated = json.loads(token_file.read_text())["refresh_token"]
    assert rotated != REFRESH and rotated in StandInXero.refresh_tokens
    assert StandInXero.received[-1]["headers"]["Authorization"] != f"Bearer {TOKEN}"
    StandInXero.refresh_tokens.clear()  # the connection was revoked in Xero
    token_file.write_text(json.dumps({"refresh_token": rotated, "expires_at": 0}))
    refused = cli_run("journal", "push", DAY, "--again")
    assert refused.exit_code == 7 and "connect Onhand to Xero again" in refused.stderr
    for text in (pushed.stdout, pushed.stderr, refused.stdout, refused.stderr):
        assert not [s for s in (CLIENT_SECRET, REFRESH, rotated) if s in text]


def test_the_api_pushes_with_refreshed_tokens_and_never_shows_them(
        database_url: str, clock, monkeypatch, tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    token_file = tmp_path / "xero-token.json"
    with stand_in_xero() as url:
        monkeypatch.delenv("ONHAND_XERO_ACCESS_TOKEN", raising=False)
        for name, value in {"ONHAND_XERO_TENANT_ID": TENANT, "ONHAND_XERO_API_URL": url,
                            "ONHAND_XERO_TOKEN_URL": token_url(url), "ONHAND_XERO_CLIENT_ID": CLIENT_ID,
                            "ONHAND_XERO_CLIENT_SECRET": CLIENT_SECRET, "ONHAND_XERO_TOKEN_FILE": str(token_file),
                            "ONHAND_XERO_REFRESH_TOKEN": REFRESH}.items():
            monkeypatch.setenv(name, value)
        instance = open_onhand(database_url, clock=clock)
        try:
            _posted_day(instance, clock)
            services.journals.post_journal(instance, PostJournal(day=DAY))
            admin = services.keys.create_api_key(instance, CreateApiKey(name="admin", role="admin")).secret
            with serve_api(create_app(instance)) as api, httpx.Client(
                    base_url=api, headers={"Authorization": f"Bearer {admin}"}, timeout=30) as client:
                pushed = client.post(f"/api/v1/journals/{DAY}/push")
                held = json.loads(token_file.read_text())
                StandInXero.access_tokens.clear()  # the connection was revoked in Xero
                StandInXero.refresh_tokens.clear()
                refused = client.post(f"/api/v1/journals/{DAY}/push", params={"again": "true"})
                listed = client.get("/api/v1/journals/pushes", params={"from": DAY, "to": DAY})
        finally:
            instance.close()
    assert pushed.status_code == 200 and pushed.json()["status"] == "sent"
    assert refused.status_code == 502 and "connect Onhand to Xero again" in refused.json()["error"]["message"]
    assert [p["status"] for p in listed.json()["pushes"]] == ["sent", "failed"]
    secrets = [CLIENT_SECRET, REFRESH, held["access_token"], held["refresh_token"]]
    for text in (pushed.text, refused.text, listed.text, caplog.text):
        assert not [s for s in secrets if s in text]


def test_the_chart_is_fetched_from_a_connected_xero_over_http_and_the_cli(
        onhand: Onhand, api_admin: httpx.Client, api_viewer: httpx.Client, cli_run) -> None:
    assert api_viewer.post("/api/v1/accounting/chart/fetch").status_code == 403
    fetched = api_admin.post("/api/v1/accounting/chart/fetch", params={"target": "xero"})
    assert fetched.status_code == 200, fetched.text
    assert (fetched.json()["target"], fetched.json()["accounts"], fetched.json()["ready"]) == ("xero", 8, True)
    unknown = api_admin.post("/api/v1/accounting/chart/fetch", params={"target": "quickbooks"})
    assert (unknown.status_code, unknown.json()["error"]["field"]) == (422, "target")
    again = cli_run("accounting", "chart", "fetch")
    assert again.exit_code == 0 and "xero" in again.stdout and "yes" in again.stdout

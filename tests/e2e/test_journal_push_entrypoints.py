"""Pushing a posted journal to Xero from the HTTP API and the CLI, Xero configured by the
environment and played by a local stand-in of its Accounting API."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from onhand import services
from onhand.bootstrap import Onhand, open_onhand
from onhand.services.purchase_orders import NewPurchaseLine
from onhand.services.receiving import ReceiptLine
from tests.xero_stand_in import TENANT, TOKEN, StandInXero, stand_in_xero

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
    services.items.create_item(onhand, sku="W", name="Widget")
    services.locations.create_location(onhand, code="NY", name="New York", kind="warehouse")
    services.suppliers.create_supplier(onhand, code="ACME", name="Acme")
    order = services.purchase_orders.create_purchase_order(
        onhand, supplier="ACME", destination_location="NY", lines=[NewPurchaseLine("W", 4, "2.50")])
    services.purchase_orders.place_purchase_order(onhand, order.reference)
    services.receiving.receive_purchase_order(onhand, order.reference, lines=[ReceiptLine(1, 4)])
    clock.advance(days=1)


def test_an_admin_pushes_a_posted_day_over_http(onhand: Onhand, clock, api_admin: httpx.Client,
                                                api_viewer: httpx.Client) -> None:
    _posted_day(onhand, clock)
    early = api_admin.post(f"/api/v1/journals/{DAY}/push")
    assert early.status_code == 409  # open
    api_admin.post(f"/api/v1/journals/{DAY}/post")
    assert api_viewer.post(f"/api/v1/journals/{DAY}/push").status_code == 403
    pushed = api_admin.post(f"/api/v1/journals/{DAY}/push", params={"target": "xero"})
    assert pushed.status_code == 200 and pushed.json()["target"] == "xero" and pushed.json()["remote_id"]
    assert [r["path"] for r in StandInXero.received] == ["/api.xro/2.0/ManualJournals"]
    StandInXero.refuse = True
    refused = api_admin.post(f"/api/v1/journals/{DAY}/push")
    assert refused.status_code == 502 and refused.json()["error"]["code"] == "push_failed"
    assert TOKEN not in refused.text
    unknown = api_admin.post(f"/api/v1/journals/{DAY}/push", params={"target": "qbo"})
    assert (unknown.status_code, unknown.json()["error"]["field"]) == (422, "target")


def test_the_cli_pushes_a_posted_day(onhand: Onhand, clock, cli_run) -> None:
    _posted_day(onhand, clock)
    services.journals.post_journal(onhand, DAY)
    pushed = cli_run("journal", "push", DAY)
    assert pushed.exit_code == 0 and "Sent the journal of 2026-03-02 to xero" in pushed.stdout
    StandInXero.refuse = True
    refused = cli_run("journal", "push", DAY)
    assert refused.exit_code == 7 and "xero" in refused.stderr and TOKEN not in refused.stderr

"""`updated_since` over HTTP and the CLI: checked at the edge of each listing, and used."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from onhand import services
from onhand.domain.catalog.commands import CreateItem

LISTINGS = ("/api/v1/orders", "/api/v1/purchase-orders", "/api/v1/transfers", "/api/v1/items", "/api/v1/stock")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_listing_refuses_a_moment_without_an_offset_naming_the_field(api_viewer):
    for path in LISTINGS:
        response = api_viewer.get(path, params={"updated_since": "2026-03-02T09:00:00"})
        assert response.status_code == 422, (path, response.text)
        assert response.json()["error"]["field"] == "updated_since"
        assert api_viewer.get(path, params={"updated_since": "2026-03-02T09:00:00Z"}).status_code == 200


def test_items_changed_since_a_moment_over_http_and_the_cli(onhand, api_viewer, cli_run):
    services.items.create_item(onhand, CreateItem(sku="OLD", name="Old"))
    mark = datetime.now(UTC).isoformat()
    services.items.create_item(onhand, CreateItem(sku="NEW", name="New"))
    listed = api_viewer.get("/api/v1/items", params={"updated_since": mark}).json()["items"]
    assert [i["sku"] for i in listed] == ["NEW"]
    shown = cli_run("items", "list", "--updated-since", mark)
    assert shown.exit_code == 0, shown.stderr
    assert "NEW" in shown.stdout and "OLD" not in shown.stdout
    refused = cli_run("orders", "list", "--updated-since", "soon")
    assert refused.exit_code != 0 and refused.stderr.startswith("error: updated_since:")

"""Sales channels over HTTP: added by a settings admin, mapped, read back without secrets;
a viewer reads but cannot add; bad input is a 422 naming the field."""

from __future__ import annotations

from onhand import services
from onhand.domain.catalog.commands import CreateItem, CreateLocation


def test_a_channel_is_added_mapped_and_read_back_over_http(onhand, api_admin, api_viewer) -> None:
    services.items.create_item(onhand, CreateItem(sku="MUG", name="Mug"))
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    made = api_admin.post("/api/v1/channels", json={"name": "shop-us", "kind": "shopify",
                                                    "endpoint": "https://shop-us.myshopify.com"})
    assert made.status_code == 201, made.text
    assert made.json()["credentials_source"] == "env"
    mapped = api_admin.put("/api/v1/channels/shop-us/locations",
                           json={"location": "NY", "external_location_id": "124656943"})
    assert mapped.status_code == 200, mapped.text
    mapped = api_admin.put("/api/v1/channels/shop-us/skus", json={"sku": "MUG", "external_variant_id": "39072856"})
    assert mapped.json()["skus"] == [{"sku": "MUG", "external_sku": "MUG", "external_variant_id": "39072856",
                                      "external_item_id": None}]
    shown = api_viewer.get("/api/v1/channels/shop-us").json()
    assert shown["locations"] == [{"location": "NY", "external_location_id": "124656943"}]
    assert api_viewer.post("/api/v1/channels", json={"name": "x", "kind": "generic"}).status_code == 403
    assert api_viewer.get("/api/v1/channels/exceptions").json() == {"exceptions": []}


def test_a_bad_channel_is_refused_naming_the_field(api_admin) -> None:
    refused = api_admin.post("/api/v1/channels", json={"name": "shop", "kind": "ebay"})
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "kind"
    assert api_admin.get("/api/v1/channels").json() == {"channels": []}

"""CSV exports: the listings' rows and filters, streamed; items and locations re-import."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.catalog.commands import ArchiveItem
from onhand.domain.errors import NotFound
from onhand.domain.orders.commands import NewOrderLine
from onhand.services.tools.import_rows import ImportMode
from tests.integration.helpers import add_item, add_place, adjust, order


def rows(chunks) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO("".join(chunks))))


def test_exported_items_and_locations_import_again_unchanged(onhand):
    add_place(onhand, "NY", name="New York", address={"city": "Brooklyn", "country": "us"})
    add_place(onhand, "NY-A", kind="bin", parent="NY", sellable=False)
    add_item(onhand, "TEA", name="=Tea, green", unit="kg", tracking="lot", shelf_life_days=365)
    add_item(onhand, "MUG", gtin="4006381333931")

    items = "".join(services.exports.export_items(onhand))
    places = "".join(services.exports.export_locations(onhand))

    assert items.splitlines()[0] == "sku,name,unit,tracking,gtin,shelf_life_days"
    assert "TEA,\"'=Tea, green\",kg,lot,,365" in items  # no spreadsheet formula
    assert rows([places])[1] == {
        "code": "NY-A", "name": "NY-A", "kind": "bin", "parent": "NY", "sellable": "false",
        "allow_negative": "false", "address_line1": "", "address_line2": "", "city": "", "region": "",
        "postcode": "", "country": ""}
    again = services.imports.preview_items(onhand, items, mode=ImportMode.UPSERT)
    assert again.ok and {c.outcome for c in again.changes} == {"unchanged"}
    again = services.imports.preview_locations(onhand, places, mode=ImportMode.UPSERT)
    assert again.ok and {c.outcome for c in again.changes} == {"unchanged"}


def test_exports_take_the_filters_of_their_listings(onhand):
    add_place(onhand, "NY")
    add_place(onhand, "LA")
    add_item(onhand, "TEA", unit="kg")
    add_item(onhand, "OLD")
    services.archiving.archive_item(onhand, ArchiveItem("OLD"))
    adjust(onhand, "NY", "TEA", "2.5")
    adjust(onhand, "LA", "TEA", 4)
    order(onhand, NewOrderLine("TEA", Decimal(1), Decimal("3.50")))

    assert [r["sku"] for r in rows(services.exports.export_items(onhand))] == ["TEA"]
    assert [r["sku"] for r in rows(services.exports.export_items(onhand, include_archived=True))] == ["OLD", "TEA"]
    stock = rows(services.exports.export_stock(onhand, group_by="location"))
    assert [(r["location"], r["on_hand"], r["available"]) for r in stock] == [("LA", "4", "4"), ("NY", "2.5", "2.5")]
    moves = rows(services.exports.export_movements(onhand, location="NY"))
    assert [(r["sku"], r["from_location"], r["to_location"], r["quantity"]) for r in moves] == [
        ("TEA", "ADJUSTMENT", "NY", "2.5")]
    (line,) = rows(services.exports.export_orders(onhand, status="open"))
    assert (line["sku"], line["quantity"], line["unit_price"], line["status"]) == ("TEA", "1", "3.5", "open")
    with pytest.raises(NotFound):
        services.exports.export_movements(onhand, sku="NOPE")  # checked before anything is streamed

"""Archived items and locations: hidden from lists, refused in new documents, history kept."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.actors import cli_actor
from onhand.domain.catalog.commands import ArchiveItem, ArchiveLocation
from onhand.domain.errors import Archived, InvalidInput, StockOnHand
from onhand.domain.orders.commands import CreateOrder
from onhand.domain.purchasing.commands import CreatePurchaseOrder, NewPurchaseLine
from onhand.domain.transfers.commands import CreateTransfer, NewTransferLine
from onhand.services.orders.sales_orders import NewOrderLine
from tests.integration.feed.settle import settle
from tests.integration.helpers import add_item, add_place, adjust
from tests.integration.purchasing_helpers import supplier


def test_an_archived_item_is_hidden_refused_in_new_documents_and_its_history_kept(onhand):
    add_item(onhand, "TEA")
    add_item(onhand, "MUG")
    add_place(onhand, "NY")
    add_place(onhand, "LA")
    add_place(onhand, "TRANSIT", kind="transit")
    supplier(onhand)
    adjust(onhand, "NY", "TEA", 2)
    adjust(onhand, "NY", "TEA", -2, reason="damaged")

    archived = services.archiving.archive_item(onhand.acting_as(cli_actor("alice")), ArchiveItem("TEA"))

    assert archived.archived_at is not None
    assert [i.sku for i in services.items.list_items(onhand)] == ["MUG"]
    assert [i.sku for i in services.items.list_items(onhand, include_archived=True)] == ["MUG", "TEA"]
    assert services.items.get_item(onhand, "TEA").archived_at == archived.archived_at
    assert len(services.stock.movement_history(onhand, sku="TEA")) == 2
    refusals = [
        lambda: adjust(onhand, "NY", "TEA", 1),
        lambda: services.sales_orders.create_order(onhand, CreateOrder(lines=[NewOrderLine("MUG", "1"),
                                                                              NewOrderLine("TEA", "1")])),
        lambda: services.purchase_orders.create_purchase_order(onhand, CreatePurchaseOrder(
            supplier="ACME", destination="NY", lines=(NewPurchaseLine("TEA", Decimal(1), Decimal(1)),))),
        lambda: services.transfer_orders.create_transfer(onhand, CreateTransfer(
            source="NY", destination="LA", lines=(NewTransferLine("TEA", Decimal(1)),))),
    ]
    fields = []
    for refused in refusals:
        with pytest.raises(Archived) as error:
            refused()
        fields.append(error.value.field)
    assert fields == ["lines[0].sku", "lines[1].sku", "lines[0].sku", "lines[0].sku"]

    (entry,) = services.audit.list_audit(onhand, action="archive_item").entries
    assert (entry.actor, entry.object.key) == (cli_actor("alice"), "TEA")
    services.archiving.unarchive_item(onhand, ArchiveItem("TEA"))
    adjust(onhand, "NY", "TEA", 1)
    settle(onhand)
    changed = [e.body["sku"] for e in services.events.events_after(onhand, after=0, limit=1000).events
               if e.type == "item.changed"]
    assert changed.count("TEA") == 2  # archived, unarchived


def test_what_holds_stock_cannot_be_archived(onhand):
    add_item(onhand, "TEA")
    add_place(onhand, "NY")
    add_place(onhand, "NY-A", kind="bin", parent="NY")
    adjust(onhand, "NY-A", "TEA", 5)

    with pytest.raises(StockOnHand) as item_error:
        services.archiving.archive_item(onhand, ArchiveItem("TEA"))
    assert item_error.value.field == "sku" and "5 TEA at NY-A" in item_error.value.reason
    with pytest.raises(InvalidInput) as parent_error:
        services.archiving.archive_location(onhand, ArchiveLocation("NY"))
    assert "bins in use (NY-A)" in parent_error.value.reason
    with pytest.raises(StockOnHand) as bin_error:
        services.archiving.archive_location(onhand, ArchiveLocation("NY-A"))
    assert bin_error.value.field == "code"
    assert services.items.get_item(onhand, "TEA").archived_at is None


def test_an_archived_location_is_hidden_and_refused_and_comes_back_when_unarchived(onhand):
    add_item(onhand, "TEA")
    add_place(onhand, "NY")
    add_place(onhand, "NY-A", kind="bin", parent="NY")
    services.archiving.archive_location(onhand, ArchiveLocation("NY-A"))
    services.archiving.archive_location(onhand, ArchiveLocation("NY"))

    assert [p.code for p in services.locations.list_locations(onhand) if p.is_internal] == []
    assert {p.code for p in services.locations.list_locations(onhand, include_archived=True)} >= {"NY", "NY-A"}
    with pytest.raises(Archived) as error:
        adjust(onhand, "NY-A", "TEA", 1)
    assert error.value.field == "location"
    with pytest.raises(InvalidInput, match="parent 'NY' is archived"):
        services.archiving.unarchive_location(onhand, ArchiveLocation("NY-A"))
    services.archiving.unarchive_location(onhand, ArchiveLocation("NY"))
    services.archiving.unarchive_location(onhand, ArchiveLocation("NY-A"))
    adjust(onhand, "NY-A", "TEA", 1)
    assert services.locations.get_location(onhand, "NY-A").archived_at is None

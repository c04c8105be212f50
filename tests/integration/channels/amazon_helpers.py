"""An Amazon channel to import into: items MUG and CUP, merchant stock at NY, FBA stock at FBA."""

from __future__ import annotations

from decimal import Decimal

from onhand import services
from onhand.domain.channels.amazon import AmazonOrder, AmazonOrderLine, Fulfilment
from onhand.domain.channels.commands import AddChannel, MapLocation, MapSku
from tests.integration.helpers import add_item, add_place, adjust


def amazon_shop(onhand, name="amz-us"):
    for sku in ("MUG", "CUP"):
        add_item(onhand, sku)
    add_place(onhand, "NY")
    add_place(onhand, "FBA", kind="3pl")
    adjust(onhand, "NY", "MUG", 10)
    adjust(onhand, "FBA", "MUG", 5)
    services.channels.add_channel(onhand, AddChannel(name=name, kind="amazon",
                                                     endpoint="https://sellingpartnerapi-na.amazon.com"))
    services.channels.map_location(onhand, MapLocation(name, "NY", "DEFAULT"))
    services.channels.map_location(onhand, MapLocation(name, "FBA", "AMAZON_NA"))
    services.channels.map_sku(onhand, MapSku(name, "MUG", external_sku="MUG-AMZ", external_variant_id="B0MUG00001"))
    services.channels.map_sku(onhand, MapSku(name, "CUP"))


def amazon_order(order_id="111-0000001-0000001", status="Unshipped", channel="MFN", lines=(("MUG-AMZ", 2, "21.98"),),
                 updated="2026-03-02T09:00:00Z"):
    return AmazonOrder(
        amazon_order_id=order_id, status=status, fulfilment=Fulfilment(channel), last_update=updated, currency="USD",
        lines=tuple(AmazonOrderLine(f"{order_id}-{n}", sku, None, Decimal(qty), Decimal(price) if price else None)
                    for n, (sku, qty, price) in enumerate(lines)),
    )

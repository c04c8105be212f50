"""Small builders for service-level tests."""

from __future__ import annotations

from decimal import Decimal

from onhand import services
from onhand.services.postings import StockLine


def add_item(onhand, sku="W-1", **fields):
    return services.items.create_item(onhand, sku=sku, name=fields.pop("name", sku), **fields)


def add_place(onhand, code="NY", kind="warehouse", **fields):
    return services.locations.create_location(
        onhand, code=code, name=fields.pop("name", code), kind=kind, **fields
    )


def adjust(onhand, location, sku, quantity, lot=None, reason="found", **line):
    return services.adjustments.post_adjustment(
        onhand, location=location, lines=[StockLine(sku, quantity, lot, **line)], reason=reason
    )


def level(onhand, sku, location=None, lot=None, group_by="item"):
    """The single stock level row for a query (zeros when there is none)."""
    report = services.stock.stock_levels(onhand, sku=sku, location=location, lot=lot, group_by=group_by)
    if not report.levels:
        return (Decimal(0), Decimal(0), Decimal(0))
    (row,) = report.levels
    return (row.on_hand, row.reserved, row.available)


def move_count(onhand):
    return services.integrity.verify(onhand).moves_checked


def at(onhand, sku, location):
    """On hand of `sku` at exactly `location` (not its bins)."""
    report = services.stock.stock_levels(onhand, sku=sku, location=location, group_by="bin")
    return sum((lv.on_hand for lv in report.levels if lv.location == location), Decimal(0))

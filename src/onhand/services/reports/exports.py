"""CSV exports of items, locations, stock levels, movements and orders.

Each export takes the filters of its listing and returns CSV text in pieces, read page
by page (each page its own short read), so a large export streams and holds no
transaction open while it is sent. The filters and the first page are checked when the
export is asked for, so bad input is one clear error before any byte is sent.

Items and locations are written in the columns of their imports (`csv_files.LAYOUTS`), so
an exported file imports again — with `mode=upsert`, every row "unchanged".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from onhand.domain.catalog.items import Item
from onhand.domain.catalog.locations import Location
from onhand.domain.ledger.views import MoveView
from onhand.domain.orders.views import SalesOrderView
from onhand.services.catalog.items import list_items
from onhand.services.catalog.locations import list_locations
from onhand.services.context import ServiceContext
from onhand.services.csv_files import LAYOUTS, write_rows
from onhand.services.orders.sales_orders import list_orders
from onhand.services.reports.stock import StockGrouping, movement_history, stock_levels

T = TypeVar("T")
PAGE = 1000  # rows read at a time (a listing's largest page)

ITEM_COLUMNS = LAYOUTS["items"].columns
LOCATION_COLUMNS = LAYOUTS["locations"].columns
STOCK_COLUMNS = ("sku", "location", "lot", "expiry_date", "on_hand", "reserved", "available", "in_transit",
                 "in_transit_expected", "incoming", "incoming_expected")
MOVEMENT_COLUMNS = ("move_id", "posting_id", "created_at", "effective_at", "posting_kind", "reason", "reference",
                    "sku", "lot", "from_location", "to_location", "quantity")
ORDER_COLUMNS = ("reference", "channel", "external_id", "customer", "status", "currency", "requested_ship_date",
                 "created_at", "line_no", "sku", "lot", "quantity", "unit_price", "reserved", "shipped",
                 "returned", "open")


def export_items(ctx: ServiceContext, *, search: str | None = None, include_archived: bool = False) -> Iterator[str]:
    """Items by SKU, in the items import's columns."""

    def page(offset: int) -> list[Item]:
        return list_items(ctx, search=search, limit=PAGE, offset=offset, include_archived=include_archived)

    return write_rows(ITEM_COLUMNS, (_item_row(item) for item in _paged(page)))


def export_locations(ctx: ServiceContext, *, include_archived: bool = False) -> Iterator[str]:
    """Internal locations by code, in the locations import's columns (parents before their bins)."""
    places = list_locations(ctx, include_archived=include_archived)
    codes = {place.id: place.code for place in list_locations(ctx, include_archived=True)}
    internal = sorted((p for p in places if p.is_internal), key=lambda p: (len(p.path), p.code))
    return write_rows(LOCATION_COLUMNS, (_location_row(place, codes) for place in internal))


def export_stock(
    ctx: ServiceContext, *, sku: str | None = None, location: str | None = None, lot: str | None = None,
    group_by: str | StockGrouping = StockGrouping.ITEM,
) -> Iterator[str]:
    """Stock levels as `stock_levels` lists them."""
    report = stock_levels(ctx, sku=sku, location=location, lot=lot, group_by=group_by)
    return write_rows(STOCK_COLUMNS, (
        (level.sku, level.location, level.lot, _day(level.expiry_date), _number(level.on_hand),
         _number(level.reserved), _number(level.available), _number(level.in_transit),
         _day(level.in_transit_expected), _number(level.incoming), _day(level.incoming_expected))
        for level in report.levels
    ))


def export_movements(
    ctx: ServiceContext, *, sku: str | None = None, location: str | None = None, lot: str | None = None
) -> Iterator[str]:
    """Moves newest first, as `movement_history` lists them (every page of it)."""
    first = movement_history(ctx, sku=sku, location=location, lot=lot, limit=PAGE)

    def pages() -> Iterator[list[MoveView]]:
        page = first
        while page:
            yield page
            if len(page) < PAGE:
                return
            page = movement_history(ctx, sku=sku, location=location, lot=lot, limit=PAGE, before_id=page[-1].id)

    return write_rows(MOVEMENT_COLUMNS, (
        (m.id, m.posting_id, _moment(m.created_at), _moment(m.effective_at), m.posting_kind, m.reason,
         m.reference, m.sku, m.lot, m.from_location, m.to_location, _number(m.quantity))
        for page in pages() for m in page
    ))


def export_orders(
    ctx: ServiceContext, *, status: str | None = None, channel: str | None = None,
    updated_since: datetime | str | None = None,
) -> Iterator[str]:
    """Sales orders newest first, one row per line."""

    def page(offset: int) -> list[SalesOrderView]:
        return list_orders(ctx, status=status, channel=channel, limit=PAGE, offset=offset,
                           updated_since=updated_since)

    return write_rows(ORDER_COLUMNS, (
        (order.reference, order.channel, order.external_id, order.customer, order.status, order.currency,
         _day(order.requested_ship_date), _moment(order.created_at), line.line_no, line.sku, line.lot,
         _number(line.quantity), _number(line.unit_price), _number(line.reserved), _number(line.shipped),
         _number(line.returned), _number(line.open))
        for order in _paged(page) for line in order.lines
    ))


def _paged(read: Callable[[int], list[T]]) -> Iterable[T]:
    """Every row of an offset-paged listing; the first page is read now (checking the filters)."""
    first = read(0)

    def rest() -> Iterator[T]:
        page, offset = first, 0
        while page:
            yield from page
            if len(page) < PAGE:
                return
            offset += PAGE
            page = read(offset)

    return rest()


def _item_row(item: Item) -> tuple[object, ...]:
    return (item.sku, item.name, item.unit.code, item.tracking.value, item.gtin, item.shelf_life_days)


def _location_row(place: Location, codes: dict[int, str]) -> tuple[object, ...]:
    where = place.address
    return (place.code, place.name, place.kind.value, codes.get(place.parent_id) if place.parent_id else None,
            _flag(place.sellable), _flag(place.allow_negative), where.line1, where.line2, where.city,
            where.region, where.postcode, where.country)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _number(value: Decimal) -> str:
    """Exact, without exponent or trailing zeros: 2.5, 10, 0."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: datetime) -> str:
    return value.isoformat()

"""The lines of a sales order as stored: validated, with bundles exploded into their
components, and the ship-to address."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.catalog.items import ItemKind
from onhand.domain.catalog.locations import effective_sellable, validate_coordinates
from onhand.domain.errors import InvalidInput
from onhand.domain.money import line_total
from onhand.domain.orders.commands import NewOrderLine
from onhand.domain.orders.records import SalesOrderLineRecord
from onhand.domain.orders.sales_orders import validate_unit_price
from onhand.domain.quantities import plain, positive_quantity
from onhand.services import resolve
from onhand.services.assemblies import bundles
from onhand.services.orders.views import ShipTo

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


def ship_to_values(ship_to: ShipTo | None) -> dict[str, Any]:
    ship_to = ship_to or ShipTo()
    validate_coordinates(ship_to.latitude, ship_to.longitude, "ship_to.")
    country = resolve.text(ship_to.country, "ship_to.country")
    if country is not None and not re.fullmatch(r"[A-Za-z]{2}", country):
        raise InvalidInput("ship_to.country", f"{country!r} is not an ISO 3166 alpha-2 code")
    values: dict[str, Any] = {
        f"ship_to_{name}": resolve.text(getattr(ship_to, name), f"ship_to.{name}")
        for name in ("name", "line1", "line2", "city", "region", "postcode")
    }
    return values | {
        "ship_to_country": country.upper() if country else None,
        "ship_to_latitude": ship_to.latitude,
        "ship_to_longitude": ship_to.longitude,
    }


def line_values(uow: UnitOfWork, lines: Sequence[NewOrderLine]) -> list[dict[str, Any]]:
    """The rows of an order's lines; a bundle's line is followed (after every given line)
    by one line per component, which is what is reserved, picked and shipped."""
    if not lines:
        raise InvalidInput("lines", "an order needs at least one line")
    places = uow.locations.by_id()
    values: list[dict[str, Any]] = []
    components: list[dict[str, Any]] = []
    for index, line in enumerate(lines):
        field = f"lines[{index}]"
        item = resolve.item_in_use(uow, line.sku, f"{field}.sku")
        lot = None
        if line.lot is not None and line.lot.strip():
            if not item.tracks_lots:
                raise InvalidInput(f"{field}.lot", f"item {item.sku!r} is not lot-tracked")
            lot = resolve.lot(uow, item, line.lot, f"{field}.lot")
        location = None
        if line.location is not None and line.location.strip():
            location = resolve.internal_location_in_use(uow, line.location, f"{field}.location")
            if not effective_sellable(location, places):
                raise InvalidInput(f"{field}.location", f"{location.code!r} is not a sellable location")
        amount = positive_quantity(line.quantity, item.unit, f"{field}.quantity")
        price = validate_unit_price(line.unit_price, f"{field}.unit_price")
        line_total(amount, price, f"{field}.unit_price")
        row = {
            "line_no": index + 1,
            "item_id": item.id,
            "quantity": amount,
            "unit_price": price,
            "pinned_lot_id": lot.id if lot else None,
            "location_id": location.id if location else None,
            "kit_line_no": None,
            "per_kit": None,
        }
        values.append(row)
        if item.kind is ItemKind.BUNDLE:
            components += _components_of(uow, row, field)
    for number, component in enumerate(components, start=len(values) + 1):
        component["line_no"] = number
    return values + components


def made_lines(
    uow: UnitOfWork, order_id: int, rows: list[dict[str, Any]], ids: list[int]
) -> list[SalesOrderLineRecord]:
    """The lines just inserted from `rows` (`line_values`) with their `ids`, as a read of them
    would give them back, from what the transaction holds: nothing is reserved, picked,
    shipped or returned yet. (Only a pinned lot's code is read.)"""
    items = uow.items.by_ids(sorted({row["item_id"] for row in rows}))
    places = uow.locations.by_id()
    pinned = uow.lots.by_ids(sorted({row["pinned_lot_id"] for row in rows if row["pinned_lot_id"] is not None}))
    zero = Decimal(0)
    made = []
    for line_id, row in zip(ids, rows, strict=True):
        item, lot, place = items[row["item_id"]], row["pinned_lot_id"], row["location_id"]
        made.append(SalesOrderLineRecord(
            id=line_id, order_id=order_id, line_no=row["line_no"], item_id=item.id, quantity=plain(row["quantity"]),
            unit_price=plain(row["unit_price"]), pinned_lot_id=lot, location_id=place,
            kit_line_no=row["kit_line_no"], per_kit=None if row["per_kit"] is None else plain(row["per_kit"]),
            sku=item.sku, item_kind=item.kind.value, unit_decimals=item.unit.decimals,
            pinned_lot_code=None if lot is None else pinned[lot].code,
            location_code=None if place is None else places[place].code,
            reserved=zero, picked=zero, shipped=zero, returned=zero,
        ))
    return made


def _components_of(uow: UnitOfWork, bundle_line: dict[str, Any], field: str) -> list[dict[str, Any]]:
    try:
        parts = bundles.explode(uow, bundle_line["item_id"], Decimal(1))
    except InvalidInput as exc:
        raise InvalidInput(f"{field}.sku", exc.reason) from None
    items = uow.items.by_ids([item_id for item_id, _per_kit in parts])
    rows = []
    for item_id, per_kit in parts:
        item = items[item_id]
        quantity = bundle_line["quantity"] * per_kit
        if quantity != quantity.quantize(Decimal(1).scaleb(-item.unit.decimals)):
            raise InvalidInput(
                f"{field}.quantity",
                f"{bundle_line['quantity']} bundles need {quantity} {item.unit.code} of {item.sku}, "
                f"which is not a whole number of its unit",
            )
        rows.append({
            "item_id": item_id, "quantity": quantity, "unit_price": Decimal(0), "pinned_lot_id": None,
            "location_id": bundle_line["location_id"], "kit_line_no": bundle_line["line_no"], "per_kit": per_kit,
        })
    return rows

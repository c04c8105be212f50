"""Read models of sales orders, and the one function that assembles them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.catalog.items import ItemKind
from onhand.domain.errors import NotFound
from onhand.domain.orders.records import OrderReservationRecord, SalesOrderLineRecord, SalesOrderRecord
from onhand.domain.orders.sales_orders import LineProgress, kit_progress
from onhand.domain.orders.views import (
    OrderLineView,
    PackageView,
    ReservationView,
    ReturnLineView,
    ReturnView,
    SalesOrderView,
    ShipmentLineView,
    ShipmentView,
    ShipTo,
)

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


def order_subject(order: SalesOrderView) -> AuditObject:
    return AuditObject("sales_order", order.reference)


@dataclass(frozen=True)
class OrderNow:
    """What a write leaves of an order: its id, and its lines as read or made after its
    last change, so its view need not read them again."""

    id: int
    lines: list[SalesOrderLineRecord]
    # The reservations the write made or grew, as they are now, with their lines' ids: when
    # they are all the order holds (what each line has reserved), none are read either.
    reservations: tuple[tuple[int, ReservationView], ...] | None = None
    # Its shipments, when the write made its first (none are read then).
    shipments: tuple[ShipmentView, ...] | None = None

    def __int__(self) -> int:
        return self.id


def load_order(uow: UnitOfWork, order: int | OrderNow) -> SalesOrderView:
    """The order's view; its header as this transaction holds it (`orders.get`)."""
    order_id = int(order)
    header = uow.orders.get(order_id)
    if header is None:
        raise NotFound("sales order", str(order_id), "order")
    if isinstance(order, OrderNow):
        return _view(uow, header, order.lines, order.reservations, order.shipments)
    return _view(uow, header, uow.orders.lines(order_id))


def _view(
    uow: UnitOfWork, order: SalesOrderRecord, rows: list[SalesOrderLineRecord],
    made: tuple[tuple[int, ReservationView], ...] | None = None,
    shipped: tuple[ShipmentView, ...] | None = None,
) -> SalesOrderView:
    order_id = order.id
    # Only what the order has is read: a new order costs two statements.
    held: dict[int, list[ReservationView]] = {}
    if any(line.reserved > 0 for line in rows):
        if made is not None and _all_held(rows, made):
            for line_id, reservation in sorted(made, key=held_order):
                held.setdefault(line_id, []).append(reservation)
        else:
            for line_id, reservation in reservation_views(uow.reservations.for_order(order_id)):
                held.setdefault(line_id, []).append(reservation)
    progress = {
        line.line_no: LineProgress(line.quantity, line.reserved, line.picked, line.shipped, line.returned)
        for line in rows
    }
    for line in rows:
        if line.item_kind == ItemKind.BUNDLE.value:
            parts = [(part.per_kit, progress[part.line_no]) for part in rows if part.kit_line_no == line.line_no]
            progress[line.line_no] = kit_progress(line.quantity, parts, line.unit_decimals)
    lines = []
    for line in rows:
        state = progress[line.line_no]
        lines.append(
            OrderLineView(
                line_no=line.line_no, sku=line.sku, quantity=line.quantity, unit_price=line.unit_price,
                lot=line.pinned_lot_code, location=line.location_code,
                reserved=state.reserved, picked=state.picked, shipped=state.shipped,
                returned=state.returned, backordered=state.backordered if order.cancelled_at is None
                else Decimal(0), open=state.open if order.cancelled_at is None else Decimal(0),
                reservations=tuple(held.get(line.id, ())), kit_line_no=line.kit_line_no,
            )
        )
    return SalesOrderView(
        reference=order.reference, channel=order.channel, external_id=order.external_id,
        customer=order.customer,
        ship_to=ShipTo(
            order.ship_to_name, order.ship_to_line1, order.ship_to_line2, order.ship_to_city,
            order.ship_to_region, order.ship_to_postcode, order.ship_to_country,
            order.ship_to_latitude, order.ship_to_longitude,
        ),
        currency=order.currency, requested_ship_date=order.requested_ship_date, status=order.status,
        routing_note=order.routing_note, created_at=order.created_at, updated_at=order.updated_at,
        cancelled_at=order.cancelled_at, lines=tuple(lines), exchange_rate=order.exchange_rate,
        customer_code=uow.customers.code_of(order.customer_id) if order.customer_id is not None else None,
        shipments=(shipped if shipped is not None else tuple(uow.shipments.for_order(order_id)))
        if any(line.shipped > 0 for line in rows) else (),
        packages=tuple(uow.shipments.packages_for_order(order_id)) if order.has_packages else (),
        returns=tuple(uow.shipments.returns_for_order(order_id)) if any(line.returned > 0 for line in rows) else (),
    )

def reservation_views(rows: list[OrderReservationRecord]) -> tuple[tuple[int, ReservationView], ...]:
    """An order's reservations as read, with their lines' ids, as its view shows them."""
    return tuple((row.order_line_id, ReservationView(row.id, row.location_code, row.lot_code, row.expiry_date,
                                                     row.quantity, row.picked)) for row in rows)


def held_order(made: tuple[int, ReservationView]) -> tuple[int, bool, date, int]:
    """A line's reservations in the order a read gives them: first-expiring first, those
    without an expiry last, then oldest first."""
    line_id, reservation = made
    expiry = reservation.expiry_date
    return line_id, expiry is None, expiry or date.min, reservation.id


def _all_held(rows: list[SalesOrderLineRecord], made: tuple[tuple[int, ReservationView], ...]) -> bool:
    """Whether `made` is every reservation of the order: what each line holds is theirs
    (every reservation holds more than nothing, so no other can be left)."""
    holds: dict[int, Decimal] = {}
    for line_id, reservation in made:
        holds[line_id] = holds.get(line_id, Decimal(0)) + reservation.quantity
    return all(holds.get(line.id, Decimal(0)) == line.reserved for line in rows)


# The read models re-exported here live in the domain now (domain/<area>/views.py);
# callers elsewhere keep importing them from this module.
__all__ = [
    "OrderLineView",
    "OrderNow",
    "PackageView",
    "ReservationView",
    "ReturnLineView",
    "ReturnView",
    "SalesOrderView",
    "ShipTo",
    "ShipmentLineView",
    "ShipmentView",
    "load_order",
    "order_subject",
]

"""Read models of sales orders, and the one function that assembles them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.catalog.items import ItemKind
from onhand.domain.errors import NotFound
from onhand.domain.orders.sales_orders import LineProgress, kit_progress

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


@dataclass(frozen=True)
class ShipTo:
    name: str | None = None
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class ReservationView:
    id: int
    location: str
    lot: str | None
    expiry_date: date | None
    quantity: Decimal
    picked: Decimal


@dataclass(frozen=True)
class OrderLineView:
    line_no: int
    sku: str
    quantity: Decimal
    unit_price: Decimal
    lot: str | None  # pinned by the customer or channel
    location: str | None  # chosen by a user, overriding routing
    reserved: Decimal
    picked: Decimal
    shipped: Decimal
    returned: Decimal
    backordered: Decimal
    open: Decimal
    reservations: tuple[ReservationView, ...]
    # On a bundle's component: the bundle's line (whose figures count whole bundles).
    kit_line_no: int | None = None


@dataclass(frozen=True)
class ShipmentLineView:
    line_no: int
    sku: str
    location: str
    lot: str | None
    quantity: Decimal


@dataclass(frozen=True)
class ShipmentView:
    id: int
    posting_id: int
    created_at: datetime
    lines: tuple[ShipmentLineView, ...]


@dataclass(frozen=True)
class PackageView:
    id: int
    carrier: str | None
    tracking_number: str | None
    weight_kg: Decimal | None
    length_cm: Decimal | None
    width_cm: Decimal | None
    height_cm: Decimal | None
    shipment_id: int | None
    contents: tuple[tuple[int, Decimal], ...]  # (line number, quantity)


@dataclass(frozen=True)
class ReturnLineView:
    line_no: int
    sku: str
    location: str
    lot: str | None
    quantity: Decimal
    reason: str
    condition: str
    # Refunded per unit in the order's currency; None: the default (the line's price, or
    # for a bundle's component the kits the return broke × the bundle's price).
    refund_unit_price: Decimal | None = None


@dataclass(frozen=True)
class ReturnView:
    reference: str  # the RMA number
    posting_id: int
    created_at: datetime
    lines: tuple[ReturnLineView, ...]


@dataclass(frozen=True)
class SalesOrderView:
    reference: str
    channel: str
    external_id: str | None
    customer: str | None
    ship_to: ShipTo
    currency: str
    requested_ship_date: date
    status: str
    routing_note: str | None
    created_at: datetime
    updated_at: datetime
    cancelled_at: datetime | None
    lines: tuple[OrderLineView, ...]
    shipments: tuple[ShipmentView, ...] = ()
    packages: tuple[PackageView, ...] = ()
    returns: tuple[ReturnView, ...] = ()
    # Company currency per unit of `currency`; None only on an order in another currency
    # made before rates were kept (its revenue is not journaled until one is given).
    exchange_rate: Decimal | None = None
    # The customer's record (its code); `customer` is its name.
    customer_code: str | None = None


def order_subject(order: SalesOrderView) -> AuditObject:
    return AuditObject("sales_order", order.reference)


def load_order(uow: UnitOfWork, order_id: int) -> SalesOrderView:
    order = uow.orders.get(order_id)
    if order is None:
        raise NotFound("sales order", str(order_id), "order")
    rows = uow.orders.lines(order_id)
    # Only what the order has is read: a new order costs two statements.
    held: dict[int, list[ReservationView]] = {}
    if any(line.reserved > 0 for line in rows):
        for row in uow.reservations.for_order(order_id):
            held.setdefault(row.order_line_id, []).append(
                ReservationView(row.id, row.location_code, row.lot_code, row.expiry_date, row.quantity, row.picked)
            )
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
        shipments=tuple(uow.shipments.for_order(order_id)) if any(line.shipped > 0 for line in rows) else (),
        packages=tuple(uow.shipments.packages_for_order(order_id)) if order.has_packages else (),
        returns=tuple(uow.shipments.returns_for_order(order_id)) if any(line.returned > 0 for line in rows) else (),
    )

"""An order write's answer is built from what its transaction holds (the header it locked
or wrote, the lines it read after its last change), not read back: it must equal, field
for field and in the same form, the order as read from the database afterwards."""

from __future__ import annotations

from datetime import timedelta, timezone
from decimal import Decimal

from sqlalchemy import event

from onhand import services
from onhand.domain.assemblies.commands import ComponentLine, SetBundleComponents
from onhand.domain.orders.commands import (
    ConfirmPick,
    CreateOrder,
    OrderAction,
    PackageSpec,
    PackOrder,
    PickConfirmation,
    ShipLine,
    ShipLineFrom,
    ShipOrder,
    UpdateOrder,
)
from onhand.services.orders.sales_orders import NewOrderLine
from onhand.services.orders.views import ShipTo
from tests.integration.helpers import add_item, add_place, adjust


def as_read(onhand, view):
    assert repr(view) == repr(services.sales_orders.get_order(onhand, view.reference))
    return view


def test_every_order_write_answers_the_order_as_read_back(onhand, clock) -> None:
    # A clock in another zone, to the microsecond: the stored times come back in UTC.
    clock.current = clock.current.astimezone(timezone(timedelta(hours=-7))).replace(microsecond=654321)
    add_place(onhand, "NY")
    add_place(onhand, "LA")
    add_item(onhand, "TEA", unit="kg", tracking="lot")
    add_item(onhand, "MUG")
    add_item(onhand, "KIT", kind="bundle")
    services.bundles.set_components(onhand, SetBundleComponents(
        "KIT", components=[ComponentLine("MUG", 1), ComponentLine("TEA", Decimal("0.25"))]))
    adjust(onhand, "NY", "TEA", Decimal("1.5"), lot="L-1")
    adjust(onhand, "LA", "TEA", Decimal("4"), lot="L-2")
    adjust(onhand, "NY", "MUG", 5)
    adjust(onhand, "LA", "MUG", 5)

    made = as_read(onhand, services.sales_orders.create_order(onhand, CreateOrder(
        lines=[NewOrderLine("TEA", Decimal("2.750"), unit_price=Decimal("4.10")), NewOrderLine("KIT", 2)],
        customer="Ada", currency="EUR", exchange_rate=Decimal("1.082500"),
        ship_to=ShipTo(name="Ada", city="Boston", country="us", latitude=42.36, longitude=-71.06),
        allocate=True)))
    assert made.status in {"allocated", "backordered"} and made.lines[0].reserved == Decimal("2.75")
    assert str(made.lines[0].reserved) == "2.75" and made.updated_at.tzinfo is not None
    # Made without allocating: its lines as inserted (a pinned lot, a chosen place, a price).
    as_read(onhand, services.sales_orders.create_order(onhand, CreateOrder(
        lines=[NewOrderLine("TEA", Decimal("0.500"), lot="L-2", location="LA", unit_price=Decimal("9.90")),
               NewOrderLine("KIT", 1, location="NY"), NewOrderLine("MUG", 3)])))
    clock.advance(seconds=1.5)
    plain = as_read(onhand, services.sales_orders.create_order(onhand, CreateOrder(
        lines=[NewOrderLine("MUG", 1, location="LA")], reference="SO-PLAIN")))
    as_read(onhand, services.sales_orders.allocate_order(onhand, OrderAction(plain.reference)))
    clock.advance(minutes=3)
    as_read(onhand, services.sales_orders.update_order(onhand, UpdateOrder(
        plain.reference, ship_to=ShipTo(city="Denver", country="US"))))
    as_read(onhand, services.sales_orders.ship_line_from(onhand, ShipLineFrom(plain.reference, 1, "NY")))
    mug = next(line for line in made.lines if line.sku == "MUG")
    picked = as_read(onhand, services.picking.confirm_pick(onhand, ConfirmPick(
        made.reference, picks=[PickConfirmation("MUG", mug.reservations[0].location, Decimal(1))])))
    as_read(onhand, services.shipping.pack_order(onhand, PackOrder(made.reference, packages=[
        PackageSpec(contents=((mug.line_no, Decimal(1)),), carrier="UPS", weight_kg=Decimal("0.5"))])))
    clock.advance(hours=1)
    shipped = as_read(onhand, services.shipping.ship_order(onhand, ShipOrder(made.reference)))
    assert shipped.shipments and shipped.packages and picked.lines
    as_read(onhand, services.shipping.ship_order(onhand, ShipOrder(plain.reference)))
    as_read(onhand, services.sales_orders.cancel_order(onhand, OrderAction(made.reference)))


def test_an_order_write_reads_neither_its_header_nor_its_status_back(onhand) -> None:
    add_place(onhand, "NY")
    add_item(onhand, "MUG")
    adjust(onhand, "NY", "MUG", 5)
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(onhand.engine, "before_cursor_execute", note)
    try:
        made = services.sales_orders.create_order(onhand, CreateOrder(lines=[NewOrderLine("MUG", 2)]))
        # A new order is numbered in the statement that checks the number is free, and
        # neither its header nor its lines are read back.
        assert not [s for s in seen if s.startswith("SELECT sales_order")], seen
        assert made.reference == "SO-000001" and len([s for s in seen if "reference" in s]) == 2  # insert, number
        seen.clear()
        allocated = services.sales_orders.allocate_order(onhand, OrderAction(made.reference))
        shipped = services.shipping.ship_order(onhand, ShipOrder(made.reference))
    finally:
        event.remove(onhand.engine, "before_cursor_execute", note)
    as_read(onhand, shipped)
    assert allocated.status == "allocated" and shipped.status == "shipped"
    headers = [s for s in seen if s.startswith("SELECT sales_orders.")]
    lines = [s for s in seen if s.startswith("SELECT sales_order_lines.")]
    # Per call the header once, under its lock, and neither its status nor it again after
    # the change; the lines once, before the change; the first shipment not read back.
    assert len(headers) == 2 and all("sales_orders.reference = " in s for s in headers), headers
    assert len(lines) == 2, lines
    assert not [s for s in seen if s.startswith("SELECT shipments.")], seen
    # The reservations once, by the shipment that takes them: the allocation's answer shows
    # the ones it made.
    assert len([s for s in seen if s.startswith("SELECT reservations.")]) == 1, seen


def test_an_allocation_answers_every_reservation_of_the_order(onhand, clock) -> None:
    # The reservations an allocation made are all the order holds only when it held none
    # before; when it held some (or one grew), the answer still shows every one as read.
    add_place(onhand, "NY")
    add_place(onhand, "LA")
    add_item(onhand, "TEA", tracking="lot")
    add_item(onhand, "MUG")
    today = clock.current.date()
    adjust(onhand, "NY", "TEA", 2, lot="NO-EXPIRY")
    adjust(onhand, "NY", "TEA", 1, lot="LATE", expiry_date=today + timedelta(days=300))
    adjust(onhand, "NY", "TEA", 1, lot="SOON", expiry_date=today + timedelta(days=30))
    adjust(onhand, "NY", "MUG", 1)
    # One line over three lots, one without an expiry: first-expiring first, it last.
    made = as_read(onhand, services.sales_orders.create_order(onhand, CreateOrder(
        lines=[NewOrderLine("TEA", 4, location="NY"), NewOrderLine("MUG", 3)], allocate=True)))
    assert [r.lot for r in made.lines[0].reservations] == ["SOON", "LATE", "NO-EXPIRY"]
    assert made.status == "backordered" and made.lines[1].reserved == 1
    # Stock for the backorder where the line already holds some: the reservation grows.
    adjust(onhand, "NY", "MUG", 1)
    grown = as_read(onhand, services.sales_orders.allocate_order(onhand, OrderAction(made.reference)))
    assert [(r.location, r.quantity) for r in grown.lines[1].reservations] == [("NY", 2)]
    # And at another place: a new reservation beside the one the line holds.
    adjust(onhand, "LA", "MUG", 1)
    both = as_read(onhand, services.sales_orders.allocate_order(onhand, OrderAction(made.reference)))
    assert sorted((r.location, r.quantity) for r in both.lines[1].reservations) == [("LA", 1), ("NY", 2)]
    assert both.status == "allocated"


def test_a_shipment_answers_the_order_as_read_back_first_and_later(onhand, clock) -> None:
    clock.current = clock.current.astimezone(timezone(timedelta(hours=5))).replace(microsecond=123456)
    add_place(onhand, "NY")
    add_item(onhand, "TEA", tracking="lot")
    add_item(onhand, "MUG")
    adjust(onhand, "NY", "TEA", 1, lot="A")
    adjust(onhand, "NY", "TEA", 2, lot="B")
    adjust(onhand, "NY", "MUG", 5)
    made = services.sales_orders.create_order(onhand, CreateOrder(
        lines=[NewOrderLine("MUG", 3), NewOrderLine("TEA", 3)], allocate=True))
    mug = made.lines[0]
    as_read(onhand, services.picking.confirm_pick(onhand, ConfirmPick(
        made.reference, picks=[PickConfirmation("MUG", mug.reservations[0].location, Decimal(2))])))
    # A first shipment of part: one MUG (of two picked) and the TEA of both lots.
    first = as_read(onhand, services.shipping.ship_order(onhand, ShipOrder(
        made.reference, lines=[ShipLine(1, Decimal(1)), ShipLine(2, Decimal(3))])))
    assert [(line.lot, line.quantity) for line in first.shipments[0].lines] == [(None, 1), ("A", 1), ("B", 2)]
    assert (first.lines[0].picked, first.lines[0].shipped, first.lines[0].reserved) == (1, 1, 2)
    clock.advance(minutes=5)
    later = as_read(onhand, services.shipping.ship_order(onhand, ShipOrder(made.reference)))  # what is picked
    assert len(later.shipments) == 2 and later.status == "partially_shipped"
    last = as_read(onhand, services.shipping.ship_order(onhand, ShipOrder(made.reference)))  # what is reserved
    assert len(last.shipments) == 3 and last.status == "shipped"

"""Property-based: random order life cycles keep the books and the promises consistent.

Given random sequences of creating, allocating, picking, shipping (partially),
cancelling and returning orders, mixed with stock arriving and being lost
(adjustments, counts, relocations), after every step:

- `verify` is ok: balances.reserved == sum of reservations, nothing oversold,
  conservation, projection == fold(ledger);
- reserved <= on hand at every guarded balance;
- on hand of every balance equals an independent model of the postings;
- per line, ordered >= shipped + reserved, and shipped / returned equal the model;
- reservations are only at sellable places, and only of the lot a line pinned;
- the status agrees with the lines, and a cancelled order holds nothing;
- each order service answers the order exactly as a read right after it gives it;
- right after stock arrives somewhere sellable, no waiting order is short of an item
  that still has free stock (backorders are served when stock arrives).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation, CreateLot
from onhand.domain.errors import Conflict, InsufficientStock, InvalidInput
from onhand.domain.ledger.commands import MoveStock, PostAdjustment, PostStockCount
from onhand.domain.orders.commands import (
    ConfirmPick,
    CreateOrder,
    OrderAction,
    PickConfirmation,
    ReceiveReturn,
    ReturnLine,
    ShipLine,
    ShipOrder,
)
from onhand.services.ledger.postings import StockLine
from onhand.services.orders.sales_orders import NewOrderLine
from tests.databases import BACKENDS, fresh_database
from tests.hypothesis_profiles import examples

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SELLABLE = ["A", "A1", "B"]
PLACES = [*SELLABLE, "Q"]  # Q is a quarantine: internal, guarded, not sellable
STOCK = [("W", None), ("T", "L1"), ("T", "L2")]
# Opening stock: some of everything at two sites, so orders are often split.
OPENING = [(place, stock) for place in ("A", "B") for stock in STOCK]
ACTIVE = {"open", "backordered", "allocated", "partially_shipped"}

LOTS = [None, "L1", "L2"]
index = st.integers(0, 7)
quantity = st.integers(1, 6).map(Decimal)


@st.composite
def order_lines(draw, *, same_item_twice):
    """One or two lines of different items (the T line may pin a lot), or with
    `same_item_twice` one to three lines of any item, pinned or not."""
    if same_item_twice:
        drawn = draw(st.lists(st.tuples(st.sampled_from(["W", "T"]), quantity, st.sampled_from(LOTS)), min_size=1,
                              max_size=3))
        return [(sku, qty, lot if sku == "T" else None) for sku, qty, lot in drawn]
    lines = []
    if draw(st.booleans()):
        lines.append(("W", draw(quantity), None))
    if not lines or draw(st.booleans()):
        lines.append(("T", draw(quantity), draw(st.sampled_from(LOTS))))
    return draw(st.permutations(lines))


# Kinds repeat to weigh them: life-cycle steps more often than bookkeeping.
KINDS = [
    "create", "create", "create", "allocate", "pick", "pick", "ship", "ship", "ship", "ship_all",
    "cancel", "return", "return", "adjust", "adjust", "count", "relocate",
]


@st.composite
def operation(draw, *, same_item_twice=False):
    kind = draw(st.sampled_from(KINDS))
    if kind == "create":
        return (kind, draw(order_lines(same_item_twice=same_item_twice)), draw(st.sampled_from([True, True, False])))
    if kind in {"allocate", "ship_all", "cancel"}:
        return (kind, draw(index))
    if kind == "pick":
        return (kind, draw(index), draw(index), draw(quantity), draw(st.integers(0, 3).map(lambda n: n == 0)))
    if kind == "ship":
        return (kind, draw(index), draw(index), draw(quantity))
    if kind == "return":
        return (kind, draw(index), draw(index), draw(quantity), draw(st.sampled_from(["A", "Q"])))
    stock = draw(st.sampled_from(STOCK))
    if kind == "adjust":
        return (kind, draw(st.sampled_from(PLACES)), stock, draw(quantity), draw(st.booleans()))
    if kind == "count":
        return (kind, draw(st.sampled_from(PLACES)), stock, draw(st.integers(0, 6).map(Decimal)))
    return (kind, draw(st.permutations(PLACES).map(lambda p: p[:2])), stock, draw(quantity))


def setup(onhand):
    services.items.create_item(onhand, CreateItem(sku="W", name="Widget"))
    services.items.create_item(onhand, CreateItem(sku="T", name="Tea", tracking="lot"))
    services.lots.create_lot(onhand, CreateLot(sku="T", code="L1", expiry_date="2027-01-01"))
    services.lots.create_lot(onhand, CreateLot(sku="T", code="L2", expiry_date="2027-06-01"))
    def make(onhand, **fields):
        return services.locations.create_location(onhand, CreateLocation(**fields))
    make(onhand, code="A", name="A", kind="warehouse")
    make(onhand, code="A1", name="A1", kind="bin", parent="A")
    make(onhand, code="B", name="B", kind="store")
    make(onhand, code="Q", name="Q", kind="warehouse", sellable=False)


class Model:
    """What the test expects, kept without asking the system how it computes it."""

    def __init__(self) -> None:
        self.on_hand: dict[tuple, Decimal] = defaultdict(Decimal)
        self.orders: list[str] = []
        self.shipped: dict[tuple, Decimal] = defaultdict(Decimal)  # (ref, line no) ->
        self.shipped_lot: dict[tuple, Decimal] = defaultdict(Decimal)  # (ref, line no, lot) ->
        self.returned: dict[tuple, Decimal] = defaultdict(Decimal)
        self.returned_lot: dict[tuple, Decimal] = defaultdict(Decimal)

    def order(self, number):
        return self.orders[number % len(self.orders)] if self.orders else None

    def shipment(self, ref, shipment):
        for line in shipment.lines:
            self.shipped[(ref, line.line_no)] += line.quantity
            self.shipped_lot[(ref, line.line_no, line.lot)] += line.quantity
            self.on_hand[(line.sku, line.location, line.lot)] -= line.quantity


def balances(onhand):
    report = services.stock.stock_levels(onhand, group_by="balance")
    return {(lv.sku, lv.location, lv.lot): lv for lv in report.levels}


def free_at(onhand, sku, place, lot):
    row = balances(onhand).get((sku, place, lot))
    return row.on_hand - row.reserved if row else Decimal(0)


def as_read(onhand, view):
    """A write's answer is the order as a read afterwards gives it, in the same form too
    (it is built from what the write's transaction holds, not read back)."""
    assert repr(view) == repr(services.sales_orders.get_order(onhand, view.reference))
    return view


def apply(onhand, model, op):
    kind = op[0]
    ref = model.order(op[1]) if kind in {"allocate", "pick", "ship", "ship_all", "cancel", "return"} else None
    if kind != "create" and ref is None and kind not in {"adjust", "count", "relocate"}:
        return None
    view = services.sales_orders.get_order(onhand, ref) if ref else None

    if kind == "create":
        made = as_read(onhand, services.sales_orders.create_order(
            onhand, CreateOrder(lines=[NewOrderLine(sku, qty, lot=lot) for sku, qty, lot in op[1]]),
        ))
        model.orders.append(made.reference)
        assert made.status == "open"
        if op[2]:
            assert as_read(onhand, services.sales_orders.allocate_order(onhand, OrderAction(
                made.reference,
            ))).status in {"allocated", "backordered"}
    elif kind == "allocate":
        if view.status not in ACTIVE:
            with pytest.raises(Conflict):
                services.sales_orders.allocate_order(onhand, OrderAction(ref))
        else:
            as_read(onhand, services.sales_orders.allocate_order(onhand, OrderAction(ref)))
    elif kind == "pick":
        _, _, line_pick, qty, other_lot = op
        left = [(ln, r) for ln in view.lines for r in ln.reservations if r.quantity > r.picked]
        if view.status not in ACTIVE or not left:
            return None
        line, reservation = left[line_pick % len(left)]
        lot = reservation.lot
        if other_lot and lot is not None:  # the picker scans the other lot
            lot = "L2" if lot == "L1" else "L1"
        amount = min(qty, reservation.quantity - reservation.picked)
        try:
            as_read(onhand, services.picking.confirm_pick(
                onhand, ConfirmPick(ref, picks=[PickConfirmation(line.sku, reservation.location, amount, lot)])
            ))
        except (Conflict, InvalidInput):
            assert lot != reservation.lot  # only a lot swap may be refused
    elif kind == "ship":
        _, _, line_pick, qty = op
        lines = [ln for ln in view.lines if ln.reserved > 0] or list(view.lines)
        line = lines[line_pick % len(lines)]
        if view.status not in ACTIVE or line.reserved == 0:
            with pytest.raises(Conflict):
                services.shipping.ship_order(onhand, ShipOrder(ref, lines=[ShipLine(line.line_no, qty)]))
            return None
        if qty > line.reserved:
            with pytest.raises(Conflict):
                services.shipping.ship_order(onhand, ShipOrder(ref, lines=[ShipLine(line.line_no, qty)]))
            qty = line.reserved
        after = as_read(onhand, services.shipping.ship_order(
            onhand, ShipOrder(ref, lines=[ShipLine(line.line_no, qty)])))
        model.shipment(ref, after.shipments[-1])
        assert sum(sl.quantity for sl in after.shipments[-1].lines) == qty
    elif kind == "ship_all":
        if view.status not in ACTIVE or all(ln.reserved == 0 for ln in view.lines):
            with pytest.raises(Conflict):
                services.shipping.ship_order(onhand, ShipOrder(ref))
            return None
        after = as_read(onhand, services.shipping.ship_order(onhand, ShipOrder(ref)))
        model.shipment(ref, after.shipments[-1])
    elif kind == "cancel":
        if view.status not in ACTIVE:
            with pytest.raises(Conflict):
                services.sales_orders.cancel_order(onhand, OrderAction(ref))
        else:
            assert as_read(onhand, services.sales_orders.cancel_order(onhand, OrderAction(ref))).status == "cancelled"
    elif kind == "return":
        _, _, line_pick, qty, place = op
        line = view.lines[line_pick % len(view.lines)]
        lots = [lot for (r, n, lot), q in model.shipped_lot.items() if (r, n) == (ref, line.line_no) and q > 0]
        if not lots:
            return None
        lot = lots[0]
        returnable = model.shipped_lot[(ref, line.line_no, lot)] - model.returned_lot[(ref, line.line_no, lot)]
        back = ReturnLine(line.line_no, qty, lot=lot)
        if qty > returnable:
            with pytest.raises(Conflict):
                services.returns.receive_return(onhand, ReceiveReturn(ref, location=place, lines=[back]))
            return None
        as_read(onhand, services.returns.receive_return(onhand, ReceiveReturn(ref, location=place, lines=[back])))
        model.returned[(ref, line.line_no)] += qty
        model.returned_lot[(ref, line.line_no, lot)] += qty
        model.on_hand[(line.sku, place, lot)] += qty
        return ("arrived", line.sku, place)
    elif kind == "adjust":
        _, place, (sku, lot), qty, found = op
        delta = qty if found else -qty
        call = lambda: services.adjustments.post_adjustment(  # noqa: E731
            onhand, PostAdjustment(location=place, lines=[StockLine(sku, delta, lot)], reason="correction")
        )
        if model.on_hand[(sku, place, lot)] + delta < 0:
            with pytest.raises(InsufficientStock):
                call()
            return None
        call()
        model.on_hand[(sku, place, lot)] += delta
        return ("arrived", sku, place) if found else None
    elif kind == "count":
        _, place, (sku, lot), counted = op
        before = model.on_hand[(sku, place, lot)]
        services.counts.post_stock_count(onhand, PostStockCount(location=place, lines=[StockLine(sku, counted, lot)]))
        model.on_hand[(sku, place, lot)] = counted
        return ("arrived", sku, place) if counted > before else None
    elif kind == "relocate":
        _, (source, destination), (sku, lot), qty = op
        call = lambda: services.relocations.move_stock(  # noqa: E731
            onhand, MoveStock(source=source, destination=destination, lines=[StockLine(sku, qty, lot)])
        )
        if free_at(onhand, sku, source, lot) < qty:
            with pytest.raises(InsufficientStock):
                call()
            return None
        call()
        model.on_hand[(sku, source, lot)] -= qty
        model.on_hand[(sku, destination, lot)] += qty
        return ("arrived", sku, destination)
    return None


def check(onhand, model, arrival):
    report = services.integrity.verify(onhand)
    assert report.ok, report
    rows = balances(onhand)
    assert {k: v.on_hand for k, v in rows.items() if v.on_hand} == {k: v for k, v in model.on_hand.items() if v}
    for key, row in rows.items():
        assert 0 <= row.reserved <= row.on_hand, key
    views = [services.sales_orders.get_order(onhand, ref) for ref in model.orders]
    for view in views:
        for line in view.lines:
            assert line.quantity >= line.shipped + line.reserved, (view.reference, line)
            assert line.shipped == model.shipped[(view.reference, line.line_no)]
            assert line.returned == model.returned[(view.reference, line.line_no)]
            assert line.picked <= line.reserved
            for reservation in line.reservations:  # only sellable places, only the pinned lot
                assert reservation.location in SELLABLE, (view.reference, reservation)
                assert line.lot is None or reservation.lot == line.lot, (view.reference, line)
        if view.status == "cancelled":
            assert all(ln.reserved == 0 for ln in view.lines)
        elif view.status == "shipped":
            assert all(ln.shipped == ln.quantity for ln in view.lines)
        elif view.status == "partially_shipped":
            assert any(ln.shipped for ln in view.lines) and any(ln.open for ln in view.lines)
        elif view.status == "allocated":
            assert all(ln.backordered == 0 for ln in view.lines) and not any(ln.shipped for ln in view.lines)
        elif view.status == "backordered":
            assert any(ln.backordered for ln in view.lines) and not any(ln.shipped for ln in view.lines)
        else:
            assert view.status == "open" and all(ln.reserved == 0 for ln in view.lines)
    if arrival is not None and arrival[2] in SELLABLE:
        _served_backorders(views, rows, sku=arrival[1])


def _served_backorders(views, rows, *, sku):
    """After stock of `sku` arrived somewhere sellable, no waiting order is short of free stock."""
    free: dict[str | None, Decimal] = defaultdict(Decimal)
    for (row_sku, place, lot), row in rows.items():
        if row_sku == sku and place in SELLABLE:
            free[lot] += row.on_hand - row.reserved
    for view in views:
        if view.status not in {"backordered", "partially_shipped"}:
            continue
        for line in view.lines:
            if line.sku != sku or line.backordered == 0:
                continue
            there = free[line.lot] if line.lot else sum(free.values(), Decimal(0))
            assert there == 0, (view.reference, line, dict(free))


def live(backend, opening, ops):
    with fresh_database(backend) as url:
        onhand = open_onhand(url, clock=lambda: NOW)
        try:
            setup(onhand)
            model = Model()
            for (place, stock), qty in zip(OPENING, opening, strict=True):
                if qty:
                    apply(onhand, model, ("adjust", place, stock, qty, True))
            for op in ops:
                arrival = apply(onhand, model, op)
                check(onhand, model, arrival)
        finally:
            onhand.close()


opening_stock = st.lists(st.integers(0, 5).map(Decimal), min_size=len(OPENING), max_size=len(OPENING))


@pytest.mark.parametrize("backend", BACKENDS)
@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(opening=opening_stock, ops=st.lists(operation(), min_size=5, max_size=30))
def test_random_order_life_cycles_keep_the_books_and_the_promises(backend, opening, ops):
    live(backend, opening, ops)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(opening=opening_stock, ops=st.lists(operation(same_item_twice=True), min_size=5, max_size=30))
def test_random_life_cycles_of_orders_with_several_lines_of_one_item_keep_the_books(backend, opening, ops):
    live(backend, opening, ops)

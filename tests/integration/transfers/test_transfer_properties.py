"""Property-based: any sequence of transfer shipments, receipts and write-offs, mixed
with adjustments, keeps the ledger's laws, and what each destination sees in transit is
exactly shipped − received − written off, computed here independently of the services.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation, CreateLot
from onhand.domain.errors import Conflict
from onhand.domain.ledger.commands import PostAdjustment
from onhand.domain.transfers.commands import CreateTransfer, ReceiveTransfer, ShipTransfer, WriteOffTransit
from onhand.services.ledger.postings import StockLine
from onhand.services.transfers.transfer_orders import NewTransferLine
from onhand.services.transfers.transit import TransferMoveLine
from tests.databases import BACKENDS, fresh_database
from tests.hypothesis_profiles import examples

SITES = ["A", "B"]
# Transfers made before the operations: (source, destination); line 1 is W (each),
# line 2 is T (kg, lot-tracked, lots L1 and L2), each ordered ORDERED.
TRANSFERS = [("A", "B"), ("A", "B"), ("B", "A")]
ORDERED = {"W": Decimal(30), "T": Decimal(20)}
LINES = {1: "W", 2: "T"}


def amount(sku: str):
    if sku == "W":
        return st.integers(1, 15).map(Decimal)
    return st.integers(1, 12_000).map(lambda n: Decimal(n) / 1000)


@st.composite
def operation(draw):
    kind = draw(st.sampled_from(["adjust", "ship", "ship", "receive", "receive", "write_off"]))
    line = draw(st.sampled_from([1, 2]))
    sku = LINES[line]
    lot = draw(st.sampled_from(["L1", "L2"])) if sku == "T" else None
    qty = draw(amount(sku))
    if kind == "adjust":
        sign = draw(st.sampled_from([1, 1, -1]))
        return ("adjust", draw(st.sampled_from(SITES)), sku, lot, sign * qty)
    return (kind, draw(st.integers(0, len(TRANSFERS) - 1)), line, lot, qty)


class Model:
    """Balances at the guarded places and each transfer's movements, kept by hand."""

    def __init__(self) -> None:
        self.stock: dict[tuple, Decimal] = defaultdict(Decimal)  # (sku, place, lot)
        self.moved: dict[tuple, Decimal] = defaultdict(Decimal)  # (kind, transfer, line, lot)

    def shipped_on_line(self, number: int, line: int) -> Decimal:
        return sum((q for (k, t, ln, _lot), q in self.moved.items() if (k, t, ln) == ("ship", number, line)),
                   Decimal(0))

    def in_transit(self, number: int, line: int, lot: str | None) -> Decimal:
        key = (number, line, lot)
        return self.moved[("ship", *key)] - self.moved[("receive", *key)] - self.moved[("write_off", *key)]

    def in_transit_to(self, destination: str, sku: str) -> Decimal:
        lots = [None] if sku == "W" else ["L1", "L2"]
        return sum(
            (self.in_transit(n, line, lot) for n, (_s, d) in enumerate(TRANSFERS) if d == destination
             for line, line_sku in LINES.items() if line_sku == sku for lot in lots),
            Decimal(0),
        )


def setup(onhand) -> list[str]:
    services.items.create_item(onhand, CreateItem(sku="W", name="Widget"))
    services.items.create_item(onhand, CreateItem(sku="T", name="Tea", unit="kg", tracking="lot"))
    for code in ("L1", "L2"):
        services.lots.create_lot(onhand, CreateLot(sku="T", code=code))
    for code, kind in (("A", "warehouse"), ("B", "store"), ("X", "transit")):
        services.locations.create_location(onhand, CreateLocation(code=code, name=code, kind=kind))
    return [
        services.transfer_orders.create_transfer(
            onhand, CreateTransfer(source=source, destination=destination,
            lines=[NewTransferLine("W", ORDERED["W"]), NewTransferLine("T", ORDERED["T"])]),
        ).reference
        for source, destination in TRANSFERS
    ]


def apply(onhand, model: Model, references: list[str], op) -> None:
    """Run `op` and mirror it in `model`; a refused one must leave everything unchanged."""
    if op[0] == "adjust":
        _, place, sku, lot, qty = op
        refused = model.stock[(sku, place, lot)] + qty < 0
        call = lambda: services.adjustments.post_adjustment(  # noqa: E731
            onhand, PostAdjustment(location=place, lines=[StockLine(sku, qty, lot)], reason="correction")
        )
        changes = {(sku, place, lot): qty}
    else:
        kind, number, line, lot, qty = op
        sku, (source, destination) = LINES[line], TRANSFERS[number]
        ask = [TransferMoveLine(line, qty, lot)]
        reference = references[number]
        if kind == "ship":
            left = ORDERED[sku] - model.shipped_on_line(number, line)
            refused = qty > left or qty > model.stock[(sku, source, lot)]
            changes = {(sku, source, lot): -qty, (sku, "X", lot): qty}
            call = lambda: services.transit.ship_transfer(onhand, ShipTransfer(reference, lines=ask))  # noqa: E731
        else:
            refused = qty > model.in_transit(number, line, lot)
            changes = {(sku, "X", lot): -qty}
            if kind == "receive":
                changes[(sku, destination, lot)] = qty
                call = lambda: services.transit.receive_transfer(onhand, ReceiveTransfer(reference, lines=ask))  # noqa: E731
            else:
                call = lambda: services.transit.write_off_transit(onhand, WriteOffTransit(reference, lines=ask))  # noqa: E731
    if refused:
        with pytest.raises(Conflict):
            call()
        return
    call()
    for key, delta in changes.items():
        model.stock[key] += delta
    if op[0] != "adjust":
        model.moved[(op[0], number, line, lot)] += qty


def balances(onhand):
    report = services.stock.stock_levels(onhand, group_by="balance")
    return {(lv.sku, lv.location, lv.lot): lv.on_hand for lv in report.levels if lv.on_hand}


def in_transit_to(onhand, destination: str, sku: str) -> Decimal:
    levels = services.stock.stock_levels(onhand, sku=sku, location=destination).levels
    return sum((lv.in_transit for lv in levels), Decimal(0))


@pytest.mark.parametrize("backend", BACKENDS)
@settings(
    max_examples=examples(20),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(ops=st.lists(operation(), min_size=1, max_size=25))
def test_random_transfers_keep_the_ledger_laws_and_the_in_transit_figures(backend, ops):
    with fresh_database(backend) as url:
        onhand = open_onhand(url)
        try:
            references = setup(onhand)
            model = Model()
            for op in ops:
                apply(onhand, model, references, op)
            assert balances(onhand) == {k: v for k, v in model.stock.items() if v}
            assert all(v >= 0 for v in model.stock.values())
            for destination in SITES:
                for sku in LINES.values():
                    assert in_transit_to(onhand, destination, sku) == model.in_transit_to(destination, sku)
            report = services.integrity.verify(onhand)
            assert report.ok, report
        finally:
            onhand.close()

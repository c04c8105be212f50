"""Property-based: relocations posted together (`move_stocks`, a server's group of one key's
requests) are each what they would have been posted alone, one after the other.

Random groups of relocations (between guarded places and one that may go negative, of a plain
and a lot-tracked item, some of reserved stock, with idempotency keys some of which repeat or
were used before) go through `move_stocks` on one database.
The postings it made, replayed alone in the order of their ids on a second database set
up the same way, are all accepted and leave the same balances, the same values for every
move and the same valuation; and every request refused was refused for a reason of its own.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation, CreateLot
from onhand.domain.errors import IdempotencyConflict, InsufficientStock, InvalidInput
from onhand.domain.ledger.commands import MoveStock, PostAdjustment
from onhand.domain.orders.commands import CreateOrder, NewOrderLine, OrderAction
from onhand.domain.valuation.commands import SetCompanyCostingMethod
from onhand.services.ledger.postings import StockLine
from tests.databases import BACKENDS, fresh_database
from tests.hypothesis_profiles import examples

PLACES = ["A", "B", "N"]  # N may go negative
KEYS = [*[None] * 6, "k1", "k2", "k3"]  # mostly none: a key given twice goes alone


@st.composite
def request(draw):
    sku = draw(st.sampled_from(["W", "W", "W", "T"]))  # mostly W: of one balance, some going together
    lot = draw(st.sampled_from(["L1", "L2"])) if sku == "T" else None
    source = draw(st.sampled_from(["A", "A", *PLACES]))
    destination = draw(st.sampled_from([place for place in PLACES if place != source] * 3 + [source]))
    line = StockLine(sku, Decimal(draw(st.integers(1, 7))), lot)
    return MoveStock(source=source, destination=destination, lines=(line,)), draw(st.sampled_from(KEYS))


def setup(onhand, method: str) -> None:
    services.costing.set_company_costing_method(onhand, SetCompanyCostingMethod(method=method))
    services.items.create_item(onhand, CreateItem(sku="W", name="Widget"))
    services.items.create_item(onhand, CreateItem(sku="T", name="Tea", tracking="lot"))
    for code in ("L1", "L2"):
        services.lots.create_lot(onhand, CreateLot(sku="T", code=code))
    services.locations.create_location(onhand, CreateLocation(code="A", name="A", kind="warehouse"))
    services.locations.create_location(onhand, CreateLocation(code="B", name="B", kind="store"))
    services.locations.create_location(onhand, CreateLocation(code="N", name="N", kind="store", allow_negative=True))
    for place in ("A", "B"):
        services.adjustments.post_adjustment(onhand, PostAdjustment(location=place, reason="found", lines=[
            StockLine("W", Decimal(5), unit_cost=Decimal("2.50")),
            StockLine("T", Decimal(4), "L1", unit_cost=Decimal(3)),
        ]))
    # Some of A's W reserved: not to be moved, together or alone.
    order = services.sales_orders.create_order(onhand, CreateOrder(lines=[NewOrderLine("W", Decimal(2), location="A")]))
    services.sales_orders.allocate_order(onhand, OrderAction(order.reference))
    # A key used before the group: a request repeating it is answered with this posting.
    services.relocations.move_stock(onhand, MoveStock(
        source="A", destination="B", lines=(StockLine("W", Decimal(1)),)), idempotency_key="k3")


def state(onhand, posting_ids: list[int]) -> tuple:
    """Balances, every posting's move values (in order), and the valuation by location."""
    balances = {(lv.sku, lv.location, lv.lot): lv.on_hand
                for lv in services.stock.stock_levels(onhand, group_by="balance").levels if lv.on_hand}
    values = [[(v.sku, v.role, v.value, v.variance) for v in services.valuation_reports.move_values(onhand, p).moves]
              for p in posting_ids]
    report = services.valuation_reports.valuation_report(onhand, group_by="location")
    lines = sorted((ln.sku, ln.location, ln.quantity, ln.value) for ln in report.lines)
    return balances, values, lines, report.total_value


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(method=st.sampled_from(["fifo", "lifo", "moving_average"]),
       requests=st.lists(request(), min_size=2, max_size=12))
def test_relocations_posted_together_are_each_as_if_posted_alone_in_turn(backend, method, requests):
    with fresh_database(backend) as together_url, fresh_database(backend) as alone_url:
        together, alone = open_onhand(together_url), open_onhand(alone_url)
        try:
            setup(together, method)
            setup(alone, method)
            outcomes = services.relocations.move_stocks(together, requests)

            made: dict[int, int] = {}  # posting id → the request that made it (the first with it)
            for index, (ok, value) in enumerate(outcomes):
                if ok:
                    made.setdefault(value.id, index)
                else:  # refused for a reason of its own
                    assert isinstance(value, InsufficientStock | IdempotencyConflict | InvalidInput), value
            ordered = sorted(made)  # (a repeat of "k3" is answered with the setup's posting, first)
            replayed = []
            for posting_id in ordered:
                command, key = requests[made[posting_id]]
                replayed.append(services.relocations.move_stock(alone, command, idempotency_key=key).id)
            assert state(together, ordered) == state(alone, replayed)
            assert services.integrity.verify(together).ok
        finally:
            together.close()
            alone.close()

"""What the property tests of requests posted together share (adjustments, relocations): the
stock they start from, and the check that what a group posted, replayed alone and in the order
of its postings on a second database set up the same way, leaves the same books."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from onhand import services
from onhand.bootstrap import Onhand, open_onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation, CreateLot
from onhand.domain.ledger.commands import PostAdjustment
from onhand.domain.valuation.commands import SetCompanyCostingMethod
from onhand.services.ledger.postings import StockLine
from tests.databases import fresh_database

PLACES = ["A", "B", "N"]  # N may go negative
KEYS = [*[None] * 6, "k1", "k2", "k3"]  # mostly none: a key given twice goes alone


def stock(onhand: Onhand, method: str) -> None:
    """W (plain) and T (lots L1, L2) at A (a warehouse), B (a store) and N (may go negative)."""
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


def state(onhand: Onhand, posting_ids: list[int]) -> tuple:
    """Balances, every posting's move values (in order), and the valuation by location."""
    balances = {(lv.sku, lv.location, lv.lot): lv.on_hand
                for lv in services.stock.stock_levels(onhand, group_by="balance").levels if lv.on_hand}
    values = [[(v.sku, v.role, v.value, v.variance) for v in services.valuation_reports.move_values(onhand, p).moves]
              for p in posting_ids]
    report = services.valuation_reports.valuation_report(onhand, group_by="location")
    lines = sorted((ln.sku, ln.location, ln.quantity, ln.value) for ln in report.lines)
    return balances, values, lines, report.total_value


def check_each_as_if_alone(
    backend: str, setup: Callable[[Onhand], None], requests: Sequence[tuple[Any, str | None]],
    together: Callable[[Onhand, Sequence[tuple[Any, str | None]]], list[tuple[bool, Any]]],
    alone: Callable[..., Any], refusals: tuple[type[Exception], ...],
) -> None:
    """`together` of the requests on one database; every request refused for one of `refusals`
    (a reason of its own), and the postings it made, replayed `alone` in the order of their ids
    on a second database, all accepted and leaving the same books."""
    with fresh_database(backend) as together_url, fresh_database(backend) as alone_url:
        first, second = open_onhand(together_url), open_onhand(alone_url)
        try:
            setup(first)
            setup(second)
            outcomes = together(first, requests)

            made: dict[int, int] = {}  # posting id → the request that made it (the first with it)
            for index, (ok, value) in enumerate(outcomes):
                if ok:
                    made.setdefault(value.id, index)
                else:
                    assert isinstance(value, refusals), value
            ordered = sorted(made)  # (a repeat of a key used in the setup is answered with its posting, first)
            replayed = []
            for posting_id in ordered:
                command, key = requests[made[posting_id]]
                replayed.append(alone(second, command, idempotency_key=key).id)
            assert state(first, ordered) == state(second, replayed)
            assert services.integrity.verify(first).ok
        finally:
            first.close()
            second.close()

"""Relocations posted together (`move_stocks`, a server's group of one key's requests): each
request gets the outcome it would have had alone, and leaves the same records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event

from onhand import services
from onhand.domain.errors import InsufficientStock, InvalidInput, NotFound
from onhand.domain.ledger.commands import MoveStock
from onhand.services.ledger.postings import StockLine
from tests.integration.helpers import add_item, add_place, adjust, allocated, counted_calls, level


@pytest.fixture
def stocked(onhand):
    for sku in ("TEA", "MUG"):
        add_item(onhand, sku)
    add_item(onhand, "HONEY", tracking="lot")
    for code in ("NY", "LA", "SF"):
        add_place(onhand, code)
    for sku in ("TEA", "MUG"):
        adjust(onhand, "NY", sku, 10)
    adjust(onhand, "NY", "HONEY", 4, lot="L1")
    return onhand


def moved(source: str, destination: str, sku: str, quantity: int | str, lot: str | None = None,
          **fields: Any) -> MoveStock:
    return MoveStock(source=source, destination=destination, lines=(StockLine(sku, Decimal(quantity), lot),),
                     **fields)


@pytest.fixture
def alone_calls(monkeypatch):
    """A mark for each relocation posted alone (`move_stock`) from then on."""
    from onhand.services.ledger import relocations

    return counted_calls(monkeypatch, relocations, "move_stock")


def test_those_that_can_go_together_are_posted_in_one_transaction_each_its_own_posting(stocked, alone_calls):
    commits: list[int] = []
    event.listen(stocked.engine, "commit", lambda _conn: commits.append(1))
    requests = [(moved("NY", "LA", "TEA", 2), "a"), (moved("NY", "SF", "TEA", 3), None),
                (moved("NY", "LA", "MUG", 1, reference="R-1"), "c")]

    outcomes = services.relocations.move_stocks(stocked, requests)

    assert [ok for ok, _view in outcomes] == [True] * 3
    assert alone_calls == []
    assert len(commits) == 1
    views = [view for _ok, view in outcomes]
    assert len({view.id for view in views}) == 3
    assert [(m.sku, m.from_location, m.to_location, m.quantity) for view in views for m in view.moves] == [
        ("TEA", "NY", "LA", 2), ("TEA", "NY", "SF", 3), ("MUG", "NY", "LA", 1)]
    assert views[2].reference == "R-1" and {view.kind for view in views} == {"relocation"}
    assert [level(stocked, "TEA", place)[0] for place in ("NY", "LA", "SF")] == [5, 2, 3]
    entries = services.audit.list_audit(stocked, object_type="posting").entries
    assert {entry.action for entry in entries if int(entry.object.key) in {view.id for view in views}} == {
        "move_stock"}
    # Each key was recorded: a repeat alone answers with the same posting, and moves nothing.
    again = services.relocations.move_stock(stocked, moved("NY", "LA", "TEA", 2), idempotency_key="a")
    assert again.id == views[0].id
    assert level(stocked, "TEA", "NY")[0] == 5
    assert services.integrity.verify(stocked).ok


def test_one_moving_a_balance_the_other_way_goes_alone_after_the_others(stocked, alone_calls):
    requests = [(moved("NY", "LA", "TEA", 4), None), (moved("LA", "SF", "TEA", 1), None),
                (moved("NY", "SF", "MUG", 1), None)]

    outcomes = services.relocations.move_stocks(stocked, requests)

    assert [ok for ok, _view in outcomes] == [True] * 3
    assert alone_calls == [1]  # TEA at LA rises by the first and falls by the second
    ids = [view.id for _ok, view in outcomes]
    assert ids[1] > ids[2] > ids[0]
    assert [level(stocked, "TEA", place)[0] for place in ("NY", "LA", "SF")] == [6, 3, 1]
    assert services.integrity.verify(stocked).ok


def test_a_refused_request_gets_its_own_error_and_the_others_are_posted(stocked):
    requests = [(moved("NY", "LA", "TEA", 1), "a"), (moved("NY", "LA", "NOPE", 1), "b"),
                (moved("NY", "NY", "MUG", 1), "c"), (moved("NY", "LA", "MUG", 0), None),
                (moved("NY", "LA", "MUG", 11), None), (moved("NY", "SF", "MUG", 2), "d")]

    outcomes = services.relocations.move_stocks(stocked, requests)

    assert [ok for ok, _value in outcomes] == [True, False, False, False, False, True]
    assert isinstance(outcomes[1][1], NotFound) and outcomes[1][1].field == "lines[0].sku"
    assert isinstance(outcomes[2][1], InvalidInput) and outcomes[2][1].field == "destination"
    assert isinstance(outcomes[3][1], InvalidInput) and outcomes[3][1].field == "lines[0].quantity"
    assert isinstance(outcomes[4][1], InsufficientStock)
    assert level(stocked, "TEA", "LA")[0] == 1 and level(stocked, "MUG", "SF")[0] == 2
    # A refused request recorded nothing under its key: the same key may move something else.
    assert services.relocations.move_stock(stocked, moved("NY", "LA", "MUG", 1), idempotency_key="b").id


def test_when_their_sum_is_refused_each_is_posted_alone_in_turn(stocked, alone_calls):
    requests = [(moved("NY", "LA", "TEA", 6), None), (moved("NY", "SF", "TEA", 6), None),
                (moved("NY", "LA", "MUG", 1), None)]

    outcomes = services.relocations.move_stocks(stocked, requests)

    assert [ok for ok, _value in outcomes] == [True, False, True]
    assert isinstance(outcomes[1][1], InsufficientStock)
    assert alone_calls == [1, 1, 1]  # the one transaction of all three kept nothing
    assert [level(stocked, "TEA", place)[0] for place in ("NY", "LA", "SF")] == [4, 6, 0]
    assert services.integrity.verify(stocked).ok


def test_reserved_stock_is_not_moved_together_either(stocked):
    allocated(stocked, ("TEA", 7))  # 3 of NY's 10 free
    requests = [(moved("NY", "LA", "TEA", 2), None), (moved("NY", "SF", "TEA", 2), None)]

    outcomes = services.relocations.move_stocks(stocked, requests)

    assert [ok for ok, _value in outcomes] == [True, False]
    assert isinstance(outcomes[1][1], InsufficientStock)
    assert level(stocked, "TEA", "NY") == (Decimal(8), Decimal(7), Decimal(1))


def test_lots_are_moved_alone(stocked, alone_calls):
    requests = [(moved("NY", "LA", "HONEY", 3, lot="L1"), None), (moved("NY", "LA", "TEA", 1), None),
                (moved("NY", "LA", "MUG", 1), None)]

    outcomes = services.relocations.move_stocks(stocked, requests)

    assert [ok for ok, _value in outcomes] == [True] * 3
    assert alone_calls == [1]
    assert level(stocked, "HONEY", "LA", lot="L1")[0] == 3
    assert services.integrity.verify(stocked).ok

"""Adjustments posted together (`post_adjustments`, a server's group of one key's requests):
each request gets the outcome it would have had alone, and leaves the same records."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event

from onhand import services
from onhand.domain.errors import IdempotencyConflict, InsufficientStock, InvalidInput, NotFound
from onhand.domain.ledger.commands import PostAdjustment
from onhand.services.ledger.postings import StockLine
from tests.integration.helpers import add_item, add_place, adjust, counted_calls, level


@pytest.fixture
def stocked(onhand):
    for sku in ("TEA", "MUG", "CUP"):
        add_item(onhand, sku)
    add_item(onhand, "HONEY", tracking="lot")
    add_place(onhand, "NY")
    add_place(onhand, "LA")
    for sku in ("TEA", "MUG", "CUP"):
        adjust(onhand, "NY", sku, 10)
    return onhand


def found(location: str, sku: str, quantity: int | str, **fields: Any) -> PostAdjustment:
    amount = Decimal(quantity)
    return PostAdjustment(location=location, lines=[StockLine(sku, amount)], reason="found" if amount > 0 else "lost",
                          **fields)


@pytest.fixture
def alone_calls(monkeypatch):
    """A mark for each adjustment posted alone (`post_adjustment`) from then on."""
    from onhand.services.ledger import adjustments

    return counted_calls(monkeypatch, adjustments, "post_adjustment")


def test_those_that_can_go_together_are_posted_in_one_transaction_each_its_own_posting(stocked, alone_calls):
    commits: list[int] = []
    event.listen(stocked.engine, "commit", lambda _conn: commits.append(1))
    requests = [(found("NY", "TEA", 2), "a"), (found("NY", "MUG", -3), "b"), (found("LA", "TEA", 4), None),
                (found("NY", "CUP", 1), "d")]

    outcomes = services.adjustments.post_adjustments(stocked, requests)

    assert [ok for ok, _view in outcomes] == [True] * 4
    assert alone_calls == []
    assert len(commits) == 1
    views = [view for _ok, view in outcomes]
    assert len({view.id for view in views}) == 4
    assert [(view.moves[0].sku, view.moves[0].quantity) for view in views] == [
        ("TEA", 2), ("MUG", 3), ("TEA", 4), ("CUP", 1)]
    assert level(stocked, "TEA", "NY")[0] == 12 and level(stocked, "MUG", "NY")[0] == 7
    assert level(stocked, "TEA", "LA")[0] == 4
    entries = services.audit.list_audit(stocked, object_type="posting").entries
    audit = {int(entry.object.key): entry for entry in entries}
    assert {audit[view.id].action for view in views} == {"post_adjustment"}
    assert audit[views[1].id].after["reason"] == "lost"
    assert audit[views[1].id].after["lines"][0]["sku"] == "MUG"
    assert {audit[view.id].actor for view in views} == {stocked.actor}
    # Each key was recorded: a repeat alone answers with the same posting, and writes nothing.
    again = services.adjustments.post_adjustment(stocked, found("NY", "MUG", -3), idempotency_key="b")
    assert again.id == views[1].id
    assert level(stocked, "MUG", "NY")[0] == 7
    assert services.integrity.verify(stocked).ok


def test_one_moving_a_balance_the_other_way_goes_alone_after_the_others(stocked, alone_calls):
    requests = [(found("NY", "TEA", 2), None), (found("NY", "TEA", -5), None), (found("NY", "MUG", -1), None)]

    outcomes = services.adjustments.post_adjustments(stocked, requests)

    assert [ok for ok, _view in outcomes] == [True] * 3
    assert alone_calls == [1]
    ids = [view.id for _ok, view in outcomes]
    assert ids[1] > ids[2] > ids[0]  # the third went with the first; the second after them
    assert level(stocked, "TEA", "NY")[0] == 7
    assert services.integrity.verify(stocked).ok


def test_a_refused_request_gets_its_own_error_and_the_others_are_posted(stocked):
    requests = [(found("NY", "TEA", 1), "a"), (found("NY", "NOPE", 1), "b"), (found("NY", "MUG", 0), "c"),
                (found("NY", "CUP", -2), "d")]

    outcomes = services.adjustments.post_adjustments(stocked, requests)

    assert [ok for ok, _value in outcomes] == [True, False, False, True]
    assert isinstance(outcomes[1][1], NotFound) and outcomes[1][1].field == "lines[0].sku"
    assert isinstance(outcomes[2][1], InvalidInput) and outcomes[2][1].field == "lines[0].quantity"
    assert level(stocked, "TEA", "NY")[0] == 11 and level(stocked, "CUP", "NY")[0] == 8
    # A refused request recorded nothing under its key: the same key may post another.
    assert services.adjustments.post_adjustment(stocked, found("NY", "MUG", 1), idempotency_key="b").id


def test_when_their_sum_is_refused_each_is_posted_alone_in_turn(stocked, alone_calls):
    requests = [(found("NY", "TEA", -6), None), (found("NY", "TEA", -6), None), (found("NY", "MUG", 1), None)]

    outcomes = services.adjustments.post_adjustments(stocked, requests)

    assert [ok for ok, _value in outcomes] == [True, False, True]
    assert isinstance(outcomes[1][1], InsufficientStock)
    assert alone_calls == [1, 1, 1]  # the one transaction of all three kept nothing
    assert level(stocked, "TEA", "NY")[0] == 4 and level(stocked, "MUG", "NY")[0] == 11
    assert services.integrity.verify(stocked).ok


def test_keys_used_before_or_given_twice_are_answered_as_repeats(stocked):
    first = services.adjustments.post_adjustment(stocked, found("NY", "TEA", 1), idempotency_key="seen")
    requests = [(found("NY", "TEA", 1), "seen"), (found("NY", "MUG", 2), "twice"), (found("NY", "MUG", 2), "twice"),
                (found("NY", "CUP", 2), "seen-other"), (found("NY", "CUP", 3), "seen")]

    outcomes = services.adjustments.post_adjustments(stocked, requests)

    assert outcomes[0] == (True, services.postings.get_posting(stocked, first.id))
    assert outcomes[1][0] and outcomes[2][0] and outcomes[1][1].id == outcomes[2][1].id
    assert outcomes[3][0]
    assert not outcomes[4][0] and isinstance(outcomes[4][1], IdempotencyConflict)
    assert level(stocked, "TEA", "NY")[0] == 11
    assert level(stocked, "MUG", "NY")[0] == 12
    assert level(stocked, "CUP", "NY")[0] == 12


def test_lots_and_backdated_ones_are_posted_alone(stocked, alone_calls, clock):
    earlier = clock() - timedelta(hours=1)
    requests = [(PostAdjustment(location="NY", lines=[StockLine("HONEY", Decimal(5), "L1")], reason="found"), None),
                (found("NY", "TEA", 1, effective_at=earlier), None), (found("NY", "MUG", 1), None),
                (found("NY", "CUP", 1), None)]

    outcomes = services.adjustments.post_adjustments(stocked, requests)

    assert [ok for ok, _value in outcomes] == [True] * 4
    assert alone_calls == [1, 1]
    assert outcomes[1][1].effective_at == earlier
    assert level(stocked, "HONEY", "NY", lot="L1")[0] == 5
    assert services.integrity.verify(stocked).ok


def test_a_fault_in_posting_them_together_is_logged_and_each_is_posted_alone(stocked, alone_calls, monkeypatch,
                                                                             caplog):
    from onhand.services.ledger import together

    def fault(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("a fault of the code")

    monkeypatch.setattr(together, "post_many", fault)  # the joint posting only; alone posts as ever
    requests = [(found("NY", "TEA", 1), None), (found("NY", "MUG", 1), None)]

    with caplog.at_level("WARNING", logger="onhand.services.context"):
        outcomes = services.adjustments.post_adjustments(stocked, requests)

    assert [ok for ok, _view in outcomes] == [True, True] and alone_calls == [1, 1]
    assert "post_adjustment: the writes run together failed; each is run alone" in caplog.text
    assert "a fault of the code" in caplog.text
    assert level(stocked, "TEA", "NY")[0] == 11 and level(stocked, "MUG", "NY")[0] == 11


def test_a_group_reads_its_items_reasons_and_balances_set_wise(stocked):
    """One statement for the group's items, one per reason, one for what reservations
    exceed, two for the balances."""
    for sku in ("JUG", "POT", "PAN"):
        add_item(stocked, sku)
        adjust(stocked, "NY", sku, 10)
    statements: list[str] = []
    event.listen(stocked.engine, "before_cursor_execute",
                 lambda _conn, _cursor, sql, *_rest: statements.append(" ".join(sql.split())))
    requests = [(found("NY", sku, quantity), None)
                for sku, quantity in (("TEA", 1), ("MUG", -1), ("CUP", 2), ("JUG", -2), ("POT", 1), ("PAN", -1))]

    outcomes = services.adjustments.post_adjustments(stocked, requests)

    assert [ok for ok, _view in outcomes] == [True] * 6

    def count(start: str) -> int:
        return sum(1 for sql in statements if sql.startswith(start))
    assert count("SELECT items.id, items.sku") == 1
    assert count("SELECT reason_codes.code") == 2  # found, lost
    assert count("SELECT balances.item_id, balances.location_id, balances.lot_key, balances.on_hand") == 1
    balance_writes = count("INSERT INTO balances") + count("UPDATE balances")
    assert balance_writes == 2
    # PostgreSQL first locks the rows in the one order of every posting; SQLite locks none.
    locked = [sql for sql in statements if sql.startswith("SELECT balances.item_id FROM balances")]
    assert len(locked) == (0 if stocked.engine.dialect.name == "sqlite" else 1)
    assert all(sql.endswith("FOR NO KEY UPDATE") for sql in locked)
    assert [level(stocked, sku, "NY")[0] for sku in ("TEA", "MUG", "CUP", "JUG", "POT", "PAN")] == [
        11, 9, 12, 8, 11, 9]


def test_posted_together_behind_the_items_newest_move_they_are_valued_in_its_history(stocked, alone_calls, clock):
    """Another server's clock a little ahead (or its transaction committed between this one's
    clock and its lock) puts the items' newest valued move after these: valued one posting at a
    time in the items' history, where a later posting's moves, written but not yet valued,
    are valued in their own turn."""
    clock.advance(minutes=5)
    adjust(stocked, "NY", "TEA", 1)  # the newest valued move of TEA, five minutes ahead
    clock.advance(minutes=-5)
    requests = [(found("NY", "TEA", 2), "a"), (found("NY", "TEA", 3), "b"), (found("NY", "MUG", 1), "c")]

    outcomes = services.adjustments.post_adjustments(stocked, requests)

    assert [ok for ok, _view in outcomes] == [True] * 3
    assert alone_calls == [1]  # the newest move's; these together, not each alone after a fault
    assert level(stocked, "TEA", "NY")[0] == 16
    assert services.integrity.verify(stocked).ok
    for _ok, view in outcomes:  # every move valued, in the pools as in the ledger
        assert [move.quantity for move in services.valuation_reports.move_values(stocked, view.id).moves] == [
            move.quantity for move in view.moves]
    tea = [line for line in services.valuation_reports.valuation_report(stocked).lines if line.sku == "TEA"]
    assert sum(line.quantity for line in tea) == 16

"""Cycle counts: ABC classes by value shipped, the plan of what is due, and count sessions
(frozen book, blind counting, review with moves since the freeze, posting, cancelling)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.errors import Conflict, InvalidInput, NotFound
from onhand.domain.planning.commands import CancelCountSession, OpenCountSession, PostCountSession, RecordCount
from tests.integration.helpers import add_item, add_place, adjust, assert_books_balance, at, move_count
from tests.integration.orders.test_order_concurrency import race
from tests.integration.planning.helpers import sell

TODAY = date(2026, 3, 2)


def stocked(onhand, clock):
    """NY with bin NY-A1; TOP (cost 10), MID and LOW (cost 1) in the bin, IDLE never sold;
    stocked ten days ago (before the sales)."""
    was = clock.current
    clock.current -= timedelta(days=10)
    add_place(onhand, "NY")
    add_place(onhand, "NY-A1", kind="bin", parent="NY")
    for sku in ("TOP", "MID", "LOW", "IDLE"):
        add_item(onhand, sku)
    adjust(onhand, "NY-A1", "TOP", 100, unit_cost=Decimal(10))
    for sku in ("MID", "LOW", "IDLE"):
        adjust(onhand, "NY-A1", sku, 200, unit_cost=Decimal(1))
    clock.current = was


def sold(onhand, clock):
    yesterday = TODAY - timedelta(days=1)
    sell(onhand, clock, "NY-A1", "TOP", 80, yesterday)  # 800
    sell(onhand, clock, "NY-A1", "MID", 150, yesterday)  # 150
    sell(onhand, clock, "NY-A1", "LOW", 50, yesterday)  # 50


def count(onhand, session_id, sku, quantity, lot=None):
    return services.cycle_counts.record_count(onhand, RecordCount(session_id, sku, Decimal(quantity), lot=lot))


def test_abc_classes_items_by_cost_value_shipped_with_the_figures(onhand, clock):
    stocked(onhand, clock)
    sold(onhand, clock)

    rows = services.cycle_counts.abc_classes(onhand)

    assert [(r.sku, r.value, r.share, r.cumulative, r.abc_class) for r in rows] == [
        ("TOP", Decimal(800), Decimal(80), Decimal(80), "A"),
        ("MID", Decimal(150), Decimal(15), Decimal(95), "B"),
        ("LOW", Decimal(50), Decimal(5), Decimal(100), "C"),
        ("IDLE", Decimal(0), Decimal(0), Decimal(100), "C"),
    ]
    # Thresholds move the lines; a window that misses the sales leaves everything C.
    assert [r.abc_class for r in services.cycle_counts.abc_classes(
        onhand, a_percent=Decimal(50), b_percent=Decimal(46))] == ["A", "B", "B", "C"]
    clock.current += timedelta(days=3)
    assert {r.abc_class for r in services.cycle_counts.abc_classes(onhand, window_days=1)} == {"C"}
    with pytest.raises(InvalidInput) as refused:
        services.cycle_counts.abc_classes(onhand, a_percent=Decimal(90), b_percent=Decimal(20))
    assert refused.value.field == "b_percent"


def test_the_plan_lists_pairs_never_counted_then_each_class_again_after_its_interval(onhand, clock):
    stocked(onhand, clock)
    sold(onhand, clock)
    plan = services.cycle_counts.count_plan(onhand, site_code="NY")
    assert [(d.sku, d.location, d.abc_class, d.last_counted) for d in plan] == [
        ("TOP", "NY-A1", "A", None), ("MID", "NY-A1", "B", None),
        ("IDLE", "NY-A1", "C", None), ("LOW", "NY-A1", "C", None),
    ]

    session = services.cycle_counts.open_session(onhand, OpenCountSession("NY-A1"))
    for sku, quantity in (("TOP", 20), ("MID", 50), ("LOW", 150), ("IDLE", 200)):
        count(onhand, session.id, sku, quantity)
    moves_before = move_count(onhand)
    services.cycle_counts.post_session(onhand, PostCountSession(session.id))

    assert move_count(onhand) == moves_before  # every count agreed: no moves, yet counted
    assert services.cycle_counts.count_plan(onhand, site_code="NY") == []
    clock.current += timedelta(days=30)
    assert [d.sku for d in services.cycle_counts.count_plan(onhand, site_code="NY")] == ["TOP"]
    assert [d.sku for d in services.cycle_counts.count_plan(
        onhand, site_code="NY", intervals={"A": 60, "B": 20})] == ["MID"]
    with pytest.raises(InvalidInput) as refused:
        services.cycle_counts.count_plan(onhand, site_code="NY", intervals={"A": 0})
    assert refused.value.field == "a_days"
    with pytest.raises(InvalidInput):
        services.cycle_counts.count_plan(onhand, site_code="NY-A1")  # a bin is not a site


def test_a_session_freezes_the_book_counts_blind_and_posts_counted_minus_book_now(onhand, clock):
    stocked(onhand, clock)
    session = services.cycle_counts.open_session(onhand, OpenCountSession("NY-A1", skus=("TOP",)))
    assert [(line.sku, line.counted) for line in session.lines] == [("TOP", None)]  # no book shown

    adjust(onhand, "NY-A1", "TOP", -3, reason="damaged")  # moved out after the freeze
    seen = count(onhand, session.id, "TOP", 96)
    assert [(line.sku, line.counted) for line in seen.lines] == [("TOP", Decimal(96))]
    assert not hasattr(seen.lines[0], "frozen")

    (line,) = services.cycle_counts.review(onhand, session.id).lines
    assert (line.frozen, line.moved_since, line.expected, line.counted, line.difference) == (
        Decimal(100), Decimal(-3), Decimal(97), Decimal(96), Decimal(-1))

    posted = services.cycle_counts.post_session(onhand, PostCountSession(session.id))
    assert posted.status == "posted" and posted.posting_id is not None
    assert at(onhand, "TOP", "NY-A1") == 96
    assert services.postings.get_posting(onhand, posted.posting_id).reference == f"CC-{session.id}"
    with pytest.raises(Conflict):
        services.cycle_counts.post_session(onhand, PostCountSession(session.id))
    with pytest.raises(Conflict):
        count(onhand, session.id, "TOP", 1)
    assert_books_balance(onhand)


def test_posting_refuses_uncounted_lines_and_cancelling_changes_nothing(onhand, clock):
    stocked(onhand, clock)
    add_item(onhand, "MILK", tracking="lot")
    adjust(onhand, "NY-A1", "MILK", 5, lot="L1")
    session = services.cycle_counts.open_session(onhand, OpenCountSession("NY-A1"))
    assert [(line.sku, line.lot) for line in session.lines] == [
        ("IDLE", None), ("LOW", None), ("MID", None), ("MILK", "L1"), ("TOP", None)]
    with pytest.raises(InvalidInput) as refused:
        count(onhand, session.id, "MILK", 5)
    assert refused.value.field == "lot"
    with pytest.raises(InvalidInput) as refused:
        count(onhand, session.id, "TOP", -1)
    assert refused.value.field == "quantity"
    count(onhand, session.id, "TOP", 90)
    with pytest.raises(InvalidInput) as refused:
        services.cycle_counts.post_session(onhand, PostCountSession(session.id))
    assert refused.value.field == "session_id" and "4 line(s) not counted" in refused.value.reason
    assert at(onhand, "TOP", "NY-A1") == 100

    cancelled = services.cycle_counts.cancel_session(onhand, CancelCountSession(session.id))
    assert cancelled.status == "cancelled"
    assert at(onhand, "TOP", "NY-A1") == 100
    assert [s.id for s in services.cycle_counts.list_sessions(onhand, status="open")] == []
    with pytest.raises(NotFound):
        services.cycle_counts.review(onhand, session.id + 1)
    with pytest.raises(InvalidInput):
        services.cycle_counts.open_session(onhand, OpenCountSession("NY"))  # NY itself holds nothing


def test_stock_found_of_an_item_the_session_did_not_list_is_counted_and_posted(onhand, clock):
    stocked(onhand, clock)
    add_item(onhand, "NEW")
    session = services.cycle_counts.open_session(onhand, OpenCountSession("NY-A1", skus=("TOP",)))
    count(onhand, session.id, "TOP", 100)
    count(onhand, session.id, "NEW", 4)
    lines = {line.sku: line for line in services.cycle_counts.review(onhand, session.id).lines}
    assert (lines["NEW"].frozen, lines["NEW"].difference) == (0, 4)
    services.cycle_counts.post_session(onhand, PostCountSession(session.id))
    assert at(onhand, "NEW", "NY-A1") == 4


def test_racing_posts_of_one_session_post_it_once(onhand, clock):
    stocked(onhand, clock)
    session = services.cycle_counts.open_session(onhand, OpenCountSession("NY-A1", skus=("TOP",)))
    count(onhand, session.id, "TOP", 90)
    moves_before = move_count(onhand)

    def worker(_n):
        try:
            services.cycle_counts.post_session(onhand, PostCountSession(session.id))
            return "done"
        except Conflict:
            return "refused"

    assert Counter(race(worker, 6)) == {"done": 1, "refused": 5}
    assert at(onhand, "TOP", "NY-A1") == 90
    assert move_count(onhand) == moves_before + 1


def test_a_session_records_who_opened_and_posted_it(onhand, clock):
    from onhand.domain.actors import Actor, ActorKind

    stocked(onhand, clock)
    alice = onhand.acting_as(Actor(ActorKind.CLI, "alice", "alice"))
    session = services.cycle_counts.open_session(alice, OpenCountSession("NY-A1", skus=("MID",)))
    count(alice, session.id, "MID", 199)
    posted = services.cycle_counts.post_session(alice, PostCountSession(session.id))

    assert session.opened_by == "cli:alice"
    (entry,) = services.audit.list_audit(onhand, action="post_count_session").entries
    assert entry.actor.reference == "cli:alice"
    assert services.postings.get_posting(onhand, posted.posting_id).actor == "cli:alice"

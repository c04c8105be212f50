"""Cycle counts' pure rules: ABC classes by value, when a count is due, review lines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onhand.domain.errors import InvalidInput
from onhand.domain.planning.cycle_counts import check_intervals, classify, is_due, review_line
from tests.hypothesis_profiles import examples

D = Decimal


def test_the_top_item_is_a_even_when_it_alone_is_more_than_the_a_share():
    rows = classify([("X", D(90)), ("Y", D(6)), ("Z", D(4))])
    assert [(r.sku, r.abc_class) for r in rows] == [("X", "A"), ("Y", "B"), ("Z", "C")]


def test_nothing_moved_leaves_every_item_c():
    assert {r.abc_class for r in classify([("X", D(0)), ("Y", D(-2))])} == {"C"}


@pytest.mark.parametrize(("a", "b", "field"), [(D(0), D(10), "a_percent"), (D(101), D(0), "a_percent"),
                                               (D(80), D(21), "b_percent"), (D(80), D(-1), "b_percent")])
def test_thresholds_out_of_range_name_their_field(a, b, field):
    with pytest.raises(InvalidInput) as refused:
        classify([("X", D(1))], a, b)
    assert refused.value.field == field


def test_intervals_default_to_month_quarter_year_and_refuse_nonsense():
    assert check_intervals({}) == {"A": 30, "B": 91, "C": 365}
    assert check_intervals({"B": 60})["B"] == 60
    with pytest.raises(InvalidInput):
        check_intervals({"D": 10})
    with pytest.raises(InvalidInput) as refused:
        check_intervals({"C": True})
    assert refused.value.field == "c_days"


def test_due_when_never_counted_or_the_interval_has_passed():
    today = date(2026, 3, 2)
    assert is_due(None, 30, today)
    assert is_due(date(2026, 1, 31), 30, today)
    assert not is_due(date(2026, 2, 1), 30, today)


def test_a_review_line_differs_from_the_book_now_not_the_frozen_book():
    line = review_line("W", None, frozen=D(10), book=D(7), counted=D(6))
    assert (line.moved_since, line.expected, line.difference) == (D(-3), D(7), D(-1))
    assert review_line("W", None, D(1), D(1), None).difference is None


values = st.lists(st.tuples(st.text(min_size=1, max_size=3), st.integers(-5, 1000).map(D)), max_size=12,
                  unique_by=lambda pair: pair[0])


@settings(max_examples=examples(40))
@given(values, st.integers(1, 100), st.integers(0, 100))
def test_classes_follow_value_and_a_holds_no_more_than_its_share_before_its_last_item(pairs, a, b):
    a, b = D(a), D(min(b, 100 - a))
    rows = classify(pairs, a, b)
    rank = {"A": 0, "B": 1, "C": 2}
    assert sorted(r.sku for r in rows) == sorted(sku for sku, _ in pairs)
    assert [rank[r.abc_class] for r in rows] == sorted(rank[r.abc_class] for r in rows)
    total = sum((v for _, v in pairs if v > 0), D(0))
    a_values = [r.value for r in rows if r.abc_class == "A"]
    if a_values:
        assert (sum(a_values[:-1], D(0))) * 100 < a * total
    assert all(r.abc_class == "C" for r in rows if r.value <= 0)

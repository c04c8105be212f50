"""Planning's pure rules: demand statistics, safety stock, reorder quantities, projection
and the transfer planner (properties with small example counts in the ci profile)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onhand.domain.errors import InvalidInput
from onhand.domain.planning.demand import Demand, daily_demand, explode
from onhand.domain.planning.projection import Document, DocumentKind, first_day_below, project, replay
from onhand.domain.planning.rules import check_quantities, order_size, reorder_point, shortfall, surplus
from onhand.domain.planning.safety_stock import check_service_level, safety_stock, z_score
from onhand.domain.planning.transfers import SiteState, plan_transfers
from tests.hypothesis_profiles import examples

D = Decimal
START = date(2026, 3, 2)


def test_daily_demand_counts_days_without_shipments_as_zero():
    demand = daily_demand({"mon": D(6), "wed": D(2)}, days=4)

    assert (demand.total, demand.average) == (D(8), D(2))
    assert demand.deviation == D(6).sqrt().quantize(D("0.000001"))  # (36 + 4) / 4 − 4 = 6


def test_an_assemblys_demand_reaches_its_components_at_any_depth():
    direct = {1: Demand(D(2), D(0), D(20), 10), 3: Demand(D(1), D(0), D(10), 10)}
    recipes = {1: [(2, D(3))], 2: [(3, D("0.5"))]}

    total = explode(direct, recipes)

    assert total[2].total == 60 and total[3].total == 40  # 10 own + 60 × 0.5


def test_safety_stock_is_z_sigma_root_lead_time_rounded_up_to_the_unit():
    z = z_score(D("0.95"))

    assert abs(z - D("1.644854")) < D("0.000001")
    assert safety_stock(D("0.95"), D(2), 4, 0) == 7  # 1.645 × 2 × 2 = 6.58 → 7
    assert safety_stock(D("0.95"), D(2), 4, 2) == D("6.58")
    with pytest.raises(InvalidInput, match="service_level"):
        check_service_level(D("1"))


def test_reorder_point_is_the_minimum_given_or_lead_time_demand_plus_safety():
    assert reorder_point(D(10), daily_demand=D(4), lead_time_days=5, safety=D(3), decimals=0) == 10
    assert reorder_point(None, daily_demand=D("4.1"), lead_time_days=5, safety=D(3), decimals=0) == 24


def test_what_a_rule_asks_for_below_its_reorder_point():
    assert shortfall(D(8), D(10), maximum=D(50), reorder_quantity=None) == 42
    assert shortfall(D(-15), D(10), maximum=None, reorder_quantity=D(12)) == 36  # 3 lots reach 21 ≥ 10
    assert shortfall(D(8), D(10), maximum=None, reorder_quantity=None) == 2
    assert shortfall(D(10), D(10), maximum=D(50), reorder_quantity=None) == 0


def test_a_purchase_is_raised_to_the_minimum_order_quantity_then_to_a_multiple():
    assert order_size(D(7), min_order_quantity=D(20), multiple=D(12)) == 24
    assert order_size(D(25), min_order_quantity=D(20), multiple=D(12)) == 36
    assert order_size(D(7), min_order_quantity=None, multiple=None) == 7
    assert order_size(D(0), min_order_quantity=D(20), multiple=None) == 0


def test_a_rule_has_a_maximum_or_a_reorder_quantity_and_no_maximum_below_its_minimum():
    with pytest.raises(InvalidInput, match="reorder_quantity"):
        check_quantities(minimum=D(1), maximum=D(5), reorder_quantity=D(5))
    with pytest.raises(InvalidInput, match="maximum"):
        check_quantities(minimum=D(10), maximum=D(5), reorder_quantity=None)


def test_projection_finds_the_first_day_below_the_minimum_and_at_zero():
    documents = [
        Document(DocumentKind.RESERVATION, "SO-1", START + timedelta(days=1), D(-4)),
        Document(DocumentKind.PURCHASE_ORDER, "PO-1", START + timedelta(days=3), D(42)),
        Document(DocumentKind.BACKORDER, "SO-2", START - timedelta(days=5), D(-3)),  # late: today
    ]

    projection = project(D(10), documents, start=START, days=5, minimum=D(5))

    assert [d.available for d in projection.days] == [7, 3, 3, 45, 45]
    assert projection.first_below_minimum == START + timedelta(days=1)
    assert projection.first_stock_out is None
    assert projection.position == 45


def test_expected_stock_takes_the_average_demand_of_each_day_after_today():
    projection = project(D(10), [], start=START, days=6, minimum=D(4), daily_demand=D(2))

    assert [d.expected for d in projection.days] == [10, 8, 6, 4, 2, 0]
    assert projection.first_below_minimum == START + timedelta(days=4)
    assert projection.first_stock_out == START + timedelta(days=5)


quantities = st.integers(min_value=-50, max_value=50).map(D)
documents = st.lists(
    st.builds(Document, st.sampled_from(list(DocumentKind)), st.just("DOC"),
              st.integers(min_value=-10, max_value=40).map(lambda n: START + timedelta(days=n)), quantities),
    max_size=12,
)


@settings(max_examples=examples(60))
@given(on_hand=st.integers(min_value=0, max_value=100).map(D), documents=documents,
       day=st.integers(min_value=0, max_value=29))
def test_projected_stock_on_day_n_is_a_replay_of_the_documents_up_to_day_n(on_hand, documents, day):
    projection = project(on_hand, documents, start=START, days=30)

    through = START + timedelta(days=day)
    assert projection.days[day].available == replay(on_hand, documents, start=START, through=through)
    assert projection.position == on_hand + sum((d.quantity for d in documents), D(0))


site_states = st.lists(
    st.builds(
        lambda site, position, spare, point, need: SiteState(site, D(position), D(max(0, spare)), D(point),
                                                             D(need)),
        st.integers(min_value=1, max_value=1000), st.integers(min_value=-20, max_value=80),
        st.integers(min_value=-5, max_value=80), st.integers(min_value=0, max_value=40),
        st.sampled_from([0, 0, 5, 30]),
    ),
    max_size=6, unique_by=lambda s: s.site_id,
)


@settings(max_examples=examples(80))
@given(states=site_states, closed=st.sets(st.tuples(st.integers(1, 1000), st.integers(1, 1000))))
def test_a_transfer_suggestion_never_takes_a_source_below_its_own_minimum(states, closed):
    moves = plan_transfers(states, lambda source, destination: (source, destination) not in closed)

    by_site = {s.site_id: s for s in states}
    given_away: dict[int, Decimal] = {}
    received: dict[int, Decimal] = {}
    for move in moves:
        assert move.quantity > 0 and move.source_id != move.destination_id
        assert (move.source_id, move.destination_id) not in closed
        assert by_site[move.source_id].need <= 0 < by_site[move.destination_id].need
        given_away[move.source_id] = given_away.get(move.source_id, D(0)) + move.quantity
        received[move.destination_id] = received.get(move.destination_id, D(0)) + move.quantity
    for site, quantity in given_away.items():
        state = by_site[site]
        assert state.position - quantity >= state.point
        assert quantity <= surplus(state.position, state.point, state.available_now)
    for site, quantity in received.items():
        assert quantity <= by_site[site].need


@settings(max_examples=examples(80))
@given(on_hand=st.integers(min_value=-20, max_value=100).map(D), documents=documents,
       level=st.integers(min_value=-10, max_value=60).map(D),
       demand=st.sampled_from([D(0), D(1), D("2.5"), D("0.3")]), days=st.integers(min_value=1, max_value=45))
def test_the_first_day_below_a_level_is_the_projections(on_hand, documents, level, demand, days):
    projection = project(on_hand, documents, start=START, days=days, daily_demand=demand)

    expected = next(((d.day, d.expected) for d in projection.days if d.expected < level), None)
    assert first_day_below(on_hand, documents, start=START, days=days, level=level,
                           daily_demand=demand) == expected

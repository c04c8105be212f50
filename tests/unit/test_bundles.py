"""The kit formula, nesting and cycles of domain/assemblies/bundles.py, and the build order rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onhand.domain.assemblies.builds import BuildStatus, output_expiry, status_after_build, status_after_finish
from onhand.domain.assemblies.bundles import (
    Component,
    consumption,
    find_cycle,
    flatten,
    kit_quantity,
    kits_over_sites,
    validate_components,
    yield_of,
)
from onhand.domain.errors import Conflict, InvalidInput

D = Decimal


def test_ten_of_a_and_five_of_b_make_five():
    assert kit_quantity({1: D(1), 2: D(1)}, {1: D(10), 2: D(5)}, 0) == 5


def test_the_scarcest_component_per_unit_decides():
    assert kit_quantity({1: D(2), 2: D(3)}, {1: D(10), 2: D(10)}, 0) == 3


def test_a_missing_or_negative_component_makes_none():
    assert kit_quantity({1: D(1), 2: D(1)}, {1: D(10)}, 0) == 0
    assert kit_quantity({1: D(1)}, {1: D(-4)}, 0) == 0


def test_a_parent_without_components_makes_none():
    assert kit_quantity({}, {1: D(10)}, 0) == 0


def test_the_figure_is_floored_to_the_parents_unit():
    assert kit_quantity({1: D("0.4")}, {1: D("1.5")}, 0) == 3
    assert kit_quantity({1: D("0.4")}, {1: D("1.5")}, 2) == D("3.75")
    assert kit_quantity({1: D(3)}, {1: D(1)}, 3) == D("0.333")


def test_components_split_across_sites_make_no_kit_in_total():
    needs = {1: D(1), 2: D(1)}
    assert kits_over_sites(needs, [{1: D(2), 2: D(0)}, {1: D(0), 2: D(2)}], 0) == 0
    assert kits_over_sites(needs, [{1: D(2), 2: D(1)}, {1: D(3), 2: D(5)}], 0) == 4
    assert kits_over_sites(needs, [], 0) == 0


@given(
    need=st.integers(1, 50), have=st.integers(0, 10_000), decimals=st.integers(0, 3),
)
def test_the_kit_quantity_is_the_largest_that_fits(need, have, decimals):
    figure = kit_quantity({1: D(need) / 10}, {1: D(have)}, decimals)
    step = D(1).scaleb(-decimals)
    assert figure * D(need) / 10 <= have
    assert (figure + step) * D(need) / 10 > have


def test_nested_bundles_are_flattened_and_shared_components_add_up():
    graph = {10: [Component(1, D(1)), Component(11, D(2))], 11: [Component(1, D(3)), Component(2, D(1))]}

    assert flatten(10, graph, D(2)) == {1: D(14), 2: D(4)}


def test_a_cycle_is_found_with_its_path():
    graph = {11: [Component(12, D(1))], 12: [Component(1, D(1))]}

    assert find_cycle(1, [11], graph) == [1, 11, 12, 1]
    assert find_cycle(1, [2], graph) is None


def test_a_parent_cannot_contain_itself_or_a_component_twice():
    with pytest.raises(InvalidInput) as itself:
        validate_components(1, [Component(1, D(1))])
    with pytest.raises(InvalidInput) as twice:
        validate_components(1, [Component(2, D(1)), Component(2, D(1))])
    with pytest.raises(InvalidInput) as empty:
        validate_components(1, [])

    assert (itself.value.field, twice.value.field, empty.value.field) == (
        "components[0].sku", "components[1].sku", "components")


def test_scrap_is_consumed_rounded_up_to_the_components_unit_and_not_recovered():
    jar = Component(2, D(1), D(10))

    assert consumption(D(12), jar, 0) == 14
    assert consumption(D(12), jar, 1) == D("13.2")
    assert yield_of(D(12), jar) == 12


def test_a_build_order_is_done_when_all_is_built():
    assert status_after_build(D(10), D(4)) is BuildStatus.PARTIALLY_BUILT
    assert status_after_build(D(10), D(10)) is BuildStatus.DONE


def test_an_order_that_built_nothing_cannot_be_finished():
    with pytest.raises(Conflict):
        status_after_finish("BO-1", BuildStatus.IN_PROGRESS, D(0))


def test_an_output_expires_no_later_than_its_inputs_or_its_shelf_life():
    today = date(2026, 3, 2)

    assert output_expiry(given=None, input_expiries=[date(2026, 5, 1), None], shelf_life_days=365, today=today) == date(
        2026, 5, 1)
    assert output_expiry(given=None, input_expiries=[None], shelf_life_days=30, today=today) == date(2026, 4, 1)
    assert output_expiry(given=None, input_expiries=[], shelf_life_days=None, today=today) is None
    assert output_expiry(given=date(2027, 1, 1), input_expiries=[date(2026, 5, 1)], shelf_life_days=None,
                         today=today) == date(2027, 1, 1)

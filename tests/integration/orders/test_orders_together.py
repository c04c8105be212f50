"""Orders made together (`create_orders`, a server's group of one key's requests): each
request gets the outcome it would have had alone, and leaves the same records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.assemblies.commands import ComponentLine, SetBundleComponents
from onhand.domain.catalog.commands import CreateItem
from onhand.domain.errors import AlreadyExists, IdempotencyConflict, NotFound, OnhandError
from onhand.domain.orders.commands import CreateOrder
from onhand.services.orders.lines import NewOrderLine
from tests.conftest import Clock
from tests.databases import fresh_database
from tests.hypothesis_profiles import examples
from tests.integration.helpers import add_item, add_place, adjust, assert_books_balance, counted_calls, level
from tests.integration.orders import test_waves as waves_test


@pytest.fixture
def stocked(onhand):
    add_item(onhand, "TEA")
    add_item(onhand, "MUG")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "TEA", 10)
    adjust(onhand, "NY", "MUG", 2)
    return onhand


@pytest.fixture
def alone_calls(monkeypatch):
    """A mark for each order made alone (`create_order`) from then on."""
    from onhand.services.orders import order_creation

    return counted_calls(monkeypatch, order_creation, "create_order")


def new(sku: str, quantity: int, **fields: Any) -> CreateOrder:
    return CreateOrder(lines=[NewOrderLine(sku, Decimal(quantity))], allocate=True, **fields)


def test_orders_are_made_and_allocated_in_one_transaction_each_as_if_alone(stocked, alone_calls):
    commits: list[int] = []
    event.listen(stocked.engine, "commit", lambda _conn: commits.append(1))
    requests = [(new("TEA", 3, reference="SO-A", customer="Ann"), "a"), (new("MUG", 5), "b"),
                (new("TEA", 4, customer="Ann"), None)]

    outcomes = services.sales_orders.create_orders(stocked, requests)

    assert [ok for ok, _view in outcomes] == [True] * 3
    assert alone_calls == [] and len(commits) == 1
    first, short, third = (view for _ok, view in outcomes)
    assert first.reference == "SO-A" and first.status == "allocated"
    assert (short.lines[0].reserved, short.lines[0].backordered) == (2, 3)  # what there was; the rest waits
    assert third.reference.startswith("SO-") and third.reference != first.reference
    assert first.customer == third.customer == "Ann"
    assert len(services.customers.list_customers(stocked, name="Ann")) == 1  # the second found the first's
    assert level(stocked, "TEA", "NY")[1] == 7
    audit = {entry.object.key: entry for entry in services.audit.list_audit(stocked, object_type="sales_order").entries}
    assert audit["SO-A"].action == "create_order" and audit["SO-A"].after["customer"] == "Ann"
    repeat = services.sales_orders.create_order(stocked, new("MUG", 5), idempotency_key="b")
    assert repeat.reference == short.reference
    assert services.integrity.verify(stocked).ok


def test_a_refused_order_gets_its_own_error_and_leaves_nothing_while_the_others_are_made(stocked, alone_calls):
    requests = [(new("TEA", 1, customer="Bo"), "a"), (new("NOPE", 1, customer="Cy"), "b"),
                (new("TEA", 1, reference="SO-X"), "c"), (new("TEA", 1, reference="SO-X"), "d")]

    outcomes = services.sales_orders.create_orders(stocked, requests)

    assert [ok for ok, _value in outcomes] == [True, False, True, False]
    assert alone_calls == [1, 1, 1, 1]  # the one transaction of all four kept nothing
    assert isinstance(outcomes[1][1], NotFound) and outcomes[1][1].field == "lines[0].sku"
    assert isinstance(outcomes[3][1], AlreadyExists)
    assert services.customers.list_customers(stocked, name="Cy") == []  # its new customer went with it
    assert level(stocked, "TEA", "NY")[1] == 2
    # A refused order recorded nothing under its key.
    assert services.sales_orders.create_order(stocked, new("TEA", 1), idempotency_key="b").reference


def test_one_channel_order_sent_twice_in_a_group_is_made_once(stocked):
    requests = [(new("TEA", 2, channel="shopify", external_id="1001"), None),
                (new("TEA", 2, channel="shopify", external_id="1001"), None)]

    outcomes = services.sales_orders.create_orders(stocked, requests)

    assert outcomes[0][1].reference == outcomes[1][1].reference
    assert level(stocked, "TEA", "NY")[1] == 2


def test_keys_used_before_are_answered_as_repeats(stocked):
    first = services.sales_orders.create_order(stocked, new("TEA", 1), idempotency_key="seen")
    requests = [(new("TEA", 1), "seen"), (new("TEA", 2), "new"), (new("MUG", 1), "seen")]

    outcomes = services.sales_orders.create_orders(stocked, requests)

    assert outcomes[0] == (True, services.sales_orders.get_order(stocked, first.reference))
    assert outcomes[1][0]
    assert not outcomes[2][0] and isinstance(outcomes[2][1], IdempotencyConflict)
    assert level(stocked, "TEA", "NY")[1] == 3


def test_a_groups_items_are_read_in_one_statement(stocked):
    add_item(stocked, "CUP")
    adjust(stocked, "NY", "CUP", 5)
    statements: list[str] = []
    event.listen(stocked.engine, "before_cursor_execute",
                 lambda _conn, _cursor, sql, *_rest: statements.append(" ".join(sql.split())))
    requests = [(new(sku, 1), None) for sku in ("TEA", "MUG", "CUP", "TEA")]

    outcomes = services.sales_orders.create_orders(stocked, requests)

    assert [ok for ok, _view in outcomes] == [True] * 4
    assert sum(1 for sql in statements if sql.startswith("SELECT items.id, items.sku")) == 1
    # Made and allocated together: a statement for all their headers, lines, numbers, the
    # free stock, the reservations, and the headers' new status.
    for start in ("INSERT INTO sales_orders", "INSERT INTO sales_order_lines", "UPDATE sales_orders SET reference",
                  "SELECT balances.", "UPDATE balances SET reserved", "INSERT INTO reservations",
                  "UPDATE sales_orders SET status"):
        assert sum(1 for sql in statements if sql.startswith(start)) == 1, start
    assert [level(stocked, sku, "NY")[1] for sku in ("TEA", "MUG", "CUP")] == [2, 1, 1]  # reserved


# --- a group leaves what the same orders made one after the other leave ----------------

group_line = st.tuples(
    st.sampled_from(["W", "T", "K"]), st.integers(1, 4),
    st.sampled_from([None, None, None, "L1", "L2", "L0"]),  # a pinned lot (T only)
    st.sampled_from([None, None, None, None, "A", "B"]),  # a chosen location
)


@st.composite
def group(draw):
    stock = draw(st.lists(
        st.tuples(st.sampled_from(waves_test.PLACES), st.sampled_from(waves_test.STOCK), st.integers(3, 12),
                  st.sampled_from(["4.00", "5.50"])),
        min_size=2, max_size=8))
    orders = draw(st.lists(
        st.tuples(st.lists(group_line, min_size=1, max_size=3), st.sampled_from(sorted(waves_test.REGIONS)),
                  st.booleans(), st.sampled_from([None, None, "SO-000003", "M-1"])),
        min_size=2, max_size=8))
    return stock, orders


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=group())
def test_a_group_of_new_orders_leaves_what_making_each_in_turn_leaves(case):
    stock, orders = case
    results = []
    for path in ("one", "group"):
        with fresh_database("sqlite") as url:
            onhand = open_onhand(url, clock=Clock(waves_test.NOW))
            try:
                waves_test.setup(onhand)
                services.items.create_item(onhand, CreateItem(sku="K", name="Kit", kind="bundle"))
                services.bundles.set_components(onhand, SetBundleComponents("K", components=[ComponentLine("W", 2)]))
                for place, (sku, lot), quantity, cost in stock:
                    waves_test.receive(onhand, place, sku, lot, quantity, cost)
                requests = [(CreateOrder(
                    lines=[NewOrderLine(sku, quantity, lot=pin if sku == "T" else None, location=chosen)
                           for sku, quantity, pin, chosen in lines],
                    ship_to=waves_test.REGIONS[region], allocate=allocate, reference=reference), None)
                    for lines, region, allocate, reference in orders]
                if path == "one":
                    answers = []
                    for command, _key in requests:
                        try:
                            answers.append((True, services.sales_orders.create_order(onhand, command)))
                        except OnhandError as exc:
                            answers.append((False, type(exc)))
                else:
                    answers = [(ok, value if ok else type(value))
                               for ok, value in services.sales_orders.create_orders(onhand, requests)]
                    for ok, view in answers:  # each answer is the order as read back
                        assert not ok or repr(view) == repr(services.sales_orders.get_order(onhand, view.reference))
                references = [view.reference for ok, view in answers if ok]
                assert_books_balance(onhand)
                results.append(([(ok, view.reference if ok else view) for ok, view in answers],
                                waves_test.outcome(onhand, references)))
            finally:
                onhand.close()
    assert results[0] == results[1]

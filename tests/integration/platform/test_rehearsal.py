"""A server rehearses its busiest writes before its first request and keeps nothing of them
(services/tools/rehearsal.py): the statements a group of adjustments or orders needs are
compiled by then, and the books are as they were."""

import gc
from decimal import Decimal

import pytest

from onhand import services
from onhand.adapters.db import hot
from onhand.domain.ledger.commands import PostAdjustment
from onhand.domain.orders.commands import CreateOrder, NewOrderLine
from onhand.services.ledger.postings import StockLine
from tests.integration.helpers import add_item, add_place, adjust, assert_books_balance


def groups(onhand, skus, tag):
    """A group of adjustments, then one of orders allocated, as a server's writer runs them."""
    adjusted = services.adjustments.post_adjustments(onhand, [
        (PostAdjustment(location="NY", reason="found", lines=[StockLine(sku, Decimal(3))]), None) for sku in skus])
    ordered = services.sales_orders.create_orders(onhand, [
        (CreateOrder(lines=[NewOrderLine(sku, Decimal(1), location="NY")], reference=f"{tag}-{sku}", allocate=True),
         None) for sku in skus])
    return adjusted + ordered


def test_after_the_rehearsal_a_servers_groups_compile_no_write_statement(onhand, monkeypatch) -> None:
    add_place(onhand, "NY")
    skus = [f"SKU-{n}" for n in range(12)]
    for sku in skus:
        add_item(onhand, sku)
    adjust(onhand, "NY", "SKU-0", 1)
    gc.unfreeze()  # a test that froze the heap (as a server does) hid its objects from get_objects
    for found in gc.get_objects():  # forms other tests of this process compiled: none
        if isinstance(found, hot.Hot):
            monkeypatch.setattr(found, "_forms", {})
            monkeypatch.setattr(found, "_expanding", {})
    compiled: list[str] = []
    original = hot._compile

    def compiling(statement, dialect, keys):
        compiled.append(str(statement).split()[0])
        return original(statement, dialect, keys)

    monkeypatch.setattr(hot, "_compile", compiling)
    assert all(ok for ok, _ in groups(onhand, skus[:3], "A"))
    # Unrehearsed, the first group of each size compiles its statements' forms.
    assert "INSERT" in compiled and "UPDATE" in compiled
    services.rehearsal.rehearse_writes(onhand, orders=True)
    compiled.clear()
    for size in (1, 2, 5, 9, 12):
        assert all(ok for ok, _ in groups(onhand, skus[:size], f"B{size}"))
    # Rehearsed, no write compiles; a few reads may (items and balances the rehearsal's unit
    # of work had in hand, read here for lists of lengths it did not meet).
    assert set(compiled) <= {"SELECT"} and len(compiled) <= 10, compiled


def test_the_rehearsal_keeps_nothing_and_skips_no_order_number(onhand) -> None:
    add_place(onhand, "NY")
    add_item(onhand, "MUG")
    adjust(onhand, "NY", "MUG", 5)
    services.sales_orders.create_order(onhand, CreateOrder(lines=[NewOrderLine("MUG", Decimal(2))], allocate=True))
    before = (services.items.list_items(onhand), services.locations.list_locations(onhand),
              services.sales_orders.list_orders(onhand), services.audit.list_audit(onhand))
    onhand.rehearse_writes()  # as a server does: orders too where that skips no number
    after = (services.items.list_items(onhand), services.locations.list_locations(onhand),
             services.sales_orders.list_orders(onhand), services.audit.list_audit(onhand))
    assert after == before
    assert_books_balance(onhand)
    made = services.sales_orders.create_order(onhand, CreateOrder(lines=[NewOrderLine("MUG", Decimal(1))]))
    assert made.reference == "SO-000002"  # numbering goes on from what was kept


def test_a_rehearsal_refused_keeps_nothing_and_the_server_starts_all_the_same(onhand, monkeypatch, caplog) -> None:
    from onhand.domain.errors import InvalidInput
    from onhand.services.catalog import items

    def refused(*_args, **_kwargs):
        raise InvalidInput("sku", "refused by this database's rules")

    before = services.locations.list_locations(onhand)
    monkeypatch.setattr(items, "create_item", refused)
    with pytest.raises(services.rehearsal.RehearsalFailed):
        services.rehearsal.rehearse_writes(onhand)
    onhand.rehearse_writes()  # as a server does: a warning, and on
    assert "rehearsed write was refused" in caplog.text
    assert services.locations.list_locations(onhand) == before

"""Shopify's webhooks through the inbox: stored once per event, processed into exactly one
allocated order per Shopify order; edits, cancellations, refunds and unknown SKUs handled."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

import pytest
from sqlalchemy import event

from onhand import services
from onhand.adapters.db.engine import WRITE_OPTION
from onhand.bootstrap import open_onhand
from onhand.domain.channels.commands import MapSku, ResolveException
from onhand.domain.errors import NotFound, Unauthorized
from onhand.domain.orders.commands import CreateOrder, NewOrderLine, ShipOrder
from tests.integration.channels.shop import deliver, sample, stocked_shop
from tests.integration.helpers import add_item, at


@pytest.fixture
def shop(onhand, tmp_path):
    stocked_shop(onhand, tmp_path)
    return onhand


def the_order(onhand):
    return services.sales_orders.find_order(onhand, channel="shop-us", external_id="820982911946154508")


def test_a_signed_order_webhook_becomes_one_allocated_order_acting_as_the_channel(shop) -> None:
    first = deliver(shop, sample())
    again = deliver(shop, sample())  # Shopify re-delivers the same event
    assert (first.duplicate, again.duplicate, again.delivery_id) == (False, True, first.delivery_id)
    assert services.channel_inbox.process_inbox(shop) == 1
    assert services.channel_inbox.process_inbox(shop) == 0
    order = the_order(shop)
    assert order.status == "allocated"
    assert [(ln.sku, ln.quantity, ln.unit_price, ln.reserved) for ln in order.lines] == [
        ("IPOD2008GREEN", 1, Decimal("199.00"), 1), ("IPOD2008BLACK", 2, Decimal("99.50"), 2)]
    [entry] = services.audit.list_audit(shop, action="create_order").entries
    assert entry.actor.reference == "channel:shop-us"


@contextmanager
def counting_commits(engine):
    commits: list[object] = []

    def count(conn) -> None:  # write transactions only
        if conn.get_execution_options().get(WRITE_OPTION):
            commits.append(conn)

    event.listen(engine, "commit", count)
    try:
        yield commits
    finally:
        event.remove(engine, "commit", count)


def test_orders_are_claimed_imported_allocated_and_marked_in_one_commit(shop) -> None:
    deliver(shop, sample())
    deliver(shop, sample(id=820982911946154509, name="#9999"), event_id="e-2")
    with counting_commits(shop.engine) as commits:
        assert services.channel_inbox.process_inbox(shop) == 2
    assert len(commits) == 1  # one writer turn for the burst, where each step alone took its own
    assert the_order(shop).status == "allocated"
    other = services.sales_orders.find_order(shop, channel="shop-us", external_id="820982911946154509")
    assert other.status in ("allocated", "backordered")


def test_an_order_a_step_of_which_fails_is_imported_step_by_step(shop) -> None:
    deliver(shop, sample())
    services.channel_inbox.process_inbox(shop)
    services.shipping.ship_order(shop, ShipOrder(the_order(shop).reference))
    deliver(shop, sample(updated_at="2026-03-30T11:00:00-05:00", cancelled_at="2026-03-30T11:00:00-05:00"),
            event_id="e-cancel", topic="orders/cancelled")
    with counting_commits(shop.engine) as commits:
        assert services.channel_inbox.process_inbox(shop) == 1
    # The refused cancellation spoils the one transaction: then the claim, and the mark with its exception.
    assert len(commits) == 2
    [problem] = services.channel_exceptions.list_exceptions(shop, channel="shop-us")
    assert problem.kind == "cancel_after_shipping"


def test_the_same_order_in_another_event_is_not_imported_twice(shop) -> None:
    deliver(shop, sample(), event_id="e-1")
    deliver(shop, sample(), event_id="e-2", topic="orders/updated")
    assert services.channel_inbox.process_inbox(shop) == 2
    assert len(services.sales_orders.list_orders(shop, channel="shop-us")) == 1
    assert at(shop, "IPOD2008BLACK", "NY") == 5


def test_an_order_made_before_under_the_channels_id_is_recorded_as_it_is(shop) -> None:
    made = services.sales_orders.create_order(shop, CreateOrder(
        lines=[NewOrderLine("IPOD2008BLACK", Decimal(1))], channel="shop-us", external_id="820982911946154508"))
    deliver(shop, sample())
    assert services.channel_inbox.process_inbox(shop) == 1
    order = the_order(shop)
    assert (order.reference, order.status) == (made.reference, "open")  # not allocated, not changed by the import
    assert [(line.sku, line.quantity) for line in order.lines] == [("IPOD2008BLACK", 1)]
    with shop.reading() as uow:
        channel = uow.channels.by_name("shop-us")
        channel_order_id, order_id = uow.channels.order_of(channel.id, "820982911946154508")
        assert order_id == uow.orders.id_by_reference(made.reference)
        # The channel's lines take the order's line numbers in turn, as far as it has lines.
        assert [line.line_no for line in uow.channels.order_lines(channel_order_id)] == [1, None]


def test_a_bad_signature_is_refused_and_nothing_is_stored(shop) -> None:
    with pytest.raises(Unauthorized):
        deliver(shop, sample(), secret="not the secret")
    assert services.channel_inbox.process_inbox(shop) == 0
    with shop.reading() as uow:
        assert uow.channels.delivery_by_event(1, "e-1") is None


def test_an_edit_while_editable_changes_the_lines_and_an_older_update_is_ignored(shop) -> None:
    deliver(shop, sample())
    edited = sample(updated_at="2026-03-30T11:00:00-05:00")
    edited["line_items"][1]["current_quantity"] = 1
    edited["line_items"].pop(0)
    deliver(shop, edited, topic="orders/updated", event_id="e-2")
    deliver(shop, sample(), topic="orders/updated", event_id="e-3")  # late: stamped before the edit
    services.channel_inbox.process_inbox(shop)
    assert [(ln.sku, ln.quantity, ln.reserved) for ln in the_order(shop).lines] == [("IPOD2008BLACK", 1, 1)]


def test_an_edit_after_shipping_is_an_exception_and_changes_nothing(shop) -> None:
    deliver(shop, sample())
    services.channel_inbox.process_inbox(shop)
    services.shipping.ship_order(shop, ShipOrder(the_order(shop).reference))
    edited = sample(updated_at="2026-03-30T11:00:00-05:00")
    edited["line_items"][1]["current_quantity"] = 1
    deliver(shop, edited, topic="orders/updated", event_id="e-2")
    services.channel_inbox.process_inbox(shop)
    assert [ln.quantity for ln in the_order(shop).lines] == [1, 2]
    [problem] = services.channel_exceptions.list_exceptions(shop)
    assert problem.kind == "edit_after_shipping" and problem.external_order_id == "820982911946154508"


def test_a_cancellation_releases_the_reservations(shop) -> None:
    deliver(shop, sample())
    deliver(shop, sample(cancelled_at="2026-03-31T10:00:00-05:00", updated_at="2026-03-31T10:00:00-05:00"),
            topic="orders/cancelled", event_id="e-2")
    services.channel_inbox.process_inbox(shop)
    order = the_order(shop)
    assert order.status == "cancelled" and all(ln.reserved == 0 for ln in order.lines)


def test_a_refund_with_a_restocked_return_brings_the_goods_back_once(shop) -> None:
    deliver(shop, sample())
    services.channel_inbox.process_inbox(shop)
    services.shipping.ship_order(shop, ShipOrder(the_order(shop).reference))
    assert at(shop, "IPOD2008BLACK", "NY") == 3
    deliver(shop, sample("refunds_create"), topic="refunds/create", event_id="r-1")
    deliver(shop, sample("refunds_create"), topic="refunds/create", event_id="r-2")  # the same refund again
    services.channel_inbox.process_inbox(shop)
    assert at(shop, "IPOD2008BLACK", "NY") == 4
    assert [ln.returned for ln in the_order(shop).lines] == [0, 1]


def test_an_unknown_sku_imports_the_order_flags_the_line_and_resolving_imports_it(shop) -> None:
    payload = sample()
    payload["line_items"][0]["sku"] = "IPOD2008RED"
    payload["line_items"][0]["variant_id"] = 999
    deliver(shop, payload)
    services.channel_inbox.process_inbox(shop)
    assert [ln.sku for ln in the_order(shop).lines] == ["IPOD2008BLACK"]
    [problem] = services.channel_exceptions.list_exceptions(shop)
    assert (problem.kind, problem.sku, problem.external_line_id) == ("unknown_sku", "IPOD2008RED", "866550311766439020")
    add_item(shop, "RED-8GB")
    services.channels.map_sku(shop, MapSku("shop-us", "RED-8GB", external_variant_id="999"))
    services.channel_exceptions.resolve_exception(shop, ResolveException("shop-us", problem.id))
    services.channel_inbox.process_inbox(shop)
    assert sorted(ln.sku for ln in the_order(shop).lines) == ["IPOD2008BLACK", "RED-8GB"]
    assert services.channel_exceptions.list_exceptions(shop) == []


def test_a_malformed_delivery_is_listed_and_never_half_applied(shop) -> None:
    payload = sample()
    payload["line_items"][1]["quantity"] = "two"
    deliver(shop, payload)
    services.channel_inbox.process_inbox(shop)
    assert services.sales_orders.list_orders(shop, channel="shop-us") == []
    [problem] = services.channel_exceptions.list_exceptions(shop)
    assert problem.kind == "bad_payload" and "line_items[1].quantity" in problem.detail


def test_a_second_worker_leaves_an_order_another_holds_and_imports_the_others(shop, database_url) -> None:
    """Workers import a channel side by side, one transaction at a time per Shopify order:
    an order another transaction holds is left, its later deliveries with it (they apply in
    order), and not waited for; the channel's other orders go on."""
    held, other_order = "820982911946154508", 820982911946154509
    deliver(shop, sample())
    deliver(shop, sample(id=other_order, name="#9999", line_items=sample()["line_items"][:1]), event_id="e-2")
    deliver(shop, sample(cancelled_at="2026-03-31T10:00:00-05:00", updated_at="2026-03-31T10:00:00-05:00"),
            topic="orders/cancelled", event_id="e-3")
    other = open_onhand(database_url)
    try:
        with shop.writing() as first:
            channel = first.channels.by_name("shop-us")
            assert first.channels.inbox_turn(channel.id, held)
            if database_url.startswith("postgresql"):  # another process meanwhile: the rest, at once
                assert services.channel_inbox.process_inbox(other) == 1
                with pytest.raises(NotFound):
                    the_order(shop)
                imported = services.sales_orders.find_order(shop, channel="shop-us", external_id=str(other_order))
                assert imported.status == "allocated"
        assert services.channel_inbox.process_inbox(other) >= 2  # the order's turn is free after the commit
    finally:
        other.close()
    assert the_order(shop).status == "cancelled"  # created, then cancelled: in order

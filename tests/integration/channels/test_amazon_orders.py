"""Amazon orders land in Onhand once each: open ones reserve, cancelled ones release,
FBA-shipped ones take stock out of the FBA location; an unknown SKU is listed, not dropped."""

from __future__ import annotations

from decimal import Decimal

from onhand import services
from onhand.domain.orders.commands import CreateOrder, NewOrderLine, OrderAction, ShipOrder
from onhand.services.channels.amazon_orders import Outcome, apply_amazon_order
from tests.integration.channels.amazon_helpers import amazon_order, amazon_shop
from tests.integration.helpers import adjust, assert_books_balance, level


def _orders(onhand):
    return services.sales_orders.list_orders(onhand, channel="amz-us")


def test_an_unshipped_order_is_imported_once_and_reserves(onhand) -> None:
    amazon_shop(onhand)
    order = amazon_order()
    assert apply_amazon_order(onhand, "amz-us", order) is Outcome.IMPORTED
    assert apply_amazon_order(onhand, "amz-us", order) is Outcome.UNCHANGED
    (view,) = _orders(onhand)
    full = services.sales_orders.find_order(onhand, channel="amz-us", external_id="111-0000001-0000001")
    assert view.status == "allocated"
    assert [(ln.sku, ln.quantity, ln.unit_price, ln.reserved) for ln in full.lines] == [
        ("MUG", 2, Decimal("10.99"), 2)]
    assert level(onhand, "MUG", "NY")[1] == 2
    assert_books_balance(onhand)


def test_a_cancelled_order_releases_what_it_held(onhand) -> None:
    amazon_shop(onhand)
    apply_amazon_order(onhand, "amz-us", amazon_order(status="Pending", lines=(("MUG-AMZ", 3, None),)))
    assert level(onhand, "MUG", "NY")[1] == 3
    cancelled = amazon_order(status="Canceled", lines=())
    assert apply_amazon_order(onhand, "amz-us", cancelled) is Outcome.CANCELLED
    assert apply_amazon_order(onhand, "amz-us", cancelled) is Outcome.UNCHANGED
    assert level(onhand, "MUG", "NY")[1] == 0
    full = services.sales_orders.find_order(onhand, channel="amz-us", external_id="111-0000001-0000001")
    assert full.status == "cancelled"


def test_a_cancelled_order_never_imported_is_skipped(onhand) -> None:
    amazon_shop(onhand)
    assert apply_amazon_order(onhand, "amz-us", amazon_order(status="Canceled")) is Outcome.SKIPPED
    assert _orders(onhand) == []


def test_an_fba_order_shipped_by_amazon_moves_stock_out_of_the_fba_location(onhand) -> None:
    amazon_shop(onhand)
    pending = amazon_order(status="Unshipped", channel="AFN", lines=(("MUG-AMZ", 2, "20.00"),))
    assert apply_amazon_order(onhand, "amz-us", pending) is Outcome.IMPORTED
    assert level(onhand, "MUG", "FBA")[1] == 2 and level(onhand, "MUG", "NY")[1] == 0
    shipped = amazon_order(status="Shipped", channel="AFN", lines=(("MUG-AMZ", 2, "20.00"),))
    assert apply_amazon_order(onhand, "amz-us", shipped) is Outcome.SHIPPED
    assert apply_amazon_order(onhand, "amz-us", shipped) is Outcome.UNCHANGED
    assert (level(onhand, "MUG", "FBA")[0], level(onhand, "MUG", "FBA")[1]) == (3, 0)
    assert level(onhand, "MUG", "NY")[0] == 10
    assert_books_balance(onhand)


def test_an_fba_order_first_seen_shipped_is_imported_and_shipped(onhand) -> None:
    amazon_shop(onhand)
    shipped = amazon_order(status="Shipped", channel="AFN", lines=(("MUG-AMZ", 1, "10.00"),))
    assert apply_amazon_order(onhand, "amz-us", shipped) is Outcome.SHIPPED
    assert level(onhand, "MUG", "FBA")[0] == 4


def test_an_unknown_sku_imports_the_order_flags_the_line_and_lists_an_exception(onhand) -> None:
    amazon_shop(onhand)
    order = amazon_order(lines=(("MUG-AMZ", 1, "10.00"), ("NOPE-1", 4, "8.00")))
    assert apply_amazon_order(onhand, "amz-us", order) is Outcome.IMPORTED
    apply_amazon_order(onhand, "amz-us", order)
    full = services.sales_orders.find_order(onhand, channel="amz-us", external_id=order.amazon_order_id)
    assert [ln.sku for ln in full.lines] == ["MUG"]
    (exception,) = services.channel_exceptions.list_exceptions(onhand, channel="amz-us")
    assert (exception.kind, exception.sku, exception.external_order_id) == (
        "unknown_sku", "NOPE-1", order.amazon_order_id)


def test_an_order_of_unknown_skus_only_is_listed_once_and_imported_nothing(onhand) -> None:
    amazon_shop(onhand)
    order = amazon_order(lines=(("NOPE-1", 4, "8.00"),))
    assert apply_amazon_order(onhand, "amz-us", order) is Outcome.REFUSED
    assert apply_amazon_order(onhand, "amz-us", order) is Outcome.REFUSED
    assert _orders(onhand) == []
    assert len(services.channel_exceptions.list_exceptions(onhand, channel="amz-us")) == 1


def test_prices_a_pending_order_lacked_are_taken_when_it_is_unshipped(onhand) -> None:
    amazon_shop(onhand)
    apply_amazon_order(onhand, "amz-us", amazon_order(status="Pending", lines=(("MUG-AMZ", 2, None),)))
    unshipped = amazon_order(status="Unshipped", lines=(("MUG-AMZ", 2, "21.98"),))
    assert apply_amazon_order(onhand, "amz-us", unshipped) is Outcome.UPDATED
    assert apply_amazon_order(onhand, "amz-us", unshipped) is Outcome.UNCHANGED
    full = services.sales_orders.find_order(onhand, channel="amz-us", external_id=unshipped.amazon_order_id)
    assert [(ln.quantity, ln.unit_price, ln.reserved) for ln in full.lines] == [(2, Decimal("10.99"), 2)]
    assert level(onhand, "MUG", "NY")[1] == 2


def test_a_change_after_onhand_shipped_part_is_listed_not_applied(onhand) -> None:
    amazon_shop(onhand)
    order = amazon_order(lines=(("MUG-AMZ", 2, "20.00"), ("CUP", 1, "5.00")))
    apply_amazon_order(onhand, "amz-us", order)  # CUP has no stock: the order waits for it
    full = services.sales_orders.find_order(onhand, channel="amz-us", external_id=order.amazon_order_id)
    services.shipping.ship_order(onhand, ShipOrder(full.reference))  # the mugs go
    changed = amazon_order(lines=(("MUG-AMZ", 2, "18.00"), ("CUP", 1, "5.00")))
    assert apply_amazon_order(onhand, "amz-us", changed) is Outcome.REFUSED
    (exception,) = services.channel_exceptions.list_exceptions(onhand, channel="amz-us")
    assert exception.kind == "edit_after_shipping"
    after = services.sales_orders.find_order(onhand, channel="amz-us", external_id=order.amazon_order_id)
    assert [ln.unit_price for ln in after.lines] == [Decimal("10.00"), Decimal("5.00")]


def test_a_cancel_releases_an_order_whose_import_was_cut_short(onhand) -> None:
    amazon_shop(onhand)
    # The sales order was made and allocated, then the process died before the channel's record.
    services.sales_orders.create_order(onhand, CreateOrder(
        lines=(NewOrderLine("MUG", Decimal(2), location="NY"),), channel="amz-us", external_id="111-0000001-0000001"))
    services.sales_orders.allocate_order(onhand, OrderAction(
        services.sales_orders.find_order(onhand, channel="amz-us", external_id="111-0000001-0000001").reference))
    assert apply_amazon_order(onhand, "amz-us", amazon_order(status="Canceled", lines=())) is Outcome.CANCELLED
    assert level(onhand, "MUG", "NY")[1] == 0


def test_an_fba_shipment_onhand_was_short_for_ships_what_it_held_and_cancels_the_rest(onhand) -> None:
    amazon_shop(onhand)  # 5 mugs at FBA
    shipped = amazon_order(status="Shipped", channel="AFN", lines=(("MUG-AMZ", 7, "70.00"),))
    assert apply_amazon_order(onhand, "amz-us", shipped) is Outcome.SHIPPED
    assert apply_amazon_order(onhand, "amz-us", shipped) is Outcome.UNCHANGED
    assert level(onhand, "MUG", "FBA")[:2] == (0, 0)
    full = services.sales_orders.find_order(onhand, channel="amz-us", external_id=shipped.amazon_order_id)
    assert full.status == "cancelled" and full.lines[0].shipped == 5
    (exception,) = services.channel_exceptions.list_exceptions(onhand, channel="amz-us")
    assert exception.kind == "short_stock"
    adjust(onhand, "FBA", "MUG", 3)  # counted later: nothing waits for it
    assert level(onhand, "MUG", "FBA")[1] == 0
    assert_books_balance(onhand)

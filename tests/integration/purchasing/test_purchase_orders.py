"""Suppliers, prices and purchase orders through the services, on every database."""

from datetime import date
from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.errors import AlreadyExists, Conflict, InvalidInput, NotFound
from onhand.domain.purchasing.commands import (
    CreatePurchaseOrder,
    CreateSupplier,
    PurchaseOrderAction,
    SetSupplierPrice,
    UpdatePurchaseOrder,
    UpdateSupplier,
)
from onhand.services.purchasing.purchase_orders import NewPurchaseLine
from tests.integration.helpers import assert_books_balance
from tests.integration.purchasing_helpers import placed, purchasing_setup, receive, supplier


@pytest.fixture
def setup(onhand):
    purchasing_setup(onhand)
    yield onhand
    assert_books_balance(onhand)


def draft(onhand, *lines, **fields):
    key = fields.pop("idempotency_key", None)
    return services.purchase_orders.create_purchase_order(
        onhand, CreatePurchaseOrder(supplier=fields.pop("supplier", "ACME"), destination=fields.pop("destination",
            "NY"),
        lines=[NewPurchaseLine(*line) for line in lines], **fields),
        idempotency_key=key,
    )


def test_a_supplier_is_created_updated_listed_and_found(setup):
    made = supplier(setup, "BEANS", currency="EUR", email="orders@beans.example", phone="+31 20 555")
    assert (made.code, made.currency, made.lead_time_days, made.over_receipt_tolerance_pct) == ("BEANS", "EUR", 0, None)
    changed = services.suppliers.update_supplier(setup, UpdateSupplier("BEANS", lead_time_days=14,
        over_receipt_tolerance_pct="5"))
    assert (changed.lead_time_days, changed.over_receipt_tolerance_pct) == (14, 5)
    assert changed.email == "orders@beans.example"
    cleared = services.suppliers.update_supplier(setup, UpdateSupplier("BEANS", email="",
        over_receipt_tolerance_pct=""))
    assert (cleared.email, cleared.over_receipt_tolerance_pct) == (None, None)
    assert [s.code for s in services.suppliers.list_suppliers(setup)] == ["ACME", "BEANS"]
    assert [s.code for s in services.suppliers.list_suppliers(setup, search="bea")] == ["BEANS"]
    assert services.suppliers.get_supplier(setup, "BEANS").name == "BEANS"


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"code": "bad code"}, "code"), ({"email": "nope"}, "email"), ({"lead_time_days": -1}, "lead_time_days"),
     ({"currency": "euro"}, "currency"), ({"over_receipt_tolerance_pct": "-1"}, "over_receipt_tolerance_pct")],
)
def test_a_supplier_with_a_bad_field_is_refused_naming_it(setup, fields, field):
    with pytest.raises(InvalidInput) as caught:
        services.suppliers.create_supplier(setup, CreateSupplier(**{"code": "NEW", "name": "New", **fields}))
    assert caught.value.field == field


def test_a_supplier_code_is_unique(setup):
    with pytest.raises(AlreadyExists):
        supplier(setup, "ACME")


def test_a_supplier_price_is_set_replaced_and_listed_per_supplier_and_per_item(setup):
    supplier(setup, "BEANS")
    services.suppliers.set_supplier_price(setup, SetSupplierPrice(supplier="ACME", sku="TEA", unit_cost="2.5",
        supplier_sku="A-T"))
    services.suppliers.set_supplier_price(setup, SetSupplierPrice(supplier="ACME", sku="TEA", unit_cost="2.4",
        min_order_quantity=10))
    services.suppliers.set_supplier_price(setup, SetSupplierPrice(supplier="BEANS", sku="TEA", unit_cost="2.6",
        pack_size=6))
    (acme,) = services.suppliers.list_supplier_prices(setup, supplier="ACME")
    assert (acme.unit_cost, acme.supplier_sku, acme.min_order_quantity) == (Decimal("2.4"), None, 10)
    assert [(p.supplier, p.unit_cost) for p in services.suppliers.list_supplier_prices(setup, sku="TEA")] == [
        ("ACME", Decimal("2.4")), ("BEANS", Decimal("2.6"))]


def test_a_draft_takes_the_supplier_price_and_expects_delivery_after_the_lead_time(setup):
    services.suppliers.set_supplier_price(setup, SetSupplierPrice(supplier="ACME", sku="TEA", unit_cost="2.5"))
    order = draft(setup, ("TEA", 12), ("W", 3, "1.10"))
    assert (order.reference, order.status, order.currency, order.destination) == ("PO-000001", "draft", "USD", "NY")
    assert order.expected_date == date(2026, 3, 9)  # the clock's 2026-03-02 + 7 days
    assert [(ln.sku, ln.quantity, ln.unit_cost, ln.open) for ln in order.lines] == [
        ("TEA", 12, Decimal("2.5"), 12), ("W", 3, Decimal("1.10"), 3)]
    assert order.total == Decimal("33.30")


def test_a_line_without_a_cost_needs_a_supplier_price_in_the_order_currency(setup):
    with pytest.raises(InvalidInput) as caught:
        draft(setup, ("W", 1), ("TEA", 1))
    assert caught.value.field == "lines[0].unit_cost"
    services.suppliers.set_supplier_price(setup, SetSupplierPrice(supplier="ACME", sku="W", unit_cost="1"))
    with pytest.raises(InvalidInput) as caught:
        draft(setup, ("W", 1), currency="EUR")
    assert caught.value.field == "lines[0].unit_cost"


def test_a_draft_warns_of_quantities_below_the_minimum_or_off_the_pack_size(setup):
    services.suppliers.set_supplier_price(setup, SetSupplierPrice(supplier="ACME", sku="TEA", unit_cost="2",
        min_order_quantity=10,
                                          pack_size=6))
    order = draft(setup, ("TEA", 8))
    assert len(order.warnings) == 2
    assert "minimum order quantity of 10" in order.warnings[0] and "packs of 6" in order.warnings[1]


def test_the_same_supplier_reference_returns_the_order_already_made(setup):
    first = draft(setup, ("W", 1, "1"), supplier_reference="SO-77")
    again = draft(setup, ("W", 5, "1"), supplier_reference="SO-77")
    assert again.reference == first.reference and again.lines[0].quantity == 1
    assert len(services.purchase_orders.list_purchase_orders(setup)) == 1


def test_an_idempotency_key_makes_a_retried_creation_write_once(setup):
    first = draft(setup, ("W", 1, "1"), idempotency_key="po-1")
    assert draft(setup, ("W", 1, "1"), idempotency_key="po-1") == first
    assert len(services.purchase_orders.list_purchase_orders(setup)) == 1


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [({"supplier": "NOPE"}, "supplier", NotFound), ({"destination": "NOPE"}, "destination", NotFound),
     ({"destination": "SUPPLIER"}, "destination", InvalidInput),
     ({"expected_date": "soon"}, "expected_date", InvalidInput),
     ({"reference": "bad ref"}, "reference", InvalidInput)],
)
def test_a_bad_order_field_is_refused_naming_it_and_nothing_is_written(setup, fields, field, error):
    with pytest.raises(error) as caught:
        draft(setup, ("W", 1, "1"), **fields)
    assert caught.value.field == field
    assert services.purchase_orders.list_purchase_orders(setup) == []


def test_a_bad_line_is_refused_naming_it(setup):
    for line, field in ((("NOPE", 1, "1"), "lines[0].sku"), (("W", "0", "1"), "lines[0].quantity"),
                        (("W", "1.5", "1"), "lines[0].quantity"), (("W", 1, "-1"), "lines[0].unit_cost"),
                        (("W", 1, "0.0000001"), "lines[0].unit_cost")):
        with pytest.raises((InvalidInput, NotFound)) as caught:
            draft(setup, line)
        assert caught.value.field == field


def test_a_draft_is_editable_and_a_placed_order_only_in_its_dates_and_references(setup):
    order = draft(setup, ("W", 1, "1"))
    changed = services.purchase_orders.update_purchase_order(
        setup, UpdatePurchaseOrder(order.reference, lines=[NewPurchaseLine("TEA", 4, "2")], destination="NY-A1"))
    assert [(ln.sku, ln.quantity) for ln in changed.lines] == [("TEA", 4)] and changed.destination == "NY-A1"
    services.purchase_orders.place_purchase_order(setup, PurchaseOrderAction(order.reference))
    moved = services.purchase_orders.update_purchase_order(setup, UpdatePurchaseOrder(order.reference,
        expected_date="2026-04-01",
                                                           supplier_reference="ACK-1", note="late"))
    assert (moved.expected_date, moved.supplier_reference, moved.note) == (date(2026, 4, 1), "ACK-1", "late")
    with pytest.raises(Conflict):
        services.purchase_orders.update_purchase_order(setup, UpdatePurchaseOrder(order.reference,
            lines=[NewPurchaseLine("W", 1, "1")]))


def test_open_quantities_of_placed_orders_show_as_incoming_never_available(setup):
    draft(setup, ("W", 100, "1"))  # a draft is not incoming
    placed(setup, ("W", 10, "1"), expected_date="2026-03-20")
    placed(setup, ("W", 5, "1"), ("TEA", 3, "2"), destination="NY-A1", expected_date="2026-03-10")
    (w,) = [lv for lv in services.stock.stock_levels(setup).levels if lv.sku == "W"]
    assert (w.on_hand, w.available, w.incoming, w.incoming_expected) == (0, 0, 15, date(2026, 3, 10))
    by_bin = {lv.location: lv.incoming for lv in services.stock.stock_levels(setup, sku="W", group_by="bin").levels}
    assert by_bin == {"NY": 10, "NY-A1": 5}
    (site,) = services.stock.stock_levels(setup, sku="W", group_by="location").levels
    assert (site.location, site.incoming) == ("NY", 15)


def test_received_quantities_leave_incoming_and_a_closed_order_ends_it(setup):
    order = placed(setup, ("W", 10, "1"))
    receive(setup, order.reference, (1, 4))
    (w,) = services.stock.stock_levels(setup, sku="W").levels
    assert (w.on_hand, w.available, w.incoming) == (4, 4, 6)
    closed = services.purchase_orders.close_purchase_order(setup, PurchaseOrderAction(order.reference))
    assert (closed.status, closed.lines[0].received, closed.lines[0].open) == ("closed", 4, 0)
    (w,) = services.stock.stock_levels(setup, sku="W").levels
    assert w.incoming == 0
    with pytest.raises(Conflict):
        receive(setup, order.reference, (1, 1))


def test_the_life_cycle_draft_ordered_partially_received_received(setup):
    order = draft(setup, ("W", 3, "1"))
    with pytest.raises(Conflict, match="place it first"):
        receive(setup, order.reference, (1, 1))
    assert services.purchase_orders.place_purchase_order(setup,
        PurchaseOrderAction(order.reference)).status == "ordered"
    with pytest.raises(Conflict):
        services.purchase_orders.place_purchase_order(setup, PurchaseOrderAction(order.reference))
    with pytest.raises(Conflict, match="cancel it instead"):
        services.purchase_orders.close_purchase_order(setup, PurchaseOrderAction(order.reference))
    assert receive(setup, order.reference, (1, 1)).purchase_order_status == "partially_received"
    assert receive(setup, order.reference, (1, 2)).purchase_order_status == "received"
    with pytest.raises(Conflict):
        services.purchase_orders.close_purchase_order(setup, PurchaseOrderAction(order.reference))
    assert [o.status for o in services.purchase_orders.list_purchase_orders(setup, status="received")] == ["received"]


def test_cancelling_is_only_for_an_order_of_which_nothing_was_received(setup):
    first = draft(setup, ("W", 3, "1"))
    assert services.purchase_orders.cancel_purchase_order(setup,
        PurchaseOrderAction(first.reference)).status == "cancelled"
    second = placed(setup, ("W", 3, "1"))
    receive(setup, second.reference, (1, 1))
    with pytest.raises(Conflict, match="close it instead"):
        services.purchase_orders.cancel_purchase_order(setup, PurchaseOrderAction(second.reference))
    assert services.stock.stock_levels(setup, sku="W").levels[0].incoming == 2

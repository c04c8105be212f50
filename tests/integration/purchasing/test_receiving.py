"""Receiving against purchase orders through the services, on every database: partial and
repeated receipts, lots, serials, bins, scans, over-receipt tolerance, exchange rates."""

from datetime import date
from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.catalog.commands import CreateItem, CreateLocation, UpdateCompany
from onhand.domain.errors import AlreadyExists, Conflict, InvalidInput, NotFound, OverReceipt
from onhand.domain.purchasing.commands import PurchaseOrderAction
from onhand.services.purchasing.receiving import ReceiptLine
from tests.integration.helpers import assert_books_balance, at, level, move_count
from tests.integration.purchasing_helpers import GTIN_TEA, placed, purchasing_setup, receive, supplier

GS = "\x1d"


@pytest.fixture
def setup(onhand):
    purchasing_setup(onhand)
    yield onhand
    assert_books_balance(onhand)


def test_a_receipt_posts_supplier_to_location_moves_in_one_posting(setup):
    order = placed(setup, ("W", 10, "1.25"), ("TEA", 6, "2"))
    receipt = receive(setup, order.reference, ReceiptLine(1, 4), ReceiptLine(2, 6, lot="T1", expiry_date="2026-12-31"))
    assert (receipt.reference, receipt.purchase_order, receipt.supplier, receipt.exchange_rate) == (
        "GRN-000001", "PO-000001", "ACME", 1)
    posting = services.postings.get_posting(setup, receipt.posting_id)
    assert posting.kind == "receipt" and posting.reference == "GRN-000001"
    assert sorted((m.sku, m.lot, m.from_location, m.to_location, m.quantity) for m in posting.moves) == [
        ("TEA", "T1", "SUPPLIER", "NY", 6), ("W", None, "SUPPLIER", "NY", 4)]
    assert [(ln.line_no, ln.quantity, ln.unit_cost, ln.lot, ln.expiry_date) for ln in receipt.lines] == [
        (1, 4, Decimal("1.25"), None, None), (2, 6, 2, "T1", date(2026, 12, 31))]
    assert level(setup, "W") == (4, 0, 4)


def test_partial_receipts_repeat_until_the_line_is_received(setup):
    order = placed(setup, ("W", 10, "1"))
    for quantity in (3, 3, 4):
        receive(setup, order.reference, (1, quantity))
    view = services.purchase_orders.get_purchase_order(setup, order.reference)
    assert (view.status, view.lines[0].received, view.lines[0].open) == ("received", 10, 0)
    assert view.receipts == ("GRN-000001", "GRN-000002", "GRN-000003")
    assert [r.reference for r in services.receiving.list_receipts(setup, order.reference)] == list(view.receipts)


def test_goods_go_to_a_bin_inside_the_destination_but_nowhere_else(setup):
    services.locations.create_location(setup, CreateLocation(code="LA", name="LA", kind="warehouse"))
    order = placed(setup, ("W", 10, "1"))
    receive(setup, order.reference, ReceiptLine(1, 2, location="NY-A1"), ReceiptLine(1, 3))
    assert (at(setup, "W", "NY-A1"), at(setup, "W", "NY")) == (2, 3)
    receive(setup, order.reference, ReceiptLine(1, 1), location="NY-A1")
    assert at(setup, "W", "NY-A1") == 3
    with pytest.raises(InvalidInput) as caught:
        receive(setup, order.reference, ReceiptLine(1, 1, location="LA"))
    assert caught.value.field == "lines[0].location"


def test_over_receipt_beyond_the_tolerance_is_refused_naming_the_field_and_writes_nothing(setup):
    order = placed(setup, ("W", 10, "1"))
    before = move_count(setup)
    with pytest.raises(OverReceipt) as caught:
        receive(setup, order.reference, (1, 6), (1, 5))
    assert caught.value.field == "lines[1].quantity"
    assert caught.value.to_dict()["allowed"] == "10"
    assert move_count(setup) == before and level(setup, "W") == (0, 0, 0)


def test_the_company_tolerance_allows_a_little_more_and_a_supplier_may_override_it(setup):
    services.company.update_company(setup, UpdateCompany(over_receipt_tolerance_pct="10"))
    order = placed(setup, ("W", 10, "1"))
    assert receive(setup, order.reference, (1, 11)).purchase_order_status == "received"
    supplier(setup, "STRICT", over_receipt_tolerance_pct="0")
    strict = placed(setup, ("W", 10, "1"), supplier="STRICT")
    with pytest.raises(OverReceipt):
        receive(setup, strict.reference, (1, 11))


def test_an_under_receipt_leaves_the_line_open_until_the_order_is_closed(setup):
    order = placed(setup, ("W", 10, "1"))
    assert receive(setup, order.reference, (1, 9)).purchase_order_status == "partially_received"
    assert services.purchase_orders.close_purchase_order(setup, PurchaseOrderAction(order.reference)).lines[0].open == 0


def test_a_serial_tracked_line_receives_one_lot_per_serial(setup):
    order = placed(setup, ("CAM", 3, "100"))
    receipt = receive(setup, order.reference, ReceiptLine(1, serials=["SN1", "SN2", "SN3"]))
    assert [(ln.lot, ln.quantity) for ln in receipt.lines] == [("SN1", 1), ("SN2", 1), ("SN3", 1)]
    assert level(setup, "CAM") == (3, 0, 3)


def test_serials_must_match_the_quantity_and_not_be_in_stock_already(setup):
    order = placed(setup, ("CAM", 5, "100"))
    for line, field in ((ReceiptLine(1, 2, serials=["A"]), "lines[0].serials"),
                        (ReceiptLine(1, serials=["A", "A"]), "lines[0].serials"),
                        (ReceiptLine(1, 1, lot="A"), "lines[0].lot")):
        with pytest.raises(InvalidInput) as caught:
            receive(setup, order.reference, line)
        assert caught.value.field == field
    receive(setup, order.reference, ReceiptLine(1, serials=["A"]))
    with pytest.raises(Conflict, match="already in stock"):
        receive(setup, order.reference, ReceiptLine(1, serials=["A"]))


def test_a_lot_tracked_line_needs_a_lot_and_a_known_lot_keeps_its_expiry(setup):
    order = placed(setup, ("TEA", 20, "2"), ("W", 5, "1"))
    with pytest.raises(InvalidInput) as caught:
        receive(setup, order.reference, (2, 1), (1, 1))
    assert caught.value.field == "lines[1].lot"
    with pytest.raises(InvalidInput) as caught:
        receive(setup, order.reference, ReceiptLine(2, 1, lot="X"))
    assert caught.value.field == "lines[0].lot"
    receive(setup, order.reference, ReceiptLine(1, 5, lot="T1", expiry_date="2026-12-31"))
    receive(setup, order.reference, ReceiptLine(1, 5, lot="T1"))
    with pytest.raises(InvalidInput) as caught:
        receive(setup, order.reference, ReceiptLine(1, 5, lot="T1", expiry_date="2027-01-31"))
    assert caught.value.field == "lines[0].expiry_date"
    assert level(setup, "TEA", lot="T1") == (10, 0, 10)


def test_a_gs1_128_scan_gives_item_lot_expiry_and_count(setup):
    order = placed(setup, ("W", 1, "1"), ("TEA", 24, "2"))
    scan = f"]C101{GTIN_TEA}17270600{GS}10B-77{GS}3012"
    receipt = receive(setup, order.reference, ReceiptLine(barcode=scan))
    (line,) = receipt.lines
    assert (line.line_no, line.sku, line.lot, line.quantity) == (2, "TEA", "B-77", 12)
    assert line.expiry_date == date(2027, 6, 30)


def test_a_scan_in_human_readable_form_and_a_typed_quantity_work_together(setup):
    order = placed(setup, ("TEA", 24, "2"))
    receipt = receive(setup, order.reference, ReceiptLine(barcode=f"(01){GTIN_TEA}(10)B-78(17)271231", quantity=5))
    assert [(ln.lot, ln.quantity, ln.expiry_date) for ln in receipt.lines] == [("B-78", 5, date(2027, 12, 31))]


def test_a_bad_scan_is_refused_naming_the_field_not_guessed(setup):
    services.items.create_item(setup, CreateItem(sku="OTHER", name="Other", gtin="5901234123457"))
    order = placed(setup, ("TEA", 24, "2"))
    cases = [("]C10109501101530003", NotFound), ("(01)07032069804989", InvalidInput), ("hello", InvalidInput),
             ("5901234123457", InvalidInput), (f"(01){GTIN_TEA}(10)X", None)]
    for code, error in cases:
        line = ReceiptLine(barcode=code, line_no=1 if error is None else None)
        if error is None:
            with pytest.raises(InvalidInput) as caught:  # typed lot differs from scanned
                receive(setup, order.reference, ReceiptLine(barcode=code, lot="Y"))
            assert caught.value.field == "lines[0].lot"
            continue
        with pytest.raises(error) as caught:
            receive(setup, order.reference, line)
        assert caught.value.field == "lines[0].barcode", code


def test_the_scan_service_resolves_a_code_without_writing(setup):
    found = services.scanning.scan(setup, f"]d201{GTIN_TEA}17280200{GS}10L9{GS}21S-1")
    assert (found.sku, found.lot, found.expiry_date, found.serial, found.symbology) == (
        "TEA", "L9", date(2028, 2, 29), "S-1", "]d2")
    with pytest.raises(NotFound) as caught:
        services.scanning.scan(setup, "0109501101530003")
    assert caught.value.field == "barcode"


def test_a_foreign_currency_receipt_needs_its_exchange_rate(setup):
    supplier(setup, "EUROS", currency="EUR")
    order = placed(setup, ("W", 10, "1.5"), supplier="EUROS")
    assert order.currency == "EUR"
    with pytest.raises(InvalidInput) as caught:
        receive(setup, order.reference, (1, 1))
    assert caught.value.field == "exchange_rate"
    receipt = receive(setup, order.reference, (1, 1), exchange_rate="1.085")
    assert (receipt.currency, receipt.exchange_rate, receipt.company_currency) == ("EUR", Decimal("1.085"), "USD")
    home = placed(setup, ("W", 1, "1"))
    with pytest.raises(InvalidInput):
        receive(setup, home.reference, (1, 1), exchange_rate="2")


def test_a_receipt_reference_is_unique_and_a_retry_with_its_key_posts_once(setup):
    order = placed(setup, ("W", 10, "1"))
    first = receive(setup, order.reference, (1, 2), idempotency_key="r-1")
    assert receive(setup, order.reference, (1, 2), idempotency_key="r-1") == first
    assert level(setup, "W") == (2, 0, 2)
    receive(setup, order.reference, (1, 1), receipt_reference="DN-5")
    with pytest.raises(AlreadyExists):
        receive(setup, order.reference, (1, 1), receipt_reference="DN-5")
    assert services.receiving.get_receipt(setup, "DN-5").lines[0].quantity == 1


def test_receiving_serves_backorders(setup):
    from tests.integration.helpers import allocated

    backordered = allocated(setup, ("W", 3))
    assert backordered.status == "backordered"
    order = placed(setup, ("W", 5, "1"))
    receive(setup, order.reference, (1, 5))
    assert services.sales_orders.get_order(setup, backordered.reference).status == "allocated"

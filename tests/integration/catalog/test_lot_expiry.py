"""A new lot of an item with a shelf life always gets an expiry: given, or the production
date plus the shelf life; with neither it is refused (it would never expire)."""

from __future__ import annotations

from datetime import date

import pytest

from onhand import services
from onhand.domain.catalog.commands import CreateLot, UpdateItem
from onhand.domain.errors import InvalidInput
from onhand.services.purchasing.receiving import ReceiptLine
from tests.integration.helpers import adjust, assert_books_balance, move_count
from tests.integration.purchasing_helpers import placed, purchasing_setup, receive


@pytest.fixture
def shelf_life(onhand):
    purchasing_setup(onhand)
    services.items.update_item(onhand, UpdateItem(sku="TEA", shelf_life_days=30))
    return onhand


@pytest.mark.parametrize("expiry", [None, ""])
def test_found_stock_of_a_new_lot_without_expiry_or_production_date_is_refused(shelf_life, expiry):
    with pytest.raises(InvalidInput, match="shelf life of 30 days") as error:
        adjust(shelf_life, "NY", "TEA", "5", lot="L1", expiry_date=expiry)
    assert error.value.field == "lines[0].expiry_date"
    assert move_count(shelf_life) == 0
    assert services.lots.list_lots(shelf_life, sku="TEA") == []


def test_found_stock_of_a_new_lot_with_a_production_date_expires_a_shelf_life_later(shelf_life):
    adjust(shelf_life, "NY", "TEA", "5", lot="L1", production_date="2026-03-01")
    (lot,) = services.lots.list_lots(shelf_life, sku="TEA")
    assert lot.expiry_date == date(2026, 3, 31)
    assert_books_balance(shelf_life)


def test_a_receipt_of_a_new_lot_without_expiry_or_production_date_is_refused(shelf_life):
    order = placed(shelf_life, ("TEA", "5", "2"))
    with pytest.raises(InvalidInput) as error:
        receive(shelf_life, order.reference, ReceiptLine(1, "5", lot="L1"))
    assert error.value.field == "lines[0].expiry_date"
    assert move_count(shelf_life) == 0


def test_a_lot_defined_without_expiry_or_production_date_is_refused(shelf_life):
    with pytest.raises(InvalidInput) as error:
        services.lots.create_lot(shelf_life, CreateLot(sku="TEA", code="L1", expiry_date=""))
    assert error.value.field == "expiry_date"


def test_a_lot_of_an_item_without_a_shelf_life_may_have_no_expiry(onhand):
    purchasing_setup(onhand)
    adjust(onhand, "NY", "TEA", "5", lot="L1")
    (lot,) = services.lots.list_lots(onhand, sku="TEA")
    assert lot.expiry_date is None


def test_a_production_date_whose_shelf_life_ends_after_9999_is_refused_naming_it(shelf_life):
    with pytest.raises(InvalidInput) as error:
        adjust(shelf_life, "NY", "TEA", "5", lot="L1", production_date="9999-12-15")
    assert error.value.field == "lines[0].production_date"

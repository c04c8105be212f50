"""Picking by scanning: one GS1 code gives the item, the lot and the count."""

import pytest

from onhand import services
from onhand.domain.errors import InvalidInput, NotFound
from onhand.domain.orders.commands import ConfirmPick, PickConfirmation
from tests.integration.helpers import add_item, add_place, adjust, allocated, assert_books_balance

HONEY_GTIN = "09506000134352"


@pytest.fixture
def promised(onhand):
    add_item(onhand, "HONEY", tracking="lot", gtin=HONEY_GTIN)
    add_item(onhand, "W")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "HONEY", 4, lot="H-EARLY", expiry_date="2026-09-30")
    adjust(onhand, "NY", "HONEY", 4, lot="H-LATE", expiry_date="2027-01-31")
    view = allocated(onhand, ("HONEY", 3))
    yield onhand, view.reference
    assert_books_balance(onhand)


def pick(onhand, reference, **fields):
    fields = {"sku": None, "location": "NY", "quantity": None} | fields
    return services.picking.confirm_pick(onhand, ConfirmPick(reference, picks=[PickConfirmation(**fields)]))


def test_a_scanned_gs1_code_names_the_item_lot_and_count_picked(promised):
    onhand, reference = promised
    view = pick(onhand, reference, barcode=f"]C1010{HONEY_GTIN[1:]}17260930\x1d10H-EARLY\x1d302")
    assert [(r.lot, r.quantity, r.picked) for r in view.lines[0].reservations] == [("H-EARLY", 3, 2)]


def test_a_scanned_lot_other_than_the_suggested_one_takes_its_place(promised):
    onhand, reference = promised
    view = pick(onhand, reference, barcode=f"(01){HONEY_GTIN}(17)270131(10)H-LATE", quantity=3)
    assert [(r.lot, r.quantity, r.picked) for r in view.lines[0].reservations] == [("H-LATE", 3, 3)]


def test_a_bare_gtin_needs_the_lot_typed_and_defaults_to_one_unit(promised):
    onhand, reference = promised
    view = pick(onhand, reference, barcode=HONEY_GTIN, lot="H-EARLY")
    assert view.lines[0].picked == 1


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"barcode": "(01)09506000134353(10)H-EARLY"}, "picks[0].barcode", InvalidInput),  # check digit
        ({"barcode": "(01)00614141000418(10)H-EARLY"}, "picks[0].barcode", NotFound),  # nobody's GTIN
        ({"barcode": f"(01){HONEY_GTIN}(10)H-EARLY", "sku": "W"}, "picks[0].sku", InvalidInput),
        ({"barcode": f"(01){HONEY_GTIN}(10)H-EARLY", "lot": "H-LATE"}, "picks[0].lot", InvalidInput),
        ({"barcode": HONEY_GTIN}, "picks[0].lot", InvalidInput),
        ({"sku": "HONEY"}, "picks[0].quantity", InvalidInput),
    ],
)
def test_a_scan_that_does_not_name_what_was_picked_is_refused_and_changes_nothing(promised, fields, field, error):
    onhand, reference = promised
    with pytest.raises(error) as refused:
        pick(onhand, reference, **fields)
    assert refused.value.field == field
    assert services.sales_orders.get_order(onhand, reference).lines[0].picked == 0

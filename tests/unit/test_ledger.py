from decimal import Decimal

import pytest

from onhand.domain.catalog.items import Item, Tracking
from onhand.domain.catalog.locations import Location, LocationKind
from onhand.domain.catalog.lots import Lot
from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.availability import available
from onhand.domain.ledger.postings import (
    MoveLine,
    PostingDraft,
    PostingKind,
    adjustment_move,
    balance_deltas,
    count_move,
    fold,
    validate_posting,
)
from onhand.domain.quantities import UnitOfMeasure

EACH = UnitOfMeasure("each", "Each", 0)
WIDGET = Item(1, "W-1", "Widget", EACH, Tracking.NONE)
TEA = Item(2, "TEA", "Tea", EACH, Tracking.LOT)
PHONE = Item(3, "PHONE", "Phone", EACH, Tracking.SERIAL)
NY = Location(10, "NY", "New York", LocationKind.WAREHOUSE, path=(10,))
LA = Location(11, "LA", "Los Angeles", LocationKind.STORE, path=(11,))
ADJ = Location(3, "ADJUSTMENT", "Adjustment", LocationKind.ADJUSTMENT, path=(3,))
CUSTOMER = Location(2, "CUSTOMER", "Customer", LocationKind.CUSTOMER, path=(2,))


def draft(*moves, kind=PostingKind.ADJUSTMENT):
    return PostingDraft(kind=kind, moves=tuple(moves))


def test_every_move_changes_two_balances_by_opposite_amounts():
    deltas = balance_deltas([MoveLine(WIDGET, NY, LA, Decimal(4))])
    assert deltas == {(1, 10, 0): Decimal(-4), (1, 11, 0): Decimal(4)}


def test_moves_that_cancel_out_leave_no_delta():
    moves = [MoveLine(WIDGET, NY, LA, Decimal(4)), MoveLine(WIDGET, LA, NY, Decimal(4))]
    assert balance_deltas(moves) == {}


def test_found_stock_comes_from_the_adjustment_location_and_lost_stock_goes_to_it():
    found = adjustment_move(WIDGET, NY, Decimal(5), ADJ)
    lost = adjustment_move(WIDGET, NY, Decimal(-2), ADJ)
    assert (found.source, found.destination, found.quantity) == (ADJ, NY, 5)
    assert (lost.source, lost.destination, lost.quantity) == (NY, ADJ, 2)


def test_a_count_posts_only_the_difference():
    assert count_move(WIDGET, NY, Decimal(7), Decimal(10), ADJ).quantity == 3
    assert count_move(WIDGET, NY, Decimal(10), Decimal(10), ADJ) is None


def test_a_lot_tracked_item_cannot_move_without_its_lot():
    with pytest.raises(InvalidInput) as error:
        validate_posting(draft(MoveLine(TEA, ADJ, NY, Decimal(1))))
    assert error.value.field == "moves[0].lot"


def test_a_plain_item_cannot_carry_a_lot():
    with pytest.raises(InvalidInput):
        validate_posting(draft(MoveLine(WIDGET, ADJ, NY, Decimal(1), Lot(5, 1, "L"))))


def test_a_lot_of_another_item_is_refused():
    with pytest.raises(InvalidInput, match="another item"):
        validate_posting(draft(MoveLine(TEA, ADJ, NY, Decimal(1), Lot(5, 99, "L"))))


def test_a_serial_number_moves_one_unit_at_a_time():
    with pytest.raises(InvalidInput, match="one unit"):
        validate_posting(draft(MoveLine(PHONE, ADJ, NY, Decimal(2), Lot(6, 3, "SN1"))))


def test_a_move_between_two_virtual_locations_is_meaningless():
    with pytest.raises(InvalidInput, match="internal"):
        validate_posting(draft(MoveLine(WIDGET, ADJ, CUSTOMER, Decimal(1))))


def test_an_empty_posting_is_refused_except_for_a_count_that_agreed():
    with pytest.raises(InvalidInput):
        validate_posting(draft())
    validate_posting(draft(kind=PostingKind.COUNT))


def test_fold_of_the_ledger_sums_to_zero_for_every_item():
    balances = fold([(1, 3, 10, None, Decimal(5)), (1, 10, 2, None, Decimal(2))])
    assert balances == {(1, 3, 0): -5, (1, 10, 0): 3, (1, 2, 0): 2}
    assert sum(balances.values()) == 0


def test_available_is_on_hand_less_reserved_and_never_negative():
    assert available(Decimal(10), Decimal(3), sellable=True, lot_usable=True) == 7
    assert available(Decimal(2), Decimal(3), sellable=True, lot_usable=True) == 0


def test_nothing_is_available_at_a_non_sellable_place_or_in_an_unusable_lot():
    assert available(Decimal(10), Decimal(0), sellable=False, lot_usable=True) == 0
    assert available(Decimal(10), Decimal(0), sellable=True, lot_usable=False) == 0

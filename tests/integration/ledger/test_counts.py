import pytest

from onhand import services
from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.commands import PostStockCount
from onhand.services.ledger.postings import StockLine
from tests.integration.helpers import add_item, add_place, adjust, at, level, move_count


@pytest.fixture
def stocked(onhand):
    add_item(onhand, "W-1")
    add_item(onhand, "TEA", tracking="lot")
    add_place(onhand, "NY")
    add_place(onhand, "NY-A1", kind="bin", parent="NY")
    adjust(onhand, "NY", "W-1", 10)
    adjust(onhand, "NY-A1", "W-1", 4)
    adjust(onhand, "NY", "TEA", 6, lot="L1")
    return onhand


def count(onhand, location, *lines, **options):
    return services.counts.post_stock_count(onhand, PostStockCount(location=location, lines=list(lines), **options))


def test_a_count_sets_on_hand_to_what_was_counted(stocked):
    posting = count(stocked, "NY", StockLine("W-1", 8), StockLine("TEA", 7, "L1"))
    assert at(stocked, "W-1", "NY") == 8
    assert level(stocked, "TEA") == (7, 0, 7)
    assert [(m.from_location, m.to_location, m.quantity) for m in posting.moves] == [
        ("NY", "ADJUSTMENT", 2),
        ("ADJUSTMENT", "NY", 1),
    ]
    assert posting.kind == "count" and posting.reason == "count"


def test_a_count_covers_exactly_its_location_not_the_bins_below(stocked):
    count(stocked, "NY", StockLine("W-1", 0))
    assert level(stocked, "W-1", "NY") == (4, 0, 4)  # what is left is in bin NY-A1


def test_a_count_that_agrees_is_recorded_without_moves(stocked):
    before = move_count(stocked)
    posting = count(stocked, "NY", StockLine("W-1", 10), reference="CYCLE-1")
    assert posting.moves == () and posting.reference == "CYCLE-1"
    assert move_count(stocked) == before


def test_a_counted_lot_never_seen_before_is_created_as_found(stocked):
    count(stocked, "NY", StockLine("TEA", 3, "L9", expiry_date="2027-02-01"))
    (lot,) = [lot for lot in services.lots.list_lots(stocked, "TEA") if lot.code == "L9"]
    assert str(lot.expiry_date) == "2027-02-01"
    assert level(stocked, "TEA", lot="L9") == (3, 0, 3)


def test_counting_the_same_item_twice_in_one_count_is_refused(stocked):
    with pytest.raises(InvalidInput, match="counted twice"):
        count(stocked, "NY", StockLine("W-1", 1), StockLine("W-1", 2))
    assert at(stocked, "W-1", "NY") == 10


def test_a_negative_count_is_refused(stocked):
    with pytest.raises(InvalidInput) as error:
        count(stocked, "NY", StockLine("W-1", -1))
    assert error.value.field == "lines[0].quantity"


def test_a_lot_tracked_item_is_counted_per_lot(stocked):
    with pytest.raises(InvalidInput) as error:
        count(stocked, "NY", StockLine("TEA", 5))
    assert error.value.field == "lines[0].lot"

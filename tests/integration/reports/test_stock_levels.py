from datetime import date

import pytest

from onhand import services
from onhand.domain.catalog.commands import SetLotStatus
from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.commands import MoveStock
from onhand.services.ledger.postings import StockLine
from tests.integration.helpers import add_item, add_place, adjust, level


@pytest.fixture
def seed(onhand):
    """The article's example: 20 in New York, 30 in the LA store, 50 on the ocean."""
    add_item(onhand, "WIDGET")
    add_place(onhand, "NY")
    add_place(onhand, "NY-A1", kind="bin", parent="NY")
    add_place(onhand, "LA", kind="store")
    add_place(onhand, "OCEAN-1", kind="transit")
    adjust(onhand, "NY-A1", "WIDGET", 20)
    adjust(onhand, "LA", "WIDGET", 80)
    services.relocations.move_stock(
        onhand, MoveStock(source="LA", destination="OCEAN-1", lines=[StockLine("WIDGET", 50)])
    )
    return onhand


def test_stock_in_transit_is_on_hand_but_not_available(seed):
    assert level(seed, "WIDGET") == (100, 0, 50)


def test_the_per_location_breakdown_rolls_bins_into_their_warehouse(seed):
    report = services.stock.stock_levels(seed, sku="WIDGET", group_by="location")
    assert [(lv.location, lv.on_hand, lv.available) for lv in report.levels] == [
        ("LA", 30, 30),
        ("NY", 20, 20),
        ("OCEAN-1", 50, 0),
    ]


def test_a_location_filter_includes_its_bins(seed):
    assert level(seed, "WIDGET", location="NY") == (20, 0, 20)
    assert level(seed, "WIDGET", location="NY", group_by="location") == (20, 0, 20)
    report = services.stock.stock_levels(seed, sku="WIDGET", location="NY", group_by="bin")
    assert [(lv.location, lv.on_hand) for lv in report.levels] == [("NY-A1", 20)]


def test_a_non_sellable_location_holds_stock_that_is_not_available(onhand):
    add_item(onhand, "W-1")
    add_place(onhand, "QC", sellable=False)
    add_place(onhand, "QC-1", kind="bin", parent="QC")
    adjust(onhand, "QC-1", "W-1", 5)
    assert level(onhand, "W-1") == (5, 0, 0)


def test_expired_quarantined_and_recalled_lots_are_not_available(onhand, clock):
    add_item(onhand, "TEA", tracking="lot")
    add_place(onhand, "NY")
    today = clock().date()
    adjust(onhand, "NY", "TEA", 1, lot="GOOD", expiry_date=str(today))
    adjust(onhand, "NY", "TEA", 2, lot="OLD", expiry_date="2020-01-01")
    adjust(onhand, "NY", "TEA", 4, lot="HELD")
    adjust(onhand, "NY", "TEA", 8, lot="BAD")
    services.lots.set_lot_status(onhand, SetLotStatus(sku="TEA", code="HELD", status="quarantined"))
    services.lots.set_lot_status(onhand, SetLotStatus(sku="TEA", code="BAD", status="recalled"))
    assert level(onhand, "TEA") == (15, 0, 1)
    by_lot = services.stock.stock_levels(onhand, sku="TEA", group_by="lot").levels
    assert [(lv.lot, lv.available) for lv in by_lot] == [
        ("OLD", 0), ("GOOD", 1), ("BAD", 0), ("HELD", 0),
    ]
    clock.advance(days=1)
    assert level(onhand, "TEA") == (15, 0, 0)  # GOOD expired at midnight


def test_lot_levels_come_first_expired_first(onhand):
    add_item(onhand, "TEA", tracking="lot")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "TEA", 1, lot="LATE", expiry_date="2027-09-01")
    adjust(onhand, "NY", "TEA", 1, lot="SOON", expiry_date="2027-03-01")
    levels = services.stock.stock_levels(onhand, sku="TEA", group_by="lot").levels
    assert [(lv.lot, lv.expiry_date) for lv in levels] == [
        ("SOON", date(2027, 3, 1)),
        ("LATE", date(2027, 9, 1)),
    ]


def test_movement_history_of_an_item_a_location_and_a_lot(seed):
    adjust(seed, "NY-A1", "WIDGET", -1, reason="damaged")
    by_item = services.stock.movement_history(seed, sku="WIDGET")
    assert [m.posting_kind for m in by_item] == ["adjustment", "relocation", "adjustment", "adjustment"]
    by_place = services.stock.movement_history(seed, location="NY")
    assert [(m.from_location, m.to_location, m.quantity) for m in by_place] == [
        ("NY-A1", "ADJUSTMENT", 1),
        ("ADJUSTMENT", "NY-A1", 20),
    ]
    page = services.stock.movement_history(seed, sku="WIDGET", limit=2)
    rest = services.stock.movement_history(seed, sku="WIDGET", before_id=page[-1].id)
    assert [m.id for m in page + rest] == [m.id for m in by_item]


def test_history_of_a_lot(onhand):
    add_item(onhand, "TEA", tracking="lot")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "TEA", 5, lot="L1")
    adjust(onhand, "NY", "TEA", 7, lot="L2")
    moves = services.stock.movement_history(onhand, sku="TEA", lot="L2")
    assert [(m.lot, m.quantity) for m in moves] == [("L2", 7)]


def test_bad_queries_name_the_field(onhand):
    with pytest.raises(InvalidInput) as error:
        services.stock.stock_levels(onhand, group_by="planet")
    assert error.value.field == "group_by"
    with pytest.raises(InvalidInput) as error:
        services.stock.stock_levels(onhand, lot="L1")
    assert error.value.field == "lot"

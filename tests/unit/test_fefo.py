"""First-expired-first-out on plain values: which lots qualify, in which order, how much of each."""

from datetime import date
from decimal import Decimal

from onhand.domain.catalog.fefo import LotStock, fefo, fefo_key, good_until, qualifies, take
from onhand.domain.catalog.lots import LotStatus

TODAY = date(2026, 3, 2)


def lot(lot_id, expiry=None, available=10, status=LotStatus.RELEASED, location_id=1):
    return LotStock(
        location_id=location_id,
        lot_id=lot_id,
        lot_code=f"L{lot_id}" if lot_id else None,
        expiry_date=expiry,
        status=status,
        available=Decimal(available),
    )


def ids(stocks):
    return [s.lot_id for s in stocks]


def test_dated_lots_come_first_by_expiry_and_undated_lots_last():
    stocks = [lot(1), lot(2, date(2026, 9, 1)), lot(3, date(2026, 4, 1)), lot(4, date(2026, 6, 1))]
    assert ids(fefo(stocks, today=TODAY, ship_date=TODAY)) == [3, 4, 2, 1]


def test_lots_expiring_the_same_day_go_oldest_lot_first():
    stocks = [lot(9, date(2026, 5, 1)), lot(2, date(2026, 5, 1)), lot(5, date(2026, 5, 1))]
    assert ids(fefo(stocks, today=TODAY, ship_date=TODAY)) == [2, 5, 9]


def test_undated_lots_among_themselves_go_oldest_lot_first_and_untracked_stock_sorts_with_them():
    stocks = [lot(7), lot(None), lot(3), lot(1, date(2027, 1, 1))]
    assert ids(fefo(stocks, today=TODAY, ship_date=TODAY)) == [1, None, 3, 7]
    assert fefo_key(lot(None)) == (True, date.max, 0)


def test_expired_quarantined_and_recalled_lots_are_skipped():
    stocks = [
        lot(1, date(2026, 3, 1)),  # expired yesterday
        lot(2, date(2026, 4, 1), status=LotStatus.QUARANTINED),
        lot(3, date(2026, 4, 1), status=LotStatus.RECALLED),
        lot(4, date(2026, 3, 2)),  # expires today: still usable today
        lot(5, status=LotStatus.RECALLED),
    ]
    assert ids(fefo(stocks, today=TODAY, ship_date=TODAY)) == [4]


def test_lots_without_free_stock_are_skipped():
    stocks = [lot(1, date(2026, 4, 1), available=0), lot(2, date(2026, 5, 1), available=-2), lot(3)]
    assert ids(fefo(stocks, today=TODAY, ship_date=TODAY)) == [3]


def test_a_lot_expiring_before_the_ship_date_does_not_qualify_even_if_usable_today():
    stocks = [lot(1, date(2026, 3, 9)), lot(2, date(2026, 3, 10)), lot(3, date(2026, 3, 11))]
    # Usable through its expiry date: a lot expiring on the ship date may still ship that day.
    assert ids(fefo(stocks, today=TODAY, ship_date=date(2026, 3, 10))) == [2, 3]


def test_a_lot_needs_the_minimum_remaining_shelf_life_on_the_ship_date():
    ship = date(2026, 3, 10)
    assert good_until(ship, 30) == date(2026, 4, 9)
    stocks = [lot(1, date(2026, 4, 8)), lot(2, date(2026, 4, 9)), lot(3, date(2026, 4, 10)), lot(4)]
    assert ids(fefo(stocks, today=TODAY, ship_date=ship, min_remaining_days=30)) == [2, 3, 4]


def test_an_undated_lot_always_has_enough_shelf_life_but_must_still_be_released():
    assert qualifies(lot(1), today=TODAY, ship_date=date(2030, 1, 1), min_remaining_days=36_500)
    assert not qualifies(
        lot(1, status=LotStatus.QUARANTINED), today=TODAY, ship_date=TODAY, min_remaining_days=0
    )


def test_a_lot_expired_today_does_not_qualify_whatever_the_ship_date():
    # The ship date cannot be used to resurrect a lot that is already expired.
    assert not qualifies(lot(1, date(2026, 3, 1)), today=TODAY, ship_date=date(2026, 2, 1), min_remaining_days=0)


def test_take_plans_as_much_as_needed_in_the_given_order():
    stocks = [lot(1, available=3), lot(2, available=4), lot(3, available=5)]
    plan = take(stocks, Decimal(5))
    assert [(s.lot_id, q) for s, q in plan] == [(1, 3), (2, 2)]


def test_take_plans_everything_there_is_when_short():
    stocks = [lot(1, available=3), lot(2, available=4)]
    plan = take(stocks, Decimal(10))
    assert [(s.lot_id, q) for s, q in plan] == [(1, 3), (2, 4)]
    assert sum(q for _s, q in plan) == 7


def test_take_of_nothing_plans_nothing():
    assert take([lot(1)], Decimal(0)) == []
    assert take([], Decimal(5)) == []


def test_take_after_fefo_takes_the_first_expiring_lots_in_fractions():
    stocks = [
        lot(1, date(2026, 8, 1), available="1.250"),
        lot(2, date(2026, 4, 1), available="0.500"),
        lot(3, None, available="9"),
    ]
    plan = take(fefo(stocks, today=TODAY, ship_date=TODAY), Decimal("1.5"))
    assert [(s.lot_id, q) for s, q in plan] == [(2, Decimal("0.500")), (1, Decimal("1.000"))]

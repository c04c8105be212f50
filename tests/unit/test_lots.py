from datetime import UTC, date, datetime

from onhand.domain.calendar import business_day, time_zone
from onhand.domain.catalog.lots import Lot, LotStatus, default_expiry, is_expired, is_usable


def test_a_lot_is_usable_through_its_expiry_date_and_expired_the_next_day():
    expiry = date(2026, 5, 31)
    assert not is_expired(expiry, date(2026, 5, 31))
    assert is_expired(expiry, date(2026, 6, 1))


def test_a_lot_without_expiry_never_expires():
    assert not is_expired(None, date(2999, 1, 1))


def test_quarantined_and_recalled_lots_are_not_usable():
    for status in (LotStatus.QUARANTINED, LotStatus.RECALLED):
        lot = Lot(1, 1, "L1", status=status)
        assert not is_usable(lot, date(2026, 1, 1))
    assert is_usable(Lot(1, 1, "L1"), date(2026, 1, 1))


def test_expiry_is_judged_on_the_company_business_day_not_utc():
    # 02:00 UTC on 1 June is still 31 May in New York: the lot is still good there.
    moment = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
    new_york = business_day(moment, time_zone("America/New_York"))
    assert new_york == date(2026, 5, 31)
    assert not is_expired(date(2026, 5, 31), new_york)
    assert is_expired(date(2026, 5, 31), business_day(moment, time_zone("UTC")))


def test_shelf_life_gives_the_expiry_from_the_production_date():
    assert default_expiry(date(2026, 1, 1), 30) == date(2026, 1, 31)
    assert default_expiry(None, 30) is None

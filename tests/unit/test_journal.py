"""The daily summary journal: accounts, balance to the cent, corrections, lock dates."""

from datetime import date
from decimal import Decimal

import pytest

from onhand.domain.accounting.accounts import AccountMap, AccountRole
from onhand.domain.accounting.journal import OpeningEntry, SaleEntry, ValuedEntry, daily_journal
from onhand.domain.accounting.journal_days import ensure_open, journal_day_for
from onhand.domain.accounting.sales_revenue import KitShipment, kit_revenue
from onhand.domain.errors import Conflict, InvalidInput
from onhand.domain.valuation.move_roles import MoveRole

D = Decimal
DAY = date(2026, 3, 2)
ACCOUNTS = AccountMap(
    {
        AccountRole.INVENTORY: "630",
        AccountRole.COGS: "310",
        AccountRole.GOODS_RECEIVED: "2150",
        AccountRole.ADJUSTMENTS: "320",
        AccountRole.PRODUCTION: "330",
        AccountRole.REVENUE: "200",
        AccountRole.SALES_CLEARING: "610",
        AccountRole.ROUNDING: "860",
        AccountRole.OPENING_BALANCE: "840",
    },
    by_category={"coffee": {AccountRole.REVENUE: "205", AccountRole.COGS: "315"}},
)


def entry(move_id: int, role: MoveRole, value: str, location: str = "NY", **kw) -> ValuedEntry:
    return ValuedEntry(move_id, role, D(value), kw.pop("effective", DAY), kw.pop("journal", DAY), location, **kw)


def amounts(journal) -> dict[tuple[str, str | None], Decimal]:
    return {(line.account, line.tracking_option): line.amount for line in journal.lines}


def test_receipts_shipments_and_sales_land_on_their_accounts_one_line_each():
    entries = [entry(1, MoveRole.RECEIPT, "110.00"), entry(2, MoveRole.SHIPMENT, "80.00"),
               entry(3, MoveRole.SHIPMENT, "2.50")]
    sales = [SaleEntry(1, D("150.00"), DAY, DAY)]
    journal = daily_journal(DAY, entries, sales, accounts=ACCOUNTS, currency="usd")
    assert amounts(journal) == {
        ("2150", None): D("-110.00"), ("200", None): D("-150.00"), ("310", None): D("82.50"),
        ("610", None): D("150.00"), ("630", None): D("27.50"),
    }
    assert journal.debits == journal.credits == D("260.00")
    assert (journal.currency, journal.reference) == ("USD", "ONHAND-20260302")


def test_scrap_and_counts_go_to_adjustments_and_builds_net_out_but_for_labour():
    entries = [entry(1, MoveRole.SCRAP, "4.00"), entry(2, MoveRole.ADJUSTMENT_IN, "1.00"),
               entry(3, MoveRole.BUILD_CONSUMPTION, "8.10"), entry(4, MoveRole.BUILD_OUTPUT, "10.35")]
    journal = daily_journal(DAY, entries, accounts=ACCOUNTS, currency="USD")
    assert amounts(journal) == {("320", None): D("3.00"), ("330", None): D("-2.25"), ("630", None): D("-0.75")}


def test_a_category_uses_its_own_accounts_where_it_has_them():
    entries = [entry(1, MoveRole.SHIPMENT, "10.00", category="coffee")]
    sales = [SaleEntry(1, D("25.00"), DAY, DAY, category="coffee")]
    journal = daily_journal(DAY, entries, sales, accounts=ACCOUNTS, currency="USD")
    assert amounts(journal) == {("205", None): D("-25.00"), ("315", None): D("10.00"), ("610", None): D("25.00"),
                                ("630", None): D("-10.00")}


def test_transfers_book_nothing_in_total_and_move_value_between_tracked_locations():
    entries = [entry(1, MoveRole.TRANSFER, "62.00", destination="LA")]
    assert daily_journal(DAY, entries, accounts=ACCOUNTS, currency="USD").lines == ()
    journal = daily_journal(DAY, entries, accounts=ACCOUNTS, currency="USD", tracking_category="Location")
    assert amounts(journal) == {("630", "LA"): D("62.00"), ("630", "NY"): D("-62.00")}


def test_rounding_residue_goes_to_the_rounding_account_never_lost():
    # Inventory nets +0.002 (→ 0.00), GRNI −0.006 (→ −0.01), COGS +0.004 (→ 0.00): a cent is missing.
    entries = [entry(1, MoveRole.RECEIPT, "0.006"), entry(2, MoveRole.SHIPMENT, "0.004")]
    journal = daily_journal(DAY, entries, accounts=ACCOUNTS, currency="USD")
    assert [(line.account, line.amount) for line in journal.lines] == [("2150", D("-0.01")), ("860", D("0.01"))]
    assert journal.debits == journal.credits == D("0.01")


def test_a_variance_on_settled_negative_stock_goes_to_cogs():
    journal = daily_journal(DAY, [entry(1, MoveRole.RECEIPT, "24.00", variance=D("1.00"))], accounts=ACCOUNTS,
                            currency="USD")
    assert amounts(journal) == {("2150", None): D("-24.00"), ("310", None): D("1.00"), ("630", None): D("23.00")}


def test_a_late_posting_for_a_posted_day_goes_into_the_next_open_day_as_a_dated_correction():
    posted = {date(2026, 3, 1), date(2026, 3, 2)}
    day = journal_day_for(date(2026, 3, 1), posted=posted)
    assert day == date(2026, 3, 3)
    entries = [entry(1, MoveRole.SHIPMENT, "5.00", effective=date(2026, 3, 1), journal=day),
               entry(2, MoveRole.SHIPMENT, "7.00", effective=day, journal=day)]
    journal = daily_journal(day, entries, accounts=ACCOUNTS, currency="USD")
    assert [(line.description, line.amount) for line in journal.lines] == [
        ("Cost of goods sold", D("7.00")), ("Inventory asset", D("-7.00")),
        ("Cost of goods sold (correction for 2026-03-01)", D("5.00")),
        ("Inventory asset (correction for 2026-03-01)", D("-5.00")),
    ]
    assert len(journal.corrections) == 2


def test_an_open_day_is_its_own_journal_day_and_a_posted_one_is_frozen():
    assert journal_day_for(DAY, posted=set()) == DAY
    ensure_open(DAY, posted={date(2026, 3, 1)})
    with pytest.raises(Conflict):
        ensure_open(DAY, posted={DAY})


def test_nothing_may_be_dated_on_or_before_the_lock_date():
    with pytest.raises(InvalidInput) as error:
        journal_day_for(date(2026, 2, 28), posted=set(), lock_date=date(2026, 2, 28))
    assert error.value.field == "effective_at"
    assert journal_day_for(date(2026, 3, 1), posted=set(), lock_date=date(2026, 2, 28)) == date(2026, 3, 1)


def test_entries_of_other_days_are_left_out():
    journal = daily_journal(DAY, [entry(1, MoveRole.SHIPMENT, "5.00", journal=date(2026, 3, 3))], accounts=ACCOUNTS,
                            currency="USD")
    assert journal.lines == ()


def test_the_same_entries_in_any_order_give_the_same_journal():
    entries = [entry(i, role, f"{i}.{i}7", location=loc, destination="LA")
               for i, (role, loc) in enumerate([(MoveRole.RECEIPT, "NY"), (MoveRole.SHIPMENT, "LA"),
                                                (MoveRole.TRANSFER, "NY"), (MoveRole.SCRAP, "SF")], 1)]
    first = daily_journal(DAY, entries, accounts=ACCOUNTS, currency="USD", tracking_category="Location")
    again = daily_journal(DAY, entries[::-1], accounts=ACCOUNTS, currency="USD", tracking_category="Location")
    assert first == again


def test_an_account_map_needs_every_role_and_valid_codes():
    with pytest.raises(InvalidInput) as error:
        AccountMap({AccountRole.INVENTORY: "630"})
    assert "cogs" in error.value.reason
    with pytest.raises(InvalidInput):
        AccountMap({**ACCOUNTS.defaults, AccountRole.COGS: "  "})


def test_an_opening_valuation_debits_inventory_against_the_opening_balance_and_its_variance_goes_to_cogs():
    opening = OpeningEntry(D("20.000001"), DAY, DAY, location="LA", variance=D("12"))
    journal = daily_journal(DAY, [], openings=[opening], accounts=ACCOUNTS, currency="USD")
    assert amounts(journal) == {("310", None): D("12.00"), ("630", None): D("8.00"), ("840", None): D("-20.00")}
    assert journal.debits == journal.credits


def test_kit_revenue_recognizes_each_kit_once_on_the_shipment_that_completes_it():
    from datetime import UTC, datetime

    def at(hour: int, sid: int, **quantities: str) -> KitShipment:
        return KitShipment(datetime(2026, 3, 2, hour, tzinfo=UTC), sid, 1,
                           {int(k[1:]): D(v) for k, v in quantities.items()})

    per_kit = {2: D(1), 3: D(2)}
    shipped = [at(12, 3, l3="2.5"), at(9, 1, l2="3", l3="3"), at(10, 2, l3="0.5")]  # out of order on purpose
    found = kit_revenue(D("7.333333"), per_kit, shipped)
    assert [(s.shipment_id, amount) for s, amount in found] == [(1, D("7.333333")), (3, D("14.666666"))]
    assert sum(amount for _s, amount in found) == 3 * D("7.333333")
    assert kit_revenue(D(5), {}, shipped) == []

"""Customer returns reverse revenue in the daily summary journal: the returned quantity ×
the line's price (or the refund price given; 0 = no refund) × the order's rate, Dr Sales
returns (the revenue account unless one is set) / Cr Sales clearing, on the return's day;
returned bundle components reverse the kits they broke."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import delete, update

from onhand import services
from onhand.adapters.db.tables import return_lines
from onhand.adapters.db.tables.accounting import journal_basis
from onhand.domain.accounting.commands import PostJournal, UpdateAccountingSettings
from onhand.domain.assemblies.commands import ComponentLine, SetBundleComponents
from onhand.domain.errors import Conflict, InvalidInput
from onhand.domain.orders.commands import CreateOrder, OrderAction, ReceiveReturn, ReturnLine, ShipOrder
from onhand.services.accounting.journal_book import REFUND, SALE, JournalBook
from onhand.services.orders.sales_orders import NewOrderLine
from tests.integration.helpers import add_item, add_place, adjust, level

DAY = date(2026, 3, 2)  # the test clock's day (company time zone UTC)
NEXT = date(2026, 3, 3)
PRICE = D("7.333333")


@pytest.fixture
def nz(onhand):
    """A company in NZD; 5 W at 19.99 USD (rate 1.25) shipped from NY, which held 10 at 4.00."""
    services.accounting_settings.update_accounting_settings(onhand, UpdateAccountingSettings(currency="NZD"))
    add_place(onhand, "NY")
    add_item(onhand, "W")
    adjust(onhand, "NY", "W", 10, unit_cost="4.00")
    created = services.sales_orders.create_order(
        onhand, CreateOrder(lines=[NewOrderLine("W", 5, unit_price="19.99")], currency="USD", exchange_rate="1.25"),
    )
    services.sales_orders.allocate_order(onhand, OrderAction(created.reference))
    services.shipping.ship_order(onhand, ShipOrder(created.reference))
    return onhand


def give_back(onhand, *lines, reference="SO-000001", idempotency_key=None, **options):
    return services.returns.receive_return(onhand, ReceiveReturn(reference, location="NY", lines=list(lines),
        **options), idempotency_key=idempotency_key)


def exact(onhand, kind, day=DAY):
    with onhand.reading() as uow:
        sums = JournalBook(uow).current(day)
    return sum((value for (k, *_), (value, _v) in sums.items() if k == kind), D(0))


def lines(journal, *roles):
    return [(ln.account, ln.description, ln.amount) for ln in journal.lines if ln.role.value in roles]


def test_a_return_of_2_of_5_reverses_exactly_two_fifths_of_the_revenue(nz):
    view = give_back(nz, ReturnLine(1, 2))
    assert view.returns[0].lines[0].refund_unit_price is None  # the default: the line's price
    assert exact(nz, SALE) == D("124.9375")
    assert exact(nz, REFUND) == D("124.9375") * 2 / 5 == D("49.975")
    journal = services.journals.get_journal(nz, DAY).journal
    assert lines(journal, "revenue", "sales_returns", "sales_clearing") == [
        ("200", "Sales revenue", D("-124.94")),
        ("200", "Sales returns", D("49.98")),  # no sales-returns account set: the revenue account
        ("850", "Sales clearing", D("74.96")),  # 124.9375 − 49.975, rounded once
    ]
    assert lines(journal, "cogs", "inventory") == [("310", "Cost of goods sold", D("12.00")),
                                                   ("630", "Inventory asset", D("28.00"))]
    assert journal.debits == journal.credits


def test_a_sales_returns_account_takes_the_reversal_when_one_is_set(nz):
    services.accounting_settings.update_accounting_settings(nz, UpdateAccountingSettings(
        accounts={"sales_returns": "4100"}))
    give_back(nz, ReturnLine(1, 2))
    journal = services.journals.get_journal(nz, DAY).journal
    assert ("4100", "Sales returns", D("49.98")) in lines(journal, "sales_returns")
    assert services.accounting_settings.get_accounting_settings(nz).accounts["sales_returns"] == "4100"


def test_a_refund_price_reverses_what_was_refunded_and_no_refund_reverses_nothing(nz):
    view = give_back(nz, ReturnLine(1, 1, refund_unit_price="15.00"))  # a restocking fee kept
    assert view.returns[0].lines[0].refund_unit_price == D("15")
    assert exact(nz, REFUND) == D("18.75")  # 15.00 × 1.25
    give_back(nz, ReturnLine(1, 1, refund_unit_price="0"))
    assert exact(nz, REFUND) == D("18.75")
    journal = services.journals.get_journal(nz, DAY).journal
    assert ("200", "Sales returns", D("18.75")) in lines(journal, "sales_returns")
    assert journal.debits == journal.credits


def test_bad_refunds_name_the_field_and_change_nothing(nz):
    for given in ("-1", "abc", "1.0000001"):
        with pytest.raises(InvalidInput) as error:
            give_back(nz, ReturnLine(1, 1), ReturnLine(1, 1, refund_unit_price=given))
        assert error.value.field == "lines[1].refund_unit_price"
    with pytest.raises(Conflict) as conflict:  # more than was shipped: nothing to refund
        give_back(nz, ReturnLine(1, 6, refund_unit_price="1"))
    assert str(conflict.value).startswith("lines[0].quantity")
    assert services.sales_orders.get_order(nz, "SO-000001").returns == ()
    assert level(nz, "W") == (5, 0, 5)
    assert exact(nz, REFUND) == 0


def test_a_return_on_a_posted_day_is_booked_once_and_regenerates_identically(nz, onhand, clock):
    give_back(nz, ReturnLine(1, 2))
    before = services.journals.export_journals(nz, DAY, format="xero-json").content
    assert services.journals.export_journals(nz, DAY, format="xero-json").content == before
    clock.advance(days=1)
    posted = services.journals.post_journal(nz, PostJournal(day=DAY))
    assert lines(posted.journal, "sales_returns") == [("200", "Sales returns", D("49.98"))]
    after = services.journals.export_journals(nz, DAY, format="xero-json").content
    assert after == before.replace('"DRAFT"', '"POSTED"')  # a posted day is its open journal, frozen
    for fmt in ("xero-json", "xero-csv", "qbo-json", "csv"):
        made = services.journals.export_journals(nz, DAY, format=fmt).content
        assert services.journals.export_journals(nz, DAY, format=fmt).content == made
    assert services.journals.get_journal(nz, NEXT).journal.corrections == ()  # in the basis: no correction
    # A day posted before returns reversed revenue (its basis has no refund rows) gets the
    # reversal as a dated correction in the next open day, once.
    with onhand.writing() as uow:
        uow.connection.execute(delete(journal_basis).where(journal_basis.c.kind == REFUND))
    nxt = services.journals.get_journal(nz, NEXT).journal
    assert [(ln.description, ln.amount) for ln in nxt.corrections] == [
        ("Sales returns (correction for 2026-03-02)", D("49.98")),  # account 200 sorts before 610
        ("Sales clearing (correction for 2026-03-02)", D("-49.98")),
    ]
    assert nxt.debits == nxt.credits
    clock.advance(days=1)
    services.journals.post_journal(nz, PostJournal(day=NEXT))
    assert services.journals.get_journal(nz, date(2026, 3, 4)).journal.corrections == ()


def test_a_refund_changed_on_a_posted_day_is_a_correction_in_the_next_open_day(nz, onhand, clock):
    give_back(nz, ReturnLine(1, 2))
    clock.advance(days=1)
    services.journals.post_journal(nz, PostJournal(day=DAY))
    with onhand.writing() as uow:
        uow.connection.execute(update(return_lines).values(refund_unit_price=D("9.99")))
    nxt = services.journals.get_journal(nz, NEXT).journal
    # booked 2 × 19.99 × 1.25 = 49.975; now 2 × 9.99 × 1.25 = 24.975
    assert [(ln.description, ln.amount) for ln in nxt.corrections] == [
        ("Sales returns (correction for 2026-03-02)", D("-25.00")),
        ("Sales clearing (correction for 2026-03-02)", D("25.00")),
    ]


@pytest.fixture
def kits(onhand):
    """3 KIT (1 MUG + 2 BAG each) at 7.333333 USD (rate 1.25) shipped, in a company in NZD;
    a mug costs 1, a bag 2: a kit costs 5, the mug's share of its price 1/5, each bag's 2/5."""
    services.accounting_settings.update_accounting_settings(onhand, UpdateAccountingSettings(currency="NZD"))
    add_place(onhand, "NY")
    for sku, cost in (("MUG", "1"), ("BAG", "2")):
        add_item(onhand, sku)
        adjust(onhand, "NY", sku, 10, unit_cost=cost)
    add_item(onhand, "KIT", kind="bundle")
    services.bundles.set_components(onhand, SetBundleComponents(
        "KIT", components=[ComponentLine("MUG", 1), ComponentLine("BAG", 2)]
    ))
    created = services.sales_orders.create_order(
        onhand, CreateOrder(lines=[NewOrderLine("KIT", 3, unit_price=PRICE)], currency="USD", exchange_rate="1.25"),
    )
    services.sales_orders.allocate_order(onhand, OrderAction(created.reference))
    view = services.shipping.ship_order(onhand, ShipOrder(created.reference))
    return onhand, {ln.sku: ln.line_no for ln in view.lines}


def test_a_returned_component_reverses_its_share_of_the_kit_price_by_cost(kits):
    onhand, line = kits
    assert exact(onhand, SALE) == 3 * PRICE * D("1.25")
    give_back(onhand, ReturnLine(line["BAG"], 1))  # a bag: 2/5 of one kit's price, not the kit
    assert exact(onhand, REFUND) == PRICE * D("1.25") * 2 / 5
    give_back(onhand, ReturnLine(line["MUG"], 1))  # the mug: 1/5 more
    assert exact(onhand, REFUND) == PRICE * D("1.25") * 3 / 5
    give_back(onhand, ReturnLine(line["BAG"], 1))  # the other bag: the whole kit, exactly
    assert exact(onhand, REFUND) == PRICE * D("1.25")
    give_back(onhand, ReturnLine(line["MUG"], 1), ReturnLine(line["BAG"], 2))  # a whole kit: 2 → 1
    assert exact(onhand, SALE) - exact(onhand, REFUND) == 1 * PRICE * D("1.25")  # the kit the customer holds
    journal = services.journals.get_journal(onhand, DAY).journal
    assert lines(journal, "revenue", "sales_returns", "sales_clearing") == [
        ("200", "Sales revenue", D("-27.50")),  # 21.999999 × 1.25 = 27.49999875
        ("200", "Sales returns", D("18.33")),  # 2 × 7.333333 × 1.25 = 18.3333325
        ("850", "Sales clearing", D("9.17")),  # 9.16666625
    ]
    assert journal.debits == journal.credits


def test_bundle_components_returned_with_refund_prices_reverse_those_and_may_not_mix_with_the_default(kits):
    onhand, line = kits
    with pytest.raises(InvalidInput) as error:
        give_back(onhand, ReturnLine(line["MUG"], 1, refund_unit_price="2"), ReturnLine(line["BAG"], 2))
    assert error.value.field == "lines[1].refund_unit_price"
    assert services.sales_orders.get_order(onhand, "SO-000001").returns == ()
    give_back(onhand, ReturnLine(line["MUG"], 1, refund_unit_price="2"),
              ReturnLine(line["BAG"], 2, refund_unit_price="1.50"))
    assert exact(onhand, REFUND) == (2 + 2 * D("1.50")) * D("1.25")
    give_back(onhand, ReturnLine(line["BAG"], 1, refund_unit_price="0"))  # no refund
    assert exact(onhand, REFUND) == D("6.25")


def test_a_kit_returned_the_next_day_is_reversed_on_that_day(kits, clock):
    onhand, line = kits
    clock.advance(days=1)
    services.journals.post_journal(onhand, PostJournal(day=DAY))
    give_back(onhand, ReturnLine(line["MUG"], 1), ReturnLine(line["BAG"], 2))
    assert exact(onhand, REFUND, NEXT) == PRICE * D("1.25") and exact(onhand, SALE, NEXT) == 0
    journal = services.journals.get_journal(onhand, NEXT).journal
    assert journal.corrections == () and journal.debits == journal.credits
    assert lines(journal, "sales_returns") == [("200", "Sales returns", D("9.17"))]

"""Concurrent postings of one item's different lots at one place really race here
(threads, each its own connection; PostgreSQL when ONHAND_TEST_DATABASE_URL is set).

Under FIFO or moving average the lots share one cost pool, but not one balance row, so
the balance's guarded update does not order them: valuation must, or one posting's
layers would overwrite another's.
"""

from __future__ import annotations

from decimal import Decimal

from onhand import services
from onhand.domain.ledger.commands import PostAdjustment
from onhand.services.ledger.postings import StockLine
from onhand.services.purchasing.receiving import ReceiptLine
from tests.integration.helpers import assert_books_balance
from tests.integration.orders.test_order_concurrency import race
from tests.integration.purchasing_helpers import placed, purchasing_setup, receive

THREADS = 12
LOTS = [f"L{n}" for n in range(THREADS)]


def test_racing_losses_of_different_lots_keep_the_shared_pool_whole(onhand):
    purchasing_setup(onhand)  # NY, lot-tracked TEA, supplier ACME; FIFO by default
    po = placed(onhand, ("TEA", 10 * THREADS, "2.50")).reference
    receive(onhand, po, *[ReceiptLine(1, 10, lot=lot, expiry_date="2027-01-01") for lot in LOTS])

    def lose(number):
        return services.adjustments.post_adjustment(
            onhand, PostAdjustment(location="NY", reason="damaged", lines=[StockLine("TEA", -3, LOTS[number])])
        )

    race(lose, THREADS)

    report = services.valuation_reports.valuation_report(onhand, group_by="location")
    (line,) = [ln for ln in report.lines if (ln.sku, ln.location) == ("TEA", "NY")]
    assert (line.quantity, line.value) == (Decimal(7 * THREADS), Decimal("2.5") * 7 * THREADS)
    assert report.total_value == Decimal("2.5") * 7 * THREADS
    assert_books_balance(onhand)

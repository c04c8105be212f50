"""FBA stock follows Amazon's inventory report; the flat-file order report back-fills orders once."""

from __future__ import annotations

from pathlib import Path

import pytest

from onhand import services
from onhand.adapters.channels.amazon.flat_file import parse_order_report
from onhand.adapters.channels.amazon.inventory_report import parse_inventory_report
from onhand.domain.channels.commands import UnmapLocation
from onhand.domain.errors import InvalidInput
from onhand.services.channels.amazon_fba import sync_fba_stock
from onhand.services.channels.amazon_sync import backfill_amazon_orders
from tests.integration.channels.amazon_helpers import amazon_shop
from tests.integration.helpers import assert_books_balance, level

FIXTURES = Path(__file__).parent.parent.parent / "fixtures" / "amazon"


def test_the_fba_location_is_counted_to_amazons_figures_with_reason_channel_sync(onhand) -> None:
    amazon_shop(onhand)
    text = (FIXTURES / "fba_myi_unsuppressed_inventory.tsv").read_text().replace("MUG\t", "MUG-AMZ\t", 1)
    units = parse_inventory_report(text + "OTHER\tX\tB0\tOther\tNew\t1\tNo\t\tYes\t3\t3\t0\t0\t3\t0\t0\t0\t0\n")
    posting, unknown = sync_fba_stock(onhand, "amz-us", units)
    assert unknown == ["OTHER"]
    assert posting.reason == "channel_sync"
    assert level(onhand, "MUG", "FBA")[0] == 12 and level(onhand, "MUG", "NY")[0] == 10
    again, _ = sync_fba_stock(onhand, "amz-us", units)
    assert again.moves == ()  # nothing differs: the count is recorded, nothing moves
    assert_books_balance(onhand)


def test_without_an_fba_location_the_sync_is_refused_and_changes_nothing(onhand) -> None:
    amazon_shop(onhand)
    services.channels.unmap_location(onhand, UnmapLocation("amz-us", "FBA"))
    with pytest.raises(InvalidInput) as refused:
        sync_fba_stock(onhand, "amz-us", {"MUG-AMZ": 1})
    assert refused.value.field == "channel"
    assert level(onhand, "MUG", "FBA")[0] == 5


def test_the_flat_file_report_back_fills_each_order_once(onhand) -> None:
    amazon_shop(onhand)
    text = (FIXTURES / "flat_file_all_orders.tsv").read_text().replace("\tMUG\t", "\tMUG-AMZ\t")
    orders = parse_order_report(text)
    first = backfill_amazon_orders(onhand, "amz-us", orders)
    assert first.outcomes == {"imported": 1, "skipped": 1, "shipped": 1}
    again = backfill_amazon_orders(onhand, "amz-us", orders)
    assert again.outcomes == {"unchanged": 2, "skipped": 1}
    assert len(services.sales_orders.list_orders(onhand, channel="amz-us")) == 2
    assert level(onhand, "MUG", "NY")[1] == 3  # the Pending merchant order
    assert level(onhand, "MUG", "FBA")[0] == 3  # 5 less the 2 Amazon shipped

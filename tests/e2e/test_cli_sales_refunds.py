"""`onhand orders create|update --exchange-rate` and `onhand orders return --refund|--no-refund`,
and what the day's journal books for them."""

from __future__ import annotations

from datetime import UTC, datetime

from onhand import services
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.ledger.commands import PostAdjustment
from onhand.services.ledger.postings import StockLine


def ok(result):
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def test_a_usd_order_at_a_rate_and_its_refunds_from_the_command_line(onhand, cli_run):
    ok(cli_run("accounting", "settings", "--currency", "NZD"))  # before any move is valued
    services.items.create_item(onhand, CreateItem(sku="W", name="Widget"))
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    services.adjustments.post_adjustment(onhand, PostAdjustment(
        location="NY", lines=[StockLine("W", 10, unit_cost="4")],
                                         reason="found"))
    refused = cli_run("orders", "create", "--line", "W:5:19.99", "--currency", "USD")
    assert refused.exit_code != 0 and "exchange_rate" in refused.stderr
    created = ok(cli_run("orders", "create", "--line", "W:5:19.99", "--currency", "USD", "--exchange-rate", "1.2"))
    assert "Exchange rate" in created.stdout and "1.2" in created.stdout
    updated = ok(cli_run("orders", "update", "SO-000001", "--exchange-rate", "1.25"))
    assert "1.25" in updated.stdout
    ok(cli_run("orders", "allocate", "SO-000001"))
    ok(cli_run("orders", "ship", "SO-000001"))
    unknown = cli_run("orders", "return", "SO-000001", "--location", "NY", "--line", "1:2", "--refund", "2:1")
    assert unknown.exit_code != 0 and "--refund" in unknown.stderr
    both = cli_run("orders", "return", "SO-000001", "--location", "NY", "--line", "1:1", "--refund", "1:1",
                   "--no-refund")
    assert both.exit_code != 0
    returned = ok(cli_run("orders", "return", "SO-000001", "--location", "NY", "--line", "1:2", "--refund", "1:15"))
    assert "Refund/unit" in returned.stdout and "15" in returned.stdout
    ok(cli_run("orders", "return", "SO-000001", "--location", "NY", "--line", "1:1", "--no-refund"))
    today = datetime.now(UTC).date().isoformat()  # the CLI runs on the real clock
    shown = ok(cli_run("journal", "show", today))
    assert "Sales returns" in shown.stdout and "37.50" in shown.stdout  # 2 × 15.00 × 1.25
    assert "124.94" in shown.stdout  # 5 × 19.99 × 1.25

"""The CLI's accounting commands: settings, journals (list, show, post, export) and reconcile."""

from __future__ import annotations

from onhand import services
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.ledger.commands import PostAdjustment
from onhand.services.ledger.postings import StockLine


def test_settings_are_shown_and_changed(cli_run):
    shown = cli_run("accounting", "settings")
    assert shown.exit_code == 0 and "630" in shown.stdout and "inventory" in shown.stdout
    changed = cli_run("accounting", "settings", "--account", "cogs=500", "--category", "coffee",
                      "--category-account", "revenue=205", "--track-locations", "--lock-date", "2026-01-31")
    assert changed.exit_code == 0 and "500" in changed.stdout and "205" in changed.stdout
    assert "2026-01-31" in changed.stdout
    refused = cli_run("accounting", "settings", "--account", "stock=1")
    assert refused.exit_code != 0 and "accounts.stock" in refused.stderr
    item = cli_run("items", "add", "BEAN", "--name", "Beans", "--category", "coffee")
    assert item.exit_code == 0 and "coffee" in item.stdout


def test_a_past_day_is_shown_posted_exported_and_reconciled(onhand, cli_run, tmp_path):
    # The services run on the test clock (2026-03-02); the CLI on the real one, later.
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    services.items.create_item(onhand, CreateItem(sku="MUG", name="Mug"))
    services.adjustments.post_adjustment(onhand, PostAdjustment(
        location="NY", lines=[StockLine("MUG", 3)], reason="found"))
    shown = cli_run("journal", "show", "2026-03-02")
    assert shown.exit_code == 0 and "ONHAND-20260302" in shown.stdout and "open" in shown.stdout
    listed = cli_run("journal", "list", "--from", "2026-03-01", "--to", "2026-03-03")
    assert listed.exit_code == 0
    posted = cli_run("journal", "post", "2026-03-02", "--lock")
    assert posted.exit_code == 0 and "posted" in posted.stdout
    out = tmp_path / "day.json"
    written = cli_run("journal", "export", "2026-03-02", "--format", "csv", "--output", str(out))
    assert written.exit_code == 0 and out.read_text().startswith("journal_date,reference")
    printed = cli_run("journal", "export", "2026-03-02", "--format", "csv")
    assert printed.stdout == out.read_text()
    empty = cli_run("journal", "export", "2026-03-02", "--format", "xero-json")
    assert empty.exit_code != 0 and "day" in empty.stderr  # found stock without a cost: no lines
    ok = cli_run("journal", "reconcile", "--from", "2026-03-02", "--to", "2026-03-02")
    assert ok.exit_code == 0 and "ok" in ok.stdout
    bad = cli_run("journal", "show", "March 2")
    assert bad.exit_code != 0 and "day" in bad.stderr


def test_the_chart_of_accounts_is_imported_and_checked(cli_run, tmp_path):
    chart = tmp_path / "ChartOfAccounts.csv"
    chart.write_text("*Code,*Name,*Type,*Tax Code\n200,Sales,Revenue,No VAT\n310,Cost of Goods Sold,Direct Costs,"
                     "No VAT\n630,Inventory,Inventory,No VAT\n840,Historical Adjustment,Current Liability,No VAT\n"
                     "850,Suspense,Current Liability,No VAT\n860,Rounding,Current Liability,No VAT\n")
    assert "No chart" in cli_run("accounting", "chart", "check").stdout
    loaded = cli_run("accounting", "chart", "import", str(chart))
    assert loaded.exit_code == 0 and "Ready" in loaded.stdout and "yes" in loaded.stdout
    cli_run("accounting", "settings", "--account", "sales_clearing=610", "--region", "UK")
    checked = cli_run("accounting", "chart", "check")
    assert checked.exit_code == 3 and "accounts.sales_clearing" in checked.stdout and "610" in checked.stdout
    shown = cli_run("accounting", "settings")
    assert "No VAT" in shown.stdout and "dd/mm/yyyy" in shown.stdout

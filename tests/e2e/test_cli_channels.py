"""`onhand channels`: add, map and show a channel from the command line."""

from __future__ import annotations

from onhand import services
from onhand.domain.catalog.commands import CreateItem
from tests.integration.channels.shop import deliver, sample, stocked_shop
from tests.integration.feed.settle import settle
from tests.shopify_stand_in import shopify_stand_in


def test_a_channel_from_the_command_line(onhand, cli_run) -> None:
    services.items.create_item(onhand, CreateItem(sku="MUG", name="Mug"))
    assert cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse").exit_code == 0
    added = cli_run("channels", "add", "shop-us", "--kind", "shopify", "--credentials", "file:/etc/onhand/s.json")
    assert added.exit_code == 0, added.stderr
    assert "secrets from: file" in added.stdout
    assert cli_run("channels", "map", "shop-us", "--location", "NY", "--to", "124656943").exit_code == 0
    mapped = cli_run("channels", "map", "shop-us", "--sku", "MUG", "--variant-id", "39072856")
    assert mapped.exit_code == 0, mapped.stderr
    shown = cli_run("channels", "show", "shop-us")
    assert "124656943" in shown.stdout and "39072856" in shown.stdout
    listed = cli_run("channels", "list")
    assert listed.row("shop-us")[:2] == ["shop-us", "shopify"]
    refused = cli_run("channels", "map", "shop-us")
    assert refused.exit_code != 0


def test_sync_and_reconcile_from_the_command_line(onhand, cli_run, tmp_path) -> None:
    with shopify_stand_in() as (stand_in, url):
        stocked_shop(onhand, tmp_path, endpoint=url)
        mapped = cli_run("channels", "map", "shop-us", "--sku", "IPOD2008BLACK", "--inventory-item-id", "71")
        assert mapped.exit_code == 0, mapped.stderr
        deliver(onhand, sample())
        settle(onhand)
        synced = cli_run("channels", "sync")
        assert synced.exit_code == 0, synced.stderr
        assert "Processed 1 deliveries" in synced.stdout
        settle(onhand)  # PostgreSQL: the order's events are visible to the next sync
        assert cli_run("channels", "sync").exit_code == 0
        assert stand_in.levels == {("71", "487838322"): 3}
        stand_in.levels[("71", "487838322")] = 40
        reconciled = cli_run("channels", "reconcile", "shop-us")
        assert "Compared 1 quantities; corrected 1." in reconciled.stdout
        assert stand_in.levels == {("71", "487838322"): 3}
        assert cli_run("channels", "catch-up", "shop-us", "--since", "2026-03-30").exit_code != 0

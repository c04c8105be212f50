"""`onhand channels`: add, map and show a channel from the command line."""

from __future__ import annotations

from onhand import services
from onhand.domain.catalog.commands import CreateItem


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

"""Archiving items and locations over HTTP and the CLI."""

from __future__ import annotations

import httpx

CSV = {"Content-Type": "text/csv"}


def test_an_item_and_a_location_are_archived_hidden_refused_and_unarchived_over_http(
    api_operator: httpx.Client,
) -> None:
    api_operator.post("/api/v1/imports/items", content="sku,name\nTEA-1,Tea\nMUG,Mug\n", headers=CSV)
    api_operator.post("/api/v1/imports/locations", content="code,name,kind\nNY,New York,warehouse\n"
                      "OLD,Old shop,store\n", headers=CSV)

    item = api_operator.post("/api/v1/items/TEA-1/archive")
    place = api_operator.post("/api/v1/locations/OLD/archive")

    assert item.status_code == place.status_code == 200
    assert item.json()["archived_at"] is not None and place.json()["archived_at"] is not None
    assert [i["sku"] for i in api_operator.get("/api/v1/items").json()["items"]] == ["MUG"]
    everything = api_operator.get("/api/v1/items", params={"include_archived": "true"}).json()["items"]
    assert [i["sku"] for i in everything] == ["MUG", "TEA-1"]
    assert "OLD" not in [p["code"] for p in api_operator.get("/api/v1/locations").json()["locations"]]
    assert api_operator.get("/api/v1/items/TEA-1").json()["archived_at"] is not None
    refused = api_operator.post("/api/v1/adjustments", json={
        "location": "OLD", "reason": "found", "lines": [{"sku": "TEA-1", "quantity": "1"}]})
    assert refused.status_code == 409
    assert (refused.json()["error"]["code"], refused.json()["error"]["field"]) == ("archived", "location")

    assert api_operator.post("/api/v1/items/TEA-1/unarchive").json()["archived_at"] is None
    api_operator.post("/api/v1/adjustments", json={
        "location": "NY", "reason": "found", "lines": [{"sku": "TEA-1", "quantity": "1"}]})
    held = api_operator.post("/api/v1/items/TEA-1/archive")
    assert held.status_code == 409 and held.json()["error"]["code"] == "stock_on_hand"


def test_the_cli_archives_lists_and_unarchives(cli_run) -> None:
    cli_run("items", "add", "TEA-1", "--name", "Tea")
    cli_run("items", "add", "MUG", "--name", "Mug")
    cli_run("locations", "add", "OLD", "--name", "Old shop", "--kind", "store")

    archived = cli_run("items", "archive", "TEA-1")
    assert archived.exit_code == 0, archived.stderr
    assert archived.row("Archived")[1] != "no"
    assert [row[0] for row in cli_run("items", "list").rows()] == ["MUG"]
    assert [row[0] for row in cli_run("items", "list", "--include-archived").rows()] == ["MUG", "TEA-1"]
    assert cli_run("locations", "archive", "OLD").exit_code == 0
    assert "OLD" not in [row[0] for row in cli_run("locations", "list").rows()]
    refused = cli_run("adjust", "OLD", "MUG", "1", "--reason", "found")
    assert refused.exit_code == 5
    assert refused.stderr.startswith("error: location: location 'OLD' is archived")
    assert cli_run("items", "unarchive", "TEA-1").row("Archived") == ["Archived", "no"]

"""CSV exports over HTTP and the CLI; what they export imports again."""

from __future__ import annotations

import httpx

from onhand import services

CSV = {"Content-Type": "text/csv"}


def test_items_export_as_a_csv_download_that_imports_again(api_operator: httpx.Client) -> None:
    api_operator.post("/api/v1/imports/items", content="sku,name,unit\nTEA-1,\"Tea; green\",kg\nMUG,Mug,\n",
                      headers=CSV)

    response = api_operator.get("/api/v1/exports/items.csv")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="items.csv"'
    assert response.text.splitlines() == [
        "sku,name,unit,tracking,gtin,shelf_life_days", "MUG,Mug,each,none,,", "TEA-1,Tea; green,kg,none,,",
    ]
    again = api_operator.post("/api/v1/imports/items", params={"mode": "upsert"}, content=response.text,
                              headers=CSV).json()
    assert [c["outcome"] for c in again["changes"]] == ["unchanged", "unchanged"]


def test_a_bad_export_filter_is_a_json_error(api_operator: httpx.Client) -> None:
    response = api_operator.get("/api/v1/exports/movements.csv", params={"sku": "NOPE"})
    assert response.status_code == 404
    assert response.json()["error"]["field"] == "sku"
    assert api_operator.get("/api/v1/exports/orders.csv", params={"status": "lost"}).status_code == 422


def test_the_cli_exports_locations_to_a_file_that_imports_again(cli_run, tmp_path, onhand) -> None:
    cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse", "--city", "Brooklyn")
    cli_run("locations", "add", "NY-A", "--name", "Aisle A", "--kind", "bin", "--parent", "NY")
    path = tmp_path / "locations.csv"

    result = cli_run("export", "locations", "--output", str(path))

    assert result.exit_code == 0, result.stderr
    assert path.read_text().splitlines()[1:] == [
        "NY,New York,warehouse,,true,false,,,Brooklyn,,,", "NY-A,Aisle A,bin,NY,true,false,,,,,,"]
    again = cli_run("import", "locations", str(path), "--mode", "upsert")
    assert "Imported 2 of 2 rows (0 updated, 2 unchanged)." in again.stdout
    printed = cli_run("export", "stock")
    assert printed.stdout.startswith("sku,location,lot,expiry_date,on_hand")
    assert services.integrity.verify(onhand).ok

"""Going live as a new business does (issue 20), from the command line as a script would:
the catalogue and opening stock from CSV files (a spreadsheet's `;` and BOM), the real
chart of accounts exported from Xero, then the first day's journal — every code valid in
that chart, the opening stock on the opening-balance account — read back with shell tools'
formats (`--json`, CSV)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

CHART = Path(__file__).parents[1] / "fixtures" / "accounting" / "xero_chart_of_accounts.csv"


def test_a_new_business_goes_live_with_its_catalogue_opening_stock_and_xero_chart(cli_run, tmp_path) -> None:
    items = tmp_path / "items.csv"
    items.write_text("\ufeffsku;name;unit\nTEA;Green tea;each\nRICE;Rice;kg\n", encoding="utf-8")
    opening = tmp_path / "opening.csv"
    opening.write_text("location,sku,quantity,unit_cost\nNY,TEA,10,2.50\nNY,RICE,4.5,1.20\n", encoding="utf-8")

    assert cli_run("import", "items", str(items)).exit_code == 0
    assert cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse").exit_code == 0
    assert cli_run("import", "stock", str(opening)).exit_code == 0
    assert cli_run("accounting", "chart", "import", str(CHART)).exit_code == 0
    checked = cli_run("accounting", "chart", "check")
    assert checked.exit_code == 0, checked.stdout  # every mapped code is one Xero's chart takes

    company = json.loads(cli_run("company", "show", "--json").stdout)
    zone = next(value for key, value in company.items() if "zone" in key.lower())
    day = datetime.now(ZoneInfo(zone)).date().isoformat()
    exported = cli_run("journal", "export", day, "--format", "xero-csv")
    assert exported.exit_code == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    chart_codes = {row["*Code"] for row in csv.DictReader(io.StringIO(CHART.read_text()))}
    assert {row["*AccountCode"] for row in rows} <= chart_codes
    by_code = {row["*AccountCode"]: Decimal(row["*Amount"]) for row in rows}
    assert by_code == {"630": Decimal("30.40"), "840": Decimal("-30.40")}  # 10 × 2.50 + 4.5 × 1.20

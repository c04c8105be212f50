"""A receipt at the invoiced unit cost over HTTP and from the CLI, and the costing setting
that says where the difference goes."""

from __future__ import annotations

import httpx

from tests.e2e.test_api_purchasing import API, _error, _ok, stocked  # noqa: F401
from tests.e2e.test_cli_purchasing import setup


def test_an_admin_chooses_variance_and_a_receipt_keeps_the_order_cost_over_http(
        stocked, api_operator: httpx.Client, api_admin: httpx.Client) -> None:  # noqa: F811
    assert _ok(api_operator.get(f"{API}/costing/price-differences")) == {"choice": "to_stock"}
    assert api_operator.put(f"{API}/costing/price-differences", json={"choice": "variance"}).status_code == 403
    assert _ok(api_admin.put(f"{API}/costing/price-differences", json={"choice": "variance"})) == {"choice": "variance"}
    bad = _error(api_admin.put(f"{API}/costing/price-differences", json={"choice": "standard"}), 422)
    assert bad["field"] == "purchase_price_differences"
    _ok(api_operator.post(f"{API}/suppliers", json={"code": "ACME", "name": "Acme"}), 201)
    ref = _ok(api_operator.post(f"{API}/purchase-orders", json={
        "supplier": "ACME", "destination": "NY", "lines": [{"sku": "MUG", "quantity": 4, "unit_cost": "3"}]}),
        201)["reference"]
    _ok(api_operator.post(f"{API}/purchase-orders/{ref}/place"))
    refused = _error(api_operator.post(f"{API}/purchase-orders/{ref}/receipts", json={
        "lines": [{"line_no": 1, "quantity": 2, "unit_cost": "-3"}]}), 422)
    assert refused["field"] == "lines[0].unit_cost"
    receipt = _ok(api_operator.post(f"{API}/purchase-orders/{ref}/receipts", json={
        "lines": [{"line_no": 1, "quantity": 2, "unit_cost": "3.25"}]}), 201)
    assert receipt["lines"][0]["unit_cost"] == "3"


def test_the_cli_receives_at_the_invoiced_cost(cli_run) -> None:
    setup(cli_run)
    assert cli_run("valuation", "price-differences").stdout.strip() == "Purchase price differences: to_stock"
    assert cli_run("purchase-orders", "create", "--supplier", "ACME", "--to", "NY", "--line",
                   "MUG:4:3.10").exit_code == 0
    assert cli_run("purchase-orders", "place", "PO-000001").exit_code == 0
    unknown = cli_run("purchase-orders", "receive", "PO-000001", "--line", "1:2", "--unit-cost", "2=3")
    assert unknown.exit_code == 2 and "--unit-cost" in unknown.stderr
    received = cli_run("purchase-orders", "receive", "PO-000001", "--line", "1:2", "--unit-cost", "1:2.95")
    assert received.exit_code == 0, received.stderr
    assert "2.95" in received.row("1", "MUG")  # to_stock: the layers' cost is the invoiced one
    changed = cli_run("valuation", "price-differences", "--set", "variance")
    assert changed.exit_code == 0 and "variance" in changed.stdout

"""Charts through a real server: the item's stock over time as an htmx fragment or a page
of its own, its bounds; the dashboard's value by site and units shipped per day."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.assemblies.commands import ComponentLine, SetBundleComponents
from onhand.domain.planning.commands import SetReorderRule
from onhand.services.planning.alerts import AlertScanner
from tests.e2e.web_client import add_user
from tests.integration.helpers import add_item


@pytest.fixture
def viewer(onhand, web_clients):
    services.demo.load_demo_data(onhand)
    return web_clients.signed_in(add_user(onhand, "viewer"))


def test_the_item_page_asks_for_its_chart_which_comes_as_a_fragment_or_a_page(onhand, viewer):
    item = viewer.get("/items/MUG-12OZ").text
    assert 'hx-get="/charts/stock-over-time?sku=MUG-12OZ"' in item
    fragment = viewer.get("/charts/stock-over-time?sku=MUG-12OZ", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert '<svg viewBox="0 0 320 160" role="img"' in fragment.text
    on_hand = services.stock.stock_levels(onhand, sku="MUG-12OZ").levels[0].on_hand
    today = re.findall(r'<tr><td>[0-9-]+</td><td class="num">([0-9.]+)</td></tr>', fragment.text)
    assert len(today) == 30 and Decimal(today[-1]) == on_hand
    page = viewer.get("/charts/stock-over-time?sku=MUG-12OZ&days=7")
    assert "<html" in page.text and "last 7 days" in page.text


@pytest.mark.parametrize(("query", "status"), [("sku=NOPE", 404), ("sku=MUG-12OZ&days=0", 422),
                                               ("sku=MUG-12OZ&days=367", 422), ("", 422)])
def test_a_chart_of_nothing_or_too_long_is_refused(viewer, query, status):
    assert viewer.get(f"/charts/stock-over-time?{query}").status_code == status


def test_the_dashboard_charts_value_by_site_and_units_shipped(onhand, viewer):
    board = viewer.get("/").text
    assert 'hx-get="/charts/stock-value"' in board
    assert 'aria-labelledby="shipped-per-day-title shipped-per-day-summary"' in board
    page = viewer.get("/charts/stock-value", headers={"HX-Request": "true"}).text
    assert "<html" not in page and 'aria-labelledby="value-by-site-title value-by-site-summary"' in page
    assert "<html" in viewer.get("/charts/stock-value").text
    sites = re.findall(r'<tr><td><a href="/locations/([^"]+)">[^<]+</a></td><td class="num">([0-9,.]+)</td></tr>', page)
    total = sum(float(value.replace(",", "")) for _, value in sites)
    assert sites and abs(total - float(services.valuation_reports.valuation_report(onhand).total_value)) < 0.01


def test_the_dashboard_lists_low_stock_as_the_workers_alert_scan_finds_it(onhand, viewer, clock):
    assert "None below its reorder rule" in viewer.get("/").text
    services.reorder_rules.set_reorder_rule(onhand, SetReorderRule(
        "MUG-12OZ", "NY", minimum=Decimal(100_000), maximum=Decimal(200_000)))
    scanner = AlertScanner()
    assert scanner(onhand) >= 1  # the worker's first round scans
    assert scanner(onhand) == 0  # and not again for 15 minutes
    low = viewer.get("/").text
    assert 'id="low-stock"' in low and "MUG-12OZ" in low.split('id="low-stock"')[1].split("</table>")[0]


def test_the_item_page_shows_a_bundles_kits_and_filters_movements(onhand, viewer):
    add_item(onhand, "MUG-PAIR", kind="bundle")
    services.bundles.set_components(onhand, SetBundleComponents(
        "MUG-PAIR", (ComponentLine("MUG-12OZ", Decimal(2)),)))
    kits = services.bundles.bundle_availability(onhand, "MUG-PAIR")
    page = viewer.get("/items/MUG-PAIR").text
    assert 'id="kits"' in page and f"Available as kits: {kits.available.normalize():f}" in page
    assert 'id="kits"' not in viewer.get("/items/MUG-12OZ").text  # no bill of materials: nothing to build
    every = viewer.get("/items/MUG-12OZ").text.split('id="moves"')[1].split("</table>")[0]
    in_la = viewer.get("/items/MUG-12OZ?location=LA").text.split('id="moves"')[1].split("</table>")[0]
    assert 0 < in_la.count("<tr>") < every.count("<tr>") and "NY-A" not in in_la
    assert viewer.get("/items/MUG-12OZ?location=NOWHERE").status_code == 404

"""The web app in a real browser: Debian's Chromium, headless, driven by Playwright, on a
real uvicorn server and a fresh test database, at a phone's width (360 px).

A failing test leaves a screenshot of its page in tests/e2e/screenshots/ (gitignored).
Browser downloads cannot work here: Chromium is the system's (`.ci/run` installs it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from onhand import services
from onhand.domain.orders.commands import CreateOrder, NewOrderLine, OrderAction
from tests.e2e.web_client import PASSWORD, add_user

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).parent / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 740}

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def demo(onhand):
    services.demo.load_demo_data(onhand)
    for role in ("operator", "viewer"):
        add_user(onhand, role)
    # An order to pick in New York: 2 jars of honey (lot-tracked) and a mug.
    lines = (NewOrderLine("HONEY-350G", Decimal(2), location="NY"), NewOrderLine("MUG-12OZ", Decimal(1), location="NY"))
    services.sales_orders.create_order(onhand, CreateOrder(lines=lines, reference="SO-WEB-1", customer="Ana"))
    services.sales_orders.allocate_order(onhand, OrderAction("SO-WEB-1"))
    return onhand


@pytest.fixture
def open_page(browser, api_url, request):
    """Pages in fresh browser contexts (one per user), at 360 px; screenshots on failure.
    The context lets axe-core be injected past the page's Content-Security-Policy."""
    contexts = []

    def make():
        context = browser.new_context(base_url=api_url, viewport=PHONE, bypass_csp=True)
        contexts.append(context)
        return context.new_page()

    yield make
    failed = getattr(request.node, "report_call", None) is not None and request.node.report_call.failed
    for number, context in enumerate(contexts):
        if failed:
            SCREENSHOTS.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]", "_", request.node.name)
            for index, page in enumerate(context.pages):
                page.screenshot(path=str(SCREENSHOTS / f"{name}-{number}-{index}.png"), full_page=True)
        context.close()


def sign_in(page, email: str) -> None:
    page.goto("/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def check_accessible(page) -> None:
    """axe-core finds no violation, and nothing is wider than the phone's screen but the
    tables' own scrolling boxes."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    assert [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in found] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def press_enter_and_settle(page, path: str) -> None:
    """Press Enter (how a scanner ends a code) on an htmx form posting to `path`, and wait
    for that answer and for htmx to finish swapping and settling it (the new form focused,
    the fields cleared): never for a text to appear, which under load can race the swap."""
    with page.expect_response(lambda answer: answer.request.method == "POST" and answer.url.endswith(path)):
        page.keyboard.press("Enter")
    page.wait_for_function("!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def honey_row(page):
    return page.locator('#stock tr[data-sku="HONEY-350G"]')


def honey_scan(onhand, lot: str, expiry: str = "301231") -> str:
    gtin = services.items.get_item(onhand, "HONEY-350G").gtin
    return f"01{gtin.zfill(14)}17{expiry}10{lot}"


def focused(page, element_id: str) -> None:
    """The element has the cursor, waited for (a page just opened focuses it once loaded)."""
    playwright_api.expect(page.locator(f"#{element_id}")).to_be_focused()


def test_an_operator_receives_a_purchase_order_by_scanning_and_the_dashboard_follows(demo, open_page):
    page = open_page()
    sign_in(page, "operator@example.com")
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    assert honey_row(page).locator(".incoming").inner_text() == "48"
    page.get_by_role("img", name="Stock value by site").wait_for()  # asked for once the page is shown

    page.get_by_role("link", name="Receiving").click()
    page.get_by_role("link", name="PO-DEMO-1").click()
    page.get_by_label("Bin").select_option("NY-B-01")
    page.get_by_label("Quantity").fill("12")
    # A scanner types the code and ends it with Enter.
    page.get_by_label("Scan (GS1 barcode or GTIN)").type(honey_scan(demo, "HN-200"))
    press_enter_and_settle(page, "/receiving/PO-DEMO-1")
    assert "Received 12 × HONEY-350G lot HN-200 into NY-B-01" in page.locator("#scan-ok").inner_text()
    assert page.locator("#po-lines .received").inner_text() == "12"
    # The form is ready for the next scan.
    assert page.get_by_label("Scan (GS1 barcode or GTIN)").input_value() == ""

    # An expired lot is refused at once, with its reason, and nothing changes.
    page.get_by_label("Scan (GS1 barcode or GTIN)").type(honey_scan(demo, "HN-OLD", "200101"))
    press_enter_and_settle(page, "/receiving/PO-DEMO-1")
    assert "expired on 2020-01-01" in page.get_by_role("alert").inner_text()
    assert page.locator("#po-lines .received").inner_text() == "12"

    page.get_by_role("link", name="Dashboard").click()
    assert honey_row(page).locator(".incoming").inner_text() == "36"
    [entry] = services.audit.list_audit(demo, action="receive_purchase_order").entries
    assert entry.actor.reference == "user:operator@example.com"


def test_an_operator_picks_an_order_by_scanning_packs_and_ships_it(demo, open_page):
    page = open_page()
    sign_in(page, "operator@example.com")
    # The order's page shows what is reserved where, and leads to picking.
    page.get_by_role("link", name="Orders", exact=True).click()
    page.get_by_role("link", name="SO-WEB-1").click()
    assert "2 at NY-B-01 lot HN-101" in page.locator('#order-lines tr[data-sku="HONEY-350G"]').inner_text()
    page.get_by_role("link", name="Pick, pack and ship").click()
    scan = page.get_by_label("Scan (GS1 barcode or GTIN, or type SKU or SKU/LOT)")
    # A lot that may not leave is refused at once, with its reason.
    page.get_by_label("Picked at").select_option("NY-B-01")
    scan.type(honey_scan(demo, "HN-102"))
    press_enter_and_settle(page, "/picking/SO-WEB-1/pick")
    assert "lot HN-102 is quarantined" in page.get_by_role("alert").inner_text()

    page.get_by_label("Picked at").select_option("NY-B-01")
    page.get_by_label("Quantity").fill("2")
    scan.type(honey_scan(demo, "HN-101"))
    press_enter_and_settle(page, "/picking/SO-WEB-1/pick")
    page.locator("#pick-ok").wait_for()
    assert page.locator('#order-lines tr[data-sku="HONEY-350G"] .picked').inner_text() == "2"
    # The next scan goes straight in: the field is empty and has the cursor; typed SKU works too.
    focused(page, "scan")
    assert scan.input_value() == ""
    page.get_by_label("Picked at").select_option("NY-A-01")
    page.keyboard.type("MUG-12OZ")
    press_enter_and_settle(page, "/picking/SO-WEB-1/pick")
    page.locator("#nothing-to-pick").wait_for()

    page.get_by_label("Carrier").fill("UPS")
    page.get_by_label("Tracking number").fill("1Z999AA10123456784")
    page.get_by_role("button", name="Pack").click()
    page.locator("#packages").wait_for()
    with page.expect_response(lambda answer: answer.url.endswith("/picking/SO-WEB-1/ship")):
        page.get_by_role("button", name="Ship").click()
    page.wait_for_function("!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    assert "Shipped: the order is shipped." in page.locator("main").inner_text()
    assert page.locator("#order-status").inner_text() == "shipped"
    order = services.sales_orders.get_order(demo, "SO-WEB-1")
    assert order.packages[0].tracking_number == "1Z999AA10123456784" and order.packages[0].shipment_id


def test_an_operator_counts_a_bin_blind_by_scanning_reviews_and_posts(demo, open_page):
    page = open_page()
    sign_in(page, "operator@example.com")
    page.get_by_role("link", name="Counts").click()
    page.get_by_role("link", name="NY-A-01").click()
    scan = page.get_by_label("Scan (GS1 barcode or GTIN, or type SKU or SKU/LOT)")
    page.get_by_label("Quantity").fill("10")
    scan.type("MUG-12OZ")
    press_enter_and_settle(page, "/counts/NY-A-01/scan")
    counted = page.locator('#tally tr[data-sku="MUG-12OZ"] .counted')
    assert counted.inner_text() == "10"
    focused(page, "scan")
    page.get_by_label("Quantity").fill("8")
    scan.type(services.items.get_item(demo, "MUG-12OZ").gtin)  # the same item again, by its barcode
    press_enter_and_settle(page, "/counts/NY-A-01/scan")
    assert counted.inner_text() == "18"
    assert "20" not in page.locator("main").inner_text()  # blind: the books' 20 is not shown

    page.get_by_role("button", name="Review against the books").click()
    row = page.locator('#review tr[data-sku="MUG-12OZ"]')
    assert row.locator(".book").inner_text() == "20" and row.locator(".difference").inner_text() == "-2"
    page.get_by_role("button", name="Post count").click()
    assert "1 change to the books" in page.locator("#count-ok").inner_text()
    assert services.stock.stock_levels(demo, sku="MUG-12OZ", location="NY-A-01").levels[0].on_hand == 18


def test_an_operator_moves_stock_by_scanning_from_the_location_page(demo, open_page):
    before = services.audit.list_audit(demo, action="move_stock").entries  # the demo's own moves
    page = open_page()
    sign_in(page, "operator@example.com")
    page.goto("/locations/NY-B-01")
    page.get_by_role("link", name="Move stock from here").click()
    # From is filled in and the item has the cursor; Enter steps on as a scanner ends each code.
    assert page.get_by_label("From (location or bin)").input_value() == "NY-B-01"
    focused(page, "move-item")
    gtin = services.items.get_item(demo, "HONEY-350G").gtin.zfill(14)
    page.keyboard.type(f"(01){gtin}(10)HN-101(30)5")  # item, lot and count in one scan
    page.keyboard.press("Enter")
    focused(page, "move-quantity")
    page.keyboard.press("Enter")  # empty: the scanned count
    focused(page, "move-destination")
    page.keyboard.type("NY-A-01")
    press_enter_and_settle(page, "/moves")
    assert "Moved 5 × HONEY-350G lot HN-101 from NY-B-01 to NY-A-01" in page.locator("#move-ok").inner_text()
    assert "from NY-B-01 to NY-A-01" in page.locator("#moves-done").inner_text()
    # Ready for the next move from the same place.
    focused(page, "move-item")
    assert page.get_by_label("From (location or bin)").input_value() == "NY-B-01"

    page.goto("/locations/NY-A-01")
    row = page.locator('#location-stock tr[data-sku="HONEY-350G"]')
    assert "HN-101" in row.inner_text() and row.locator(".on-hand").inner_text() == "5"
    [entry] = [e for e in services.audit.list_audit(demo, action="move_stock").entries if e not in before]
    assert entry.actor.reference == "user:operator@example.com"


def test_an_operator_receives_a_transfer_short_and_writes_off_the_rest(demo, open_page):
    [moving] = services.transfer_orders.list_transfers(demo, status="in_transit")
    page = open_page()
    sign_in(page, "operator@example.com")
    page.get_by_role("link", name="Transfers").click()
    row = page.locator("#in-transit tr", has_text=moving.reference)
    assert "12 × TOTE-CANVAS" in row.inner_text() and str(moving.expected_date) in row.inner_text()
    row.get_by_role("link", name=moving.reference).click()
    check_accessible(page)

    page.get_by_label("Line 1: TOTE-CANVAS arrived (12 in transit)").fill("10")
    page.get_by_role("button", name="Receive").click()
    assert "partially received" in page.locator("#transfer-ok").inner_text()
    assert page.locator('#transfer-lines tr[data-sku="TOTE-CANVAS"] .in-transit').inner_text() == "2"
    page.get_by_role("button", name="Write off what is still in transit as lost").click()
    # The old page has this cell too (0): wait until the new page's says 2, never read it at once.
    playwright_api.expect(page.locator('#transfer-lines tr[data-sku="TOTE-CANVAS"] .written-off')).to_have_text("2")
    assert page.locator("#transfer-status").inner_text() == "closed"


def test_a_lot_label_is_printed_from_the_item_page(demo, open_page):
    zxingcpp = pytest.importorskip("zxingcpp")
    pdfium = pytest.importorskip("pypdfium2")
    page = open_page()
    sign_in(page, "viewer@example.com")
    page.goto("/items/HONEY-350G")
    page.get_by_role("link", name="Print labels").click()
    assert page.get_by_label("SKU").input_value() == "HONEY-350G"
    page.get_by_label("Lot (optional)").fill("HN-101")
    page.get_by_label("Size").first.select_option("a4")
    with page.expect_response(lambda response: "/labels/item.pdf" in response.url) as answer:
        page.get_by_role("button", name="Item labels (PDF)").click()
    assert answer.value.status == 200 and answer.value.headers["content-type"] == "application/pdf"
    # The browser shows the PDF in its viewer; the same address, fetched with its session, gives the bytes.
    pdf = page.request.get(answer.value.url).body()
    image = pdfium.PdfDocument(pdf)[0].render(scale=600 / 72).to_pil()
    [code] = [r.text for r in zxingcpp.read_barcodes(image) if r.format.name == "Code128"]
    lot = services.lots.get_lot(demo, sku="HONEY-350G", code="HN-101")
    gtin = services.items.get_item(demo, "HONEY-350G").gtin.zfill(14)
    assert code == f"(01){gtin}(17){lot.expiry_date:%y%m%d}(10)HN-101"


def test_a_manager_traces_a_lot_by_typing_it_and_recalls_it_in_one_click(demo, open_page):
    add_user(demo, "manager")
    page = open_page()
    sign_in(page, "manager@example.com")
    page.get_by_role("link", name="Lots").click()
    page.get_by_label("Scan a GS1 code, or type SKU/LOT or a lot code").type("HONEY-350G/HN-101")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Lot HN-101").wait_for()
    assert page.locator('#lot-stock tr[data-location="NY-B-01"] .on-hand').inner_text() == "30"
    assert "Received" not in page.locator("#trace-backward").inner_text()  # opening stock: no purchase order
    check_accessible(page)

    page.get_by_label("Move its stock on hand to").select_option("QUARANTINE")
    page.get_by_label("Note (why)").fill("Customer complaint")
    page.get_by_role("button", name="Recall this lot…").click()
    # A confirmation step says what stops before anything does.
    assert "HONEY-350G/HN-101" in page.locator("#recall-lots").inner_text()
    check_accessible(page)
    page.get_by_role("button", name="Yes, recall now").click()
    assert "1 lot recalled, stock on hand moved to QUARANTINE" in page.locator("#lot-ok").inner_text()
    assert page.locator("#lot-status").inner_text() == "recalled"
    assert page.locator('#lot-stock tr[data-location="QUARANTINE"] .on-hand').inner_text() == "30"
    assert services.lots.get_lot(demo, sku="HONEY-350G", code="HN-101").status.value == "recalled"


def test_a_viewer_is_refused_a_change_and_a_post_without_csrf_token_is_refused(demo, open_page):
    page = open_page()
    sign_in(page, "viewer@example.com")
    page.goto("/receiving/PO-DEMO-1")
    page.get_by_label("Scan (GS1 barcode or GTIN)").type(honey_scan(demo, "HN-201"))
    press_enter_and_settle(page, "/receiving/PO-DEMO-1")
    assert "You may not do this" in page.get_by_role("alert").inner_text()

    operator = open_page()
    sign_in(operator, "operator@example.com")
    forged = operator.request.post("/receiving/PO-DEMO-1", form={"barcode": honey_scan(demo, "HN-202")})
    assert forged.status == 403
    assert services.purchase_orders.get_purchase_order(demo, "PO-DEMO-1").lines[0].received == 0


@pytest.mark.parametrize("path", ["/sign-in", "/", "/items", "/items/HONEY-350G", "/receiving/PO-DEMO-1", "/picking",
                                  "/picking/SO-WEB-1", "/counts", "/counts/NY-B-01", "/transfers", "/orders",
                                  "/orders/SO-WEB-1", "/purchase-orders", "/purchase-orders/PO-DEMO-1", "/labels",
                                  "/lots", "/lots/HONEY-350G/HN-102", "/locations/NY", "/users", "/waves",
                                  "/moves"])
# The markup and its width come from the templates, not the database engine: SQLite only
# (the flows above run on both).
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_pages_pass_an_accessibility_check_at_phone_width(demo, open_page, path):
    page = open_page()
    if path == "/users":
        sign_in(page, add_user(demo, "admin"))
    elif path != "/sign-in":
        sign_in(page, "operator@example.com")
    page.goto(path)
    if path.startswith("/items/"):
        page.locator("#stock-over-time svg").wait_for()  # the chart comes by a request of its own
    if path == "/":
        page.locator("#value-by-site svg").wait_for()
    check_accessible(page)

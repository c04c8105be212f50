"""Labels as PDF through a real server, read back the way a scanner would: each PDF page is
rendered (PDFium) and its barcodes decoded (zxing-cpp), so the test checks the symbols as
printed — GS1-128 with its FNC1 (symbology ]C1) and element strings, the QR code's GS1
Digital Link — and the page sizes of a label printer and of A4 sheets."""

from __future__ import annotations

from datetime import date

import pytest

from onhand import services
from onhand.domain.catalog.scanning import parse_scan
from tests.e2e.web_client import add_user
from tests.integration.helpers import add_item, add_place, adjust

pdfium = pytest.importorskip("pypdfium2")
zxingcpp = pytest.importorskip("zxingcpp")

HONEY_GTIN = "09506000134352"
POINTS = {"4x6": (288.0, 432.0), "2x1": (144.0, 72.0), "a4": (595.28, 841.89)}


def decoded(pdf: bytes) -> list[list[tuple[str, str, str]]]:
    """Per page: (format, text, symbology identifier) of every barcode found, sorted."""
    pages = []
    for page in pdfium.PdfDocument(pdf):
        image = page.render(scale=600 / 72).to_pil()
        pages.append(sorted((r.format.name, r.text, r.symbology_identifier) for r in zxingcpp.read_barcodes(image)))
    return pages


def sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [tuple(round(v, 2) for v in page.get_size()) for page in pdfium.PdfDocument(pdf)]


@pytest.fixture
def stocked(onhand):
    add_item(onhand, "HONEY", name="Wildflower honey", tracking="lot", gtin=HONEY_GTIN)
    add_item(onhand, "PLAIN", name="No GTIN")
    add_place(onhand, "NY")
    for code in ("NY-A-1", "NY-A-2"):
        add_place(onhand, code, kind="bin", parent="NY")
    adjust(onhand, "NY-A-1", "HONEY", 4, lot="H-1", expiry_date="2030-12-31")
    return onhand


@pytest.mark.parametrize("size", ["4x6", "2x1", "a4"])
def test_a_lot_label_carries_gtin_expiry_and_lot_in_gs1_128_and_a_qr_digital_link(onhand, web_clients, stocked,
                                                                                    size):
    client = web_clients.signed_in(add_user(onhand, "viewer"))
    answer = client.get("/labels/item.pdf", params={"sku": "HONEY", "lot": "H-1", "size": size, "copies": 2})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    pdf = answer.content
    one_label = [
        ("Code128", "(01)09506000134352(17)301231(10)H-1", "]C1"),
        ("QRCode", "https://id.gs1.org/01/09506000134352/10/H-1?17=301231", "]Q1"),
    ]
    if size == "a4":  # both copies on one sheet
        assert sizes(pdf) == [POINTS["a4"]] and decoded(pdf) == [sorted(one_label * 2)]
    else:  # one label a page, the page the label's size; a 2×1 in label gives the GS1-128 its whole width
        if size == "2x1":
            one_label = one_label[:1]
        assert sizes(pdf) == [POINTS[size]] * 2 and decoded(pdf) == [one_label, one_label]
    # What a scanner reads back is what receiving and picking understand.
    scanned = parse_scan("]C1" + decoded(pdf)[0][0][1])
    assert (scanned.gtin, scanned.lot, scanned.expiry_date) == (HONEY_GTIN, "H-1", date(2030, 12, 31))


def test_an_item_label_without_a_lot_carries_the_gtin_alone(onhand, web_clients, stocked):
    client = web_clients.signed_in(add_user(onhand, "viewer"))
    pdf = client.get("/labels/item.pdf", params={"sku": "HONEY", "size": "4x6"}).content
    assert decoded(pdf) == [[("Code128", "(01)09506000134352", "]C1"),
                             ("QRCode", "https://id.gs1.org/01/09506000134352", "]Q1")]]


def test_an_item_without_a_gtin_gets_a_plain_code_128_of_its_sku(onhand, web_clients, stocked):
    client = web_clients.signed_in(add_user(onhand, "viewer"))
    pdf = client.get("/labels/item.pdf", params={"sku": "PLAIN", "size": "2x1"}).content  # short: QR fits
    assert decoded(pdf) == [[("Code128", "PLAIN", "]C0"), ("QRCode", "PLAIN", "]Q1")]]


def test_bin_labels_for_a_site_are_one_per_bin(onhand, web_clients, stocked):
    client = web_clients.signed_in(add_user(onhand, "viewer"))
    pdf = client.get("/labels/bins.pdf", params={"location": "NY", "size": "2x1"}).content
    assert decoded(pdf) == [[("Code128", "NY-A-1", "]C0"), ("QRCode", "NY-A-1", "]Q1")],
                            [("Code128", "NY-A-2", "]C0"), ("QRCode", "NY-A-2", "]Q1")]]
    single = client.get("/labels/bins.pdf", params={"location": "NY-A-2", "size": "a4"}).content
    assert decoded(single) == [[("Code128", "NY-A-2", "]C0"), ("QRCode", "NY-A-2", "]Q1")]]


@pytest.mark.parametrize(("path", "params", "says"), [
    ("/labels/item.pdf", {"sku": "NOPE"}, "NOPE"),
    ("/labels/item.pdf", {"sku": "HONEY", "lot": "H-NONE"}, "H-NONE"),
    ("/labels/item.pdf", {"sku": "HONEY", "size": "a3"}, "size: must be one of 4x6, 2x1, a4"),
    ("/labels/bins.pdf", {"location": "MARS"}, "no location"),
    ("/labels/bins.pdf", {"location": "NY-A-1", "size": "letter"}, "size"),
])
def test_a_label_that_cannot_be_made_says_why_on_the_labels_page(onhand, web_clients, stocked, path, params, says):
    client = web_clients.signed_in(add_user(onhand, "viewer"))
    answer = client.get(path, params=params)
    assert answer.status_code == 422 and says in answer.text and 'role="alert"' in answer.text


def test_a_lot_code_a_gs1_barcode_cannot_carry_is_refused(onhand, web_clients, stocked):
    adjust(onhand, "NY-A-1", "HONEY", 1, lot="LOT-0123456789-0123456789", expiry_date="2030-12-31")
    client = web_clients.signed_in(add_user(onhand, "viewer"))
    answer = client.get("/labels/item.pdf", params={"sku": "HONEY", "lot": "LOT-0123456789-0123456789"})
    assert answer.status_code == 422 and "cannot be written in a GS1 barcode" in answer.text


def test_copies_are_bounded_and_labels_need_a_session(onhand, web_clients, stocked, api_url):
    client = web_clients.signed_in(add_user(onhand, "viewer"))
    assert client.get("/labels/item.pdf", params={"sku": "HONEY", "copies": 501}).status_code == 422
    import httpx
    anonymous = httpx.get(f"{api_url}/labels/item.pdf", params={"sku": "HONEY"})
    assert anonymous.status_code == 303 and services.items.get_item(onhand, "HONEY")

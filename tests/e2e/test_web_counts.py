"""Stock counts in the web app, through a real server: blind scanning into a tally, the
review of book against counted, posting one count; refusals, roles, location limits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onhand import services
from tests.e2e.web_client import add_user, csrf_token
from tests.integration.helpers import add_item, add_place, adjust, at

HONEY_GTIN = "09506000134352"
HX = {"HX-Request": "true"}


@pytest.fixture
def shelf(onhand):
    """Bin NY-A-1 holds 5 W and 4 honey of lot H-1 (the books)."""
    add_item(onhand, "HONEY", tracking="lot", gtin=HONEY_GTIN)
    add_item(onhand, "W")
    add_place(onhand, "NY")
    add_place(onhand, "NY-A-1", kind="bin", parent="NY")
    adjust(onhand, "NY-A-1", "W", 5)
    adjust(onhand, "NY-A-1", "HONEY", 4, lot="H-1", expiry_date="2030-09-30")
    return onhand


def scan(client, tally: dict, text: str, quantity: str = ""):
    """One scan posted with the tally so far (as the page's hidden fields carry it)."""
    page = client.get("/counts/NY-A-1")
    data = {"csrf_token": csrf_token(page), "scan": text, "quantity": quantity, **tally}
    return client.post("/counts/NY-A-1/scan", data=data, headers=HX)


def tally_of(answer) -> dict:
    import re
    fields: dict[str, list[str]] = {"sku": [], "lot": [], "expiry": [], "counted": []}
    for name, value in re.findall(r'<input type="hidden" name="(sku|lot|expiry|counted)" value="([^"]*)">',
                                  answer.text.split('id="review-form"')[0]):
        fields[name].append(value)
    return fields


def test_a_blind_count_by_scanning_is_reviewed_then_posted(onhand, web_clients, shelf):
    client = web_clients.signed_in(add_user(onhand, "operator"))
    page = client.get("/counts/NY-A-1")
    assert page.status_code == 200 and "NY-A-1" in client.get("/counts").text
    answer = scan(client, {}, f"(01){HONEY_GTIN}(17)300930(10)H-1(30)2")
    answer = scan(client, tally_of(answer), f"01{HONEY_GTIN}1730093010H-1", "1")
    answer = scan(client, tally_of(answer), "HONEY/H-2", "2")  # a lot the books do not know
    assert answer.status_code == 200 and "<html" not in answer.text
    # Blind: the books' quantities (5 W, 4 honey) are nowhere on the counting page.
    assert 'class="num counted">3<' in answer.text and ">4<" not in answer.text and ">5<" not in answer.text
    tally = tally_of(answer)
    assert tally == {"sku": ["HONEY", "HONEY"], "lot": ["H-1", "H-2"], "expiry": ["2030-09-30", ""],
                     "counted": ["3", "2"]}

    review = client.post("/counts/NY-A-1/review", data={**tally, "csrf_token": csrf_token(page)})
    assert review.status_code == 200
    assert 'data-lot="H-1"><td>HONEY</td><td>H-1</td><td class="num book">4</td>' in review.text
    assert '<td class="num difference">-5</td>' in review.text and "(not found)" in review.text  # W
    assert at(onhand, "W", "NY-A-1") == 5  # nothing posted by the review

    done = client.post("/counts/NY-A-1", data={**tally, "reference": "CC-1", "csrf_token": csrf_token(review)})
    assert done.status_code == 200 and 'id="count-ok"' in done.text
    levels = services.stock.stock_levels(onhand, location="NY-A-1", group_by="balance").levels
    assert sorted((lv.sku, lv.lot, lv.on_hand) for lv in levels if lv.on_hand) == [
        ("HONEY", "H-1", Decimal(3)), ("HONEY", "H-2", Decimal(2))]
    [entry] = services.audit.list_audit(onhand, action="post_stock_count").entries
    assert entry.actor.reference == "user:operator@example.com"


@pytest.mark.parametrize(("text", "quantity", "says"), [
    ("NOPE", "", "unknown item"),
    ("(01)09506000134353(10)H-1", "", "check digit"),
    ("0100614141000418", "", "unknown item"),
    ("W", "-1", "must be more than 0"),
    ("W", "abc", "quantity"),
])
def test_a_bad_scan_is_refused_at_once_and_the_tally_is_kept(onhand, web_clients, shelf, text, quantity, says):
    client = web_clients.signed_in(add_user(onhand, "operator"))
    first = scan(client, {}, "W", "2")
    answer = scan(client, tally_of(first), text, quantity)
    assert answer.status_code == 422 and says in answer.text and 'role="alert"' in answer.text
    assert tally_of(answer)["counted"] == ["2"]


def test_a_viewer_may_not_count_and_a_forged_post_is_refused(onhand, web_clients, shelf):
    viewer = web_clients.signed_in(add_user(onhand, "viewer"))
    assert viewer.get("/counts/NY-A-1").status_code == 200
    assert scan(viewer, {}, "W", "2").status_code == 403
    page = viewer.get("/counts/NY-A-1")
    refused = viewer.post("/counts/NY-A-1", data={"sku": ["W"], "lot": [""], "expiry": [""], "counted": ["1"],
                                                  "csrf_token": csrf_token(page)})
    assert refused.status_code == 403
    operator = web_clients.signed_in(add_user(onhand, "operator"))
    forged = operator.post("/counts/NY-A-1", data={"sku": ["W"], "lot": [""], "expiry": [""], "counted": ["1"]})
    assert forged.status_code == 403
    assert at(onhand, "W", "NY-A-1") == 5


def test_a_user_limited_to_another_site_may_not_count_here(onhand, web_clients, shelf):
    add_place(onhand, "LA", kind="store")
    client = web_clients.signed_in(add_user(onhand, "operator", locations=["LA"]))
    assert client.get("/counts/NY-A-1").status_code == 403
    assert client.get("/counts/LA").status_code == 200


def test_a_tampered_tally_is_refused_without_posting(onhand, web_clients, shelf):
    client = web_clients.signed_in(add_user(onhand, "operator"))
    page = client.get("/counts/NY-A-1")
    answer = client.post("/counts/NY-A-1", data={"sku": ["W", "HONEY"], "lot": [""], "expiry": [""],
                                                 "counted": ["1"], "csrf_token": csrf_token(page)})
    assert answer.status_code == 422 and "incomplete" in answer.text
    assert at(onhand, "W", "NY-A-1") == 5

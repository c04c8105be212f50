"""Moving stock in the web app, through a real server: From, Item (scan or typed), Quantity,
To posted as one relocation; the service's refusals, roles, CSRF, location limits."""

from __future__ import annotations

import re

import pytest

from onhand import services
from tests.e2e.web_client import add_user, csrf_token
from tests.integration.helpers import add_item, add_place, adjust, at

HONEY_GTIN = "09506000134352"
HX = {"HX-Request": "true"}


@pytest.fixture
def floor(onhand):
    """Warehouse NY with bins NY-A-1 (5 W, 4 honey of lot H-1) and NY-B-1 (empty)."""
    add_item(onhand, "HONEY", tracking="lot", gtin=HONEY_GTIN)
    add_item(onhand, "W")
    add_place(onhand, "NY")
    add_place(onhand, "NY-A-1", kind="bin", parent="NY")
    add_place(onhand, "NY-B-1", kind="bin", parent="NY")
    adjust(onhand, "NY-A-1", "W", 5)
    adjust(onhand, "NY-A-1", "HONEY", 4, lot="H-1", expiry_date="2030-09-30")
    return onhand


def move(client, source: str, item: str, destination: str, quantity: str = "", moved: list[str] | None = None):
    page = client.get("/moves")
    data = {"csrf_token": csrf_token(page), "source": source, "item": item, "quantity": quantity,
            "destination": destination, "moved": moved or []}
    return client.post("/moves", data=data, headers=HX)


def moved_of(answer) -> list[str]:
    return re.findall(r'<input type="hidden" name="moved" value="([^"]*)">', answer.text)


def test_a_scanned_move_posts_one_relocation_by_the_user_and_lists_it(onhand, web_clients, floor):
    client = web_clients.signed_in(add_user(onhand, "operator"))
    assert client.get("/moves").status_code == 200
    answer = move(client, "NY-A-1", f"(01){HONEY_GTIN}(17)300930(10)H-1(30)3", "NY-B-1")  # the count: 3
    assert answer.status_code == 200 and "<html" not in answer.text and 'id="move-ok"' in answer.text
    assert at(onhand, "HONEY", "NY-A-1") == 1 and at(onhand, "HONEY", "NY-B-1") == 3
    [entry] = services.audit.list_audit(onhand, action="move_stock").entries
    assert entry.actor.reference == "user:operator@example.com"
    # Ready for the next move from the same place: From kept, the item field focused and empty.
    assert re.search(r'name="source"[^>]*value="NY-A-1"', answer.text)
    assert re.search(r'id="move-item"[^>]*value=""[^>]*autofocus', answer.text)

    answer = move(client, "NY-A-1", "W", "NY-B-1", "2", moved=moved_of(answer))  # typed SKU, quantity given
    assert answer.status_code == 200
    assert at(onhand, "W", "NY-A-1") == 3 and at(onhand, "W", "NY-B-1") == 2
    listed = moved_of(answer)
    assert len(listed) == 2 and listed[0].startswith("2 × W from NY-A-1 to NY-B-1")
    assert listed[1].startswith("3 × HONEY lot H-1 from NY-A-1 to NY-B-1")
    assert len(services.audit.list_audit(onhand, action="move_stock").entries) == 2


@pytest.mark.parametrize(("source", "item", "quantity", "destination", "says"), [
    ("NY-A-1", "W", "6", "NY-B-1", "insufficient stock"),
    ("NY-A-1", "HONEY/H-1", "5", "NY-B-1", "insufficient stock"),
    ("NY-A-1", "HONEY", "1", "NY-B-1", "Lot: item"),
    ("NY-A-1", "W", "1", "NY-Z-9", "To: unknown location"),
    ("NY-A-1", "W", "1", "NY-A-1", "To: must differ from the source"),
    ("NY-A-1", "W", "abc", "NY-B-1", "Quantity: "),
    ("NY-A-1", "NOPE", "1", "NY-B-1", "Item: unknown item"),
    ("NY-A-1", "(01)09506000134353(10)H-1", "", "NY-B-1", "check digit"),
    ("", "W", "1", "NY-B-1", "From: is empty"),
])
def test_a_refused_move_says_why_and_changes_nothing(onhand, web_clients, floor, source, item, quantity,
                                                       destination, says):
    client = web_clients.signed_in(add_user(onhand, "operator"))
    answer = move(client, source, item, destination, quantity, moved=["1 × W from X to Y (posting 1)"])
    assert answer.status_code == 422 and 'role="alert"' in answer.text and says in answer.text
    assert moved_of(answer) == ["1 × W from X to Y (posting 1)"]  # the session's list is kept
    assert at(onhand, "W", "NY-A-1") == 5 and at(onhand, "HONEY", "NY-A-1") == 4
    assert at(onhand, "W", "NY-B-1") == 0 and at(onhand, "HONEY", "NY-B-1") == 0
    assert services.audit.list_audit(onhand, action="move_stock").entries == ()


def test_a_viewer_may_not_move_and_a_post_without_csrf_token_is_refused(onhand, web_clients, floor):
    viewer = web_clients.signed_in(add_user(onhand, "viewer"))
    assert move(viewer, "NY-A-1", "W", "NY-B-1", "1").status_code == 403
    operator = web_clients.signed_in(add_user(onhand, "operator"))
    forged = operator.post("/moves", data={"source": "NY-A-1", "item": "W", "quantity": "1",
                                           "destination": "NY-B-1"}, headers=HX)
    assert forged.status_code == 403
    assert at(onhand, "W", "NY-A-1") == 5 and at(onhand, "W", "NY-B-1") == 0


def test_a_user_limited_to_a_site_moves_only_within_it(onhand, web_clients, floor):
    add_place(onhand, "LA", kind="store")
    add_place(onhand, "LA-B-1", kind="bin", parent="LA")
    adjust(onhand, "LA", "W", 3)
    client = web_clients.signed_in(add_user(onhand, "operator", locations=["LA"]))
    assert move(client, "NY-A-1", "W", "NY-B-1", "1").status_code == 403  # all outside
    assert move(client, "LA", "W", "NY-B-1", "1").status_code == 403  # into another site
    assert move(client, "NY-A-1", "W", "LA-B-1", "1").status_code == 403  # out of another site
    assert at(onhand, "W", "NY-A-1") == 5 and at(onhand, "W", "LA") == 3
    assert move(client, "LA", "W", "LA-B-1", "1").status_code == 200
    assert at(onhand, "W", "LA") == 2 and at(onhand, "W", "LA-B-1") == 1

"""A sales order through the HTTP API, on a real server: create, allocate, pick, pack,
ship in parts, return; backorders served when stock arrives; cancellation."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.usefixtures("api_two_sites")

NEWARK = {"name": "Ada Lovelace", "line1": "1 Broad St", "city": "Newark", "region": "NJ",
          "postcode": "07102", "country": "us", "latitude": 40.735, "longitude": -74.172}
SANTA_MONICA = {"city": "Santa Monica", "region": "CA", "country": "US", "latitude": 34.02, "longitude": -118.49}


def _created(response: httpx.Response, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def _line(order: dict[str, Any], line_no: int) -> dict[str, Any]:
    return next(line for line in order["lines"] if line["line_no"] == line_no)


def _progress(order: dict[str, Any], line_no: int) -> tuple[str, ...]:
    line = _line(order, line_no)
    return tuple(line[name] for name in ("reserved", "picked", "shipped", "returned", "backordered", "open"))


def _held(order: dict[str, Any], line_no: int) -> list[tuple[Any, ...]]:
    return [
        (r["location"], r["lot"], r["expiry_date"], r["quantity"], r["picked"])
        for r in _line(order, line_no)["reservations"]
    ]


def _stock(client: httpx.Client, sku: str) -> dict[tuple[str, str | None], tuple[str, str, str]]:
    levels = client.get("/api/v1/stock", params={"sku": sku, "group_by": "balance"}).json()["levels"]
    return {(lv["location"], lv["lot"]): (lv["on_hand"], lv["reserved"], lv["available"]) for lv in levels}


def test_an_order_is_allocated_picked_packed_shipped_in_parts_and_returned(
    api_operator: httpx.Client, api_viewer: httpx.Client
) -> None:
    # Given a customer in Newark, near New York, ordering tea and honey
    order = _created(api_operator.post("/api/v1/orders", json={
        "channel": "shop", "external_id": "1001", "customer": "Ada", "ship_to": NEWARK,
        "lines": [{"sku": "TEA", "quantity": 3, "unit_price": "4.50"},
                  {"sku": "HONEY", "quantity": "6", "unit_price": 9.95}],
    }))
    ref = order["reference"]
    assert (ref, order["status"], order["channel"], order["currency"]) == ("SO-000001", "open", "shop", "USD")
    assert (order["ship_to"]["country"], order["ship_to"]["latitude"]) == ("US", 40.735)
    assert (_line(order, 1)["unit_price"], _line(order, 2)["unit_price"]) == ("4.5", "9.95")
    assert _progress(order, 2) == ("0", "0", "0", "0", "6", "6")

    # When it is allocated: New York is nearer and has it all; honey first-expired-first-out
    order = _created(api_operator.post(f"/api/v1/orders/{ref}/allocate"), 200)
    assert order["status"] == "allocated"
    assert order["routing_note"] == "NY can ship the whole order and is the nearest that can"
    assert _held(order, 1) == [("NY-A1", None, None, "3", "0")]
    assert _held(order, 2) == [
        ("NY-B1", "H-EARLY", "2026-09-30", "4", "0"), ("NY-A1", "H-LATE", "2027-06-30", "2", "0"),
    ]
    honey = _stock(api_viewer, "HONEY")
    assert honey[("NY-B1", "H-EARLY")] == ("4", "4", "0")
    assert honey[("NY-B1", "H-OLD")] == ("3", "0", "0")  # expired: never reserved
    assert honey[("LA", "H-LA")] == ("20", "0", "20")

    # The pick list walks NY-B1 before NY-A1
    picking = _created(api_viewer.get(f"/api/v1/orders/{ref}/pick-list"), 200)
    assert picking["order"] == ref
    assert [site["site"] for site in picking["sites"]] == ["NY"]
    assert [(p["location"], p["sku"], p["lot"], p["quantity"]) for p in picking["sites"][0]["lines"]] == [
        ("NY-B1", "HONEY", "H-EARLY", "4"), ("NY-A1", "HONEY", "H-LATE", "2"), ("NY-A1", "TEA", None, "3"),
    ]

    # The picker scans H-ALT instead of H-LATE at NY-A1: the reservation moves to it
    order = _created(api_operator.post(f"/api/v1/orders/{ref}/picks", json={"picks": [
        {"sku": "TEA", "location": "NY-A1", "quantity": "3"},
        {"sku": "HONEY", "location": "NY-B1", "quantity": "4", "lot": "H-EARLY"},
        {"sku": "HONEY", "location": "NY-A1", "quantity": 2, "lot": "H-ALT"},
    ]}), 200)
    assert _held(order, 2) == [
        ("NY-B1", "H-EARLY", "2026-09-30", "4", "4"), ("NY-A1", "H-ALT", "2027-12-31", "2", "2"),
    ]
    honey = _stock(api_viewer, "HONEY")
    assert (honey[("NY-A1", "H-LATE")], honey[("NY-A1", "H-ALT")]) == (("4", "0", "4"), ("3", "2", "1"))
    assert api_viewer.get(f"/api/v1/orders/{ref}/pick-list").json()["sites"] == []

    # Part of it is packed and that package ships
    order = _created(api_operator.post(f"/api/v1/orders/{ref}/packages", json={"packages": [
        {"contents": [{"line_no": 1, "quantity": 3}, {"line_no": 2, "quantity": "2"}],
         "carrier": "UPS", "tracking_number": "1Z999", "weight_kg": "2.5", "dimensions_cm": [30, 20, 10.5]},
    ]}))
    package = order["packages"][0]
    assert (package["carrier"], package["weight_kg"], package["dimensions_cm"]) == ("UPS", "2.5", ["30", "20", "10.5"])
    assert (package["contents"], package["shipment_id"]) == (
        [{"line_no": 1, "quantity": "3"}, {"line_no": 2, "quantity": "2"}], None,
    )
    order = _created(api_operator.post(f"/api/v1/orders/{ref}/shipments"))
    assert order["status"] == "partially_shipped"
    assert _progress(order, 1) == ("0", "0", "3", "0", "0", "0")
    assert _progress(order, 2) == ("4", "4", "2", "0", "0", "4")
    first = order["shipments"][0]
    assert [(s["line_no"], s["location"], s["lot"], s["quantity"]) for s in first["lines"]] == [
        (1, "NY-A1", None, "3"), (2, "NY-B1", "H-EARLY", "2"),
    ]
    assert order["packages"][0]["shipment_id"] == first["id"]
    posting = api_viewer.get(f"/api/v1/postings/{first['posting_id']}").json()
    assert (posting["kind"], posting["reference"]) == ("shipment", ref)
    assert {(m["sku"], m["from_location"], m["to_location"], m["quantity"]) for m in posting["moves"]} == {
        ("TEA", "NY-A1", "CUSTOMER", "3"), ("HONEY", "NY-B1", "CUSTOMER", "2"),
    }
    assert _stock(api_viewer, "TEA")[("NY-A1", None)] == ("2", "0", "2")

    # The rest ships as named lines
    order = _created(api_operator.post(
        f"/api/v1/orders/{ref}/shipments", json={"lines": [{"line_no": 2, "quantity": "4"}]}
    ))
    assert order["status"] == "shipped"
    assert _progress(order, 2) == ("0", "0", "6", "0", "0", "0")
    assert [(s["lot"], s["quantity"]) for s in order["shipments"][1]["lines"]] == [("H-EARLY", "2"), ("H-ALT", "2")]

    # One jar comes back damaged, into the non-sellable returns cage
    order = _created(api_operator.post(f"/api/v1/orders/{ref}/returns", json={
        "location": "NY-RETURNS", "return_reference": "RMA-77",
        "lines": [{"line_no": 2, "quantity": 1, "lot": "H-EARLY", "reason": "defective", "condition": "damaged"}],
    }))
    assert (order["status"], _line(order, 2)["returned"]) == ("shipped", "1")
    assert [(r["reference"], [(ln["line_no"], ln["lot"], ln["quantity"], ln["reason"], ln["condition"])
                              for ln in r["lines"]]) for r in order["returns"]] == [
        ("RMA-77", [(2, "H-EARLY", "1", "defective", "damaged")])
    ]
    assert _stock(api_viewer, "HONEY")[("NY-RETURNS", "H-EARLY")] == ("1", "0", "0")
    returned = api_viewer.get("/api/v1/moves", params={"location": "NY-RETURNS"}).json()["moves"]
    assert [(m["posting_kind"], m["reference"], m["from_location"]) for m in returned] == [
        ("return", "RMA-77", "CUSTOMER")
    ]
    assert api_viewer.get("/api/v1/verify").json()["ok"] is True


def test_an_order_near_los_angeles_is_routed_there(api_operator: httpx.Client) -> None:
    order = _created(api_operator.post("/api/v1/orders", json={
        "ship_to": SANTA_MONICA, "lines": [{"sku": "TEA", "quantity": 2}, {"sku": "HONEY", "quantity": 1}],
    }))

    order = _created(api_operator.post(f"/api/v1/orders/{order['reference']}/allocate"), 200)

    assert order["routing_note"] == "LA can ship the whole order and is the nearest that can"
    assert _held(order, 1) == [("LA", None, None, "2", "0")]
    assert _held(order, 2) == [("LA", "H-LA", "2026-05-01", "1", "0")]


def test_a_backordered_order_is_allocated_when_stock_arrives(
    api_operator: httpx.Client, api_viewer: httpx.Client
) -> None:
    order = _created(api_operator.post("/api/v1/orders", json={
        "ship_to": NEWARK, "lines": [{"sku": "TEA", "quantity": 30}],
    }))
    ref = order["reference"]

    order = _created(api_operator.post(f"/api/v1/orders/{ref}/allocate"), 200)
    assert order["status"] == "backordered"
    assert _progress(order, 1) == ("25", "0", "0", "0", "5", "30")
    assert order["routing_note"] == (
        "no single location can ship the whole order; split across NY, LA; the rest is backordered"
    )

    arrived = api_operator.post("/api/v1/adjustments", json={
        "location": "NY-A1", "reason": "found", "lines": [{"sku": "TEA", "quantity": "8"}],
    })
    assert arrived.status_code == 201

    order = api_viewer.get(f"/api/v1/orders/{ref}").json()
    assert order["status"] == "allocated"
    assert _progress(order, 1) == ("30", "0", "0", "0", "0", "30")
    tea = _stock(api_viewer, "TEA")
    assert tea[("NY-A1", None)] == ("13", "10", "3")
    assert tea[("LA", None)] == ("20", "20", "0")


def test_cancelling_an_order_releases_every_reservation(
    api_operator: httpx.Client, api_viewer: httpx.Client
) -> None:
    order = _created(api_operator.post("/api/v1/orders", json={
        "ship_to": NEWARK, "lines": [{"sku": "TEA", "quantity": 4}, {"sku": "HONEY", "quantity": 5}],
    }))
    ref = order["reference"]
    api_operator.post(f"/api/v1/orders/{ref}/allocate")
    api_operator.post(f"/api/v1/orders/{ref}/picks", json={"picks": [
        {"sku": "TEA", "location": "NY-A1", "quantity": 1},
    ]})

    order = _created(api_operator.post(f"/api/v1/orders/{ref}/cancel"), 200)

    assert order["status"] == "cancelled"
    assert order["cancelled_at"] is not None
    assert [_progress(order, n) for n in (1, 2)] == [("0", "0", "0", "0", "0", "0")] * 2
    for sku in ("TEA", "HONEY"):
        assert {reserved for _on_hand, reserved, _free in _stock(api_viewer, sku).values()} == {"0"}
    assert api_viewer.get("/api/v1/orders", params={"status": "cancelled"}).json()["orders"][0]["reference"] == ref


def test_a_shipment_replayed_with_its_idempotency_key_ships_once(
    api_operator: httpx.Client, api_viewer: httpx.Client
) -> None:
    ref = _created(api_operator.post("/api/v1/orders", json={"lines": [{"sku": "TEA", "quantity": 2}]}))["reference"]
    api_operator.post(f"/api/v1/orders/{ref}/allocate")
    body = {"lines": [{"line_no": 1, "quantity": 1}]}
    headers = {"Idempotency-Key": "ship-1"}

    first = _created(api_operator.post(f"/api/v1/orders/{ref}/shipments", json=body, headers=headers))
    again = _created(api_operator.post(f"/api/v1/orders/{ref}/shipments", json=body, headers=headers))

    assert again == first
    assert len(again["shipments"]) == 1
    assert _line(api_viewer.get(f"/api/v1/orders/{ref}").json(), 1)["shipped"] == "1"
    other = api_operator.post(
        f"/api/v1/orders/{ref}/shipments", json={"lines": [{"line_no": 1, "quantity": 2}]}, headers=headers
    )
    assert (other.status_code, other.json()["error"]["code"]) == (409, "idempotency_conflict")


def test_a_pick_confirmed_by_a_scanned_gs1_code(api_operator: httpx.Client) -> None:
    assert api_operator.patch("/api/v1/items/HONEY", json={"gtin": "09506000134352"}).status_code == 200
    order = _created(api_operator.post("/api/v1/orders", json={
        "ship_to": NEWARK, "lines": [{"sku": "HONEY", "quantity": 2}],
    }))
    ref = order["reference"]
    api_operator.post(f"/api/v1/orders/{ref}/allocate")
    scanned = "]C101095060001343521726093010H-EARLY\x1d302"  # GTIN, expiry, lot, count 2
    order = _created(api_operator.post(f"/api/v1/orders/{ref}/picks", json={"picks": [
        {"location": "NY-B1", "barcode": scanned},
    ]}), 200)
    assert [(r["lot"], r["quantity"], r["picked"]) for r in _line(order, 1)["reservations"]] == [("H-EARLY", "2", "2")]
    refused = api_operator.post(f"/api/v1/orders/{ref}/picks", json={"picks": [
        {"location": "NY-B1", "barcode": "(01)00614141000418(10)H-EARLY"},
    ]})
    assert refused.status_code == 404 and refused.json()["error"]["field"] == "picks[0].barcode"


def test_a_wave_ships_the_orders_stock_covers_and_allocates_the_rest(
    api_operator: httpx.Client, api_viewer: httpx.Client
) -> None:
    near_la = _created(api_operator.post("/api/v1/orders", json={
        "ship_to": SANTA_MONICA, "lines": [{"sku": "TEA", "quantity": 2}, {"sku": "HONEY", "quantity": 1}],
    }))["reference"]
    too_big = _created(api_operator.post("/api/v1/orders", json={
        "ship_to": NEWARK, "lines": [{"sku": "TEA", "quantity": 30}],
    }))["reference"]

    wave = api_operator.post("/api/v1/waves", json={"references": [too_big, near_la]})

    assert wave.status_code == 200, wave.text
    body = wave.json()
    assert [(o["reference"], o["status"], o["shipped"]) for o in body["orders"]] == [
        (near_la, "shipped", True), (too_big, "backordered", False)]
    assert (body["shipped"], body["waiting"], body["skipped"]) == (1, 1, 0)
    shipped = api_viewer.get(f"/api/v1/orders/{near_la}").json()
    assert [(ln["location"], ln["lot"], ln["quantity"]) for ln in shipped["shipments"][0]["lines"]] == [
        ("LA", None, "2"), ("LA", "H-LA", "1")]
    assert _progress(api_viewer.get(f"/api/v1/orders/{too_big}").json(), 1) == ("23", "0", "0", "0", "7", "30")


def test_a_wave_naming_an_unknown_order_is_refused_whole(api_operator: httpx.Client) -> None:
    known = _created(api_operator.post("/api/v1/orders", json={"lines": [{"sku": "TEA", "quantity": 1}]}))
    refused = api_operator.post("/api/v1/waves", json={"references": [known["reference"], "SO-NOPE"]})
    assert refused.status_code == 404
    assert refused.json()["error"]["field"] == "references[1]"
    assert api_operator.get(f"/api/v1/orders/{known['reference']}").json()["status"] == "open"
    assert api_operator.post("/api/v1/waves", json={"references": []}).status_code == 422


def test_a_serial_item_ships_only_with_its_serial_confirmed(
    api_operator: httpx.Client, api_admin: httpx.Client
) -> None:
    camera = {"sku": "CAM", "name": "Camera", "tracking": "serial"}
    assert api_admin.post("/api/v1/items", json=camera).status_code == 201
    api_admin.post("/api/v1/adjustments", json={"location": "NY-A1", "reason": "found", "lines": [
        {"sku": "CAM", "quantity": 1, "lot": "C-1"}, {"sku": "CAM", "quantity": 1, "lot": "C-2"}]})
    ref = _created(api_operator.post("/api/v1/orders", json={"lines": [{"sku": "CAM", "quantity": 1}]}))["reference"]
    assert api_operator.post(f"/api/v1/orders/{ref}/allocate").status_code == 200
    refused = api_operator.post(f"/api/v1/orders/{ref}/shipments", json={"lines": [{"line_no": 1, "quantity": 1}]})
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert (error["code"], error["field"], error["line_no"]) == ("serials_not_confirmed", "lines[0].serials", 1)
    order = _created(api_operator.post(f"/api/v1/orders/{ref}/shipments",
                                       json={"lines": [{"line_no": 1, "quantity": 1, "serials": ["C-1"]}]}))
    assert order["status"] == "shipped"

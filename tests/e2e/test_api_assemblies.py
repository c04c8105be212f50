"""Bundles, bills of materials, builds, disassembly and genealogy over HTTP."""

from __future__ import annotations

from onhand import services
from onhand.domain.catalog.commands import CreateLocation


def _setup_bundle(api):
    for body in ({"sku": "MUG", "name": "Mug"}, {"sku": "TEA", "name": "Tea"},
                 {"sku": "STARTER", "name": "Starter pack", "kind": "bundle"}):
        assert api.post("/api/v1/items", json=body).status_code == 201


def test_a_bundle_is_defined_and_its_availability_read_per_location(api_admin, onhand):
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    _setup_bundle(api_admin)
    api_admin.post("/api/v1/adjustments", json={
        "location": "NY", "reason": "found", "lines": [{"sku": "MUG", "quantity": "10"}, {"sku": "TEA", "quantity": 5}],
    })

    put = api_admin.put("/api/v1/bundles/STARTER/components",
                        json={"components": [{"sku": "MUG", "quantity": 2}, {"sku": "TEA", "quantity": "1"}]})
    got = api_admin.get("/api/v1/bundles/STARTER/availability")
    stock = api_admin.get("/api/v1/stock", params={"sku": "STARTER"})

    assert put.status_code == 200, put.text
    assert [c["sku"] for c in put.json()["components"]] == ["MUG", "TEA"]
    assert got.json()["available"] == "5"
    assert got.json()["locations"] == [{"location": "NY", "quantity": "5"}]
    assert [(lv["sku"], lv["available"]) for lv in stock.json()["levels"]] == [("STARTER", "5")]


def test_a_bundle_cycle_is_a_422_naming_the_component(api_admin, onhand):
    _setup_bundle(api_admin)
    api_admin.put("/api/v1/bundles/STARTER/components", json={"components": [{"sku": "MUG", "quantity": 1}]})
    api_admin.post("/api/v1/items", json={"sku": "OUTER", "name": "Outer", "kind": "bundle"})
    api_admin.put("/api/v1/bundles/OUTER/components", json={"components": [{"sku": "STARTER", "quantity": 1}]})

    refused = api_admin.put("/api/v1/bundles/STARTER/components",
                            json={"components": [{"sku": "OUTER", "quantity": 1}]})

    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "components[0].sku"


def test_a_build_order_is_built_in_parts_and_traced(api_admin, onhand):
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    for body in ({"sku": "BERRY", "name": "Berries", "tracking": "lot"}, {"sku": "JAR", "name": "Jar"},
                 {"sku": "JAM", "name": "Jam", "tracking": "lot", "kind": "assembly"}):
        api_admin.post("/api/v1/items", json=body)
    api_admin.post("/api/v1/adjustments", json={"location": "NY", "reason": "found", "lines": [
        {"sku": "BERRY", "quantity": 40, "lot": "B1", "expiry_date": "2026-08-01"}, {"sku": "JAR", "quantity": 20}]})
    bom = api_admin.put("/api/v1/boms/JAM", json={
        "components": [{"sku": "BERRY", "quantity": 2}, {"sku": "JAR", "quantity": 1, "scrap_percent": "5"}],
        "labour_cost": "0.75"})
    assert bom.status_code == 200, bom.text
    assert api_admin.get("/api/v1/boms/JAM/can-build", params={"location": "NY"}).json()["available"] == "19"

    created = api_admin.post("/api/v1/build-orders", json={"sku": "JAM", "location": "NY", "quantity": 10})
    assert created.status_code == 201, created.text
    reference = created.json()["reference"]
    part = api_admin.post(f"/api/v1/build-orders/{reference}/builds", json={"quantity": 4, "output_lot": "J1"})
    rest = api_admin.post(f"/api/v1/build-orders/{reference}/builds", json={"output_lot": "J2"})
    trace = api_admin.get("/api/v1/genealogy", params={"sku": "BERRY", "lot": "B1"})
    apart = api_admin.post("/api/v1/disassemblies", json={"sku": "JAM", "location": "NY", "quantity": 1, "lot": "J2"})

    assert (reference, part.status_code, part.json()["status"], part.json()["remaining"]) == (
        "BO-000001", 201, "partially_built", "6")
    assert rest.json()["status"] == "done"
    assert sorted((ln["parent_lot"], ln["quantity"]) for ln in trace.json()["used_in"]) == [("J1", "8"), ("J2", "12")]
    assert apart.status_code == 201, apart.text
    assert sorted((c["sku"], c["lot"], c["quantity"]) for c in apart.json()["components"]) == [
        ("BERRY", "B1", "2"), ("JAR", None, "1")]
    assert services.integrity.verify(onhand).ok


def test_a_build_short_of_components_is_a_409_listing_them(api_admin, onhand):
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    for body in ({"sku": "NUT", "name": "Nut"}, {"sku": "BOLT", "name": "Bolt"}, {"sku": "KIT", "name": "Kit"}):
        api_admin.post("/api/v1/items", json=body)
    api_admin.put("/api/v1/boms/KIT",
                  json={"components": [{"sku": "NUT", "quantity": 2}, {"sku": "BOLT", "quantity": 1}]})
    reference = api_admin.post("/api/v1/build-orders", json={"sku": "KIT", "location": "NY", "quantity": 3}).json()[
        "reference"]

    refused = api_admin.post(f"/api/v1/build-orders/{reference}/builds", json={})

    assert refused.status_code == 409
    assert [s["sku"] for s in refused.json()["error"]["shortages"]] == ["NUT", "BOLT"]
    assert api_admin.get(f"/api/v1/build-orders/{reference}").json()["built"] == "0"


def test_a_viewer_cannot_build(api_viewer, api_admin):
    refused = api_viewer.post("/api/v1/build-orders", json={"sku": "X", "location": "NY", "quantity": 1})
    assert refused.status_code == 403


def test_a_build_and_a_disassembly_are_backdated_with_effective_at(api_admin, onhand):
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    for body in ({"sku": "BERRY", "name": "Berries"}, {"sku": "JAM", "name": "Jam", "kind": "assembly"}):
        api_admin.post("/api/v1/items", json=body)
    api_admin.put("/api/v1/boms/JAM", json={"components": [{"sku": "BERRY", "quantity": 1}]})
    api_admin.post("/api/v1/adjustments", json={  # now (the test clock: 2026-03-02 09:00 UTC)
        "location": "NY", "reason": "found", "lines": [{"sku": "BERRY", "quantity": 10, "unit_cost": "6.00"}]})
    api_admin.post("/api/v1/adjustments", json={
        "location": "NY", "reason": "found", "lines": [{"sku": "BERRY", "quantity": 10, "unit_cost": "5.00"}],
        "effective_at": "2026-03-01T10:00:00Z"})
    reference = api_admin.post("/api/v1/build-orders", json={"sku": "JAM", "location": "NY", "quantity": 5}).json()[
        "reference"]

    future = api_admin.post(f"/api/v1/build-orders/{reference}/builds", json={"effective_at": "2027-01-01"})
    built = api_admin.post(f"/api/v1/build-orders/{reference}/builds", json={"effective_at": "2026-03-01T12:00:00Z"})
    apart = api_admin.post("/api/v1/disassemblies", json={
        "sku": "JAM", "location": "NY", "quantity": 1, "effective_at": "2026-03-01T13:00:00Z"})

    assert (future.status_code, future.json()["error"]["field"]) == (422, "effective_at")
    assert built.status_code == 201, built.text
    posting = built.json()["runs"][-1]["posting_id"]
    values = api_admin.get(f"/api/v1/postings/{posting}/values").json()["moves"]
    assert sorted((v["sku"], v["value"]) for v in values) == [("BERRY", "25"), ("JAM", "25")]  # 5 @ 5.00 then
    assert api_admin.get(f"/api/v1/postings/{posting}").json()["effective_at"].startswith("2026-03-01T12:00:00")
    assert apart.status_code == 201, apart.text
    taken = api_admin.get(f"/api/v1/postings/{apart.json()['posting_id']}/values").json()["moves"]
    assert sorted((v["sku"], v["value"]) for v in taken) == [("BERRY", "5"), ("JAM", "5")]

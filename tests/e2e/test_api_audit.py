"""GET /audit: who did what over HTTP, readable by keys with the audit permission only."""

from __future__ import annotations

import httpx
import pytest

from onhand import services
from tests.e2e.conftest import ApiKeys

pytestmark = pytest.mark.usefixtures("api_stocked")

BODY = {"location": "NY", "reason": "lost", "lines": [{"sku": "TEA-1", "quantity": "-1"}]}


def test_a_posting_made_over_http_records_its_key_on_the_posting_and_in_the_audit_log(
    api_operator: httpx.Client, api_admin: httpx.Client, api_keys: ApiKeys, onhand
) -> None:
    operator_id = services.keys.authenticate(onhand, api_keys.operator).id
    posted = api_operator.post("/api/v1/adjustments", json=BODY).json()
    assert posted["actor"] == f"api_key:{operator_id}"
    assert api_operator.get(f"/api/v1/postings/{posted['id']}").json()["actor"] == f"api_key:{operator_id}"

    log = api_admin.get("/api/v1/audit", params={"actor": f"api_key:{operator_id}"}).json()

    (entry,) = log["entries"]
    assert entry["actor"] == {"kind": "api_key", "id": str(operator_id), "name": "operator key",
                              "reference": f"api_key:{operator_id}"}
    assert (entry["action"], entry["object"]) == ("post_adjustment", {"type": "posting", "key": str(posted["id"])})
    assert entry["before"] is None and entry["after"]["reason"] == "lost"
    assert log["next_before_id"] is None


def test_the_audit_log_is_for_admins_only(api_operator: httpx.Client, api_viewer: httpx.Client) -> None:
    for client in (api_operator, api_viewer):
        assert client.get("/api/v1/audit").status_code == 403


def test_the_audit_log_filters_by_object_and_time_and_pages(api_admin: httpx.Client, clock) -> None:
    api_admin.patch("/api/v1/items/TEA-1", json={"name": "Sencha"})
    changed = api_admin.get("/api/v1/audit", params={"object_type": "item", "object_key": "TEA-1"}).json()
    latest = changed["entries"][0]
    assert (latest["action"], latest["before"], latest["after"]) == (
        "update_item", {"name": "Green tea"}, {"name": "Sencha"})
    page = api_admin.get("/api/v1/audit", params={"limit": 2}).json()
    assert len(page["entries"]) == 2 and page["next_before_id"] == page["entries"][-1]["id"]
    future = (clock.current.replace(microsecond=0)).isoformat().replace("+00:00", "Z")
    assert api_admin.get("/api/v1/audit", params={"since": future}).json()["entries"][0]["action"] == "update_item"
    bad = api_admin.get("/api/v1/audit", params={"since": "2026-03-02"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "since"

"""API keys over HTTP: secrets never cached, expiry, rotation, the last admin, one's own key."""

from __future__ import annotations

from datetime import timedelta

import httpx

from onhand import services
from tests.e2e.conftest import ApiKeys, ClientFactory


def test_a_response_carrying_a_secret_says_no_store(api_admin: httpx.Client) -> None:
    created = api_admin.post("/api/v1/keys", json={"name": "shop", "role": "integration"})
    assert created.status_code == 201
    assert created.headers["cache-control"] == "no-store"
    rotated = api_admin.post(f"/api/v1/keys/{created.json()['key']['id']}/rotate", json={})
    assert rotated.status_code == 200
    assert rotated.headers["cache-control"] == "no-store"


def test_a_rotated_key_answers_with_both_secrets_during_the_overlap(
    api_admin: httpx.Client, api_client_for: ClientFactory
) -> None:
    created = api_admin.post("/api/v1/keys", json={"name": "shop", "role": "viewer"}).json()
    key_id = created["key"]["id"]
    rotated = api_admin.post(f"/api/v1/keys/{key_id}/rotate", json={"overlap_hours": 1}).json()
    assert rotated["key"]["id"] == key_id and rotated["secret"] != created["secret"]
    assert rotated["key"]["previous_secret_expires_at"] is not None
    for secret in (created["secret"], rotated["secret"]):
        assert api_client_for(secret).get("/api/v1/items").status_code == 200
    ended = api_admin.post(f"/api/v1/keys/{key_id}/rotate", json={"overlap_hours": 0}).json()
    assert api_client_for(rotated["secret"]).get("/api/v1/items").status_code == 401
    assert api_client_for(ended["secret"]).get("/api/v1/items").status_code == 200


def test_a_rotation_body_is_optional_and_checked(api_admin: httpx.Client) -> None:
    key_id = api_admin.post("/api/v1/keys", json={"name": "k", "role": "viewer"}).json()["key"]["id"]
    assert api_admin.post(f"/api/v1/keys/{key_id}/rotate").status_code == 200
    wrong = api_admin.post(f"/api/v1/keys/{key_id}/rotate", json={"overlap_hours": 1000})
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "overlap_hours"


def test_a_key_can_be_made_to_expire(api_admin: httpx.Client, api_client_for: ClientFactory, clock) -> None:
    now = clock.current.isoformat()
    refused = api_admin.post("/api/v1/keys", json={"name": "k", "role": "viewer", "expires_at": now})
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "expires_at"
    in_an_hour = (clock.current + timedelta(hours=1)).isoformat()
    made = api_admin.post("/api/v1/keys", json={"name": "k", "role": "viewer", "expires_at": in_an_hour}).json()
    assert made["key"]["expires_at"] == in_an_hour.replace("+00:00", "Z")
    temp = api_client_for(made["secret"])
    assert temp.get("/api/v1/items").status_code == 200
    clock.advance(hours=1)
    assert temp.get("/api/v1/items").status_code == 401


def test_the_last_admin_key_cannot_be_revoked_or_demoted_over_http(
    api_admin: httpx.Client, api_keys: ApiKeys, onhand
) -> None:
    admin_id = services.keys.authenticate(onhand, api_keys.admin).id
    demote = api_admin.patch(f"/api/v1/keys/{admin_id}", json={"role": "operator"})
    assert demote.status_code == 409 and demote.json()["error"]["code"] == "last_admin_key"
    revoke = api_admin.delete(f"/api/v1/keys/{admin_id}", params={"own_key": "true"})
    assert revoke.status_code == 409 and revoke.json()["error"]["code"] == "last_admin_key"
    assert api_admin.get("/api/v1/keys").status_code == 200


def test_revoking_ones_own_key_asks_for_own_key_true(
    api_admin: httpx.Client, api_client_for: ClientFactory
) -> None:
    second = api_admin.post("/api/v1/keys", json={"name": "second admin", "role": "admin"}).json()
    me = api_client_for(second["secret"])
    my_id = second["key"]["id"]
    asked = me.delete(f"/api/v1/keys/{my_id}")
    assert asked.status_code == 409
    assert asked.json()["error"]["code"] == "confirmation_required"
    assert asked.json()["error"]["field"] == "own_key"
    assert me.get("/api/v1/keys").status_code == 200
    done = me.delete(f"/api/v1/keys/{my_id}", params={"own_key": "true"})
    assert done.status_code == 200 and done.json()["revoked_at"] is not None
    assert me.get("/api/v1/keys").status_code == 401


def test_a_key_is_renamed_and_its_role_changed(api_admin: httpx.Client) -> None:
    key_id = api_admin.post("/api/v1/keys", json={"name": "k", "role": "viewer"}).json()["key"]["id"]
    changed = api_admin.patch(f"/api/v1/keys/{key_id}", json={"name": "shop", "role": "integration"})
    assert changed.status_code == 200
    assert (changed.json()["name"], changed.json()["role"]) == ("shop", "integration")
    unknown = api_admin.patch(f"/api/v1/keys/{key_id}", json={"role": "god"})
    assert unknown.status_code == 422 and unknown.json()["error"]["field"] == "role"


def test_a_keys_last_use_shows_in_the_list(
    api_admin: httpx.Client, api_viewer: httpx.Client, api_keys: ApiKeys, clock
) -> None:
    assert api_keys.operator  # a key that is never used
    api_viewer.get("/api/v1/items")
    listed = {k["name"]: k for k in api_admin.get("/api/v1/keys").json()["keys"]}
    assert listed["viewer key"]["last_used_at"] is not None
    assert listed["operator key"]["last_used_at"] is None

"""API keys, verify and rebuild over HTTP."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.conftest import ApiKeys, ClientFactory


def test_an_admin_creates_a_key_whose_secret_is_returned_once(
    api_admin: httpx.Client, api_client_for: ClientFactory
) -> None:
    response = api_admin.post("/api/v1/keys", json={"name": "Shopify connector", "role": "integration"})
    assert response.status_code == 201
    created = response.json()
    assert created["secret"].startswith("onh_")
    assert (created["key"]["name"], created["key"]["role"]) == ("Shopify connector", "integration")
    listed = api_admin.get("/api/v1/keys")
    assert listed.status_code == 200
    assert created["key"] in listed.json()["keys"]
    assert created["secret"] not in listed.text
    assert api_client_for(created["secret"]).get("/api/v1/stock").status_code == 200


def test_listing_keys_never_shows_a_secret(api_admin: httpx.Client, api_keys: ApiKeys) -> None:
    text = api_admin.get("/api/v1/keys").text
    for secret in (api_keys.admin, api_keys.operator, api_keys.viewer):
        assert secret not in text
        random_part = secret.split("_", 2)[2]  # onh_<prefix>_<random>; the random part may hold "_"
        assert random_part not in text


def test_revoking_a_key_returns_it_with_its_revocation_time(api_admin: httpx.Client) -> None:
    key_id = api_admin.post("/api/v1/keys", json={"name": "temp", "role": "viewer"}).json()["key"]["id"]
    response = api_admin.delete(f"/api/v1/keys/{key_id}")
    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None


def test_revoking_an_unknown_key_is_a_404(api_admin: httpx.Client) -> None:
    response = api_admin.delete("/api/v1/keys/424242")
    assert response.status_code == 404
    assert response.json()["error"]["field"] == "id"


@pytest.mark.parametrize(
    ("body", "field"), [({"name": "x", "role": "god"}, "role"), ({"role": "viewer"}, "name")]
)
def test_a_bad_key_request_is_a_422(api_admin: httpx.Client, body: dict, field: str) -> None:
    response = api_admin.post("/api/v1/keys", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


@pytest.mark.usefixtures("api_stocked")
def test_verify_reports_a_consistent_ledger_to_any_reader(api_viewer: httpx.Client) -> None:
    response = api_viewer.get("/api/v1/verify")
    assert response.status_code == 200
    report = response.json()
    assert report["ok"] is True
    assert report["moves_checked"] == 3
    assert report["projection_mismatches"] == report["conservation_errors"] == []
    assert report["negative_balances"] == []


@pytest.mark.usefixtures("api_stocked")
def test_an_admin_rebuilds_the_balances_and_gets_the_verify_report(api_admin: httpx.Client) -> None:
    response = api_admin.post("/api/v1/rebuild")
    assert response.status_code == 200
    assert (response.json()["ok"], response.json()["moves_checked"]) == (True, 3)


def test_a_viewer_cannot_rebuild(api_viewer: httpx.Client) -> None:
    assert api_viewer.post("/api/v1/rebuild").status_code == 403

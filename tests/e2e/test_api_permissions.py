"""Every route asks for one permission; every role gets exactly the routes its permissions
allow (each route called with a key of each role); the docs say the same as the code."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from onhand import services
from onhand.domain.access.commands import CreateApiKey
from onhand.domain.access.roles import Permission, Role, allows
from onhand.entrypoints.api import rights
from onhand.entrypoints.api.app import api_routes
from onhand.entrypoints.api.auth import route_permission
from tests.e2e.conftest import ClientFactory

API_DOC = Path(__file__).parents[2] / "docs" / "api.md"
DOC_ROUTE = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`?\s]*)[^`]*`")
# Values for path parameters: they name nothing, so an allowed call changes nothing.
PATH_VALUES = {"key_id": "999999", "posting_id": "999999", "line_no": "1", "day": "2000-01-01",
               "gtin": "00000000", "channel": "nowhere"}


def normalized(path: str) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", "{}", path)


def code_permissions() -> dict[tuple[str, str], Permission]:
    found = {}
    for route in api_routes():
        permission = route_permission(route)
        assert permission is not None, f"{route.path} asks for no permission"
        for method in route.methods:
            found[(method, normalized(route.path))] = permission
    return found


def test_the_table_of_roles_in_the_docs_is_the_codes() -> None:
    assert rights.documented(API_DOC.read_text(encoding="utf-8")) == rights.roles_table(), (
        "run: python -m onhand.entrypoints.api.rights docs/api.md")


def test_every_route_is_in_the_docs_with_the_permission_it_asks_for() -> None:
    code = code_permissions()
    documented: dict[tuple[str, str], str] = {}
    for line in API_DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `"):
            continue
        first, given, *_ = (cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip().strip("|")))
        routes = [(method, normalized(path)) for method, path in DOC_ROUTE.findall(first)]
        named = [p.strip() for p in re.split(r"[·/]", given)]
        for route, permission in zip(routes, named * len(routes) if len(named) == 1 else named, strict=True):
            documented[route] = permission
    assert {route: code[route].value for route in documented} == documented
    assert set(code) - set(documented) == set()


def call(client: httpx.Client, method: str, path: str) -> httpx.Response:
    concrete = re.sub(r"\{(\w+)(:path)?\}", lambda m: PATH_VALUES.get(m[1], "NO-SUCH-THING"), path)
    body = {} if method in ("POST", "PUT", "PATCH") else None
    return client.request(method, f"/api/v1{concrete}", json=body)


# Authorization does not depend on the database engine: SQLite alone keeps this quick.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("role", list(Role))
def test_a_key_of_each_role_reaches_exactly_the_routes_its_permissions_allow(
    role: Role, onhand, api_client_for: ClientFactory
) -> None:
    services.keys.create_api_key(onhand, CreateApiKey(name="the admin", role="admin"))  # never the last one
    client = api_client_for(services.keys.create_api_key(onhand, CreateApiKey(name=role.value, role=role.value)).secret)
    wrong = []
    for (method, path), permission in sorted(code_permissions().items()):
        route = next(r for r in api_routes() if method in r.methods and normalized(r.path) == path)
        status = call(client, method, route.path).status_code
        if (status == 403) == allows(role, permission) or status == 401:
            wrong.append(f"{method} {route.path} ({permission.value}): {status}")
    assert wrong == []

"""Before its first request a server builds what the first requests would otherwise wait for
(entrypoints/start_up.py): every router's matching state, every page's template, and the
statements of its busiest writes (rehearsed, then rolled back: services/tools/rehearsal.py)."""

from __future__ import annotations

import logging

import fastapi.routing
import httpx
import pytest
from sqlalchemy import event, func, inspect, select, table

from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.access.commands import CreateApiKey
from onhand.entrypoints.api.app import create_app
from onhand.entrypoints.start_up import WARM_UP_REQUEST_ID, warm_up
from tests.e2e.conftest import serve_api


def rows_of_every_table(onhand: Onhand) -> dict[str, int]:
    with onhand.engine.connect() as conn:
        names = inspect(conn).get_table_names()
        return {name: conn.execute(select(func.count()).select_from(table(name))).scalar_one() for name in names}


def test_warm_up_compiles_every_template_keeps_nothing_and_the_app_serves_after(
    onhand: Onhand, caplog: pytest.LogCaptureFixture
) -> None:
    secret = services.keys.create_api_key(onhand, CreateApiKey(name="ops", role="viewer")).secret
    app = create_app(onhand)
    environment = app.state.web_templates.env
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        statements.append(statement)

    before = rows_of_every_table(onhand)
    event.listen(onhand.engine, "before_cursor_execute", count)
    try:
        with caplog.at_level(logging.INFO, logger="onhand.api.requests"):
            warm_up(app)
    finally:
        event.remove(onhand.engine, "before_cursor_execute", count)
    # The writes were rehearsed (on SQLite an order allocated among them), nothing of them kept.
    assert any(s.startswith("INSERT INTO postings") for s in statements)
    on_sqlite = onhand.engine.dialect.name == "sqlite"
    assert any(s.startswith("INSERT INTO reservations") for s in statements) is on_sqlite
    assert rows_of_every_table(onhand) == before
    pages = environment.list_templates(extensions=["html"])
    assert len(pages) > 20
    assert {template.name for template in environment.cache.values()} >= set(pages)
    assert any(f"request_id={WARM_UP_REQUEST_ID}" in record.getMessage() for record in caplog.records)
    with serve_api(app, lifespan="off") as url, httpx.Client(base_url=url) as client:
        assert client.get("/api/v1/stock", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
        assert client.get("/sign-in").status_code == 200


def test_after_warm_up_no_request_builds_its_routes_matching_state(
    onhand: Onhand, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = services.keys.create_api_key(onhand, CreateApiKey(name="ops", role="viewer")).secret
    built: list[str] = []
    original = fastapi.routing._populate_api_route_state

    def populate(*args: object, **kwargs: object) -> object:
        built.append("route")
        return original(*args, **kwargs)

    monkeypatch.setattr(fastapi.routing, "_populate_api_route_state", populate)
    paths = ("/api/v1/stock", "/api/v1/items", "/api/v1/orders", "/api/v1/locations", "/api/v1/purchase-orders")
    for warmed in (False, True):
        app = create_app(onhand)
        if warmed:
            warm_up(app)
        built.clear()
        with serve_api(app, lifespan="off") as url, httpx.Client(base_url=url) as client:
            for path in paths:
                assert client.get(path, headers={"Authorization": f"Bearer {secret}"}).status_code == 200, path
        # Without the warm-up, the first request to each router built its routes then.
        assert (built == []) is warmed, built

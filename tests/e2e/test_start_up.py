"""Before its first request a server builds what the first requests would otherwise wait for
(entrypoints/start_up.py): every router's matching state and every page's template."""

from __future__ import annotations

import logging

import httpx
import pytest
from sqlalchemy import event

from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.access.commands import CreateApiKey
from onhand.entrypoints.api.app import create_app
from onhand.entrypoints.start_up import WARM_UP_REQUEST_ID, warm_up
from tests.e2e.conftest import serve_api


def test_warm_up_compiles_every_template_reads_nothing_and_the_app_serves_after(
    onhand: Onhand, caplog: pytest.LogCaptureFixture
) -> None:
    secret = services.keys.create_api_key(onhand, CreateApiKey(name="ops", role="viewer")).secret
    app = create_app(onhand)
    environment = app.state.web_templates.env
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        statements.append(statement)

    event.listen(onhand.engine, "before_cursor_execute", count)
    try:
        with caplog.at_level(logging.INFO, logger="onhand.api.requests"):
            warm_up(app)
    finally:
        event.remove(onhand.engine, "before_cursor_execute", count)
    assert statements == []  # no database work: a path no route matches
    pages = environment.list_templates(extensions=["html"])
    assert len(pages) > 20
    assert {template.name for template in environment.cache.values()} >= set(pages)
    assert any(f"request_id={WARM_UP_REQUEST_ID}" in record.getMessage() for record in caplog.records)
    with serve_api(app, lifespan="off") as url, httpx.Client(base_url=url) as client:
        assert client.get("/api/v1/stock", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
        assert client.get("/sign-in").status_code == 200

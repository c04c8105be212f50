"""A database connection that died while idle in the pool costs a retry, not an error."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from onhand import services
from tests.integration.helpers import add_item, add_place, adjust, level


def test_a_pooled_connection_killed_by_the_server_is_replaced_and_the_action_still_happens(onhand):
    if onhand.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to drop connections")
    add_item(onhand, "TEA")
    add_place(onhand, "WH")
    adjust(onhand, "WH", "TEA", 5)
    onhand.engine.dispose()  # the pool may keep connections of earlier tests (tests/databases.py)
    with onhand.engine.connect() as conn:  # now the one connection the pool holds
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    admin = create_engine(onhand.engine.url)
    try:
        with admin.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    finally:
        admin.dispose()
    adjust(onhand, "WH", "TEA", 2)  # starts on the dead connection, retried on a new one
    assert level(onhand, "TEA", "WH")[0] == 7
    assert services.integrity.verify(onhand).ok

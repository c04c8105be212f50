"""Test databases: SQLite always, PostgreSQL when ONHAND_TEST_DATABASE_URL is set.

Each PostgreSQL test gets a schema of its own (via search_path), so tests never see
each other's rows and the schema is dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text

from onhand.adapters.db.engine import normalize_url

POSTGRES_URL = os.environ.get("ONHAND_TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


@contextmanager
def fresh_database(backend: str, directory: Path) -> Iterator[str]:
    """Yield the URL of an empty database of `backend`; clean it up afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'onhand.db'}"
        return
    assert POSTGRES_URL is not None
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(normalize_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

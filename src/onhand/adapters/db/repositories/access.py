"""API keys, idempotency keys and the record of import runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from onhand.adapters.db.tables import api_keys, idempotency_keys, import_runs
from onhand.services.views import ApiKeyView


def _key(row: Any) -> ApiKeyView:
    return ApiKeyView(
        id=row.id,
        name=row.name,
        role=row.role,
        prefix=row.prefix,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


class ApiKeyRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, *, name: str, role: str, prefix: str, secret_hash: str, created_at: datetime) -> int:
        result = self._conn.execute(
            insert(api_keys).values(
                name=name, role=role, prefix=prefix, secret_hash=secret_hash, created_at=created_at
            )
        )
        return int(result.inserted_primary_key[0])

    def get(self, key_id: int) -> ApiKeyView | None:
        row = self._conn.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
        return _key(row) if row else None

    def by_prefix(self, prefix: str) -> tuple[ApiKeyView, str] | None:
        row = self._conn.execute(select(api_keys).where(api_keys.c.prefix == prefix)).first()
        return (_key(row), row.secret_hash) if row else None

    def list(self) -> list[ApiKeyView]:
        return [_key(r) for r in self._conn.execute(select(api_keys).order_by(api_keys.c.id))]

    def revoke(self, key_id: int, at: datetime) -> None:
        self._conn.execute(update(api_keys).where(api_keys.c.id == key_id).values(revoked_at=at))


class IdempotencyRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, key: str) -> tuple[str, str, int] | None:
        row = self._conn.execute(select(idempotency_keys).where(idempotency_keys.c.key == key)).first()
        return (row.action, row.fingerprint, row.resource_id) if row else None

    def add(self, key: str, *, action: str, fingerprint: str, resource_id: int, at: datetime) -> None:
        self._conn.execute(
            insert(idempotency_keys).values(
                key=key, action=action, fingerprint=fingerprint, resource_id=resource_id, created_at=at
            )
        )


class ImportRunRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, *, kind: str, report: str, created_at: datetime) -> int:
        result = self._conn.execute(
            insert(import_runs).values(kind=kind, report=report, created_at=created_at)
        )
        return int(result.inserted_primary_key[0])

    def get(self, run_id: int) -> str:
        return str(
            self._conn.execute(select(import_runs.c.report).where(import_runs.c.id == run_id)).scalar_one()
        )

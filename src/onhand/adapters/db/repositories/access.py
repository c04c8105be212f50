"""API keys, idempotency keys and the record of import runs."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, or_, select, update

from onhand.adapters.db.hot import Hot
from onhand.adapters.db.tables import api_keys, idempotency_keys, import_runs
from onhand.domain.access.records import (
    StoredKey,
)
from onhand.domain.access.views import ApiKeyView


def _key(row: Any) -> ApiKeyView:
    return ApiKeyView(
        id=row.id,
        name=row.name,
        role=row.role,
        prefix=row.prefix,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        rotated_at=row.rotated_at,
        previous_secret_expires_at=row.previous_secret_expires_at,
    )


# Every request with a key and every write with an idempotency key runs these: built once.
_KEY_BY_PREFIX = Hot(select(api_keys).where(api_keys.c.prefix == bindparam("prefix")))
_IDEMPOTENT = Hot(select(idempotency_keys).where(
    idempotency_keys.c.scope == bindparam("scope"), idempotency_keys.c.key == bindparam("key"),
    idempotency_keys.c.created_at > bindparam("expired_at")))
_PURGE_IDEMPOTENT = Hot(delete(idempotency_keys).where(
    idempotency_keys.c.scope == bindparam("scope"), idempotency_keys.c.created_at <= bindparam("expired_at")))
_ADD_IDEMPOTENT = Hot(insert(idempotency_keys))
_SEEN_IDEMPOTENT = Hot(select(idempotency_keys.c.key).where(
    idempotency_keys.c.scope == bindparam("scope"), idempotency_keys.c.key.in_(bindparam("keys", expanding=True)),
    idempotency_keys.c.created_at > bindparam("expired_at")))

class ApiKeyRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self, *, name: str, role: str, prefix: str, secret_hash: str, created_at: datetime,
        expires_at: datetime | None,
    ) -> int:
        result = self._conn.execute(
            insert(api_keys).values(
                name=name, role=role, prefix=prefix, secret_hash=secret_hash, created_at=created_at,
                expires_at=expires_at,
            )
        )
        return int(result.inserted_primary_key[0])

    def get(self, key_id: int) -> ApiKeyView | None:
        row = self._conn.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
        return _key(row) if row else None

    def by_prefix(self, prefix: str) -> StoredKey | None:
        row = _KEY_BY_PREFIX.first(self._conn, {"prefix": prefix})
        return StoredKey(_key(row), row.secret_hash, row.previous_secret_hash) if row else None

    def by_id_with_hashes(self, key_id: int) -> StoredKey | None:
        row = self._conn.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
        return StoredKey(_key(row), row.secret_hash, row.previous_secret_hash) if row else None

    def list(self) -> list[ApiKeyView]:
        return [_key(r) for r in self._conn.execute(select(api_keys).order_by(api_keys.c.id))]

    def active_admin_ids(self, now: datetime) -> list[int]:
        """The active admin keys, locked (in id order) until the transaction ends, so that two
        transactions revoking or demoting admins see each other's change (PostgreSQL; SQLite
        runs writers one at a time)."""
        query = (
            select(api_keys.c.id)
            .where(api_keys.c.role == "admin", api_keys.c.revoked_at.is_(None),
                   or_(api_keys.c.expires_at.is_(None), api_keys.c.expires_at > now))
            .order_by(api_keys.c.id)
            .with_for_update()
        )
        return list(self._conn.execute(query).scalars())

    def revoke(self, key_id: int, at: datetime) -> None:
        """Revoke the key now, unless it already was (it keeps the first time)."""
        self._conn.execute(
            update(api_keys).where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None)).values(revoked_at=at)
        )

    def change(self, key_id: int, *, name: str, role: str) -> None:
        self._conn.execute(update(api_keys).where(api_keys.c.id == key_id).values(name=name, role=role))

    def rotate(
        self, key_id: int, *, secret_hash: str, previous_secret_hash: str, previous_until: datetime,
        at: datetime,
    ) -> None:
        self._conn.execute(
            update(api_keys).where(api_keys.c.id == key_id).values(
                secret_hash=secret_hash, previous_secret_hash=previous_secret_hash,
                previous_secret_expires_at=previous_until, rotated_at=at,
            )
        )

    def record_use(self, key_id: int, at: datetime, *, unless_since: datetime) -> None:
        """Set last_used_at unless a concurrent request already did since `unless_since`."""
        self._conn.execute(
            update(api_keys)
            .where(api_keys.c.id == key_id,
                   or_(api_keys.c.last_used_at.is_(None), api_keys.c.last_used_at <= unless_since))
            .values(last_used_at=at)
        )


class IdempotencyRepository:
    """Idempotency records per scope (the caller); records created at or before
    `expired_at` have expired: they are never returned and are purged on the scope's next write."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, scope: str, key: str, *, expired_at: datetime) -> tuple[str, str, int] | None:
        row = _IDEMPOTENT.first(self._conn, {"scope": scope, "key": key, "expired_at": expired_at})
        return (row.action, row.fingerprint, row.resource_id) if row else None

    def add(
        self, scope: str, key: str, *, action: str, fingerprint: str, resource_id: int, at: datetime,
        expired_at: datetime,
    ) -> None:
        self.add_many(scope, [(key, action, fingerprint, resource_id)], at=at, expired_at=expired_at)

    def seen(self, scope: str, keys: Collection[str], *, expired_at: datetime) -> set[str]:
        """Which of these keys have a record."""
        return {row.key for row in _SEEN_IDEMPOTENT.rows(self._conn, {
            "scope": scope, "keys": sorted(keys), "expired_at": expired_at})} if keys else set()

    def add_many(self, scope: str, records: Sequence[tuple[str, str, str, int]], *, at: datetime,
                 expired_at: datetime) -> None:
        """Records of (key, action, fingerprint, resource id), the scope's expired ones purged first."""
        if not records:
            return
        _PURGE_IDEMPOTENT.run(self._conn, {"scope": scope, "expired_at": expired_at})
        _ADD_IDEMPOTENT.many(self._conn, [
            {"scope": scope, "key": key, "action": action, "fingerprint": fingerprint, "resource_id": resource_id,
             "created_at": at} for key, action, fingerprint, resource_id in records])


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

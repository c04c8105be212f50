"""The audit log: appended to in every write's transaction, read newest first."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from onhand.adapters.db.hot import Hot
from onhand.adapters.db.tables.audit import audit_log
from onhand.domain.actors import Actor, ActorKind
from onhand.domain.audit import AuditEntry, AuditFilter, AuditObject


def _json(fields: Mapping[str, Any] | None) -> str | None:
    return None if fields is None else json.dumps(fields, sort_keys=True, separators=(",", ":"))


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        id=row.id, at=row.at, actor=Actor(ActorKind(row.actor_kind), row.actor_id, row.actor_name),
        action=row.action, object=AuditObject(row.object_type, row.object_key),
        before=json.loads(row.before) if row.before is not None else None,
        after=json.loads(row.after) if row.after is not None else None,
    )


_ADD = Hot(insert(audit_log))


class AuditRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self, *, at: datetime, actor: Actor, action: str, subject: AuditObject,
        before: Mapping[str, Any] | None, after: Mapping[str, Any] | None,
    ) -> None:
        self.add_many(at=at, actor=actor, entries=[(action, subject, before, after)])

    def add_many(
        self, *, at: datetime, actor: Actor,
        entries: list[tuple[str, AuditObject, Mapping[str, Any] | None, Mapping[str, Any] | None]],
    ) -> None:
        if not entries:
            return
        _ADD.many(
            self._conn,
            [
                {"at": at, "actor_kind": actor.kind.value, "actor_id": actor.id, "actor_name": actor.name,
                 "action": action, "object_type": subject.type, "object_key": subject.key,
                 "before": _json(before), "after": _json(after)}
                for action, subject, before, after in entries
            ],
        )

    def list(self, where: AuditFilter, *, limit: int) -> list[AuditEntry]:
        c = audit_log.c
        query = select(audit_log).order_by(c.id.desc()).limit(limit)
        conditions = [
            (c.actor_kind, where.actor_kind and where.actor_kind.value), (c.actor_id, where.actor_id),
            (c.object_type, where.object_type), (c.object_key, where.object_key), (c.action, where.action),
        ]
        for column, value in conditions:
            if value is not None:
                query = query.where(column == value)
        if where.since is not None:
            query = query.where(c.at >= where.since)
        if where.until is not None:
            query = query.where(c.at < where.until)
        if where.before_id is not None:
            query = query.where(c.id < where.before_id)
        return [_entry(row) for row in self._conn.execute(query)]

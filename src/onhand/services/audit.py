"""The audit log: written in each write's own transaction (by `run_write`), read by admins.

An entry is written with the change it records, so nothing is audited that did not
happen and nothing happens unaudited; the table refuses UPDATE and DELETE.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from onhand.domain.actors import parse_actor_reference
from onhand.domain.audit import AuditEntry, AuditFilter, AuditObject, as_fields, changed_fields, command_fields
from onhand.domain.errors import InvalidInput
from onhand.services import resolve

if TYPE_CHECKING:
    from onhand.services.context import ServiceContext, UnitOfWork


@dataclass(frozen=True)
class AuditPage:
    entries: tuple[AuditEntry, ...]  # newest first
    next_before_id: int | None  # pass as before_id for the next (older) page; None: no more


def record_action(
    uow: UnitOfWork, at: datetime, action: str, subject: AuditObject, request: Mapping[str, Any] | None
) -> None:
    """A create or an action on `subject`: the command's fields as given."""
    uow.audit.add(at=at, actor=uow.actor, action=action, subject=subject, before=None,
                  after=command_fields(request))


def record_actions(
    uow: UnitOfWork, at: datetime, actions: list[tuple[str, AuditObject, Mapping[str, Any] | None]]
) -> None:
    """Many actions at once (a wave's orders), in one statement."""
    uow.audit.add_many(at=at, actor=uow.actor, entries=[
        (action, subject, None, command_fields(request)) for action, subject, request in actions
    ])


def record_change(uow: UnitOfWork, at: datetime, action: str, subject: AuditObject, old: object, new: object) -> None:
    """An update of `subject` from `old` to `new` (records of one kind): the fields that changed."""
    was, now = changed_fields(old, new)
    uow.audit.add(at=at, actor=uow.actor, action=action, subject=subject, before=was or None, after=now or None)


def record_removal(uow: UnitOfWork, at: datetime, action: str, subject: AuditObject, old: object) -> None:
    """`subject` removed: what it was."""
    uow.audit.add(at=at, actor=uow.actor, action=action, subject=subject, before=as_fields(old), after=None)


def list_audit(
    ctx: ServiceContext,
    *,
    actor: str | None = None,
    object_type: str | None = None,
    object_key: str | None = None,
    action: str | None = None,
    since: datetime | str | None = None,
    until: datetime | str | None = None,
    limit: int = 100,
    before_id: int | None = None,
) -> AuditPage:
    """Entries newest first, each filter narrowing: `actor` is a reference (`api_key:12`,
    `cli:alice`, `cli` for every CLI user, `system`); `since` inclusive, `until` exclusive
    (ISO 8601 with an offset)."""
    resolve.page(limit)
    kind, actor_id = parse_actor_reference(actor) if actor is not None else (None, None)
    since, until = resolve.moment(since, "since"), resolve.moment(until, "until")
    if since is not None and until is not None and until <= since:
        raise InvalidInput("until", "must be later than since")
    where = AuditFilter(
        actor_kind=kind, actor_id=actor_id,
        object_type=resolve.text(object_type, "object_type", max_length=32),
        object_key=resolve.text(object_key, "object_key", max_length=200),
        action=resolve.text(action, "action", max_length=64),
        since=since, until=until,
        before_id=resolve.record_id(before_id, "before_id") if before_id is not None else None,
    )
    with ctx.reading() as uow:
        entries = uow.audit.list(where, limit=limit + 1)
    more = len(entries) > limit
    shown = tuple(entries[:limit])
    return AuditPage(shown, shown[-1].id if more else None)

"""The audit log as JSON: who did what to which object, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from onhand.domain.audit import AuditEntry
from onhand.entrypoints.api.schemas.common import ResponseModel
from onhand.services.audit import AuditPage


class ActorOut(ResponseModel):
    kind: str = Field(description="api_key, user, cli or system")
    id: str
    name: str
    reference: str = Field(description="kind:id (system: system); filter with ?actor=", examples=["api_key:3"])


class AuditObjectOut(ResponseModel):
    type: str = Field(examples=["sales_order"])
    key: str = Field(examples=["SO-000001"])


class AuditEntryOut(ResponseModel):
    id: int
    at: datetime
    actor: ActorOut
    action: str = Field(examples=["ship_order"])
    object: AuditObjectOut
    before: dict[str, Any] | None = Field(description="An update's changed fields as they were")
    after: dict[str, Any] | None = Field(
        description="An update's changed fields as they are now; a create's or an action's fields"
    )

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        actor = entry.actor
        return cls(
            id=entry.id, at=entry.at,
            actor=ActorOut(kind=actor.kind.value, id=actor.id, name=actor.name, reference=actor.reference),
            action=entry.action, object=AuditObjectOut(type=entry.object.type, key=entry.object.key),
            before=dict(entry.before) if entry.before is not None else None,
            after=dict(entry.after) if entry.after is not None else None,
        )


class AuditPageOut(ResponseModel):
    entries: list[AuditEntryOut]
    next_before_id: int | None = Field(description="Pass as before_id for older entries; null: no more")

    @classmethod
    def of(cls, page: AuditPage) -> AuditPageOut:
        return cls(entries=[AuditEntryOut.of(e) for e in page.entries], next_before_id=page.next_before_id)

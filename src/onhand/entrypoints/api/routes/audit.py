"""The audit log (permission `audit`): who did what to which object, newest first."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from onhand import services
from onhand.entrypoints.api.auth import Auditor, OnhandDep
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.audit import AuditPageOut
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES, QueryInt

router = ApiRouter(tags=["audit"], responses=ERROR_RESPONSES)

Moment = Annotated[str | None, Query(max_length=64, description="ISO 8601 with an offset, e.g. 2026-03-02T00:00:00Z")]


@router.get("/audit", summary="The audit log, newest first; every filter narrows")
def audit_log(
    onhand: OnhandDep,
    _key: Auditor,
    actor: Annotated[
        str | None,
        Query(max_length=80, description="api_key:3, cli:alice, cli (any CLI user), user:7 or system"),
    ] = None,
    object_type: Annotated[str | None, Query(max_length=32, description="item, sales_order, posting …")] = None,
    object_key: Annotated[str | None, Query(max_length=200, description="SKU, reference, id …")] = None,
    action: Annotated[str | None, Query(max_length=64, description="create_item, ship_order …")] = None,
    since: Moment = None,
    until: Moment = None,
    limit: QueryInt = 100,
    before_id: Annotated[QueryInt | None, Query(description="Entries older than this id")] = None,
) -> AuditPageOut:
    page = services.audit.list_audit(
        onhand, actor=actor, object_type=object_type, object_key=object_key, action=action, since=since,
        until=until, limit=limit, before_id=before_id,
    )
    return AuditPageOut.of(page)

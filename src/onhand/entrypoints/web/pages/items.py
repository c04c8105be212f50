"""Items: search, and an item's page (stock per location, bin and lot; movements; audit)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from onhand import services
from onhand.domain.access.roles import Permission
from onhand.domain.errors import NotFound
from onhand.entrypoints.web.rendering import render
from onhand.entrypoints.web.sessions import PageRefused, VisitorDep

router = APIRouter(include_in_schema=False)
PAGE = 50


@router.get("/items")
def items(
    request: Request, visitor: VisitorDep,
    q: Annotated[str, Query(max_length=100)] = "", offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    visitor.require(Permission.READ)
    found = services.items.list_items(visitor.onhand, search=q.strip() or None, limit=PAGE + 1, offset=offset)
    return render(request, "items.html", {
        "visitor": visitor, "q": q, "items": found[:PAGE], "offset": offset,
        "next_offset": offset + PAGE if len(found) > PAGE else None,
    })


@router.get("/items/{sku:path}")
def item(
    request: Request, sku: str, visitor: VisitorDep,
    before: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Response:
    visitor.require(Permission.READ)
    if len(sku) > 64:
        raise PageRefused(404, "No such item.")
    try:
        found = services.items.get_item(visitor.onhand, sku)
    except NotFound:
        raise PageRefused(404, f"No item has the SKU {sku}.") from None
    per_location = services.stock.stock_levels(visitor.onhand, sku=found.sku, group_by="location").levels
    per_balance = services.stock.stock_levels(visitor.onhand, sku=found.sku, group_by="balance").levels
    moves = services.stock.movement_history(visitor.onhand, sku=found.sku, limit=PAGE + 1, before_id=before)
    audit = (services.audit.list_audit(visitor.onhand, object_type="item", object_key=found.sku, limit=20)
             if visitor.may(Permission.AUDIT) else None)
    return render(request, "item.html", {
        "visitor": visitor, "item": found, "per_location": per_location, "per_balance": per_balance,
        "moves": moves[:PAGE], "older": moves[PAGE - 1].id if len(moves) > PAGE else None, "audit": audit,
    })

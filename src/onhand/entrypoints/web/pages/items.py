"""Items: search, and an item's page (stock per location, bin and lot; movements; audit)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from onhand import services
from onhand.domain.access.roles import Permission
from onhand.domain.assemblies.views import KitAvailability
from onhand.domain.catalog.items import Item, ItemKind
from onhand.domain.errors import InvalidInput, NotFound
from onhand.entrypoints.web.rendering import render
from onhand.entrypoints.web.sessions import PageRefused, Visitor, VisitorDep

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
    location: Annotated[str, Query(max_length=64)] = "", lot: Annotated[str, Query(max_length=64)] = "",
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
    try:  # the movements filtered by place (with its bins) and lot, as the service reads them
        moves = services.stock.movement_history(visitor.onhand, sku=found.sku, location=location.strip() or None,
                                                lot=lot.strip() or None, limit=PAGE + 1, before_id=before)
    except (InvalidInput, NotFound) as refused:
        raise PageRefused(404, str(refused)) from None
    audit = (services.audit.list_audit(visitor.onhand, object_type="item", object_key=found.sku, limit=20)
             if visitor.may(Permission.AUDIT) else None)
    return render(request, "item.html", {
        "visitor": visitor, "item": found, "per_location": per_location, "per_balance": per_balance,
        "moves": moves[:PAGE], "older": moves[PAGE - 1].id if len(moves) > PAGE else None, "audit": audit,
        "location": location, "lot": lot, "kits": _kits(visitor, found),
    })


def _kits(visitor: Visitor, item: Item) -> tuple[str, KitAvailability] | None:
    """("Available as kits" | "Can build", per site) for a bundle or an item with a bill of materials."""
    if item.kind is ItemKind.BUNDLE:
        return "Available as kits", services.bundles.bundle_availability(visitor.onhand, item.sku)
    try:
        return "Can build from components", services.boms.can_build(visitor.onhand, item.sku)
    except InvalidInput:  # no bill of materials: nothing to build
        return None

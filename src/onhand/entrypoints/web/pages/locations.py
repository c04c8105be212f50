"""A location's page: what it is, its bins, the stock there (per item, bin and lot) and its
audit trail (services/catalog/locations.py, services/reports/stock.py, services/audit.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from onhand import services
from onhand.domain.access.roles import Permission
from onhand.domain.errors import OnhandError
from onhand.entrypoints.web.rendering import render
from onhand.entrypoints.web.sessions import PageRefused, VisitorDep

router = APIRouter(include_in_schema=False)


@router.get("/locations/{code}")
def location_page(request: Request, code: str, visitor: VisitorDep) -> Response:
    visitor.require(Permission.READ)
    try:
        place = services.locations.get_location(visitor.onhand, code[:64])
    except OnhandError:
        raise PageRefused(404, f"No location {code[:64]}.") from None
    places = services.locations.list_locations(visitor.onhand)
    by_id = {other.id: other for other in places}
    # Its bins and sub-places: every place whose path runs through it.
    inside = sorted((other for other in places if other.id != place.id and place.id in other.path),
                    key=lambda other: (other.walk_order is None, other.walk_order or 0, other.code))
    stock = services.stock.stock_levels(visitor.onhand, location=place.code, group_by="balance").levels
    audit = (services.audit.list_audit(visitor.onhand, object_type="location", object_key=place.code, limit=20)
             if visitor.may(Permission.AUDIT) else None)
    parent = by_id.get(place.parent_id) if place.parent_id is not None else None
    return render(request, "location.html", {
        "visitor": visitor, "place": place, "parent": parent, "inside": inside, "stock": stock, "audit": audit,
        "may_count": visitor.may(Permission.STOCK),
    })

"""Labels to print (entrypoints/web/labels.py draws them): item and lot labels with GS1-128
and a QR code, bin labels with Code 128 and a QR code, as PDF for a label printer or A4
sheets. What goes on a label comes from the item, lot and location services."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from onhand import services
from onhand.domain.access.roles import Permission
from onhand.domain.catalog.locations import LocationKind
from onhand.domain.errors import InvalidInput, OnhandError
from onhand.entrypoints.web.labels import MAX_LABELS, SIZES, Label, bin_label, item_label, labels_pdf
from onhand.entrypoints.web.rendering import render
from onhand.entrypoints.web.sessions import Visitor, VisitorDep

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Query(max_length=64)]
Size = Annotated[str, Query(max_length=8)]


def _page(request: Request, visitor: Visitor, *, sku: str = "", lot: str = "", location: str = "",
          error: str | None = None, status_code: int = 200) -> Response:
    places = [place.code for place in services.locations.list_locations(visitor.onhand)
              if place.kind in (LocationKind.WAREHOUSE, LocationKind.STORE, LocationKind.THREE_PL, LocationKind.BIN)]
    return render(request, "labels.html", {
        "visitor": visitor, "sizes": SIZES, "sku": sku, "lot": lot, "location": location, "places": places,
        "error": error, "max_labels": MAX_LABELS,
    }, status_code)


def _pdf(content: bytes, name: str) -> Response:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name)[:80]
    return Response(content, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{safe}.pdf"', "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff"})


@router.get("/labels")
def labels(request: Request, visitor: VisitorDep, sku: Text = "", lot: Text = "", location: Text = "") -> Response:
    visitor.require(Permission.READ)
    return _page(request, visitor, sku=sku, lot=lot, location=location)


@router.get("/labels/item.pdf")
def item_labels(
    request: Request, visitor: VisitorDep, sku: Text = "", lot: Text = "", size: Size = "4x6",
    copies: Annotated[int, Query(ge=1, le=MAX_LABELS)] = 1,
) -> Response:
    """An item's label, or with `lot` that lot's (its expiry from the lot record)."""
    visitor.require(Permission.READ)
    try:
        item = services.items.get_item(visitor.onhand, sku.strip())
        found = services.lots.get_lot(visitor.onhand, sku=item.sku, code=lot.strip()) if lot.strip() else None
        label = item_label(sku=item.sku, name=item.name, gtin=item.gtin, lot=found.code if found else None,
                           expiry=found.expiry_date if found else None)
        content = labels_pdf([label] * copies, size, title=f"Labels {item.sku}")
    except OnhandError as refused:
        return _page(request, visitor, sku=sku, lot=lot, error=refused.message, status_code=422)
    return _pdf(content, f"{item.sku}-{found.code}" if found else item.sku)


@router.get("/labels/bins.pdf")
def bin_labels(request: Request, visitor: VisitorDep, location: Text = "", size: Size = "2x1") -> Response:
    """One label for a bin, or one for each bin of a site."""
    visitor.require(Permission.READ)
    places = services.locations.list_locations(visitor.onhand)
    chosen = next((place for place in places if place.code == location.strip()), None)
    if chosen is None:
        return _page(request, visitor, location=location, error=f"location: no location {location.strip()!r}",
                     status_code=422)
    bins = [chosen] if chosen.kind is LocationKind.BIN else [
        place for place in places if place.kind is LocationKind.BIN and place.is_within(chosen)]
    found: list[Label] = [bin_label(code=place.code, name=place.name) for place in bins]
    try:
        if not found:
            raise InvalidInput("location", f"{chosen.code} has no bins to label")
        content = labels_pdf(found, size, title=f"Bins {chosen.code}")
    except OnhandError as refused:
        return _page(request, visitor, location=location, error=refused.message, status_code=422)
    return _pdf(content, f"bins-{chosen.code}")

"""Pick waves: allocate many waiting orders at once (services/orders/waves.py:
`allocate_orders`, one transaction) and pick them in one walk — the wave's pick list, every
order's picks per site in walking order (services/orders/picking.py: `wave_pick_list`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from onhand import services
from onhand.domain.access.roles import Permission
from onhand.domain.errors import OnhandError
from onhand.entrypoints.web.rendering import render
from onhand.entrypoints.web.sessions import Visitor, VisitorDep
from onhand.services.orders.picking import MAX_WAVE_PICK

router = APIRouter(include_in_schema=False)
# Orders waiting for a wave: not allocated yet, or short of stock.
WAITING = ("open", "backordered")
SHOWN = 100
Orders = Annotated[list[str] | None, Form(max_length=MAX_WAVE_PICK)]


def _page(request: Request, visitor: Visitor, *, wave: object = None, picks: object = None,
          chosen: list[str] | None = None, error: str | None = None, status_code: int = 200) -> Response:
    waiting = [order for status in WAITING
               for order in services.sales_orders.list_orders(visitor.onhand, status=status, limit=SHOWN)]
    return render(request, "waves.html", {
        "visitor": visitor, "waiting": waiting[:SHOWN], "wave": wave, "picks": picks, "chosen": chosen or [],
        "may_allocate": visitor.may(Permission.ORDERS), "error": error,
    }, status_code)


@router.get("/waves")
def waves(
    request: Request, visitor: VisitorDep,
    order: Annotated[list[str] | None, Query(max_length=MAX_WAVE_PICK)] = None,
) -> Response:
    """The waiting orders; with `order=…` (repeated) the pick list of those orders."""
    visitor.require(Permission.READ)
    if not order:
        return _page(request, visitor)
    try:
        picks = services.picking.wave_pick_list(visitor.onhand, order)
    except OnhandError as refused:
        return _page(request, visitor, error=refused.message, status_code=422)
    return _page(request, visitor, picks=picks, chosen=order)


@router.post("/waves")
def allocate_wave(request: Request, visitor: VisitorDep, orders: Orders = None) -> Response:
    visitor.require(Permission.ORDERS)
    if not orders:
        return _page(request, visitor, error="Choose at least one order for the wave.", status_code=422)
    try:
        wave = services.waves.allocate_orders(visitor.onhand, orders)
        waiting = list(wave.waiting)
        picks = services.picking.wave_pick_list(visitor.onhand, waiting) if waiting else ()
    except OnhandError as refused:
        return _page(request, visitor, error=refused.message, status_code=422)
    return _page(request, visitor, wave=wave, picks=picks, chosen=waiting)

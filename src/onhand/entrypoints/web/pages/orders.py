"""Sales orders and purchase orders: lists (by status, paged) and pages with each line's
allocation — reserved where and from which lot, picked, shipped, backordered — and the
routing decision as the order service explains it (services/orders, services/purchasing)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from onhand import services
from onhand.domain.access.roles import Permission
from onhand.domain.errors import NotFound, OnhandError
from onhand.domain.orders.commands import OrderAction
from onhand.domain.orders.sales_orders import OrderStatus
from onhand.domain.purchasing.purchase_orders import PurchaseOrderStatus
from onhand.entrypoints.web.rendering import render
from onhand.entrypoints.web.sessions import PageRefused, Visitor, VisitorDep

router = APIRouter(include_in_schema=False)
PAGE = 50
StatusQuery = Annotated[str, Query(max_length=32)]
OffsetQuery = Annotated[int, Query(ge=0, le=10**9)]


def _status(value: str, choices: type[OrderStatus] | type[PurchaseOrderStatus]) -> str | None:
    if value in {choice.value for choice in choices}:
        return value
    if value:
        raise PageRefused(404, f"No such status {value}.")
    return None


@router.get("/orders")
def orders(request: Request, visitor: VisitorDep, status: StatusQuery = "", offset: OffsetQuery = 0) -> Response:
    visitor.require(Permission.READ)
    found = services.sales_orders.list_orders(visitor.onhand, status=_status(status, OrderStatus), limit=PAGE + 1,
                                              offset=offset)
    return render(request, "orders.html", {
        "visitor": visitor, "orders": found[:PAGE], "status": status, "statuses": [s.value for s in OrderStatus],
        "offset": offset, "next_offset": offset + PAGE if len(found) > PAGE else None,
    })


def _order_page(request: Request, visitor: Visitor, reference: str, *, done: str | None = None,
                error: str | None = None, status_code: int = 200) -> Response:
    try:
        order = services.sales_orders.get_order(visitor.onhand, reference)
    except NotFound:
        raise PageRefused(404, f"No sales order {reference}.") from None
    audit = (services.audit.list_audit(visitor.onhand, object_type="sales_order", object_key=order.reference,
                                       limit=20) if visitor.may(Permission.AUDIT) else None)
    return render(request, "order.html", {
        "visitor": visitor, "order": order, "audit": audit, "done": done, "error": error,
        "may_allocate": visitor.may(Permission.ORDERS) and order.status in ("open", "backordered"),
    }, status_code)


@router.get("/orders/{reference}")
def order_page(request: Request, reference: str, visitor: VisitorDep) -> Response:
    visitor.require(Permission.READ)
    return _order_page(request, visitor, reference[:64])


@router.post("/orders/{reference}/allocate")
def allocate(request: Request, reference: str, visitor: VisitorDep) -> Response:
    visitor.require(Permission.ORDERS)
    reference = reference[:64]
    try:
        done = services.sales_orders.allocate_order(visitor.onhand, OrderAction(reference))
    except NotFound:
        raise PageRefused(404, f"No sales order {reference}.") from None
    except OnhandError as refused:
        return _order_page(request, visitor, reference, error=refused.message, status_code=422)
    return _order_page(request, visitor, reference, done=f"Allocated: the order is {done.status.replace('_', ' ')}.")


@router.get("/purchase-orders")
def purchase_orders(request: Request, visitor: VisitorDep, status: StatusQuery = "",
                    offset: OffsetQuery = 0) -> Response:
    visitor.require(Permission.READ)
    found = services.purchase_orders.list_purchase_orders(
        visitor.onhand, status=_status(status, PurchaseOrderStatus), limit=PAGE + 1, offset=offset)
    return render(request, "purchase_orders.html", {
        "visitor": visitor, "orders": found[:PAGE], "status": status,
        "statuses": [s.value for s in PurchaseOrderStatus], "offset": offset,
        "next_offset": offset + PAGE if len(found) > PAGE else None,
    })


@router.get("/purchase-orders/{reference}")
def purchase_order(request: Request, reference: str, visitor: VisitorDep) -> Response:
    visitor.require(Permission.READ)
    try:
        order = services.purchase_orders.get_purchase_order(visitor.onhand, reference[:64])
    except NotFound:
        raise PageRefused(404, f"No purchase order {reference[:64]}.") from None
    audit = (services.audit.list_audit(visitor.onhand, object_type="purchase_order", object_key=order.reference,
                                       limit=20) if visitor.may(Permission.AUDIT) else None)
    return render(request, "purchase_order.html", {"visitor": visitor, "order": order, "audit": audit})

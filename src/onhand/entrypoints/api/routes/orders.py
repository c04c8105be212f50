"""Sales orders: create, list, look up, change, allocate, re-route a line, cancel.

Order references may contain "/": the routes take the path up to a known suffix as
the reference (`/orders/WEB/1001/allocate` allocates "WEB/1001"; `%2F` works too). A
reference starting with "by-external-id/" is reachable through `GET /orders`.
Fulfilment (pick list, picks, packages, shipments, returns) is in `fulfilment.py`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from onhand import services
from onhand.domain.orders.commands import OrderAction, ShipLineFrom
from onhand.entrypoints.api import paths  # noqa: F401  (registers the path convertors used below)
from onhand.entrypoints.api.auth import IdempotencyKey, OnhandDep, OrderDesk, Reader
from onhand.entrypoints.api.bodies import each_outcome, one_read, together
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES, PathInt32, QueryInt, UpdatedSince
from onhand.entrypoints.api.schemas.orders import (
    LineLocationIn,
    OrderIn,
    OrderList,
    OrderOut,
    OrderPatch,
)

router = ApiRouter(tags=["orders"], responses=ERROR_RESPONSES)


@router.get("/orders", summary="Orders, newest first, optionally by status and channel")
def list_orders(
    onhand: OnhandDep,
    _key: Reader,
    status: Annotated[
        str | None,
        Query(max_length=40, description="open, backordered, allocated, partially_shipped, shipped, cancelled"),
    ] = None,
    channel: Annotated[str | None, Query(max_length=40)] = None,
    limit: QueryInt = 100,
    offset: QueryInt = 0,
    updated_since: UpdatedSince = None,
) -> OrderList:
    found = services.sales_orders.list_orders(onhand, status=status, channel=channel, limit=limit, offset=offset,
                                              updated_since=updated_since)
    return OrderList(orders=[OrderOut.of(order) for order in found])


@router.post(
    "/orders", status_code=201,
    summary="Create an order; the same channel and external_id again return the existing order (201)",
)
@together(lambda calls: each_outcome(calls, services.sales_orders.create_orders, OrderOut.of))
def create_order(
    body: OrderIn, onhand: OnhandDep, _key: OrderDesk, idempotency_key: IdempotencyKey = None
) -> OrderOut:
    order = services.sales_orders.create_order(
        onhand, body.to_command(), idempotency_key=idempotency_key,
    )
    return OrderOut.of(order)


# Declared before /orders/{reference:path} so that it is not taken for a reference.
@router.get("/orders/by-external-id/{channel}/{external_id:path}", summary="Find an order by its channel's id")
@one_read()
def find_order(channel: str, external_id: str, onhand: OnhandDep, _key: Reader) -> OrderOut:
    return OrderOut.of(services.sales_orders.find_order(onhand, channel=channel, external_id=external_id))


@router.get("/orders/{reference:order_reference}")
@one_read()
def get_order(reference: str, onhand: OnhandDep, _key: Reader) -> OrderOut:
    return OrderOut.of(services.sales_orders.get_order(onhand, reference))


@router.patch(
    "/orders/{reference:order_reference}",
    summary="Change lines, customer, address or ship date until something ships; re-allocates",
)
def update_order(
    reference: str, body: OrderPatch, onhand: OnhandDep, _key: OrderDesk, idempotency_key: IdempotencyKey = None
) -> OrderOut:
    order = services.sales_orders.update_order(
        onhand, body.to_command(reference), idempotency_key=idempotency_key,
    )
    return OrderOut.of(order)


@router.post(
    "/orders/{reference:path}/allocate",
    summary="Reserve stock for what is still needed (routed, FEFO); the rest is backordered",
)
def allocate_order(
    reference: str, onhand: OnhandDep, _key: OrderDesk, idempotency_key: IdempotencyKey = None
) -> OrderOut:
    return OrderOut.of(services.sales_orders.allocate_order(
        onhand, OrderAction(reference), idempotency_key=idempotency_key
    ))


@router.post(
    "/orders/{reference:path}/lines/{line_no}/location",
    summary="Ship one line from a chosen location: its unpicked reservations move there",
)
def ship_line_from(
    reference: str, line_no: PathInt32, body: LineLocationIn, onhand: OnhandDep, _key: OrderDesk,
    idempotency_key: IdempotencyKey = None,
) -> OrderOut:
    order = services.sales_orders.ship_line_from(
        onhand, ShipLineFrom(reference, line_no=line_no, location=body.location), idempotency_key=idempotency_key
    )
    return OrderOut.of(order)


@router.post(
    "/orders/{reference:path}/cancel",
    summary="Cancel what is still open and release every reservation; shipped goods stay shipped",
)
def cancel_order(
    reference: str, onhand: OnhandDep, _key: OrderDesk, idempotency_key: IdempotencyKey = None
) -> OrderOut:
    return OrderOut.of(services.sales_orders.cancel_order(
        onhand, OrderAction(reference), idempotency_key=idempotency_key
    ))

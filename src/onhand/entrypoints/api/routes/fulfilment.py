"""Fulfilling a sales order: pick list, confirmed picks, packages, shipments, returns.

Mounted before the order routes, so `/orders/{reference}/pick-list` is never read as
a reference. Every write answers with the whole order as it now stands.
"""

from __future__ import annotations

from onhand import services
from onhand.domain.orders.commands import ConfirmPick, PackOrder, ReceiveReturn, ShipOrder
from onhand.entrypoints.api.auth import IdempotencyKey, OnhandDep, OrderDesk, Reader
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES
from onhand.entrypoints.api.schemas.fulfilment import (
    PackagesIn,
    PickListOut,
    PicksIn,
    ReturnIn,
    ShipmentIn,
    WaveIn,
    WaveOut,
)
from onhand.entrypoints.api.schemas.orders import OrderOut

router = ApiRouter(tags=["fulfilment"], responses=ERROR_RESPONSES)


@router.get(
    "/orders/{reference:path}/pick-list",
    summary="What is left to pick, grouped by site, bins in walking order",
)
def pick_list(reference: str, onhand: OnhandDep, _key: Reader) -> PickListOut:
    return PickListOut.of(services.picking.pick_list(onhand, reference))


@router.post(
    "/orders/{reference:path}/picks",
    summary="Confirm picks; a scanned lot other than the suggested one takes over its reservation",
)
def confirm_picks(
    reference: str, body: PicksIn, onhand: OnhandDep, _key: OrderDesk, idempotency_key: IdempotencyKey = None
) -> OrderOut:
    order = services.picking.confirm_pick(
        onhand, ConfirmPick(reference, picks=[pick.to_pick(f"picks[{index}]") for index,
            pick in enumerate(body.picks)]), idempotency_key=idempotency_key
    )
    return OrderOut.of(order)


@router.post(
    "/orders/{reference:path}/packages", status_code=201,
    summary="Pack picked goods into packages (carrier, tracking number, weight, size)",
)
def pack_order(
    reference: str, body: PackagesIn, onhand: OnhandDep, _key: OrderDesk, idempotency_key: IdempotencyKey = None
) -> OrderOut:
    order = services.shipping.pack_order(
        onhand, PackOrder(reference, packages=[package.to_spec(f"packages[{index}]") for index,
            package in enumerate(body.packages)]),
        idempotency_key=idempotency_key,
    )
    return OrderOut.of(order)


@router.post(
    "/orders/{reference:path}/shipments", status_code=201,
    summary="Ship from the order's reservations (posts location → CUSTOMER); partial shipments allowed",
)
def ship_order(
    reference: str, onhand: OnhandDep, _key: OrderDesk, body: ShipmentIn | None = None,
    idempotency_key: IdempotencyKey = None,
) -> OrderOut:
    lines = body.lines if body is not None else None
    order = services.shipping.ship_order(
        onhand, ShipOrder(reference, lines=[line.to_line(f"lines[{index}]") for index,
            line in enumerate(lines)] if lines is not None else None),
        idempotency_key=idempotency_key,
    )
    return OrderOut.of(order)


@router.post(
    "/orders/{reference:path}/returns", status_code=201,
    summary="Receive a customer return (posts CUSTOMER → location) against what was shipped",
)
def receive_return(
    reference: str, body: ReturnIn, onhand: OnhandDep, _key: OrderDesk, idempotency_key: IdempotencyKey = None
) -> OrderOut:
    order = services.returns.receive_return(
        onhand, ReceiveReturn(reference, location=body.location, lines=[line.to_line(f"lines[{index}]") for index,
            line in enumerate(body.lines)],
        return_reference=body.return_reference), idempotency_key=idempotency_key,
    )
    return OrderOut.of(order)


@router.post(
    "/waves",
    summary="Allocate and ship a wave of orders: each covered in full ships now, the rest is allocated",
)
def fulfil_wave(body: WaveIn, onhand: OnhandDep, _key: OrderDesk) -> WaveOut:
    return WaveOut.of(services.waves.fulfil_orders(onhand, body.references))

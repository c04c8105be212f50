"""Transfer orders through transit: create, list, look up, change, ship, receive, write
off, close, cancel; and the default transit location and lead time of each route.

Transfer references may contain "/": the routes take the path up to a known suffix as
the reference (`/transfers/TO/7/ship` ships "TO/7").
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from onhand import services
from onhand.domain.calendar import parse_date
from onhand.domain.transfers.commands import (
    CreateTransfer,
    ReceiveTransfer,
    SetTransferRoute,
    ShipTransfer,
    TransferAction,
    UpdateTransfer,
    WriteOffTransit,
)
from onhand.entrypoints.api import paths  # noqa: F401  (registers the path convertors used below)
from onhand.entrypoints.api.auth import CatalogEditor, IdempotencyKey, OnhandDep, Reader, StockKeeper
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES, QueryInt, UpdatedSince
from onhand.entrypoints.api.schemas.transfers import (
    ReceiveIn,
    RouteIn,
    RouteList,
    RouteOut,
    ShipIn,
    TransferIn,
    TransferList,
    TransferOut,
    TransferPatch,
    WriteOffIn,
    move_lines,
    transfer_lines,
)

router = ApiRouter(tags=["transfers"], responses=ERROR_RESPONSES)


@router.get("/transfer-routes", summary="Default transit location and lead time per route")
def list_routes(onhand: OnhandDep, _key: Reader) -> RouteList:
    return RouteList(routes=[RouteOut.of(r) for r in services.transfer_routes.list_transfer_routes(onhand)])


@router.put("/transfer-routes", summary="Set the transit location (and lead time) of transfers source → destination")
def set_route(
    body: RouteIn, onhand: OnhandDep, _key: CatalogEditor, idempotency_key: IdempotencyKey = None
) -> RouteOut:
    route = services.transfer_routes.set_transfer_route(
        onhand, SetTransferRoute(source=body.source, destination=body.destination, transit=body.transit,
                                 lead_time_days=body.lead_time_days),
        idempotency_key=idempotency_key,
    )
    return RouteOut.of(route)


@router.get("/transfers", summary="Transfers, newest first, optionally by status and location")
def list_transfers(
    onhand: OnhandDep,
    _key: Reader,
    status: Annotated[
        str | None,
        Query(max_length=40, description="draft, in_transit, partially_received, received, closed, cancelled"),
    ] = None,
    location: Annotated[str | None, Query(max_length=200, description="From or to it (or its bins)")] = None,
    limit: QueryInt = 100,
    offset: QueryInt = 0,
    updated_since: UpdatedSince = None,
) -> TransferList:
    found = services.transfer_orders.list_transfers(
        onhand, status=status, location=location, limit=limit, offset=offset, updated_since=updated_since
    )
    return TransferList(transfers=[TransferOut.of(t) for t in found])


@router.post("/transfers", status_code=201, summary="Create a draft transfer between two sites through transit")
def create_transfer(
    body: TransferIn, onhand: OnhandDep, _key: StockKeeper, idempotency_key: IdempotencyKey = None
) -> TransferOut:
    view = services.transfer_orders.create_transfer(
        onhand, CreateTransfer(
            source=body.source, destination=body.destination, lines=transfer_lines(body.lines) or (),
            transit=body.transit, reference=body.reference, expected_date=parse_date(body.expected_date,
                "expected_date"),
            carrier=body.carrier, tracking_number=body.tracking_number, note=body.note,
        ),
        idempotency_key=idempotency_key,
    )
    return TransferOut.of(view)


@router.get("/transfers/{reference:transfer_reference}")
def get_transfer(reference: str, onhand: OnhandDep, _key: Reader) -> TransferOut:
    return TransferOut.of(services.transfer_orders.get_transfer(onhand, reference))


@router.patch(
    "/transfers/{reference:transfer_reference}",
    summary="Change lines and transit while draft; dates and carrier later")
def update_transfer(
    reference: str, body: TransferPatch, onhand: OnhandDep, _key: StockKeeper, idempotency_key: IdempotencyKey = None
) -> TransferOut:
    view = services.transfer_orders.update_transfer(
        onhand, UpdateTransfer(
            reference, lines=transfer_lines(body.lines), transit=body.transit,
            expected_date=parse_date(body.expected_date, "expected_date"), carrier=body.carrier,
            tracking_number=body.tracking_number, note=body.note,
        ),
        idempotency_key=idempotency_key,
    )
    return TransferOut.of(view)


@router.post("/transfers/{reference:path}/ship", summary="Ship (source → transit), all or part; free stock only")
def ship_transfer(
    reference: str, body: ShipIn, onhand: OnhandDep, _key: StockKeeper, idempotency_key: IdempotencyKey = None
) -> TransferOut:
    view = services.transit.ship_transfer(
        onhand, ShipTransfer(reference, lines=move_lines(body.lines)), idempotency_key=idempotency_key
    )
    return TransferOut.of(view)


@router.post("/transfers/{reference:path}/receive", summary="Receive (transit → destination), all or part, per lot")
def receive_transfer(
    reference: str, body: ReceiveIn, onhand: OnhandDep, _key: StockKeeper, idempotency_key: IdempotencyKey = None
) -> TransferOut:
    view = services.transit.receive_transfer(
        onhand, ReceiveTransfer(reference, lines=move_lines(body.lines), location=body.location),
        idempotency_key=idempotency_key,
    )
    return TransferOut.of(view)


@router.post("/transfers/{reference:path}/write-off", summary="Write off what never arrived (transit → adjustment)")
def write_off(
    reference: str, body: WriteOffIn, onhand: OnhandDep, _key: StockKeeper, idempotency_key: IdempotencyKey = None
) -> TransferOut:
    view = services.transit.write_off_transit(
        onhand, WriteOffTransit(reference, lines=move_lines(body.lines), reason=body.reason, note=body.note),
        idempotency_key=idempotency_key,
    )
    return TransferOut.of(view)


@router.post("/transfers/{reference:path}/close", summary="Finish short: the rest will not be shipped")
def close_transfer(
    reference: str, onhand: OnhandDep, _key: StockKeeper, idempotency_key: IdempotencyKey = None
) -> TransferOut:
    return TransferOut.of(services.transfer_orders.close_transfer(onhand, TransferAction(reference),
        idempotency_key=idempotency_key))


@router.post("/transfers/{reference:path}/cancel", summary="Cancel a transfer that has shipped nothing")
def cancel_transfer(
    reference: str, onhand: OnhandDep, _key: StockKeeper, idempotency_key: IdempotencyKey = None
) -> TransferOut:
    return TransferOut.of(services.transfer_orders.cancel_transfer(onhand, TransferAction(reference),
        idempotency_key=idempotency_key))

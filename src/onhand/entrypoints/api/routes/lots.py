"""Lots and serials of tracked items: define, look up, quarantine, release, recall.

Mounted before the item routes, so `/items/{sku}/lots…` is never read as a SKU.
"""

from __future__ import annotations

from onhand import services
from onhand.domain.catalog.commands import SetLotStatus
from onhand.entrypoints.api import paths  # noqa: F401  (registers the path convertors used below)
from onhand.entrypoints.api.auth import IdempotencyKey, OnhandDep, Reader, StockKeeper
from onhand.entrypoints.api.bodies import one_read
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.catalog import LotIn, LotList, LotOut, LotStatusIn
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES

router = ApiRouter(tags=["lots"], responses=ERROR_RESPONSES)


@router.get("/items/{sku:path}/lots")
def list_lots(sku: str, onhand: OnhandDep, _key: Reader) -> LotList:
    return LotList(lots=[LotOut.of(sku.strip(), lot) for lot in services.lots.list_lots(onhand, sku)])


@router.post("/items/{sku:path}/lots", status_code=201)
def create_lot(
    sku: str, body: LotIn, onhand: OnhandDep, _key: StockKeeper, idempotency_key: IdempotencyKey = None
) -> LotOut:
    lot = services.lots.create_lot(
        onhand, body.to_command(sku), idempotency_key=idempotency_key,
    )
    return LotOut.of(sku.strip(), lot)


@router.post("/items/{sku:path}/lots/{code:path}/status", summary="Release, quarantine or recall a lot")
def set_lot_status(
    sku: str, code: str, body: LotStatusIn, onhand: OnhandDep, _key: StockKeeper,
    idempotency_key: IdempotencyKey = None,
) -> LotOut:
    lot = services.lots.set_lot_status(
        onhand, SetLotStatus(sku=sku, code=code, status=body.status), idempotency_key=idempotency_key
    )
    return LotOut.of(sku.strip(), lot)


@router.get("/items/{sku:path}/lots/{code:lot_code}")
@one_read()
def get_lot(sku: str, code: str, onhand: OnhandDep, _key: Reader) -> LotOut:
    return LotOut.of(sku.strip(), services.lots.get_lot(onhand, sku=sku, code=code))

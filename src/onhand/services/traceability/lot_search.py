"""Lots found without naming their item first: by code (`lots list --lot 123`) or by the
supplier's batch number; and recording that batch number on a lot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.catalog.lots import LOT_CODE_PATTERN
from onhand.domain.errors import InvalidInput
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


@dataclass(frozen=True)
class FoundLot:
    sku: str
    item_name: str
    lot: str
    status: str
    expiry_date: date | None
    supplier_lot: str | None


def find_lots(
    ctx: ServiceContext, *, lot: str | None = None, supplier_lot: str | None = None, limit: int = 100,
    offset: int = 0,
) -> list[FoundLot]:
    """Lots of any item coded `lot`, or received as the supplier's `supplier_lot`."""
    resolve.page(limit, offset)
    code = resolve.text(lot, "lot", max_length=64)
    batch = resolve.text(supplier_lot, "supplier_lot", max_length=64)
    if code is None and batch is None:
        raise InvalidInput("lot", "give a lot code or a supplier lot")
    if code is not None and not LOT_CODE_PATTERN.match(code):
        return []
    with ctx.reading() as uow:
        return _found(uow, uow.traces.find_lots(code=code, supplier_lot=batch, limit=limit, offset=offset))


def set_supplier_lot(
    ctx: ServiceContext, *, sku: str, lot: str, supplier_lot: str | None, idempotency_key: str | None = None
) -> FoundLot:
    """Record the supplier's own batch number for a lot (None or "" clears it)."""
    batch = resolve.text(supplier_lot, "supplier_lot", max_length=64)

    def work(uow: UnitOfWork) -> int:
        item = resolve.item(uow, sku)
        if not item.tracks_lots:
            raise InvalidInput("sku", f"item {item.sku!r} is not lot- or serial-tracked")
        found = resolve.lot(uow, item, lot)
        uow.traces.set_supplier_lot(found.id, batch)
        return found.id

    return run_write(
        ctx, work, lambda uow, lot_id: _found(uow, [lot_id])[0], action="set_supplier_lot",
        subject=lambda found: AuditObject("lot", f"{found.sku} {found.lot}"), idempotency_key=idempotency_key,
        request={"sku": sku, "lot": lot, "supplier_lot": supplier_lot},
    )


def _found(uow: UnitOfWork, lot_ids: list[int]) -> list[FoundLot]:
    rows = {row.lot_id: row for row in uow.traces.lot_rows(lot_ids)}
    return [
        FoundLot(sku=r.sku, item_name=r.item_name, lot=r.lot_code, status=r.status, expiry_date=r.expiry_date,
                 supplier_lot=r.supplier_lot)
        for r in (rows[i] for i in lot_ids)
    ]

"""Lots and serial numbers of tracked items: define, quarantine, release, recall."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.calendar import parse_date
from onhand.domain.catalog.commands import CreateLot, SetLotStatus
from onhand.domain.catalog.events import LotStatusChanged
from onhand.domain.catalog.items import Item
from onhand.domain.catalog.lots import (
    Lot,
    new_lot_expiry,
    parse_lot_status,
    validate_lot_code,
    validate_lot_dates,
)
from onhand.domain.errors import AlreadyExists, InvalidInput
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


def add_lot(
    uow: UnitOfWork,
    of: Item,
    code: str,
    *,
    expiry_date: date | None,
    production_date: date | None,
    now: datetime,
    field: str = "lot",
) -> Lot:
    """Create a lot in the current transaction (used when stock first arrives with it)."""
    if not of.tracks_lots:
        raise InvalidInput(field, f"item {of.sku!r} is not lot- or serial-tracked")
    code = validate_lot_code(code, field)
    validate_lot_dates(production_date, expiry_date)
    if uow.lots.get(of.id, code) is not None:
        raise AlreadyExists("lot", f"{of.sku}/{code}", field)
    # The line's dates beside its lot field: lines[0].lot -> lines[0].expiry_date.
    expiry = new_lot_expiry(expiry_date, production_date, of.shelf_life_days, field.rpartition(".")[0])
    return uow.lots.add(
        of.id,
        code,
        expiry_date=expiry,
        production_date=production_date,
        created_at=now,
    )


def create_lot(ctx: ServiceContext, command: CreateLot, *, idempotency_key: str | None = None) -> Lot:
    sku, code = command.sku, command.code
    expiry = parse_date(command.expiry_date, "expiry_date")
    production = parse_date(command.production_date, "production_date")

    def work(uow: UnitOfWork) -> int:
        item = resolve.item(uow, sku)
        lot = add_lot(uow, item, code, expiry_date=expiry, production_date=production,
                      now=ctx.now(), field="code")
        return lot.id

    return run_write(
        ctx, work, _load, action="create_lot", subject=_subject(sku), idempotency_key=idempotency_key,
        request=command,
    )


def set_lot_status(ctx: ServiceContext, command: SetLotStatus, *, idempotency_key: str | None = None) -> Lot:
    sku, code, status = command.sku, command.code, command.status
    new_status = parse_lot_status(status)

    def work(uow: UnitOfWork) -> int:
        lot = resolve.lot(uow, _tracked_item(uow, sku), code, "code")
        uow.lots.set_status(lot.id, new_status)
        # Orders give promises on it back, or are served from it again (orders/backorders.py).
        uow.publish(LotStatusChanged(lot, new_status, ctx.now()))
        return lot.id

    return run_write(
        ctx, work, _load, action="set_lot_status", subject=_subject(sku), idempotency_key=idempotency_key,
        request=command,
        before=lambda uow: resolve.lot(uow, _tracked_item(uow, sku), code, "code"),
    )


def _tracked_item(uow: UnitOfWork, sku: str) -> Item:
    item = resolve.item(uow, sku)
    if not item.tracks_lots:
        raise InvalidInput("sku", f"item {item.sku!r} is not lot- or serial-tracked")
    return item


def _load(uow: UnitOfWork, lot_id: int) -> Lot:
    return uow.lots.by_ids([lot_id])[lot_id]


def _subject(sku: str) -> Callable[[Lot], AuditObject]:
    """A lot in the audit log: its item's SKU and its code (codes hold no spaces)."""
    return lambda lot: AuditObject("lot", f"{sku.strip()} {lot.code}")


def get_lot(ctx: ServiceContext, *, sku: str, code: str) -> Lot:
    with ctx.reading() as uow:
        return resolve.lot(uow, _tracked_item(uow, sku), code, "code")


def list_lots(ctx: ServiceContext, sku: str) -> list[Lot]:
    with ctx.reading() as uow:
        return uow.lots.for_item(resolve.item(uow, sku).id)

"""Archiving items and locations that are no longer used: hidden from the lists (unless
asked for), refused in new documents (`resolve.item_in_use`, `resolve.location_in_use`),
their history kept and readable. Unarchiving brings them back as they were.

Only what holds no stock can be archived: stock at an archived place, or of an archived
item, would vanish from the lists while still counting in every total. So a location
with stock on hand (in it or its bins) or with bins still in use is refused, and so is
an item with stock on hand anywhere (in transit included).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from onhand.domain.catalog.commands import ArchiveItem, ArchiveLocation
from onhand.domain.catalog.items import Item
from onhand.domain.catalog.locations import Location
from onhand.domain.errors import InvalidInput, StockOnHand
from onhand.services import resolve
from onhand.services.catalog.items import item_subject
from onhand.services.catalog.locations import location_subject
from onhand.services.context import ServiceContext, run_write

if TYPE_CHECKING:
    from onhand.domain.ledger.views import BalanceRow
    from onhand.services.context import UnitOfWork


def archive_item(ctx: ServiceContext, command: ArchiveItem, *, idempotency_key: str | None = None) -> Item:
    """Archive an item that has no stock on hand; archiving an archived one changes nothing."""

    def work(uow: UnitOfWork) -> int:
        current = resolve.item(uow, command.sku)
        if current.archived_at is None:
            held = _stocked(uow, uow.balances.balance_rows(item_ids=[current.id], location_ids=_internal_ids(uow)))
            if held:
                raise StockOnHand("sku", f"item {current.sku!r} still has {held}; move, ship or adjust it "
                                         "out before archiving")
            uow.items.set_archived(current, ctx.now())
        return current.id

    return _write_item(ctx, work, "archive_item", command, idempotency_key)


def unarchive_item(ctx: ServiceContext, command: ArchiveItem, *, idempotency_key: str | None = None) -> Item:
    """Bring an archived item back into use."""

    def work(uow: UnitOfWork) -> int:
        current = resolve.item(uow, command.sku)
        if current.archived_at is not None:
            uow.items.set_archived(current, None)
        return current.id

    return _write_item(ctx, work, "unarchive_item", command, idempotency_key)


def archive_location(
    ctx: ServiceContext, command: ArchiveLocation, *, idempotency_key: str | None = None
) -> Location:
    """Archive an internal location that holds no stock and has no bins in use."""

    def work(uow: UnitOfWork) -> int:
        current = resolve.internal_location(uow, command.code, "code")
        if current.archived_at is None:
            within = [place for place in uow.locations.all() if place.is_within(current)]
            bins = [place.code for place in within if place.id != current.id and place.archived_at is None]
            if bins:
                raise InvalidInput("code", f"location {current.code!r} has bins in use ({', '.join(bins[:5])}); "
                                           "archive them first")
            held = _stocked(uow, uow.balances.balance_rows(item_ids=None, location_ids=[p.id for p in within]))
            if held:
                raise StockOnHand("code", f"location {current.code!r} still holds {held}; move, ship or adjust "
                                          "it out before archiving")
            uow.locations.set_archived(current, ctx.now())
        return current.id

    return _write_location(ctx, work, "archive_location", command, idempotency_key)


def unarchive_location(
    ctx: ServiceContext, command: ArchiveLocation, *, idempotency_key: str | None = None
) -> Location:
    """Bring an archived location back into use (its parent must be in use)."""

    def work(uow: UnitOfWork) -> int:
        current = resolve.internal_location(uow, command.code, "code")
        if current.archived_at is not None:
            parent = uow.locations.by_id().get(current.parent_id) if current.parent_id else None
            if parent is not None and parent.archived_at is not None:
                raise InvalidInput("code", f"its parent {parent.code!r} is archived; unarchive that first")
            uow.locations.set_archived(current, None)
        return current.id

    return _write_location(ctx, work, "unarchive_location", command, idempotency_key)


def _internal_ids(uow: UnitOfWork) -> list[int]:
    return [place.id for place in uow.locations.all() if place.is_internal]


def _stocked(uow: UnitOfWork, rows: list[BalanceRow]) -> str:
    """What the rows hold, for a message ("5 on hand at NY, …"); "" when nothing."""
    places = uow.locations.by_id()
    held = [f"{row.on_hand.normalize():f} {row.sku} at {places[row.location_id].code}"
            for row in rows if row.on_hand != 0]
    return "; ".join(held[:3]) + (f" and {len(held) - 3} more" if len(held) > 3 else "")


Work = Callable[["UnitOfWork"], int]


def _load_item(uow: UnitOfWork, item_id: int) -> Item:
    found = uow.items.get(item_id)
    assert found is not None  # read in this same transaction
    return found


def _write_item(ctx: ServiceContext, work: Work, action: str, command: ArchiveItem, key: str | None) -> Item:
    return run_write(
        ctx, work, _load_item, action=action,
        subject=item_subject, idempotency_key=key, request=command,
        before=lambda uow: resolve.item(uow, command.sku),
    )


def _write_location(
    ctx: ServiceContext, work: Work, action: str, command: ArchiveLocation, key: str | None
) -> Location:
    return run_write(
        ctx, work, lambda uow, place_id: uow.locations.by_id()[place_id], action=action,
        subject=location_subject, idempotency_key=key, request=command,
        before=lambda uow: resolve.location(uow, command.code, "code"),
    )

"""Items and units of measure: create, change, look up, list."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.catalog.commands import CreateItem, CreateUnit, UpdateItem
from onhand.domain.catalog.gtin import normalize_gtin
from onhand.domain.catalog.items import (
    Item,
    ItemKind,
    Tracking,
    parse_kind,
    parse_tracking,
    validate_category,
    validate_min_remaining_days,
    validate_name,
    validate_shelf_life,
    validate_sku,
    validate_weight,
)
from onhand.domain.errors import AlreadyExists, InvalidInput, NotFound
from onhand.domain.quantities import UnitOfMeasure, parse_decimal
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


def new_item(
    uow: UnitOfWork,
    *,
    sku: str,
    name: str,
    unit: str = "each",
    tracking: str = "none",
    gtin: str | None = None,
    shelf_life_days: int | None = None,
    kind: str = ItemKind.STOCKED.value,
    weight_kg: object = None,
    category: str | None = None,
) -> Item:
    """Validate an item against the catalog (without saving it); shared with CSV import.

    A bundle (a virtual kit) has no stock of its own, hence no lots.
    """
    sku = validate_sku(sku)
    item_kind = parse_kind(kind)
    item_tracking = parse_tracking(tracking)
    if item_kind is ItemKind.BUNDLE and item_tracking is not Tracking.NONE:
        raise InvalidInput("tracking", "a bundle has no stock of its own, so it tracks no lots; give none")
    unit_of_measure = uow.units.get(unit.strip().lower())
    if unit_of_measure is None:
        raise NotFound("unit of measure", unit, "unit")
    normalized_gtin = normalize_gtin(gtin) if gtin and gtin.strip() else None
    if uow.items.get_by_sku(sku) is not None:
        raise AlreadyExists("item", sku, "sku")
    if normalized_gtin and uow.items.get_by_gtin(normalized_gtin) is not None:
        raise AlreadyExists("GTIN", normalized_gtin, "gtin")
    return Item(
        id=0,
        sku=sku,
        name=validate_name(name),
        unit=unit_of_measure,
        tracking=item_tracking,
        kind=item_kind,
        gtin=normalized_gtin,
        shelf_life_days=validate_shelf_life(shelf_life_days),
        weight_kg=weight(weight_kg),
        category=validate_category(category),
    )


def weight(value: object) -> Decimal | None:
    """A unit weight in kg as given (None: unknown)."""
    return None if value is None else validate_weight(parse_decimal(value, "weight_kg"))


def create_item(ctx: ServiceContext, command: CreateItem, *, idempotency_key: str | None = None) -> Item:
    """Add an item: `kind` stocked (default), bundle (a virtual kit) or assembly (built)."""

    def work(uow: UnitOfWork) -> int:
        return uow.items.add(new_item(uow, **dataclasses.asdict(command)), ctx.now())

    return run_write(
        ctx, work, _load, action="create_item", subject=item_subject, idempotency_key=idempotency_key,
        request=command,
    )


def update_item(ctx: ServiceContext, command: UpdateItem, *, idempotency_key: str | None = None) -> Item:
    """Change what may change after stock has moved; unit and tracking are fixed then.

    `category` (for account codes per category in the journals): "" removes it.
    """
    sku, name, gtin, shelf_life_days, min_remaining_shelf_life_days, weight_kg, category = (
        command.sku, command.name, command.gtin, command.shelf_life_days, command.min_remaining_shelf_life_days,
        command.weight_kg, command.category,
    )

    def work(uow: UnitOfWork) -> int:
        current = resolve.item(uow, sku)
        new_gtin = current.gtin
        if gtin is not None:
            new_gtin = normalize_gtin(gtin) if gtin.strip() else None
            other = uow.items.get_by_gtin(new_gtin) if new_gtin else None
            if other is not None and other.id != current.id:
                raise AlreadyExists("GTIN", new_gtin or "", "gtin")
        uow.items.update(
            Item(
                **{
                    **current.__dict__,
                    "name": validate_name(name) if name is not None else current.name,
                    "gtin": new_gtin,
                    "shelf_life_days": validate_shelf_life(shelf_life_days)
                    if shelf_life_days is not None
                    else current.shelf_life_days,
                    "min_remaining_shelf_life_days": validate_min_remaining_days(min_remaining_shelf_life_days)
                    if min_remaining_shelf_life_days is not None
                    else current.min_remaining_shelf_life_days,
                    "weight_kg": weight(weight_kg) if weight_kg is not None else current.weight_kg,
                    "category": validate_category(category) if category is not None else current.category,
                }
            )
        )
        return current.id

    return run_write(
        ctx, work, _load, action="update_item", subject=item_subject, idempotency_key=idempotency_key,
        request=command, before=lambda uow: resolve.item(uow, sku),
    )


def _load(uow: UnitOfWork, item_id: int) -> Item:
    found = uow.items.get(item_id)
    assert found is not None  # written in this same transaction
    return found


def item_subject(item: Item) -> AuditObject:
    return AuditObject("item", item.sku)


def get_item(ctx: ServiceContext, sku: str) -> Item:
    with ctx.reading() as uow:
        return resolve.item(uow, sku)


def find_by_gtin(ctx: ServiceContext, gtin: str) -> Item:
    normalized = normalize_gtin(gtin)
    with ctx.reading() as uow:
        found = uow.items.get_by_gtin(normalized)
    if found is None:
        raise NotFound("item", normalized, "gtin")
    return found


def list_items(
    ctx: ServiceContext, *, search: str | None = None, limit: int = 100, offset: int = 0,
    updated_since: datetime | str | None = None, include_archived: bool = False,
) -> list[Item]:
    """Items by SKU, archived ones only if asked; `updated_since` (ISO 8601 with an offset):
    only those created or changed since then, as the change feed recorded it (every write of
    an item records an event, archiving included)."""
    resolve.page(limit, offset)
    search = resolve.text(search, "search", max_length=100)
    since = resolve.since(updated_since)
    with ctx.reading() as uow:
        ids = None
        if since is not None:
            ids = [body["item_id"] for _type, body in uow.feed.bodies_since(since, ("item.created", "item.changed"))]
        return uow.items.list(search=search, limit=limit, offset=offset, ids=ids,
                              archived=None if include_archived else False)


def list_units(ctx: ServiceContext) -> list[UnitOfMeasure]:
    with ctx.reading() as uow:
        return uow.units.list()


def create_unit(ctx: ServiceContext, command: CreateUnit, *, idempotency_key: str | None = None) -> UnitOfMeasure:
    code, name, decimals = command.code, command.name, command.decimals
    unit = UnitOfMeasure(code.strip().lower(), validate_name(name), decimals)
    if not unit.code.isidentifier() or len(unit.code) > 16:
        raise InvalidInput("code", f"{code!r} is not a valid unit code")

    def work(uow: UnitOfWork) -> int:
        if uow.units.get(unit.code) is not None:
            raise AlreadyExists("unit of measure", unit.code, "code")
        uow.units.add(unit)
        return 0

    return run_write(
        ctx, work, lambda uow, _id: unit, action="create_unit",
        subject=lambda made: AuditObject("unit", made.code), idempotency_key=idempotency_key,
        request=command,
    )

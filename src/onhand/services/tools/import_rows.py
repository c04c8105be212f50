"""One row of an items or locations import: checked field by field, so that every bad
field of a row is reported at once, then created — or, in an upsert, changed where it
differs from what is stored, with an audit entry per record it changed.

A blank cell leaves the field as it is (an exported file re-imports as "unchanged").
The fields that define a record's stock (an item's unit and tracking, a location's
kind and parent) are set when it is made and refused as a change here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from onhand.domain.audit import AuditObject
from onhand.domain.catalog.gtin import normalize_gtin
from onhand.domain.catalog.items import Item, parse_tracking, validate_name, validate_shelf_life, validate_sku
from onhand.domain.catalog.locations import (
    Location,
    LocationKind,
    parse_location_kind,
    validate_location_code,
)
from onhand.domain.errors import AlreadyExists, InvalidInput, NotFound, OnhandError
from onhand.services import resolve
from onhand.services.audit import record_change
from onhand.services.catalog.items import new_item
from onhand.services.catalog.locations import make_address, new_location, sellability_changed
from onhand.services.views import FieldChange, RowChange

if TYPE_CHECKING:
    from onhand.services.context import ServiceContext, UnitOfWork

T = TypeVar("T")
ADDRESS_COLUMNS = ("address_line1", "address_line2", "city", "region", "postcode", "country")
_ADDRESS_FIELDS = ("line1", "line2", "city", "region", "postcode", "country")


class ImportMode(StrEnum):
    CREATE = "create"  # a row naming an existing record is an error
    UPSERT = "upsert"  # such a row changes the record where it differs


class RowInvalid(Exception):
    """Every (field, reason) wrong with one row."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def reason(exc: OnhandError) -> str:
    if isinstance(exc, InvalidInput):
        return exc.reason
    if isinstance(exc, NotFound):
        return f"unknown {exc.what} {exc.key!r}"
    if isinstance(exc, AlreadyExists):
        return f"{exc.what} {exc.key!r} already exists"
    return exc.message


def field_of(exc: OnhandError) -> str:
    return str(getattr(exc, "field", "row")).removeprefix("row.")


class _Checks:
    """Collects what is wrong with a row instead of stopping at its first error."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def run(self, field: str, check: Callable[[], T]) -> T | None:
        try:
            return check()
        except OnhandError as exc:
            self.errors.append((field, reason(exc)))
            return None

    def fail(self, field: str, why: str) -> None:
        self.errors.append((field, why))

    def done(self) -> None:
        if self.errors:
            raise RowInvalid(self.errors)


def whole_number(value: str, field: str) -> int | None:
    if not value:
        return None
    # Digits as numbers are written everywhere (ASCII, no '_' or '+'), which int() is lax about.
    if not (value.isascii() and value.lstrip("-").isdigit()):
        raise InvalidInput(field, f"{value!r} is not a whole number")
    return int(value)


def flag(value: str, field: str) -> bool | None:
    if not value:
        return None
    lowered = value.lower()
    if lowered in ("true", "yes", "1", "y"):
        return True
    if lowered in ("false", "no", "0", "n"):
        return False
    raise InvalidInput(field, f"{value!r} is not true/false")


def _fixed(checks: _Checks, field: str, given: str | None, stored: str) -> None:
    if given is not None and given != stored:
        checks.fail(field, f"is {stored!r} and cannot change once made (the file says {given!r})")


def _diff(old: object, new: object, names: tuple[str, ...]) -> tuple[FieldChange, ...]:
    def shown(value: object) -> str | None:
        return None if value is None else str(value)

    return tuple(
        FieldChange(name, shown(getattr(old, name)), shown(getattr(new, name)))
        for name in names if getattr(old, name) != getattr(new, name)
    )


def item_row(uow: UnitOfWork, ctx: ServiceContext, line: int, row: dict[str, str], mode: ImportMode) -> RowChange:
    checks = _Checks()
    sku = checks.run("sku", lambda: validate_sku(row["sku"]))
    name = checks.run("name", lambda: validate_name(row["name"]))
    unit = (row.get("unit") or "").strip().lower() or None
    if unit is not None and uow.units.get(unit) is None:
        checks.fail("unit", f"unknown unit of measure {row['unit']!r}")
    tracking = checks.run("tracking", lambda: parse_tracking(row["tracking"])) if row.get("tracking") else None
    gtin = checks.run("gtin", lambda: normalize_gtin(row["gtin"])) if row.get("gtin") else None
    shelf_life = checks.run(
        "shelf_life_days",
        lambda: validate_shelf_life(whole_number(row.get("shelf_life_days", ""), "shelf_life_days")),
    )
    checks.done()
    assert sku is not None and name is not None  # checked above
    current = uow.items.get_by_sku(sku)
    if current is None:
        made = new_item(uow, sku=sku, name=name, unit=unit or "each", tracking=(tracking or "none"),
                        gtin=gtin, shelf_life_days=shelf_life)
        uow.items.add(made, ctx.now())
        return RowChange(line, sku, "created")
    if mode is ImportMode.CREATE:
        raise AlreadyExists("item", sku, "sku")
    _fixed(checks, "unit", unit, current.unit.code)
    _fixed(checks, "tracking", tracking.value if tracking else None, current.tracking.value)
    if gtin is not None and gtin != current.gtin:
        other = uow.items.get_by_gtin(gtin)
        if other is not None and other.id != current.id:
            checks.fail("gtin", f"GTIN {gtin!r} already belongs to item {other.sku!r}")
    checks.done()
    changed = replace(
        current, name=name,
        gtin=current.gtin if gtin is None else gtin,
        shelf_life_days=current.shelf_life_days if shelf_life is None else shelf_life,
    )
    return _save_item(uow, ctx, line, current, changed)


def _save_item(uow: UnitOfWork, ctx: ServiceContext, line: int, current: Item, changed: Item) -> RowChange:
    fields = _diff(current, changed, ("name", "gtin", "shelf_life_days"))
    if not fields:
        return RowChange(line, current.sku, "unchanged")
    uow.items.update(changed)
    record_change(uow, ctx.now(), "update_item", AuditObject("item", current.sku), current, changed)
    return RowChange(line, current.sku, "updated", fields)


def location_row(
    uow: UnitOfWork, ctx: ServiceContext, line: int, row: dict[str, str], mode: ImportMode
) -> RowChange:
    checks = _Checks()
    code = checks.run("code", lambda: validate_location_code(row["code"]))
    name = checks.run("name", lambda: validate_name(row["name"]))
    kind = checks.run("kind", lambda: parse_location_kind(row["kind"]))
    parent_code = row.get("parent") or None
    parent = checks.run("parent", lambda: resolve.location(uow, parent_code, "parent")) if parent_code else None
    sellable = checks.run("sellable", lambda: flag(row.get("sellable", ""), "sellable"))
    allow_negative = checks.run("allow_negative", lambda: flag(row.get("allow_negative", ""), "allow_negative"))
    given = {key.removeprefix("address_"): row[key] for key in ADDRESS_COLUMNS if row.get(key)}
    for key, value in given.items():
        checks.run("country" if key == "country" else f"address_{key}", partial(make_address, {key: value}))
    checks.done()
    assert code is not None and name is not None and kind is not None  # checked above
    current = uow.locations.get_by_code(code)
    if current is None:
        made = new_location(
            uow, code=code, name=name, kind=kind.value, parent=parent_code,
            sellable=True if sellable is None else sellable,
            allow_negative=bool(allow_negative), address=dict(given),
        )
        uow.locations.add(made, ctx.now())
        return RowChange(line, code, "created")
    if mode is ImportMode.CREATE:
        raise AlreadyExists("location", code, "code")
    if not current.is_internal:
        raise InvalidInput("code", f"{code!r} is a virtual location; it cannot be changed")
    _fixed(checks, "kind", kind.value, current.kind.value)
    stored_parent = next((p.code for p in uow.locations.all() if p.id == current.parent_id), None)
    if parent is not None and parent.code != stored_parent:
        checks.fail("parent", f"is {stored_parent!r} and cannot change on import (the file says {parent.code!r})")
    checks.done()
    changed = replace(
        current, name=name,
        sellable=(current.sellable if sellable is None else sellable) and current.kind is not LocationKind.TRANSIT,
        allow_negative=current.allow_negative if allow_negative is None else allow_negative,
        address=make_address({**current.address.__dict__, **given}),
    )
    return _save_location(uow, ctx, line, current, changed)


def _save_location(
    uow: UnitOfWork, ctx: ServiceContext, line: int, current: Location, changed: Location
) -> RowChange:
    fields = _diff(current, changed, ("name", "sellable", "allow_negative"))
    fields += tuple(
        replace(change, field=ADDRESS_COLUMNS[index] if index < 2 else change.field)
        for change in _diff(current.address, changed.address, _ADDRESS_FIELDS)
        for index in [_ADDRESS_FIELDS.index(change.field)]
    )
    if not fields:
        return RowChange(line, current.code, "unchanged")
    before = uow.locations.by_id()
    uow.locations.update(changed)
    sellability_changed(uow, before, uow.locations.by_id(), ctx.now())
    record_change(uow, ctx.now(), "update_location", AuditObject("location", current.code), current, changed)
    return RowChange(line, current.code, "updated", fields)

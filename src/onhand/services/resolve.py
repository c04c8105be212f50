"""Turning the codes users type (SKU, location code, lot code) into domain objects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from onhand.domain.errors import InvalidInput, NotFound
from onhand.domain.items import Item
from onhand.domain.ledger import validate_reason_code
from onhand.domain.locations import Location
from onhand.domain.lots import Lot

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


def text(value: str | None, field: str, *, max_length: int = 200) -> str | None:
    """Optional free text: stripped, None when blank, length-checked."""
    if value is None:
        return None
    value = value.strip()
    if len(value) > max_length:
        raise InvalidInput(field, f"must be at most {max_length} characters")
    return value or None


def item(uow: UnitOfWork, sku: str, field: str = "sku") -> Item:
    found = uow.items.get_by_sku(sku.strip())
    if found is None:
        raise NotFound("item", sku, field)
    return found


def location(uow: UnitOfWork, code: str, field: str = "location") -> Location:
    found = uow.locations.get_by_code(code.strip())
    if found is None:
        raise NotFound("location", code, field)
    return found


def internal_location(uow: UnitOfWork, code: str, field: str = "location") -> Location:
    found = location(uow, code, field)
    if not found.is_internal:
        raise InvalidInput(field, f"{found.code!r} is a virtual location; name an internal one")
    return found


def lot(uow: UnitOfWork, of: Item, code: str, field: str = "lot") -> Lot:
    found = uow.lots.get(of.id, code.strip())
    if found is None:
        raise NotFound("lot", f"{of.sku}/{code}", field)
    return found


def reason(uow: UnitOfWork, code: str, field: str = "reason") -> str:
    code = validate_reason_code(code, field)
    if not uow.reasons.exists(code):
        raise NotFound("reason code", code, field)
    return code

"""Turning the codes users type (SKU, location code, lot code) into domain objects."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from onhand.domain.catalog.items import SKU_PATTERN, Item
from onhand.domain.catalog.locations import LOCATION_CODE_PATTERN, Location
from onhand.domain.catalog.lots import LOT_CODE_PATTERN, Lot
from onhand.domain.errors import Archived, InvalidInput, NotFound
from onhand.domain.ledger.postings import validate_reason_code

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


MAX_ID = 2**63 - 1


def text(value: str | None, field: str, *, max_length: int = 200) -> str | None:
    """Optional free text: stripped, None when blank, length-checked, no control characters."""
    if value is None:
        return None
    value = value.strip()
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        raise InvalidInput(field, "must not contain control characters")
    if len(value) > max_length:
        raise InvalidInput(field, f"must be at most {max_length} characters")
    return value or None


def record_id(value: int, field: str) -> int:
    """An id as the database can hold it (anything else cannot exist)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise InvalidInput(field, f"must be a whole number from 1 to {MAX_ID}")
    return value


def moment(value: datetime | str | None, field: str) -> datetime | None:
    """An ISO 8601 date and time with its offset (`2026-03-02T09:00:00Z`, `…+01:00`), in UTC."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        stripped = value.strip()
        try:
            value = datetime.fromisoformat(stripped[:-1] + "+00:00" if stripped.endswith("Z") else stripped)
        except ValueError:
            raise InvalidInput(field, f"{stripped!r} is not an ISO 8601 date and time") from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(field, "must carry a time zone offset, e.g. 2026-03-02T09:00:00Z")
    return value.astimezone(UTC)


def since(value: datetime | str | None, field: str = "updated_since") -> datetime | None:
    """A listing's lower bound in time: an ISO 8601 moment with its offset (`moment`), which
    must exist in UTC."""
    try:
        return moment(value, field)
    except OverflowError:  # 0001-01-01T00:00:00+01:00 has no UTC time
        raise InvalidInput(field, "is out of range") from None


def page(limit: int, offset: int = 0) -> None:
    """A listing's page: 1 to 1,000 rows from a non-negative offset."""
    if not 1 <= limit <= 1000:
        raise InvalidInput("limit", "must be between 1 and 1000")
    if offset < 0:
        raise InvalidInput("offset", "must not be negative")


def document_number(prefix: str, record: int, taken: Callable[[str], object]) -> str:
    """PREFIX-000123 from a record's id, skipping numbers a manual reference already took."""
    return numbered(prefix, record, lambda reference: taken(reference) is None)


def numbered(prefix: str, record: int, take: Callable[[str], bool]) -> str:
    """PREFIX-000123 from a record's id, as `take` gave it to the record: False when a manual
    reference already took that number, and the next is tried."""
    number = record
    while not take(document_reference(prefix, number)):
        number += 1
    return document_reference(prefix, number)


def document_reference(prefix: str, number: int) -> str:
    return f"{prefix}-{number:06d}"


def item(uow: UnitOfWork, sku: str, field: str = "sku") -> Item:
    # A string that cannot be a SKU names no item (and never reaches the database).
    if not SKU_PATTERN.match(sku.strip()):
        raise NotFound("item", sku, field)
    found = uow.items.get_by_sku(sku.strip())
    if found is None:
        raise NotFound("item", sku, field)
    return found


def location(uow: UnitOfWork, code: str, field: str = "location") -> Location:
    if not LOCATION_CODE_PATTERN.match(code.strip()):
        raise NotFound("location", code, field)
    found = uow.locations.get_by_code(code.strip())
    if found is None:
        raise NotFound("location", code, field)
    return found


def internal_location(uow: UnitOfWork, code: str, field: str = "location") -> Location:
    found = location(uow, code, field)
    if not found.is_internal:
        raise InvalidInput(field, f"{found.code!r} is a virtual location; name an internal one")
    return found


def item_in_use(uow: UnitOfWork, sku: str, field: str = "sku") -> Item:
    """An item a new document may name: not archived."""
    found = item(uow, sku, field)
    if found.archived_at is not None:
        raise Archived("item", found.sku, field)
    return found


def location_in_use(uow: UnitOfWork, code: str, field: str = "location") -> Location:
    """A location a new document may name: not archived."""
    found = location(uow, code, field)
    if found.archived_at is not None:
        raise Archived("location", found.code, field)
    return found


def internal_location_in_use(uow: UnitOfWork, code: str, field: str = "location") -> Location:
    found = internal_location(uow, code, field)
    if found.archived_at is not None:
        raise Archived("location", found.code, field)
    return found


def lot(uow: UnitOfWork, of: Item, code: str, field: str = "lot") -> Lot:
    if not LOT_CODE_PATTERN.match(code.strip()):
        raise NotFound("lot", f"{of.sku}/{code}", field)
    found = uow.lots.get(of.id, code.strip())
    if found is None:
        raise NotFound("lot", f"{of.sku}/{code}", field)
    return found


def reason(uow: UnitOfWork, code: str, field: str = "reason") -> str:
    code = validate_reason_code(code, field)
    if not uow.reasons.exists(code):
        raise NotFound("reason code", code, field)
    return code

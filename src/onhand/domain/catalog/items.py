"""Items: what is stocked, in which unit, and how it is tracked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from onhand.domain.choices import parse_choice
from onhand.domain.errors import InvalidInput
from onhand.domain.quantities import UnitOfMeasure

MAX_SHELF_LIFE_DAYS = 36_500  # a century
SKU_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/\-]{0,63}$")


class Tracking(StrEnum):
    NONE = "none"
    LOT = "lot"
    SERIAL = "serial"


class ItemKind(StrEnum):
    STOCKED = "stocked"
    # A virtual kit: no stock of its own, sold as its components (see domain/assemblies/bundles.py).
    BUNDLE = "bundle"
    # A stocked product made by a build from a bill of materials.
    ASSEMBLY = "assembly"

    @property
    def is_stocked(self) -> bool:
        """Whether the item holds stock of its own (everything but a bundle)."""
        return self is not ItemKind.BUNDLE


@dataclass(frozen=True)
class Item:
    id: int
    sku: str
    name: str
    unit: UnitOfMeasure
    tracking: Tracking
    kind: ItemKind = ItemKind.STOCKED
    gtin: str | None = None
    shelf_life_days: int | None = None
    # Days a lot must still have when shipped; None means the company's default.
    min_remaining_shelf_life_days: int | None = None
    # Weight of one unit, for sharing landed costs by weight.
    weight_kg: Decimal | None = None
    # For account codes per category in the daily journal (None: the default accounts).
    category: str | None = None
    # When it was archived: hidden from lists, refused for new documents (None: in use).
    archived_at: datetime | None = None

    @property
    def tracks_lots(self) -> bool:
        return self.tracking is not Tracking.NONE


def validate_sku(sku: str, field: str = "sku") -> str:
    sku = sku.strip()
    if not SKU_PATTERN.match(sku):
        raise InvalidInput(
            field,
            f"{sku!r} is not a valid SKU (1-64 characters: letters, digits, . _ / -; "
            "starting with a letter or digit)",
        )
    return sku


def validate_name(name: str, field: str = "name") -> str:
    name = name.strip()
    if not name:
        raise InvalidInput(field, "must not be empty")
    if any(ord(ch) < 32 for ch in name):
        raise InvalidInput(field, "must not contain control characters")
    if len(name) > 200:
        raise InvalidInput(field, "must be at most 200 characters")
    return name


def parse_tracking(value: str, field: str = "tracking") -> Tracking:
    return parse_choice(Tracking, value, field)


def parse_kind(value: str, field: str = "kind") -> ItemKind:
    return parse_choice(ItemKind, value, field)


def validate_min_remaining_days(days: int, field: str = "min_remaining_shelf_life_days") -> int:
    """Days of shelf life a lot must still have when shipped: 0 up to a century."""
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_SHELF_LIFE_DAYS:
        raise InvalidInput(field, f"must be a whole number of days from 0 to {MAX_SHELF_LIFE_DAYS}")
    return days


def validate_shelf_life(days: int | None, field: str = "shelf_life_days") -> int | None:
    if days is None:
        return None
    if isinstance(days, bool) or not isinstance(days, int) or not 0 < days <= MAX_SHELF_LIFE_DAYS:
        raise InvalidInput(field, f"must be a whole number of days from 1 to {MAX_SHELF_LIFE_DAYS}")
    return days


def validate_weight(value: Decimal | None, field: str = "weight_kg") -> Decimal | None:
    """Weight of one unit in kg: greater than zero, at most 6 decimals (None: unknown)."""
    if value is None:
        return None
    if not value.is_finite() or value <= 0 or value > 1_000_000:
        raise InvalidInput(field, "must be greater than zero and at most 1000000")
    if value != value.quantize(Decimal("0.000001")):
        raise InvalidInput(field, "has more than 6 decimals")
    return value


CATEGORY_MAX_LENGTH = 64


def validate_category(value: str | None, field: str = "category") -> str | None:
    """An item category as given ("" or None: no category)."""
    if value is None or not value.strip():
        return None
    category = value.strip()
    if len(category) > CATEGORY_MAX_LENGTH or any(ord(ch) < 32 for ch in category):
        raise InvalidInput(field, f"a category is 1-{CATEGORY_MAX_LENGTH} printable characters")
    return category

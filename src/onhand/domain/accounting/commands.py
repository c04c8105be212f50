"""The commands of accounting: its settings and posting a day's journal (see
domain/commands.py). Dates arrive as dates; account roles, codes and currencies stay
text and are checked by the service."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from onhand.domain.calendar import parse_date


@dataclass(frozen=True)
class UpdateAccountingSettings:
    """Change what is given, leave the rest: `accounts` the default codes of the roles it
    names, `categories` the overrides of the categories it names (an empty mapping removes
    a category's); `remove_lock_date` (the API's `"lock_date": ""`) clears the lock date.
    `target` (xero, quickbooks) chooses the default codes, `region` the Xero CSV's defaults;
    `tax_rate` and `date_format` override them ("" goes back to the region's)."""

    accounts: Mapping[str, str] | None = None
    categories: Mapping[str, Mapping[str, str]] | None = None
    track_locations: bool | None = None
    lock_date: date | None = None
    remove_lock_date: bool = False
    currency: str | None = None
    target: str | None = None
    region: str | None = None
    tax_rate: str | None = None
    date_format: str | None = None

    def __post_init__(self) -> None:
        if self.accounts is not None:
            object.__setattr__(self, "accounts", MappingProxyType(dict(self.accounts)))
        if self.categories is not None:
            object.__setattr__(self, "categories", MappingProxyType(
                {name: MappingProxyType(dict(codes)) if isinstance(codes, Mapping) else codes
                 for name, codes in self.categories.items()}
            ))


@dataclass(frozen=True)
class PostJournal:
    """Post a day's summary journal once the day is over; `lock` also locks the period
    through that day."""

    day: date
    lock: bool = False


def read_lock_date(value: date | str | None, field: str = "lock_date") -> tuple[date | None, bool]:
    """A lock date as the edge is given it: (the date, whether to remove it) — blank text
    removes the lock date, None leaves it; anything else must be a date, naming `field`."""
    if isinstance(value, str) and not value.strip():
        return None, True
    return parse_date(value, field), False


@dataclass(frozen=True)
class ImportChart:
    """Load the chart of accounts from the accounting system's export (replacing the one
    loaded before); `target` (xero, quickbooks) says whose export it is — None: the
    company's accounting system."""

    text: str
    target: str | None = None

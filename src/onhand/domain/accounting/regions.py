"""What an accounting file looks like in the company's region: the tax rate a Xero manual
journal import names on every line (the rate's full name as the organisation shows it)
and the date format its CSV takes.

Xero's manual journal import wants a tax rate on every line and reads dates as the
organisation's region writes them. Inventory summaries carry no tax: each region's
default is its rate for no tax. A company may name its own (`tax_rate`, `date_format`
in the accounting settings).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from onhand.domain.errors import InvalidInput

MAX_TAX_RATE_LENGTH = 60


class DateFormat(StrEnum):
    """The date formats an accounting file may use, by how they read."""

    DAY_FIRST = "dd/mm/yyyy"
    MONTH_FIRST = "mm/dd/yyyy"
    ISO = "yyyy-mm-dd"

    @property
    def pattern(self) -> str:
        return {"dd/mm/yyyy": "%d/%m/%Y", "mm/dd/yyyy": "%m/%d/%Y", "yyyy-mm-dd": "%Y-%m-%d"}[self.value]


@dataclass(frozen=True)
class Conventions:
    tax_rate: str
    date_format: DateFormat


# Region (ISO 3166 code; Xero's "international" organisations as INT) → its defaults.
REGIONS: dict[str, Conventions] = {
    "UK": Conventions("No VAT", DateFormat.DAY_FIRST),
    "AU": Conventions("BAS Excluded", DateFormat.DAY_FIRST),
    "NZ": Conventions("No GST", DateFormat.DAY_FIRST),
    "US": Conventions("Tax Exempt", DateFormat.MONTH_FIRST),
    "CA": Conventions("Tax Exempt", DateFormat.MONTH_FIRST),
    "INT": Conventions("Tax Exempt", DateFormat.DAY_FIRST),
}
DEFAULT_REGION = "INT"
_ALIASES = {"GB": "UK"}


def parse_region(value: str, field: str = "region") -> str:
    region = value.strip().upper() if isinstance(value, str) else ""
    region = _ALIASES.get(region, region)
    if region not in REGIONS:
        raise InvalidInput(field, f"{value!r} is not a region; use one of {', '.join(REGIONS)}")
    return region


def parse_date_format(value: str, field: str = "date_format") -> DateFormat:
    try:
        return DateFormat(value.strip().lower() if isinstance(value, str) else value)
    except ValueError:
        formats = ", ".join(f.value for f in DateFormat)
        raise InvalidInput(field, f"{value!r} is not a date format; use one of {formats}") from None


def parse_tax_rate(value: str, field: str = "tax_rate") -> str:
    rate = value.strip() if isinstance(value, str) else ""
    if not rate or len(rate) > MAX_TAX_RATE_LENGTH or any(ord(ch) < 32 for ch in rate):
        raise InvalidInput(field, f"the name of a tax rate as the accounting system shows it "
                                  f"(1-{MAX_TAX_RATE_LENGTH} characters), e.g. 'No VAT'")
    return rate


def conventions(region: str | None, tax_rate: str | None = None, date_format: str | None = None) -> Conventions:
    """The region's defaults with what the company set instead."""
    base = REGIONS[region or DEFAULT_REGION]
    return Conventions(tax_rate or base.tax_rate, DateFormat(date_format) if date_format else base.date_format)

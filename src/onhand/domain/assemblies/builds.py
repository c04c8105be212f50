"""Build orders: their life, what a build run may do, and the defaults of an output lot.

    draft ──start──► in_progress ──build (part)──► partially_built ──build (rest)──► done
      │                  │                              │   └──finish (short)──────► done
      └───────────── cancel ───────────────────────────┴──────────────────────────► cancelled

A build run posts once: components `location → production`, the output
`production → location`. Cancelling keeps what was already built (it is stock now).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from onhand.domain.catalog.locations import Location, effective_sellable
from onhand.domain.choices import parse_choice
from onhand.domain.errors import Conflict, InvalidInput

# No "/" (unlike sales orders), so a reference is always one segment of a URL path.
REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._#\-]{0,63}$")


class BuildStatus(StrEnum):
    DRAFT = "draft"
    IN_PROGRESS = "in_progress"
    PARTIALLY_BUILT = "partially_built"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        return self not in (BuildStatus.DONE, BuildStatus.CANCELLED)


def parse_build_status(value: str, field: str = "status") -> BuildStatus:
    return parse_choice(BuildStatus, value, field)


def validate_reference(reference: str, field: str = "reference") -> str:
    reference = reference.strip()
    if not REFERENCE_PATTERN.match(reference):
        raise InvalidInput(field, f"{reference!r} is not a valid reference (1-64 letters, digits, . _ # -)")
    return reference


def check_open(reference: str, status: BuildStatus, action: str) -> None:
    if not status.is_open:
        raise Conflict(f"status: build order {reference} is {status.value}; cannot {action}")


def check_startable(reference: str, status: BuildStatus) -> None:
    if status is not BuildStatus.DRAFT:
        raise Conflict(f"status: build order {reference} is {status.value}; only a draft can be started")


def check_build_quantity(quantity: Decimal, planned: Decimal, built: Decimal) -> None:
    """A run builds at least something and never more than is left to build."""
    remaining = planned - built
    if quantity > remaining:
        raise InvalidInput("quantity", f"only {remaining} left to build of {planned} (built {built})")


def status_after_build(planned: Decimal, built: Decimal) -> BuildStatus:
    return BuildStatus.DONE if built >= planned else BuildStatus.PARTIALLY_BUILT


def status_after_finish(reference: str, status: BuildStatus, built: Decimal) -> BuildStatus:
    """Closing an order short: only once something was built (else cancel it)."""
    check_open(reference, status, "finish it")
    if built <= 0:
        raise Conflict(f"status: build order {reference} has built nothing; cancel it instead")
    return BuildStatus.DONE


def output_expiry(
    *,
    given: date | None,
    input_expiries: Iterable[date | None],
    shelf_life_days: int | None,
    today: date,
) -> date | None:
    """Expiry of a new output lot: as given; else the earliest of the input lots' expiries
    (a product is no fresher than what went into it) and today plus the item's shelf life."""
    if given is not None:
        return given
    candidates = [expiry for expiry in input_expiries if expiry is not None]
    if shelf_life_days:
        candidates.append(today + timedelta(days=shelf_life_days))
    return min(candidates) if candidates else None


def production_sources(site: Location, by_id: dict[int, Location]) -> list[Location]:
    """Where a build at `site` takes components from: the site itself and the bins inside it,
    except non-sellable bins within it (returns, damaged, quarantine cages) — their stock is
    not for use. A non-sellable site itself (a workshop) is a source all the same."""
    return [
        place for place in by_id.values()
        if place.is_internal and place.is_within(site)
        and (place.id == site.id or effective_sellable(place, by_id) or not effective_sellable(site, by_id))
    ]

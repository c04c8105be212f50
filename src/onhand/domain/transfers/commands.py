"""The commands of transfers: routes, transfer orders, and moving their goods (ship,
receive, write off what never arrived); see domain/commands.py.

Quantities and dates arrive typed: the edge (API models, CLI options) reads text with
`parse_transfer_line`, `parse_transfer_move_line` and `parse_date`, naming the field.
What needs the database (an item's unit, the places of a route) is checked by the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from onhand.domain.commands import as_tuple
from onhand.domain.quantities import parse_decimal
from onhand.domain.transfers.transfer_orders import LOST_IN_TRANSIT


@dataclass(frozen=True)
class SetTransferRoute:
    """Transfers from `source` to `destination` go through `transit` and, unless told
    otherwise, are expected `lead_time_days` after they are created."""

    source: str
    destination: str
    transit: str
    lead_time_days: int | None = None


@dataclass(frozen=True)
class NewTransferLine:
    sku: str
    quantity: Decimal
    lot: str | None = None  # send this lot; otherwise shipping chooses (FEFO)


@dataclass(frozen=True)
class CreateTransfer:
    """A draft transfer; without `transit` the route's (or the only transit location),
    without `expected_date` today plus the route's lead time when it has one."""

    source: str
    destination: str
    lines: tuple[NewTransferLine, ...]
    transit: str | None = None
    reference: str | None = None
    expected_date: date | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", as_tuple(self.lines))


@dataclass(frozen=True)
class UpdateTransfer:
    """Lines (replacing all) and transit only while draft; expected date, carrier,
    tracking number and note until the transfer is finished ("" clears). None leaves a
    field as it is."""

    reference: str
    lines: tuple[NewTransferLine, ...] | None = None
    transit: str | None = None
    expected_date: date | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if self.lines is not None:
            object.__setattr__(self, "lines", as_tuple(self.lines))


@dataclass(frozen=True)
class TransferAction:
    """An action on a whole transfer (cancel, close)."""

    reference: str


@dataclass(frozen=True)
class TransferMoveLine:
    """Part of one transfer line to ship, receive or write off."""

    line_no: int
    quantity: Decimal
    lot: str | None = None
    # Shipping: a bin inside the source to take from; receiving: a bin inside the destination.
    location: str | None = None


@dataclass(frozen=True)
class ShipTransfer:
    """`source → transit`; without lines, everything left to ship."""

    reference: str
    lines: tuple[TransferMoveLine, ...] | None = None

    def __post_init__(self) -> None:
        if self.lines is not None:
            object.__setattr__(self, "lines", as_tuple(self.lines))


@dataclass(frozen=True)
class ReceiveTransfer:
    """`transit → destination` (or `location`, a bin inside it); without lines, everything in transit."""

    reference: str
    lines: tuple[TransferMoveLine, ...] | None = None
    location: str | None = None

    def __post_init__(self) -> None:
        if self.lines is not None:
            object.__setattr__(self, "lines", as_tuple(self.lines))


@dataclass(frozen=True)
class WriteOffTransit:
    """What will never arrive leaves transit as a loss, with a reason code; without
    lines, everything still in transit."""

    reference: str
    lines: tuple[TransferMoveLine, ...] | None = None
    reason: str = LOST_IN_TRANSIT
    note: str | None = None

    def __post_init__(self) -> None:
        if self.lines is not None:
            object.__setattr__(self, "lines", as_tuple(self.lines))


def parse_transfer_line(field: str, *, sku: str, quantity: object, lot: str | None = None) -> NewTransferLine:
    """A line from text or JSON numbers; an error names `<field>.quantity`."""
    return NewTransferLine(sku=sku, quantity=parse_decimal(quantity, f"{field}.quantity"), lot=lot)


def parse_transfer_move_line(
    field: str, *, line_no: int, quantity: object, lot: str | None = None, location: str | None = None
) -> TransferMoveLine:
    return TransferMoveLine(line_no=line_no, quantity=parse_decimal(quantity, f"{field}.quantity"), lot=lot,
                            location=location)

"""Serial numbers on shipments: a serial-tracked unit leaves only with its serial
confirmed — scanned at pick (`confirm_pick`) or named on the shipment — unless the
company lets shipments auto-assign the serials allocation reserved
(`auto_assign_serials`, off by default). A confirmed serial is a picked reservation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.catalog.items import Tracking
from onhand.domain.errors import InvalidInput, SerialsNotConfirmed
from onhand.domain.orders.commands import ShipLine

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)


@dataclass(frozen=True)
class Unconfirmed:
    line: Any  # the order line
    shipping: Decimal
    confirmed: Decimal


def confirm_named(uow: UnitOfWork, order: Any, by_no: dict[int, Any], lines: Sequence[ShipLine]) -> set[int]:
    """Confirm the serials a shipment names (each must be reserved for its line): the ids
    of their reservations, which the shipment then takes first."""
    named: set[int] = set()
    rows: list[Any] | None = None
    for index, ship in enumerate(lines):
        if not ship.serials:
            continue
        field = f"lines[{index}].serials"
        line = by_no[ship.line_no]
        item = uow.items.get(line.item_id)
        assert item is not None
        if item.tracking is not Tracking.SERIAL:
            raise InvalidInput(field, f"line {line.line_no} ({line.sku}) is not serial-tracked; give no serials")
        codes = [code.strip() if isinstance(code, str) else "" for code in ship.serials]
        if len(set(codes)) != len(codes):
            raise InvalidInput(field, "a serial is given twice")
        if len(codes) > ship.quantity:
            raise InvalidInput(field, f"{len(codes)} serials for a quantity of {ship.quantity}")
        rows = uow.reservations.for_order(order.id) if rows is None else rows
        for number, code in enumerate(codes):
            found = [r for r in rows if r.order_line_id == line.id and r.lot_code == code and r.quantity > 0]
            if not found:
                raise InvalidInput(f"{field}[{number}]", f"serial {code!r} is not reserved for line {line.line_no}; "
                                   "confirm a pick to ship another serial")
            row = found[0]
            if row.picked < row.quantity:
                uow.reservations.pick(row.id, row.quantity - row.picked)
            named.add(row.id)
    return named


def unconfirmed(uow: UnitOfWork, order: Any, by_no: dict[int, Any], wanted: dict[int, Decimal]) -> list[Unconfirmed]:
    """The serial-tracked lines that would ship more units than have confirmed serials
    (none if the company auto-assigns serials), by line number."""
    if uow.company.get().auto_assign_serials:
        return []
    lines = {line.id: line for line in by_no.values() if wanted.get(line.id, ZERO) > 0}
    items = uow.items.by_ids(sorted({line.item_id for line in lines.values()}))
    serial = {line_id for line_id, line in lines.items() if items[line.item_id].tracking is Tracking.SERIAL}
    if not serial:
        return []
    confirmed: dict[int, Decimal] = dict.fromkeys(serial, ZERO)
    for row in uow.reservations.for_order(order.id):
        if row.order_line_id in confirmed:
            confirmed[row.order_line_id] += row.picked
    return [
        Unconfirmed(lines[line_id], wanted[line_id], confirmed[line_id])
        for line_id in sorted(serial, key=lambda i: lines[i].line_no)
        if wanted[line_id] > confirmed[line_id]
    ]


def require_confirmed(
    uow: UnitOfWork, order: Any, by_no: dict[int, Any], wanted: dict[int, Decimal], fields: dict[int, str]
) -> None:
    """Refuse a shipment of serial-tracked units whose serials nobody confirmed, naming
    the first such line and its field (`lines[i].serials`, or `lines` for a default shipment)."""
    missing = unconfirmed(uow, order, by_no, wanted)
    if missing:
        first = missing[0]
        raise SerialsNotConfirmed(fields.get(first.line.id, "lines"), first.line.line_no, first.line.sku,
                                  first.shipping, first.confirmed)

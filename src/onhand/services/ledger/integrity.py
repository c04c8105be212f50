"""Proving the books: projection == fold(ledger), conservation, no illegal negatives.

`verify` reads only, and reports whatever is stored without failing on it: sums are
exact however large, and a stored number that is not an exact quantity within range (a
REAL SQLite made of an overflow, text, too large) is listed, by item and location.
`rebuild` recomputes every balance's on hand from the moves.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.errors import OutOfRange
from onhand.domain.ledger.postings import BalanceKey, must_stay_non_negative
from onhand.domain.quantities import MAX_TOTAL_QUANTITY
from onhand.services.audit import record_action
from onhand.services.context import ServiceContext
from onhand.services.views import Discrepancy, StoredValue, VerifyReport

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)


def verify(ctx: ServiceContext) -> VerifyReport:
    with ctx.reading() as uow:
        return _verify(uow)


def rebuild(ctx: ServiceContext) -> VerifyReport:
    """Rewrite on hand of every balance from the ledger, then verify."""
    with ctx.writing() as uow:
        uow.balances.lock_for_rebuild()
        # Only the balances that differ from the fold come back: a sound ledger costs one pass.
        changed = [(key, folded) for key, folded, _stored in uow.integrity.projection_differences()]
        promised = uow.integrity.promised()
        # A ledger whose fold leaves the range cannot be projected exactly: refused whole.
        names = _Names(uow)
        for what, values in (("on hand", dict(changed)), ("reserved", promised)):
            for key, value in sorted(values.items()):
                if abs(value) > MAX_TOTAL_QUANTITY:
                    raise OutOfRange(sku=names.sku(key[0]), location=names.location(key[1]), lot=names.lot(key[2]),
                                     what=what, total=value, limit=MAX_TOTAL_QUANTITY)
        uow.balances.set_on_hand(sorted(changed))
        held = {key: reserved for key, (reserved, _on_hand) in uow.integrity.reserved().items()}
        for key in sorted(promised.keys() | held.keys()):
            uow.reservations.set_reserved(key, promised.get(key, ZERO))
        fixed = sum(1 for key in promised.keys() | held.keys() if promised.get(key, ZERO) != held.get(key, ZERO))
        record_action(uow, ctx.now(), "rebuild_balances", AuditObject("balances", "all"),
                      {"on_hand_corrected": len(changed), "reserved_corrected": fixed})
        # Proven in the same transaction, under the same lock. Nothing rewritten: the pass just
        # made is the proof (a fold costs seconds at a million moves); else the ledger is folded again.
        return _verify(uow, differences=None if changed else [])


def _verify(uow: UnitOfWork, *, differences: list[tuple[BalanceKey, Decimal, Decimal]] | None = None) -> VerifyReport:
    """The report; `differences` are the projection's, when just found in this transaction."""
    # Set-based: the database folds the ledger and compares; only what is wrong reaches Python.
    names = _Names(uow)
    if differences is None:
        differences = list(uow.integrity.projection_differences())
    mismatches = tuple(names.discrepancy(key, folded, stored) for key, folded, stored in differences)
    # The fold of an item and lot sums to zero over all places (each move adds to one side
    # what it takes from the other), so what the balances sum to is what they differ by.
    sums: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for (item_id, _location_id, lot_key), folded, stored in differences:
        sums[(item_id, lot_key)] += stored - folded
    unbalanced = tuple(
        (names.sku(item_id), names.lot(lot_key), total)
        for (item_id, lot_key), total in sorted(sums.items())
        if total != 0
    )
    guarded = {loc.id for loc in names.locations.values() if must_stay_non_negative(loc)}
    others = names.locations.keys() - guarded
    negatives = tuple(names.discrepancy(key, ZERO, value) for key, value in uow.integrity.below_zero(guarded, others))
    promised = uow.integrity.promised()
    held = uow.integrity.reserved()
    reserved = {key: value for key, (value, _on_hand) in held.items()}
    reservation_mismatches = tuple(
        names.discrepancy(key, promised.get(key, ZERO), reserved.get(key, ZERO))
        for key in sorted(promised.keys() | reserved.keys())
        if promised.get(key, ZERO) != reserved.get(key, ZERO)
    )
    oversold = tuple(
        names.discrepancy(key, on_hand, value)
        for key, (value, on_hand) in sorted(held.items())
        if key[1] in guarded and value > max(on_hand, ZERO)
    )
    return VerifyReport(
        order_errors=_order_errors(uow),
        moves_checked=uow.ledger.move_count(),
        balances_checked=uow.integrity.balance_count(),
        projection_mismatches=mismatches,
        conservation_errors=unbalanced,
        negative_balances=negatives,
        reservation_mismatches=reservation_mismatches,
        oversold=oversold,
        stored_out_of_range=tuple(
            StoredValue(what, names.sku(item_id), names.location(location_id), names.lot(lot_key), stored)
            for what, item_id, location_id, lot_key, stored in uow.integrity.stored_out_of_range()
        ),
    )


def _order_errors(uow: UnitOfWork) -> tuple[str, ...]:
    """No line holds more than it still needs, and cancelled orders hold nothing."""
    errors = []
    for reference, cancelled_at, line_no, quantity, reserved, shipped in uow.integrity.promising_lines():
        where = f"order {reference} line {line_no}"
        if cancelled_at is not None:
            errors.append(f"{where}: cancelled but still holds {reserved} reserved")
        elif reserved > quantity - shipped:
            errors.append(f"{where}: {reserved} reserved but only {quantity - shipped} is still to ship")
    return tuple(errors)


class _Names:
    """Turns ids in a report back into SKUs, location codes and lot codes."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self.locations = {loc.id: loc for loc in uow.locations.all()}
        self._skus: dict[int, str] = {}
        self._lots: dict[int, str] = {}

    def sku(self, item_id: int) -> str:
        if item_id not in self._skus:
            item = self._uow.items.get(item_id)
            self._skus[item_id] = item.sku if item else f"#{item_id}"
        return self._skus[item_id]

    def lot(self, lot_key: int) -> str | None:
        if not lot_key:
            return None
        if lot_key not in self._lots:
            found = self._uow.lots.by_ids([lot_key]).get(lot_key)
            self._lots[lot_key] = found.code if found else f"#{lot_key}"
        return self._lots[lot_key]

    def location(self, location_id: int) -> str:
        place = self.locations.get(location_id)
        return place.code if place else f"#{location_id}"

    def discrepancy(self, key: BalanceKey, expected: Decimal, actual: Decimal) -> Discrepancy:
        item_id, location_id, lot_key = key
        return Discrepancy(
            sku=self.sku(item_id),
            location=self.location(location_id),
            lot=self.lot(lot_key),
            expected=expected,
            actual=actual,
        )

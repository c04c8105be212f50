"""Proving the books: projection == fold(ledger), conservation, no illegal negatives.

`verify` reads only; `rebuild` recomputes every balance's on hand from the moves.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.ledger import BalanceKey, must_stay_non_negative
from onhand.services.audit import record_action
from onhand.services.context import ServiceContext
from onhand.services.views import Discrepancy, VerifyReport

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
        folded = uow.ledger.ledger_fold()
        current = uow.balances.projection()
        changed = [
            (key, folded.get(key, ZERO))
            for key in folded.keys() | current.keys()
            if folded.get(key, ZERO) != current.get(key, ZERO)
        ]
        uow.balances.set_on_hand(sorted(changed))
        promised = uow.reservations.totals()
        held = uow.reservations.projected()
        for key in sorted(promised.keys() | held.keys()):
            uow.reservations.set_reserved(key, promised.get(key, ZERO))
        fixed = sum(1 for key in promised.keys() | held.keys() if promised.get(key, ZERO) != held.get(key, ZERO))
        record_action(uow, ctx.now(), "rebuild_balances", AuditObject("balances", "all"),
                      {"on_hand_corrected": len(changed), "reserved_corrected": fixed})
    return verify(ctx)


def _verify(uow: UnitOfWork) -> VerifyReport:
    folded = uow.ledger.ledger_fold()
    projected = uow.balances.projection()
    names = _Names(uow)
    mismatches = tuple(
        names.discrepancy(key, folded.get(key, ZERO), projected.get(key, ZERO))
        for key in sorted(folded.keys() | projected.keys())
        if folded.get(key, ZERO) != projected.get(key, ZERO)
    )
    sums: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for (item_id, _location_id, lot_key), value in projected.items():
        sums[(item_id, lot_key)] += value
    unbalanced = tuple(
        (names.sku(item_id), names.lot(lot_key), total)
        for (item_id, lot_key), total in sorted(sums.items())
        if total != 0
    )
    guarded = {loc.id for loc in names.locations.values() if must_stay_non_negative(loc)}
    negatives = tuple(
        names.discrepancy(key, ZERO, value)
        for key, value in sorted(projected.items())
        if value < 0 and key[1] in guarded
    )
    promised = uow.reservations.totals()
    reserved = uow.reservations.projected()
    reservation_mismatches = tuple(
        names.discrepancy(key, promised.get(key, ZERO), reserved.get(key, ZERO))
        for key in sorted(promised.keys() | reserved.keys())
        if promised.get(key, ZERO) != reserved.get(key, ZERO)
    )
    oversold = tuple(
        names.discrepancy(key, projected.get(key, ZERO), value)
        for key, value in sorted(reserved.items())
        if key[1] in guarded and value > max(projected.get(key, ZERO), ZERO)
    )
    return VerifyReport(
        order_errors=_order_errors(uow),
        moves_checked=uow.ledger.move_count(),
        balances_checked=len(projected),
        projection_mismatches=mismatches,
        conservation_errors=unbalanced,
        negative_balances=negatives,
        reservation_mismatches=reservation_mismatches,
        oversold=oversold,
    )


def _order_errors(uow: UnitOfWork) -> tuple[str, ...]:
    """No line holds more than it still needs, and cancelled orders hold nothing."""
    errors = []
    for line in uow.orders.promising_lines():
        where = f"order {line.reference} line {line.line_no}"
        if line.cancelled_at is not None:
            errors.append(f"{where}: cancelled but still holds {line.reserved} reserved")
        elif line.reserved > line.quantity - line.shipped:
            errors.append(
                f"{where}: {line.reserved} reserved but only {line.quantity - line.shipped} is still to ship"
            )
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

    def discrepancy(self, key: BalanceKey, expected: Decimal, actual: Decimal) -> Discrepancy:
        item_id, location_id, lot_key = key
        return Discrepancy(
            sku=self.sku(item_id),
            location=self.locations[location_id].code,
            lot=self.lot(lot_key),
            expected=expected,
            actual=actual,
        )

"""Values stay within what is stored exactly, checked just before they are written.

Every cost pool (its quantity, value, layers and units owed) and every move's value,
variance and given value must fall within the bounds of domain/quantities.py and
domain/money.py; otherwise the posting (or revaluation) is refused with `OutOfRange`,
naming the item and location, and nothing is written.

Checking what is about to be written is enough here, with no guard in SQL: valuing is
serialized per item (`services/valuation/posting_values.py` locks the item's row until commit), so no
concurrent writer changes these pools in between.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.errors import OutOfRange
from onhand.domain.money import MAX_MONEY
from onhand.domain.valuation.cost_layers import PoolSnapshot, out_of_range

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

# (item id, location id, lot id or 0), as pools are stored.
PoolRow = tuple[int, int, int]
# A move's figures: (item id, its internal location id or None, value, variance, given value).
MoveFigures = tuple[int, int | None, Decimal | None, Decimal | None, Decimal | None]


def check_pools(uow: UnitOfWork, pools: Mapping[PoolRow, PoolSnapshot]) -> None:
    for (item_id, location_id, lot_id), pool in sorted(pools.items()):
        found = out_of_range(pool)
        if found is not None:
            what, figure, bound = found
            raise _error(uow, item_id, location_id, lot_id, f"the cost pool's {what}", figure, bound)


def check_moves(uow: UnitOfWork, moves: Iterable[MoveFigures]) -> None:
    for item_id, location_id, *figures in moves:
        for what, figure in zip(("value", "variance", "given value"), figures, strict=True):
            if figure is not None and abs(figure) > MAX_MONEY:
                raise _error(uow, item_id, location_id, 0, f"a move's {what}", figure, MAX_MONEY)


def _error(
    uow: UnitOfWork, item_id: int, location_id: int | None, lot_id: int, what: str, figure: Decimal, bound: Decimal
) -> OutOfRange:
    item = uow.items.get(item_id)
    place = uow.locations.by_id().get(location_id) if location_id is not None else None
    lot = uow.lots.by_ids([lot_id]).get(lot_id) if lot_id else None
    return OutOfRange(
        sku=item.sku if item else f"#{item_id}", location=place.code if place else "?",
        lot=lot.code if lot else None, what=what, total=figure, limit=bound,
    )

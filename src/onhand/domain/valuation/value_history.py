"""Valuation of one item's moves: what each move was worth, and what is left in which layer.

The quantity ledger says *how many*; this module says *how much money*. Given one
item's moves in effective-time order (`CostMove`), the engine gives each move its
value (`MoveValue`) and leaves the pools of cost layers (`cost_layers.py`) behind:

- inbound moves open a layer: a receipt at its landed unit cost in company currency,
  a build output at the value its build consumed (plus labour and overhead), a
  positive adjustment at a given cost or the current one, a customer return at the
  cost it left with;
- outbound moves to a virtual location (shipment, scrap, negative adjustment, build
  consumption, return to supplier) take layers out and record their value;
- transfers between internal locations carry layers (or a share of the average) to
  the destination: value moves with the stock, no total changes.

`value_history` runs a whole history (and can leave checkpoints for a store);
`revaluation.py: revalue` re-values only what a backdated move affects.

This module imports only the standard library and the domain.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from onhand.domain.errors import InvalidInput
from onhand.domain.valuation.cost_layers import ZERO, CostingMethod, Layer, Pool, PoolSnapshot, Rest, exact
from onhand.domain.valuation.method_changes import MethodChange, convert
from onhand.domain.valuation.move_roles import MoveRole


class ValueBasis(StrEnum):
    """Where a move's value came from: shown to users, and kept for audit."""

    UNIT_COST = "unit_cost"  # a receipt's (or adjustment's) given unit cost
    GIVEN_VALUE = "given_value"  # a build output's consumed value
    LAYERS = "layers"  # taken out of cost layers
    CURRENT_COST = "current_cost"  # an adjustment at the pool's current cost
    RETURNED = "returned"  # a return at the cost it left with
    NO_COST = "no_cost"  # nothing known: valued at zero, flag for review


@dataclass(frozen=True, slots=True)
class CostMove:
    """One move of one item, as valuation sees it.

    `source` / `destination` are internal location ids, or None for the virtual side.
    Inbound moves carry what they are worth: `unit_cost` (receipts: landed, in company
    currency; adjustments: optional) or `value` (build outputs: the total, exact).
    A customer return names the outbound moves it reverses in `returns_moves` (its order's
    shipments of the item before it): it comes in at their value per unit, as they are now.
    A return to supplier names there the receipts it reverses (its order's receipts of the
    item and lot): their own layers leave first (specific identification), unless the
    method blends them (moving average), then the method's order for the rest.
    """

    id: int
    at: datetime
    role: MoveRole
    quantity: Decimal
    source: int | None = None
    destination: int | None = None
    lot: int | None = None
    unit_cost: Decimal | None = None
    value: Decimal | None = None
    returns_moves: tuple[int, ...] = ()

    @property
    def position(self) -> tuple[datetime, int]:
        """Effective order: time, then id (ids grow with posting order)."""
        return (self.at, self.id)


@dataclass(frozen=True, slots=True)
class MoveValue:
    """What a move was worth. `value` ≥ 0 except for negative unit costs (none allowed).

    For inbound moves and transfers, `variance` is the part of `value` that settled
    stock taken earlier beyond what was there, at a different cost: it went to COGS,
    not to inventory. Inventory changes by `value − variance` in, or `value` out.
    """

    move_id: int
    quantity: Decimal
    value: Decimal
    basis: ValueBasis
    variance: Decimal = ZERO
    # A transfer's layers as they left the source: kept so that the destination can be
    # re-valued later without replaying the source (see revaluation.py).
    carried: tuple[Layer, ...] = ()


PoolKey = tuple[int, int | None]  # (location id, lot id or None)


def pool_key(method: CostingMethod, location: int, lot: int | None) -> PoolKey:
    return (location, lot if method is CostingMethod.SPECIFIC_LOT else None)


@dataclass(frozen=True)
class ValuationSnapshot:
    """The pools of one item after the move at `position` (None: before any move)."""

    method: CostingMethod
    position: tuple[datetime, int] | None
    pools: Mapping[PoolKey, PoolSnapshot] = field(default_factory=dict)

    @property
    def quantity(self) -> Decimal:
        return sum((pool.quantity for pool in self.pools.values()), ZERO)

    @property
    def value(self) -> Decimal:
        return sum((pool.value for pool in self.pools.values()), ZERO)

    def merged(self, pools: Mapping[PoolKey, PoolSnapshot], position: tuple[datetime, int] | None) -> ValuationSnapshot:
        """This snapshot with some pools replaced (what a store does after `revalue`)."""
        return ValuationSnapshot(self.method, position, {**self.pools, **pools})


class ItemValuation:
    """The engine: applies one item's moves in order, valuing each one."""

    def __init__(
        self, method: CostingMethod, start: ValuationSnapshot | None = None, *,
        default_unit_cost: Decimal | None = None, rests: Mapping[PoolKey, Rest] | None = None,
    ) -> None:
        """`rests`: pools of `start` read in part, the totals of their unread layers (`Pool`)."""
        if start is not None and start.method is not method:
            raise InvalidInput("method", f"the checkpoint was made with {start.method.value}, not {method.value}")
        self.method = method
        self.default_unit_cost = default_unit_cost
        self.position = start.position if start else None
        rests = rests or {}
        self.pools: dict[PoolKey, Pool] = {
            key: Pool(method, snapshot=snap, rest=rests.get(key))
            for key, snap in (start.pools.items() if start else ())
        }

    def pool(self, location: int, lot: int | None) -> Pool:
        key = pool_key(self.method, location, lot)
        found = self.pools.get(key)
        if found is None:
            found = self.pools[key] = Pool(self.method)
            found.last_unit_cost = self.default_unit_cost
        return found

    def snapshot(self) -> ValuationSnapshot:
        pools = {key: pool.snapshot() for key, pool in sorted(self.pools.items(), key=_key_order)}
        return ValuationSnapshot(self.method, self.position, pools)

    def whole_snapshot(self, stored: Mapping[PoolKey, PoolSnapshot]) -> ValuationSnapshot:
        """`snapshot()` of an engine that holds only some pools, some read in part, from
        `stored`: every pool of the item as written since. A pool held is as the engine has
        it (one read in part whole again: `Pool.whole`), one not held as stored."""
        pools: dict[PoolKey, PoolSnapshot] = {}
        for key in sorted({*stored, *self.pools}, key=lambda key: _key_order((key, None))):
            held = self.pools.get(key)
            pools[key] = stored[key] if held is None else held.snapshot() if held.rest is None else \
                held.whole(stored[key])
        return ValuationSnapshot(self.method, self.position, pools)

    def convert(self, change: MethodChange) -> None:
        """Cross a change of costing method: the pools re-layered under it, value unchanged."""
        pools = convert(self.snapshot().pools, self.method, change)
        self.method = change.method
        self.pools = {key: Pool(change.method, snapshot=snap) for key, snap in pools.items()}

    def apply(self, move: CostMove, earlier: Mapping[int, MoveValue]) -> MoveValue:
        """Value `move` and change the pools; `earlier` gives the values of moves a return may name."""
        if move.quantity <= 0:
            raise InvalidInput(f"moves[{move.id}].quantity", "must be greater than zero")
        self.position = move.position
        role = move.role
        if role is MoveRole.TRANSFER:
            return self._transfer(move)
        if role.is_outbound:
            own = move.returns_moves if role is MoveRole.SUPPLIER_RETURN else ()
            taken = self.pool(_required(move.source, move, "source"), move.lot).take(move.quantity, own=own)
            return MoveValue(move.id, move.quantity, taken.value, ValueBasis.LAYERS)
        destination = self.pool(_required(move.destination, move, "destination"), move.lot)
        value, basis = self._inbound_value(move, destination, earlier)
        variance = destination.add(Layer(move.at, move.id, move.quantity, value))
        return MoveValue(move.id, move.quantity, value, basis, variance)

    def _inbound_value(
        self, move: CostMove, destination: Pool, earlier: Mapping[int, MoveValue]
    ) -> tuple[Decimal, ValueBasis]:
        if move.value is not None:
            return exact(move.value), ValueBasis.GIVEN_VALUE
        if move.unit_cost is not None:
            return exact(move.quantity * move.unit_cost), ValueBasis.UNIT_COST
        if move.role is MoveRole.RETURN and move.returns_moves:
            originals = [earlier[moved] for moved in move.returns_moves if moved in earlier]
            shipped = sum((original.quantity for original in originals), ZERO)
            if shipped > 0:
                left_with = sum((original.value for original in originals), ZERO)
                return exact(left_with * move.quantity / shipped), ValueBasis.RETURNED
        if move.role in (MoveRole.RECEIPT, MoveRole.BUILD_OUTPUT):
            raise InvalidInput(f"moves[{move.id}].unit_cost", f"a {move.role.value} needs a unit cost or a value")
        current = destination.current_unit_cost()
        if current is None:
            return ZERO, ValueBasis.NO_COST
        return exact(move.quantity * current), ValueBasis.CURRENT_COST

    def _transfer(self, move: CostMove) -> MoveValue:
        source = self.pool(_required(move.source, move, "source"), move.lot)
        destination = self.pool(_required(move.destination, move, "destination"), move.lot)
        taken = source.take(move.quantity)
        carried = taken.layers
        if taken.short_quantity > 0:
            carried += (Layer(move.at, move.id, taken.short_quantity, taken.short_value),)
        variance = sum((destination.add(piece) for piece in carried), ZERO)
        return MoveValue(move.id, move.quantity, taken.value, ValueBasis.LAYERS, variance, carried)

    def send(self, move: CostMove) -> None:
        """The source side of a transfer only (its destination is replayed from what it carried)."""
        self.position = move.position
        self.pool(_required(move.source, move, "source"), move.lot).take(move.quantity)

    def receive(self, move: CostMove, carried: MoveValue) -> MoveValue:
        """The destination side of a transfer only, from the layers it carried before."""
        self.position = move.position
        destination = self.pool(_required(move.destination, move, "destination"), move.lot)
        variance = sum((destination.add(piece) for piece in carried.carried), ZERO)
        return MoveValue(move.id, move.quantity, carried.value, ValueBasis.LAYERS, variance, carried.carried)


def _key_order(entry: tuple[PoolKey, object]) -> tuple[int, int]:
    (location, lot), _ = entry
    return (location, -1 if lot is None else lot)


def _required(location: int | None, move: CostMove, side: str) -> int:
    if location is None:
        raise InvalidInput(f"moves[{move.id}].{side}", f"a {move.role.value} needs an internal {side}")
    return location


@dataclass(frozen=True)
class ValuationRun:
    values: dict[int, MoveValue]
    final: ValuationSnapshot
    checkpoints: tuple[ValuationSnapshot, ...] = ()


def ordered(moves: Iterable[CostMove]) -> list[CostMove]:
    return sorted(moves, key=lambda move: move.position)


def value_history(
    method: CostingMethod,
    moves: Iterable[CostMove],
    *,
    start: ValuationSnapshot | None = None,
    earlier: Mapping[int, MoveValue] | None = None,
    default_unit_cost: Decimal | None = None,
    checkpoint_every: int = 0,
    changes: Iterable[MethodChange] = (),
) -> ValuationRun:
    """Value `moves` (any order; they are sorted) from `start` (or from nothing).

    With `checkpoint_every = n`, a snapshot is kept after every n-th move: what a store
    saves so that a backdated move re-values from the nearest checkpoint, not from the
    beginning of time. `changes` of costing method (after `start`, `method` being the
    one in force there) are crossed where they fall; those after the last move too.
    """
    engine = ItemValuation(method, start, default_unit_cost=default_unit_cost)
    values: dict[int, MoveValue] = {}
    lookup = _Chain(values, earlier or {})
    checkpoints: list[ValuationSnapshot] = []
    waiting = sorted(changes, key=lambda change: change.position)
    for count, move in enumerate(ordered(moves), 1):
        while waiting and waiting[0].position < move.position:
            engine.convert(waiting.pop(0))
        values[move.id] = engine.apply(move, lookup)
        if checkpoint_every and count % checkpoint_every == 0:
            checkpoints.append(engine.snapshot())
    for change in waiting:
        engine.convert(change)
    return ValuationRun(values, engine.snapshot(), tuple(checkpoints))


class _Chain(Mapping[int, MoveValue]):
    """Values computed now first, then the ones stored before."""

    def __init__(self, first: Mapping[int, MoveValue], second: Mapping[int, MoveValue]) -> None:
        self.first, self.second = first, second

    def __getitem__(self, key: int) -> MoveValue:
        found = self.first.get(key)
        return found if found is not None else self.second[key]

    def __iter__(self) -> Iterator[int]:
        yield from self.first
        yield from (key for key in self.second if key not in self.first)

    def __len__(self) -> int:
        return len(set(self.first) | set(self.second))


def build_output_value(consumed: Iterable[Decimal], quantity: Decimal, *, labour_per_unit: Decimal = ZERO,
                       overhead_per_unit: Decimal = ZERO) -> Decimal:
    """The value a build's output comes in at: what it consumed, plus labour and overhead per unit."""
    if quantity <= 0:
        raise InvalidInput("quantity", "must be greater than zero")
    if labour_per_unit < 0 or overhead_per_unit < 0:
        raise InvalidInput("labour_per_unit", "labour and overhead must not be negative")
    return exact(sum(consumed, ZERO) + quantity * (labour_per_unit + overhead_per_unit))


def receipt_value(unit_cost: Decimal, quantity: Decimal, landed_share: Decimal, exchange_rate: Decimal) -> Decimal:
    """A receipt line's value in company currency: (price × qty + its landed-cost share) × rate.

    `unit_cost` and `landed_share` are in the receipt's currency (the share comes from
    `landed_costs.allocate`); `exchange_rate` is company currency per unit of it. The
    result goes into `CostMove.value`, so no unit cost is ever rounded.
    """
    if quantity <= 0:
        raise InvalidInput("quantity", "must be greater than zero")
    if exchange_rate <= 0:
        raise InvalidInput("exchange_rate", "must be greater than zero")
    return exact((unit_cost * quantity + landed_share) * exchange_rate)

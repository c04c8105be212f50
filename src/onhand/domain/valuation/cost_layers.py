"""Cost layers: the value of stock that sits in one place, and how moves take it out.

A **pool** holds the value of one item at one internal location (FIFO, LIFO, moving
average) or of one lot at one location (specific identification). Pools are
independent of each other except through transfers, which carry layers (FIFO, LIFO,
specific lot) or a share of the average (moving average) from one pool to another.
Layers are kept in the order their units came in (time, origin move) whatever the
method; only the end a take starts from differs: the oldest (FIFO, specific lot) or
the newest (LIFO).

Precision: a layer keeps its *total* value, not a unit cost, to 10⁻⁶
(`VALUE_STEP`). Taking part of a layer takes `value × taken / quantity`, rounded
half-even to 10⁻⁶; the rounding residue stays in the layer and leaves with its last
unit, so value in − value out == value left, exactly, always. Money is rounded to
the cent only when a journal or report is made.

Stock taken beyond what a pool holds (a location that may go negative) is valued at
the pool's last unit cost and recorded as a deficit; the next inbound settles the
deficit first at the deficit's own cost, and the difference on those units is a
**variance** (it goes to COGS, not to inventory).

Every stored figure stays within the bounds of domain/quantities.py and money.py
(`out_of_range`). This module imports only the standard library and those two.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Context, Decimal
from enum import StrEnum

from onhand.domain.money import MAX_MONEY
from onhand.domain.quantities import MAX_TOTAL_QUANTITY

VALUE_STEP = Decimal("0.000001")
ZERO = Decimal(0)
_WIDE = Context(prec=60)


class CostingMethod(StrEnum):
    FIFO = "fifo"  # per (item, location): the oldest layers leave first
    LIFO = "lifo"  # per (item, location): the newest layers leave first (US GAAP only; IFRS forbids it)
    MOVING_AVERAGE = "moving_average"  # per (item, location): one blended layer
    SPECIFIC_LOT = "specific_lot"  # per (item, location, lot): a lot keeps its own cost


def exact(value: Decimal) -> Decimal:
    """A value at the internal precision (10⁻⁶, half-even). Wide enough for any product of
    bounded figures (a value beyond the bounds is then refused: `out_of_range`), so that
    quantizing never fails for want of digits."""
    return value.quantize(VALUE_STEP, rounding=ROUND_HALF_EVEN, context=_WIDE)


def share(value: Decimal, part: Decimal, whole: Decimal) -> Decimal:
    """`part / whole` of `value`; all of it when part == whole, so nothing is left behind."""
    if part == whole:
        return value
    return exact(value * part / whole)


@dataclass(frozen=True, slots=True)
class Layer:
    """Units that came in together: when (for FIFO / LIFO order and aging), from which move, how many, worth what."""

    opened_at: datetime
    origin: int  # id of the move that brought the units in
    quantity: Decimal
    value: Decimal

    @property
    def unit_cost(self) -> Decimal:
        return self.value / self.quantity if self.quantity else ZERO


@dataclass(frozen=True, slots=True)
class PoolSnapshot:
    """A pool frozen at one moment: what a store keeps as a checkpoint."""

    layers: tuple[Layer, ...]
    deficit_quantity: Decimal = ZERO  # units taken that were not there (≥ 0)
    deficit_value: Decimal = ZERO  # the value they were taken at
    last_unit_cost: Decimal | None = None

    @property
    def quantity(self) -> Decimal:
        return sum((layer.quantity for layer in self.layers), ZERO) - self.deficit_quantity

    @property
    def value(self) -> Decimal:
        return sum((layer.value for layer in self.layers), ZERO) - self.deficit_value


def out_of_range(pool: PoolSnapshot | Pool) -> tuple[str, Decimal, Decimal] | None:
    """The first figure of `pool` beyond what is stored exactly, as (what, figure, bound):
    its quantity or any layer's beyond ±MAX_TOTAL_QUANTITY, its value or any layer's
    beyond ±MAX_MONEY (the units owed and their value included). None: all within.
    Of a pool read in part, the layers not read are not looked at: they were checked
    when they were stored."""
    layers = pool.layers if isinstance(pool, PoolSnapshot) else pool.live()
    figures = [("quantity", pool.quantity, MAX_TOTAL_QUANTITY), ("value", pool.value, MAX_MONEY),
               ("quantity", pool.deficit_quantity, MAX_TOTAL_QUANTITY), ("value", pool.deficit_value, MAX_MONEY)]
    figures += [(what, figure, bound) for layer in layers
                for what, figure, bound in (("quantity", layer.quantity, MAX_TOTAL_QUANTITY),
                                            ("value", layer.value, MAX_MONEY))]
    return next(((what, figure, bound) for what, figure, bound in figures if abs(figure) > bound), None)


class NeedsWholePool(Exception):
    """A pool read in part was asked for what only its unread layers hold (a take beyond
    the layers read, a layer that belongs among the unread ones): read it whole, value again."""


@dataclass(frozen=True, slots=True)
class Rest:
    """The layers of a pool left unread after its oldest ones (a long FIFO pool): their
    totals, and the order key (opened_at, origin) of the newest of them."""

    quantity: Decimal
    value: Decimal
    last: tuple[datetime, int]


@dataclass(frozen=True, slots=True)
class Taken:
    """What a take removed: its value, the layers (pieces) it took, and any shortfall."""

    value: Decimal
    layers: tuple[Layer, ...]
    short_quantity: Decimal = ZERO
    short_value: Decimal = ZERO


class Pool:
    """A mutable pool used while valuing moves; `snapshot()` freezes it.

    FIFO, LIFO and specific-lot pools keep their layers oldest first (LIFO takes from
    the other end); a moving-average pool keeps at most one layer, into which every
    inbound is blended.

    A FIFO or specific-lot pool may be read in part: `snapshot` holds its oldest layers,
    `rest` the totals of the others. Takes then come from the layers read, new layers go
    after the rest (`after`); anything else raises `NeedsWholePool`. The result is the
    same as with every layer read, which `live()` and the totals give without the rest.
    A LIFO pool takes from the newest end, which a part read from the oldest does not
    hold: it is read whole (a take from one read in part raises `NeedsWholePool`).
    """

    # `_quantity` and `_value` are the totals of the live layers, kept as layers come and go:
    # summing the layers at every inbound valued at the current cost made a long run of
    # inbounds into one pool (an opening stock import) quadratic.
    __slots__ = ("_head", "_quantity", "_value", "after", "blend", "deficit_quantity", "deficit_value",
                 "last_unit_cost", "layers", "newest_first", "rest")

    def __init__(self, method: CostingMethod, *, snapshot: PoolSnapshot | None = None, rest: Rest | None = None,
                 ) -> None:
        self.blend = method is CostingMethod.MOVING_AVERAGE
        self.newest_first = method is CostingMethod.LIFO
        self._head = 0
        self.rest = rest
        self.after: list[Layer] = []
        if snapshot is None:
            self.layers: list[Layer] = []
            self.deficit_quantity = ZERO
            self.deficit_value = ZERO
            self.last_unit_cost: Decimal | None = None
        else:
            self.layers = list(snapshot.layers)
            self.deficit_quantity = snapshot.deficit_quantity
            self.deficit_value = snapshot.deficit_value
            self.last_unit_cost = snapshot.last_unit_cost
        self._quantity = sum((layer.quantity for layer in self.layers), ZERO)
        self._value = sum((layer.value for layer in self.layers), ZERO)

    def snapshot(self) -> PoolSnapshot:
        if self.rest is not None:
            raise NeedsWholePool("a snapshot needs every layer")
        return PoolSnapshot(
            tuple(self.layers[self._head:]), self.deficit_quantity, self.deficit_value, self.last_unit_cost
        )

    def whole(self, stored: PoolSnapshot) -> PoolSnapshot:
        """`snapshot()` of a pool read in part, from `stored`, the pool as written since (its
        layers read and left, the unread ones, the ones added): the unread ones are taken from
        it, the others are the ones held, as a pool read whole would hold them."""
        if self.rest is None:
            return self.snapshot()
        left = self.layers[self._head:]
        written = sum(1 for layer in left if layer.quantity > 0)  # as a pool is stored
        added = sum(1 for layer in self.after if layer.quantity > 0)
        unread = stored.layers[written:len(stored.layers) - added]
        if sum((layer.quantity for layer in unread), ZERO) != self.rest.quantity:
            raise AssertionError("the stored pool is not the one read in part, as written")
        return PoolSnapshot((*left, *unread, *self.after), self.deficit_quantity, self.deficit_value,
                            self.last_unit_cost)

    def read_left(self) -> tuple[Layer, ...]:
        """Of a pool read in part, the layers read that are left (the first perhaps split)."""
        return tuple(self.layers[self._head:])

    def live(self) -> tuple[Layer, ...]:
        """The layers held in memory, oldest first: all of them, or of a pool read in part
        the ones read that are left, then the ones added after the rest."""
        return (*self.layers[self._head:], *self.after)

    @property
    def quantity(self) -> Decimal:
        rest = self.rest.quantity if self.rest is not None else ZERO
        return rest + self._quantity - self.deficit_quantity

    @property
    def value(self) -> Decimal:
        rest = self.rest.value if self.rest is not None else ZERO
        return rest + self._value - self.deficit_value

    def current_unit_cost(self) -> Decimal | None:
        """What one more unit here is worth now: the average of what is on hand, else the last cost."""
        quantity = self.quantity
        if quantity > 0:
            return self.value / quantity
        return self.last_unit_cost

    def add(self, layer: Layer) -> Decimal:
        """Put a layer in; returns the variance (the part of its value that did not enter the pool)."""
        variance = ZERO
        if self.deficit_quantity > 0:
            settled = min(layer.quantity, self.deficit_quantity)
            restored = share(self.deficit_value, settled, self.deficit_quantity)
            paid = share(layer.value, settled, layer.quantity)
            variance = paid - restored
            self.deficit_quantity -= settled
            self.deficit_value -= restored
            layer = Layer(layer.opened_at, layer.origin, layer.quantity - settled, layer.value - paid)
        if layer.quantity > 0:
            self.last_unit_cost = layer.unit_cost
            self._insert(layer)
            self._quantity += layer.quantity
            self._value += layer.value
        return variance

    def _insert(self, layer: Layer) -> None:
        if self.rest is not None:
            self._insert_after_rest(layer)
            return
        if self._head:  # the layers taken whole leave the list (in place: a copy per layer was quadratic)
            del self.layers[:self._head]
            self._head = 0
        live = self.layers
        if self.blend and live:
            (current,) = live
            total = current.quantity + layer.quantity
            # The blended layer is dated by the quantity-weighted time of its units (its average age).
            opened = current.opened_at + (layer.opened_at - current.opened_at) * float(layer.quantity / total)
            self.layers = [Layer(opened, current.origin, total, current.value + layer.value)]
            return
        position = len(live)
        key = (layer.opened_at, layer.origin)
        while position > 0 and (live[position - 1].opened_at, live[position - 1].origin) > key:
            position -= 1
        live.insert(position, layer)

    def _insert_after_rest(self, layer: Layer) -> None:
        """Where `_insert` would put it, which must be after the unread layers."""
        assert self.rest is not None
        if self.blend:  # blended into the one layer, which may be unread
            raise NeedsWholePool("a blended layer")
        after = self.after
        position = len(after)
        key = (layer.opened_at, layer.origin)
        while position > 0 and (after[position - 1].opened_at, after[position - 1].origin) > key:
            position -= 1
        if position == 0 and self.rest.last > key:
            raise NeedsWholePool("a layer older than the newest unread one")
        after.insert(position, layer)

    def take(self, quantity: Decimal, *, own: Collection[int] = ()) -> Taken:
        """Take `quantity` out, oldest layers first (newest first under LIFO); beyond what
        is here, at the last unit cost. `own`: moves whose layers leave before any other
        (a return to supplier sends back its receipts' own units), unless the pool blends."""
        pieces = self._take_own(quantity, own) if own and not self.blend else []
        wanted = quantity - sum((piece.quantity for piece in pieces), ZERO)
        if wanted > 0:
            pieces += self._take_newest(wanted) if self.newest_first else self._take_oldest(wanted)
        value = sum((piece.value for piece in pieces), ZERO)
        wanted = quantity - sum((piece.quantity for piece in pieces), ZERO)
        self._quantity -= quantity - wanted  # the pieces are what left the live layers
        self._value -= value
        short_value = ZERO
        if wanted > 0:
            short_value = exact(wanted * (self.last_unit_cost or ZERO))
            self.deficit_quantity += wanted
            self.deficit_value += short_value
            value += short_value
        if quantity > 0:
            self.last_unit_cost = value / quantity
        return Taken(value, tuple(pieces), wanted, short_value)

    def _take_oldest(self, quantity: Decimal) -> list[Layer]:
        pieces: list[Layer] = []
        wanted = quantity
        layers = self.layers
        while wanted > 0 and self._head < len(layers):
            layer = layers[self._head]
            if layer.quantity <= wanted:
                pieces.append(layer)
                wanted -= layer.quantity
                self._head += 1
            else:
                part = share(layer.value, wanted, layer.quantity)
                pieces.append(Layer(layer.opened_at, layer.origin, wanted, part))
                layers[self._head] = Layer(layer.opened_at, layer.origin, layer.quantity - wanted, layer.value - part)
                wanted = ZERO
        if wanted > 0 and self.rest is not None:
            raise NeedsWholePool("a take beyond the layers read")
        if self._head > 64 and self._head * 2 > len(layers):
            del layers[: self._head]
            self._head = 0
        return pieces

    def _take_own(self, quantity: Decimal, own: Collection[int]) -> list[Layer]:
        """The layers that came in with the moves `own`, in the method's order, up to `quantity`."""
        if self.rest is not None:  # they may be among the unread layers
            raise NeedsWholePool("a take of given layers needs every layer")
        live: list[Layer | None] = list(self.layers[self._head:])
        order = range(len(live) - 1, -1, -1) if self.newest_first else range(len(live))
        pieces: list[Layer] = []
        wanted = quantity
        for index in order:
            layer = live[index]
            if wanted <= 0:
                break
            if layer is None or layer.origin not in own:
                continue
            if layer.quantity <= wanted:
                pieces.append(layer)
                live[index] = None
                wanted -= layer.quantity
            else:
                part = share(layer.value, wanted, layer.quantity)
                pieces.append(Layer(layer.opened_at, layer.origin, wanted, part))
                live[index] = Layer(layer.opened_at, layer.origin, layer.quantity - wanted, layer.value - part)
                wanted = ZERO
        if pieces:
            self.layers = [layer for layer in live if layer is not None]
            self._head = 0
        return pieces

    def _take_newest(self, quantity: Decimal) -> list[Layer]:
        if self.rest is not None:  # the newest layers are among the unread ones
            raise NeedsWholePool("a LIFO take needs every layer")
        pieces: list[Layer] = []
        wanted = quantity
        layers = self.layers
        while wanted > 0 and self._head < len(layers):
            layer = layers[-1]
            if layer.quantity <= wanted:
                pieces.append(layers.pop())
                wanted -= layer.quantity
            else:
                part = share(layer.value, wanted, layer.quantity)
                pieces.append(Layer(layer.opened_at, layer.origin, wanted, part))
                layers[-1] = Layer(layer.opened_at, layer.origin, layer.quantity - wanted, layer.value - part)
                wanted = ZERO
        return pieces

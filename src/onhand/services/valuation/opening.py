"""Opening valuation: cost layers for stock that was on hand before valuation existed.

Stock posted before valuation (revision 0007) sits in the balances with no cost layers.
`unvalued_stock` lists, per pool (item at an internal location; and lot under specific
identification), on hand that its layers do not cover; `value_opening_stock` gives those
pools an opening layer at a given unit cost (company currency), recorded in
`opening_valuations` / `opening_values`. A pool that already holds layers is refused:
its stock was valued since, and found stock is valued by an adjustment at a unit cost —
unless it holds opening stock that came in at no cost (an opening import or an
adjustment with reason `opening`, without unit costs: the usual go-live of a new
company): then those moves are given the unit cost (`given_value`, as landed costs give
receipts theirs) and the item is re-valued, so what left since costs its share too; the
`opening_values` row (`via_moves`) records it, and the moves carry it to the journal.

Units taken out of a pool before it was valued left at no cost and are owed to it (its
deficit); an opening valuation of the whole pool brings them in too, and their cost is
the row's `variance` (booked to COGS, like every settled deficit).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.audit import AuditObject
from onhand.domain.catalog.items import Item
from onhand.domain.catalog.locations import INTERNAL_KINDS, Location
from onhand.domain.catalog.lots import LOT_CODE_PATTERN, Lot
from onhand.domain.errors import Conflict, InvalidInput, NotFound
from onhand.domain.quantities import optional_decimal
from onhand.domain.valuation.commands import OpeningCost, ValueOpeningStock
from onhand.domain.valuation.cost_layers import ZERO, CostingMethod, Layer, Pool, PoolSnapshot, exact
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write
from onhand.services.csv_files import CsvLayout, read_rows
from onhand.services.ledger.postings import parse_unit_cost
from onhand.services.limits import check_line_count
from onhand.services.valuation.backdating import carry_to_builds, methods_for, revalue_item, stored_cost_move
from onhand.services.valuation.value_bounds import check_moves, check_pools

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

# (item id, location id, lot id or 0): a pool of value, or a balance row.
Key = tuple[int, int, int]
# Opening layers come from no move.
NO_MOVE = 0
OPENING_COSTS = CsvLayout(
    "an opening costs file", ("sku", "unit_cost", "location", "lot"), required=("sku", "unit_cost")
)


@dataclass(frozen=True)
class UnvaluedStock:
    """A pool whose on hand its cost layers do not cover (`valued` is layers − units owed)."""

    sku: str
    location: str
    lot: str | None  # the pool's lot under specific identification, else None (all lots)
    on_hand: Decimal
    valued: Decimal

    @property
    def unvalued(self) -> Decimal:
        return self.on_hand - self.valued


@dataclass(frozen=True)
class OpeningValueView:
    sku: str
    location: str
    lot: str | None  # the lot the line named, if it did
    quantity: Decimal
    unit_cost: Decimal
    value: Decimal
    variance: Decimal  # of `value`, what settled units taken before the pool was valued


@dataclass(frozen=True)
class OpeningValuationView:
    id: int
    reference: str | None
    note: str | None
    valued_at: datetime
    currency: str
    lines: tuple[OpeningValueView, ...]

    @property
    def total_value(self) -> Decimal:
        return sum((line.value for line in self.lines), ZERO)


def opening_costs_from_csv(text: str) -> list[OpeningCost]:
    """Rows of a CSV file with columns sku, unit_cost and optionally location, lot (row 1 is `lines[0]`);
    a unit cost that is no number is refused here, naming `lines[<row>].unit_cost`."""
    return [
        OpeningCost(row["sku"], optional_decimal(row["unit_cost"], f"lines[{index}].unit_cost"),
                    location=row.get("location") or None, lot=row.get("lot") or None)
        for index, (_line, row) in enumerate(read_rows(text, OPENING_COSTS))
    ]


def unvalued_stock(ctx: ServiceContext) -> list[UnvaluedStock]:
    """Every pool whose on hand differs from what its cost layers hold, by SKU and location."""
    with ctx.reading() as uow:
        return find_unvalued(uow)


def find_unvalued(uow: UnitOfWork) -> list[UnvaluedStock]:
    """`unvalued_stock` inside a unit of work: compared in the database, only the gaps come back."""
    rows = uow.opening_values.gaps(internal_kinds=[kind.value for kind in INTERNAL_KINDS],
                                   by_lot_method=CostingMethod.SPECIFIC_LOT.value)
    if not rows:
        return []
    places = {loc.id: loc.code for loc in uow.locations.all()}
    items = uow.items.by_ids(sorted({int(r.item_id) for r in rows}))
    lot_ids = sorted({int(r.lot_key) for r in rows if r.lot_key})
    lots = uow.lots.by_ids(lot_ids) if lot_ids else {}
    found = [
        UnvaluedStock(items[int(r.item_id)].sku, places[int(r.location_id)],
                      lots[int(r.lot_key)].code if r.lot_key else None, r.held, r.valued)
        for r in rows
    ]
    return sorted(found, key=lambda u: (u.sku, u.location, u.lot or ""))


def value_opening_stock(
    ctx: ServiceContext, command: ValueOpeningStock, *, idempotency_key: str | None = None
) -> OpeningValuationView:
    """Give on-hand stock without cost layers an opening layer at each line's unit cost, all or none."""
    lines, reference, note = command.lines, command.reference, command.note
    check_line_count(ctx.limits, lines, "lines")
    if not lines:
        raise InvalidInput("lines", "an opening valuation needs at least one line")
    clean_reference = resolve.text(reference, "reference")
    clean_note = resolve.text(note, "note", max_length=2000)

    def work(uow: UnitOfWork) -> int:
        now = ctx.now()
        known = _items(uow, lines)
        asked = [_resolve(uow, line, f"lines[{index}]", known) for index, line in enumerate(lines)]
        item_ids = sorted({ask.item.id for ask in asked})
        uow.valuation.lock_items(item_ids)  # before reading the pools it will rewrite
        methods = methods_for(uow, item_ids)
        stored = uow.valuation.pools(item_ids)
        places = {loc.id: loc for loc in uow.locations.all()}
        on_hand = uow.opening_values.on_hand(item_ids)
        # Per item, so that each line looks only at its own item's balances and pools.
        balances_of: dict[int, dict[Key, Decimal]] = defaultdict(dict)
        for key, quantity in on_hand.items():
            balances_of[key[0]][key] = quantity
        pools_of: dict[int, dict[Key, PoolSnapshot]] = defaultdict(dict)
        for key, snap in stored.items():
            pools_of[key[0]][key] = snap
        uncosted: dict[Key, list[Any]] = defaultdict(list)
        for row in uow.opening_values.uncosted_opening(item_ids):
            item_id = int(row.item_id)
            uncosted[_pool(methods[item_id], item_id, int(row.location_id), int(row.lot_id or 0))].append(row)
        opened: dict[Key, Pool] = {}
        claimed: dict[Key, str] = {}
        rows: list[dict[str, Any]] = []
        given: dict[int, dict[int, Decimal]] = defaultdict(dict)  # item → opening move → its value
        for ask in asked:
            method = methods[ask.item.id]
            targets = _targets(ask, method, balances_of[ask.item.id], pools_of[ask.item.id], places)
            if not targets:
                raise InvalidInput(ask.field, f"nothing of {ask.describe()} is on hand to value")
            for pool_key, balances in sorted(targets.items()):
                before = stored.get(pool_key)
                where = f"{ask.item.sku} at {places[pool_key[1]].code}"
                for key in balances:
                    if key in claimed:
                        raise InvalidInput(ask.field, f"{where} is valued twice (also by {claimed[key]})")
                    claimed[key] = ask.field
                if before is not None and before.layers:
                    moved = _opening_moves(ask, uncosted.get(pool_key, []), where)
                    for row in moved:
                        given[ask.item.id][int(row.id)] = exact(row.quantity * ask.unit_cost)
                    quantity = sum((row.quantity for row in moved), ZERO)
                    rows.append({"item_id": ask.item.id, "location_id": pool_key[1], "lot_key": pool_key[2],
                                 "lot_id": ask.lot.id if ask.lot else None, "quantity": quantity,
                                 "unit_cost": ask.unit_cost, "value": exact(quantity * ask.unit_cost),
                                 "variance": ZERO, "via_moves": True})
                    continue
                owed = before.deficit_quantity if before is not None else ZERO
                if ask.lot is not None and method is not CostingMethod.SPECIFIC_LOT and owed > 0:
                    raise InvalidInput(f"{ask.field}.lot", f"{owed} of {where} left before it was valued and "
                                                           "belong to no lot; value its stock without a lot")
                quantity = sum((on_hand[key] for key in balances if on_hand[key] > 0), ZERO) + owed
                if quantity <= 0:
                    continue
                pool = opened.get(pool_key) or Pool(method, snapshot=before)
                opened[pool_key] = pool
                value = exact(quantity * ask.unit_cost)
                variance = pool.add(Layer(now, NO_MOVE, quantity, value))
                rows.append({"item_id": ask.item.id, "location_id": pool_key[1], "lot_key": pool_key[2],
                             "lot_id": ask.lot.id if ask.lot else None, "quantity": quantity,
                             "unit_cost": ask.unit_cost, "value": value, "variance": variance, "via_moves": False})
        if not rows:
            raise InvalidInput("lines", "nothing on hand without cost layers matches these lines")
        pools = {key: pool.snapshot() for key, pool in opened.items()}
        check_moves(uow, ((row["item_id"], row["location_id"], row["value"], row["variance"], None) for row in rows))
        check_pools(uow, pools)
        uow.valuation.save_pools(pools)
        _revalue(uow, given, methods)
        header = {"reference": clean_reference, "note": clean_note, "valued_at": now}
        return uow.opening_values.add(header, rows)

    return run_write(ctx, work, load_opening_valuation, action="value_opening_stock",
                     subject=lambda valued: AuditObject("opening_valuation", str(valued.id)),
                     idempotency_key=idempotency_key, request=command)


def _opening_moves(ask: _Ask, uncosted: list[Any], where: str) -> list[Any]:
    """The no-cost opening stock moves a line values in a pool that holds layers; refused
    when there are none (its layers were valued: found stock is valued by an adjustment)."""
    moved = [row for row in uncosted if ask.lot is None or row.lot_id == ask.lot.id]
    if not moved:
        raise Conflict(f"{ask.field}: {where} already has cost layers; value stock found since "
                       "with an adjustment at a unit cost instead")
    return moved


def _revalue(uow: UnitOfWork, given: dict[int, dict[int, Decimal]], methods: dict[int, CostingMethod]) -> None:
    """Opening stock moves valued anew at their given values; what drew on them follows."""
    if not given:
        return
    history = {int(r.id): r for r in uow.valuation_history.moves_by_ids(
        [move_id for values in given.values() for move_id in values])}
    done = [
        revalue_item(uow, item_id, methods[item_id], {
            move_id: replace(stored_cost_move(history[move_id]), value=value)
            for move_id, value in sorted(values.items())})
        for item_id, values in sorted(given.items())
    ]
    carry_to_builds(uow, done)


@dataclass(frozen=True)
class _Ask:
    field: str
    item: Item
    unit_cost: Decimal
    place: Location | None
    lot: Lot | None

    def describe(self) -> str:
        lot = f" lot {self.lot.code}" if self.lot else ""
        place = f" at {self.place.code}" if self.place else ""
        return f"{self.item.sku}{lot}{place}"


def _items(uow: UnitOfWork, lines: Sequence[OpeningCost]) -> dict[str, Item]:
    """The lines' items by SKU, read in chunks (a go-live file may list every item)."""
    skus = sorted({line.sku.strip() for line in lines if isinstance(line.sku, str)})
    found: dict[str, Item] = {}
    for start in range(0, len(skus), 500):
        found.update(uow.items.by_skus(skus[start:start + 500]))
    return found


def _resolve(uow: UnitOfWork, line: OpeningCost, field: str, known: dict[str, Item]) -> _Ask:
    item = known.get(line.sku.strip()) or resolve.item(uow, line.sku, f"{field}.sku")
    cost = parse_unit_cost(line.unit_cost, f"{field}.unit_cost")
    if cost is None:
        raise InvalidInput(f"{field}.unit_cost", "required: what one unit is worth, in company currency")
    place = resolve.internal_location(uow, line.location, f"{field}.location") if line.location else None
    lot = None
    if line.lot is not None and line.lot.strip():
        code = line.lot.strip()
        if not item.tracks_lots:
            raise InvalidInput(f"{field}.lot", f"item {item.sku!r} is not lot-tracked; give no lot")
        lot = uow.lots.get(item.id, code) if LOT_CODE_PATTERN.match(code) else None
        if lot is None:
            raise NotFound("lot", f"{item.sku}/{code}", f"{field}.lot")
    return _Ask(field, item, cost, place, lot)


def _targets(
    ask: _Ask, method: CostingMethod, on_hand: dict[Key, Decimal], stored: dict[Key, PoolSnapshot],
    places: dict[int, Location],
) -> dict[Key, list[Key]]:
    """The pools a line values, each with the balance rows of it the line covers (of the line's item)."""
    def inside(location_id: int) -> bool:
        place = places[location_id]
        return place.is_internal and (ask.place is None or place.id == ask.place.id)

    targets: dict[Key, list[Key]] = defaultdict(list)
    for key, quantity in on_hand.items():
        item_id, location_id, lot_key = key
        wanted = ask.lot is None or lot_key == ask.lot.id
        if quantity > 0 and wanted and inside(location_id):
            targets[_pool(method, item_id, location_id, lot_key)].append(key)
    # Pools whose every unit left before they were valued: nothing on hand, units owed.
    for key, snap in stored.items():
        _item, location_id, lot_key = key
        whole = ask.lot is None or (method is CostingMethod.SPECIFIC_LOT and lot_key == ask.lot.id)
        if snap.deficit_quantity > 0 and not snap.layers and inside(location_id) and whole:
            targets.setdefault(key, [])
    return dict(targets)


def _pool(method: CostingMethod, item_id: int, location_id: int, lot_key: int) -> Key:
    return (item_id, location_id, lot_key if method is CostingMethod.SPECIFIC_LOT else 0)


def load_opening_valuation(uow: UnitOfWork, valuation_id: int) -> OpeningValuationView:
    header = uow.opening_values.get(valuation_id)
    if header is None:
        raise NotFound("opening valuation", str(valuation_id), "valuation_id")
    lines = tuple(
        OpeningValueView(r.sku, r.location_code, r.lot_code, r.quantity, r.unit_cost, r.value, r.variance)
        for r in uow.opening_values.values(valuation_id)
    )
    return OpeningValuationView(int(header.id), header.reference, header.note, header.valued_at,
                                uow.company.get().currency, lines)

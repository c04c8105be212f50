"""Bundles (virtual kits): their components, what they explode into, and their availability.

A bundle has no stock of its own. Its availability, per location and in total, is
`domain.bundles.kit_quantity` over its flattened components' availability, which is
computed at read time from the balances by the one rule (`domain.availability`), so a
reservation of a shared component lowers every bundle that holds it at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.assemblies.bundles import (
    Component,
    find_cycle,
    flatten,
    kit_quantity,
    kits_over_sites,
    validate_components,
)
from onhand.domain.assemblies.commands import ComponentLine, SetBundleComponents
from onhand.domain.audit import AuditObject
from onhand.domain.catalog.items import Item, ItemKind
from onhand.domain.catalog.locations import Location, effective_sellable, site_of
from onhand.domain.catalog.lots import LotStatus, lot_usable
from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.availability import available
from onhand.domain.quantities import MAX_DECIMALS, parse_decimal, plain, positive_quantity
from onhand.services import resolve
from onhand.services.assemblies.views import BillOfMaterials, ComponentStock, KitAvailability, LocationQuantity
from onhand.services.context import ServiceContext, run_write, today
from onhand.services.limits import check_line_count
from onhand.services.views import StockLevel, StockReport

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)


def resolve_components(
    uow: UnitOfWork, parent: Item, lines: Sequence[ComponentLine], field: str = "components"
) -> list[Component]:
    """Look up and validate components (quantities in each component's unit)."""
    components = []
    for index, line in enumerate(lines):
        where = f"{field}[{index}]"
        item = resolve.item(uow, line.sku, f"{where}.sku")
        quantity = positive_quantity(line.quantity, item.unit, f"{where}.quantity")
        scrap = parse_decimal(line.scrap_percent, f"{where}.scrap_percent")
        components.append(Component(item.id, quantity, scrap))
    validate_components(parent.id, components, field)
    return components


def check_acyclic(
    uow: UnitOfWork, parent: Item, components: list[Component], graph: dict[int, list[Component]],
    lines: Sequence[ComponentLine], field: str = "components",
) -> None:
    """Refuse components that would make the parent contain itself, naming the path."""
    for index, component in enumerate(components):
        cycle = find_cycle(parent.id, [component.item_id], graph)
        if cycle:
            names = uow.items.by_ids(sorted(set(cycle)))
            path = " → ".join(names[item_id].sku for item_id in cycle)
            reason = f"{lines[index].sku} would contain {parent.sku} itself ({path})"
            raise InvalidInput(f"{field}[{index}].sku", reason)


def set_components(
    ctx: ServiceContext, command: SetBundleComponents, *, idempotency_key: str | None = None
) -> BillOfMaterials:
    """Give a bundle its components (replacing any it had). A component may be a bundle."""
    sku, components = command.sku, command.components
    check_line_count(ctx.limits, components, "components")
    def work(uow: UnitOfWork) -> int:
        bundle = resolve.item(uow, sku)
        if bundle.kind is not ItemKind.BUNDLE:
            raise InvalidInput("sku", f"{bundle.sku} is a {bundle.kind.value} item, not a bundle")
        parts = resolve_components(uow, bundle, components)
        for index, part in enumerate(parts):
            if part.scrap_percent:
                raise InvalidInput(f"components[{index}].scrap_percent", "a bundle is not built; it has no scrap")
        check_acyclic(uow, bundle, parts, uow.boms.kit_graph(), components)
        uow.boms.save(bundle.id, parts, labour_cost=ZERO, overhead_cost=ZERO, note=None, now=ctx.now())
        return bundle.id

    return run_write(
        ctx, work, _load, action="set_bundle_components", subject=lambda bundle: AuditObject("bundle", bundle.sku),
        idempotency_key=idempotency_key, request=command,
        before=lambda uow: uow.boms.view(resolve.item(uow, sku).id),
    )


def _load(uow: UnitOfWork, item_id: int) -> BillOfMaterials:
    found = uow.boms.view(item_id)
    assert found is not None  # written in this same transaction
    return found


def get_bundle(ctx: ServiceContext, sku: str) -> BillOfMaterials:
    with ctx.reading() as uow:
        bundle = _bundle(uow, sku)
        found = uow.boms.view(bundle.id)
    if found is None:
        return BillOfMaterials(sku=bundle.sku, name=bundle.name, kind="bundle", components=())
    return found


def _bundle(uow: UnitOfWork, sku: str, field: str = "sku") -> Item:
    item = resolve.item(uow, sku, field)
    if item.kind is not ItemKind.BUNDLE:
        raise InvalidInput(field, f"{item.sku} is a {item.kind.value} item, not a bundle")
    return item


def explode(uow: UnitOfWork, bundle_item_id: int, quantity: Decimal) -> list[tuple[int, Decimal]]:
    """The stocked items (and quantities) that `quantity` of a bundle is made of, nested
    bundles flattened, sorted by item id. For selling a bundle: reserve and ship these."""
    graph = uow.boms.kit_graph()
    if bundle_item_id not in graph:
        raise InvalidInput("sku", "the bundle has no components")
    return sorted(flatten(bundle_item_id, graph, quantity).items())


def bundle_availability(ctx: ServiceContext, sku: str, *, location: str | None = None) -> KitAvailability:
    """How many of a bundle can be sold now: per site, by `kit_quantity` over its
    flattened components' availability there, and in total, the sum of the sites'
    (`kits_over_sites`: a bundle ships whole from one site), over `location` and its bins
    if given."""
    with ctx.reading() as uow:
        bundle = _bundle(uow, sku)
        scope = resolve.internal_location(uow, location) if location else None
        graph = uow.boms.kit_graph()
        needs = flatten(bundle.id, graph) if bundle.id in graph else {}
        by_site, totals = available_by_site(uow, list(needs), scope=scope, day=today(ctx, uow))
        names = uow.stock_rows.skus(needs)
    decimals = bundle.unit.decimals
    places = [
        LocationQuantity(code, kit_quantity(needs, per_item, decimals)) for code, per_item in sorted(by_site.items())
    ]
    return KitAvailability(
        sku=bundle.sku,
        available=kits_over_sites(needs, by_site.values(), decimals),
        locations=tuple(places),
        components=tuple(
            ComponentStock(names[item_id], need, totals.get(item_id, ZERO))
            for item_id, need in sorted(needs.items(), key=lambda pair: names[pair[0]])
        ),
    )


def available_by_site(
    uow: UnitOfWork, item_ids: list[int], *, scope: Location | None, day: date
) -> tuple[dict[str, dict[int, Decimal]], dict[int, Decimal]]:
    """Available (domain.availability) of each item per sellable site code (bins rolled
    up; the scope's code when a scope is given) and in total, within `scope`."""
    by_id = {loc.id: loc for loc in uow.locations.all()}
    inside = [loc.id for loc in by_id.values() if loc.is_internal and (scope is None or loc.is_within(scope))]
    rows = uow.stock_rows.balances(item_ids=item_ids, location_ids=inside) if item_ids else []
    lots = uow.stock_rows.lots(r[2] for r in rows if r[2])
    # Per location and lot, asked once; quantities summed as scaled integers.
    places: dict[int, tuple[str, bool] | None] = {}
    usable_of: dict[int, bool] = {0: True}
    by_site: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[int, int] = defaultdict(int)
    for item_id, location_id, lot_key, on_hand, reserved in rows:
        if location_id not in places:
            place = by_id[location_id]
            inside = place.is_internal and (scope is None or place.is_within(scope))
            site = scope or site_of(place, by_id)
            places[location_id] = (site.code, effective_sellable(place, by_id)) if inside else None
        spot = places[location_id]
        if spot is None:
            continue
        usable = usable_of.get(lot_key)
        if usable is None:
            _code, status, expiry = lots[lot_key]
            usable = usable_of[lot_key] = lot_usable(LotStatus(status), expiry, day)
        amount = int(available(on_hand, reserved, sellable=spot[1], lot_usable=usable))
        if spot[1]:
            by_site[spot[0]][item_id] += amount
        totals[item_id] += amount
    return (
        {code: {item_id: _scaled(v) for item_id, v in per.items()} for code, per in by_site.items()},
        {item_id: _scaled(v) for item_id, v in totals.items()},
    )


def _scaled(value: int) -> Decimal:
    """A quantity from its stored integer of 10^-6."""
    return plain(Decimal(value).scaleb(-MAX_DECIMALS))


@dataclass(frozen=True)
class KitListing:
    """What a stock listing needs to show bundles: each bundle's flattened components."""

    needs: dict[int, dict[int, Decimal]]
    skus: dict[int, str]
    decimals: dict[int, int]

    @property
    def component_ids(self) -> list[int]:
        return sorted({item_id for need in self.needs.values() for item_id in need})

    def add_to(self, report: StockReport, *, only_bundles: bool, sites: StockReport | None = None) -> StockReport:
        """The report with a row per bundle (and location key): on hand and reserved zero,
        available the kit quantity from its components' available in the same rows — or,
        for a report of totals (location None), the sum of the kits of each site in
        `sites` (the same listing per site): components at two sites make no kit."""
        available_of: dict[tuple[str, str | None], Decimal] = defaultdict(Decimal)
        keys: dict[str, set[str | None]] = defaultdict(set)
        for level in report.levels:
            available_of[(level.sku, level.location)] += level.available
            keys[level.sku].add(level.location)
        per_site: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for level in sites.levels if sites else ():
            per_site[level.location or ""][level.sku] += level.available
        rows = [] if only_bundles else list(report.levels)
        for bundle_id, need in self.needs.items():
            where = set().union(*(keys[self.skus[item_id]] for item_id in need))
            decimals = self.decimals[bundle_id]
            for key in where:
                if key is None and sites is not None:
                    stocks = [{item_id: at[self.skus[item_id]] for item_id in need} for at in per_site.values()]
                    kits = kits_over_sites(need, stocks, decimals)
                else:
                    kits = kit_quantity(need, {item_id: available_of[(self.skus[item_id], key)] for item_id in need},
                                        decimals)
                rows.append(
                    StockLevel(sku=self.skus[bundle_id], location=key, lot=None, on_hand=ZERO, reserved=ZERO,
                               available=kits)
                )
        rows.sort(key=lambda lv: (lv.sku, lv.location or "", lv.expiry_date or date.max, lv.lot or ""))
        return StockReport(levels=tuple(rows), warnings=report.warnings)


def kit_listing(uow: UnitOfWork, *, only: Item | None = None) -> KitListing | None:
    """Bundles for a stock listing (just `only` when it is a bundle); None when there are none."""
    if only is not None and only.kind is not ItemKind.BUNDLE:
        return None
    graph = uow.boms.kit_graph()
    ids = [only.id] if only else [item_id for item_id, _sku in uow.boms.bundles()]
    needs = {item_id: flatten(item_id, graph) for item_id in ids if item_id in graph}
    if not needs and only is None:
        return None
    named = uow.items.by_ids(sorted({*needs, *(c for n in needs.values() for c in n)}))
    return KitListing(
        needs=needs,
        skus={item_id: item.sku for item_id, item in named.items()},
        decimals={item_id: named[item_id].unit.decimals for item_id in needs},
    )


def listed_item_ids(item: Item | None, kits: KitListing | None) -> list[int] | None:
    """The items whose balances a listing reads: all (None), the one asked for, or, for a
    bundle, its flattened components."""
    if item is None:
        return None
    if item.kind is ItemKind.BUNDLE:
        return kits.component_ids if kits else []
    return [item.id]

"""Bundles (virtual kits) and bills of materials: components, cycles, and the one formula.

A bundle has no stock of its own: it is sold as its components, and a component may
itself be a bundle. A bill of materials says what one unit of a built item consumes.
Both are lists of `Component`s; a graph maps a parent item to its components.

The one formula, for a bundle's availability and an assembly's "can build" alike:

    kit quantity = min over components of floor(available(component) / quantity per unit)

floored to the decimals of the parent's unit (a bundle sold by the piece is whole).
This module is pure: it imports only the standard library and the domain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext

from onhand.domain.errors import InvalidInput
from onhand.domain.quantities import plain

ZERO = Decimal(0)
HUNDRED = Decimal(100)
MAX_SCRAP_PERCENT = Decimal(1000)
# Deeper nesting than this is surely a mistake (and keeps flattening cheap).
MAX_DEPTH = 20


@dataclass(frozen=True)
class Component:
    """`quantity` of item `item_id` per one unit of the parent (plus `scrap_percent` extra)."""

    item_id: int
    quantity: Decimal
    scrap_percent: Decimal = ZERO

    @property
    def per_unit(self) -> Decimal:
        """What one unit of the parent consumes, scrap included."""
        return self.quantity * (1 + self.scrap_percent / HUNDRED)


Graph = Mapping[int, Sequence[Component]]


def validate_components(parent_id: int, components: Sequence[Component], field: str = "components") -> None:
    """A parent needs at least one component, each once, never itself, in positive quantity."""
    if not components:
        raise InvalidInput(field, "give at least one component")
    seen: set[int] = set()
    for index, component in enumerate(components):
        where = f"{field}[{index}]"
        if component.item_id == parent_id:
            raise InvalidInput(f"{where}.sku", "an item cannot be a component of itself")
        if component.item_id in seen:
            raise InvalidInput(f"{where}.sku", "this component is listed twice; give it once")
        seen.add(component.item_id)
        if component.quantity <= 0:
            raise InvalidInput(f"{where}.quantity", f"must be greater than zero, got {component.quantity}")
        if not ZERO <= component.scrap_percent <= MAX_SCRAP_PERCENT:
            raise InvalidInput(f"{where}.scrap_percent", f"must be from 0 to {MAX_SCRAP_PERCENT}")


def find_cycle(parent_id: int, component_ids: Sequence[int], graph: Graph) -> list[int] | None:
    """The path parent → … → parent that giving `parent_id` these components would close, if any.

    `graph` holds the other parents' components as stored now (the parent's own entry is
    replaced by `component_ids`).
    """

    def walk(node: int, path: list[int], seen: set[int]) -> list[int] | None:
        if node == parent_id:
            return [*path, node]
        if node in seen:
            return None
        seen.add(node)
        for child in graph.get(node, ()):
            found = walk(child.item_id, [*path, node], seen)
            if found:
                return found
        return None

    seen: set[int] = set()
    for component_id in component_ids:
        found = walk(component_id, [parent_id], seen)
        if found:
            return found
    return None


def flatten(parent_id: int, graph: Graph, quantity: Decimal = Decimal(1)) -> dict[int, Decimal]:
    """The leaf components (items with no entry in `graph`) of `quantity` parents, summed.

    A component reached twice (directly and inside a nested bundle) adds up.
    """
    totals: dict[int, Decimal] = {}

    def walk(node: int, amount: Decimal, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise InvalidInput("components", f"bundles are nested more than {MAX_DEPTH} deep (or loop)")
        for child in graph[node]:
            need = amount * child.per_unit
            if child.item_id in graph:
                walk(child.item_id, need, depth + 1)
            else:
                totals[child.item_id] = totals.get(child.item_id, ZERO) + need

    walk(parent_id, quantity, 0)
    return totals


def kit_quantity(needs: Mapping[int, Decimal], available: Mapping[int, Decimal], decimals: int) -> Decimal:
    """min(floor(available / need)) over the components, floored to `decimals` places.

    Components absent from `available` have none; a parent without components makes none.
    """
    if not needs:
        return ZERO
    step = Decimal(1).scaleb(-decimals)
    with localcontext() as exact:
        exact.prec = 60
        exact.rounding = ROUND_FLOOR
        least = min(max(available.get(item_id, ZERO), ZERO) / need for item_id, need in needs.items())
        return plain(least.quantize(step, rounding=ROUND_FLOOR))


def kits_over_sites(
    needs: Mapping[int, Decimal], per_site: Iterable[Mapping[int, Decimal]], decimals: int
) -> Decimal:
    """The bundles sellable over several sites: the sum of each site's kit quantity.

    A bundle ships whole from one place, so components at different sites never make a
    kit together (2 of X at A and 2 of Y at B make no X+Y kit, not 2). Every total of a
    bundle — its availability, a stock listing, a channel's number — is this sum.
    """
    return plain(sum((kit_quantity(needs, site, decimals) for site in per_site), ZERO))


def consumption(quantity: Decimal, component: Component, decimals: int) -> Decimal:
    """What making `quantity` parents consumes of `component`, scrap included, rounded up to
    the component's unit (half a screw cannot be consumed; the residue is consumed, not lost)."""
    step = Decimal(1).scaleb(-decimals)
    with localcontext() as exact:
        exact.prec = 60
        return plain((quantity * component.per_unit).quantize(step, rounding=ROUND_CEILING))


def yield_of(quantity: Decimal, component: Component) -> Decimal:
    """What taking `quantity` parents apart gives back of `component` (scrap is not recovered)."""
    return plain(quantity * component.quantity)

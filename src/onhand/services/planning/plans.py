"""One item at one site, planned: its demand, lead time, safety stock, reorder point,
position and what its rule asks for, from a snapshot (no database here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

from onhand.domain.planning.commands import DEFAULT_WINDOW_DAYS
from onhand.domain.planning.demand import Demand
from onhand.domain.planning.projection import Document, DocumentKind, Projection, first_day_below, project
from onhand.domain.planning.records import SupplierOffer
from onhand.domain.planning.rules import ReorderRule, reorder_point, shortfall
from onhand.domain.planning.safety_stock import safety_stock
from onhand.services.planning.snapshot import Key, Snapshot

ZERO = Decimal(0)
# Days a suggestion's explanation looks ahead beyond the lead time.
LOOK_AHEAD_DAYS = 30
_COMMITTED = (DocumentKind.RESERVATION, DocumentKind.BACKORDER, DocumentKind.TRANSFER_OUT)


@dataclass(frozen=True)
class Plan:
    key: Key
    rule: ReorderRule | None
    decimals: int
    window: int  # days of history demand is read from
    snap: Snapshot = field(repr=False, compare=False)
    offer: SupplierOffer | None  # the supplier to buy from, with its price of the item
    supplier_id: int | None
    lead_time_days: int
    safety: Decimal
    point: Decimal  # reorder point (0 without a rule)
    on_hand: Decimal
    position: Decimal  # on hand and every open document
    available_now: Decimal  # on hand less what is promised or due to leave
    need: Decimal  # what the rule asks for (0: fine, or no rule)
    documents: tuple[Document, ...]

    @cached_property
    def demand(self) -> Demand:
        """Asked for only where it counts (a reorder point from demand, an explanation, a
        projection): suggestions plan 100,000 item-sites, most of them fine."""
        return self.snap.demand_of(self.key, self.window)

    @property
    def min_order_quantity(self) -> Decimal | None:
        given = self.rule.min_order_quantity if self.rule else None
        return given if given is not None else (self.offer.min_order_quantity if self.offer else None)

    @property
    def order_multiple(self) -> Decimal | None:
        given = self.rule.order_multiple if self.rule else None
        return given if given is not None else (self.offer.pack_size if self.offer else None)

    def projection(self, snap: Snapshot, days: int | None = None) -> Projection:
        horizon = days or self.lead_time_days + LOOK_AHEAD_DAYS
        return project(self.on_hand, self.documents, start=snap.today, days=horizon,
                       minimum=self.point if self.rule else None, daily_demand=self.demand.average)

    def first_below(self, snap: Snapshot) -> tuple[date, Decimal] | None:
        """The first day (and stock) below the reorder point within the explanation's horizon."""
        return first_day_below(self.on_hand, self.documents, start=snap.today,
                               days=self.lead_time_days + LOOK_AHEAD_DAYS, level=self.point,
                               daily_demand=self.demand.average)

    @property
    def arrival(self) -> timedelta:
        return timedelta(days=self.lead_time_days)


def _offer(snap: Snapshot, item_id: int, rule: ReorderRule | None) -> SupplierOffer | None:
    offers = snap.offers.get(item_id, [])
    if rule is not None and rule.supplier_id is not None:
        return next((o for o in offers if o.supplier_id == rule.supplier_id), None)
    return offers[0] if offers else None  # the cheapest (the repository sorts by unit cost)


def plan(snap: Snapshot, key: Key, supplier_lead_times: dict[int, int]) -> Plan:
    item_id, _site = key
    rule = snap.rules.get(key)
    item = snap.items[item_id]
    window = rule.demand_window_days if rule else DEFAULT_WINDOW_DAYS
    offer = _offer(snap, item_id, rule)
    supplier_id = rule.supplier_id if rule and rule.supplier_id is not None else (offer.supplier_id if offer else None)
    if rule is not None and rule.lead_time_days is not None:
        lead = rule.lead_time_days
    elif offer is not None:
        lead = offer.lead_time_days
    else:
        lead = supplier_lead_times.get(supplier_id, 0) if supplier_id is not None else 0
    decimals = item.unit.decimals
    if rule is None:
        safety = ZERO
    elif rule.safety_stock is not None:
        safety = rule.safety_stock
    elif rule.service_level is not None:
        safety = safety_stock(rule.service_level, snap.demand_of(key, window).deviation, lead, decimals)
    else:
        safety = ZERO
    if rule is None:
        point = ZERO
    elif rule.minimum is not None:
        point = rule.minimum
    else:
        point = reorder_point(None, daily_demand=snap.demand_of(key, window).average, lead_time_days=lead,
                              safety=safety, decimals=decimals)
    documents = tuple(snap.documents.get(key, ()))
    on_hand = snap.on_hand.get(key, ZERO)
    if documents:
        position = on_hand + sum((d.quantity for d in documents), ZERO)
        committed = sum((d.quantity for d in documents if d.kind in _COMMITTED), ZERO)
        available_now = max(ZERO, on_hand + committed)
    else:
        position = on_hand
        available_now = max(ZERO, on_hand)
    need = ZERO if rule is None else shortfall(position, point, maximum=rule.maximum,
                                               reorder_quantity=rule.reorder_quantity)
    return Plan(key=key, rule=rule, decimals=decimals, window=window, snap=snap, offer=offer,
                supplier_id=supplier_id, lead_time_days=lead, safety=safety, point=point, on_hand=on_hand,
                position=position, available_now=available_now, need=need, documents=documents)

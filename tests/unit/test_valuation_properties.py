"""Properties of valuation over random histories: value is conserved, incremental == full, journals balance."""

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from onhand.adapters.accounting.csv_export import journal_csv
from onhand.domain.accounting.accounts import AccountMap, AccountRole
from onhand.domain.accounting.journal import SaleEntry, ValuedEntry, daily_journal
from onhand.domain.calendar import business_day, time_zone
from onhand.domain.valuation.cost_layers import ZERO, CostingMethod
from onhand.domain.valuation.move_roles import MoveRole
from onhand.domain.valuation.revaluation import apply_changes, revalue
from onhand.domain.valuation.value_history import CostMove, value_history
from tests.hypothesis_profiles import examples

D = Decimal
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
LOCATIONS = (1, 2, 3)
ZONE = time_zone("America/New_York")
ACCOUNTS = AccountMap({role: f"{100 + index}" for index, role in enumerate(AccountRole)},
                      by_category={"food": {AccountRole.COGS: "510"}})

costs = st.decimals(min_value=D("0.01"), max_value=D("99.99"), places=2)
quantities = st.integers(min_value=1, max_value=40)
steps = st.lists(
    st.tuples(
        st.sampled_from(["receipt", "receipt", "ship", "transfer", "adjust_in", "adjust_out", "return"]),
        st.sampled_from(LOCATIONS),
        st.sampled_from(LOCATIONS),
        st.sampled_from([None, 1, 2]),
        quantities,
        costs,
        st.integers(min_value=1, max_value=20),  # hours since the previous move
    ),
    min_size=1,
    max_size=40,
)


def history(raw: list, lots: bool) -> list[CostMove]:
    """Turn drawn steps into a history that never takes more than is there."""
    on_hand: dict[tuple[int, int | None], int] = defaultdict(int)
    shipped: dict[int, tuple[int, int | None]] = {}  # shipment id → (quantity not yet returned, lot)
    moves: list[CostMove] = []
    when = T0
    for kind, here, there, lot, qty, cost, hours in raw:
        lot = lot if lots else None
        when += timedelta(hours=hours)
        move_id = len(moves) + 1
        key = (here, lot)
        if kind == "receipt":
            moves.append(CostMove(move_id, when, MoveRole.RECEIPT, D(qty), destination=here, lot=lot, unit_cost=cost))
            on_hand[key] += qty
        elif kind == "adjust_in":
            moves.append(CostMove(move_id, when, MoveRole.ADJUSTMENT_IN, D(qty), destination=here, lot=lot))
            on_hand[key] += qty
        elif kind in ("ship", "adjust_out") and on_hand[key] > 0:
            qty = min(qty, on_hand[key])
            role = MoveRole.SHIPMENT if kind == "ship" else MoveRole.ADJUSTMENT_OUT
            moves.append(CostMove(move_id, when, role, D(qty), source=here, lot=lot))
            on_hand[key] -= qty
            if role is MoveRole.SHIPMENT:
                shipped[move_id] = (qty, lot)
        elif kind == "transfer" and here != there and on_hand[key] > 0:
            qty = min(qty, on_hand[key])
            moves.append(CostMove(move_id, when, MoveRole.TRANSFER, D(qty), source=here, destination=there, lot=lot))
            on_hand[key] -= qty
            on_hand[(there, lot)] += qty
        elif kind == "return" and shipped:
            original = sorted(shipped)[qty % len(shipped)]
            left, lot = shipped[original]
            back = min(qty, left)
            moves.append(CostMove(move_id, when, MoveRole.RETURN, D(back), destination=here, lot=lot,
                                  returns_moves=(original,)))
            on_hand[(here, lot)] += back
            if back == left:
                del shipped[original]
            else:
                shipped[original] = (left - back, lot)
    return moves


methods = st.sampled_from(list(CostingMethod))


@settings(max_examples=examples(80), deadline=None)
@given(method=methods, raw=steps, lots=st.booleans())
def test_what_is_left_in_the_layers_is_exactly_what_came_in_less_what_went_out(method, raw, lots):
    moves = history(raw, lots)
    run = value_history(method, moves)
    balance = ZERO
    quantity = ZERO
    for move in moves:
        value = run.values[move.id]
        if move.role.is_inbound:
            balance += value.value - value.variance
            quantity += move.quantity
        elif move.role.is_outbound:
            balance -= value.value
            quantity -= move.quantity
        else:
            balance -= value.variance
    assert run.final.value == balance
    assert run.final.quantity == quantity
    assert all(value.value >= 0 for value in run.values.values())


@settings(max_examples=examples(120), deadline=None)
@given(
    method=methods,
    raw=steps,
    lots=st.booleans(),
    where=st.sampled_from(LOCATIONS),
    lot=st.sampled_from([None, 1, 2]),
    qty=quantities,
    cost=costs,
    pick=st.integers(min_value=0, max_value=10**6),
    every=st.integers(min_value=1, max_value=8),
)
def test_revaluing_after_a_backdated_receipt_gives_what_a_full_rerun_gives(
    method, raw, lots, where, lot, qty, cost, pick, every
):
    moves = history(raw, lots)
    if not moves:
        moves = [CostMove(1, T0, MoveRole.RECEIPT, D(1), destination=1, unit_cost=D(1))]
    before = value_history(method, moves, checkpoint_every=every)
    anchor = moves[pick % len(moves)]
    late = CostMove(len(moves) + 1, anchor.at - timedelta(minutes=30), MoveRole.RECEIPT, D(qty), destination=where,
                    lot=lot if lots else None, unit_cost=cost)
    usable = [c for c in before.checkpoints if c.position is not None and c.position < late.position]
    checkpoint = usable[-1] if usable else None
    later = [m for m in moves if checkpoint is None or m.position > checkpoint.position]
    stale = [c for c in before.checkpoints if c.position is not None and c.position > late.position]
    result = revalue(method, checkpoint, [*later, late], before.values, snapshots_at=[c.position for c in stale])

    full = value_history(method, [*moves, late])
    assert apply_changes(before.values, result) == full.values
    assert before.final.merged(result.pools, result.position) == full.final
    assert result.valued + result.skipped >= len(later)
    # A stale checkpoint rebuilt as its clean pools plus the dirty pools there is the pools a
    # full re-run has at that position.
    for old in stale:
        rebuilt = old.merged(result.snapshots.get(old.position, {}), old.position)
        rerun = value_history(method, [m for m in [*moves, late] if m.position <= old.position]).final
        assert dict(rebuilt.pools) == dict(rerun.pools), old.position


def entries_of(moves: list[CostMove], method: CostingMethod, category: str | None) -> list[ValuedEntry]:
    values = value_history(method, moves).values
    entries = []
    for move in moves:
        day = business_day(move.at, ZONE)
        internal = move.source if move.role.is_outbound or move.role is MoveRole.TRANSFER else move.destination
        entries.append(ValuedEntry(
            move.id, move.role, values[move.id].value, day, day, location=f"WH-{internal}",
            destination=f"WH-{move.destination}" if move.role is MoveRole.TRANSFER else None,
            category=category, variance=values[move.id].variance,
        ))
    return entries


@settings(max_examples=examples(60), deadline=None)
@given(method=methods, raw=steps, tracked=st.booleans(), category=st.sampled_from([None, "food"]),
       currency=st.sampled_from(["USD", "JPY", "KWD"]), prices=st.lists(costs, min_size=1, max_size=5))
def test_every_daily_journal_balances_to_the_cent_and_is_the_same_when_made_again(
    method, raw, tracked, category, currency, prices
):
    moves = history(raw, lots=False)
    entries = entries_of(moves, method, category)
    sales = [SaleEntry(i, price / 3, e.effective_day, e.journal_day, location=e.location)
             for i, (price, e) in enumerate(zip(prices, entries, strict=False))]
    tracking = "Location" if tracked else None
    for day in sorted({e.journal_day for e in entries}):
        journal = daily_journal(day, entries, sales, accounts=ACCOUNTS, currency=currency, tracking_category=tracking)
        assert journal.debits == journal.credits
        assert sum(line.amount for line in journal.lines) == 0
        again = daily_journal(day, list(reversed(entries)), list(reversed(sales)), accounts=ACCOUNTS,
                              currency=currency, tracking_category=tracking)
        assert journal_csv([again]).encode() == journal_csv([journal]).encode()

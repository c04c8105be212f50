"""Checking what the services report against what the driver posted.

`verify` proves the ledger is consistent with itself; this proves it holds what the
benchmark asked for, so a fast but wrong service cannot produce a good figure.
"""

from __future__ import annotations

from benchmarks.balances import BalanceBook
from onhand import services
from onhand.bootstrap import Onhand


def book_differences(onhand: Onhand, book: BalanceBook, answers: list[tuple[str, str, int]]) -> list[str]:
    """Every balance and W4 answer that differs from the driver's book (empty when none)."""
    report = services.stock.stock_levels(onhand, group_by="balance")
    reported = {
        (level.sku, level.location or "", level.lot): int(level.on_hand)
        for level in report.levels
        if level.on_hand
    }
    expected = book.nonempty()
    differences = [
        f"{key}: services say {reported.get(key, 0)}, driver posted {expected.get(key, 0)}"
        for key in sorted(expected.keys() | reported.keys(), key=str)
        if reported.get(key, 0) != expected.get(key, 0)
    ]
    # W4 ran after W2, and nothing moved since: each answer must match the final book.
    totals = book.item_at()
    differences += [
        f"W4 {sku} at {location}: answered {on_hand}, driver posted {totals.get((sku, location), 0)}"
        for sku, location, on_hand in answers
        if on_hand != totals.get((sku, location), 0)
    ]
    return differences

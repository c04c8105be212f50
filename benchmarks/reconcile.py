"""Checking what the services report against what the driver posted.

`verify` proves the ledger is consistent with itself; this proves it holds what the
benchmark asked for, so a fast but wrong service cannot produce a good figure.
"""

from __future__ import annotations

from benchmarks.balances import BalanceBook
from onhand import services
from onhand.bootstrap import Onhand
from onhand.services.views import VerifyReport


def book_differences(onhand: Onhand, book: BalanceBook, answers: list[tuple[str, str, int]]) -> list[str]:
    """Every balance and W4 answer that differs from the driver's book (empty when none).

    Every pick shipped what it reserved, so nothing may be left reserved either.
    """
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
    differences += [
        f"{level.sku} at {level.location} lot {level.lot}: {level.reserved} still reserved"
        for level in report.levels
        if level.reserved
    ]
    # W4 ran after W3, and nothing moved since: each answer must match the final book.
    totals = book.item_at()
    differences += [
        f"W4 {sku} at {location}: answered {on_hand}, driver posted {totals.get((sku, location), 0)}"
        for sku, location, on_hand in answers
        if on_hand != totals.get((sku, location), 0)
    ]
    return differences


def verify_line(report: VerifyReport) -> str:
    """`verify: ok (...)` with the count of every kind of error `verify` looks for."""
    verdict = "ok" if report.ok else "FAILED"
    return (
        f"verify: {verdict} ({report.moves_checked} moves, {report.balances_checked} balances; "
        f"{len(report.projection_mismatches)} projection mismatches, "
        f"{len(report.conservation_errors)} conservation errors, "
        f"{len(report.negative_balances)} negative balances, "
        f"{len(report.reservation_mismatches)} reservation mismatches, "
        f"{len(report.oversold)} oversold balances)"
    )

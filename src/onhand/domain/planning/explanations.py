"""The sentence a buyer reads beside a suggestion: why, by how much, and what is coming."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from onhand.domain.planning.projection import Document
from onhand.domain.quantities import plain


def explain(
    low: tuple[date, Decimal] | None, position: Decimal, point: Decimal, incoming: Sequence[Document], *,
    limit: int = 3,
) -> str:
    """"below minimum 10 by 2 on 2026-12-09; 42 incoming on 2026-12-20 (PO-3)" and so on;
    `low` is the first day below the minimum and the stock then (None: not within the
    horizon, when only the position, counting later documents, is below)."""
    parts = []
    if low is not None:
        day, expected = low
        parts.append(f"below minimum {plain(point)} by {plain(point - expected)} on {day.isoformat()}")
    else:
        parts.append(f"position {plain(position)} below minimum {plain(point)}")
    for document in sorted(incoming, key=lambda d: (d.day, d.reference))[:limit]:
        parts.append(f"{plain(document.quantity)} incoming on {document.day.isoformat()} ({document.reference})")
    return "; ".join(parts)

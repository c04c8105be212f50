"""The sentence a buyer reads beside a suggestion: why, by how much, and what is coming."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from onhand.domain.planning.projection import Document, Projection
from onhand.domain.quantities import plain


def explain(projection: Projection, point: Decimal, incoming: Sequence[Document], *, limit: int = 3) -> str:
    """"below minimum 10 by 2 on 2026-12-09; 42 incoming on 2026-12-20 (PO-3)" and so on."""
    parts = []
    low = next((d for d in projection.days if d.expected < point), None)
    if low is not None:
        parts.append(f"below minimum {plain(point)} by {plain(point - low.expected)} on {low.day.isoformat()}")
    else:
        parts.append(f"position {plain(projection.position)} below minimum {plain(point)}")
    for document in sorted(incoming, key=lambda d: (d.day, d.reference))[:limit]:
        parts.append(f"{plain(document.quantity)} incoming on {document.day.isoformat()} ({document.reference})")
    return "; ".join(parts)

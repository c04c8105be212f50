"""How big one request may be: the limits every entrypoint's input obeys.

The numbers come from the settings (`ONHAND_MAX_POSTING_LINES`, see README) through
the composition root; services check them before they open a transaction, so that a
request too big to write quickly is refused before it holds the database's write lock.
"""

from __future__ import annotations

from collections.abc import Sized
from dataclasses import dataclass

from onhand.domain.errors import InvalidInput

DEFAULT_MAX_POSTING_LINES = 5000


@dataclass(frozen=True)
class Limits:
    # Lines of one posting, order or document; rows of one CSV import. A 20,000-line
    # posting held SQLite's write lock for seconds, blocking every other writer.
    max_posting_lines: int = DEFAULT_MAX_POSTING_LINES


def check_line_count(limits: Limits, lines: Sized | None, field: str = "lines") -> None:
    """Refuse more lines than one posting may have, naming `field`."""
    if lines is not None and len(lines) > limits.max_posting_lines:
        raise InvalidInput(
            field, f"{len(lines)} lines are more than the {limits.max_posting_lines} one request may have; "
            "split it into several",
        )

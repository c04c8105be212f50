"""Hypothesis profiles: `ci`, the default, and `stress`, ten times as many examples.

Each property says how many examples it runs in the `ci` profile with `examples(n)` (a
property over a database costs far more per example than one over plain values), and
the profile scales them all:

    python -m pytest                                     # ci: every property's own count
    python -m pytest -n auto --hypothesis-profile=stress tests/unit tests/integration

Run the stress profile before changing the ledger, allocation or valuation
(docs/testing.md); CI runs `ci`.
"""

from __future__ import annotations

from hypothesis import settings

# Hypothesis' own default count; a profile's max_examples against it is its scale.
CI_EXAMPLES = 100
STRESS_SCALE = 10

settings.register_profile("ci", max_examples=CI_EXAMPLES)
settings.register_profile("stress", max_examples=CI_EXAMPLES * STRESS_SCALE)
settings.load_profile("ci")


def examples(count: int) -> int:
    """`count` examples in the ci profile, scaled by the profile in use (read when the
    test module is imported, after pytest chose the profile)."""
    return max(1, count * settings.default.max_examples // CI_EXAMPLES)

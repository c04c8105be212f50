"""Landed costs (freight, duty, insurance, other) and how they are shared among receipt lines.

A landed cost is allocated to the lines of one receipt in proportion to their value
(quantity × unit cost), quantity or weight, by `domain/money.py: allocate` (each share
rounded to the currency's minor unit, the residue to the line with the largest basis, so
the shares always sum exactly to the amount).
"""

from __future__ import annotations

from enum import StrEnum

from onhand.domain.choices import parse_choice


class LandedCostKind(StrEnum):
    FREIGHT = "freight"
    DUTY = "duty"
    INSURANCE = "insurance"
    OTHER = "other"


class AllocationMethod(StrEnum):
    VALUE = "value"  # quantity × unit cost of each line
    QUANTITY = "quantity"
    WEIGHT = "weight"  # quantity × the item's weight


def parse_kind(value: str, field: str = "kind") -> LandedCostKind:
    return parse_choice(LandedCostKind, value, field)


def parse_method(value: str, field: str = "method") -> AllocationMethod:
    return parse_choice(AllocationMethod, value, field)

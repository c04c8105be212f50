"""Reading a user's choice among an enumeration's values: one rule, one error."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from onhand.domain.errors import InvalidInput

E = TypeVar("E", bound=Enum)


def parse_choice(kind: type[E], value: str, field: str) -> E:
    """`value` as one of `kind`'s values (surrounding spaces and case ignored); otherwise
    an error naming `field` and listing what may be given."""
    try:
        return kind(value.strip().lower())
    except ValueError:
        options = ", ".join(str(member.value) for member in kind)
        raise InvalidInput(field, f"{value!r} is not one of {options}") from None

"""Commands: what a write asks for, as one frozen record of typed values.

Every write service takes a command (`domain/<area>/commands.py`): a frozen dataclass
whose fields are the request — decimals, dates, enums, tuples of line records — parsed
from text once, at the edge (the API's models, the CLI, an import). Its canonical form
is the request's fingerprint for idempotency and what the audit log records of it.

`canonical` is the one conversion: fields by name, decimals and dates as their text,
enums as their value, tuples as lists. It gives the same JSON as the hand-built request
dicts it replaces (`json.dumps(..., default=str)`), so a key given before an upgrade
still matches the same request after it. A field added to a command later is marked
`ADDED_LATER` (field metadata) and left out of the form while it is empty, for the same
reason.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Mapping
from enum import Enum
from typing import Any

ADDED_LATER = {"added_later": True}  # dataclasses.field(metadata=ADDED_LATER): see the docstring


def canonical(value: object) -> Any:
    """`value` (a command, or the fields of one) as plain JSON values; anything else (a
    decimal, a date or moment) as its text, which is what `json.dumps(default=str)` makes."""
    kind = type(value)
    if kind in _PLAIN or value is None:  # the most of any command's values: asked first
        return value
    if hasattr(kind, "__dataclass_fields__") and not isinstance(value, type):
        return {name: canonical(getattr(value, name)) for name, added_later in _fields(kind)
                if not (added_later and not getattr(value, name))}
    if isinstance(value, Mapping):
        return {str(key): canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    if isinstance(value, Enum):
        return canonical(value.value)
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)  # what json.dumps(default=str) made of it, as the request dicts did


_PLAIN = frozenset({str, int, float, bool})


@functools.cache
def _fields(kind: type) -> tuple[tuple[str, bool], ...]:
    """A command class's fields, each with whether it was added later (`dataclasses.fields`
    builds its answer anew at every call: a tenth of a small write's service time)."""
    return tuple((field.name, bool(field.metadata.get("added_later"))) for field in dataclasses.fields(kind))


def as_tuple(values: object) -> tuple[Any, ...]:
    """A command's lines as a tuple (callers may hand in a list): frozen, hashable."""
    return tuple(values) if isinstance(values, list | tuple) else values  # type: ignore[return-value]


def fingerprint(action: str, command: object | None) -> str:
    """The idempotency fingerprint of `action` asked with `command` (or its canonical form):
    the same request gives the same fingerprint, any changed field a different one."""
    text = json.dumps({"action": action, "request": canonical(command)}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()

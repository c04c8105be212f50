"""The audit log's entries: who did what to which object, with a compact before and after.

An entry's object is a (type, key) pair a page can link to (`item`/`MUG-12OZ`,
`sales_order`/`SO-000001`, `posting`/`42`). Creates and actions record the command's
fields as `after`; updates record only the fields that changed, before and after.
Secrets never enter an entry: fields named like one are dropped at any depth.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from onhand.domain.actors import Actor, ActorKind

# Dropped wherever they appear: an audit log is read by more people than keys are.
SECRET_FIELDS = frozenset({
    "secret", "secret_hash", "previous_secret_hash", "password", "token", "access_token",
    "refresh_token", "client_secret",
})
# Longer text (a CSV file being imported) is recorded by its hash and length only.
MAX_TEXT = 500


@dataclass(frozen=True)
class AuditObject:
    type: str
    key: str


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: Actor
    action: str
    object: AuditObject
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to read; every field given must match."""

    actor_kind: ActorKind | None = None
    actor_id: str | None = None
    object_type: str | None = None
    object_key: str | None = None
    action: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    before_id: int | None = None  # the next page: entries older than this one


# The kinds a command's canonical form is made of, taken by their exact type before the
# general checks (dataclass? mapping? enum?), which cost most of it: every write records one.
_AS_IS = frozenset({type(None), bool, int, float})
_CONTAINERS = frozenset({dict, list, tuple})


def plain(value: object) -> Any:
    """`value` as JSON values: decimals and times as text, records as objects, no secrets."""
    kind = type(value)
    if kind is str:
        return value if len(value) <= MAX_TEXT else _digest(value)  # type: ignore[arg-type]
    if kind in _AS_IS:
        return value
    if kind not in _CONTAINERS and dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if kind is dict or isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items() if str(k) not in SECRET_FIELDS}  # type: ignore[attr-defined]
    if kind is list or kind is tuple or isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]  # type: ignore[attr-defined]
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, Decimal | date | datetime | time):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    text = str(value)
    return text if len(text) <= MAX_TEXT else _digest(text)


def _digest(text: str) -> dict[str, Any]:
    return {"sha256": hashlib.sha256(text.encode()).hexdigest(), "characters": len(text)}


def command_fields(request: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """What a create or an action recorded: its command's fields that were given."""
    if request is None:
        return None
    fields = {k: v for k, v in plain(request).items() if v is not None}
    return fields or None


def changed_fields(before: object, after: object) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields of a record that an update changed: (their values before, after)."""
    old, new = as_fields(before), as_fields(after)
    names = [name for name in {**old, **new} if old.get(name) != new.get(name)]
    return {n: old.get(n) for n in names}, {n: new.get(n) for n in names}


def as_fields(record: object) -> dict[str, Any]:
    value = plain(record)
    return value if isinstance(value, dict) else {"value": value}

"""What an audit entry holds: the fields an update changed, a command's fields, never a secret."""

from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import IntEnum, StrEnum
from hashlib import sha256

from onhand.domain.audit import MAX_TEXT, changed_fields, command_fields, plain


@dataclass(frozen=True)
class Thing:
    code: str
    name: str
    price: Decimal
    tags: tuple[str, ...]


def test_an_update_records_only_the_fields_it_changed_before_and_after():
    before = Thing("A", "Old", Decimal("1.50"), ("x",))
    after = Thing("A", "New", Decimal("1.50"), ("x", "y"))
    assert changed_fields(before, after) == ({"name": "Old", "tags": ["x"]}, {"name": "New", "tags": ["x", "y"]})


def test_an_update_that_changed_nothing_records_no_fields():
    same = Thing("A", "Same", Decimal(1), ())
    assert changed_fields(same, same) == ({}, {})


def test_a_command_records_the_fields_given_as_json_values():
    fields = command_fields({"sku": "TEA", "quantity": Decimal("2.5"), "lot": None, "on": date(2026, 3, 2),
                             "at": datetime(2026, 3, 2, 9, tzinfo=UTC)})
    assert fields == {"sku": "TEA", "quantity": "2.5", "on": "2026-03-02", "at": "2026-03-02T09:00:00+00:00"}


def test_secrets_never_enter_an_entry_at_any_depth():
    recorded = plain({"name": "k", "secret": "onh_x", "nested": [{"secret_hash": "ab", "token": "t", "ok": 1}]})
    assert recorded == {"name": "k", "nested": [{"ok": 1}]}


def test_long_text_is_recorded_by_its_hash_and_length():
    csv_text = "sku,name\n" + "A,B\n" * MAX_TEXT
    recorded = command_fields({"text": csv_text, "policy": "good-rows"})
    assert recorded is not None and recorded["policy"] == "good-rows"
    assert recorded["text"]["characters"] == len(csv_text) and len(recorded["text"]["sha256"]) == 64


class Colour(StrEnum):
    RED = "red"


class Size(IntEnum):
    LARGE = 3


def test_kinds_that_look_like_plain_ones_are_recorded_by_what_they_are():
    # Enums that are also str or int are recorded by their value; a mapping or a set that is
    # no dict or list is walked as one; a long text inside a list by its hash.
    long = "y" * (MAX_TEXT + 1)
    recorded = plain({"colour": Colour.RED, "size": Size.LARGE, "flag": True, "ratio": 0.5,
                      "ordered": OrderedDict(a=1, secret="s"), "set": frozenset({2}), "items": ("a", long),
                      1: "key made text"})
    assert recorded == {"colour": "red", "size": 3, "flag": True, "ratio": 0.5, "ordered": {"a": 1},
                        "set": [2], "items": ["a", {"sha256": sha256(long.encode()).hexdigest(),
                                                    "characters": MAX_TEXT + 1}],
                        "1": "key made text"}
    assert type(recorded["colour"]) is str and type(recorded["size"]) is int

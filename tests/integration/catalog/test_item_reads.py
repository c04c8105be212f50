"""Items are read once per transaction, and from the database again once it changed one."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import event

from onhand.bootstrap import Onhand
from tests.integration.helpers import add_item


def test_an_item_is_read_once_per_transaction_until_the_transaction_changes_an_item(onhand: Onhand) -> None:
    add_item(onhand, "W")
    add_item(onhand, "X")
    reads: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM items" in statement:
            reads.append(statement)

    event.listen(onhand.engine, "before_cursor_execute", count)
    try:
        with onhand.writing() as uow:
            w = uow.items.get_by_sku("W")
            assert w is not None
            assert uow.items.get(w.id) == w and uow.items.get_by_sku("W") == w
            x = uow.items.get_by_sku("X")  # read: 2
            assert x is not None
            assert uow.items.by_ids([w.id, x.id]) == {w.id: w, x.id: x}  # both kept
            assert len(reads) == 2
            uow.items.update(replace(w, name="Changed"))
            assert uow.items.get(w.id).name == "Changed"  # read again: 3
            savepoint = uow.connection.begin_nested()
            uow.items.update(replace(w, name="Undone"))
            savepoint.rollback()
            assert uow.items.get(w.id).name == "Changed"  # never the rolled-back value
            assert len(reads) == 4
        with onhand.reading() as uow:  # another transaction reads for itself
            assert uow.items.get_by_sku("W").name == "Changed"
        assert len(reads) == 5
    finally:
        event.remove(onhand.engine, "before_cursor_execute", count)

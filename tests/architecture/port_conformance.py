"""Checked by mypy (test_ports.py), never imported by pytest: the adapters satisfy the ports.

A function returning its `SqlUnitOfWork` argument as a `UnitOfWork` type-checks only if
every repository of the port exists on the adapter with a compatible signature. The
second function proves the check bites: a port asking one method more than the adapter
has must fail, and `--warn-unused-ignores` fails the run if that error ever goes away.
"""

from __future__ import annotations

from typing import Protocol

from onhand.adapters.db.uow import SqlUnitOfWork
from onhand.domain.catalog.items import Item
from onhand.services.ports import UnitOfWork
from onhand.services.ports.catalog import ItemRepository


def the_sql_unit_of_work_is_a_unit_of_work(uow: SqlUnitOfWork) -> UnitOfWork:
    return uow


class _ItemsByColour(ItemRepository, Protocol):
    def by_colour(self, colour: str) -> list[Item]: ...


class _DriftedUnitOfWork(UnitOfWork, Protocol):
    @property
    def items(self) -> _ItemsByColour: ...


def a_port_method_the_adapter_lacks_is_an_error(uow: SqlUnitOfWork) -> _DriftedUnitOfWork:
    return uow  # type: ignore[return-value]

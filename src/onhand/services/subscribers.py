"""In-transaction subscribers: who acts, in the same transaction, on what an area publishes.

An area publishes an event through its unit of work (`uow.publish(event)`); every
subscriber registered for the event's type at start-up is called in order with the unit
of work and the event, so that its writes commit or roll back with the publisher's. The
table is fixed by the composition root (`bootstrap.standard_subscribers`): the areas that
publish import none of the areas that subscribe.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

Subscriber = Callable[["UnitOfWork", Any], None]


class Subscribers:
    def __init__(self, table: Mapping[type, Sequence[Subscriber]] | None = None) -> None:
        self._table = {kind: tuple(subscribers) for kind, subscribers in (table or {}).items()}

    def publish(self, uow: UnitOfWork, event: object) -> None:
        for subscriber in self._table.get(type(event), ()):
            subscriber(uow, event)

    def of(self, kind: type) -> tuple[Subscriber, ...]:
        return self._table.get(kind, ())

    def adding(self, kind: type, subscriber: Subscriber) -> Subscribers:
        """The same table with `subscriber` called last for `kind` (a plug-in, a test)."""
        table = dict(self._table)
        table[kind] = (*table.get(kind, ()), subscriber)
        return Subscribers(table)

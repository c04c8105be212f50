"""Customers, their addresses and their ids in sales channels."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from onhand.adapters.db.tables.traceability import customer_addresses, customer_channel_ids, customers
from onhand.domain.orders.customers import ChannelId, Customer, CustomerAddress

_ADDRESS_FIELDS = ("label", "name", "line1", "line2", "city", "region", "postcode", "country")


class CustomerRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, *, code: str, name: str, name_key: str, email: str | None, phone: str | None,
            at: datetime) -> int:
        result = self._conn.execute(insert(customers).values(
            code=code, name=name, name_key=name_key, email=email, phone=phone, created_at=at, updated_at=at,
        ))
        return int(result.inserted_primary_key[0])

    def update(self, customer_id: int, **values: Any) -> None:
        self._conn.execute(update(customers).where(customers.c.id == customer_id).values(**values))

    def set_addresses(self, customer_id: int, addresses: Sequence[CustomerAddress]) -> None:
        self._conn.execute(delete(customer_addresses).where(customer_addresses.c.customer_id == customer_id))
        if addresses:
            self._conn.execute(insert(customer_addresses), [
                {"customer_id": customer_id, **{f: getattr(a, f) for f in _ADDRESS_FIELDS}} for a in addresses
            ])

    def add_channel_id(self, customer_id: int, channel: str, external_id: str) -> None:
        self._conn.execute(insert(customer_channel_ids).values(
            channel=channel, external_id=external_id, customer_id=customer_id))

    def id_by_code(self, code: str) -> int | None:
        return self._conn.execute(select(customers.c.id).where(customers.c.code == code)).scalar()

    def id_by_channel_id(self, channel: str, external_id: str) -> int | None:
        query = select(customer_channel_ids.c.customer_id).where(
            customer_channel_ids.c.channel == channel, customer_channel_ids.c.external_id == external_id)
        return self._conn.execute(query).scalar()

    def ids_by_name(self, name_key: str, limit: int = 2) -> list[int]:
        query = select(customers.c.id).where(customers.c.name_key == name_key).order_by(customers.c.id).limit(limit)
        return [row[0] for row in self._conn.execute(query)]

    def code_of(self, customer_id: int) -> str | None:
        return self._conn.execute(select(customers.c.code).where(customers.c.id == customer_id)).scalar()

    def search(self, *, name: str | None, email: str | None, limit: int, offset: int) -> list[int]:
        """Ids of customers whose name starts with (or contains a word starting with) `name`
        and whose email is `email`, by name."""
        query = select(customers.c.id).order_by(customers.c.name_key, customers.c.id).limit(limit).offset(offset)
        if name:
            query = query.where(or_(customers.c.name_key.startswith(name, autoescape=True),
                                    customers.c.name_key.contains(" " + name, autoescape=True)))
        if email:
            query = query.where(customers.c.email == email)
        return [row[0] for row in self._conn.execute(query)]

    def count(self) -> int:
        return int(self._conn.execute(select(func.count()).select_from(customers)).scalar_one())

    def by_ids(self, ids: list[int]) -> dict[int, Customer]:
        if not ids:
            return {}
        addresses: dict[int, list[CustomerAddress]] = defaultdict(list)
        query = select(customer_addresses).where(customer_addresses.c.customer_id.in_(ids)).order_by(
            customer_addresses.c.customer_id, customer_addresses.c.label)
        for row in self._conn.execute(query):
            addresses[row.customer_id].append(CustomerAddress(**{f: getattr(row, f) for f in _ADDRESS_FIELDS}))
        channel_ids: dict[int, list[ChannelId]] = defaultdict(list)
        query = select(customer_channel_ids).where(customer_channel_ids.c.customer_id.in_(ids)).order_by(
            customer_channel_ids.c.channel, customer_channel_ids.c.external_id)
        for row in self._conn.execute(query):
            channel_ids[row.customer_id].append(ChannelId(row.channel, row.external_id))
        found = {}
        for row in self._conn.execute(select(customers).where(customers.c.id.in_(ids))):
            found[row.id] = Customer(
                id=row.id, code=row.code, name=row.name, email=row.email, phone=row.phone,
                addresses=tuple(addresses[row.id]), channel_ids=tuple(channel_ids[row.id]),
            )
        return found

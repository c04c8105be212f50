"""Customers as records: create, change, look up by code, name or email; and the customer
an order is for, named inline when the order is made (found, or created on the spot).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.errors import AlreadyExists, InvalidInput, NotFound
from onhand.domain.orders.customers import (
    CUSTOMER_CODE_PATTERN,
    MAX_ADDRESSES,
    Customer,
    CustomerAddress,
    name_key,
    validate_address_label,
    validate_customer_code,
    validate_email,
)
from onhand.domain.orders.sales_orders import validate_channel
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write

if TYPE_CHECKING:
    from datetime import datetime

    from onhand.services.context import UnitOfWork


def create_customer(
    ctx: ServiceContext,
    *,
    name: str,
    code: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    addresses: Sequence[CustomerAddress] = (),
    channel_ids: Sequence[tuple[str, str]] = (),
    idempotency_key: str | None = None,
) -> Customer:
    """A new customer; `channel_ids` are (channel, the customer's id there) pairs."""
    clean_name = _name(name)
    clean_email = validate_email(email)
    clean_phone = resolve.text(phone, "phone", max_length=50)
    clean_addresses = _addresses(addresses)
    clean_channel_ids = _channel_ids(channel_ids)
    clean_code = validate_customer_code(code) if code is not None else None

    def work(uow: UnitOfWork) -> int:
        if clean_code is not None and uow.customers.id_by_code(clean_code) is not None:
            raise AlreadyExists("customer", clean_code, "code")
        customer_id = add_customer(uow, clean_name, clean_email, now=ctx.now(), code=clean_code, phone=clean_phone)
        uow.customers.set_addresses(customer_id, clean_addresses)
        for index, (channel, external_id) in enumerate(clean_channel_ids):
            _claim_channel_id(uow, customer_id, channel, external_id, f"channel_ids[{index}]")
        return customer_id

    request = {"name": name, "code": code, "email": email, "phone": phone,
               "addresses": [a.__dict__ for a in clean_addresses], "channel_ids": list(clean_channel_ids)}
    return run_write(ctx, work, load_customer, action="create_customer", subject=customer_subject,
                     idempotency_key=idempotency_key, request=request)


def update_customer(
    ctx: ServiceContext,
    code: str,
    *,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    addresses: Sequence[CustomerAddress] | None = None,
    channel_ids: Sequence[tuple[str, str]] = (),
    idempotency_key: str | None = None,
) -> Customer:
    """Change what is given: `email=""` clears it; `addresses` replace all; `channel_ids` are added."""
    clean_name = _name(name) if name is not None else None
    clean_addresses = _addresses(addresses) if addresses is not None else None
    clean_channel_ids = _channel_ids(channel_ids)

    def work(uow: UnitOfWork) -> int:
        customer_id = _customer_id(uow, code)
        values: dict[str, object] = {"updated_at": ctx.now()}
        if clean_name is not None:
            values |= {"name": clean_name, "name_key": name_key(clean_name)}
        if email is not None:
            values["email"] = validate_email(email)
        if phone is not None:
            values["phone"] = resolve.text(phone, "phone", max_length=50)
        uow.customers.update(customer_id, **values)
        if clean_addresses is not None:
            uow.customers.set_addresses(customer_id, clean_addresses)
        for index, (channel, external_id) in enumerate(clean_channel_ids):
            _claim_channel_id(uow, customer_id, channel, external_id, f"channel_ids[{index}]")
        return customer_id

    request = {"code": code, "name": name, "email": email, "phone": phone,
               "addresses": None if clean_addresses is None else [a.__dict__ for a in clean_addresses],
               "channel_ids": list(clean_channel_ids)}
    return run_write(ctx, work, load_customer, action="update_customer", subject=customer_subject,
                     idempotency_key=idempotency_key, request=request,
                     before=lambda uow: load_customer(uow, _customer_id(uow, code)))


def get_customer(ctx: ServiceContext, code: str) -> Customer:
    with ctx.reading() as uow:
        return load_customer(uow, _customer_id(uow, code))


def find_customer(ctx: ServiceContext, *, channel: str, external_id: str) -> Customer:
    """The customer known in `channel` by `external_id`."""
    channel_name = validate_channel(channel)
    external = resolve.text(external_id, "external_id", max_length=100) or ""
    with ctx.reading() as uow:
        found = uow.customers.id_by_channel_id(channel_name, external)
        if found is None:
            raise NotFound("customer", f"{channel_name}/{external}", "external_id")
        return load_customer(uow, int(found))


def list_customers(
    ctx: ServiceContext, *, name: str | None = None, email: str | None = None, limit: int = 100, offset: int = 0
) -> list[Customer]:
    """Customers by name: those whose name (or a word of it) starts with `name`, ignoring
    case, and whose email is `email`."""
    resolve.page(limit, offset)
    key = name_key(resolve.text(name, "name") or "") or None
    clean_email = validate_email(email)
    with ctx.reading() as uow:
        ids = uow.customers.search(name=key, email=clean_email, limit=limit, offset=offset)
        found = uow.customers.by_ids(ids)
        return [found[i] for i in ids]


def customer_for_order(
    uow: UnitOfWork,
    customer: str | None,
    *,
    email: str | None,
    channel: str,
    external_id: str | None,
    now: datetime,
) -> Customer | None:
    """The customer an order is for. `customer` is a customer's code or name: a code
    names that customer; a name the one customer of that name (and `email`, if given),
    or a new customer made on the spot. `external_id` is the customer's id in the
    order's channel: it finds the customer first, and is remembered for next time."""
    clean = resolve.text(customer, "customer")
    clean_email = validate_email(email, "customer_email")
    external = resolve.text(external_id, "customer_external_id", max_length=100)
    if clean is None and external is None:
        if clean_email is not None:
            raise InvalidInput("customer", "name the customer whose email this is")
        return None
    found: int | None = uow.customers.id_by_channel_id(channel, external) if external is not None else None
    if found is None and clean is not None:
        found = _existing(uow, clean, clean_email)
    if found is None:
        if clean is None:
            raise InvalidInput("customer", f"no customer is known in {channel!r} as {external!r}: give a name")
        found = add_customer(uow, _name(clean, "customer"), clean_email, now=now)
    if external is not None and uow.customers.id_by_channel_id(channel, external) is None:
        uow.customers.add_channel_id(found, channel, external)
    return load_customer(uow, found)


def _existing(uow: UnitOfWork, text: str, email: str | None) -> int | None:
    if CUSTOMER_CODE_PATTERN.match(text):
        by_code = uow.customers.id_by_code(text)
        if by_code is not None:
            return int(by_code)
    named = uow.customers.ids_by_name(name_key(text), limit=50)
    if email is not None:
        with_email = [i for i in named if load_customer(uow, i).email == email]
        return with_email[0] if with_email else None
    if len(named) > 1:
        raise InvalidInput("customer", f"{len(named)} or more customers are named {text!r}: name one by its code")
    return named[0] if named else None


def add_customer(
    uow: UnitOfWork, name: str, email: str | None, *, now: datetime, code: str | None = None,
    phone: str | None = None,
) -> int:
    """A customer record in the current transaction; without a code it is numbered C-000123."""
    customer_id = uow.customers.add(code=code or f"new-{uuid.uuid4().hex}", name=name,
                                    name_key=name_key(name), email=email, phone=phone, at=now)
    if code is None:
        uow.customers.update(customer_id, code=resolve.document_number("C", customer_id, uow.customers.id_by_code))
    return customer_id


def load_customer(uow: UnitOfWork, customer_id: int) -> Customer:
    found = uow.customers.by_ids([customer_id]).get(customer_id)
    if found is None:
        raise NotFound("customer", str(customer_id), "customer")
    return found


def customer_subject(customer: Customer) -> AuditObject:
    return AuditObject("customer", customer.code)


def _customer_id(uow: UnitOfWork, code: str) -> int:
    found = uow.customers.id_by_code(code.strip()) if CUSTOMER_CODE_PATTERN.match(code.strip()) else None
    if found is None:
        raise NotFound("customer", code, "code")
    return int(found)


def _claim_channel_id(uow: UnitOfWork, customer_id: int, channel: str, external_id: str, field: str) -> None:
    owner = uow.customers.id_by_channel_id(channel, external_id)
    if owner is None:
        uow.customers.add_channel_id(customer_id, channel, external_id)
    elif owner != customer_id:
        raise AlreadyExists("customer channel id", f"{channel}/{external_id}", field)


def _name(name: str | None, field: str = "name") -> str:
    clean = resolve.text(name, field)
    if clean is None:
        raise InvalidInput(field, "must not be blank")
    return clean


def _addresses(addresses: Sequence[CustomerAddress]) -> tuple[CustomerAddress, ...]:
    if len(addresses) > MAX_ADDRESSES:
        raise InvalidInput("addresses", f"at most {MAX_ADDRESSES} addresses")
    clean: list[CustomerAddress] = []
    for index, address in enumerate(addresses):
        field = f"addresses[{index}]"
        label = validate_address_label(address.label, f"{field}.label")
        if any(a.label == label for a in clean):
            raise InvalidInput(f"{field}.label", f"{label!r} is given twice")
        country = resolve.text(address.country, f"{field}.country", max_length=2)
        if country is not None and not (len(country) == 2 and country.isascii() and country.isalpha()):
            raise InvalidInput(f"{field}.country", "must be an ISO 3166 two-letter code")
        clean.append(replace(
            address, label=label, country=country.upper() if country else None,
            **{f: resolve.text(getattr(address, f), f"{field}.{f}", max_length=limit) for f, limit in (
                ("name", 200), ("line1", 200), ("line2", 200), ("city", 100), ("region", 100), ("postcode", 20))},
        ))
    return tuple(clean)


def _channel_ids(pairs: Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    if len(pairs) > MAX_ADDRESSES:
        raise InvalidInput("channel_ids", f"at most {MAX_ADDRESSES}")
    clean = []
    for index, (channel, external_id) in enumerate(pairs):
        field = f"channel_ids[{index}]"
        external = resolve.text(external_id, f"{field}.external_id", max_length=100)
        if external is None:
            raise InvalidInput(f"{field}.external_id", "must not be blank")
        clean.append((validate_channel(channel, f"{field}.channel"), external))
    return tuple(clean)

"""Customers: who sales orders are for, as records (name, email, addresses, their id in
each sales channel)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from onhand.domain.errors import InvalidInput

CUSTOMER_CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$")
# Deliberately loose (one @, a dot in the domain, no spaces): the mailbox decides the rest.
EMAIL_PATTERN = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
ADDRESS_LABEL_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,39}$")
MAX_ADDRESSES = 20


@dataclass(frozen=True)
class CustomerAddress:
    label: str = "default"
    name: str | None = None
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class ChannelId:
    channel: str
    external_id: str


@dataclass(frozen=True)
class Customer:
    id: int
    code: str
    name: str
    email: str | None = None
    phone: str | None = None
    addresses: tuple[CustomerAddress, ...] = ()
    channel_ids: tuple[ChannelId, ...] = ()


def validate_customer_code(code: str, field: str = "code") -> str:
    code = code.strip()
    if not CUSTOMER_CODE_PATTERN.match(code):
        raise InvalidInput(field, f"{code!r} is not a valid customer code (1-64 characters: letters, digits, . _ -)")
    return code


def validate_email(email: str | None, field: str = "email") -> str | None:
    """An address, lower-cased (lookups by email ignore case); None when blank."""
    if email is None or not email.strip():
        return None
    email = email.strip()
    if len(email) > 200 or not EMAIL_PATTERN.match(email):
        raise InvalidInput(field, f"{email!r} is not an email address")
    return email.lower()


def validate_address_label(label: str, field: str = "label") -> str:
    label = label.strip().lower()
    if not ADDRESS_LABEL_PATTERN.match(label):
        raise InvalidInput(field, "must be 1-40 characters: lower-case letters, digits, _ and -")
    return label


def name_key(name: str) -> str:
    """What a lookup by name compares: the name without case."""
    return name.strip().lower()

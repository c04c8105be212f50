"""What a channel is, and the rules for its names, ids and credentials references.

A channel's secrets never live in the database: `credentials` says where to find them —
`env` (the variables ONHAND_CHANNEL_<NAME>_<SECRET>) or `file:<absolute path>` (a JSON
object in a file only its owner may read). Imports only the standard library.
"""

from __future__ import annotations

import re
from enum import StrEnum

from onhand.domain.choices import parse_choice
from onhand.domain.errors import InvalidInput
from onhand.domain.orders.sales_orders import validate_channel

MAX_EXTERNAL_ID = 100
MAX_ENDPOINT = 300
ENV = "env"
FILE_PREFIX = "file:"
# Text ids: digits, letters and the few signs ids use (gid://shopify/Location/1, ASINs).
_EXTERNAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/\-]{0,99}$")
_API_VERSION = re.compile(r"^[0-9]{4}-[0-9]{2}$|^[a-z0-9_\-]{1,16}$")


class ChannelKind(StrEnum):
    SHOPIFY = "shopify"
    AMAZON = "amazon"
    GENERIC = "generic"


class ExceptionKind(StrEnum):
    UNKNOWN_SKU = "unknown_sku"
    EDIT_AFTER_SHIPPING = "edit_after_shipping"
    CANCEL_AFTER_SHIPPING = "cancel_after_shipping"
    BAD_PAYLOAD = "bad_payload"
    SHORT_STOCK = "short_stock"  # Amazon shipped from FBA more than Onhand held there


def channel_name(text: str, field: str = "name") -> str:
    """A channel's name is also the `channel` of the orders it brings in."""
    name = validate_channel(text, field)
    if name == "manual":
        raise InvalidInput(field, "'manual' is the channel of orders entered by hand")
    return name


def channel_kind(text: str, field: str = "kind") -> ChannelKind:
    return parse_choice(ChannelKind, text, field)


def external_id(text: object, field: str) -> str:
    """An id given by a channel, kept as text (Shopify's exceed 2^53: never a float)."""
    if isinstance(text, bool) or not isinstance(text, str | int):
        raise InvalidInput(field, "must be text or a whole number")
    value = str(text).strip()
    if not _EXTERNAL_ID.match(value):
        raise InvalidInput(field, f"must be 1-{MAX_EXTERNAL_ID} letters, digits or _ . : / -")
    return value


def credentials_reference(text: str | None, field: str = "credentials") -> str:
    """`env` (the default) or `file:<absolute path>`: where the channel's secrets are."""
    value = (text or ENV).strip()
    if value == ENV:
        return value
    if value.startswith(FILE_PREFIX):
        path = value[len(FILE_PREFIX):]
        if path.startswith("/") and 1 < len(path) <= 290 and path.isprintable():
            return value
    raise InvalidInput(field, "must be 'env' or 'file:<absolute path>'")


def endpoint(text: str | None, field: str = "endpoint") -> str | None:
    """The channel's base URL (https://shop.myshopify.com): http(s), no query, bounded."""
    if text is None or not text.strip():
        return None
    value = text.strip().rstrip("/")
    if len(value) > MAX_ENDPOINT or not re.match(r"^https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~\-/]*)?$",
                                                 value):
        raise InvalidInput(field, f"must be an http(s) URL without query, up to {MAX_ENDPOINT} characters")
    return value


def api_version(text: str | None, field: str = "api_version") -> str | None:
    if text is None or not text.strip():
        return None
    value = text.strip()
    if not _API_VERSION.match(value):
        raise InvalidInput(field, "must look like 2026-01")
    return value


def env_variable(name: str, secret: str) -> str:
    """ONHAND_CHANNEL_SHOP_US_WEBHOOK_SECRET for channel `shop-us`, secret `webhook_secret`."""
    return f"ONHAND_CHANNEL_{re.sub(r'[^A-Z0-9]', '_', name.upper())}_{secret.upper()}"

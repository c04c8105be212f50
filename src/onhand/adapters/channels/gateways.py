"""The channel gateways the composition root hands the services: per channel kind, its
webhook signature and payloads (pure) and its API transport."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime

from onhand.adapters.channels.secrets import read_secret
from onhand.adapters.channels.shopify import payloads, signatures
from onhand.adapters.channels.shopify.admin_api import ShopifyAdmin
from onhand.domain.channels.channels import ChannelKind
from onhand.domain.channels.documents import Document, FulfilmentToCreate, QuantityToSet
from onhand.domain.channels.records import ChannelRecord
from onhand.domain.errors import PushFailed


class ShopifyConnection:
    def __init__(self, channel: ChannelRecord, environ: Mapping[str, str] | None) -> None:
        self._channel = channel
        self._environ = environ

    def __repr__(self) -> str:
        return f"ShopifyConnection({self._channel.name!r})"

    def _admin(self) -> ShopifyAdmin:
        return ShopifyAdmin(self._channel, read_secret(self._channel, "access_token", self._environ))

    def authentic(self, raw_body: bytes, signature: str | None) -> bool:
        return signatures.is_authentic(raw_body, signature, read_secret(self._channel, "webhook_secret", self._environ))

    def document(self, topic: str, raw_body: bytes) -> Document:
        return payloads.document(topic, raw_body)

    def set_quantities(self, quantities: Sequence[QuantityToSet], *, key: str, reference: str) -> list[str]:
        return self._admin().set_quantities(quantities, key=key, reference=reference)

    def quantities(self, item_ids: Sequence[str]) -> dict[tuple[str, str], int]:
        return self._admin().quantities(item_ids)

    def fulfil(self, fulfilment: FulfilmentToCreate) -> str | None:
        return self._admin().fulfil(fulfilment)

    def orders_since(self, since: datetime) -> list[bytes]:
        return [json.dumps(order).encode("utf-8") for order in self._admin().orders_since(since)]


class ChannelAdapters:
    """Connections by channel kind; secrets are read from where each channel's point, when used."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = environ  # None: the process environment, read at use

    def connect(self, channel: ChannelRecord) -> ShopifyConnection:
        if channel.kind == ChannelKind.SHOPIFY:
            return ShopifyConnection(channel, self._environ)
        raise PushFailed(channel.name, f"channels of kind {channel.kind} are not connected yet")

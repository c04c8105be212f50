"""What the Amazon services ask of the Selling Partner API (adapters/channels/amazon/client.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from onhand.domain.channels.amazon import AmazonOrderLine, OrdersPage


class AmazonApi(Protocol):
    def orders_page(self, *, last_updated_after: str, next_token: str | None) -> OrdersPage:
        """getOrders: orders updated after the moment (the first page) or the page `next_token` names."""
        ...

    def order_lines(self, amazon_order_id: str) -> tuple[AmazonOrderLine, ...]:
        """getOrderItems, every page."""
        ...

    def set_quantity(self, sku: str, quantity: int) -> None:
        """patchListingsItem: the merchant-fulfilled quantity of `sku`; raises PushFailed."""
        ...

    def set_quantities(self, quantities: Sequence[tuple[str, int]]) -> dict[str, str | None]:
        """A JSON_LISTINGS_FEED of many SKUs, processed: per SKU None (accepted) or its error;
        raises PushFailed when the feed as a whole fails."""
        ...

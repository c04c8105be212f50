"""What the Amazon services ask of the Selling Partner API (adapters/channels/amazon/client.py)."""

from __future__ import annotations

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

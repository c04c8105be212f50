"""What Amazon is sent for merchant-fulfilled quantities: a `patchListingsItem` body
(Listings Items API 2021-08-01) for one SKU, or a JSON_LISTINGS_FEED document for many.

Only `fulfillment_channel_code: DEFAULT` is ever sent: FBA quantities are Amazon's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from onhand.domain.channels.amazon import MERCHANT_CODE

PRODUCT_TYPE = "PRODUCT"  # the generic type for offer-only updates
MAX_FEED_MESSAGES = 25_000


def _availability(quantity: int) -> list[dict[str, Any]]:
    return [{"fulfillment_channel_code": MERCHANT_CODE, "quantity": quantity}]


def patch_body(quantity: int) -> dict[str, Any]:
    """`merge` changes the quantity and leaves restock date and lead time as they are."""
    return {"productType": PRODUCT_TYPE,
            "patches": [{"op": "merge", "path": "/attributes/fulfillment_availability",
                         "value": _availability(quantity)}]}


def listings_feed(seller_id: str, quantities: Sequence[tuple[str, int]]) -> dict[str, Any]:
    """A JSON_LISTINGS_FEED of PATCH messages, messageId 1.. in the order given."""
    if not 0 < len(quantities) <= MAX_FEED_MESSAGES:
        raise ValueError(f"a feed holds 1 to {MAX_FEED_MESSAGES} messages")
    return {
        "header": {"sellerId": seller_id, "version": "2.0"},
        "messages": [
            {"messageId": number, "sku": sku, "operationType": "PATCH", "productType": PRODUCT_TYPE,
             "patches": [{"op": "replace", "path": "/attributes/fulfillment_availability",
                          "value": _availability(quantity)}]}
            for number, (sku, quantity) in enumerate(quantities, start=1)
        ],
    }

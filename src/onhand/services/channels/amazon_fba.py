"""FBA stock as a 3PL location: the location mapped to an AMAZON_* code holds what Amazon
says it holds. A sync counts that location to Amazon's figures per mapped SKU (the FBA
inventory report, parsed by the adapter) as one stock-count posting with the reason
`channel_sync`: the differences are booked, what agrees posts nothing, and a mapped SKU
the report does not list is counted as zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.commands import PostStockCount, StockLine
from onhand.services.channels.amazon_orders import amazon_channel, fba_location_code
from onhand.services.context import ServiceContext
from onhand.services.ledger.counts import post_stock_count
from onhand.services.views import PostingView

REASON = "channel_sync"


def sync_fba_stock(ctx: ServiceContext, name: str, units: Mapping[str, int]) -> tuple[PostingView, list[str]]:
    """Count the channel's FBA location to Amazon's units per SellerSKU; the posting and
    the report's SKUs no mapping names (left alone)."""
    with ctx.reading() as uow:
        channel = amazon_channel(uow, name)
        location = fba_location_code(uow, channel.id)
        skus = {m.external_sku or m.sku: m.sku for m in uow.channels.skus(channel.id)}
    if location is None:
        raise InvalidInput("channel", f"channel {name!r} has no location mapped to an AMAZON_* code "
                                      "(map the 3PL location that stands for FBA)")
    if not skus:
        raise InvalidInput("channel", f"channel {name!r} has no SKU mapped")
    lines = tuple(StockLine(sku=skus[seller_sku], quantity=Decimal(units.get(seller_sku, 0)))
                  for seller_sku in sorted(skus))
    posting = post_stock_count(ctx, PostStockCount(location=location, lines=lines, reason=REASON,
                                                   reference=f"amazon-fba:{channel.name}"[:100]))
    return posting, sorted(set(units) - set(skus))

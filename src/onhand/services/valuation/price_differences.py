"""The company's choice of where a receipt's difference from its order's unit cost goes
(domain/valuation/price_differences.py): read it, change it. A change applies to receipts
posted after it; those posted before keep what they booked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.valuation.commands import SetPriceDifferences
from onhand.domain.valuation.price_differences import parse_price_differences
from onhand.services.context import ServiceContext, run_write

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


def get_price_differences(ctx: ServiceContext) -> str:
    with ctx.reading() as uow:
        return uow.valuation.price_differences()


def set_price_differences(
    ctx: ServiceContext, command: SetPriceDifferences, *, idempotency_key: str | None = None
) -> str:
    chosen = parse_price_differences(command.choice)

    def work(uow: UnitOfWork) -> int:
        uow.valuation.set_price_differences(chosen.value)
        return 1

    return run_write(ctx, work, lambda uow, _id: uow.valuation.price_differences(), action="set_price_differences",
                     subject=lambda _chosen: AuditObject("company", "purchase_price_differences"),
                     idempotency_key=idempotency_key, request=command,
                     before=lambda uow: uow.valuation.price_differences())

"""The accounts a journal posts to, and which code each one has in the company's ledger.

An `AccountMap` gives a code to every `AccountRole`; an item category may override
some of them (e.g. its own revenue and COGS accounts). The journal asks only
`AccountMap.code(role, category)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from onhand.domain.errors import InvalidInput

MAX_CODE_LENGTH = 40


class AccountRole(StrEnum):
    INVENTORY = "inventory"  # Inventory Asset
    COGS = "cogs"  # Cost of Goods Sold
    GOODS_RECEIVED = "goods_received"  # Goods Received Not Invoiced (or the AP clearing account)
    ADJUSTMENTS = "adjustments"  # Inventory Adjustments / Shrinkage (scrap, losses, stock found)
    PRODUCTION = "production"  # build clearing: labour and overhead absorbed by build outputs
    REVENUE = "revenue"  # Sales Revenue
    SALES_CLEARING = "sales_clearing"  # Sales Clearing / Accounts Receivable
    ROUNDING = "rounding"  # where cent-rounding residue goes, never lost
    OPENING_BALANCE = "opening_balance"  # equity side of stock valued by an opening valuation
    SALES_RETURNS = "sales_returns"  # Sales Returns and Allowances (contra-revenue): refunds of returns
    # Invoiced minus ordered cost of receipts kept at the order's cost (costing setting "variance").
    PURCHASE_PRICE_VARIANCE = "purchase_price_variance"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    AccountRole.INVENTORY: "Inventory asset",
    AccountRole.COGS: "Cost of goods sold",
    AccountRole.GOODS_RECEIVED: "Goods received not invoiced",
    AccountRole.ADJUSTMENTS: "Inventory adjustments",
    AccountRole.PRODUCTION: "Production clearing",
    AccountRole.REVENUE: "Sales revenue",
    AccountRole.SALES_CLEARING: "Sales clearing",
    AccountRole.ROUNDING: "Rounding",
    AccountRole.OPENING_BALANCE: "Opening balance",
    AccountRole.SALES_RETURNS: "Sales returns",
    AccountRole.PURCHASE_PRICE_VARIANCE: "Purchase price variance",
}

# A role a company need not give a code: without one it posts where this role does (for
# the same category). Many charts (Xero's default among them) have no contra-revenue
# account for returns; their refunds then reduce sales revenue itself.
# Without a purchase price variance account, the variance is a cost of goods sold (as
# small charts book it).
FALLBACKS: dict[AccountRole, AccountRole] = {AccountRole.SALES_RETURNS: AccountRole.REVENUE,
                                             AccountRole.PURCHASE_PRICE_VARIANCE: AccountRole.COGS}


# Codes of Xero's standard chart of accounts (the same in its UK, US, AU and NZ
# organisations), so that a new company's journals can be posted to Xero before anyone
# sets its own. None is an account manual journals cannot use (Accounts Receivable 610,
# Accounts Payable 800, banks): the clearing roles post to 850 Suspense until the
# company adds accounts of its own (e.g. Goods Received Not Invoiced, Sales Clearing),
# inventory adjustments and production to Cost of Goods Sold. 840 Historical Adjustment
# is the system account Xero itself gives opening balances; 860 Rounding takes journals too.
XERO_CODES: dict[AccountRole, str] = {
    AccountRole.INVENTORY: "630",  # Inventory
    AccountRole.COGS: "310",  # Cost of Goods Sold
    AccountRole.GOODS_RECEIVED: "850",  # Suspense
    AccountRole.ADJUSTMENTS: "310",
    AccountRole.PRODUCTION: "850",
    AccountRole.REVENUE: "200",  # Sales
    AccountRole.SALES_CLEARING: "850",
    AccountRole.ROUNDING: "860",  # Rounding
    AccountRole.OPENING_BALANCE: "840",  # Historical Adjustment
}

# QuickBooks Online has no account numbers unless switched on: its standard accounts by
# name, which the loaded chart turns into the Ids its journal entries refer to.
QUICKBOOKS_CODES: dict[AccountRole, str] = {
    AccountRole.INVENTORY: "Inventory Asset",
    AccountRole.COGS: "Cost of Goods Sold",
    AccountRole.GOODS_RECEIVED: "Uncategorized Asset",
    AccountRole.ADJUSTMENTS: "Cost of Goods Sold",
    AccountRole.PRODUCTION: "Uncategorized Asset",
    AccountRole.REVENUE: "Sales of Product Income",
    AccountRole.SALES_CLEARING: "Uncategorized Asset",
    AccountRole.ROUNDING: "Cost of Goods Sold",
    AccountRole.OPENING_BALANCE: "Opening Balance Equity",
}

DEFAULT_CODES = XERO_CODES
DEFAULT_CODES_BY_TARGET: dict[str, dict[AccountRole, str]] = {"xero": XERO_CODES, "quickbooks": QUICKBOOKS_CODES}

# The tracking category a location becomes when the company tracks locations.
LOCATION_TRACKING = "Location"


def parse_role(value: str, field: str = "role") -> AccountRole:
    try:
        return AccountRole(value.strip().lower() if isinstance(value, str) else value)
    except ValueError:
        roles = ", ".join(role.value for role in AccountRole)
        raise InvalidInput(field, f"{value!r} is not an account role; use one of {roles}") from None


def _validate_code(code: str, field_name: str) -> str:
    if not isinstance(code, str) or not code.strip():
        raise InvalidInput(field_name, "an account code must not be empty")
    code = code.strip()
    if len(code) > MAX_CODE_LENGTH or any(ord(ch) < 32 for ch in code):
        reason = f"{code!r} is not a valid account code (1-{MAX_CODE_LENGTH} printable characters)"
        raise InvalidInput(field_name, reason)
    return code


@dataclass(frozen=True)
class AccountMap:
    """Account codes per role, with optional overrides per item category."""

    defaults: Mapping[AccountRole, str]
    by_category: Mapping[str, Mapping[AccountRole, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = [role.value for role in AccountRole if role not in self.defaults and role not in FALLBACKS]
        if missing:
            raise InvalidInput("accounts", f"every role needs an account code; missing: {', '.join(missing)}")
        defaults = {AccountRole(role): _validate_code(code, f"accounts.{role}") for role, code in self.defaults.items()}
        overrides = {
            category: {
                AccountRole(role): _validate_code(code, f"accounts.categories.{category}.{role}")
                for role, code in codes.items()
            }
            for category, codes in self.by_category.items()
        }
        object.__setattr__(self, "defaults", defaults)
        object.__setattr__(self, "by_category", overrides)

    def code(self, role: AccountRole, category: str | None = None) -> str:
        if category is not None:
            override = self.by_category.get(category, {}).get(role)
            if override is not None:
                return override
        if role not in self.defaults:
            return self.code(FALLBACKS[role], category)
        return self.defaults[role]

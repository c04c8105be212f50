"""Roles of API keys and user accounts, and what each may do.

Every API route needs exactly one permission; a role is a set of permissions. The table
of roles in docs/api.md is made from `GRANTS` and `PERMISSIONS` (a test holds it to them).
"""

from __future__ import annotations

from enum import StrEnum

from onhand.domain.choices import parse_choice


class Permission(StrEnum):
    READ = "read"
    CATALOG = "catalog"
    STOCK = "stock"
    RECALL = "recall"
    ORDERS = "orders"
    PURCHASING = "purchasing"
    RECEIVING = "receiving"
    SETTINGS = "settings"
    BOOKS = "books"
    KEYS = "keys"
    USERS = "users"
    AUDIT = "audit"
    WEBHOOKS = "webhooks"


# What each permission covers, as the docs say it.
PERMISSIONS: dict[Permission, str] = {
    Permission.READ: "read stock, the catalogue, orders, documents and reports; verify the books; scan",
    Permission.CATALOG: "items, units, locations and their routing, bundles, bills of materials, "
    "transfer routes; item and location imports",
    Permission.STOCK: "adjustments, counts, relocations, opening stock, lots and their status, transfers, "
    "builds, disassembly, planning alert scans",
    # A recall stops a lot and everything built from it everywhere: the managers' call.
    Permission.RECALL: "recalls: recall or quarantine lots and what was built from them, release a recall",
    Permission.ORDERS: "sales orders: create, change, allocate, pick, pack, ship, cancel, returns, waves; customers",
    Permission.PURCHASING: "suppliers and their prices, purchase orders, returns to suppliers, landed costs, "
    "reorder rules, drafts from suggestions",
    Permission.RECEIVING: "receipts against purchase orders",
    Permission.SETTINGS: "company settings, costing methods, accounting settings",
    Permission.BOOKS: "post and push journals, opening valuation, rebuild the balances",
    Permission.KEYS: "API keys: list, create, change, rotate, revoke",
    Permission.USERS: "user accounts: list, add, disable",
    Permission.AUDIT: "read the audit log",
    Permission.WEBHOOKS: "outbound webhook subscriptions: add (the secret shown once), remove; re-send deliveries",
}


class Role(StrEnum):
    ADMIN = "admin"
    # Runs the business: everything but keys, user accounts and webhooks (their secrets).
    MANAGER = "manager"
    OPERATOR = "operator"
    VIEWER = "viewer"
    # For channel connectors and scripts: orders, receipts and stock reads; manages nothing
    # (no catalogue, settings or keys).
    INTEGRATION = "integration"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.MANAGER: frozenset(Permission) - {Permission.KEYS, Permission.USERS, Permission.WEBHOOKS},
    Role.OPERATOR: frozenset({
        Permission.READ, Permission.CATALOG, Permission.STOCK, Permission.ORDERS, Permission.PURCHASING,
        Permission.RECEIVING,
    }),
    Role.INTEGRATION: frozenset({Permission.READ, Permission.ORDERS, Permission.RECEIVING}),
    Role.VIEWER: frozenset({Permission.READ}),
}


def parse_role(value: str, field: str = "role") -> Role:
    return parse_choice(Role, value, field)


def allows(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]

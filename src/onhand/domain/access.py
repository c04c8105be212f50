"""Roles of API keys and what each may do."""

from __future__ import annotations

from enum import StrEnum

from onhand.domain.choices import parse_choice


class Permission(StrEnum):
    READ = "read"  # stock levels, history, catalog
    WRITE = "write"  # postings, items, locations, lots, imports
    ADMIN = "admin"  # keys, company settings, rebuild


class Role(StrEnum):
    ADMIN = "admin"
    OPERATOR = "operator"
    VIEWER = "viewer"
    # For channel connectors and scripts: reads and writes stock, manages nothing.
    INTEGRATION = "integration"


GRANTS = {
    Role.ADMIN: frozenset(Permission),
    Role.OPERATOR: frozenset({Permission.READ, Permission.WRITE}),
    Role.INTEGRATION: frozenset({Permission.READ, Permission.WRITE}),
    Role.VIEWER: frozenset({Permission.READ}),
}


def parse_role(value: str, field: str = "role") -> Role:
    return parse_choice(Role, value, field)


def allows(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]

"""Roles and permissions: the integration role gets what an integration needs, nothing to manage."""

from onhand.domain.access.roles import GRANTS, PERMISSIONS, Permission, Role, allows


def test_an_integration_key_handles_orders_and_receipts_and_reads_stock():
    for permission in (Permission.READ, Permission.ORDERS, Permission.RECEIVING):
        assert allows(Role.INTEGRATION, permission)


def test_an_integration_key_manages_no_catalogue_settings_keys_or_books():
    for permission in (Permission.CATALOG, Permission.SETTINGS, Permission.KEYS, Permission.BOOKS,
                       Permission.AUDIT, Permission.PURCHASING, Permission.STOCK, Permission.RECALL):
        assert not allows(Role.INTEGRATION, permission)


def test_an_operator_does_the_daily_work_and_only_an_admin_manages_settings_keys_books_and_audit():
    managing = {Permission.SETTINGS, Permission.BOOKS, Permission.KEYS, Permission.USERS, Permission.AUDIT,
                Permission.WEBHOOKS,
                Permission.RECALL}
    assert GRANTS[Role.OPERATOR] == frozenset(Permission) - managing
    assert GRANTS[Role.ADMIN] == frozenset(Permission)
    assert GRANTS[Role.VIEWER] == {Permission.READ}


def test_every_permission_is_described_for_the_docs():
    assert set(PERMISSIONS) == set(Permission)


def test_a_manager_runs_the_business_but_manages_no_keys_people_or_webhooks():
    # A webhook's secret and where the feed goes are an admin's, like API keys.
    assert GRANTS[Role.MANAGER] == frozenset(Permission) - {Permission.KEYS, Permission.USERS, Permission.WEBHOOKS}

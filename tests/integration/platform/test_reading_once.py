"""A read of one statement outside a transaction (`reading_once`, what every request's key
lookup uses): it sees what is committed, opens no transaction on PostgreSQL (one round trip,
not three), and hands its connection back as it found it."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from onhand import services
from onhand.domain.access.commands import CreateApiKey, RevokeApiKey
from onhand.domain.errors import Unauthorized


def _prefix(secret: str) -> str:
    return secret.split("_")[1]


def test_a_key_is_read_once_as_committed_and_a_revoked_one_refused_at_once(onhand) -> None:
    made = services.keys.create_api_key(onhand, CreateApiKey(name="scanner", role="operator"))
    with onhand.reading_once() as uow:
        found = uow.api_keys.by_prefix(_prefix(made.secret))
    assert found is not None and found.key.name == "scanner"
    assert services.keys.authenticate(onhand, made.secret).id == made.key.id

    services.keys.revoke_api_key(onhand, RevokeApiKey(id=made.key.id))
    with pytest.raises(Unauthorized):
        services.keys.authenticate(onhand, made.secret)


def test_postgresql_runs_the_read_outside_a_transaction(onhand) -> None:
    if onhand.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's connections run outside a transaction until one begins")
    from psycopg.pq import TransactionStatus

    made = services.keys.create_api_key(onhand, CreateApiKey(name="scanner", role="operator"))
    with onhand.reading_once() as uow:
        uow.api_keys.by_prefix(_prefix(made.secret))
        once = uow.connection.connection.driver_connection.info.transaction_status
    with onhand.reading() as uow:
        uow.api_keys.by_prefix(_prefix(made.secret))
        in_reading = uow.connection.connection.driver_connection.info.transaction_status
    assert (once, in_reading) == (TransactionStatus.IDLE, TransactionStatus.INTRANS)


def test_the_connection_goes_back_to_transactions_after_it(onhand) -> None:
    onhand.engine.dispose()  # one connection in the pool: the one the read used
    with onhand.reading_once() as uow:
        uow.api_keys.by_prefix("nothing")

    class Undone(Exception):
        pass

    with pytest.raises(Undone), onhand.writing() as uow:  # on the same pooled connection
        uow.connection.execute(text("UPDATE company SET name = 'changed'"))
        raise Undone
    with onhand.reading() as uow:
        assert uow.connection.execute(text("SELECT name FROM company")).scalar() != "changed"

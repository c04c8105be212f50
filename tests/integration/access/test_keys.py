import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import text

from onhand import services
from onhand.adapters.db.engine import WRITE_OPTION, make_engine
from onhand.domain.access.commands import CreateApiKey, RevokeApiKey, RotateApiKey, UpdateApiKey
from onhand.domain.access.roles import Permission
from onhand.domain.actors import api_key_actor
from onhand.domain.errors import ConfirmationRequired, Conflict, Forbidden, InvalidInput, LastAdminKey, Unauthorized


def test_a_new_key_authenticates_and_only_its_hash_is_stored(onhand):
    new = services.keys.create_api_key(onhand, CreateApiKey(name="shop floor", role="operator"))
    assert new.secret.startswith("onh_")
    assert services.keys.authenticate(onhand, new.secret) == new.key
    with onhand.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT secret_hash FROM api_keys").scalar_one()
    assert new.secret not in stored and len(stored) == 64


@pytest.mark.parametrize("secret", [None, "", "Bearer x", "onh_nope_nope", "onh_abc"])
def test_a_missing_or_wrong_key_is_unauthorized(onhand, secret):
    services.keys.create_api_key(onhand, CreateApiKey(name="k", role="admin"))
    with pytest.raises(Unauthorized):
        services.keys.authenticate(onhand, secret)


def test_a_tampered_secret_with_a_real_prefix_is_unauthorized(onhand):
    new = services.keys.create_api_key(onhand, CreateApiKey(name="k", role="admin"))
    with pytest.raises(Unauthorized):
        services.keys.authenticate(onhand, new.secret[:-2] + "xx")


def test_a_revoked_key_no_longer_authenticates(onhand):
    new = services.keys.create_api_key(onhand, CreateApiKey(name="k", role="operator"))
    services.keys.revoke_api_key(onhand, RevokeApiKey(id=new.key.id))
    with pytest.raises(Unauthorized):
        services.keys.authenticate(onhand, new.secret)


def test_a_viewer_may_read_but_not_write(onhand):
    viewer = services.keys.create_api_key(onhand, CreateApiKey(name="v", role="viewer")).key
    services.keys.authorize(viewer, Permission.READ)
    with pytest.raises(Forbidden):
        services.keys.authorize(viewer, Permission.STOCK)


def test_an_unknown_role_is_refused(onhand):
    with pytest.raises(InvalidInput) as error:
        services.keys.create_api_key(onhand, CreateApiKey(name="k", role="god"))
    assert error.value.field == "role"


# --- expiry, rotation, last use ---------------------------------------------------------


def test_a_key_stops_working_when_it_expires(onhand, clock):
    new = services.keys.create_api_key(onhand, CreateApiKey(name="temp", role="viewer",
                                       expires_at=(clock.current + timedelta(hours=1)).isoformat()))
    assert services.keys.authenticate(onhand, new.secret).expires_at == clock.current + timedelta(hours=1)
    clock.advance(hours=1)
    with pytest.raises(Unauthorized):
        services.keys.authenticate(onhand, new.secret)


@pytest.mark.parametrize("expires_at", ["2026-03-01T00:00:00Z", "2027-01-01T00:00:00", "soon"])
def test_an_expiry_in_the_past_without_an_offset_or_unreadable_is_refused(onhand, expires_at):
    with pytest.raises(InvalidInput) as error:
        services.keys.create_api_key(onhand, CreateApiKey(name="k", role="viewer", expires_at=expires_at))
    assert error.value.field == "expires_at"
    assert services.keys.list_api_keys(onhand) == []


def test_a_rotated_key_keeps_its_id_and_the_old_secret_works_until_the_overlap_ends(onhand, clock):
    old = services.keys.create_api_key(onhand, CreateApiKey(name="shop", role="operator"))
    new = services.keys.rotate_api_key(onhand, RotateApiKey(id=old.key.id, overlap_hours=2))
    assert new.secret != old.secret and new.key.id == old.key.id and new.key.prefix == old.key.prefix
    assert new.key.previous_secret_expires_at == clock.current + timedelta(hours=2)
    clock.advance(hours=1, minutes=59)
    assert services.keys.authenticate(onhand, old.secret).id == old.key.id
    assert services.keys.authenticate(onhand, new.secret).id == old.key.id
    clock.advance(minutes=1)
    with pytest.raises(Unauthorized):
        services.keys.authenticate(onhand, old.secret)
    assert services.keys.authenticate(onhand, new.secret).id == old.key.id


def test_a_second_rotation_ends_the_oldest_secret_at_once(onhand):
    first = services.keys.create_api_key(onhand, CreateApiKey(name="shop", role="operator"))
    second = services.keys.rotate_api_key(onhand, RotateApiKey(id=first.key.id))
    third = services.keys.rotate_api_key(onhand, RotateApiKey(id=first.key.id))
    with pytest.raises(Unauthorized):
        services.keys.authenticate(onhand, first.secret)
    assert services.keys.authenticate(onhand, second.secret).id == first.key.id
    assert services.keys.authenticate(onhand, third.secret).id == first.key.id


def test_a_rotation_without_overlap_ends_the_old_secret_now(onhand):
    old = services.keys.create_api_key(onhand, CreateApiKey(name="leaked", role="operator"))
    services.keys.rotate_api_key(onhand, RotateApiKey(id=old.key.id, overlap_hours=0))
    with pytest.raises(Unauthorized):
        services.keys.authenticate(onhand, old.secret)


def test_a_revoked_key_cannot_be_rotated_back_to_life(onhand):
    old = services.keys.create_api_key(onhand, CreateApiKey(name="gone", role="operator"))
    services.keys.revoke_api_key(onhand, RevokeApiKey(id=old.key.id))
    with pytest.raises(Conflict):
        services.keys.rotate_api_key(onhand, RotateApiKey(id=old.key.id))


def test_a_keys_last_use_is_recorded_at_most_once_a_minute(onhand, clock):
    new = services.keys.create_api_key(onhand, CreateApiKey(name="k", role="viewer"))
    assert new.key.last_used_at is None
    services.keys.authenticate(onhand, new.secret)
    first_use = clock.current
    clock.advance(seconds=59)
    services.keys.authenticate(onhand, new.secret)
    (key,) = services.keys.list_api_keys(onhand)
    assert key.last_used_at == first_use
    clock.advance(seconds=1)
    services.keys.authenticate(onhand, new.secret)
    (key,) = services.keys.list_api_keys(onhand)
    assert key.last_used_at == clock.current


def test_a_busy_database_never_makes_authentication_fail_or_wait(onhand, database_url):
    new = services.keys.create_api_key(onhand, CreateApiKey(name="k", role="viewer"))
    blocker = make_engine(database_url)
    try:
        # SQLite: BEGIN IMMEDIATE takes the one write lock; PostgreSQL: the key's row is locked.
        with blocker.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
            if blocker.dialect.name == "postgresql":
                conn.execute(text("SELECT id FROM api_keys FOR UPDATE"))
            started = time.monotonic()
            assert services.keys.authenticate(onhand, new.secret).id == new.key.id
            waited = time.monotonic() - started
    finally:
        blocker.dispose()
    assert waited < 2  # not the 60 s a write would wait for the lock
    (key,) = services.keys.list_api_keys(onhand)
    assert key.last_used_at is None  # skipped: the next request records it


# --- the last admin key, one's own key ------------------------------------------------


def test_the_last_active_admin_key_can_be_neither_revoked_nor_demoted(onhand):
    admin = services.keys.create_api_key(onhand, CreateApiKey(name="root", role="admin")).key
    with pytest.raises(LastAdminKey):
        services.keys.revoke_api_key(onhand, RevokeApiKey(id=admin.id))
    with pytest.raises(LastAdminKey):
        services.keys.update_api_key(onhand, UpdateApiKey(id=admin.id, role="operator"))
    (key,) = services.keys.list_api_keys(onhand)
    assert (key.role, key.revoked_at) == ("admin", None)


def test_an_admin_key_may_go_while_another_active_one_remains(onhand, clock):
    first = services.keys.create_api_key(onhand, CreateApiKey(name="a", role="admin")).key
    second = services.keys.create_api_key(onhand, CreateApiKey(name="b", role="admin")).key
    assert services.keys.update_api_key(onhand, UpdateApiKey(id=first.id, role="operator")).role == "operator"
    with pytest.raises(LastAdminKey):
        services.keys.revoke_api_key(onhand, RevokeApiKey(id=second.id))


def test_an_expired_admin_key_does_not_count_as_a_remaining_admin(onhand, clock):
    services.keys.create_api_key(onhand, CreateApiKey(name="short", role="admin",
                                 expires_at=(clock.current + timedelta(minutes=5)).isoformat()))
    lasting = services.keys.create_api_key(onhand, CreateApiKey(name="long", role="admin")).key
    clock.advance(minutes=5)
    with pytest.raises(LastAdminKey):
        services.keys.revoke_api_key(onhand, RevokeApiKey(id=lasting.id))


def test_two_admins_revoking_each_other_at_once_leave_one_admin(onhand):
    """A real race: each transaction counts the active admins and revokes the other; one must lose."""
    survivor = services.keys.create_api_key(onhand, CreateApiKey(name="first", role="admin")).key.id
    for round_no in range(3):
        rival = services.keys.create_api_key(onhand, CreateApiKey(name=f"rival {round_no}", role="admin")).key.id
        outcomes = race_revocations(onhand, [(survivor, rival), (rival, survivor)])
        assert sorted(outcomes) == ["refused", "revoked"]
        (survivor,) = [k.id for k in services.keys.list_api_keys(onhand) if k.role == "admin" and not k.revoked_at]


def race_revocations(onhand, pairs: list[tuple[int, int]]) -> list[str]:
    """Each (as_key, target) revokes in its own thread, all released at once."""
    barrier = threading.Barrier(len(pairs))
    outcomes: list[str] = []

    def revoke(as_key: int, target: int) -> None:
        acting = onhand.acting_as(api_key_actor(as_key, "admin"))
        barrier.wait()
        try:
            services.keys.revoke_api_key(acting, RevokeApiKey(id=target))
            outcomes.append("revoked")
        except LastAdminKey:
            outcomes.append("refused")

    threads = [threading.Thread(target=revoke, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_revoking_ones_own_key_needs_the_confirming_call(onhand):
    services.keys.create_api_key(onhand, CreateApiKey(name="other admin", role="admin"))
    mine = services.keys.create_api_key(onhand, CreateApiKey(name="me", role="admin")).key
    me = onhand.acting_as(api_key_actor(mine.id, "me"))
    with pytest.raises(ConfirmationRequired) as error:
        services.keys.revoke_api_key(me, RevokeApiKey(id=mine.id))
    assert error.value.field == "own_key"
    assert services.keys.revoke_own_api_key(me, RevokeApiKey(id=mine.id)).revoked_at is not None


def test_revoking_a_key_twice_keeps_the_first_time(onhand, clock):
    key = services.keys.create_api_key(onhand, CreateApiKey(name="k", role="viewer")).key
    first = services.keys.revoke_api_key(onhand, RevokeApiKey(id=key.id)).revoked_at
    clock.advance(hours=1)
    assert services.keys.revoke_api_key(onhand, RevokeApiKey(id=key.id)).revoked_at == first

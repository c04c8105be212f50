"""User accounts, sessions and the sign-in throttle, on every database."""

import pytest

from onhand import services
from onhand.domain.access.commands import AddUser, DisableUser
from onhand.domain.access.roles import Permission
from onhand.domain.access.users import MAX_SIGN_IN_FAILURES, SESSION_LIFETIME, SIGN_IN_WINDOW
from onhand.domain.catalog.commands import CreateLocation
from onhand.domain.errors import AlreadyExists, Forbidden, InvalidInput, NotFound, TooManySignIns, Unauthorized

PASSWORD = "correct horse battery"


def add(onhand, email="ana@example.com", role="operator", **extra):
    return services.users.add_user(onhand, AddUser(email=email, name="Ana", role=role, **extra), password=PASSWORD)


def test_a_user_signs_in_with_the_right_password_and_only_a_hash_is_stored(onhand):
    user = add(onhand, email="  Ana@Example.COM ")
    assert user.email == "ana@example.com"
    new = services.users.sign_in(onhand, email="ANA@example.com", password=PASSWORD, client="10.0.0.1")
    assert services.users.session_for(onhand, new.token) == new.session
    with onhand.engine.connect() as conn:
        password_hash = conn.exec_driver_sql("SELECT password_hash FROM users").scalar_one()
        token_hash = conn.exec_driver_sql("SELECT token_hash FROM user_sessions").scalar_one()
    assert PASSWORD not in password_hash and password_hash.startswith("scrypt$")
    assert new.token not in token_hash and len(token_hash) == 64


@pytest.mark.parametrize("email, password", [("ana@example.com", "wrong password!"), ("bob@example.com", PASSWORD),
                                             ("", ""), ("ana@example.com", "x" * 10_000)])
def test_a_wrong_email_or_password_is_refused_without_saying_which(onhand, email, password):
    add(onhand)
    with pytest.raises(Unauthorized) as refused:
        services.users.sign_in(onhand, email=email, password=password, client="10.0.0.1")
    assert refused.value.message == services.users.REFUSED


def test_an_unknown_email_costs_one_hash_at_the_cost_a_wrong_password_does(onhand, monkeypatch):
    """No timing tells whether an email has an account: each refusal derives one scrypt hash
    with the same parameters (the suite's cost, ONHAND_PASSWORD_COST: tests/conftest.py)."""
    add(onhand)
    derived = []
    real = services.access.passwords._derive
    monkeypatch.setattr(services.access.passwords, "_derive", lambda *args: derived.append(args[2:]) or real(*args))
    for email in ("ana@example.com", "bob@example.com"):
        with pytest.raises(Unauthorized):
            services.users.sign_in(onhand, email=email, password="wrong password!", client="10.0.0.1")
    assert derived == [(2**onhand.password_cost, 8, 1)] * 2


def test_a_stored_hash_asking_for_more_memory_than_allowed_matches_nothing():
    passwords = services.access.passwords
    stored = passwords.hash_password(PASSWORD, passwords.MIN_COST).split("$")
    stored[1] = str(2 ** (passwords.MAX_COST + 1))
    assert not passwords.password_matches(PASSWORD, "$".join(stored))
    assert passwords.password_matches(PASSWORD, passwords.hash_password(PASSWORD, passwords.MIN_COST))


def test_the_sign_in_is_audited_as_the_user_and_the_password_never(onhand):
    add(onhand)
    services.users.sign_in(onhand, email="ana@example.com", password=PASSWORD, client="10.0.0.1")
    entries = services.audit.list_audit(onhand, object_type="user").entries
    seen = [(e.action, e.actor.reference) for e in entries][:2]
    assert seen == [("sign_in", "user:ana@example.com"), ("add_user", "system")]
    assert all(PASSWORD not in str(e.after) for e in entries)


def test_a_disabled_user_cannot_sign_in_and_their_sessions_end(onhand):
    add(onhand)
    new = services.users.sign_in(onhand, email="ana@example.com", password=PASSWORD, client="c")
    services.users.disable_user(onhand, DisableUser("ana@example.com"))
    with pytest.raises(Unauthorized):
        services.users.session_for(onhand, new.token)
    with pytest.raises(Unauthorized):
        services.users.sign_in(onhand, email="ana@example.com", password=PASSWORD, client="c")
    assert services.users.list_users(onhand)[0].disabled_at is not None


def test_a_session_ends_at_sign_out_and_after_its_lifetime(onhand, clock):
    add(onhand)
    first = services.users.sign_in(onhand, email="ana@example.com", password=PASSWORD, client="c")
    services.users.sign_out(onhand, first.token)
    with pytest.raises(Unauthorized):
        services.users.session_for(onhand, first.token)
    second = services.users.sign_in(onhand, email="ana@example.com", password=PASSWORD, client="c")
    clock.advance(seconds=SESSION_LIFETIME.total_seconds() + 1)
    with pytest.raises(Unauthorized):
        services.users.session_for(onhand, second.token)


def test_sign_ins_are_throttled_per_email_and_client_until_the_window_passes(onhand, clock):
    add(onhand)
    for _ in range(MAX_SIGN_IN_FAILURES):
        with pytest.raises(Unauthorized):
            services.users.sign_in(onhand, email="ana@example.com", password="wrong password", client="10.0.0.9")
    with pytest.raises(TooManySignIns):  # even the right password, from that client
        services.users.sign_in(onhand, email="ana@example.com", password=PASSWORD, client="10.0.0.9")
    # Another client is not held back, and the held one may try again after the window.
    services.users.sign_in(onhand, email="ana@example.com", password=PASSWORD, client="10.0.0.8")
    clock.advance(seconds=SIGN_IN_WINDOW.total_seconds() + 1)
    services.users.sign_in(onhand, email="ana@example.com", password=PASSWORD, client="10.0.0.9")


def test_the_throttle_is_shared_by_every_process_through_the_database(onhand, database_url, clock):
    from onhand.bootstrap import open_onhand

    add(onhand)
    other = open_onhand(database_url, clock=clock)
    try:
        for target in [onhand, other] * MAX_SIGN_IN_FAILURES:
            try:
                services.users.sign_in(target, email="ana@example.com", password="wrong password", client="c")
            except TooManySignIns:
                break
            except Unauthorized:
                continue
        with pytest.raises(TooManySignIns):
            services.users.sign_in(other, email="ana@example.com", password=PASSWORD, client="c")
    finally:
        other.close()


@pytest.mark.parametrize("field, values", [
    ("email", {"email": "not-an-email"}), ("email", {"email": "a" * 60 + "@example.com"}),
    ("password", {"password": "short"}), ("role", {"role": "integration"}), ("role", {"role": "boss"}),
])
def test_bad_input_names_its_field_and_adds_nobody(onhand, field, values):
    given = {"email": "ana@example.com", "name": "Ana", "role": "viewer", "password": PASSWORD, **values}
    with pytest.raises(InvalidInput) as refused:
        password = given.pop("password")
        services.users.add_user(onhand, AddUser(**given), password=password)
    assert refused.value.field == field
    assert services.users.list_users(onhand) == []


def test_an_email_is_taken_once_and_locations_must_exist(onhand):
    add(onhand)
    with pytest.raises(AlreadyExists):
        add(onhand, email="ANA@example.com")
    with pytest.raises(NotFound):
        add(onhand, email="bo@example.com", locations=["NOWHERE"])


def test_roles_and_locations_limit_what_a_user_may_do(onhand):
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    viewer = add(onhand, email="v@example.com", role="viewer")
    manager = add(onhand, email="m@example.com", role="manager", locations=["NY"])
    services.users.authorize_user(viewer, Permission.READ)
    with pytest.raises(Forbidden):
        services.users.authorize_user(viewer, Permission.RECEIVING)
    services.users.authorize_user(manager, Permission.BOOKS)
    with pytest.raises(Forbidden):
        services.users.authorize_user(manager, Permission.USERS)
    services.users.authorize_location(manager, "NY")
    with pytest.raises(Forbidden):
        services.users.authorize_location(manager, "LA")

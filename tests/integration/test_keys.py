import pytest

from onhand import services
from onhand.domain.access import Permission
from onhand.domain.errors import Forbidden, InvalidInput, Unauthorized


def test_a_new_key_authenticates_and_only_its_hash_is_stored(onhand):
    new = services.keys.create_api_key(onhand, name="shop floor", role="operator")
    assert new.secret.startswith("onh_")
    assert services.keys.authenticate(onhand, new.secret) == new.key
    with onhand.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT secret_hash FROM api_keys").scalar_one()
    assert new.secret not in stored and len(stored) == 64


@pytest.mark.parametrize("secret", [None, "", "Bearer x", "onh_nope_nope", "onh_abc"])
def test_a_missing_or_wrong_key_is_unauthorized(onhand, secret):
    services.keys.create_api_key(onhand, name="k", role="admin")
    with pytest.raises(Unauthorized):
        services.keys.authenticate(onhand, secret)


def test_a_tampered_secret_with_a_real_prefix_is_unauthorized(onhand):
    new = services.keys.create_api_key(onhand, name="k", role="admin")
    with pytest.raises(Unauthorized):
        services.keys.authenticate(onhand, new.secret[:-2] + "xx")


def test_a_revoked_key_no_longer_authenticates(onhand):
    new = services.keys.create_api_key(onhand, name="k", role="admin")
    services.keys.revoke_api_key(onhand, new.key.id)
    with pytest.raises(Unauthorized):
        services.keys.authenticate(onhand, new.secret)


def test_a_viewer_may_read_but_not_write(onhand):
    viewer = services.keys.create_api_key(onhand, name="v", role="viewer").key
    services.keys.authorize(viewer, Permission.READ)
    with pytest.raises(Forbidden):
        services.keys.authorize(viewer, Permission.WRITE)


def test_an_unknown_role_is_refused(onhand):
    with pytest.raises(InvalidInput) as error:
        services.keys.create_api_key(onhand, name="k", role="god")
    assert error.value.field == "role"

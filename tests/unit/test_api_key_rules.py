"""The life of an API key: expiry, rotation overlap, last use, the last admin key."""

from datetime import UTC, datetime, timedelta

import pytest

from onhand.domain.access.api_keys import (
    check_admins_remain,
    is_active,
    last_use_due,
    previous_secret_works,
    rotation_overlap,
    validate_expiry,
)
from onhand.domain.errors import InvalidInput, LastAdminKey

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_a_key_is_active_until_revoked_or_expired():
    assert is_active(revoked_at=None, expires_at=None, now=NOW)
    assert is_active(revoked_at=None, expires_at=NOW + timedelta(seconds=1), now=NOW)
    assert not is_active(revoked_at=None, expires_at=NOW, now=NOW)
    assert not is_active(revoked_at=NOW, expires_at=None, now=NOW)


@pytest.mark.parametrize("expires_at", [NOW, NOW - timedelta(days=1), datetime(2027, 1, 1)])
def test_an_expiry_in_the_past_or_without_a_time_zone_is_refused(expires_at):
    with pytest.raises(InvalidInput) as error:
        validate_expiry(expires_at, NOW)
    assert error.value.field == "expires_at"


def test_the_rotation_overlap_defaults_to_a_day_and_is_bounded():
    assert rotation_overlap(None) == timedelta(hours=24)
    assert rotation_overlap(0) == timedelta(0)
    for wrong in (-1, 721, True):
        with pytest.raises(InvalidInput):
            rotation_overlap(wrong)


def test_the_previous_secret_works_only_until_the_overlap_ends():
    assert previous_secret_works(NOW + timedelta(seconds=1), NOW)
    assert not previous_secret_works(NOW, NOW)
    assert not previous_secret_works(None, NOW)


def test_a_use_is_recorded_at_most_once_a_minute():
    assert last_use_due(None, NOW)
    assert not last_use_due(NOW - timedelta(seconds=59), NOW)
    assert last_use_due(NOW - timedelta(minutes=1), NOW)


def test_the_last_active_admin_key_may_not_go_but_one_of_two_may():
    with pytest.raises(LastAdminKey):
        check_admins_remain(1, [1])
    check_admins_remain(1, [1, 2])
    check_admins_remain(3, [1])  # not an active admin: nothing to keep

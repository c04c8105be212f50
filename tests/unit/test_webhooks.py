"""Webhook rules over plain values: signatures, the retry schedule, what a subscription may hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onhand.domain.errors import InvalidInput
from onhand.domain.webhooks.retries import CAP, RETRY_WINDOW, backoff, next_attempt
from onhand.domain.webhooks.signatures import derive_secret, signature, verify
from onhand.domain.webhooks.subscriptions import validate_event_types, validate_url, wants
from tests.hypothesis_profiles import examples

KNOWN = ("item.created", "order.status_changed")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_signature_covers_the_timestamp_and_the_exact_body():
    header = signature("whsec_s", 1_772_442_000, b'{"id":1}')
    assert header.startswith("t=1772442000,v1=") and len(header.split("v1=")[1]) == 64
    assert verify("whsec_s", header, b'{"id":1}', now=1_772_442_000)
    assert not verify("whsec_s", header, b'{"id":2}', now=1_772_442_000)
    assert not verify("whsec_s", header.replace("t=1772442000", "t=1772442001"), b'{"id":1}', now=1_772_442_000)
    assert not verify("whsec_s", header, b'{"id":1}', now=1_772_442_000 + 301)  # a replay, later
    assert not verify("whsec_s", "v1=" + header.split("v1=")[1], b'{"id":1}', now=1_772_442_000)  # no t


def test_secrets_differ_by_salt_and_by_installation_key():
    assert derive_secret(b"k1", "salt") == derive_secret(b"k1", "salt")
    assert len({derive_secret(b"k1", "salt"), derive_secret(b"k1", "other"), derive_secret(b"k2", "salt")}) == 3


@given(st.binary(max_size=200), st.integers(min_value=0, max_value=2**40))
@settings(max_examples=examples(50), deadline=None)
def test_any_body_signed_is_verified_and_a_changed_byte_is_not(body, at):
    header = signature("whsec_x", at, body)
    assert verify("whsec_x", header, body, now=at)
    assert not verify("whsec_x", header, body + b"\0", now=at)


def test_waits_double_from_half_a_minute_to_an_hour_and_jitter_only_shortens():
    assert [backoff(n, 1.0) for n in (1, 2, 3)] == [timedelta(seconds=30), timedelta(seconds=60),
                                                    timedelta(seconds=120)]
    assert backoff(40, 1.0) == CAP
    assert backoff(1, 0.0) == timedelta(seconds=15)
    assert timedelta(seconds=15) <= backoff(1, 0.42) <= timedelta(seconds=30)


def test_retries_end_a_day_after_the_delivery_was_first_due():
    assert next_attempt(3, T0, T0 + timedelta(hours=1), 1.0) == T0 + timedelta(hours=1, minutes=2)
    assert next_attempt(30, T0, T0 + RETRY_WINDOW - timedelta(minutes=30), 1.0) is None
    assert next_attempt(30, T0, T0 + RETRY_WINDOW - timedelta(hours=1), 1.0) == T0 + RETRY_WINDOW


@pytest.mark.parametrize("url", [
    "ftp://example.com/", "example.com/hook", "https://", "https://user:pw@example.com/",
    "https://example.com/a b", "https://example.com/#frag", "https://example.com:99999/", "https://exämple.com/",
    "https://example.com/" + "x" * 2000, "",
])
def test_a_url_that_is_not_a_plain_http_address_is_refused(url):
    with pytest.raises(InvalidInput) as caught:
        validate_url(url)
    assert caught.value.field == "url"


def test_a_plain_http_or_https_url_is_taken_as_given():
    assert validate_url(" https://example.com:8443/hooks?x=1 ") == "https://example.com:8443/hooks?x=1"
    assert validate_url("http://127.0.0.1:9000/h") == "http://127.0.0.1:9000/h"


def test_event_types_are_known_ones_once_or_every_type():
    assert validate_event_types(["order.status_changed", "item.created", "item.created"], KNOWN) == (
        "order.status_changed", "item.created")
    assert validate_event_types(["*"], KNOWN) == ("*",)
    assert wants(("*",), "anything") and wants(KNOWN, "item.created") and not wants(KNOWN, "item.changed")
    for bad in ([], ["*", "item.created"], ["order.shipped"], [1]):
        with pytest.raises(InvalidInput):
            validate_event_types(bad, KNOWN)

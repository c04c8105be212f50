"""Signing a delivery, Stripe-style: `Onhand-Signature: t=<unix seconds>,v1=<hex>` where
hex is HMAC-SHA256 with the subscription's secret over `"<t>.<raw body>"`. The timestamp
is signed too, so a receiver can refuse an old delivery replayed (docs/webhooks.md has the
receiver's side, `verify` below in a dozen lines).

A subscription's secret is never stored: it is derived from the installation's webhook
key (configuration) and the subscription's random salt, so the database alone cannot sign.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "Onhand-Signature"
EVENT_ID_HEADER = "Onhand-Event-Id"
DELIVERY_ID_HEADER = "Onhand-Delivery-Id"
SECRET_PREFIX = "whsec_"
DEFAULT_TOLERANCE = 300  # seconds a receiver accepts between `t` and its clock


def derive_secret(key: bytes, salt: str) -> str:
    """A subscription's secret: HMAC-SHA256(installation key, salt), as text."""
    return SECRET_PREFIX + hmac.new(key, f"onhand-webhook:{salt}".encode(), hashlib.sha256).hexdigest()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The `Onhand-Signature` header's value for a body sent at `timestamp` (Unix seconds)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = DEFAULT_TOLERANCE) -> bool:
    """The receiver's check (the one docs/webhooks.md shows): a v1 signature over this raw
    body matches, in constant time, and `t` is within `tolerance` seconds of `now`."""
    fields = [part.split("=", 1) for part in header.split(",") if "=" in part]
    stamps = [value for name, value in fields if name == "t"]
    if len(stamps) != 1 or not stamps[0].isdigit() or abs(now - int(stamps[0])) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{stamps[0]}.".encode() + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, value) for name, value in fields if name == "v1")

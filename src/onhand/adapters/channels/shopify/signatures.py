"""Shopify's webhook signature: base64 HMAC-SHA256 of the raw body with the app's secret,
compared in constant time. Hash the bytes as received, before any JSON parsing."""

from __future__ import annotations

import base64
import hashlib
import hmac


def signature(raw_body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode("utf-8"), raw_body, hashlib.sha256).digest()).decode("ascii")


def is_authentic(raw_body: bytes, header_value: str | None, secret: str | None) -> bool:
    if not header_value or not secret:
        return False
    return hmac.compare_digest(signature(raw_body, secret).encode("ascii"),
                               header_value.strip().encode("ascii", "replace"))

"""Passwords, stored as scrypt hashes (standard library, memory-hard):
`scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>`. The parameters travel with each hash, so
they can be raised later without invalidating existing ones."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# scrypt's N is 2^cost (ONHAND_PASSWORD_COST). At 15: 2^15 × 8 × 128 bytes = 32 MiB and some
# tens of milliseconds per check. Below 15 only outside production (a test suite's speed).
DEFAULT_COST, MIN_COST, MIN_PRODUCTION_COST, MAX_COST = 15, 10, 15, 16
R, P = 8, 1
_LENGTH = 32


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # A stored hash names its own parameters: never let one ask for more than MAX_COST's memory.
    memory = 128 * r * (n + p + 2)
    if memory > 128 * R * (2**MAX_COST + P + 2):
        raise ValueError("scrypt parameters beyond what Onhand allows")
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=2 * memory, dklen=_LENGTH)


def _encoded(n: int, salt: bytes, digest: bytes) -> str:
    encode = base64.b64encode
    return f"scrypt${n}${R}${P}${encode(salt).decode()}${encode(digest).decode()}"


def hash_password(password: str, cost: int = DEFAULT_COST) -> str:
    salt = secrets.token_bytes(16)
    return _encoded(2**cost, salt, _derive(password, salt, 2**cost, R, P))


def password_matches(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        derived = _derive(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(derived, base64.b64decode(digest))


def decoy_hash(cost: int = DEFAULT_COST) -> str:
    """Checked when no user has the email, so that an unknown email costs as much as a
    wrong password (a hash at the cost new passwords get, that no password matches)."""
    return _encoded(2**cost, bytes(16), bytes(_LENGTH))

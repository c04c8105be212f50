"""Passwords, stored as scrypt hashes (standard library, memory-hard):
`scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>`. The parameters travel with each hash, so
they can be raised later without invalidating existing ones."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# 2^15 × 8 × 128 bytes = 32 MiB and some tens of milliseconds per check.
N, R, P = 2**15, 8, 1
_MAX_MEMORY = 64 * 1024 * 1024
_LENGTH = 32


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=_MAX_MEMORY, dklen=_LENGTH)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _derive(password, salt, N, R, P)
    encode = base64.b64encode
    return f"scrypt${N}${R}${P}${encode(salt).decode()}${encode(digest).decode()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        derived = _derive(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(derived, base64.b64decode(digest))


# Checked when no user has the email, so that an unknown email costs as much as a wrong password.
DECOY_HASH = "scrypt$32768$8$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

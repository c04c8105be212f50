"""The installation's webhook key: from ONHAND_WEBHOOK_KEY, or an owner-only key file made
on first use (32 random bytes, hex). Every process that signs deliveries for one database
must share it (on several machines: set ONHAND_WEBHOOK_KEY everywhere)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def load_webhook_key(text: str | None, path: Path) -> bytes:
    if text:
        return text.encode()
    try:
        return path.read_text(encoding="ascii").strip().encode()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it just now
        return path.read_text(encoding="ascii").strip().encode()
    with os.fdopen(fd, "w", encoding="ascii") as file:
        file.write(key + "\n")
    return key.encode()

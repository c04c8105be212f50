"""OAuth tokens kept in a file only their owner may read, for the accounting pushes.

Xero's refresh tokens rotate on every refresh and QuickBooks Online's may: the pair a
refresh returns must be where the next run reads it, or the connection is lost. A JSON
file at a configured path (config.OAuthClient.token_file) is that place:

- created and replaced with mode 0600 (written to a temporary file beside it, then
  renamed over it, so a crash leaves the old pair or the new, never half of one); a file
  others may read is refused, as ssh refuses a private key;
- a refresh runs under an exclusive lock on `<file>.lock`, so two processes on the host
  never spend the same refresh token;
- the client secret is not in it (it stays in the configuration), and nothing here logs.
"""

from __future__ import annotations

import fcntl
import json
import os
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from onhand.domain.errors import PushFailed


class TokenFile:
    def __init__(self, target: str, path: Path, seed_refresh_token: str | None = None) -> None:
        self.target = target
        self.path = path
        self._seed = seed_refresh_token

    def read(self) -> dict[str, Any]:
        """The stored token; seeded from the configured refresh token when there is no file yet."""
        if not self.path.exists():
            if not self._seed:
                raise PushFailed(self.target, f"no OAuth token file at {self.path}: connect Onhand to {self.target} "
                                              "and give its refresh token (see docs/accounting.md)")
            self.save({"refresh_token": self._seed, "access_token": None, "expires_at": 0})
        mode = stat.S_IMODE(self.path.stat().st_mode)
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise PushFailed(self.target, f"the token file {self.path} may be read by others (mode {mode:04o}); "
                                          "make it owner-only (chmod 600)")
        try:
            found = json.loads(self.path.read_text())
        except ValueError:
            raise PushFailed(self.target, f"the token file {self.path} is not JSON") from None
        if not isinstance(found, dict) or not found.get("refresh_token"):
            raise PushFailed(self.target, f"the token file {self.path} holds no refresh token")
        return found

    def save(self, token: Mapping[str, Any]) -> None:
        """Replace the stored token atomically, owner-only."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump(dict(token), out, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.path)

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold the file's lock (one refresher per host at a time)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

"""A channel's secrets, from where its `credentials` point: the environment
(ONHAND_CHANNEL_<NAME>_<SECRET>) or a JSON file only its owner may read. Read when used
(a file's content is kept in this process while the file is unchanged: every webhook checks
its signature with it), never stored in the database, returned or logged (no repr shows them)."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from onhand.domain.channels.channels import FILE_PREFIX, env_variable
from onhand.domain.channels.records import ChannelRecord
from onhand.domain.errors import PushFailed

SECRETS = ("access_token", "webhook_secret")
MAX_FILE_BYTES = 64 * 1024


def read_secret(channel: ChannelRecord, name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The secret `name` of `channel`, or None where it is not set. A secrets file that
    others may read, or that is not a JSON object, is refused (PushFailed, naming no secret)."""
    if channel.credentials.startswith(FILE_PREFIX):
        return _from_file(channel, Path(channel.credentials[len(FILE_PREFIX):])).get(name)
    value = (os.environ if environ is None else environ).get(env_variable(channel.name, name))
    return value or None


# path -> (the file's identity and version when read, its secrets). A rotated or edited file
# has another mtime or size or inode: read again. Permissions are checked at every use.
_read: dict[Path, tuple[tuple[int, int, int, int], dict[str, str]]] = {}


def _from_file(channel: ChannelRecord, path: Path) -> dict[str, str]:
    try:
        info = path.stat()
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise PushFailed(channel.name, f"secrets file {path} may be read by others: chmod 600 it")
        if info.st_size > MAX_FILE_BYTES:
            raise PushFailed(channel.name, f"secrets file {path} is too large")
        version = (info.st_ino, info.st_dev, info.st_mtime_ns, info.st_size)
        kept = _read.get(path)
        if kept is not None and kept[0] == version:
            return kept[1]
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PushFailed(channel.name, f"secrets file {path} cannot be read ({exc.strerror})") from None
    except ValueError:
        raise PushFailed(channel.name, f"secrets file {path} is not JSON") from None
    if not isinstance(data, dict):
        raise PushFailed(channel.name, f"secrets file {path} must hold a JSON object")
    found = {key: value for key, value in data.items() if key in SECRETS and isinstance(value, str)}
    _read[path] = (version, found)
    return found

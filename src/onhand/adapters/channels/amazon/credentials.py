"""An Amazon channel's secrets and seller settings, read where the channel's `credentials`
points: `env` (ONHAND_CHANNEL_<NAME>_LWA_CLIENT_ID, …) or `file:<path>` (a JSON object in a
file only its owner may read). The secrets go into request headers and the token form,
never into a log line, an error message or a repr.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from onhand.domain.channels.channels import ENV, FILE_PREFIX, env_variable
from onhand.domain.errors import InvalidInput

SECRETS = ("lwa_client_id", "lwa_client_secret", "refresh_token")
SETTINGS = ("seller_id", "marketplace_id")
MAX_FILE = 64 * 1024


@dataclass(frozen=True)
class AmazonCredentials:
    seller_id: str
    marketplace_id: str
    client_id: str = field(repr=False)
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)


def _from_file(path: Path) -> Mapping[str, object]:
    try:
        info = path.stat()
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise InvalidInput("credentials", f"{path} may be read by others: make it owner-only (chmod 600)")
        if info.st_size > MAX_FILE:
            raise InvalidInput("credentials", f"{path} is larger than {MAX_FILE} bytes")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise InvalidInput("credentials", f"{path} cannot be read") from None
    except ValueError:
        raise InvalidInput("credentials", f"{path} is not a JSON object") from None
    if not isinstance(data, dict):
        raise InvalidInput("credentials", f"{path} is not a JSON object")
    return data


def read_credentials(name: str, reference: str, environ: Mapping[str, str] | None = None) -> AmazonCredentials:
    """The channel's credentials; a missing one is named (the variable or key), never shown."""
    environ = os.environ if environ is None else environ
    if reference == ENV:
        values: Mapping[str, object] = {key: environ.get(env_variable(name, key)) for key in SECRETS + SETTINGS}
        where = {key: env_variable(name, key) for key in SECRETS + SETTINGS}
    elif reference.startswith(FILE_PREFIX):
        path = Path(reference[len(FILE_PREFIX):])
        values = _from_file(path)
        where = {key: f"{key} in {path}" for key in SECRETS + SETTINGS}
    else:
        raise InvalidInput("credentials", "must be 'env' or 'file:<absolute path>'")
    missing = [where[key] for key in SECRETS + SETTINGS
               if not isinstance(values.get(key), str) or not str(values.get(key)).strip()]
    if missing:
        raise InvalidInput("credentials", f"missing: {', '.join(missing)}")
    text = {key: str(values[key]).strip() for key in SECRETS + SETTINGS}
    return AmazonCredentials(seller_id=text["seller_id"], marketplace_id=text["marketplace_id"],
                             client_id=text["lwa_client_id"], client_secret=text["lwa_client_secret"],
                             refresh_token=text["refresh_token"])

"""An `AmazonClient` for a channel: its endpoint (the SP-API regional host), its
credentials read where the channel says, and the LWA token endpoint
(`ONHAND_AMAZON_LWA_URL`, default https://api.amazon.com/auth/o2/token)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from onhand.adapters.channels.amazon.client import LWA_URL, AmazonClient
from onhand.adapters.channels.amazon.credentials import read_credentials
from onhand.domain.channels.amazon import ChannelConnection
from onhand.domain.channels.channels import endpoint
from onhand.domain.errors import InvalidInput

LWA_URL_VARIABLE = "ONHAND_AMAZON_LWA_URL"


def amazon_client(connection: ChannelConnection, environ: Mapping[str, str] | None = None) -> AmazonClient:
    environ = os.environ if environ is None else environ
    if not connection.endpoint:
        raise InvalidInput("endpoint", f"channel {connection.name!r} has no endpoint: the SP-API host, e.g. "
                                       "https://sellingpartnerapi-na.amazon.com")
    lwa_url = endpoint(environ.get(LWA_URL_VARIABLE), LWA_URL_VARIABLE) or LWA_URL
    return AmazonClient(connection.endpoint, read_credentials(connection.name, connection.credentials, environ),
                        lwa_url=lwa_url)

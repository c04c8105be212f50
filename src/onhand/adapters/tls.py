"""One TLS context for every outgoing HTTPS call (shops, marketplaces, webhooks, accounting).

httpx builds a new context for every `Client` unless it is given one, and building one
loads the whole CA bundle: ~10-40 ms, more than the request itself. An `SSLContext` may
be shared by any number of connections and threads once it is made.
"""

from __future__ import annotations

import ssl
from functools import cache

import httpx


@cache
def tls_context() -> ssl.SSLContext:
    """httpx's default verification (the CA bundle, hostname checks), made once per process."""
    return httpx.create_ssl_context()

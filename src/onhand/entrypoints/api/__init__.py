"""The JSON HTTP API (FastAPI): parse, authorize, call one service, render.

    uvicorn onhand.entrypoints.api.app:app_from_env --factory

Modules: `app` (the factory), `auth` (API keys → permissions), `errors` (the one table
from `OnhandError` to HTTP status), `bodies` (exact JSON and CSV request bodies),
`schemas/` (what goes over the wire), `routes/` (one module per concept).
Nothing here imports SQLAlchemy or the database adapters; nothing is built at import time.
"""

"""What needs no key: a health check (the OpenAPI comes from FastAPI; `/` and the docs from the web app)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()


@router.get("/healthz", tags=["meta"], summary="Liveness check (no key needed)")
def health() -> dict[str, str]:
    return {"status": "ok"}

"""Settings, read from the environment only when asked (never at import time)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir


def default_database_url() -> str:
    path = Path(user_data_dir("onhand", appauthor=False)) / "onhand.db"
    return f"sqlite:///{path}"


@dataclass(frozen=True)
class Settings:
    database_url: str

    @classmethod
    def from_env(cls, database_url: str | None = None) -> Settings:
        return cls(
            database_url=database_url
            or os.environ.get("ONHAND_DATABASE_URL")
            or default_database_url()
        )

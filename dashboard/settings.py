"""Configuration, read once from the environment into a `Settings` dataclass.

The environment is the only source of configuration (twelve-factor), so that the same code
runs on a laptop with SQLite and behind gunicorn with PostgreSQL and Redis.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_HOME_AREA = "E06000033"  # Southend-on-Sea, whose partnership's figures ship as the demo


def _truthy(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def default_database_url() -> str:
    """SQLite file under `data/`, created on first run and git-ignored."""
    return f"sqlite:///{DATA_DIR / 'dashboard.db'}"


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from the environment."""

    database_url: str
    secret_key: str
    home_area: str
    cache_url: str | None
    public_read: bool
    data_dir: Path | None
    host: str
    port: int
    synthetic_demo: bool
    # Send the session cookie only over HTTPS; set SESSION_COOKIE_SECURE=true behind TLS.
    session_cookie_secure: bool = False

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Build settings from `env` (default: `os.environ`)."""
        e = dict(os.environ if env is None else env)
        data_dir = e.get("DASHBOARD_DATA_DIR")
        return cls(
            database_url=e.get("DATABASE_URL") or default_database_url(),
            secret_key=e.get("SECRET_KEY") or "dev-only-not-secret",
            home_area=e.get("HOME_AREA") or DEFAULT_HOME_AREA,
            cache_url=e.get("CACHE_URL") or None,
            public_read=_truthy(e.get("PUBLIC_READ"), True),
            data_dir=Path(data_dir) if data_dir else None,
            host=e.get("HOST") or "127.0.0.1",
            port=int(e.get("PORT") or 8050),
            synthetic_demo=_truthy(e.get("SYNTHETIC_DEMO"), True),
            session_cookie_secure=_truthy(e.get("SESSION_COOKIE_SECURE"), False),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings.from_env()

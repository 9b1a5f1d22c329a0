"""One cache object for the process: in-process by default, Redis when CACHE_URL is set.

Workers behind gunicorn share nothing but the database and this cache, so no worker holds state
that another needs.
"""

from __future__ import annotations

from flask import Flask
from flask_caching import Cache

from dashboard.settings import Settings

cache = Cache()
DEFAULT_TIMEOUT = 300


def init_cache(server: Flask, settings: Settings) -> None:
    """Attach the cache to the Flask server."""
    if settings.cache_url:
        config = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": settings.cache_url}
    else:
        config = {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": 2000}
    cache.init_app(server, config={**config, "CACHE_DEFAULT_TIMEOUT": DEFAULT_TIMEOUT})

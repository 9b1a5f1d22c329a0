"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py app:server`.

Workers share nothing but PostgreSQL (DATABASE_URL) and Redis (CACHE_URL). The app is built in
each worker after the fork (no preload), so each worker opens its own database pool.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8050")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
timeout = 120  # a 30-indicator meeting pack takes well under a minute
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then to bound memory
max_requests_jitter = 200
preload_app = False
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(_worker: object) -> None:
    """Freeze the objects the app was built with, once it is loaded in the worker.

    The Dash app, pandas, plotly's validators and the pages' layouts are a large heap that a
    full garbage collection walks every time: bench/http.py showed those collections as
    125 ms stalls every seventh scorecard request. Frozen objects are left out of collections.
    """
    import gc

    gc.freeze()

"""The dashboard's entry point: `create_app()` builds the Dash app; `server` is for gunicorn.

`python app.py` creates and loads the SQLite store on first run (with progress in the terminal)
and serves on http://127.0.0.1:8050, honouring HOST and PORT.
"""

from __future__ import annotations

import dash
from flask import Flask

from dashboard.settings import ROOT, Settings, get_settings


def create_app(settings: Settings | None = None, *, server: Flask | None = None) -> dash.Dash:
    """Build the app: pages, callbacks, API and cache, with no work done at import time."""
    settings = settings or get_settings()
    server = server or Flask(__name__)
    server.config.update(SECRET_KEY=settings.secret_key, DASHBOARD_SETTINGS=settings,
                         SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    app = dash.Dash(
        __name__,
        server=server,
        use_pages=True,
        pages_folder=str(ROOT / "layouts"),
        assets_folder=str(ROOT / "assets"),
        # Bootstrap is served from assets/ (00-bootstrap-*.min.css), not a CDN, so that the
        # app looks right on networks that block CDNs and in CI.
        suppress_callback_exceptions=True,
        title="Safeguarding partnership performance",
        update_title=None,
    )
    from dashboard import auth, data_routes
    from dashboard.api import api
    from dashboard.cache import init_cache
    from dashboard.errors import register_error_handlers
    from dashboard.exports.routes import exports_bp
    from layouts.shell import shell

    init_cache(server, settings)
    register_error_handlers(server)
    server.register_blueprint(api)
    server.register_blueprint(auth.blueprint)
    server.register_blueprint(data_routes.blueprint)
    server.register_blueprint(exports_bp)
    app.layout = shell
    app.index_string = app.index_string.replace("<html>", '<html lang="en-GB">', 1)
    from callbacks import register_all

    register_all(app)
    return app


app = create_app()
server = app.server


if __name__ == "__main__":
    from dashboard.bootstrap import ensure_loaded
    from dashboard.store.db import get_engine

    s = get_settings()
    ensure_loaded(get_engine(), synthetic=s.synthetic_demo)
    app.run(host=s.host, port=s.port, debug=False)

"""Answers for failures that are not the user's fault: a database outage, an oversized upload.

While PostgreSQL restarts, requests get a clear "temporarily unavailable" answer (503) instead
of a stack trace; pooled connections are pre-pinged, so the app recovers by itself when the
database is back. Uploads over the size limit are refused before they are read.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, request
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import RequestEntityTooLarge

MAX_UPLOAD_BYTES = 12 * 1024 * 1024
OUTAGE = ("The dashboard's database is not reachable just now. Nothing has been changed. "
          "Please try again in a minute.")


def _wants_json() -> bool:
    return request.path.startswith(("/api/", "/_dash-", "/export/", "/upload"))


def register_error_handlers(server: Flask) -> None:
    """Attach the handlers and the request size limit to the Flask server."""
    server.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD_BYTES

    @server.errorhandler(OperationalError)
    @server.errorhandler(DBAPIError)
    def _database_down(_err: Exception) -> tuple[Response | str, int]:
        if _wants_json():
            return jsonify({"error": OUTAGE, "status": 503}), 503
        return (f"<!doctype html><html lang='en'><head><title>Temporarily unavailable</title>"
                f"</head><body><main><h1>Temporarily unavailable</h1><p>{OUTAGE}</p></main>"
                f"</body></html>", 503)

    @server.errorhandler(RequestEntityTooLarge)
    def _too_large(_err: Exception) -> tuple[Response, int]:
        limit = MAX_UPLOAD_BYTES // (1024 * 1024)
        return jsonify({"error": f"The file is larger than the {limit} MB limit and was "
                                 "refused; nothing was stored.", "status": 413}), 413

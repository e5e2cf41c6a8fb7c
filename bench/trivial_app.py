"""The stack's own ceiling: a Flask app with one route returning {"status": "ok"}.

bench/service_bench.py serves it with the service's gunicorn settings (deploy/gunicorn.conf.py:
the same workers, worker class, JSON access log and hooks), so the gap between its /healthz and
the service's is what the service adds per request.
"""
from __future__ import annotations

from flask import Flask


def create_app() -> Flask:
    """The trivial app."""
    app = Flask(__name__)

    @app.get("/healthz")
    def health():
        return {"status": "ok"}

    return app

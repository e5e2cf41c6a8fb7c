"""What every request passes through: the compute deadline, the busy-worker gauge, request
metrics with bounded labels, and security headers on every response."""
from __future__ import annotations

import logging
import time

from flask import Flask, g, request

from ..adapters.metrics import Metrics
from ..config import Settings
from . import deadline, request_id
from .limits import check_query_length
from .problems import problem

# Any other method a client sends shares one label: label values from requests must be bounded.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Swagger UI (served locally) needs its own scripts and styles, one inline script included.
DOCS_CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' "
            "'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def method_label(method: str) -> str:
    """The metrics label of an HTTP method: itself when known, else OTHER."""
    return method if method in KNOWN_METHODS else "OTHER"


def deadline_problem(error: deadline.DeadlineExceeded):
    """The 503 a request gets when its compute deadline runs out."""
    logging.getLogger("service").warning("request %s %s stopped: %s", request.method,
                                         request.path, error)
    return problem(503, f"The evaluation did not finish within the compute deadline of "
                        f"{error.seconds:g} s and was stopped; the service is healthy. Retry "
                        f"later, or send a smaller description.",
                   headers={"Retry-After": deadline.retry_after(error.seconds)})


def install(app: Flask, settings: Settings, metrics: Metrics) -> None:
    """Register the hooks on the app (the deadline's first, so it covers every other hook).

    One hook of each kind, each reading the request once: they run on every request, health
    probes included, so their cost is the service's floor (docs/benchmarks.md)."""
    @app.before_request
    def arm():
        g.started = time.perf_counter()
        metrics.busy.inc()
        metrics.busy_since.set(time.time())
        g.busy = True
        deadline.start(settings.request_deadline_seconds)
        # The caller's X-Request-ID or a new one, before anything can fail: every answer and
        # log line carries it (a malformed one is a 400, timed like any other answer).
        request_id.assign()
        # After the timer starts, so that a 414 is timed too.
        check_query_length(request.query_string, settings.max_query_bytes)

    @app.after_request
    def finish(response):
        deadline.stop()
        current = request._get_current_object()
        rule = current.url_rule
        endpoint = rule.rule if rule else "unmatched"
        metrics.requests.labels(method_label(current.method), endpoint,
                                str(response.status_code)).inc()
        started = g.get("started")
        if started is not None:  # not for a request refused before the timer started
            metrics.latency.labels(endpoint).observe(time.perf_counter() - started)
        return request_id.echo(response)

    @app.teardown_request
    def release(exc):
        deadline.stop()
        if g.pop("busy", False):
            metrics.busy.dec()
            metrics.busy_since.set(0)

    app.register_error_handler(deadline.DeadlineExceeded, deadline_problem)
    app.wsgi_app = SecurityHeaders(app.wsgi_app)


class SecurityHeaders:
    """WSGI middleware adding the security headers a response does not set itself: on every
    response, errors included, and cheaper than editing each response's header map."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.api = [("Content-Security-Policy", API_CSP), *SECURITY_HEADERS.items()]
        self.docs = [("Content-Security-Policy", DOCS_CSP), *SECURITY_HEADERS.items()]

    def __call__(self, environ, start_response):
        extra = self.docs if environ.get("PATH_INFO", "").startswith("/docs") else self.api

        def add_headers(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers.extend(h for h in extra if h[0].lower() not in present)
            return start_response(status, headers, exc_info)
        return self.wsgi_app(environ, add_headers)

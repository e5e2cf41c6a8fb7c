"""Health, readiness and metrics endpoints for orchestrators and scrapers."""
from __future__ import annotations

import marshmallow as ma
from flask import Response, current_app
from flask.views import MethodView
from marshmallow import fields

from ..domain.version import ruleset_version
from .parsing import Blueprint
from .problems import PROBLEM_REF, problem

blp = Blueprint("operations", __name__, description="Liveness, readiness and metrics.")


SATURATION_SECONDS = 1.0


class HealthSchema(ma.Schema):
    status = fields.String()


class ReadySchema(ma.Schema):
    status = fields.String(metadata={"description": "ready, even when the cache is degraded."})
    ruleset_version = fields.String()
    cache = fields.Dict(metadata={"description": "backend (memory or redis) and its state."})
    workers = fields.Dict(metadata={"description": "gunicorn workers: busy now, busy on one "
                                                   "request for over a second, and total (null "
                                                   "outside gunicorn)."})


@blp.route("/healthz")
class Health(MethodView):
    @blp.doc(summary="Liveness",
             description="A worker answers. Under load this waits for a free worker (at most the "
                         "compute deadline): probe liveness with a TCP check of the port instead "
                         "(see the README's Operations section).")
    @blp.response(200, HealthSchema)
    def get(self):
        return {"status": "ok"}


@blp.route("/readyz")
class Ready(MethodView):
    @blp.doc(summary="Readiness",
             description="Ready to evaluate. A degraded cache (Redis down) does not make the "
                         "service unready: answers are computed instead. Saturated (503): every "
                         "other gunicorn worker has been busy with one request for over a "
                         "second, so only the worker answering the probe is left.")
    @blp.alt_response(503, schema=PROBLEM_REF, content_type="application/problem+json",
                      description="Saturated: every other worker is held by a long request.")
    @blp.response(200, ReadySchema)
    def get(self):
        extension = current_app.extensions["lmna"]
        total = extension.settings.workers
        metrics = extension.metrics
        # Busy for over a second: a momentary peak of short requests is not saturation.
        held = metrics.busy_workers(longer_than=SATURATION_SECONDS)
        workers = {"busy": metrics.busy_workers(), "held": held, "total": total}
        if total is not None and total > 1 and held >= total - 1:
            return problem(503, f"Saturated: {held} of {total} workers have each been busy "
                                f"with one request for over {SATURATION_SECONDS:g} s; only the "
                                f"one answering this probe is left.", headers={"Retry-After": "1"})
        return {"status": "ready", "ruleset_version": ruleset_version(),
                "cache": extension.cache.status(), "workers": workers}


@blp.route("/metrics")
class Metrics(MethodView):
    @blp.doc(summary="Prometheus metrics",
             description="Request counts and latency by endpoint, cache hits, misses and errors, "
                         "evaluations by class; summed over gunicorn workers.")
    @blp.response(200, {"type": "string"}, content_type="text/plain")
    def get(self):
        body, content_type = current_app.extensions["lmna"].metrics.exposition()
        return Response(body, 200, content_type=content_type)

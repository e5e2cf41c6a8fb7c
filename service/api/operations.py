"""Health, readiness and metrics endpoints for orchestrators and scrapers."""
from __future__ import annotations

import marshmallow as ma
from flask import Response, current_app
from flask.views import MethodView
from marshmallow import fields
from prometheus_client import CONTENT_TYPE_LATEST

from ..domain.version import ruleset_version
from ..schemas.fields import NamedEnum, Sent
from .contract import problems
from .parsing import Blueprint
from .problems import problem

# What the metrics endpoint sends: prometheus_client's text exposition format.
METRICS_TYPE = CONTENT_TYPE_LATEST

blp = Blueprint("operations", __name__, description="Liveness, readiness and metrics.")


# Busy for over a second on one request: a momentary peak of short requests is not saturation.
SATURATION_SECONDS = 1.0


class HealthSchema(Sent):
    status = NamedEnum("HealthStatus", ("ok",))


class CacheStatusSchema(ma.Schema):
    """The result cache's state; which counters appear depends on the backend."""

    backend = NamedEnum("CacheBackend", ("memory", "redis"), required=True)
    state = NamedEnum("CacheState", ("ok", "degraded"), required=True, metadata={
        "description": "degraded: Redis failed lately and answers are computed meanwhile."})
    entries = fields.Integer(metadata={"description": "memory: entries held by this worker."})
    bytes = fields.Integer(metadata={"description": "memory: bytes those entries hold."})
    consecutive_failures = fields.Integer(metadata={"description": "redis: failures in a row."})
    retry_in_seconds = fields.Float(metadata={
        "description": "redis: seconds until Redis is tried again (0 when it is in use)."})


class WorkersSchema(Sent):
    """gunicorn's workers as readiness sees them."""

    busy = fields.Integer(metadata={"description": "Workers busy with a request now."})
    held = fields.Integer(metadata={
        "description": "Workers busy with one request for over a second."})
    total = fields.Integer(allow_none=True, metadata={
        "description": "Workers in all (null outside gunicorn)."})


class ReadySchema(Sent):
    status = NamedEnum("ReadyStatus", ("ready",), metadata={
        "description": "ready, even when the cache is degraded."})
    ruleset_version = fields.String()
    cache = fields.Nested(CacheStatusSchema)
    workers = fields.Nested(WorkersSchema)


@blp.route("/healthz")
class Health(MethodView):
    @blp.doc(operationId="checkHealth", summary="Liveness",
             description="A worker answers. Under load this waits for a free worker (at most the "
                         "compute deadline): probe liveness with a TCP check of the port instead "
                         "(see the README's Operations section).")
    @problems(blp)
    @blp.response(200, HealthSchema)
    def get(self):
        return {"status": "ok"}


@blp.route("/readyz")
class Ready(MethodView):
    @blp.doc(operationId="checkReadiness", summary="Readiness",
             description="Ready to evaluate. A degraded cache (Redis down) does not make the "
                         "service unready: answers are computed instead. Saturated (503): every "
                         "other gunicorn worker has been busy with one request for over a "
                         "second, so only the worker answering the probe is left.")
    @problems(blp, 503)
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
    @blp.doc(operationId="getMetrics", summary="Prometheus metrics",
             description="Request counts and latency by endpoint, cache hits, misses and errors, "
                         "evaluations by class; summed over gunicorn workers.")
    @problems(blp)
    @blp.response(200, {"type": "string"}, content_type=METRICS_TYPE)
    def get(self):
        body, content_type = current_app.extensions["lmna"].metrics.exposition()
        return Response(body, 200, content_type=content_type)

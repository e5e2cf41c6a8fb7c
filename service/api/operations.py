"""Health, readiness and metrics endpoints for orchestrators and scrapers."""
from __future__ import annotations

import marshmallow as ma
from flask import Response, current_app
from flask.views import MethodView
from marshmallow import fields
from prometheus_client import CONTENT_TYPE_LATEST

from ..domain.version import ruleset_version
from .contract import NamedEnum, Sent, problems
from .parsing import Blueprint

# What the metrics endpoint sends: prometheus_client's text exposition format.
METRICS_TYPE = CONTENT_TYPE_LATEST

blp = Blueprint("operations", __name__, description="Liveness, readiness and metrics.")


class HealthSchema(Sent):
    status = NamedEnum("HealthStatus", ("ok",))


class CacheStatusSchema(ma.Schema):
    """The result cache's state; which counters appear depends on the backend."""

    backend = NamedEnum("CacheBackend", ("memory", "redis"), required=True)
    state = NamedEnum("CacheState", ("ok", "degraded"), required=True, metadata={
        "description": "degraded: Redis failed lately and answers are computed meanwhile."})
    entries = fields.Integer(metadata={"description": "memory: entries held by this worker."})
    consecutive_failures = fields.Integer(metadata={"description": "redis: failures in a row."})
    retry_in_seconds = fields.Float(metadata={
        "description": "redis: seconds until Redis is tried again (0 when it is in use)."})


class ReadySchema(Sent):
    status = NamedEnum("ReadyStatus", ("ready",), metadata={
        "description": "ready, even when the cache is degraded."})
    ruleset_version = fields.String()
    cache = fields.Nested(CacheStatusSchema)


@blp.route("/healthz")
class Health(MethodView):
    @blp.doc(operationId="checkHealth", summary="Liveness", description="The process answers.")
    @problems(blp)
    @blp.response(200, HealthSchema)
    def get(self):
        return {"status": "ok"}


@blp.route("/readyz")
class Ready(MethodView):
    @blp.doc(operationId="checkReadiness", summary="Readiness",
             description="Ready to evaluate. A degraded cache (Redis down) does not make the "
                         "service unready: answers are computed instead.")
    @problems(blp)
    @blp.response(200, ReadySchema)
    def get(self):
        cache = current_app.extensions["lmna"].cache
        return {"status": "ready", "ruleset_version": ruleset_version(), "cache": cache.status()}


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

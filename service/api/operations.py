"""Health, readiness and metrics endpoints for orchestrators and scrapers."""
from __future__ import annotations

import marshmallow as ma
from flask import Response, current_app
from flask.views import MethodView
from marshmallow import fields

from ..domain.version import ruleset_version
from .parsing import Blueprint

blp = Blueprint("operations", __name__, description="Liveness, readiness and metrics.")


class HealthSchema(ma.Schema):
    status = fields.String()


class ReadySchema(ma.Schema):
    status = fields.String(metadata={"description": "ready, even when the cache is degraded."})
    ruleset_version = fields.String()
    cache = fields.Dict(metadata={"description": "backend (memory or redis) and its state."})


@blp.route("/healthz")
class Health(MethodView):
    @blp.doc(summary="Liveness", description="The process answers.")
    @blp.response(200, HealthSchema)
    def get(self):
        return {"status": "ok"}


@blp.route("/readyz")
class Ready(MethodView):
    @blp.doc(summary="Readiness",
             description="Ready to evaluate. A degraded cache (Redis down) does not make the "
                         "service unready: answers are computed instead.")
    @blp.response(200, ReadySchema)
    def get(self):
        cache = current_app.extensions["lmna"].cache
        return {"status": "ready", "ruleset_version": ruleset_version(), "cache": cache.status()}


@blp.route("/metrics")
class Metrics(MethodView):
    @blp.doc(summary="Prometheus metrics",
             description="Request counts and latency by endpoint, cache hits, misses and errors, "
                         "evaluations by class; summed over gunicorn workers.")
    @blp.response(200, {"type": "string"}, content_type="text/plain")
    def get(self):
        body, content_type = current_app.extensions["lmna"].metrics.exposition()
        return Response(body, 200, content_type=content_type)

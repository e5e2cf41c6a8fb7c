"""The one path from a parsed description to a serialized evaluation, shared by every endpoint."""
from __future__ import annotations

from flask import current_app
from flask_smorest import abort

from .. import usecases
from ..domain.evaluate import evaluate
from ..domain.model import Cluster, Evaluation
from .schemas import ClusterSchema

CLUSTER_SCHEMA = ClusterSchema()


def cross_field_errors(cluster: Cluster) -> list[dict]:
    """The description's cross-field problems as {pointer, detail} (empty when it is sound)."""
    return usecases.problems(cluster)


def checked(cluster: Cluster) -> Cluster:
    """The cluster, or a 422 naming each cross-field problem."""
    errors = cross_field_errors(cluster)
    if errors:
        abort(422, errors=errors)
    return cluster


def counted(evaluation: Evaluation) -> Evaluation:
    """Count an evaluation by its class for the metrics endpoint."""
    metrics = current_app.extensions["lmna"].metrics
    metrics.evaluations.labels(evaluation.classification.value).inc()
    return evaluation


def evaluate_checked(cluster: Cluster) -> Evaluation:
    """Validate the description's cross-field rules, then evaluate it by its ruleset."""
    return counted(evaluate(checked(cluster)))


def load_cluster(payload) -> Cluster:
    """Load a raw JSON description (batch items); a ValidationError names each bad field."""
    return CLUSTER_SCHEMA.load(payload)

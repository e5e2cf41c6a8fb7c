"""The API's side of the application service: a 422 for an invalid description, and this app's
metrics as the evaluation counter."""
from __future__ import annotations

from flask import current_app
from flask_smorest import abort

from ..application import usecases
from ..application.results import EvaluationCounter, counted as count
from ..domain.model import Cluster, Evaluation


def counter() -> EvaluationCounter:
    """What counts this app's evaluations (its metrics)."""
    return current_app.extensions["lmna"].metrics


def checked(cluster: Cluster) -> Cluster:
    """The cluster, or a 422 naming each cross-field problem."""
    try:
        return usecases.checked(cluster)
    except usecases.InvalidInput as error:
        abort(422, errors=error.errors)
        raise  # not reached: abort raises (this tells a type checker so)


def counted(evaluation: Evaluation) -> Evaluation:
    """Count an evaluation by its class for the metrics endpoint."""
    return count(evaluation, counter())


def evaluate_checked(cluster: Cluster) -> Evaluation:
    """Validate the description's cross-field rules (a 422), then evaluate it by its ruleset,
    counted."""
    return usecases.evaluated(checked(cluster), counter())

"""The domain's entry point: evaluate a cluster description, remediation included."""
from __future__ import annotations

from .assessment import assess
from .model import Cluster, Evaluation
from .plan import remediate


def evaluate(cluster: Cluster, with_remediation: bool = True) -> Evaluation:
    """Classify, lay out, derive QoS policies and findings; then the remediation plans."""
    evaluation = assess(cluster)
    return remediate(cluster, evaluation) if with_remediation else evaluation

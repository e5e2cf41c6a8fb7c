"""The domain's entry point: evaluate a cluster description, remediation included."""
from __future__ import annotations

from .assessment import assess
from .model import Cluster, Evaluation
from .plan import remediate
from .ruleset import Ruleset
from .rulesets import DEFAULT
from .rulesets.ws2016.serve import serve
from .selection import ruleset_of


def evaluate(cluster: Cluster, with_remediation: bool = True,
             ruleset: Ruleset = DEFAULT) -> Evaluation:
    """Classify, lay out, derive QoS policies and findings by `ruleset` (the Windows Server
    2008 R2 guide unless told); then the remediation plans. A description that selects the
    Windows Server 2016 and later ruleset is answered by it (design mode, no plans)."""
    if ruleset_of(cluster) == "ws2016":
        return serve(cluster).evaluation
    evaluation = assess(ruleset, cluster)
    return remediate(ruleset, cluster, evaluation) if with_remediation else evaluation


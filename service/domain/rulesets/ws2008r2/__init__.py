"""The Windows Server 2008 R2 live migration network guide as a Ruleset, built in this one place.

Its parts: the guide's table (`reference_table.py`), the rules of `rules/` as each module lists
them, the caps and what the designer needs to know of the guide (`designer.py`),
the two QoS policies of the guide's procedures (`qos.py`), the change catalogue (`changes.py`)
and the product's 16-node limit.
"""
from __future__ import annotations

from ... import changes, qos
from ...catalogue import GUIDE_URL
from ...reference_table import TABLE
from ...ruleset import ChangeCatalogue, Designer, Limits, Ruleset, Source
from ...version import RULESET_NAME, RULESET_RELEASE
from .designer import (
    CAPS,
    GROUP_COUNT,
    IDEAL,
    WITHOUT_PATH,
    Constraints,
    group_preferences,
    shares_fast_private,
    speed_class,
)
from .rules import addressing, cluster, facts, placement, qos as qos_rules

WS2008R2 = Ruleset(
    name=RULESET_NAME,
    release=RULESET_RELEASE,
    title="Windows Server 2008 R2: Hyper-V live migration networks",
    sources=(
        Source("Configuring Hyper-V live migration networks in a failover cluster "
               "(Windows Server 2008 R2)", GUIDE_URL),
        Source("Failover cluster limits (KB 288778)", "http://support.microsoft.com/kb/288778"),
    ),
    table=TABLE,
    rules=(*facts.RULES, *cluster.RULES, *placement.RULES, *addressing.RULES, *qos_rules.RULES),
    caps=CAPS,
    designer=Designer(preferences=group_preferences, group_count_at=GROUP_COUNT, ideal=IDEAL,
                      speed_class=speed_class, constraints=Constraints.of,
                      path_dependent=shares_fast_private, without_path=WITHOUT_PATH),
    qos=qos.policies,
    changes=ChangeCatalogue(
        cluster=changes.cluster_changes,
        node_settings=changes.node_settings_changes,
        node=changes.node_changes,
        across_nodes=changes.across_nodes,
    ),
    limits=Limits(max_nodes=cluster.MAX_NODES),
)

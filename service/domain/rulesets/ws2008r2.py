"""The Windows Server 2008 R2 live migration network guide as a Ruleset, built in this one place.

Its parts: the guide's table (`reference_table.py`), the rules of `service/domain/rules/` as each
module lists them, the caps and designer preferences the table's layouts follow (here), the two
QoS policies of the guide's procedures (`qos.py`), the change catalogue (`changes.py`) and the
product's 16-node limit.
"""
from __future__ import annotations

from functools import lru_cache

from .. import changes, qos
from ..catalogue import GUIDE_URL
from ..model import Network, Role
from ..ports import GIGABIT, TEN_GIGABIT, Profile
from ..reference_table import TABLE
from ..rules import addressing, cluster, placement, qos as qos_rules
from ..rules.names import WINDOWS_2008_R2_MAX_NODES
from ..ruleset import CapPolicy, ChangeCatalogue, Limits, Preferences, Ruleset, Source
from ..version import RULESET_NAME, RULESET_RELEASE


def management_cap(profile: Profile) -> int:
    """Management shares a port: about 100 Mbps, as the table does (10 % of 1 Gbps, 1 % of 10 Gbps)."""
    return 1 if profile.speed_mbps >= TEN_GIGABIT else 10


def live_migration_cap(profile: Profile, roles: frozenset[Role]) -> int:
    """Live migration shares a port: the table's caps (rows 2, 4 and 7-9)."""
    if Role.CLUSTER_CSV in roles and not profile.public and profile.speed_mbps > GIGABIT:
        return 50 if profile.speed_mbps >= TEN_GIGABIT else 40
    return 90


CAPS = CapPolicy(management=management_cap, live_migration=live_migration_cap)


def _network_rank(network: Network | None, wanted: Network) -> int:
    return 2 if network == wanted else (1 if network is None else 0)


GROUP_COUNT = 3  # the preference that belongs to the layout, not to one group


@lru_cache(maxsize=16384)
def group_preferences(profile: Profile, roles: frozenset[Role]) -> tuple:
    """One group's share of the guide's preferences; a layout's preferences are the sum over its
    groups plus its number of ports (at GROUP_COUNT)."""
    lm_effective = 0.0
    if Role.LIVE_MIGRATION in roles:
        shared = len(roles) > 1
        cap = live_migration_cap(profile, roles) if shared else 100
        lm_effective = profile.speed_mbps * cap / 100
    isolated = 0 if roles & {Role.VM_ACCESS, Role.MANAGEMENT} else \
        len(roles & {Role.CLUSTER_CSV, Role.LIVE_MIGRATION})
    has = roles.__contains__
    return (
        # VM access on gigabit or faster before all else: every table row gives it that much.
        int(profile.speed_mbps >= GIGABIT) if has(Role.VM_ACCESS) else 0,
        lm_effective,
        isolated,
        0,  # GROUP_COUNT: the number of ports, filled in for the whole layout
        _network_rank(profile.network, Network.PUBLIC) if has(Role.VM_ACCESS) else 0,
        profile.speed_mbps if has(Role.VM_ACCESS) else 0,
        (_network_rank(profile.network, Network.PRIVATE) * has(Role.CLUSTER_CSV)
         + _network_rank(profile.network, Network.PRIVATE) * has(Role.LIVE_MIGRATION)),
        profile.speed_mbps if has(Role.CLUSTER_CSV) else 0,
        _network_rank(profile.network, Network.PUBLIC) if has(Role.MANAGEMENT) else 0,
        -profile.speed_mbps if roles == {Role.MANAGEMENT} else 0,
    )


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
    rules=(*cluster.RULES, *placement.RULES, *addressing.RULES, *qos_rules.RULES),
    caps=CAPS,
    preferences=Preferences(of_group=group_preferences, group_count_at=GROUP_COUNT),
    qos=qos.policies,
    changes=ChangeCatalogue(
        cluster=changes.cluster_changes,
        node_settings=changes.node_settings_changes,
        node=changes.node_changes,
        across_nodes=changes.across_nodes,
    ),
    limits=Limits(max_nodes=WINDOWS_2008_R2_MAX_NODES),
)

"""The designer's bounded search finds what an exhaustive search over every port finds."""
from __future__ import annotations

from itertools import product

from hypothesis import HealthCheck, given, settings, strategies as st

from service.domain.design import PARTITIONS, design, layout_class, score
from service.domain.layout import Group, Layout, redundant_path
from service.domain.model import Adapter, Cluster, Node, Team
from service.domain.ports import build_ports
from service.domain.rulesets import WS2008R2
from service.domain.rulesets.ws2008r2.designer import Constraints
from tests.profiles import examples

SPEEDS = [10, 100, 1000, 2500, 10000, 25000, 40000]
NETWORKS = [None, "public", "private"]


def exhaustive_best(cluster: Cluster, ports) -> tuple:
    """The best score over every grouping of the roles on every distinct choice of ports."""
    capable = sum(1 for p in ports if p.profile.cluster_capable)
    constraints = Constraints.of([(p.profile, 1) for p in ports])
    best = None
    for partition in PARTITIONS:
        for picks in product(ports, repeat=len(partition)):
            if len({p.name for p in picks}) < len(picks):
                continue
            if not all(constraints.allows(block, p.profile) for p, block in zip(picks, partition)):
                continue
            groups = tuple(Group(p.profile, block, p) for p, block in zip(picks, partition))
            virtual, caps = WS2008R2.caps.settings(groups)
            layout = Layout(groups, virtual, caps,
                            redundant_path(cluster.redundant_cluster_path, groups, capable))
            key = score(WS2008R2, layout, layout_class(WS2008R2, cluster.settings, layout))
            best = key if best is None or key > best else best
    return best


adapters = st.lists(st.tuples(st.sampled_from(SPEEDS), st.sampled_from(NETWORKS)),
                    min_size=2, max_size=6)


@settings(max_examples=examples(120), deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(adapters=adapters, team=st.booleans(), redundant=st.booleans(), chimney=st.booleans())
def test_bounded_search_matches_exhaustive_search(adapters, team, redundant, chimney):
    items = [Adapter(f"N{i}", speed, network=network) for i, (speed, network) in enumerate(adapters)]
    teams = ()
    if team and len(items) >= 3:
        items[-1] = Adapter(items[-1].name, items[-2].speed_mbps, team="T1")
        items[-2] = Adapter(items[-2].name, items[-2].speed_mbps, team="T1")
        teams = (Team("T1", "link_aggregation", network="private"),)
    node = Node("n", tuple(items), teams)
    cluster = Cluster((node,), redundant_cluster_path=redundant, tcp_chimney_offload=chimney)
    ports = build_ports(node)
    layout = design(WS2008R2, cluster.settings, ports)
    found = score(WS2008R2, layout, layout_class(WS2008R2, cluster.settings, layout))
    assert found == exhaustive_best(cluster, ports)

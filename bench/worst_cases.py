"""The most expensive descriptions we know of, as generators: the planner's bound is judged on them.

Each returns a `Cluster` (the domain's value) or, with `as_json`, the request body the API takes.
Sizes are those of the attack and scale reviews: 64 nodes that all differ, with 16 or 32 adapters
of mixed speeds and a few teams each, every port public and TCP Chimney on (remediation's worst),
in design and in audit mode.
"""
from __future__ import annotations

import random

from service.domain.model import Adapter, Cluster, Node, Role, RoleAssignment, Team

SPEEDS = (100, 1_000, 2_500, 10_000, 25_000, 40_000)


def _node(i: int, adapters: int, public: bool, rng: random.Random, audit: bool) -> Node:
    """A node of `adapters` adapters: mixed speeds, two link-aggregation teams and one failover
    team of mixed members, every port public when `public`."""
    network = "public" if public else None
    items = []
    teams = (Team("LAG1", "link_aggregation", network), Team("LAG2", "link_aggregation", network),
             Team("FO1", "failover", network))
    team_of = {0: "LAG1", 1: "LAG1", 2: "LAG2", 3: "LAG2", 4: "LAG2", 5: "FO1", 6: "FO1"}
    for a in range(adapters):
        speed = rng.choice(SPEEDS) + i  # + i: every node's inventory is its own
        team = team_of.get(a)
        items.append(Adapter(f"NIC{a + 1:02d}", speed, team=team,
                             network=None if team else network,
                             address=None if team else f"10.{a}.{i // 250}.{i % 250 + 1}/16"))
    node = Node(f"hv{i:02d}", tuple(items), teams, processor_vendor="intel",
                management_ip=f"10.{adapters - 1}.{i // 250}.{i % 250 + 1}")
    if not audit:
        return node
    # A declared layout that breaks several rules: everything on two ports, uncapped.
    lone = [a.name for a in items if a.team is None]
    roles = {lone[0]: (RoleAssignment(Role.VM_ACCESS, True), RoleAssignment(Role.MANAGEMENT, True)),
             lone[1]: (RoleAssignment(Role.CLUSTER_CSV), RoleAssignment(Role.LIVE_MIGRATION))}
    return Node(node.name, tuple(Adapter(a.name, a.speed_mbps, a.team, a.network, a.vlan_id,
                                         a.address, roles.get(a.name)) for a in items),
                teams, node.processor_vendor, node.management_ip)


def cluster(nodes: int = 64, adapters: int = 32, public: bool = True, chimney: bool = True,
            audit: bool = False, seed: int = 7) -> Cluster:
    """`nodes` nodes that all differ (see `_node`), TCP Chimney on by default."""
    rng = random.Random(seed)
    return Cluster(tuple(_node(i, adapters, public, rng, audit) for i in range(nodes)),
                   name="worst", tcp_chimney_offload=chimney, live_migration_ipsec=True)


CASES = {
    "one node, 32 adapters, all public": lambda: cluster(1),
    "64 nodes, 16 adapters, all differ": lambda: cluster(64, 16, public=False, chimney=False),
    "64 nodes, 32 adapters, all public": lambda: cluster(64, 32),
    "64 nodes, 32 adapters, audit": lambda: cluster(64, 32, audit=True),
    "16 nodes, 32 adapters, all public": lambda: cluster(16, 32),
}


def as_json(c: Cluster) -> dict:
    """The request body for a cluster (the API's field names)."""
    def item(x, team=False):
        out = {"name": x.name}
        if not team:
            out["speed_mbps"] = x.speed_mbps
            if x.team:
                out["team"] = x.team
        elif x.mode:
            out["mode"] = x.mode
        for key in ("network", "vlan_id", "address"):
            if getattr(x, key) is not None:
                out[key] = getattr(x, key)
        if x.roles is not None:
            out["roles"] = [{"role": r.role.value, "virtual": r.virtual,
                             "bandwidth_cap_percent": r.bandwidth_cap_percent} for r in x.roles]
        return out
    return {
        "name": c.name, "tcp_chimney_offload": c.tcp_chimney_offload,
        "live_migration_ipsec": c.live_migration_ipsec,
        "nodes": [{"name": n.name, "processor_vendor": n.processor_vendor,
                   "management_ip": n.management_ip,
                   "adapters": [item(a) for a in n.adapters],
                   "teams": [item(t, team=True) for t in n.teams]} for n in c.nodes],
    }

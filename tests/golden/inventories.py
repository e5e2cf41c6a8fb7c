"""A fixed set of cluster descriptions for the golden evaluations: varied, deterministic.

Drawn from a seeded generator over the description's whole vocabulary: one to three nodes (alike
or not), lone adapters and teams of every mode and network, addresses on shared or split
subnets, management addresses, every cluster-wide setting, and declared layouts (audit mode).
"""
from __future__ import annotations

import random

from service.domain.model import Adapter, Cluster, Node, Role, RoleAssignment, Team

SPEEDS = (100, 1_000, 1_000, 1_000, 2_500, 10_000, 10_000, 25_000)
NETWORKS = (None, None, "public", "private")
COUNT = 300
SEED = 2008


def _node(rng: random.Random, name: str, host: int, template: dict | None) -> tuple[Node, dict]:
    spec = template or {
        "lone": [(rng.choice(SPEEDS), rng.choice(NETWORKS)) for _ in range(rng.randint(1, 5))],
        "team": ([rng.choice(SPEEDS[1:])] * rng.randint(2, 3), rng.choice(
            ["link_aggregation", "failover", None]), rng.choice(NETWORKS))
        if rng.random() < 0.35 else None,
        "addressed": rng.random() < 0.4,
        "split": rng.random() < 0.15,
        "home": rng.random() < 0.5,
    }
    adapters = []
    for i, (speed, network) in enumerate(spec["lone"]):
        subnet = i + 1 if not spec["split"] or i != 0 else 1 + (i + 1) % 2
        address = f"10.{subnet}.0.{host}/24" if spec["addressed"] else None
        adapters.append(Adapter(f"NIC{i + 1}", speed, network=network, address=address))
    teams = ()
    if spec["team"]:
        speeds, mode, network = spec["team"]
        adapters += [Adapter(f"TM{j + 1}", s, team="TEAM1") for j, s in enumerate(speeds)]
        teams = (Team("TEAM1", mode, network),)
    management_ip = f"10.1.0.{host}" if spec["addressed"] and spec["home"] else None
    return Node(name, tuple(adapters), teams, processor_vendor="intel",
                management_ip=management_ip), spec


def _declare(rng: random.Random, node: Node) -> Node:
    """A declared layout: each role on a random port, flags and caps drawn."""
    ports = [a.name for a in node.adapters if a.team is None] + [t.name for t in node.teams]
    roles: dict[str, list[RoleAssignment]] = {}
    for role in Role:
        port = rng.choice(ports)
        roles.setdefault(port, []).append(RoleAssignment(
            role, rng.random() < 0.5, rng.choice([None, None, 10, 40, 90, 95])))
    return Node(node.name, tuple(Adapter(a.name, a.speed_mbps, a.team, a.network, a.vlan_id,
                                         a.address, tuple(roles[a.name]) if a.name in roles
                                         else None) for a in node.adapters),
                tuple(Team(t.name, t.mode, t.network, t.vlan_id, t.address,
                           tuple(roles[t.name]) if t.name in roles else None)
                      for t in node.teams),
                node.processor_vendor, node.management_ip)


def inventories() -> list[Cluster]:
    """The golden set: COUNT descriptions, the same on every run."""
    rng = random.Random(SEED)
    out = []
    for _ in range(COUNT):
        count = rng.choice([1, 1, 2, 3])
        alike = rng.random() < 0.6
        nodes, template = [], None
        for i in range(count):
            n, spec = _node(rng, f"hv{i + 1:02d}", 11 + i, template if alike else None)
            template = spec
            nodes.append(n)
        if rng.random() < 0.2:
            nodes = [_declare(rng, n) for n in nodes]
        out.append(Cluster(
            tuple(nodes), name=None,
            shared_storage=rng.choice(["iscsi"] * 6 + ["fibre_channel", "sas", "smb", "none"]),
            cluster_shared_volumes=rng.random() < 0.8,
            redundant_cluster_path=rng.random() < 0.3,
            live_migration_ipsec=rng.random() < 0.2,
            live_migration_encryption_required=rng.random() < 0.1,
            tcp_chimney_offload=rng.random() < 0.2,
            csv_smb_bindings_enabled=rng.choice([None, True, True, False]),
            failover_clustering=rng.random() < 0.97,
        ))
    return out

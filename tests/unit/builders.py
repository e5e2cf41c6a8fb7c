"""Small builders for domain objects (Adapter, Team, Node, Cluster) used by the unit tests.

    node("hv01", 1000, 1000)                                  # two lone 1 Gbps adapters NIC1, NIC2
    node("hv01", 1000, team_of=(1000, 1000), team_network="private")   # row 2 of the table
    cluster(node("hv01", 1000, 1000), redundant_cluster_path=True)

Nothing here uses the domain's own port logic: `port_info` recomputes a port's speed and teaming
from the description itself, so that tests check the domain against the spec, not against itself.
"""
from __future__ import annotations

from dataclasses import replace

from service.domain.model import Adapter, Cluster, Node, Role, RoleAssignment, Team

G1 = 1_000
G10 = 10_000
VM, MGMT, CSV, LM = Role.VM_ACCESS, Role.MANAGEMENT, Role.CLUSTER_CSV, Role.LIVE_MIGRATION


def adapter(name: str, speed_mbps: int = G1, **kw) -> Adapter:
    return Adapter(name, speed_mbps, **kw)


def team(name: str = "T1", mode: str = "link_aggregation", network: str | None = None, **kw) -> Team:
    return Team(name, mode, network, **kw)


def node(name: str, *speeds: int, team_of: tuple[int, ...] = (), team_name: str = "T1",
         team_mode: str = "link_aggregation", team_network: str | None = None,
         networks: tuple[str | None, ...] | None = None, names: tuple[str, ...] | None = None,
         processor_vendor: str | None = None, management_ip: str | None = None) -> Node:
    """A node with lone adapters of `speeds` and, if `team_of` is given, one team of those speeds.

    Adapters are named NIC1.. (lone first, then team members) unless `names` gives them all;
    `networks` gives each lone adapter's network access.
    """
    total = len(speeds) + len(team_of)
    names = tuple(names) if names is not None else tuple(f"NIC{i + 1}" for i in range(total))
    assert len(names) == total
    networks = tuple(networks) if networks is not None else (None,) * len(speeds)
    lone = tuple(Adapter(n, s, network=net) for n, s, net in zip(names, speeds, networks))
    members = tuple(Adapter(n, s, team=team_name) for n, s in zip(names[len(speeds):], team_of))
    teams = (Team(team_name, team_mode, team_network),) if team_of else ()
    return Node(name, lone + members, teams, processor_vendor=processor_vendor,
                management_ip=management_ip)


def cluster(*nodes: Node, **kw) -> Cluster:
    return Cluster(tuple(nodes), **kw)


def ra(role: Role, virtual: bool = False, cap: int | None = None) -> RoleAssignment:
    return RoleAssignment(role, virtual, cap)


def with_roles(n: Node, roles: dict[str, tuple[RoleAssignment, ...]]) -> Node:
    """The node with declared roles (audit mode) on the named adapters and teams."""
    return replace(
        n,
        adapters=tuple(replace(a, roles=roles.get(a.name)) for a in n.adapters),
        teams=tuple(replace(t, roles=roles.get(t.name)) for t in n.teams),
    )


def port_names(n: Node) -> set[str]:
    """Names a layout may use: lone adapters and teams that have members."""
    teamed = {a.team for a in n.adapters if a.team is not None}
    lone = {a.name for a in n.adapters if a.team is None}
    return lone | {t.name for t in n.teams if t.name in teamed}


def port_info(n: Node, name: str) -> tuple:
    """(speed in Mbps, member count, team mode or None) of a port, computed from the description."""
    for t in n.teams:
        if t.name == name:
            speeds = [a.speed_mbps for a in n.adapters if a.team == name]
            speed = sum(speeds) if t.mode == "link_aggregation" else min(speeds)
            return speed, len(speeds), t.mode
    for a in n.adapters:
        if a.name == name and a.team is None:
            return a.speed_mbps, 1, None
    raise KeyError(name)


def port_address(n: Node, name: str) -> str | None:
    for item in (*n.adapters, *n.teams):
        if item.name == name:
            return item.address
    raise KeyError(name)


def node_eval(evaluation, name: str):
    return next(ne for ne in evaluation.nodes if ne.name == name)


def codes(evaluation) -> set[str]:
    return {f.code for f in evaluation.findings}


def findings_of(evaluation, code: str) -> list:
    return [f for f in evaluation.findings if f.code == code]


# ---- the guide's table rows most tests start from -----------------------------------------------

def row1(name: str = "hv01", vendor: str | None = "intel", **kw) -> Node:
    """Row 1 of the table: 4 x 1 Gbps lone adapters NIC1..NIC4."""
    return node(name, G1, G1, G1, G1, processor_vendor=vendor, **kw)


def row8(name: str = "hv01", vendor: str | None = "intel", **kw) -> Node:
    """Row 8 of the table: 2 x 1 Gbps lone adapters NIC1, NIC2."""
    return node(name, G1, G1, processor_vendor=vendor, **kw)


# Row 1 declared as the table lays it out (audit mode): VM access virtual on NIC1, one role a port.
ROW1_ROLES = {"NIC1": (ra(VM, True),), "NIC2": (ra(MGMT),), "NIC3": (ra(CSV),), "NIC4": (ra(LM),)}

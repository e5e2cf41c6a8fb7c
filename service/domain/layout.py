"""A layout: which port carries each role, as groups of roles sharing a port, with caps.

The designer builds layouts over port profiles (interchangeable ports) while it searches, and over
real ports once it has chosen; the rules read both through the same view.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .model import ROLES, Network, Placement, Role
from .ports import Port, Profile, format_speed


@dataclass(frozen=True)
class Group:
    """Roles that share one port."""

    profile: Profile
    roles: frozenset[Role]
    port: Port | None = None  # None while the designer works on profiles

    @property
    def placed(self) -> Port:
        """The real port: every layout has them but the designer's while it searches."""
        if self.port is None:
            raise ValueError("a group rated on a profile has no port yet")
        return self.port

    @property
    def label(self) -> str:
        if self.port is not None:
            return f"{self.port.name} ({format_speed(self.profile.speed_mbps)})"
        return f"a {format_speed(self.profile.speed_mbps)} port"


@dataclass(frozen=True)
class Layout:
    groups: tuple[Group, ...]
    virtual: dict[Role, bool]
    caps: dict[Role, int | None]
    redundant_cluster_path: bool

    def group_of(self, role: Role) -> Group:
        for group in self.groups:
            if role in group.roles:
                return group
        raise KeyError(role)

    def shares(self, a: Role, b: Role) -> bool:
        return b in self.group_of(a).roles

    @property
    def has_caps(self) -> bool:
        return any(cap is not None for cap in self.caps.values())

    def placements(self) -> tuple[Placement, ...]:
        """One placement per role, in the table's column order (needs real ports)."""
        return tuple(
            Placement(role, self.group_of(role).placed.name, self.virtual[role], self.caps[role])
            for role in ROLES
        )

    def effective_mbps(self, role: Role) -> float:
        """The bandwidth a role can count on: its port's speed, times its cap where capped."""
        speed = self.group_of(role).profile.speed_mbps
        cap = self.caps[role]
        return speed if cap is None else speed * cap / 100


def capable_networks(ports: tuple[Port, ...]) -> int:
    """Networks that could carry cluster traffic: cluster-capable ports, counting the ports of
    one subnet once (a failover cluster makes them one cluster network)."""
    subnets = set()
    count = 0
    for port in ports:
        if not port.profile.cluster_capable:
            continue
        if port.subnet is None:
            count += 1
        elif port.subnet not in subnets:
            subnets.add(port.subnet)
            count += 1
    return count


def redundant_path(flag: bool, groups: tuple[Group, ...], capable_ports: int) -> bool:
    """A second network for cluster traffic: the caller says so, or a cluster-capable network
    other than the cluster/CSV port's is off the VM switch."""
    if flag:
        return True
    spare = capable_ports
    for group in groups:
        if (Role.CLUSTER_CSV in group.roles or Role.VM_ACCESS in group.roles) \
                and group.profile.cluster_capable:
            spare -= 1
    return spare > 0


def _merged(groups: list[Group]) -> Group:
    """Groups on one subnet as one: the cluster uses one adapter per node there, so the roles
    share it; judged at the slowest port's speed, public if any port is."""
    slowest = min(groups, key=lambda g: (g.profile.speed_mbps, g.placed.name))
    public = any(g.profile.public for g in groups)
    profile = replace(slowest.profile, network=Network.PUBLIC) if public else slowest.profile
    names = tuple(sorted(g.placed.name for g in groups))
    port = replace(slowest.placed, name=", ".join(names[:-1]) + " and " + names[-1],
                   profile=profile, parts=names,
                   members=tuple(m for g in groups for m in g.placed.members), roles=None)
    return Group(profile, frozenset().union(*(g.roles for g in groups)), port)


def as_cluster_networks(layout: Layout, flag: bool, capable: int) -> Layout:
    """The layout as a failover cluster sees it: ports of the node on one subnet are one cluster
    network, so the roles on them share it (the layout itself when no two groups share one)."""
    by_subnet: dict = {}
    for group in layout.groups:
        subnet = group.port.subnet if group.port is not None else None
        by_subnet.setdefault(subnet if subnet is not None else id(group), []).append(group)
    if all(len(groups) == 1 for groups in by_subnet.values()):
        return layout
    merged = tuple(groups[0] if len(groups) == 1 else _merged(groups)
                   for groups in by_subnet.values())
    return Layout(merged, layout.virtual, layout.caps, redundant_path(flag, merged, capable))

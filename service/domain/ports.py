"""Ports: what a role is placed on (a lone adapter or a team), with the attributes rules read."""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import cached_property

from .model import Address, Node, RoleAssignment

GIGABIT = 1_000
TEN_GIGABIT = 10_000


@dataclass(frozen=True)
class Profile:
    """Everything about a port that rules may look at; two ports with one profile are interchangeable."""

    speed_mbps: int
    members: int  # 1 for a lone adapter
    member_speed_mbps: int  # slowest member's speed (a lone adapter: its own)
    team_mode: str | None  # None for a lone adapter
    network: str | None  # "public", "private" or None (not known)

    @property
    def is_team(self) -> bool:
        return self.team_mode is not None

    @property
    def public(self) -> bool:
        return self.network == "public"

    @property
    def cluster_capable(self) -> bool:
        """Could carry cluster communication: gigabit or faster and not on a public network."""
        return not self.public and self.speed_mbps >= GIGABIT


@dataclass(frozen=True)
class Port:
    name: str
    profile: Profile
    members: tuple[str, ...]
    vlan_id: int | None
    address: Address | None
    roles: tuple[RoleAssignment, ...] | None
    mode_assumed: bool = False  # a team whose mode the description did not give

    @cached_property
    def interface(self) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface | None:
        """The parsed address (parsed once: subnet checks read it for every role and node)."""
        if self.address is None or not isinstance(self.address, str):
            return self.address
        return ipaddress.ip_interface(self.address)

    @property
    def subnet(self) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
        return None if self.interface is None else self.interface.network

    @property
    def ip(self) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
        return None if self.interface is None else self.interface.ip


def team_speed(mode: str, member_speeds: list[int]) -> int:
    """Link aggregation adds members' speeds; a failover team runs at its active member's, taken
    as the fastest (a slower standby member is for redundancy and must not count against it)."""
    if mode == "link_aggregation":
        return sum(member_speeds)
    return max(member_speeds)


def _first(values):
    """The first value given (team first, then members by name): validation rejects conflicts."""
    return next((v for v in values if v is not None), None)


def build_ports(node: Node) -> tuple[Port, ...]:
    """The node's ports, sorted by name: lone adapters and teams (members folded into them)."""
    members: dict[str, list] = {team.name: [] for team in node.teams}
    ports: list[Port] = []
    for adapter in node.adapters:
        if adapter.team is not None and adapter.team in members:
            members[adapter.team].append(adapter)
            continue
        profile = Profile(adapter.speed_mbps, 1, adapter.speed_mbps, None, adapter.network)
        ports.append(Port(adapter.name, profile, (adapter.name,), adapter.vlan_id,
                          adapter.address, adapter.roles))
    for team in node.teams:
        team_members = sorted(members[team.name], key=lambda a: a.name)
        if not team_members:
            continue  # validation rejects a team with no member
        speeds = [a.speed_mbps for a in team_members]
        network = _first([team.network, *(a.network for a in team_members)])
        mode = team.mode or "link_aggregation"  # the table's teams are link aggregation
        profile = Profile(team_speed(mode, speeds), len(speeds), min(speeds), mode, network)
        ports.append(Port(
            team.name, profile, tuple(a.name for a in team_members),
            _first([team.vlan_id, *(a.vlan_id for a in team_members)]),
            _first([team.address, *(a.address for a in team_members)]),
            team.roles,
            mode_assumed=team.mode is None,
        ))
    return tuple(sorted(ports, key=lambda p: p.name))


def format_speed(mbps: int) -> str:
    """1000 -> '1 Gbps', 2500 -> '2.5 Gbps', 100 -> '100 Mbps'."""
    if mbps >= GIGABIT:
        value = mbps / GIGABIT
        return f"{value:g} Gbps"
    return f"{mbps} Mbps"

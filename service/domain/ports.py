"""Ports: what a role is placed on (a lone adapter or a team), with the attributes rules read."""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

from .model import Address, Network, Node, RoleAssignment, TeamMode

GIGABIT = 1_000
TEN_GIGABIT = 10_000


@dataclass(frozen=True)
class Profile:
    """Everything about a port that rules may look at; two ports with one profile are interchangeable."""

    speed_mbps: int
    members: int  # 1 for a lone adapter
    member_speed_mbps: int  # slowest member's speed (a lone adapter: its own)
    team_mode: TeamMode | None  # None for a lone adapter
    network: Network | None  # None: not known
    # Holds the node's management_ip: the host is reached there, so management stays on it.
    management_home: bool = False

    @property
    def is_team(self) -> bool:
        return self.team_mode is not None

    @property
    def public(self) -> bool:
        return self.network == Network.PUBLIC

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
    parts: tuple[str, ...] = ()  # the ports a merged one-subnet network stands for (layout.py)

    @cached_property
    def interface(self) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface | None:
        """The parsed address (parsed once: subnet checks read it for every role and node)."""
        return as_interface(self.address)

    @cached_property
    def subnet(self) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
        return None if self.interface is None else self.interface.network

    @cached_property
    def ip(self) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
        return None if self.interface is None else self.interface.ip


def mixed_speed_aggregate(profile: Profile) -> bool:
    """A link-aggregation team whose members run at different speeds."""
    return profile.team_mode == TeamMode.LINK_AGGREGATION \
        and profile.member_speed_mbps * profile.members != profile.speed_mbps


def slower_standby(profile: Profile) -> bool:
    """A failover team whose standby member is slower than the active one."""
    return profile.team_mode == TeamMode.FAILOVER and profile.member_speed_mbps < profile.speed_mbps


def team_speed(mode: str, member_speeds: list[int]) -> int:
    """Link aggregation adds members' speeds; a failover team runs at its active member's, taken
    as the fastest (a slower standby member is for redundancy and must not count against it)."""
    if mode == TeamMode.LINK_AGGREGATION:
        return sum(member_speeds)
    return max(member_speeds)


def _first(values):
    """The first value given (team first, then members by name): validation rejects conflicts."""
    return next((v for v in values if v is not None), None)


@lru_cache(maxsize=8192)
def parse_interface(text: str) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface:
    """A CIDR address, parsed once per text (parsing is slow, and the planner re-reads nodes)."""
    return ipaddress.ip_interface(text)


def as_interface(address: Address | None):
    """An address as a parsed interface, whether it came as CIDR text or parsed already."""
    if address is None or not isinstance(address, str):
        return address
    return parse_interface(address)


def _holds(address: Address | None, home: tuple[int, int] | None) -> bool:
    """Whether a port's address is the node's management address, given as (version, integer)."""
    if address is None or home is None:
        return False
    interface = as_interface(address)
    return (interface.version, int(interface)) == home


def build_ports(node: Node) -> tuple[Port, ...]:
    """The node's ports, sorted by name: lone adapters and teams (members folded into them)."""
    members: dict[str, list] = {team.name: [] for team in node.teams}
    home = None
    if node.management_ip is not None:
        management = parse_interface(node.management_ip)
        home = (management.version, int(management))
    ports: list[Port] = []
    for adapter in node.adapters:
        if adapter.team is not None and adapter.team in members:
            members[adapter.team].append(adapter)
            continue
        profile = Profile(adapter.speed_mbps, 1, adapter.speed_mbps, None, adapter.network,
                          _holds(adapter.address, home))
        ports.append(Port(adapter.name, profile, (adapter.name,), adapter.vlan_id,
                          adapter.address, adapter.roles))
    for team in node.teams:
        team_members = sorted(members[team.name], key=lambda a: a.name)
        if not team_members:
            continue  # validation rejects a team with no member
        speeds = [a.speed_mbps for a in team_members]
        network = _first([team.network, *(a.network for a in team_members)])
        mode = team.mode or TeamMode.LINK_AGGREGATION  # the table's teams are link aggregation
        address = _first([team.address, *(a.address for a in team_members)])
        profile = Profile(team_speed(mode, speeds), len(speeds), min(speeds), mode, network,
                          _holds(address, home))
        ports.append(Port(
            team.name, profile, tuple(a.name for a in team_members),
            _first([team.vlan_id, *(a.vlan_id for a in team_members)]),
            address,
            team.roles,
            mode_assumed=team.mode is None,
        ))
    return tuple(sorted(ports, key=lambda p: p.name))


def one_network_per_subnet(ports: tuple[Port, ...]) -> tuple[Port, ...]:
    """The ports as a failover cluster can use them: the ports of one subnet are one cluster
    network with one adapter per node on it, so they stand as one port, at the slowest one's name
    and speed (public if any of them is), with `parts` naming them all."""
    by_subnet: dict = {}
    for port in ports:
        by_subnet.setdefault(port.subnet if port.subnet is not None else port.name, []).append(port)
    out = []
    for same in by_subnet.values():
        if len(same) == 1:
            out.append(same[0])
            continue
        slowest = min(same, key=lambda p: (p.profile.speed_mbps, p.name))
        public = any(p.profile.public for p in same)
        profile = replace(slowest.profile, network=Network.PUBLIC) if public else slowest.profile
        out.append(replace(slowest, profile=profile,
                           parts=tuple(sorted(p.name for p in same))))
    return tuple(sorted(out, key=lambda p: p.name))


def shared_subnets(ports: tuple[Port, ...]) -> list[tuple[str, list[str]]]:
    """Each subnet that two or more of the ports are on, with their names."""
    by_subnet: dict = {}
    for port in ports:
        if port.subnet is not None:
            by_subnet.setdefault(port.subnet, []).append(port.name)
    return [(str(subnet), sorted(names)) for subnet, names in by_subnet.items() if len(names) > 1]


def format_speed(mbps: int) -> str:
    """1000 -> '1 Gbps', 2500 -> '2.5 Gbps', 100 -> '100 Mbps'."""
    if mbps >= GIGABIT:
        value = mbps / GIGABIT
        return f"{value:g} Gbps"
    return f"{mbps} Mbps"

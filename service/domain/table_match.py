"""Matching a node's inventory against the guide's table, on speeds, teaming and network access."""
from __future__ import annotations

from functools import lru_cache
from itertools import permutations
from typing import TYPE_CHECKING

from .layout import Group, Layout, redundant_path
from .model import ROLES, Network, Role, TeamMode
from .ports import Port, Profile
from .reference_table import Slot, TableRow

if TYPE_CHECKING:
    from .ruleset import Ruleset

PRIVATE_ROLES = (Role.CLUSTER_CSV, Role.LIVE_MIGRATION)


def port_order(port: Port) -> tuple:
    """Canonical order among equivalent ports: by subnet, so that a role lands on the same subnet
    on every node, then by name."""
    subnet = port.subnet
    return (subnet is None, subnet.version if subnet else 0,
            int(subnet.network_address) if subnet else 0, port.name)


def _fits(slot: Slot, profile: Profile, roles: set[Role]) -> bool:
    if slot.members != profile.members or profile.member_speed_mbps != slot.speed_mbps:
        return False
    if profile.speed_mbps != slot.speed_mbps * slot.members:
        return False  # mixed member speeds, or a failover team
    if slot.is_team and profile.team_mode != TeamMode.LINK_AGGREGATION:
        return False
    if slot.network == Network.PUBLIC:
        return profile.public
    if slot.network == Network.PRIVATE or roles & set(PRIVATE_ROLES):
        return not profile.public
    return True


def _network_preference(row: TableRow, assignment: tuple[Profile, ...]) -> int:
    """Prefer VM access (most of all: VMs on a private network cannot reach clients) and
    management on public ports, and the private roles on private ones."""
    weight = {Role.VM_ACCESS: 2}
    score = 0
    for role, row_role in row.roles.items():
        network = assignment[row_role.slot].network
        wanted = Network.PRIVATE if role in PRIVATE_ROLES else Network.PUBLIC
        score += weight.get(role, 1) * (network == wanted)
    return -score


def slot_roles(row: TableRow) -> list[set[Role]]:
    roles: list[set[Role]] = [set() for _ in row.slots]
    for role, row_role in row.roles.items():
        roles[row_role.slot].add(role)
    return roles


@lru_cache(maxsize=4096)
def _match_profiles(ruleset: Ruleset,
                    profiles: tuple[Profile, ...]) -> tuple[TableRow, tuple[int, ...] | None] | None:
    """match_row on the ports' profiles in canonical order: the row, and for each of its slots the
    index of the port that fills it (memoised: nodes alike share it)."""
    homes = {i for i, p in enumerate(profiles) if p.management_home}
    for row in ruleset.table:
        if len(row.slots) != len(profiles):
            continue
        roles = slot_roles(row)
        fitting = [
            order for order in permutations(range(len(profiles)))
            if all(_fits(slot, profiles[i], roles[k]) for k, (slot, i) in enumerate(zip(row.slots, order)))
        ]
        if fitting:
            # Management stays on the port that holds the node's management address.
            usable = [o for o in fitting
                      if not homes or o[row.roles[Role.MANAGEMENT].slot] in homes]
            # min() keeps the first of equals: the canonical order decides ties.
            best = min(usable, default=None, key=lambda o: _network_preference(
                row, tuple(profiles[i] for i in o)))
            return row, best
    return None


def match_row(ruleset: Ruleset,
              ports: tuple[Port, ...]) -> tuple[TableRow, tuple[Port, ...] | None] | None:
    """The ruleset's table row this inventory is, with the port that fills each of its slots; else None.

    The assignment is None when the row's layout would take management off the port that holds
    the node's management address: the inventory is the row's, but its layout cannot be used.
    """
    ordered = sorted(ports, key=port_order)
    found = _match_profiles(ruleset, tuple(p.profile for p in ordered))
    if found is None:
        return None
    row, order = found
    return row, None if order is None else tuple(ordered[i] for i in order)


def row_layout(row: TableRow, assignment: tuple[Port, ...], redundant_flag: bool,
               capable_ports: int) -> Layout:
    """The row's layout placed on the matched ports."""
    groups = tuple(
        Group(port.profile, frozenset(roles), port)
        for port, roles in zip(assignment, slot_roles(row)) if roles
    )
    virtual = {role: row.roles[role].virtual for role in ROLES}
    caps = {role: row.roles[role].cap for role in ROLES}
    return Layout(groups, virtual, caps, redundant_path(redundant_flag, groups, capable_ports))

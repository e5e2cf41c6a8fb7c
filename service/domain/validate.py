"""Checks on a cluster description that no single field can make: names, teams and declared roles.

Each problem is a (JSON pointer, message) pair, so the API can name the exact field.
"""
from __future__ import annotations

import ipaddress

from .model import Cluster, Node, ROLES


def _comparable(attribute: str, value):
    """Addresses may come as text or parsed; compare them parsed."""
    if attribute == "address" and isinstance(value, str):
        return ipaddress.ip_interface(value)
    return value


def _repeats(named) -> list[tuple[str, str]]:
    """(pointer, name) of each item whose name an earlier item already has."""
    seen, out = set(), []
    for pointer, name in named:
        if name in seen:
            out.append((pointer, name))
        seen.add(name)
    return out


def _team_members(node: Node, i: int, problems: list) -> None:
    teams = {t.name for t in node.teams}
    for j, adapter in enumerate(node.adapters):
        if adapter.team is not None and adapter.team not in teams:
            problems.append((f"/nodes/{i}/adapters/{j}/team",
                             f"team '{adapter.team}' is not declared in this node's teams"))
        if adapter.team is not None and adapter.roles is not None:
            problems.append((f"/nodes/{i}/adapters/{j}/roles",
                             f"declare roles on team '{adapter.team}': a team member is not a port"))
    for k, team in enumerate(node.teams):
        members = [a for a in node.adapters if a.team == team.name]
        if not members:
            problems.append((f"/nodes/{i}/teams/{k}", f"team '{team.name}' has no member adapter"))
        for attribute in ("network", "vlan_id", "address"):
            values = {_comparable(attribute, getattr(a, attribute)) for a in members} - {None}
            own = _comparable(attribute, getattr(team, attribute))
            if len(values) > 1 or (own is not None and values - {own}):
                problems.append((f"/nodes/{i}/teams/{k}/{attribute}",
                                 f"team '{team.name}' and its members disagree on {attribute}"))


def _declared_roles(node: Node, i: int, problems: list) -> None:
    places: dict = {}
    for kind, items in (("adapters", node.adapters), ("teams", node.teams)):
        for j, item in enumerate(items):
            for r, assignment in enumerate(item.roles or ()):
                pointer = f"/nodes/{i}/{kind}/{j}/roles/{r}/role"
                if assignment.role in places:
                    problems.append((pointer, f"role '{assignment.role.value}' is declared twice "
                                              "on this node"))
                places.setdefault(assignment.role, pointer)
    for role in ROLES:
        if role not in places:
            problems.append((f"/nodes/{i}", f"audit mode: role '{role.value}' is not declared on "
                                            "any adapter or team of this node"))


def problems(cluster: Cluster) -> list[tuple[str, str]]:
    """Every cross-field problem of a description; empty when it can be evaluated."""
    found: list[tuple[str, str]] = []
    nodes = [(f"/nodes/{i}/name", n.name) for i, n in enumerate(cluster.nodes)]
    for pointer, name in _repeats(nodes):
        found.append((pointer, f"duplicate node name '{name}'"))
    for i, node in enumerate(cluster.nodes):
        named = [(f"/nodes/{i}/adapters/{j}/name", a.name) for j, a in enumerate(node.adapters)]
        named += [(f"/nodes/{i}/teams/{k}/name", t.name) for k, t in enumerate(node.teams)]
        for pointer, name in _repeats(named):
            found.append((pointer, f"duplicate adapter or team name '{name}' in this node"))
        _team_members(node, i, found)
        if cluster.audit_mode:
            _declared_roles(node, i, found)
    return found

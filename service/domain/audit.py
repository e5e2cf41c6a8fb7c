"""Audit mode: the layout a caller declared, read from the roles on its adapters and teams."""
from __future__ import annotations

from .layout import Group, Layout, redundant_path
from .model import ROLES, Role
from .ports import Port
from .reference_table import TableRow
from .table_match import slot_roles


def declared_layout(ports: tuple[Port, ...], redundant_flag: bool, capable: int) -> Layout:
    """The declared layout (validation guarantees each role is declared exactly once per node)."""
    groups = []
    virtual: dict[Role, bool] = {}
    caps: dict[Role, int | None] = {}
    for port in ports:
        if not port.roles:
            continue
        groups.append(Group(port.profile, frozenset(a.role for a in port.roles), port))
        for assignment in port.roles:
            virtual[assignment.role] = assignment.virtual
            caps[assignment.role] = assignment.bandwidth_cap_percent
    groups_t = tuple(sorted(groups, key=lambda g: min(ROLES.index(r) for r in g.roles)))
    return Layout(groups_t, virtual, caps, redundant_path(redundant_flag, groups_t, capable))


def follows_row(layout: Layout, row: TableRow, assignment: tuple[Port, ...]) -> bool:
    """Whether a declared layout is the row's: the same roles together on matching ports, with the
    row's virtual flags, capped where the table caps (its cap values are examples, so any value
    will do)."""
    declared = {frozenset(g.roles): g.placed.profile for g in layout.groups}
    for port, roles in zip(assignment, slot_roles(row)):
        if roles and declared.get(frozenset(roles)) != port.profile:
            return False
    if len(declared) != sum(1 for roles in slot_roles(row) if roles):
        return False
    return all((layout.caps[role] is None) == (row.roles[role].cap is None)
               and layout.virtual[role] == row.roles[role].virtual for role in ROLES)

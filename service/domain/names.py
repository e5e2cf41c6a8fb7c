"""Names of the roles as sentences say them, and helpers the rules and their callers share."""
from __future__ import annotations

from .model import Role

ROLE_NAMES = {
    Role.VM_ACCESS: "virtual machine access",
    Role.MANAGEMENT: "management",
    Role.CLUSTER_CSV: "cluster and CSV",
    Role.LIVE_MIGRATION: "live migration",
}
# The same at the start of a sentence (str.capitalize would lower "CSV").
ROLE_TITLES = {role: name[0].upper() + name[1:] for role, name in ROLE_NAMES.items()}


def hardware_signature(ports) -> tuple:
    """What 'identical hardware' compares: each port's profile, names left out."""
    return tuple(sorted((p.profile.speed_mbps, p.profile.members, p.profile.member_speed_mbps,
                         p.profile.team_mode or "") for p in ports))


def and_join(names) -> str:
    """'a', 'a and b', 'a, b and c'."""
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"

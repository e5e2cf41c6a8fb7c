"""Names and helpers the rules and their callers share."""
from __future__ import annotations

from ..model import Role

ROLE_NAMES = {
    Role.VM_ACCESS: "virtual machine access",
    Role.MANAGEMENT: "management",
    Role.CLUSTER_CSV: "cluster and CSV",
    Role.LIVE_MIGRATION: "live migration",
}
WINDOWS_2008_R2_MAX_NODES = 16


def hardware_signature(ports) -> tuple:
    """What 'identical hardware' compares: each port's profile, names left out."""
    return tuple(sorted((p.profile.speed_mbps, p.profile.members, p.profile.member_speed_mbps,
                         p.profile.team_mode or "") for p in ports))

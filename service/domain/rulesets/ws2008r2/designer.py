"""How the guide lays roles out: the caps of a shared port, the designer's preferences among
layouts of one class, and what lets the layout search rate each group of roles on its own."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ...model import Classification, Network, Role
from ...ports import GIGABIT, TEN_GIGABIT, Profile
from ...ruleset import CapPolicy

PRIVATE_ROLES = frozenset({Role.CLUSTER_CSV, Role.LIVE_MIGRATION})


def management_cap(profile: Profile) -> int:
    """Management shares a port: about 100 Mbps, as the table does (10 % of 1 Gbps, 1 % of 10 Gbps)."""
    return 1 if profile.speed_mbps >= TEN_GIGABIT else 10


def live_migration_cap(profile: Profile, roles: frozenset[Role]) -> int:
    """Live migration shares a port: the table's caps (rows 2, 4 and 7-9)."""
    if Role.CLUSTER_CSV in roles and not profile.public and profile.speed_mbps > GIGABIT:
        return 50 if profile.speed_mbps >= TEN_GIGABIT else 40
    return 90


CAPS = CapPolicy(management=management_cap, live_migration=live_migration_cap)


def _network_rank(network: Network | None, wanted: Network) -> int:
    return 2 if network == wanted else (1 if network is None else 0)


GROUP_COUNT = 3  # the preference that belongs to the layout, not to one group


@lru_cache(maxsize=16384)
def group_preferences(profile: Profile, roles: frozenset[Role]) -> tuple:
    """One group's share of the guide's preferences; a layout's preferences are the sum over its
    groups plus its number of ports (at GROUP_COUNT)."""
    lm_effective = 0.0
    if Role.LIVE_MIGRATION in roles:
        shared = len(roles) > 1
        cap = live_migration_cap(profile, roles) if shared else 100
        lm_effective = profile.speed_mbps * cap / 100
    isolated = 0 if roles & {Role.VM_ACCESS, Role.MANAGEMENT} else \
        len(roles & {Role.CLUSTER_CSV, Role.LIVE_MIGRATION})
    has = roles.__contains__
    return (
        # VM access on gigabit or faster before all else: every table row gives it that much.
        int(profile.speed_mbps >= GIGABIT) if has(Role.VM_ACCESS) else 0,
        lm_effective,
        isolated,
        0,  # GROUP_COUNT: the number of ports, filled in for the whole layout
        _network_rank(profile.network, Network.PUBLIC) if has(Role.VM_ACCESS) else 0,
        profile.speed_mbps if has(Role.VM_ACCESS) else 0,
        (_network_rank(profile.network, Network.PRIVATE) * has(Role.CLUSTER_CSV)
         + _network_rank(profile.network, Network.PRIVATE) * has(Role.LIVE_MIGRATION)),
        profile.speed_mbps if has(Role.CLUSTER_CSV) else 0,
        _network_rank(profile.network, Network.PUBLIC) if has(Role.MANAGEMENT) else 0,
        -profile.speed_mbps if roles == {Role.MANAGEMENT} else 0,
    )


# A port on which a role alone breaks no rule: stands in for "elsewhere" when one group is rated.
IDEAL = {
    Role.VM_ACCESS: Profile(400_000, 1, 400_000, None, Network.PUBLIC),
    Role.MANAGEMENT: Profile(400_000, 1, 400_000, None, Network.PUBLIC),
    Role.CLUSTER_CSV: Profile(400_000, 1, 400_000, None, Network.PRIVATE),
    Role.LIVE_MIGRATION: Profile(400_000, 1, 400_000, None, Network.PRIVATE),
}


def speed_class(mbps: int) -> int:
    """A representative of the speeds the layout rules cannot tell apart: they compare speeds
    only with 1 Gbps and 10 Gbps (below, at, between, at or above)."""
    if mbps < GIGABIT:
        return GIGABIT // 10
    if mbps == GIGABIT:
        return GIGABIT
    return TEN_GIGABIT if mbps >= TEN_GIGABIT else 2 * GIGABIT


def shares_fast_private(profile: Profile, block: frozenset[Role]) -> bool:
    """Live migration beside cluster/CSV on a 10 Gbps or faster private port: the one placement
    whose class depends on the rest of the layout (LM204: a redundant cluster path)."""
    return PRIVATE_ROLES <= block and not profile.public and profile.speed_mbps >= TEN_GIGABIT


# What LM204 holds such a placement at when cluster traffic has no redundant path.
WITHOUT_PATH = Classification.SUPPORTED


@dataclass(frozen=True)
class Constraints:
    """Rules the designer never breaks to escape a worse class, read from the inventory.

    With a choice, cluster/CSV and live migration never share the VM switch's port and never go
    on a public network while a port that is not public exists (the guide: "isolate cluster/Cluster
    Shared Volumes and live migration on private networks"); when the table's pattern cannot be
    had, its not-recommended rows (7-9) show the way: both together on the private port, capped.
    Management stays on the port that holds the node's management address.
    """

    several_ports: bool
    private_exists: bool
    home_exists: bool

    @classmethod
    def of(cls, profiles: Iterable[tuple[Profile, int]]) -> Constraints:
        """The constraints for an inventory of profiles (each with its port count)."""
        profiles = tuple(profiles)
        return cls(sum(count for _, count in profiles) > 1,
                   any(not p.public for p, _ in profiles),
                   any(p.management_home for p, _ in profiles))

    def allows(self, block: frozenset[Role], profile: Profile) -> bool:
        """Whether a group of roles may go on a port of this profile."""
        private_roles = block & PRIVATE_ROLES
        if private_roles and self.several_ports and Role.VM_ACCESS in block:
            return False
        if private_roles and self.private_exists and profile.public:
            return False
        if self.home_exists and (Role.MANAGEMENT in block) != profile.management_home:
            return False
        return True

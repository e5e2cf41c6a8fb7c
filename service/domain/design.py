"""The designer: the best placement of the four roles on a node's ports, by the guide's principles.

It searches groupings of roles (the 15 ways to split four roles among ports) and, for each, the
port profiles the groups go on. Interchangeable ports share a profile, so the search never depends
on names or order; the winner is then put on real ports in a canonical order (subnet, then name).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from .catalogue import NodeContext, rules_of
from .layout import Group, Layout, design_settings, redundant_path
from .model import Classification, Cluster, Node, Role, ROLES
from .ports import Port, Profile
from .table_match import port_order

KEEP_FASTEST = 4  # at most four groups, so four ports of a kind are all a search can use


def _partitions(items: tuple) -> list[list[frozenset]]:
    if not items:
        return [[]]
    first, rest = items[0], items[1:]
    out = []
    for partition in _partitions(rest):
        out.append([frozenset({first}), *partition])
        for i, block in enumerate(partition):
            out.append([*partition[:i], block | {first}, *partition[i + 1:]])
    return out


PARTITIONS: tuple[tuple[frozenset, ...], ...] = tuple(
    tuple(sorted(p, key=lambda block: min(ROLES.index(r) for r in block)))
    for p in _partitions(ROLES)
)


def _network_rank(network: str | None, wanted: str) -> int:
    return 2 if network == wanted else (1 if network is None else 0)


def score(layout: Layout, classification: Classification) -> tuple:
    """How good a layout is: its class, then the guide's preferences, most important first."""
    return (classification.rank, *preferences(layout))


def preferences(layout: Layout) -> tuple:
    """The guide's preferences among layouts of one class, most important first."""
    vm = layout.group_of(Role.VM_ACCESS).profile
    csv = layout.group_of(Role.CLUSTER_CSV).profile
    lm = layout.group_of(Role.LIVE_MIGRATION).profile
    mgmt_group = layout.group_of(Role.MANAGEMENT)
    isolated = sum(
        1 for role in (Role.CLUSTER_CSV, Role.LIVE_MIGRATION)
        if not layout.group_of(role).roles & {Role.VM_ACCESS, Role.MANAGEMENT}
    )
    return (
        layout.effective_mbps(Role.LIVE_MIGRATION),
        isolated,
        len(layout.groups),
        _network_rank(vm.network, "public"),
        vm.speed_mbps,
        _network_rank(csv.network, "private") + _network_rank(lm.network, "private"),
        csv.speed_mbps,
        _network_rank(mgmt_group.profile.network, "public"),
        -mgmt_group.profile.speed_mbps if len(mgmt_group.roles) == 1 else 0,
    )


def layout_class(cluster: Cluster, node: Node, ports: tuple[Port, ...], layout: Layout) -> Classification:
    """The class the placement rules give a layout (settings and inventory rules come later)."""
    context = NodeContext(cluster, node, ports, layout)
    caps = [cap for r in rules_of("layout") for cap in r.caps(context)]
    return Classification.worst(caps)


def candidate_profiles(ports: tuple[Port, ...]) -> dict[Profile, int]:
    """Profiles a best layout can need, with how many ports have each.

    Among ports alike but for speed, faster is never worse for the busy roles and slower is better
    only for management on its own: the four fastest and the slowest suffice.
    """
    by_kind: dict[tuple, list[Port]] = {}
    for port in ports:
        p = port.profile
        by_kind.setdefault((p.team_mode, p.members, p.network, p.cluster_capable), []).append(port)
    counts: dict[Profile, int] = {}
    for same_kind in by_kind.values():
        same_kind.sort(key=lambda port: (-port.profile.speed_mbps, -port.profile.member_speed_mbps))
        keep = same_kind[:KEEP_FASTEST] + same_kind[KEEP_FASTEST:][-1:]
        for port in keep:
            counts[port.profile] = counts.get(port.profile, 0) + 1
    return counts


def _profile_key(profile: Profile) -> tuple:
    return (profile.speed_mbps, profile.members, profile.member_speed_mbps,
            profile.team_mode or "", profile.network or "")


@dataclass(frozen=True)
class Choice:
    """The designer's answer on profiles: one profile per group of roles."""

    groups: tuple[tuple[Profile, frozenset], ...]
    classification: Classification


@lru_cache(maxsize=4096)
def best_choice(cluster_flags: tuple, profiles: tuple[tuple[Profile, int], ...],
                capable: int) -> Choice:
    """The best grouping and profiles for an inventory (memoised: identical nodes search once)."""
    redundant_flag, chimney = cluster_flags
    cluster = Cluster(nodes=(), redundant_cluster_path=redundant_flag, tcp_chimney_offload=chimney)
    node = Node(name="", adapters=())
    # Fastest first, so that strong layouts come early and prune the rest.
    options = sorted(profiles, key=lambda pc: _profile_key(pc[0]), reverse=True)
    best: tuple | None = None
    best_choice_: Choice | None = None
    for partition in PARTITIONS:
        for picks in product(range(len(options)), repeat=len(partition)):
            used: dict[int, int] = {}
            for i in picks:
                used[i] = used.get(i, 0) + 1
            if any(used[i] > options[i][1] for i in used):
                continue
            groups = tuple(Group(options[i][0], block) for i, block in zip(picks, partition))
            virtual, caps = design_settings(groups)
            layout = Layout(groups, virtual, caps, redundant_path(redundant_flag, groups, capable))
            rest = preferences(layout)
            if best is not None and (Classification.RECOMMENDED.rank, *rest) <= best:
                continue  # cannot win even at the best class: skip the rules
            klass = layout_class(cluster, node, (), layout)
            key = (klass.rank, *rest)
            if best is None or key > best:
                best = key
                best_choice_ = Choice(tuple((g.profile, g.roles) for g in groups), klass)
    assert best_choice_ is not None
    return best_choice_


def capable_ports(ports: tuple[Port, ...]) -> int:
    return sum(1 for p in ports if p.profile.cluster_capable)


def design(cluster: Cluster, ports: tuple[Port, ...]) -> Layout:
    """The best layout for a node's ports (its class comes from `layout_class`)."""
    counts = candidate_profiles(ports)
    profiles = tuple(sorted(counts.items(), key=lambda pc: _profile_key(pc[0])))
    flags = (cluster.redundant_cluster_path, cluster.tcp_chimney_offload)
    choice = best_choice(flags, profiles, capable_ports(ports))
    free = sorted(ports, key=port_order)
    groups = []
    for profile, roles in choice.groups:
        port = next(p for p in free if p.profile == profile)
        free.remove(port)
        groups.append(Group(profile, roles, port))
    groups_t = tuple(groups)
    virtual, caps = design_settings(groups_t)
    return Layout(groups_t, virtual, caps,
                  redundant_path(cluster.redundant_cluster_path, groups_t, capable_ports(ports)))

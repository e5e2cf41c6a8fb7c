"""The designer: the best placement of the four roles on a node's ports, by a ruleset.

A layout splits the four roles into groups (15 ways), each group on its own port. Every rule and
preference is judged per group, so the designer first rates each group on each kind of port,
then, for each class from the best down, combines only each group's few best ports of that class
or better. Interchangeable ports share a profile, so the search never depends on names or order;
the winner is then put on real ports in a canonical order (subnet, then name).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache, partial
from itertools import product
from typing import TYPE_CHECKING

from .catalogue import NodeContext, Scope
from .layout import Group, Layout, capable_networks, redundant_path
from .model import ROLES, Classification, Settings
from .ports import Port, Profile, one_network_per_subnet
from .table_match import port_order

if TYPE_CHECKING:
    from .ruleset import Ruleset

KEEP_FASTEST = 4  # at most four groups, so four ports of a kind are all a search can use
SLACK = 2  # candidates per group beyond the group count, for the redundant-path interplay
CLASSES_BEST_FIRST = sorted(Classification, key=lambda c: -c.rank)
CLASSES_BY_RANK = {c.rank: c for c in Classification}


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
BLOCKS = tuple(sorted({block for p in PARTITIONS for block in p},
                      key=lambda b: sorted(ROLES.index(r) for r in b)))

def _add(vectors) -> tuple:
    return tuple(sum(values) for values in zip(*vectors))


def preferences(ruleset: Ruleset, layout: Layout) -> tuple:
    """The ruleset's preferences among layouts of one class, most important first."""
    designer = ruleset.designer
    total = list(_add(designer.preferences(g.profile, g.roles) for g in layout.groups))
    total[designer.group_count_at] = len(layout.groups)
    return tuple(total)


def score(ruleset: Ruleset, layout: Layout, classification: Classification) -> tuple:
    """How good a layout is: its class, then the ruleset's preferences."""
    return (classification.rank, *preferences(ruleset, layout))


def layout_class(ruleset: Ruleset, settings: Settings, layout: Layout) -> Classification:
    """The class the placement rules give a layout (inventory and cluster rules come later)."""
    context = NodeContext(settings, None, (), layout)
    caps = [cap for r in ruleset.rules_of(Scope.LAYOUT) for cap in r.caps(context)]
    return Classification.worst(caps)


def candidate_profiles(ports: tuple[Port, ...]) -> dict[Profile, int]:
    """Profiles a best layout can need, with how many ports have each.

    Among ports alike but for speed, faster is never worse for the busy roles and slower is better
    only for management on its own: the four fastest and the slowest suffice.
    """
    by_kind: dict[tuple, list[Port]] = {}
    for port in ports:
        p = port.profile
        kind = (p.team_mode, p.members, p.network, p.cluster_capable, p.management_home)
        by_kind.setdefault(kind, []).append(port)
    counts: dict[Profile, int] = {}
    for same_kind in by_kind.values():
        same_kind.sort(key=lambda port: (-port.profile.speed_mbps, -port.profile.member_speed_mbps))
        keep = same_kind[:KEEP_FASTEST] + same_kind[KEEP_FASTEST:][-1:]
        for port in keep:
            counts[port.profile] = counts.get(port.profile, 0) + 1
    return counts


def _profile_key(profile: Profile) -> tuple:
    return (profile.speed_mbps, profile.members, profile.member_speed_mbps,
            profile.team_mode or "", profile.network or "", profile.management_home)


@dataclass(frozen=True)
class Choice:
    """The designer's answer on profiles: one profile per group of roles."""

    groups: tuple[tuple[Profile, frozenset], ...]
    classification: Classification


def _build(ruleset: Ruleset, groups: tuple[Group, ...], redundant_flag: bool,
           capable: int) -> Layout:
    virtual, caps = ruleset.caps.settings(groups)
    return Layout(groups, virtual, caps, redundant_path(redundant_flag, groups, capable))


@lru_cache(maxsize=4096)
def rating_profile(ruleset: Ruleset, profile: Profile) -> Profile:
    """The profile as the layout rules see it (speeds by the ruleset's classes): ratings are
    shared by every profile that maps to it, across inventories."""
    speed_class = ruleset.designer.speed_class
    return replace(profile, speed_mbps=speed_class(profile.speed_mbps),
                   member_speed_mbps=speed_class(profile.member_speed_mbps), management_home=False)


@lru_cache(maxsize=4096)
def _rated_class(ruleset: Ruleset, settings: Settings, block: frozenset, profile: Profile) -> int:
    """A group's best possible class on a rating profile, the other roles ideal and the cluster
    path assumed."""
    ideal = ruleset.designer.ideal
    groups = (Group(profile, block),) + tuple(
        Group(ideal[role], frozenset({role})) for role in ROLES if role not in block)
    return layout_class(ruleset, settings, _build(ruleset, groups, True, 0)).rank


def rate(ruleset: Ruleset, settings: Settings, block: frozenset,
         profile: Profile) -> tuple[int, tuple]:
    """A group's best possible class on a profile and its share of the preferences."""
    return (_rated_class(ruleset, settings, block, rating_profile(ruleset, profile)),
            ruleset.designer.preferences(profile, block))


class _Search:
    """One inventory's search: group ratings first, then bounded combinations per class."""

    def __init__(self, ruleset: Ruleset, settings: Settings,
                 profiles: tuple[tuple[Profile, int], ...], capable: int):
        self.settings = settings
        self.designer = ruleset.designer
        self.count_at = ruleset.designer.group_count_at
        self.redundant_flag = settings.redundant_cluster_path
        self.capable = capable
        # Fastest first: strong layouts come early and let the preference bound skip the rest.
        self.options = sorted(profiles, key=lambda pc: _profile_key(pc[0]), reverse=True)
        constraints = ruleset.designer.constraints(profiles)
        # Only the groups a port may take are rated.
        self.rating = {(block, i): rate(ruleset, settings, block, profile)
                       for block in BLOCKS for i, (profile, _) in enumerate(self.options)
                       if constraints.allows(block, profile)}
        self.candidates: dict[tuple, list[int]] = {}
        # Each block's ports, best preferences first (the same for every partition and class).
        self.ranked = {block: sorted((i for i in range(len(self.options))
                                      if (block, i) in self.rating),
                                     key=partial(self._preferences, block), reverse=True)
                       for block in BLOCKS}

    def _preferences(self, block: frozenset, i: int) -> tuple:
        return self.rating[block, i][1]

    def _candidates(self, block: frozenset, floor: int, room: int) -> list[int]:
        """Indices of the block's best profiles of class `floor` or better, each as many times as
        ports have it, `room` entries at most (memoised: partitions share blocks)."""
        key = (block, floor, room)
        if key not in self.candidates:
            self.candidates[key] = self._find_candidates(block, floor, room)
        return self.candidates[key]

    def _find_candidates(self, block: frozenset, floor: int, room: int) -> list[int]:
        eligible = [i for i in self.ranked[block] if self.rating[block, i][0] >= floor]
        out: list[int] = []
        for i in eligible:
            out.extend([i] * min(self.options[i][1], room - len(out)))
            if len(out) >= room:
                break
        return list(dict.fromkeys(out))

    def best(self) -> Choice:
        for floor_class in CLASSES_BEST_FIRST:
            found = self._best_at(floor_class.rank)
            if found is not None:
                return found
        raise AssertionError("every layout has a class")

    def _best_at(self, floor: int) -> Choice | None:
        """The best layout of class `floor` or better, by branch and bound: partitions are tried
        by their best possible score, and stop when none left can beat the best found. Among
        equal scores the first in PARTITIONS order (then candidate order) wins, as a plain scan
        would choose."""
        bounded = []
        for index, partition in enumerate(PARTITIONS):
            lists = [self._candidates(block, floor, len(partition) + SLACK) for block in partition]
            if not all(lists):
                continue
            # Each component's best over a block's candidates, summed: no pick can score more.
            best_each = [tuple(map(max, zip(*(self.rating[block, i][1] for i in options))))
                         for block, options in zip(partition, lists)]
            summed = list(_add(best_each))
            summed[self.count_at] = len(partition)
            top = min(max(self.rating[block, i][0] for i in options)
                      for block, options in zip(partition, lists))
            bounded.append(((top, *summed), index, partition, lists))
        bounded.sort(key=lambda item: (item[0], -item[1]), reverse=True)
        best_key: tuple | None = None
        best_order: tuple = ()
        best: Choice | None = None
        for bound, index, partition, lists in bounded:
            if best_key is not None and bound < best_key:
                break  # no partition left can reach the best score found
            for position, picks in enumerate(product(*lists)):
                if len(set(picks)) < len(picks):
                    used: dict[int, int] = {}
                    for i in picks:
                        used[i] = used.get(i, 0) + 1
                    if any(used[i] > self.options[i][1] for i in used):
                        continue
                rank = min(self.rating[block, i][0] for block, i in zip(partition, picks))
                rest = list(_add(self.rating[block, i][1] for block, i in zip(partition, picks)))
                rest[self.count_at] = len(partition)
                order = (index, position)
                optimistic = (rank, *rest)  # the rule read below can only lower the rank
                if best_key is not None and (optimistic < best_key or (
                        optimistic == best_key and order > best_order)):
                    continue  # cannot win
                groups = tuple(Group(self.options[i][0], block) for block, i in zip(partition, picks))
                # The ratings judge each group on its own, a redundant cluster path assumed;
                # a group the ruleset says depends on that path is held down without one.
                designer = self.designer
                without = designer.without_path.rank
                if rank > without and any(designer.path_dependent(g.profile, g.roles)
                                          for g in groups) \
                        and not redundant_path(self.redundant_flag, groups, self.capable):
                    rank = without
                if rank < floor:
                    continue
                key = (rank, *rest)
                if best_key is None or key > best_key or (key == best_key and order < best_order):
                    best_key, best_order = key, order
                    best = Choice(tuple((g.profile, g.roles) for g in groups),
                                  CLASSES_BY_RANK[rank])
        return best


@lru_cache(maxsize=4096)
def best_choice(ruleset: Ruleset, settings: Settings, profiles: tuple[tuple[Profile, int], ...],
                capable: int) -> Choice:
    """The best grouping and profiles for an inventory (memoised: identical nodes search once)."""
    return _Search(ruleset, settings, profiles, capable).best()


def capable_ports(ports: tuple[Port, ...]) -> int:
    """Cluster-capable networks among the ports (one subnet counts once)."""
    return capable_networks(ports)


def design(ruleset: Ruleset, settings: Settings, ports: tuple[Port, ...]) -> Layout:
    """The best layout for a node's ports (its class comes from `layout_class`); ports of one
    subnet count as one network, since the cluster uses one adapter per node there."""
    ports = one_network_per_subnet(ports)
    counts = candidate_profiles(ports)
    profiles = tuple(sorted(counts.items(), key=lambda pc: _profile_key(pc[0])))
    capable = capable_ports(ports)
    choice = best_choice(ruleset, settings, profiles, capable)
    free = sorted(ports, key=port_order)
    groups = []
    for profile, roles in choice.groups:
        port = next(p for p in free if p.profile == profile)
        free.remove(port)
        groups.append(Group(profile, roles, port))
    return _build(ruleset, tuple(groups), settings.redundant_cluster_path, capable)

"""A ruleset as one value: its name and version, sources, table, rules, caps, what the designer
needs (preferences among others), QoS builder, remediation candidates and limits.

The engine (assessment, designer, planner) reads everything that is particular to a guide from
the Ruleset it is handed, the way jsonschema's validator class reads its keyword functions from
the dict it was created with. A ruleset is built explicitly (see `rulesets/ws2008r2/`) and a
new one is derived with `extend()`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from .catalogue import Rule, Scope
from .layout import Group
from .model import Role

if TYPE_CHECKING:
    from .changes import Change
    from .model import Classification, Cluster, QosPolicy
    from .ports import Port, Profile
    from .reference_table import TableRow


@dataclass(frozen=True)
class Source:
    """A document a ruleset rests on."""

    title: str
    url: str


@dataclass(frozen=True)
class CapPolicy:
    """The bandwidth caps a designed layout gives a role that shares its port."""

    management: Callable[[Profile], int]
    live_migration: Callable[[Profile, frozenset[Role]], int]

    def settings(self, groups: Iterable[Group]) -> tuple[dict[Role, bool], dict[Role, int | None]]:
        """Virtual flags and caps for a grouping: roles on the VM switch's port are virtual
        adapters, and the lower-priority role on a shared port is capped."""
        virtual: dict[Role, bool] = {}
        caps: dict[Role, int | None] = {}
        for group in groups:
            on_switch = Role.VM_ACCESS in group.roles
            shared = len(group.roles) > 1
            for role in group.roles:
                virtual[role] = on_switch
                cap = None
                if shared and role is Role.MANAGEMENT:
                    cap = self.management(group.profile)
                elif shared and role is Role.LIVE_MIGRATION:
                    cap = self.live_migration(group.profile, group.roles)
                caps[role] = cap
        return virtual, caps


class Constraints(Protocol):
    """Placements the designer never makes, read from one inventory."""

    def allows(self, block: frozenset[Role], profile: Profile) -> bool:
        """Whether a group of roles may go on a port of this profile."""


@dataclass(frozen=True)
class Designer:
    """What the layout search needs from a ruleset besides its rules and caps.

    The search rates each group of roles on its own, the other roles on ideal ports, and sums
    the groups' preferences; these parts make that exact for the ruleset's rules.
    """

    # Its preferences among layouts of one class: a vector per group, summed over a layout's
    # groups, with the layout's number of ports written at `group_count_at`.
    preferences: Callable[[Profile, frozenset[Role]], tuple]
    group_count_at: int
    ideal: Mapping[Role, Profile]  # a port where a role alone breaks no rule
    speed_class: Callable[[int], int]  # one speed for all the layout rules cannot tell apart
    constraints: Callable[[Iterable[tuple[Profile, int]]], Constraints]
    # A group whose class also depends on the layout's redundant cluster path (rated as if it
    # had one), and the best class it has without one.
    path_dependent: Callable[[Profile, frozenset[Role]], bool]
    without_path: Classification


@dataclass(frozen=True)
class ChangeCatalogue:
    """The changes the remediation planner may try, each kind a function of the ruleset."""

    cluster: Callable[[Ruleset, Cluster, set[str]], list[Change]]
    node_settings: Callable[[Ruleset, Cluster], list[Change]]
    node: Callable[..., list[Change]]
    # Changes across nodes, tried last for the cluster-wide findings no other change fixes.
    across_nodes: Callable[[Ruleset], Sequence[Change]] = lambda ruleset: ()


@dataclass(frozen=True)
class Limits:
    """The product's hard limits the ruleset and its planner read."""

    max_nodes: int


QosBuilder = Callable[[str, "str | None", Any, "tuple[Port, ...]", bool], "tuple[QosPolicy, ...]"]


# Identity, not field equality: a ruleset is a key of the engine's memos, hashed on every call,
# and two rulesets built apart are two rulesets even when their parts compare equal.
@dataclass(frozen=True, eq=False)
class Ruleset:
    """Everything an evaluation by one guide reads, as one value."""

    name: str
    release: str
    title: str
    sources: tuple[Source, ...]
    table: tuple[TableRow, ...]
    rules: tuple[Rule, ...]
    caps: CapPolicy
    designer: Designer
    qos: QosBuilder
    changes: ChangeCatalogue
    limits: Limits
    _by_scope: dict[Scope, tuple[Rule, ...]] = field(init=False, repr=False)
    _by_code: dict[str, Rule] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        codes = [r.code for r in self.rules]
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise ValueError(f"{self.name}: rule codes repeat: {', '.join(repeated)}")
        unknown = {r.scope for r in self.rules if not isinstance(r.scope, Scope)}
        if unknown:
            raise ValueError(f"{self.name}: unknown rule scopes {sorted(unknown)}")
        ordered = tuple(sorted(self.rules, key=lambda r: r.code))
        object.__setattr__(self, "rules", ordered)
        object.__setattr__(self, "_by_scope", {
            scope: tuple(r for r in ordered if r.scope is scope) for scope in Scope})
        object.__setattr__(self, "_by_code", {r.code: r for r in ordered})

    @property
    def version(self) -> str:
        """'<name>/<release>', as every answer and the cache key carry it."""
        return f"{self.name}/{self.release}"

    def rules_of(self, scope: Scope) -> tuple[Rule, ...]:
        """The rules of one scope, in code order."""
        return self._by_scope[scope]

    def rule(self, code: str) -> Rule:
        """The rule with this code (KeyError when the ruleset has none)."""
        return self._by_code[code]

    def scope_of(self, code: str) -> Scope:
        """The scope of the rule with this code."""
        return self._by_code[code].scope

    def extend(self, rules: Iterable[Rule] = (), **changes: Any) -> Ruleset:
        """A derived ruleset: `rules` added (a rule with an existing code replaces it), any other
        part given by keyword replaced. The ruleset it derives from is unchanged."""
        merged = {r.code: r for r in self.rules}
        merged.update((r.code, r) for r in rules)
        return replace(self, rules=tuple(merged.values()), **changes)

"""Dataclasses for a cluster description and for the evaluation the rules engine returns."""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from functools import cached_property


class Role(str, Enum):
    """The four traffic roles of the guide's table, in the table's column order."""

    VM_ACCESS = "vm_access"
    MANAGEMENT = "management"
    CLUSTER_CSV = "cluster_csv"
    LIVE_MIGRATION = "live_migration"


ROLES: tuple[Role, ...] = tuple(Role)


class Classification(str, Enum):
    """The guide's scale; `rank` orders it so that higher is better."""

    RECOMMENDED = "recommended"
    SUPPORTED = "supported"
    NOT_RECOMMENDED = "not_recommended"
    UNSUPPORTED = "unsupported"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @staticmethod
    def worst(items) -> Classification:
        """The worst classification of `items` (recommended when there are none)."""
        return min(items, key=lambda c: c.rank, default=Classification.RECOMMENDED)

    @staticmethod
    def best(items) -> Classification:
        """The best classification of `items` (unsupported when there are none)."""
        return max(items, key=lambda c: c.rank, default=Classification.UNSUPPORTED)


_RANK = {
    Classification.UNSUPPORTED: 0,
    Classification.NOT_RECOMMENDED: 1,
    Classification.SUPPORTED: 2,
    Classification.RECOMMENDED: 3,
}


# An address as CIDR text or as the parsed interface (callers that parsed it already pass that).
Address = str | ipaddress.IPv4Interface | ipaddress.IPv6Interface


class Network(StrEnum):
    """A port's network access; None where the description does not say."""

    PUBLIC = "public"
    PRIVATE = "private"


class TeamMode(StrEnum):
    """How a team joins its members; None where the description does not say (then evaluated as
    link aggregation, the teaming the guide's table refers to)."""

    LINK_AGGREGATION = "link_aggregation"
    FAILOVER = "failover"


class Mode(StrEnum):
    """Design mode lays the roles out; audit mode judges the layout the description declares."""

    DESIGN = "design"
    AUDIT = "audit"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class RoleAssignment:
    """A role declared on an adapter or team (audit mode)."""

    role: Role
    virtual: bool = False
    bandwidth_cap_percent: int | None = None


@dataclass(frozen=True)
class Adapter:
    name: str
    speed_mbps: int
    team: str | None = None
    network: Network | None = None  # None: not known yet
    vlan_id: int | None = None
    address: Address | None = None  # CIDR, e.g. "192.168.10.11/24", or already parsed
    roles: tuple[RoleAssignment, ...] | None = None


@dataclass(frozen=True)
class Team:
    name: str
    mode: TeamMode | None = None  # None: not given (treated as link aggregation)
    network: Network | None = None
    vlan_id: int | None = None
    address: Address | None = None
    roles: tuple[RoleAssignment, ...] | None = None


@dataclass(frozen=True)
class Node:
    name: str
    adapters: tuple[Adapter, ...]
    teams: tuple[Team, ...] = ()
    processor_vendor: str | None = None
    management_ip: str | None = None

    @property
    def items(self) -> tuple[Adapter | Team, ...]:
        """The adapters, then the teams: everything that carries a name, an address and roles."""
        return (*self.adapters, *self.teams)


@dataclass(frozen=True)
class Settings:
    """The cluster-wide facts a node's own rules and the designer read."""

    redundant_cluster_path: bool = False
    tcp_chimney_offload: bool = False


@dataclass(frozen=True)
class Cluster:
    nodes: tuple[Node, ...]
    name: str | None = None
    failover_clustering: bool = True
    shared_storage: str = "iscsi"
    cluster_shared_volumes: bool = True
    redundant_cluster_path: bool = False
    live_migration_ipsec: bool = False
    live_migration_encryption_required: bool = False
    tcp_chimney_offload: bool = False
    csv_smb_bindings_enabled: bool | None = None

    @cached_property
    def settings(self) -> Settings:
        return Settings(self.redundant_cluster_path, self.tcp_chimney_offload)

    @cached_property
    def audit_mode(self) -> bool:
        """True when any adapter or team declares roles: the declared layout is judged."""
        return any(
            item.roles is not None
            for node in self.nodes
            for item in node.items
        )


# ---- evaluation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """One role of a layout: the port it is on, whether it is a virtual adapter, and its cap."""

    role: Role
    port: str
    virtual: bool
    bandwidth_cap_percent: int | None


@dataclass(frozen=True)
class QosPolicy:
    """One outbound throttle, as the guide's two procedures define it."""

    name: str
    kind: str  # "live_migration" or "management"
    protocol: str  # "tcp" or "any"
    destination_port: int | None
    source_ip: str | None
    port: str
    port_speed_mbps: int
    bandwidth_cap_percent: int
    throttle_rate_bits_per_second: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    guide_reference: str
    node: str | None = None
    classification_cap: Classification | None = None


@dataclass(frozen=True)
class ReferenceRow:
    row: int
    host_configuration: str
    classification: Classification


@dataclass(frozen=True)
class Alternative:
    """A better-rated layout than the table's, found by the principles, and why."""

    classification: Classification
    layout: tuple[Placement, ...]
    reason: str


@dataclass(frozen=True)
class NodeEvaluation:
    name: str
    classification: Classification
    classification_source: str  # "table" or "derived"
    reference_configuration: ReferenceRow | None
    layout: tuple[Placement, ...]
    qos_policies: tuple[QosPolicy, ...]
    alternative: Alternative | None = None


@dataclass(frozen=True)
class Remediation:
    action: str
    classification_after: Classification
    change: str  # a stable kind: "add_adapter", "move_role", "set_cap", "setting", ...


@dataclass(frozen=True)
class PlanStep:
    """One step of a plan: a change, the nodes it applies to, and the class once it is done
    (with every step before it)."""

    action: str
    change: str  # the kind: "setting", "cabling", "cap", "move_role", "team", "add_adapter", ...
    nodes: tuple[str, ...]
    classification_after: Classification


@dataclass(frozen=True)
class Plan:
    """The cheapest set of changes found that reaches `classification`, as ordered steps."""

    classification: Classification
    cost: int
    steps: tuple[PlanStep, ...]


@dataclass(frozen=True)
class Evaluation:
    mode: Mode
    classification: Classification
    classification_source: str
    reference_configuration: ReferenceRow | None
    nodes: tuple[NodeEvaluation, ...]
    findings: tuple[Finding, ...]
    remediation: tuple[Remediation, ...]
    ruleset_version: str
    name: str | None = None
    best_classification: Classification = field(default=Classification.UNSUPPORTED)
    plans: tuple[Plan, ...] = ()
    plans_complete: bool = True  # False when the planner stopped at its work limit

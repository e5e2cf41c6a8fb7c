"""The rules' machinery: a Rule is data (code, severity, cap, guide section) plus a check.

`@rule(...)` turns a check function into a `Rule` value and registers it nowhere: each rules
module lists its rules in a `RULES` tuple, and a ruleset (see `ruleset.py`) is built from those
tuples explicitly. A check yields `Hit`s; each hit becomes a finding with the rule's code,
severity and cap: a different outcome is a different rule, never a hit's override.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from .layout import Layout
from .model import Classification, Cluster, Finding, Node, Settings, Severity
from .ports import Port

# The guide on Microsoft's site (the source of every rule that names no other).
GUIDE_URL = ("https://learn.microsoft.com/previous-versions/windows/it-pro/"
             "windows-server-2008-R2-and-2008/ff428137(v=ws.10)")
# Guide sections, by their headings in the guide.
REQUIREMENTS = "Hyper-V live migration network requirements"
ADAPTERS = f"{REQUIREMENTS} > Network adapters"
HARDWARE = f"{REQUIREMENTS} > Hardware and system settings"
SECURITY = f"{REQUIREMENTS} > Security policies"
SUBNETS = f"{REQUIREMENTS} > IP subnet configuration"
STORAGE = f"{REQUIREMENTS} > storage network recommendations"
ACCESS = "Identifying the network access needs for live migration"
CONSIDERATIONS = "Networking considerations for live migration"
TABLE = f"{CONSIDERATIONS} > table of host configurations"
BANDWIDTH = "Managing bandwidth in the management operating system"
OUTSIDE = "Windows Server 2008 R2 failover clustering limits (outside the guide)"
TEAMING = "Network teaming vendors' requirements (outside the guide)"
VALIDATION = "Failover cluster validation (outside the guide)"
# Not a section of any source: what a "not checked" finding reports is missing from the description.
MISSING = "Facts the description does not give"


class Scope(StrEnum):
    """What a rule reads: the whole cluster, one node's inventory and settings, or one node's
    placement of roles (the designer rates layouts by these alone)."""

    CLUSTER = "cluster"
    NODE = "node"
    LAYOUT = "layout"


@dataclass(frozen=True)
class Hit:
    """What a check found: only the words and, for a cluster-wide rule, the node; severity and
    cap are the rule's (a hit that would need others belongs to another rule)."""

    message: str
    node: str | None = None  # a cluster-wide rule's hit about one node


@dataclass(frozen=True)
class NodeContext:
    """What a node or placement rule reads (placement rules read only settings and layout)."""

    settings: Settings
    node: Node | None  # None when the designer rates a layout on its own
    ports: tuple[Port, ...]
    layout: Layout

    @property
    def host(self) -> Node:
        """The node: node and cluster rules always have one (only layout rules run without)."""
        if self.node is None:
            raise ValueError("a layout rated on its own has no node")
        return self.node


@dataclass(frozen=True)
class ClusterContext:
    cluster: Cluster
    nodes: tuple[NodeContext, ...]


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    severity: Severity
    cap: Classification | None
    section: str
    scope: Scope
    table_covered: bool  # the table's own rating already accounts for it
    check: Callable[..., Iterable[Hit]]
    quote: str = ""  # the guide's sentence the rule rests on (or the outside source's)
    source: str = GUIDE_URL  # where the quote is published

    def findings(self, context, node: str | None = None) -> list[Finding]:
        """Run the check and turn each hit into a finding."""
        return [
            Finding(
                code=self.code,
                severity=self.severity,
                message=hit.message,
                guide_reference=self.section,
                node=hit.node or node,
                classification_cap=self.cap,
            )
            for hit in self.check(context)
        ]

    def caps(self, context) -> list[Classification]:
        """Only the caps of the check's hits (the designer's fast path)."""
        if self.cap is None:
            return []  # nothing to count: the check need not run
        return [self.cap for _ in self.check(context)]


def rule(code: str, title: str, severity: Severity, section: str, scope: Scope,
         cap: Classification | None = None, table_covered: bool = False, quote: str = "",
         source: str = GUIDE_URL) -> Callable[[Callable[..., Iterable[Hit]]], Rule]:
    """Make a check function a Rule under a stable code (no registration: see RULES tuples)."""
    def make(check: Callable[..., Iterable[Hit]]) -> Rule:
        return Rule(code, title, severity, cap, section, scope, table_covered, check, quote,
                    source)
    return make

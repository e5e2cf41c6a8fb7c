"""Assess a cluster description by a ruleset: classify it, lay out its roles, derive its QoS
policies and findings (remediation comes after, in plan.py)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .audit import declared_layout, follows_row
from .catalogue import ClusterContext, NodeContext, Scope
from .design import capable_ports, design, layout_class
from .layout import as_cluster_networks
from .model import (
    Alternative,
    Classification,
    Cluster,
    Evaluation,
    Finding,
    Mode,
    Node,
    NodeEvaluation,
    Placement,
    ReferenceRow,
    Settings,
)
from .names import ROLE_NAMES
from .ports import Port, build_ports, shared_subnets
from .reference_table import TableRow
from .table_match import match_row, row_layout

if TYPE_CHECKING:
    from .ruleset import Ruleset

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class NodeResult:
    """A node's evaluation with the parts the cluster-wide rules and remediation read."""

    context: NodeContext
    evaluation: NodeEvaluation
    findings: tuple[Finding, ...]
    best: Classification  # the better of its classification and its alternative's


def reference(row: TableRow | None, redundant_cluster_path: bool) -> ReferenceRow | None:
    """The row as the answer names it, its footnote applied."""
    if row is None:
        return None
    return ReferenceRow(row.row, row.host_configuration,
                        row.classification_for(redundant_cluster_path))


def _node_findings(ruleset: Ruleset, context: NodeContext,
                   table_used: bool) -> tuple[list[Finding], list[Classification]]:
    """All node and placement findings, and the caps that count (the table covers its own)."""
    findings: list[Finding] = []
    caps: list[Classification] = []
    for rule in (*ruleset.rules_of(Scope.NODE), *ruleset.rules_of(Scope.LAYOUT)):
        found = rule.findings(context, node=context.host.name)
        findings.extend(found)
        if not (table_used and rule.table_covered):
            caps.extend(f.classification_cap for f in found if f.classification_cap)
    return findings, caps


def _differences(table: tuple[Placement, ...], derived: tuple[Placement, ...]) -> str:
    moves = [
        f"{ROLE_NAMES[d.role]} on {d.port}" + (f" capped at {d.bandwidth_cap_percent}%"
                                                if d.bandwidth_cap_percent else "")
        for t, d in zip(table, derived)
        if (t.port, t.bandwidth_cap_percent) != (d.port, d.bandwidth_cap_percent)
    ]
    return "; ".join(moves)


def _alternative(ruleset: Ruleset, settings: Settings, ports: tuple[Port, ...], row: TableRow,
                 assignment: tuple[Port, ...], table_class: Classification,
                 other_caps: list) -> Alternative | None:
    """A better-rated layout by the principles than the table's row, if there is one."""
    derived = design(ruleset, settings, ports)
    judged = as_cluster_networks(derived, settings.redundant_cluster_path, capable_ports(ports))
    derived_class = Classification.worst([layout_class(ruleset, settings, judged), *other_caps])
    if derived_class.rank <= table_class.rank:
        return None
    table_layout = row_layout(row, assignment, settings.redundant_cluster_path,
                              capable_ports(ports)).placements()
    placements = derived.placements()
    if placements == table_layout:
        reason = (f"The guide's table rates this host configuration (row {row.row}) "
                  f"{row.classification.value}; judged by the guide's principles the same layout "
                  f"is {derived_class.value}: every role the guide wants separate is separate, on "
                  "gigabit or faster ports.")
    else:
        reason = (f"Judged by the guide's principles rather than by row {row.row}, this layout is "
                  f"{derived_class.value}: {_differences(table_layout, placements)}.")
    return Alternative(derived_class, placements, reason)


def evaluate_node(ruleset: Ruleset, cluster: Cluster, node: Node) -> NodeResult:
    """Lay out (or read the declared layout of) one node and classify it."""
    return assess_node(ruleset, cluster.settings, cluster.audit_mode, node)


@lru_cache(maxsize=4096)
def assess_node(ruleset: Ruleset, settings: Settings, audit: bool, node: Node) -> NodeResult:
    """A node's evaluation from the only cluster facts its rules read (memoised: the planner
    re-assesses the same nodes under other settings and changes)."""
    ports = build_ports(node)
    capable = capable_ports(ports)
    match = match_row(ruleset, ports)
    row = match[0] if match else None
    # The row with the ports that fill its slots, when its layout can be had on this node.
    placed = (match[0], match[1]) if match is not None and match[1] is not None else None
    if audit:
        layout = declared_layout(ports, settings.redundant_cluster_path, capable)
        table_used = placed is not None and follows_row(layout, *placed)
    elif placed is not None and not shared_subnets(ports):
        layout = row_layout(*placed, settings.redundant_cluster_path, capable)
        table_used = True
    else:
        layout = design(ruleset, settings, ports)
        table_used = False
    # Rules judge the layout as the cluster sees it: the table row does not stand when its
    # separation rests on two ports of one subnet (design mode counts them as one network).
    judged = as_cluster_networks(layout, settings.redundant_cluster_path, capable)
    used = placed if table_used and judged is layout else None  # the row the class rests on
    table_used = used is not None
    context = NodeContext(settings, node, ports, judged)
    findings, caps = _node_findings(ruleset, context, table_used)
    base = used[0].classification_for(layout.redundant_cluster_path) if used is not None \
        else Classification.RECOMMENDED
    classification = Classification.worst([base, *caps])
    alternative = None
    if used is not None and not audit:
        other_caps = [f.classification_cap for f in findings if f.classification_cap
                      and ruleset.scope_of(f.code) is Scope.NODE]
        alternative = _alternative(ruleset, settings, ports, *used, classification, other_caps)
    evaluation = NodeEvaluation(
        name=node.name,
        classification=classification,
        classification_source="table" if table_used else "derived",
        reference_configuration=reference(row, settings.redundant_cluster_path),
        layout=layout.placements(),
        qos_policies=ruleset.qos(node.name, node.management_ip, layout, ports,
                                 settings.tcp_chimney_offload),
        alternative=alternative,
    )
    best = alternative.classification if alternative else classification
    return NodeResult(context, evaluation, tuple(findings), best)


def designed_layout(ruleset: Ruleset, settings: Settings, node: Node) -> tuple[Placement, ...]:
    """The layout design mode gives a node (its declared roles, if any, left aside)."""
    return assess_node(ruleset, settings, False, node).evaluation.layout


def assess(ruleset: Ruleset, cluster: Cluster) -> Evaluation:
    """The evaluation of a cluster description by `ruleset`, without remediation."""
    results = [evaluate_node(ruleset, cluster, node) for node in cluster.nodes]
    context = ClusterContext(cluster, tuple(r.context for r in results))
    cluster_findings = [f for rule in ruleset.rules_of(Scope.CLUSTER)
                        for f in rule.findings(context)]
    cluster_caps = [f.classification_cap for f in cluster_findings if f.classification_cap]
    worst_node = Classification.worst(r.evaluation.classification for r in results)
    classification = Classification.worst([worst_node, *cluster_caps])
    best = Classification.worst([r.best for r in results] + cluster_caps)
    rows = {r.evaluation.reference_configuration for r in results}
    sources = {r.evaluation.classification_source for r in results}
    findings = sorted(cluster_findings, key=lambda f: (SEVERITY_ORDER[f.severity.value], f.code))
    for r in results:
        findings.extend(sorted(r.findings, key=lambda f: (SEVERITY_ORDER[f.severity.value], f.code)))
    evaluation = Evaluation(
        mode=Mode.AUDIT if cluster.audit_mode else Mode.DESIGN,
        classification=classification,
        # The table decides only if every node's class is the table's and no cluster-wide
        # finding lowered the result below the worst node's.
        classification_source="table" if sources == {"table"} and classification == worst_node
        else "derived",
        reference_configuration=rows.pop() if len(rows) == 1 else None,
        nodes=tuple(r.evaluation for r in results),
        findings=tuple(findings),
        remediation=(),
        ruleset_version=ruleset.version,
        name=cluster.name,
        best_classification=best,
    )
    return evaluation

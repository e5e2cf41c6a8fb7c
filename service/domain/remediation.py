"""Remediation: the smallest changes that would raise a cluster's classification.

Each candidate is a small, named change to the description (a setting, a cabling change, a cap,
a role moved, an adapter added). Every candidate is evaluated for real; the answer lists, cheapest
first, each change that reaches a class no cheaper change reaches.
"""
from __future__ import annotations

import ipaddress
from collections import Counter
from dataclasses import dataclass, replace
from typing import Callable, Iterator

from .assessment import assess
from .layout import design_settings, Group
from .model import Adapter, Classification, Cluster, Evaluation, Node, Remediation, Role, RoleAssignment
from .ports import build_ports
from .rules import ROLE_NAMES, WINDOWS_2008_R2_MAX_NODES


# Findings that read only cluster-wide facts: a change that fixes none of them cannot lift the
# cluster above their caps, so it need not be tried.
SETTINGS_CODES = frozenset({"LM101", "LM102", "LM103", "LM106", "LM107", "LM108"})


@dataclass(frozen=True)
class Candidate:
    change: str  # a stable kind
    cost: int  # settings < cabling and caps < moving roles < hardware
    action: str
    apply: Callable[[Cluster], Cluster]
    fixes: frozenset = frozenset()  # the SETTINGS_CODES this change can clear

    def ceiling(self, evaluation: Evaluation) -> Classification:
        """The best class this change could reach, given the findings it leaves alone."""
        return Classification.worst(
            f.classification_cap for f in evaluation.findings
            if f.code in SETTINGS_CODES - self.fixes and f.classification_cap is not None)


def _on_nodes(cluster: Cluster, change: Callable[[Node], Node]) -> Cluster:
    return replace(cluster, nodes=tuple(change(n) for n in cluster.nodes))


def _strip_roles(node: Node) -> Node:
    return replace(
        node,
        adapters=tuple(replace(a, roles=None) for a in node.adapters),
        teams=tuple(replace(t, roles=None) for t in node.teams),
    )


def _add_adapter(speed: int) -> Callable[[Node], Node]:
    def change(node: Node) -> Node:
        names = {a.name for a in node.adapters} | {t.name for t in node.teams}
        number = len(node.adapters) + 1
        while f"NEW{number}" in names:
            number += 1
        stripped = _strip_roles(node)
        return replace(stripped, adapters=(*stripped.adapters,
                                           Adapter(f"NEW{number}", speed, network="private")))
    return change


def _mark_private(port_name: str) -> Callable[[Node], Node]:
    def change(node: Node) -> Node:
        return replace(
            node,
            adapters=tuple(replace(a, network="private") if port_name in (a.name, a.team) else a
                           for a in node.adapters),
            teams=tuple(replace(t, network="private") if t.name == port_name else t
                        for t in node.teams),
        )
    return change


def _declared(node: Node) -> dict:
    """role -> (port name, assignment) of a node's declared layout."""
    out = {}
    for item in (*node.adapters, *node.teams):
        for assignment in item.roles or ():
            out[assignment.role] = (item.name, assignment)
    return out


def _with_roles(node: Node, roles_by_port: dict[str, tuple[RoleAssignment, ...]]) -> Node:
    return replace(
        node,
        adapters=tuple(replace(a, roles=roles_by_port.get(a.name)) for a in node.adapters),
        teams=tuple(replace(t, roles=roles_by_port.get(t.name)) for t in node.teams),
    )


def _capped(node: Node) -> Node:
    """The declared layout with the designer's caps wherever a shared role has none."""
    ports = {p.name: p for p in build_ports(node)}
    by_port: dict[str, list[RoleAssignment]] = {}
    for port, assignment in _declared(node).values():
        by_port.setdefault(port, []).append(assignment)
    out = {}
    for port, assignments in by_port.items():
        group = Group(ports[port].profile, frozenset(a.role for a in assignments))
        _, caps = design_settings((group,))
        out[port] = tuple(
            replace(a, bandwidth_cap_percent=caps[a.role]) if a.bandwidth_cap_percent is None
            and caps[a.role] is not None else a for a in assignments)
    return _with_roles(node, out)


def _move(role: Role, designed: dict[str, dict]) -> Callable[[Node], Node]:
    """Move `role` on each node to the port design mode picks for it, recapping both ports."""
    def change(node: Node) -> Node:
        target = designed[node.name][role]
        ports = {p.name: p for p in build_ports(node)}
        by_port: dict[str, list[RoleAssignment]] = {}
        for r, (port, assignment) in _declared(node).items():
            by_port.setdefault(target if r is role else port, []).append(assignment)
        out = {}
        for port, assignments in by_port.items():
            group = Group(ports[port].profile, frozenset(a.role for a in assignments))
            virtual, caps = design_settings((group,))
            out[port] = tuple(RoleAssignment(a.role, virtual[a.role], caps[a.role])
                              for a in assignments)
        return _with_roles(node, out)
    return change


def _without_duplicate_addresses(cluster: Cluster) -> Cluster:
    """The description with each repeated address kept only where it first appears."""
    seen: set = set()

    def unique(item):
        ip = None if item.address is None else ipaddress.ip_interface(item.address).ip
        if ip is None or ip not in seen:
            if ip is not None:
                seen.add(ip)
            return item
        return replace(item, address=None)

    return _on_nodes(cluster, lambda n: replace(
        n, adapters=tuple(unique(a) for a in n.adapters), teams=tuple(unique(t) for t in n.teams)))


def _declare(layouts: dict[str, tuple]) -> Callable[[Node], Node]:
    """Declare a layout (placements by node name) as the roles of a node's ports."""
    def change(node: Node) -> Node:
        by_port: dict[str, list[RoleAssignment]] = {}
        for placement in layouts[node.name]:
            by_port.setdefault(placement.port, []).append(RoleAssignment(
                placement.role, placement.virtual, placement.bandwidth_cap_percent))
        return _with_roles(node, {port: tuple(roles) for port, roles in by_port.items()})
    return change


def candidates(cluster: Cluster, evaluation: Evaluation) -> Iterator[Candidate]:
    """Every small change worth trying for this cluster."""
    codes = {f.code for f in evaluation.findings}
    if not cluster.failover_clustering:
        yield Candidate("setting", 1, "Enable failover clustering on the nodes.",
                        lambda c: replace(c, failover_clustering=True), frozenset({"LM101"}))
    if cluster.shared_storage == "none":
        yield Candidate("setting", 1, "Provide shared storage: Cluster Shared Volumes on iSCSI, "
                        "Fibre Channel or SAS.", lambda c: replace(c, shared_storage="iscsi"),
                        frozenset({"LM102"}))
    if cluster.live_migration_ipsec and not cluster.live_migration_encryption_required:
        yield Candidate("setting", 1, "Remove the IPsec policy from the live migration network.",
                        lambda c: replace(c, live_migration_ipsec=False), frozenset({"LM106"}))
    if cluster.live_migration_encryption_required and not cluster.live_migration_ipsec:
        yield Candidate("setting", 1, "Apply an IPsec policy that encrypts live migration traffic "
                        "(it must be encrypted; expect slower live migrations).",
                        lambda c: replace(c, live_migration_ipsec=True), frozenset({"LM106"}))
    if cluster.tcp_chimney_offload:
        yield Candidate("setting", 1, "Disable TCP Chimney Offload in the management operating "
                        "system (netsh int tcp set global chimney=disabled).",
                        lambda c: replace(c, tcp_chimney_offload=False))
    if cluster.cluster_shared_volumes and cluster.csv_smb_bindings_enabled is False:
        yield Candidate("setting", 1, "Enable Client for Microsoft Networks and File and Printer "
                        "Sharing on the cluster/CSV adapters.",
                        lambda c: replace(c, csv_smb_bindings_enabled=True), frozenset({"LM107"}))
    vendors = Counter(n.processor_vendor for n in cluster.nodes if n.processor_vendor)
    if len(vendors) > 1:
        vendor = min(vendors, key=lambda v: (-vendors[v], v))
        yield Candidate("hardware", 5, f"Use nodes with {vendor} processors only.",
                        lambda c: _on_nodes(c, lambda n: replace(n, processor_vendor=vendor)
                                            if n.processor_vendor else n), frozenset({"LM103"}))
    if len(cluster.nodes) > WINDOWS_2008_R2_MAX_NODES:
        yield Candidate("topology", 5, f"Split the nodes into clusters of at most "
                        f"{WINDOWS_2008_R2_MAX_NODES}.",
                        lambda c: replace(c, nodes=c.nodes[:WINDOWS_2008_R2_MAX_NODES]),
                        frozenset({"LM108"}))
    if "LM302" in codes:
        yield Candidate("addressing", 1, "Give every port a unique IP address (see LM302).",
                        _without_duplicate_addresses)
    if not cluster.redundant_cluster_path:
        yield Candidate("network", 3, "Give cluster/CSV traffic a redundant path: a second "
                        "private network enabled for cluster use.",
                        lambda c: replace(c, redundant_cluster_path=True))
    public_ports = sorted({p.name for n in cluster.nodes for p in build_ports(n) if p.profile.public})
    for port in public_ports:
        yield Candidate("cabling", 2, f"Connect {port} to a private network.",
                        lambda c, port=port: _on_nodes(c, _mark_private(port)))
    if cluster.audit_mode:
        if "LM403" in codes:
            yield Candidate("cap", 1, "Cap the lower-priority role on each shared port (live "
                            "migration beside cluster/CSV, management beside other traffic).",
                            lambda c: _on_nodes(c, _capped))
        designed_eval = assess(_on_nodes(cluster, _strip_roles))
        designed = {n.name: {p.role: p.port for p in n.layout} for n in designed_eval.nodes}
        for role in Role:
            if any(designed[n.name][role] != _declared(n)[role][0] for n in cluster.nodes):
                targets = sorted({designed[n.name][role] for n in cluster.nodes})
                yield Candidate("move_role", 2, f"Move {ROLE_NAMES[role]} to "
                                f"{', '.join(targets)}, as design mode places it.",
                                lambda c, role=role: _on_nodes(c, _move(role, designed)))
        yield Candidate("redesign", 3, "Lay out every role as design mode does.",
                        lambda c: _on_nodes(c, _strip_roles))
    if not cluster.audit_mode and any(n.alternative for n in evaluation.nodes):
        layouts = {n.name: (n.alternative.layout if n.alternative else n.layout)
                   for n in evaluation.nodes}
        yield Candidate("use_alternative", 2, "Lay the roles out as the alternative layout "
                        "offered for each node (see nodes[].alternative).",
                        lambda c: _on_nodes(c, _declare(layouts)))
    for speed, label in ((1_000, "1 Gbps"), (10_000, "10 Gbps")):
        yield Candidate("add_adapter", 4 if speed == 1_000 else 5,
                        f"Add a {label} network adapter on a private network to every node"
                        + (" and lay the roles out again." if cluster.audit_mode else "."),
                        lambda c, speed=speed: _on_nodes(c, _add_adapter(speed)))


def remediate(cluster: Cluster, evaluation: Evaluation) -> Evaluation:
    """The evaluation with its remediation ladder filled in."""
    current = evaluation.classification
    if current is Classification.RECOMMENDED:
        return evaluation
    found = []
    for candidate in candidates(cluster, evaluation):
        if candidate.ceiling(evaluation).rank <= current.rank:
            continue
        after = assess(candidate.apply(cluster)).classification
        if after.rank > current.rank:
            found.append((candidate.cost, -after.rank, candidate.action, candidate, after))
    ladder = []
    reached = current.rank
    for *_, candidate, after in sorted(found, key=lambda f: f[:3]):
        if after.rank > reached:
            ladder.append(Remediation(candidate.action, after, candidate.change))
            reached = after.rank
    return replace(evaluation, remediation=tuple(ladder))

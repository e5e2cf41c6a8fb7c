"""LM3xx: addressing (one subnet per role, unique addresses, the management address)."""
from __future__ import annotations

import ipaddress

from ..catalogue import (
    BANDWIDTH, SUBNETS, VALIDATION,
    ClusterContext, Hit, NodeContext, rule,
)
from ..model import Classification as C, Role, ROLES, Severity as S
from .names import ROLE_NAMES, ROLE_TITLES


SUBNET_SEVERITY = {
    Role.CLUSTER_CSV: (S.ERROR, C.UNSUPPORTED),
    Role.VM_ACCESS: (S.WARNING, C.NOT_RECOMMENDED),
    Role.LIVE_MIGRATION: (S.WARNING, C.SUPPORTED),
    Role.MANAGEMENT: (S.WARNING, None),
}


@rule("LM301", "One IP subnet per role across nodes", S.WARNING, SUBNETS, "cluster")
def same_subnet_per_role(ctx: ClusterContext):
    if len(ctx.nodes) < 2:
        return
    unchecked = []
    for role in ROLES:
        subnets = {}
        missing = []
        for n in ctx.nodes:
            port = n.layout.group_of(role).port
            if port is None or port.subnet is None:
                missing.append(n.node.name)
            else:
                subnets.setdefault(str(port.subnet), []).append(n.node.name)
        if len(subnets) > 1:
            severity, cap = SUBNET_SEVERITY[role]
            if role is Role.CLUSTER_CSV and not ctx.cluster.cluster_shared_volumes:
                severity, cap = S.WARNING, C.SUPPORTED
            listed = "; ".join(f"{net}: {', '.join(names)}" for net, names in sorted(subnets.items()))
            yield Hit(f"{ROLE_TITLES[role]} is on different subnets ({listed}); every "
                      "node must be on the same logical subnet (a VLAN for multisite clusters).",
                      severity=severity, cap=cap, unset_cap=cap is None)
        elif missing and subnets:
            yield Hit(f"{ROLE_TITLES[role]}: subnet not checked for "
                      f"{', '.join(missing)} (no address on the port).", severity=S.INFO,
                      unset_cap=True)
        elif not subnets:
            unchecked.append(ROLE_NAMES[role])
    if unchecked:
        yield Hit(f"Not checked for {', '.join(unchecked)}: no addresses on their ports. Give "
                  "each port's address (CIDR) to check one subnet per role on every node.",
                  severity=S.INFO, unset_cap=True)


@rule("LM302", "Unique IP addresses", S.ERROR, VALIDATION, "cluster", cap=C.UNSUPPORTED)
def unique_addresses(ctx: ClusterContext):
    owners: dict[str, list[str]] = {}
    for n in ctx.nodes:
        for port in n.ports:
            if port.ip is not None:
                owners.setdefault(str(port.ip), []).append(f"{n.node.name}/{port.name}")
    for ip, where in sorted(owners.items()):
        if len(where) > 1:
            yield Hit(f"{ip} is used by {', '.join(where)}; cluster validation fails on duplicate "
                      "addresses.")


@rule("LM303", "Management address on the management port", S.WARNING, BANDWIDTH, "node")
def management_address(ctx: NodeContext):
    ip = ctx.node.management_ip
    port = ctx.layout.group_of(Role.MANAGEMENT).port
    if ip is None:
        if ctx.layout.caps[Role.MANAGEMENT] is not None:
            yield Hit("management_ip not given: the management operating system's QoS policy "
                      "(source IP) cannot be written.", severity=S.INFO)
        return
    if port is not None and port.subnet is not None:
        if ipaddress.ip_address(ip) not in port.subnet:
            yield Hit(f"management_ip {ip} is not in {port.name}'s subnet {port.subnet}; the "
                      "management QoS policy matches traffic from that address only.")

"""LM3xx: addressing (one subnet per role, unique addresses, the management address)."""
from __future__ import annotations

import ipaddress

from ....catalogue import (
    BANDWIDTH,
    SUBNETS,
    VALIDATION,
    ClusterContext,
    Hit,
    NodeContext,
    Scope,
    rule,
)
from ....model import ROLES, Classification as C, Role, Severity as S
from ....names import ROLE_NAMES, ROLE_TITLES, and_join
from ....ports import shared_subnets

# Without Cluster Shared Volumes the guide asks one subnet for the VMs' sake (they keep their
# address); what a split costs depends on the role.
SUBNET_SEVERITY = {
    Role.CLUSTER_CSV: (S.WARNING, C.SUPPORTED),
    Role.VM_ACCESS: (S.WARNING, C.NOT_RECOMMENDED),
    Role.LIVE_MIGRATION: (S.WARNING, C.SUPPORTED),
    Role.MANAGEMENT: (S.WARNING, None),
}


@rule("LM301", "One IP subnet per role across nodes", S.ERROR, SUBNETS, Scope.CLUSTER,
      cap=C.UNSUPPORTED,
      quote=(
          'For each network in a failover cluster where Cluster Shared Volumes is enabled, all '
          'nodes must be on the same logical subnet, which means that multisite clusters that '
          'use Cluster Shared Volumes must use a VLAN.'
      ))
def same_subnet_per_role(ctx: ClusterContext):
    # The guide: "For each network in a failover cluster where Cluster Shared Volumes is enabled,
    # all nodes must be on the same logical subnet, which means that multisite clusters that use
    # Cluster Shared Volumes must use a VLAN." With CSV every role's network is such a network.
    if len(ctx.nodes) < 2:
        return
    csv = ctx.cluster.cluster_shared_volumes
    unchecked = []
    for role in ROLES:
        subnets: dict[str, list[str]] = {}
        missing = []
        for n in ctx.nodes:
            port = n.layout.group_of(role).port
            if port is None or port.subnet is None:
                missing.append(n.host.name)
            else:
                subnets.setdefault(str(port.subnet), []).append(n.host.name)
        if len(subnets) > 1:
            listed = "; ".join(f"{net}: {', '.join(names)}" for net, names in sorted(subnets.items()))
            if csv:
                yield Hit(f"{ROLE_TITLES[role]} traffic is on different subnets ({listed}); "
                          "with Cluster Shared Volumes every cluster network must be one "
                          "logical subnet on every node: stretch one subnet across the sites with a VLAN.")
            else:
                severity, cap = SUBNET_SEVERITY[role]
                yield Hit(f"{ROLE_TITLES[role]} traffic is on different subnets ({listed}); "
                          "keep one subnet per role on every node (a VLAN for multisite clusters), so "
                          "that virtual machines keep their addresses after a live migration.",
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


@rule("LM302", "Unique IP addresses", S.ERROR, VALIDATION, Scope.CLUSTER, cap=C.UNSUPPORTED,
      quote=(
          "Cluster validation fails on duplicate IP addresses among the nodes' network "
          'adapters.'
      ),
      source=(
          'https://learn.microsoft.com/archive/blogs/askcore/cluster-networks-in-windows-failov'
          'er-clustering'
      ))
def unique_addresses(ctx: ClusterContext):
    owners: dict[str, list[str]] = {}
    for n in ctx.nodes:
        for port in n.ports:
            if port.ip is not None:
                owners.setdefault(str(port.ip), []).append(f"{n.host.name}/{port.name}")
    for ip, where in sorted(owners.items()):
        if len(where) > 1:
            yield Hit(f"{ip} is used by {', '.join(where)}; cluster validation fails on duplicate "
                      "addresses.")


def _home(ctx: NodeContext, management_ip: str):
    """The port that holds the management address, or one whose subnet contains it."""
    ip = ipaddress.ip_address(management_ip)
    holder = next((p for p in ctx.ports if p.ip == ip), None)
    if holder is not None:
        return holder, True
    return next((p for p in ctx.ports if p.subnet is not None and ip in p.subnet), None), False


@rule("LM303", "Management address on the management port", S.WARNING, BANDWIDTH, Scope.NODE,
      quote=(
          'You can configure a QoS policy to limit the network traffic for the IP address used '
          'by the management operating system.'
      ))
def management_address(ctx: NodeContext):
    ip = ctx.host.management_ip
    port = ctx.layout.group_of(Role.MANAGEMENT).placed
    if ip is None:
        if ctx.layout.caps[Role.MANAGEMENT] is not None:
            yield Hit("management_ip not given: the management operating system's QoS policy "
                      "(source IP) cannot be written.", severity=S.INFO)
        return
    carriers = set(port.parts or (port.name,))
    home, exact = _home(ctx, ip)
    if home is not None and home.name not in carriers:
        where = "holds" if exact else "is on the subnet of"
        yield Hit(f"management_ip {ip} {where} {home.name}, but management is placed on "
                  f"{port.name}: the host is managed where its address is, and the management "
                  f"QoS policy (source IP {ip}) acts on {home.name}. Move management to "
                  f"{home.name} or the address to {port.name}.")
    elif home is None and port.subnet is not None:
        yield Hit(f"management_ip {ip} is not in {port.name}'s subnet {port.subnet}; the "
                  "management QoS policy matches traffic from that address only.")


@rule("LM304", "One subnet per port of a node", S.WARNING, VALIDATION, Scope.NODE,
      quote=(
          'Cluster Networks are created automatically by the Cluster Service for each '
          'configured subnet on any active network interfaces (NICs) on each node of the '
          "cluster. (Windows Server 2016: 'Failover Cluster networks are no longer limited to a"
          " single NIC per subnet / network.')"
      ),
      source=(
          'https://learn.microsoft.com/archive/blogs/askcore/cluster-networks-in-windows-failov'
          'er-clustering'
      ))
def one_subnet_one_network(ctx: NodeContext):
    # A failover cluster makes one cluster network of each subnet and uses one adapter per node
    # on it: roles on two ports of one subnet are not kept apart. Design mode counts such ports
    # as one network; a declared layout is judged as if its roles there shared one port (the
    # caps that follow are those rules').
    for subnet, names in shared_subnets(ctx.ports):
        sharing = next((g for g in ctx.layout.groups if g.port is not None
                        and set(g.port.parts) == set(names) and len(g.roles) > 1), None)
        consequence = (f"so {', '.join(ROLE_NAMES[r] for r in ROLES if r in sharing.roles)} "
                       "count as sharing one port" if sharing is not None
                       else "so they count as one port")
        yield Hit(f"{and_join(names)} are on one subnet ({subnet}): a failover cluster sees "
                  f"one network there and uses one adapter per node on it, {consequence}. Give "
                  "each port its own subnet.")


# This module's rules, in code order (a ruleset is built from these tuples).
RULES = (
    same_subnet_per_role,
    unique_addresses,
    management_address,
    one_subnet_one_network,
)

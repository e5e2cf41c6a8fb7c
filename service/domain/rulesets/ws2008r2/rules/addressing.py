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

SUBNET_QUOTE = (
    'For each network in a failover cluster where Cluster Shared Volumes is enabled, all nodes '
    'must be on the same logical subnet, which means that multisite clusters that use Cluster '
    'Shared Volumes must use a VLAN.'
)


def _role_subnets(ctx: ClusterContext):
    """Each role's subnets across the nodes ({subnet: node names}) and the nodes whose port for
    the role has no address; nothing for a single node."""
    if len(ctx.nodes) < 2:
        return
    for role in ROLES:
        subnets: dict[str, list[str]] = {}
        missing = []
        for n in ctx.nodes:
            port = n.layout.group_of(role).port
            if port is None or port.subnet is None:
                missing.append(n.host.name)
            else:
                subnets.setdefault(str(port.subnet), []).append(n.host.name)
        yield role, subnets, missing


def _listed(subnets: dict[str, list[str]]) -> str:
    return "; ".join(f"{net}: {', '.join(names)}" for net, names in sorted(subnets.items()))


def _split_roles(ctx: ClusterContext, roles: tuple[Role, ...]):
    """The split-subnet hits of `roles` when Cluster Shared Volumes are off (LM305-LM307)."""
    if ctx.cluster.cluster_shared_volumes:
        return  # LM301's case
    for role, subnets, _ in _role_subnets(ctx):
        if role in roles and len(subnets) > 1:
            yield Hit(f"{ROLE_TITLES[role]} traffic is on different subnets ({_listed(subnets)}); "
                      "keep one subnet per role on every node (a VLAN for multisite clusters), so "
                      "that virtual machines keep their addresses after a live migration.")


@rule("LM301", "One IP subnet per role across nodes with CSV", S.ERROR, SUBNETS, Scope.CLUSTER,
      cap=C.UNSUPPORTED, quote=SUBNET_QUOTE)
def same_subnet_per_role(ctx: ClusterContext):
    # The guide: "For each network in a failover cluster where Cluster Shared Volumes is enabled,
    # all nodes must be on the same logical subnet, which means that multisite clusters that use
    # Cluster Shared Volumes must use a VLAN." With CSV every role's network is such a network;
    # without, LM305-LM307 rate a split by what it costs the role.
    if not ctx.cluster.cluster_shared_volumes:
        return
    for role, subnets, _ in _role_subnets(ctx):
        if len(subnets) > 1:
            yield Hit(f"{ROLE_TITLES[role]} traffic is on different subnets ({_listed(subnets)}); "
                      "with Cluster Shared Volumes every cluster network must be one "
                      "logical subnet on every node: stretch one subnet across the sites with a VLAN.")


# Without Cluster Shared Volumes the guide asks one subnet for the VMs' sake (they keep their
# address); what a split costs depends on the role, so each cost is a rule of its own.
NO_CSV_QUOTE = SUBNET_QUOTE + (
    ' (Without Cluster Shared Volumes one subnet per role keeps the virtual machines\' addresses '
    'valid on every node after a live migration.)'
)


@rule("LM305", "One IP subnet for cluster/CSV and live migration across nodes without CSV",
      S.WARNING, SUBNETS, Scope.CLUSTER, cap=C.SUPPORTED, quote=NO_CSV_QUOTE)
def same_subnet_private_roles(ctx: ClusterContext):
    yield from _split_roles(ctx, (Role.CLUSTER_CSV, Role.LIVE_MIGRATION))


@rule("LM306", "One IP subnet for virtual machine access across nodes without CSV", S.WARNING,
      SUBNETS, Scope.CLUSTER, cap=C.NOT_RECOMMENDED, quote=NO_CSV_QUOTE)
def same_subnet_vm_access(ctx: ClusterContext):
    yield from _split_roles(ctx, (Role.VM_ACCESS,))


@rule("LM307", "One IP subnet for management across nodes without CSV", S.WARNING, SUBNETS,
      Scope.CLUSTER, quote=NO_CSV_QUOTE)
def same_subnet_management(ctx: ClusterContext):
    # No cap: a management address split across sites costs no virtual machine its address.
    yield from _split_roles(ctx, (Role.MANAGEMENT,))


# The rule that judges each role's subnets: LM301 with Cluster Shared Volumes, else by role.
_SUBNET_RULES = {Role.CLUSTER_CSV: "LM305", Role.LIVE_MIGRATION: "LM305",
                 Role.VM_ACCESS: "LM306", Role.MANAGEMENT: "LM307"}


def unchecked_subnets(ctx: ClusterContext):
    """LM001's hits for roles whose subnets LM301 (or LM305-LM307) cannot compare: some nodes'
    ports have no address, or none has."""
    csv = ctx.cluster.cluster_shared_volumes
    unchecked = []
    for role, subnets, missing in _role_subnets(ctx):
        code = "LM301" if csv else _SUBNET_RULES[role]
        if missing and len(subnets) == 1:
            yield Hit(f"Not checked ({code}) for {', '.join(missing)}: "
                      f"{ROLE_NAMES[role]} subnet, no address on the port.")
        elif not subnets:
            unchecked.append((code, ROLE_NAMES[role]))
    if unchecked:
        codes = ", ".join(sorted({code for code, _ in unchecked}))
        yield Hit(f"Not checked ({codes}) for {', '.join(r for _, r in unchecked)}: no addresses "
                  "on their ports. Give each port's address (CIDR) to check one subnet per role "
                  "on every node.")


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
        return  # LM001 says so when the management policy needed it
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


def unchecked_management_address(ctx: ClusterContext):
    """LM001's hits for nodes whose management cap needs the management_ip LM303 reads."""
    for n in ctx.nodes:
        if n.host.management_ip is None and n.layout.caps[Role.MANAGEMENT] is not None:
            yield Hit("Not checked (LM303): management_ip not given, so the management operating "
                      "system's QoS policy (source IP) cannot be written.", node=n.host.name)


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
    same_subnet_private_roles,
    same_subnet_vm_access,
    same_subnet_management,
)

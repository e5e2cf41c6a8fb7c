"""The rule catalogue: every requirement and recommendation of the guide as one small check.

Codes are stable: LM1xx cluster requirements and settings, LM2xx a node's adapters and the
placement of roles, LM3xx addressing, LM4xx QoS and declared layouts. Each check reads a context
and yields hits; see `catalogue.py` for how hits become findings.
"""
from __future__ import annotations

import ipaddress
from collections import Counter

from .catalogue import (
    ACCESS, ADAPTERS, BANDWIDTH, CONSIDERATIONS, HARDWARE, OUTSIDE, SECURITY, SUBNETS, TABLE,
    VALIDATION,
    ClusterContext, Hit, NodeContext, rule,
)
from .model import Classification as C, Role, ROLES, Severity as S
from .ports import GIGABIT, TEN_GIGABIT, format_speed

ROLE_NAMES = {
    Role.VM_ACCESS: "virtual machine access",
    Role.MANAGEMENT: "management",
    Role.CLUSTER_CSV: "cluster and CSV",
    Role.LIVE_MIGRATION: "live migration",
}
WINDOWS_2008_R2_MAX_NODES = 16


def hardware_signature(ports) -> tuple:
    """What 'identical hardware' compares: each port's profile, names left out."""
    return tuple(sorted((p.profile.speed_mbps, p.profile.members, p.profile.member_speed_mbps,
                         p.profile.team_mode or "") for p in ports))


# ---- LM1xx: cluster requirements and settings -------------------------------------------------

@rule("LM101", "Live migration requires failover clustering", S.ERROR, ACCESS, "cluster",
      cap=C.UNSUPPORTED)
def failover_clustering(ctx: ClusterContext):
    if not ctx.cluster.failover_clustering:
        yield Hit("Failover clustering is off: live migration requires failover clustering.")


@rule("LM102", "Live migration requires shared storage", S.ERROR, ACCESS, "cluster",
      cap=C.UNSUPPORTED)
def shared_storage(ctx: ClusterContext):
    if ctx.cluster.shared_storage == "none":
        yield Hit("No shared storage: live migration requires shared storage (Cluster Shared "
                  "Volumes on iSCSI, Fibre Channel or SAS).")


@rule("LM103", "Cluster nodes need processors by one manufacturer", S.ERROR, HARDWARE, "cluster",
      cap=C.UNSUPPORTED)
def one_processor_vendor(ctx: ClusterContext):
    vendors = Counter(n.node.processor_vendor for n in ctx.nodes if n.node.processor_vendor)
    if len(vendors) > 1:
        listed = ", ".join(f"{count} {vendor}" for vendor, count in sorted(vendors.items()))
        yield Hit(f"Nodes have processors by different manufacturers ({listed}); live migration "
                  "needs one manufacturer on every node.")
    missing = sorted(n.node.name for n in ctx.nodes if not n.node.processor_vendor)
    if missing and len(ctx.nodes) > 1:
        yield Hit(f"Not checked for {', '.join(missing)}: processor_vendor not given.",
                  severity=S.INFO, unset_cap=True)


@rule("LM104", "Identical hardware on every node", S.WARNING, HARDWARE, "cluster")
def identical_hardware(ctx: ClusterContext):
    signatures = Counter(hardware_signature(n.ports) for n in ctx.nodes)
    if len(signatures) < 2:
        return
    counts = sorted(signatures.values(), reverse=True)
    # A configuration most nodes share is the reference; with no such majority every node differs.
    reference = signatures.most_common(1)[0][0] if counts[0] > counts[1] else None
    for n in ctx.nodes:
        if hardware_signature(n.ports) != reference:
            yield Hit("This node's network adapters differ from the cluster's other nodes; keep "
                      "hardware identical, or as similar as possible.", node=n.node.name)


@rule("LM105", "Cluster Shared Volumes on iSCSI, Fibre Channel or SAS", S.INFO, ACCESS, "cluster")
def csv_recommended(ctx: ClusterContext):
    cluster = ctx.cluster
    if not cluster.cluster_shared_volumes:
        yield Hit("Cluster Shared Volumes are off; the guide recommends them for optimal "
                  "manageability.")
    if cluster.shared_storage == "smb":
        yield Hit("Shared storage over SMB: the guide recommends CSV on an iSCSI or Fibre Channel "
                  "SAN or on SAS storage.", severity=S.WARNING)
    if cluster.shared_storage == "iscsi":
        yield Hit("iSCSI storage needs its own dedicated, private adapters, not listed here; "
                  "follow your storage vendor's guidelines.")


@rule("LM106", "No IPsec on the live migration network", S.WARNING, SECURITY, "cluster",
      cap=C.SUPPORTED)
def no_ipsec(ctx: ClusterContext):
    cluster = ctx.cluster
    if cluster.live_migration_ipsec and not cluster.live_migration_encryption_required:
        yield Hit("IPsec is applied to live migration traffic that need not be encrypted; it can "
                  "significantly impact live migration performance.")
    if cluster.live_migration_encryption_required and not cluster.live_migration_ipsec:
        yield Hit("Live migration traffic must be encrypted but no IPsec policy is applied; "
                  "IPsec should be implemented when it needs encryption.", unset_cap=True)
    if cluster.live_migration_encryption_required and cluster.live_migration_ipsec:
        yield Hit("IPsec encrypts live migration traffic as required; expect slower live "
                  "migrations.", severity=S.INFO, unset_cap=True)


@rule("LM107", "Client for Microsoft Networks and File and Printer Sharing on CSV networks",
      S.ERROR, ADAPTERS, "cluster", cap=C.UNSUPPORTED)
def csv_smb_bindings(ctx: ClusterContext):
    cluster = ctx.cluster
    if not cluster.cluster_shared_volumes:
        return
    if cluster.csv_smb_bindings_enabled is None:
        yield Hit("Not checked: csv_smb_bindings_enabled not given. Enable Client for Microsoft "
                  "Networks and File and Printer Sharing for Microsoft Networks on the cluster/CSV "
                  "adapters: CSV needs SMB.", severity=S.INFO, unset_cap=True)
    elif not cluster.csv_smb_bindings_enabled:
        yield Hit("Client for Microsoft Networks or File and Printer Sharing is disabled on the "
                  "CSV network; CSV requires SMB.")


@rule("LM108", "At most 16 nodes in a Windows Server 2008 R2 failover cluster", S.WARNING,
      OUTSIDE, "cluster")
def node_limit(ctx: ClusterContext):
    # A warning, not a cap: the network plan is judged per node, and identical nodes must be
    # classified alike however many there are (SPEC §5).
    if len(ctx.nodes) > WINDOWS_2008_R2_MAX_NODES:
        yield Hit(f"{len(ctx.nodes)} nodes: a Windows Server 2008 R2 failover cluster has at most "
                  f"{WINDOWS_2008_R2_MAX_NODES}; split the nodes into several clusters or plan "
                  "for a later Windows Server.")


# ---- LM2xx: a node's adapters and the placement of roles --------------------------------------

@rule("LM201", "More than one network adapter per node", S.ERROR, ADAPTERS, "node",
      cap=C.UNSUPPORTED)
def more_than_one_adapter(ctx: NodeContext):
    if len(ctx.node.adapters) < 2:
        yield Hit("The node has one network adapter; use more than one.")
    elif len(ctx.ports) < 2:
        yield Hit(f"All adapters are in one team ({ctx.ports[0].name}): every role shares one "
                  "port.", cap=C.NOT_RECOMMENDED)


@rule("LM202", "At least one adapter on a private network", S.WARNING, ADAPTERS, "node",
      cap=C.NOT_RECOMMENDED)
def a_private_adapter(ctx: NodeContext):
    if ctx.ports and all(p.profile.public for p in ctx.ports):
        yield Hit("Every adapter is on a public network; configure at least one for a private "
                  "network.")


@rule("LM203", "Live migration and cluster/CSV not together on a 1 Gbps or public port",
      S.WARNING, TABLE, "layout", cap=C.NOT_RECOMMENDED, table_covered=True)
def lm_csv_not_on_slow_or_public(ctx: NodeContext):
    layout = ctx.layout
    if not layout.shares(Role.LIVE_MIGRATION, Role.CLUSTER_CSV):
        return
    group = layout.group_of(Role.LIVE_MIGRATION)
    if group.profile.speed_mbps <= GIGABIT or group.profile.public:
        why = "a public network" if group.profile.public else "one 1 Gbps link"
        yield Hit(f"Live migration and cluster/CSV share {group.label} on {why}: live migrations "
                  "slow down and cluster nodes might crash. Add a network adapter to separate them.")


@rule("LM204", "Shared live migration and cluster/CSV port needs a redundant cluster path",
      S.WARNING, TABLE, "layout", cap=C.SUPPORTED, table_covered=True)
def lm_csv_shared_fast(ctx: NodeContext):
    layout = ctx.layout
    if not layout.shares(Role.LIVE_MIGRATION, Role.CLUSTER_CSV):
        return
    group = layout.group_of(Role.LIVE_MIGRATION)
    profile = group.profile
    if profile.speed_mbps <= GIGABIT or profile.public:
        return  # LM203 covers it
    if profile.speed_mbps >= TEN_GIGABIT and layout.redundant_cluster_path:
        yield Hit(f"Live migration and cluster/CSV share {group.label}; acceptable because cluster "
                  "traffic has a redundant path (the table's footnote).", severity=S.INFO,
                  unset_cap=True)
    elif profile.speed_mbps >= TEN_GIGABIT:
        yield Hit(f"Live migration and cluster/CSV share {group.label} with no redundant path for "
                  "cluster traffic: supported; recommended once cluster/CSV has a second network.")
    else:
        yield Hit(f"Live migration and cluster/CSV share {group.label}: supported on a fast private "
                  "port, but below 10 Gbps they are better separated.")


@rule("LM205", "Live migration and cluster/CSV apart from virtual machine traffic", S.WARNING,
      CONSIDERATIONS, "layout", cap=C.NOT_RECOMMENDED, table_covered=True)
def private_roles_off_vm_switch(ctx: NodeContext):
    layout = ctx.layout
    for role in (Role.CLUSTER_CSV, Role.LIVE_MIGRATION):
        if layout.shares(role, Role.VM_ACCESS):
            yield Hit(f"{ROLE_NAMES[role].capitalize()} shares {layout.group_of(role).label} with "
                      "virtual machine traffic; isolate it on a private network.")


@rule("LM206", "Live migration and cluster/CSV apart from management", S.WARNING, ADAPTERS,
      "layout", cap=C.SUPPORTED, table_covered=True)
def private_roles_off_management(ctx: NodeContext):
    layout = ctx.layout
    for role in (Role.CLUSTER_CSV, Role.LIVE_MIGRATION):
        if layout.shares(role, Role.MANAGEMENT) and not layout.shares(role, Role.VM_ACCESS):
            yield Hit(f"{ROLE_NAMES[role].capitalize()} shares {layout.group_of(role).label} with "
                      "management traffic; use a separate dedicated network.")


@rule("LM207", "Virtual machine access and management on separate adapters", S.WARNING,
      CONSIDERATIONS, "layout", cap=C.SUPPORTED, table_covered=True)
def vm_and_management_apart(ctx: NodeContext):
    layout = ctx.layout
    if not layout.shares(Role.VM_ACCESS, Role.MANAGEMENT):
        return
    group = layout.group_of(Role.MANAGEMENT)
    vlan = "" if (group.port and group.port.vlan_id) else " Configure a VLAN (802.1Q) to isolate it."
    if group.profile.speed_mbps >= TEN_GIGABIT:
        yield Hit(f"Virtual machine access and management share {group.label}; acceptable at this "
                  f"speed with management capped, as the table does for 10 Gbps.{vlan}",
                  severity=S.INFO, unset_cap=True)
    else:
        yield Hit(f"Virtual machine access and management share {group.label}; the guide "
                  f"recommends separate adapters.{vlan}")


@rule("LM208", "Gigabit or faster for live migration and cluster/CSV", S.WARNING, ADAPTERS,
      "layout", cap=C.NOT_RECOMMENDED, table_covered=True)
def gigabit_minimum(ctx: NodeContext):
    for role in (Role.LIVE_MIGRATION, Role.CLUSTER_CSV):
        group = ctx.layout.group_of(role)
        if group.profile.speed_mbps < GIGABIT:
            yield Hit(f"{ROLE_NAMES[role].capitalize()} is on {group.label}; use gigabit or faster.")


@rule("LM209", "Live migration and cluster/CSV on private networks", S.WARNING, CONSIDERATIONS,
      "layout", cap=C.SUPPORTED, table_covered=True)
def private_networks(ctx: NodeContext):
    for role in (Role.LIVE_MIGRATION, Role.CLUSTER_CSV):
        group = ctx.layout.group_of(role)
        if group.profile.public and not ctx.layout.shares(Role.LIVE_MIGRATION, Role.CLUSTER_CSV):
            yield Hit(f"{ROLE_NAMES[role].capitalize()} is on {group.label}, marked public; isolate "
                      "it on a private network.")


@rule("LM210", "Network access not given for a private role's port", S.INFO, CONSIDERATIONS,
      "layout", table_covered=True)
def network_assumed_private(ctx: NodeContext):
    seen = set()
    for role in (Role.CLUSTER_CSV, Role.LIVE_MIGRATION):
        group = ctx.layout.group_of(role)
        if group.profile.network is None and group.port is not None and group.port.name not in seen:
            seen.add(group.port.name)
            yield Hit(f"{group.port.name}: network access not given; the layout assumes it is "
                      "private, as the guide recommends for cluster/CSV and live migration.")


@rule("LM211", "Virtual machine access on a public network", S.INFO, TABLE, "layout",
      table_covered=True)
def vm_access_public(ctx: NodeContext):
    group = ctx.layout.group_of(Role.VM_ACCESS)
    if group.profile.network == "private":
        yield Hit(f"Virtual machine access is on {group.label}, marked private: virtual machines "
                  "cannot reach computers on the physical network.")


@rule("LM212", "A second network for cluster communication", S.INFO, TABLE, "layout",
      table_covered=True)
def redundant_cluster_network(ctx: NodeContext):
    layout = ctx.layout
    if not layout.redundant_cluster_path and \
            not layout.shares(Role.LIVE_MIGRATION, Role.CLUSTER_CSV):
        yield Hit("Cluster traffic has a single network; give the cluster at least one more "
                  "private network for high availability.")


@rule("LM213", "TCP Chimney Offload defeats the QoS policies", S.WARNING, CONSIDERATIONS,
      "layout", cap=C.SUPPORTED)
def tcp_chimney(ctx: NodeContext):
    if not ctx.settings.tcp_chimney_offload:
        return
    if ctx.layout.has_caps:
        yield Hit("TCP Chimney Offload is enabled: the adapter bypasses QoS, so this layout's "
                  "bandwidth caps do not work. Disable it (netsh int tcp set global chimney=disabled).")
    else:
        yield Hit("TCP Chimney Offload is enabled; this layout needs no QoS caps, but any QoS "
                  "policy would be bypassed.", severity=S.INFO, unset_cap=True)


@rule("LM214", "Virtual machine access at gigabit or faster", S.WARNING, TABLE, "layout",
      cap=C.SUPPORTED, table_covered=True)
def vm_access_gigabit(ctx: NodeContext):
    # Every row of the table gives VM access at least 1 Gbps; slower starves the workloads.
    group = ctx.layout.group_of(Role.VM_ACCESS)
    if group.profile.speed_mbps < GIGABIT:
        yield Hit(f"Virtual machine access is on {group.label}; every configuration in the guide's "
                  "table gives it gigabit or faster.")


@rule("LM215", "Failover team members of one speed", S.INFO, HARDWARE, "node")
def failover_team_speeds(ctx: NodeContext):
    for port in ctx.ports:
        profile = port.profile
        if profile.team_mode == "failover" and profile.member_speed_mbps < profile.speed_mbps:
            yield Hit(f"Failover team {port.name} mixes speeds: it is planned at "
                      f"{format_speed(profile.speed_mbps)} but runs at "
                      f"{format_speed(profile.member_speed_mbps)} after a failover to its slowest "
                      "member.")


@rule("LM216", "Team mode given", S.INFO, CONSIDERATIONS, "node")
def team_mode_given(ctx: NodeContext):
    for port in ctx.ports:
        if port.mode_assumed:
            yield Hit(f"Team {port.name}: mode not given; evaluated as link aggregation, the "
                      "teaming the guide's table refers to.")


# ---- LM3xx: addressing -----------------------------------------------------------------------

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
            yield Hit(f"{ROLE_NAMES[role].capitalize()} is on different subnets ({listed}); every "
                      "node must be on the same logical subnet (a VLAN for multisite clusters).",
                      severity=severity, cap=cap, unset_cap=cap is None)
        elif missing and subnets:
            yield Hit(f"{ROLE_NAMES[role].capitalize()}: subnet not checked for "
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


# ---- LM4xx: QoS and declared layouts ---------------------------------------------------------

@rule("LM401", "QoS throttles outgoing traffic only", S.INFO, CONSIDERATIONS, "layout")
def qos_outbound_only(ctx: NodeContext):
    if ctx.layout.has_caps:
        yield Hit("The caps throttle outgoing traffic of this node only; for end-to-end QoS "
                  "configure your switches and routers too.")


@rule("LM402", "Teams expose one aggregated adapter for QoS", S.INFO, CONSIDERATIONS, "layout")
def qos_on_teams(ctx: NodeContext):
    for group in ctx.layout.groups:
        capped = [r for r in group.roles if ctx.layout.caps.get(r) is not None]
        if capped and group.profile.is_team:
            yield Hit(f"{group.label} is a team: the QoS caps work only if the teaming software "
                      "exposes one aggregated virtual adapter.")


@rule("LM403", "Cap the lower-priority role on a shared port", S.WARNING, BANDWIDTH, "layout",
      cap=C.SUPPORTED)
def shared_port_caps(ctx: NodeContext):
    layout = ctx.layout
    if layout.shares(Role.LIVE_MIGRATION, Role.CLUSTER_CSV) \
            and layout.caps[Role.LIVE_MIGRATION] is None:
        yield Hit(f"Live migration shares {layout.group_of(Role.CLUSTER_CSV).label} with "
                  "cluster/CSV without a cap: a migration can starve cluster heartbeats.",
                  cap=C.NOT_RECOMMENDED)
    if len(layout.group_of(Role.MANAGEMENT).roles) > 1 and layout.caps[Role.MANAGEMENT] is None:
        yield Hit(f"Management shares {layout.group_of(Role.MANAGEMENT).label} without a cap.")


@rule("LM404", "Caps only where the guide's QoS policies can enforce them", S.WARNING, BANDWIDTH,
      "layout")
def enforceable_caps(ctx: NodeContext):
    for role in (Role.VM_ACCESS, Role.CLUSTER_CSV):
        if ctx.layout.caps[role] is not None:
            yield Hit(f"A cap on {ROLE_NAMES[role]} cannot be enforced by the guide's QoS policies "
                      "(live migration port 6600, management source IP); no policy is written for it.")
    for role in (Role.MANAGEMENT, Role.LIVE_MIGRATION):
        group = ctx.layout.group_of(role)
        if ctx.layout.caps[role] is not None and len(group.roles) == 1:
            yield Hit(f"{ROLE_NAMES[role].capitalize()} has {group.label} to itself; its cap only "
                      "wastes bandwidth.", severity=S.INFO)


@rule("LM405", "Virtual machine access through the virtual switch", S.WARNING, TABLE, "layout")
def virtual_flags(ctx: NodeContext):
    layout = ctx.layout
    if not layout.virtual[Role.VM_ACCESS]:
        yield Hit("Virtual machine access is declared with virtual: false; virtual machines reach "
                  "the network only through a virtual network adapter.")
    for role in (Role.MANAGEMENT, Role.CLUSTER_CSV, Role.LIVE_MIGRATION):
        on_switch = layout.shares(role, Role.VM_ACCESS)
        if on_switch and not layout.virtual[role]:
            yield Hit(f"{ROLE_NAMES[role].capitalize()} shares the virtual switch's port but is "
                      "declared virtual: false; the host reaches that port only through a "
                      "virtual network adapter.")
        if not on_switch and layout.virtual[role]:
            yield Hit(f"{ROLE_NAMES[role].capitalize()} is declared virtual on a port without "
                      "virtual machine access.", severity=S.INFO)

"""LM2xx: a node's adapters and the placement of roles."""
from __future__ import annotations

from ....catalogue import (
    ACCESS,
    ADAPTERS,
    CONSIDERATIONS,
    HARDWARE,
    TABLE,
    TEAMING,
    Hit,
    NodeContext,
    Scope,
    rule,
)
from ....model import Classification as C, Network, Role, Severity as S
from ....names import ROLE_TITLES
from ....ports import GIGABIT, TEN_GIGABIT, format_speed, mixed_speed_aggregate, slower_standby


@rule("LM201", "More than one network adapter per node", S.ERROR, ADAPTERS, Scope.NODE,
      cap=C.UNSUPPORTED,
      quote=(
          'For each node of the failover cluster, use more than one network adapter and '
          'configure at least one network adapter for the private network.'
      ))
def more_than_one_adapter(ctx: NodeContext):
    if len(ctx.host.adapters) < 2:
        yield Hit("The node has one network adapter; use more than one.")


@rule("LM218", "More than one port: not every adapter in one team", S.ERROR, ADAPTERS,
      Scope.NODE, cap=C.NOT_RECOMMENDED,
      quote=(
          'For each node of the failover cluster, use more than one network adapter and '
          'configure at least one network adapter for the private network. (A team of every '
          'adapter is one port: every role shares it.)'
      ))
def adapters_not_all_teamed(ctx: NodeContext):
    # Several adapters, one port: better than LM201's single adapter (the team survives a
    # failed member), but no role can be separated.
    if len(ctx.host.adapters) >= 2 and len(ctx.ports) < 2:
        yield Hit(f"All adapters are in one team ({ctx.ports[0].name}): every role shares one "
                  "port.")


@rule("LM202", "At least one adapter on a private network", S.WARNING, ADAPTERS, Scope.NODE,
      cap=C.NOT_RECOMMENDED,
      quote=(
          'For each node of the failover cluster, use more than one network adapter and '
          'configure at least one network adapter for the private network.'
      ))
def a_private_adapter(ctx: NodeContext):
    if ctx.ports and all(p.profile.public for p in ctx.ports):
        yield Hit("Every adapter is on a public network; configure at least one for a private "
                  "network.")


def _shared_lm_csv(layout):
    """The port live migration shares with cluster/CSV, with whether it is slow or public (the
    table's not-recommended rows); None when they are apart."""
    if not layout.shares(Role.LIVE_MIGRATION, Role.CLUSTER_CSV):
        return None, False
    group = layout.group_of(Role.LIVE_MIGRATION)
    return group, group.profile.speed_mbps <= GIGABIT or group.profile.public


@rule("LM203", "Live migration and cluster/CSV not together on a 1 Gbps or public port",
      S.WARNING, TABLE, Scope.LAYOUT, cap=C.NOT_RECOMMENDED, table_covered=True,
      quote=(
          'If a network configuration is listed as “not recommended” in the following table, it'
          ' should not be used because the performance of live migrations declines and cluster '
          'nodes might crash. Add another network adapter to separate traffic between live '
          'migration and Cluster Shared Volumes.'
      ))
def lm_csv_not_on_slow_or_public(ctx: NodeContext):
    group, slow_or_public = _shared_lm_csv(ctx.layout)
    if group is not None and slow_or_public:
        # Slower than gigabit is still one slow link: never call 100 Mbps a 1 Gbps link.
        why = ("a public network" if group.profile.public else "one 1 Gbps link"
               if group.profile.speed_mbps == GIGABIT else "one link slower than 1 Gbps")
        yield Hit(f"Live migration and cluster/CSV share {group.label} on {why}: live migrations "
                  "slow down and cluster nodes might crash. Add a network adapter to separate them.")


@rule("LM204", "Shared live migration and cluster/CSV port needs a redundant cluster path",
      S.WARNING, TABLE, Scope.LAYOUT, cap=C.SUPPORTED, table_covered=True,
      quote=(
          '*This configuration is considered recommended if your configuration has a redundant '
          'network path available for Cluster and Cluster Shared Volumes communication.'
      ))
def lm_csv_shared_fast(ctx: NodeContext):
    layout = ctx.layout
    group, slow_or_public = _shared_lm_csv(layout)
    if group is None or slow_or_public:
        return  # apart, or LM203's case
    profile = group.profile
    if profile.speed_mbps >= TEN_GIGABIT and layout.redundant_cluster_path:
        return  # LM219's case: the footnote's recommended configuration
    if profile.speed_mbps >= TEN_GIGABIT:
        yield Hit(f"Live migration and cluster/CSV share {group.label} with no redundant path for "
                  "cluster traffic, which holds the layout at supported at best; recommended once "
                  "cluster/CSV has a second network.")
    else:
        yield Hit(f"Live migration and cluster/CSV share {group.label}, which holds the layout at "
                  "supported at best: acceptable on a fast private port, but below 10 Gbps they "
                  "are better separated.")


@rule("LM219", "Shared live migration and cluster/CSV port with a redundant cluster path",
      S.INFO, TABLE, Scope.LAYOUT, table_covered=True,
      quote=(
          '*This configuration is considered recommended if your configuration has a redundant '
          'network path available for Cluster and Cluster Shared Volumes communication.'
      ))
def lm_csv_shared_with_path(ctx: NodeContext):
    layout = ctx.layout
    group, slow_or_public = _shared_lm_csv(layout)
    if group is not None and not slow_or_public and group.profile.speed_mbps >= TEN_GIGABIT \
            and layout.redundant_cluster_path:
        yield Hit(f"Live migration and cluster/CSV share {group.label}; acceptable because cluster "
                  "traffic has a redundant path (the table's footnote).")


@rule("LM205", "Live migration and cluster/CSV apart from virtual machine traffic", S.WARNING,
      CONSIDERATIONS, Scope.LAYOUT, cap=C.NOT_RECOMMENDED, table_covered=True,
      quote=(
          'It is recommended that all network configurations should isolate cluster/Cluster '
          'Shared Volumes and live migration on private networks.'
      ))
def private_roles_off_vm_switch(ctx: NodeContext):
    layout = ctx.layout
    for role in (Role.CLUSTER_CSV, Role.LIVE_MIGRATION):
        if layout.shares(role, Role.VM_ACCESS):
            yield Hit(f"{ROLE_TITLES[role]} traffic shares {layout.group_of(role).label} with "
                      "virtual machine traffic; isolate it on a private network.")


@rule("LM206", "Live migration and cluster/CSV apart from management", S.WARNING, ADAPTERS,
      Scope.LAYOUT, cap=C.SUPPORTED, table_covered=True,
      quote=(
          'We recommend that you configure separate dedicated networks with gigabit or faster '
          'speed for live migration traffic and cluster communication, and these networks '
          'should be separate from the network used by the management operating system, and '
          'from the network used by the virtual machines.'
      ))
def private_roles_off_management(ctx: NodeContext):
    layout = ctx.layout
    for role in (Role.CLUSTER_CSV, Role.LIVE_MIGRATION):
        if layout.shares(role, Role.MANAGEMENT) and not layout.shares(role, Role.VM_ACCESS):
            yield Hit(f"{ROLE_TITLES[role]} traffic shares {layout.group_of(role).label} with "
                      "management traffic; use a separate dedicated network.")


@rule("LM207", "Virtual machine access and management on separate adapters", S.WARNING,
      CONSIDERATIONS, Scope.LAYOUT, cap=C.SUPPORTED, table_covered=True,
      quote=(
          'We recommend that you do not use the same network adapter for virtual machine access'
          ' and management. If you are limited by the number of network adapters, you should '
          'configure a VLAN to isolate traffic.'
      ))
def vm_and_management_apart(ctx: NodeContext):
    group = _vm_and_management_port(ctx)
    if group is not None and group.profile.speed_mbps < TEN_GIGABIT:  # 10 Gbps: LM220's case
        yield Hit(f"Virtual machine access and management share {group.label}; the guide "
                  f"recommends separate adapters.{_vlan_advice(group)}")


def _vm_and_management_port(ctx: NodeContext):
    """The port VM access and management share (LM207 below 10 Gbps, LM220 from it), or None."""
    layout = ctx.layout
    if not layout.shares(Role.VM_ACCESS, Role.MANAGEMENT):
        return None
    return layout.group_of(Role.MANAGEMENT)


def _vlan_advice(group) -> str:
    """The guide's advice for VM access and management on one adapter, unless it has a VLAN."""
    return "" if (group.port and group.port.vlan_id) else " Configure a VLAN (802.1Q) to isolate it."


@rule("LM220", "Virtual machine access and management share a 10 Gbps port", S.INFO,
      CONSIDERATIONS, Scope.LAYOUT, table_covered=True,
      quote=(
          'We recommend that you do not use the same network adapter for virtual machine access'
          ' and management. If you are limited by the number of network adapters, you should '
          'configure a VLAN to isolate traffic. (The table shares them at 10 Gbps, management '
          'capped.)'
      ))
def vm_and_management_at_ten_gigabit(ctx: NodeContext):
    group = _vm_and_management_port(ctx)
    if group is not None and group.profile.speed_mbps >= TEN_GIGABIT:
        yield Hit(f"Virtual machine access and management share {group.label}; acceptable at this "
                  f"speed with management capped, as the table does for 10 Gbps."
                  f"{_vlan_advice(group)}")


@rule("LM208", "Gigabit or faster for live migration and cluster/CSV", S.WARNING, ADAPTERS,
      Scope.LAYOUT, cap=C.NOT_RECOMMENDED, table_covered=True,
      quote=(
          'We recommend that you configure separate dedicated networks with gigabit or faster '
          'speed for live migration traffic and cluster communication'
      ))
def gigabit_minimum(ctx: NodeContext):
    for role in (Role.LIVE_MIGRATION, Role.CLUSTER_CSV):
        group = ctx.layout.group_of(role)
        if group.profile.speed_mbps < GIGABIT:
            yield Hit(f"{ROLE_TITLES[role]} traffic is on {group.label}; use gigabit or faster.")


@rule("LM209", "Live migration and cluster/CSV on private networks", S.WARNING, CONSIDERATIONS,
      Scope.LAYOUT, cap=C.SUPPORTED, table_covered=True,
      quote=(
          'It is recommended that all network configurations should isolate cluster/Cluster '
          'Shared Volumes and live migration on private networks.'
      ))
def private_networks(ctx: NodeContext):
    for role in (Role.LIVE_MIGRATION, Role.CLUSTER_CSV):
        group = ctx.layout.group_of(role)
        if group.profile.public and not ctx.layout.shares(Role.LIVE_MIGRATION, Role.CLUSTER_CSV):
            yield Hit(f"{ROLE_TITLES[role]} traffic is on {group.label}, marked public; isolate "
                      "it on a private network.")


@rule("LM210", "Network access not given for a private role's port", S.INFO, CONSIDERATIONS,
      Scope.LAYOUT, table_covered=True,
      quote=(
          'It is recommended that all network configurations should isolate cluster/Cluster '
          'Shared Volumes and live migration on private networks.'
      ))
def network_assumed_private(ctx: NodeContext):
    seen = set()
    for role in (Role.CLUSTER_CSV, Role.LIVE_MIGRATION):
        group = ctx.layout.group_of(role)
        if group.profile.network is None and group.port is not None and group.port.name not in seen:
            seen.add(group.port.name)
            yield Hit(f"{group.port.name}: network access not given; the layout assumes it is "
                      "private, as the guide recommends for cluster/CSV and live migration.")


@rule("LM211", "Virtual machine access on a public network", S.INFO, TABLE, Scope.LAYOUT,
      table_covered=True,
      quote=(
          'To allow virtual machines access to computers on the physical network, they must be '
          'on a public network.'
      ))
def vm_access_public(ctx: NodeContext):
    group = ctx.layout.group_of(Role.VM_ACCESS)
    if group.profile.network == Network.PRIVATE:
        yield Hit(f"Virtual machine access is on {group.label}, marked private: virtual machines "
                  "cannot reach computers on the physical network.")


@rule("LM212", "A second network for cluster communication", S.WARNING, ACCESS, Scope.LAYOUT,
      table_covered=True,
      quote=(
          'The cluster should have access to more than one network for communication to ensure '
          'the cluster is highly available.'
      ))
def redundant_cluster_network(ctx: NodeContext):
    # The guide: "The cluster should have access to more than one network for communication to
    # ensure the cluster is highly available." Failover cluster validation warns the same way.
    layout = ctx.layout
    if not layout.redundant_cluster_path and \
            not layout.shares(Role.LIVE_MIGRATION, Role.CLUSTER_CSV):
        yield Hit("Cluster traffic has a single network; give the cluster at least one more "
                  "network it may use for cluster communication (for example the management "
                  "network, allowed for cluster communication), for high availability.")


@rule("LM213", "TCP Chimney Offload defeats the QoS policies", S.WARNING, CONSIDERATIONS,
      Scope.LAYOUT, cap=C.SUPPORTED,
      quote=(
          'If TCP Chimney is enabled in the Hyper-V management operating system, the QoS '
          'configuration outlined in this guide will not work.'
      ))
def tcp_chimney(ctx: NodeContext):
    if not ctx.settings.tcp_chimney_offload:
        return
    if ctx.layout.has_caps:
        yield Hit("TCP Chimney Offload is enabled: the adapter bypasses QoS, so this layout's "
                  "bandwidth caps do not work. Disable it (netsh int tcp set global chimney=disabled).")


@rule("LM221", "TCP Chimney Offload beside a layout without QoS caps", S.INFO, CONSIDERATIONS,
      Scope.LAYOUT,
      quote=(
          'If TCP Chimney is enabled in the Hyper-V management operating system, the QoS '
          'configuration outlined in this guide will not work.'
      ))
def tcp_chimney_without_caps(ctx: NodeContext):
    # Nothing to defeat yet, so no cap: a note for when a policy is added.
    if ctx.settings.tcp_chimney_offload and not ctx.layout.has_caps:
        yield Hit("TCP Chimney Offload is enabled; this layout needs no QoS caps, but any QoS "
                  "policy would be bypassed.")


@rule("LM214", "Virtual machine access at gigabit or faster", S.WARNING, TABLE, Scope.LAYOUT,
      cap=C.SUPPORTED, table_covered=True,
      quote=(
          "The requirements for virtual machine access vary depending on network I/O needs "
          "and the number of virtual machines you are running on a single physical server. "
          "(Every host configuration of the table gives it 1 Gbps or more.)"
      ))
def vm_access_gigabit(ctx: NodeContext):
    # Every row of the table gives VM access at least 1 Gbps; slower starves the workloads.
    group = ctx.layout.group_of(Role.VM_ACCESS)
    if group.profile.speed_mbps < GIGABIT:
        yield Hit(f"Virtual machine access is on {group.label}; every configuration in the guide's "
                  "table gives it gigabit or faster.")


@rule("LM215", "Failover team members of one speed", S.WARNING, HARDWARE, Scope.NODE,
      quote=(
          'References to teamed network adapters in the following table refer specifically to '
          'link aggregation. Any requirements to use teamed network adapters for failover '
          'clustering should be added separately.'
      ))
def failover_team_speeds(ctx: NodeContext):
    for port in ctx.ports:
        profile = port.profile
        if slower_standby(profile):
            yield Hit(f"Failover team {port.name} mixes speeds: it is planned at "
                      f"{format_speed(profile.speed_mbps)} but runs at "
                      f"{format_speed(profile.member_speed_mbps)} after a failover to its slowest "
                      "member, where a QoS rate planned on the faster member exceeds its cap "
                      "(see the policy's notes). Use members of one speed.")


@rule("LM216", "Team mode given", S.INFO, CONSIDERATIONS, Scope.NODE,
      quote=(
          'References to teamed network adapters in the following table refer specifically to '
          'link aggregation.'
      ))
def team_mode_given(ctx: NodeContext):
    for port in ctx.ports:
        if port.mode_assumed:
            yield Hit(f"Team {port.name}: mode not given; evaluated as link aggregation, the "
                      "teaming the guide's table refers to.")


@rule("LM217", "Link aggregation members of one speed", S.WARNING, TEAMING, Scope.NODE,
      quote=(
          'Network Adapter Teaming is a third-party Technology (KB 968703: teaming on Windows '
          "Server 2008 R2 follows its vendor's requirements). Hyper-V Port mode 'will also "
          'always limit a single VM ... to the bandwidth that is available on a single '
          "interface'."
      ),
      source=(
          'https://learn.microsoft.com/troubleshoot/windows-server/virtualization/support-polic'
          'y-nic-teaming'
      ))
def aggregate_member_speeds(ctx: NodeContext):
    # No cap: an adapter added to a team must never lower the class design mode finds.
    for port in ctx.ports:
        profile = port.profile
        if mixed_speed_aggregate(profile):
            yield Hit(f"Team {port.name} aggregates members of different speeds "
                      f"({format_speed(profile.speed_mbps)} in all, the slowest "
                      f"{format_speed(profile.member_speed_mbps)}); teaming vendors require equal "
                      "member speeds, and one TCP stream such as a live migration never exceeds "
                      "one member's speed: the live migration policy is planned on the slowest "
                      "member.")


# This module's rules, in code order (a ruleset is built from these tuples).
RULES = (
    more_than_one_adapter,
    a_private_adapter,
    lm_csv_not_on_slow_or_public,
    lm_csv_shared_fast,
    private_roles_off_vm_switch,
    private_roles_off_management,
    vm_and_management_apart,
    gigabit_minimum,
    private_networks,
    network_assumed_private,
    vm_access_public,
    redundant_cluster_network,
    tcp_chimney,
    vm_access_gigabit,
    failover_team_speeds,
    team_mode_given,
    aggregate_member_speeds,
    adapters_not_all_teamed,
    lm_csv_shared_with_path,
    vm_and_management_at_ten_gigabit,
    tcp_chimney_without_caps,
)

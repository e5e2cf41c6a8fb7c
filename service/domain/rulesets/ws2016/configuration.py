"""The ws2016 changes that need no hardware: host and cluster settings (the transport, the SMB
limit, DCB, load balancing, vNIC mapping, VLANs, host QoS) and configuration (the physical
switches' DCB and port channels, private networks, LBFO to SET, un-teamed host vNICs).

Each is a function from a design and one finding to an `Edit`, or None where it does not apply.
"""
from __future__ import annotations

from dataclasses import replace

from ...model import Finding, Network
from .bandwidth import converged, heartbeat_percent
from .description import (
    Dcb,
    Design,
    HostVnic,
    Interconnect,
    LoadBalancing,
    Nic,
    Teaming,
    Traffic,
    Transport,
)
from .designer import FIRST_STORAGE_VLAN
from .edit import Edit, cost_of, everyone, host_of, per_node, quoted, with_host
from .rules.context import HostContext, gbps
from .rules.networks import live_migration_carriers
from .rules.rdma import HEARTBEAT_PRIORITY, SMB_PRIORITY, SMB_RESERVATION_PERCENT
from .rules.teaming import HYPER_V_PORT_FROM_MBPS as HYPER_V_PORT_MBPS

PRIORITIES = range(8)


# ---- live migration: transport and SMB limit ---------------------------------------------------

def planned_live_migration(design: Design) -> tuple[Transport, int | None]:
    """The transport and SMB limit the designer would set for these storage paths (S6's
    proportions, bandwidth.py): SMB with the smallest node's limit only when every node's plan
    chose SMB, else Compression (no limit)."""
    limits = []
    for host in design.hosts:
        storage = host.physical_for(Traffic.STORAGE)
        if not storage:
            return Transport.COMPRESSION, None
        plan = converged(min(n.speed_mbps for n in storage), members=len(storage),
                         rdma=all(bool(n.rdma) for n in storage))
        if plan.smb_limit_bytes_per_second is None:
            return Transport.COMPRESSION, None
        limits.append(plan.smb_limit_bytes_per_second)
    return (Transport.SMB, min(limits)) if limits else (Transport.COMPRESSION, None)


def set_smb_limit(design: Design, finding: Finding) -> Edit | None:
    """The LiveMigration SMB limit the designer computes, where SMB is the transport."""
    transport, limit = planned_live_migration(design)
    if design.transport is not Transport.SMB or transport is not Transport.SMB \
            or limit is None or limit == design.smb_limit_bytes_per_second:
        return None
    return Edit(replace(design, smb_limit_bytes_per_second=limit),
                "Add-WindowsFeature -Name FS-SMBBW; Set-SmbBandwidthLimit -Category LiveMigration "
                f"-BytesPerSecond {limit} ({gbps(limit * 8 / 1_000_000)}: 29% of the 50% SMB "
                "reservation of the storage path, Microsoft's converged example).",
                everyone(design), cost_of("setting"))


_OPTION = {Transport.SMB: "SMB", Transport.COMPRESSION: "Compression", Transport.TCPIP: "TCPIP"}


def set_transport(design: Design, finding: Finding) -> Edit | None:
    """The transport the designer chooses for these storage paths (SMB or Compression)."""
    transport, limit = planned_live_migration(design)
    if design.transport is transport:
        return None
    why = ("live migration's share of the RDMA storage path is 5 Gbps or more"
           if transport is Transport.SMB else
           "live migration's share of the storage path is below 5 Gbps or not RDMA")
    return Edit(replace(design, transport=transport, smb_limit_bytes_per_second=limit
                        if transport is Transport.SMB else design.smb_limit_bytes_per_second),
                "Set-VMHost -VirtualMachineMigrationPerformanceOption "
                f"{_OPTION[transport]} on every node ({why}).", everyone(design), cost_of("setting"))


# ---- DCB on the hosts --------------------------------------------------------------------------

def _rdma_speed(design: Design) -> int | None:
    speeds = [n.speed_mbps for h in design.hosts for n in h.physical_for(Traffic.STORAGE)
              if n.rdma]
    return min(speeds) if speeds else None


def _heartbeat(design: Design) -> tuple[int, int | None]:
    speed = _rdma_speed(design)
    return HEARTBEAT_PRIORITY, heartbeat_percent(speed) if speed is not None else None


def _dcb_commands(dcb: Dcb) -> str:
    others = ",".join(str(p) for p in PRIORITIES if p not in dcb.pfc_priorities)
    lines = ["Install-WindowsFeature Data-Center-Bridging",
             f'New-NetQosPolicy "SMB" -NetDirectPortMatchCondition 445 -PriorityValue8021Action '
             f"{dcb.smb_priority}",
             f'New-NetQosPolicy "Cluster" -Cluster -PriorityValue8021Action {dcb.heartbeat_priority}',
             f"Enable-NetQosFlowControl -Priority {dcb.smb_priority}",
             f"Disable-NetQosFlowControl -Priority {others}",
             f'New-NetQosTrafficClass "SMB" -Priority {dcb.smb_priority} -BandwidthPercentage '
             f"{dcb.smb_bandwidth_percent} -Algorithm ETS",
             f'New-NetQosTrafficClass "Cluster" -Priority {dcb.heartbeat_priority} '
             f"-BandwidthPercentage {dcb.heartbeat_bandwidth_percent} -Algorithm ETS",
             "Enable-NetAdapterQos on each storage adapter"]
    return "; ".join(lines)


def enable_host_dcb(design: Design, finding: Finding) -> Edit | None:
    """DCB on every host with Network ATC's defaults (the switches as they were)."""
    if design.dcb is not None and design.dcb.hosts:
        return None
    priority, percent = _heartbeat(design)
    # Nothing declared: the switches are not configured either (WS303 asks for them apart).
    switches = design.dcb.switches if design.dcb is not None else (
        None if design.interconnect is Interconnect.SWITCHLESS else False)
    dcb = Dcb(hosts=True, switches=switches, smb_priority=SMB_PRIORITY,
              pfc_priorities=frozenset({SMB_PRIORITY}),
              smb_bandwidth_percent=SMB_RESERVATION_PERCENT, heartbeat_priority=priority,
              heartbeat_bandwidth_percent=percent)
    return Edit(replace(design, dcb=dcb), "Enable DCB with Network ATC's defaults on every node: "
                + _dcb_commands(dcb) + ".", everyone(design), cost_of("setting"))


def pfc_on_smb_only(design: Design, finding: Finding) -> Edit | None:
    """Priority flow control on the SMB priority and on no other."""
    dcb = design.dcb
    if dcb is None or not dcb.hosts or dcb.pfc_priorities == {dcb.smb_priority}:
        return None
    others = ",".join(str(p) for p in PRIORITIES if p != dcb.smb_priority)
    return Edit(replace(design, dcb=replace(dcb, pfc_priorities=frozenset({dcb.smb_priority}))),
                f"Enable-NetQosFlowControl -Priority {dcb.smb_priority}; "
                f"Disable-NetQosFlowControl -Priority {others} on every node (and the same on the "
                "switches): flow control on the SMB priority only.", everyone(design), cost_of("setting"))


def add_heartbeat_class(design: Design, finding: Finding) -> Edit | None:
    """The cluster heartbeat class: priority 7, 2% up to 10 Gbps, 1% faster."""
    dcb = design.dcb
    priority, percent = _heartbeat(design)
    if dcb is None or dcb.heartbeat_priority is not None or percent is None \
            or dcb.smb_priority == priority:
        return None
    return Edit(replace(design, dcb=replace(dcb, heartbeat_priority=priority,
                                            heartbeat_bandwidth_percent=percent)),
                f'New-NetQosPolicy "Cluster" -Cluster -PriorityValue8021Action {priority}; '
                f'New-NetQosTrafficClass "Cluster" -Priority {priority} -BandwidthPercentage '
                f"{percent} -Algorithm ETS on every node (and the class on the switches).",
                everyone(design), cost_of("setting"))


# ---- the SET switch and its host vNICs ---------------------------------------------------------

def hyper_v_port(design: Design, finding: Finding) -> Edit | None:
    """Hyper-V Port load balancing on the host's SET switches that need it."""
    host = host_of(design, finding)
    if host is None:
        return None
    changed, actions = [], []
    for switch in host.switches:
        members = host.members(switch)
        fast = bool(members) and min(n.speed_mbps for n in members) >= HYPER_V_PORT_MBPS
        wrong = switch.load_balancing is LoadBalancing.ADDRESS_HASH or (
            fast and switch.load_balancing is LoadBalancing.DYNAMIC)
        if switch.is_set and wrong:
            switch = replace(switch, load_balancing=LoadBalancing.HYPER_V_PORT)
            actions.append(f'Set-VMSwitchTeam -Name "{switch.name}" -LoadBalancingAlgorithm '
                           "HyperVPort")
        changed.append(switch)
    if not actions:
        return None
    return Edit(with_host(design, replace(host, switches=tuple(changed))),
                "; ".join(actions) + ".", (host.name,), cost_of("setting"))


def map_rdma_vnics(design: Design, finding: Finding) -> Edit | None:
    """Each RDMA host vNIC of a SET switch mapped to a member of its own."""
    host = host_of(design, finding)
    if host is None:
        return None
    mapping: dict[str, str] = {}
    for switch in host.switches:
        rdma = [v for v in host.vnics if v.switch == switch.name and v.rdma]
        if not switch.is_set or len(switch.members) < 2 or len(rdma) > len(switch.members):
            continue
        # Mappings already to distinct members stay; the others take the free members in order.
        kept: dict[str, str] = {}
        for vnic in rdma:
            if vnic.mapped_to in switch.members and vnic.mapped_to not in kept.values():
                kept[vnic.name] = vnic.mapped_to
        free = iter(m for m in switch.members if m not in kept.values())
        mapping |= {v.name: next(free) for v in rdma if v.name not in kept}
    if not mapping:
        return None
    vnics = tuple(replace(v, mapped_to=mapping[v.name]) if v.name in mapping else v
                  for v in host.vnics)
    actions = [f'Set-VMNetworkAdapterTeamMapping -ManagementOS -VMNetworkAdapterName "{v}" '
               f'-PhysicalNetAdapterName "{m}"' for v, m in mapping.items()]
    return Edit(with_host(design, replace(host, vnics=vnics)), "; ".join(actions) + ".",
                (host.name,), cost_of("setting"))


def separate_storage_vlans(design: Design, finding: Finding) -> Edit | None:
    """A VLAN for each untagged storage carrier, and on switched storage for each one sharing a
    VLAN."""
    host = host_of(design, finding)
    if host is None:
        return None
    carriers = [c for c in host.carriers(Traffic.STORAGE) if isinstance(c, Nic | HostVnic)]
    used = {c.vlan_id for c in carriers if c.vlan_id}
    switched = design.interconnect is Interconnect.SWITCHED  # switchless may share one (S20)
    seen: set[int] = set()
    vlans: dict[str, int] = {}
    for carrier in carriers:
        vlan = carrier.vlan_id
        if not vlan or (switched and vlan in seen):
            vlan = next(v for v in range(FIRST_STORAGE_VLAN, 4095) if v not in used)
            used.add(vlan)
            vlans[carrier.name] = vlan
        seen.add(vlan)
    if not vlans:
        return None
    actions = [f'Set-VMNetworkAdapterIsolation -ManagementOS -VMNetworkAdapterName "{c.name}" '
               f"-IsolationMode VLAN -DefaultIsolationID {vlans[c.name]}" if isinstance(c, HostVnic)
               else f'Set-NetAdapter -Name "{c.name}" -VlanID {vlans[c.name]}'
               for c in carriers if c.name in vlans]
    nics = tuple(replace(n, vlan_id=vlans[n.name]) if n.name in vlans and Traffic.STORAGE in
                 n.traffic else n for n in host.nics)
    vnics = tuple(replace(v, vlan_id=vlans[v.name]) if v.name in vlans else v for v in host.vnics)
    return Edit(with_host(design, replace(host, nics=nics, vnics=vnics)),
                "; ".join(actions) + " (a VLAN and subnet per storage adapter, the VLANs allowed "
                "on the switch ports).", (host.name,), cost_of("setting"))


def remove_host_qos(design: Design, finding: Finding) -> Edit | None:
    """The host's QoS throttles removed (SET is not compatible with them)."""
    host = host_of(design, finding)
    if host is None or not host.host_qos_throttles:
        return None
    return Edit(with_host(design, replace(host, host_qos_throttles=False)),
                "Remove-NetQosPolicy -Name <each throttling policy>: host QoS (pacer.exe) is not "
                "compatible with SET; the SMB bandwidth limit and the DCB classes take its place.",
                (host.name,), cost_of("setting"))


# ---- configuration: the physical switches, networks and teams ----------------------------------

def switch_dcb(design: Design, finding: Finding) -> Edit | None:
    """The hosts' PFC and ETS configured on the switch ports too."""
    if design.dcb is not None and design.dcb.switches:
        return None
    dcb = design.dcb or Dcb(hosts=False, heartbeat_priority=None)
    heartbeat = (f", ETS {dcb.heartbeat_bandwidth_percent}% on priority "
                 f"{dcb.heartbeat_priority} for the cluster heartbeat"
                 if dcb.heartbeat_priority is not None and dcb.heartbeat_bandwidth_percent
                 else "")
    return Edit(replace(design, dcb=replace(dcb, switches=True)),
                "Configure DCB on every switch port the storage adapters use, as on the hosts "
                f"(the network team, with the switch vendor's commands): PFC on priority "
                f"{dcb.smb_priority} only, ETS {dcb.smb_bandwidth_percent}% for SMB{heartbeat}.",
                everyone(design), per_node(design, "cabling"))


def isolate_live_migration(design: Design, finding: Finding) -> Edit | None:
    """The host's public live migration carriers moved to a private network."""
    host = host_of(design, finding)
    if host is None:
        return None
    public = {c.name for c in live_migration_carriers(HostContext(design, host))
              if isinstance(c, Nic | HostVnic) and c.network is Network.PUBLIC}
    if not public:
        return None
    nics = tuple(replace(n, network=Network.PRIVATE) if n.name in public else n for n in host.nics)
    vnics = tuple(replace(v, network=Network.PRIVATE) if v.name in public else v
                  for v in host.vnics)
    return Edit(with_host(design, replace(host, nics=nics, vnics=vnics)),
                f"Connect {', '.join(sorted(public))} to a private network or a VLAN of its own: "
                "live migration traffic is not encrypted.", (host.name,), cost_of("cabling"))


def switch_independent(design: Design, finding: Finding) -> Edit | None:
    """The host's SET switches made switch independent, every member active."""
    host = host_of(design, finding)
    if host is None:
        return None
    wrong = [s.name for s in host.switches if s.is_set and (s.mode is not None or s.standby)]
    if not wrong:
        return None
    switches = tuple(replace(s, mode=None, standby=False) if s.name in wrong else s
                     for s in host.switches)
    actions = [f'Set-VMSwitchTeam -Name "{s}" -TeamingMode SwitchIndependent' for s in wrong]
    return Edit(with_host(design, replace(host, switches=switches)),
                "; ".join(actions) + ", every member active, and the port channel (LACP or "
                "static) removed from its switch ports.", (host.name,), cost_of("cabling"))


def lbfo_to_set(design: Design, finding: Finding) -> Edit | None:
    """The host's LBFO teams under a Hyper-V switch converted to SET."""
    host = host_of(design, finding)
    if host is None:
        return None
    lbfo = [s for s in host.switches if s.is_lbfo]
    if not lbfo:
        return None
    converted, actions = {}, []
    for switch in lbfo:
        members = host.members(switch)
        fast = bool(members) and min(n.speed_mbps for n in members) >= HYPER_V_PORT_MBPS
        balancing = LoadBalancing.HYPER_V_PORT if fast or switch.load_balancing is \
            LoadBalancing.ADDRESS_HASH else switch.load_balancing
        converted[switch.name] = replace(switch, teaming=Teaming.SET, mode=None, standby=False,
                                         load_balancing=balancing)
        actions.append(f'Convert LBFO team "{switch.name}" to a SET switch with Microsoft\'s '
                       f"Convert-LBFO2SET, or recreate it: New-VMSwitch -Name \"{switch.name}\" "
                       f"-NetAdapterName {quoted(switch.members)} -EnableEmbeddedTeaming $true")
    switches = tuple(converted.get(s.name, s) for s in host.switches)
    return Edit(with_host(design, replace(host, switches=switches)), "; ".join(actions) + ".",
                (host.name,), cost_of("team"))


def unteam_vnics(design: Design, finding: Finding) -> Edit | None:
    """The host's vNICs taken out of their NIC team."""
    host = host_of(design, finding)
    if host is None or not host.teamed_vnics:
        return None
    return Edit(with_host(design, replace(host, teamed_vnics=())),
                "Remove-NetLbfoTeam -Name <the team of host vNICs "
                f"{', '.join(host.teamed_vnics)}>: host vNICs are never teamed; each stays a vNIC "
                "of its own, mapped to a SET member.", (host.name,), cost_of("team"))

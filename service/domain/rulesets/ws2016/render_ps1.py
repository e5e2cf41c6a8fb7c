"""One node of a ws2016 design as a PowerShell script: DCB, the SET switch and its host vNICs (or
the standalone storage adapters), the live migration transport and its SMB limit.

Every command and parameter is as Microsoft's pages print it (docs/rulesets/ws2016-and-later.md:
S2, S3, S5, S10, S11, S13, S15); numbers are plain integers (PowerShell's KB/MB/GB suffixes are
1024-based, F3.3). Not rendered, because not verified: the cluster-wide SMB limit properties (F3.4)
and the cluster's live migration network exclusions, which need the cluster network's id (F4.1).
"""
from __future__ import annotations

from ...render.powershell import ps_quote
from .description import Design, Host, LoadBalancing, Traffic, Transport

TRANSPORT = {Transport.TCPIP: "TCPIP", Transport.COMPRESSION: "Compression",
             Transport.SMB: "SMB"}  # S2 "Accepted values: TCPIP, Compression, SMB"
BALANCING = {LoadBalancing.HYPER_V_PORT: "HyperVPort", LoadBalancing.DYNAMIC: "Dynamic"}  # S5


def _dcb_lines(design: Design, host: Host) -> list[str]:
    dcb = design.dcb
    if dcb is None or not dcb.hosts:
        return []
    storage = host.physical_for(Traffic.STORAGE)
    others = ",".join(str(p) for p in range(8) if p not in dcb.pfc_priorities)
    lines = [
        "# Data Center Bridging (S5; priorities and reservations: Network ATC's defaults, S8)",
        "Install-WindowsFeature Data-Center-Bridging",
        f"New-NetQosPolicy -Name 'SMB' -NetDirectPortMatchCondition 445 "
        f"-PriorityValue8021Action {dcb.smb_priority}",
    ]
    if dcb.heartbeat_priority is not None:
        lines.append(f"New-NetQosPolicy -Name 'Cluster' -Cluster "
                     f"-PriorityValue8021Action {dcb.heartbeat_priority}")
    lines.append("Enable-NetQosFlowControl -Priority "
                 + ",".join(str(p) for p in sorted(dcb.pfc_priorities)))
    if others:
        lines.append(f"Disable-NetQosFlowControl -Priority {others}")
    lines.append(f"New-NetQosTrafficClass -Name 'SMB' -Priority {dcb.smb_priority} "
                 f"-BandwidthPercentage {dcb.smb_bandwidth_percent} -Algorithm ETS")
    if dcb.heartbeat_priority is not None and dcb.heartbeat_bandwidth_percent is not None:
        lines.append(f"New-NetQosTrafficClass -Name 'Cluster' -Priority {dcb.heartbeat_priority} "
                     f"-BandwidthPercentage {dcb.heartbeat_bandwidth_percent} -Algorithm ETS")
    lines += [f"Enable-NetAdapterQos -Name {ps_quote(n.name)}" for n in storage]
    return lines


def _switch_lines(host: Host) -> list[str]:
    lines: list[str] = []
    for switch in host.switches:
        members = ",".join(ps_quote(m) for m in switch.members)
        if switch.is_lbfo:
            # New-VMSwitch teams several adapters only as SET: an LBFO team is not rendered.
            lines.append(f"# Switch {ps_quote(switch.name)} over an LBFO team ({members}): not "
                         "rendered; this ruleset configures SET (WS206, WS207).")
            continue
        lines.append("# Hyper-V switch" + (" with Switch Embedded Teaming (S5)" if switch.is_set
                                           else " (S5)"))
        teaming = " -EnableEmbeddedTeaming $true" if switch.is_set else ""
        lines.append(f"New-VMSwitch -Name {ps_quote(switch.name)} -NetAdapterName {members}"
                     f"{teaming} -AllowManagementOS $true")
        if switch.is_set and switch.load_balancing in BALANCING:
            lines.append(f"Set-VMSwitchTeam -Name {ps_quote(switch.name)} "
                         f"-LoadBalancingAlgorithm {BALANCING[switch.load_balancing]}")
        for vnic in (v for v in host.vnics if v.switch == switch.name):
            name = ps_quote(vnic.name)
            lines.append(f"Add-VMNetworkAdapter -SwitchName {ps_quote(switch.name)} -Name {name} "
                         "-ManagementOS")
            if vnic.vlan_id:
                lines.append(f"Set-VMNetworkAdapterIsolation -ManagementOS -VMNetworkAdapterName "
                             f"{name} -IsolationMode VLAN -DefaultIsolationID {vnic.vlan_id}")
            if vnic.rdma:
                lines.append(f"Enable-NetAdapterRDMA {ps_quote(f'vEthernet ({vnic.name})')}")
            if vnic.mapped_to:
                lines.append(f"Set-VMNetworkAdapterTeamMapping -VMNetworkAdapterName {name} "
                             f"-ManagementOS -PhysicalNetAdapterName {ps_quote(vnic.mapped_to)}")
    return lines


def _storage_adapter_lines(host: Host) -> list[str]:
    lines: list[str] = []
    for nic in host.nics:
        if Traffic.STORAGE not in nic.traffic:
            continue
        if not lines:
            lines.append("# Standalone storage adapters (VLAN: S15; RDMA: S5)")
        if nic.vlan_id:
            lines.append(f"Set-NetAdapterAdvancedProperty -Name {ps_quote(nic.name)} "
                         f"-RegistryKeyword VlanID -RegistryValue \"{nic.vlan_id}\"")
        if nic.rdma:
            lines.append(f"Enable-NetAdapterRDMA {ps_quote(nic.name)}")
    return lines


def _live_migration_lines(design: Design) -> list[str]:
    lines = ["# Live migration (S2, S3)"]
    if design.transport is not None:
        lines.append("Set-VMHost -VirtualMachineMigrationPerformanceOption "
                     f"{TRANSPORT[design.transport]}")
    if design.transport is Transport.SMB and design.smb_limit_bytes_per_second is not None:
        limit = design.smb_limit_bytes_per_second
        lines += [
            f"# {limit} bytes/s = {limit * 8} bit/s; -BytesPerSecond takes bytes (S3).",
            "Add-WindowsFeature -Name FS-SMBBW",
            f"Set-SmbBandwidthLimit -Category LiveMigration -BytesPerSecond {limit}",
        ]
    if design.max_simultaneous_migrations is not None:
        lines.append(f"Set-VMHost -MaximumVirtualMachineMigrations "
                     f"{design.max_simultaneous_migrations}")
    return lines if len(lines) > 1 else []


def render(design: Design, node: str, audited: str | None = None) -> str:
    """The script for one node (run elevated on that node); `audited` is the class of a
    declared layout, which the script reproduces as declared."""
    host = next(h for h in design.hosts if h.name == node)
    audit = [] if audited is None else [
        f"# The layout as declared (audit), rated {audited}: the findings and plans say what "
        "to change."]
    blocks = [
        [f"# {node}: host networking for live migration (Windows Server 2016 and later).",
         "# Sources: docs/rulesets/ws2016-and-later.md. Run elevated on this node only.",
         *audit, "$ErrorActionPreference = 'Stop'"],
        _dcb_lines(design, host),
        _switch_lines(host),
        _storage_adapter_lines(host),
        _live_migration_lines(design),
    ]
    return "\n\n".join("\n".join(b) for b in blocks if b) + "\n"

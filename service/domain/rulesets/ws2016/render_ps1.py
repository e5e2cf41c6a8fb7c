"""One node of a ws2016 design as a PowerShell script: DCB, the SET switch and its host vNICs (or
the standalone storage adapters), the live migration transport and its SMB limit.

Every command and parameter is as Microsoft's pages print it (docs/rulesets/ws2016-and-later.md:
S2, S3, S5, S10, S11, S12, S13, S15, S29, S35); numbers are plain integers (PowerShell's KB/MB/GB
suffixes are 1024-based, F3.3). Not rendered, because not verified: the cluster-wide SMB limit
properties (F3.4) and the cluster's live migration network exclusions, which need the cluster
network's id (F4.1).
"""
from __future__ import annotations

from ...render.powershell import ps_quote
from .description import (
    BandwidthMode,
    Design,
    Host,
    HostVnic,
    LoadBalancing,
    Switch,
    Traffic,
    Transport,
)

TRANSPORT = {Transport.TCPIP: "TCPIP", Transport.COMPRESSION: "Compression",
             Transport.SMB: "SMB"}  # S2 "Accepted values: TCPIP, Compression, SMB"
BALANCING = {LoadBalancing.HYPER_V_PORT: "HyperVPort", LoadBalancing.DYNAMIC: "Dynamic"}  # S5
BANDWIDTH_MODE = {BandwidthMode.WEIGHT: "Weight", BandwidthMode.ABSOLUTE: "Absolute",
                  BandwidthMode.NONE: "None"}  # S13 "Absolute, Default, None, or Weight"


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
        mode = (f" -MinimumBandwidthMode {BANDWIDTH_MODE[switch.bandwidth_mode]}"
                if switch.bandwidth_mode is not None else "")
        lines.append(f"New-VMSwitch -Name {ps_quote(switch.name)} -NetAdapterName {members}"
                     f"{teaming} -AllowManagementOS $true{mode}")
        if switch.is_set and switch.load_balancing in BALANCING:
            lines.append(f"Set-VMSwitchTeam -Name {ps_quote(switch.name)} "
                         f"-LoadBalancingAlgorithm {BALANCING[switch.load_balancing]}")
        if switch.bandwidth_mode is BandwidthMode.WEIGHT:
            lines.append("# Minimum-bandwidth weights (S12, S29): shares under contention, not "
                         "limits; values within Microsoft's guidance (S34).")
        if switch.default_flow_weight is not None:
            lines.append(f"Set-VMSwitch -Name {ps_quote(switch.name)} "
                         f"-DefaultFlowMinimumBandwidthWeight {switch.default_flow_weight}")
        vnics = [v for v in host.vnics if v.switch == switch.name]
        renamed = _management_vnic(switch, vnics)
        for vnic in vnics:
            name = ps_quote(vnic.name)
            if vnic is renamed:
                # -AllowManagementOS made the host's vNIC, named after the switch: it becomes
                # this one rather than a second management vNIC beside it.
                lines.append(f"Rename-VMNetworkAdapter -ManagementOS -Name "
                             f"{ps_quote(switch.name)} -NewName {name}")
            else:
                lines.append(f"Add-VMNetworkAdapter -SwitchName {ps_quote(switch.name)} "
                             f"-Name {name} -ManagementOS")
            if vnic.vlan_id:
                lines.append(f"Set-VMNetworkAdapterIsolation -ManagementOS -VMNetworkAdapterName "
                             f"{name} -IsolationMode VLAN -DefaultIsolationID {vnic.vlan_id}")
            if vnic.rdma:
                lines.append(f"Enable-NetAdapterRDMA {ps_quote(f'vEthernet ({vnic.name})')}")
            if vnic.mapped_to:
                lines.append(f"Set-VMNetworkAdapterTeamMapping -VMNetworkAdapterName {name} "
                             f"-ManagementOS -PhysicalNetAdapterName {ps_quote(vnic.mapped_to)}")
            if vnic.weight is not None:
                lines.append(f"Set-VMNetworkAdapter -ManagementOS -Name {name} "
                             f"-MinimumBandwidthWeight {vnic.weight}")
    return lines


def _management_vnic(switch: Switch, vnics: list[HostVnic]) -> HostVnic | None:
    """The host vNIC that carries management in place of the switch's own, if any."""
    if Traffic.MANAGEMENT in switch.traffic:
        return None
    return next((v for v in vnics if Traffic.MANAGEMENT in v.traffic), None)


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


_INTENT_FLAGS = ((Traffic.MANAGEMENT, "-Management"), (Traffic.COMPUTE, "-Compute"),
                 (Traffic.STORAGE, "-Storage"))
_INTENT_NAMES = {"-Management -Compute -Storage": "ConvergedIntent",
                 "-Management -Compute": "Management_Compute", "-Compute -Storage":
                 "Compute_Storage", "-Management": "Mgmt", "-Compute": "Compute",
                 "-Storage": "Storage"}  # S31's example intents


def _intent_lines(design: Design, host: Host) -> list[str]:
    """The Network ATC intents that deploy this layout (S31): one per switch, by the traffic on
    it and its host vNICs, and one for the standalone storage adapters."""
    groups: list[tuple[str, tuple[str, ...]]] = []
    for switch in host.switches:
        traffic = set(switch.traffic)
        traffic |= {t for v in host.vnics if v.switch == switch.name for t in v.traffic}
        flags = " ".join(f for t, f in _INTENT_FLAGS if t in traffic)
        if flags:
            groups.append((flags, switch.members))
    storage = tuple(n.name for n in host.nics if Traffic.STORAGE in n.traffic)
    if storage:
        groups.append(("-Storage", storage))
    lines = ["# Network ATC deploys this host networking (S31): add the intents once, on one node "
             "of the",
             "# cluster, instead of creating the switch, host vNICs and DCB by hand (New-VMSwitch "
             "or",
             "# New-NetQosTrafficClass would conflict with what the intents deploy)."]
    seen: set[str] = set()
    for flags, members in groups:
        name = _INTENT_NAMES.get(flags, "Intent")
        while name in seen:
            name += "2"
        seen.add(name)
        lines.append(f"Add-NetIntent -Name {name} {flags} -AdapterName "
                     + ",".join(ps_quote(m) for m in members))
    return lines


def _atc_live_migration_lines(design: Design) -> list[str]:
    """Live migration through Network ATC's global cluster overrides (S31: the settings it
    manages, MaximumSMBMigrationBandwidthInGbps in whole Gbps)."""
    settings: list[str] = []
    if design.transport is not None:
        settings.append("$clusterOverride.EnableVirtualMachineMigrationPerformance = $false")
        settings.append("$clusterOverride.VirtualMachineMigrationPerformanceOption = "
                        f"'{TRANSPORT[design.transport]}'")
    if design.transport is Transport.SMB and design.smb_limit_bytes_per_second is not None:
        gbps = design.smb_limit_bytes_per_second * 8 // 1_000_000_000
        settings.append(f"# {design.smb_limit_bytes_per_second} bytes/s, rounded down to whole "
                        "Gbps.")
        settings.append(f"$clusterOverride.MaximumSMBMigrationBandwidthInGbps = {max(gbps, 1)}")
    if design.max_simultaneous_migrations is not None:
        settings.append("$clusterOverride.MaximumVirtualMachineMigrations = "
                        f"{design.max_simultaneous_migrations}")
    if not settings:
        return []
    return ["# Live migration: Network ATC's cluster overrides (S31)",
            "$clusterOverride = New-NetIntentGlobalClusterOverrides", *settings,
            "Set-NetIntent -GlobalClusterOverrides $clusterOverride"]


def render(design: Design, node: str, audited: str | None = None) -> str:
    """The script for one node (run elevated on that node); `audited` is the class of a
    declared layout, which the script reproduces as declared."""
    host = next(h for h in design.hosts if h.name == node)
    audit = [] if audited is None else [
        f"# The layout as declared (audit), rated {audited}: the findings and plans say what "
        "to change."]
    where = ("Run elevated on one node: Network ATC applies the intents to every node."
             if design.network_atc else "Run elevated on this node only.")
    blocks = [
        [f"# {node}: host networking for live migration (Windows Server 2016 and later).",
         f"# Sources: docs/rulesets/ws2016-and-later.md. {where}",
         *audit, "$ErrorActionPreference = 'Stop'"],
    ]
    if design.network_atc:
        blocks += [_intent_lines(design, host), _atc_live_migration_lines(design)]
    else:
        blocks += [_dcb_lines(design, host), _switch_lines(host), _storage_adapter_lines(host),
                   _live_migration_lines(design)]
    return "\n\n".join("\n".join(b) for b in blocks if b) + "\n"

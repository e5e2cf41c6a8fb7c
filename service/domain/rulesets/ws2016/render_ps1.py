"""One node of a ws2016 design as a PowerShell script: DCB, the SET switch and its host vNICs (or
the standalone storage adapters), the live migration transport and its SMB limit, and a block to
run once for the cluster: the live migration networks and the cluster-wide SMB limit.

Every command and parameter is as Microsoft's pages print it (docs/rulesets/ws2016-and-later.md:
S2-S5, S10-S13, S15, S29, S33-S35, S39); numbers are plain integers (PowerShell's KB/MB/GB
suffixes are 1024-based, F3.3). The cluster block is rendered only when every node runs Windows
Server 2022 or later (S4 applies to those), never under Network ATC (its overrides manage both,
F9.5), and only as far as the pages go: one excluded network's id (F4.1; several ids in one value
is not verified), the factor under either of S4's two spellings (F3.4).
"""
from __future__ import annotations

import textwrap

from ...render.powershell import ps_quote
from .bandwidth import BITS_PER_MEGABIT, smb_limit_factor
from .description import (
    BandwidthMode,
    Design,
    Host,
    HostVnic,
    LoadBalancing,
    Nic,
    RdmaKind,
    Traffic,
    Transport,
)
from .rules.context import HostContext
from .rules.networks import live_migration_carriers

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
        if any(n.rdma_kind is RdmaKind.INFINIBAND for n in host.members(switch)):
            # S40: the Hyper-V switch supports Ethernet only; the plan adds Ethernet adapters.
            lines.append(f"# Switch {ps_quote(switch.name)} over InfiniBand adapters ({members}): "
                         "not rendered; a Hyper-V switch takes Ethernet adapters only (WS210).")
            continue
        lines.append("# Hyper-V switch" + (" with Switch Embedded Teaming (S5)" if switch.is_set
                                           else " (S5)"))
        teaming = " -EnableEmbeddedTeaming $true" if switch.is_set else ""
        mode = (f" -MinimumBandwidthMode {switch.bandwidth_mode.cmdlet}"
                if switch.bandwidth_mode is not None else "")
        vnics = [v for v in host.vnics if v.switch == switch.name]
        renamed = host.management_vnic(switch)
        # The host gets a vNIC of its own on the switch only where management runs over it.
        allow = "$true" if Traffic.MANAGEMENT in switch.traffic or renamed else "$false"
        lines.append(f"New-VMSwitch -Name {ps_quote(switch.name)} -NetAdapterName {members}"
                     f"{teaming} -AllowManagementOS {allow}{mode}")
        if switch.is_set and switch.load_balancing in BALANCING:
            lines.append(f"Set-VMSwitchTeam -Name {ps_quote(switch.name)} "
                         f"-LoadBalancingAlgorithm {BALANCING[switch.load_balancing]}")
        if switch.bandwidth_mode is BandwidthMode.WEIGHT:
            lines.append("# Minimum-bandwidth weights (S12, S29): shares under contention, not "
                         "limits; WS511-WS513 judge the values and their use on SET.")
        if switch.default_flow_weight is not None:
            lines.append(f"Set-VMSwitch -Name {ps_quote(switch.name)} "
                         f"-DefaultFlowMinimumBandwidthWeight {switch.default_flow_weight}")
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
    manages, MaximumSMBMigrationBandwidthInGbps in whole Gbps), given as the parameters of
    New-NetIntentGlobalClusterOverrides, which its reference page names (S41); the pages' tables
    spell one of them differently (EnableVirtualMachineMigrationPerformance), so no property of
    the object is set by name."""
    settings: list[str] = []
    notes: list[str] = []
    if design.transport is not None:
        settings += ["-EnableVirtualMachineMigrationPerformanceSelection $false",
                     f"-VirtualMachineMigrationPerformanceOption '{TRANSPORT[design.transport]}'"]
    if design.transport is Transport.SMB and design.smb_limit_bytes_per_second is not None:
        gbps = design.smb_limit_bytes_per_second * 8 // 1_000_000_000
        notes.append(f"# {design.smb_limit_bytes_per_second} bytes/s, rounded down to whole "
                     "Gbps.")
        settings.append(f"-MaximumSMBMigrationBandwidthInGbps {max(gbps, 1)}")
    if design.max_simultaneous_migrations is not None:
        settings.append(f"-MaximumVirtualMachineMigrations {design.max_simultaneous_migrations}")
    if not settings:
        return []
    return ["# Live migration: Network ATC's cluster overrides (S31, S41)", *notes,
            "$clusterOverride = New-NetIntentGlobalClusterOverrides " + " ".join(settings),
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
                   _live_migration_lines(design), _cluster_lines(design, host)]
    return _with_cluster_note("\n\n".join("\n".join(b) for b in blocks if b) + "\n")


# ---- the block run once for the cluster (S4) ----------------------------------------------------

CLUSTER_WIDE_FROM = 2022  # S4 "Applies to: Windows Server 2022 and later"
_CLUSTER_HEADER = "# Cluster-wide settings (S4):"
_RUN_ON_NODE = "Run elevated on this node only."


def _comment(text: str) -> list[str]:
    """A comment wrapped as the script's other comments are (under 100 columns)."""
    return ["# " + line for line in textwrap.wrap(text, 96, break_on_hyphens=False)]


def _cluster_wide(design: Design) -> bool:
    """S4's cluster settings apply: every node on Windows Server 2022 or later (a version not
    stated is not assumed)."""
    return all(h.os_version is not None and h.os_version.year >= CLUSTER_WIDE_FROM
               for h in design.hosts)


def _migration_adapters(design: Design, host: Host) -> list[str] | None:
    """The names of the adapters live migration runs on (live_migration_carriers): a host vNIC's
    adapter is "vEthernet (<vNIC>)" (S5), a standalone adapter its own name. None when it runs on
    a switch's management OS adapter, whose name no page read gives."""
    names: list[str] = []
    for carrier in live_migration_carriers(HostContext(design, host)):
        if isinstance(carrier, HostVnic):
            name = f"vEthernet ({carrier.name})"
        elif isinstance(carrier, Nic):
            name = carrier.name
        else:
            return None
        if name not in names:
            names.append(name)
    return names or None


def _migration_network_lines(node: str, adapters: list[str]) -> list[str]:
    """S4 "Configure Live Migration network selection": the Virtual Machine resource type's
    MigrationExcludeNetworks set to the id of the network live migration must not use.
    The design names adapters, not cluster networks, so the script finds the cluster networks on
    which this node's cluster network interfaces have the adapters' addresses (Get-NetIPAddress
    -InterfaceAlias, S34; Get-ClusterNetworkInterface -Node -Network and the interfaces' Address,
    S33) and excludes the others: one by S4's command; more than one is left to Failover Cluster
    Manager (S4's steps), because no page for Windows Server 2012 and later gives a value with
    several ids (F4.1)."""
    quoted = ",".join(ps_quote(a) for a in adapters)
    shown = ", ".join(adapters)
    missing = ps_quote(f"No cluster network has an address of {shown} on {node}: run this block "
                       "after the cluster is created.")
    return [
        *_comment(f"Live migration networks (S4): live migration runs on {shown}. The design names "
                  "adapters, not cluster networks, so the script takes the cluster networks on "
                  f"which {node}'s cluster network interfaces have those adapters' addresses, and "
                  "excludes every other cluster network from live migration."),
        f"$migrationAddresses = @(Get-NetIPAddress -InterfaceAlias {quoted} | "
        "ForEach-Object { $_.IPAddress })",
        "$migrationNetworks = @(Get-ClusterNetwork | Where-Object { @(Get-ClusterNetworkInterface "
        f"-Node {ps_quote(node)} -Network $_.Name | Where-Object {{ $migrationAddresses -contains "
        "$_.Address }).Count -gt 0 })",
        f"if ($migrationNetworks.Count -eq 0) {{ throw {missing} }}",
        "$excludedNetworks = @(Get-ClusterNetwork | Where-Object { $migrationNetworks.Id "
        "-notcontains $_.Id })",
        *_comment("S4 sets MigrationExcludeNetworks to one network's id; no page for Windows "
                  "Server 2012 and later gives a value with several ids, so several networks are "
                  "left to Failover Cluster Manager's Live Migration Settings (S4)."),
        "if ($excludedNetworks.Count -eq 1) {",
        "    $VMResourceType = Get-ClusterResourceType -Name 'Virtual Machine'",
        "    $VMResourceType | Set-ClusterParameter -Name MigrationExcludeNetworks "
        "-Value $excludedNetworks[0].Id",
        "} elseif ($excludedNetworks.Count -gt 1) {",
        "    Write-Warning ('Not set: in Failover Cluster Manager, right-click Networks, select Live "
        "Migration Settings and uncheck ' + (($excludedNetworks | ForEach-Object { $_.Name }) "
        "-join ', '))",
        "}",
    ]


def _smb_factor_lines(design: Design, host: Host) -> list[str]:
    """S4 "Configure cluster-wide SMB bandwidth limits": the factor (limit / the node's total
    bandwidth x 10000, smb_limit_factor) chosen so that the cluster's limit is the one
    Set-SmbBandwidthLimit sets on the node. S4 prints two spellings of each property (F3.4): the
    script sets the one the cluster has and stops when it has neither."""
    if design.transport is not Transport.SMB or design.smb_limit_bytes_per_second is None:
        return []
    limit = design.smb_limit_bytes_per_second * 8
    total = sum(n.speed_mbps for n in host.nics) * BITS_PER_MEGABIT
    if total <= 0:
        return []
    factor = smb_limit_factor(limit, total)
    return [
        *_comment("Cluster-wide SMB bandwidth limit for live migration (S4; Windows Server 2022 "
                  "with KB5017381, or later): a factor of each node's total bandwidth, the sum of "
                  f"{', '.join(n.name for n in host.nics)}. (limit / total) x 10000 = "
                  f"({limit} / {total}) x 10000 = {factor}, rounded down so as not to exceed the "
                  f"limit Set-SmbBandwidthLimit sets above ({factor} gives "
                  f"{factor * total // 10_000} bit/s)."),
        *_comment("S4 spells the factor SetSMBBandwidthLimitFactor and SMBBandwidthLimitFactor, "
                  "and the switch (1 enables the limit) SetSMBBandwidthLimit and "
                  "SMBBandwidthLimit: the script sets the names this cluster has, as Get-Cluster's "
                  "page sets a cluster property (S35)."),
        "$cluster = Get-Cluster",
        "$properties = $cluster.PSObject.Properties.Name",
        "$factorName = @('SMBBandwidthLimitFactor','SetSMBBandwidthLimitFactor') | "
        "Where-Object { $properties -contains $_ } | Select-Object -First 1",
        "$enableName = @('SetSMBBandwidthLimit','SMBBandwidthLimit') | "
        "Where-Object { $properties -contains $_ } | Select-Object -First 1",
        "if (-not $factorName -or -not $enableName) { throw 'The cluster has no SMB bandwidth "
        "limit properties: install KB5017381 or later on every node (S4).' }",
        "$cluster.$enableName = 1",
        f"$cluster.$factorName = {factor}",
    ]


def _parallel_lines(design: Design) -> list[str]:
    """The cluster's own limit on simultaneous live migrations, which takes precedence over each
    host's (S2); set as S35 sets a cluster common property."""
    most = design.max_simultaneous_migrations
    if most is None:
        return []
    return [*_comment("Simultaneous live migrations (S2): \"If your host is part a Failover "
                      "Cluster, the cluster property takes precedence any values set by the "
                      "MaximumVirtualMachineMigrations parameter.\""),
            f"(Get-Cluster).MaximumParallelMigrations = {most}"]


def _cluster_lines(design: Design, host: Host) -> list[str]:
    """The block to run once for the cluster (not per node, as Network ATC's intents are added
    on one node): S4's live migration networks and, for SMB live migration, its cluster-wide
    limit. Windows Server 2016 and 2019 (or a version not stated) get a note instead: S4 applies
    to 2022 and later, and no page read documents these settings for the earlier versions."""
    if len(design.hosts) < 2 or design.network_atc:
        return []
    adapters = _migration_adapters(design, host)
    if not _cluster_wide(design):
        where = (f" Live migration is to run on the cluster networks of {', '.join(adapters)}."
                 if adapters else "")
        return _comment("Cluster-wide settings: not rendered. S4's live migration network "
                        "selection and cluster-wide SMB limit apply to Windows Server 2022 and "
                        "later, and not every node here is stated to run it." + where)
    # Get-ClusterNetwork fails on a node outside a cluster: say why before it does.
    cluster = ["if (-not (Get-Cluster -ErrorAction SilentlyContinue)) { throw 'No cluster here: "
               "run this block after the cluster is created.' }"]
    unnamed = [] if adapters is not None else _comment(
        "Live migration networks: not set; live migration runs on a switch's management OS "
        "adapter, whose name no page read gives.")
    commands = ([] if adapters is None else _migration_network_lines(host.name, adapters)) + \
        _smb_factor_lines(design, host) + _parallel_lines(design)
    if not commands:
        return unnamed
    return [*_comment(f"{_CLUSTER_HEADER[2:]} run this block once for the cluster, not on every "
                      f"node: on {host.name} (it reads {host.name}'s addresses), after the "
                      "cluster is created. Running it again sets the same values."),
            *cluster, *unnamed, *commands]


def _with_cluster_note(script: str) -> str:
    """The header's run-where line names the cluster block when there is one."""
    if _CLUSTER_HEADER not in script:
        return script
    return script.replace(_RUN_ON_NODE, "Run elevated on this node; the cluster-wide block at the "
                          "end once for the cluster.", 1)

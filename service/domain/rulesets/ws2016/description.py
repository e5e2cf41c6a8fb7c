"""What the Windows Server 2016 and later ruleset reads of a cluster: the facts of SPEC §3 that
matter to it plus those docs/rulesets/ws2016-rules.md proposes (RDMA and its kind, make and model,
SET or LBFO, host virtual adapters, DCB, the live migration transport and its SMB limit).

Pure data: no request parsing here. These types are the proposal's vocabulary; the contract's
fields arrive as domain/selection.py's types and `serve.py` turns them into these. Nothing outside
this package reads them.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from ...model import Network, TeamMode


class OsVersion(StrEnum):
    """A node's Windows Server version (2012 R2 only to say it is outside this ruleset)."""

    WS2012R2 = "2012r2"
    WS2016 = "2016"
    WS2019 = "2019"
    WS2022 = "2022"
    WS2025 = "2025"

    @property
    def year(self) -> int:
        return int(self.value[:4])


class RdmaKind(StrEnum):
    """RDMA protocols (S6: iWARP or RoCE; InfiniBand named as unsupported on Azure Local)."""

    ROCE = "roce"  # version not stated
    ROCE_V2 = "roce_v2"
    IWARP = "iwarp"
    INFINIBAND = "infiniband"

    @property
    def family(self) -> str:
        """What must match end to end (S6: "the same RDMA protocol (iWARP or RoCE)")."""
        return "roce" if self in (RdmaKind.ROCE, RdmaKind.ROCE_V2) else self.value

    @property
    def is_roce(self) -> bool:
        return self.family == "roce"


class Teaming(StrEnum):
    SET = "set"  # Switch Embedded Teaming: the Hyper-V switch's own team
    LBFO = "lbfo"  # NIC Teaming (load balancing/failover), a team under the switch


class LoadBalancing(StrEnum):
    HYPER_V_PORT = "hyper_v_port"
    DYNAMIC = "dynamic"
    ADDRESS_HASH = "address_hash"  # LBFO only


class Transport(StrEnum):
    """Set-VMHost -VirtualMachineMigrationPerformanceOption (S2: TCPIP, Compression, SMB)."""

    TCPIP = "tcpip"
    COMPRESSION = "compression"
    SMB = "smb"


class BandwidthMode(StrEnum):
    """A Hyper-V switch's minimum-bandwidth mode, fixed when it is created (S13 New-VMSwitch
    -MinimumBandwidthMode; Get-VMSwitch's BandwidthReservationMode)."""

    WEIGHT = "weight"
    ABSOLUTE = "absolute"
    NONE = "none"

    @property
    def cmdlet(self) -> str:
        """As New-VMSwitch -MinimumBandwidthMode takes it: Weight, Absolute or None."""
        return self.value.capitalize()


class Interconnect(StrEnum):
    """How the storage (SMB) ports reach the other nodes."""

    SWITCHED = "switched"
    SWITCHLESS = "switchless"


class Traffic(StrEnum):
    """Traffic types, as Network ATC's intents name them (S7), plus live migration when it is
    placed apart from storage."""

    MANAGEMENT = "management"
    COMPUTE = "compute"  # virtual machine traffic (SPEC's vm_access)
    STORAGE = "storage"  # SMB: Storage Spaces Direct, CSV, SMB live migration
    LIVE_MIGRATION = "live_migration"


@dataclass(frozen=True)
class Nic:
    """A physical adapter. `traffic` is what it carries itself, when it is not under a switch
    (a standalone storage adapter); a switch's members carry the switch's traffic."""

    name: str
    speed_mbps: int
    make: str | None = None
    model: str | None = None
    firmware: str | None = None
    driver: str | None = None
    rdma: bool | None = None
    rdma_kind: RdmaKind | None = None
    vlan_id: int | None = None
    network: Network | None = None
    traffic: frozenset[Traffic] = frozenset()


@dataclass(frozen=True)
class Switch:
    """A Hyper-V switch and the team under it. One member with no teaming: a plain switch;
    several members: SET unless `teaming` says LBFO (New-VMSwitch assumes embedded teaming when
    given several adapters, S5). `traffic` is the guests' (compute) traffic on it."""

    name: str
    members: tuple[str, ...]
    teaming: Teaming | None = None
    load_balancing: LoadBalancing | None = None
    mode: TeamMode | None = None  # link aggregation: switch dependent
    standby: bool = False  # a standby member declared
    traffic: frozenset[Traffic] = frozenset({Traffic.COMPUTE})
    bandwidth_mode: BandwidthMode | None = None  # None: not stated
    default_flow_weight: int | None = None  # Set-VMSwitch -DefaultFlowMinimumBandwidthWeight

    @property
    def is_set(self) -> bool:
        return self.teaming is Teaming.SET or (self.teaming is None and len(self.members) > 1)

    @property
    def is_lbfo(self) -> bool:
        return self.teaming is Teaming.LBFO


@dataclass(frozen=True)
class HostVnic:
    """A host (management OS) virtual adapter on a switch."""

    name: str
    switch: str
    traffic: frozenset[Traffic]
    rdma: bool = False
    vlan_id: int | None = None
    network: Network | None = None
    mapped_to: str | None = None  # Set-VMNetworkAdapterTeamMapping's physical adapter
    weight: int | None = None  # Set-VMNetworkAdapter -MinimumBandwidthWeight (0: disabled)


@dataclass(frozen=True)
class Host:
    name: str
    nics: tuple[Nic, ...]
    switches: tuple[Switch, ...] = ()
    vnics: tuple[HostVnic, ...] = ()
    os_version: OsVersion | None = None
    host_qos_throttles: bool = False  # host QoS policies (pacer) with throttle actions
    teamed_vnics: tuple[str, ...] = ()  # host vNICs placed in an LBFO team

    @cached_property
    def _nics_by_name(self) -> dict[str, Nic]:
        # The first adapter of a name wins, as a scan would find it; rules ask for adapters by
        # name many times a host, and a scan each time made large audits quadratic.
        return {n.name: n for n in reversed(self.nics)}

    @cached_property
    def _physical_by_traffic(self) -> dict[Traffic, tuple[Nic, ...]]:
        return {}

    def nic(self, name: str) -> Nic | None:
        return self._nics_by_name.get(name)

    def switch(self, name: str) -> Switch | None:
        return next((s for s in self.switches if s.name == name), None)

    def management_vnic(self, switch: Switch) -> HostVnic | None:
        """The host vNIC that carries management in place of the switch's own (the vNIC
        -AllowManagementOS makes, renamed to it), when the switch does not carry management."""
        if Traffic.MANAGEMENT in switch.traffic:
            return None
        return next((v for v in self.vnics
                     if v.switch == switch.name and Traffic.MANAGEMENT in v.traffic), None)

    def members(self, switch: Switch) -> tuple[Nic, ...]:
        """The switch's member adapters the host declares."""
        return tuple(n for n in (self.nic(m) for m in switch.members) if n is not None)

    def carriers(self, traffic: Traffic) -> Iterator[Nic | HostVnic | Switch]:
        """Everything on this host that carries `traffic`."""
        for nic in self.nics:
            if traffic in nic.traffic:
                yield nic
        for switch in self.switches:
            if traffic in switch.traffic:
                yield switch
        for vnic in self.vnics:
            if traffic in vnic.traffic:
                yield vnic

    def physical(self, carrier: Nic | HostVnic | Switch) -> tuple[Nic, ...]:
        """The physical adapters under a carrier."""
        if isinstance(carrier, Nic):
            return (carrier,)
        switch = carrier if isinstance(carrier, Switch) else self.switch(carrier.switch)
        return self.members(switch) if switch is not None else ()

    def physical_for(self, traffic: Traffic) -> tuple[Nic, ...]:
        """The physical adapters `traffic` can use, each once, in declaration order."""
        found = self._physical_by_traffic.get(traffic)
        if found is None:
            names = {n.name for c in self.carriers(traffic) for n in self.physical(c)}
            found = self._physical_by_traffic[traffic] = tuple(n for n in self.nics
                                                               if n.name in names)
        return found


@dataclass(frozen=True)
class Dcb:
    """Data Center Bridging as configured (S5, S6, S8). Defaults are Network ATC's (S8)."""

    hosts: bool = True
    switches: bool | None = None  # None: not stated
    smb_priority: int = 3
    pfc_priorities: frozenset[int] = frozenset({3})
    smb_bandwidth_percent: int = 50
    heartbeat_priority: int | None = 7
    heartbeat_bandwidth_percent: int | None = None


@dataclass(frozen=True)
class Link:
    """Direct links between two nodes (switchless storage)."""

    a: str
    b: str
    count: int = 1


@dataclass(frozen=True)
class Design:
    """A cluster as this ruleset sees it."""

    hosts: tuple[Host, ...]
    name: str | None = None
    transport: Transport | None = None
    smb_limit_bytes_per_second: int | None = None  # Set-SmbBandwidthLimit -Category LiveMigration
    max_simultaneous_migrations: int | None = None
    interconnect: Interconnect | None = None
    links: tuple[Link, ...] = ()
    dcb: Dcb | None = None
    network_atc: bool = False
    azure_local: bool = False
    storage_spaces_direct: bool = False

    def links_between(self, a: str, b: str) -> int:
        return sum(link.count for link in self.links if {link.a, link.b} == {a, b})

    def rdma_families(self) -> set[str]:
        """The RDMA protocol families on the storage paths of every node."""
        return {nic.rdma_kind.family for host in self.hosts
                for nic in host.physical_for(Traffic.STORAGE)
                if nic.rdma and nic.rdma_kind is not None}

    def uses_roce(self) -> bool:
        return "roce" in self.rdma_families()

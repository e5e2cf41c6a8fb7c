"""The designer for converged and dedicated layouts: from the adapters every node has, the layouts
Microsoft's reference patterns use, each rated by the rules, the best kept.

- **Converged** (S8 "Fully converged intent", S23, S5, S15): one SET switch over a group of
  identical adapters carries management, compute and one storage (SMB) host vNIC per member, each
  on its own VLAN (S8's 711, 712, ...) and mapped to its member (S5).
  Without RDMA (no storage vNIC), the switch is in Weight mode instead: management and live
  migration each on a host vNIC with a minimum-bandwidth weight, the virtual machines in the
  default flow (S13, S12, S29; the values within S38's guidance).
- **Dedicated** (S22, S20, S8 "Converged compute and storage intent; separate management" read the
  other way round): management and compute on a SET switch over one group, storage on the
  adapters of another group, standalone, one VLAN each.

Live migration follows S6's converged example: SMB reserved at 50% by DCB (RDMA only), live
migration limited to 29% of it, SMB transport from 5 Gbps of that share, else Compression. For
dedicated storage adapters the same proportions are applied to the storage adapters' bandwidth
(our extension of S6's example, which covers converged teams only).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import permutations

from ...model import Classification
from .bandwidth import converged as converged_plan, heartbeat_percent
from .description import (
    BandwidthMode,
    Dcb,
    Design,
    Host,
    HostVnic,
    Interconnect,
    LoadBalancing,
    Nic,
    OsVersion,
    RdmaKind,
    Switch,
    Teaming,
    Traffic,
    Transport,
)
from .evaluate import Verdict, evaluate
from .rules.teaming import SET_MAX_MEMBERS

FIRST_STORAGE_VLAN = 711  # S8 "Storage Adapter 1 | 711"
# The symmetric groups a layout may use: the fastest six. Every layout uses one or two groups,
# and pairs of groups grow with the square of their number (a node of 32 adapters of 32 models
# would mean 1,056 layouts rated, 7 s for 64 such nodes); hosts have two to four kinds of adapter.
MAX_GROUPS = 6
MAX_STORAGE_ADAPTERS = 8  # S8 lists storage adapters 1 to 8
MGMT_COMPUTE = frozenset({Traffic.MANAGEMENT, Traffic.COMPUTE})
# A converged switch without RDMA (no SMB Direct, so no DCB class to reserve for live migration):
# minimum-bandwidth weights (S13, S12, S29). The values are ours, within Microsoft's guidance
# (S38: the sum near or under 100, critical traffic 5 or more, values gapped); the VLAN is ours,
# below S8's storage VLANs.
MANAGEMENT_VNIC, LIVE_MIGRATION_VNIC = "Management", "LiveMigration"
MANAGEMENT_WEIGHT, LIVE_MIGRATION_WEIGHT, DEFAULT_FLOW_WEIGHT = 10, 40, 50
LIVE_MIGRATION_VLAN = 710


def _symmetry_key(nic: Nic) -> tuple:
    """Adapters SET may team together (S5, S6): make, model, speed, RDMA kind."""
    kind = nic.rdma_kind.family if nic.rdma_kind else ""
    return (nic.speed_mbps, nic.make or "", nic.model or "", bool(nic.rdma), kind)


def groups(nics: Sequence[Nic]) -> list[tuple[Nic, ...]]:
    """The node's adapters in symmetric groups, fastest first (ties: RDMA first, larger groups
    first, then names)."""
    by_key: dict[tuple, list[Nic]] = {}
    for nic in nics:
        by_key.setdefault(_symmetry_key(nic), []).append(nic)
    ordered = sorted(by_key.values(), key=lambda g: (-g[0].speed_mbps, not g[0].rdma, -len(g),
                                                    sorted(n.name for n in g)))
    return [tuple(sorted(g, key=lambda n: n.name)) for g in ordered]


@dataclass(frozen=True)
class Layout:
    """A layout of one node's adapters, named by the pattern it follows."""

    kind: str  # "converged" or "dedicated"
    switch_members: tuple[str, ...]
    storage: tuple[str, ...]  # storage adapters (dedicated) or members with a storage vNIC


def _ethernet(group: Sequence[Nic]) -> bool:
    """A Hyper-V switch binds Ethernet adapters only (S40): InfiniBand ones carry storage only."""
    return not any(n.rdma_kind is RdmaKind.INFINIBAND for n in group)


def candidates(nics: Sequence[Nic], switchless: bool = False) -> list[Layout]:
    """Every converged and dedicated layout of the node's symmetric groups (the MAX_GROUPS
    fastest). Switchless storage is cabled node to node, apart from the switch's uplinks (S20,
    S21, S24, S25): no converged layout then, and a group may be split between the two."""
    out: list[Layout] = []
    found = groups(nics)[:MAX_GROUPS]
    for group in found:
        if not _ethernet(group):
            continue
        members = tuple(n.name for n in group[:SET_MAX_MEMBERS])
        if switchless and len(group) > 1:
            half = len(group) // 2
            out.append(Layout("dedicated", members[:half][:SET_MAX_MEMBERS], tuple(
                n.name for n in group[half:][:MAX_STORAGE_ADAPTERS])))
        elif not switchless:
            storage = tuple(n.name for n in group[:MAX_STORAGE_ADAPTERS] if n.rdma)
            out.append(Layout("converged", members, storage[:len(members)]))
    for mgmt, storage_group in permutations(found, 2):
        if not _ethernet(mgmt):
            continue
        storage = tuple(n.name for n in storage_group[:MAX_STORAGE_ADAPTERS])
        members = tuple(n.name for n in mgmt[:SET_MAX_MEMBERS])
        out.append(Layout("dedicated", members, storage))
    # One adapter, or InfiniBand only: the first group on the switch, rated as is (InfiniBand
    # there is WS210's: the answer says the node needs Ethernet adapters).
    if not out:
        group = found[0]
        out.append(Layout("converged", tuple(n.name for n in group[:SET_MAX_MEMBERS]), ()))
    return out


def build_host(name: str, nics: Sequence[Nic], layout: Layout,
               os_version: OsVersion | None = None, weights: bool = True) -> Host:
    """The node laid out: the switch, its vNICs, the storage adapters' traffic and VLANs."""
    # VLANs are Ethernet's (802.1Q): InfiniBand storage adapters get none.
    infiniband = {n.name for n in nics if n.rdma_kind is RdmaKind.INFINIBAND}
    vlans = {a: FIRST_STORAGE_VLAN + i
             for i, a in enumerate(a for a in layout.storage if a not in infiniband)}
    switch = Switch("ConvergedSwitch" if layout.kind == "converged" else "MgmtCompute",
                    layout.switch_members, Teaming.SET if len(layout.switch_members) > 1 else None,
                    LoadBalancing.HYPER_V_PORT, traffic=MGMT_COMPUTE)
    if layout.kind == "converged" and not layout.storage and weights:
        return Host(name, tuple(nics), (_weighted_switch(switch),), _weighted_vnics(switch),
                    os_version)
    if layout.kind == "converged":
        by_name = {n.name: n for n in nics}
        vnics = tuple(HostVnic(f"SMB{i + 1}", switch.name, frozenset({Traffic.STORAGE}),
                               rdma=bool(by_name[a].rdma), vlan_id=vlans.get(a),
                               mapped_to=a if len(layout.switch_members) > 1 else None)
                      for i, a in enumerate(layout.storage))
        return Host(name, tuple(nics), (switch,), vnics, os_version)
    laid = tuple(replace(n, traffic=frozenset({Traffic.STORAGE}), vlan_id=vlans.get(n.name))
                 if n.name in layout.storage else n for n in nics)
    return Host(name, laid, (switch,), (), os_version)


def _weighted_switch(switch: Switch) -> Switch:
    """The converged switch without RDMA: in Weight mode, the virtual machines in the default
    flow, management on a host vNIC of its own (WS510)."""
    return replace(switch, traffic=frozenset({Traffic.COMPUTE}),
                   bandwidth_mode=BandwidthMode.WEIGHT, default_flow_weight=DEFAULT_FLOW_WEIGHT)


def _weighted_vnics(switch: Switch) -> tuple[HostVnic, ...]:
    """Management and live migration host vNICs with their weights (values: ours, within S38's
    guidance: the sum 100, management 5 or more)."""
    return (HostVnic(MANAGEMENT_VNIC, switch.name, frozenset({Traffic.MANAGEMENT}),
                     weight=MANAGEMENT_WEIGHT),
            HostVnic(LIVE_MIGRATION_VNIC, switch.name, frozenset({Traffic.LIVE_MIGRATION}),
                     vlan_id=LIVE_MIGRATION_VLAN, weight=LIVE_MIGRATION_WEIGHT))


def _live_migration(design: Design, layout: Layout, nics: Sequence[Nic]) -> Design:
    """Transport and SMB limit by S6's proportions over the storage path's bandwidth."""
    by_name = {n.name: n for n in nics}
    storage = [by_name[a] for a in layout.storage]
    if not storage:  # live migration over management: Windows Server's default (S1)
        return replace(design, transport=Transport.COMPRESSION, smb_limit_bytes_per_second=None)
    plan = converged_plan(storage[0].speed_mbps, members=len(storage),
                          rdma=all(n.rdma for n in storage))
    return replace(design, transport=plan.transport,
                   smb_limit_bytes_per_second=plan.smb_limit_bytes_per_second)


def _dcb(nics: Iterable[Nic], switches: bool | None) -> Dcb | None:
    # DCB (PFC, ETS) is Ethernet's: InfiniBand has flow control of its own.
    rdma = [n for n in nics if n.rdma and n.rdma_kind is not RdmaKind.INFINIBAND]
    if not rdma:
        return None
    return Dcb(hosts=True, switches=switches,
               heartbeat_bandwidth_percent=heartbeat_percent(min(n.speed_mbps for n in rdma)))


@dataclass(frozen=True)
class Proposal:
    layout: Layout
    design: Design
    verdict: Verdict


PREFERENCE = {"dedicated": 0, "converged": 1}  # S22: storage apart "for enhanced network performance"


def design(inventory: Sequence[Nic], node_names: Sequence[str], *,
           os_version: OsVersion | None = None, switches_dcb: bool | None = True,
           interconnect: Interconnect | None = Interconnect.SWITCHED,
           **settings) -> Proposal | None:
    """The best-rated layout of `inventory` (every node has these adapters), ties broken by
    storage on RDMA adapters (S6: RDMA's traffic type is host storage), PREFERENCE, more storage
    bandwidth, more storage adapters, then the layout's names (last, so that renaming the same
    hardware never moves storage). None when the inventory is empty."""
    best: tuple | None = None
    for layout in candidates(inventory, interconnect is Interconnect.SWITCHLESS):
        # Network ATC deploys the host networking itself: no weights of this designer's.
        hosts = tuple(build_host(n, inventory, layout, os_version,
                                 weights=not settings.get("network_atc"))
                      for n in node_names)
        base = Design(hosts, interconnect=interconnect,
                      dcb=_dcb((n for n in inventory if n.name in layout.storage), switches_dcb),
                      **settings)
        laid = _live_migration(base, layout, inventory)
        verdict = evaluate(laid)
        storage = [n for n in inventory if n.name in layout.storage]
        key = (-verdict.classification.rank, not storage or not all(n.rdma for n in storage),
               PREFERENCE[layout.kind], -sum(n.speed_mbps for n in storage),
               -len(layout.storage), layout.switch_members, layout.storage)
        if best is None or key < best[0]:
            best = (key, Proposal(layout, laid, verdict))
    return None if best is None else best[1]


def best_class(inventory: Sequence[Nic], node_names: Sequence[str], **kw) -> Classification:
    proposal = design(inventory, node_names, **kw)
    return Classification.UNSUPPORTED if proposal is None else proposal.verdict.classification

"""WS3xx: RDMA kinds and Data Center Bridging."""
from __future__ import annotations

from ....catalogue import Hit, Scope, rule
from ....model import Classification as C, Severity as S
from ..description import Design, HostVnic, Interconnect, Nic, RdmaKind, Traffic
from ..sources import S5, S6, S8
from .context import HostContext

SMB_PRIORITY = 3  # S5, S8, S15, S16 examples and Network ATC's default
SMB_RESERVATION_PERCENT = 50  # S6 and S8 (S5 and S16 use 30 in examples)
HEARTBEAT_PRIORITY = 7  # S6, S8


def _roce_storage(ctx: HostContext) -> list[Nic]:
    return [n for n in ctx.host.physical_for(Traffic.STORAGE)
            if n.rdma and n.rdma_kind is not None and n.rdma_kind.is_roce]


@rule("WS301", "One RDMA protocol end to end", S.ERROR, S6.title, Scope.CLUSTER,
      cap=C.UNSUPPORTED, source=S6.url,
      quote=("RDMA adapters only work with other RDMA adapters that implement the same RDMA "
             "protocol (iWARP or RoCE)."))
def one_rdma_protocol(design: Design):
    families = design.rdma_families()
    if len(families) > 1:
        yield Hit(f"The storage paths mix RDMA protocols ({', '.join(sorted(families))}): RDMA "
                  "adapters only work with adapters that implement the same protocol.")


@rule("WS302", "RoCE needs DCB on the hosts", S.ERROR, S5.title, Scope.NODE, cap=C.UNSUPPORTED,
      source=S5.url,
      quote=("Before using any RDMA over Converged Ethernet (RoCE) version of RDMA, you must "
             "enable DCB."))
def roce_needs_host_dcb(ctx: HostContext):
    dcb = ctx.design.dcb
    if _roce_storage(ctx) and (dcb is None or not dcb.hosts):
        yield Hit(f"RoCE on {ctx.host.name} without DCB: enable DCB (PFC on the SMB priority, "
                  "an ETS reservation) before using RoCE.")


@rule("WS303", "RoCE needs PFC and ETS on the switches", S.ERROR, S6.title, Scope.CLUSTER,
      cap=C.UNSUPPORTED, source=S6.url,
      quote=("If you implement DCB, you must ensure that the PFC and ETS configuration is "
             "implemented properly across every network port, including network switches."))
def roce_needs_switch_dcb(design: Design):
    if not design.uses_roce() or design.interconnect is Interconnect.SWITCHLESS:
        return
    if design.dcb is None or design.dcb.switches is False:
        yield Hit("RoCE through switches without PFC and ETS: the DCB configuration must be on "
                  "every network port, including the switches.")


@rule("WS304", "RoCE adapters on a tagged VLAN", S.ERROR, S8.title, Scope.NODE,
      cap=C.UNSUPPORTED, source=S8.url,
      quote=("RoCE RDMA requires a non-zero VLAN so that Priority Flow Control (PFC) markings "
             "can be added to the frame. A VLAN value between 1 - 4094 must be used."))
def roce_tagged(ctx: HostContext):
    if not _roce_storage(ctx):
        return
    carriers: list[Nic | HostVnic] = [
        c for c in ctx.host.carriers(Traffic.STORAGE) if isinstance(c, Nic | HostVnic)]
    untagged = sorted(c.name for c in carriers if not c.vlan_id)
    if untagged:
        yield Hit(f"RoCE storage adapters {', '.join(untagged)} on {ctx.host.name} are untagged: "
                  "RoCE requires a VLAN between 1 and 4094 so that PFC markings are carried.")


@rule("WS305", "Priority flow control only on the SMB priority", S.WARNING, S5.title,
      Scope.CLUSTER, cap=C.SUPPORTED, source=S5.url,
      quote="Make sure flow control is off for other traffic")
def pfc_only_smb(design: Design):
    dcb = design.dcb
    if dcb is not None and dcb.hosts and dcb.pfc_priorities - {dcb.smb_priority}:
        others = sorted(dcb.pfc_priorities - {dcb.smb_priority})
        yield Hit(f"Flow control is on for priorities {', '.join(map(str, others))} besides SMB's "
                  f"{dcb.smb_priority}: turn it off for other traffic.")


@rule("WS306", "SMB Direct priority", S.INFO, S6.title, Scope.CLUSTER, source=S6.url,
      quote="Recommended traffic priority: Priority 3 or 4")
def smb_priority(design: Design):
    dcb = design.dcb
    if dcb is not None and dcb.smb_priority != SMB_PRIORITY:
        yield Hit(f"SMB Direct uses priority {dcb.smb_priority}: Microsoft's examples and Network "
                  f"ATC use {SMB_PRIORITY} (the Azure Local requirements say 3 or 4; the converged "
                  "NIC guides call 3 arbitrary, any 1-7 used consistently on hosts and switches).")


def _heartbeat_missing(design: Design) -> bool:
    dcb = design.dcb
    return (dcb is not None and dcb.hosts and design.uses_roce()
            and dcb.heartbeat_priority is None)


@rule("WS307", "A cluster heartbeat traffic class", S.WARNING, S8.title, Scope.CLUSTER,
      cap=C.SUPPORTED, source=S8.url,
      quote=("Cluster | Cluster Heartbeat reservation | 7 | 2% if the adapter(s) are <= 10 Gbps; "
             "1% if the adapter(s) are > 10 Gbps"))
def heartbeat_class(design: Design):
    if _heartbeat_missing(design) and not design.azure_local:
        yield Hit("No traffic class for the cluster heartbeat: Microsoft recommends priority "
                  f"{HEARTBEAT_PRIORITY} with 2% (adapters of 10 Gbps or less) or 1% (faster).")


@rule("WS313", "A cluster heartbeat traffic class on Azure Local", S.ERROR, S6.title,
      Scope.CLUSTER, cap=C.UNSUPPORTED, source=S6.url,
      quote=("RoCE-based Azure Local implementations require the configuration of three PFC "
             "traffic classes, including the default traffic class, across the fabric and all "
             "hosts."))
def heartbeat_class_azure_local(design: Design):
    if _heartbeat_missing(design) and design.azure_local:
        yield Hit("No traffic class for the cluster heartbeat: RoCE-based Azure Local requires "
                  f"it (priority {HEARTBEAT_PRIORITY}, 2% at 10 Gbps or less, 1% faster).")


@rule("WS308", "SMB Direct ETS reservation", S.INFO, S8.title, Scope.CLUSTER, source=S8.url,
      quote="SMB_Direct | RDMA Storage Traffic | 3 | 50%")
def smb_reservation(design: Design):
    dcb = design.dcb
    if dcb is not None and dcb.hosts and dcb.smb_bandwidth_percent != SMB_RESERVATION_PERCENT:
        yield Hit(f"SMB Direct reserves {dcb.smb_bandwidth_percent}%: Network ATC's default and "
                  f"the Azure Local recommendation are {SMB_RESERVATION_PERCENT}% (Microsoft's SET "
                  "and single-NIC examples use 30%); size it for the storage traffic.")


@rule("WS309", "DCB with iWARP", S.INFO, S5.title, Scope.CLUSTER, source=S5.url,
      quote=("testing has determined that all Ethernet-based RDMA technologies work better with "
             "DCB. Because of this, you should consider using DCB even for iWARP RDMA "
             "deployments."))
def iwarp_dcb(design: Design):
    if "iwarp" in design.rdma_families() and (design.dcb is None or not design.dcb.hosts):
        yield Hit("iWARP without DCB: optional, though Microsoft's testing found every Ethernet "
                  "RDMA works better with DCB.")


@rule("WS310", "RDMA host vNICs mapped to SET members", S.WARNING, S5.title, Scope.NODE,
      cap=C.SUPPORTED, source=S5.url,
      quote=("if you create two host vNICs for SMB-Direct ... you can ensure that the two vNICs "
             "use different team members."))
def vnic_mapping(ctx: HostContext):
    host = ctx.host
    for switch in host.switches:
        if not switch.is_set or len(switch.members) < 2:
            continue
        rdma = [v for v in host.vnics if v.switch == switch.name and v.rdma]
        unmapped = [v.name for v in rdma if v.mapped_to not in switch.members]
        if unmapped:
            which = (f"RDMA vNIC {unmapped[0]} on SET switch {switch.name} is" if len(unmapped) == 1
                     else f"RDMA vNICs {', '.join(unmapped)} on SET switch {switch.name} are")
            yield Hit(f"{which} not mapped to a member: map each RDMA vNIC to a different member "
                      "(Set-VMNetworkAdapterTeamMapping).")
        targets = [v.mapped_to for v in rdma if v.mapped_to in switch.members]
        if len(targets) != len(set(targets)):
            yield Hit(f"RDMA vNICs on SET switch {switch.name} share a member: map them to "
                      "different members.")


@rule("WS311", "No InfiniBand on Azure Local", S.ERROR, S6.title, Scope.CLUSTER,
      cap=C.UNSUPPORTED, source=S6.url, quote="InfiniBand (IB) is not supported with Azure Local.")
def no_infiniband(design: Design):
    if design.azure_local and any(n.rdma_kind is RdmaKind.INFINIBAND
                                  for h in design.hosts for n in h.nics):
        yield Hit("InfiniBand adapters: InfiniBand is not supported with Azure Local.")


@rule("WS312", "Priority flow control on the SMB priority with RoCE", S.ERROR, S6.title,
      Scope.CLUSTER, cap=C.UNSUPPORTED, source=S6.url,
      quote="RDMA traffic class ... Required: Yes - PFC-enabled: Yes")
def pfc_on_smb(design: Design):
    dcb = design.dcb
    if design.uses_roce() and dcb is not None and dcb.hosts \
            and dcb.smb_priority not in dcb.pfc_priorities:
        yield Hit(f"Flow control is off for the SMB priority {dcb.smb_priority}: RoCE needs "
                  "priority flow control on the RDMA traffic class.")


RULES = (one_rdma_protocol, roce_needs_host_dcb, roce_needs_switch_dcb, roce_tagged, pfc_only_smb,
         smb_priority, heartbeat_class, smb_reservation, iwarp_dcb, vnic_mapping, no_infiniband,
         pfc_on_smb, heartbeat_class_azure_local)

"""WS4xx: which networks carry which traffic, their speeds and the storage interconnect."""
from __future__ import annotations

from itertools import combinations

from ....catalogue import Hit, Scope, rule
from ....model import Classification as C, Network, Severity as S
from ..description import Design, HostVnic, Interconnect, Nic, Switch, Traffic, Transport
from ..sources import S1, S5, S6, S9, S17, S18, S22, S30
from .context import HostContext, gbps

STORAGE_MIN_MBPS = 10_000  # S17 minimum; S19-S25 "At least 10 Gbps" for storage
MANAGEMENT_RECOMMENDED_MBPS = 10_000  # S19-S25 "At least 1 Gbps. 10 Gbps recommended"
SWITCHLESS_NODES = 3  # S18: switchless in Azure Local 23H2 "only support 1,2 or 3 nodes"


def live_migration_carriers(ctx: HostContext) -> list[Nic | HostVnic | Switch]:
    """Where live migration runs: what declares it; else SMB storage when the transport is SMB,
    else the storage network when there is one, else management (our reading of S4's default
    preference, which keeps live migration off the cluster's own network)."""
    host = ctx.host
    declared = list(host.carriers(Traffic.LIVE_MIGRATION))
    if declared:
        return declared
    storage = list(host.carriers(Traffic.STORAGE))
    if storage and ctx.design.transport in (Transport.SMB, None):
        return storage
    return storage or list(host.carriers(Traffic.MANAGEMENT))


@rule("WS401", "Live migration on trusted, isolated networks", S.WARNING, S1.title, Scope.NODE,
      cap=C.SUPPORTED, source=S1.url,
      quote=("As a security best practice, we recommend that you isolate the traffic onto "
             "trusted, private networks because live migration traffic is not encrypted when it "
             "is sent over the network."))
def isolated_live_migration(ctx: HostContext):
    public = sorted(c.name for c in live_migration_carriers(ctx)
                    if getattr(c, "network", None) is Network.PUBLIC)
    if public:
        yield Hit(f"Live migration on {ctx.host.name} runs over public {', '.join(public)}: "
                  "its traffic is not encrypted; isolate it on private networks or VLANs.")


@rule("WS402", "One VLAN per storage adapter on switched storage", S.WARNING, S6.title,
      Scope.NODE, cap=C.SUPPORTED, source=S6.url,
      quote="We recommend using multiple subnets and VLANs to separate storage traffic")
def storage_vlans(ctx: HostContext):
    if ctx.design.interconnect is not Interconnect.SWITCHED:
        return  # switchless patterns may share one VLAN (S20, S24)
    vlans: dict[int, list[str]] = {}
    for carrier in ctx.host.carriers(Traffic.STORAGE):
        vlan = getattr(carrier, "vlan_id", None)
        if vlan:
            vlans.setdefault(vlan, []).append(carrier.name)
    for vlan, names in sorted(vlans.items()):
        if len(names) > 1:
            yield Hit(f"Storage adapters {', '.join(names)} on {ctx.host.name} share VLAN {vlan}: "
                      "use a subnet and VLAN per set of storage adapters so that each stays on "
                      "its own switch.")


def _slow_storage(ctx: HostContext) -> list[Nic]:
    return [n for n in ctx.host.physical_for(Traffic.STORAGE) if n.speed_mbps < STORAGE_MIN_MBPS]


# WS403 and WS407 cite the switched pattern (most clusters'); every reference pattern page S19-S25
# prints the same link speeds.
@rule("WS403", "Storage interconnect of 10 Gbps or more", S.WARNING, S22.title, Scope.NODE,
      cap=C.SUPPORTED, source=S22.url, quote="Storage ... Link speed ... At least 10 Gbps")
def storage_speed(ctx: HostContext):
    slow = _slow_storage(ctx)
    if slow and not ctx.design.storage_spaces_direct:
        yield Hit(f"Storage (SMB) on {ctx.host.name} runs over {gbps(slow[0].speed_mbps)} "
                  "adapters: Microsoft's reference patterns need at least 10 Gbps for storage.")


@rule("WS409", "Storage Spaces Direct needs 10 Gbps or more", S.ERROR, S17.title, Scope.NODE,
      cap=C.UNSUPPORTED, source=S17.url,
      quote=("For minimum interconnect for a small scale 2-3 node cluster: 10 Gbps network "
             "interface card (NIC), or faster."))
def s2d_storage_speed(ctx: HostContext):
    # Without adapters of its own, storage traffic crosses the management network's adapters.
    path = (ctx.host.physical_for(Traffic.STORAGE)
            or ctx.host.physical_for(Traffic.MANAGEMENT))
    slow = [n for n in path if n.speed_mbps < STORAGE_MIN_MBPS]
    if slow and ctx.design.storage_spaces_direct:
        yield Hit(f"Storage Spaces Direct on {ctx.host.name} over {gbps(slow[0].speed_mbps)} "
                  "adapters: its minimum interconnect is 10 Gbps.")


@rule("WS404", "Switchless storage reaches every node directly", S.ERROR, S17.title,
      Scope.CLUSTER, cap=C.UNSUPPORTED, source=S17.url,
      quote=("Switchless: ... Every node is required to have a direct connection with every "
             "other node of the cluster."))
def switchless_full_mesh(design: Design):
    if design.interconnect is not Interconnect.SWITCHLESS or not design.links:
        return
    for a, b in combinations((h.name for h in design.hosts), 2):
        if design.links_between(a, b) == 0:
            yield Hit(f"No direct storage link between {a} and {b}: switchless storage needs a "
                      "direct connection between every pair of nodes.")


@rule("WS410", "Switchless storage links are redundant", S.WARNING, S9.title, Scope.CLUSTER,
      cap=C.SUPPORTED, source=S9.url,
      quote=("Azure Local supports switchless (direct) connections for East-West traffic for "
             "all system sizes as long as each node in the system has a redundant connection to "
             "every node in the system."))
def switchless_redundant(design: Design):
    if design.interconnect is not Interconnect.SWITCHLESS or not design.links:
        return
    for a, b in combinations((h.name for h in design.hosts), 2):
        if design.links_between(a, b) == 1:
            yield Hit(f"One direct storage link between {a} and {b}: the physical network "
                      "requirements ask for a redundant connection between every pair; "
                      "Microsoft's three-node single-link pattern is validated without one.")


@rule("WS405", "Switchless storage beyond three nodes", S.INFO, S18.title, Scope.CLUSTER,
      source=S18.url,
      quote="Storage switchless deployments in Azure Local, version 23H2 only support 1,2 or 3 nodes.")
def switchless_size(design: Design):
    if design.interconnect is Interconnect.SWITCHLESS and len(design.hosts) > SWITCHLESS_NODES:
        yield Hit(f"{len(design.hosts)} nodes with switchless storage: the benefits diminish "
                  "beyond three nodes, and Azure Local 23H2 supports 1, 2 or 3.")


@rule("WS406", "Two or more storage connections per node", S.WARNING, S17.title, Scope.NODE,
      cap=C.SUPPORTED, source=S17.url,
      quote="Two or more network connections from each node recommended for redundancy and performance.")
def storage_redundancy(ctx: HostContext):
    if len(ctx.design.hosts) < 2:
        return
    storage = ctx.host.physical_for(Traffic.STORAGE)
    if len(storage) == 1:
        yield Hit(f"{ctx.host.name} has one storage connection ({storage[0].name}): two or more "
                  "are recommended for redundancy and performance.")


@rule("WS407", "Management and compute at 10 Gbps", S.WARNING, S22.title, Scope.NODE,
      cap=C.SUPPORTED, source=S22.url,
      quote="Management & compute ... Link speed ... At least 1 Gbps. 10 Gbps recommended")
def management_speed(ctx: HostContext):
    nics = {n.name: n for t in (Traffic.MANAGEMENT, Traffic.COMPUTE)
            for n in ctx.host.physical_for(t)}
    slow = [n for n in nics.values() if n.speed_mbps < MANAGEMENT_RECOMMENDED_MBPS]
    if slow:
        yield Hit(f"Management and compute on {ctx.host.name} run over "
                  f"{gbps(slow[0].speed_mbps)} adapters: 10 Gbps is recommended.")


@rule("WS408", "No host QoS throttles on a SET host", S.WARNING, S5.title, Scope.NODE,
      cap=C.SUPPORTED, source=S5.url,
      quote=("SET is not compatible with the following networking technologies ... Using QoS "
             "(pacer.exe) in host or native operating systems."))
def no_host_qos_with_set(ctx: HostContext):
    if ctx.host.host_qos_throttles and any(s.is_set for s in ctx.host.switches):
        yield Hit(f"{ctx.host.name} throttles with host QoS policies on a SET switch: SET is not "
                  "compatible with host QoS (pacer.exe); use an SMB bandwidth limit or DCB "
                  "classes.")


@rule("WS411", "No single adapter between the nodes", S.WARNING, S30.title, Scope.NODE,
      cap=C.SUPPORTED, source=S30.url,
      quote=("In the network infrastructure that connects your cluster nodes, avoid having single "
             "points of failure. For example, you can connect your cluster nodes by multiple, "
             "distinct networks. You can also connect your cluster nodes using a network with "
             "teamed network adapters, redundant switches, redundant routers, or similar hardware "
             "that removes single points of failure."))
def no_single_adapter(ctx: HostContext):
    # One physical adapter carries everything the node says to the others (a one-member switch
    # and no storage adapters): a failed cable or port cuts the node off the cluster.
    if len(ctx.design.hosts) < 2:
        return
    used = {n.name for traffic in Traffic for n in ctx.host.physical_for(traffic)}
    if len(used) == 1:
        yield Hit(f"{ctx.host.name} reaches the other nodes through one adapter ({used.pop()}): "
                  "a failed port or cable cuts it off the cluster; team two adapters (SET) or "
                  "add a second network.")


RULES = (isolated_live_migration, storage_vlans, storage_speed, s2d_storage_speed,
         switchless_full_mesh, switchless_redundant, switchless_size, storage_redundancy,
         management_speed, no_host_qos_with_set, no_single_adapter)

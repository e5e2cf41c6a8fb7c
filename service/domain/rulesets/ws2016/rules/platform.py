"""WS0xx and WS1xx: facts missing, the platform and the cluster as a whole."""
from __future__ import annotations

from dataclasses import replace

from ....catalogue import Hit, Scope, rule
from ....model import Classification as C, Severity as S
from ..description import Design, Interconnect, OsVersion, Traffic
from ..sources import S4, S5, S8, S17, S19, S31, S32
from .context import HostContext
from .networks import storage_vlans

ATC_FROM_YEAR = 2025  # S31: Network ATC on Windows Server 2025 or later
MAX_S2D_NODES = 16  # S17 "Minimum of two servers, maximum of 16 servers."


@rule("WS001", "Not checked: a fact is missing", S.INFO, "Facts the description does not give",
      Scope.CLUSTER, source="", quote="")
def missing_facts(design: Design):
    for host in design.hosts:
        for switch in host.switches:
            members = host.members(switch)
            if switch.is_set and len(members) > 1:
                unknown = [n.name for n in members if n.make is None or n.model is None]
                if unknown:
                    yield Hit(f"Not checked (WS201) for {', '.join(unknown)} on switch "
                              f"{switch.name}: make and model not given.", node=host.name)
            if switch.is_lbfo and host.os_version is None and not design.azure_local:
                yield Hit(f"Not checked (WS206, WS207) for LBFO team {switch.name}: os_version "
                          "not given.", node=host.name)
        unknown_kind = [n.name for n in host.physical_for(Traffic.STORAGE)
                        if n.rdma and n.rdma_kind is None]
        if unknown_kind:
            yield Hit(f"Not checked (WS301-WS304) for {', '.join(unknown_kind)}: rdma_kind not "
                      "given.", node=host.name)
    if design.interconnect is Interconnect.SWITCHLESS and len(design.hosts) > 1 \
            and not design.links:
        yield Hit("Not checked (WS404, WS410): the direct storage links between the nodes are "
                  "not given (switchless_links).")
    if design.interconnect is None:
        as_switched = replace(design, interconnect=Interconnect.SWITCHED)
        for host in design.hosts:
            if any(storage_vlans.check(HostContext(as_switched, host))):
                yield Hit(f"Not checked (WS402) for {host.name}: its storage adapters share a "
                          "VLAN, which switched storage should not; storage_interconnect not "
                          "given.", node=host.name)
    dcb = design.dcb
    switched = design.interconnect is not Interconnect.SWITCHLESS
    if design.uses_roce() and switched and dcb is not None and dcb.switches is None:
        yield Hit("Not checked (WS303): whether the switches carry the hosts' PFC and ETS "
                  "configuration (dcb.switches not given).")


@rule("WS101", "Nodes run Windows Server 2016 or later", S.ERROR, S5.title, Scope.NODE,
      cap=C.UNSUPPORTED, source=S5.url,
      quote=("In Windows Server 2016, you can enable RDMA on network adapters that are bound to a "
             "Hyper-V Virtual Switch with or without SET."))
def windows_server_2016_or_later(ctx: HostContext):
    version = ctx.host.os_version
    if version is not None and version is OsVersion.WS2012R2:
        yield Hit(f"{ctx.host.name} runs Windows Server 2012 R2: this ruleset covers Windows "
                  "Server 2016 and later (SET and RDMA on switch-bound adapters start with 2016).")


def _signature(design: Design, name: str) -> tuple:
    host = next(h for h in design.hosts if h.name == name)
    return tuple(sorted((n.speed_mbps, n.make or "", n.model or "", bool(n.rdma),
                         n.rdma_kind.family if n.rdma_kind else "") for n in host.nics))


@rule("WS102", "Identical network adapters on every node", S.WARNING, S4.title, Scope.CLUSTER,
      cap=C.SUPPORTED, source=S4.url,
      quote=("Cluster nodes should have the same number of network adapters across all nodes in "
             "the cluster. The connected network adapters should also be connected at the same "
             "speeds as the other nodes in the cluster."))
def identical_adapters(design: Design):
    if len(design.hosts) < 2:
        return
    first = design.hosts[0].name
    reference = _signature(design, first)
    for host in design.hosts[1:]:
        if _signature(design, host.name) != reference:
            yield Hit(f"{host.name}'s network adapters differ from {first}'s (number, speed, "
                      "make, model or RDMA): cluster nodes should have the same adapters at the "
                      "same speeds.", node=host.name)


@rule("WS103", "A single node has no live migration peer", S.INFO, S19.title, Scope.CLUSTER,
      source=S19.url,
      quote=("Two disconnected RDMA NICs that are only used if add a second server to your system "
             "for scale-out."))
def single_node(design: Design):
    if len(design.hosts) == 1:
        yield Hit("One node: live migration needs a second host.")


@rule("WS104", "Storage Spaces Direct: at most 16 nodes", S.ERROR, S17.title, Scope.CLUSTER,
      cap=C.UNSUPPORTED, source=S17.url, quote="Minimum of two servers, maximum of 16 servers.")
def s2d_node_limit(design: Design):
    if design.storage_spaces_direct and len(design.hosts) > MAX_S2D_NODES:
        yield Hit(f"{len(design.hosts)} nodes with Storage Spaces Direct: the maximum is "
                  f"{MAX_S2D_NODES} servers.")


@rule("WS105", "Network ATC: the same adapter names on every node", S.ERROR, S8.title,
      Scope.CLUSTER, cap=C.UNSUPPORTED, source=S8.url,
      quote=("Each physical adapter specified in an intent must use the same name on all nodes in "
             "the cluster."))
def atc_adapter_names(design: Design):
    if not design.network_atc or len(design.hosts) < 2:
        return

    def used(host) -> set[str]:
        return {n.name for t in Traffic for n in host.physical_for(t)}

    reference = used(design.hosts[0])
    for host in design.hosts[1:]:
        names = used(host)
        if names != reference:
            differ = sorted(names ^ reference)
            yield Hit(f"Network ATC: adapter names differ between {design.hosts[0].name} and "
                      f"{host.name} ({', '.join(differ)}); each adapter in an intent must use "
                      "the same name on all nodes.", node=host.name)


@rule("WS107", "Network ATC: Windows Server 2025 or later", S.ERROR, S31.title, Scope.NODE,
      cap=C.UNSUPPORTED, source=S31.url,
      quote=("All servers in the cluster must be running Windows Server 2025 or later for Windows "
             "Server, and version 2311.2 or later for Azure Local environments."))
def atc_needs_2025(ctx: HostContext):
    version = ctx.host.os_version
    if ctx.design.network_atc and not ctx.design.azure_local and version is not None \
            and version.year < ATC_FROM_YEAR:
        yield Hit(f"{ctx.host.name} runs Windows Server {version.value}: Network ATC needs "
                  "Windows Server 2025 or later on every server of the cluster.")


@rule("WS108", "One Windows Server version on every node", S.WARNING, S32.title, Scope.CLUSTER,
      cap=C.SUPPORTED, source=S32.url,
      quote=("We recommend moving through the cluster upgrade process quickly (within four weeks) "
             "because some cluster features aren't optimized for mixed-OS mode."))
def one_version(design: Design):
    versions: dict[str, list[str]] = {}
    for host in design.hosts:
        if host.os_version is not None:
            versions.setdefault(host.os_version.value, []).append(host.name)
    if len(versions) > 1:
        listed = "; ".join(f"{v}: {', '.join(names[:4])}{' ...' if len(names) > 4 else ''}"
                           for v, names in sorted(versions.items()))
        yield Hit(f"The nodes run different Windows Server versions ({listed}): a cluster in "
                  "mixed-OS mode is a rolling upgrade in progress, best finished within four "
                  "weeks (some cluster features aren't optimized for it).")


RULES = (missing_facts, windows_server_2016_or_later, identical_adapters, single_node,
         s2d_node_limit, atc_adapter_names, atc_needs_2025, one_version)

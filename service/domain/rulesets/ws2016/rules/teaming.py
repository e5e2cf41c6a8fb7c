"""WS2xx: Switch Embedded Teaming and LBFO under the Hyper-V switch."""
from __future__ import annotations

from ....catalogue import Hit, Scope, rule
from ....model import Classification as C, Severity as S, TeamMode
from ..description import LoadBalancing, OsVersion, RdmaKind
from ..sources import S5, S6, S14, S27, S40
from .context import HostContext, gbps

SET_MAX_MEMBERS = 8  # S5 "SET supports between one and eight network adapters in a team."
HYPER_V_PORT_FROM_MBPS = 10_000  # S6 "... on all NICs that operate at or above 10 Gbps."


def _set_switches(ctx: HostContext):
    for switch in ctx.host.switches:
        if switch.is_set:
            yield switch, ctx.host.members(switch)


@rule("WS201", "SET members identical (make, model, firmware, driver)", S.ERROR, S5.title,
      Scope.NODE, cap=C.UNSUPPORTED, source=S5.url,
      quote=("SET requires that all network adapters that are members of a SET team must be "
             "identical (i.e., same manufacturer, same model, same firmware and driver)."))
def set_members_identical(ctx: HostContext):
    for switch, members in _set_switches(ctx):
        for what in ("make", "model", "firmware", "driver"):
            values = sorted({getattr(n, what) for n in members if getattr(n, what) is not None})
            if len(values) > 1:
                yield Hit(f"SET switch {switch.name} mixes members of different {what} "
                          f"({', '.join(values)}): SET requires identical members.")


@rule("WS202", "SET members of one speed", S.ERROR, S6.title, Scope.NODE, cap=C.UNSUPPORTED,
      source=S6.url,
      quote=("SET requires the use of symmetric (identical) adapters. Symmetric network adapters "
             "are those that have the same: make (vendor), model (version), speed (throughput), "
             "configuration"))
def set_members_one_speed(ctx: HostContext):
    for switch, members in _set_switches(ctx):
        speeds = sorted({n.speed_mbps for n in members})
        if len(speeds) > 1:
            yield Hit(f"SET switch {switch.name} has members at "
                      f"{' and '.join(gbps(s) for s in speeds)}: SET requires symmetric adapters "
                      "of one speed (Microsoft's SET page lists manufacturer, model, firmware and "
                      "driver; the Azure Local host network requirements add speed).")


@rule("WS203", "At most eight SET members", S.ERROR, S5.title, Scope.NODE, cap=C.UNSUPPORTED,
      source=S5.url,
      quote="SET supports between one and eight network adapters in a team.")
def set_member_count(ctx: HostContext):
    for switch, _members in _set_switches(ctx):
        if len(switch.members) > SET_MAX_MEMBERS:
            yield Hit(f"SET switch {switch.name} has {len(switch.members)} members: SET supports "
                      f"between one and {SET_MAX_MEMBERS} network adapters in a team.")


@rule("WS204", "SET is switch independent, every member active", S.ERROR, S5.title, Scope.NODE,
      cap=C.UNSUPPORTED, source=S5.url,
      quote=("SET supports only Switch Independent mode ... using a standby adapter is supported "
             "in NIC Teaming, but it is not supported in SET."))
def set_switch_independent(ctx: HostContext):
    for switch, _members in _set_switches(ctx):
        if switch.mode is TeamMode.LINK_AGGREGATION:
            yield Hit(f"SET switch {switch.name} is declared switch dependent (link "
                      "aggregation): SET supports only Switch Independent mode.")
        if switch.standby:
            yield Hit(f"SET switch {switch.name} has a standby member: SET does not support "
                      "standby adapters; all members are active.")
        if switch.load_balancing is LoadBalancing.ADDRESS_HASH:
            yield Hit(f"SET switch {switch.name} uses Address Hash: SET's load balancing modes "
                      "are Hyper-V Port and Dynamic.")


@rule("WS205", "Hyper-V Port load balancing at 10 Gbps or more", S.WARNING, S6.title,
      Scope.NODE, cap=C.SUPPORTED, source=S6.url,
      quote=("For best performance, Hyper-V Port is recommended for use on all NICs that operate "
             "at or above 10 Gbps."))
def hyper_v_port(ctx: HostContext):
    for switch, members in _set_switches(ctx):
        fast = members and min(n.speed_mbps for n in members) >= HYPER_V_PORT_FROM_MBPS
        if fast and switch.load_balancing is LoadBalancing.DYNAMIC:
            yield Hit(f"SET switch {switch.name} uses Dynamic load balancing at "
                      f"{gbps(members[0].speed_mbps)}: Hyper-V Port is recommended on all NICs "
                      "at or above 10 Gbps.")


def _lbfo_switches(ctx: HostContext):
    return [s for s in ctx.host.switches if s.is_lbfo]


@rule("WS206", "No LBFO team under the Hyper-V switch on Windows Server 2022 and later",
      S.ERROR, S27.title, Scope.NODE, cap=C.UNSUPPORTED, source=S27.url,
      quote=("... with Windows Server 2022, and newer, no longer allowing an LBFO NIC to be "
             "attached to a Hyper-V vmSwitch ..."))
def no_lbfo_from_2022(ctx: HostContext):
    version = ctx.host.os_version
    on_azure_local = ctx.design.azure_local
    if version is None and not on_azure_local:
        return
    if on_azure_local or (version is not None and version.year >= OsVersion.WS2022.year):
        where = "Azure Local" if on_azure_local else f"Windows Server {version}"
        for switch in _lbfo_switches(ctx):
            yield Hit(f"LBFO team under Hyper-V switch {switch.name} on {where}: Windows "
                      "Server 2022 and newer no longer allow an LBFO NIC to be attached to a "
                      "Hyper-V switch, and Azure Local supports SET only; use SET. (Stated in "
                      "Microsoft's Convert-LBFO2SET repository and the Azure Local host network "
                      "requirements; LBFO itself is not deprecated.)")


@rule("WS207", "SET rather than LBFO under the Hyper-V switch (2016, 2019)", S.WARNING,
      S27.title, Scope.NODE, cap=C.SUPPORTED, source=S27.url,
      quote=("... SET, the recommended solution when using NIC teaming in conjunction with "
             "Hyper-V, SDN, S2D, etc."))
def set_over_lbfo(ctx: HostContext):
    version = ctx.host.os_version
    if ctx.design.azure_local or version is None or version.year >= OsVersion.WS2022.year:
        return
    for switch in _lbfo_switches(ctx):
        yield Hit(f"LBFO team under Hyper-V switch {switch.name} on Windows Server {version}: "
                  "SET is Microsoft's recommended teaming with Hyper-V (and the only one from "
                  "Windows Server 2022).")


@rule("WS208", "Host virtual adapters are never teamed", S.ERROR, S14.title, Scope.NODE,
      cap=C.UNSUPPORTED, source=S14.url,
      quote=("Teaming of vNICs inside of the host partition is not supported in any "
             "configuration."))
def no_teamed_vnics(ctx: HostContext):
    if ctx.host.teamed_vnics:
        yield Hit(f"Host vNICs {', '.join(ctx.host.teamed_vnics)} are in a NIC team: teaming of "
                  "vNICs inside of the host partition is not supported in any configuration.")


@rule("WS209", "SET, not LBFO, for RDMA adapters under the switch", S.ERROR, S6.title,
      Scope.NODE, cap=C.UNSUPPORTED, source=S6.url,
      quote=("SET is important for Azure Local because it's the only teaming technology that "
             "enables: Teaming of RDMA adapters (if needed)."))
def rdma_needs_set(ctx: HostContext):
    for switch in _lbfo_switches(ctx):
        rdma = [n.name for n in ctx.host.members(switch) if n.rdma]
        if rdma:
            yield Hit(f"RDMA adapters {', '.join(rdma)} are in LBFO team {switch.name}: SET is "
                      "the only teaming that enables teaming of RDMA adapters.")


@rule("WS210", "Ethernet adapters only under a Hyper-V switch", S.ERROR, S40.title, Scope.NODE,
      cap=C.UNSUPPORTED, source=S40.url,
      quote=("Hyper-V Virtual Switch only supports Ethernet, and does not support any other wired "
             "local area network (LAN) technologies, such as Infiniband and Fibre Channel."))
def ethernet_members(ctx: HostContext):
    for switch in ctx.host.switches:
        infiniband = [n.name for n in ctx.host.members(switch)
                      if n.rdma_kind is RdmaKind.INFINIBAND]
        if infiniband:
            yield Hit(f"InfiniBand adapters {', '.join(infiniband)} are under Hyper-V switch "
                      f"{switch.name} on {ctx.host.name}: the switch supports Ethernet only; "
                      "InfiniBand adapters can carry storage (SMB Direct) on their own, and "
                      "management and the virtual machines need Ethernet adapters.")


RULES = (set_members_identical, set_members_one_speed, set_member_count, set_switch_independent,
         hyper_v_port, no_lbfo_from_2022, set_over_lbfo, no_teamed_vnics, rdma_needs_set,
         ethernet_members)

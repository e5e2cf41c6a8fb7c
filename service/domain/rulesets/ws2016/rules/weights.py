"""WS51x: minimum-bandwidth weights on a Hyper-V switch that live migration shares (no RDMA).

Where live migration runs on a host vNIC of a switch without RDMA that also carries the virtual
machines, nothing reserves bandwidth for it unless the switch is in Weight
mode and the vNIC has a weight (S13, S12, S29). Microsoft's guidance for the values is a Windows
Server 2012 page (S38); S5 lists "Virtual Machine QoS" as not compatible with SET without saying
whether switch weights are what it means (docs/rulesets/ws2016-and-later.md, F8.4: WS513 says so
wherever a SET switch is in Weight mode), so these findings are advice (info), never a cap.
"""
from __future__ import annotations

from ....catalogue import Hit, Scope, rule
from ....model import Severity as S
from ..description import BandwidthMode, HostVnic, Switch, Traffic
from ..sources import S5, S12, S38
from .context import HostContext
from .networks import live_migration_carriers

WEIGHT_SUM_GUIDANCE = 100  # S38 "Keep the sum of the weights near or under 100"
CRITICAL_WEIGHT = 5  # S38 "you should assign each a weight of 5 or more"
DEFAULT_FLOW_WEIGHT = 1  # S12 "By default, this special category has a weight of 1"


def _shared(ctx: HostContext, switch: Switch, vnic: HostVnic | None) -> bool:
    """The switch carries virtual machines or other host vNICs beside live migration."""
    return Traffic.COMPUTE in switch.traffic or any(
        v.switch == switch.name and v is not vnic for v in ctx.host.vnics)


def _rdma(ctx: HostContext, switch: Switch) -> bool:
    # A switch with RDMA host vNICs reserves with DCB's ETS classes (WS3xx); whether weights
    # apply beside RDMA is not verified (F8.4), so such a switch is not judged here.
    return any(v.rdma for v in ctx.host.vnics if v.switch == switch.name)


@rule("WS510", "Live migration has a bandwidth floor on a shared switch", S.INFO, S12.title,
      Scope.NODE, source=S12.url,
      quote=("Specifies the minimum bandwidth, in relative weight, that is allocated to a special "
             "category called \"default flow\". Any traffic sent by a virtual network adapter "
             "that is connected to this virtual switch and doesn't have minimum bandwidth "
             "allocated is filtered into this category."))
def live_migration_floor(ctx: HostContext):
    if ctx.design.network_atc:
        return  # Network ATC deploys the switch and host vNICs from its intents
    for carrier in live_migration_carriers(ctx):
        switch: Switch | None
        vnic: HostVnic | None
        if isinstance(carrier, Switch):
            switch, vnic, where = carrier, None, f"switch {carrier.name}'s own host vNIC"
        elif isinstance(carrier, HostVnic):
            switch, vnic, where = ctx.host.switch(carrier.switch), carrier, carrier.name
        else:
            continue
        if switch is None or switch.bandwidth_mode is BandwidthMode.ABSOLUTE \
                or _rdma(ctx, switch) or not _shared(ctx, switch, vnic):
            continue  # absolute reservations (bits per second) are not read
        weighted = switch.bandwidth_mode is BandwidthMode.WEIGHT
        if weighted and vnic is not None and vnic.weight:
            continue
        if weighted and vnic is not None:  # the mode is set at creation; a weight is not
            how = (f"give it a weight: Set-VMNetworkAdapter -ManagementOS -Name \"{vnic.name}\" "
                   "-MinimumBandwidthWeight 40 (this service's value)")
        elif weighted:
            how = ("give live migration a host vNIC of its own with a weight "
                   "(Add-VMNetworkAdapter, then Set-VMNetworkAdapter -MinimumBandwidthWeight)")
        else:
            how = ("a switch takes weights only in Weight mode, chosen when it is created "
                   f"(check (Get-VMSwitch \"{switch.name}\").BandwidthReservationMode; New-VMSwitch "
                   "-MinimumBandwidthMode Weight), and live migration then needs a host vNIC with "
                   "a weight (this service designs 40, management 10, default flow 50)")
        yield Hit(f"Live migration on {ctx.host.name} runs over {where} on switch "
                  f"{switch.name}, shared with other traffic, with no minimum bandwidth: under "
                  f"contention it competes with the virtual machines; {how}. An advice, not a "
                  "requirement (WS513 says why).")


def _weighted(ctx: HostContext):
    for switch in ctx.host.switches:
        if switch.bandwidth_mode is BandwidthMode.WEIGHT:
            yield switch, [v for v in ctx.host.vnics if v.switch == switch.name and v.weight]


@rule("WS511", "Weights on a switch add up to about 100", S.INFO, S38.title, Scope.NODE,
      source=S38.url,
      quote=("Keep the sum of the weights near or under 100. The larger the value for weight, "
             "the higher rounding error or quantization error there is when QoS Packet "
             "Scheduler partitions the bandwidth among workloads."))
def weight_sum(ctx: HostContext):
    for switch, vnics in _weighted(ctx):
        default = (switch.default_flow_weight if switch.default_flow_weight is not None
                   else DEFAULT_FLOW_WEIGHT)
        total = sum(v.weight or 0 for v in vnics) + default
        if total > WEIGHT_SUM_GUIDANCE:
            yield Hit(f"The minimum-bandwidth weights on {ctx.host.name}'s switch {switch.name} "
                      f"add up to {total} (host vNICs and the default flow): Microsoft's "
                      "guidance keeps the sum near or under 100, where rounding is smallest.")


@rule("WS512", "Management weighted 5 or more", S.INFO, S38.title, Scope.NODE, source=S38.url,
      quote=("Assign a relatively large weight to critical workloads even if they don't require "
             "that percentage of bandwidth. ... So instead of assigning to each of them a weight "
             "of 1 or 2, you should assign each a weight of 5 or more."))
def critical_weight(ctx: HostContext):
    for _, vnics in _weighted(ctx):
        for vnic in vnics:
            if Traffic.MANAGEMENT in vnic.traffic and vnic.weight < CRITICAL_WEIGHT:
                yield Hit(f"Management host vNIC {vnic.name} on {ctx.host.name} has a weight of "
                          f"{vnic.weight}: critical traffic gets 5 or more even if it rarely "
                          "needs that share.")


@rule("WS513", "Weights on a SET switch: Microsoft's SET page leaves them in doubt", S.INFO,
      S5.title, Scope.NODE, source=S5.url,
      quote=("Virtual Machine QoS (VM-QoS). VM QoS is available but disabled by default. If you "
             "configure VM QoS in a SET environment, the QoS settings will cause unpredictable "
             "results."))
def weights_on_set(ctx: HostContext):
    for switch in ctx.host.switches:
        if switch.is_set and switch.bandwidth_mode is BandwidthMode.WEIGHT:
            yield Hit(f"SET switch {switch.name} on {ctx.host.name} is in minimum-bandwidth "
                      "Weight mode: Microsoft's SET page lists Virtual Machine QoS as not "
                      "compatible with SET (\"the QoS settings will cause unpredictable "
                      "results\") without saying whether switch weights are what it means. The "
                      "weights this service designs are its own values, guided by a Windows "
                      "Server 2012 page (S38); check live migration under load before relying "
                      "on them.")


RULES = (live_migration_floor, weight_sum, critical_weight, weights_on_set)

"""LM4xx: QoS and declared layouts."""
from __future__ import annotations

from ..catalogue import (
    BANDWIDTH, CONSIDERATIONS, TABLE,
    Hit, NodeContext, rule,
)
from ..model import Classification as C, Role, Severity as S
from .names import ROLE_NAMES, ROLE_TITLES


@rule("LM401", "QoS throttles outgoing traffic only", S.INFO, CONSIDERATIONS, "layout")
def qos_outbound_only(ctx: NodeContext):
    if ctx.layout.has_caps:
        yield Hit("The caps throttle outgoing traffic of this node only; for end-to-end QoS "
                  "configure your switches and routers too.")


@rule("LM402", "Teams expose one aggregated adapter for QoS", S.INFO, CONSIDERATIONS, "layout")
def qos_on_teams(ctx: NodeContext):
    for group in ctx.layout.groups:
        capped = [r for r in group.roles if ctx.layout.caps.get(r) is not None]
        if capped and group.profile.is_team:
            yield Hit(f"{group.label} is a team: the QoS caps work only if the teaming software "
                      "exposes one aggregated virtual adapter.")


@rule("LM403", "Cap the lower-priority role on a shared port", S.WARNING, BANDWIDTH, "layout",
      cap=C.SUPPORTED)
def shared_port_caps(ctx: NodeContext):
    layout = ctx.layout
    if layout.shares(Role.LIVE_MIGRATION, Role.CLUSTER_CSV) \
            and layout.caps[Role.LIVE_MIGRATION] is None:
        yield Hit(f"Live migration shares {layout.group_of(Role.CLUSTER_CSV).label} with "
                  "cluster/CSV without a cap: a migration can starve cluster heartbeats.",
                  cap=C.NOT_RECOMMENDED)
    if len(layout.group_of(Role.MANAGEMENT).roles) > 1 and layout.caps[Role.MANAGEMENT] is None:
        yield Hit(f"Management shares {layout.group_of(Role.MANAGEMENT).label} without a cap.")


@rule("LM404", "Caps only where the guide's QoS policies can enforce them", S.WARNING, BANDWIDTH,
      "layout")
def enforceable_caps(ctx: NodeContext):
    for role in (Role.VM_ACCESS, Role.CLUSTER_CSV):
        if ctx.layout.caps[role] is not None:
            yield Hit(f"A cap on {ROLE_NAMES[role]} cannot be enforced by the guide's QoS policies "
                      "(live migration port 6600, management source IP); no policy is written for it.")
    for role in (Role.MANAGEMENT, Role.LIVE_MIGRATION):
        group = ctx.layout.group_of(role)
        if ctx.layout.caps[role] is not None and len(group.roles) == 1:
            yield Hit(f"{ROLE_TITLES[role]} has {group.label} to itself; its cap only "
                      "wastes bandwidth.", severity=S.INFO)


@rule("LM405", "Virtual machine access through the virtual switch", S.WARNING, TABLE, "layout",
      cap=C.SUPPORTED)
def virtual_flags(ctx: NodeContext):
    layout = ctx.layout
    if not layout.virtual[Role.VM_ACCESS]:
        yield Hit("Virtual machine access is declared with virtual: false; virtual machines reach "
                  "the network only through a virtual network adapter.")
    for role in (Role.MANAGEMENT, Role.CLUSTER_CSV, Role.LIVE_MIGRATION):
        on_switch = layout.shares(role, Role.VM_ACCESS)
        if on_switch and not layout.virtual[role]:
            yield Hit(f"{ROLE_TITLES[role]} shares the virtual switch's port but is "
                      "declared virtual: false; the host reaches that port only through a "
                      "virtual network adapter.", unset_cap=True)
        if not on_switch and layout.virtual[role]:
            yield Hit(f"{ROLE_TITLES[role]} is declared virtual on a port without "
                      "virtual machine access.", severity=S.INFO, unset_cap=True)

"""LM4xx: QoS and declared layouts."""
from __future__ import annotations

from ....catalogue import (
    BANDWIDTH,
    CONSIDERATIONS,
    TABLE,
    Hit,
    NodeContext,
    Scope,
    rule,
)
from ....model import Classification as C, Role, Severity as S
from ....names import ROLE_NAMES, ROLE_TITLES


@rule("LM401", "QoS throttles outgoing traffic only", S.INFO, CONSIDERATIONS, Scope.LAYOUT,
      quote=(
          'The bandwidth throttling that is outlined in the following table provides control '
          'only for the outgoing traffic of a physical network adapter.'
      ))
def qos_outbound_only(ctx: NodeContext):
    if ctx.layout.has_caps:
        yield Hit("The caps throttle outgoing traffic of this node only; for end-to-end QoS "
                  "configure your switches and routers too.")


@rule("LM402", "Teams expose one aggregated adapter for QoS", S.INFO, CONSIDERATIONS, Scope.LAYOUT,
      quote=(
          'If you have teamed network adapters that are available to the Hyper-V management '
          'operating system, the QoS configuration that is discussed in this guide should work,'
          ' as long as the teaming software exposes an aggregated virtual network adapter.'
      ))
def qos_on_teams(ctx: NodeContext):
    for group in ctx.layout.groups:
        capped = [r for r in group.roles if ctx.layout.caps.get(r) is not None]
        if capped and group.profile.is_team:
            yield Hit(f"{group.label} is a team: the QoS caps work only if the teaming software "
                      "exposes one aggregated virtual adapter.")


@rule("LM403", "Cap the lower-priority role on a shared port", S.WARNING, BANDWIDTH, Scope.LAYOUT,
      cap=C.SUPPORTED,
      quote=(
          'You can manage the use of the bandwidth that is configured for live migration by '
          'configuring a QoS policy to limit TCP traffic on port 6600'
      ))
def shared_port_caps(ctx: NodeContext):
    layout = ctx.layout
    if layout.shares(Role.LIVE_MIGRATION, Role.CLUSTER_CSV) \
            and layout.caps[Role.LIVE_MIGRATION] is None:
        # Supported, not worse: the guide calls its caps examples, and its crash warning is for
        # 1 Gbps and public-team sharing, which LM203 rates not recommended on its own.
        yield Hit(f"Live migration shares {layout.group_of(Role.CLUSTER_CSV).label} with "
                  "cluster/CSV without a cap: a migration can starve cluster heartbeats.")
    if len(layout.group_of(Role.MANAGEMENT).roles) > 1 and layout.caps[Role.MANAGEMENT] is None:
        yield Hit(f"Management shares {layout.group_of(Role.MANAGEMENT).label} without a cap.")


@rule("LM404", "Caps only where the guide's QoS policies can enforce them", S.WARNING, BANDWIDTH,
      Scope.LAYOUT,
      quote=(
          'You can manage the use of the bandwidth that is configured for live migration by '
          'configuring a QoS policy to limit TCP traffic on port 6600 ... You can configure a '
          'QoS policy to limit the network traffic for the IP address used by the management '
          'operating system.'
      ))
def enforceable_caps(ctx: NodeContext):
    for role in (Role.VM_ACCESS, Role.CLUSTER_CSV):
        if ctx.layout.caps[role] is not None:
            yield Hit(f"A cap on {ROLE_NAMES[role]} cannot be enforced by the guide's QoS policies "
                      "(live migration port 6600, management source IP); no policy is written for it.")


@rule("LM407", "No cap on a role with a port to itself", S.INFO, BANDWIDTH, Scope.LAYOUT,
      quote=(
          'You can manage the use of the bandwidth that is configured for live migration by '
          'configuring a QoS policy to limit TCP traffic on port 6600 ... You can configure a '
          'QoS policy to limit the network traffic for the IP address used by the management '
          'operating system. (A cap leaves room for the roles beside it.)'
      ))
def caps_on_lone_roles(ctx: NodeContext):
    for role in (Role.MANAGEMENT, Role.LIVE_MIGRATION):
        group = ctx.layout.group_of(role)
        if ctx.layout.caps[role] is not None and len(group.roles) == 1:
            yield Hit(f"{ROLE_TITLES[role]} has {group.label} to itself; its cap only "
                      "wastes bandwidth.")


VIRTUAL_QUOTE = (
    'When a network adapter is connected to a virtual switch, it is referred to as a virtual '
    'network adapter.'
)


@rule("LM405", "Virtual machine access through the virtual switch", S.WARNING, TABLE, Scope.LAYOUT,
      cap=C.SUPPORTED,
      quote=VIRTUAL_QUOTE)
def virtual_flags(ctx: NodeContext):
    layout = ctx.layout
    if not layout.virtual[Role.VM_ACCESS]:
        yield Hit("Virtual machine access is declared with virtual: false; virtual machines reach "
                  "the network only through a virtual network adapter.")


@rule("LM408", "Host roles on the virtual switch's port through a virtual adapter", S.WARNING,
      TABLE, Scope.LAYOUT, quote=VIRTUAL_QUOTE)
def host_roles_virtual_on_switch(ctx: NodeContext):
    # No cap: the flag misdescribes a binding the host must have; the layout stays as rated.
    layout = ctx.layout
    for role in (Role.MANAGEMENT, Role.CLUSTER_CSV, Role.LIVE_MIGRATION):
        if layout.shares(role, Role.VM_ACCESS) and not layout.virtual[role]:
            yield Hit(f"{ROLE_TITLES[role]} traffic shares the virtual switch's port but is "
                      "declared virtual: false; the host reaches that port only through a "
                      "virtual network adapter.")


@rule("LM409", "Virtual adapters only on the virtual switch's port", S.INFO, TABLE,
      Scope.LAYOUT, quote=VIRTUAL_QUOTE)
def virtual_only_on_switch(ctx: NodeContext):
    layout = ctx.layout
    for role in (Role.MANAGEMENT, Role.CLUSTER_CSV, Role.LIVE_MIGRATION):
        if not layout.shares(role, Role.VM_ACCESS) and layout.virtual[role]:
            yield Hit(f"{ROLE_TITLES[role]} is declared virtual on a port without "
                      "virtual machine access.")


LIVE_MIGRATION_CAP_LIMIT = 90  # the highest cap the table gives live migration beside cluster/CSV


@rule("LM406", "Live migration capped at 90% or less beside cluster/CSV", S.WARNING, TABLE,
      Scope.LAYOUT,
      quote=(
          'The bandwidth capping values in the following table are examples. (The table caps '
          'live migration beside cluster/CSV at 40% to 90%.)'
      ))
def live_migration_cap_limit(ctx: NodeContext):
    layout = ctx.layout
    cap = layout.caps[Role.LIVE_MIGRATION]
    if layout.shares(Role.LIVE_MIGRATION, Role.CLUSTER_CSV) and cap is not None \
            and cap > LIVE_MIGRATION_CAP_LIMIT:
        yield Hit(f"Live migration is capped at {cap}% beside cluster/CSV on "
                  f"{layout.group_of(Role.CLUSTER_CSV).label}; the guide's table never gives it "
                  f"more than {LIVE_MIGRATION_CAP_LIMIT}%, leaving room for cluster heartbeats.")


# This module's rules, in code order (a ruleset is built from these tuples).
RULES = (
    qos_outbound_only,
    qos_on_teams,
    shared_port_caps,
    enforceable_caps,
    virtual_flags,
    live_migration_cap_limit,
    caps_on_lone_roles,
    host_roles_virtual_on_switch,
    virtual_only_on_switch,
)

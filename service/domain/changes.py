"""The Windows Server 2008 R2 ruleset's catalogue of changes the remediation planner may propose,
with what each costs.

A change is a value: its kind, what it says to do, what it costs, and how it changes the
description. Cluster-wide changes (settings, storage, splitting the cluster, addressing across
nodes) cost once; node changes (cabling, addressing, caps, moving roles, teams, hardware) cost
per node they touch. `COSTS` is the table docs/classification.md explains: a setting is cheaper
than cabling, cabling than moving roles, moving roles than buying hardware. The rule codes a
cluster-wide change clears are named here, next to the change.
"""
from __future__ import annotations

import ipaddress
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

from .assessment import assess
from .layout import Group
from .model import Adapter, Cluster, Network, Node, Placement, Role, RoleAssignment
from .names import ROLE_NAMES
from .ports import (
    GIGABIT,
    TEN_GIGABIT,
    Port,
    as_interface,
    build_ports,
    format_speed,
    shared_subnets,
)

if TYPE_CHECKING:
    from .ruleset import CapPolicy, Ruleset

# What each kind of change costs (per node for node changes). Integers, so that sums are exact.
COSTS = {
    "setting": 1,      # a cluster or host setting: no hardware, no cabling
    "cap": 1,          # a QoS policy's cap
    "cabling": 2,      # a port moved to a private network (switch port or cable)
    "addressing": 2,   # a port given another address
    "team": 3,         # a team dissolved (its members become ports of their own)
    "move_role": 3,    # a role moved to another port (a virtual adapter or binding changed)
    "topology": 5,     # the nodes split into clusters of at most 16
    "add_adapter": 10,  # a 1 Gbps adapter bought and installed; 10 Gbps costs 15
    "storage": 10,     # shared block storage provided
    "processors": 20,  # a node replaced by one with the cluster's processor vendor
}
ADAPTER_COSTS = {GIGABIT: COSTS["add_adapter"], TEN_GIGABIT: 15}
# The order steps are listed in: what must come first, then cheapest first.
STEP_ORDER = ("topology", "setting", "storage", "processors", "cabling", "addressing", "team",
              "cap", "move_role", "add_adapter")


@dataclass(frozen=True)
class Change:
    """One change: applied to a node (`node_change`) or to the whole description."""

    kind: str
    action: str
    cost: int
    key: str  # the same key on several nodes is one step naming those nodes
    node_change: Callable[[Node], Node] | None = None
    cluster_change: Callable[[Cluster], Cluster] | None = None
    fixes: frozenset = frozenset()  # cluster-wide finding codes it clears
    conflicts: frozenset = frozenset()  # changes of one node that touch the same thing
    audit: bool | None = None  # the description's mode after the change (None: unchanged)
    last: bool = False  # listed after every other step (it reads the layouts they leave)

    def to_node(self, node: Node) -> Node:
        """The node after this change (a node change)."""
        if self.node_change is None:
            raise ValueError(f"{self.key} changes no node")
        return self.node_change(node)

    def to_cluster(self, cluster: Cluster) -> Cluster:
        """The description after this change (a cluster-wide change)."""
        if self.cluster_change is None:
            raise ValueError(f"{self.key} changes no description")
        return self.cluster_change(cluster)


# ---- helpers on descriptions -------------------------------------------------------------------

def strip_roles(node: Node) -> Node:
    """The node without declared roles."""
    return replace(node, adapters=tuple(replace(a, roles=None) for a in node.adapters),
                   teams=tuple(replace(t, roles=None) for t in node.teams))


def declare(node: Node, layout: tuple[Placement, ...]) -> Node:
    """The node with `layout` declared as the roles of its ports."""
    by_port: dict[str, list[RoleAssignment]] = {}
    for p in layout:
        by_port.setdefault(p.port, []).append(
            RoleAssignment(p.role, p.virtual, p.bandwidth_cap_percent))
    return replace(
        node,
        adapters=tuple(replace(a, roles=tuple(by_port[a.name]) if a.name in by_port else None)
                       for a in node.adapters),
        teams=tuple(replace(t, roles=tuple(by_port[t.name]) if t.name in by_port else None)
                    for t in node.teams))


def declared(node: Node) -> dict[Role, tuple[str, RoleAssignment]]:
    """role -> (port name, assignment) of a node's declared layout."""
    return {a.role: (item.name, a) for item in node.items
            for a in item.roles or ()}


def _regroup(caps_policy: CapPolicy, node: Node, ports_of: dict[Role, str], recap: bool) -> Node:
    """The node with each role on the port `ports_of` names, virtual flags and (when `recap`)
    caps as the designer sets them for each port's group of roles."""
    profiles = {p.name: p.profile for p in build_ports(node)}
    current = declared(node)
    by_port: dict[str, list[Role]] = {}
    for role, port in ports_of.items():
        by_port.setdefault(port, []).append(role)
    layout = []
    for port, roles in by_port.items():
        virtual, caps = caps_policy.settings((Group(profiles[port], frozenset(roles)),))
        for role in roles:
            old = current[role][1]
            cap = caps[role] if recap or old.bandwidth_cap_percent is None and caps[role] \
                else old.bandwidth_cap_percent
            layout.append(Placement(role, port, virtual[role], cap))
    return declare(node, tuple(layout))


def _free_name(node: Node, stem: str) -> str:
    names = {a.name for a in node.adapters} | {t.name for t in node.teams}
    number = 1
    while f"{stem}{number}" in names:
        number += 1
    return f"{stem}{number}"


def _mark_private(names: tuple[str, ...]) -> Callable[[Node], Node]:
    def change(node: Node) -> Node:
        return replace(
            node,
            adapters=tuple(replace(a, network=Network.PRIVATE) if a.name in names or a.team in names
                           else a for a in node.adapters),
            teams=tuple(replace(t, network=Network.PRIVATE) if t.name in names else t
                        for t in node.teams))
    return change


def _dissolve(team: str) -> Callable[[Node], Node]:
    def change(node: Node) -> Node:
        t = next(t for t in node.teams if t.name == team)
        members = [a for a in node.adapters if a.team == team]
        first = min(members, key=lambda a: a.name).name
        return replace(
            node,
            teams=tuple(x for x in node.teams if x.name != team),
            # The team's address stays with one member; every member keeps its network.
            adapters=tuple(replace(a, team=None, network=a.network or t.network,
                                   vlan_id=a.vlan_id or t.vlan_id,
                                   address=(a.address or t.address) if a.name == first else None)
                           if a.team == team else a for a in node.adapters))
    return change


def _add_adapters(speeds: tuple[int, ...], redeclare: Callable[[Node], Node] | None):
    def change(node: Node) -> Node:
        for speed in speeds:
            name = _free_name(node, "NEW")
            node = replace(node, adapters=(*node.adapters, Adapter(name, speed, network=Network.PRIVATE)))
        return redeclare(node) if redeclare else node
    return change


Interface = ipaddress.IPv4Interface | ipaddress.IPv6Interface
Subnet = ipaddress.IPv4Network | ipaddress.IPv6Network


def fresh_subnets(cluster: Cluster) -> Callable[[str, Interface], str]:
    """A function giving a port a subnet no port of the cluster uses, the same one for the same
    port name on every node (so that a role keeps one subnet across nodes)."""
    used = {as_interface(item.address).network for n in cluster.nodes
            for item in n.items if item.address is not None}
    chosen: dict[tuple, Subnet] = {}

    def readdress(port: str, interface: Interface) -> str:
        old = interface.network
        key = (port, old.version, old.prefixlen)
        if key not in chosen:
            for k in range(1, 4097):  # the next free networks of the same size
                start = (int(old.network_address) + k * old.num_addresses) % (1 << old.max_prefixlen)
                network = ipaddress.ip_network((start, old.prefixlen))
                if network not in used:
                    break
            used.add(network)
            chosen[key] = network
        host = int(interface.ip) - int(old.network_address)
        return f"{chosen[key].network_address + host}/{old.prefixlen}"
    return readdress


def _own_subnets(cluster: Cluster) -> Callable[[Node], Node]:
    """Each port that shares a subnet with another of its node's ports, but the first by name,
    moved to a subnet of its own."""
    readdress = fresh_subnets(cluster)

    def change(node: Node) -> Node:
        moved = {name for _, names in shared_subnets(build_ports(node)) for name in names[1:]}
        ports = {p.name: p for p in build_ports(node)}

        def item(x):
            if x.name in moved and ports[x.name].interface is not None and x.address is not None:
                return replace(x, address=readdress(x.name, ports[x.name].interface))
            return x
        return replace(node, adapters=tuple(item(a) for a in node.adapters),
                       teams=tuple(item(t) for t in node.teams))
    return change


# ---- the catalogue -----------------------------------------------------------------------------

def cluster_changes(ruleset: Ruleset, cluster: Cluster, codes: set[str]) -> list[Change]:
    """Cluster-wide changes worth trying, each with the cluster finding codes it clears."""
    out = []

    def setting(action, change, fixes=(), kind="setting"):
        out.append(Change(kind, action, COSTS[kind], f"{kind}:{action}",
                          cluster_change=change, fixes=frozenset(fixes)))

    if not cluster.failover_clustering:
        setting("Enable failover clustering on the nodes.",
                lambda c: replace(c, failover_clustering=True), {"LM101"})
    if cluster.shared_storage in ("none", "smb"):
        setting("Provide shared block storage (an iSCSI or Fibre Channel SAN, or SAS) for "
                "Cluster Shared Volumes.", lambda c: replace(c, shared_storage="iscsi"),
                {"LM102", "LM109"}, kind="storage")
    if cluster.live_migration_ipsec and not cluster.live_migration_encryption_required:
        setting("Remove the IPsec policy from the live migration network.",
                lambda c: replace(c, live_migration_ipsec=False), {"LM106"})
    if cluster.live_migration_encryption_required and not cluster.live_migration_ipsec:
        setting("Apply an IPsec policy that encrypts live migration traffic (it must be "
                "encrypted; expect slower live migrations).",
                lambda c: replace(c, live_migration_ipsec=True), {"LM106"})
    if cluster.cluster_shared_volumes and cluster.csv_smb_bindings_enabled is False:
        setting("Enable Client for Microsoft Networks and File and Printer Sharing for Microsoft "
                "Networks on the cluster/CSV adapters.",
                lambda c: replace(c, csv_smb_bindings_enabled=True), {"LM107"})
    max_nodes = ruleset.limits.max_nodes
    if len(cluster.nodes) > max_nodes:
        setting(f"Split the nodes into clusters of at most {max_nodes}, in the "
                "order listed.", None, {"LM108"}, kind="topology")
    vendors = Counter(n.processor_vendor for n in cluster.nodes if n.processor_vendor)
    if len(vendors) > 1:
        vendor = min(vendors, key=lambda v: (-vendors[v], v))
        odd = [n for n in cluster.nodes if n.processor_vendor not in (None, vendor)]
        replaced = sorted({n.processor_vendor for n in odd if n.processor_vendor})
        out.append(Change(
            "processors", f"Replace the nodes with {', '.join(replaced)} "
            f"processors ({', '.join(n.name for n in odd)}) with {vendor} ones.",
            COSTS["processors"] * len(odd), "processors",
            cluster_change=lambda c: replace(c, nodes=tuple(
                replace(n, processor_vendor=vendor) if n.processor_vendor else n for n in c.nodes)),
            fixes=frozenset({"LM103"})))
    if "LM302" in codes:
        out.append(Change("addressing", "Give every port a unique IP address.",
                          COSTS["addressing"], "addressing:unique",
                          cluster_change=without_duplicate_addresses, fixes=frozenset({"LM302"})))
    return out


def node_settings_changes(ruleset: Ruleset, cluster: Cluster) -> list[Change]:
    """Cluster-wide settings that change how nodes are judged (their classes depend on them)."""
    out = []
    if cluster.tcp_chimney_offload:
        out.append(Change("setting", "Disable TCP Chimney Offload in the management operating "
                          "system (netsh int tcp set global chimney=disabled).", COSTS["setting"],
                          "setting:chimney",
                          cluster_change=lambda c: replace(c, tcp_chimney_offload=False)))
    if not cluster.redundant_cluster_path:
        out.append(Change("setting", "Allow cluster communication on a second network (in "
                          "Failover Cluster Manager, for example the management network: 'Allow "
                          "cluster network communication on this network'), so that cluster/CSV "
                          "traffic has a redundant path; then describe it with "
                          "redundant_cluster_path: true.", COSTS["setting"], "setting:redundant",
                          cluster_change=lambda c: replace(c, redundant_cluster_path=True)))
    return out


def node_changes(ruleset: Ruleset, cluster: Cluster, node: Node, ports: tuple[Port, ...],
                 layout: tuple[Placement, ...], designed: tuple[Placement, ...] | None,
                 alternative: tuple[Placement, ...] | None,
                 redeclare: Callable[[Node], Node] | None) -> list[Change]:
    """Changes worth trying on one node, given its ports, its layout, the layout design mode
    gives it (audit mode) and its alternative layout (design mode). In audit mode `redeclare`
    declares the layout design mode gives a changed node (hardware added); it is None in design
    mode."""
    audit = redeclare is not None
    out: list[Change] = []
    by_name = {p.name: p for p in ports}
    placed = {p.role: p.port for p in layout}
    # Cabling: the public ports that carry cluster/CSV or live migration, else the fastest public
    # ports apart from the one carrying VM access (design mode then places the roles there).
    public = [p for p in ports if p.profile.public]
    private_roles_ports = tuple(sorted({placed[r] for r in (Role.CLUSTER_CSV, Role.LIVE_MIGRATION)
                                        if by_name[placed[r]].profile.public}))
    fastest = [p.name for p in sorted(public, key=lambda p: (-p.profile.speed_mbps, p.name))
               if p.name != placed[Role.VM_ACCESS]]
    sets = {private_roles_ports} if private_roles_ports else set()
    if not audit:
        sets |= {tuple(fastest[:1]), tuple(sorted(fastest[:2]))}
    for names in sorted(s for s in sets if s):
        out.append(Change("cabling", f"Connect {' and '.join(names)} to a private network.",
                          COSTS["cabling"] * len(names), f"cabling:{','.join(names)}",
                          node_change=_mark_private(names), conflicts=frozenset({"cabling"})))
    if shared_subnets(ports):
        out.append(Change("addressing", "Give each port of a node its own subnet.",
                          COSTS["addressing"], "addressing:own-subnets",
                          node_change=_own_subnets(cluster)))
    if audit:
        out += _audit_changes(ruleset.caps, node, layout, designed)
    else:
        for team in sorted(node.teams, key=lambda t: t.name)[:3]:
            if any(a.team == team.name for a in node.adapters):
                out.append(Change("team", f"Dissolve team {team.name}: use its members as ports "
                                  "of their own.", COSTS["team"], f"team:{team.name}",
                                  node_change=_dissolve(team.name)))
        if alternative is not None:
            out.append(Change("move_role", "Lay the roles out as the alternative layout offered "
                              "for the node.", COSTS["move_role"], "move_role:alternative",
                              node_change=partial(declare, layout=alternative), audit=True))
    for speeds in ((GIGABIT,), (TEN_GIGABIT,), (GIGABIT, GIGABIT)):
        label = (f"two {format_speed(GIGABIT)} network adapters" if len(speeds) == 2
                 else f"a {format_speed(speeds[0])} network adapter")
        out.append(Change("add_adapter", f"Add {label} on a private network"
                          + (" and lay the roles out as design mode does." if audit else "."),
                          sum(ADAPTER_COSTS[s] for s in speeds), f"add:{speeds}",
                          node_change=_add_adapters(speeds, redeclare),
                          conflicts=frozenset({"hardware"})))
    return out


def _audit_changes(caps_policy: CapPolicy, node: Node, layout, designed) -> list[Change]:
    out: list[Change] = []
    current = {p.role: p for p in layout}
    shared = {r for r in current if sum(p.port == current[r].port for p in layout) > 1}
    if any(current[r].bandwidth_cap_percent is None for r in shared
           if r in (Role.MANAGEMENT, Role.LIVE_MIGRATION)):
        out.append(Change("cap", "Cap the lower-priority role on each shared port (live "
                          "migration beside cluster/CSV, management beside other traffic).",
                          COSTS["cap"], "cap:shared",
                          node_change=lambda n: _regroup(
                              caps_policy, n, {r: p.port for r, p in current.items()},
                              recap=False)))
    if designed is None:
        return out
    target = {p.role: p.port for p in designed}
    moves = [r for r in Role if target[r] != current[r].port]
    for role in moves:
        ports_of = {r: current[r].port for r in Role} | {role: target[role]}
        out.append(Change("move_role", f"Move {ROLE_NAMES[role]} to {target[role]}, as design "
                          "mode places it.", COSTS["move_role"], f"move:{role.value}:{target[role]}",
                          node_change=partial(_regroup, caps_policy, ports_of=ports_of,
                                              recap=True),
                          conflicts=frozenset({f"move:{role.value}", "redesign"})))
    if len(moves) > 1:
        out.append(Change("move_role", "Lay out every role as design mode does ("
                          + ", ".join(f"{ROLE_NAMES[r]} on {target[r]}" for r in moves) + ").",
                          COSTS["move_role"] * len(moves), "move:all",
                          node_change=lambda n: declare(n, designed),
                          conflicts=frozenset({"redesign", *(f"move:{r.value}" for r in moves)})))
    return out


def _align_once(ruleset: Ruleset, cluster: Cluster) -> Cluster:
    """Each role's port moved onto the subnet most nodes use for that role (a free host of it);
    a port of the node already on that subnet moves to a subnet of its own, so that the node's
    ports stay apart."""
    evaluation = assess(ruleset, cluster)
    ports = {n.name: {p.name: p for p in build_ports(n)} for n in cluster.nodes}
    used = {as_interface(x.address).ip for n in cluster.nodes for x in n.items
            if x.address is not None}
    fresh = fresh_subnets(cluster)
    moves: dict[tuple[str, str], str] = {}
    free_hosts: dict = {}  # network -> its hosts, consumed as they are handed out
    for role in Role:
        where = {}
        for ne in evaluation.nodes:
            port = next(p.port for p in ne.layout if p.role is role)
            interface = ports[ne.name][port].interface
            if interface is not None:
                where[(ne.name, port)] = interface
        networks = [i.network for i in where.values()]
        if len(set(networks)) < 2:
            continue
        majority = max(set(networks), key=lambda n: (networks.count(n), -int(n.network_address)))
        for (name, port), interface in sorted(where.items()):
            if interface.network == majority or (name, port) in moves:
                continue
            hosts = free_hosts.setdefault(majority, majority.hosts())
            free = next((h for h in hosts if h not in used), None)
            if free is None:
                continue
            used.add(free)
            moves[(name, port)] = f"{free}/{majority.prefixlen}"
            for other in ports[name].values():
                # On the majority's subnet, so addressed (the check is for the type checker).
                if other.name != port and other.subnet == majority \
                        and other.interface is not None and (name, other.name) not in moves:
                    moves[(name, other.name)] = fresh(other.name, other.interface)

    def readdress(node: Node) -> Node:
        def item(x):
            return replace(x, address=moves[(node.name, x.name)]) if (node.name, x.name) in moves \
                else x
        return replace(node, adapters=tuple(item(a) for a in node.adapters),
                       teams=tuple(item(t) for t in node.teams))
    return replace(cluster, nodes=tuple(readdress(n) for n in cluster.nodes))


def across_nodes(ruleset: Ruleset) -> tuple[Change, ...]:
    """Roles on one subnet across nodes. Two passes: moving addresses can move design mode's
    choice between equal ports (it prefers the lower subnet), which the second pass follows.
    The nodes it moves are re-assessed, and counted, when the plan is checked; a plan it does
    not fix is dropped."""
    return (Change("addressing", "Put each role on one subnet on every node (a VLAN where the "
                   "nodes are on several sites): readdress the ports listed in LM301 "
                   "(LM305-LM307 without Cluster Shared Volumes).",
                   COSTS["addressing"], "addressing:align",
                   cluster_change=lambda c: _align_once(ruleset, _align_once(ruleset, c)),
                   fixes=frozenset({"LM301", "LM305", "LM306", "LM307"}),
                   last=True),)



def without_duplicate_addresses(cluster: Cluster) -> Cluster:
    """The description with each repeated address moved to a free host of its subnet."""
    used = {as_interface(x.address).ip for n in cluster.nodes for x in n.items
            if x.address is not None}
    seen: set = set()
    free_hosts: dict = {}  # network -> its hosts, consumed as they are handed out

    def unique(item):
        if item.address is None:
            return item
        interface = as_interface(item.address)
        if interface.ip not in seen:
            seen.add(interface.ip)
            return item
        hosts = free_hosts.setdefault(interface.network, interface.network.hosts())
        free = next((h for h in hosts if h not in used), None)
        if free is None:
            return replace(item, address=None)
        used.add(free)
        seen.add(free)
        return replace(item, address=f"{free}/{interface.network.prefixlen}")

    return replace(cluster, nodes=tuple(
        replace(n, adapters=tuple(unique(a) for a in n.adapters),
                teams=tuple(unique(t) for t in n.teams)) for n in cluster.nodes))

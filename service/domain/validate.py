"""Checks on a cluster description that no single field can make: names, teams and declared roles.

Each problem is a (path, message) pair: the path is the field's keys and indices from the
description's root, e.g. ("nodes", 0, "adapters", 1, "team"); the edge writes it as a JSON pointer.
"""
from __future__ import annotations

import ipaddress
import re

from .model import ROLES, Adapter, Cluster, Node, Team
from .selection import declares_ws2016_layout, fact, ruleset_of

Path = tuple[str | int, ...]  # keys and list indices from the description's root

# Characters no name may carry: controls (NUL, ESC and BEL reach a script's reader's terminal),
# line and paragraph separators, bidirectional overrides and isolates (they reorder what a
# reader sees), and Unicode noncharacters (U+FFFE and U+FFFF make XML ill-formed).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
              for plane in range(17))
    + "]")


def unsafe_character(text: str | None) -> str | None:
    """The first character of text that no name may carry, as U+XXXX, or None."""
    found = _UNSAFE.search(text or "")
    return None if found is None else f"U+{ord(found.group()):04X}"


def _names(cluster: Cluster):
    """(path, text) of every name in a description, team references included."""
    yield ("name",), cluster.name
    for i, node in enumerate(cluster.nodes):
        yield ("nodes", i, "name"), node.name
        for j, adapter in enumerate(node.adapters):
            yield ("nodes", i, "adapters", j, "name"), adapter.name
            yield ("nodes", i, "adapters", j, "team"), adapter.team
        for k, team in enumerate(node.teams):
            yield ("nodes", i, "teams", k, "name"), team.name
        for k, switch in enumerate(fact(node, "switches") or ()):
            yield ("nodes", i, "switches", k, "name"), switch.name
            for m, member in enumerate(switch.members):
                yield ("nodes", i, "switches", k, "members", m), member
        for k, vnic in enumerate(fact(node, "host_vnics") or ()):
            for key in ("name", "switch", "mapped_to"):
                yield ("nodes", i, "host_vnics", k, key), getattr(vnic, key)


def _comparable(attribute: str, value):
    """Addresses may come as text or parsed; compare them parsed."""
    if attribute == "address" and isinstance(value, str):
        return ipaddress.ip_interface(value)
    return value


def _repeats(named) -> list[tuple[Path, str]]:
    """(path, name) of each item whose name an earlier item already has."""
    seen, out = set(), []
    for path, name in named:
        if name in seen:
            out.append((path, name))
        seen.add(name)
    return out


def _team_members(node: Node, i: int, problems: list) -> None:
    teams = {t.name for t in node.teams}
    for j, adapter in enumerate(node.adapters):
        if adapter.team is not None and adapter.team not in teams:
            problems.append((("nodes", i, "adapters", j, "team"),
                             f"team '{adapter.team}' is not declared in this node's teams"))
        if adapter.team is not None and adapter.roles is not None:
            problems.append((("nodes", i, "adapters", j, "roles"),
                             f"declare roles on team '{adapter.team}': a team member is not a port"))
    for k, team in enumerate(node.teams):
        members = [a for a in node.adapters if a.team == team.name]
        if not members:
            problems.append((("nodes", i, "teams", k), f"team '{team.name}' has no member adapter"))
        for attribute in ("network", "vlan_id", "address"):
            values = {_comparable(attribute, getattr(a, attribute)) for a in members} - {None}
            own = _comparable(attribute, getattr(team, attribute))
            if len(values) > 1 or (own is not None and values - {own}):
                problems.append((("nodes", i, "teams", k, attribute),
                                 f"team '{team.name}' and its members disagree on {attribute}"))


def _declared_roles(node: Node, i: int, problems: list) -> None:
    places: dict = {}
    kinds: tuple[tuple[str, tuple[Adapter | Team, ...]], ...] = (
        ("adapters", node.adapters), ("teams", node.teams))
    for kind, items in kinds:
        for j, item in enumerate(items):
            for r, assignment in enumerate(item.roles or ()):
                path = ("nodes", i, kind, j, "roles", r, "role")
                if assignment.role in places:
                    problems.append((path, f"role '{assignment.role.value}' is declared twice "
                                           "on this node"))
                places.setdefault(assignment.role, path)
    for role in ROLES:
        if role not in places:
            problems.append((("nodes", i), f"audit mode: role '{role.value}' is not declared on "
                                            "any adapter or team of this node"))


def problems(cluster: Cluster) -> list[tuple[Path, str]]:
    """Every cross-field problem of a description; empty when it can be evaluated."""
    found: list[tuple[Path, str]] = []
    for path, text in _names(cluster):
        character = unsafe_character(text)
        if character is not None:
            found.append((path, f"a name may not contain the control or non-character "
                                f"{character}"))
    nodes = [(("nodes", i, "name"), n.name) for i, n in enumerate(cluster.nodes)]
    for path, name in _repeats(nodes):
        found.append((path, f"duplicate node name '{name}'"))
    for i, node in enumerate(cluster.nodes):
        named = [(("nodes", i, "adapters", j, "name"), a.name) for j, a in enumerate(node.adapters)]
        named += [(("nodes", i, "teams", k, "name"), t.name) for k, t in enumerate(node.teams)]
        for path, name in _repeats(named):
            found.append((path, f"duplicate adapter or team name '{name}' in this node"))
        _team_members(node, i, found)
        if cluster.audit_mode and ruleset_of(cluster) == "ws2008r2":
            _declared_roles(node, i, found)
    found += _ruleset_fields(cluster)
    if ruleset_of(cluster) == "ws2016":
        found += _rdma_kinds(cluster)
    return found


def _rdma_kinds(cluster: Cluster) -> list[tuple[Path, str]]:
    """An RDMA kind comes with `"rdma": true`: with false it contradicts it, and without rdma
    the service would have to guess whether RDMA is enabled."""
    found: list[tuple[Path, str]] = []
    for i, node in enumerate(cluster.nodes):
        for j, adapter in enumerate(node.adapters):
            if fact(adapter, "rdma_kind") is not None and fact(adapter, "rdma") is not True:
                found.append((("nodes", i, "adapters", j, "rdma_kind"),
                              "an RDMA kind is read with \"rdma\": true (RDMA enabled on the "
                              "adapter); send it, or leave the kind out"))
    return found


# The fields only the Windows Server 2016 and later ruleset reads, and those it does not read
# (it designs the host networking from the adapters: declared layouts, teams and addressing are
# the 2008 R2 guide's). A field the chosen ruleset does not read is refused, never dropped.
WS2016_CLUSTER = ("azure_local", "network_atc", "storage_interconnect",
                  "max_simultaneous_live_migrations", "switchless_links",
                  "live_migration_transport", "smb_bandwidth_limit_live_migration_bytes_per_second",
                  "dcb")
WS2016_NODE = ("os_version", "switches", "host_vnics", "host_qos_throttles")
WS2016_ADAPTER = ("rdma", "rdma_kind", "make", "model", "firmware", "driver", "traffic")
# What the ws2016 ruleset reads only of a declared layout (audit mode): the designer decides
# them in design mode, so there they are refused rather than overridden.
WS2016_AUDIT_CLUSTER = ("live_migration_transport",
                        "smb_bandwidth_limit_live_migration_bytes_per_second", "dcb")
WS2016_AUDIT_NODE = ("host_qos_throttles",)
WS2016_AUDIT_ADAPTER = ("network", "vlan_id")
WS2008R2_CLUSTER = ("failover_clustering", "cluster_shared_volumes", "redundant_cluster_path",
                    "live_migration_ipsec", "live_migration_encryption_required",
                    "tcp_chimney_offload", "csv_smb_bindings_enabled")
WS2008R2_NODE = ("processor_vendor", "management_ip")
WS2008R2_ADAPTER = ("team", "network", "vlan_id", "address", "roles")
_ONLY_2016 = ("read by the ws2016 ruleset only: send \"ruleset\": \"ws2016\" to use it (the "
              "2008 R2 guide does not read it)")
_NOT_2016 = ("not read by the ws2016 ruleset (a layout is declared with a node's switches, "
             "host_vnics and an adapter's traffic; teams, roles and addresses are the 2008 R2 "
             "guide's): remove it, or send \"ruleset\": \"ws2008r2\"")
_AUDIT_ONLY = ("read by the ws2016 ruleset in audit mode only, when the layout is declared (a "
               "node's switches, host_vnics or an adapter's traffic); in design mode the designer "
               "chooses it: remove it, or declare the layout")


def _ruleset_fields(cluster: Cluster) -> list[tuple[Path, str]]:
    """Each field given that the description's ruleset does not read."""
    ws2016 = ruleset_of(cluster) == "ws2016"
    if ws2016 and declares_ws2016_layout(cluster):
        return _ws2016_audit(cluster)
    given: frozenset[str] = getattr(cluster, "given", frozenset())
    cluster_fields, node_fields, adapter_fields, why = (
        (WS2008R2_CLUSTER, WS2008R2_NODE, WS2008R2_ADAPTER, _NOT_2016) if ws2016 else
        (WS2016_CLUSTER, WS2016_NODE, WS2016_ADAPTER, _ONLY_2016))
    found: list[tuple[Path, str]] = []
    for name in cluster_fields:
        # A default cannot tell whether it was sent: the fields given say so.
        if name in given or (name not in WS2008R2_CLUSTER and fact(cluster, name) is not None):
            found.append(((name,), _AUDIT_ONLY if name in WS2016_AUDIT_CLUSTER and ws2016
                          else why))
    if ws2016:
        found += _links(cluster)
        found += [((name,), _AUDIT_ONLY) for name in WS2016_AUDIT_CLUSTER
                  if fact(cluster, name) is not None]
        for i, node in enumerate(cluster.nodes):
            found += [(("nodes", i, name), _AUDIT_ONLY) for name in WS2016_AUDIT_NODE
                      if fact(node, name) is not None]
    if not ws2016 and cluster.shared_storage == "storage_spaces_direct":
        found.append((("shared_storage",), f"'storage_spaces_direct' is {_ONLY_2016}"))
    for i, node in enumerate(cluster.nodes):
        for name in node_fields:
            if fact(node, name) is not None:
                found.append((("nodes", i, name), why))
        if ws2016 and node.teams:
            found.append((("nodes", i, "teams"), why))
        for j, adapter in enumerate(node.adapters):
            if not ws2016 and type(adapter) is Adapter:
                continue  # a plain adapter carries no ws2016 fact (the common case, kept cheap)
            for name in adapter_fields:
                if fact(adapter, name) is not None:
                    found.append((("nodes", i, "adapters", j, name),
                                  _AUDIT_ONLY if ws2016 and name in WS2016_AUDIT_ADAPTER
                                  else why))
    return found


def _ws2016_audit(cluster: Cluster) -> list[tuple[Path, str]]:
    """A declared ws2016 layout: every node declares one, and its names resolve (members are the
    node's adapters, each under one switch at most; a host vNIC's switch and mapped member
    exist). The guide's own fields stay refused."""
    found = _links(cluster)
    for i, node in enumerate(cluster.nodes):
        if not getattr(node, "declares_layout", False):
            found.append((("nodes", i), "audit mode (another node declares its layout): declare "
                                        "this node's switches, host_vnics or adapters' traffic "
                                        "too"))
        for name in WS2008R2_NODE:
            if fact(node, name) is not None:
                found.append((("nodes", i, name), _NOT_2016))
        if node.teams:
            found.append((("nodes", i, "teams"), _NOT_2016))
        adapters = {a.name: a for a in node.adapters}
        for j, adapter in enumerate(node.adapters):
            for name in ("team", "address", "roles"):
                if fact(adapter, name) is not None:
                    found.append((("nodes", i, "adapters", j, name), _NOT_2016))
        found += _switches(node, i, adapters)
    given: frozenset[str] = getattr(cluster, "given", frozenset())
    found += [((name,), _NOT_2016) for name in WS2008R2_CLUSTER if name in given]
    return found


def _switches(node: Node, i: int, adapters: dict) -> list[tuple[Path, str]]:
    """The names a node's declared switches and host vNICs use resolve, once each."""
    found: list[tuple[Path, str]] = []
    switches = fact(node, "switches") or ()
    vnics = fact(node, "host_vnics") or ()
    for path, name in _repeats([(("nodes", i, "switches", k, "name"), s.name)
                                for k, s in enumerate(switches)]):
        found.append((path, f"duplicate switch name '{name}' in this node"))
    for path, name in _repeats([(("nodes", i, "host_vnics", k, "name"), v.name)
                                for k, v in enumerate(vnics)]):
        found.append((path, f"duplicate host vNIC name '{name}' in this node"))
    under: dict[str, str] = {}
    for k, switch in enumerate(switches):
        for m, member in enumerate(switch.members):
            path = ("nodes", i, "switches", k, "members", m)
            if member not in adapters:
                found.append((path, f"no adapter named '{member}' in this node"))
            elif member in under:
                found.append((path, f"'{member}' is already under switch '{under[member]}'"))
            elif fact(adapters[member], "traffic"):
                found.append((path, f"'{member}' declares its own traffic: an adapter under a "
                                    "switch carries the switch's"))
            under.setdefault(member, switch.name)
        if switch.default_flow_weight is not None and switch.bandwidth_mode != "weight":
            found.append((("nodes", i, "switches", k, "default_flow_minimum_bandwidth_weight"),
                          _WEIGHT_MODE.format(f"switch '{switch.name}'")))
    by_name = {s.name: s for s in switches}
    for k, vnic in enumerate(vnics):
        switch = by_name.get(vnic.switch)
        if switch is None:
            found.append((("nodes", i, "host_vnics", k, "switch"),
                          f"no switch named '{vnic.switch}' in this node"))
        elif vnic.mapped_to is not None and vnic.mapped_to not in switch.members:
            found.append((("nodes", i, "host_vnics", k, "mapped_to"),
                          f"'{vnic.mapped_to}' is not a member of switch '{switch.name}'"))
        elif vnic.weight is not None and switch.bandwidth_mode != "weight":
            found.append((("nodes", i, "host_vnics", k, "minimum_bandwidth_weight"),
                          _WEIGHT_MODE.format(f"its switch '{switch.name}'")))
    return found


# Set-VMSwitch: "Specify a value for this parameter only if the minimum bandwidth mode on this
# virtual switch is weight"; the mode is chosen when the switch is created (New-VMSwitch).
_WEIGHT_MODE = ("a minimum-bandwidth weight needs {} in weight mode: declare its "
                "minimum_bandwidth_mode \"weight\" (New-VMSwitch -MinimumBandwidthMode Weight)")


def _links(cluster: Cluster) -> list[tuple[Path, str]]:
    """Switchless links name two different nodes of the cluster, and come with a switchless
    interconnect (a switched one would leave them unread)."""
    links = fact(cluster, "switchless_links")
    if not links:
        return []
    if fact(cluster, "storage_interconnect") != "switchless":
        return [(("switchless_links",), "direct links apply to \"storage_interconnect\": "
                                        "\"switchless\"")]
    names = {n.name for n in cluster.nodes}
    found: list[tuple[Path, str]] = []
    for k, (a, b, _count) in enumerate(links):
        if a == b:
            found.append((("switchless_links", k, "nodes"), f"a link joins two nodes, not "
                                                            f"'{a}' to itself"))
        for name in sorted({a, b} - names):
            found.append((("switchless_links", k, "nodes"), f"no node named '{name}'"))
    return found

"""Properties of design mode that the spec promises beyond the table (section 5).

Random node inventories: 1-8 adapters with speeds from SPEEDS, optionally one team of 2-3 members
(link aggregation or failover, network public/private/unknown), lone adapters public/private/unknown.
"""
from __future__ import annotations

import ipaddress
import os
from collections import Counter
from dataclasses import replace

from hypothesis import HealthCheck, assume, given, settings, strategies as st

from service.domain.evaluate import evaluate
from tests.profiles import examples
from service.domain.model import Adapter, Classification, Cluster, Node, Role, Team

try:
    from builders import port_address, port_info, port_names
except ImportError:  # tests/unit imported as a package
    from tests.unit.builders import port_address, port_info, port_names

SPEEDS = [100, 1000, 2500, 10000, 25000, 40000]
NETWORKS = [None, "public", "private"]
MODES = ["link_aggregation", "failover"]

PROPERTY_SETTINGS = settings(
    # PROPERTY_EXAMPLES runs deeper than the profile (the closing notes record runs of 500).
    max_examples=int(os.environ.get("PROPERTY_EXAMPLES") or examples(150)), deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# ---- strategies --------------------------------------------------------------------------------

@st.composite
def node_specs(draw):
    """(lone adapters as (speed, network), team as (member speeds, mode, network) or None)."""
    team = None
    members = 0
    if draw(st.booleans()):
        members = draw(st.integers(2, 3))
        team = (tuple(draw(st.lists(st.sampled_from(SPEEDS), min_size=members, max_size=members))),
                draw(st.sampled_from(MODES)), draw(st.sampled_from(NETWORKS)))
    count = draw(st.integers(0 if team else 1, 8 - members))
    lone = tuple(draw(st.lists(st.tuples(st.sampled_from(SPEEDS), st.sampled_from(NETWORKS)),
                               min_size=count, max_size=count)))
    return lone, team


def build(name: str, spec, vendor: str | None = "intel") -> Node:
    lone, team = spec
    adapters = [Adapter(f"NIC{i + 1}", speed, network=net) for i, (speed, net) in enumerate(lone)]
    teams = ()
    if team is not None:
        speeds, mode, network = team
        adapters += [Adapter(f"NIC{len(lone) + j + 1}", s, team="TEAM1") for j, s in enumerate(speeds)]
        teams = (Team("TEAM1", mode, network),)
    return Node(name, tuple(adapters), teams, processor_vendor=vendor)


def one_node(spec) -> Cluster:
    return Cluster((build("hv01", spec),))


def port_signature(n: Node, name: str) -> tuple:
    """What makes two ports interchangeable: speed, teaming, member speeds, network, address."""
    team = next((t for t in n.teams if t.name == name), None)
    if team is not None:
        members = [a for a in n.adapters if a.team == name]
        network = team.network or next((a.network for a in members if a.network), None)
        member_speeds = tuple(sorted(a.speed_mbps for a in members))
    else:
        a = next(a for a in n.adapters if a.name == name)
        network, member_speeds = a.network, (a.speed_mbps,)
    return (*port_info(n, name), member_speeds, network, port_address(n, name))


def layout_signature(n: Node, node_evaluation) -> tuple:
    """A layout with port names replaced by what the ports are, and the roles grouped by port."""
    per_role = tuple(
        (p.role, port_signature(n, p.port), p.virtual, p.bandwidth_cap_percent)
        for p in sorted(node_evaluation.layout, key=lambda p: p.role.value)
    )
    groups = frozenset(
        frozenset(p.role for p in node_evaluation.layout if p.port == port)
        for port in {p.port for p in node_evaluation.layout}
    )
    return per_role, groups


# ---- monotonicity ------------------------------------------------------------------------------

@PROPERTY_SETTINGS
@given(spec=node_specs(), speed=st.sampled_from(SPEEDS),
       network=st.sampled_from([None, "public", "private"]), into_team=st.booleans())
def test_adding_an_adapter_never_lowers_best_classification(spec, speed, network, into_team):
    before = one_node(spec)
    n = before.nodes[0]
    assume(len(n.adapters) < 32)
    if into_team and n.teams:  # a new member of the node's team
        added = Adapter("ADDED", speed, team=n.teams[0].name)
    else:
        added = Adapter("ADDED", speed, network=network)
    after = Cluster((replace(n, adapters=(*n.adapters, added)),))
    b, a = evaluate(before).best_classification, evaluate(after).best_classification
    assert a.rank >= b.rank, (b, a)


@PROPERTY_SETTINGS
@given(spec=node_specs(), data=st.data())
def test_a_faster_adapter_never_lowers_best_classification(spec, data):
    before = one_node(spec)
    n = before.nodes[0]
    index = data.draw(st.integers(0, len(n.adapters) - 1), label="adapter")
    faster_speeds = [s for s in SPEEDS if s > n.adapters[index].speed_mbps]
    assume(faster_speeds)
    speed = data.draw(st.sampled_from(faster_speeds), label="speed")
    adapters = list(n.adapters)
    adapters[index] = replace(adapters[index], speed_mbps=speed)
    after_eval = evaluate(Cluster((replace(n, adapters=tuple(adapters)),)))
    # The spec's exception: the faster inventory is one of the table's rows (the table stands).
    assume(after_eval.reference_configuration is None)
    b, a = evaluate(before).best_classification, after_eval.best_classification
    assert a.rank >= b.rank, (b, a)


# ---- renaming and reordering -------------------------------------------------------------------

@st.composite
def renamed_clusters(draw):
    """(cluster, renamed and reordered cluster, new node name -> old node name,
    per new node name: new port name -> old port name)."""
    specs = draw(st.lists(node_specs(), min_size=1, max_size=3))
    nodes = [build(f"hv{i + 1:02d}", spec) for i, spec in enumerate(specs)]
    original = Cluster(tuple(nodes))
    node_numbers = draw(st.permutations(range(len(nodes))))
    new_nodes = []
    node_back: dict[str, str] = {}
    port_back: dict[str, dict[str, str]] = {}
    for n, number in zip(nodes, node_numbers):
        old_names = [a.name for a in n.adapters] + [t.name for t in n.teams]
        numbers = draw(st.permutations(range(len(old_names))))
        mapping = {old: f"port-{k:02d}-{draw(st.sampled_from('abcxyz'))}"
                   for old, k in zip(old_names, numbers)}
        adapters = [replace(a, name=mapping[a.name],
                            team=mapping[a.team] if a.team is not None else None)
                    for a in n.adapters]
        teams = [replace(t, name=mapping[t.name]) for t in n.teams]
        adapters = draw(st.permutations(adapters))
        teams = draw(st.permutations(teams))
        new_name = f"node-{number:02d}"
        new_nodes.append(replace(n, name=new_name, adapters=tuple(adapters), teams=tuple(teams)))
        node_back[new_name] = n.name
        port_back[new_name] = {new: old for old, new in mapping.items()}
    new_nodes = draw(st.permutations(new_nodes))
    return original, Cluster(tuple(new_nodes)), node_back, port_back


@PROPERTY_SETTINGS
@given(case=renamed_clusters())
def test_renaming_and_reordering_changes_nothing(case):
    original, renamed, node_back, port_back = case
    e1, e2 = evaluate(original), evaluate(renamed)
    assert e2.classification is e1.classification
    assert e2.best_classification is e1.best_classification
    assert e2.classification_source == e1.classification_source
    assert e2.reference_configuration == e1.reference_configuration
    assert Counter(f.code for f in e2.findings) == Counter(f.code for f in e1.findings)
    assert Counter((f.code, f.severity, f.classification_cap, node_back.get(f.node))
                   for f in e2.findings) == \
        Counter((f.code, f.severity, f.classification_cap, f.node) for f in e1.findings)
    old_nodes = {n.name: n for n in original.nodes}
    old_evals = {ne.name: ne for ne in e1.nodes}
    for new_node in renamed.nodes:
        new_eval = next(ne for ne in e2.nodes if ne.name == new_node.name)
        old_name = node_back[new_node.name]
        old_node, old_eval = old_nodes[old_name], old_evals[old_name]
        assert new_eval.classification is old_eval.classification
        assert new_eval.classification_source == old_eval.classification_source
        assert new_eval.reference_configuration == old_eval.reference_configuration
        # Up to the renaming: map the new layout's ports back to their old names; among
        # interchangeable ports (same speed, teaming, network, address) either may be chosen.
        mapped = [replace(p, port=port_back[new_node.name][p.port]) for p in new_eval.layout]
        assert layout_signature(old_node, replace(new_eval, layout=tuple(mapped))) == \
            layout_signature(old_node, old_eval)


# ---- identical nodes ---------------------------------------------------------------------------

@PROPERTY_SETTINGS
@given(spec=node_specs(), k=st.integers(2, 16))  # a 2008 R2 failover cluster has at most 16
def test_identical_nodes_classify_like_one_node(spec, k):
    single = evaluate(Cluster((build("hv01", spec, "intel"),)))
    many = evaluate(Cluster(tuple(build(f"hv{i + 1:02d}", spec, "intel") for i in range(k))))
    assert many.classification is single.classification
    assert many.best_classification is single.best_classification


# ---- the cluster's classification --------------------------------------------------------------

@st.composite
def clusters(draw):
    specs = draw(st.lists(node_specs(), min_size=1, max_size=4))
    vendors = st.sampled_from(["intel", "amd", None])
    nodes = tuple(build(f"hv{i + 1:02d}", spec, draw(vendors)) for i, spec in enumerate(specs))
    return Cluster(
        nodes,
        failover_clustering=draw(st.booleans()),
        shared_storage=draw(st.sampled_from(["iscsi", "fibre_channel", "sas", "smb", "none"])),
        cluster_shared_volumes=draw(st.booleans()),
        redundant_cluster_path=draw(st.booleans()),
        live_migration_ipsec=draw(st.booleans()),
        live_migration_encryption_required=draw(st.booleans()),
        tcp_chimney_offload=draw(st.booleans()),
        csv_smb_bindings_enabled=draw(st.sampled_from([None, True, False])),
    )


@PROPERTY_SETTINGS
@given(c=clusters())
def test_cluster_classification_is_worst_of_nodes_and_cluster_findings(c):
    e = evaluate(c)
    caps = [f.classification_cap for f in e.findings if f.node is None and f.classification_cap]
    assert e.classification is Classification.worst([ne.classification for ne in e.nodes] + caps)


# ---- the same subnet per role on every node ----------------------------------------------------

@st.composite
def addressed_clusters(draw):
    """2-3 nodes of identical hardware; lone adapter i on 10.0.<i>.0/24 with host part = node
    number; adapter order (and adapter names) differ between nodes."""
    lone, team = draw(node_specs())
    k = draw(st.integers(2, 3))
    rename = draw(st.booleans())
    nodes = []
    for number in range(1, k + 1):
        base = build(f"hv{number:02d}", (lone, team))
        names = list(range(1, len(lone) + 1))
        if rename:
            names = draw(st.permutations(names))
        adapters = [
            replace(a, address=f"10.0.{i}.{number}/24", name=f"LAN{names[i]}")
            for i, a in enumerate(base.adapters[:len(lone)])
        ] + list(base.adapters[len(lone):])
        nodes.append(replace(base, adapters=tuple(draw(st.permutations(adapters))),
                             management_ip=None))
    return Cluster(tuple(nodes))


def _subnet(address: str | None):
    if address is None:
        return None
    return ipaddress.ip_interface(address).network


@PROPERTY_SETTINGS
@given(c=addressed_clusters())
def test_a_role_lands_on_one_subnet_on_every_node(c):
    e = evaluate(c)
    nodes = {n.name: n for n in c.nodes}
    for role in Role:
        subnets = {
            _subnet(port_address(nodes[ne.name], next(p.port for p in ne.layout if p.role is role)))
            for ne in e.nodes
        }
        assert len(subnets) == 1, (role, subnets)
    # Never a mismatch (ports without an address, e.g. a team, are LM001's "not checked").
    assert not {f.code for f in e.findings} & {"LM301", "LM305", "LM306", "LM307"}


# ---- well-formed layouts -----------------------------------------------------------------------

@PROPERTY_SETTINGS
@given(c=clusters())
def test_one_layout_entry_per_role_per_node_on_real_ports(c):
    e = evaluate(c)
    assert [ne.name for ne in e.nodes] == [n.name for n in c.nodes]
    for n, ne in zip(c.nodes, e.nodes):
        assert sorted(p.role.value for p in ne.layout) == sorted(r.value for r in Role)
        assert {p.port for p in ne.layout} <= port_names(n)


# ---- the rules design mode never breaks to escape a worse class --------------------------------

def _port_networks(n: Node) -> dict[str, str | None]:
    """Each port's network access, as the description gives it (a team's, else its members')."""
    out = {}
    for name in port_names(n):
        team = next((t for t in n.teams if t.name == name), None)
        if team is not None:
            members = sorted((a for a in n.adapters if a.team == name), key=lambda a: a.name)
            out[name] = team.network or next((a.network for a in members if a.network), None)
        else:
            out[name] = next(a.network for a in n.adapters if a.name == name)
    return out


@PROPERTY_SETTINGS
@given(spec=node_specs())
def test_design_keeps_cluster_and_live_migration_off_the_vm_switch(spec):
    c = one_node(spec)
    assume(len(port_names(c.nodes[0])) > 1)
    layout = {p.role: p for p in evaluate(c).nodes[0].layout}
    for role in (Role.CLUSTER_CSV, Role.LIVE_MIGRATION):
        assert layout[role].port != layout[Role.VM_ACCESS].port, layout
        assert not layout[role].virtual


@PROPERTY_SETTINGS
@given(spec=node_specs())
def test_design_keeps_cluster_and_live_migration_off_public_ports_while_another_exists(spec):
    c = one_node(spec)
    networks = _port_networks(c.nodes[0])
    assume(any(network != "public" for network in networks.values()))
    for placement in evaluate(c).nodes[0].layout:
        if placement.role in (Role.CLUSTER_CSV, Role.LIVE_MIGRATION):
            assert networks[placement.port] != "public", (placement, networks)

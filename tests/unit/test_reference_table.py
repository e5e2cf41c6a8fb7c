"""Design mode on each of the guide's nine host configurations returns the table's answer.

The expected layouts are written out here from the guide's table (not read from the domain's
encoding of it), so that these tests check the domain against the guide.
"""
from __future__ import annotations

import random

import pytest

from service.domain.evaluate import evaluate
from service.domain.model import Adapter, Classification as C, Node, Role, Severity, Team

try:
    from builders import CSV, G1, G10, LM, MGMT, VM, cluster, codes, findings_of, node, port_info
except ImportError:  # tests/unit imported as a package
    from tests.unit.builders import (
        CSV, G1, G10, LM, MGMT, VM, cluster, codes, findings_of, node, port_info,
    )

MANAGEMENT_IP = "10.0.0.11"

# row -> (ports as (member speed, members, network), {role: (port index, virtual, cap)}, class)
GUIDE_TABLE = {
    1: ([(G1, 1, None), (G1, 1, None), (G1, 1, None), (G1, 1, None)],
        {VM: (0, True, None), MGMT: (1, False, None), CSV: (2, False, None), LM: (3, False, None)},
        C.RECOMMENDED),
    2: ([(G1, 1, None), (G1, 2, "private")],
        {VM: (0, True, None), MGMT: (0, True, 10), CSV: (1, False, None), LM: (1, False, 40)},
        C.SUPPORTED),
    3: ([(G1, 1, None), (G1, 1, None), (G1, 1, None)],
        {VM: (0, True, None), MGMT: (0, True, 10), CSV: (1, False, None), LM: (2, False, None)},
        C.SUPPORTED),
    4: ([(G10, 1, None), (G10, 1, None)],
        {VM: (0, True, None), MGMT: (0, True, 1), CSV: (1, False, None), LM: (1, False, 50)},
        C.SUPPORTED),
    5: ([(G10, 1, None), (G1, 1, None), (G10, 1, None)],
        {VM: (0, True, None), MGMT: (1, False, None), CSV: (2, False, None), LM: (2, False, 50)},
        C.SUPPORTED),
    6: ([(G10, 1, None), (G1, 1, None), (G1, 1, None), (G10, 1, None)],
        {VM: (0, True, None), MGMT: (1, False, None), CSV: (2, False, None), LM: (3, False, None)},
        C.SUPPORTED),
    7: ([(G1, 1, None), (G1, 2, "public")],
        {VM: (0, True, None), MGMT: (0, True, 5), CSV: (1, False, None), LM: (1, False, 90)},
        C.NOT_RECOMMENDED),
    8: ([(G1, 1, None), (G1, 1, None)],
        {VM: (0, True, None), MGMT: (0, True, 10), CSV: (1, False, None), LM: (1, False, 90)},
        C.NOT_RECOMMENDED),
    9: ([(G10, 1, None), (G1, 1, None)],
        {VM: (0, True, None), MGMT: (0, True, 10), CSV: (1, False, None), LM: (1, False, 90)},
        C.NOT_RECOMMENDED),
}

VARIANTS = ("table_order", "reversed", "shuffled")


def inventory(row: int, variant: str = "reversed", team_network: str | None = "keep") -> Node:
    """The row's host configuration as a node.

    `reversed`: port names sort in the opposite order to the table's columns, and the adapters are
    listed in that reversed order too. `shuffled`: the same names, adapters in a shuffled order.
    """
    ports, _, _ = GUIDE_TABLE[row]
    count = len(ports)
    adapters: list[Adapter] = []
    teams: list[Team] = []
    for i, (speed, members, network) in enumerate(ports):
        label = f"P{i + 1}" if variant == "table_order" else f"P{count - i}"
        if members == 1:
            adapters.append(Adapter(label, speed, network=network))
        else:
            net = network if team_network == "keep" else team_network
            teams.append(Team(label, "link_aggregation", net))
            adapters.extend(Adapter(f"{label}m{j + 1}", speed, team=label) for j in range(members))
    if variant == "reversed":
        adapters.reverse()
        teams.reverse()
    elif variant == "shuffled":
        random.Random(1000 + row).shuffle(adapters)
    return Node("hv01", tuple(adapters), tuple(teams), processor_vendor="intel",
                management_ip=MANAGEMENT_IP)


def check_layout(n: Node, node_evaluation, row: int) -> None:
    """The node's layout is the row's: each role on a port of the right speed and teaming, roles
    together exactly where the table puts them together, the table's virtual flags and caps."""
    ports, roles, _ = GUIDE_TABLE[row]
    placements = {p.role: p for p in node_evaluation.layout}
    assert len(node_evaluation.layout) == 4
    assert set(placements) == set(Role)
    for role, (slot, virtual, cap) in roles.items():
        placement = placements[role]
        speed, members, _network = ports[slot]
        actual_speed, actual_members, mode = port_info(n, placement.port)
        assert (actual_speed, actual_members) == (speed * members, members), (role, placement)
        if members > 1:
            assert mode == "link_aggregation"
        assert placement.virtual is virtual, role
        assert placement.bandwidth_cap_percent == cap, role
    expected_groups = {frozenset(r for r, spec in roles.items() if spec[0] == slot)
                       for slot in {spec[0] for spec in roles.values()}}
    actual_groups = {frozenset(r for r, p in placements.items() if p.port == port)
                     for port in {p.port for p in placements.values()}}
    assert actual_groups == expected_groups


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("row", sorted(GUIDE_TABLE))
def test_design_mode_returns_the_tables_row(row, variant):
    n = inventory(row, variant)
    evaluation = evaluate(cluster(n))
    _, _, expected = GUIDE_TABLE[row]
    assert evaluation.mode == "design"
    assert evaluation.classification is expected
    assert evaluation.classification_source == "table"
    assert evaluation.reference_configuration is not None
    assert evaluation.reference_configuration.row == row
    (ne,) = evaluation.nodes
    assert ne.classification is expected
    assert ne.classification_source == "table"
    assert ne.reference_configuration.row == row
    check_layout(n, ne, row)


@pytest.mark.parametrize("row", sorted(GUIDE_TABLE))
def test_qos_rates_are_exact(row):
    """Each capped role gets its policy; rate = port speed in bit/s times the cap, exactly."""
    n = inventory(row)
    (ne,) = evaluate(cluster(n)).nodes
    placements = {p.role: p for p in ne.layout}
    by_kind = {q.kind: q for q in ne.qos_policies}
    for role, kind in ((LM, "live_migration"), (MGMT, "management")):
        cap = placements[role].bandwidth_cap_percent
        if cap is None:
            assert kind not in by_kind
            continue
        policy = by_kind[kind]
        speed = port_info(n, placements[role].port)[0]
        assert policy.port == placements[role].port
        assert policy.throttle_rate_bits_per_second == speed * 1_000_000 * cap // 100
        assert speed * 1_000_000 * cap % 100 == 0
    if "live_migration" in by_kind:
        q = by_kind["live_migration"]
        assert (q.protocol, q.destination_port, q.source_ip) == ("tcp", 6600, None)
    if "management" in by_kind:
        q = by_kind["management"]
        assert (q.protocol, q.destination_port, q.source_ip) == ("any", None, MANAGEMENT_IP)


def test_row_2_qos_rates():
    n = node("hv01", G1, team_of=(G1, G1), team_network="private", management_ip=MANAGEMENT_IP)
    (ne,) = evaluate(cluster(n)).nodes
    assert ne.reference_configuration.row == 2
    policies = {q.kind: q for q in ne.qos_policies}
    assert set(policies) == {"live_migration", "management"}
    assert policies["live_migration"].port == "T1"
    assert policies["live_migration"].throttle_rate_bits_per_second == 800_000_000
    assert policies["live_migration"].destination_port == 6600
    assert policies["management"].port == "NIC1"
    assert policies["management"].throttle_rate_bits_per_second == 100_000_000
    assert policies["management"].source_ip == MANAGEMENT_IP


def test_row_2_management_policy_needs_management_ip():
    n = node("hv01", G1, team_of=(G1, G1), team_network="private")
    (ne,) = evaluate(cluster(n)).nodes
    assert [q.kind for q in ne.qos_policies] == ["live_migration"]


def test_row_4_with_redundant_cluster_path_is_recommended():
    n = inventory(4)
    evaluation = evaluate(cluster(n, redundant_cluster_path=True))
    assert evaluation.classification is C.RECOMMENDED
    assert evaluation.classification_source == "table"
    assert evaluation.reference_configuration.row == 4
    check_layout(n, evaluation.nodes[0], 4)
    assert not findings_of(evaluation, "LM204")  # the footnote's case is LM219's note
    assert [f.severity for f in findings_of(evaluation, "LM219")] == [Severity.INFO]


def test_row_4_without_redundant_cluster_path_is_supported_with_lm204():
    n = inventory(4)
    evaluation = evaluate(cluster(n, redundant_cluster_path=False))
    assert evaluation.classification is C.SUPPORTED
    assert evaluation.reference_configuration.row == 4
    check_layout(n, evaluation.nodes[0], 4)
    (lm204,) = findings_of(evaluation, "LM204")
    assert lm204.severity is Severity.WARNING
    assert lm204.node == "hv01"
    assert lm204.classification_cap is C.SUPPORTED
    assert "redundant" in lm204.message


@pytest.mark.parametrize("variant", VARIANTS)
def test_row_2_team_network_unspecified_still_row_2(variant):
    n = inventory(2, variant, team_network=None)
    evaluation = evaluate(cluster(n))
    assert evaluation.reference_configuration.row == 2
    assert evaluation.classification is C.SUPPORTED
    check_layout(n, evaluation.nodes[0], 2)


@pytest.mark.parametrize("variant", VARIANTS)
def test_row_2_inventory_with_public_team_is_row_7(variant):
    n = inventory(2, variant, team_network="public")
    evaluation = evaluate(cluster(n))
    assert evaluation.reference_configuration.row == 7
    assert evaluation.classification is C.NOT_RECOMMENDED
    assert evaluation.classification_source == "table"
    check_layout(n, evaluation.nodes[0], 7)
    assert "LM203" in codes(evaluation)


def test_builder_row_2_matches_inventory_helper():
    """The two ways of building row 2 agree (sanity check of the builders)."""
    a = evaluate(cluster(node("hv01", G1, team_of=(G1, G1), team_network="private")))
    b = evaluate(cluster(inventory(2)))
    assert a.reference_configuration == b.reference_configuration
    assert a.classification is b.classification

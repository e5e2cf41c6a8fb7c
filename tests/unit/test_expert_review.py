"""What a Hyper-V architect's review of the engine found outside the table, item by item.

Each test names its item; each failed before the change it checks.
"""
from __future__ import annotations

from dataclasses import replace

from service.domain.evaluate import evaluate
from service.domain.model import (
    Adapter, Classification as C, Cluster, Node, RoleAssignment, Severity, Team,
)

try:
    from builders import (
        CSV, G1, G10, LM, MGMT, ROW1_ROLES, VM, cluster, codes, findings_of, node, ra, with_roles,
    )
except ImportError:  # tests/unit imported as a package
    from tests.unit.builders import (
        CSV, G1, G10, LM, MGMT, ROW1_ROLES, VM, cluster, codes, findings_of, node, ra, with_roles,
    )



def addressed(name: str, host: int, subnets, speeds=(G1, G1, G1, G1), roles=None, **kw) -> Node:
    """Lone adapters NIC1.. at `speeds`, NICi addressed 10.0.<subnets[i]>.<host + i>/24."""
    adapters = tuple(Adapter(f"NIC{i + 1}", speed, address=f"10.0.{net}.{host + i}/24")
                     for i, (speed, net) in enumerate(zip(speeds, subnets)))
    n = Node(name, adapters, processor_vendor="intel", **kw)
    return with_roles(n, roles) if roles else n


def placed(evaluation, node_index=0) -> dict:
    return {p.role: p for p in evaluation.nodes[node_index].layout}


# ---- 1. two ports of one node on one subnet ----------------------------------------------------

def test_1_row_1_with_cluster_and_live_migration_ports_on_one_subnet_is_not_the_table():
    declared = cluster(addressed("hv01", 10, (1, 2, 3, 3), roles=ROW1_ROLES),
                       addressed("hv02", 20, (1, 2, 3, 3), roles=ROW1_ROLES))
    e = evaluate(declared)
    assert e.classification_source == "derived"
    assert e.classification is C.NOT_RECOMMENDED  # judged as sharing one 1 Gbps network
    found = findings_of(e, "LM304")
    assert {f.node for f in found} == {"hv01", "hv02"}
    assert all("NIC3 and NIC4" in f.message and "10.0.3.0/24" in f.message for f in found)
    assert "LM203" in codes(e)


def test_1_design_mode_counts_one_subnet_as_one_network_and_keeps_roles_apart():
    e = evaluate(cluster(addressed("hv01", 10, (1, 2, 3, 3)), addressed("hv02", 20, (1, 2, 3, 3))))
    assert e.reference_configuration.row == 1  # the inventory is still row 1's
    assert e.classification is C.SUPPORTED and e.classification_source == "derived"
    ports = {p.port for p in e.nodes[0].layout if p.role in (CSV, LM)}
    assert len(ports) == 2 and not {"NIC3", "NIC4"} <= ports
    assert "LM304" in codes(e)


def test_1_all_four_ports_on_one_subnet_share_everything():
    e = evaluate(cluster(addressed("hv01", 10, (1, 1, 1, 1))))
    assert e.classification is C.NOT_RECOMMENDED
    assert "NIC1, NIC2, NIC3 and NIC4" in findings_of(e, "LM304")[0].message


def test_1_distinct_subnets_keep_row_1_recommended():
    e = evaluate(cluster(addressed("hv01", 10, (1, 2, 3, 4)), addressed("hv02", 20, (1, 2, 3, 4)),
                         csv_smb_bindings_enabled=True))
    assert e.classification is C.RECOMMENDED and e.classification_source == "table"
    assert "LM304" not in codes(e)


def test_1_a_second_port_on_the_cluster_subnet_is_no_redundant_path():
    """Row 4 plus a third 10 Gbps port on the cluster/CSV port's subnet: still one network."""
    speeds = (G10, G10, G10)
    same = evaluate(cluster(addressed("hv01", 10, (1, 2, 2), speeds=speeds)))
    apart = evaluate(cluster(addressed("hv01", 10, (1, 2, 3), speeds=speeds)))
    assert apart.classification is C.RECOMMENDED
    assert same.classification.rank < C.RECOMMENDED.rank


# ---- 2. one logical subnet per network with Cluster Shared Volumes -----------------------------

def _split(role_port: str, csv: bool) -> Cluster:
    subnets_b = {"NIC1": (9, 2, 3, 4), "NIC2": (1, 9, 3, 4), "NIC4": (1, 2, 3, 9)}[role_port]
    return cluster(addressed("hv01", 10, (1, 2, 3, 4), roles=ROW1_ROLES),
                   addressed("hv02", 20, subnets_b, roles=ROW1_ROLES),
                   cluster_shared_volumes=csv, csv_smb_bindings_enabled=True)


def test_2_with_csv_any_role_on_different_subnets_is_unsupported():
    for port in ("NIC1", "NIC2", "NIC4"):
        e = evaluate(_split(port, csv=True))
        found = findings_of(e, "LM301")
        assert e.classification is C.UNSUPPORTED, port
        assert any(f.severity is Severity.ERROR and "VLAN" in f.message for f in found)


def test_2_without_csv_the_split_is_a_warning():
    e = evaluate(_split("NIC4", csv=False))
    assert e.classification is C.SUPPORTED
    assert "LM301" not in codes(e)  # LM301 is the CSV case; without CSV live migration's is LM305
    (found,) = findings_of(e, "LM305")
    assert found.severity is Severity.WARNING and found.classification_cap is C.SUPPORTED


# ---- 3. management where the management address is --------------------------------------------

def test_3_design_puts_management_on_the_port_holding_management_ip():
    n = addressed("hv01", 10, (1, 2, 3), speeds=(G1, G1, G1), management_ip="10.0.3.12")
    e = evaluate(cluster(n))
    layout = placed(e)
    assert layout[MGMT].port == "NIC3" and layout[MGMT].virtual  # shared with VM access, row 3
    assert layout[VM].port == "NIC3"
    assert "LM303" not in codes(e)
    (policy,) = [q for q in e.nodes[0].qos_policies if q.kind == "management"]
    assert policy.port == "NIC3" and policy.source_ip == "10.0.3.12"


def test_3_audit_flags_management_away_from_its_address_even_without_an_address_on_its_port():
    n = node("hv01", G1, G1, G1, G1, management_ip="10.0.4.5")
    n = replace(n, adapters=tuple(replace(a, address="10.0.4.5/24") if a.name == "NIC4" else a
                                  for a in n.adapters))
    e = evaluate(cluster(with_roles(n, ROW1_ROLES)))
    (found,) = findings_of(e, "LM303")
    assert "NIC4" in found.message and "NIC2" in found.message


def test_3_the_management_policy_is_on_the_port_that_holds_the_address():
    n = node("hv01", G1, G1, processor_vendor="intel", management_ip="10.0.2.5")
    n = replace(n, adapters=tuple(replace(a, address="10.0.2.5/24") if a.name == "NIC2" else a
                                  for a in n.adapters))
    roles = {"NIC1": (ra(VM, True), ra(MGMT, True, 10)), "NIC2": (ra(CSV), ra(LM, False, 90))}
    e = evaluate(cluster(with_roles(n, roles)))
    (policy,) = [q for q in e.nodes[0].qos_policies if q.kind == "management"]
    assert policy.port == "NIC2"
    assert "LM303" in codes(e)


# ---- 4. when a rule must be broken, the table's not-recommended pattern -------------------------

def test_4_a_lone_port_and_a_private_failover_team():
    e = evaluate(cluster(node("hv01", G1, team_of=(G1, G1), team_mode="failover",
                              team_network="private")))
    layout = placed(e)
    assert layout[VM].port == layout[MGMT].port == "NIC1"
    assert layout[CSV].port == layout[LM].port == "T1"
    assert not layout[CSV].virtual and layout[LM].bandwidth_cap_percent == 90
    assert e.classification is C.NOT_RECOMMENDED


def test_4_two_public_ports_follow_rows_7_to_9():
    for speed in (G1, G10):
        e = evaluate(cluster(node("hv01", speed, speed, networks=("public", "public"))))
        layout = placed(e)
        assert layout[VM].port == layout[MGMT].port
        assert layout[CSV].port == layout[LM].port != layout[VM].port
        assert layout[LM].bandwidth_cap_percent == 90


# ---- 5. link aggregation of mixed speeds --------------------------------------------------------

def test_5_a_mixed_speed_aggregate_is_warned_and_planned_on_its_slowest_member():
    e = evaluate(cluster(node("hv01", G1, team_of=(G10, G1), team_network="private")))
    (found,) = findings_of(e, "LM217")
    assert found.severity is Severity.WARNING
    (policy,) = [q for q in e.nodes[0].qos_policies if q.kind == "live_migration"]
    assert policy.port == "T1" and policy.port_speed_mbps == G1
    assert policy.throttle_rate_bits_per_second == G1 * 1_000_000 * policy.bandwidth_cap_percent // 100
    assert any("slowest member" in note for note in policy.notes)


# ---- 6. uncapped live migration beside cluster/CSV on a fast private port ----------------------

def test_6_row_4_audited_without_its_cap_is_supported_with_a_warning():
    n = with_roles(node("hv01", G10, G10, processor_vendor="intel"),
                   {"NIC1": (ra(VM, True), ra(MGMT, True, 1)), "NIC2": (ra(CSV), ra(LM))})
    e = evaluate(cluster(n, redundant_cluster_path=True))
    assert e.classification is C.SUPPORTED
    assert findings_of(e, "LM403")[0].severity is Severity.WARNING


def test_6_uncapped_on_1_gbps_stays_not_recommended():
    n = with_roles(node("hv01", G1, G1, processor_vendor="intel"),
                   {"NIC1": (ra(VM, True), ra(MGMT, True, 10)), "NIC2": (ra(CSV), ra(LM))})
    assert evaluate(cluster(n)).classification is C.NOT_RECOMMENDED


# ---- 7. storage the product cannot do ----------------------------------------------------------

def test_7_smb_storage_with_csv_is_unsupported_outside_the_guide():
    e = evaluate(cluster(node("hv01", G1, G1, G1, G1), shared_storage="smb"))
    (found,) = findings_of(e, "LM109")
    assert found.severity is Severity.ERROR and "outside the guide" in found.guide_reference
    assert e.classification is C.UNSUPPORTED


# ---- 8. more than 16 nodes ---------------------------------------------------------------------

def test_8_seventeen_nodes_are_unsupported():
    nodes = [node(f"hv{i:02d}", G1, G1, G1, G1) for i in range(17)]
    e = evaluate(cluster(*nodes))
    assert e.classification is C.UNSUPPORTED
    assert findings_of(e, "LM108")[0].severity is Severity.ERROR
    assert evaluate(cluster(*nodes[:16])).classification is C.RECOMMENDED


# ---- 9. a single cluster network ---------------------------------------------------------------

def test_9_a_single_cluster_network_is_a_warning_without_a_cap():
    n = with_roles(node("hv01", G1, G1, G1, networks=(None, None, "public")),
                   {"NIC1": (ra(VM, True), ra(MGMT, True, 10)), "NIC2": (ra(CSV),),
                    "NIC3": (ra(LM),)})
    found = findings_of(evaluate(cluster(n)), "LM212")
    assert found and all(f.severity is Severity.WARNING and f.classification_cap is None
                         for f in found)


# ---- 10. encryption required without IPsec -----------------------------------------------------

def test_10_encryption_required_without_ipsec_is_remediated():
    e = evaluate(cluster(node("hv01", G1, G1, G1, G1, processor_vendor="intel"),
                         live_migration_encryption_required=True, csv_smb_bindings_enabled=True))
    assert e.classification is C.SUPPORTED
    assert any("IPsec" in r.action and r.classification_after is C.RECOMMENDED
               for r in e.remediation)


# ---- 11. a failover team with a slower standby member ------------------------------------------

def test_11_a_slower_standby_is_warned_and_the_policy_says_its_share_of_the_standby_link():
    e = evaluate(cluster(node("hv01", G1, team_of=(G10, G1), team_mode="failover",
                              team_network="private")))
    (found,) = findings_of(e, "LM215")
    assert found.severity is Severity.WARNING
    assert "10 Gbps" in found.message and "1 Gbps" in found.message
    (policy,) = [q for q in e.nodes[0].qos_policies if q.kind == "live_migration"]
    assert policy.port_speed_mbps == G10
    share = policy.throttle_rate_bits_per_second * 100 // (G1 * 1_000_000)
    assert any(f"{share}% of that link" in note for note in policy.notes)


# ---- 12. audit matching reads virtual flags and caps -------------------------------------------

def test_12_a_declared_row_with_vm_access_not_virtual_is_not_credited_as_the_row():
    roles = dict(ROW1_ROLES, NIC1=(RoleAssignment(VM, False),))
    e = evaluate(cluster(with_roles(node("hv01", G1, G1, G1, G1, processor_vendor="intel"), roles)))
    assert e.classification_source == "derived"
    assert e.classification is C.SUPPORTED  # LM405 caps it


def test_12_a_live_migration_cap_above_90_beside_cluster_is_warned():
    n = with_roles(node("hv01", G10, G10, processor_vendor="intel"),
                   {"NIC1": (ra(VM, True), ra(MGMT, True, 1)), "NIC2": (ra(CSV), ra(LM, False, 95))})
    (found,) = findings_of(evaluate(cluster(n)), "LM406")
    assert found.severity is Severity.WARNING


def test_private_failover_team_builder_sanity():
    """The builders make what the tests above mean (a team named T1 of the given members)."""
    n = node("hv01", G1, team_of=(G10, G1), team_mode="failover", team_network="private")
    assert n.teams == (Team("T1", "failover", "private"),)

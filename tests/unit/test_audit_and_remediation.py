"""Audit mode (a declared layout is judged) and the remediation ladder."""
from __future__ import annotations

from dataclasses import replace

import pytest

from service.domain.changes import COSTS
from service.domain.evaluate import evaluate
from service.domain.model import Adapter, Classification as C, Severity

try:
    from builders import (
        CSV, G1, G10, LM, MGMT, ROW1_ROLES, VM, cluster, codes, findings_of, node, ra, with_roles,
    )
except ImportError:  # tests/unit imported as a package
    from tests.unit.builders import (
        CSV, G1, G10, LM, MGMT, ROW1_ROLES, VM, cluster, codes, findings_of, node, ra, with_roles,
    )




def row1(name="hv01"):
    return node(name, G1, G1, G1, G1, processor_vendor="intel", management_ip="10.0.0.11")


def row8(name="hv01"):
    return node(name, G1, G1, processor_vendor="intel", management_ip="10.0.0.11")


def declared(n, roles):
    return cluster(with_roles(n, roles))


# ---- audit mode --------------------------------------------------------------------------------

def test_row_1_declared_as_the_table_is_recommended_from_the_table():
    e = evaluate(declared(row1(), ROW1_ROLES))
    assert e.mode == "audit"
    assert e.classification is C.RECOMMENDED
    assert e.classification_source == "table"
    assert e.reference_configuration.row == 1
    (ne,) = e.nodes
    assert {p.role: (p.port, p.virtual, p.bandwidth_cap_percent) for p in ne.layout} == {
        VM: ("NIC1", True, None), MGMT: ("NIC2", False, None),
        CSV: ("NIC3", False, None), LM: ("NIC4", False, None)}
    assert e.remediation == ()


def test_row_1_declared_with_ports_permuted_still_follows_the_table():
    """The table's adapters are interchangeable: any 1 Gbps adapter may carry any role."""
    roles = {"NIC4": (ra(VM, True),), "NIC3": (ra(MGMT),), "NIC1": (ra(CSV),), "NIC2": (ra(LM),)}
    e = evaluate(declared(row1(), roles))
    assert e.classification is C.RECOMMENDED
    assert e.classification_source == "table"


def row2_declared():
    n = node("hv01", G1, team_of=(G1, G1), team_network="private", processor_vendor="intel")
    return declared(n, {"NIC1": (ra(VM, True), ra(MGMT, True, 10)),
                        "T1": (ra(CSV), ra(LM, False, 40))})


def test_row_2_declared_as_the_table_is_supported_from_the_table():
    e = evaluate(row2_declared(), with_remediation=False)
    assert e.classification is C.SUPPORTED
    assert e.classification_source == "table"
    assert e.reference_configuration.row == 2


# Regression: remediation._add_adapter once rebuilt the node from the original adapters (declared
# roles kept) while dropping the teams' roles: with roles on a team evaluate() raised KeyError, and
# with roles on adapters only the "add an adapter and lay the roles out again" candidate was still
# audited with the old layout, so uncapped row 8 got no remedy at all.


def test_audit_with_roles_on_a_team_evaluates_with_remediation():
    e = evaluate(row2_declared())
    assert e.classification is C.SUPPORTED
    assert e.remediation


def test_live_migration_with_vm_access_is_not_recommended():
    roles = {"NIC1": (ra(VM, True), ra(LM, True, 50)), "NIC2": (ra(MGMT),), "NIC3": (ra(CSV),)}
    e = evaluate(declared(row1(), roles))
    assert e.mode == "audit"
    assert e.classification is C.NOT_RECOMMENDED
    assert e.classification_source == "derived"
    lm205 = findings_of(e, "LM205")
    assert lm205 and all(f.severity is Severity.WARNING for f in lm205)
    assert any(f.classification_cap is C.NOT_RECOMMENDED for f in lm205)


def test_missing_caps_on_shared_ports_raise_lm403():
    roles = {"NIC1": (ra(VM, True), ra(MGMT, True)), "NIC2": (ra(CSV), ra(LM))}
    e = evaluate(declared(row8(), roles))
    lm403 = findings_of(e, "LM403")
    assert len(lm403) == 2  # live migration beside cluster/CSV, management beside VM access
    assert all(f.severity is Severity.WARNING for f in lm403)
    assert e.classification is C.NOT_RECOMMENDED
    assert e.classification_source == "derived"  # uncapped: not the table's layout


def test_row_8_declared_with_caps_follows_the_table():
    roles = {"NIC1": (ra(VM, True), ra(MGMT, True, 10)), "NIC2": (ra(CSV), ra(LM, False, 90))}
    e = evaluate(declared(row8(), roles))
    assert "LM403" not in codes(e)
    assert e.classification is C.NOT_RECOMMENDED
    assert e.classification_source == "table"
    assert e.reference_configuration.row == 8


def test_audit_mode_qos_follows_declared_caps():
    roles = {"NIC1": (ra(VM, True), ra(MGMT, True, 10)), "NIC2": (ra(CSV), ra(LM, False, 90))}
    (ne,) = evaluate(declared(row8(), roles)).nodes
    rates = {q.kind: (q.port, q.throttle_rate_bits_per_second) for q in ne.qos_policies}
    assert rates == {"live_migration": ("NIC2", 900_000_000), "management": ("NIC1", 100_000_000)}


# ---- remediation -------------------------------------------------------------------------------


REMEDIATION_CASES = {
    "row 8": lambda: cluster(row8()),
    "row 3": lambda: cluster(node("hv01", G1, G1, G1)),
    "row 4": lambda: cluster(node("hv01", G10, G10)),
    "row 7": lambda: cluster(node("hv01", G1, team_of=(G1, G1), team_network="public")),
    "row 8 with ipsec and chimney": lambda: cluster(row8(), live_migration_ipsec=True,
                                                    tcp_chimney_offload=True),
    "row 1 without failover clustering": lambda: cluster(row1(), failover_clustering=False),
    "mixed vendors": lambda: cluster(row1("hv01"), replace(row1("hv02"), processor_vendor="amd")),
    "audit lm with vm": lambda: declared(row1(), {
        "NIC1": (ra(VM, True), ra(LM, True, 50)), "NIC2": (ra(MGMT),), "NIC3": (ra(CSV),)}),
    "audit uncapped": lambda: declared(row8(), {
        "NIC1": (ra(VM, True), ra(MGMT, True)), "NIC2": (ra(CSV), ra(LM))}),
    "one adapter": lambda: cluster(node("hv01", G1)),
    "public everywhere": lambda: cluster(node("hv01", G1, G1, G1, networks=("public",) * 3)),
}


@pytest.mark.parametrize("case", sorted(REMEDIATION_CASES))
def test_plans_raise_the_class_and_cost_more_for_more(case):
    e = evaluate(REMEDIATION_CASES[case]())
    assert e.classification is not C.RECOMMENDED
    assert e.plans, "a non-recommended description that some change can raise gets a plan"
    for plan in e.plans:
        assert plan.classification.rank > e.classification.rank
        assert plan.steps and plan.steps[-1].classification_after is plan.classification
        for step in plan.steps:
            assert step.action and step.change in COSTS and step.nodes
    assert [p.classification.rank for p in e.plans] == sorted({p.classification.rank
                                                                for p in e.plans})
    assert [p.cost for p in e.plans] == sorted({p.cost for p in e.plans})
    # `remediation` is the first plan's steps (compatibility).
    assert [(r.action, r.change, r.classification_after) for r in e.remediation] == \
        [(s.action, s.change, s.classification_after) for s in e.plans[0].steps]


def test_recommended_needs_no_remediation():
    assert evaluate(cluster(row1())).remediation == ()


def test_row_8_remediation_reaches_at_least_supported():
    e = evaluate(cluster(row8()))
    assert e.reference_configuration.row == 8
    assert e.classification is C.NOT_RECOMMENDED
    assert e.remediation
    assert max(r.classification_after.rank for r in e.remediation) >= C.SUPPORTED.rank
    adds = [r for r in e.remediation if r.change == "add_adapter"]
    assert adds and adds[0].classification_after.rank >= C.SUPPORTED.rank


def test_row_8_remedy_of_one_more_adapter_is_true():
    """The cheapest remedy for row 8 (a 1 Gbps private adapter) really gives row 3 (supported)."""
    e = evaluate(cluster(row8()))
    first = e.remediation[0]
    assert first.change == "add_adapter" and "1 Gbps" in first.action
    n = row8()
    after = evaluate(cluster(replace(n, adapters=(*n.adapters, Adapter("NEW", G1, network="private")))))
    assert after.reference_configuration.row == 3
    assert after.classification is first.classification_after


def test_audit_remedies_include_a_role_move_or_redesign():
    e = evaluate(REMEDIATION_CASES["audit lm with vm"]())
    assert {r.change for r in e.remediation} & {"move_role", "redesign"}


def test_audit_uncapped_cap_remedy_offered_when_it_helps():
    """Row 4 audited without its live migration cap, redundant path given: supported with a
    warning (not worse: the guide's caps are examples), and capping raises it to recommended."""
    n = node("hv01", G10, G10, processor_vendor="intel")
    e = evaluate(replace(declared(n, {"NIC1": (ra(VM, True), ra(MGMT, True, 1)),
                                      "NIC2": (ra(CSV), ra(LM))}), redundant_cluster_path=True))
    assert "LM403" in codes(e)
    assert e.classification is C.SUPPORTED
    assert e.remediation and e.remediation[0].change == "cap"
    assert e.remediation[0].classification_after is C.RECOMMENDED


def test_audit_uncapped_row_8_is_offered_an_adapter():
    e = evaluate(REMEDIATION_CASES["audit uncapped"]())
    assert any(r.change == "add_adapter" and r.classification_after.rank >= C.SUPPORTED.rank
               for r in e.remediation)

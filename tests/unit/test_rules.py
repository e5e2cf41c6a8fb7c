"""Every rule of the catalogue: one description it passes and one it flags.

A failing case must produce the rule's code with the rule's own severity and guide reference; a
passing case must not produce the code at all.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.domain.catalogue import GUIDE_URL
from service.domain.evaluate import evaluate
from service.domain.model import Classification as C, Severity
from service.domain.rulesets import WS2008R2

try:
    from builders import (
        CSV, G1, G10, LM, MGMT, ROW1_ROLES, VM, cluster, codes, findings_of, node, ra, row1, row8,
        with_roles,
    )
except ImportError:  # tests/unit imported as a package
    from tests.unit.builders import (
        CSV, G1, G10, LM, MGMT, ROW1_ROLES, VM, cluster, codes, findings_of, node, ra, row1, row8,
        with_roles,
    )

# The guide's section headings (committed: headings only, not the guide's text).
GUIDE_HEADINGS = {
    line.strip() for line in
    (Path(__file__).parent / "fixtures" / "guide_headings.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}
CATALOGUE = WS2008R2.rules
RULES = {r.code: r for r in CATALOGUE}


# ---- inventories -------------------------------------------------------------------------------

def row3(name="hv01"):
    return node(name, G1, G1, G1, processor_vendor="intel")




def row1_declared(name="hv01", overrides=None, **kw):
    """Row 1 with its table layout declared (audit mode); `overrides` replaces ports' roles."""
    roles = dict(ROW1_ROLES)
    roles.update(overrides or {})
    return with_roles(row1(name, **kw), {k: v for k, v in roles.items() if v is not None})


def addressed_row1(name, host, subnets=(1, 2, 3, 4), management_ip=None):
    """Row 1 declared, adapter NICi addressed 10.0.<subnets[i-1]>.<host>/24."""
    n = row1(name, management_ip=management_ip)
    from dataclasses import replace
    n = replace(n, adapters=tuple(
        replace(a, address=f"10.0.{net}.{host}/24") for a, net in zip(n.adapters, subnets)))
    return with_roles(n, ROW1_ROLES)


def row8_declared(lm_cap=90, mgmt_cap=10):
    return with_roles(row8(), {"NIC1": (ra(VM, True), ra(MGMT, True, mgmt_cap)),
                               "NIC2": (ra(CSV), ra(LM, False, lm_cap))})


def many_nodes(count):
    return cluster(*(row1(f"hv{i:02d}") for i in range(1, count + 1)))


# code -> (passing description, failing description)
CASES = {
    "LM001": (lambda: cluster(row1(), csv_smb_bindings_enabled=True),
              lambda: cluster(row1("hv01", None), row1("hv02", None))),
    "LM101": (lambda: cluster(row1()),
              lambda: cluster(row1(), failover_clustering=False)),
    "LM102": (lambda: cluster(row1(), shared_storage="fibre_channel"),
              lambda: cluster(row1(), shared_storage="none")),
    "LM103": (lambda: cluster(row1("hv01", "intel"), row1("hv02", "intel")),
              lambda: cluster(row1("hv01", "intel"), row1("hv02", "amd"))),
    "LM104": (lambda: cluster(row1("hv01"), row1("hv02")),
              lambda: cluster(row1("hv01"), row8("hv02"))),
    "LM105": (lambda: cluster(row1(), shared_storage="fibre_channel"),
              lambda: cluster(row1(), shared_storage="fibre_channel", cluster_shared_volumes=False)),
    "LM106": (lambda: cluster(row1()),
              lambda: cluster(row1(), live_migration_ipsec=True)),
    "LM107": (lambda: cluster(row1(), csv_smb_bindings_enabled=True),
              lambda: cluster(row1(), csv_smb_bindings_enabled=False)),
    "LM108": (lambda: many_nodes(16),
              lambda: many_nodes(17)),
    "LM109": (lambda: cluster(row1(), shared_storage="sas"),
              lambda: cluster(row1(), shared_storage="smb")),
    "LM110": (lambda: cluster(row1(), live_migration_ipsec=True),
              lambda: cluster(row1(), live_migration_ipsec=True,
                              live_migration_encryption_required=True)),
    "LM201": (lambda: cluster(node("hv01", G1, G1)),
              lambda: cluster(node("hv01", G1))),
    "LM202": (lambda: cluster(node("hv01", G1, G1, networks=("public", "private"))),
              lambda: cluster(node("hv01", G1, G1, networks=("public", "public")))),
    "LM203": (lambda: cluster(row1()),
              lambda: cluster(row8())),
    "LM204": (lambda: cluster(row1()),
              lambda: cluster(node("hv01", G10, G10))),
    "LM205": (lambda: cluster(row1_declared()),
              lambda: cluster(row1_declared(overrides={
                  "NIC1": (ra(VM, True), ra(LM, True, 90)), "NIC4": None}))),
    "LM206": (lambda: cluster(row1_declared()),
              lambda: cluster(row1_declared(overrides={
                  "NIC2": (ra(MGMT, False, 10), ra(CSV)), "NIC3": None}))),
    "LM207": (lambda: cluster(row1()),
              lambda: cluster(row3())),
    "LM208": (lambda: cluster(row1()),
              lambda: cluster(node("hv01", 100, 100, 100, 100))),
    "LM209": (lambda: cluster(row1_declared()),
              lambda: cluster(with_roles(
                  node("hv01", G1, G1, G1, G1, networks=(None, None, "public", None)),
                  ROW1_ROLES))),
    "LM210": (lambda: cluster(node("hv01", G1, G1, G1, G1,
                                   networks=("public", "public", "private", "private"))),
              lambda: cluster(row1())),
    "LM211": (lambda: cluster(node("hv01", G1, G1, G1, G1,
                                   networks=("public", "public", "private", "private"))),
              lambda: cluster(node("hv01", G1, G1, G1, G1, networks=("private",) * 4))),
    # row 1's management and live migration networks count as further cluster networks; with
    # live migration on a public port, cluster/CSV is left with a single network.
    "LM212": (lambda: cluster(row3(), redundant_cluster_path=True),
              lambda: cluster(with_roles(
                  node("hv01", G1, G1, G1, networks=(None, None, "public")),
                  {"NIC1": (ra(VM, True), ra(MGMT, True, 10)), "NIC2": (ra(CSV),),
                   "NIC3": (ra(LM),)}))),
    "LM213": (lambda: cluster(row8()),
              lambda: cluster(row8(), tcp_chimney_offload=True)),
    "LM214": (lambda: cluster(row1_declared()),
              lambda: cluster(with_roles(node("hv01", 100, G1, G1, G1, processor_vendor="intel"),
                                         ROW1_ROLES))),
    "LM216": (lambda: cluster(node("hv01", G1, team_of=(G1, G1))),
              lambda: cluster(node("hv01", G1, team_of=(G1, G1), team_mode=None))),
    "LM215": (lambda: cluster(node("hv01", G1, team_of=(G10, G10), team_mode="failover")),
              lambda: cluster(node("hv01", G1, team_of=(G10, G1), team_mode="failover"))),
    "LM217": (lambda: cluster(node("hv01", G1, team_of=(G10, G10))),
              lambda: cluster(node("hv01", G1, team_of=(G10, G1)))),
    "LM218": (lambda: cluster(node("hv01", G1, team_of=(G1, G1))),
              lambda: cluster(node("hv01", team_of=(G1, G1)))),
    "LM219": (lambda: cluster(node("hv01", G10, G10)),
              lambda: cluster(node("hv01", G10, G10), redundant_cluster_path=True)),
    "LM220": (lambda: cluster(row1()),
              lambda: cluster(node("hv01", G10, G10, G10))),
    "LM221": (lambda: cluster(row8(), tcp_chimney_offload=True),
              lambda: cluster(row1(), tcp_chimney_offload=True)),
    "LM301": (lambda: cluster(addressed_row1("hv01", 11), addressed_row1("hv02", 12)),
              lambda: cluster(addressed_row1("hv01", 11),
                              addressed_row1("hv02", 12, subnets=(1, 9, 3, 4)))),
    "LM302": (lambda: cluster(addressed_row1("hv01", 11), addressed_row1("hv02", 12)),
              lambda: cluster(addressed_row1("hv01", 11), addressed_row1("hv02", 11))),
    "LM303": (lambda: cluster(addressed_row1("hv01", 11, management_ip="10.0.2.11")),
              lambda: cluster(addressed_row1("hv01", 11, management_ip="10.0.7.11"))),
    "LM304": (lambda: cluster(addressed_row1("hv01", 11)),
              lambda: cluster(addressed_row1("hv01", 11, subnets=(1, 2, 3, 3)))),
    "LM305": (lambda: cluster(addressed_row1("hv01", 11), addressed_row1("hv02", 12),
                              cluster_shared_volumes=False),
              lambda: cluster(addressed_row1("hv01", 11),
                              addressed_row1("hv02", 12, subnets=(1, 2, 3, 9)),
                              cluster_shared_volumes=False)),
    "LM306": (lambda: cluster(addressed_row1("hv01", 11), addressed_row1("hv02", 12),
                              cluster_shared_volumes=False),
              lambda: cluster(addressed_row1("hv01", 11),
                              addressed_row1("hv02", 12, subnets=(9, 2, 3, 4)),
                              cluster_shared_volumes=False)),
    "LM307": (lambda: cluster(addressed_row1("hv01", 11), addressed_row1("hv02", 12),
                              cluster_shared_volumes=False),
              lambda: cluster(addressed_row1("hv01", 11),
                              addressed_row1("hv02", 12, subnets=(1, 9, 3, 4)),
                              cluster_shared_volumes=False)),
    "LM401": (lambda: cluster(row1()),
              lambda: cluster(row8())),
    "LM402": (lambda: cluster(row3()),
              lambda: cluster(node("hv01", G1, team_of=(G1, G1), team_network="private"))),
    "LM403": (lambda: cluster(row8_declared()),
              lambda: cluster(row8_declared(mgmt_cap=None))),
    "LM404": (lambda: cluster(row1_declared()),
              lambda: cluster(row1_declared(overrides={"NIC1": (ra(VM, True, 50),)}))),
    "LM405": (lambda: cluster(row1_declared()),
              lambda: cluster(row1_declared(overrides={"NIC1": (ra(VM, False),)}))),
    "LM406": (lambda: cluster(row8_declared()),
              lambda: cluster(row8_declared(lm_cap=95))),
    "LM407": (lambda: cluster(row1_declared()),
              lambda: cluster(row1_declared(overrides={"NIC2": (ra(MGMT, False, 10),)}))),
    "LM408": (lambda: cluster(row1_declared()),
              lambda: cluster(row1_declared(overrides={
                  "NIC1": (ra(VM, True), ra(MGMT, False, 10)), "NIC2": None}))),
    "LM409": (lambda: cluster(row1_declared()),
              lambda: cluster(row1_declared(overrides={"NIC3": (ra(CSV, True),)}))),
}


# ---- the catalogue itself ----------------------------------------------------------------------

def test_catalogue_is_populated():
    assert len(CATALOGUE) >= 20


def test_codes_are_unique_and_well_formed():
    all_codes = [r.code for r in CATALOGUE]
    assert len(all_codes) == len(set(all_codes))
    assert all(re.fullmatch(r"LM[0-4]\d\d", code) for code in all_codes)
    assert all_codes == sorted(all_codes)


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_metadata(code):
    rule = RULES[code]
    assert rule.section.strip()
    assert rule.title.strip()
    assert isinstance(rule.severity, Severity)
    assert rule.scope in {"cluster", "node", "layout"}
    assert rule.cap is None or isinstance(rule.cap, C)
    if code == "LM001":  # bookkeeping: what it reports is missing from the description
        assert (rule.source, rule.quote, rule.severity, rule.cap) == ("", "", Severity.INFO, None)
        return
    assert rule.quote.strip() and rule.source.startswith(("https://", "http://"))
    if "outside the guide" in rule.section:
        assert rule.source != GUIDE_URL, "a rule from outside the guide names its own source"
    else:
        assert rule.section in GUIDE_HEADINGS, rule.section
        assert rule.source == GUIDE_URL


def test_every_rule_has_cases():
    assert set(CASES) == set(RULES)


# ---- each rule passes and fails ----------------------------------------------------------------

@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_passing_case(code):
    passing, _ = CASES[code]
    assert code not in codes(evaluate(passing()))


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_failing_case(code):
    rule = RULES[code]
    _, failing = CASES[code]
    evaluation = evaluate(failing())
    found = findings_of(evaluation, code)
    assert found, f"{code} not raised"
    assert all(f.guide_reference == rule.section and f.guide_reference for f in found)
    assert all(f.message for f in found)
    # One code per outcome: every finding has the rule's severity and cap.
    assert all((f.severity, f.classification_cap) == (rule.severity, rule.cap) for f in found)
    if rule.scope == "cluster":  # cluster-wide, or about one of the cluster's nodes (LM104)
        names = {n.name for n in evaluation.nodes}
        assert all(f.node is None or f.node in names for f in found)
    else:
        assert all(f.node == "hv01" for f in found)
    if rule.cap is not None:
        assert evaluation.classification.rank <= rule.cap.rank


# ---- requirement rules make the cluster unsupported --------------------------------------------

@pytest.mark.parametrize("code", ["LM101", "LM102", "LM103"])
def test_requirement_rules_make_cluster_unsupported(code):
    _, failing = CASES[code]
    evaluation = evaluate(failing())
    assert evaluation.classification is C.UNSUPPORTED
    assert evaluation.best_classification is C.UNSUPPORTED
    assert any(f.severity is Severity.ERROR and f.classification_cap is C.UNSUPPORTED
               for f in findings_of(evaluation, code))


@pytest.mark.parametrize("code", ["LM101", "LM102", "LM103"])
def test_requirement_rules_passing_keeps_row_1_recommended(code):
    passing, _ = CASES[code]
    assert evaluate(passing()).classification is C.RECOMMENDED


def test_missing_processor_vendor_is_not_checked_not_a_violation():
    evaluation = evaluate(cluster(row1("hv01", None), row1("hv02", None)))
    assert "LM103" not in codes(evaluation)
    assert "Not checked (LM103) for hv01, hv02: processor_vendor not given." in \
        [f.message for f in findings_of(evaluation, "LM001")]
    assert evaluation.classification is C.RECOMMENDED


def test_different_hardware_is_worst_node_no_lower():
    """Nodes whose adapters differ: a warning, and the cluster is its worst node, no lower."""
    evaluation = evaluate(cluster(row1("hv01"), row8("hv02")))
    found = findings_of(evaluation, "LM104")
    assert sorted(f.node for f in found) == ["hv01", "hv02"]  # no majority: both differ
    assert all(f.severity is Severity.WARNING and f.classification_cap is None for f in found)
    assert evaluation.classification is C.NOT_RECOMMENDED  # row 8


def test_the_odd_node_out_gets_the_hardware_warning():
    evaluation = evaluate(cluster(row1("hv01"), row1("hv02"), row8("hv03")))
    assert [f.node for f in findings_of(evaluation, "LM104")] == ["hv03"]


def test_ipsec_required_for_encryption_is_not_capped():  # IPsec applied as required
    evaluation = evaluate(cluster(row1(), live_migration_ipsec=True,
                                  live_migration_encryption_required=True))
    assert "LM106" not in codes(evaluation) and findings_of(evaluation, "LM110")
    assert evaluation.classification is C.RECOMMENDED


def test_lm403_uncapped_live_migration_beside_cluster_on_1_gbps_stays_not_recommended():
    """On one 1 Gbps port the table's crash warning (LM203) decides; LM403 itself caps at
    supported."""
    evaluation = evaluate(cluster(row8_declared(lm_cap=None)))
    assert all(f.classification_cap is C.SUPPORTED for f in findings_of(evaluation, "LM403"))
    assert "LM203" in codes(evaluation)
    assert evaluation.classification is C.NOT_RECOMMENDED


def test_tcp_chimney_notes_on_policies():
    (ne,) = evaluate(cluster(row8(management_ip="10.0.0.11"), tcp_chimney_offload=True)).nodes
    assert ne.qos_policies
    assert all(q.notes for q in ne.qos_policies)

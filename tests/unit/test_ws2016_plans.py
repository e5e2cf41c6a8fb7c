"""The ws2016 remediation planner: the plans for counter-examples and degraded reference designs,
each step made again from the catalogue and evaluated here (not trusting the planner's classes),
no plan for a recommended design, the bound on its work, determinism and alike nodes."""
from __future__ import annotations

from dataclasses import replace
from itertools import combinations

import pytest

from service.domain.changes import COSTS
from service.domain.model import Classification as C, Network, TeamMode
from service.domain.rulesets.ws2016 import evaluate
from service.domain.rulesets.ws2016.changes import CATALOGUE, HARDWARE, addressing
from service.domain.rulesets.ws2016.description import (
    Dcb,
    Design,
    Interconnect,
    LoadBalancing,
    OsVersion,
    RdmaKind,
    Teaming,
    Transport,
)
from service.domain.rulesets.ws2016.plan import (
    UNIT_LIMIT,
    WORK_LIMIT,
    Work,
    _replay,
    designs_after,
    plans,
    size,
)
from tests.unit.test_ws2016_reference_designs import (
    COUNTER_EXAMPLES,
    REFERENCE_DESIGNS,
    _nics,
    _with_host,
    converged_host,
    dedicated_host,
    hosts,
    r1_fully_converged,
    r4_storage_only_intent,
    r9_two_node_switched_non_converged,
    r11_three_node_switchless_single_link,
    r13_rdma_vnic_without_set,
    r14_set_with_mapped_rdma_vnics,
    r15_converged_nic_teamed,
    r16_converged_nic_single,
)

BOTH = ("hv01", "hv02")


def steps(plan) -> list[tuple[str, tuple[str, ...], C]]:
    return [(s.change, s.nodes, s.classification_after) for s in plan.steps]


def check(design: Design, plan) -> None:
    """Each step made again from the catalogue, and the design after it evaluated here."""
    after = designs_after(design, plan)
    assert [evaluate(d).classification for d in after] == [s.classification_after
                                                          for s in plan.steps]
    assert plan.classification is plan.steps[-1].classification_after
    assert plan.classification.rank > evaluate(design).classification.rank


def only_plan(design: Design):
    found, complete = plans(design)
    assert complete
    assert len(found) == 1, [(p.classification, p.cost) for p in found]
    check(design, found[0])
    return found[0]


# ---- counter-examples (N-numbers) --------------------------------------------------------------

# name: (expected steps as (kind, nodes, class after), cost, a text each action must contain)
COUNTER_EXAMPLE_PLANS = {
    "N1 SET members of different makes (S5)": (
        [(HARDWARE, BOTH, C.RECOMMENDED)], 30, ["Set-VMSwitchTeam"]),
    "N1 SET members of different speeds (S6)": (
        [(HARDWARE, BOTH, C.RECOMMENDED)], 30, ["Replace pNIC02 with 25 Gbps"]),
    "N3 switch-dependent SET (S5)": (
        [("cabling", BOTH, C.RECOMMENDED)], 4, ["-TeamingMode SwitchIndependent"]),
    "N3 SET with a standby member (S5)": (
        [("cabling", BOTH, C.RECOMMENDED)], 4, ["-TeamingMode SwitchIndependent"]),
    "N4 RoCE without DCB on the hosts (S5)": (
        [("setting", BOTH, C.UNSUPPORTED), ("cabling", BOTH, C.RECOMMENDED)], 5,
        ["Enable-NetQosFlowControl -Priority 3", "PFC on priority 3 only"]),
    "N4 RoCE through switches without PFC/ETS (S6)": (
        [("cabling", BOTH, C.RECOMMENDED)], 4, ["PFC on priority 3 only, ETS 50% for SMB"]),
    "N5 untagged RoCE vNICs (S8)": (
        [("setting", BOTH, C.RECOMMENDED)], 2, ["-DefaultIsolationID 712"]),
    "N6 iWARP at one end, RoCE at the other (S6)": (
        [(HARDWARE, ("hv02",), C.RECOMMENDED)], 30, ["like its own"]),
    "N7 LBFO under the switch on 2022 (S27)": (
        [("team", BOTH, C.RECOMMENDED)], 6, ["Convert-LBFO2SET", "-EnableEmbeddedTeaming $true"]),
    "N7 LBFO under the switch on 2019 (S27)": (
        [("team", BOTH, C.RECOMMENDED)], 6, ["Convert-LBFO2SET"]),
    "N8 host vNICs in an LBFO team (S14)": (
        [("team", BOTH, C.RECOMMENDED)], 6, ["Remove-NetLbfoTeam"]),
    "N9 SMB live migration without a limit (S4)": (
        [("setting", BOTH, C.RECOMMENDED)], 1,
        ["Set-SmbBandwidthLimit -Category LiveMigration -BytesPerSecond 906250000"]),
}


@pytest.mark.parametrize("name", COUNTER_EXAMPLE_PLANS)
def test_counter_example_plan(name):
    expected, cost, texts = COUNTER_EXAMPLE_PLANS[name]
    plan = only_plan(COUNTER_EXAMPLES[name][0]())
    assert steps(plan) == expected
    assert plan.cost == cost
    for step, text in zip(plan.steps, texts):
        assert text in step.action


def test_n9_limit_is_the_designers():
    plan = only_plan(COUNTER_EXAMPLES["N9 SMB live migration without a limit (S4)"][0]())
    limit = designs_after(COUNTER_EXAMPLES["N9 SMB live migration without a limit (S4)"][0](),
                          plan)[-1].smb_limit_bytes_per_second
    assert limit == r1_fully_converged().smb_limit_bytes_per_second


def test_n10_missing_link_then_redundant_links():
    design = COUNTER_EXAMPLES["N10 switchless without a link between two nodes (S17)"][0]()
    found, complete = plans(design)
    assert complete and [(p.classification, p.cost) for p in found] == [
        (C.SUPPORTED, 30), (C.RECOMMENDED, 120)]
    supported, recommended = found
    assert steps(supported) == [(HARDWARE, ("hv01", "hv03"), C.SUPPORTED)]
    assert steps(recommended) == [(HARDWARE, ("hv01", "hv03"), C.SUPPORTED),
                                  (HARDWARE, ("hv01", "hv02", "hv03"), C.RECOMMENDED)]
    for plan in found:
        check(design, plan)


def test_a_finding_no_change_addresses_gets_no_plan():
    # WS203 (nine members) and WS101 (2012 R2) are outside the catalogue.
    assert not addressing("WS203") and not addressing("WS101")
    assert plans(COUNTER_EXAMPLES["N2 nine SET members (S5)"][0]()) == ((), True)
    old = _with_host(r1_fully_converged(), lambda h: replace(h, os_version=OsVersion.WS2012R2))
    assert plans(old) == ((), True)


# ---- degraded reference designs ----------------------------------------------------------------

def _switch(design, **changes):
    return _with_host(design, lambda h: replace(h, switches=(replace(h.switches[0], **changes),)))


R1 = r1_fully_converged

DEGRADED = {
    "R1 limit below 1 MB (WS506)": (
        lambda: replace(R1(), smb_limit_bytes_per_second=1000), [("setting", BOTH, C.RECOMMENDED)],
        "-BytesPerSecond 906250000"),
    "R1 limit above the SMB class (WS504)": (
        lambda: replace(R1(), smb_limit_bytes_per_second=4_000_000_000),
        [("setting", BOTH, C.RECOMMENDED)], "-BytesPerSecond 906250000"),
    "R1 PFC on 3 and 4 (WS305)": (
        lambda: replace(R1(), dcb=Dcb(hosts=True, switches=True, pfc_priorities=frozenset({3, 4}))),
        [("setting", BOTH, C.RECOMMENDED)], "Disable-NetQosFlowControl -Priority 0,1,2,4,5,6,7"),
    "R1 PFC off for SMB (WS312)": (
        lambda: replace(R1(), dcb=Dcb(hosts=True, switches=True, pfc_priorities=frozenset({4}))),
        [("setting", BOTH, C.RECOMMENDED)], "Enable-NetQosFlowControl -Priority 3"),
    "R1 on Azure Local without a heartbeat class (WS313)": (
        lambda: replace(R1(), dcb=Dcb(hosts=True, switches=True, heartbeat_priority=None),
                        azure_local=True),
        [("setting", BOTH, C.RECOMMENDED)], "-Priority 7 -BandwidthPercentage 1 -Algorithm ETS"),
    "R1 Dynamic at 25 Gbps (WS205)": (
        lambda: _switch(R1(), load_balancing=LoadBalancing.DYNAMIC),
        [("setting", BOTH, C.RECOMMENDED)], "-LoadBalancingAlgorithm HyperVPort"),
    "R1 Address Hash on SET (WS204)": (
        lambda: _switch(R1(), load_balancing=LoadBalancing.ADDRESS_HASH),
        [("setting", BOTH, C.RECOMMENDED)], "-LoadBalancingAlgorithm HyperVPort"),
    "R1 unmapped RDMA vNICs (WS310)": (
        lambda: _with_host(R1(), lambda h: replace(h, vnics=tuple(replace(v, mapped_to=None)
                                                                   for v in h.vnics))),
        [("setting", BOTH, C.RECOMMENDED)],
        'Set-VMNetworkAdapterTeamMapping -ManagementOS -VMNetworkAdapterName "SMB2" '
        '-PhysicalNetAdapterName "pNIC02"'),
    "R1 host QoS throttles (WS408)": (
        lambda: _with_host(R1(), lambda h: replace(h, host_qos_throttles=True)),
        [("setting", BOTH, C.RECOMMENDED)], "Remove-NetQosPolicy"),
    "R4 public storage adapters (WS401)": (
        lambda: _with_host(r4_storage_only_intent(), lambda h: _nics(
            h, lambda n: replace(n, network=Network.PUBLIC) if n.rdma else n)),
        [("cabling", BOTH, C.RECOMMENDED)], "Connect pNIC03, pNIC04 to a private network"),
    "R4 management at 1 Gbps (WS407)": (
        lambda: _with_host(r4_storage_only_intent(), lambda h: _nics(
            h, lambda n: replace(n, speed_mbps=1000) if n.name in ("pNIC01", "pNIC02") else n)),
        [(HARDWARE, BOTH, C.RECOMMENDED)], "Replace pNIC01, pNIC02 with 10 Gbps adapters"),
    "R9 one storage adapter (WS406)": (
        lambda: replace(r9_two_node_switched_non_converged(),
                        hosts=hosts(2, lambda n: dedicated_host(n, storage_nics=1))),
        [(HARDWARE, BOTH, C.RECOMMENDED)], 'Set-NetAdapter -Name "pNIC1" -VlanID 712'),
    "R9 storage at 1 Gbps (WS403)": (
        lambda: replace(r9_two_node_switched_non_converged(),
                        hosts=hosts(2, lambda n: dedicated_host(n, storage_gbps=1))),
        [(HARDWARE, BOTH, C.RECOMMENDED)], "Replace pNIC03, pNIC04 with 10 Gbps adapters"),
    "R11 single links (WS410)": (
        r11_three_node_switchless_single_link,
        [(HARDWARE, ("hv01", "hv02", "hv03"), C.RECOMMENDED)], "a 25 Gbps storage adapter"),
    "R13 one adapter (WS406, WS411)": (
        r13_rdma_vnic_without_set,
        [(HARDWARE, BOTH, C.SUPPORTED), ("setting", BOTH, C.RECOMMENDED)],
        '-NetAdapterName "SLOT 2","pNIC1" -EnableEmbeddedTeaming $true'),
    "R14 on switched storage, one VLAN (WS402)": (
        lambda: replace(r14_set_with_mapped_rdma_vnics(), interconnect=Interconnect.SWITCHED),
        [("setting", BOTH, C.RECOMMENDED)], '"SMB2" -IsolationMode VLAN -DefaultIsolationID 711'),
    "R15 no heartbeat class (WS307)": (
        r15_converged_nic_teamed, [("setting", BOTH, C.RECOMMENDED)], 'New-NetQosPolicy "Cluster"'),
    "R16 one adapter, no heartbeat class (WS307, WS406, WS411)": (
        r16_converged_nic_single,
        [("setting", BOTH, C.SUPPORTED), (HARDWARE, BOTH, C.SUPPORTED),
         ("setting", BOTH, C.RECOMMENDED)], 'New-NetQosPolicy "Cluster"'),
    "R10 SMB without a limit at 10 Gbps (WS503)": (
        lambda: replace(REFERENCE_DESIGNS["R10 two-node switched, fully converged at 10 Gbps (S23)"]
                        [0](), transport=Transport.SMB, smb_limit_bytes_per_second=None),
        [("setting", BOTH, C.RECOMMENDED)],
        "Set-VMHost -VirtualMachineMigrationPerformanceOption Compression"),
}


@pytest.mark.parametrize("name", DEGRADED)
def test_degraded_reference_design_plan(name):
    build, expected, text = DEGRADED[name]
    plan = only_plan(build())
    assert steps(plan) == expected
    assert text in plan.steps[0].action


def test_lbfo_with_rdma_members_has_a_plan_per_class():
    # LBFO over RDMA adapters on 2019: SET first (supported: the vNICs are not mapped yet), then
    # the mapping the new SET switch needs.
    design = _with_host(_switch(R1(), teaming=Teaming.LBFO, load_balancing=LoadBalancing.ADDRESS_HASH),
                        lambda h: replace(h, os_version=OsVersion.WS2019, vnics=tuple(
                            replace(v, mapped_to=None) for v in h.vnics)))
    found, complete = plans(design)
    assert complete and [(p.classification, p.cost) for p in found] == [
        (C.SUPPORTED, 6), (C.RECOMMENDED, 8)]
    assert steps(found[1]) == [("team", BOTH, C.SUPPORTED), ("setting", BOTH, C.RECOMMENDED)]
    for plan in found:
        check(design, plan)


@pytest.mark.parametrize("name", [n for n, v in REFERENCE_DESIGNS.items() if v[1] is C.RECOMMENDED])
def test_a_recommended_design_gets_no_plan(name):
    work = Work()
    assert plans(REFERENCE_DESIGNS[name][0](), work) == ((), True)
    assert work.evaluations == 1


# ---- the catalogue -----------------------------------------------------------------------------

def test_catalogue_kinds_are_the_shared_vocabulary_and_codes_are_rules():
    from service.domain.rulesets.ws2016 import RULES
    capped = {r.code for r in RULES if r.cap is not None}
    for change in CATALOGUE:
        assert change.kind in COSTS
        assert change.codes <= capped, change.name
    assert len({c.name for c in CATALOGUE}) == len(CATALOGUE)


def test_steps_are_ordered_settings_cabling_then_hardware_where_none_depends_on_another():
    design = replace(r1_fully_converged(), dcb=None, smb_limit_bytes_per_second=None)
    design = _with_host(design, lambda h: _nics(
        h, lambda n: replace(n, make="Fabrikam") if n.name == "pNIC02" else n))
    found, complete = plans(design)
    assert complete and found[-1].classification is C.RECOMMENDED
    check(design, found[-1])
    assert [s.change for s in found[-1].steps] == ["setting", "setting", "cabling", HARDWARE]


# ---- alike nodes, determinism and the bound on the work ---------------------------------------

def _bad_host(name):
    host = converged_host(name, 25, os_version=OsVersion.WS2019)
    host = _nics(host, lambda n: replace(n, make="Fabrikam") if n.name == "pNIC02" else n)
    return replace(
        host, switches=(replace(host.switches[0], teaming=Teaming.LBFO,
                                load_balancing=LoadBalancing.ADDRESS_HASH,
                                mode=TeamMode.LINK_AGGREGATION),),
        vnics=tuple(replace(v, vlan_id=None, mapped_to=None, network=Network.PUBLIC)
                    for v in host.vnics),
        host_qos_throttles=True, teamed_vnics=("SMB1", "SMB2"))


def worst_case(count: int = 64) -> Design:
    """Every host wrong in most ways the catalogue knows; every fourth with iWARP adapters
    (WS301, WS102), no DCB, SMB without a limit."""
    built = [_bad_host(f"hv{i:02}") for i in range(1, count + 1)]
    built = [_nics(h, lambda n: replace(n, rdma_kind=RdmaKind.IWARP)) if i % 4 == 3 else h
             for i, h in enumerate(built)]
    return Design(tuple(built), transport=Transport.SMB, interconnect=Interconnect.SWITCHED)


def test_alike_nodes_stay_alike():
    design = Design(tuple(_bad_host(f"hv{i:02}") for i in range(1, 6)), transport=Transport.SMB,
                    interconnect=Interconnect.SWITCHED)
    found, complete = plans(design)
    assert complete and found[-1].classification is C.RECOMMENDED
    for plan in found:
        check(design, plan)
        assert all(s.nodes == tuple(h.name for h in design.hosts) for s in plan.steps)
        final = designs_after(design, plan)[-1]
        assert len({replace(h, name="") for h in final.hosts}) == 1


def test_worst_case_work_is_bounded_and_counted():
    design = worst_case(16)
    assert len(set(evaluate(design).codes)) >= 10
    work = Work()
    found, complete = plans(design, work)
    assert complete
    assert work.evaluations == 105 <= WORK_LIMIT and work.units == 105 * size(design)
    assert [p.classification for p in found] == [C.NOT_RECOMMENDED, C.SUPPORTED, C.RECOMMENDED]
    for plan in found:
        assert evaluate(designs_after(design, plan)[-1]).classification is plan.classification
    assert all(p.cost < q.cost for p, q in zip(found, found[1:]))


def test_a_large_cluster_is_cut_short_by_its_size_and_says_so():
    # 64 such nodes would need 105 evaluations of 128 units each: the unit limit stops it.
    design = worst_case(64)
    work = Work()
    found, complete = plans(design, work)
    assert not complete and work.cut_short
    assert work.units <= UNIT_LIMIT < work.units + size(design)
    assert plans(worst_case(64)) == (found, complete)
    for plan in found:
        assert evaluate(designs_after(design, plan)[-1]).classification is plan.classification


def test_the_work_limit_stops_the_search_and_says_so():
    work = Work(limit=10)
    found, complete = plans(worst_case(8), work)
    assert not complete and work.cut_short
    assert work.evaluations == 10
    assert plans(worst_case(8), Work(limit=10)) == (found, complete)


@pytest.mark.parametrize("build", [lambda: worst_case(16), lambda: worst_case(3),
                                   COUNTER_EXAMPLES["N10 switchless without a link between two "
                                                    "nodes (S17)"][0]])
def test_plans_are_deterministic(build):
    assert plans(build()) == plans(build())


# ---- against every small set of changes --------------------------------------------------------

@pytest.mark.parametrize("name", [*COUNTER_EXAMPLE_PLANS, *DEGRADED])
def test_no_set_of_up_to_three_changes_reaches_the_class_for_less(name):
    build = COUNTER_EXAMPLE_PLANS.get(name) and COUNTER_EXAMPLES[name][0] or DEGRADED[name][0]
    design = build()
    verdict = evaluate(design)
    found, _ = plans(design)
    work = Work(limit=10_000)
    for plan in found:
        for count in (1, 2, 3):
            for subset in combinations(CATALOGUE, count):
                replayed = _replay(work, design, verdict, subset)
                assert replayed is not None
                if replayed and replayed[-1].verdict.classification.rank >= \
                        plan.classification.rank:
                    assert sum(s.made.cost for s in replayed) >= plan.cost, (
                        [c.name for c in subset], plan.cost)


def _second_member_step(design: Design) -> str:
    found = plans(design)[0]
    return next(s.action for p in found for s in p.steps if s.change == "add_adapter")


def test_a_one_member_switch_made_without_set_is_removed_and_created_again():
    # S5: "You must create a SET team at the same time that you create the Hyper-V Virtual
    # Switch"; "You can remove a SET team only by removing the Hyper-V Virtual Switch".
    from service.domain.rulesets.ws2016.designer import design as designed
    from service.domain.rulesets.ws2016.description import Nic
    single = designed((Nic("pNIC01", 25_000, make="Contoso", model="X"),),
                      ("hv01", "hv02")).design
    assert single.hosts[0].switches[0].teaming is None
    action = _second_member_step(single)
    assert action.index("Suspend-ClusterNode -Name $env:COMPUTERNAME -Drain") \
        < action.index('Remove-VMSwitch -Name "ConvergedSwitch" -Force') \
        < action.index('New-VMSwitch -Name "ConvergedSwitch" -NetAdapterName "pNIC01","pNIC1" '
                       "-EnableEmbeddedTeaming $true -AllowManagementOS $true "
                       "-MinimumBandwidthMode Weight") \
        < action.index('Rename-VMNetworkAdapter -ManagementOS -Name "ConvergedSwitch" -NewName '
                       '"Management"') \
        < action.index('Add-VMNetworkAdapter -ManagementOS -SwitchName "ConvergedSwitch" -Name '
                       '"LiveMigration"') \
        < action.index("Resume-ClusterNode -Name $env:COMPUTERNAME")
    # The weights come back too: the mode is chosen when the switch is created (S13).
    assert 'Set-VMSwitch -Name "ConvergedSwitch" -DefaultFlowMinimumBandwidthWeight 50' in action
    assert 'Add-VMNetworkAdapter -ManagementOS -SwitchName "ConvergedSwitch" -Name "Management"' \
        not in action


def test_a_one_member_set_switch_takes_its_second_member_with_set_vmswitchteam():
    # S5: "If you want to create a SET-capable switch with a single team member so that you can
    # add a team member at a later time, then you must use the EnableEmbeddedTeaming parameter";
    # members change with Set-VMSwitchTeam -NetAdapterName.
    from service.domain.rulesets.ws2016.designer import design as designed
    from service.domain.rulesets.ws2016.description import Nic
    single = designed((Nic("pNIC01", 25_000, make="Contoso", model="X"),),
                      ("hv01", "hv02")).design
    capable = replace(single, hosts=tuple(
        replace(h, switches=tuple(replace(s, teaming=Teaming.SET) for s in h.switches))
        for h in single.hosts))
    action = _second_member_step(capable)
    assert 'Set-VMSwitchTeam -Name "ConvergedSwitch" -NetAdapterName "pNIC01","pNIC1"' in action
    assert "Remove-VMSwitch" not in action

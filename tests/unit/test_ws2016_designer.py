"""The ws2016 designer: Microsoft's converged and dedicated layouts from a node's adapters, rated
by the rules, and the design-mode properties of the 2008 R2 ruleset (an added adapter never lowers
the best class; renaming changes nothing; identical nodes are rated like one pair)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from service.domain.model import Classification as C
from service.domain.rulesets.ws2016.description import (
    Nic, OsVersion, RdmaKind, Traffic, Transport,
)
from service.domain.rulesets.ws2016.designer import best_class, design, groups
from service.domain.rulesets.ws2016.render_ps1 import render

NODES = ("hv01", "hv02")


def nic(name, gbps, rdma=False, kind=None, make="Contoso", model="X"):
    return Nic(name, int(gbps * 1000), make=make, model=model, rdma=rdma or None,
               rdma_kind=kind if rdma else None)


def rdma(name, gbps, kind=RdmaKind.ROCE_V2):
    return nic(name, gbps, rdma=True, kind=kind, model="R")


TWO_RDMA_25 = (rdma("pNIC01", 25), rdma("pNIC02", 25))
TWO_10_TWO_RDMA_25 = (nic("pNIC01", 10), nic("pNIC02", 10), rdma("pNIC03", 25),
                      rdma("pNIC04", 25))
TWO_10 = (nic("pNIC01", 10), nic("pNIC02", 10))


def test_two_identical_rdma_adapters_are_converged_as_microsofts_fully_converged_intent():
    # S8 "Fully converged intent"; S23
    proposal = design(TWO_RDMA_25, NODES)
    assert proposal.layout.kind == "converged"
    assert proposal.verdict.classification is C.RECOMMENDED
    host = proposal.design.hosts[0]
    assert [v.vlan_id for v in host.vnics] == [711, 712]  # S8's default storage VLANs
    assert [v.mapped_to for v in host.vnics] == ["pNIC01", "pNIC02"]  # S5 affinity
    assert proposal.design.transport is Transport.SMB  # 7.25 Gbps >= 5 Gbps (S6)
    assert proposal.design.smb_limit_bytes_per_second == 906_250_000  # 7.25 Gbps in bytes


def test_management_pair_and_rdma_pair_are_laid_out_dedicated():
    # S22 two-node switched, non-converged: teamed management/compute, standalone RDMA storage
    proposal = design(TWO_10_TWO_RDMA_25, NODES)
    assert proposal.layout.kind == "dedicated"
    assert proposal.layout.switch_members == ("pNIC01", "pNIC02")
    assert proposal.layout.storage == ("pNIC03", "pNIC04")
    assert proposal.verdict.classification is C.RECOMMENDED
    storage = proposal.design.hosts[0].physical_for(Traffic.STORAGE)
    assert [n.vlan_id for n in storage] == [711, 712]


def test_two_by_ten_gigabit_converged_uses_compression():
    # S6 table, 10 Gbps row: "Use compression rather than RDMA"
    proposal = design((rdma("a", 10), rdma("b", 10)), NODES)
    assert proposal.design.transport is Transport.COMPRESSION
    assert proposal.design.smb_limit_bytes_per_second is None


def test_gigabit_management_adapters_do_not_pull_the_design_down():
    # Two 1 Gbps adapters beside 2 x 25 Gbps RDMA: dedicated would put management at 1 Gbps
    # (WS407), so the converged layout on the fast pair is kept.
    inventory = (*TWO_RDMA_25, nic("lom1", 1), nic("lom2", 1))
    proposal = design(inventory, NODES)
    assert proposal.verdict.classification is C.RECOMMENDED
    assert proposal.layout.switch_members == ("pNIC01", "pNIC02")


def test_groups_are_symmetric_sets():
    found = groups((*TWO_10_TWO_RDMA_25, nic("odd", 10, make="Fabrikam")))
    assert [tuple(n.name for n in g) for g in found] == [
        ("pNIC03", "pNIC04"), ("pNIC01", "pNIC02"), ("odd",)]


INVENTORIES = {
    "2 x 25 RDMA": TWO_RDMA_25,
    "2 x 10 + 2 x 25 RDMA": TWO_10_TWO_RDMA_25,
    "2 x 10 RDMA": (rdma("a", 10), rdma("b", 10)),
    "1 x 40 RDMA": (rdma("M1", 40),),
    "2 x 10 no RDMA": (nic("a", 10), nic("b", 10)),
    "2 x 1": (nic("a", 1), nic("b", 1)),
    "4 x 25 iWARP": tuple(rdma(f"p{i}", 25, RdmaKind.IWARP) for i in range(4)),
    "mixed makes": (rdma("a", 25), replace(rdma("b", 25), make="Fabrikam")),
}
EXTRA = (nic("x1", 1), nic("x10", 10), rdma("x25", 25), rdma("y25", 25))


@pytest.mark.parametrize("name", INVENTORIES)
@pytest.mark.parametrize("extra", EXTRA, ids=lambda n: n.name)
def test_adding_an_adapter_never_lowers_the_best_class(name, extra):
    inventory = INVENTORIES[name]
    assert best_class((*inventory, extra), NODES).rank >= best_class(inventory, NODES).rank


@pytest.mark.parametrize("name", INVENTORIES)
def test_renaming_adapters_and_nodes_changes_nothing(name):
    inventory = INVENTORIES[name]
    renamed = tuple(replace(n, name=f"z-{n.name}") for n in reversed(inventory))
    assert best_class(renamed, ("b", "a")) is best_class(inventory, NODES)


@pytest.mark.parametrize("name", INVENTORIES)
def test_identical_nodes_are_rated_like_one_pair(name):
    inventory = INVENTORIES[name]
    for count in (3, 8, 16):
        nodes = tuple(f"n{i:02}" for i in range(count))
        assert best_class(inventory, nodes) is best_class(inventory, NODES)


# ---- the PowerShell rendering, against files reviewed by hand line by line -------------------
# (each command and parameter checked against the Microsoft page the fact sheet cites for it:
# New-NetQosPolicy S10, New-NetQosTrafficClass S11, New-VMSwitch S13, SET and vNIC commands S5,
# VLAN on a physical adapter S15, Set-VMHost S2, Set-SmbBandwidthLimit and FS-SMBBW S3)

EXPECTED = Path(__file__).parent / "expected"


@pytest.mark.parametrize("inventory, expected", [
    (TWO_RDMA_25, "ws2016-converged-2x25.ps1"),
    (TWO_10_TWO_RDMA_25, "ws2016-dedicated-2x10-2x25.ps1"),
    (TWO_10, "ws2016-no-rdma-2x10.ps1"),
])
def test_powershell_matches_the_reviewed_file(inventory, expected):
    # Windows Server 2022, as tests/ws2016_json.py describes the nodes to the API (the same file)
    script = render(design(inventory, NODES, os_version=OsVersion.WS2022).design, "hv01")
    assert script == (EXPECTED / expected).read_text()


def test_a_converged_switch_without_rdma_reserves_bandwidth_with_weights():
    # No SMB Direct, so no DCB class: the switch is in Weight mode (S13), live migration and
    # management each get a host vNIC with a weight (S29), the virtual machines the default flow
    # (S12); the values keep S38's guidance (sum 100, management 5 or more).
    from service.domain.rulesets.ws2016.description import BandwidthMode
    proposal = design(TWO_10, NODES)
    assert proposal.layout.kind == "converged"
    host = proposal.design.hosts[0]
    (switch,) = host.switches
    assert switch.bandwidth_mode is BandwidthMode.WEIGHT
    assert Traffic.MANAGEMENT not in switch.traffic
    weights = {v.name: v.weight for v in host.vnics}
    assert weights == {"Management": 10, "LiveMigration": 40}
    assert sum(weights.values()) + switch.default_flow_weight == 100
    assert {t for v in host.vnics for t in v.traffic} == {Traffic.MANAGEMENT,
                                                         Traffic.LIVE_MIGRATION}
    assert not {"WS510", "WS511", "WS512"} & set(proposal.verdict.codes)
    # RDMA members keep DCB and storage vNICs, without weights.
    rdma_host = design(TWO_RDMA_25, NODES).design.hosts[0]
    assert rdma_host.switches[0].bandwidth_mode is None
    assert all(v.weight is None for v in rdma_host.vnics)


def test_powershell_states_the_limit_in_exact_bytes_and_no_binary_suffixes():
    script = render(design(TWO_RDMA_25, NODES).design, "hv01")
    assert "-BytesPerSecond 906250000" in script
    assert not any(f"{d}MB" in script or f"{d}GB" in script for d in "0123456789")


def test_a_node_of_many_adapter_models_rates_layouts_of_its_fastest_groups_only():
    # 32 adapters of 32 models: 1,056 layouts over every pair of groups; the designer rates those
    # of the MAX_GROUPS fastest, so the most expensive description stays cheap (work, not time).
    from service.domain.rulesets.ws2016.designer import MAX_GROUPS, candidates
    many = tuple(nic(f"pNIC{i:02d}", 1 + i, rdma=i % 2 == 0, kind=RdmaKind.IWARP,
                     model=f"M{i}") for i in range(32))
    layouts = candidates(many)
    assert len(layouts) == MAX_GROUPS + MAX_GROUPS * (MAX_GROUPS - 1)
    fastest = {n.name for g in groups(many)[:MAX_GROUPS] for n in g}
    assert all(set(layout.switch_members) | set(layout.storage) <= fastest for layout in layouts)
    assert design(many, NODES).layout in layouts


def test_one_adapter_between_the_nodes_is_a_single_point_of_failure():
    # S30: "avoid having single points of failure" in the network that connects the nodes.
    single = design((nic("pNIC01", 25),), NODES)
    assert "WS411" in {f.code for f in single.verdict.findings}
    assert single.verdict.classification is C.SUPPORTED
    teamed = design((nic("pNIC01", 25), nic("pNIC02", 25)), NODES)
    assert "WS411" not in {f.code for f in teamed.verdict.findings}
    alone = design((nic("pNIC01", 25),), ("hv01",))  # no other node to be cut off from
    assert "WS411" not in {f.code for f in alone.verdict.findings}


def test_infiniband_only_nodes_need_ethernet_for_the_switch():
    # S40: "Hyper-V Virtual Switch only supports Ethernet, and does not support any other wired
    # local area network (LAN) technologies, such as Infiniband and Fibre Channel."
    from service.domain.rulesets.ws2016 import plans
    infiniband = (rdma("pNIC01", 25, kind=RdmaKind.INFINIBAND),
                  rdma("pNIC02", 25, kind=RdmaKind.INFINIBAND))
    proposal = design(infiniband, NODES)
    assert proposal.verdict.classification is C.UNSUPPORTED
    hit = next(f for f in proposal.verdict.findings if f.code == "WS210")
    assert "InfiniBand adapters pNIC01, pNIC02 are under Hyper-V switch" in hit.message
    found, _ = plans(proposal.design)
    step = found[0].steps[0]
    assert step.action.startswith("Add two 10 Gbps Ethernet adapters (pNIC1, pNIC2)")
    assert "pNIC01, pNIC02 carry storage (SMB Direct) on their own" in step.action
    assert ('New-VMSwitch -Name "ConvergedSwitch" -NetAdapterName "pNIC1","pNIC2" '
            "-EnableEmbeddedTeaming $true") in step.action
    # The script does not bind a switch to InfiniBand adapters (S40).
    script = render(proposal.design, "hv01")
    assert "New-VMSwitch" not in script and "over InfiniBand adapters" in script
    assert step.classification_after is not C.UNSUPPORTED
    # With Ethernet adapters beside them, InfiniBand stays off the switch: no WS210.
    mixed = design((nic("pNIC03", 25), nic("pNIC04", 25), *infiniband), NODES)
    assert "WS210" not in mixed.verdict.codes


def test_infiniband_storage_adapters_get_no_vlan_and_no_dcb():
    # 802.1Q VLANs and DCB's PFC/ETS are Ethernet's: InfiniBand storage is untagged, and the
    # answer says why there is no DCB.
    mixed = design((nic("pNIC01", 25), nic("pNIC02", 25),
                    rdma("ib1", 100, kind=RdmaKind.INFINIBAND),
                    rdma("ib2", 100, kind=RdmaKind.INFINIBAND)), NODES,
                   os_version=OsVersion.WS2022).design
    storage = [n for n in mixed.hosts[0].nics if Traffic.STORAGE in n.traffic]
    assert [n.name for n in storage] == ["ib1", "ib2"] and all(n.vlan_id is None for n in storage)
    assert mixed.dcb is None
    script = render(mixed, "hv01")
    assert "VlanID" not in script and "Enable-NetAdapterRDMA 'ib1'" in script

"""The Windows Server 2016 and later ruleset's domain core against Microsoft's published designs.

Each reference design is docs/rulesets/ws2016-and-later.md's R-number, built as its source
describes it; its expected class is what that source says of it (a validated pattern or a
supported example is at least `supported`; where our rules find a deviation from another
Microsoft page, the test names both). Counter-examples are N-numbers.
"""
from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import pytest

from service.domain.model import Classification as C, Network, TeamMode
from service.domain.rulesets.ws2016 import RULES, SOURCES, converged, evaluate, smb_limit_factor
from service.domain.rulesets.ws2016.description import (
    Dcb,
    Design,
    Host,
    HostVnic,
    Interconnect,
    Link,
    LoadBalancing,
    Nic,
    OsVersion,
    RdmaKind,
    Switch,
    Teaming,
    Traffic as T,
    Transport,
)

ROOT = Path(__file__).parents[2]
PACKAGE = ROOT / "service" / "domain" / "rulesets" / "ws2016"
MGMT_COMPUTE = frozenset({T.MANAGEMENT, T.COMPUTE})
MGMT = frozenset({T.MANAGEMENT})
STORAGE = frozenset({T.STORAGE})
ATC_DCB = Dcb(hosts=True, switches=True)  # Network ATC's defaults (S8): 3, PFC on 3, 50%, 7


# ---- builders ---------------------------------------------------------------------------------

def nic(name, gbps, *, rdma=None, kind=None, traffic=frozenset(), vlan=None, make="Contoso",
        model="CX-25", network=None):
    return Nic(name, int(gbps * 1000), make=make, model=model, rdma=rdma, rdma_kind=kind,
               traffic=frozenset(traffic), vlan_id=vlan, network=network)


def rdma_nic(name, gbps, kind=RdmaKind.ROCE_V2, **kw):
    return nic(name, gbps, rdma=True, kind=kind, **kw)


def smb_vnics(switch, members, vlans=(711, 712)):
    return tuple(HostVnic(f"SMB{i + 1}", switch, STORAGE, rdma=True, vlan_id=vlan, mapped_to=m)
                 for i, (m, vlan) in enumerate(zip(members, vlans)))


def hosts(count, build):
    return tuple(build(f"hv0{i}") for i in range(1, count + 1))


def full_mesh(count, links_per_pair):
    names = [f"hv0{i}" for i in range(1, count + 1)]
    return tuple(Link(a, b, links_per_pair) for i, a in enumerate(names) for b in names[i + 1:])


def converged_host(name, gbps, *, kind=RdmaKind.ROCE_V2, members=2, vlans=(711, 712),
                   os_version=OsVersion.WS2022):
    pnics = tuple(rdma_nic(f"pNIC0{i}", gbps, kind, vlan=None) for i in range(1, members + 1))
    names = tuple(n.name for n in pnics)
    return Host(name, pnics,
                switches=(Switch("ConvergedSwitch", names, Teaming.SET,
                                 LoadBalancing.HYPER_V_PORT, traffic=MGMT_COMPUTE),),
                vnics=smb_vnics("ConvergedSwitch", names, vlans), os_version=os_version)


def dedicated_host(name, *, mgmt_gbps=10, storage_gbps=25, kind=RdmaKind.ROCE_V2, storage_nics=2,
                   os_version=OsVersion.WS2022, extra=()):
    mgmt = (nic("pNIC01", mgmt_gbps), nic("pNIC02", mgmt_gbps))
    storage = tuple(rdma_nic(f"pNIC0{i + 3}", storage_gbps, kind, traffic=STORAGE,
                             vlan=711 + i) for i in range(storage_nics))
    return Host(name, (*mgmt, *storage, *extra),
                switches=(Switch("MgmtCompute", ("pNIC01", "pNIC02"), Teaming.SET,
                                 LoadBalancing.HYPER_V_PORT, traffic=MGMT_COMPUTE),),
                os_version=os_version)


def smb_design(build, count=2, gbps=25, **kw):
    plan = converged(int(gbps * 1000))
    return Design(hosts(count, build), transport=plan.transport,
                  smb_limit_bytes_per_second=plan.smb_limit_bytes_per_second, **kw)


# ---- the reference designs (docs/rulesets/ws2016-and-later.md §11) ----------------------------

def r1_fully_converged():
    # S8 "Fully converged intent": Add-NetIntent -Management -Compute -Storage -AdapterName pNIC01, pNIC02
    return smb_design(lambda n: converged_host(n, 25), dcb=ATC_DCB, network_atc=True, azure_local=True,
                      interconnect=Interconnect.SWITCHED)


def r2_converged_compute_storage_separate_management():
    # S8: Mgmt intent on pNIC01/02; Compute_Storage intent on pNIC03/04
    def build(name):
        base = converged_host(name, 25)
        mgmt = (nic("pNIC01m", 10), nic("pNIC02m", 10))
        return replace(base, nics=(*mgmt, *base.nics),
                       switches=(Switch("Mgmt", ("pNIC01m", "pNIC02m"), Teaming.SET,
                                        LoadBalancing.HYPER_V_PORT, traffic=MGMT),
                                 replace(base.switches[0], traffic=frozenset({T.COMPUTE}))))
    return smb_design(build, dcb=ATC_DCB, network_atc=True, azure_local=True, interconnect=Interconnect.SWITCHED)


def r3_fully_disaggregated():
    # S8: Mgmt 01/02, Compute 03/04, Storage 05/06
    def build(name):
        return Host(name, (nic("pNIC01", 10), nic("pNIC02", 10), nic("pNIC03", 25),
                           nic("pNIC04", 25),
                           rdma_nic("pNIC05", 25, traffic=STORAGE, vlan=711),
                           rdma_nic("pNIC06", 25, traffic=STORAGE, vlan=712)),
                    switches=(Switch("Mgmt", ("pNIC01", "pNIC02"), Teaming.SET, traffic=MGMT),
                              Switch("Compute", ("pNIC03", "pNIC04"), Teaming.SET,
                                     LoadBalancing.HYPER_V_PORT,
                                     traffic=frozenset({T.COMPUTE}))),
                    os_version=OsVersion.WS2025)
    return smb_design(build, dcb=ATC_DCB, network_atc=True, azure_local=True, interconnect=Interconnect.SWITCHED)


def r4_storage_only_intent():
    # S8 "Storage-only intent": only pNIC05/06 managed; management and compute on other adapters
    return smb_design(lambda n: dedicated_host(n), dcb=ATC_DCB, network_atc=True, azure_local=True,
                      interconnect=Interconnect.SWITCHED)


def r5_compute_and_management_intent():
    # S8: Management_Compute intent; no storage intent (live migration then over management)
    def build(name):
        return Host(name, (nic("pNIC01", 10), nic("pNIC02", 10)),
                    switches=(Switch("MgmtCompute", ("pNIC01", "pNIC02"), Teaming.SET,
                                     LoadBalancing.HYPER_V_PORT, traffic=MGMT_COMPUTE),),
                    os_version=OsVersion.WS2025)
    return Design(hosts(2, build), transport=Transport.COMPRESSION, network_atc=True, azure_local=True)


def r6_single_server():
    # S19: two teamed management/compute ports, two disconnected RDMA ports
    def build(name):
        return Host(name, (nic("pNIC01", 10), nic("pNIC02", 10), rdma_nic("pNIC03", 25),
                           rdma_nic("pNIC04", 25)),
                    switches=(Switch("MgmtCompute", ("pNIC01", "pNIC02"), Teaming.SET,
                                     LoadBalancing.HYPER_V_PORT, traffic=MGMT_COMPUTE),),
                    os_version=OsVersion.WS2022)
    return Design(hosts(1, build), network_atc=True, azure_local=True)


def r7_two_node_switchless_single_switch():
    # S20: 2 teamed mgmt/compute (10 Gbps recommended) + 2 RDMA storage (>= 10 Gbps), full mesh
    return smb_design(lambda n: dedicated_host(n), dcb=Dcb(hosts=True, switches=None),
                      interconnect=Interconnect.SWITCHLESS, links=full_mesh(2, 2),
                      network_atc=True, azure_local=True)


def r8_two_node_switchless_two_switches():
    # S21: as R7, each teamed NIC on a different TOR (not a fact the rules read)
    return r7_two_node_switchless_single_switch()


def r9_two_node_switched_non_converged():
    # S22: 2 teamed mgmt/compute + 2 standalone RDMA NICs, each to a different TOR
    return smb_design(lambda n: dedicated_host(n), dcb=ATC_DCB,
                      interconnect=Interconnect.SWITCHED, network_atc=True, azure_local=True)


def r10_two_node_switched_fully_converged():
    # S23: two teamed ports "At 10 Gbps" carrying management, compute and RDMA storage
    return smb_design(lambda n: converged_host(n, 10), gbps=10, dcb=ATC_DCB,
                      interconnect=Interconnect.SWITCHED, network_atc=True, azure_local=True)


def r11_three_node_switchless_single_link():
    # S24: "there's no redundant network connection between the nodes"
    return smb_design(lambda n: dedicated_host(n), count=3, dcb=Dcb(hosts=True),
                      interconnect=Interconnect.SWITCHLESS, links=full_mesh(3, 1),
                      azure_local=True)


def r12_three_node_switchless_dual_link():
    # S25: four RDMA NICs per node, two links between every pair
    return smb_design(lambda n: dedicated_host(n, storage_nics=4), count=3, dcb=Dcb(hosts=True),
                      interconnect=Interconnect.SWITCHLESS, links=full_mesh(3, 2),
                      azure_local=True)


R14_DCB = Dcb(hosts=True, switches=True, smb_priority=3, pfc_priorities=frozenset({3}),
              smb_bandwidth_percent=30, heartbeat_priority=None)  # S5's DCB example


def r13_rdma_vnic_without_set():
    # S5 "Create a Hyper-V Virtual Switch with an RDMA vNIC": New-VMSwitch RDMAswitch on "SLOT 2"
    def build(name):
        return Host(name, (rdma_nic("SLOT 2", 25, kind=None),),
                    switches=(Switch("RDMAswitch", ("SLOT 2",), traffic=MGMT_COMPUTE),),
                    vnics=(HostVnic("SMB_1", "RDMAswitch", STORAGE, rdma=True, vlan_id=42),),
                    os_version=OsVersion.WS2016)
    return Design(hosts(2, build), transport=Transport.COMPRESSION, dcb=R14_DCB)


def r14_set_with_mapped_rdma_vnics():
    # S5: SETswitch on "SLOT 2","SLOT 3"; SMB_1/SMB_2 on VLAN 42, mapped to SLOT 2 and SLOT 3
    def build(name):
        members = ("SLOT 2", "SLOT 3")
        return Host(name, tuple(rdma_nic(m, 25, kind=None) for m in members),
                    switches=(Switch("SETswitch", members, Teaming.SET, traffic=MGMT_COMPUTE),),
                    vnics=smb_vnics("SETswitch", members, vlans=(42, 42)),
                    os_version=OsVersion.WS2016)
    return Design(hosts(2, build), transport=Transport.COMPRESSION, dcb=R14_DCB)


def r15_converged_nic_teamed():
    # S15: two 40 Gbps Mellanox ConnectX-3 Pro (RoCE) per host, SET, priority 3, PFC 3, ETS 50%
    def build(name):
        base = converged_host(name, 40, vlans=(101, 102), os_version=OsVersion.WS2016)
        return replace(base, nics=tuple(replace(n, make="Mellanox", model="ConnectX-3 Pro")
                                        for n in base.nics))
    return smb_design(build, gbps=40,
                      dcb=Dcb(hosts=True, switches=True, heartbeat_priority=None))


def r16_converged_nic_single():
    # S16: one 40 Gbps RoCE adapter, a switch on it, a host vNIC; priority 3, PFC 3, ETS 30%
    def build(name):
        return Host(name, (rdma_nic("M1", 40, make="Mellanox", model="ConnectX-3 Pro"),),
                    switches=(Switch("VMSTEST", ("M1",), traffic=MGMT_COMPUTE),),
                    vnics=(HostVnic("SMB", "VMSTEST", STORAGE, rdma=True, vlan_id=101),),
                    os_version=OsVersion.WS2016)
    return smb_design(build, gbps=40, dcb=Dcb(hosts=True, switches=True, smb_bandwidth_percent=30,
                                              heartbeat_priority=None))


def r17_to_r22_converged(gbps):
    # S6 "Traffic bandwidth allocation": two SET members, SMB 50% by DCB, LM 29% of it
    return smb_design(lambda n: converged_host(n, gbps), gbps=gbps, dcb=ATC_DCB,
                      interconnect=Interconnect.SWITCHED)


def r24_s2d_small():
    # S17: 2-3 nodes, 10 Gbps or faster, two or more connections recommended
    return smb_design(lambda n: dedicated_host(n, storage_gbps=10, kind=RdmaKind.IWARP), gbps=10,
                      storage_spaces_direct=True, interconnect=Interconnect.SWITCHED)


def r25_s2d_at_scale():
    # S17: 4+ nodes, 25 Gbps RDMA ("iWARP (recommended) or RoCE"), two or more connections
    return smb_design(lambda n: dedicated_host(n, storage_gbps=25, kind=RdmaKind.IWARP), count=4,
                      storage_spaces_direct=True, interconnect=Interconnect.SWITCHED)


# (design, expected class, codes that must be among the findings, codes that must not)
REFERENCE_DESIGNS = {
    "R1 fully converged intent (S8)": (r1_fully_converged, C.RECOMMENDED, set(), set()),
    "R2 compute+storage, separate management (S8)":
        (r2_converged_compute_storage_separate_management, C.RECOMMENDED, set(), set()),
    "R3 fully disaggregated (S8)": (r3_fully_disaggregated, C.RECOMMENDED, set(), set()),
    "R4 storage-only intent (S8)": (r4_storage_only_intent, C.RECOMMENDED, set(), set()),
    "R5 compute and management intent (S8)":
        (r5_compute_and_management_intent, C.RECOMMENDED, set(), {"WS501"}),
    "R6 single server (S19)": (r6_single_server, C.RECOMMENDED, {"WS103"}, set()),
    "R7 two-node switchless, single switch (S20)":
        (r7_two_node_switchless_single_switch, C.RECOMMENDED, set(), {"WS303"}),
    "R8 two-node switchless, two switches (S21)":
        (r8_two_node_switchless_two_switches, C.RECOMMENDED, set(), {"WS303"}),
    "R9 two-node switched, non-converged (S22)":
        (r9_two_node_switched_non_converged, C.RECOMMENDED, set(), set()),
    "R10 two-node switched, fully converged at 10 Gbps (S23)":
        (r10_two_node_switched_fully_converged, C.RECOMMENDED, set(), {"WS503"}),
    # S24 validates it; S9 asks for a redundant connection between every pair (both named).
    "R11 three-node switchless, single link (S24)":
        (r11_three_node_switchless_single_link, C.SUPPORTED, {"WS410"}, {"WS404"}),
    "R12 three-node switchless, dual link (S25)":
        (r12_three_node_switchless_dual_link, C.RECOMMENDED, set(), {"WS410"}),
    # One adapter: no storage redundancy (S17 recommends two or more); 30% is S5's example.
    "R13 RDMA vNIC on a switch without SET (S5)":
        (r13_rdma_vnic_without_set, C.SUPPORTED, {"WS406", "WS308", "WS001"}, set()),
    "R14 SET with mapped RDMA vNICs (S5)":
        (r14_set_with_mapped_rdma_vnics, C.RECOMMENDED, {"WS308"}, {"WS310"}),
    # S15 configures no heartbeat class, which S8 and S6 recommend.
    "R15 converged NIC, teamed (S15)": (r15_converged_nic_teamed, C.SUPPORTED, {"WS307"}, set()),
    "R16 converged NIC, single adapter (S16)":
        (r16_converged_nic_single, C.SUPPORTED, {"WS307", "WS406", "WS308"}, set()),
    "R17 converged 2 x 10 Gbps (S6)": (lambda: r17_to_r22_converged(10), C.RECOMMENDED, set(),
                                       {"WS503"}),
    "R18 converged 2 x 25 Gbps (S6)": (lambda: r17_to_r22_converged(25), C.RECOMMENDED, set(),
                                       {"WS502", "WS504"}),
    "R19 converged 2 x 40 Gbps (S6)": (lambda: r17_to_r22_converged(40), C.RECOMMENDED, set(),
                                       {"WS502", "WS504"}),
    "R20 converged 2 x 50 Gbps (S6)": (lambda: r17_to_r22_converged(50), C.RECOMMENDED, set(),
                                       {"WS502", "WS504"}),
    "R21 converged 2 x 100 Gbps (S6)": (lambda: r17_to_r22_converged(100), C.RECOMMENDED, set(),
                                        {"WS502", "WS504"}),
    "R22 converged 2 x 200 Gbps (S6)": (lambda: r17_to_r22_converged(200), C.RECOMMENDED, set(),
                                        {"WS502", "WS504"}),
    "R24 Storage Spaces Direct, 2 nodes at 10 Gbps (S17)":
        (r24_s2d_small, C.RECOMMENDED, set(), {"WS409"}),
    "R25 Storage Spaces Direct, 4 nodes at 25 Gbps iWARP (S17)":
        (r25_s2d_at_scale, C.RECOMMENDED, {"WS309"}, set()),
}


@pytest.mark.parametrize("name", REFERENCE_DESIGNS)
def test_reference_design_is_rated_as_its_source_says(name):
    build, expected, present, absent = REFERENCE_DESIGNS[name]
    verdict = evaluate(build())
    assert verdict.classification is expected, [(f.code, f.message) for f in verdict.findings]
    assert present <= set(verdict.codes)
    assert not absent & set(verdict.codes)


def test_at_least_fifteen_reference_designs_each_citing_its_source():
    assert len(REFERENCE_DESIGNS) >= 15
    assert all("(S" in name for name in REFERENCE_DESIGNS)


def test_r14_on_switched_storage_meets_the_recommendation_of_separate_vlans():
    # S5's example puts SMB_1 and SMB_2 on VLAN 42; S6 recommends a VLAN per set of adapters.
    verdict = evaluate(replace(r14_set_with_mapped_rdma_vnics(),
                               interconnect=Interconnect.SWITCHED))
    assert verdict.classification is C.SUPPORTED and "WS402" in verdict.codes


# ---- S6's bandwidth table (R17-R22) and S4's factor (R23) --------------------------------------

# NIC speed (Gbps): (SMB reservation, SBL/CSV, max live migration, heartbeat) in bit/s, transport
S6_TABLE = {
    10: (10_000_000_000, 7_000_000_000, 2_900_000_000, 200_000_000, Transport.COMPRESSION),
    25: (25_000_000_000, 17_500_000_000, 7_250_000_000, 250_000_000, Transport.SMB),
    40: (40_000_000_000, 28_000_000_000, 11_600_000_000, 400_000_000, Transport.SMB),
    50: (50_000_000_000, 35_000_000_000, 14_500_000_000, 500_000_000, Transport.SMB),
    100: (100_000_000_000, 70_000_000_000, 29_000_000_000, 1_000_000_000, Transport.SMB),
    200: (200_000_000_000, 140_000_000_000, 58_000_000_000, 2_000_000_000, Transport.SMB),
}


@pytest.mark.parametrize("gbps", S6_TABLE)
def test_converged_plan_reproduces_microsofts_allocation_table(gbps):
    smb, csv, live_migration, heartbeat, transport = S6_TABLE[gbps]
    plan = converged(gbps * 1000)
    assert plan.teamed_bits_per_second == 2 * gbps * 1_000_000_000
    assert plan.smb_reservation_bits_per_second == smb
    assert plan.csv_bits_per_second == csv
    assert plan.heartbeat_bits_per_second == heartbeat
    assert plan.transport is transport
    if transport is Transport.SMB:
        assert plan.live_migration_bits_per_second == live_migration
        assert plan.smb_limit_bytes_per_second * 8 == live_migration  # exact bytes, no MB suffix
    else:  # S6: "* Use compression rather than RDMA ... <5 Gbps"; the limit is SMB's only
        assert plan.live_migration_bits_per_second < 5_000_000_000
        assert plan.smb_limit_bytes_per_second is None


def test_s6_example_limit_of_750mb_is_not_exactly_6_gbps():
    # S6: "750 MBps in this example equates to 6 Gbps"; S3: 1MB is 1048576 bytes.
    assert 750 * 1_048_576 * 8 == 6_291_456_000
    assert 6_000_000_000 // 8 == 750_000_000


def test_r23_cluster_wide_factor_of_the_worked_example():
    # S4: four 10 Gbps adapters per node (40), live migration 10: factor 2500 (25%)
    assert smb_limit_factor(10_000_000_000, 40_000_000_000) == 2500


# ---- counter-examples (N1-N10) ----------------------------------------------------------------

def _with_host(design, change):
    return replace(design, hosts=tuple(change(h) for h in design.hosts))


def _nics(host, change):
    return replace(host, nics=tuple(change(n) for n in host.nics))


def n1_mixed_makes():
    def change(host):
        return _nics(host, lambda n: replace(n, make="Fabrikam") if n.name == "pNIC02" else n)
    return _with_host(r1_fully_converged(), change)


def n1b_mixed_speeds():
    def change(host):
        return _nics(host, lambda n: replace(n, speed_mbps=10_000) if n.name == "pNIC02" else n)
    return _with_host(r1_fully_converged(), change)


def n2_nine_members():
    def build(name):
        return converged_host(name, 25, members=9, vlans=tuple(range(711, 720)))
    return smb_design(build, dcb=ATC_DCB, interconnect=Interconnect.SWITCHED)


def n3_switch_dependent_set():
    return _with_host(r1_fully_converged(), lambda h: replace(
        h, switches=(replace(h.switches[0], mode=TeamMode.LINK_AGGREGATION),)))


def n3b_set_with_standby():
    return _with_host(r1_fully_converged(), lambda h: replace(
        h, switches=(replace(h.switches[0], standby=True),)))


def n4_roce_without_dcb():
    return replace(r1_fully_converged(), dcb=None)


def n4b_roce_switches_without_pfc():
    return replace(r1_fully_converged(), dcb=Dcb(hosts=True, switches=False))


def n5_roce_untagged():
    return _with_host(r1_fully_converged(), lambda h: replace(
        h, vnics=tuple(replace(v, vlan_id=None) for v in h.vnics)))


def n6_iwarp_meets_roce():
    design = r9_two_node_switched_non_converged()
    first, second = design.hosts
    second = _nics(second, lambda n: replace(n, rdma_kind=RdmaKind.IWARP) if n.rdma else n)
    return replace(design, hosts=(first, second))


def n7_lbfo_under_switch_2022():
    # R5's hosts on Windows Server without Network ATC, which would deploy SET (S31, S27).
    design = replace(r5_compute_and_management_intent(), network_atc=False, azure_local=False)
    return _with_host(design, lambda h: replace(
        h, os_version=OsVersion.WS2022,
        switches=(replace(h.switches[0], teaming=Teaming.LBFO),)))


def n7b_lbfo_under_switch_2019():
    return _with_host(n7_lbfo_under_switch_2022(),
                      lambda h: replace(h, os_version=OsVersion.WS2019))


def n8_teamed_host_vnics():
    return _with_host(r1_fully_converged(), lambda h: replace(h, teamed_vnics=("SMB1", "SMB2")))


def n9_smb_without_limit():
    return replace(r1_fully_converged(), smb_limit_bytes_per_second=None)


def n10_no_link_between_two_nodes():
    design = r11_three_node_switchless_single_link()
    return replace(design, links=tuple(link for link in design.links
                                       if {link.a, link.b} != {"hv01", "hv03"}))


COUNTER_EXAMPLES = {
    "N1 SET members of different makes (S5)": (n1_mixed_makes, C.UNSUPPORTED, "WS201"),
    "N1 SET members of different speeds (S6)": (n1b_mixed_speeds, C.UNSUPPORTED, "WS202"),
    "N2 nine SET members (S5)": (n2_nine_members, C.UNSUPPORTED, "WS203"),
    "N3 switch-dependent SET (S5)": (n3_switch_dependent_set, C.UNSUPPORTED, "WS204"),
    "N3 SET with a standby member (S5)": (n3b_set_with_standby, C.UNSUPPORTED, "WS204"),
    "N4 RoCE without DCB on the hosts (S5)": (n4_roce_without_dcb, C.UNSUPPORTED, "WS302"),
    "N4 RoCE through switches without PFC/ETS (S6)":
        (n4b_roce_switches_without_pfc, C.UNSUPPORTED, "WS303"),
    "N5 untagged RoCE vNICs (S8)": (n5_roce_untagged, C.UNSUPPORTED, "WS304"),
    "N6 iWARP at one end, RoCE at the other (S6)": (n6_iwarp_meets_roce, C.UNSUPPORTED, "WS301"),
    "N7 LBFO under the switch on 2022 (S27)": (n7_lbfo_under_switch_2022, C.UNSUPPORTED, "WS206"),
    "N7 LBFO under the switch on 2019 (S27)": (n7b_lbfo_under_switch_2019, C.SUPPORTED, "WS207"),
    "N8 host vNICs in an LBFO team (S14)": (n8_teamed_host_vnics, C.UNSUPPORTED, "WS208"),
    "N9 SMB live migration without a limit (S4)":
        (n9_smb_without_limit, C.NOT_RECOMMENDED, "WS503"),
    "N10 switchless without a link between two nodes (S17)":
        (n10_no_link_between_two_nodes, C.UNSUPPORTED, "WS404"),
}


@pytest.mark.parametrize("name", COUNTER_EXAMPLES)
def test_counter_example_is_rated_down_by_its_rule(name):
    build, expected, code = COUNTER_EXAMPLES[name]
    verdict = evaluate(build())
    assert verdict.classification is expected, [(f.code, f.message) for f in verdict.findings]
    assert code in verdict.codes


def test_more_rules_one_at_a_time():
    r1 = r1_fully_converged()
    cases = [
        (replace(r1, smb_limit_bytes_per_second=1000), "WS506", C.UNSUPPORTED),
        (replace(r1, smb_limit_bytes_per_second=4_000_000_000), "WS504", C.SUPPORTED),
        (replace(r1, smb_limit_bytes_per_second=500_000_000), "WS502", C.RECOMMENDED),
        (replace(r1, dcb=Dcb(hosts=True, switches=True, pfc_priorities=frozenset({3, 4}))),
         "WS305", C.SUPPORTED),
        (replace(r1, dcb=Dcb(hosts=True, switches=True, pfc_priorities=frozenset({4}))),
         "WS312", C.UNSUPPORTED),
        (replace(r1, dcb=Dcb(hosts=True, switches=True, smb_priority=4,
                             pfc_priorities=frozenset({4}))), "WS306", C.RECOMMENDED),
        (replace(r1, dcb=Dcb(hosts=True, switches=True, heartbeat_priority=None),
                 azure_local=True), "WS313", C.UNSUPPORTED),
        (replace(r1, storage_spaces_direct=True,
                 hosts=hosts(17, lambda n: converged_host(n, 25))), "WS104", C.UNSUPPORTED),
        (replace(r1, transport=None), "WS501", C.RECOMMENDED),
        (_with_host(r1, lambda h: replace(h, os_version=OsVersion.WS2012R2)), "WS101",
         C.UNSUPPORTED),
        (_with_host(r1, lambda h: replace(h, switches=(replace(
            h.switches[0], load_balancing=LoadBalancing.DYNAMIC),))), "WS205", C.SUPPORTED),
        (_with_host(r1, lambda h: replace(h, vnics=tuple(replace(v, mapped_to=None)
                                                         for v in h.vnics))), "WS310",
         C.SUPPORTED),
        (_with_host(r1, lambda h: replace(h, host_qos_throttles=True)), "WS408", C.SUPPORTED),
        (_with_host(r4_storage_only_intent(), lambda h: _nics(
            h, lambda n: replace(n, speed_mbps=1000) if n.name in ("pNIC01", "pNIC02") else n)),
         "WS407", C.SUPPORTED),
        (_with_host(r4_storage_only_intent(), lambda h: _nics(
            h, lambda n: replace(n, network=Network.PUBLIC) if T.STORAGE in n.traffic else n)),
         "WS401", C.SUPPORTED),
        (replace(r12_three_node_switchless_dual_link(),
                 hosts=hosts(4, lambda n: dedicated_host(n, storage_nics=4)),
                 links=full_mesh(4, 2)), "WS405", C.RECOMMENDED),
        (replace(r24_s2d_small(), hosts=hosts(2, lambda n: dedicated_host(
            n, storage_gbps=1, kind=RdmaKind.IWARP))), "WS409", C.UNSUPPORTED),
        (replace(r9_two_node_switched_non_converged(), hosts=hosts(2, lambda n: dedicated_host(
            n, storage_gbps=1))), "WS403", C.SUPPORTED),
    ]
    for design, code, expected in cases:
        verdict = evaluate(design)
        assert code in verdict.codes, (code, verdict.codes)
        assert verdict.classification is expected, (code, [(f.code, f.message)
                                                           for f in verdict.findings])


def test_transport_none_on_r1_is_the_smb_limit_not_read():
    # With no transport the default is Compression (S1): no SMB limit is needed, WS503 stays quiet.
    verdict = evaluate(replace(r1_fully_converged(), transport=None,
                               smb_limit_bytes_per_second=None))
    assert "WS503" not in verdict.codes and "WS501" in verdict.codes


# ---- the same properties as the 2008 R2 ruleset -------------------------------------------------

ALL_DESIGNS = {**{k: v[0] for k, v in REFERENCE_DESIGNS.items()},
               **{k: v[0] for k, v in COUNTER_EXAMPLES.items()}}


def _rename(design: Design) -> Design:
    """Every node, adapter, switch and vNIC renamed (and the references to them)."""
    def name(text):
        return f"x-{text}"

    def host(h):
        return replace(
            h, name=name(h.name),
            nics=tuple(replace(n, name=name(n.name)) for n in reversed(h.nics)),
            switches=tuple(replace(s, name=name(s.name), members=tuple(map(name, s.members)))
                           for s in h.switches),
            vnics=tuple(replace(v, name=name(v.name), switch=name(v.switch),
                                mapped_to=name(v.mapped_to) if v.mapped_to else None)
                        for v in h.vnics),
            teamed_vnics=tuple(map(name, h.teamed_vnics)))
    return replace(design, hosts=tuple(host(h) for h in reversed(design.hosts)),
                   links=tuple(Link(name(k.a), name(k.b), k.count) for k in design.links))


@pytest.mark.parametrize("name", ALL_DESIGNS)
def test_renaming_and_reordering_changes_nothing(name):
    design = ALL_DESIGNS[name]()
    before, after = evaluate(design), evaluate(_rename(design))
    assert after.classification is before.classification
    assert after.codes == before.codes


@pytest.mark.parametrize("name", REFERENCE_DESIGNS)
def test_adding_an_unused_adapter_to_every_node_never_lowers_the_class(name):
    design = REFERENCE_DESIGNS[name][0]()
    added = _with_host(design, lambda h: replace(h, nics=(*h.nics, nic("spare", 10))))
    assert evaluate(added).classification.rank >= evaluate(design).classification.rank


@pytest.mark.parametrize("name", [n for n in REFERENCE_DESIGNS
                                  if REFERENCE_DESIGNS[n][0]().interconnect
                                  is not Interconnect.SWITCHLESS
                                  and len(REFERENCE_DESIGNS[n][0]().hosts) > 1])
def test_identical_nodes_are_rated_like_one_pair(name):
    design = REFERENCE_DESIGNS[name][0]()
    template = design.hosts[0]
    for count in (2, 5, 16):
        more = replace(design, hosts=tuple(replace(template, name=f"n{i:02}")
                                           for i in range(count)))
        assert evaluate(more).classification is evaluate(design).classification


# ---- the package itself ------------------------------------------------------------------------

def test_every_rule_is_in_the_proposed_catalogue_and_cites_a_microsoft_page():
    catalogue = (ROOT / "docs" / "rulesets" / "ws2016-rules.md").read_text()
    for r in RULES:
        assert f"| {r.code} |" in catalogue, r.code
        if r.code != "WS001":
            assert r.source.startswith(("https://learn.microsoft.com/",
                                        "https://github.com/microsoft/")), r.code
            assert r.quote, r.code
    assert {s.url for s in SOURCES} >= {r.source for r in RULES if r.source}


def test_the_domain_core_imports_no_web_framework_or_store():
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""])
                assert not any(n.split(".")[0] in {"flask", "flask_smorest", "marshmallow",
                                                   "redis"} for n in names), path


def test_the_second_ruleset_is_not_served_yet():
    from service.domain.rulesets import RULESETS
    assert "ws2016-live-migration" not in RULESETS

"""Minimum-bandwidth weights on a converged switch without RDMA (WS510-WS512): the designer's
layout has them, and an audit without them, or with weights outside Microsoft's guidance, is told
so (info: advice from a Windows Server 2012 page, never a cap)."""
from __future__ import annotations

from dataclasses import replace

from service.domain.model import Classification as C
from service.domain.rulesets.ws2016 import evaluate
from service.domain.rulesets.ws2016.description import (
    BandwidthMode,
    Design,
    HostVnic,
    Nic,
    Traffic,
    Transport,
)
from service.domain.rulesets.ws2016.designer import design

NODES = ("hv01", "hv02")
TWO_10 = (Nic("pNIC01", 10_000, make="Contoso", model="X"),
          Nic("pNIC02", 10_000, make="Contoso", model="X"))


def weighted() -> Design:
    """The designer's converged layout without RDMA: Weight mode, Management 10, LiveMigration
    40, default flow 50."""
    return design(TWO_10, NODES).design


def with_switch(d: Design, **fields) -> Design:
    return replace(d, hosts=tuple(replace(h, switches=tuple(replace(s, **fields)
                                                            for s in h.switches))
                                  for h in d.hosts))


def with_vnic(d: Design, name: str, **fields) -> Design:
    return replace(d, hosts=tuple(replace(h, vnics=tuple(replace(v, **fields) if v.name == name
                                                         else v for v in h.vnics))
                                  for h in d.hosts))


def codes(d: Design) -> set[str]:
    return set(evaluate(d).codes)


def test_the_designed_layout_has_a_floor_for_live_migration_and_no_weight_finding():
    verdict = evaluate(weighted())
    assert verdict.classification is C.RECOMMENDED
    assert not {"WS510", "WS511", "WS512"} & set(verdict.codes)


def test_a_switch_not_in_weight_mode_leaves_live_migration_without_a_floor():
    for mode in (None, BandwidthMode.NONE):
        d = with_vnic(with_switch(weighted(), bandwidth_mode=mode, default_flow_weight=None),
                      "LiveMigration", weight=None)
        d = with_vnic(d, "Management", weight=None)
        verdict = evaluate(d)
        hits = [f for f in verdict.findings if f.code == "WS510"]
        assert [f.node for f in hits] == list(NODES)
        assert "LiveMigration on switch ConvergedSwitch" in hits[0].message
        assert hits[0].classification_cap is None  # advice: the class stays
        assert verdict.classification is C.RECOMMENDED


def test_weight_mode_without_a_weight_on_the_live_migration_vnic_is_no_floor():
    assert "WS510" in codes(with_vnic(weighted(), "LiveMigration", weight=None))
    assert "WS510" in codes(with_vnic(weighted(), "LiveMigration", weight=0))  # 0 disables it


def test_live_migration_on_the_switchs_own_management_vnic_has_no_floor():
    # Management on the switch itself (the vNIC -AllowManagementOS makes) and no live migration
    # vNIC: live migration falls back to the management network (our reading of S4).
    d = replace(weighted(), hosts=tuple(
        replace(h, switches=tuple(replace(s, traffic=frozenset({Traffic.MANAGEMENT,
                                                               Traffic.COMPUTE}),
                                          bandwidth_mode=None, default_flow_weight=None)
                                  for s in h.switches), vnics=()) for h in weighted().hosts))
    hits = [f for f in evaluate(d).findings if f.code == "WS510"]
    assert len(hits) == 2 and "switch ConvergedSwitch's own host vNIC" in hits[0].message


def test_absolute_mode_rdma_switches_and_dedicated_adapters_are_not_judged():
    absolute = with_vnic(with_switch(weighted(), bandwidth_mode=BandwidthMode.ABSOLUTE,
                                     default_flow_weight=None), "LiveMigration", weight=None)
    assert "WS510" not in codes(absolute)
    rdma = with_vnic(with_vnic(weighted(), "LiveMigration", weight=None, rdma=True),
                     "Management", weight=None)
    assert "WS510" not in codes(replace(rdma, transport=Transport.SMB))
    assert "WS510" not in codes(replace(rdma, transport=Transport.COMPRESSION))
    # Live migration on adapters of its own shares nothing with the virtual machines.
    dedicated = design((*TWO_10, Nic("pNIC03", 10_000, make="Contoso", model="Y"),
                        Nic("pNIC04", 10_000, make="Contoso", model="Y")), NODES).design
    assert dedicated.hosts[0].vnics == ()
    assert "WS510" not in codes(dedicated)


def test_a_switch_carrying_live_migration_alone_needs_no_floor():
    alone = replace(weighted(), hosts=tuple(
        replace(h, switches=tuple(replace(s, traffic=frozenset()) for s in h.switches),
                vnics=tuple(v for v in h.vnics if v.name == "LiveMigration")) for h in
        weighted().hosts))
    alone = with_vnic(with_switch(alone, bandwidth_mode=None, default_flow_weight=None),
                      "LiveMigration", weight=None)
    assert "WS510" not in codes(alone)


def test_weights_adding_up_past_100_are_remarked_with_their_sum():
    heavy = with_vnic(weighted(), "LiveMigration", weight=80)  # 10 + 80 + 50
    hits = [f for f in evaluate(heavy).findings if f.code == "WS511"]
    assert len(hits) == 2 and "add up to 140" in hits[0].message
    assert "WS511" not in codes(with_vnic(weighted(), "LiveMigration", weight=40))  # 100
    # The default flow's weight is 1 when not set (Set-VMSwitch's page).
    unset = with_vnic(with_switch(weighted(), default_flow_weight=None), "LiveMigration",
                      weight=90)
    assert "add up to 101" in next(f.message for f in evaluate(unset).findings
                                   if f.code == "WS511")


def test_management_weighted_below_5_is_remarked():
    low = with_vnic(weighted(), "Management", weight=2)
    hits = [f for f in evaluate(low).findings if f.code == "WS512"]
    assert len(hits) == 2 and "weight of 2" in hits[0].message
    assert "WS512" not in codes(with_vnic(weighted(), "Management", weight=5))
    # A vNIC without a weight is in the default flow: not remarked.
    assert "WS512" not in codes(with_vnic(weighted(), "Management", weight=None))


def test_the_weighted_vnics_carry_what_their_names_say():
    host = weighted().hosts[0]
    assert [(v.name, sorted(v.traffic), v.weight) for v in host.vnics] == [
        ("Management", [Traffic.MANAGEMENT], 10),
        ("LiveMigration", [Traffic.LIVE_MIGRATION], 40)]
    assert all(isinstance(v, HostVnic) and not v.rdma for v in host.vnics)


def test_compression_on_rdma_storage_without_a_limit_is_advised_by_the_planned_share():
    # S6: SMB (RDMA) from 5 Gbps of live migration's share; without a declared limit the share is
    # the example's (29% of the 50% SMB reservation): 7.25 Gbps over two 25 Gbps adapters.
    from tests.unit.test_ws2016_reference_designs import r17_to_r22_converged
    declared = r17_to_r22_converged(25)
    for transport in (Transport.COMPRESSION, Transport.TCPIP):
        plain = replace(declared, transport=transport, smb_limit_bytes_per_second=None)
        hit = next(f for f in evaluate(plain).findings if f.code == "WS502")
        assert "live migration over SMB would get 7.25 Gbps (with Microsoft's example's" \
            in hit.message
        assert hit.message.startswith(("Compression transport", "TCP/IP transport"))
    # A declared 30% reservation gives 29% of 15 Gbps = 4.35 Gbps: below 5, no advice.
    from service.domain.rulesets.ws2016.description import Dcb
    thirty = replace(declared, transport=Transport.COMPRESSION, smb_limit_bytes_per_second=None,
                     dcb=replace(declared.dcb or Dcb(), smb_bandwidth_percent=30))
    assert "WS502" not in codes(thirty)
    # Two 10 Gbps adapters give 2.9 Gbps: Compression is the example's choice there.
    small = replace(r17_to_r22_converged(10), transport=Transport.COMPRESSION,
                    smb_limit_bytes_per_second=None)
    assert "WS502" not in codes(small)


def test_network_atc_clusters_get_no_weights_of_ours_and_no_advice_about_them():
    atc = design(TWO_10, NODES, network_atc=True).design
    host = atc.hosts[0]
    assert host.switches[0].bandwidth_mode is None and host.vnics == ()
    assert "WS510" not in codes(atc)


def test_a_weighted_set_switch_names_microsofts_doubt_about_qos_on_set():
    # S5: "If you configure VM QoS in a SET environment, the QoS settings will cause
    # unpredictable results." The designer's own layout says so (info, no cap).
    verdict = evaluate(weighted())
    hits = [f for f in verdict.findings if f.code == "WS513"]
    assert [f.node for f in hits] == list(NODES) and hits[0].classification_cap is None
    assert "unpredictable results" in hits[0].message and "its own values" in hits[0].message
    assert "WS513" not in codes(with_switch(weighted(), bandwidth_mode=None,
                                            default_flow_weight=None))


def test_ws510_advises_what_the_declared_switch_can_still_take():
    # In Weight mode a weight is one Set-VMNetworkAdapter away; the mode itself is fixed at
    # creation (S13), so only then is the switch to be made again.
    unweighted = with_vnic(weighted(), "LiveMigration", weight=None)
    message = next(f.message for f in evaluate(unweighted).findings if f.code == "WS510")
    assert 'Set-VMNetworkAdapter -ManagementOS -Name "LiveMigration" -MinimumBandwidthWeight 40' \
        in message and "New-VMSwitch" not in message
    modeless = with_vnic(with_vnic(with_switch(weighted(), bandwidth_mode=None,
                                               default_flow_weight=None),
                                   "LiveMigration", weight=None), "Management", weight=None)
    message = next(f.message for f in evaluate(modeless).findings if f.code == "WS510")
    assert "BandwidthReservationMode" in message and "-MinimumBandwidthMode Weight" in message


def test_a_switch_without_management_gives_the_host_no_vnic_of_its_own():
    # New-VMSwitch -AllowManagementOS $true makes a management OS vNIC on the switch: only
    # where management runs over it (its own traffic, or a management vNIC renamed from it).
    from service.domain.rulesets.ws2016.render_ps1 import render
    compute_only = replace(weighted(), hosts=tuple(
        replace(h, switches=tuple(replace(s, traffic=frozenset({Traffic.COMPUTE}))
                                  for s in h.switches),
                vnics=tuple(v for v in h.vnics if v.name == "LiveMigration"))
        for h in weighted().hosts))
    assert "-AllowManagementOS $false" in render(compute_only, "hv01")
    assert "-AllowManagementOS $true" in render(weighted(), "hv01")

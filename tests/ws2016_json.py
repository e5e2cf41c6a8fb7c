"""Shared builders of ws2016 descriptions for the tests: adapters and clusters of identical
nodes as a caller sends them, a Design (the domain's declared layout) as the JSON description of
audit mode (the reference designs of the unit tier, sent through the API), and the answer's
finding codes and a 422's fields."""
from __future__ import annotations

import copy

from service.domain.rulesets.ws2016.description import Design, Host, HostVnic, Nic, Switch


def _drop_none(item: dict) -> dict:
    return {k: v for k, v in item.items() if v is not None}


def _adapter(nic: Nic) -> dict:
    return _drop_none({
        "name": nic.name, "speed_mbps": nic.speed_mbps, "rdma": nic.rdma,
        "rdma_kind": nic.rdma_kind.value if nic.rdma_kind else None, "make": nic.make,
        "model": nic.model, "firmware": nic.firmware, "driver": nic.driver,
        "vlan_id": nic.vlan_id, "network": nic.network.value if nic.network else None,
        "traffic": sorted(t.value for t in nic.traffic) or None})


def _switch(switch: Switch) -> dict:
    return _drop_none({
        "name": switch.name, "members": list(switch.members),
        "teaming": switch.teaming.value if switch.teaming else None,
        "load_balancing": switch.load_balancing.value if switch.load_balancing else None,
        "mode": switch.mode.value if switch.mode else None,
        # The domain records that a standby member exists; the contract names one.
        "standby_member": switch.members[-1] if switch.standby else None,
        "traffic": sorted(t.value for t in switch.traffic),
        "minimum_bandwidth_mode": switch.bandwidth_mode.value if switch.bandwidth_mode else None,
        "default_flow_minimum_bandwidth_weight": switch.default_flow_weight})


def _vnic(vnic: HostVnic) -> dict:
    return _drop_none({
        "name": vnic.name, "switch": vnic.switch, "traffic": sorted(t.value for t in vnic.traffic),
        "rdma": vnic.rdma, "vlan_id": vnic.vlan_id,
        "network": vnic.network.value if vnic.network else None, "mapped_to": vnic.mapped_to,
        "minimum_bandwidth_weight": vnic.weight})


def _node(host: Host) -> dict:
    if host.teamed_vnics:
        raise ValueError("host vNICs in an LBFO team are not a field of the contract")
    return _drop_none({
        "name": host.name, "os_version": host.os_version.value if host.os_version else None,
        "adapters": [_adapter(n) for n in host.nics],
        "switches": [_switch(s) for s in host.switches] or None,
        "host_vnics": [_vnic(v) for v in host.vnics] or None,
        "host_qos_throttles": True if host.host_qos_throttles else None})


def design_json(design: Design) -> dict:
    """The description that declares `design` (audit mode)."""
    dcb = design.dcb
    return _drop_none({
        "ruleset": "ws2016", "name": design.name,
        "live_migration_transport": design.transport.value if design.transport else None,
        "smb_bandwidth_limit_live_migration_bytes_per_second": design.smb_limit_bytes_per_second,
        "max_simultaneous_live_migrations": design.max_simultaneous_migrations,
        "storage_interconnect": design.interconnect.value if design.interconnect else None,
        "switchless_links": [{"nodes": [k.a, k.b], "count": k.count} for k in design.links]
        or None,
        "dcb": None if dcb is None else {
            "hosts": dcb.hosts, "switches": dcb.switches, "smb_priority": dcb.smb_priority,
            "pfc_priorities": sorted(dcb.pfc_priorities),
            "smb_bandwidth_percent": dcb.smb_bandwidth_percent,
            "heartbeat_priority": dcb.heartbeat_priority,
            "heartbeat_bandwidth_percent": dcb.heartbeat_bandwidth_percent},
        "network_atc": True if design.network_atc else None,
        "azure_local": True if design.azure_local else None,
        "shared_storage": "storage_spaces_direct" if design.storage_spaces_direct else None,
        "nodes": [_node(h) for h in design.hosts]})


def adapter(name: str, gbps: float, *, rdma: bool = False, kind: str = "roce_v2",
            make: str = "Contoso", model: str = "X") -> dict:
    """An adapter of a ws2016 description (RDMA of `kind` when `rdma`)."""
    out: dict = {"name": name, "speed_mbps": int(gbps * 1000), "make": make, "model": model}
    if rdma:
        out.update(rdma=True, rdma_kind=kind)
    return out


def ws2016(adapters: list[dict], nodes: int = 2, **cluster) -> dict:
    """A ws2016 description of identical Windows Server 2022 nodes hv01, hv02, ..."""
    return {"ruleset": "ws2016", **cluster, "nodes": [
        {"name": f"hv{n:02d}", "os_version": "2022", "adapters": copy.deepcopy(adapters)}
        for n in range(1, nodes + 1)]}


TWO_RDMA_25 = [adapter("pNIC01", 25, rdma=True, model="R"),
               adapter("pNIC02", 25, rdma=True, model="R")]
TWO_10_TWO_RDMA_25 = [adapter("pNIC01", 10), adapter("pNIC02", 10),
                      adapter("pNIC03", 25, rdma=True, model="R"),
                      adapter("pNIC04", 25, rdma=True, model="R")]
TWO_10 = [adapter("pNIC01", 10), adapter("pNIC02", 10)]


def codes(answer: dict) -> list[str]:
    """The distinct finding codes of an answer, sorted."""
    return sorted({f["code"] for f in answer["findings"]})


def errors(response) -> dict[str, str]:
    """A 422 problem's fields: pointer -> detail."""
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return {e["pointer"]: e["detail"] for e in response.get_json()["errors"]}

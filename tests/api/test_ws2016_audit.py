"""The Windows Server 2016 and later ruleset in audit mode: a declared layout (switches, host
vNICs, an adapter's own traffic, DCB, transport and SMB limit) rated as it is. Microsoft's
reference designs and the counter-examples of the unit tier are sent through the API as JSON and
answered as their pages say, with the same findings as the domain core gives them."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from service.domain.rulesets.ws2016 import evaluate
from tests.unit.test_ws2016_reference_designs import COUNTER_EXAMPLES, REFERENCE_DESIGNS
from tests.ws2016_json import codes, design_json, errors

ROOT = Path(__file__).parents[2]
# Host vNICs in an LBFO team (N8) are not a field of the contract: the domain alone rates them.
SENDABLE_COUNTER_EXAMPLES = {k: v for k, v in COUNTER_EXAMPLES.items() if not k.startswith("N8")}


def r1() -> dict:
    """R1 (Network ATC's fully converged intent, S8) as a caller declares it."""
    return design_json(REFERENCE_DESIGNS["R1 fully converged intent (S8)"][0]())


@pytest.mark.parametrize("name", REFERENCE_DESIGNS)
def test_reference_design_declared_through_the_api_is_rated_as_its_source_says(client, name):
    build, expected, present, absent = REFERENCE_DESIGNS[name]
    design = build()
    response = client.post("/v1/evaluations", json=design_json(design))
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    assert answer["mode"] == "audit"
    assert answer["classification"] == expected.value, answer["findings"]
    assert codes(answer) == evaluate(design).codes
    assert present <= set(codes(answer)) and not absent & set(codes(answer))
    assert answer["ruleset_version"].startswith("ws2016-live-migration/")


def test_at_least_fifteen_reference_designs_go_through_the_api():
    assert len(REFERENCE_DESIGNS) >= 15
    for build, *_ in REFERENCE_DESIGNS.values():
        design_json(build())  # raises for a design the contract cannot carry


@pytest.mark.parametrize("name", SENDABLE_COUNTER_EXAMPLES)
def test_counter_example_declared_through_the_api_is_rated_down_by_its_rule(client, name):
    build, expected, code = SENDABLE_COUNTER_EXAMPLES[name]
    answer = client.post("/v1/evaluations", json=design_json(build())).get_json()
    assert answer["classification"] == expected.value
    assert code in codes(answer)


def test_audit_answer_reports_the_declared_host_networking(client):
    answer = client.post("/v1/evaluations", json=r1()).get_json()
    networking = answer["host_networking"]
    node = networking["nodes"][0]
    assert node["layout"] == "converged"
    assert [s["name"] for s in node["switches"]] == ["ConvergedSwitch"]
    assert {v["mapped_to"] for v in node["host_vnics"]} == set(node["switches"][0]["members"])
    declared = r1()
    assert networking["live_migration_transport"] == declared["live_migration_transport"]
    assert networking["smb_bandwidth_limit_live_migration_bytes_per_second"] == \
        declared["smb_bandwidth_limit_live_migration_bytes_per_second"]
    roles = {p["role"]: p["port"] for p in answer["nodes"][0]["layout"]}
    assert roles["live_migration"] == "ConvergedSwitch"


def test_a_declared_fault_is_found_and_the_designed_class_is_the_best(client):
    description = r1()
    description["live_migration_transport"] = "smb"
    description.pop("smb_bandwidth_limit_live_migration_bytes_per_second", None)
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert answer["classification"] == "not_recommended" and "WS503" in codes(answer)
    # The designer lays the same adapters out as recommended: that is the best class.
    assert answer["best_classification"] == "recommended"


def test_live_migration_declared_apart_is_placed_where_declared(client):
    description = design_json(REFERENCE_DESIGNS["R4 storage-only intent (S8)"][0]())
    node = description["nodes"][0]
    node["adapters"].append({"name": "LM1", "speed_mbps": 10000, "traffic": ["live_migration"]})
    for other in description["nodes"][1:]:
        other["adapters"].append({"name": "LM1", "speed_mbps": 10000,
                                  "traffic": ["live_migration"]})
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert [p["port"] for p in answer["nodes"][0]["layout"]
            if p["role"] == "live_migration"] == ["LM1"]


def test_storage_interconnect_omitted_is_not_assumed_in_an_audit(client):
    # R14 puts both SMB vNICs on one VLAN (S5's example): fine switchless, not on switches (S6).
    description = design_json(REFERENCE_DESIGNS["R14 SET with mapped RDMA vNICs (S5)"][0]())
    assert "storage_interconnect" not in description
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert answer["classification"] == "recommended"
    assert any("Not checked (WS402)" in f["message"] for f in answer["findings"])
    description["storage_interconnect"] = "switched"
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert answer["classification"] == "supported" and "WS402" in codes(answer)


def test_renaming_and_reordering_a_declared_layout_changes_nothing(client):
    description = r1()
    before = client.post("/v1/evaluations", json=description).get_json()
    renamed = copy.deepcopy(description)
    mapping = {}
    for node in renamed["nodes"]:
        for adapter in node["adapters"]:
            mapping[adapter["name"]] = adapter["name"] = "x-" + adapter["name"]
        node["adapters"].reverse()
        for switch in node["switches"]:
            switch["name"] = "x-" + switch["name"]
            switch["members"] = [mapping[m] for m in switch["members"]]
        for vnic in node["host_vnics"]:
            vnic["name"], vnic["switch"] = "x-" + vnic["name"], "x-" + vnic["switch"]
            vnic["mapped_to"] = mapping[vnic["mapped_to"]]
        node["name"] = "x-" + node["name"]
    renamed["nodes"].reverse()
    after = client.post("/v1/evaluations", json=renamed).get_json()
    assert (after["classification"], codes(after)) == (before["classification"], codes(before))


def test_identical_declared_nodes_are_rated_like_two(client):
    description = r1()
    template = description["nodes"][0]
    two = client.post("/v1/evaluations", json=description).get_json()
    for count in (5, 16):
        description["nodes"] = [dict(copy.deepcopy(template), name=f"n{i:02}")
                                for i in range(count)]
        answer = client.post("/v1/evaluations", json=description).get_json()
        assert answer["classification"] == two["classification"]


def test_the_powershell_script_of_an_audit_configures_the_declared_layout(client):
    # The README's ws2016-audit.json: no Network ATC, so the switch and vNICs by hand.
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("#### Audit mode: a declared layout"):]
    description = json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1))
    response = client.post("/v1/qos-policies/powershell?node=hv01", json=description)
    assert response.status_code == 200, response.get_data(as_text=True)
    script = response.get_data(as_text=True)
    assert "# The layout as declared (audit), rated not recommended" in script
    assert ("New-VMSwitch -Name 'ConvergedSwitch' -NetAdapterName 'pNIC01','pNIC02' "
            "-EnableEmbeddedTeaming $true") in script
    assert "Set-VMNetworkAdapterTeamMapping -VMNetworkAdapterName 'SMB1'" in script


def test_an_audited_network_atc_cluster_gets_its_intents(client):
    # R1 is Network ATC's fully converged intent (S8): the script is that intent.
    response = client.post("/v1/qos-policies/powershell?node=hv01", json=r1())
    script = response.get_data(as_text=True)
    assert "# The layout as declared (audit), rated recommended" in script
    assert "Add-NetIntent -Name ConvergedIntent -Management -Compute -Storage" in script
    limit = r1()["smb_bandwidth_limit_live_migration_bytes_per_second"]
    assert f"-MaximumSMBMigrationBandwidthInGbps {limit * 8 // 10**9}\n" in script


def test_an_lbfo_switch_is_not_rendered_as_a_set_switch(client):
    description = design_json(COUNTER_EXAMPLES["N7 LBFO under the switch on 2022 (S27)"][0]())
    node = description["nodes"][0]["name"]
    response = client.post(f"/v1/qos-policies/powershell?node={node}", json=description)
    script = response.get_data(as_text=True)
    assert "rated unsupported" in script and "over an LBFO team" in script
    assert "New-VMSwitch" not in script.split("over an LBFO team")[1].split("\n\n")[0]


# ---- what a declared layout may not say --------------------------------------------------------

def node_of(description: dict, index: int = 0) -> dict:
    return description["nodes"][index]


@pytest.mark.parametrize("change, pointer, words", [
    (lambda d: node_of(d)["switches"][0]["members"].append("nope"),
     "/nodes/0/switches/0/members/2", "no adapter named 'nope'"),
    (lambda d: node_of(d)["switches"].append(dict(copy.deepcopy(node_of(d)["switches"][0]),
                                                  name="Second")),
     "/nodes/0/switches/1/members/0", "already under switch 'ConvergedSwitch'"),
    (lambda d: node_of(d)["switches"].append(dict(copy.deepcopy(node_of(d)["switches"][0]),
                                                  members=[])),
     "/nodes/0/switches/1/members", "Length"),
    (lambda d: node_of(d)["host_vnics"][0].update(switch="Elsewhere"),
     "/nodes/0/host_vnics/0/switch", "no switch named 'Elsewhere'"),
    (lambda d: node_of(d)["host_vnics"][0].update(mapped_to="ghost"),
     "/nodes/0/host_vnics/0/mapped_to", "not a member of switch 'ConvergedSwitch'"),
    (lambda d: node_of(d)["host_vnics"].append(copy.deepcopy(node_of(d)["host_vnics"][0])),
     "/nodes/0/host_vnics/2/name", "duplicate host vNIC name"),
    (lambda d: node_of(d)["adapters"][0].update(traffic=["storage"]),
     "/nodes/0/switches/0/members/0", "declares its own traffic"),
    (lambda d: node_of(d)["switches"][0].update(standby_member="ghost"),
     "/nodes/0/switches/0/standby_member", "not one of the switch's members"),
    (lambda d: node_of(d)["switches"][0].update(traffic=["compute", "compute"]),
     "/nodes/0/switches/0/traffic", "at most once"),
    (lambda d: node_of(d, 1).pop("switches") and node_of(d, 1).pop("host_vnics"),
     "/nodes/1", "declare this node's switches"),
    (lambda d: node_of(d).update(teams=[{"name": "T1"}]), "/nodes/0/teams", "not read by the "
                                                                            "ws2016 ruleset"),
    (lambda d: node_of(d)["adapters"][0].update(address="10.0.0.1/24"),
     "/nodes/0/adapters/0/address", "not read by the ws2016 ruleset"),
    (lambda d: d.update(tcp_chimney_offload=False), "/tcp_chimney_offload",
     "not read by the ws2016 ruleset"),
    (lambda d: d.update(dcb={"pfc_priorities": [3, 8]}), "/dcb/pfc_priorities/1", "less than or equal to 7"),
])
def test_a_declared_layout_that_does_not_resolve_is_a_422_naming_the_field(client, change,
                                                                            pointer, words):
    description = r1()
    change(description)
    found = errors(client.post("/v1/evaluations", json=description))
    assert pointer in found, found
    assert words.lower() in found[pointer].lower(), found[pointer]


@pytest.mark.parametrize("field, value, pointer", [
    ("live_migration_transport", "smb", "/live_migration_transport"),
    ("smb_bandwidth_limit_live_migration_bytes_per_second", 750_000_000,
     "/smb_bandwidth_limit_live_migration_bytes_per_second"),
    ("dcb", {}, "/dcb"),
])
def test_audit_settings_without_a_declared_layout_are_refused_not_dropped(client, field, value,
                                                                          pointer):
    description = {"ruleset": "ws2016", field: value, "nodes": [
        {"name": "hv01", "adapters": [{"name": "pNIC01", "speed_mbps": 25000}]}]}
    found = errors(client.post("/v1/evaluations", json=description))
    assert "audit mode only" in found[pointer]


def test_a_node_setting_of_audit_mode_is_refused_in_design_mode(client):
    description = {"ruleset": "ws2016", "nodes": [
        {"name": "hv01", "host_qos_throttles": True,
         "adapters": [{"name": "pNIC01", "speed_mbps": 25000, "vlan_id": 7}]}]}
    found = errors(client.post("/v1/evaluations", json=description))
    assert set(found) == {"/nodes/0/host_qos_throttles", "/nodes/0/adapters/0/vlan_id"}


def test_declared_layout_fields_are_refused_under_the_2008_r2_guide(client):
    description = r1()
    description.pop("ruleset")
    found = errors(client.post("/v1/evaluations", json=description))
    assert "/nodes/0/switches" in found and "/dcb" in found
    assert "ws2016" in found["/nodes/0/switches"]


def test_the_audit_markdown_with_its_plans_is_the_answer_reviewed_by_hand(client):
    # The README's ws2016-audit.json: three faults, a plan to supported and one to recommended.
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("#### Audit mode: a declared layout"):]
    description = json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1))
    response = client.post("/v1/evaluations", json=description,
                           headers={"Accept": "text/markdown"})
    assert response.status_code == 200
    expected = (ROOT / "tests" / "unit" / "expected" / "ws2016-audit-three-faults.md").read_text()
    assert response.get_data(as_text=True) == expected
    assert "**To reach recommended**" in expected and "Set-VMNetworkAdapterTeamMapping" in expected


def test_design_mode_plans_the_hardware_that_buys_the_next_class(client):
    one_gig = [{"name": n, "speed_mbps": 1000, "make": "C", "model": "M"} for n in ("a", "b")]
    description = {"ruleset": "ws2016", "nodes": [
        {"name": f"hv0{i}", "adapters": copy.deepcopy(one_gig)} for i in (1, 2)]}
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert answer["mode"] == "design" and answer["classification"] == "supported"
    [plan] = answer["plans"]
    assert plan["classification"] == "recommended" == answer["best_classification"]
    assert [(s["action"], s["change"], s["nodes"]) for s in plan["steps"]] == [
        ("Replace a, b with 10 Gbps adapters.", "add_adapter", ["hv01", "hv02"])]
    assert answer["remediation"][0]["action"] == plan["steps"][0]["action"]

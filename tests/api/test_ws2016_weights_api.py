"""Minimum-bandwidth weights through the API: the designed answer for adapters without RDMA
carries them (JSON, PowerShell, Markdown), an audit declares them, and a weight the switch's
mode cannot take is a 422 naming the field."""
from __future__ import annotations

from service.domain.rulesets.ws2016.designer import design
from tests.unit.test_ws2016_weights import NODES, TWO_10
from tests.ws2016_json import TWO_10 as TWO_10_JSON, codes, design_json, errors, ws2016


def audit() -> dict:
    """The designer's weighted layout declared as an audit description."""
    return design_json(design(TWO_10, NODES).design)


def test_the_designed_answer_reserves_bandwidth_with_weights(client):
    answer = client.post("/v1/evaluations", json=ws2016(TWO_10_JSON)).get_json()
    node = answer["host_networking"]["nodes"][0]
    (switch,) = node["switches"]
    assert switch["minimum_bandwidth_mode"] == "weight"
    assert switch["default_flow_minimum_bandwidth_weight"] == 50
    assert {v["name"]: v["minimum_bandwidth_weight"] for v in node["host_vnics"]} == {
        "Management": 10, "LiveMigration": 40}
    assert answer["classification"] == "recommended"
    assert not {"WS510", "WS511", "WS512"} & set(codes(answer))


def test_the_designed_script_creates_the_switch_in_weight_mode(client):
    script = client.post("/v1/qos-policies/powershell?node=hv01",
                         json=ws2016(TWO_10_JSON)).get_data(as_text=True)
    assert "-AllowManagementOS $true -MinimumBandwidthMode Weight" in script
    assert "Set-VMSwitch -Name 'ConvergedSwitch' -DefaultFlowMinimumBandwidthWeight 50" in script
    assert ("Rename-VMNetworkAdapter -ManagementOS -Name 'ConvergedSwitch' -NewName "
            "'Management'") in script
    assert "Set-VMNetworkAdapter -ManagementOS -Name 'LiveMigration' -MinimumBandwidthWeight 40" \
        in script


def test_the_markdown_answer_shows_the_mode_and_the_weights(client):
    text = client.post("/v1/evaluations", json=ws2016(TWO_10_JSON),
                       headers={"Accept": "text/markdown"}).get_data(as_text=True)
    assert "| weight, default flow 50 |" in text
    assert "| LiveMigration | ConvergedSwitch | 710 | no | – | 40 | live migration |" in text


def test_an_audit_declares_weights_and_gets_them_back(client):
    response = client.post("/v1/evaluations", json=audit())
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    assert answer["mode"] == "audit" and answer["classification"] == "recommended"
    node = answer["host_networking"]["nodes"][0]
    assert node["switches"][0]["minimum_bandwidth_mode"] == "weight"
    assert [v["minimum_bandwidth_weight"] for v in node["host_vnics"]] == [10, 40]


def test_an_audit_without_a_floor_for_live_migration_is_told(client):
    description = audit()
    for node in description["nodes"]:
        for switch in node["switches"]:
            del switch["minimum_bandwidth_mode"], switch["default_flow_minimum_bandwidth_weight"]
        for vnic in node["host_vnics"]:
            del vnic["minimum_bandwidth_weight"]
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert "WS510" in codes(answer)
    finding = next(f for f in answer["findings"] if f["code"] == "WS510")
    assert finding["severity"] == "info" and finding["classification_cap"] is None
    assert "set-vmswitch" in finding["guide_reference"]


def test_weights_outside_microsofts_guidance_are_remarked(client):
    description = audit()
    for node in description["nodes"]:
        node["host_vnics"][0]["minimum_bandwidth_weight"] = 2  # Management
        node["host_vnics"][1]["minimum_bandwidth_weight"] = 90  # LiveMigration
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert {"WS511", "WS512"} <= set(codes(answer))
    assert answer["classification"] == "recommended"


def test_a_weight_needs_its_switch_in_weight_mode(client):
    description = audit()
    description["nodes"][0]["switches"][0]["minimum_bandwidth_mode"] = "absolute"
    found = errors(client.post("/v1/evaluations", json=description))
    assert set(found) == {"/nodes/0/switches/0/default_flow_minimum_bandwidth_weight",
                          "/nodes/0/host_vnics/0/minimum_bandwidth_weight",
                          "/nodes/0/host_vnics/1/minimum_bandwidth_weight"}
    assert "weight mode" in found["/nodes/0/host_vnics/1/minimum_bandwidth_weight"]
    unstated = audit()
    del unstated["nodes"][1]["switches"][0]["minimum_bandwidth_mode"]
    assert "/nodes/1/host_vnics/1/minimum_bandwidth_weight" in errors(
        client.post("/v1/evaluations", json=unstated))


def test_weights_and_modes_out_of_range_are_422s_naming_the_field(client):
    for path, value in ((("host_vnics", 1, "minimum_bandwidth_weight"), 101),
                        (("host_vnics", 1, "minimum_bandwidth_weight"), -1),
                        (("host_vnics", 1, "minimum_bandwidth_weight"), "40"),
                        (("switches", 0, "default_flow_minimum_bandwidth_weight"), 101),
                        (("switches", 0, "minimum_bandwidth_mode"), "default")):
        description = audit()
        target = description["nodes"][0]
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        pointer = "/nodes/0/" + "/".join(str(p) for p in path)
        assert pointer in errors(client.post("/v1/evaluations", json=description)), (path, value)


def test_the_weights_are_refused_under_the_2008_r2_guide(client):
    description = audit()
    description.pop("ruleset")
    assert "/nodes/0/switches" in errors(client.post("/v1/evaluations", json=description))

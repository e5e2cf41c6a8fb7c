"""The second ruleset through the API: GET /v1/rulesets, the description's `ruleset` field, the
ws2016 fields refused under the 2008 R2 guide (and the guide's under ws2016), Microsoft's reference
designs answered as their pages say, the cache and ETag per ruleset, mixed batches, and the
renderings (the ws2016 PowerShell script against the hand-reviewed files)."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from service.cli import main
from service.schemas.examples import batch_examples, request_examples, ws2016_description
from tests.support import spec_example
from tests.ws2016_json import (
    TWO_10_TWO_RDMA_25,
    TWO_RDMA_25,
    adapter,
    codes,
    errors,
    ws2016,
)

EXPECTED = Path(__file__).parents[1] / "unit" / "expected"
WS2016_VERSION = "ws2016-live-migration/13"
WS2008R2_VERSION = "ws2008r2-live-migration/7"


# ---- GET /v1/rulesets -------------------------------------------------------------------------

def test_rulesets_lists_both_with_versions_default_and_sources(client):
    response = client.get("/v1/rulesets")
    assert response.status_code == 200
    listed = response.get_json()["rulesets"]
    assert [(r["id"], r["ruleset_version"], r["default"]) for r in listed] == [
        ("ws2008r2", WS2008R2_VERSION, True), ("ws2016", WS2016_VERSION, False)]
    assert listed[1]["title"].startswith("Windows Server 2016 and later")
    for ruleset in listed:
        assert ruleset["sources"], ruleset["id"]
        for source in ruleset["sources"]:
            assert source["title"] and source["url"].startswith(("http://", "https://"))
    learn = [s for s in listed[1]["sources"] if s["url"].startswith("https://learn.microsoft.com")]
    assert len(learn) >= 10


def test_the_listed_versions_are_the_ones_answers_carry(client):
    listed = {r["id"]: r["ruleset_version"]
              for r in client.get("/v1/rulesets").get_json()["rulesets"]}
    default = client.post("/v1/evaluations", json=spec_example())
    second = client.post("/v1/evaluations", json=ws2016(TWO_RDMA_25))
    assert default.get_json()["ruleset_version"] == listed["ws2008r2"]
    assert default.headers["X-Ruleset-Version"] == listed["ws2008r2"]
    assert second.get_json()["ruleset_version"] == listed["ws2016"]
    assert second.headers["X-Ruleset-Version"] == listed["ws2016"]


# ---- the default stays exactly as it was ------------------------------------------------------

def test_naming_the_default_ruleset_changes_no_byte_of_the_answer(client):
    absent = client.post("/v1/evaluations", json=spec_example())
    named = client.post("/v1/evaluations", json={"ruleset": "ws2008r2", **spec_example()})
    assert absent.status_code == named.status_code == 200
    assert absent.get_data() == named.get_data()
    assert "host_networking" not in absent.get_json()


@pytest.mark.parametrize("name", list(request_examples()))
def test_every_table_row_answers_the_same_bytes_with_the_default_named(client, name):
    description = request_examples()[name]["value"]
    for path in ("/v1/evaluations", "/v1/qos-policies/powershell", "/v1/evaluations/markdown",
                 "/v1/qos-policies/gpedit"):
        absent = client.post(path, json=description)
        named = client.post(path, json={**description, "ruleset": "ws2008r2"})
        assert absent.status_code == named.status_code == 200, path
        assert absent.get_data() == named.get_data(), path


def test_unknown_ruleset_is_a_422_naming_the_field_and_the_known_ones(client):
    found = errors(client.post("/v1/evaluations", json={"ruleset": "ws2012", **spec_example()}))
    assert list(found) == ["/ruleset"]
    assert "ws2008r2" in found["/ruleset"] and "ws2016" in found["/ruleset"]


def test_ws2016_fields_are_refused_under_the_2008_r2_guide_each_by_name(client):
    description = spec_example()
    description.update(azure_local=False, network_atc=True, storage_interconnect="switched",
                       max_simultaneous_live_migrations=2, shared_storage="storage_spaces_direct",
                       switchless_links=[])
    description["nodes"][0]["os_version"] = "2022"
    description["nodes"][0]["adapters"][0].update(rdma=True, rdma_kind="iwarp", make="Contoso",
                                                  model="X", firmware="1.0", driver="2.0")
    for body in (description, {"ruleset": "ws2008r2", **description}):
        found = errors(client.post("/v1/evaluations", json=body))
        adapter0 = "/nodes/0/adapters/0/"
        assert set(found) == {
            "/azure_local", "/network_atc", "/storage_interconnect",
            "/max_simultaneous_live_migrations", "/shared_storage", "/switchless_links",
            "/nodes/0/os_version",
            *(adapter0 + f for f in ("rdma", "rdma_kind", "make", "model", "firmware", "driver"))}
        assert "ws2016" in found["/nodes/0/adapters/0/rdma"]


def test_the_2008_r2_guides_fields_are_refused_under_ws2016_each_by_name(client):
    description = ws2016(TWO_RDMA_25, nodes=1, tcp_chimney_offload=False,
                         failover_clustering=True)
    node = description["nodes"][0]
    node.update(processor_vendor="intel", management_ip="10.0.0.11",
                teams=[{"name": "T1", "mode": "link_aggregation"}])
    node["adapters"][0].update(team="T1", network="private", vlan_id=711,
                               address="192.168.10.11/24")
    node["adapters"][1]["roles"] = [{"role": "live_migration"}]
    found = errors(client.post("/v1/evaluations", json=description))
    assert set(found) == {
        "/tcp_chimney_offload", "/failover_clustering", "/nodes/0/processor_vendor",
        "/nodes/0/management_ip", "/nodes/0/teams", "/nodes/0/adapters/0/team",
        "/nodes/0/adapters/0/network", "/nodes/0/adapters/0/vlan_id",
        "/nodes/0/adapters/0/address", "/nodes/0/adapters/1/roles"}
    assert "ws2008r2" in found["/tcp_chimney_offload"]


def test_ws2016_values_are_checked_like_any_field(client):
    description = ws2016(TWO_RDMA_25)
    description["nodes"][0]["os_version"] = "2003"
    description["nodes"][1]["adapters"][0]["rdma_kind"] = "roce_v9"
    description["max_simultaneous_live_migrations"] = 0
    found = errors(client.post("/v1/evaluations", json=description))
    assert set(found) == {"/nodes/0/os_version", "/nodes/1/adapters/0/rdma_kind",
                          "/max_simultaneous_live_migrations"}


# ---- Microsoft's reference designs, answered as their pages say --------------------------------

def test_fully_converged_intent_is_recommended_with_s6s_smb_limit(client):
    # Deploy host networking with Network ATC, "Fully converged intent" (two RDMA adapters
    # carrying management, compute and storage): https://learn.microsoft.com/azure/azure-local/
    # deploy/network-atc ; the SMB limit is Host network requirements for Azure Local's
    # converged example (29% of the 50% SMB reservation: 7.25 Gbps of 2 x 25 Gbps):
    # https://learn.microsoft.com/azure/azure-local/concepts/host-network-requirements
    answer = client.post("/v1/evaluations", json=ws2016(TWO_RDMA_25)).get_json()
    assert answer["classification"] == "recommended"
    assert codes(answer) == []
    assert answer["mode"] == "design" and answer["reference_configuration"] is None
    networking = answer["host_networking"]
    assert networking["live_migration_transport"] == "smb"
    assert networking["smb_bandwidth_limit_live_migration_bytes_per_second"] == 906_250_000
    assert networking["dcb"]["traffic_classes"] == [
        {"name": "SMB", "priority": 3, "bandwidth_percent": 50},
        {"name": "Cluster", "priority": 7, "bandwidth_percent": 1}]
    node = networking["nodes"][0]
    assert node["layout"] == "converged"
    assert [(v["name"], v["vlan_id"], v["mapped_to"]) for v in node["host_vnics"]] == [
        ("SMB1", 711, "pNIC01"), ("SMB2", 712, "pNIC02")]
    layout = answer["nodes"][0]["layout"]
    assert {(p["role"], p["port"], p["virtual"]) for p in layout} == {
        (role, "ConvergedSwitch", True)
        for role in ("vm_access", "management", "cluster_csv", "live_migration")}
    assert answer["nodes"][0]["qos_policies"] == [] and answer["plans"] == []


def test_two_node_switched_non_converged_pattern_is_recommended_and_dedicated(client):
    # Review two-node storage switched, non-converged deployment network reference pattern for
    # Azure Local: management and compute teamed, storage on RDMA adapters of their own:
    # https://learn.microsoft.com/azure/azure-local/plan/two-node-switched-non-converged
    answer = client.post("/v1/evaluations", json=ws2016(TWO_10_TWO_RDMA_25)).get_json()
    assert answer["classification"] == "recommended" and codes(answer) == []
    node = answer["host_networking"]["nodes"][0]
    assert node["layout"] == "dedicated"
    assert node["switches"][0]["members"] == ["pNIC01", "pNIC02"]
    assert node["switches"][0]["embedded_teaming"] is True
    assert [(a["name"], a["vlan_id"]) for a in node["storage_adapters"]] == [
        ("pNIC03", 711), ("pNIC04", 712)]
    storage = [p["port"] for p in answer["nodes"][0]["layout"] if p["role"] == "cluster_csv"]
    assert storage == ["pNIC03", "pNIC04"]


def test_ten_gigabit_converged_uses_compression_as_s6s_table_says(client):
    # Host network requirements for Azure Local, "Traffic bandwidth allocation", 10 Gbps row:
    # live migration gets 1.45 Gbps, "Use compression rather than RDMA":
    # https://learn.microsoft.com/azure/azure-local/concepts/host-network-requirements
    tens = [adapter("a", 10, rdma=True), adapter("b", 10, rdma=True)]
    answer = client.post("/v1/evaluations", json=ws2016(tens)).get_json()
    networking = answer["host_networking"]
    assert networking["live_migration_transport"] == "compression"
    assert networking["smb_bandwidth_limit_live_migration_bytes_per_second"] is None
    assert networking["dcb"]["traffic_classes"][1]["bandwidth_percent"] == 2  # <= 10 Gbps (S8)


def test_windows_server_2012_r2_is_outside_this_ruleset(client):
    # Remote Direct Memory Access (RDMA) and Switch Embedded Teaming (SET): SET and RDMA on
    # switch-attached adapters start with Windows Server 2016:
    # https://learn.microsoft.com/windows-server/virtualization/hyper-v-virtual-switch/
    # rdma-and-switch-embedded-teaming
    description = ws2016(TWO_RDMA_25)
    description["nodes"][1]["os_version"] = "2012r2"
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert answer["classification"] == "unsupported"
    assert "WS101" in codes(answer)
    ws101 = next(f for f in answer["findings"] if f["code"] == "WS101")
    assert ws101["node"] == "hv02" and ws101["severity"] == "error"
    assert "https://learn.microsoft.com/" in ws101["guide_reference"]
    classes = {n["name"]: n["classification"] for n in answer["nodes"]}
    assert classes == {"hv01": "recommended", "hv02": "unsupported"}


def test_storage_spaces_direct_beyond_sixteen_nodes_is_unsupported(client):
    # Storage Spaces Direct hardware requirements: "Minimum of two servers, maximum of 16":
    # https://learn.microsoft.com/windows-server/storage/storage-spaces/
    # storage-spaces-direct-hardware-requirements
    description = ws2016(TWO_RDMA_25, nodes=17, shared_storage="storage_spaces_direct")
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert answer["classification"] == "unsupported" and "WS104" in codes(answer)


def test_nodes_that_differ_are_named_and_designed_each_on_their_own(client):
    # Storage Spaces Direct hardware requirements / Host network requirements: cluster nodes
    # should have the same adapters (WS102); each node still gets its own layout.
    description = ws2016(TWO_RDMA_25)
    description["nodes"][1]["adapters"] = copy.deepcopy(TWO_10_TWO_RDMA_25)
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert "WS102" in codes(answer)
    kinds = [n["layout"] for n in answer["host_networking"]["nodes"]]
    assert kinds == ["converged", "dedicated"]


def test_one_rdma_protocol_end_to_end(client):
    # Host network requirements for Azure Local: RDMA adapters "only work with adapters of the
    # same protocol (iWARP or RoCE)":
    # https://learn.microsoft.com/azure/azure-local/concepts/host-network-requirements
    description = ws2016(TWO_RDMA_25)
    for nic in description["nodes"][1]["adapters"]:
        nic["rdma_kind"] = "iwarp"
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert answer["classification"] == "unsupported" and "WS301" in codes(answer)


def test_infiniband_on_azure_local_is_unsupported(client):
    # Host network requirements for Azure Local: InfiniBand is not supported:
    # https://learn.microsoft.com/azure/azure-local/concepts/host-network-requirements
    description = ws2016([adapter("a", 25, rdma=True, kind="infiniband"),
                          adapter("b", 25, rdma=True, kind="infiniband")], azure_local=True)
    answer = client.post("/v1/evaluations", json=description).get_json()
    # An InfiniBand-only node also has its switch on them (WS210: the switch is Ethernet's).
    assert answer["classification"] == "unsupported" and {"WS210", "WS311"} <= set(codes(answer))


def test_switchless_storage_links_every_pair_redundantly(client):
    # Storage Spaces Direct hardware requirements (switchless: a direct connection between every
    # pair of nodes) and Physical network requirements for Azure Local (redundant links):
    # https://learn.microsoft.com/windows-server/storage/storage-spaces/
    # storage-spaces-direct-hardware-requirements ;
    # https://learn.microsoft.com/azure/azure-local/concepts/physical-network-requirements
    # Storage is cabled node to node apart from the switch: two adapters for the switch, two for
    # storage (two adapters alone cannot be both: the designer splits them, WS406 and WS411).
    description = ws2016(TWO_10_TWO_RDMA_25, nodes=3, storage_interconnect="switchless")
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert codes(answer) == ["WS001"]  # the links are not given: not checked, and said so
    pairs = [["hv01", "hv02"], ["hv02", "hv03"], ["hv01", "hv03"]]
    description["switchless_links"] = [{"nodes": p, "count": 2} for p in pairs[:2]]
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert answer["classification"] == "unsupported" and codes(answer) == ["WS404"]
    description["switchless_links"].append({"nodes": pairs[2]})  # one link: count 1
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert answer["classification"] == "supported" and codes(answer) == ["WS410"]
    description["switchless_links"][2]["count"] = 2
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert answer["classification"] == "recommended" and codes(answer) == []


def test_switchless_links_are_checked(client):
    description = ws2016(TWO_RDMA_25, switchless_links=[{"nodes": ["hv01", "hv02"]}])
    assert list(errors(client.post("/v1/evaluations", json=description))) == [
        "/switchless_links"]
    description["storage_interconnect"] = "switchless"
    description["switchless_links"] += [{"nodes": ["hv01", "hv09"]}, {"nodes": ["hv02", "hv02"]}]
    found = errors(client.post("/v1/evaluations", json=description))
    assert set(found) == {"/switchless_links/1/nodes", "/switchless_links/2/nodes"}
    description["switchless_links"] = [{"nodes": ["hv01"], "count": 0}]
    found = errors(client.post("/v1/evaluations", json=description))
    assert set(found) == {"/switchless_links/0/nodes", "/switchless_links/0/count"}


def test_max_simultaneous_live_migrations_is_carried_and_rendered(client):
    description = ws2016(TWO_RDMA_25, max_simultaneous_live_migrations=4)
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert answer["host_networking"]["max_simultaneous_live_migrations"] == 4
    script = client.post("/v1/qos-policies/powershell?node=hv01", json=description)
    assert "Set-VMHost -MaximumVirtualMachineMigrations 4" in script.get_data(as_text=True)


# ---- the cache and ETags per ruleset ----------------------------------------------------------

def test_the_same_adapters_under_each_ruleset_have_their_own_key_etag_and_answer(app, client):
    from service.api.caching import evaluation_key
    plain = {"nodes": [{"name": "hv01", "adapters": [
        {"name": "NIC1", "speed_mbps": 10000}, {"name": "NIC2", "speed_mbps": 10000}]}]}
    bodies = {ruleset: {"ruleset": ruleset, **plain} for ruleset in ("ws2008r2", "ws2016")}
    with app.test_request_context():
        keys = {r: evaluation_key(b) for r, b in bodies.items()}
        assert keys["ws2008r2"] != keys["ws2016"]
        assert evaluation_key(plain) != keys["ws2016"]
    answers = {r: client.post("/v1/evaluations", json=b) for r, b in bodies.items()}
    assert answers["ws2008r2"].headers["ETag"] != answers["ws2016"].headers["ETag"]
    assert answers["ws2016"].headers["X-Ruleset-Version"] == WS2016_VERSION
    again = client.post("/v1/evaluations", json=bodies["ws2016"])
    assert again.headers["X-Cache"] == "hit"
    assert again.headers["X-Ruleset-Version"] == WS2016_VERSION
    assert again.get_data() == answers["ws2016"].get_data()
    revalidated = client.post("/v1/evaluations", json=bodies["ws2016"],
                              headers={"If-None-Match": again.headers["ETag"]})
    assert revalidated.status_code == 304


def test_a_mixed_batch_answers_each_item_by_its_own_ruleset(client):
    invalid = spec_example()
    invalid["nodes"][0]["adapters"][0]["rdma"] = True
    items = [spec_example(), ws2016(TWO_RDMA_25), invalid, {"ruleset": "nope", **spec_example()}]
    for _ in range(2):  # evaluated, then from the cache
        results = client.post("/v1/evaluations/batch", json={"items": items}).get_json()["results"]
        assert [r["status"] for r in results] == [200, 200, 422, 422]
        assert results[0]["evaluation"]["ruleset_version"] == WS2008R2_VERSION
        assert "host_networking" not in results[0]["evaluation"]
        assert results[1]["evaluation"]["ruleset_version"] == WS2016_VERSION
        assert results[1]["evaluation"]["host_networking"]["nodes"][0]["layout"] == "converged"
        assert [e["pointer"] for e in results[2]["problem"]["errors"]] == [
            "/nodes/0/adapters/0/rdma"]
        assert [e["pointer"] for e in results[3]["problem"]["errors"]] == ["/ruleset"]
    single = client.post("/v1/evaluations", json=items[1]).get_json()
    assert results[1]["evaluation"] == single


def test_the_contracts_batch_example_is_what_the_service_answers(client):
    request, response = batch_examples()
    assert client.post("/v1/evaluations/batch", json=request).get_json() == response


# ---- renderings -------------------------------------------------------------------------------

@pytest.mark.parametrize("adapters, expected", [
    (TWO_RDMA_25, "ws2016-converged-2x25.ps1"),
    (TWO_10_TWO_RDMA_25, "ws2016-dedicated-2x10-2x25.ps1"),
])
def test_powershell_is_the_ws2016_script_reviewed_by_hand(client, adapters, expected):
    response = client.post("/v1/qos-policies/powershell?node=hv01", json=ws2016(adapters))
    assert response.status_code == 200
    assert response.get_data(as_text=True) == (EXPECTED / expected).read_text()
    assert "hv01-ws2016" in response.headers["Content-Disposition"]


def test_powershell_for_ws2016_needs_a_node_when_there_are_several(client):
    found = errors(client.post("/v1/qos-policies/powershell", json=ws2016(TWO_RDMA_25)))
    assert list(found) == ["/node"]
    one = client.post("/v1/qos-policies/powershell", json=ws2016(TWO_RDMA_25, nodes=1))
    assert one.status_code == 200 and one.get_data(as_text=True).startswith("# hv01:")


@pytest.mark.parametrize("path", [
    "/v1/qos-policies/registry?node=hv01", "/v1/qos-policies/gpedit"])
def test_the_2008_r2_guides_renderings_refuse_a_ws2016_description(client, path):
    found = errors(client.post(path, json=ws2016(TWO_RDMA_25)))
    assert list(found) == ["/ruleset"]
    assert "2008 R2" in found["/ruleset"] and "WS408" in found["/ruleset"]
    assert "Markdown" in found["/ruleset"] and "PowerShell" in found["/ruleset"]


@pytest.mark.parametrize("adapters, expected", [
    (TWO_10_TWO_RDMA_25, "ws2016-dedicated-2x10-2x25.md"),
    ([adapter("pNIC01", 10), adapter("pNIC02", 10)], "ws2016-no-rdma-2x10.md"),
])
@pytest.mark.parametrize("ask", [
    {"path": "/v1/evaluations", "headers": {"Accept": "text/markdown"}},
    {"path": "/v1/evaluations?format=markdown"},
    {"path": "/v1/evaluations/markdown"}])
def test_markdown_is_the_ws2016_answer_reviewed_by_hand(client, adapters, expected, ask):
    response = client.post(ask["path"], json=ws2016(adapters), headers=ask.get("headers"))
    assert response.status_code == 200 and response.mimetype == "text/markdown"
    assert response.get_data(as_text=True) == (EXPECTED / expected).read_text()
    assert response.headers["X-Ruleset-Version"] == WS2016_VERSION


@pytest.mark.parametrize("adapters, expected", [
    (TWO_RDMA_25, "ws2016-converged-2x25.svg"),
    (TWO_10_TWO_RDMA_25, "ws2016-dedicated-2x10-2x25.svg"),
])
def test_svg_is_the_ws2016_picture_reviewed_by_hand(client, adapters, expected):
    description = ws2016(adapters)
    if expected.startswith("ws2016-converged"):
        description["max_simultaneous_live_migrations"] = 4
    response = client.post("/v1/evaluations/svg", json=description)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.get_data(as_text=True) == (EXPECTED / expected).read_text()
    one = client.post("/v1/evaluations/svg?node=hv02", json=description,
                      headers={"Accept": "text/plain"})
    assert one.mimetype == "text/plain" and "Host networking of hv02" in one.get_data(as_text=True)
    assert list(errors(client.post("/v1/evaluations/svg?node=hv09", json=description))) == [
        "/node"]


def test_chatops_answers_by_the_ruleset_the_query_selects(client):
    query = "/v1/chatops/answer?inventory=2x25G,2x10G&nodes=2"
    default = client.get(query)
    answer = client.get(query + "&ruleset=ws2016")
    assert answer.status_code == 200 and answer.mimetype == "text/markdown"
    assert answer.headers["X-Ruleset-Version"] == WS2016_VERSION
    assert default.headers["X-Ruleset-Version"] == WS2008R2_VERSION
    assert answer.headers["ETag"] != default.headers["ETag"]
    text = answer.get_data(as_text=True)
    assert text.splitlines()[1] == "Live migration with Compression, no SMB bandwidth limit."
    assert "Windows Server 2016 and later" in text and len(text) <= 4000
    again = client.get(query + "&ruleset=ws2016")
    assert again.headers["X-Cache"] == "hit" and again.get_data() == answer.get_data()
    assert client.get(query + "&ruleset=ws2008r2").get_data() == default.get_data()


def test_chatops_ws2016_answer_stays_one_message_for_many_adapters(client):
    inventory = ",".join(f"1x{g}G" for g in (1, 2, 5, 10, 25, 40, 50, 100)) + ",8x10G"
    answer = client.get(f"/v1/chatops/answer?inventory={inventory}&nodes=64&ruleset=ws2016")
    assert answer.status_code == 200 and len(answer.get_data(as_text=True)) <= 4000


def test_chatops_ws2016_reads_rdma_words_as_the_json_description_would(client):
    # "2x25G rocev2,2x10G": the README's ws2016.json without make and model, so the same design
    # (storage on the RDMA pair, SMB limited to 29% of its 50% reservation).
    answer = client.get("/v1/chatops/answer?inventory=2x25G%20rocev2,2x10G&nodes=2"
                        "&ruleset=ws2016").get_data(as_text=True)
    assert answer.splitlines()[1] == ("Live migration over SMB, limited to 906250000 bytes/s "
                                      "(7.25 Gbps).")
    assert "| NIC1 | 25 Gbps | 711 | yes |" in answer
    assert "SMB Direct on priority 3" in answer
    iwarp = client.get("/v1/chatops/answer?inventory=2x25G%20iwarp&nodes=2&ruleset=ws2016")
    assert "| SMB1 | ConvergedSwitch | 711 | yes | NIC1 |" in iwarp.get_data(as_text=True)
    infiniband = client.get("/v1/chatops/answer?inventory=2x100G%20infiniband,2x25G&nodes=2"
                            "&ruleset=ws2016").get_data(as_text=True)
    assert "**DCB**: none (InfiniBand storage: DCB is Ethernet's)." in infiniband
    assert "| NIC1 | 100 Gbps | untagged | yes |" in infiniband
    # The 2008 R2 guide and the description endpoint do not read RDMA: refused, not dropped.
    for query in ("/v1/chatops/answer?inventory=2x25G%20roce&nodes=2",
                  "/v1/chatops/description?inventory=2x25G%20roce"):
        found = errors(client.get(query))
        assert list(found) == ["/inventory"] and "ruleset=ws2016" in found["/inventory"]
        assert found["/inventory"].endswith("at position 6")


def test_chatops_refuses_an_unknown_ruleset_and_teams_under_ws2016_by_name(client):
    found = errors(client.get("/v1/chatops/answer?inventory=2x10G&ruleset=ws2012"))
    assert list(found) == ["/ruleset"] and "ws2016" in found["/ruleset"]
    found = errors(client.get("/v1/chatops/answer?inventory=3x1G%20team(2,private)"
                              "&ruleset=ws2016"))
    assert list(found) == ["/inventory"] and "adapters only" in found["/inventory"]
    short = client.get("/v1/chatops/answer?inventory=2x10G&ruleset=nope",
                       headers={"Accept": "text/markdown"})
    assert short.status_code == 422 and "ruleset" in short.get_data(as_text=True)


def test_the_ws2016_markdown_answer_is_cached_apart_from_its_json(client):
    body = ws2016(TWO_RDMA_25)
    as_json = client.post("/v1/evaluations", json=body)
    first = client.post("/v1/evaluations?format=markdown", json=body)
    again = client.post("/v1/evaluations/markdown", json=body)
    assert first.headers["ETag"] != as_json.headers["ETag"]
    assert again.headers["ETag"] == first.headers["ETag"] and again.headers["X-Cache"] == "hit"
    assert again.get_data() == first.get_data()


def test_a_change_to_the_ws2016_markdown_changes_its_cache_version():
    from service.application.representation import ws2016_representation_version
    from service.domain.rulesets.ws2016.serve import markdown
    assert ws2016_representation_version() == ws2016_representation_version()
    assert ws2016_representation_version(render=lambda e: markdown(e) + "\n") \
        != ws2016_representation_version()


def test_the_page_answers_a_ws2016_description(client):
    # The page's ws2016 answer itself: tests/api/test_web_page_ws2016.py.
    response = client.post("/", data={"description": json.dumps(ws2016(TWO_RDMA_25))},
                           headers={"Accept": "text/html"})
    assert response.status_code == 200 and "ws2016-live-migration/" in response.get_data(
        as_text=True)


def test_the_command_line_renders_ws2016_json_and_powershell(tmp_path, capsys):
    path = tmp_path / "ws2016.json"
    path.write_text(json.dumps(ws2016(TWO_RDMA_25)))
    assert main(["evaluate", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["ruleset_version"] == WS2016_VERSION
    assert main(["evaluate", str(path), "--format", "powershell", "--node", "hv01"]) == 0
    assert capsys.readouterr().out == (EXPECTED / "ws2016-converged-2x25.ps1").read_text()
    assert main(["evaluate", str(path), "--format", "reg", "--node", "hv01"]) == 2
    assert "/ruleset" in capsys.readouterr().err


def test_the_command_line_renders_ws2016_markdown_and_svg(tmp_path, capsys):
    path = tmp_path / "ws2016.json"
    path.write_text(json.dumps(ws2016(TWO_10_TWO_RDMA_25)))
    assert main(["evaluate", str(path), "--format", "markdown"]) == 0
    assert capsys.readouterr().out == (EXPECTED / "ws2016-dedicated-2x10-2x25.md").read_text()
    assert main(["evaluate", str(path), "--format", "markdown", "--node", "hv01"]) == 2
    assert "/node" in capsys.readouterr().err
    assert main(["evaluate", str(path), "--format", "svg"]) == 0
    assert capsys.readouterr().out == (EXPECTED / "ws2016-dedicated-2x10-2x25.svg").read_text()
    assert main(["evaluate", str(path), "--format", "svg", "--node", "hv02"]) == 0
    assert "Host networking of hv02" in capsys.readouterr().out


def test_the_contracts_ws2016_example_is_answered(client):
    response = client.post("/v1/evaluations", json=ws2016_description())
    assert response.status_code == 200
    assert response.get_json()["classification"] == "recommended"


# ---- the design-mode properties, through the API ----------------------------------------------

INVENTORIES = {
    "2 x 25 RDMA": TWO_RDMA_25,
    "2 x 10 + 2 x 25 RDMA": TWO_10_TWO_RDMA_25,
    "2 x 10 RDMA": [adapter("a", 10, rdma=True), adapter("b", 10, rdma=True)],
    "2 x 10": [adapter("a", 10), adapter("b", 10)],
    "2 x 1": [adapter("a", 1), adapter("b", 1)],
    "4 x 25 iWARP": [adapter(f"p{i}", 25, rdma=True, kind="iwarp") for i in range(4)],
}
EXTRA = [adapter("x1", 1), adapter("x10", 10), adapter("x25", 25, rdma=True, model="R")]


def classification(client, description: dict) -> str:
    response = client.post("/v1/evaluations", json=description)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["classification"]


RANK = {"unsupported": 0, "not_recommended": 1, "supported": 2, "recommended": 3}


@pytest.mark.parametrize("name", INVENTORIES)
def test_adding_an_adapter_to_every_node_never_lowers_the_class(client, name):
    before = classification(client, ws2016(INVENTORIES[name]))
    for extra in EXTRA:
        after = classification(client, ws2016([*INVENTORIES[name], extra]))
        assert RANK[after] >= RANK[before], extra["name"]


@pytest.mark.parametrize("name", INVENTORIES)
def test_renaming_and_reordering_adapters_and_nodes_changes_nothing(client, name):
    description = ws2016(INVENTORIES[name])
    renamed = copy.deepcopy(description)
    for node in renamed["nodes"]:
        node["name"] = "z-" + node["name"]
        node["adapters"] = [{**a, "name": "z-" + a["name"]} for a in reversed(node["adapters"])]
    renamed["nodes"].reverse()
    assert classification(client, renamed) == classification(client, description)


@pytest.mark.parametrize("name", INVENTORIES)
def test_identical_nodes_are_classified_like_two(client, name):
    two = classification(client, ws2016(INVENTORIES[name]))
    for count in (3, 8, 16):
        assert classification(client, ws2016(INVENTORIES[name], nodes=count)) == two


def test_switchless_storage_is_never_laid_out_on_the_switch(client):
    # Two adapters cannot carry the switch's uplinks and the direct storage links at once: the
    # designer keeps storage apart (S20, S21) and says what one storage link leaves exposed.
    description = ws2016(TWO_RDMA_25, storage_interconnect="switchless",
                         switchless_links=[{"nodes": ["hv01", "hv02"], "count": 1}])
    answer = client.post("/v1/evaluations", json=description).get_json()
    node = answer["host_networking"]["nodes"][0]
    assert node["layout"] == "dedicated"
    assert [a["name"] for a in node["storage_adapters"]] == ["pNIC02"]
    assert node["switches"][0]["members"] == ["pNIC01"]
    assert {"WS406", "WS410"} <= set(codes(answer))


def test_storage_spaces_direct_over_1_gbps_management_is_unsupported(client):
    description = ws2016([adapter("pNIC01", 1), adapter("pNIC02", 1)],
                         shared_storage="storage_spaces_direct")
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert answer["classification"] == "unsupported" and "WS409" in codes(answer)


def test_infiniband_adapters_stay_off_the_switch_and_out_of_dcb(client):
    infiniband = [adapter("ib1", 100, rdma=True, kind="infiniband", model="IB"),
                  adapter("ib2", 100, rdma=True, kind="infiniband", model="IB")]
    answer = client.post("/v1/evaluations", json=ws2016(
        [adapter("pNIC01", 10), adapter("pNIC02", 10), *infiniband])).get_json()
    node = answer["host_networking"]["nodes"][0]
    assert node["switches"][0]["members"] == ["pNIC01", "pNIC02"]
    assert [a["name"] for a in node["storage_adapters"]] == ["ib1", "ib2"]
    assert answer["host_networking"]["dcb"] is None


def test_a_finding_without_a_page_has_no_empty_parentheses(client):
    answer = client.post("/v1/evaluations", json=ws2016(
        [{"name": "pNIC01", "speed_mbps": 25000}, {"name": "pNIC02", "speed_mbps": 25000}]
    )).get_json()
    missing = [f for f in answer["findings"] if f["code"] == "WS001"]
    assert missing and all(not f["guide_reference"].endswith("()") for f in missing)


@pytest.mark.parametrize("rdma", [False, None])
def test_an_rdma_kind_without_rdma_true_is_a_422_not_a_guess(client, rdma):
    nic = adapter("pNIC01", 25)
    nic["rdma_kind"] = "roce_v2"
    if rdma is not None:
        nic["rdma"] = rdma
    found = errors(client.post("/v1/evaluations", json=ws2016([nic])))
    assert list(found) == ["/nodes/0/adapters/0/rdma_kind", "/nodes/1/adapters/0/rdma_kind"]
    assert "\"rdma\": true" in found["/nodes/0/adapters/0/rdma_kind"]


def test_network_atc_on_windows_server_before_2025_is_unsupported(client):
    # Deploy host networking with Network ATC (Windows Server): "All servers in the cluster must
    # be running Windows Server 2025 or later for Windows Server, and version 2311.2 or later
    # for Azure Local": https://learn.microsoft.com/windows-server/networking/network-atc/network-atc
    description = ws2016(TWO_RDMA_25, network_atc=True)
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert answer["classification"] == "unsupported" and "WS107" in codes(answer)
    for node in description["nodes"]:
        node["os_version"] = "2025"
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert "WS107" not in codes(answer) and answer["classification"] == "recommended"
    description["azure_local"] = True
    for node in description["nodes"]:
        node["os_version"] = "2022"  # Azure Local's own versions are not a field
    assert "WS107" not in codes(client.post("/v1/evaluations", json=description).get_json())


def test_nodes_on_different_windows_server_versions_are_a_rolling_upgrade_to_finish(client):
    # Cluster operating system rolling upgrade: "We recommend moving through the cluster upgrade
    # process quickly (within four weeks) because some cluster features aren't optimized for
    # mixed-OS mode." https://learn.microsoft.com/windows-server/failover-clustering/
    # cluster-operating-system-rolling-upgrade
    description = ws2016(TWO_RDMA_25)
    description["nodes"][1]["os_version"] = "2025"
    answer = client.post("/v1/evaluations", json=description).get_json()
    assert answer["classification"] == "supported" and "WS108" in codes(answer)
    assert "2022: hv01; 2025: hv02" in next(f["message"] for f in answer["findings"]
                                             if f["code"] == "WS108")


@pytest.mark.parametrize("rdma_names, other_names", [(("pNIC01", "pNIC02"), ("pNIC03", "pNIC04")),
                                                     (("SLOT3-1", "SLOT3-2"), ("NIC1", "NIC2"))])
def test_storage_goes_on_the_rdma_adapters_whatever_their_names(client, rdma_names, other_names):
    # Host network requirements for Azure Local: RDMA's applicable traffic type is host storage;
    # names must not decide where it goes (renaming the same hardware changes nothing).
    adapters = [adapter(n, 25, rdma=True, model="R") for n in rdma_names] + \
        [adapter(n, 10) for n in other_names]
    answer = client.post("/v1/evaluations", json=ws2016(adapters)).get_json()
    node = answer["host_networking"]["nodes"][0]
    assert [a["name"] for a in node["storage_adapters"]] == sorted(rdma_names)
    assert answer["host_networking"]["live_migration_transport"] == "smb"


def test_a_network_atc_cluster_gets_its_intents_not_hand_made_switches(client):
    # Deploy host networking with Network ATC (Windows Server, S31): intents such as
    # "Add-NetIntent -Name ConvergedIntent -Management -Compute -Storage -AdapterName pNIC01,
    # pNIC02", live migration through New-NetIntentGlobalClusterOverrides and Set-NetIntent.
    description = ws2016(TWO_RDMA_25, network_atc=True, max_simultaneous_live_migrations=2)
    for node in description["nodes"]:
        node["os_version"] = "2025"
        for nic in node["adapters"]:
            nic.update(make="C", model="M")
    sent = client.post("/v1/qos-policies/powershell?node=hv01", json=description)
    expected = (EXPECTED / "ws2016-network-atc-converged.ps1").read_text()
    assert sent.get_data(as_text=True) == expected
    commands = [line for line in expected.splitlines() if not line.startswith("#")]
    assert not any(line.startswith(("New-VMSwitch", "New-NetQosTrafficClass", "Set-VMHost"))
                   for line in commands)

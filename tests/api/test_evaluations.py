"""POST /v1/evaluations and /batch through the test client: answers, errors and caching."""
from __future__ import annotations

import pytest

from service.app import create_app
from service.config import Settings
from tests.support import spec_example

PROBLEM = "application/problem+json"


def test_spec_example_is_row_2(client):
    response = client.post("/v1/evaluations", json=spec_example())
    assert response.status_code == 200
    body = response.get_json()
    assert body["mode"] == "design"
    assert body["classification"] == "supported"
    assert body["classification_source"] == "table"
    assert body["reference_configuration"]["row"] == 2
    layout = {p["role"]: p for p in body["nodes"][0]["layout"]}
    assert layout["vm_access"] == {"role": "vm_access", "port": "NIC1", "virtual": True,
                                   "bandwidth_cap_percent": None}
    assert layout["management"]["bandwidth_cap_percent"] == 10
    assert layout["cluster_csv"]["port"] == "T1"
    assert layout["live_migration"] == {"role": "live_migration", "port": "T1", "virtual": False,
                                        "bandwidth_cap_percent": 40}
    policies = {p["protocol"]: p for p in body["nodes"][0]["qos_policies"]}
    assert policies["tcp"]["destination_port"] == 6600
    assert policies["tcp"]["throttle_rate_bits_per_second"] == 800_000_000
    assert policies["any"]["source_ip"] == "10.0.0.11"
    assert policies["any"]["throttle_rate_bits_per_second"] == 100_000_000
    assert body["ruleset_version"]


def test_defaults_fill_the_optional_fields(client):
    body = {"nodes": [{"name": "a", "adapters": [{"name": "x", "speed_mbps": 1000},
                                                 {"name": "y", "speed_mbps": 1000}]}]}
    response = client.post("/v1/evaluations", json=body)
    assert response.status_code == 200
    assert response.get_json()["reference_configuration"]["row"] == 8


@pytest.mark.parametrize("raw", [
    b'{"nodes": NaN}', b'{"nodes": Infinity}', b'{"nodes": -Infinity}', b'{"x": 1e999}',
    b'{"x": ' + b"9" * 5000 + b"}", b'{"nodes": [', b"", b"\xff\xfe", b"[" * 100000,
])
def test_malformed_json_is_400(client, raw):
    response = client.post("/v1/evaluations", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert response.content_type == PROBLEM
    assert response.get_json()["status"] == 400


def test_wrong_content_type_is_415(client):
    response = client.post("/v1/evaluations", data="nodes=1", content_type="text/plain")
    assert response.status_code == 415
    assert response.content_type == PROBLEM


def test_body_over_the_limit_is_413():
    client = create_app(Settings(max_body_bytes=2_000)).test_client()
    body = spec_example()
    body["name"] = "x" * 100
    body["nodes"] = [dict(body["nodes"][0], name=f"n{i}") for i in range(20)]
    response = client.post("/v1/evaluations", json=body)
    assert response.status_code == 413
    assert response.content_type == PROBLEM


def _problem_pointers(response) -> set[str]:
    assert response.status_code == 422, response.get_json()
    assert response.content_type == PROBLEM
    return {e["pointer"] for e in response.get_json()["errors"]}


def _with(change):
    body = spec_example()
    change(body)
    return body


INVALID = {
    "unknown top-level field": (lambda b: b.update(colour="red"), "/colour"),
    "unknown adapter field": (lambda b: b["nodes"][0]["adapters"][0].update(mtu=9000),
                              "/nodes/0/adapters/0/mtu"),
    "duplicate node names": (lambda b: b["nodes"].append(dict(b["nodes"][0])), "/nodes/1/name"),
    "duplicate adapter names": (lambda b: b["nodes"][0]["adapters"].append(
        {"name": "NIC1", "speed_mbps": 1000}), "/nodes/0/adapters/3/name"),
    "adapter and team share a name": (lambda b: b["nodes"][0]["adapters"].append(
        {"name": "T1", "speed_mbps": 1000}), "/nodes/0/teams/0/name"),
    "undeclared team": (lambda b: b["nodes"][0]["adapters"][0].update(team="T9"),
                        "/nodes/0/adapters/0/team"),
    "team with no member": (lambda b: b["nodes"][0]["teams"].append({"name": "T2"}),
                            "/nodes/0/teams/1"),
    "speed too low": (lambda b: b["nodes"][0]["adapters"][0].update(speed_mbps=9),
                      "/nodes/0/adapters/0/speed_mbps"),
    "speed too high": (lambda b: b["nodes"][0]["adapters"][0].update(speed_mbps=400_001),
                       "/nodes/0/adapters/0/speed_mbps"),
    "speed as a string": (lambda b: b["nodes"][0]["adapters"][0].update(speed_mbps="1000"),
                          "/nodes/0/adapters/0/speed_mbps"),
    "speed as a float": (lambda b: b["nodes"][0]["adapters"][0].update(speed_mbps=1000.5),
                         "/nodes/0/adapters/0/speed_mbps"),
    "speed as a boolean": (lambda b: b["nodes"][0]["adapters"][0].update(speed_mbps=True),
                           "/nodes/0/adapters/0/speed_mbps"),
    "boolean as 0": (lambda b: b.update(tcp_chimney_offload=0), "/tcp_chimney_offload"),
    "no node": (lambda b: b.update(nodes=[]), "/nodes"),
    "65 nodes": (lambda b: b.update(nodes=[dict(b["nodes"][0], name=f"n{i}") for i in range(65)]),
                 "/nodes"),
    "no adapter": (lambda b: b["nodes"][0].update(adapters=[], teams=[]), "/nodes/0/adapters"),
    "33 adapters": (lambda b: b["nodes"][0].update(
        adapters=[{"name": f"N{i}", "speed_mbps": 1000} for i in range(33)], teams=[]),
        "/nodes/0/adapters"),
    "name of 129 characters": (lambda b: b["nodes"][0].update(name="n" * 129), "/nodes/0/name"),
    "malformed address": (lambda b: b["nodes"][0]["adapters"][0].update(address="10.0.0.300/24"),
                          "/nodes/0/adapters/0/address"),
    "malformed management ip": (lambda b: b["nodes"][0].update(management_ip="10.0.0"),
                                "/nodes/0/management_ip"),
    "vlan 0": (lambda b: b["nodes"][0]["adapters"][0].update(vlan_id=0),
               "/nodes/0/adapters/0/vlan_id"),
    "vlan 4095": (lambda b: b["nodes"][0]["teams"][0].update(vlan_id=4095),
                  "/nodes/0/teams/0/vlan_id"),
    "unknown storage": (lambda b: b.update(shared_storage="nfs"), "/shared_storage"),
    "unknown role": (lambda b: b["nodes"][0]["adapters"][0].update(roles=[{"role": "backup"}]),
                     "/nodes/0/adapters/0/roles/0/role"),
    "cap over 100": (lambda b: b["nodes"][0]["teams"][0].update(
        roles=[{"role": "live_migration", "bandwidth_cap_percent": 101}]),
        "/nodes/0/teams/0/roles/0/bandwidth_cap_percent"),
    "roles on a team member": (lambda b: b["nodes"][0]["adapters"][1].update(
        roles=[{"role": "live_migration"}]), "/nodes/0/adapters/1/roles"),
    "team and member disagree": (lambda b: b["nodes"][0]["adapters"][1].update(network="public"),
                                 "/nodes/0/teams/0/network"),
    "not an object": (lambda b: None, ""),
    "lone surrogate in a name": (lambda b: b["nodes"][0].update(name="hv\ud800"),
                                 "/nodes/0/name"),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_descriptions_are_422_naming_the_field(client, case):
    change, pointer = INVALID[case]
    body = [1, 2] if case == "not an object" else _with(change)
    pointers = _problem_pointers(client.post("/v1/evaluations", json=body))
    if pointer is not None:
        assert pointer in pointers


def test_audit_mode_requires_every_role_on_every_node(client):
    body = spec_example()
    body["nodes"][0]["teams"][0]["roles"] = [{"role": "live_migration", "bandwidth_cap_percent": 40}]
    response = client.post("/v1/evaluations", json=body)
    assert _problem_pointers(response) == {"/nodes/0"}
    assert "vm_access" in response.get_json()["detail"]


def test_audit_mode_judges_the_declared_layout(client):
    body = spec_example()
    body["nodes"][0]["adapters"][0]["roles"] = [
        {"role": "vm_access", "virtual": True},
        {"role": "management", "virtual": True, "bandwidth_cap_percent": 10}]
    body["nodes"][0]["teams"][0]["roles"] = [
        {"role": "cluster_csv"}, {"role": "live_migration", "bandwidth_cap_percent": 40}]
    answer = client.post("/v1/evaluations", json=body).get_json()
    assert answer["mode"] == "audit"
    assert answer["classification"] == "supported"
    assert answer["classification_source"] == "table"


def test_unknown_path_is_404_problem(client):
    response = client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.content_type == PROBLEM


def test_wrong_method_is_405_with_allow(client):
    response = client.get("/v1/evaluations")
    assert response.status_code == 405
    assert response.content_type == PROBLEM
    assert "POST" in response.headers["Allow"]


class TestCaching:
    def test_etag_hit_and_304(self, client):
        first = client.post("/v1/evaluations", json=spec_example())
        assert first.headers["X-Cache"] == "miss"
        etag = first.headers["ETag"]
        assert etag.startswith('"') and not etag.startswith('W/')
        assert "max-age=" in first.headers["Cache-Control"]
        second = client.post("/v1/evaluations", json=spec_example())
        assert second.headers["X-Cache"] == "hit"
        assert second.get_data() == first.get_data()
        assert second.headers["ETag"] == etag
        revalidated = client.post("/v1/evaluations", json=spec_example(),
                                  headers={"If-None-Match": etag})
        assert revalidated.status_code == 304
        assert revalidated.get_data() == b""

    def test_key_ignores_key_order_and_whitespace(self, client):
        import json
        first = client.post("/v1/evaluations", json=spec_example())
        reordered = json.dumps(dict(reversed(list(spec_example().items()))), indent=4)
        second = client.post("/v1/evaluations", data=reordered, content_type="application/json")
        assert second.headers["X-Cache"] == "hit"
        assert second.headers["ETag"] == first.headers["ETag"]

    def test_errors_are_not_cached(self, client, app):
        body = _with(lambda b: b.update(nodes=[]))
        client.post("/v1/evaluations", json=body)
        assert client.post("/v1/evaluations", json=body).headers.get("X-Cache") is None
        assert app.extensions["lmna"].cache.status()["entries"] == 0

    def test_a_changed_description_has_another_etag(self, client):
        first = client.post("/v1/evaluations", json=spec_example())
        changed = _with(lambda b: b.update(redundant_cluster_path=True))
        second = client.post("/v1/evaluations", json=changed)
        assert second.headers["ETag"] != first.headers["ETag"]
        stale = client.post("/v1/evaluations", json=changed,
                            headers={"If-None-Match": first.headers["ETag"]})
        assert stale.status_code == 200


class TestBatch:
    def test_one_result_per_item_in_order(self, client):
        good = spec_example()
        bad = _with(lambda b: b["nodes"][0]["adapters"][0].update(speed_mbps=1))
        response = client.post("/v1/evaluations/batch", json={"items": [good, bad, good]})
        assert response.status_code == 200
        results = response.get_json()["results"]
        assert [r["index"] for r in results] == [0, 1, 2]
        assert [r["status"] for r in results] == [200, 422, 200]
        assert results[0]["evaluation"]["classification"] == "supported"
        assert results[1]["problem"]["errors"][0]["pointer"] == "/nodes/0/adapters/0/speed_mbps"
        assert results[1]["evaluation"] is None

    def test_cross_field_problems_per_item(self, client):
        dup = _with(lambda b: b["nodes"].append(dict(b["nodes"][0])))
        results = client.post("/v1/evaluations/batch", json={"items": [dup]}).get_json()["results"]
        assert results[0]["status"] == 422
        assert results[0]["problem"]["errors"][0]["pointer"] == "/nodes/1/name"

    def test_limits(self, client):
        assert client.post("/v1/evaluations/batch", json={"items": []}).status_code == 422
        assert client.post("/v1/evaluations/batch", json={"items": 1}).status_code == 422
        assert client.post("/v1/evaluations/batch", json={"items": [{}], "x": 1}).status_code == 422

    def test_an_item_that_is_not_an_object_gets_its_own_problem(self, client):
        response = client.post("/v1/evaluations/batch", json={"items": [spec_example(), 5, None]})
        assert response.status_code == 200
        results = response.get_json()["results"]
        assert [r["status"] for r in results] == [200, 422, 422]
        assert results[1]["problem"]["errors"][0]["pointer"] == ""
        assert results[1]["problem"]["type"].endswith("/422")

    def test_configured_maximum(self):
        client = create_app(Settings(batch_max_items=2)).test_client()
        body = {"items": [spec_example()] * 3}
        response = client.post("/v1/evaluations/batch", json=body)
        assert response.status_code == 422
        assert response.get_json()["errors"][0]["pointer"] == "/items"

    def test_thousand_items(self, client):
        small = {"nodes": [{"name": "a", "adapters": [{"name": "x", "speed_mbps": 1000},
                                                      {"name": "y", "speed_mbps": 1000}]}]}
        response = client.post("/v1/evaluations/batch", json={"items": [small] * 1000})
        assert response.status_code == 200
        assert len(response.get_json()["results"]) == 1000


def test_batch_items_share_the_cache_with_single_evaluations(client, app):
    single = client.post("/v1/evaluations", json=spec_example())
    batch = client.post("/v1/evaluations/batch", json={"items": [spec_example()]})
    import json
    assert batch.get_json()["results"][0]["evaluation"] == json.loads(single.get_data())
    other = {"nodes": [{"name": "z", "adapters": [{"name": "a", "speed_mbps": 1000},
                                                  {"name": "b", "speed_mbps": 1000}]}]}
    client.post("/v1/evaluations/batch", json={"items": [other]})
    assert client.post("/v1/evaluations", json=other).headers["X-Cache"] == "hit"


class TestRevalidation:
    def test_weak_comparison_and_a_fresh_worker(self, client):
        etag = client.post("/v1/evaluations", json=spec_example()).headers["ETag"]
        weak = client.post("/v1/evaluations", json=spec_example(), headers={"If-None-Match": f"W/{etag}"})
        assert weak.status_code == 304
        fresh = create_app(Settings()).test_client()  # another worker: nothing cached there
        again = fresh.post("/v1/evaluations", json=spec_example(), headers={"If-None-Match": etag})
        assert again.status_code == 304

    def test_a_matching_etag_never_skips_validation(self, client, app):
        from service.api.caching import _etag, evaluation_key
        invalid = {"nodes": []}
        with app.test_request_context():
            etag = _etag(evaluation_key(invalid))
        response = client.post("/v1/evaluations", json=invalid, headers={"If-None-Match": etag})
        assert response.status_code == 422

    def test_star_is_not_honoured(self, client):
        response = client.post("/v1/evaluations", json=spec_example(), headers={"If-None-Match": "*"})
        assert response.status_code == 200


@pytest.mark.parametrize("content_type", ["application/merge-patch+json", "application/problem+json"])
def test_other_json_media_types_are_415(client, content_type):
    import json
    response = client.post("/v1/evaluations", data=json.dumps(spec_example()), content_type=content_type)
    assert response.status_code == 415


def test_json_with_a_charset_is_accepted(client):
    import json
    response = client.post("/v1/evaluations", data=json.dumps(spec_example()),
                           content_type="application/json; charset=utf-8")
    assert response.status_code == 200


@pytest.mark.parametrize("address", ["10.0.0.1", "10.0.0.1/255.255.255.0", "10.0.0.1/"])
def test_addresses_must_be_cidr(client, address):
    body = _with(lambda b: b["nodes"][0]["adapters"][0].update(address=address))
    assert "/nodes/0/adapters/0/address" in _problem_pointers(client.post("/v1/evaluations", json=body))


def test_a_cluster_wide_finding_makes_the_class_derived(client):
    body = spec_example()
    second = dict(body["nodes"][0], name="hv02")  # same addresses: LM302
    body["nodes"].append(second)
    answer = client.post("/v1/evaluations", json=body).get_json()
    assert answer["classification"] == "unsupported"
    assert answer["classification_source"] == "derived"
    assert answer["remediation"][0]["change"] == "addressing"
    assert answer["remediation"][0]["classification_after"] == "supported"

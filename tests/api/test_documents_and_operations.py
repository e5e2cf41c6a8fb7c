"""Renderings, the reference table, chat-ops, health, readiness, metrics and offline docs."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import pytest

from tests.support import spec_example


def two_nodes() -> dict:
    body = spec_example()
    second = dict(body["nodes"][0], name="hv02", management_ip="10.0.0.12")
    second["adapters"] = [dict(a) for a in second["adapters"]]
    second["adapters"][2]["address"] = "192.168.10.12/24"
    body["nodes"].append(second)
    return body


class TestQosDocuments:
    def test_powershell_script(self, client):
        response = client.post("/v1/qos-policies/powershell", json=two_nodes())
        assert response.status_code == 200
        assert response.mimetype == "text/plain"
        assert 'filename="hv-prod-01-qos.ps1"' in response.headers["Content-Disposition"]
        script = response.get_data(as_text=True)
        assert "-ThrottleRateActionBitsPerSecond 800000000" in script
        assert "-IPDstPortMatchCondition 6600" in script
        assert "-IPSrcPrefixMatchCondition '10.0.0.12/32'" in script or "10.0.0.12/32" in script
        assert "$env:COMPUTERNAME" in script

    def test_registry_file_needs_a_node_when_there_are_several(self, client):
        response = client.post("/v1/qos-policies/registry", json=two_nodes())
        assert response.status_code == 422
        assert response.get_json()["errors"][0]["pointer"] == "/node"
        response = client.post("/v1/qos-policies/registry?node=hv02", json=two_nodes())
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert text.startswith("Windows Registry Editor Version 5.00\r\n")
        assert "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\QoS\\hv02-live-migration" in text
        assert '"Remote Port"="6600"' in text

    def test_unknown_node_is_422(self, client):
        response = client.post("/v1/qos-policies/gpedit?node=nope", json=two_nodes())
        assert response.status_code == 422
        assert response.content_type == "application/problem+json"

    def test_gpedit_steps_show_both_figures(self, client):
        response = client.post("/v1/qos-policies/gpedit", json=spec_example())
        assert response.status_code == 200
        assert response.mimetype == "text/markdown"
        text = response.get_data(as_text=True)
        assert "gpedit.msc" in text and "6600" in text and "97656" in text

    def test_invalid_description_is_422_here_too(self, client):
        response = client.post("/v1/qos-policies/powershell", json={"nodes": []})
        assert response.status_code == 422


class TestPortalAndChatops:
    def test_svg_picture(self, client):
        response = client.post("/v1/evaluations/svg?node=hv02", json=two_nodes())
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        root = ElementTree.fromstring(response.get_data())
        text = " ".join(root.itertext())
        assert "T1" in text and "NIC1" in text and "2 Gbps" in text

    def test_markdown_answer(self, client):
        response = client.post("/v1/evaluations/markdown", json=spec_example())
        assert response.status_code == 200
        assert response.get_data(as_text=True).startswith("**Supported**")

    def test_one_line_inventory(self, client):
        response = client.get("/v1/chatops/answer?inventory=2x10G,1x1G&nodes=2")
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert "row 5" in text

    def test_one_line_inventory_expands_to_a_description(self, client):
        response = client.get("/v1/chatops/description?inventory=3x1G%20team(2,private)")
        assert response.status_code == 200
        description = response.get_json()
        assert description["nodes"][0]["teams"][0]["network"] == "private"
        evaluated = client.post("/v1/evaluations", json=description).get_json()
        assert evaluated["reference_configuration"]["row"] == 2

    @pytest.mark.parametrize("inventory", ["", "3xQ", "0x1G", "40x1G"])
    def test_unreadable_inventory_is_422(self, client, inventory):
        response = client.get(f"/v1/chatops/answer?inventory={inventory}")
        assert response.status_code == 422
        assert response.content_type == "application/problem+json"


def test_reference_configurations(client):
    table = client.get("/v1/reference-configurations").get_json()
    rows = table["rows"]
    assert [r["row"] for r in rows] == list(range(1, 10))
    assert rows[3]["classification"] == "supported"
    assert rows[3]["classification_with_redundant_cluster_path"] == "recommended"
    assert rows[3]["footnote"].startswith("*This configuration")
    assert rows[1]["ports"][1] == {"speed_mbps": 1000, "members": 2, "network": "private",
                                   "team_mode": "link_aggregation"}


def test_health_and_readiness(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz").get_json()
    assert ready["status"] == "ready"
    assert ready["cache"]["backend"] == "memory"
    assert ready["ruleset_version"].startswith("ws2008r2-live-migration/")


def test_metrics_count_requests_and_evaluations(client):
    client.post("/v1/evaluations", json=spec_example())
    client.get("/healthz")
    text = client.get("/metrics").get_data(as_text=True)
    assert re.search(r'lmna_http_requests_total\{endpoint="/v1/evaluations",method="POST",'
                     r'status="200"\} 1\.0', text)
    assert 'lmna_evaluations_total{classification="supported"} 1.0' in text


def test_interactive_docs_are_served_locally(client):
    page = client.get("/docs/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/openapi.json" in html
    assert "//cdn" not in html and "unpkg" not in html
    scripts = re.findall(r'src="([^"]+)"', html) + re.findall(r'href="([^"]+\.css)"', html)
    assert scripts
    for asset in scripts:
        path = asset if asset.startswith("/") else "/docs/" + asset.lstrip("./")
        assert not asset.startswith("http"), asset
        assert client.get(path).status_code == 200, asset
    assert client.get("/openapi.json").get_json()["openapi"] == "3.1.0"


def test_download_names_are_plain_ascii_whatever_the_names(client):
    body = spec_example()
    body["name"] = "clüster ☃"
    body["nodes"][0]["name"] = "hv\u00e5\ud805\udcf5"
    response = client.post("/v1/qos-policies/registry", json=body)
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    disposition.encode("ascii")
    assert disposition.startswith('attachment; filename="cl-ster-hv-')

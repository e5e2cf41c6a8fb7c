"""The page at / through the test client (every answer checked against the contract)."""
from __future__ import annotations

import html
import json
import re

import pytest

from tests.support import spec_example

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def hidden_description(page: bytes) -> str:
    return html.unescape(re.search(rb'name="description" value="([^"]*)"', page).group(1).decode())


def test_the_form_needs_no_script_and_no_outside_request(client):
    page = client.get("/", headers=BROWSER)
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert "<script" not in text
    assert not re.search(r'(src|href)="(https?:)?//', text)  # nothing from elsewhere
    assert 'action="/"' in text and 'name="inventory"' in text and 'name="description"' in text


def test_a_description_is_answered_with_everything_a_person_needs(client):
    page = client.post("/", data={"description": json.dumps(spec_example())}, headers=BROWSER)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="classification">Supported<' in text and "row 2" in text
    assert "<svg" in text and 'data-kind="team"' in text  # the picture, inline
    for section in ("findings", "plans", "policies", "downloads"):
        assert f'id="{section}"' in text
    assert "LM204" in text and "To reach recommended" in text and "800,000,000" in text
    assert json.loads(hidden_description(page.data)) == spec_example()


def test_an_inventory_link_shows_the_answer_at_once(client):
    page = client.get("/?inventory=2x10GbE,1x1G&nodes=2", headers=BROWSER)
    assert page.status_code == 200
    assert "row 5" in page.get_data(as_text=True)


@pytest.mark.parametrize("data, pointer", [
    ({"inventory": "2x10Q"}, "/inventory"),
    ({}, "/inventory"),
    ({"inventory": "2x10G", "description": "{}"}, "/inventory"),
    ({"description": "{\"nodes\": []}"}, "/description/nodes"),
    ({"description": "{nope"}, "/description"),
    ({"inventory": "2x10G", "colour": "red"}, "/colour"),
    ({"description": "{}", "nodes": "2"}, "/nodes"),
])
def test_faults_come_back_on_the_page_for_a_browser(client, data, pointer):
    page = client.post("/", data=data, headers=BROWSER)
    assert page.status_code == 422 and page.mimetype == "text/html"
    assert f"<code>{pointer}" in page.get_data(as_text=True)


def test_faults_are_problem_json_for_other_clients(client):
    response = client.post("/", data={"inventory": "2x10Q"})
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert response.get_json()["errors"][0]["pointer"] == "/inventory"


def test_the_form_must_be_a_form(client):
    assert client.post("/", json={"inventory": "2x10G"}).status_code == 415


@pytest.mark.parametrize("fmt, media, start", [
    ("powershell", "text/plain", "# Hyper-V live migration QoS policies"),
    ("gpedit", "text/markdown", "# Policy-based QoS in gpedit.msc"),
    ("reg", "text/plain", "Windows Registry Editor Version 5.00"),
    ("svg", "image/svg+xml", "<?xml"),
    ("markdown", "text/markdown", "**Supported**"),
    ("json", "application/json", "{"),
])
def test_every_download_button_works(client, fmt, media, start):
    page = client.post("/", data={"description": json.dumps(spec_example())}, headers=BROWSER)
    form = {"description": hidden_description(page.data), "format": fmt}
    if fmt not in ("json", "markdown"):
        form["node"] = "hv01"
    response = client.post("/download", data=form)
    assert response.status_code == 200 and response.mimetype == media
    assert response.headers["Content-Disposition"].startswith('attachment; filename="hv-prod-01')
    assert response.get_data(as_text=True).startswith(start)


def test_a_node_the_document_would_ignore_is_a_422(client):
    response = client.post("/download", data={"description": json.dumps(spec_example()),
                                              "format": "json", "node": "hv01"})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/node"


def test_a_download_for_an_unknown_node_is_a_422(client):
    response = client.post("/download", data={"description": json.dumps(spec_example()),
                                              "format": "reg", "node": "hv09"})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/node"


TABLE = {"adapter1_name": "Intel X710 #1", "adapter1_speed": "10000", "adapter1_network": "",
         "adapter2_name": "Intel X710 #2", "adapter2_speed": "10000",
         "adapter2_network": "private", "adapter3_name": "Onboard", "adapter3_speed": "1000",
         "team1_mode": "link_aggregation", "node_count": "2"}


def test_the_adapter_table_is_evaluated_like_a_description(client):
    page = client.post("/", data=TABLE, headers=BROWSER)
    assert page.status_code == 200 and "row 5" in page.get_data(as_text=True)
    description = json.loads(hidden_description(page.data))
    assert [n["name"] for n in description["nodes"]] == ["node1", "node2"]
    assert description["nodes"][0]["adapters"][1] == {
        "name": "Intel X710 #2", "speed_mbps": 10000, "network": "private"}


def test_a_fault_in_the_table_names_its_cell_once(client):
    page = client.post("/", data={**TABLE, "adapter3_speed": "fast"}, headers=BROWSER)
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert text.count("<code>/adapter3_speed</code>") == 1
    assert 'value="fast"' in text  # kept for correcting
    undeclared = client.post("/", data={**TABLE, "adapter3_team": "T9"}, headers=BROWSER)
    assert "<code>/adapter3_team</code>: team &#39;T9&#39; is not declared" in \
        undeclared.get_data(as_text=True)

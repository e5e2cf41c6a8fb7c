"""Answers people read through the API: chat-ops, Markdown by negotiation, the SVG picture."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tests.support import spec_example

MARKDOWN = "text/markdown; charset=utf-8"
SVG_NS = "{http://www.w3.org/2000/svg}"


def answer(client, query: str, **headers):
    return client.get(f"/v1/chatops/answer?{query}", headers=headers)


# ---- chat-ops ---------------------------------------------------------------------------------

@pytest.mark.parametrize("inventory", ["2x10GbE", "2 x 10 GigE", "2x10Gb/s", "2 X 10Gbps"])
def test_the_notations_people_type_are_read(client, inventory):
    response = answer(client, f"inventory={inventory}")
    assert response.status_code == 200
    assert "row 4" in response.get_data(as_text=True)


def test_a_slow_link_is_not_called_gigabit_and_every_finding_is_there(client):
    text = answer(client, "inventory=1x100M").get_data(as_text=True)
    assert "1 Gbps link" not in text and "slower than 1 Gbps" in text
    assert "LM208" in text  # the one that matters: use gigabit
    assert "… and" not in text and "Shortened" not in text  # fits whole: nothing cut
    assert "Cluster and CSV shares" not in text


def test_no_backslash_escapes_reach_a_chat(client):
    text = answer(client, "inventory=2x10G team(2,lacp,private)").get_data(as_text=True)
    assert "\\" not in text
    assert "`redundant_cluster_path`" in text


def test_the_headline_and_the_findings_speak_with_one_voice(client):
    text = answer(client, "inventory=2x10G team(2,lacp,private)").get_data(as_text=True)
    headline = text.splitlines()[0]
    assert headline.startswith("**Not recommended**") and "set by LM205, LM218" in headline
    lm204 = next(line for line in text.splitlines() if line.startswith("- **LM204**"))
    assert "caps at supported" in lm204  # what it caps at, below the headline's reason


def test_the_alternative_names_all_four_roles(client):
    text = answer(client, "inventory=2x10G,1x1G").get_data(as_text=True)
    alternative = next(line for line in text.splitlines() if line.startswith("Alternative"))
    for role in ("virtual machine access on", "management on", "cluster and CSV on",
                 "live migration on"):
        assert role in alternative
    assert "nodes[]" not in text and "in the alternative layout above" in text


def test_a_table_row_the_principles_rate_higher_does_not_contradict_the_plan(client):
    text = answer(client, "inventory=2x10G,2x1G").get_data(as_text=True)
    assert "table stands for its own rows" in text
    assert "**To reach recommended**" in text and "changes the inventory" in text


def test_64_nodes_fit_one_chat_message_with_every_finding(client):
    response = answer(client, "inventory=1x100M&nodes=64")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and len(text) <= 4000
    for code in ("LM108", "LM201", "LM203", "LM205", "LM207", "LM208", "LM401"):
        assert code in text


@pytest.mark.parametrize("query, pointer", [
    ("inventory=2x10G&colour=red", "/colour"),
    ("inventory=2x10G&inventory=1x1G", "/inventory"),
    ("inventory=2x10G&nodes=2&nodes=3", "/nodes"),
])
def test_unknown_and_repeated_parameters_are_refused(client, query, pointer):
    response = answer(client, query)
    assert response.status_code == 422
    assert [e["pointer"] for e in response.get_json()["errors"]] == [pointer]


def test_errors_are_short_markdown_for_a_chat_client(client):
    response = answer(client, "inventory=2x10Q", Accept="text/markdown")
    assert response.status_code == 422 and response.content_type == MARKDOWN
    text = response.get_data(as_text=True)
    assert "field(s) invalid" not in text and "unknown unit 'Q'" in text
    assert "(`2x10` ▸ `Q`)" in text  # points at the fault (position 4)


def test_errors_stay_problem_json_for_other_clients(client):
    for accept in ("*/*", "application/json", "application/problem+json"):
        response = answer(client, "inventory=2x10Q", Accept=accept)
        assert response.status_code == 422
        assert response.mimetype == "application/problem+json"


# ---- Markdown by content negotiation ---------------------------------------------------------

def test_evaluations_answer_markdown_by_accept_or_format(client):
    body = spec_example()
    as_json = client.post("/v1/evaluations", json=body)
    by_accept = client.post("/v1/evaluations", json=body, headers={"Accept": "text/markdown"})
    by_query = client.post("/v1/evaluations?format=markdown", json=body)
    assert as_json.mimetype == "application/json"
    assert by_accept.content_type == by_query.content_type == MARKDOWN
    assert by_accept.get_data() == by_query.get_data()
    assert by_accept.get_data(as_text=True).startswith("**Supported**")
    assert {r.headers["Vary"] for r in (as_json, by_accept, by_query)} == {"Accept"}
    # Each representation has its own ETag, and the cache never serves one for the other.
    assert by_accept.headers["ETag"] == by_query.headers["ETag"] != as_json.headers["ETag"]
    again = client.post("/v1/evaluations", json=body, headers={"Accept": "text/markdown"})
    assert again.headers["X-Cache"] == "hit" and again.content_type == MARKDOWN
    json_again = client.post("/v1/evaluations", json=body)
    assert json_again.headers["X-Cache"] == "hit" and json_again.mimetype == "application/json"


def test_if_none_match_is_per_representation(client):
    body = spec_example()
    etag = client.post("/v1/evaluations?format=markdown", json=body).headers["ETag"]
    assert client.post("/v1/evaluations?format=markdown", json=body,
                       headers={"If-None-Match": etag}).status_code == 304
    assert client.post("/v1/evaluations", json=body,
                       headers={"If-None-Match": etag}).status_code == 200


def test_a_bad_format_is_a_422_even_on_a_cached_description(client):
    body = spec_example()
    client.post("/v1/evaluations", json=body)
    response = client.post("/v1/evaluations?format=html", json=body)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/format"


# ---- the SVG picture -------------------------------------------------------------------------

def two_nodes(second_adapters: int) -> dict:
    body = spec_example()
    second = {"name": "hv02", "adapters": [
        {"name": f"Intel(R) Ethernet Converged Network Adapter X710 #{i}", "speed_mbps": 1000}
        for i in range(1, second_adapters + 1)]}
    body["nodes"].append(second)
    return body


def test_the_picture_shows_the_cluster_class_unless_a_node_is_named(client):
    body = two_nodes(1)  # hv02 has one adapter: the cluster is unsupported
    cluster = ET.fromstring(client.post("/v1/evaluations/svg", json=body).get_data())
    node = ET.fromstring(client.post("/v1/evaluations/svg?node=hv01", json=body).get_data())
    badge = ".//{0}g[@class='badge']".format(SVG_NS)
    assert cluster.find(badge).get("data-classification") == "unsupported"
    assert node.find(badge).get("data-classification") == "supported"


def test_the_picture_draws_every_adapter_with_full_names(client):
    body = two_nodes(5)
    root = ET.fromstring(client.post("/v1/evaluations/svg?node=hv02", json=body).get_data())
    ports = root.findall(f".//{SVG_NS}g[@class='port']")
    titles = [p.find(f"{SVG_NS}title").text for p in ports]
    assert len(titles) == len(set(titles)) == 5  # five full, distinct names
    assert [p for p in ports if p.get("data-unassigned") == "true"]  # a fifth adapter idles
    assert root.find(f"{SVG_NS}title").text and root.find(f"{SVG_NS}desc").text
    assert root.get("aria-labelledby") == "layout-title layout-desc"


def test_the_picture_marks_teams_members_and_networks(client):
    root = ET.fromstring(client.post("/v1/evaluations/svg", json=spec_example()).get_data())
    team = next(p for p in root.findall(f".//{SVG_NS}g[@class='port']")
                if p.get("data-kind") == "team")
    assert team.get("data-network") == "private"
    texts = [t.text for t in team.iter(f"{SVG_NS}text")]
    assert "members: NIC2 (1 Gbps), NIC3 (1 Gbps)" in texts


def test_the_picture_refuses_a_repeated_node(client):
    response = client.post("/v1/evaluations/svg?node=hv01&node=hv01", json=spec_example())
    assert response.status_code == 422

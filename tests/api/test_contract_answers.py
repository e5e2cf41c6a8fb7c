"""Answers the contract promises beyond the evaluation itself: 414, SVG as text, the docs page."""
from __future__ import annotations

from service.app import create_app
from service.config import Settings
from tests.support import spec_example

PROBLEM = "application/problem+json"


def test_a_query_string_over_the_limit_is_a_414_problem(client):
    response = client.get("/v1/chatops/answer?inventory=" + "1" * 9_000)
    assert response.status_code == 414
    assert response.content_type == PROBLEM
    assert "9010 bytes" in response.get_json()["detail"]


def test_the_query_limit_applies_to_every_operation_and_is_configurable():
    client = create_app(Settings(), max_query_bytes=64).test_client()
    assert client.post("/v1/evaluations?pad=" + "x" * 61, json=spec_example()).status_code == 414
    # Under the limit the query is read: an unknown parameter is refused, a known one answered.
    assert client.post("/v1/evaluations?pad=" + "x" * 50, json=spec_example()).status_code == 422
    assert client.post("/v1/evaluations?format=json", json=spec_example()).status_code == 200


def test_the_picture_is_svg_unless_text_is_preferred(client):
    picture = client.post("/v1/evaluations/svg", json=spec_example())
    assert picture.content_type == "image/svg+xml; charset=utf-8"
    text = client.post("/v1/evaluations/svg", json=spec_example(),
                       headers={"Accept": "text/plain"})
    assert text.content_type == "text/plain; charset=utf-8"
    assert text.get_data() == picture.get_data()


def test_documents_for_every_node_when_node_is_omitted(client):
    body = spec_example()
    second = {**body["nodes"][0], "name": "hv02", "management_ip": "10.0.0.12"}
    body["nodes"].append(second)
    script = client.post("/v1/qos-policies/powershell", json=body).get_data(as_text=True)
    assert "'hv01'" in script and "'hv02'" in script
    steps = client.post("/v1/qos-policies/gpedit", json=body).get_data(as_text=True)
    assert "hv01-live-migration" in steps and "hv02-live-migration" in steps


def test_the_docs_page_asks_no_outside_validator(client):
    html = client.get("/docs/").get_data(as_text=True)
    assert '"validatorUrl": null' in html


def test_a_refused_query_string_is_timed_like_any_request(client):
    client.get("/v1/chatops/answer?inventory=" + "1" * 9_000)
    text = client.get("/metrics").get_data(as_text=True)
    sums = [line for line in text.splitlines()
            if line.startswith("lmna_http_request_duration_seconds_sum")]
    assert sums and all(float(line.rsplit(" ", 1)[1]) < 60 for line in sums), sums

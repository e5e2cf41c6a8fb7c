"""Every evaluation is counted whatever the endpoint; Markdown answers go through the cache; the
cache key and ETag carry a representation version that follows the response schemas."""
from __future__ import annotations

import marshmallow as ma
import pytest

import service.app
from service.api.caching import evaluation_key
from service.application.representation import representation_version, schema_shape
from service.schemas.bodies import EvaluationSchema
from service.app import create_app
from service.config import Settings
from service.domain.render import render_markdown
from service.schemas.examples import request_examples

ROW2 = request_examples()["row2"]["value"]


def evaluations(app) -> float:
    """lmna_evaluations_total over every class, from this app's own registry."""
    registry = app.extensions["lmna"].metrics.registry
    return sum(sample.value for metric in registry.collect()
               if metric.name == "lmna_evaluations" for sample in metric.samples
               if sample.name == "lmna_evaluations_total")


def cache_hits(app) -> float:
    registry = app.extensions["lmna"].metrics.registry
    return registry.get_sample_value("lmna_cache_events_total", {"event": "hit"}) or 0.0


@pytest.mark.parametrize("send", [
    lambda c: c.post("/v1/evaluations", json=ROW2),
    lambda c: c.post("/v1/evaluations/markdown", json=ROW2),
    lambda c: c.post("/v1/evaluations/svg", json=ROW2),
    lambda c: c.post("/v1/qos-policies/powershell", json=ROW2),
    lambda c: c.post("/v1/evaluations/batch", json={"items": [ROW2]}),
    lambda c: c.get("/v1/chatops/answer?inventory=2x10G,1x1G"),
    lambda c: c.get("/?inventory=2x10G,1x1G", headers={"Accept": "text/html"}),
    lambda c: c.post("/", data={"inventory": "3x1G", "nodes": "1"},
                     headers={"Accept": "text/html"}),
], ids=["json", "markdown", "svg", "powershell", "batch", "chatops", "page-get", "page-post"])
def test_every_endpoint_that_evaluates_counts_the_evaluation(app, client, send):
    before = evaluations(app)
    assert send(client).status_code == 200
    assert evaluations(app) == before + 1


def test_markdown_answers_are_cached_and_share_the_negotiated_etag(app, client):
    first = client.post("/v1/evaluations/markdown", json=ROW2)
    assert first.headers["X-Cache"] == "miss"
    hits = cache_hits(app)
    again = client.post("/v1/evaluations/markdown", json=ROW2)
    assert again.headers["X-Cache"] == "hit" and again.get_data() == first.get_data()
    assert again.mimetype == "text/markdown"
    assert cache_hits(app) == hits + 1
    negotiated = client.post("/v1/evaluations", json=ROW2, headers={"Accept": "text/markdown"})
    assert negotiated.headers["X-Cache"] == "hit"
    assert negotiated.headers["ETag"] == first.headers["ETag"]
    revalidated = client.post("/v1/evaluations/markdown", json=ROW2,
                              headers={"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304


def test_the_chat_answer_is_cached_by_its_query(app, client):
    url = "/v1/chatops/answer?inventory=3x1G%20team(2,private)&nodes=2"
    first = client.get(url)
    assert first.status_code == 200 and first.headers["X-Cache"] == "miss"
    counted = evaluations(app)
    again = client.get(url)
    assert again.headers["X-Cache"] == "hit" and again.get_data() == first.get_data()
    assert evaluations(app) == counted  # a hit is a cache event, not a new evaluation
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    # Another query is another answer; an invalid one is never stored.
    assert client.get("/v1/chatops/answer?inventory=2x10G").headers["ETag"] != first.headers["ETag"]
    assert "X-Cache" not in client.get("/v1/chatops/answer?inventory=nonsense").headers


class WiderEvaluationSchema(EvaluationSchema):
    """The response schema with one more field: a new shape of answer."""

    reviewed_by = ma.fields.String(dump_default="nobody")


def test_a_schema_change_changes_the_representation_version():
    assert representation_version() == representation_version()  # derived, stable
    assert representation_version(WiderEvaluationSchema) != representation_version()
    assert "reviewed_by" in schema_shape(WiderEvaluationSchema)["fields"]


def test_a_renderer_change_changes_the_representation_version():
    assert representation_version(render=lambda e: render_markdown(e) + "\n") \
        != representation_version()


def test_a_schema_change_changes_the_cache_key_and_the_etag(monkeypatch):
    old = create_app(Settings())
    stored = old.test_client().post("/v1/evaluations", json=ROW2)
    monkeypatch.setattr(service.app, "representation_version",
                        lambda: representation_version(WiderEvaluationSchema))
    new = create_app(Settings())
    new.extensions["lmna"].cache = old.extensions["lmna"].cache  # one shared cache, as in Redis
    with old.app_context():
        old_key = evaluation_key(ROW2)
    with new.app_context():
        new_key = evaluation_key(ROW2)
    assert old_key != new_key
    # The new release neither serves the old entry nor confirms the old ETag with a 304.
    answer = new.test_client().post("/v1/evaluations", json=ROW2,
                                    headers={"If-None-Match": stored.headers["ETag"]})
    assert answer.status_code == 200 and answer.headers["X-Cache"] == "miss"
    assert answer.headers["ETag"] != stored.headers["ETag"]


def test_descriptions_do_not_change_the_shape():
    class Before(ma.Schema):
        speed = ma.fields.Integer(metadata={"description": "Mbit/s."})

    class After(ma.Schema):
        speed = ma.fields.Integer(metadata={"description": "Megabits a second."})

    class Renamed(ma.Schema):
        speed = ma.fields.Integer(data_key="speed_mbps")

    assert schema_shape(Before)["fields"] == schema_shape(After)["fields"]
    assert schema_shape(Renamed)["fields"] != schema_shape(Before)["fields"]


def test_the_contract_documents_the_newly_cached_operations():
    import json
    from pathlib import Path
    paths = json.loads((Path(__file__).parents[2] / "openapi/openapi.json").read_text())["paths"]
    for path, method, query in (("/v1/chatops/answer", "get", ["inventory", "nodes", "ruleset"]),
                                ("/v1/evaluations/markdown", "post", [])):
        operation = paths[path][method]
        names = [p["name"] for p in operation["parameters"]]
        assert names == query + ["If-None-Match", "X-Request-ID"], path
        assert "304" in operation["responses"]
        assert "ETag" in operation["responses"]["200"]["headers"]

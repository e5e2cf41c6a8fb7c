"""A body sent again byte for byte is answered from the cache without parsing it again."""
from __future__ import annotations

import io
import json

from service.api import caching
from tests.support import spec_example


def _count_parses(monkeypatch) -> list:
    calls = []
    original = caching.json_body

    def counting():
        calls.append(1)
        return original()
    monkeypatch.setattr(caching, "json_body", counting)
    return calls


def test_the_same_bytes_again_are_a_hit_without_parsing(client, monkeypatch):
    body = json.dumps(spec_example()).encode()
    first = client.post("/v1/evaluations", data=body, content_type="application/json")
    calls = _count_parses(monkeypatch)
    again = client.post("/v1/evaluations", data=body, content_type="application/json")
    assert again.headers["X-Cache"] == "hit" and again.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"]
    assert calls == []


def test_other_bytes_of_the_same_description_share_the_entry(client):
    description = spec_example()
    first = client.post("/v1/evaluations", json=description)
    reordered = json.dumps(dict(reversed(list(description.items()))), indent=2).encode()
    again = client.post("/v1/evaluations", data=reordered, content_type="application/json")
    assert again.headers["X-Cache"] == "hit" and again.headers["ETag"] == first.headers["ETag"]


def test_the_media_type_is_still_checked_for_known_bytes(client):
    body = json.dumps(spec_example()).encode()
    client.post("/v1/evaluations", data=body, content_type="application/json")
    refused = client.post("/v1/evaluations", data=body, content_type="text/plain")
    assert refused.status_code == 415


def test_known_bytes_whose_entry_is_gone_are_evaluated_again(app, client):
    body = json.dumps(spec_example()).encode()
    client.post("/v1/evaluations", data=body, content_type="application/json")
    extension = app.extensions["lmna"]
    extension.cache = type(extension.cache)(stats=extension.cache.stats)  # emptied
    again = client.post("/v1/evaluations", data=body, content_type="application/json")
    assert again.status_code == 200 and again.headers["X-Cache"] == "miss"


def test_a_chunked_body_is_read_once_for_the_index_and_the_evaluation(client):
    body = json.dumps(spec_example()).encode()
    for state in ("miss", "hit"):
        # What a server hands over for a chunked body: no length, the stream ends at its end.
        response = client.post("/v1/evaluations", input_stream=io.BytesIO(body),
                               content_type="application/json",
                               environ_overrides={"wsgi.input_terminated": True,
                                                  "CONTENT_LENGTH": ""})
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.headers["X-Cache"] == state


def test_markdown_and_json_of_the_same_bytes_are_filed_apart(client):
    body = json.dumps(spec_example()).encode()
    as_json = client.post("/v1/evaluations", data=body, content_type="application/json")
    as_markdown = client.post("/v1/evaluations?format=markdown", data=body,
                              content_type="application/json")
    assert as_markdown.headers["X-Cache"] == "miss"
    assert as_markdown.mimetype == "text/markdown" and as_json.mimetype == "application/json"

"""Inputs from the attack review, through the test client: deep nesting, names with control
characters, unknown methods in the metrics, and security headers on every response."""
from __future__ import annotations

import random
import re
import string

import pytest

from tests.support import spec_example

PROBLEM = "application/problem+json"


@pytest.mark.parametrize("depth", [900, 965, 968, 969, 970, 971, 972, 980, 1000, 5000])
@pytest.mark.parametrize("wrap", ["{d}", '{{"items": [{d}]}}', '{{"nodes": {d}}}'])
def test_deep_nesting_is_never_a_5xx(client, depth, wrap):
    nested = "[" * depth + "]" * depth
    body = wrap.format(d=nested)
    path = "/v1/evaluations/batch" if "items" in wrap else "/v1/evaluations"
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code in (200, 400, 422), response.status_code
    assert response.status_code == 200 or response.content_type == PROBLEM
    if response.status_code == 200:  # a batch: the item itself is refused
        assert response.get_json()["results"][0]["status"] in (400, 422)


@pytest.mark.parametrize("field,pointer", [
    (("nodes", 0, "name"), "/nodes/0/name"),
    (("name",), "/name"),
    (("nodes", 0, "adapters", 0, "name"), "/nodes/0/adapters/0/name"),
    (("nodes", 0, "teams", 0, "name"), "/nodes/0/teams/0/name"),
])
@pytest.mark.parametrize("bad", ["\x00", "\x1b[8m", "\x07", "\ufffe", "\uffff", "\u202e"])
def test_names_with_control_characters_or_noncharacters_are_422(client, field, pointer, bad):
    body = spec_example()
    target = body
    for part in field[:-1]:
        target = target[part]
    target[field[-1]] = "x" + bad + "y"
    response = client.post("/v1/evaluations", json=body)
    assert response.status_code == 422
    assert response.content_type == PROBLEM
    assert pointer in [e["pointer"] for e in response.get_json()["errors"]]


def test_ordinary_unicode_names_still_pass(client):
    body = spec_example()
    body["nodes"][0]["name"] = "hôte-01 ñ 東京 🙂"
    assert client.post("/v1/evaluations", json=body).status_code == 200


def test_unknown_methods_share_one_metrics_label(client):
    rng = random.Random(9)
    for _ in range(300):
        method = "".join(rng.choice(string.ascii_uppercase) for _ in range(8))
        assert client.open("/v1/evaluations", method=method).status_code == 405
    text = client.get("/metrics").get_data(as_text=True)
    methods = set(re.findall(r'method="([^"]*)"', text))
    assert methods == {"OTHER"}  # 300 random methods made one label, not 300


@pytest.mark.parametrize("method,path,kwargs", [
    ("GET", "/healthz", {}),
    ("GET", "/nowhere", {}),
    ("DELETE", "/v1/evaluations", {}),
    ("POST", "/v1/evaluations", {"json": spec_example()}),
    ("POST", "/v1/evaluations", {"data": "{", "content_type": "application/json"}),
    ("POST", "/v1/evaluations/svg", {"json": spec_example()}),
    ("GET", "/docs/", {}),
    ("GET", "/metrics", {}),
])
def test_security_headers_on_every_response(client, method, path, kwargs):
    response = client.open(path, method=method, **kwargs)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    if not path.startswith("/docs"):
        assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")

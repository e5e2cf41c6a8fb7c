"""Security headers on every kind of answer, a strict CSP on HTML and SVG, and CORS: off by
default, on for the configured origins only."""
from __future__ import annotations

import base64
import hashlib
import re

import pytest
from flask.testing import FlaskClient

from service.app import create_app
from service.config import Settings
from service.schemas.examples import request_examples

ROW2 = request_examples()["row2"]["value"]
PORTAL = "https://portal.example.com"


def test_html_pages_get_a_strict_csp_that_lets_their_own_style_in(client):
    page = client.get("/", headers={"Accept": "text/html"})
    csp = page.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "script-src" not in csp
    assert csp.startswith("default-src 'none'") and "frame-ancestors 'none'" in csp
    html = page.get_data(as_text=True)
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in csp  # the page's one style element, exactly
    assert " style=" not in html  # inline style attributes would be blocked
    invalid = client.get("/?inventory=nonsense", headers={"Accept": "text/html"})
    assert invalid.status_code == 422 and invalid.headers["Content-Security-Policy"] == csp


def test_svg_answers_get_a_csp_that_allows_nothing(client):
    picture = client.post("/v1/evaluations/svg", json=ROW2)
    assert picture.mimetype == "image/svg+xml"
    assert picture.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"


@pytest.mark.parametrize("send", [lambda c: c.get("/healthz"),
                                  lambda c: c.post("/v1/evaluations", json=ROW2),
                                  lambda c: c.get("/v1/nowhere")])
def test_every_answer_carries_the_security_headers(client, send):
    headers = send(client).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "Content-Security-Policy" in headers
    assert not any(name.startswith("Access-Control-") for name in headers.keys())  # CORS off


def _raw_client(app) -> FlaskClient:
    """A client without the contract check: a CORS preflight is the browser's protocol, not an
    operation of the contract."""
    return FlaskClient(app, app.response_class, use_cookies=False)


def test_cors_is_off_by_default(app):
    preflight = _raw_client(app).options("/v1/evaluations", headers={
        "Origin": PORTAL, "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in preflight.headers


def test_cors_allows_the_configured_origins_only():
    app = create_app(Settings(cors_origins=(PORTAL,), api_keys="k" * 20))
    raw = _raw_client(app)
    preflight = raw.options("/v1/evaluations", headers={
        "Origin": PORTAL, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, authorization"})
    assert preflight.status_code == 200  # no key needed: browsers send none in a preflight
    assert preflight.headers["Access-Control-Allow-Origin"] == PORTAL
    assert "authorization" in preflight.headers["Access-Control-Allow-Headers"].lower()
    answer = app.test_client().post("/v1/evaluations", json=ROW2, headers={
        "Origin": PORTAL, "Authorization": "Bearer " + "k" * 20})
    assert answer.headers["Access-Control-Allow-Origin"] == PORTAL
    assert "ETag" in answer.headers["Access-Control-Expose-Headers"]
    assert "Origin" in answer.headers["Vary"] and "Accept" in answer.headers["Vary"]
    other = raw.options("/v1/evaluations", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_a_malformed_origin_stops_the_start():
    with pytest.raises(ValueError, match="CORS_ORIGINS"):
        create_app(Settings(cors_origins=("portal.example.com/",)))

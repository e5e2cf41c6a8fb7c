"""Optional API keys: refused without one, accepted with one, rotated through the file without
a restart, compared in constant time; health, readiness and metrics exempt."""
from __future__ import annotations

import hmac
import os

import pytest

from service.adapters import api_keys
from service.adapters.api_keys import ApiKeyError, KeyRing
from service.app import create_app
from service.config import Settings

KEY_A = "a" * 20 + "-first-key"
KEY_B = "b" * 20 + "-second-key"
BODY = {"nodes": [{"name": "hv01", "adapters": [{"name": "NIC1", "speed_mbps": 1000},
                                                 {"name": "NIC2", "speed_mbps": 1000}]}]}


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture()
def keyed():
    return create_app(Settings(api_keys=f"{KEY_A},{KEY_B}")).test_client()


def test_keys_are_off_by_default(client):
    assert client.post("/v1/evaluations", json=BODY).status_code == 200


def test_a_request_without_a_key_is_refused(keyed):
    response = keyed.post("/v1/evaluations", json=BODY)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="lm-network-advisor"'
    assert "Authorization: Bearer" in response.get_json()["detail"]


def test_a_request_with_a_key_is_accepted(keyed):
    assert keyed.post("/v1/evaluations", json=BODY, headers=bearer(KEY_A)).status_code == 200
    assert keyed.post("/v1/evaluations", json=BODY, headers={
        "Authorization": f"bearer {KEY_B}"}).status_code == 200


@pytest.mark.parametrize("authorization", [f"Bearer {KEY_A}x", f"Basic {KEY_A}", "Bearer ",
                                           KEY_A])
def test_a_wrong_key_or_scheme_is_refused(keyed, authorization):
    response = keyed.post("/v1/evaluations", json=BODY, headers={"Authorization": authorization})
    assert response.status_code == 401
    if authorization.startswith("Bearer ") and authorization.strip() != "Bearer":
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_probes_and_metrics_need_no_key(keyed):
    for path in ("/healthz", "/readyz", "/metrics"):
        assert keyed.get(path).status_code == 200, path
    assert keyed.get("/").status_code == 401  # the page evaluates: it needs a key too


def test_the_exempt_paths_are_configurable():
    client = create_app(Settings(api_keys=KEY_A, api_key_exempt_paths=(
        "/healthz", "/v1/reference-*"))).test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 401
    assert client.get("/v1/reference-configurations").status_code == 200


def test_keys_rotate_through_the_file_without_a_restart(tmp_path):
    path = tmp_path / "keys"
    path.write_text(f"# rotated monthly\n{KEY_A}\n")
    client = create_app(Settings(api_keys_file=str(path))).test_client()
    assert client.post("/v1/evaluations", json=BODY, headers=bearer(KEY_A)).status_code == 200
    # Rotation: both keys while clients move over, then only the new one.
    path.write_text(f"{KEY_A}\n{KEY_B}\n")
    assert client.post("/v1/evaluations", json=BODY, headers=bearer(KEY_B)).status_code == 200
    path.write_text(f"{KEY_B}\n")
    os.utime(path, ns=(1, 2))  # a new identity even within the clock's resolution
    assert client.post("/v1/evaluations", json=BODY, headers=bearer(KEY_A)).status_code == 401
    assert client.post("/v1/evaluations", json=BODY, headers=bearer(KEY_B)).status_code == 200


def test_an_unreadable_file_keeps_the_keys_read_last(tmp_path, caplog):
    path = tmp_path / "keys"
    path.write_text(KEY_A)
    ring = KeyRing(None, str(path))
    path.unlink()
    assert ring.accepts(KEY_A)
    assert "not reloaded" in caplog.text
    path.write_text("short")
    assert ring.accepts(KEY_A) and not ring.accepts("short")


def test_unusable_key_sources_stop_the_start(tmp_path):
    with pytest.raises(ApiKeyError, match="API_KEYS_FILE"):
        KeyRing(None, str(tmp_path / "missing"))
    with pytest.raises(ApiKeyError, match="at least 16"):
        create_app(Settings(api_keys="short"))
    with pytest.raises(ApiKeyError, match="at least 16"):
        KeyRing("with a space in it, really", None)


def test_every_key_is_compared_in_constant_time(monkeypatch):
    calls = []
    compare = hmac.compare_digest

    def counting(a, b):
        calls.append((len(a), len(b)))
        return compare(a, b)
    monkeypatch.setattr(api_keys.hmac, "compare_digest", counting)
    ring = KeyRing(f"{KEY_A},{KEY_B}", None)
    assert ring.accepts(KEY_A)  # the first key matches, and the second is still compared
    assert calls == [(32, 32), (32, 32)]  # digests: the same length whatever was sent
    assert not ring.accepts("x")


def test_the_contract_declares_the_scheme_and_its_401():
    import json
    from pathlib import Path
    document = json.loads((Path(__file__).parents[2] / "openapi/openapi.json").read_text())
    assert document["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"
    evaluate = document["paths"]["/v1/evaluations"]["post"]
    assert evaluate["security"] == [{"apiKey": []}, {}]
    assert "WWW-Authenticate" in evaluate["responses"]["401"]["headers"]
    assert document["paths"]["/healthz"]["get"]["security"] == []


def test_a_refused_request_is_counted_and_timed():
    app = create_app(Settings(api_keys=KEY_A))
    assert app.test_client().post("/v1/evaluations", json=BODY).status_code == 401
    registry = app.extensions["lmna"].metrics.registry
    assert registry.get_sample_value("lmna_http_requests_total", {
        "method": "POST", "endpoint": "/v1/evaluations", "status": "401"}) == 1
    # Timed from the first hook (not from the clock's epoch): a fraction of a second.
    assert 0 < registry.get_sample_value("lmna_http_request_duration_seconds_sum",
                                         {"endpoint": "/v1/evaluations"}) < 1


def test_empty_variables_leave_keys_and_cors_off(monkeypatch):
    # docker-compose.yml passes API_KEYS and CORS_ORIGINS through, empty when unset.
    monkeypatch.setenv("API_KEYS", "")
    monkeypatch.setenv("CORS_ORIGINS", "")
    settings = Settings.from_env()
    assert settings.api_keys is None and settings.cors_origins == ()
    monkeypatch.setenv("API_KEYS", KEY_A)
    monkeypatch.setenv("API_KEY_EXEMPT_PATHS", "/healthz, /metrics")
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example, https://b.example:8443")
    settings = Settings.from_env()
    assert settings.api_keys == KEY_A
    assert settings.api_key_exempt_paths == ("/healthz", "/metrics")
    assert settings.cors_origins == ("https://a.example", "https://b.example:8443")


def test_the_documentation_can_be_published_while_operations_need_a_key():
    client = create_app(Settings(api_keys=KEY_A, api_key_exempt_paths=(
        "/healthz", "/readyz", "/metrics", "/openapi.json", "/docs*"))).test_client()
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs/").status_code == 200
    assert client.post("/v1/evaluations", json=BODY).status_code == 401

"""The result cache through the app with a real Redis: hits, TTL, versions, and an outage."""
from __future__ import annotations

import time

import pytest
import redis

from service.app import create_app
from service.config import Settings
from tests.integration.live import RedisServer, wait_for
from tests.support import spec_example

pytestmark = pytest.mark.redis


@pytest.fixture()
def app_with(redis_url):
    def make(prefix: str, url: str | None = None, **overrides):
        return create_app(Settings(redis_url=url or redis_url, cache_key_prefix=prefix, **overrides))
    return make


def test_hit_miss_and_ttl_in_redis(prefix, app_with, redis_url):
    client = app_with(prefix, cache_ttl_seconds=120).test_client()
    first = client.post("/v1/evaluations", json=spec_example())
    assert first.headers["X-Cache"] == "miss"
    keys = list(redis.Redis.from_url(redis_url).scan_iter(f"{prefix}*"))
    assert len(keys) == 1
    assert 0 < redis.Redis.from_url(redis_url).ttl(keys[0]) <= 120
    # A second app (another worker, another machine) finds the stored answer.
    other = app_with(prefix).test_client()
    second = other.post("/v1/evaluations", json=spec_example())
    assert second.headers["X-Cache"] == "hit"
    assert second.get_data() == first.get_data()


def test_a_new_ruleset_version_misses(prefix, app_with, monkeypatch):
    client = app_with(prefix).test_client()
    client.post("/v1/evaluations", json=spec_example())
    import service.api.caching as caching
    monkeypatch.setattr(caching, "ruleset_version", lambda: "a-new-ruleset")
    assert client.post("/v1/evaluations", json=spec_example()).headers["X-Cache"] == "miss"


def test_readyz_reports_redis(prefix, app_with):
    status = app_with(prefix).test_client().get("/readyz").get_json()
    assert status["status"] == "ready"
    assert status["cache"]["backend"] == "redis"
    assert status["cache"]["state"] == "ok"


def test_redis_killed_mid_test_then_restarted(prefix, app_with):
    server = RedisServer().start()
    try:
        app = app_with(prefix, url=f"redis://127.0.0.1:{server.port}/0")
        client = app.test_client()
        assert client.post("/v1/evaluations", json=spec_example()).headers["X-Cache"] == "miss"
        assert client.post("/v1/evaluations", json=spec_example()).headers["X-Cache"] == "hit"
        server.kill()
        started = time.monotonic()
        for i in range(20):
            body = spec_example()
            body["name"] = f"outage-{i}"
            response = client.post("/v1/evaluations", json=body)
            assert response.status_code == 200
        assert time.monotonic() - started < 10  # no hang: short timeouts and a cool-down
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.get_json()["cache"]["state"] == "degraded"
        server.start()  # same port
        # Another worker, with no local copies: its hit can only come from Redis.
        other = app_with(prefix, url=f"redis://127.0.0.1:{server.port}/0").test_client()
        rounds = iter(range(1000))

        def cache_back() -> bool:
            body = spec_example()
            body["name"] = f"back-{next(rounds)}"
            client.post("/v1/evaluations", json=body)
            return other.post("/v1/evaluations", json=body).headers["X-Cache"] == "hit"
        assert wait_for(cache_back, seconds=40, interval=0.5)
        assert client.get("/readyz").get_json()["cache"]["state"] == "ok"
    finally:
        server.kill()


def test_metrics_count_cache_events(prefix, app_with):
    client = app_with(prefix).test_client()
    client.post("/v1/evaluations", json=spec_example())
    client.post("/v1/evaluations", json=spec_example())
    text = client.get("/metrics").get_data(as_text=True)
    assert 'lmna_cache_events_total{event="hit"} 1.0' in text
    assert 'lmna_cache_events_total{event="miss"} 1.0' in text

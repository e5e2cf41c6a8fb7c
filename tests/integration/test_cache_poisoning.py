"""A cache that cannot be poisoned or starved: planted, foreign or wrongly typed entries are
misses (deleted and counted), and a Redis that refuses writes keeps serving reads."""
from __future__ import annotations

import logging

import pytest
import redis

from service.app import create_app
from service.config import Settings
from tests.integration.live import RedisServer
from tests.support import spec_example

pytestmark = pytest.mark.redis

PLANTED = b'<script>alert(1)</script>'



def _key_of(app, body) -> str:
    from service.api.caching import evaluation_key
    with app.test_request_context():
        return evaluation_key(body)


def _events(app) -> str:
    return app.test_client().get("/metrics").get_data(as_text=True)


def test_a_planted_value_is_a_miss_deleted_and_counted(prefix, redis_url):
    app = create_app(Settings(redis_url=redis_url, cache_key_prefix=prefix))
    client = redis.Redis.from_url(redis_url)
    key = _key_of(app, spec_example())
    client.set(key, PLANTED)
    response = app.test_client().post("/v1/evaluations", json=spec_example())
    assert response.status_code == 200
    assert response.headers["X-Cache"] == "miss"
    assert response.get_json()["classification"] == "supported"
    assert b"<script>" not in response.get_data()
    assert app.extensions["lmna"].cache.stats.invalid == 1
    assert 'lmna_cache_events_total{event="invalid"} 1.0' in _events(app)
    # The planted value is gone; the real answer was stored and now hits.
    assert client.get(key) != PLANTED
    assert app.test_client().post("/v1/evaluations", json=spec_example()).headers["X-Cache"] == "hit"


def test_a_planted_value_does_not_break_a_batch(prefix, redis_url):
    app = create_app(Settings(redis_url=redis_url, cache_key_prefix=prefix))
    redis.Redis.from_url(redis_url).set(_key_of(app, spec_example()), b"not json {")
    response = app.test_client().post("/v1/evaluations/batch", json={"items": [spec_example()]})
    assert response.status_code == 200
    assert response.get_json()["results"][0]["status"] == 200


def test_an_entry_signed_with_another_key_is_not_served(prefix, redis_url):
    writer = create_app(Settings(redis_url=redis_url, cache_key_prefix=prefix,
                                 cache_signing_key="one"))
    reader = create_app(Settings(redis_url=redis_url, cache_key_prefix=prefix,
                                 cache_signing_key="two"))
    same = create_app(Settings(redis_url=redis_url, cache_key_prefix=prefix,
                               cache_signing_key="one"))
    writer.test_client().post("/v1/evaluations", json=spec_example())
    assert same.test_client().post("/v1/evaluations",
                                   json=spec_example()).headers["X-Cache"] == "hit"
    assert reader.test_client().post("/v1/evaluations",
                                     json=spec_example()).headers["X-Cache"] == "miss"
    assert reader.extensions["lmna"].cache.stats.invalid == 1


def test_a_key_of_the_wrong_type_does_not_disable_reads(prefix, redis_url, caplog):
    app = create_app(Settings(redis_url=redis_url, cache_key_prefix=prefix))
    hot = spec_example()
    client = app.test_client()
    assert client.post("/v1/evaluations", json=hot).headers["X-Cache"] == "miss"
    bad = spec_example()
    bad["name"] = "wrong-type"
    redis.Redis.from_url(redis_url).lpush(_key_of(app, bad), "x")
    states = []
    with caplog.at_level(logging.INFO):
        for _ in range(10):
            assert client.post("/v1/evaluations", json=bad).status_code == 200
            states.append(client.post("/v1/evaluations", json=hot).headers["X-Cache"])
    assert states == ["hit"] * 10  # the hot key's hit ratio stays 100 %
    assert app.extensions["lmna"].cache.status()["state"] == "ok"
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) <= 1


def test_a_full_redis_keeps_serving_reads(caplog):
    server = RedisServer(None, "--maxmemory", "3mb", "--maxmemory-policy", "noeviction").start()
    try:
        url = f"redis://127.0.0.1:{server.port}/0"
        app = create_app(Settings(redis_url=url))
        client = app.test_client()
        hot = spec_example()
        assert client.post("/v1/evaluations", json=hot).headers["X-Cache"] == "miss"
        filler = redis.Redis.from_url(url)
        with pytest.raises(redis.ResponseError):  # fill Redis until it refuses writes
            for i in range(10_000):
                filler.set(f"fill:{i}", b"x" * 10_000)
        states = []
        with caplog.at_level(logging.INFO):
            for i in range(20):
                other = spec_example()
                other["name"] = f"new-{i}"
                assert client.post("/v1/evaluations", json=other).status_code == 200  # SET: OOM
                states.append(client.post("/v1/evaluations", json=hot).headers["X-Cache"])
        assert states == ["hit"] * 20
        stats = app.extensions["lmna"].cache.stats
        # Refused writes are counted (a few may still fit: Redis frees client buffers as it
        # goes, and the answers with plans are a few KB each)...
        assert stats.errors >= 10
        assert app.extensions["lmna"].cache.status()["state"] == "ok"  # ...and is no outage
        warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(warnings) == 1, [r.getMessage() for r in warnings]
        filler.close()
    finally:
        server.kill()

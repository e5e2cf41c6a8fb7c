"""Fixtures for tests that need real servers: the shared test Redis."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import redis

DEFAULT_URL = "redis://127.0.0.1:6379/15"  # db 15: keeps test keys away from a dev's db 0


@pytest.fixture(scope="module")
def redis_url() -> str:
    """The shared test Redis; skipped only when REDIS_URL is unset and the default is not up."""
    url = os.environ.get("REDIS_URL") or DEFAULT_URL
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        if os.environ.get("REDIS_URL"):
            pytest.fail(f"REDIS_URL={url} does not answer: {exc}")
        pytest.skip(f"no Redis at {url}: {exc}")
    finally:
        client.close()
    return url


@pytest.fixture
def prefix(request, redis_url: str) -> Iterator[str]:
    """A key prefix unique to the test (its module and name in it, for reading a Redis by
    hand); its keys are deleted afterwards."""
    module = request.module.__name__.rsplit(".", 1)[-1]
    value = f"{module}:{request.node.name}:{uuid.uuid4().hex}:"
    yield value
    client = redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
    try:
        keys = list(client.scan_iter(match=f"{value}*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()

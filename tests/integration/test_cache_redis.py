"""Integration tests for the Redis result cache against real Redis servers, healthy and failing."""
from __future__ import annotations

import logging
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest
import redis

from service.adapters.cache import CacheStats, MemoryCache, RedisCache, TieredCache, make_cache

pytestmark = pytest.mark.redis

LOGGER_NAME = "test.cache.redis"
# Seconds a call may take while Redis is failing: socket_timeout is 0.1 s, and without it a call
# to a silent server never returns; 2 s leaves room for a busy machine.
PROMPT = 2.0
REDIS_SERVER = shutil.which("redis-server")
needs_redis_server = pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server not installed")



@pytest.fixture
def make_redis_cache() -> Iterator:
    """Builds RedisCaches and closes them all at teardown, so no test leaks sockets."""
    caches: list[RedisCache] = []

    def build(url: str, **kwargs) -> RedisCache:
        kwargs.setdefault("logger", logging.getLogger(LOGGER_NAME))
        cache = RedisCache(url, **kwargs)
        caches.append(cache)
        return cache

    yield build
    for cache in caches:
        cache.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listened on a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def timed(call, *args):
    """(result, seconds) of one call, measured on the monotonic clock."""
    start = time.monotonic()
    result = call(*args)
    return result, time.monotonic() - start


def records(caplog, level: int) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == LOGGER_NAME and r.levelno == level]


# --- against the shared Redis -------------------------------------------------------------


def test_miss_then_hit(redis_url, prefix, make_redis_cache):
    cache = make_redis_cache(redis_url, ttl_seconds=60)
    key = f"{prefix}k"
    assert cache.get(key) is None
    cache.set(key, b'{"ok":true}')
    assert cache.get(key) == b'{"ok":true}'
    assert cache.status() == {
        "backend": "redis", "state": "ok", "consecutive_failures": 0, "retry_in_seconds": 0.0,
    }


def test_set_applies_the_configured_ttl(redis_url, prefix, make_redis_cache):
    cache = make_redis_cache(redis_url, ttl_seconds=120)
    key = f"{prefix}k"
    cache.set(key, b"v")
    client = redis.Redis.from_url(redis_url, socket_timeout=2)
    try:
        ttl = client.ttl(key)
    finally:
        client.close()
    assert 0 < ttl <= 120


def test_stats_count_hits_misses_and_events(redis_url, prefix, make_redis_cache):
    events: list[str] = []
    stats = CacheStats(on_event=events.append)
    cache = make_redis_cache(redis_url, ttl_seconds=60, stats=stats)
    cache.get(f"{prefix}a")
    cache.set(f"{prefix}a", b"1")
    cache.get(f"{prefix}a")
    cache.get(f"{prefix}a")
    cache.get(f"{prefix}b")
    assert (stats.hits, stats.misses, stats.errors) == (2, 2, 0)
    assert events == ["miss", "hit", "hit", "miss"]


def test_make_cache_with_url_gives_a_working_redis_cache(redis_url, prefix):
    stats = CacheStats()
    cache = make_cache(redis_url, ttl_seconds=60, max_entries=5, socket_timeout=0.1, stats=stats,
                       logger=logging.getLogger(LOGGER_NAME))
    try:
        # Redis behind this worker's local copies.
        assert isinstance(cache, TieredCache) and isinstance(cache.remote, RedisCache)
        cache.set(f"{prefix}k", b"v")
        assert cache.get(f"{prefix}k") == b"v"
        assert stats.hits == 1
    finally:
        cache.close()


def test_client_does_not_retry(redis_url, make_redis_cache):
    """redis-py 6+ retries 3 times by default; one attempt keeps a failing call bounded."""
    cache = make_redis_cache(redis_url, ttl_seconds=60)
    retry = cache._client.connection_pool.connection_kwargs["retry"]
    assert retry.get_retries() == 0


# --- cool-down logic (a port that refuses connections, fake clock) ------------------------


def test_cooldown_doubles_up_to_max_while_refused(make_redis_cache, caplog):
    caplog.set_level(logging.DEBUG, logger=LOGGER_NAME)
    now = [100.0]
    stats = CacheStats()
    cache = make_redis_cache(f"redis://127.0.0.1:{free_port()}/0", ttl_seconds=60,
                             cooldown_initial=1.0, cooldown_max=5.0, stats=stats,
                             clock=lambda: now[0])
    expected_cooldowns = [1.0, 2.0, 4.0, 5.0, 5.0]
    for attempt, cooldown in enumerate(expected_cooldowns, start=1):
        assert cache.get("k") is None  # reaches the refused port: one more failure
        assert stats.errors == attempt
        status = cache.status()
        assert status["state"] == "degraded"
        assert status["consecutive_failures"] == attempt
        assert status["retry_in_seconds"] == pytest.approx(cooldown)
        # Within the cool-down Redis is skipped: no new error, set stores nothing.
        # (Steps of 0.25 are exact in binary, so the sum lands exactly on the retry time.)
        now[0] += cooldown - 0.25
        assert cache.get("k") is None
        cache.set("k", b"v")
        assert stats.errors == attempt
        now[0] += 0.25
    assert len(records(caplog, logging.WARNING)) == 1
    assert stats.misses == 2 * len(expected_cooldowns)


# --- a redis-server of our own, killed and restarted --------------------------------------


class RedisServer:
    """A throwaway redis-server on 127.0.0.1 without persistence."""

    def __init__(self, workdir) -> None:
        self.workdir = workdir
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self._log = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, port: int | None = None) -> None:
        """Start (on port, or a free one) and wait until it answers PING; at most a few seconds."""
        for _ in range(3 if port is None else 1):
            self.port = port or free_port()
            self._log = open(self.workdir / f"redis-{self.port}.log", "ab")
            self.proc = subprocess.Popen(
                [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
                 "--save", "", "--appendonly", "no", "--daemonize", "no",
                 "--dir", str(self.workdir)],
                stdout=self._log, stderr=subprocess.STDOUT,
            )
            if self._wait_ready(5.0):
                return
            self.kill()  # e.g. a race on the free port: try another one
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=0.5,
                                 socket_connect_timeout=0.5)
            try:
                if client.ping():
                    return True
            except redis.RedisError:
                time.sleep(0.05)
            finally:
                client.close()
        return False

    def kill(self) -> None:
        """SIGKILL the server (no-op when already gone) and reap it."""
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGKILL)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    try:
        server.start()
        yield server
    finally:
        server.kill()


@needs_redis_server
@pytest.mark.timeout(60)
def test_killed_redis_degrades_quietly_and_recovers(redis_server, make_redis_cache, caplog):
    caplog.set_level(logging.DEBUG, logger=LOGGER_NAME)
    stats = CacheStats()
    # A short cool-down so that probes of the dead server happen during the 20 calls below.
    cache = make_redis_cache(redis_server.url, ttl_seconds=60, socket_timeout=0.1,
                             cooldown_initial=0.2, cooldown_max=1.0, stats=stats)
    cache.set("k", b"v")
    assert cache.get("k") == b"v"

    redis_server.kill()
    for i in range(20):
        if i % 2:
            result, took = timed(cache.set, "k", b"v2")
        else:
            result, took = timed(cache.get, "k")
        assert result is None
        assert took < PROMPT, f"call {i} blocked for {took:.3f}s"
        time.sleep(0.05)
    status = cache.status()
    assert status["state"] == "degraded"
    assert status["consecutive_failures"] >= 2  # the first failure and at least one probe
    assert 0.0 <= status["retry_in_seconds"] <= 1.0
    assert stats.errors == status["consecutive_failures"]
    assert stats.hits == 1 and stats.misses == 10
    assert len(records(caplog, logging.WARNING)) == 1
    assert records(caplog, logging.INFO) == []

    redis_server.start(port=redis_server.port)  # empty: no persistence
    deadline = time.monotonic() + 10.0
    recovered = False
    while time.monotonic() < deadline:
        _, took = timed(cache.set, "k", b"v3")
        assert took < PROMPT
        value, took = timed(cache.get, "k")
        assert took < PROMPT
        if value == b"v3":
            recovered = True
            break
        time.sleep(0.05)
    assert recovered, f"cache did not recover within 10s: {cache.status()}"
    assert cache.status() == {
        "backend": "redis", "state": "ok", "consecutive_failures": 0, "retry_in_seconds": 0.0,
    }
    assert len(records(caplog, logging.WARNING)) == 1
    assert len(records(caplog, logging.INFO)) == 1


# --- a "Redis" that accepts connections and never answers ---------------------------------


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server on 127.0.0.1 that accepts connections and never sends a byte; yields its port."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.05)  # so the thread notices the stop event promptly
    stop = threading.Event()
    accepted: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except (socket.timeout, OSError):
                continue
            accepted.append(conn)  # held open, never read or answered

    thread = threading.Thread(target=serve, name="silent-redis", daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
        for conn in accepted:
            conn.close()


@pytest.mark.timeout(30)
def test_slow_redis_get_and_set_return_promptly(silent_server, make_redis_cache, caplog):
    caplog.set_level(logging.DEBUG, logger=LOGGER_NAME)
    url = f"redis://127.0.0.1:{silent_server}/0"
    stats = CacheStats()
    getter = make_redis_cache(url, ttl_seconds=60, socket_timeout=0.1, stats=stats)
    value, took = timed(getter.get, "k")
    assert value is None
    assert took < PROMPT, f"get blocked for {took:.3f}s"
    assert getter.status()["state"] == "degraded"

    # A fresh cache, so set really talks to the silent server instead of skipping it.
    setter = make_redis_cache(url, ttl_seconds=60, socket_timeout=0.1, stats=stats)
    result, took = timed(setter.set, "k", b"v")
    assert result is None
    assert took < PROMPT, f"set blocked for {took:.3f}s"
    assert setter.status()["state"] == "degraded"
    assert stats.errors == 2 and stats.misses == 1
    # One per cache (each saw its own outage); a cache of another test may log too, so count
    # only the warnings about this server.
    assert len([r for r in records(caplog, logging.WARNING)
                if f":{silent_server}" in r.getMessage()]) == 2


# --- the local tier in front of Redis -----------------------------------------------------

def test_a_worker_keeps_what_it_read_from_redis(redis_url, prefix, make_redis_cache):
    """A second worker reads an entry from Redis once, then serves it without Redis."""
    writer = TieredCache(MemoryCache(10, 60), make_redis_cache(redis_url, ttl_seconds=60))
    reader = TieredCache(MemoryCache(10, 60), make_redis_cache(redis_url, ttl_seconds=60))
    writer.set(f"{prefix}k", b"value")
    assert reader.get(f"{prefix}k") == b"value"  # from Redis
    raw = redis.Redis.from_url(redis_url)
    raw.delete(f"{prefix}k")
    raw.close()
    assert reader.get(f"{prefix}k") == b"value"  # its own copy: no round trip, no staleness
    assert reader.status()["backend"] == "redis" and reader.status()["entries"] == 1


def test_a_planted_entry_is_not_copied_locally(redis_url, prefix, make_redis_cache):
    """Only what Redis returns verified reaches the local tier."""
    reader = TieredCache(MemoryCache(10, 60), make_redis_cache(redis_url, ttl_seconds=60))
    raw = redis.Redis.from_url(redis_url)
    raw.set(f"{prefix}k", b"<script>planted</script>")
    raw.close()
    assert reader.get(f"{prefix}k") is None
    assert reader.local.get(f"{prefix}k") is None

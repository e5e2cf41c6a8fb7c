"""Unit tests for the in-process result cache, the cache key and the cache factory."""
from __future__ import annotations

import json
import logging

import pytest

from service.adapters.cache import CacheStats, MemoryCache, make_cache
from service.application.results import cache_key


class FakeClock:
    """A monotonic clock the test moves by hand, so expiry needs no sleeping."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_lru_keeps_at_most_max_entries_and_evicts_least_recently_used():
    cache = MemoryCache(max_entries=3, ttl_seconds=60)
    for name in "abc":
        cache.set(name, name.encode())
    assert cache.get("a") == b"a"  # "a" is now the most recently used; "b" the least
    cache.set("d", b"d")
    assert cache.status() == {"backend": "memory", "state": "ok", "entries": 3, "bytes": 3}
    assert cache.get("b") is None
    assert [cache.get(k) for k in "acd"] == [b"a", b"c", b"d"]


def test_overwriting_a_key_does_not_grow_the_cache():
    cache = MemoryCache(max_entries=2, ttl_seconds=60)
    for _ in range(5):
        cache.set("k", b"v1")
    cache.set("k", b"v2")
    assert cache.status()["entries"] == 1
    assert cache.get("k") == b"v2"


def test_entries_expire_after_ttl_with_fake_clock():
    clock = FakeClock()
    cache = MemoryCache(max_entries=10, ttl_seconds=30, clock=clock)
    cache.set("k", b"v")
    clock.advance(29.9)
    assert cache.get("k") == b"v"
    clock.advance(0.1)
    assert cache.get("k") is None
    assert cache.status()["entries"] == 0  # the expired entry was dropped on lookup


def test_ttl_counts_from_the_last_set_not_the_last_get():
    clock = FakeClock()
    cache = MemoryCache(max_entries=10, ttl_seconds=10, clock=clock)
    cache.set("k", b"v")
    clock.advance(6)
    assert cache.get("k") == b"v"
    clock.advance(6)
    assert cache.get("k") is None
    cache.set("k", b"v2")
    clock.advance(9)
    assert cache.get("k") == b"v2"


def test_stats_count_hits_and_misses_and_call_on_event():
    events: list[str] = []
    stats = CacheStats(on_event=events.append)
    cache = MemoryCache(max_entries=10, ttl_seconds=60, stats=stats)
    assert cache.get("k") is None
    cache.set("k", b"v")
    assert cache.get("k") == b"v"
    assert cache.get("k") == b"v"
    assert (stats.hits, stats.misses, stats.errors) == (2, 1, 0)
    assert events == ["miss", "hit", "hit"]


def test_invalid_bounds_are_rejected():
    with pytest.raises(ValueError):
        MemoryCache(max_entries=0, ttl_seconds=60)
    with pytest.raises(ValueError):
        MemoryCache(max_entries=1, ttl_seconds=0)


def test_key_ignores_key_order_and_whitespace_of_the_request():
    first = json.loads('{"name": "c1", "nodes": [{"a": 1, "b": [true, null]}], "x": "é"}')
    second = json.loads('{ "x":"é","nodes":[ {"b":[true,null],"a":1} ],\n "name":"c1" }')
    assert cache_key("eval:", first, "rs/1+abc", "v1") == cache_key("eval:", second, "rs/1+abc", "v1")


def test_key_shape_and_content_sensitivity():
    payload = {"nodes": [1, 2]}
    key = cache_key("eval:", payload, "rs/1+abc", "v1")
    prefix, _, digest = key.rpartition(":")
    assert prefix == "eval:v1"
    assert len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)
    assert cache_key("eval:", {"nodes": [2, 1]}, "rs/1+abc", "v1") != key  # list order matters


def test_versions_change_the_key():
    payload = {"nodes": [1, 2]}
    base = cache_key("eval:", payload, "rs/1+abc", "v1")
    assert cache_key("eval:", payload, "rs/1+abd", "v1") != base
    assert cache_key("eval:", payload, "rs/1+abc", "v2") != base
    # The parts cannot be shifted into one another to produce the same key.
    assert cache_key("p:", payload, "ab", "c") != cache_key("p:", payload, "a", "bc")


def test_key_survives_a_lone_surrogate():
    payload = json.loads('{"name": "\\ud800"}')
    assert cache_key("eval:", payload, "rs", "v1").startswith("eval:v1:")


def test_make_cache_without_url_gives_a_memory_cache():
    stats = CacheStats()
    for url in (None, "", "   "):
        cache = make_cache(url, ttl_seconds=60, max_entries=5, socket_timeout=0.1, stats=stats,
                           logger=logging.getLogger("test.cache"))
        assert isinstance(cache, MemoryCache)
        assert cache.max_entries == 5 and cache.stats is stats

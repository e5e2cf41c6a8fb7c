"""The in-process cache is bounded in bytes, and the Redis entry format rejects what it did not
write itself."""
from __future__ import annotations

import pytest

from service.adapters import cache_codec
from service.adapters.cache import MemoryCache


def test_memory_cache_is_bounded_in_bytes():
    cache = MemoryCache(max_entries=1000, ttl_seconds=60, max_bytes=1000)
    for i in range(20):
        cache.set(f"k{i}", b"x" * 300)
    status = cache.status()
    assert status["bytes"] <= 1000
    assert status["entries"] == 3
    assert cache.get("k19") is not None and cache.get("k0") is None


def test_a_value_larger_than_the_whole_cache_is_not_stored():
    cache = MemoryCache(max_entries=10, ttl_seconds=60, max_bytes=100)
    cache.set("small", b"s")
    cache.set("big", b"x" * 101)
    assert cache.get("big") is None and cache.get("small") == b"s"
    cache.set("small", b"t" * 50)  # replacing a value counts its new size only
    assert cache.status()["bytes"] == 50


def test_codec_round_trip_and_rejections():
    secret = b"k" * 32
    stored = cache_codec.encode(secret, "key", b'{"a":1}')
    assert stored.startswith(cache_codec.FORMAT)
    assert cache_codec.decode(secret, "key", stored) == b'{"a":1}'
    for bad in (b'{"a":1}', b"<script>", b"", stored[:-1] + b"2",
                stored.replace(cache_codec.FORMAT, b"lmna-cache-0")):
        with pytest.raises(cache_codec.InvalidEntry):
            cache_codec.decode(secret, "key", bad)
    with pytest.raises(cache_codec.InvalidEntry):  # a valid entry copied under another key
        cache_codec.decode(secret, "other", stored)
    with pytest.raises(cache_codec.InvalidEntry):  # signed with another key
        cache_codec.decode(b"j" * 32, "key", stored)

"""Result cache for evaluations: a bounded in-process LRU or a Redis that may fail without harm."""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from . import cache_codec

__all__ = ["CacheStats", "MemoryCache", "RedisCache", "make_cache"]

_LOG = logging.getLogger(__name__)


@dataclass
class CacheStats:
    """Hit, miss and error counters shared by the caches, mirrored to an optional event callback."""

    hits: int = 0
    misses: int = 0
    errors: int = 0
    invalid: int = 0
    on_event: Callable[[str], None] | None = None
    # Request threads count concurrently and "+=" on an attribute is not atomic.
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    def hit(self) -> None:
        """Count a lookup that found a value."""
        with self._lock:
            self.hits += 1
        self._emit("hit")

    def miss(self) -> None:
        """Count a lookup that found nothing (including one Redis could not answer)."""
        with self._lock:
            self.misses += 1
        self._emit("miss")

    def error(self) -> None:
        """Count a backend call that failed."""
        with self._lock:
            self.errors += 1
        self._emit("error")

    def invalid_entry(self) -> None:
        """Count a stored entry that did not decode or verify (it was deleted and missed)."""
        with self._lock:
            self.invalid += 1
        self._emit("invalid")

    def _emit(self, event: str) -> None:
        # Called outside the lock so a slow callback never serialises request threads.
        if self.on_event is not None:
            self.on_event(event)


class MemoryCache:
    """A thread-safe, in-process LRU bounded in entries and in bytes; entries expire ttl_seconds
    after being set."""

    def __init__(
        self,
        max_entries: int = 1024,
        ttl_seconds: float = 300.0,
        *,
        max_bytes: int = 64 * 1_048_576,
        stats: CacheStats | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        if max_bytes < 1:
            raise ValueError("max_bytes must be at least 1")
        if ttl_seconds <= 0:
            raise ValueError("ttl_seconds must be positive")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.ttl_seconds = ttl_seconds
        self._bytes = 0  # sum of the stored values' lengths
        self.stats = stats if stats is not None else CacheStats()
        self._clock = clock
        # key -> (expires_at, value); order is recency of use, oldest first.
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        """The value stored under key, or None if absent or expired."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and self._clock() >= entry[0]:
                # Expired entries are dropped on sight so they stop occupying LRU slots.
                self._bytes -= len(self._entries.pop(key)[1])
                entry = None
            if entry is not None:
                self._entries.move_to_end(key)
        if entry is None:
            self.stats.miss()
            return None
        self.stats.hit()
        return entry[1]

    def set(self, key: str, value: bytes) -> None:
        """Store value under key, evicting the least recently used entries beyond max_entries
        or max_bytes; a value larger than max_bytes on its own is not stored."""
        value = bytes(value)
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            if len(value) > self.max_bytes:
                return
            self._entries[key] = (self._clock() + self.ttl_seconds, value)
            self._bytes += len(value)
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                self._bytes -= len(self._entries.popitem(last=False)[1][1])

    def status(self) -> dict[str, Any]:
        """Health summary; entries may include expired ones not yet looked up again."""
        with self._lock:
            entries, size = len(self._entries), self._bytes
        return {"backend": "memory", "state": "ok", "entries": entries, "bytes": size}

    def close(self) -> None:
        """Drop every entry (nothing to disconnect)."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0


def _redact(url: str) -> str:
    """The URL without its password, fit for a log line."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.hostname or ""
        if ":" in host:  # IPv6 literal
            host = f"[{host}]"
        netloc = f"{parts.username or ''}:***@{host}"
        if parts.port is not None:
            netloc += f":{parts.port}"
        return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        return "<unparseable redis url>"


class RedisCache:
    """A Redis-backed cache that never raises or stalls: on failure it backs off and reports misses."""

    def __init__(
        self,
        url: str,
        ttl_seconds: int,
        socket_timeout: float = 0.1,
        cooldown_initial: float = 1.0,
        cooldown_max: float = 30.0,
        logger: logging.Logger | None = None,
        *,
        signing_key: str | None = None,
        stats: CacheStats | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if int(ttl_seconds) < 1:
            raise ValueError("ttl_seconds must be at least 1 (SET EX takes whole seconds)")
        if socket_timeout <= 0:
            raise ValueError("socket_timeout must be positive")
        if cooldown_initial <= 0 or cooldown_max < cooldown_initial:
            raise ValueError("need 0 < cooldown_initial <= cooldown_max")
        self.ttl_seconds = int(ttl_seconds)
        self.socket_timeout = socket_timeout
        self.cooldown_initial = cooldown_initial
        self.cooldown_max = cooldown_max
        self.stats = stats if stats is not None else CacheStats()
        self._log = logger if logger is not None else _LOG
        self._clock = clock
        self._where = _redact(url)
        self._secret = cache_codec.signing_key(signing_key)
        self._warned_at: dict[str, float] = {}  # error kind -> when it was last logged
        # redis-py 6+ clients default to 3 retries with exponential backoff (a plain Redis()
        # against a silent server took ~5 s per call, not 0.1 s). from_url in 8.1 happens to
        # leave the pool's retry unset (Connection then makes one attempt), but that is an
        # implementation detail, so Retry(NoBackoff(), 0) is passed explicitly: each command is
        # one attempt bounded by the socket timeouts. health_check_interval=0 avoids an extra
        # PING on idle connections. retry_on_timeout is left out: it is deprecated since 6.0
        # and would only add TimeoutError to the (here unused) retryable errors.
        self._client = redis.Redis.from_url(
            url,
            socket_timeout=socket_timeout,
            socket_connect_timeout=socket_timeout,
            retry=Retry(NoBackoff(), 0),
            health_check_interval=0,
        )
        self._lock = threading.Lock()
        self._failures = 0  # consecutive failed calls; 0 means healthy
        self._retry_at = 0.0  # clock() before which Redis is skipped
        self._outage_started = 0.0
        # While the cool-down has run out, one request probes Redis and the others keep
        # skipping it, so a dead Redis costs at most one socket_timeout per cool-down.
        self._probing = False

    def _acquire(self) -> str | None:
        """How this call may use Redis: "normal" (healthy), "probe" (cool-down over) or None (skip)."""
        with self._lock:
            if self._failures == 0:
                return "normal"
            if self._probing or self._clock() < self._retry_at:
                return None
            self._probing = True
            return "probe"

    def _succeeded(self) -> None:
        with self._lock:
            if self._failures == 0:
                return
            failures, started = self._failures, self._outage_started
            self._failures = 0
            self._retry_at = 0.0
            self._probing = False
        self._log.info(
            "result cache: Redis at %s answers again after %d failed attempt(s) over %.1fs",
            self._where, failures, self._clock() - started,
        )

    def _failed(self, op: str, exc: BaseException, mode: str) -> None:
        self.stats.error()
        with self._lock:
            if mode == "normal" and self._failures:
                # A call already in flight when the outage began: the outage is known and
                # cooling down; counting it again would inflate the back-off by concurrency.
                return
            now = self._clock()
            first = self._failures == 0
            if first:
                self._outage_started = now
            self._failures += 1
            # Doubling per consecutive failure; the exponent is capped so it cannot overflow.
            cooldown = min(
                self.cooldown_max, self.cooldown_initial * 2 ** min(self._failures - 1, 62)
            )
            self._retry_at = now + cooldown
            self._probing = False
            failures = self._failures
        if first:
            # One warning per outage, not one per request: an outage would flood the log.
            self._log.warning(
                "result cache: Redis at %s failed on %s (%s: %s); serving without cache, "
                "retrying in %.1fs", self._where, op, type(exc).__name__, exc, cooldown,
            )
        else:
            self._log.debug(
                "result cache: Redis still failing (%d consecutive, %s: %s); next try in %.1fs",
                failures, type(exc).__name__, exc, cooldown,
            )

    def get(self, key: str) -> bytes | None:
        """The value stored under key, or None if absent, or if Redis is failing or cooling down."""
        mode = self._acquire()
        if mode is None:
            self.stats.miss()
            return None
        try:
            stored = self._client.get(key)
        except redis.ResponseError as exc:
            # Redis answered (WRONGTYPE: a key of another type): the key is bad, Redis is not.
            self._succeeded()
            self._invalid(key, f"GET answered {exc}")
            self.stats.miss()
            return None
        except (redis.RedisError, OSError) as exc:
            self._failed("GET", exc, mode)
            self.stats.miss()
            return None
        except BaseException:
            # A non-Redis error (or KeyboardInterrupt) must not leave the probe slot taken.
            self._release_probe(mode)
            raise
        self._succeeded()
        if stored is None:
            self.stats.miss()
            return None
        try:
            value = cache_codec.decode(self._secret, key, stored)
        except cache_codec.InvalidEntry as exc:
            self._invalid(key, str(exc))
            self.stats.miss()
            return None
        self.stats.hit()
        return value

    def _invalid(self, key: str, why: str) -> None:
        """A planted, corrupt or foreign entry: counted, logged (rate-limited) and deleted."""
        self.stats.invalid_entry()
        self._warn_now_and_then("invalid", "result cache: entry %s is not valid (%s); deleted",
                                key, why)
        try:
            self._client.delete(key)
        except (redis.RedisError, OSError):
            pass  # the next read finds it again and retries; it is never served either way

    def _warn_now_and_then(self, kind: str, message: str, *args) -> None:
        """Log one warning of a kind per minute: a bad key read in a loop must not flood the log."""
        now = self._clock()
        with self._lock:
            last = self._warned_at.get(kind)
            if last is not None and now - last < 60:
                return
            self._warned_at[kind] = now
        self._log.warning(message, *args)

    def set(self, key: str, value: bytes) -> None:
        """Store value under key with SET EX ttl_seconds; silently skipped while Redis is failing."""
        mode = self._acquire()
        if mode is None:
            return
        try:
            self._client.set(key, cache_codec.encode(self._secret, key, bytes(value)),
                             ex=self.ttl_seconds)
        except redis.ResponseError as exc:
            # Redis answered (OOM under noeviction, a read-only replica): writes fail, reads
            # still work, so this is no outage and must not stop reads.
            self._succeeded()
            self.stats.error()
            self._warn_now_and_then("write", "result cache: Redis at %s refused a write (%s); "
                                    "reads go on", self._where, exc)
            return
        except (redis.RedisError, OSError) as exc:
            self._failed("SET", exc, mode)
            return
        except BaseException:
            self._release_probe(mode)
            raise
        self._succeeded()

    def _release_probe(self, mode: str) -> None:
        if mode == "probe":
            with self._lock:
                self._probing = False

    def status(self) -> dict[str, Any]:
        """Health summary from the last calls' outcomes (does not contact Redis)."""
        with self._lock:
            failures = self._failures
            retry_in = max(0.0, self._retry_at - self._clock()) if failures else 0.0
        return {
            "backend": "redis",
            "state": "degraded" if failures else "ok",
            "consecutive_failures": failures,
            "retry_in_seconds": round(retry_in, 3),
        }

    def close(self) -> None:
        """Disconnect the client's pooled connections."""
        try:
            self._client.close()
        except (redis.RedisError, OSError):
            pass  # closing a connection to a dead server has nothing left to do


class TieredCache:
    """Redis behind a per-worker memory cache: a hot entry is served without a round trip.

    Entries are immutable for their key (the key names the ruleset and API versions and the
    canonical request), so a local copy is never stale; the local cache holds only what this
    worker computed or read and verified from Redis. Hits, misses and errors are Redis's.
    """

    def __init__(self, local: MemoryCache, remote: "RedisCache") -> None:
        self.local = local
        self.remote = remote
        self.stats = remote.stats

    def get(self, key: str) -> bytes | None:
        """The local copy, else Redis's (kept locally when found)."""
        value = self.local.get(key)
        if value is not None:
            self.stats.hit()
            return value
        value = self.remote.get(key)
        if value is not None:
            self.local.set(key, value)
        return value

    def set(self, key: str, value: bytes) -> None:
        """Store in Redis and locally."""
        self.local.set(key, value)
        self.remote.set(key, value)

    def status(self) -> dict[str, Any]:
        """Redis's health summary, with the local copies' count and size."""
        local = self.local.status()
        return {**self.remote.status(), "entries": local["entries"], "bytes": local["bytes"]}

    def close(self) -> None:
        """Drop the local copies and disconnect from Redis."""
        self.local.close()
        self.remote.close()


def make_cache(
    redis_url: str | None,
    ttl_seconds: int,
    max_entries: int,
    socket_timeout: float,
    stats: CacheStats,
    logger: logging.Logger | None,
    *,
    max_bytes: int = 64 * 1_048_576,
    signing_key: str | None = None,
) -> MemoryCache | TieredCache:
    """Redis behind a local memory cache when redis_url is set (non-blank), otherwise a
    MemoryCache alone."""
    if redis_url and redis_url.strip():
        remote = RedisCache(redis_url.strip(), ttl_seconds, socket_timeout=socket_timeout,
                            logger=logger, signing_key=signing_key, stats=stats)
        # The local copies keep their own counts: a request's hit or miss is counted once.
        local = MemoryCache(max_entries, ttl_seconds, max_bytes=max_bytes)
        cache: MemoryCache | RedisCache | TieredCache = TieredCache(local, remote)
    else:
        cache = MemoryCache(max_entries, ttl_seconds, max_bytes=max_bytes, stats=stats)
    (logger or _LOG).info("result cache: %s backend", cache.status()["backend"])
    return cache

"""Configuration from environment variables, with the embedded defaults (no Redis needed)."""
from __future__ import annotations

import os
from dataclasses import dataclass, fields

API_VERSION = "v1"


def _number(name: str, default, kind):
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a valid {kind.__name__}") from None
    if value <= 0:
        raise ValueError(f"{name}={raw!r} must be positive")
    return value


def _int(name: str, default: int) -> int:
    return _number(name, default, int)


def _float(name: str, default: float) -> float:
    return _number(name, default, float)


def _list(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """A comma-separated list; unset keeps the default, an empty value means none."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return tuple(part.strip() for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """Every setting the service reads; the README's table lists them."""

    max_body_bytes: int = 1_048_576
    max_query_bytes: int = 8_192
    redis_url: str | None = None
    cache_ttl_seconds: int = 86_400
    cache_max_entries: int = 1_024
    cache_key_prefix: str = "lmna:"
    redis_socket_timeout: float = 0.1
    batch_max_items: int = 1_000
    log_level: str = "INFO"
    # Well under gunicorn's worker timeout (60 s): a request past it ends with a 503 problem.
    request_deadline_seconds: float = 20.0
    cache_max_bytes: int = 64 * 1_048_576
    # Signs Redis entries (HMAC-SHA256); unset: a random key per process (gunicorn's config
    # sets one per server, shared by its workers).
    cache_signing_key: str | None = None
    # gunicorn's worker count (WEB_CONCURRENCY); unset outside gunicorn: no saturation check.
    workers: int | None = None
    # API keys (off unless one of these is set): comma-separated keys, and/or a file of keys
    # one a line, re-read when it changes (rotation without restart).
    api_keys: str | None = None
    api_keys_file: str | None = None
    api_key_exempt_paths: tuple[str, ...] = ("/healthz", "/readyz", "/metrics")
    # Browser origins allowed to call /v1 (CORS); none by default.
    cors_origins: tuple[str, ...] = ()

    @classmethod
    def from_env(cls) -> Settings:
        """Read the environment (unset or empty variables keep their defaults)."""
        return cls(
            max_body_bytes=_int("MAX_BODY_BYTES", cls.max_body_bytes),
            max_query_bytes=_int("MAX_QUERY_BYTES", cls.max_query_bytes),
            redis_url=os.environ.get("REDIS_URL") or None,
            cache_ttl_seconds=_int("CACHE_TTL_SECONDS", cls.cache_ttl_seconds),
            cache_max_entries=_int("CACHE_MAX_ENTRIES", cls.cache_max_entries),
            cache_key_prefix=os.environ.get("CACHE_KEY_PREFIX") or cls.cache_key_prefix,
            redis_socket_timeout=_float("REDIS_SOCKET_TIMEOUT", cls.redis_socket_timeout),
            batch_max_items=_int("BATCH_MAX_ITEMS", cls.batch_max_items),
            log_level=os.environ.get("LOG_LEVEL") or cls.log_level,
            request_deadline_seconds=_float("REQUEST_DEADLINE_SECONDS",
                                            cls.request_deadline_seconds),
            cache_max_bytes=_int("CACHE_MAX_BYTES", cls.cache_max_bytes),
            cache_signing_key=os.environ.get("CACHE_SIGNING_KEY") or None,
            workers=_int("WEB_CONCURRENCY", 0) or None,
            api_keys=os.environ.get("API_KEYS") or None,
            api_keys_file=os.environ.get("API_KEYS_FILE") or None,
            api_key_exempt_paths=_list("API_KEY_EXEMPT_PATHS", cls.api_key_exempt_paths),
            cors_origins=_list("CORS_ORIGINS", cls.cors_origins),
        )

    def with_overrides(self, **overrides) -> Settings:
        """A copy with some settings replaced (TypeError for an unknown name)."""
        known = {f.name for f in fields(self)}
        unknown = set(overrides) - known
        if unknown:
            raise TypeError(f"unknown settings: {sorted(unknown)}")
        return Settings(**{**{f.name: getattr(self, f.name) for f in fields(self)}, **overrides})

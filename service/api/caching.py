"""Result caching at the HTTP edge: a hit skips schema loading and evaluation entirely.

The application service keys and stores answers (application/results.py); this module gives it
what only a request knows (the body as sent, the representation asked for, the versions of this
process) and answers in HTTP: the key is also a strong ETag, so If-None-Match is answered before
any work is done, and X-Cache, Cache-Control and Vary say how the answer was made. The
representation version changes with the response schemas and the renderers, so a shared Redis
never serves an answer of an older shape, nor a 304 for one.
"""
from __future__ import annotations

import hashlib
from functools import wraps

from flask import Response, current_app, request

from ..adapters.cache import CacheStats, MemoryCache
from ..application.representation import ws2016_representation_version
from ..application.results import answer_key, cached_or_computed
from ..config import API_VERSION
from ..domain.rulesets import WS2016_VERSION
from ..domain.version import ruleset_version
from .negotiation import representation
from .parsing import json_body, raw_json_body


def selected_version(payload) -> str:
    """The version of the ruleset a raw description selects (the default's for anything else:
    an invalid value is refused before anything is stored under it)."""
    if isinstance(payload, dict) and payload.get("ruleset") == "ws2016":
        return WS2016_VERSION
    return ruleset_version()


def _body_version() -> str:
    """The version of the ruleset the request's body selects; the body is parsed only when its
    bytes may name another ruleset (a cache hit otherwise skips parsing)."""
    raw = raw_json_body()
    if b"ws2016" not in raw and b"\\u" not in raw:
        return ruleset_version()
    return selected_version(json_body())


def evaluation_key(payload, form: str = "json", selected: str | None = None) -> str | None:
    """The cache key of a raw description: the same for a single and a batch evaluation; another
    representation (Markdown) has a key, and so an ETag, of its own. None for a value nested too
    deep to serialise: it is then neither cached nor looked up."""
    extension = current_app.extensions["lmna"]
    selected = selected or selected_version(payload)
    # A ws2016 answer has a schema and a Markdown renderer of its own: they version its entries.
    representation = (extension.representation if selected == ruleset_version()
                      else ws2016_representation_version())
    return answer_key(extension.settings.cache_key_prefix, payload, ruleset_version=selected,
                      representation_version=representation, api_version=API_VERSION, form=form)


def _etag(key: str) -> str:
    return '"' + key.rsplit(":", 1)[-1][:40] + '"'


def cache_headers(response: Response, etag: str, state: str, version: str | None = None) \
        -> Response:
    settings = current_app.extensions["lmna"].settings
    response.headers["ETag"] = etag
    # Deterministic for its ruleset version: any cache may keep it for the TTL.
    response.headers["Cache-Control"] = f"public, max-age={settings.cache_ttl_seconds}"
    response.headers["X-Ruleset-Version"] = version or ruleset_version()
    response.headers["X-Cache"] = state
    # The same URL answers JSON or Markdown by Accept: shared caches must key on it.
    response.headers["Vary"] = "Accept"
    return response


def _matches(header: str | None, etag: str) -> bool:
    """If-None-Match's weak comparison (RFC 9110): W/ prefixes do not matter. "*" is not
    honoured: it would skip the body's validation."""
    if not header:
        return False
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return etag in tags


class RawBodyKeys:
    """Per worker: the cache key each recently seen request body (its bytes as sent) parses to,
    so that a client sending the same bytes again is answered without parsing them or writing
    them out canonically. Within one process the versions in the key cannot change, so the bytes
    and the representation determine the key."""

    def __init__(self, entries: int, ttl_seconds: float):
        # A key is under 100 bytes; the bound in bytes only backs the bound in entries.
        self._keys = MemoryCache(entries, ttl_seconds, max_bytes=entries * 128,
                                 stats=CacheStats())

    @staticmethod
    def digest(raw: bytes, form: str) -> str:
        """What the index files a body under."""
        return hashlib.sha256(form.encode() + b"\0" + raw).hexdigest()

    def get(self, digest: str) -> str | None:
        """The cache key of a body seen before, or None."""
        key = self._keys.get(digest)
        return key.decode() if key is not None else None

    def remember(self, digest: str, key: str) -> None:
        """File a body's cache key under its digest."""
        self._keys.set(digest, key.encode())


def _key_of_body(extension, form: str) -> str | None:
    """The request's cache key: from the raw-body index when these bytes were seen before,
    else computed from the parsed body (and filed)."""
    # The ruleset version is in the digest too: a key filed under an older ruleset (a test can
    # change it within a process) is not handed out for it.
    digest = extension.raw_keys.digest(raw_json_body(), f"{form}|{ruleset_version()}")
    key = extension.raw_keys.get(digest)
    if key is None:
        key = evaluation_key(json_body(), form)
        if key is not None:
            extension.raw_keys.remember(digest, key)
    return key


def cached_evaluation(view):
    """Serve a stored evaluation, or compute one and store it (only successes are stored); the
    representation follows the request (?format=, Accept)."""
    return cached_answer(view, representation, _key_of_body)


def cached_markdown(view):
    """The same cache for an operation that always answers the short Markdown answer: it shares
    entries and ETags with POST /v1/evaluations asked for Markdown."""
    return cached_answer(view, lambda: "markdown", _key_of_body)


def cached_chat_answer(view):
    """The same cache for the chat-ops answer, keyed by its query (only a valid query, one that
    was answered, is ever stored)."""
    return cached_answer(view, lambda: "chat", _key_of_query, _query_version)


def _query_version() -> str:
    """The version of the ruleset a query selects (?ruleset=ws2016; the default's otherwise: an
    invalid value is refused before anything is stored under it)."""
    return WS2016_VERSION if request.args.getlist("ruleset") == ["ws2016"] else ruleset_version()


def _key_of_query(extension, form: str) -> str | None:
    """The request's cache key from its query arguments (repeated ones included)."""
    return evaluation_key({"query": request.args.to_dict(flat=False)}, form, _query_version())


def cached_answer(view, form_of, key_of, version_of=_body_version):
    """Serve a stored answer, or compute one and store it; `form_of` names the representation
    (part of the key), `key_of(extension, form)` gives the key, `version_of()` the version of the
    ruleset that answers."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        extension = current_app.extensions["lmna"]
        form = form_of()  # before the cache: the key depends on it
        key = key_of(extension, form)
        if key is None:  # not cacheable (and no valid description either): validation answers
            return view(*args, **kwargs)
        etag = _etag(key)
        version = version_of()
        revalidating = _matches(request.headers.get("If-None-Match"), etag)
        # Only a success is stored, so a stored key is a valid description.
        outcome = cached_or_computed(extension.cache, key, lambda: view(*args, **kwargs),
                                     _success_body)
        if outcome.hit:
            if revalidating:
                return cache_headers(Response(status=304), etag, "revalidated", version)
            mimetype = "application/json" if form == "json" else "text/markdown"
            return cache_headers(Response(outcome.stored, 200, mimetype=mimetype), etag, "hit",
                                 version)
        response = outcome.computed
        if response.status_code == 200:
            if revalidating:  # evaluated (and so validated) afresh: the client's copy is current
                return cache_headers(Response(status=304), etag, "revalidated", version)
            cache_headers(response, etag, "miss", version)
        return response
    return wrapper


def _success_body(response: Response) -> bytes | None:
    """What the cache keeps of a view's response: a success's body, nothing of an error."""
    return response.get_data() if response.status_code == 200 else None

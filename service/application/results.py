"""Cache or compute, and count: an answer's key, the ports a cache and a counter fill, the step.

An answer is immutable for its key: the key names the description (in canonical form), the
version of the ruleset that answers, the representation version (what the answer looks like)
and the representation asked for. The same key is therefore also a strong ETag at the edge.
The cache and the counter are ports: the adapters implement them (memory, Redis, Prometheus),
and a caller without them (the command line, a test) passes none.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from ..domain.model import Evaluation

T = TypeVar("T")


class ResultCache(Protocol):
    """Where answers are kept: bytes under a key, None for a key it does not hold (any more)."""

    def get(self, key: str) -> bytes | None:
        """The bytes stored under key, or None."""

    def set(self, key: str, value: bytes) -> None:
        """Store bytes under key (a cache may drop them later)."""


class EvaluationCounter(Protocol):
    """What counts evaluations by class (the metrics endpoint's lmna_evaluations_total)."""

    def count_evaluation(self, classification: str) -> None:
        """Count one evaluation computed with this class."""


def counted(evaluation: Evaluation, counter: EvaluationCounter | None) -> Evaluation:
    """The evaluation, counted by its class when there is a counter."""
    if counter is not None:
        counter.count_evaluation(evaluation.classification.value)
    return evaluation


def cache_key(prefix: str, payload: Any, ruleset_version: str, api_version: str) -> str:
    """The cache key of a parsed request: f"{prefix}{api_version}:{sha256 hex}", blind to key order."""
    # Hashing one canonical JSON array (not a concatenation) keeps the three parts unambiguous:
    # no choice of version strings can make two different (versions, payload) triples collide.
    canonical = json.dumps(
        [ruleset_version, api_version, payload],
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    )
    # surrogatepass: a request may carry a lone surrogate ("\ud800" is valid JSON); it must
    # hash, not crash, and "strict" UTF-8 refuses to encode it.
    digest = hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{prefix}{api_version}:{digest}"


def answer_key(prefix: str, payload: Any, *, ruleset_version: str, representation_version: str,
               api_version: str, form: str = "json") -> str | None:
    """The key of the answer to a raw description (or query) in representation `form`: JSON's
    key is shared by a single and a batch evaluation; every other form has keys of its own.
    None for a value nested too deep to write out canonically: it is neither stored nor looked
    up (validation refuses it)."""
    version = api_version if form == "json" else f"{api_version}+{form}"
    try:
        return cache_key(prefix, payload, f"{ruleset_version}+{representation_version}", version)
    except RecursionError:
        # The parser accepts a little deeper nesting than json.dumps can write back (~970).
        return None


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """The cache-or-compute step's result: the stored bytes on a hit, what was computed on a
    miss."""

    hit: bool
    stored: bytes | None = None
    computed: T | None = None


def cached_or_computed(cache: ResultCache, key: str | None, compute: Callable[[], T],
                       storable: Callable[[T], bytes | None]) -> Outcome[T]:
    """The answer stored under `key`, or `compute()`'s, stored when `storable` gives its bytes
    (None: a refusal or a failure, never stored). A None key is computed and not stored."""
    if key is not None:
        stored = cache.get(key)
        if stored is not None:
            return Outcome(hit=True, stored=stored)
    computed = compute()
    if key is not None:
        body = storable(computed)
        if body is not None:
            cache.set(key, body)
    return Outcome(hit=False, computed=computed)

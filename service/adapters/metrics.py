"""Prometheus metrics: request counts and latency, cache events, evaluations by class.

Under gunicorn with several workers, PROMETHEUS_MULTIPROC_DIR makes every worker write its values
to files that one scrape adds up; without it, the process's own registry serves.
"""
from __future__ import annotations

import os

import glob
import time

from prometheus_client import (
    CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest,
)
from prometheus_client import multiprocess


class Metrics:
    """The service's metrics, registered in a registry of their own (one per app)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("lmna_http_requests_total", "HTTP requests by endpoint and status",
                                ["method", "endpoint", "status"], registry=self.registry)
        self.latency = Histogram("lmna_http_request_duration_seconds",
                                 "Time to answer a request", ["endpoint"], registry=self.registry,
                                 buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                          0.5, 1, 2.5))
        self.cache_events = Counter("lmna_cache_events_total", "Result cache hits, misses, errors",
                                    ["event"], registry=self.registry)
        # livesum: a worker's share disappears with it (gunicorn's child_exit calls
        # mark_process_dead), so a worker killed mid-request does not stay "busy" for ever.
        self.busy = Gauge("lmna_busy_workers", "Workers answering a request now",
                          registry=self.registry, multiprocess_mode="livesum")
        # Per worker (liveall keeps one sample per pid): when its current request started, 0
        # when idle. Readiness tells a saturated service from a merely busy one with it.
        self.busy_since = Gauge("lmna_worker_busy_since_seconds",
                                "Unix time the worker's current request started (0: idle)",
                                registry=self.registry, multiprocess_mode="liveall")
        self.evaluations = Counter("lmna_evaluations_total", "Evaluations computed, by class",
                                   ["classification"], registry=self.registry)

    def count_evaluation(self, classification: str) -> None:
        """Count an evaluation computed with this class."""
        self.evaluations.labels(classification).inc()

    def cache_event(self, event: str) -> None:
        """Count a cache event (hit, miss, error, invalid)."""
        self.cache_events.labels(event=event).inc()

    def exposition(self) -> tuple[bytes, str]:
        """The text format for a scrape, summed over workers in multiprocess mode."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST

    def busy_workers(self, longer_than: float = 0.0) -> int:
        """Workers now answering a request that started more than `longer_than` seconds ago,
        over every live gunicorn worker (this one included)."""
        now = time.time()
        directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if not directory:
            starts = [self.busy_since._value.get()]
        else:
            files = glob.glob(os.path.join(directory, "gauge_liveall_*.db"))
            starts = [sample.value
                      for metric in multiprocess.MultiProcessCollector.merge(files, accumulate=False)
                      if metric.name == "lmna_worker_busy_since_seconds"
                      for sample in metric.samples]
        return sum(1 for start in starts if start > 0 and now - start >= longer_than)

"""Readiness's saturation count: only requests held for longer than the threshold count."""
from __future__ import annotations

import time

from service.adapters.metrics import Metrics
from service.api.edge import method_label


def test_busy_workers_counts_only_long_requests(monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    metrics = Metrics()
    assert metrics.busy_workers() == 0
    metrics.busy_since.set(time.time())
    assert metrics.busy_workers() == 1
    assert metrics.busy_workers(longer_than=1.0) == 0  # a short request is no saturation
    metrics.busy_since.set(time.time() - 5)
    assert metrics.busy_workers(longer_than=1.0) == 1


def test_method_labels_are_a_fixed_set():
    assert method_label("POST") == "POST"
    assert method_label("BREW") == method_label("post") == "OTHER"

"""A test-only WSGI app for live gunicorn tests: the real factory, with evaluation made slow for
clusters named "slow-<seconds>" (pure-Python CPU work, like the domain's own), so the deadline,
saturation and shutdown can be tested without depending on the domain being slow."""
from __future__ import annotations

import os
import time
from pathlib import Path

import service.application.usecases as evaluations
import service.application.usecases as service_module
from service.app import create_app as real_create_app


def _slow(real):
    def evaluate(cluster, *args, **kwargs):
        name = cluster.name or ""
        if name.startswith("slow-"):
            markers = os.environ.get("SLOW_APP_MARKERS")
            if markers:  # tells a test the request is in a worker, without a timed sleep
                (Path(markers) / name).touch()
            end = time.monotonic() + float(name.removeprefix("slow-"))
            while time.monotonic() < end:
                pass
        return real(cluster, *args, **kwargs)
    return evaluate


def create_app():
    """The service's app with the slow evaluate patched in."""
    slow = _slow(service_module.evaluate)
    service_module.evaluate = slow
    evaluations.evaluate = slow
    return real_create_app()

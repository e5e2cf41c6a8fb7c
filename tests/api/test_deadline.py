"""The per-request compute deadline through the test client: a slow evaluation ends with a 503
problem, a batch returns what it finished, and the worker's timer is left as it was found."""
from __future__ import annotations

import signal
import time

import pytest

import service.application.usecases as evaluations
import service.application.usecases as service_module
from service.app import create_app
from service.config import Settings
from tests.support import spec_example

PROBLEM = "application/problem+json"


def _slow_on(name: str, seconds: float):
    """An evaluate that burns CPU for `seconds` on clusters named `name` (pure Python, like the
    domain's own work, so only the timer can stop it)."""
    real = service_module.evaluate

    def evaluate(cluster, *args, **kwargs):
        if cluster.name == name:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                pass
        return real(cluster, *args, **kwargs)
    return evaluate


@pytest.fixture()
def slow(monkeypatch):
    fake = _slow_on("slow", 30)
    monkeypatch.setattr(service_module, "evaluate", fake)
    monkeypatch.setattr(evaluations, "evaluate", fake)


def _named(name: str) -> dict:
    body = spec_example()
    body["name"] = name
    return body


def test_a_request_past_the_deadline_is_a_503_problem(slow):
    client = create_app(Settings(request_deadline_seconds=0.3)).test_client()
    started = time.monotonic()
    response = client.post("/v1/evaluations", json=_named("slow"))
    assert time.monotonic() - started < 10  # stopped, not run to its 30 s
    assert response.status_code == 503
    assert response.content_type == PROBLEM
    assert response.headers["Retry-After"] == "1"
    assert response.get_json()["status"] == 503
    # The same app answers the next request normally: nothing was left armed or broken.
    assert client.post("/v1/evaluations", json=_named("fast")).status_code == 200
    from service.api import deadline
    assert signal.getsignal(signal.SIGALRM) is not deadline._on_alarm


@pytest.mark.parametrize("path", ["/v1/evaluations/markdown", "/v1/qos-policies/powershell",
                                  "/v1/evaluations/svg"])
def test_every_evaluating_endpoint_has_the_deadline(slow, path):
    client = create_app(Settings(request_deadline_seconds=0.3)).test_client()
    response = client.post(path, json=_named("slow"))
    assert response.status_code == 503
    assert response.content_type == PROBLEM


def test_a_batch_returns_the_items_finished_and_a_503_for_the_rest(slow):
    client = create_app(Settings(request_deadline_seconds=0.5)).test_client()
    items = [_named("a"), _named("b"), _named("slow"), _named("c"), _named("d")]
    response = client.post("/v1/evaluations/batch", json={"items": items})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["index"] for r in results] == [0, 1, 2, 3, 4]
    assert [r["status"] for r in results] == [200, 200, 503, 503, 503]
    assert results[0]["evaluation"]["name"] == "a"
    for result in results[2:]:
        assert result["evaluation"] is None
        assert result["problem"]["status"] == 503
    # The finished items were cached: a retry of the whole batch gets them from the cache.
    again = client.post("/v1/evaluations/batch", json={"items": items[:2]})
    assert [r["status"] for r in again.get_json()["results"]] == [200, 200]


def test_an_outer_timer_is_restored(slow):
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 100)
        client = create_app(Settings(request_deadline_seconds=5)).test_client()
        assert client.get("/healthz").status_code == 200
        left = signal.getitimer(signal.ITIMER_REAL)[0]
        assert 90 < left <= 100
        assert signal.getsignal(signal.SIGALRM) is not None and not fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_the_deadline_is_a_setting(monkeypatch):
    monkeypatch.setenv("REQUEST_DEADLINE_SECONDS", "7.5")
    assert Settings.from_env().request_deadline_seconds == 7.5
    assert Settings().request_deadline_seconds == 20.0
    monkeypatch.setenv("REQUEST_DEADLINE_SECONDS", "0")
    with pytest.raises(ValueError):
        Settings.from_env()

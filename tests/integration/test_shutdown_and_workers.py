"""No lost work at shutdown, and no ghost of a killed worker in the metrics, against a live
gunicorn with deploy/gunicorn.conf.py."""
from __future__ import annotations

import os
import re
import signal
import threading
import time
import urllib.request

import pytest

from tests.integration.live import Gunicorn, wait_for
from tests.integration.test_hostile_load import SLOW_APP, named, request

pytestmark = pytest.mark.live


def _in_background(url: str, name: str, answers: dict) -> threading.Thread:
    def run():
        try:
            answers[name] = request(url + "/v1/evaluations", named(name), timeout=30)[:2]
        except OSError as error:  # a dropped connection: the failure this test looks for
            answers[name] = (type(error).__name__, None)
    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_sigterm_lets_in_flight_requests_finish(tmp_path):
    # Deadline 3 s, so graceful_timeout defaults to 8 s: above the deadline.
    with Gunicorn(workers=2, app=SLOW_APP, REQUEST_DEADLINE_SECONDS="3",
                  SLOW_APP_MARKERS=str(tmp_path)) as server:
        answers: dict = {}
        threads = [_in_background(server.url, "slow-2", answers),
                   _in_background(server.url, "slow-60", answers)]
        # Both requests in a worker (a worker still booting would leave one in the backlog,
        # which SIGTERM closes): then SIGTERM.
        assert wait_for(lambda: {p.name for p in tmp_path.iterdir()} == {"slow-2", "slow-60"},
                        20)
        server.process.send_signal(signal.SIGTERM)
        for thread in threads:
            thread.join(30)
        server.process.wait(30)
    status, headers = answers["slow-2"]
    assert status == 200  # finished although SIGTERM came in the middle of it
    status, headers = answers["slow-60"]
    assert status == 503  # ended by the deadline with a problem, not a dropped connection
    assert headers["Content-Type"] == "application/problem+json"


def _busy(url: str) -> float:
    with urllib.request.urlopen(url + "/metrics", timeout=5) as response:
        text = response.read().decode()
    return float(re.search(r"^lmna_busy_workers ([0-9.]+)$", text, re.M).group(1))


def test_a_killed_workers_metric_files_are_cleaned(tmp_path):
    with Gunicorn(workers=2, app=SLOW_APP, REQUEST_DEADLINE_SECONDS="10",
                  PROMETHEUS_MULTIPROC_DIR=str(tmp_path)) as server:
        answers: dict = {}
        thread = _in_background(server.url, "slow-8", answers)
        time.sleep(0.7)
        assert _busy(server.url) == 2  # the slow request and this scrape
        old = server.worker_pids()
        files = {p.name for p in tmp_path.glob("gauge_livesum_*.db")}
        assert {f"gauge_livesum_{pid}.db" for pid in old} <= files
        for pid in old:
            os.kill(pid, signal.SIGKILL)
        assert wait_for(lambda: len(server.worker_pids() - old) == 2, 20)
        assert wait_for(lambda: not any((tmp_path / f"gauge_livesum_{pid}.db").exists()
                                        for pid in old), 10)
        assert _busy(server.url) == 1  # only this scrape: the killed busy worker left no trace
        thread.join(30)

"""The production server for real: gunicorn with deploy/gunicorn.conf.py, fuzzed by the
schemathesis CLI with every check, and its metrics summed over workers."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.integration.live import ROOT, Gunicorn
from tests.profiles import examples
from tests.support import spec_example

pytestmark = pytest.mark.live


def post(url: str, body: dict) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, json.dumps(body).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


# Examples an operation: 200 under the ci profile, 50 under dev (SCHEMATHESIS_MAX_EXAMPLES
# overrides). .ci/run also fuzzes far deeper with another seed each run (tests/deep_fuzz.py).
FUZZ_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES") or examples(40))
# The examples and fuzzing phases only: the coverage and stateful phases, and depth, are the
# deep fuzz's (.ci/run's second step, tests/integration/deep_fuzz.py). This run checks that
# gunicorn's workers answer as the contract says; on the ws2016 contract an example of the 17
# operations took about 1.8 s to generate and send on two idle cores (the batch's nested
# clusters most of it).
PHASES = "examples,fuzzing"
# Bounded by example counts, never by time: allow three times an idle machine's pace and a
# start-up margin.
FUZZ_TIMEOUT = 6 * FUZZ_EXAMPLES + 180


@pytest.mark.timeout(FUZZ_TIMEOUT)
def test_schemathesis_all_checks_against_gunicorn(tmp_path):
    # schemathesis 4 runs every check by default; "--checks all" would also override the
    # per-operation settings in schemathesis.toml.
    examples = str(FUZZ_EXAMPLES)
    with Gunicorn(workers=3) as server:
        cli = str(Path(sys.executable).with_name("schemathesis"))
        run = subprocess.run(
            [cli, "run", "openapi/openapi.json", "--url", server.url,
             "--max-examples", examples, "--workers", "2", "--phases", PHASES,
             "--report", "junit", "--report-dir", str(tmp_path)],
            cwd=ROOT, capture_output=True, text=True, timeout=FUZZ_TIMEOUT - 30)
    summary = run.stdout[-4000:]
    print(summary)
    assert run.returncode == 0, summary
    assert "No issues found" in run.stdout or " passed" in run.stdout


def test_metrics_add_up_over_workers():
    with Gunicorn(workers=3) as server:
        for _ in range(12):
            status, headers, _ = post(server.url + "/v1/evaluations", spec_example())
            assert status == 200
        with urllib.request.urlopen(server.url + "/metrics", timeout=5) as response:
            text = response.read().decode()
    lines = [line for line in text.splitlines()
             if line.startswith("lmna_http_requests_total{") and "/v1/evaluations\"" in line
             and 'status="200"' in line]
    assert sum(float(line.rsplit(" ", 1)[1]) for line in lines) == 12
    assert "lmna_cache_events_total" in text

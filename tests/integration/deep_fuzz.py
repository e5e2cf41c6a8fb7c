"""The deep fuzz run of .ci/run: schemathesis against a live gunicorn, 1,000 examples an
operation, every phase (stateful included, through the contract's links), every check, and
another seed each run, printed first so that a failure can be replayed.

Run: .venv/bin/python -m tests.integration.deep_fuzz   (FUZZ_SEED=N replays run N,
FUZZ_EXAMPLES=N changes the depth).
"""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from tests.integration.live import ROOT, Gunicorn

PHASES = "examples,coverage,fuzzing,stateful"


def main() -> int:
    """Fuzz a fresh gunicorn; return schemathesis' exit status."""
    seed = int(os.environ.get("FUZZ_SEED") or secrets.randbelow(2**31))
    examples = int(os.environ.get("FUZZ_EXAMPLES") or 1000)
    print(f"deep fuzz: seed {seed}, {examples} examples an operation, phases {PHASES} "
          f"(replay with FUZZ_SEED={seed})", flush=True)
    cli = str(Path(sys.executable).with_name("schemathesis"))
    # Every check runs by default; "--checks all" would override schemathesis.toml's
    # per-operation settings. No example database: the printed seed replays a run, and without
    # one Hypothesis keeps no Pareto front of targeted examples (it grew past 6 GB and spent most
    # of the run re-shrinking large batch bodies).
    with Gunicorn(workers=3) as server:
        run = subprocess.run(
            [cli, "run", "openapi/openapi.json", "--url", server.url,
             "--max-examples", str(examples), "--seed", str(seed), "--phases", PHASES,
             "--workers", "2", "--generation-database", "none"], cwd=ROOT)
    print(f"deep fuzz: seed {seed}, exit status {run.returncode}", flush=True)
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
